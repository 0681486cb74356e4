/**
 * The tenant part of the platform stack: turns the tenant registry into one `Tenant` construct each. Every tenant
 * lives under `Tenants/<slug>`, so adding or removing one never moves another's Terraform addresses.
 */
import { Construct } from 'constructs';
import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import type { AiGateway } from '../constructs/ai-gateway';
import type { Monitoring, ResourceGroupBudgetProps } from '../constructs/monitoring';
import type { PromptLibrary } from '../constructs/prompt-library';
import type { AzureRegion } from '../constructs/shared/catalog';
import { type PrivateLinkContext, privateEndpointProp } from '../constructs/shared/private-endpoint';
import { Tenant, type TenantFoundryProjectProps } from '../constructs/tenant';
import type { EnvironmentNames } from '../environments/names';
import type { Environment } from '../environments/schema';
import { gatewayBatch, poolsFromAccounts } from '../environments/sections/gateway';
import {
  allowedModelsOf,
  tenantAuth,
  tenantPii,
  tenantSemanticCache,
  tenantsIn,
  tenantTags,
} from '../environments/sections/tenants';
import { dataProtection } from './governance';

/** What the tenants need from the platform. */
export interface TenantDependencies {
  readonly gateway: AiGateway;
  readonly platformKeyVaultId: string;
  readonly promptLibrary: PromptLibrary;
  readonly monitoring: Monitoring;
  readonly privateLink: PrivateLinkContext | undefined;
  readonly tenantId: string;
  /**
   * Where each tenant's prompt-library container lives: in the library (`PromptLibrary/Containers/<slug>`, next to
   * the account) or with the tenant (`Tenants/<slug>/Container`, in a tenant shard, so that the platform stack does
   * not grow with the tenants). @default 'library'
   */
  readonly containers?: 'library' | 'tenant';
  /** The Foundry resource and what tenant projects connect to, when the environment has Foundry. */
  readonly foundry?: Omit<TenantFoundryProjectProps, 'name'>;
}

/**
 * Builds the tenants of `env` under `<scope>/Tenants/<slug>`: all of them, or those in `slugs` (one tenant shard).
 */
