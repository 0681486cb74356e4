/**
 * Run-time guardrails: the built-in Azure Policy assignments and exemptions mirror the rule pack and its suppressions.
 * The expectations are computed from the catalog and the policy report of each environment the project loads, never
 * pinned: a new mapped rule or a new suppression must show up as an assignment or an exemption.
 */
import { describe, expect, it } from 'vitest';
import { assignmentEffect, BUILT_IN_POLICIES, policyDefinitionId } from '../../constructs/shared/catalog';
import { isPolicyRuleId, ruleById } from '../../constructs/shared/policy';
import { loadEnvironments, parseEnvironment } from '../../environments';
import { problemsOf } from '../helpers/config';
import { exampleEnvironment, exampleInput, synthEnvironment, type Synthesized } from '../helpers/synth';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAPPED = Object.keys(BUILT_IN_POLICIES);

function effectOf(assignment: { config: Record<string, unknown> }): string {
  return (JSON.parse(assignment.config['parameters'] as string) as { effect: { value: string } }).effect
    .value;
}

/** The (rule, path) of every suppression the policy report shows for a rule with a built-in equivalent. */
function mappedSuppressions(synth: Synthesized) {
  const used = synth.policy.results
    .filter((r) => r.status === 'suppressed')
    .map((r) => ({ rule: r.rule, path: r.path, reason: r.reason! }));
  const unused = synth.policy.unusedSuppressions.map((s) => ({
    rule: s.rule,
    path: s.path,
    reason: s.reason,
  }));
  return [...used, ...unused].filter((s) => BUILT_IN_POLICIES[s.rule]);
}

describe('the catalog of built-in policy definitions', () => {
  it('maps rules of the pack only, each to a GUID read from a definition file of Azure/azure-policy', () => {
    expect(MAPPED.length).toBeGreaterThanOrEqual(10);
    for (const [rule, policy] of Object.entries(BUILT_IN_POLICIES)) {
      expect(isPolicyRuleId(rule), rule).toBe(true);
      expect(policy.name, rule).toMatch(GUID);
      expect(policy.source, rule).toMatch(
        /^https:\/\/github\.com\/Azure\/azure-policy\/blob\/master\/built-in-policies\/policyDefinitions\/.+\.json$/,
      );
    }
    expect(new Set(Object.values(BUILT_IN_POLICIES).map((p) => p.name)).size).toBe(MAPPED.length);
  });

  it('denies in prod only where the definition allows Deny, and audits everywhere else', () => {
    for (const policy of Object.values(BUILT_IN_POLICIES)) {
      expect(assignmentEffect(policy, false)).not.toBe('Deny');
      expect(policy.effects).toContain(assignmentEffect(policy, true));
      expect(assignmentEffect(policy, true) === 'Deny').toBe(policy.effects.includes('Deny'));
    }
  });
});

describe.each(loadEnvironments().map((env) => [env.name, env] as const))('%s', (_name, env) => {
  const synth = synthEnvironment(env);
  const assignments = synth.resources('azurerm_resource_group_policy_assignment');
  const groups = synth.resources('azurerm_resource_group');

  it('assigns the built-in definition of every mapped rule to every resource group it creates', () => {
    expect(assignments).toHaveLength(MAPPED.length * groups.length);
    for (const [rule, policy] of Object.entries(BUILT_IN_POLICIES)) {
      const mine = assignments.filter((a) => a.config['policy_definition_id'] === policyDefinitionId(policy));
      expect(mine, rule).toHaveLength(groups.length);
      expect(new Set(mine.map((a) => a.config['resource_group_id']))).toEqual(
        new Set(groups.map((g) => `\${${g.address}.id}`)),
      );
      for (const a of mine) {
        expect(effectOf(a), rule).toBe(assignmentEffect(policy, env.stage === 'prod'));
        expect(a.config['enforce']).toBe(true);
        // Deny and Audit need no identity; only DeployIfNotExists and Modify do.
        expect(a.config['identity']).toBeUndefined();
      }
    }
  });

  it('turns every suppression of a mapped rule into an exemption of that resource with the same reason', () => {
    const exemptions = synth.resources('azurerm_resource_policy_exemption');
    const expected = mappedSuppressions(synth);
    expect(exemptions).toHaveLength(new Set(expected.map((s) => `${s.rule} ${s.path}`)).size);
    for (const s of expected) {
      const target = synth.plan.byPath(s.path)!;
      const exemption = exemptions.find(
        (e) =>
          e.config['resource_id'] === `\${${target.address}.id}` &&
          e.config['display_name'] === `${s.rule} on ${s.path}`,
      );
      expect(exemption, `${s.rule} on ${s.path}`).toBeDefined();
      expect(exemption!.config['description']).toBe(s.reason);
      expect(exemption!.config['exemption_category']).toBe('Waiver');
      // The exemption names the rule's assignment in the resource group the resource lives in.
      const assignment = synth.plan.byAddress(
        String(exemption!.config['policy_assignment_id']).replace(/^\$\{(.*)\.id\}$/, '$1'),
      )!;
      expect(assignment.type).toBe('azurerm_resource_group_policy_assignment');
      expect(assignment.config['policy_definition_id']).toBe(policyDefinitionId(BUILT_IN_POLICIES[s.rule]!));
      // A first apply creates the exempted resource before the assignment that would deny it.
      expect(assignment.config['depends_on'], `${s.rule} on ${s.path}`).toContain(`\${${target.address}}`);
    }
    for (const e of exemptions) expect(MAPPED).toContain(JSON.parse(e.config['metadata'] as string).rule);
  });

  it('lists the assignments, exemptions and design-time-only suppressions in policy.json for the audit', () => {
    const facts = synth.policy.facts['runtimeGuardrails'] as {
      assignments: { rule: string; effect: string }[];
      exemptions: unknown[];
      designTimeOnly: { rule: string }[];
    };
    expect(facts.assignments.map((a) => a.rule).sort()).toEqual([...MAPPED].sort());
    expect(facts.exemptions).toHaveLength(synth.resources('azurerm_resource_policy_exemption').length);
    for (const d of facts.designTimeOnly) expect(MAPPED).not.toContain(d.rule);
  });
});

