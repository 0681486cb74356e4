/**
 * Hostile input is normal input: errors keep their path inside unions, keys never reach a prototype, names stay
 * disjoint and unique, Azure's limits are config errors, and config files are bounded and strict.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  loadEnvironments,
  MAX_CONFIG_BYTES,
  parseEnvironment,
  readConfigFile,
} from '../../environments';
import { environmentNames } from '../../environments/names';
import { environmentTags } from '../../environments/sections/foundation';
import { byoInput } from '../helpers/network';
import { problemsOf } from '../helpers/config';
import { exampleInput, synthEnvironment } from '../helpers/synth';

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('a problem inside a union', () => {
  it('is reported at its deepest path, in the option the input was meant for', () => {
    expect(
      problemsOf(
        exampleInput('prod', { tenants: { legal: { allocations: { prod: { tokensPerMinute: '5000' } } } } }),
      ),
    ).toEqual([
      {
        path: 'tenants.legal.allocations.prod.tokensPerMinute',
        message: 'expected number, received a string',
        received: '"5000"',
      },
    ]);
    const deep = problemsOf(
      exampleInput('prod', {
        tenants: {
          research: {
            allocations: {
              prod: {
                dedicated: {
                  accounts: { swedencentral: { deployments: { 'gpt-4o': { capacity: 'lots' } } } },
                },
              },
            },
          },
        },
      }),
    );
    expect(deep.map((p) => p.path)).toEqual([
      'tenants.research.allocations.prod.dedicated.accounts.swedencentral.deployments.gpt-4o.capacity',
    ]);
    expect(
      problemsOf(
        exampleInput('prod', { tenants: { legal: { allocations: { prod: { tokensPerMinutes: 1 } } } } }),
      ),
    ).toContainEqual(
      expect.objectContaining({
        path: 'tenants.legal.allocations.prod.tokensPerMinutes',
        message: expect.stringMatching(/unknown key "tokensPerMinutes" \(did you mean "tokensPerMinute"\?\)/),
      }),
    );
  });

  it('keeps the union’s own message when the input has the type of no option', () => {
    expect(
      problemsOf(exampleInput('prod', { tenants: { legal: { allocations: { prod: 'nope' } } } })),
    ).toEqual([
      expect.objectContaining({
        path: 'tenants.legal.allocations.prod',
        message: 'expected "none" or { tokensPerMinute, monthlyTokenQuota }',
      }),
    ]);
  });
});

describe('keys and names like the members of every object', () => {
  const legal = exampleInput('prod').tenants!['legal']!;

  it.each([
    ['a tenant slug', { tenants: { constructor: legal } }, 'tenants.constructor'],
    [
      'an action group key',
      { monitoring: { actionGroups: { constructor: {} } } },
      'monitoring.actionGroups.constructor',
    ],
    [
      'a deployment name',
      { endpoints: { accounts: { swedencentral: { deployments: { toString: {} } } } } },
      'endpoints.accounts.swedencentral.deployments.toString',
    ],
    ['the environment name', { name: 'constructor' }, 'name'],
    [
      'a content filter reference',
      { tenants: { legal: { contentFilter: 'constructor' } } },
      'tenants.legal.contentFilter',
    ],
    [
      'a webhook variable',
      {
        monitoring: { actionGroups: { oncall: { webhook: { pager: { uriFromVariable: 'constructor' } } } } },
      },
      'monitoring.actionGroups.oncall.webhook.pager.uriFromVariable',
    ],
  ])('refuse %s with its path instead of crashing', (_, patch, path) => {
    const problems = problemsOf(exampleInput('prod', patch));
    expect(problems).toContainEqual(
      expect.objectContaining({
        path,
        message: expect.stringMatching(/built-in member of every JavaScript object; expected another name/),
      }),
    );
  });

  it('refuse __proto__ and hasOwnProperty keys from a JSON file, which JSON.parse keeps as own keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lz-proto-'));
    const file = join(dir, 'prod.json');
    const input = exampleInput('prod');
    const text = JSON.stringify(input).replace(
      '"tenants":{',
      '"tenants":{"__proto__":{"displayName":"x"},"hasOwnProperty":{"displayName":"y"},',
    );
    writeFileSync(file, text);
    const error = errorOf(() => loadEnvironments({ configFiles: [file] }));
    expect(error.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['tenants.__proto__', 'tenants.hasOwnProperty']),
    );
  });

  it('refuse cdktf token markers and token-range numbers in text, which synth would replace', () => {
    const problems = problemsOf(
      exampleInput('prod', {
        tenants: { legal: { costCenter: '${TfToken[TOKEN.42]}', displayName: 'x -1.8881545897087626e+289' } },
      }),
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      'tenants.legal.costCenter',
      'tenants.legal.displayName',
    ]);
  });
});

describe('tenant names', () => {
  it('never take a platform name: the slug "apim" gets an identity of its own, apart from the gateway’s', () => {
    const prod = exampleInput('prod');
    const env = parseEnvironment(
      { ...prod, tenants: { ...prod.tenants, apim: prod.tenants!['legal']! } },
      'test',
    );
    const identities = synthEnvironment(env)
      .resources('azurerm_user_assigned_identity')
      .map((r) => r.config['name'] as string);
    expect(identities).toContain('id-cx-genai-prd-sdc-apim');
    expect(identities).toContain('id-cx-genai-prd-sdc-t-apim');
    expect(new Set(identities).size).toBe(identities.length);
  });

  it('refuse a slug that would take a product name Azure creates itself', () => {
    const prod = exampleInput('prod');
    expect(
      problemsOf({ ...prod, tenants: { ...prod.tenants, starter: prod.tenants!['legal']! } }),
    ).toContainEqual(
      expect.objectContaining({
        path: 'tenants.starter',
        message: expect.stringMatching(/API Management creates sample products with those ids/),
      }),
    );
  });

  it('refuse an explicit account name that a tenant’s account already has', () => {
    const problems = problemsOf(
      exampleInput('prod', {
        endpoints: { accounts: { swedencentral: { name: 'ais-cx-genai-prd-sdc-t-research' } } },
      }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ path: 'tenants.research', rule: 'names-distinct' }),
    );
  });
});

describe('globally unique names across environments', () => {
  it('reject two environments that plan the same Key Vault, storage, gateway or subdomain, with both paths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lz-global-'));
    const prod = join(dir, 'prod.json');
    const copy = join(dir, 'prod-eu.json');
    // A copy of prod for another region's team, its tenants allocated as in prod, with the same naming inputs.
    const prodEu = (environmentCode: string) => {
      const input = exampleInput('prod', {
        name: 'prod-eu',
        naming: { environmentCode },
        backend: { containerName: 'tfstate-prod-eu' },
      });
      for (const tenant of Object.values(input.tenants!))
        tenant.allocations['prod-eu'] = tenant.allocations['prod']!;
      return JSON.stringify(input);
    };
    writeFileSync(prod, JSON.stringify(exampleInput('prod')));
    writeFileSync(copy, prodEu('prd'));
    const error = errorOf(() => loadEnvironments({ configFiles: [prod, copy] }));
    expect(error.source).toBe(copy);
    const clashes = error.problems.filter((p) => p.rule === 'globally-unique-names-across-environments');
    expect(clashes).toContainEqual(
      expect.objectContaining({
        path: 'naming',
        message: expect.stringMatching(
          new RegExp(
            `keyVault name "kvcxgenaiprdsdc" is globally unique and already planned by ${prod} at naming`,
          ),
        ),
      }),
    );
    const names = clashes.map((p) => /name "([^"]+)"/.exec(p.message)![1]).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'apim-cx-genai-prd-sdc',
        'ais-cx-genai-prd-sdc',
        'ais-cx-genai-prd-sdc-t-research',
        'cs-cx-genai-prd-sdc',
        'kvcxgenaiprdsdc',
        'kvcxgenaiprdsdctresearch',
        'stcxgenaiprdsdcpl',
      ]),
    );
    // Another environment code makes every one of them differ.
    writeFileSync(copy, prodEu('pwe'));
    expect(loadEnvironments({ configFiles: [prod, copy] }).map((env) => env.name)).toEqual([
      'prod',
      'prod-eu',
    ]);
  });
});

describe('Azure’s limits', () => {
  const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`extra${i}`, 'x']));

  it('count what the plan carries: the environment’s tags everywhere, one more on a tenant’s resources', () => {
    const env = parseEnvironment(exampleInput('prod'), 'test');
    const counts = synthEnvironment(env)
      .resources()
      .flatMap((r) => {
        const tags = r.config['tags'];
        return tags && typeof tags === 'object' && !Array.isArray(tags) ? [Object.keys(tags).length] : [];
      });
    const platform = Object.keys(environmentTags(env)).length;
    expect(new Set(counts)).toEqual(new Set([platform, platform + 1]));
  });

  it('count the tags a resource really carries: 50, or 15 where private DNS zones take them', () => {
    // prod carries 8 tags besides tags.additional (5 named, 3 derived); a tenant's resources add `tenant`.
    const byo = byoInput('prod');
    const fits = { ...byo, tags: { ...byo.tags, additional: many(41) } };
    expect(() => parseEnvironment(fits, 'test')).not.toThrow();
    expect(problemsOf({ ...byo, tags: { ...byo.tags, additional: many(42) } })).toEqual([
      expect.objectContaining({
        path: 'tags.additional',
        rule: 'tags-fit-azure-limits',
        message: expect.stringMatching(
          /^tenant [a-z0-9-]+'s resources would carry 51 tags; Azure allows 50 per resource/,
        ),
      }),
    ]);
    // The example keeps its `compliance` tag here: 9 + 6 fit the private DNS zones, 9 + 7 do not.
    expect(() =>
      parseEnvironment(exampleInput('prod', { tags: { additional: many(6) } }), 'test'),
    ).not.toThrow();
    expect(problemsOf(exampleInput('prod', { tags: { additional: many(7) } }))).toEqual([
      expect.objectContaining({
        rule: 'tags-fit-azure-limits',
        message: expect.stringMatching(
          /^every resource would carry 16 tags; Azure allows 15 on private DNS zones/,
        ),
      }),
    ]);
  });

  it('treat tag names that differ only in case as one, and refuse long names, control characters and DNS-hostile names', () => {
    expect(problemsOf(exampleInput('prod', { tags: { additional: { Team: 'a', team: 'b' } } }))).toEqual([
      expect.objectContaining({ path: 'tags.additional.team', rule: 'tags-not-reserved' }),
    ]);
    expect(problemsOf(exampleInput('prod', { tags: { additional: { Owner: 'someone-else' } } }))).toEqual([
      expect.objectContaining({ path: 'tags.additional.Owner', rule: 'tags-not-reserved' }),
    ]);
    expect(
      problemsOf(exampleInput('prod', { tags: { additional: { ['n'.repeat(129)]: 'x' } } }))[0]?.message,
    ).toMatch(/invalid key: a tag name must be at most 128 characters/);
    expect(
      problemsOf(exampleInput('prod', { tags: { additional: { 'a\u0007b': 'x' } } }))[0]?.message,
    ).toMatch(/a tag name must not contain control characters/);
    expect(problemsOf(exampleInput('prod', { tags: { additional: { 'cost center': 'x' } } }))).toEqual([
      expect.objectContaining({ path: 'tags.additional["cost center"]', rule: 'tags-fit-azure-limits' }),
    ]);
    const byo = byoInput('prod');
    expect(() =>
      parseEnvironment({ ...byo, tags: { ...byo.tags, additional: { 'cost center': 'x' } } }, 'test'),
    ).not.toThrow();
  });

  it('refuse 10 kB model names and versions, and a budget of 1e308', () => {
    const huge = 'x'.repeat(10_000);
    const problems = problemsOf(
      exampleInput('prod', {
        endpoints: {
          accounts: {
            swedencentral: { deployments: { 'gpt-4o': { model: { name: huge, version: huge } } } },
          },
        },
        monitoring: { budget: { amount: 1e308 } },
      }),
    );
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'endpoints.accounts.swedencentral.deployments.gpt-4o.model.name',
        'endpoints.accounts.swedencentral.deployments.gpt-4o.model.version',
        'monitoring.budget.amount',
      ]),
    );
  });
});

describe('config files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lz-files-'));
  const write = (name: string, content: string | Buffer) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  const problem = (file: string) => errorOf(() => readConfigFile(file)).problems[0]!;

  it.skipIf(process.platform === 'win32')('are regular files: a FIFO or a device is refused at once', () => {
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(problem(fifo).message).toBe('expected a regular file; this is a named pipe (FIFO)');
    const zero = join(dir, 'zero.yaml');
    symlinkSync('/dev/zero', zero);
    expect(problem(zero).message).toBe('expected a regular file; this is a character device');
  });

  it('are at most 5 MiB', () => {
    const file = write('big.yaml', Buffer.alloc(MAX_CONFIG_BYTES + 1, 0x20));
    expect(problem(file).message).toMatch(
      /^the file is 5242881 bytes; a config file may be at most 5242880 bytes/,
    );
  });

  it('parse JSON as JSON: a trailing comma is an error with its line and column', () => {
    const file = write('trailing.json', '{\n  "name": "prod",\n}');
    expect(problem(file)).toMatchObject({
      path: 'line 3, column 1',
      message: 'invalid JSON: expected a double-quoted key, found "}"',
    });
  });

  it('refuse unknown YAML tags, invalid UTF-8 (with the byte offset) and alias bombs (with the line)', () => {
    expect(problem(write('tag.yaml', 'name: !custom prod\n'))).toMatchObject({
      path: 'line 1, column 7',
      message: expect.stringMatching(/Unresolved tag: !custom; expected plain YAML without custom tags/),
    });
    expect(problem(write('latin1.yaml', Buffer.from('name: prod\nstage: d\xe9v\n', 'latin1')))).toMatchObject(
      {
        path: 'byte 19 (line 2)',
        message: expect.stringMatching(/^not valid UTF-8/),
        received: '0xe9',
      },
    );
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of [...'bcdefgh'].entries())
      lines.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`);
    expect(problem(write('bomb.yaml', `${lines.join('\n')}\n`))).toMatchObject({
      path: 'line 2, column 8',
      message: expect.stringMatching(/resource exhaustion/),
    });
  });

  // Both checks are single passes (their speed is the bench's to measure). yaml's own check, which compares every key
  // with every other, stays off: its error would be a second problem here.
  it('find every duplicate key among 4,000, in JSON and YAML', () => {
    const keys = Array.from({ length: 4_000 }, (_, i) => `k${i}`);
    const json = write('keys.json', `{${[...keys, 'k123', 'k3999'].map((k) => `"${k}": 1`).join(',\n')}}`);
    expect(errorOf(() => readConfigFile(json)).problems.map((p) => p.path)).toEqual([
      'line 4001, column 1',
      'line 4002, column 1',
    ]);
    const yaml = write('keys.yaml', `${[...keys, 'k123'].map((k) => `${k}: 1`).join('\n')}\n`);
    expect(errorOf(() => readConfigFile(yaml)).problems).toEqual([
      {
        path: 'line 4001, column 1',
        message: 'invalid YAML: duplicate key "k123": each key may appear once',
        received: '',
      },
    ]);
  });
});

describe('the name plan', () => {
  it('is planned once per parsed environment', () => {
    const env = parseEnvironment(exampleInput('prod'), 'test');
    expect(environmentNames(env)).toBe(environmentNames(env));
  });
});
