import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { KeyVault } from '../constructs/key-vault';
import { AiEndpoint } from '../constructs/ai-endpoint';
import { AiGateway, type GatewayNetwork, regionalGatewayHostName } from '../constructs/ai-gateway';
import { ContentSafety } from '../constructs/content-safety';
import { Language } from '../constructs/language';
import { modelKind } from '../constructs/shared/catalog';
import { PromptLibrary } from '../constructs/prompt-library';
import { SemanticCache } from '../constructs/semantic-cache';
import { Monitoring, PrivateLinkScope } from '../constructs/monitoring';
import { Foundry } from '../constructs/foundry';
import { foundryRegion } from '../environments/sections/foundry';
import { environmentNames, environmentRegions } from '../environments/names';
import { privateMonitoring } from '../environments/network-plan';
import { gatewayBatch, gatewayPools } from '../environments/sections/gateway';
import { tenantsIn } from '../environments/sections/tenants';
import type { Environment } from '../environments/schema';
import { addStackFoundation } from './foundation';
import { applyGovernance, dataProtection } from './governance';
import { buildNetwork, type EnvironmentNetwork } from './network';
import type { Tenant } from '../constructs/tenant';
import { buildTenants, dedicatedBudgets, type TenantDependencies } from './tenants';
import { addObservability, type Observability } from './observability';
import {
  gatewayHostNames,
  gatewaySubnetDelegation,
  type SubnetKey,
  type AzureRegion,
} from '../constructs/shared/catalog';
import {
  privateEndpointFor,
  privateEndpointProp,
  type PrivateLinkContext,
} from '../constructs/shared/private-endpoint';
import { buildIngress } from './ingress';
import { synthesizeLeanly } from './performance';
import { buildBudgetEnforcement, buildUsageLedger, ledgerDeployments } from './finops';
import type { BudgetEnforcement, UsageLedger } from '../constructs/finops';
import { addContinuousEvaluationRunner, addGenAiOps, type GenAiOpsContainers } from './genaiops';
import type { RegionalWaf } from '../constructs/ingress';

export { environmentTags, MANAGED_BY } from './foundation';

export interface PlatformStackProps {
  /** The parsed, validated environment. */
  readonly environment: Environment;
}

/**
 * The one stack of the landing zone, instantiated once per environment. It owns the providers, the backend, the
 * stack-wide aspects and the resource groups, and composes the capability constructs. Every difference between
 * environments comes from the configuration.
 */
