/**
 * Governance of the platform stack and the tenant shards: the rule pack with the suppressions that config opt-ins imply, the data
 * protection of the stateful resources, and the facts policy.json carries for the audit. Kept apart from
 * `platform-stack.ts` so that the stack reads as a list of capabilities.
 */
import { tenantBudgets } from './finops';
import type { TerraformResource } from 'cdktf';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import type { LockOptions } from '../constructs/shared/interfaces';
import type { DataPathContext, ProvidedHop } from '../constructs/shared/paths';
import {
  codeSuppressions,
  governStack,
  type PolicyRuleId,
  type Suppression,
} from '../constructs/shared/policy';
import { environmentQuotaPlan } from '../environments/capacity';
import { privateMonitoring } from '../environments/network-plan';
import type { Environment } from '../environments/schema';
import { minSurvivingCapacityPercent } from '../environments/sections/resilience';
import type { PlatformStack } from './platform-stack';
import { addDefenderPlans, addRuntimeGuardrails } from './runtime-guardrails';
import type { TenantShardStack } from './tenant-shard-stack';

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

/** The resources of a stack whose opt-ins the governance suppresses; a tenant shard has only its tenants'. */
interface GovernedParts {
  readonly modelAccounts: readonly TerraformResource[];
  readonly tenantAccounts: readonly TerraformResource[];
  readonly contentSafety?: TerraformResource;
  readonly foundry?: TerraformResource;
  readonly vaults: readonly TerraformResource[];
  readonly promptLibrary?: TerraformResource;
  readonly gatewayService?: TerraformResource;
  readonly llmDiagnostic?: TerraformResource;
  readonly workspace?: TerraformResource;
}

function governedParts(stack: PlatformStack | TenantShardStack): GovernedParts {
  const tenantAccounts = stack.tenants.flatMap((t) =>
    Object.values(t.accounts).map((endpoint) => endpoint!.account),
  );
  const tenantVaults = stack.tenants.flatMap((t) => (t.keyVault ? [t.keyVault.vault] : []));
  if (!('gateway' in stack)) return { modelAccounts: [], tenantAccounts, vaults: tenantVaults };
  return {
    modelAccounts: Object.values(stack.aiEndpoints).map((endpoint) => endpoint!.account),
    tenantAccounts,
    ...(stack.contentSafety ? { contentSafety: stack.contentSafety.account } : {}),
    ...(stack.foundry ? { foundry: stack.foundry.account } : {}),
    vaults: [stack.keyVault.vault, ...tenantVaults],
    promptLibrary: stack.promptLibrary.account,
    gatewayService: stack.gateway.service,
    llmDiagnostic: stack.gateway.observability.azureMonitorDiagnostic,
    ...(stack.monitoring.workspace ? { workspace: stack.monitoring.workspace } : {}),
  };
}

/**
 * Whether a config suppression (a construct path inside a stack) belongs to this stack: with tenant shards,
 * `Tenants/<slug>/…` belongs to the tenant's shard and everything else to the platform stack.
 */
function suppressionBelongs(stack: PlatformStack | TenantShardStack, path: string): boolean {
  const slug = /^Tenants\/([^/]+)\//.exec(path)?.[1];
  if (!stack.environment.tenantShards) return true;
  if ('shard' in stack) return slug !== undefined && stack.tenants.some((t) => t.slug === slug);
  return slug === undefined;
}

/** What `network.privateDnsZoneGroups: managedByPolicy` declares, as the data-path proof's assumption. */
export const ZONE_GROUPS_BY_POLICY =
  "managedByPolicy: the enterprise hub's DeployIfNotExists policy adds each private endpoint's DNS zone group in the hub's privatelink zones, and the hub links those zones to the environment's VNets (or resolves them for it)";

/**
 * What the data-path proof needs beyond the plan: whether callers without a VNet may use the internet (public access
 * opened with a reason), and in bring-your-own mode the application subnets and what the hub provides.
 */
