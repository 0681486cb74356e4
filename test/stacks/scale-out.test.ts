/**
 * Tenant shards: a stable assignment, tenants in their own stacks with their own state, and cross-stack references
 * that resolve. The 1,000-tenant layout runs in `npm run bench` (one synth of ~10–15 s); here a smaller count proves
 * the same properties.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../environments';
import { shardStackId } from '../../environments/stack-ids';
import { jumpHash, shardOfSlug, tenantShardPlan } from '../../environments/sections/tenant-shards';
import { tenantsIn } from '../../environments/sections/tenants';
import { readPolicyReport } from '../../constructs/shared/policy';
import { checkCrossStackReferences } from '../../scripts/lib/cross-stack';
import { environmentWithTenants } from '../../scripts/lib/generate';
import { synthApp } from '../helpers/app';
import { problemsOf } from '../helpers/config';
import { exampleEnvironment, exampleInput, synthEnvironment } from '../helpers/synth';

const slugs = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `t${String(from + i).padStart(4, '0')}`);

describe('shard assignment', () => {
  it('is the jump consistent hash (reference vectors) of a SHA-256 key of the slug, pinned by these values', () => {
    expect([jumpHash(1n, 1), jumpHash(42n, 57), jumpHash(0xdead10ccn, 666), jumpHash(256n, 1024)]).toEqual([
      0, 43, 361, 520,
    ]);
    // A change here would move every tenant of every sharded environment: it needs a state migration, not a commit.
    const four = { count: 4, pins: {} };
    expect(['legal', 'marketing', 'research', 'pilot'].map((s) => shardOfSlug(s, four))).toEqual([
      2, 4, 2, 1,
    ]);
  });

  it('never moves a tenant when others are added or removed', () => {
    const shards = { count: 8, pins: {} };
    const before = new Map(slugs(500).map((s) => [s, shardOfSlug(s, shards)]));
    const grown = slugs(1000).filter((_, i) => i % 7 !== 3); // add 500, drop some
    for (const s of grown.filter((s) => before.has(s))) expect(shardOfSlug(s, shards)).toBe(before.get(s));
  });

  it('moves only tenants into the new shard when the count grows, about 1/count of them', () => {
    const all = slugs(1000);
    const moved = all.filter(
      (s) => shardOfSlug(s, { count: 8, pins: {} }) !== shardOfSlug(s, { count: 9, pins: {} }),
    );
    for (const s of moved) expect(shardOfSlug(s, { count: 9, pins: {} })).toBe(9);
    expect(moved.length).toBeGreaterThan(1000 / 9 - 40);
    expect(moved.length).toBeLessThan(1000 / 9 + 40);
  });

  it('spreads tenants evenly and lets a pin override the hash', () => {
    const counts = new Array(8).fill(0);
    for (const s of slugs(1000)) counts[shardOfSlug(s, { count: 8, pins: {} }) - 1] += 1;
    expect(Math.min(...counts)).toBeGreaterThan(90);
    expect(Math.max(...counts)).toBeLessThan(160);
    expect(shardOfSlug('legal', { count: 4, pins: { legal: 3 } })).toBe(3);
  });

  it('is checked by the schema: pins name tenants and shards that exist, and no shard exceeds its size', () => {
    const base = exampleInput('prod');
    expect(
      problemsOf({ ...base, tenantShards: { count: 2, pins: { nobody: 1, legal: 3 } } }).map(
        (p) => p.message,
      ),
    ).toEqual([
      'no tenant "nobody" in the registry; expected the slug of a tenant',
      'shard 3 does not exist with tenantShards.count 2; expected 1–2',
    ]);
    // Whatever tenants the registry holds: one shard one tenant too small for them.
    const tenants = tenantsIn(exampleEnvironment('prod')).length;
    const crowded = problemsOf({ ...base, tenantShards: { count: 1, maxTenantsPerShard: tenants - 1 } });
    expect(crowded).toEqual([
      expect.objectContaining({
        path: 'tenantShards.maxTenantsPerShard',
        rule: 'tenant-shards-fit',
        message: expect.stringMatching(
          new RegExp(
            `^shard 1 \\(prod-tenants-1\\) would hold ${tenants} tenants, more than ${tenants - 1}; expected a larger count`,
          ),
        ),
      }),
    ]);
    expect(problemsOf({ ...exampleInput('dev'), name: 'x-tenants-2' }).map((p) => p.rule)).toContain(
      'environment-name-not-a-shard-id',
    );
  });
});

describe('sharded layout', () => {
  const env = parseEnvironment({ ...environmentWithTenants(48), tenantShards: { count: 3 } }, 'test');
  const app = synthApp([env]);
  const plan = tenantShardPlan(env)!;

  it('synthesizes the platform stack and one stack per shard, each after the platform and with its own state', () => {
    expect(app.stackIds).toEqual(['prod', 'prod-tenants-1', 'prod-tenants-2', 'prod-tenants-3']);
    for (const n of [1, 2, 3]) {
      const id = shardStackId('prod', n);
      expect(app.manifest.stacks[id]!.dependencies).toEqual(['prod']);
      expect(app.stack(id).json.terraform?.['backend']).toEqual({
        azurerm: expect.objectContaining({ container_name: 'tfstate-prod', key: `${id}.tfstate` }),
      });
    }
    expect(app.stack('prod').json.terraform?.['backend']).toEqual({
      azurerm: expect.objectContaining({ key: 'prod.tfstate' }),
    });
  });

  it('keeps every tenant resource out of the platform stack and in its own shard only', () => {
    expect(app.stack('prod').resources.filter((r) => /^Tenants_/.test(r.name))).toEqual([]);
    // the platform stack keeps only its own containers (published prompts, evaluation datasets), no tenant's
    expect(
      app
        .stack('prod')
        .byType('azurerm_storage_container')
        .map((r) => r.path)
        .sort(),
    ).toEqual(['PromptLibrary/PlatformContainers/evaluation', 'PromptLibrary/PlatformContainers/prompts']);
    for (const [n, members] of plan) {
      const owners = new Set(
        app
          .stack(shardStackId('prod', n))
          .resources.map((r) => /^Tenants_([a-z0-9-]+?)_/.exec(r.name)?.[1])
          .filter((s) => s !== undefined),
      );
      expect([...owners].sort()).toEqual([...members].sort());
    }
  });

  it('resolves every cross-stack reference: remote state of the platform backend, outputs that exist', () => {
    const report = checkCrossStackReferences(app.outdir);
    expect(report.problems).toEqual([]);
    expect(report.remoteStates).toBe(3);
    expect(report.outputsRead).toBeGreaterThan(10);
    const remote = app.stack('prod-tenants-1').json.data?.['terraform_remote_state'];
    expect(remote).toEqual({
      'cross-stack-reference-input-prod': {
        backend: 'azurerm',
        config: (app.stack('prod').json.terraform?.['backend'] as Record<string, unknown>)['azurerm'],
        workspace: '${terraform.workspace}',
      },
    });
  });

  it('runs the rule pack on every shard, through the cross-stack references, with no failure', () => {
    const diagnosed: string[] = [];
    for (const n of [1, 2, 3]) {
      const report = readPolicyReport(app, shardStackId('prod', n));
      expect(report.problems).toEqual([]);
      expect(report.results.filter((r) => r.status === 'fail')).toEqual([]);
      // A dedicated tenant's private endpoint is checked against the platform's DNS zones, across stacks.
      expect(report.results).toContainEqual(
        expect.objectContaining({ rule: 'LZ.PrivateEndpoint.DnsZoneGroup', status: 'pass' }),
      );
      diagnosed.push(
        ...report.results
          .filter((r) => r.rule === 'LZ.Monitor.ResourceDiagnostics' && r.status === 'pass')
          .map((r) => r.address),
      );
    }
    // A tenant's account sends its logs to the platform's workspace, read through the platform stack's outputs.
    expect(diagnosed).toContainEqual(expect.stringMatching(/^azurerm_cognitive_account\.Tenants_/));
  });

  it('resolves a reference to the platform stack to the resource behind its output', () => {
    const shard = [1, 2, 3]
      .map((n) => app.stack(shardStackId('prod', n)))
      .find((s) => s.byType('azurerm_monitor_diagnostic_setting').length > 0)!;
    const setting = shard.byType('azurerm_monitor_diagnostic_setting')[0]!;
    expect(String(setting.config['log_analytics_workspace_id'])).toMatch(
      /^\$\{data\.terraform_remote_state\./,
    );
    expect(shard.resolve(setting.config['log_analytics_workspace_id'])).toMatchObject({
      stack: 'prod',
      type: 'azurerm_log_analytics_workspace',
    });
    const target = shard.resolve(setting.config['target_resource_id'])!;
    expect(target.stack).toBe(shard.name);
    expect(shard.references(setting).map((r) => `${r.stack} ${r.type}`)).toEqual(
      expect.arrayContaining(['prod azurerm_log_analytics_workspace', `${shard.name} ${target.type}`]),
    );
    expect(shard.referrers(target)).toContain(setting);
  });

  it('reports a remote state that reads a missing output', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'lz-xref-')), 'cdktf.out');
    cpSync(app.outdir, dir, { recursive: true });
    const file = join(dir, app.manifest.stacks['prod']!.synthesizedStackPath);
    const { output, ...json } = app.stack('prod').json;
    const [first, ...rest] = Object.keys(output ?? {});
    writeFileSync(
      file,
      JSON.stringify({ ...json, output: Object.fromEntries(rest.map((k) => [k, output![k]])) }),
    );
    expect(checkCrossStackReferences(dir).problems[0]).toMatch(
      new RegExp(`^prod-tenants-\\d: reads output ${first}, which prod does not have$`),
    );
  });
});

describe('tenant addresses across layouts', () => {
  const sharded = exampleEnvironment('prod', { tenantShards: { count: 2 } });
  const app = synthApp([sharded]);

  it("keeps a tenant's addresses when it moves into a shard, except its container (moved with the tenant)", () => {
    const unsharded = synthEnvironment(exampleEnvironment('prod'));
    const tenantIds = (ids: string[]) => ids.filter((id) => /^Tenants_/.test(id)).sort();
    const before = tenantIds(unsharded.resources().map((r) => r.name));
    const after = tenantIds(
      [1, 2].flatMap((n) => app.stack(shardStackId('prod', n)).resources.map((r) => r.name)),
    );
    const containers = after.filter((id) => /_Container_/.test(id));
    expect(after.filter((id) => !containers.includes(id))).toEqual(before);
    expect(containers.length).toBe(tenantsIn(sharded).length);
  });

  it("routes a config suppression of a tenant's resource to that tenant's shard", () => {
    const suppressed = synthApp([
      exampleEnvironment('prod', {
        tenantShards: { count: 2 },
        governance: {
          suppressions: [
            {
              rule: 'LZ.KeyVault.PurgeProtection',
              resource: 'Tenants/research/KeyVault/Vault',
              reason: 'A test: the suppression must reach the stack that holds the vault.',
            },
          ],
        },
      }),
    ]);
    const home = shardStackId('prod', shardOfSlug('research', { count: 2, pins: {} }));
    const report = readPolicyReport(suppressed, home);
    // The rule passes there, so the suppression is reported as unused: it arrived, and nowhere else.
    expect(report.unusedSuppressions).toEqual([
      expect.objectContaining({
        rule: 'LZ.KeyVault.PurgeProtection',
        path: 'Tenants/research/KeyVault/Vault',
      }),
    ]);
  });

  it('changes no other shard, not even its policy.json, when a dedicated tenant is removed', () => {
    const input = exampleInput('prod', { tenantShards: { count: 2 } });
    const { research: _removed, ...others } = input.tenants!;
    const shrunk = synthApp([parseEnvironment({ ...input, tenants: others }, 't')]);
    const home = shardStackId('prod', shardOfSlug('research', { count: 2, pins: {} }));
    const untouched = ['prod-tenants-1', 'prod-tenants-2'].filter((id) => id !== home);
    expect(untouched.length).toBe(1);
    for (const id of untouched) {
      for (const file of ['cdk.tf.json', 'policy.json']) {
        expect(readFileSync(join(shrunk.outdir, 'stacks', id, file), 'utf8')).toBe(
          readFileSync(join(app.outdir, 'stacks', id, file), 'utf8'),
        );
      }
    }
    // The environment's quota plan (shared and dedicated capacity together) is the platform stack's to report.
    const quota = (dir: string, id: string) =>
      (
        JSON.parse(readFileSync(join(dir, 'stacks', id, 'policy.json'), 'utf8')) as {
          facts: Record<string, unknown>;
        }
      ).facts;
    expect(quota(app.outdir, 'prod')['quota']).not.toEqual(quota(shrunk.outdir, 'prod')['quota']);
    expect(quota(app.outdir, home)).toMatchObject({ platformStack: 'prod' });
    expect(quota(app.outdir, home)).not.toHaveProperty('quota');
  });

  it('changes no other shard when a tenant is added', () => {
    const input = exampleInput('prod', { tenantShards: { count: 2 } });
    const added = structuredClone(input.tenants!['legal']!);
    const grown = synthApp([
      parseEnvironment(
        { ...input, tenants: { ...input.tenants, newco: { ...added, displayName: 'Newco' } } },
        't',
      ),
    ]);
    const home = shardStackId('prod', shardOfSlug('newco', { count: 2, pins: {} }));
    for (const id of ['prod-tenants-1', 'prod-tenants-2'].filter((id) => id !== home)) {
      expect(readFileSync(join(grown.outdir, 'stacks', id, 'cdk.tf.json'), 'utf8')).toBe(
        readFileSync(join(app.outdir, 'stacks', id, 'cdk.tf.json'), 'utf8'),
      );
    }
  });
});