export function buildTenants(
  scope: Construct,
  env: Environment,
  names: EnvironmentNames,
  groups: Readonly<Record<AzureRegion, ResourceGroup>>,
  deps: TenantDependencies,
  slugs?: ReadonlySet<string>,
): Tenant[] {
  const tenants = tenantsIn(env).filter((t) => !slugs || slugs.has(t.slug));
  if (tenants.length === 0) return [];
  const root = new Construct(scope, 'Tenants');
  const primary = env.regions.primary;
  // Dedicated vaults and model accounts hold tenant data: protected like the platform's (protection in config).
  const { lock, preventDestroy } = dataProtection(env);
  // Deployment names the batch surface (/files, /batches) reaches.
  const batchModels = new Set(gatewayBatch(env)?.deployments ?? []);

  return tenants.map(({ slug, tenant, allocation, hasAccess, hasData }) => {
    const tenantNames = names.tenants[slug]!;
    // Offboarded data stays under prevent_destroy until config deletes it (a schema rule keeps this on in prod).
    const protect = tenant.lifecycle === 'offboarded' && env.tenancy.protectOffboardedData;
    const dedicated = tenant.tier === 'dedicated' && hasData ? tenantNames.dedicated : undefined;
    const protection = { preventDestroy: protect || preventDestroy === true, ...(lock ? { lock } : {}) };
    const filter = env.endpoints.contentFilters[tenant.contentFilter]!;
    const auth = tenantAuth(tenant, env.stage);
    const pii = tenantPii(tenant, env.stage);
    const semanticCache = tenantSemanticCache(env, tenant);
    // The schema's rules report these with their config paths; a stack built without the rules still never weakens a
    // tenant silently.
    if (hasAccess && auth !== 'key' && !tenant.entra)
      throw new Error(
        `tenants.${slug}.entra: auth "${auth}" needs entra { tenantId, audience, clientApplicationIds }`,
      );
    const allowedModels = allowedModelsOf(env, { tenant });

    return new Tenant(root, {
      slug,
      tags: tenantTags(slug, tenant),
      ...(dedicated
        ? {
            dedicated: {
              resourceGroup: { name: dedicated.resourceGroup, location: primary },
              keyVault: {
                name: dedicated.keyVault,
                location: primary,
                tenantId: deps.tenantId,
                skuName: env.keyVault.skuName,
                softDeleteRetentionInDays: env.keyVault.softDeleteRetentionInDays,
                purgeProtectionEnabled: !env.keyVault.disablePurgeProtection.enabled,
                publicNetworkAccessEnabled: env.network.publicNetworkAccess.enabled,
                diagnosticSettings: deps.monitoring.diagnostics({ logCategories: ['AuditEvent'] }),
                ...protection,
                ...privateEndpointProp(
                  deps.privateLink,
                  'keyVault',
                  primary,
                  dedicated.keyVaultPrivateEndpoint,
                ),
              },
              accounts: Object.fromEntries(
                Object.entries(allocation.dedicated?.accounts ?? {}).map(([key, account]) => {
                  const region = key as AzureRegion;
                  const used = new Set(Object.values(account!.deployments).map((d) => d.contentFilter));
                  const filters = Object.fromEntries(
                    Object.entries(env.endpoints.contentFilters).filter(([name]) => used.has(name)),
                  );
                  const usedBlocklists = new Set(Object.values(filters).flatMap((f) => f.blocklists));
                  return [
                    region,
                    {
                      name: dedicated.accounts[region]!.name,
                      location: region,
                      publicNetworkAccess: env.network.publicNetworkAccess,
                      deployments: account!.deployments,
                      contentFilters: filters,
                      blocklists: Object.fromEntries(
                        Object.entries(env.endpoints.blocklists).filter(([name]) => usedBlocklists.has(name)),
                      ),
                      diagnosticSettings: deps.monitoring.diagnostics(),
                      ...protection,
                      ...privateEndpointProp(
                        deps.privateLink,
                        'cognitiveAccount',
                        region,
                        dedicated.accounts[region]!.privateEndpoint,
                      ),
                    },
                  ];
                }),
              ),
            },
          }
        : {}),
      ...(hasData
        ? {
            container: {
              library: deps.promptLibrary,
              placement: deps.containers ?? 'library',
              name: tenantNames.container,
              metadata: { tenant: slug },
              // The tenant's prompts and flows: protected like its dedicated vault and accounts; deleteData removes
              // the container from the plan, so the protection never blocks the documented deletion.
              preventDestroy: protection.preventDestroy,
            },
          }
        : {}),
      ...(hasAccess && deps.foundry && tenantNames.foundryProject
        ? { foundryProject: { ...deps.foundry, name: tenantNames.foundryProject } }
        : {}),
      ...(hasAccess
        ? {
            access: {
              gateway: deps.gateway,
              displayName: tenant.displayName,
              state: tenant.lifecycle === 'suspended' ? 'suspended' : 'active',
              allowedModels,
              security: {
                storedObjects: tenant.storedObjects,
                batchAllowed: allowedModels.some((m) => batchModels.has(m)),
                ...(auth !== 'key' && tenant.entra
                  ? {
                      entra: {
                        mode: auth,
                        tenantId: tenant.entra.tenantId,
                        audience: tenant.entra.audience,
                        clientApplicationIds: tenant.entra.clientApplicationIds,
                        ...(tenant.entra.tokensPerMinutePerUser === undefined
                          ? {}
                          : { tokensPerMinutePerUser: tenant.entra.tokensPerMinutePerUser }),
                      },
                    }
                  : {}),
                ...(pii !== 'off'
                  ? { pii: { mode: pii, metricNamespace: env.gateway.tokenMetrics.namespace } }
                  : {}),
                ...(tenant.messageLogging && env.evaluation?.continuous
                  ? { messageLog: { samplingPercent: tenant.messageLogging.samplingPercent } }
                  : {}),
              },
              ...(tenant.purpose === 'verification' ? { verificationProbe: true } : {}),
              ...(semanticCache ? { semanticCache } : {}),
              tokensPerMinute: allocation.tokensPerMinute,
              monthlyTokenQuota: allocation.monthlyTokenQuota,
              promptFilter: {
                hate: filter.categories.hate.prompt,
                sexual: filter.categories.sexual.prompt,
                selfHarm: filter.categories.selfHarm.prompt,
                violence: filter.categories.violence.prompt,
              },
              dedicatedPools: poolsFromAccounts(allocation.dedicated?.accounts ?? {}),
              identity: {
                name: tenantNames.identity,
                location: primary,
                resourceGroupName: groups[primary].name,
              },
              keyVaultId: deps.platformKeyVaultId,
              secretName: tenantNames.secret,
            },
          }
        : {}),
    });
  });
}

/** The budgets of the dedicated tenants among `built`, on their own resource groups. */
export function dedicatedBudgets(
  env: Environment,
  names: EnvironmentNames,
  built: readonly Tenant[],
): ResourceGroupBudgetProps[] {
  return tenantsIn(env).flatMap((t) => {
    const budget = t.allocation.dedicated?.budget;
    const group = built.find((b) => b.slug === t.slug)?.resourceGroup;
    const name = names.tenants[t.slug]?.dedicated?.budget;
    return budget && group && name
      ? [
          {
            key: t.slug,
            name,
            resourceGroupId: group.id,
            amount: budget.monthlyAmount,
            startDate: budget.startDate,
            notifications: [
              { thresholdPercent: 80, type: 'Actual' as const },
              { thresholdPercent: 100, type: 'Forecasted' as const },
            ],
            contactEmails: budget.contactEmails,
          },
        ]
      : [];
  });
}
