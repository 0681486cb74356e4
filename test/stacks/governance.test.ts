/**
 * Governance at synth: every stack the project loads passes the rule pack, its suppressions carry a reason and
 * where it was declared (the examples' own lists are pinned in test/examples/governance.test.ts); violations fail
 * synth with the rule, the resource and the fix, suppressions need a reason and a known rule, dev alone may
 * downgrade, and prod protects its data while dev stays easy to tear down.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ref, TerraformStack, Testing } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { describe, expect, it } from 'vitest';
import type { PlanResource } from '../../constructs/shared/plan';
import { MIN_REASON_LENGTH, readPolicyReport, suppressRule } from '../../constructs/shared/policy';
import { FOUNDRY_MANAGED_NETWORK } from '../../constructs/shared/paths';
import { SynthError, synthesizeAtomically } from '../../stacks/synthesize';
import { PlatformStack } from '../../stacks/platform-stack';
import { parseEnvironment } from '../../environments';
import { exampleEnvironment, exampleInput, synthesizeStack, synthEnvironment } from '../helpers/synth';
import { problemsOf } from '../helpers/config';
import { examplesOutput } from '../helpers/examples';

/** Synthesizes a stack as synth does; its policy report and what governance prints. */
function govern(stack: PlatformStack) {
  const { policy, notes } = synthesizeStack(stack);
  return { policy, notes };
}

/**
 * The resources that hold data: vaults, storage accounts and their blob containers, the workspace and the model
 * accounts (Content Safety and Language accounts keep no customer data of ours).
 */
function isStateful(resource: PlanResource): boolean {
  return (
    [
      'azurerm_key_vault',
      'azurerm_storage_account',
      'azurerm_storage_container',
      'azurerm_log_analytics_workspace',
    ].includes(resource.type) ||
    (resource.type === 'azurerm_cognitive_account' &&
      !['ContentSafety', 'TextAnalytics'].includes(String(resource.config['kind'])))
  );
}

/** Every stack the project synthesizes, as the run's synth wrote it (every loaded environment and tenant shard). */
const output = examplesOutput();

describe.each(output.stackIds)('%s, as synth wrote it', (stack) => {
  const policy = readPolicyReport(output, stack);

  it('fails no rule at error level, and has no governance problem and no unused suppression', () => {
    expect(policy.results.filter((r) => r.status === 'fail' && r.level !== 'warning')).toEqual([]);
    expect(policy.problems).toEqual([]);
    expect(policy.unusedSuppressions).toEqual([]);
  });

  it('suppresses only with a reason of at least a sentence and where it was declared', () => {
    for (const result of policy.results.filter((r) => r.status === 'suppressed')) {
      expect(result.origin, result.path).toBeTruthy();
      expect(result.reason?.trim().length ?? 0, `${result.rule} on ${result.path}`).toBeGreaterThanOrEqual(
        MIN_REASON_LENGTH,
      );
      // The network hops Foundry's managed side runs are declared assumptions, always with the one written reason.
      if (result.origin === FOUNDRY_MANAGED_NETWORK.origin) {
        expect(result.rule).toMatch(/^LZ\.Path\.(NameResolution|Route)$/);
        expect(result.reason).toBe(FOUNDRY_MANAGED_NETWORK.reason);
      }
    }
  });

  it('locks and keeps from destroy every stateful resource wherever the environment protects its data', () => {
    const protection = policy.facts['protection'] as
      { deleteLocks?: { enabled: boolean }; preventDestroy?: { enabled: boolean } } | undefined;
    const resources = output.stack(stack).resources;
    const locks = resources.filter(
      (r) => r.type === 'azurerm_management_lock' && r.config['lock_level'] === 'CanNotDelete',
    );
    for (const resource of resources.filter(isStateful)) {
      if (protection?.preventDestroy?.enabled) {
        expect(resource.config['lifecycle'], resource.path).toMatchObject({ prevent_destroy: true });
      }
      // A container is covered by its account's lock (a lock applies to child resources).
      if (protection?.deleteLocks?.enabled && resource.type !== 'azurerm_storage_container') {
        expect(
          locks.filter((l) => l.config['scope'] === `\${${resource.address}.id}`),
          resource.path,
        ).toHaveLength(1);
      }
    }
  });

  it('lets a failure through only as a warning: a check enforced as one, or downgraded where config wrote why', () => {
    const warningChecks = new Set(policy.rules.filter((r) => r.enforcement === 'warning').map((r) => r.id));
    for (const result of policy.results.filter((r) => r.status === 'fail')) {
      expect(result.level, `${result.rule} on ${result.path}`).toBe('warning');
      expect(
        warningChecks.has(result.rule) || Boolean(policy.downgraded[result.rule]),
        `${result.rule} on ${result.path}`,
      ).toBe(true);
    }
  });
});

