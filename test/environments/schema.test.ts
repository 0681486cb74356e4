import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { ConfigError, loadEnvironments, parseEnvironment, readConfigFile } from '../../environments';
import { problemsOf } from '../helpers/config';
import { exampleInput } from '../helpers/synth';

function withoutKey<T extends object>(value: T, key: keyof T): T {
  const copy = { ...value };
  delete copy[key];
  return copy;
}

describe('the shipped examples', () => {
  it.each(['dev', 'staging', 'prod'] as const)('%s parses and fills defaults', (name) => {
    const env = parseEnvironment(exampleInput(name), name);
    expect(env.name).toBe(name);
    expect(env.stage).toBe(name);
    expect(env.tags.additional).toBeDefined();
  });

  it('keeps staging and prod private with remote state, and lets dev be public only with a reason', () => {
    const [dev, staging, prod] = loadEnvironments();
    expect(dev!.network.publicNetworkAccess).toEqual({
      enabled: true,
      reason: expect.stringMatching(/.{20,}/),
    });
    for (const env of [staging!, prod!]) {
      expect(env.network.publicNetworkAccess.enabled).toBe(false);
      expect(env.backend.type).toBe('azurerm');
      expect(env.azure.purgeSoftDeletedOnDestroy).toBe(false);
    }
  });
});

describe('shape errors', () => {
  it('names path, expectation and received value for a wrong type', () => {
    expect(problemsOf(exampleInput('dev', { workload: 42 }))).toEqual([
      { path: 'workload', message: 'expected string, received a number', received: '42' },
    ]);
  });

  it('rejects an unknown key and suggests the closest known one', () => {
    const [problem] = problemsOf(exampleInput('dev', { tags: { costcenter: 'CC-1' } }));
    expect(problem).toEqual({
      path: 'tags.costcenter',
      message: expect.stringContaining('unknown key "costcenter" (did you mean "costCenter"?)'),
      received: '"CC-1"',
    });
  });

  it('reports a missing required field', () => {
    const problems = problemsOf(withoutKey(exampleInput('dev'), 'stage'));
    expect(problems).toEqual([
      { path: 'stage', message: 'is required: expected "dev" | "staging" | "prod"', received: 'nothing' },
    ]);
  });

  it('rejects an unknown region with the list of known ones', () => {
    const [problem] = problemsOf(
      exampleInput('prod', { regions: { additional: ['francecentral', 'marsnorth'] } }),
    );
    expect(problem?.path).toBe('regions.additional[1]');
    expect(problem?.message).toMatch(/expected an Azure region such as "swedencentral"/);
    expect(problem?.received).toBe('"marsnorth"');
  });

  it('needs a written reason to open public access', () => {
    const problems = problemsOf(
      exampleInput('dev', { network: { publicNetworkAccess: { enabled: true, reason: 'because' } } }),
    );
    expect(problems).toEqual([
      {
        path: 'network.publicNetworkAccess.reason',
        message: 'a reason must be at least a sentence (20 characters or more)',
        received: '"because"',
      },
    ]);
  });

  it('rejects a storage account name that Azure would refuse', () => {
    const [problem] = problemsOf(exampleInput('prod', { backend: { storageAccountName: 'St_State' } }));
    expect(problem).toMatchObject({ path: 'backend.storageAccountName', received: '"St_State"' });
  });
});

describe('cross-field rules', () => {
  it('prod must not enable public network access', () => {
    const problems = problemsOf(
      exampleInput('prod', {
        network: {
          publicNetworkAccess: { enabled: true, reason: 'A partner cannot reach our private link.' },
        },
      }),
    );
    expect(problems).toEqual([
      {
        path: 'network.publicNetworkAccess.enabled',
        message: 'prod: public network access must be disabled; expected false',
        received: 'true',
        rule: 'private-stages-no-public-access',
      },
    ]);
  });

  it('staging must keep remote state and a private network', () => {
    const problems = problemsOf({
      ...exampleInput('staging'),
      backend: { type: 'local' },
      network: { mode: 'none' },
    });
    expect(problems.map((p) => p.rule).sort()).toEqual([
      'finops-ledger-private-network',
      'gateway-network-matches-environment',
      'no-network-needs-public-access',
      'private-stages-private-network',
      'private-stages-remote-state',
    ]);
  });

  it('prod keeps soft-deleted vaults and accounts recoverable', () => {
    const problems = problemsOf(exampleInput('prod', { azure: { purgeSoftDeletedOnDestroy: true } }));
    expect(problems.map((p) => p.rule)).toEqual(['prod-keeps-soft-deleted']);
  });

  it('rejects a region listed twice', () => {
    const problems = problemsOf(
      exampleInput('prod', { regions: { additional: ['francecentral', 'swedencentral'] } }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: 'regions.additional[1]',
        received: '"swedencentral"',
        rule: 'regions-distinct',
      }),
    );
  });

  it('rejects an additional tag that would override a mandatory one', () => {
    const problems = problemsOf(
      exampleInput('prod', { tags: { additional: { environment: 'production' } } }),
    );
    expect(problems).toEqual([
      expect.objectContaining({ path: 'tags.additional.environment', rule: 'tags-not-reserved' }),
    ]);
  });

  it('reports shape errors and the rules of untouched sections in the same run', () => {
    const problems = problemsOf(
      exampleInput('prod', {
        workload: 7,
        tags: { owner: 'not an email!' },
        network: {
          publicNetworkAccess: { enabled: true, reason: 'A partner cannot reach our private link.' },
        },
      }),
    );
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['workload', 'tags.owner', 'network.publicNetworkAccess.enabled']),
    );
  });
});