export class PlatformStack extends TerraformStack {
  readonly environment: Environment;
  /** One resource group per region; the primary region's holds the gateway, Key Vault and monitoring. */
  readonly resourceGroups: Readonly<Record<AzureRegion, ResourceGroup>>;
  /** The workspace every diagnostic setting writes to, and Application Insights. */
  readonly monitoring: Monitoring;
  /** The Azure Monitor Private Link Scope over the workspace and Application Insights, when private monitoring is on. */
  readonly privateLinkScope: PrivateLinkScope | undefined;
  /** The VNets, NSGs and DNS zones the stack created (network mode `create`). */
  readonly network?: EnvironmentNetwork['network'];
  /** The subnets of each region, created or existing; undefined for network mode `none`. */
  private readonly subnets: EnvironmentNetwork['subnets'];
  /** Where private endpoints go: created or existing network; undefined for network mode `none`. */
  readonly privateLink?: PrivateLinkContext;
  /** The identity the gateway runs as; the gateway construct attaches it to APIM. */
  readonly gatewayIdentity: UserAssignedIdentity;
  /** The environment's Key Vault; the gateway identity reads its secrets. */
  readonly keyVault: KeyVault;
  /** The storage account of the prompt library and evaluation data. */
  readonly promptLibrary: PromptLibrary;
  /** The prompt library's platform containers: published prompts and evaluation datasets. */
  readonly genAiOps: GenAiOpsContainers;
  /** The model account of each region that has one. */
  readonly aiEndpoints: Readonly<Partial<Record<AzureRegion, AiEndpoint>>>;
  /** The Content Safety account, when enabled. */
  readonly contentSafety: ContentSafety | undefined;
  /** The Azure AI Language account for PII protection, when enabled. */
  readonly language: Language | undefined;
  /** The Content Safety account of each additional gateway region, when enabled. */
  readonly regionalContentSafety: Readonly<Partial<Record<AzureRegion, ContentSafety>>>;
  /** The AI gateway on API Management. */
  readonly gateway: AiGateway;
  /** The semantic cache (Azure Managed Redis and its connection secret), when enabled. */
  readonly semanticCache?: SemanticCache;
  /** The Azure AI Foundry resource and its platform project, when `foundry.enabled`. */
  readonly foundry: Foundry | undefined;
  /** The WAF in front of each regional gateway (gateway.ingress). */
  readonly ingress: Readonly<Partial<Record<AzureRegion, RegionalWaf>>>;
  /** The tenants of this environment, by slug order; none when they are sharded into their own stacks. */
  readonly tenants: readonly Tenant[];
  /** What tenants use of the platform: the tenant shards reference it across stacks. */
  readonly tenantDependencies: TenantDependencies;
  /** Action groups, alerts, the operations workbook and budgets. */
  readonly observability: Observability;
  /** The usage ledger (Event Hub and its Log Analytics table), when finops.ledger is on. */
  readonly usageLedger: UsageLedger | undefined;
  /** The automation that suspends a tenant at 100 % of its monthly budget, when a tenant has one. */
  readonly budgetEnforcement: BudgetEnforcement | undefined;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    synthesizeLeanly(this);
    const env = props.environment;
    this.environment = env;
    const names = environmentNames(env);
    const protection = dataProtection(env);
    const ampls = env.monitoring.privateLinkScope;

    addStackFoundation(this, env);

    const groupScope = new Construct(this, 'ResourceGroups');
    const groups: Partial<Record<AzureRegion, ResourceGroup>> = {};
    for (const region of environmentRegions(env)) {
      groups[region] = new ResourceGroup(groupScope, region, {
        name: names.resourceGroups[region],
        location: region,
      });
    }
    this.resourceGroups = groups as Record<AzureRegion, ResourceGroup>;
    const primaryGroup = this.resourceGroups[env.regions.primary];

    this.monitoring = new Monitoring(this, 'Monitoring', {
      workspaceName: names.monitoring.workspace,
      applicationInsightsName: names.monitoring.applicationInsights,
      location: env.regions.primary,
      resourceGroupName: primaryGroup.name,
      retentionInDays: env.monitoring.logRetentionInDays,
      ...(env.monitoring.dailyQuotaGb === undefined ? {} : { dailyQuotaGb: env.monitoring.dailyQuotaGb }),
      ...(env.monitoring.commitmentTierGbPerDay === undefined
        ? {}
        : { commitmentTierGbPerDay: env.monitoring.commitmentTierGbPerDay }),
      ...protection,
      // With the private link scope every caller goes through it; public access stays only where config says why.
      internetIngestionEnabled: !privateMonitoring(env) || ampls.publicIngestion.enabled,
      internetQueryEnabled: !privateMonitoring(env) || ampls.publicQuery.enabled,
      existing: env.monitoring.existing,
    });

