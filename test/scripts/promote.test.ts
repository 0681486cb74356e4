/**
 * The promotion guard on real synthesized plans: the examples promote cleanly, and each way a promotion can be
 * unsafe blocks it with a readable finding. Fixtures are example configs with small patches, synthesized into
 * temporary directories.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_ENVIRONMENTS, type EnvironmentInput, parseEnvironment } from '../../environments';
import { POLICY_REPORT_FILE } from '../../constructs/shared/policy';
import {
  allocationCheck,
  allocationGrowth,
  crossEnvironmentCheck,
  type PromotionCheck,
  type PromotionSide,
  promotionReport,
  readSide,
  renderPromotion,
} from '../../scripts/lib/promote';
import { policyDifferences } from '../../scripts/lib/policy-diff';
import { synthesizeAtomically } from '../../stacks/synthesize';
import { runCommand } from '../helpers/run';
import { main as promote } from '../../scripts/promote';
import { examplesOutdir } from '../helpers/examples';
import { exampleInput } from '../helpers/synth';

interface Fixture {
  readonly dir: string;
  readonly outdir: string;
  readonly configs: string[];
  check(id: PromotionCheck['id']): PromotionCheck;
  report(): ReturnType<typeof promotionReport>;
}

/** staging and prod (patched) as config files, synthesized together into a temporary cdktf.out. */
function fixture(prodPatch: unknown): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'lz-promote-'));
  const inputs = { staging: exampleInput('staging'), prod: exampleInput('prod', prodPatch) };
  const configs = Object.entries(inputs).map(([name, input]) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(input));
    return file;
  });
  const envs = Object.entries(inputs).map(([name, input]) => ({
    env: parseEnvironment(input, join(dir, `${name}.json`)),
    source: `${name}.json`,
  }));
  const outdir = join(dir, 'cdktf.out');
  synthesizeAtomically(
    envs.map((e) => e.env),
    outdir,
  );
  const report = () => promotionReport(readSide(envs[0]!, outdir), readSide(envs[1]!, outdir));
  return {
    dir,
    outdir,
    configs,
    report,
    check: (id) => report().checks.find((c) => c.id === id)!,
  };
}

/** The shipped staging and prod, from the examples that the global setup synthesized. */
function examples(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'lz-promote-'));
  const configs = (['staging', 'prod'] as const).map((name) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(exampleInput(name)));
    return file;
  });
  const outdir = examplesOutdir();
  const report = () => promotionReport(readSide(side('staging'), outdir), readSide(side('prod'), outdir));
  return { dir, outdir, configs, report, check: (id) => report().checks.find((c) => c.id === id)! };
}

/** A side of the guard from a config alone (`plans` empty): for the checks that read config only. */
function side(name: 'staging' | 'prod', input: EnvironmentInput = exampleInput(name)): PromotionSide {
  return { env: parseEnvironment(input, `${name}.json`), source: `${name}.json`, plans: [], rulePack: [] };
}

/** The shipped staging against a patched prod, synthesized alone into a temporary cdktf.out. */
function againstPatchedProd(prodPatch: unknown): Pick<Fixture, 'report' | 'check'> {
  const prod = side('prod', exampleInput('prod', prodPatch));
  const outdir = join(mkdtempSync(join(tmpdir(), 'lz-promote-')), 'cdktf.out');
  synthesizeAtomically([prod.env], outdir);
  const report = () => promotionReport(readSide(side('staging'), examplesOutdir()), readSide(prod, outdir));
  return { report, check: (id) => report().checks.find((c) => c.id === id)! };
}

const clean = examples();
const noShield = fixture({ gateway: { contentSafety: { shieldPrompt: false } } });

/** A copy of a fixture's output, to break without touching the shared one. */
function copyOf(f: Fixture): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'lz-promote-copy-'));
  const outdir = join(dir, 'cdktf.out');
  cpSync(f.outdir, outdir, { recursive: true });
  const side = (name: string) => ({
    env: parseEnvironment(
      JSON.parse(
        readFileSync(
          f.configs.find((c) => c.endsWith(`${name}.json`))!,
          'utf8',
        ),
      ),
      name,
    ),
    source: `${name}.json`,
  });
  const report = () => promotionReport(readSide(side('staging'), outdir), readSide(side('prod'), outdir));
  return {
    dir,
    outdir,
    configs: f.configs,
    report,
    check: (id) => report().checks.find((c) => c.id === id)!,
  };
}