describe('prod', () => {
  it('denies every rule whose definition allows Deny', () => {
    const synth = synthEnvironment(exampleEnvironment('prod'));
    const effects = synth.resources('azurerm_resource_group_policy_assignment').map(effectOf);
    expect(effects).toContain('Deny');
    expect(effects.filter((e) => e === 'Audit')).toEqual([]);
    expect(ruleById('LZ.KeyVault.AuditLogs')).toBeDefined();
  });
});

describe('config', () => {
  it('a run-time exemption of a mapped rule becomes an exemption; of an unmapped rule, an error with its path', () => {
    const reason =
      'Break-glass: the on-call team may open the vault to a fixed IP during an incident review.';
    const synth = synthEnvironment(
      exampleEnvironment('staging', {
        governance: {
          runtime: {
            exemptions: [{ rule: 'LZ.KeyVault.PublicNetworkAccess', resource: 'KeyVault/Vault', reason }],
          },
        },
      }),
    );
    const exemption = synth
      .resources('azurerm_resource_policy_exemption')
      .find((e) => e.config['display_name'] === 'LZ.KeyVault.PublicNetworkAccess on KeyVault/Vault');
    expect(exemption?.config['description']).toBe(reason);

    const problems = problemsOf(
      exampleInput('staging', {
        governance: {
          runtime: { exemptions: [{ rule: 'LZ.APIM.PolicyBase', resource: 'Gateway/Service', reason }] },
        },
      }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: 'governance.runtime.exemptions[0].rule',
        message: expect.stringContaining('LZ.APIM.PolicyBase has no built-in Azure Policy equivalent'),
      }),
    );
  });

  it('subscription scope names each assignment after its environment, so two environments share a subscription', () => {
    const names = (name: 'dev' | 'staging') =>
      synthEnvironment(exampleEnvironment(name, { governance: { runtime: { scope: 'subscription' } } }))
        .resources('azurerm_subscription_policy_assignment')
        .map((a) => String(a.config['name']));
    const dev = names('dev');
    const staging = names('staging');
    expect(dev).toHaveLength(MAPPED.length);
    expect(dev.every((n) => n.endsWith('-dev') && n.length <= 64)).toBe(true);
    expect(staging.every((n) => n.endsWith('-staging'))).toBe(true);
    expect(dev.filter((n) => staging.includes(n))).toEqual([]);
    // Exemptions point at the assignment of their own environment.
    const exemptions = synthEnvironment(
      exampleEnvironment('dev', { governance: { runtime: { scope: 'subscription' } } }),
    ).resources('azurerm_resource_policy_exemption');
    expect(exemptions.length).toBeGreaterThan(0);
    for (const e of exemptions)
      expect(String(e.config['policy_assignment_id'])).toMatch(
        /^\$\{azurerm_subscription_policy_assignment\./,
      );
  });

  it('subscription scope assigns each mapped rule once at the subscription; off assigns nothing', () => {
    const sub = synthEnvironment(
      exampleEnvironment('dev', { governance: { runtime: { scope: 'subscription' } } }),
    );
    expect(sub.resources('azurerm_resource_group_policy_assignment')).toEqual([]);
    const assigned = sub.resources('azurerm_subscription_policy_assignment');
    expect(assigned.map((a) => a.config['policy_definition_id']).sort()).toEqual(
      Object.values(BUILT_IN_POLICIES).map(policyDefinitionId).sort(),
    );
    expect(assigned.every((a) => effectOf(a) !== 'Deny')).toBe(true);

    const off = synthEnvironment(exampleEnvironment('dev', { governance: { runtime: { enabled: false } } }));
    expect(off.resources('azurerm_resource_group_policy_assignment')).toEqual([]);
    expect(off.resources('azurerm_resource_policy_exemption')).toEqual([]);
    expect(parseEnvironment(exampleInput('dev'), 'dev.ts').governance.runtime.enabled).toBe(true);
  });
});

describe('Defender for Cloud plans', () => {
  it('are on in prod by default, off elsewhere unless config turns them on, and off in prod only with a reason', () => {
    const plans = (synth: Synthesized) =>
      synth
        .resources('azurerm_security_center_subscription_pricing')
        .map((p) => `${String(p.config['resource_type'])}:${String(p.config['tier'])}`)
        .sort();
    const all = ['AI:Standard', 'Api:Standard', 'KeyVaults:Standard', 'StorageAccounts:Standard'];
    expect(plans(synthEnvironment(exampleEnvironment('prod')))).toEqual(all);
    expect(plans(synthEnvironment(exampleEnvironment('dev')))).toEqual([]);
    expect(
      plans(synthEnvironment(exampleEnvironment('dev', { governance: { defender: { enabled: true } } }))),
    ).toEqual(all);
    expect(problemsOf(exampleInput('prod', { governance: { defender: { enabled: false } } }))).toContainEqual(
      expect.objectContaining({ path: 'governance.defender.reason' }),
    );
    const reason =
      'The enterprise hub enables every Defender plan on this subscription through its own policy.';
    expect(
      plans(
        synthEnvironment(
          exampleEnvironment('prod', { governance: { defender: { enabled: false, reason } } }),
        ),
      ),
    ).toEqual([]);
  });
});