    const { network, privateLink, subnets, ingressSubnetIds } = buildNetwork(
      this,
      env,
      names,
      this.resourceGroups,
      this.monitoring,
      gatewaySubnetDelegation(env.gateway.sku.tier, env.gateway.network),
    );
    this.subnets = subnets;
    this.network = network;
    this.privateLink = privateLink;
    const primary = env.regions.primary;
    // One scope per DNS (Learn, "Design Azure Monitor Private Link configuration"): its endpoint in the primary region,
    // whose zones every VNet of the environment links, reached from the other regions over the peering.
    this.privateLinkScope =
      privateMonitoring(env) && privateLink
        ? new PrivateLinkScope(this, 'MonitorPrivateLinkScope', {
            name: names.monitoring.privateLinkScope,
            resourceGroupName: primaryGroup.name,
            location: primary,
            ingestionAccessMode: ampls.ingestionAccessMode,
            queryAccessMode: ampls.queryAccessMode,
            scopedResources: {
              workspace: this.monitoring.workspaceId,
              'application-insights': this.monitoring.applicationInsightsId,
            },
            privateEndpoint: privateEndpointFor(
              privateLink,
              'monitorPrivateLinkScope',
              primary,
              names.monitoring.privateLinkScopeEndpoint,
            ),
          })
        : undefined;
    const publicNetworkAccessEnabled = env.network.publicNetworkAccess.enabled;

    this.gatewayIdentity = new UserAssignedIdentity(this, 'GatewayIdentity', {
      name: names.gatewayIdentity,
      location: primary,
      resourceGroupName: primaryGroup.name,
    });

    const tenantId = env.azure.tenantId ?? new DataAzurermClientConfig(this, 'ClientConfig', {}).tenantId;
    this.keyVault = new KeyVault(this, 'KeyVault', {
      name: names.keyVault.vault,
      location: primary,
      resourceGroupName: primaryGroup.name,
      tenantId,
      skuName: env.keyVault.skuName,
      softDeleteRetentionInDays: env.keyVault.softDeleteRetentionInDays,
      purgeProtectionEnabled: !env.keyVault.disablePurgeProtection.enabled,
      publicNetworkAccessEnabled,
      diagnosticSettings: this.monitoring.diagnostics({ logCategories: ['AuditEvent'] }),
      ...protection,
      roleAssignments: {
        gatewaySecretsUser: {
          roleDefinitionName: 'Key Vault Secrets User',
          principalId: this.gatewayIdentity.principalId,
          description: 'APIM named values read their secrets from Key Vault.',
        },
      },
      ...privateEndpointProp(privateLink, 'keyVault', primary, names.keyVault.privateEndpoint),
    });

    this.promptLibrary = new PromptLibrary(this, 'PromptLibrary', {
      name: names.promptLibrary.account,
      location: primary,
      resourceGroupName: primaryGroup.name,
      replication: env.promptLibrary.replication,
      blobSoftDeleteRetentionInDays: env.promptLibrary.blobSoftDeleteRetentionInDays,
      containerSoftDeleteRetentionInDays: env.promptLibrary.containerSoftDeleteRetentionInDays,
      ...(env.promptLibrary.changeFeedRetentionInDays === undefined
        ? {}
        : { changeFeedRetentionInDays: env.promptLibrary.changeFeedRetentionInDays }),
      publicNetworkAccessEnabled,
      diagnosticSettings: this.monitoring.diagnostics(),
      ...protection,
      ...privateEndpointProp(privateLink, 'storageBlob', primary, names.promptLibrary.privateEndpoint),
    });
    this.genAiOps = addGenAiOps(env, this.promptLibrary);
    const endpointScope = new Construct(this, 'AiEndpoints');
    const endpoints: Partial<Record<AzureRegion, AiEndpoint>> = {};
    for (const [key, account] of Object.entries(env.endpoints.accounts)) {
      const region = key as AzureRegion;
      const accountNames = names.aiAccounts[region]!;
      const usedFilters = new Set(Object.values(account!.deployments).map((d) => d.contentFilter));
      const filters = Object.fromEntries(
        Object.entries(env.endpoints.contentFilters).filter(([name]) => usedFilters.has(name)),
      );
      const usedBlocklists = new Set(Object.values(filters).flatMap((f) => f.blocklists));
      endpoints[region] = new AiEndpoint(endpointScope, region, {
        name: accountNames.name,
        location: region,
        resourceGroupName: this.resourceGroups[region].name,
        kind: account!.kind,
        publicNetworkAccess: env.network.publicNetworkAccess,
        restrictOutboundNetworkAccess: account!.restrictOutboundNetworkAccess,
        allowedFqdns: account!.allowedFqdns,
        deployments: account!.deployments,
        contentFilters: filters,
        blocklists: Object.fromEntries(
          Object.entries(env.endpoints.blocklists).filter(([name]) => usedBlocklists.has(name)),
        ),
        diagnosticSettings: this.monitoring.diagnostics(),
        ...protection,
        ...privateEndpointProp(this.privateLink, 'cognitiveAccount', region, accountNames.privateEndpoint),
      });
    }
    this.aiEndpoints = endpoints;

