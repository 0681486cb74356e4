/**
 * The tenant part of the platform stack: turns the tenant registry into each tenant's constructs. Every tenant lives
 * under `Tenants/<slug>`, so adding or removing one never moves another's Terraform addresses.
 */
import { Construct } from 'constructs';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { AiEndpoint } from '../constructs/ai-endpoint';
import type { AiGateway } from '../constructs/ai-gateway';
import { renderPolicy } from '../constructs/ai-gateway/policies/inference-policy';
import { type ContentSafetyThresholds, stricterThresholds } from '../constructs/ai-gateway/policies/llm';
import { tenantProductPolicy } from '../constructs/ai-gateway/policies/product-policy';
import { KeyVault } from '../constructs/key-vault';
import type { Monitoring, ResourceGroupBudgetProps } from '../constructs/monitoring';
import { type PromptLibrary, promptLibraryContainer } from '../constructs/prompt-library';
import { addRoleAssignment } from '../constructs/shared/features';
import { type PrivateLinkContext, privateEndpointFor } from '../constructs/shared/private-link';
import type { AzureRegion } from '../constructs/shared/regions';
import { TenantAccess } from '../constructs/tenant';
import type { EnvironmentNames } from '../environments/names';
import { dataProtection } from './governance';
import type { Environment } from '../environments/schema';
import type { ContentFilter } from '../environments/sections/endpoints';
import { gatewayBatch, routesFromAccounts } from '../environments/sections/gateway';
import { tenantAuth, tenantPii, tenantsIn, tenantTags } from '../environments/sections/tenants';

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
}

/** One tenant's constructs in this environment. */
export interface BuiltTenant {
  readonly slug: string;
  readonly access?: TenantAccess;
  readonly resourceGroup?: ResourceGroup;
  readonly keyVault?: KeyVault;
  readonly accounts: Readonly<Partial<Record<AzureRegion, AiEndpoint>>>;
}

/**
 * The gateway's content-safety threshold for a content-filter severity, on the eight-level scale: a filter that
 * blocks from Low blocks from level 2, from Medium at 4, from High at 6.
 */
const EIGHT_LEVEL: Record<'Low' | 'Medium' | 'High', number> = { Low: 2, Medium: 4, High: 6 };

export function contentSafetyThresholds(filter: ContentFilter): ContentSafetyThresholds {
  return {
    hate: EIGHT_LEVEL[filter.categories.hate.prompt],
    sexual: EIGHT_LEVEL[filter.categories.sexual.prompt],
    selfHarm: EIGHT_LEVEL[filter.categories.selfHarm.prompt],
    violence: EIGHT_LEVEL[filter.categories.violence.prompt],
  };
}

/**
 * Builds the tenants of `env` under `<scope>/Tenants/<slug>`: all of them, or those in `slugs` (one tenant shard).
 */
/** Deployment names the batch surface reaches. */
function batchModelsOf(env: Environment): Set<string> {
  return new Set(gatewayBatch(env)?.deployments ?? []);
}

