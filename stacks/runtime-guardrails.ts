/**
 * Run-time guardrails: the rule pack checks the plan at synth; once deployed, Azure Policy keeps the same rules. For
 * every rule with a built-in equivalent (the catalog cites each definition), the stack assigns that definition to each
 * resource group it creates (or to the subscription, from config): Deny in prod, Audit elsewhere (AuditIfNotExists
 * where the definition is an existence check with no Deny). Each suppression of such a rule, from code, from config or
 * implied by an opt-in, becomes a policy exemption of that resource with the same reason: design-time and run-time
 * exceptions have one source. A suppression of a rule without an equivalent is design-time only, and listed so.
 * Learn: "Azure Policy exemption structure" (https://learn.microsoft.com/azure/governance/policy/concepts/exemption-structure);
 * "Azure Policy assignment structure" (https://learn.microsoft.com/azure/governance/policy/concepts/assignment-structure).
 */
import { DefaultTokenResolver, StringConcat, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { ResourceGroupPolicyAssignment } from '@cdktf/provider-azurerm/lib/resource-group-policy-assignment';
import { ResourcePolicyExemption } from '@cdktf/provider-azurerm/lib/resource-policy-exemption';
import { SecurityCenterSubscriptionPricing } from '@cdktf/provider-azurerm/lib/security-center-subscription-pricing';
import { SubscriptionPolicyAssignment } from '@cdktf/provider-azurerm/lib/subscription-policy-assignment';
import {
  assignmentEffect,
  BUILT_IN_POLICIES,
  type PolicyEffect,
  policyDefinitionId,
} from '../constructs/shared/catalog';
import { ruleById, type Suppression } from '../constructs/shared/policy';
import { environmentNames } from '../environments/names';
import type { Environment } from '../environments/schema';

/** What the audit shows of the run-time guardrails of a stack (policy.json's `facts.runtimeGuardrails`). */
export interface RuntimeGuardrailsSummary {
  readonly scope: 'resourceGroups' | 'subscription';
  readonly assignments: readonly {
    readonly rule: string;
    readonly definition: string;
    readonly displayName: string;
    readonly effect: PolicyEffect;
    readonly scopes: readonly string[];
  }[];
  readonly exemptions: readonly {
    readonly rule: string;
    readonly resource: string;
    readonly reason: string;
    readonly origin: string;
  }[];
  /** Suppressions of rules without a built-in equivalent: they hold at synth only. */
  readonly designTimeOnly: readonly {
    readonly rule: string;
    readonly resource: string;
    readonly origin: string;
  }[];
}

/** The name of a rule's assignment (and exemption) in a scope: `LZ.KeyVault.Rbac` → `lz-keyvault-rbac`. */
export function guardrailName(rule: string): string {
  return rule.replace(/\./g, '-').toLowerCase();
}

/**
 * The name of a rule's assignment at subscription scope, which several environments may share:
 * `LZ.KeyVault.Rbac` in prod → `lz-keyvault-rbac-prod`. At most 12 + 1 + 31 characters, inside the 64 Azure allows
 * for an assignment below a management group (Learn, "Azure Policy assignment structure").
 */
export function subscriptionGuardrailName(rule: string, environment: string): string {
  return `${guardrailName(rule)}-${environment}`;
}

/**
 * Adds the assignments and exemptions to `stack`, from `suppressions` (every suppression of the stack: code, config
 * and opt-ins) and the config's run-time exemptions; undefined when config turns the guardrails off.
 */
export function addRuntimeGuardrails(
  stack: TerraformStack,
  env: Environment,
  suppressions: readonly Suppression[],
  ownsSubscriptionAssignments: boolean,
): RuntimeGuardrailsSummary | undefined {
  const runtime = env.governance.runtime;
  if (!runtime.enabled) return undefined;
  const prefix = stack.node.path.length + 1;
  const byPath = new Map<string, TerraformResource>();
  const groups: ResourceGroup[] = [];
  for (const node of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(node)) continue;
    byPath.set(node.node.path.slice(prefix), node);
    if (node instanceof ResourceGroup) groups.push(node);
  }
  const scope = new Construct(stack, 'RuntimeGuardrails');
  const enforce = env.stage === 'prod';
  const rules = Object.entries(BUILT_IN_POLICIES);
  let clientConfig: DataAzurermClientConfig | undefined;
  const subscriptionId = () => {
    if (env.azure.subscriptionId) return env.azure.subscriptionId;
    clientConfig ??= new DataAzurermClientConfig(scope, 'ClientConfig', {});
    return clientConfig.subscriptionId;
  };

  // Per rule: the assignment id of each scope, keyed by lower-case resource group name (or '*' for the subscription).
  const assignmentIds = new Map<string, Record<string, string>>();
  // The assignments this stack creates, by their id: an exempted resource must exist before its Deny assignment.
  const created = new Map<string, TerraformResource>();
  const assignments: RuntimeGuardrailsSummary['assignments'][number][] = [];
  for (const [rule, policy] of rules) {
    const effect = assignmentEffect(policy, enforce);
    const check = ruleById(rule);
    const common = {
      name: guardrailName(rule),
      displayName: `${policy.displayName} (${rule})`.slice(0, 128),
      description: `Run-time guardrail of rule ${rule} of the landing zone's rule pack: ${check?.title ?? rule}`,
      policyDefinitionId: policyDefinitionId(policy),
      enforce: true,
      parameters: JSON.stringify({ effect: { value: effect } }),
      nonComplianceMessage: [{ content: `${rule}: ${check?.fix ?? policy.displayName}` }],
      metadata: JSON.stringify({ rule, source: policy.source, managedBy: 'genai-landing-zone' }),
    };
    const ids: Record<string, string> = {};
    const scopes: string[] = [];
    if (runtime.scope === 'subscription') {
      const sub = `/subscriptions/${subscriptionId()}`;
      // Two environments in one subscription each assign every rule: the name carries the environment.
      const name = subscriptionGuardrailName(rule, env.name);
      if (ownsSubscriptionAssignments) {
        const assignment = new SubscriptionPolicyAssignment(scope, rule, {
          ...common,
          name,
          displayName: `${policy.displayName} (${rule}, ${env.name})`.slice(0, 128),
          subscriptionId: sub,
        });
        // One token per assignment: every read of `.id` mints a new one.
        const id = assignment.id;
        created.set(id, assignment);
        ids['*'] = id;
      } else {
        ids['*'] = `${sub}/providers/Microsoft.Authorization/policyAssignments/${name}`;
      }
      scopes.push('subscription');
    } else {
      for (const group of groups) {
        const name = group.nameInput;
        if (name === undefined) continue;
        const assignment = new ResourceGroupPolicyAssignment(
          // Beside its group: a dedicated tenant's assignments go with the tenant.
          group.node.scope!,
          `PolicyAssignment-${rule}-${group.node.id}`,
          {
            ...common,
            resourceGroupId: group.id,
          },
        );
        const id = assignment.id;
        created.set(id, assignment);
        ids[name.toLowerCase()] = id;
        scopes.push(name);
      }
      // A tenant shard's shared tenants live in the platform stack's groups: their assignments are the platform's.
      for (const name of Object.values(environmentNames(env).resourceGroups)) {
        const key = name.toLowerCase();
        if (ids[key]) continue;
        ids[key] =
          `/subscriptions/${subscriptionId()}/resourceGroups/${name}/providers/Microsoft.Authorization/policyAssignments/${common.name}`;
      }
    }
    assignmentIds.set(rule, ids);
    if (scopes.length > 0)
      assignments.push({ rule, definition: policy.name, displayName: policy.displayName, effect, scopes });
  }

  // The resource group a resource lives in, read from its config at synth: its resource_group_name (a literal or a
  // reference to a group or to another resource's group), or for an azapi resource the parent it is created under.
  const byAddress = new Map<string, TerraformResource>();
  for (const r of byPath.values()) byAddress.set(`${r.terraformResourceType}.${r.friendlyUniqueId}`, r);
  const resolver = new DefaultTokenResolver(new StringConcat());
  const resolve = (value: unknown): unknown =>
    Tokenization.resolve(value, { scope: stack, preparing: false, resolver });
  const groupKeys = new Map<string, string>();
  for (const g of groups) {
    if (g.nameInput === undefined) continue;
    groupKeys.set(g.nameInput.toLowerCase(), g.nameInput.toLowerCase());
    groupKeys.set(String(resolve(g.name)), g.nameInput.toLowerCase());
    groupKeys.set(String(resolve(g.id)), g.nameInput.toLowerCase());
  }
  for (const name of Object.values(environmentNames(env).resourceGroups))
    groupKeys.set(name.toLowerCase(), name.toLowerCase());
  const groupOf = (resource: TerraformResource, depth = 0): string | undefined => {
    if (depth > 8) return undefined;
    const config = resource as unknown as {
      resourceGroupNameInput?: unknown;
      config?: { parentId?: unknown };
    };
    const raw =
      'resourceGroupNameInput' in resource ? config.resourceGroupNameInput : config.config?.parentId;
    if (raw === undefined) return undefined;
    const value = String(resolve(raw));
    const known = groupKeys.get(value) ?? groupKeys.get(value.toLowerCase());
    if (known) return known;
    const ref = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.(?:name|resource_group_name|id)\}$/.exec(value);
    const target = ref ? byAddress.get(ref[1]!) : undefined;
    return target && target !== resource ? groupOf(target, depth + 1) : undefined;
  };

  const exemptions: RuntimeGuardrailsSummary['exemptions'][number][] = [];
  const designTimeOnly: RuntimeGuardrailsSummary['designTimeOnly'][number][] = [];
  const seen = new Set<string>();
  const configExemptions: Suppression[] = runtime.exemptions.map((e, i) => ({
    rule: e.rule as Suppression['rule'],
    path: e.resource,
    reason: e.reason,
    origin: `governance.runtime.exemptions[${i}]`,
  }));
  for (const s of [...suppressions, ...configExemptions]) {
    const ids = assignmentIds.get(s.rule);
    const resource = byPath.get(s.path);
    if (!resource) continue;
    if (!ids) {
      designTimeOnly.push({ rule: s.rule, resource: s.path, origin: s.origin });
      continue;
    }
    const key = `${s.rule} ${s.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const group = ids['*'] ? '*' : groupOf(resource);
    const policyAssignmentId = group === undefined ? undefined : ids[group];
    if (policyAssignmentId === undefined) {
      // No assignment of this stack covers the resource: it stays a design-time exception, listed as such.
      designTimeOnly.push({ rule: s.rule, resource: s.path, origin: s.origin });
      continue;
    }
    // On a first apply a Deny assignment created before the resource would refuse it (the exemption needs the
    // resource's id, so it can only come after): the assignment waits for every resource it exempts in its stack.
    const assignment = created.get(policyAssignmentId);
    if (assignment && TerraformStack.of(assignment) === TerraformStack.of(resource))
      assignment.dependsOn = [...(assignment.dependsOn ?? []), resource.fqn];
    const resourceId = resource.getStringAttribute('id');
    new ResourcePolicyExemption(resource.node.scope!, `PolicyExemption-${s.rule}-${resource.node.id}`, {
      name: guardrailName(s.rule),
      displayName: `${s.rule} on ${s.path}`.slice(0, 128),
      description: s.reason.slice(0, 1024),
      exemptionCategory: 'Waiver',
      resourceId,
      policyAssignmentId,
      metadata: JSON.stringify({ rule: s.rule, origin: s.origin }),
    });
    exemptions.push({ rule: s.rule, resource: s.path, reason: s.reason, origin: s.origin });
  }
  return { scope: runtime.scope, assignments, exemptions, designTimeOnly };
}

/**
 * The Defender for Cloud plans of the workload's services, Standard tier, on the subscription (azurerm
 * `azurerm_security_center_subscription_pricing`, resource_type values from its documentation): on by default in prod,
 * off elsewhere unless config turns them on. Returns the plans it turned on.
 */
export const DEFENDER_PLANS = ['AI', 'Api', 'KeyVaults', 'StorageAccounts'] as const;

export function addDefenderPlans(stack: TerraformStack, env: Environment): readonly string[] {
  const enabled = env.governance.defender.enabled ?? env.stage === 'prod';
  if (!enabled) return [];
  const scope = new Construct(stack, 'Defender');
  for (const plan of DEFENDER_PLANS)
    new SecurityCenterSubscriptionPricing(scope, plan, { tier: 'Standard', resourceType: plan });
  return DEFENDER_PLANS;
}
