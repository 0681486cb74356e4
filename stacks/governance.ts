/**
 * Governance of the platform stack: the policy aspect with the suppressions that config opt-ins imply, the data
 * protection of the stateful resources, and the facts policy.json carries for the audit. Kept apart from
 * `platform-stack.ts` so that the stack reads as a list of capabilities.
 */
import type { TerraformResource } from 'cdktf';
import { Aspects } from 'cdktf';
import type { LockOptions } from '../constructs/shared/interfaces';
import { PolicyAspect, type PolicyRuleId, type Suppression } from '../constructs/shared/policy';
import { environmentQuotaPlan } from '../environments/capacity';
import type { Environment } from '../environments/schema';
import type { PlatformStack } from './platform-stack';

/** Tags every taggable resource carries (the tags aspect sets them; the rule pack checks them). */
export const MANDATORY_TAGS = ['environment', 'workload', 'owner', 'costCenter', 'managedBy'] as const;

const LOCK_NOTES =
  'Data protection: this resource holds data the platform cannot recreate. Lift the lock only for a reviewed change.';

/** The `lock` and `preventDestroy` props of a stateful resource, from `protection`. */
export function dataProtection(env: Environment): { lock?: LockOptions; preventDestroy?: boolean } {
  return {
    ...(env.protection.deleteLocks.enabled ? { lock: { level: 'CanNotDelete', notes: LOCK_NOTES } } : {}),
    ...(env.protection.preventDestroy.enabled ? { preventDestroy: true } : {}),
  };
}

/** Registers the policy aspect on the stack, with config suppressions and the ones its opt-ins imply. */
export function applyGovernance(stack: PlatformStack): void {
  const env = stack.environment;
  const suppressions: Suppression[] = env.governance.suppressions.map((s, i) => ({
    rule: s.rule,
    path: s.resource,
    reason: s.reason,
    origin: `governance.suppressions[${i}]`,
  }));
  const suppress = (
    resources: TerraformResource | readonly TerraformResource[],
    rules: readonly PolicyRuleId[],
    reason: string,
    origin: string,
  ) => {
    for (const resource of Array.isArray(resources) ? resources : [resources]) {
      const path = resource.node.path.slice(stack.node.path.length + 1);
      for (const rule of rules) suppressions.push({ rule, path, reason, origin });
    }
  };

  const tenantAccounts = stack.tenants.flatMap((t) =>
    Object.values(t.accounts).map((endpoint) => endpoint!.account),
  );
  const vaults = [
    stack.keyVault.vault,
    ...stack.tenants.flatMap((t) => (t.keyVault ? [t.keyVault.vault] : [])),
  ];
  const accounts = [
    ...Object.values(stack.aiEndpoints).map((endpoint) => endpoint!.account),
    ...tenantAccounts,
    ...(stack.contentSafety ? [stack.contentSafety.account] : []),
  ];
  const publicAccess = env.network.publicNetworkAccess;
  if (publicAccess.enabled) {
    const origin = 'network.publicNetworkAccess';
    const noPrivateEndpoints = env.network.mode === 'none';
    for (const account of accounts) {
      suppress(
        account,
        ['LZ.AI.PublicNetworkAccess', ...(noPrivateEndpoints ? (['LZ.AI.PrivateEndpoint'] as const) : [])],
        publicAccess.reason,
        origin,
      );
    }
    suppress(
      stack.keyVault.vault,
      [
        'LZ.KeyVault.PublicNetworkAccess',
        ...(noPrivateEndpoints ? (['LZ.KeyVault.PrivateEndpoint'] as const) : []),
      ],
      publicAccess.reason,
      origin,
    );
    suppress(
      stack.promptLibrary.account,
      [
        'LZ.Storage.PublicNetworkAccess',
        ...(noPrivateEndpoints ? (['LZ.Storage.PrivateEndpoint'] as const) : []),
      ],
      publicAccess.reason,
      origin,
    );
    if (env.gateway.network === 'public') {
      suppress(
        stack.gateway.service,
        ['LZ.APIM.PublicNetworkAccess', 'LZ.APIM.VirtualNetwork'],
        publicAccess.reason,
        origin,
      );
    }
  }
  if (env.keyVault.disablePurgeProtection.enabled) {
    suppress(
      vaults,
      ['LZ.KeyVault.PurgeProtection'],
      env.keyVault.disablePurgeProtection.reason,
      'keyVault.disablePurgeProtection',
    );
  }
  if (env.gateway.logging.llmMessages.enabled) {
    suppress(
      stack.gateway.observability.azureMonitorDiagnostic,
      ['LZ.APIM.LlmMessageLogging'],
      env.gateway.logging.llmMessages.reason,
      'gateway.logging.llmMessages',
    );
  }
  const stateful = [
    ...vaults,
    stack.promptLibrary.account,
    stack.monitoring.workspace,
    ...Object.values(stack.aiEndpoints).map((endpoint) => endpoint!.account),
    ...tenantAccounts,
  ];
  for (const key of ['deleteLocks', 'preventDestroy'] as const) {
    const setting = env.protection[key];
    if (setting.enabled) continue;
    const rule = key === 'deleteLocks' ? 'LZ.Protection.DeleteLock' : 'LZ.Protection.PreventDestroy';
    for (const resource of stateful) suppress(resource, [rule], setting.reason, `protection.${key}`);
  }

  Aspects.of(stack).add(
    new PolicyAspect({
      context: { mandatoryTags: MANDATORY_TAGS },
      suppressions,
      downgrade: env.governance.downgradeToWarning as Record<string, string>,
      facts: {
        name: env.name,
        stage: env.stage,
        ...(env.description ? { description: env.description } : {}),
        regions: [env.regions.primary, ...env.regions.additional],
        networkMode: env.network.mode,
        gatewayNetwork: env.gateway.network,
        protection: {
          deleteLocks: env.protection.deleteLocks,
          preventDestroy: env.protection.preventDestroy,
        },
        quota: environmentQuotaPlan(env).map((row) => ({
          region: row.region,
          model: row.model,
          type: row.type,
          requested: row.requested,
          quota: row.quota ?? null,
        })),
      },
    }),
  );
}