export function buildTenants(
  scope: Construct,
  env: Environment,
  names: EnvironmentNames,
  groups: Readonly<Record<AzureRegion, ResourceGroup>>,
  deps: TenantDependencies,
  slugs?: ReadonlySet<string>,
): BuiltTenant[] {
  const tenants = tenantsIn(env).filter((t) => !slugs || slugs.has(t.slug));
  if (tenants.length === 0) return [];
  const root = new Construct(scope, 'Tenants');
  const batchModels = batchModelsOf(env);
  const primary = env.regions.primary;
  const publicNetworkAccessEnabled = env.network.publicNetworkAccess.enabled;
  // Dedicated vaults and model accounts hold tenant data: protected like the platform's (protection in config).
  const { lock, preventDestroy } = dataProtection(env);

  return tenants.map(({ slug, tenant, allocation, hasAccess, hasData }) => {
    const tenantScope = new Construct(root, slug);
    const tenantNames = names.tenants[slug]!;
    const tags = tenantTags(slug, tenant);
    // Offboarded data stays under prevent_destroy until config deletes it (a schema rule keeps this on in prod).
    const protect = tenant.lifecycle === 'offboarded' && env.tenancy.protectOffboardedData;
    const dedicated = tenant.tier === 'dedicated' && hasData ? tenantNames.dedicated : undefined;

    let resourceGroup: ResourceGroup | undefined;
    let keyVault: KeyVault | undefined;
    const accounts: Partial<Record<AzureRegion, AiEndpoint>> = {};
    if (dedicated) {
      resourceGroup = new ResourceGroup(tenantScope, 'ResourceGroup', {
        name: dedicated.resourceGroup,
        location: primary,
        tags,
      });
      keyVault = new KeyVault(tenantScope, 'KeyVault', {
        name: dedicated.keyVault,
        location: primary,
        resourceGroupName: resourceGroup.name,
        tenantId: deps.tenantId,
        skuName: env.keyVault.skuName,
        softDeleteRetentionInDays: env.keyVault.softDeleteRetentionInDays,
        purgeProtectionEnabled: !env.keyVault.disablePurgeProtection.enabled,
        publicNetworkAccessEnabled,
        diagnosticSettings: deps.monitoring.diagnostics({ logCategories: ['AuditEvent'] }),
        tags,
        preventDestroy: protect || preventDestroy === true,
        ...(lock ? { lock } : {}),
        ...(deps.privateLink
          ? {
              privateEndpoint: privateEndpointFor(
                deps.privateLink,
                'keyVault',
                primary,
                dedicated.keyVaultPrivateEndpoint,
              ),
            }
          : {}),
      });
      const modelScope = new Construct(tenantScope, 'Models');
      for (const [key, account] of Object.entries(allocation.dedicated?.accounts ?? {})) {
        const region = key as AzureRegion;
        const used = new Set(Object.values(account!.deployments).map((d) => d.contentFilter));
        const filters = Object.fromEntries(
          Object.entries(env.endpoints.contentFilters).filter(([name]) => used.has(name)),
        );
        const usedBlocklists = new Set(Object.values(filters).flatMap((f) => f.blocklists));
        accounts[region] = new AiEndpoint(modelScope, region, {
          name: dedicated.accounts[region]!.name,
          location: region,
          resourceGroupName: resourceGroup.name,
          publicNetworkAccess: env.network.publicNetworkAccess,
          deployments: account!.deployments,
          contentFilters: filters,
          blocklists: Object.fromEntries(
            Object.entries(env.endpoints.blocklists).filter(([name]) => usedBlocklists.has(name)),
          ),
          diagnosticSettings: deps.monitoring.diagnostics(),
          tags,
          preventDestroy: protect || preventDestroy === true,
          ...(lock ? { lock } : {}),
          ...(deps.privateLink
            ? {
                privateEndpoint: privateEndpointFor(
                  deps.privateLink,
                  'cognitiveAccount',
                  region,
                  dedicated.accounts[region]!.privateEndpoint,
                ),
              }
            : {}),
        });
      }
    }

    const containerOptions = {
      name: tenantNames.container,
      metadata: { tenant: slug },
      preventDestroy: protect,
    };
    const container = !hasData
      ? undefined
      : deps.containers === 'tenant'
        ? promptLibraryContainer(tenantScope, 'Container', deps.promptLibrary.resourceId, containerOptions)
        : deps.promptLibrary.addContainer(slug, containerOptions);

    let access: TenantAccess | undefined;
    if (hasAccess) {
      const routes = routesFromAccounts(allocation.dedicated?.accounts ?? {});
      const dedicatedPools =
        routes.length > 0
          ? deps.gateway.addDedicatedPools(tenantScope, {
              tenant: slug,
              routes,
              accounts: Object.fromEntries(
                Object.entries(accounts).map(([region, endpoint]) => [
                  region,
                  {
                    name: endpoint!.name,
                    resourceId: endpoint!.resourceId,
                    openAiEndpoint: endpoint!.openAiEndpoint,
                  },
                ]),
              ),
            })
          : {};
      const filter = env.endpoints.contentFilters[tenant.contentFilter]!;
      const auth = tenantAuth(tenant, env.stage);
      const pii = tenantPii(tenant, env.stage);
      // The schema's rules report these with their config paths; a stack built without the rules still never
      // weakens a tenant silently.
      if (auth !== 'key' && !tenant.entra)
        throw new Error(
          `tenants.${slug}.entra: auth "${auth}" needs entra { tenantId, audience, clientApplicationIds }`,
        );
      if (pii !== 'off' && !deps.gateway.languageEndpoint)
        throw new Error(
          `tenants.${slug}.pii: "${pii}" needs the Azure AI Language account (endpoints.language)`,
        );
      access = new TenantAccess(tenantScope, 'Access', {
        slug,
        displayName: tenant.displayName,
        apiManagement: {
          name: deps.gateway.service.name,
          resourceGroupName: deps.gateway.service.resourceGroupName,
          apiName: deps.gateway.api.api.name,
        },
        state: tenant.lifecycle === 'suspended' ? 'suspended' : 'active',
        policyXml: (identity) =>
          renderPolicy(
            tenantProductPolicy({
              slug,
              operations: deps.gateway.operations,
              storedObjects: tenant.storedObjects,
              batchAllowed:
                deps.gateway.operations.some((o) => o.surface === 'batch') &&
                tenant.allowedModels.some((m) => batchModels.has(m)),
              ...(auth !== 'key' && tenant.entra
                ? {
                    entra: {
                      mode: auth,
                      tenantId: tenant.entra.tenantId,
                      audience: tenant.entra.audience,
                      // The tenant's own identity is always allowed, then the app registrations it declares.
                      clientApplicationIds: [identity.clientId, ...tenant.entra.clientApplicationIds],
                      ...(tenant.entra.tokensPerMinutePerUser === undefined
                        ? {}
                        : { tokensPerMinutePerUser: tenant.entra.tokensPerMinutePerUser }),
                    },
                  }
                : {}),
              ...(pii !== 'off' && deps.gateway.languageEndpoint
                ? {
                    pii: {
                      mode: pii,
                      endpoint: deps.gateway.languageEndpoint,
                      metricNamespace: env.gateway.tokenMetrics.namespace,
                    },
                  }
                : {}),
              allowedModels: tenant.allowedModels,
              tokensPerMinute: allocation.tokensPerMinute,
              monthlyTokenQuota: allocation.monthlyTokenQuota,
              ...(deps.gateway.contentSafety
                ? {
                    contentSafety: {
                      backendId: deps.gateway.contentSafety.backendId,
                      shieldPrompt: deps.gateway.contentSafety.shieldPrompt,
                      thresholds: stricterThresholds(
                        deps.gateway.contentSafety.thresholds,
                        contentSafetyThresholds(filter),
                      ),
                    },
                  }
                : {}),
              dedicatedPools,
            }),
          ),
        identity: {
          name: tenantNames.identity,
          location: primary,
          resourceGroupName: resourceGroup?.name ?? groups[primary].name,
        },
        keyVaultId: keyVault?.resourceId ?? deps.platformKeyVaultId,
        secretName: tenantNames.secret,
        tags,
      });
      if (container) {
        addRoleAssignment(tenantScope, 'ContainerAccess', container.id, {
          roleDefinitionName: 'Storage Blob Data Contributor',
          principalId: access.identity.principalId,
          description: `Tenant ${slug} reads and writes its own prompt-library container only`,
        });
      }
    }
    return {
      slug,
      ...(access ? { access } : {}),
      ...(resourceGroup ? { resourceGroup } : {}),
      ...(keyVault ? { keyVault } : {}),
      accounts,
    };
  });
}

/** The budgets of the dedicated tenants among `built`, on their own resource groups. */
export function dedicatedBudgets(
  env: Environment,
  names: EnvironmentNames,
  built: readonly BuiltTenant[],
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