    const safety = env.endpoints.contentSafety;
    const safetyRegion = safety.region ?? env.regions.primary;
    // One account for the primary gateway, and one in every additional gateway region: each checks content locally.
    const contentSafetyAccount = (
      id: string,
      region: AzureRegion,
      accountNames: { readonly name: string; readonly privateEndpoint: string },
    ) =>
      new ContentSafety(this, id, {
        name: accountNames.name,
        location: region,
        resourceGroupName: this.resourceGroups[region].name,
        sku: safety.sku,
        publicNetworkAccess: env.network.publicNetworkAccess,
        diagnosticSettings: this.monitoring.diagnostics(),
        ...privateEndpointProp(this.privateLink, 'cognitiveAccount', region, accountNames.privateEndpoint),
      });
    this.contentSafety = safety.enabled
      ? contentSafetyAccount('ContentSafety', safetyRegion, names.contentSafety)
      : undefined;

    const lang = env.endpoints.language;
    const languageRegion = lang.region ?? env.regions.primary;
    this.language = lang.enabled
      ? new Language(this, 'Language', {
          name: names.language.name,
          location: languageRegion,
          resourceGroupName: this.resourceGroups[languageRegion].name,
          sku: lang.sku,
          publicNetworkAccess: env.network.publicNetworkAccess,
          diagnosticSettings: this.monitoring.diagnostics(),
          ...privateEndpointProp(
            this.privateLink,
            'cognitiveAccount',
            languageRegion,
            names.language.privateEndpoint,
          ),
        })
      : undefined;

    this.usageLedger = buildUsageLedger(this, env, names, {
      resourceGroupName: primaryGroup.name,
      monitoring: this.monitoring,
      privateLink,
      senderPrincipalId: this.gatewayIdentity.principalId,
      protection,
    });