describe('promotion guard', () => {
  it('allows the shipped staging → prod: per-environment values differ, behaviour does not', () => {
    const report = clean.report();
    expect(report.checks.map((c) => [c.id, c.passed])).toEqual([
      ['models', true],
      ['gateway-policies', true],
      ['rule-pack', true],
      ['allocations', true],
      ['cross-environment', true],
    ]);
    expect(report.passed).toBe(true);
    const text = renderPromotion(report);
    expect(text).toMatch(/^## Promotion staging → prod: allowed\n/);
    expect(text).toMatch(
      /\| gateway policies \| pass \| \d+ polic(y|ies) behaves? the same; only per-environment values differ[^|]*\|/,
    );
    // Every tenant that gets more in prod names who approved it, whatever the registry holds.
    expect(text).toMatch(/^- [a-z0-9-]+: .*: approved by \S+@\S+ \(\S+\)$/m);
  });

  it('exits 0 on a clean promotion and prints the report', () => {
    const result = runCommand(promote, [
      '--from',
      'staging',
      '--to',
      'prod',
      '--outdir',
      clean.outdir,
      ...clean.configs.flatMap((c) => ['--config', c]),
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^## Promotion staging → prod: allowed/);
  });

  it('allows a sharded prod after an unsharded staging: policies are compared by construct path', () => {
    const sharded = againstPatchedProd({ tenantShards: { count: 2 } });
    expect(sharded.report().checks.filter((c) => !c.passed)).toEqual([]);
  });

  it('blocks a model version that staging does not run, and one that upgrades itself only in prod', () => {
    const f = againstPatchedProd({
      endpoints: {
        accounts: {
          germanywestcentral: { deployments: { 'gpt-4o-mini': { model: { version: '2025-01-01' } } } },
          francecentral: { deployments: { 'gpt-4o': { versionUpgrade: 'OnceNewDefaultVersionAvailable' } } },
        },
      },
    });
    const check = f.check('models');
    expect(check.passed).toBe(false);
    expect(check.details).toEqual([
      '- prod: AiEndpoints/francecentral/Deployments/gpt-4o: gpt-4o 2024-11-20 moves to each new default version (OnceNewDefaultVersionAvailable), which staging never does for gpt-4o; pin it (versionUpgrade)',
      '- prod: AiEndpoints/germanywestcentral/Deployments/gpt-4o-mini: **gpt-4o-mini 2025-01-01**, which staging does not run',
    ]);
    expect(
      f
        .report()
        .checks.filter((c) => !c.passed)
        .map((c) => c.id),
    ).toEqual(['models']);
  });

  it('blocks gateway policies that differ beyond per-environment values, and shows the difference', () => {
    const check = noShield.check('gateway-policies');
    expect(check.passed).toBe(false);
    // The API policy, and every tenant's product policy: the shield setting reaches each request's one check.
    expect(check.summary).toMatch(/^\d+ policies differ beyond per-environment values$/);
    const text = check.details.join('\n');
    expect(text).toContain('`Gateway/InferenceApi/Policy` (azurerm_api_management_api_policy)');
    expect(text).toMatch(
      /`Tenants\/[a-z0-9-]+\/Access\/ProductPolicy` \(azurerm_api_management_product_policy\)/,
    );
    expect(text).toContain(
      '  -     <llm-content-safety backend-id="‹per environment›" shield-prompt="true">',
    );
    expect(text).toContain(
      '  +     <llm-content-safety backend-id="‹per environment›" shield-prompt="false">',
    );
  });

  it('reads the rule pack results synth writes next to each plan', () => {
    expect(clean.check('rule-pack').summary).toMatch(/^\d+ results in 2 stacks, no failure$/);
  });

  it('blocks when the rule pack fails or did not run, and names the rule', () => {
    const f = copyOf(clean);
    writeFileSync(
      join(f.outdir, 'stacks', 'prod', POLICY_REPORT_FILE),
      JSON.stringify({
        version: 1,
        stack: 'prod',
        rules: [],
        results: [
          {
            rule: 'LZ.KeyVault.PurgeProtection',
            address: 'azurerm_key_vault.KeyVault_DE550064',
            path: 'KeyVault/Vault',
            status: 'fail',
            level: 'error',
            detail: 'purge_protection_enabled is false',
          },
        ],
        problems: [],
      }),
    );
    rmSync(join(f.outdir, 'stacks', 'staging', 'policy.json'));
    const check = f.check('rule-pack');
    expect(check.passed).toBe(false);
    expect(check.details).toEqual([
      `- staging: ${join(f.outdir, 'stacks', 'staging', 'policy.json')} is missing: this synth did not run the rule pack, which writes policy.json next to each plan; synth with the rule pack and run the guard again`,
      '- prod: [LZ.KeyVault.PurgeProtection] KeyVault/Vault: purge_protection_enabled is false',
    ]);
  });

  it('blocks a tenant allocation that grows without an approval, new tenants included', () => {
    const input = exampleInput('prod');
    const tenants = structuredClone(input.tenants!) as Record<string, Record<string, unknown>>;
    const legal = tenants['legal']!['allocations'] as Record<string, Record<string, unknown>>;
    delete legal['prod']!['approval'];
    tenants['newco'] = {
      ...structuredClone(tenants['legal']!),
      displayName: 'Newco',
      allocations: {
        dev: 'none',
        staging: 'none',
        prod: { tokensPerMinute: 1000, monthlyTokenQuota: 100000 },
      },
    };
    // The check reads config only.
    const check = allocationCheck(side('staging'), side('prod', { ...input, tenants } as EnvironmentInput));
    expect(check.passed).toBe(false);
    expect(check.summary).toBe('2 tenants grow without approval');
    expect(check.details.slice(0, 2)).toEqual([
      '- legal: tokensPerMinute 20,000 → 60,000; monthlyTokenQuota 10,000,000 → 150,000,000 without approval; add `tenants.legal.allocations.prod.approval: { approvedBy, reference }`',
      '- newco: new: 1,000 tokens/min, 100,000 tokens/month without approval; add `tenants.newco.allocations.prod.approval: { approvedBy, reference }`',
    ]);
  });

  it('counts growth per quantity, dedicated capacity by model and type, and never a shrink', () => {
    const base = { tokensPerMinute: 100, monthlyTokenQuota: 1000 };
    expect(allocationGrowth(base, { ...base, tokensPerMinute: 50 })).toEqual([]);
    expect(allocationGrowth('none', base)).toEqual(['new: 100 tokens/min, 1,000 tokens/month']);
    const deployment = (capacity: number) => ({
      dedicated: {
        accounts: {
          swedencentral: {
            deployments: {
              'gpt-4o': {
                model: { name: 'gpt-4o', format: 'OpenAI', version: '2024-11-20' },
                type: 'GlobalStandard',
                capacity,
                contentFilter: 'standard',
              },
            },
          },
        },
      },
    });
    expect(
      allocationGrowth({ ...base, ...deployment(10) } as never, { ...base, ...deployment(20) } as never),
    ).toEqual(['dedicated gpt-4o GlobalStandard 10 → 20']);
  });

  it('runs the cross-environment rules on the pair', () => {
    // The check reads config only.
    const check = crossEnvironmentCheck(
      side('staging'),
      side(
        'prod',
        exampleInput('prod', {
          endpoints: {
            contentFilters: { strict: { categories: { hate: { prompt: 'Medium', completion: 'Medium' } } } },
          },
        }),
      ),
    );
    expect(check.passed).toBe(false);
    expect(check.details[0]).toMatch(
      /^- prod\.json: endpoints\.contentFilters\.strict: prod must be at least as strict as staging .*\[rule prod-filters-at-least-as-strict-as-staging\]$/,
    );
  });

  it('exits 1 with the report when blocked', () => {
    const f = noShield;
    const result = runCommand(promote, [
      '--from',
      'staging',
      '--to',
      'prod',
      '--outdir',
      f.outdir,
      ...f.configs.flatMap((c) => ['--config', c]),
    ]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^## Promotion staging → prod: blocked \(1 of 6 checks fail\)/);
  });

  it.each([
    [
      ['--from', 'staging', '--to', 'qa'],
      1,
      `unknown environment "qa" for --to; expected one of: ${Object.keys(EXAMPLE_ENVIRONMENTS).join(', ')}.`,
    ],
    [['--from', 'prod', '--to', 'prod'], 1, '--from and --to are both "prod"; expected two environments.'],
    [
      ['--from', 'staging', '--to', 'prod', '--outdir', '/nonexistent/cdktf.out'],
      1,
      '/nonexistent/cdktf.out has no manifest.json: run `npm run synth` first.',
    ],
    [['--to', 'prod'], 2, '--from and --to are required.'],
  ])('refuses %j in one sentence', (args, status, message) => {
    const result = runCommand(promote, args);
    expect(result.status).toBe(status);
    expect(result.stderr.split('\n')[0]).toBe(message);
    expect(result.stdout).toBe('');
  });
});

describe('policy comparison', () => {
  const policy = (body: string) => `<policies><inbound><base />${body}</inbound></policies>`;

  it('ignores declared per-environment values and routes only the source environment has', () => {
    const route = (m: string) =>
      `<when condition="@((string)context.Variables[&quot;deployment-id&quot;] == &quot;${m}&quot;)"><set-backend-service backend-id="pool-${m}" /></when>`;
    const staging = policy(
      `<choose>${route('a')}${route('b')}</choose><llm-token-limit tokens-per-minute="10" token-quota-period="Monthly" /><retry count="1" />`,
    );
    const prod = policy(
      `<choose>${route('a')}</choose><llm-token-limit tokens-per-minute="99" token-quota-period="Monthly" /><retry count="2" />`,
    );
    expect(policyDifferences(staging, prod, 'p')).toEqual([]);
  });

  it('reports a route only the target environment has, and a changed switch', () => {
    const staging = policy('<llm-token-limit token-quota-period="Monthly" />');
    const prod = policy(
      '<choose><when condition="@((string)context.Variables[&quot;deployment-id&quot;] == &quot;new&quot;)"><set-backend-service backend-id="x" /></when></choose><llm-token-limit token-quota-period="Daily" />',
    );
    const diff = policyDifferences(staging, prod, 'p');
    expect(diff.filter((l) => l.startsWith('+'))).toHaveLength(4);
    expect(diff).toContain('-     <llm-token-limit token-quota-period="Monthly">');
    expect(diff).toContain('+     <llm-token-limit token-quota-period="Daily">');
  });
});