describe('config files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lz-config-'));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads YAML and JSON that follow the schema', () => {
    const json = write('prod.json', JSON.stringify(exampleInput('prod')));
    const [env] = loadEnvironments({ configFiles: [json] });
    expect(env?.name).toBe('prod');
    const yaml = write(
      'dev.yaml',
      'name: dev\nstage: dev\nworkload: genai\nnaming: { prefix: cx }\nregions: { primary: swedencentral }\ntags: { owner: team-a, costCenter: CC-1 }\ngateway:\n  sku: { tier: Developer, capacity: 1 }\n  publisher: { name: Team A, email: team-a@contoso.com }\n  network: public\n  tokenLimit: { tokensPerMinute: 1000 }\n  contentSafety: { enabled: false }\nnetwork:\n  mode: none\n  publicNetworkAccess: { enabled: true, reason: "Developers call it from laptops without VPN." }\n',
    );
    expect(loadEnvironments({ configFiles: [yaml] })[0]?.network.mode).toBe('none');
  });

  it('rejects duplicate keys that JSON.parse would silently drop', () => {
    const file = write('dup.json', '{ "name": "prod", "name": "dev" }');
    expect(() => readConfigFile(file)).toThrow(/line 1, column \d+: invalid JSON: duplicate key/);
  });

  it('rejects a key repeated deep inside a JSON object, or spelt with escapes', () => {
    const input = exampleInput('prod') as unknown as { tenants: Record<string, unknown> };
    const text = JSON.stringify(input, null, 2).replace(
      '"tenants": {',
      '"tenants": {\n    "legal"  \n  : {},',
    );
    expect(() => readConfigFile(write('deep.json', text))).toThrow(
      /line \d+, column \d+: invalid JSON: duplicate key/,
    );
    expect(() => readConfigFile(write('escaped.json', '{ "name": "a", "n\\u0061me": "b" }'))).toThrow(
      /invalid JSON: duplicate key/,
    );
  });

  it('reads JSON as the YAML parser would, braces and quotes inside strings included', () => {
    for (const name of ['dev', 'staging', 'prod'] as const) {
      const text = JSON.stringify({
        ...exampleInput(name),
        description: 'a "quoted" {brace} [list]: \\ done',
      });
      expect(readConfigFile(write(`${name}.json`, text))).toEqual(parseDocument(text).toJS());
    }
  });

  it('rejects duplicate keys in YAML', () => {
    const file = write('dup.yaml', 'name: dev\ntags:\n  owner: a\n  owner: b\n');
    expect(() => readConfigFile(file)).toThrow(/line 4, column 3: invalid YAML: duplicate key/);
  });

  it('says so when the file is missing, malformed or of an unknown type', () => {
    expect(() => readConfigFile(join(dir, 'missing.yaml'))).toThrow(/cannot read the file: file not found/);
    expect(() => readConfigFile(write('broken.json', '{ "name": '))).toThrow(/invalid JSON/);
    expect(() => readConfigFile(write('env.toml', 'name = 1'))).toThrow(
      /expected a \.json, \.yaml or \.yml file/,
    );
  });

  it('reports the problems of every file in one error, and duplicate environment names', () => {
    const a = write('a.json', JSON.stringify(exampleInput('dev', { workload: 'Bad Name' })));
    const b = write('b.json', JSON.stringify(exampleInput('prod', { stage: 'production' })));
    const c = write('c.json', JSON.stringify(exampleInput('dev')));
    const d = write('d.json', JSON.stringify(exampleInput('dev')));
    let error: unknown;
    try {
      loadEnvironments({ configFiles: [a, b, c, d] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/a\.json: workload: workload must start with a lowercase letter/);
    expect(message).toMatch(
      /b\.json: stage: expected "dev" \| "staging" \| "prod" \(received "production"\)/,
    );
    expect(message).toMatch(/d\.json: name: environment name already used by .*c\.json/);
  });

  it('rejects an unknown environment name', () => {
    expect(() => loadEnvironments({ names: ['qa'] })).toThrow(
      /unknown environment; expected one of: dev, staging, prod/,
    );
  });
});