    const gw = env.gateway;
    const pools = gatewayPools(env);
    const routedKinds = new Set(
      pools.flatMap((p) =>
        p.candidates.map((c) =>
          modelKind(env.endpoints.accounts[c.region]?.deployments[c.deployment]?.model.name ?? p.model),
        ),
      ),
    );
    const batch = gatewayBatch(env);
    const additionalRegions = Object.keys(gw.regions.additional) as AzureRegion[];
    const regionalSafety: Partial<Record<AzureRegion, ContentSafety>> = {};
    if (safety.enabled) {
      for (const region of additionalRegions) {
        regionalSafety[region] = contentSafetyAccount(
          `ContentSafety-${region}`,
          region,
          names.gatewayRegions[region]!.contentSafety,
        );
      }
    }
    this.regionalContentSafety = regionalSafety;
    this.semanticCache = this.buildSemanticCache(names);
    this.gateway = new AiGateway(this, 'Gateway', {
      name: names.gateway.service,
      location: primary,
      resourceGroupName: primaryGroup.name,
      sku: gw.sku,
      publisher: gw.publisher,
      network: this.gatewayNetwork(gw.network, names.gateway.privateEndpoint),
      zones: gw.zones,
      publicIpName: names.gateway.publicIp,
      additionalLocations: additionalRegions.map((region) => ({
        location: region,
        capacity: gw.regions.additional[region]!.capacity,
        zones: gw.regions.additional[region]!.zones,
        publicIpName: names.gatewayRegions[region]!.managementPublicIp,
        ...(gw.network === 'internal' ? { subnetId: this.subnetId(region, 'gateway') } : {}),
      })),
      minApiVersion: gw.minApiVersion,
      identity: {
        resourceId: this.gatewayIdentity.id,
        clientId: this.gatewayIdentity.clientId,
        principalId: this.gatewayIdentity.principalId,
      },
      pools,
      accounts: Object.fromEntries(
        Object.entries(this.aiEndpoints).map(([region, endpoint]) => [
          region,
          {
            name: endpoint!.name,
            resourceId: endpoint!.resourceId,
            openAiEndpoint: endpoint!.openAiEndpoint,
          },
        ]),
      ),
      circuitBreaker: gw.circuitBreaker,
      ...(gw.retryCount === undefined ? {} : { retryCount: gw.retryCount }),
      tokenLimit: gw.tokenLimit,
      tokenMetrics: gw.tokenMetrics,
      ...(gw.contentSafety.enabled && this.contentSafety
        ? {
            contentSafety: {
              endpoint: this.contentSafety.endpoint,
              resourceId: this.contentSafety.resourceId,
              shieldPrompt: gw.contentSafety.shieldPrompt,
              thresholds: gw.contentSafety.thresholds,
              regional: Object.fromEntries(
                Object.entries(regionalSafety).map(([region, account]) => [
                  region,
                  { endpoint: account!.endpoint, resourceId: account!.resourceId },
                ]),
              ),
            },
          }
        : {}),
      ...(gw.semanticCache.enabled && this.semanticCache
        ? {
            semanticCache: {
              embeddingsModel: gw.semanticCache.embeddingsDeployment,
              cacheResourceId: this.semanticCache.resourceId,
              connectionSecretUri: this.semanticCache.secretUri,
              dependsOn: [
                this.semanticCache.secret,
                this.keyVault.features.roleAssignments['gatewaySecretsUser']!,
              ],
            },
          }
        : {}),
      applicationInsights: {
        resourceId: this.monitoring.applicationInsightsId,
        connectionString: this.monitoring.applicationInsightsConnectionString,
      },
      ...(this.usageLedger
        ? {
            usageLedger: {
              endpointAddress: this.usageLedger.endpointAddress,
              hubName: this.usageLedger.hubName,
              deployments: ledgerDeployments(env, names),
              senderRole: this.usageLedger.senderRole,
            },
          }
        : {}),
      ...(this.language
        ? { language: { endpoint: this.language.endpoint, resourceId: this.language.resourceId } }
        : {}),
      ...(batch ? { batch: { region: batch.region } } : {}),
      extraSurfaces: (['images', 'audio'] as const).filter((kind) => routedKinds.has(kind)),
      samplingPercentage: gw.logging.samplingPercentage,
      llmMessages: gw.logging.llmMessages,
      diagnosticSettings: this.monitoring.diagnostics({ destinationType: 'Dedicated' }),
    });

    if (gw.network === 'internal' && this.network) {
      // Internal mode publishes no DNS: a private zone per host name answers with the private VIP in every VNet.
      // With a bring-your-own hub, the hub's DNS does this (network.providedByHub.dns).
      this.network.addHostZones(
        'GatewayDns',
        gatewayHostNames(names.gateway.service),
        this.gateway.service.privateIpAddresses,
      );
      if (additionalRegions.length > 0) {
        // Each regional gateway has a host name of its own, which answers with that region's private VIP: the
        // regional WAF and applications that must stay in their region call it.
        const primaryRegion = env.regions.primary;
        this.network.addHostZones(
          'RegionalGatewayDns',
          { [primaryRegion]: regionalGatewayHostName(names.gateway.service, primaryRegion) },
          this.gateway.service.privateIpAddresses,
        );
        additionalRegions.forEach((region, i) => {
          this.network!.addHostZones(
            `RegionalGatewayDns-${region}`,
            { [region]: regionalGatewayHostName(names.gateway.service, region) },
            this.gateway.service.additionalLocation.get(i).privateIpAddresses,
          );
        });
      }
    }