describe('violations', () => {
  it('fail synth with the rule, the construct path, the address and the fix, and write nothing', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'lz-policy-')), 'cdktf.out');
    const env = exampleEnvironment('prod');
    let error: unknown;
    try {
      synthesizeAtomically([env], outdir, (app, envs) => {
        const stack = new PlatformStack(app, envs[0]!.name, { environment: envs[0]! });
        stack.keyVault.vault.addOverride('purge_protection_enabled', false);
        return [stack];
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SynthError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /\[prod\] prod\/KeyVault\/Vault: \[LZ\.KeyVault\.PurgeProtection\] Key Vaults have purge protection: purge_protection_enabled is not true \(azurerm_key_vault\.KeyVault_[0-9A-F]+\)\. Fix: Set purge_protection_enabled = true/,
    );
    expect(message).toContain('CKV_AZURE_110');
    expect(existsSync(outdir)).toBe(false);
  });

  it('include a reference that names nothing of the plan', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'lz-policy-')), 'cdktf.out');
    const env = exampleEnvironment('dev');
    expect(() =>
      synthesizeAtomically([env], outdir, (app, envs) => {
        const stack = new PlatformStack(app, envs[0]!.name, { environment: envs[0]! });
        // A Terraform expression (a token): config text with `${…}` would be escaped into a literal.
        stack.keyVault.vault.addOverride('tags.elsewhere', ref('azurerm_resource_group.Missing.id'));
        return [stack];
      }),
    ).toThrow(
      /\[dev\] dev\/KeyVault\/Vault: \[LZ\.Plan\.References\] .*refers to what the plan does not have: \$\{azurerm_resource_group\.Missing\.id\}/,
    );
    expect(existsSync(outdir)).toBe(false);
  });

  it('include a reference to another stack, which the platform stack does not prepare', () => {
    // The platform stack skips cdktf's preparing pass (it reads no other stack); the plan check is the safety net.
    const outdir = join(mkdtempSync(join(tmpdir(), 'lz-policy-')), 'cdktf.out');
    expect(() =>
      synthesizeAtomically([exampleEnvironment('dev')], outdir, (app, envs) => {
        const stack = new PlatformStack(app, envs[0]!.name, { environment: envs[0]! });
        const other = new TerraformStack(app, 'other');
        new AzurermProvider(other, 'azurerm', { features: [{}] });
        const group = new ResourceGroup(other, 'Group', { name: 'rg-other', location: 'swedencentral' });
        stack.keyVault.vault.addOverride('tags.elsewhere', group.id);
        return [stack];
      }),
    ).toThrow(
      /\[dev\] dev\/KeyVault\/Vault: \[LZ\.Plan\.References\] .*refers to what the plan does not have: \$\{azurerm_resource_group\.Group\.id\}/,
    );
    expect(existsSync(outdir)).toBe(false);
  });

  it('are warnings in dev when config downgrades the rule, with its reason', () => {
    const env = exampleEnvironment('dev', {
      governance: {
        downgradeToWarning: {
          'LZ.KeyVault.SoftDelete': 'Experimenting with a short retention in the sandbox this week.',
        },
      },
    });
    const app = Testing.app();
    const stack = new PlatformStack(app, 'dev', { environment: env });
    stack.keyVault.vault.addOverride('soft_delete_retention_days', 3);
    const { policy, notes } = govern(stack);
    expect(policy.results.find((r) => r.rule === 'LZ.KeyVault.SoftDelete')).toMatchObject({
      status: 'fail',
      level: 'warning',
    });
    expect(notes).toContainEqual({
      level: 'warning',
      path: 'dev/KeyVault/Vault',
      message: expect.stringMatching(/Downgraded to a warning: Experimenting with a short retention/),
    });
    expect(notes.filter((n) => n.level === 'error')).toEqual([]);
  });

  it.each(['staging', 'prod'] as const)('cannot be downgraded in %s', (name) => {
    expect(
      problemsOf(
        exampleInput(name, {
          governance: {
            downgradeToWarning: { 'LZ.KeyVault.SoftDelete': 'We would rather not fix this today, honestly.' },
          },
        }),
      ),
    ).toEqual([
      expect.objectContaining({
        path: 'governance.downgradeToWarning["LZ.KeyVault.SoftDelete"]',
        rule: 'governance-downgrade-dev-only',
      }),
    ]);
  });
});