export function dataPathContext(env: Environment): DataPathContext {
  const network = env.network;
  const internet = {
    ...(network.publicNetworkAccess.enabled
      ? { internet: { reason: network.publicNetworkAccess.reason } }
      : {}),
    ...(network.mode !== 'none' && network.privateDnsZoneGroups === 'managedByPolicy'
      ? { zoneGroupsByPolicy: { reason: ZONE_GROUPS_BY_POLICY, origin: 'network.privateDnsZoneGroups' } }
      : {}),
  };
  if (network.mode !== 'byo') return internet;
  const clientSubnets = Object.fromEntries(
    Object.entries(network.subnetIds).flatMap(([region, ids]) =>
      ids?.appIntegration ? [[region, ids.appIntegration]] : [],
    ),
  );
  const hops = { peering: 'route', dns: 'dns', networkSecurity: 'nsg' } as const;
  const provided: ProvidedHop[] = Object.entries(hops).flatMap(([key, hop]) => {
    const declared = network.providedByHub[key as keyof typeof hops];
    return declared ? [{ hop, reason: declared.reason, origin: `network.providedByHub.${key}` }] : [];
  });
  return {
    ...internet,
    ...(Object.keys(clientSubnets).length > 0 ? { clientSubnets } : {}),
    ...(provided.length > 0 ? { provided } : {}),
  };
}

/** What policy.json's `facts.privateMonitoring` tells the audit: the config behind the scope, and what it assumes. */
export function privateMonitoringFacts(env: Environment) {
  const scope = env.monitoring.privateLinkScope;
  const existing = env.monitoring.existing;
  const publicAccess = (setting: { enabled: boolean; reason?: string }, what: string) =>
    !privateMonitoring(env)
      ? { enabled: true, reason: 'no Azure Monitor Private Link Scope in this environment' }
      : setting.enabled
        ? { enabled: true, reason: setting.reason ?? '' }
        : { enabled: false, reason: `every ${what} goes through the scope` };
  return {
    enabled: privateMonitoring(env),
    ingestion: publicAccess(scope.publicIngestion, 'caller that sends telemetry'),
    query: publicAccess(scope.publicQuery, 'query'),
    // Learn, "Design Azure Monitor Private Link configuration": exceptions to the network access settings.
    notGoverned: [
      'Diagnostic settings send logs and metrics over a Microsoft channel that public ingestion does not govern.',
      ...(privateMonitoring(env) && !scope.publicQuery.enabled
        ? [
            'The portal (Logs, the operations workbook, insights) queries only from a browser whose network reaches the private endpoint and resolves its zones; queries through the Resource Manager API cannot use the scope.',
          ]
        : []),
    ],
    existing: [
      ...(existing.workspaceId
        ? [
            {
              resource: existing.workspaceId,
              assumes:
                'Entra ID only (local auth off), retention set by its owner; with the scope, its owner turns public ingestion and query off (the stack does not change it).',
            },
          ]
        : []),
      ...(existing.applicationInsightsId
        ? [
            {
              resource: existing.applicationInsightsId,
              assumes:
                'workspace-based, local auth off (Entra ID ingestion: the logger holds Monitoring Metrics Publisher on it), CustomMetricsOptedInType WithDimensions for the token metrics; with the scope, public ingestion and query off (the stack does not change it).',
            },
          ]
        : []),
    ],
  };
}

/**
 * Puts a stack under governance (the platform stack or a tenant shard), with the config suppressions that
 * belong to it and the ones its opt-ins imply.
 */