    this.ingress = buildIngress(this, env, names, {
      resourceGroups: this.resourceGroups,
      keyVault: this.keyVault,
      monitoring: this.monitoring,
      ingressSubnetIds: ingressSubnetIds ?? {},
    });

    this.foundry = this.buildFoundry(protection);
    addContinuousEvaluationRunner(this, env, {
      workspaceId: this.monitoring.workspaceId,
      applicationInsightsId: this.monitoring.applicationInsightsId,
      ...(this.foundry ? { platformProjectId: this.foundry.platformProject.resourceId } : {}),
    });
    const foundryTargets = this.foundryTargets();

    this.tenantDependencies = {
      ...(this.foundry && foundryTargets
        ? {
            foundry: {
              foundry: this.foundry,
              connections: foundryTargets,
              gatewayUrl: `https://${this.gateway.name}.azure-api.net/openai`,
            },
          }
        : {}),
      gateway: this.gateway,
      platformKeyVaultId: this.keyVault.resourceId,
      promptLibrary: this.promptLibrary,
      monitoring: this.monitoring,
      privateLink,
      tenantId,
    };
    // Sharded: the tenants live in their own stacks (stacks/tenant-shard-stack.ts), which read these dependencies.
    this.tenants = env.tenantShards
      ? []
      : buildTenants(this, env, names, this.resourceGroups, this.tenantDependencies);

    // Last: alerts watch what is built above. The gateway, the Key Vault and the tenants join through these inputs.
    this.observability = addObservability(
      this,
      env,
      names,
      {
        resourceGroups: this.resourceGroups,
        monitoring: this.monitoring,
        aiEndpoints: this.aiEndpoints,
        contentSafety: this.contentSafety,
        gateway: this.gateway,
        keyVault: this.keyVault,
      },
      {
        quotas: tenantsIn(env)
          .filter((t) => t.hasAccess)
          .map((t) => ({ slug: t.slug, monthlyTokenQuota: t.allocation.monthlyTokenQuota })),
        dedicatedBudgets: dedicatedBudgets(env, names, this.tenants),
      },
    );

    this.budgetEnforcement = buildBudgetEnforcement(this, env, names, {
      resourceGroupName: primaryGroup.name,
      gatewayId: this.gateway.resourceId,
      monitoring: this.monitoring,
      actionGroups: this.observability.actionGroups,
    });