describe('suppressions', () => {
  it('from config name a known rule and carry a sentence', () => {
    const problems = problemsOf(
      exampleInput('staging', {
        governance: {
          suppressions: [
            {
              rule: 'LZ.KeyVault.Nope',
              resource: 'KeyVault/Vault',
              reason: 'A perfectly good reason for it.',
            },
            { rule: 'LZ.KeyVault.Firewall', resource: 'KeyVault/Vault', reason: 'short' },
          ],
        },
      }),
    );
    expect(problems.map((p) => p.path)).toEqual([
      'governance.suppressions[0].rule',
      'governance.suppressions[1].reason',
    ]);
    expect(problems[0]!.message).toMatch(/unknown policy rule/);
  });

  it('from config may name a plan check or a data-path rule, and an unknown one is an error at its path', () => {
    const suppression = (rule: string) => ({
      rule,
      resource: 'Network/Vnet',
      reason: 'A perfectly good reason for it.',
    });
    const problems = problemsOf(
      exampleInput('dev', {
        governance: {
          suppressions: [
            suppression('LZ.Path.Route'),
            suppression('LZ.Plan.References'),
            suppression('LZ.Path.Rout'),
          ],
          downgradeToWarning: {
            'LZ.Path.NameResolution': 'The hub resolves these names; we check it there.',
            'LZ.Path.Nope': 'The hub resolves these names; we check it there.',
          },
        },
      }),
    );
    expect(problems.map((p) => p.path)).toEqual([
      'governance.downgradeToWarning["LZ.Path.Nope"]',
      'governance.suppressions[2].rule',
    ]);
  });

  it('that name no resource, a rule that does not apply, or a short reason in code fail synth with their path', () => {
    const env = exampleEnvironment('staging', {
      governance: {
        suppressions: [
          {
            rule: 'LZ.KeyVault.Firewall',
            resource: 'KeyVault/Nothing',
            reason: 'The firewall is managed by the hub team.',
          },
          {
            rule: 'LZ.Storage.MinTls',
            resource: 'KeyVault/Vault',
            reason: 'Old clients still need TLS 1.0 here.',
          },
        ],
      },
    });
    const app = Testing.app();
    const stack = new PlatformStack(app, 'staging', { environment: env });
    suppressRule(stack.promptLibrary.account, 'LZ.Storage.MinTls', 'because');
    suppressRule(stack.promptLibrary.account, 'LZ.Nope' as never, 'A reason that is long enough to read.');
    const { policy, notes } = govern(stack);
    expect(policy.problems.map((p) => `${p.path ?? '(stack)'}: ${p.message}`)).toEqual([
      'PromptLibrary/Account: suppression of LZ.Storage.MinTls on PromptLibrary/Account: the reason must be at least a sentence (20 characters or more)',
      'PromptLibrary/Account: suppression of LZ.Nope on PromptLibrary/Account: unknown rule "LZ.Nope"; expected a rule id of the pack (see policy.json)',
      '(stack): governance.suppressions[0] of LZ.KeyVault.Firewall on KeyVault/Nothing: no resource has the construct path "KeyVault/Nothing"',
      'KeyVault/Vault: governance.suppressions[1] of LZ.Storage.MinTls on KeyVault/Vault: the rule does not apply to azurerm_key_vault; expected one of azurerm_storage_account',
    ]);
    expect(
      notes.filter((n) => n.level === 'error' && n.path === 'staging/PromptLibrary/Account'),
    ).toHaveLength(2);
  });

  it('that are not needed are reported as warnings', () => {
    const env = exampleEnvironment('staging', {
      governance: {
        suppressions: [
          {
            rule: 'LZ.KeyVault.Firewall',
            resource: 'KeyVault/Vault',
            reason: 'The firewall is managed by the hub team.',
          },
        ],
      },
    });
    const stack = new PlatformStack(Testing.app(), 'staging', { environment: env });
    const { policy, notes } = govern(stack);
    expect(policy.unusedSuppressions).toEqual([
      expect.objectContaining({ rule: 'LZ.KeyVault.Firewall', origin: 'governance.suppressions[0]' }),
    ]);
    expect(notes).toContainEqual({
      level: 'warning',
      path: 'staging/KeyVault/Vault',
      message: expect.stringMatching(/unused suppression of LZ.KeyVault.Firewall/),
    });
  });
});

describe('data protection', () => {
  it('cannot be turned off in prod', () => {
    expect(
      problemsOf(
        exampleInput('prod', {
          protection: {
            deleteLocks: { enabled: false, reason: 'Locks get in the way of our release process.' },
          },
        }),
      ),
    ).toEqual([
      expect.objectContaining({ path: 'protection.deleteLocks.enabled', rule: 'prod-data-protection' }),
    ]);
    expect(parseEnvironment(exampleInput('staging'), 'staging').protection).toEqual({
      deleteLocks: { enabled: true },
      preventDestroy: { enabled: true },
    });
  });
});

describe('policy.json', () => {
  it('is written next to each plan and lists every rule × resource result', () => {
    const written = readPolicyReport(examplesOutput(), 'dev');
    expect(written).toMatchObject({ version: 1, stack: 'dev', facts: { stage: 'dev' } });
    expect(written.rules.length).toBeGreaterThan(60);
    expect(written.results.every((r: { status: string }) => ['pass', 'suppressed'].includes(r.status))).toBe(
      true,
    );
  });

  it.each(['dev', 'staging', 'prod'] as const)(
    'holds for %s exactly what the tests evaluate: one evaluation, on the plan synth wrote',
    (name) => {
      const synth = synthEnvironment(exampleEnvironment(name));
      expect(readPolicyReport(examplesOutput(), name)).toEqual(synth.policy);
      expect(examplesOutput().stack(name).resources).toEqual(synth.plan.resources);
    },
  );
});