export function applyGovernance(stack: PlatformStack | TenantShardStack): void {
  const env = stack.environment;
  const parts = governedParts(stack);
  const suppressions: Suppression[] = env.governance.suppressions.flatMap((s, i) =>
    suppressionBelongs(stack, s.resource)
      ? [{ rule: s.rule, path: s.resource, reason: s.reason, origin: `governance.suppressions[${i}]` }]
      : [],
  );
  const suppress = (
    resources: TerraformResource | readonly TerraformResource[] | undefined,
    rules: readonly PolicyRuleId[],
    reason: string,
    origin: string,
  ) => {
    for (const resource of resources === undefined
      ? []
      : Array.isArray(resources)
        ? resources
        : [resources]) {
      const path = resource.node.path.slice(stack.node.path.length + 1);
      for (const rule of rules) suppressions.push({ rule, path, reason, origin });
    }
  };

  const vaults = parts.vaults;
  const accounts = [
    ...parts.modelAccounts,
    ...parts.tenantAccounts,
    ...(parts.contentSafety ? [parts.contentSafety] : []),
    ...(parts.foundry ? [parts.foundry] : []),
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
      vaults,
      [
        'LZ.KeyVault.PublicNetworkAccess',
        ...(noPrivateEndpoints ? (['LZ.KeyVault.PrivateEndpoint'] as const) : []),
      ],
      publicAccess.reason,
      origin,
    );
    suppress(
      parts.promptLibrary,
      [
        'LZ.Storage.PublicNetworkAccess',
        ...(noPrivateEndpoints ? (['LZ.Storage.PrivateEndpoint'] as const) : []),
      ],
      publicAccess.reason,
      origin,
    );
    if (env.gateway.network === 'public') {
      suppress(
        parts.gatewayService,
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
      parts.llmDiagnostic,
      ['LZ.APIM.LlmMessageLogging'],
      env.gateway.logging.llmMessages.reason,
      'gateway.logging.llmMessages',
    );
  }
  const network = env.network;
  if (network.mode !== 'none' && network.privateDnsZoneGroups === 'managedByPolicy') {
    // The hub's policy adds the zone groups after creation; the data-path proof takes them as its assumption.
    suppress(
      stack.node.findAll().filter((n): n is PrivateEndpoint => n instanceof PrivateEndpoint),
      ['LZ.PrivateEndpoint.DnsZoneGroup'],
      ZONE_GROUPS_BY_POLICY,
      'network.privateDnsZoneGroups',
    );
  }
  const stateful = [
    ...vaults,
    ...(parts.promptLibrary ? [parts.promptLibrary] : []),
    ...(parts.workspace ? [parts.workspace] : []),
    ...parts.modelAccounts,
    ...parts.tenantAccounts,
    ...(parts.foundry ? [parts.foundry] : []),
  ];
  for (const key of ['deleteLocks', 'preventDestroy'] as const) {
    const setting = env.protection[key];
    if (setting.enabled) continue;
    const rule = key === 'deleteLocks' ? 'LZ.Protection.DeleteLock' : 'LZ.Protection.PreventDestroy';
    for (const resource of stateful) suppress(resource, [rule], setting.reason, `protection.${key}`);
  }

  // Every suppression of a rule with a built-in Azure Policy equivalent becomes a policy exemption (same reason).
  const runtimeGuardrails = addRuntimeGuardrails(
    stack,
    env,
    [...codeSuppressions(stack), ...suppressions],
    !('shard' in stack),
  );

  const defenderPlans = 'shard' in stack ? [] : addDefenderPlans(stack, env);

  governStack(stack, {
    context: {
      mandatoryTags: MANDATORY_TAGS,
      resilience: {
        required: env.stage === 'prod',
        accepted: Object.fromEntries(
          Object.entries(env.gateway.pools).flatMap(([model, pool]) =>
            pool.singleMemberReason ? [[model, pool.singleMemberReason]] : [],
          ),
        ),
      },
    },
    suppressions,
    downgrade: env.governance.downgradeToWarning as Record<string, string>,
    paths: dataPathContext(env),
    facts: {
      name: env.name,
      stage: env.stage,
      ...(env.description ? { description: env.description } : {}),
      regions: [env.regions.primary, ...env.regions.additional],
      networkMode: env.network.mode,
      resilience: { minSurvivingCapacityPercent: minSurvivingCapacityPercent(env) },
      gatewayNetwork: env.gateway.network,
      protection: {
        deleteLocks: env.protection.deleteLocks,
        preventDestroy: env.protection.preventDestroy,
      },
      ...(runtimeGuardrails ? { runtimeGuardrails } : {}),
      ...('shard' in stack ? {} : { defenderPlans, privateMonitoring: privateMonitoringFacts(env) }),
      // The quota plan sums the whole environment (shared and every dedicated tenant): it belongs to the platform
      // stack. A shard's report stays its own, so removing a tenant changes only the shard that held it.
      ...('shard' in stack
        ? { platformStack: env.name }
        : {
            quota: environmentQuotaPlan(env).map((row) => ({
              region: row.region,
              model: row.model,
              type: row.type,
              requested: row.requested,
              quota: row.quota ?? null,
            })),
            // The price table for `npm run costs`, which sets it against the deployments and quotas of the plan.
            ...(env.finops
              ? {
                  finops: {
                    ...env.finops,
                    budgets: Object.fromEntries(tenantBudgets(env).map((b) => [b.slug, b.monthly])),
                  },
                }
              : {}),
          }),
    },
  });
}