    applyGovernance(this);
  }

  /**
   * cdktf prepares every stack before writing any: it resolves each element once more, only to find references to
   * other stacks and wire them through outputs and remote state. The platform stack reads no other stack (the tenant
   * shards read it, and their own preparing pass adds the outputs here), so it skips that pass, a tenth of synth at
   * 1,000 tenants. Were it to use another stack's resource, the reference would be written unresolved and the plan
   * check LZ.Plan.References would fail synth.
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }

  /**
   * The semantic cache: an Azure Managed Redis with RediSearch behind a private endpoint in the gateway's region (or
   * an existing one), and its connection string in the environment's Key Vault.
   */
  private buildSemanticCache(names: ReturnType<typeof environmentNames>): SemanticCache | undefined {
    const env = this.environment;
    const config = env.gateway.semanticCache;
    if (!config.enabled) return undefined;
    const primary = env.regions.primary;
    const group = this.resourceGroups[primary];
    const cacheNames = names.semanticCache;
    return new SemanticCache(this, 'SemanticCache', {
      cache:
        config.cache.mode === 'existing'
          ? { mode: 'existing', resourceId: config.cache.resourceId, location: config.cache.region }
          : {
              mode: 'create',
              name: cacheNames!.cache,
              location: primary,
              resourceGroupId: group.id,
              resourceGroupName: group.name,
              sku: config.cache.sku,
              highAvailability: config.cache.highAvailability,
            },
      keyVaultId: this.keyVault.resourceId,
      connectionSecretVersion: config.connectionSecretVersion,
      ...(config.cache.mode === 'create'
        ? {
            diagnosticSettings: { workspaceId: this.monitoring.workspaceId },
            ...dataProtection(env),
            ...privateEndpointProp(this.privateLink, 'managedRedis', primary, cacheNames!.privateEndpoint),
          }
        : {}),
    });
  }

  /** What every Foundry project connects to: Application Insights, the prompt library, Content Safety. */
  private foundryTargets() {
    const names = environmentNames(this.environment);
    return {
      applicationInsights: {
        resourceId: this.monitoring.applicationInsightsId,
        connectionString: this.monitoring.applicationInsightsConnectionString,
      },
      promptLibrary: {
        resourceId: this.promptLibrary.resourceId,
        name: names.promptLibrary.account,
        blobEndpoint: `https://${names.promptLibrary.account}.blob.core.windows.net/`,
      },
      ...(this.contentSafety
        ? {
            contentSafety: {
              resourceId: this.contentSafety.resourceId,
              endpoint: this.contentSafety.endpoint,
            },
          }
        : {}),
    };
  }

  /**
   * The Foundry resource with its platform project, when `foundry.enabled`: private like every account, outbound
   * limited to its connections' hosts.
   */
  private buildFoundry(protection: ReturnType<typeof dataProtection>): Foundry | undefined {
    const env = this.environment;
    const names = environmentNames(env).foundry;
    if (!names) return undefined;
    const region = foundryRegion(env);
    const targets = this.foundryTargets();
    return new Foundry(this, 'Foundry', {
      name: names.account,
      location: region,
      resourceGroupName: this.resourceGroups[region].name,
      sku: env.foundry.sku,
      publicNetworkAccess: env.network.publicNetworkAccess,
      allowedFqdns: [
        `${this.gateway.name}.azure-api.net`,
        `${targets.promptLibrary.name}.blob.core.windows.net`,
        ...(this.contentSafety ? [`${this.contentSafety.name}.cognitiveservices.azure.com`] : []),
        `${env.regions.primary}.in.applicationinsights.azure.com`,
      ],
      platformProject: { name: names.platformProject, connections: targets },
      diagnosticSettings: this.monitoring.diagnostics(),
      ...protection,
      ...privateEndpointProp(this.privateLink, 'cognitiveAccount', region, names.privateEndpoint),
    });
  }

  /** The gateway's network path, from the environment's network. */
  private gatewayNetwork(
    mode: 'public' | 'internal' | 'privateEndpoint',
    privateEndpointName: string,
  ): GatewayNetwork {
    const region = this.environment.regions.primary;
    if (mode === 'public') return { mode };
    if (mode === 'internal') return { mode, subnetId: this.subnetId(region, 'gateway') };
    if (!this.privateLink)
      throw new Error(`${this.node.path}: a privateEndpoint gateway needs a private network`);
    return {
      mode,
      integrationSubnetId: this.subnetId(region, 'gateway'),
      privateEndpoint: privateEndpointFor(this.privateLink, 'apiManagement', region, privateEndpointName),
    };
  }

  /** The id of a subnet of the environment's network. */
  private subnetId(region: AzureRegion, purpose: SubnetKey): string {
    if (!this.subnets) {
      throw new Error(
        `${this.node.path}: network mode "${this.environment.network.mode}" has no ${purpose} subnet in ${region}`,
      );
    }
    return this.subnets.subnetId(region, purpose);
  }
}
