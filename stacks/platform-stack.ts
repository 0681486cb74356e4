import { Aspects, AzurermBackend, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { AiEndpoint } from '../constructs/ai-endpoint';
import { ContentSafety } from '../constructs/content-safety';
import { DiagnosticsCoverageAspect, Monitoring } from '../constructs/monitoring';
import { AzapiProvider } from '../constructs/shared/azapi';
import { TagsAspect } from '../constructs/shared/tags';
import { type PrivateLinkContext, privateEndpointFor } from '../constructs/shared/private-link';
import type { AzureRegion } from '../constructs/shared/regions';
import { environmentNames, environmentRegions } from '../environments/names';
import type { Environment } from '../environments/schema';
import { addObservability, type Observability } from './observability';

/** Value of the `managedBy` tag on every resource. */
export const MANAGED_BY = 'cdktf:genai-landing-zone';

export interface PlatformStackProps {
  /** The parsed, validated environment. */
  readonly environment: Environment;
}

/** The mandatory tags of an environment, as the tags aspect applies them. */
export function environmentTags(env: Environment): Record<string, string> {
  const { additional, ...named } = env.tags;
  const defined = Object.fromEntries(
    Object.entries(named).filter(([, value]) => value !== undefined),
  ) as Record<string, string>;
  return { ...additional, ...defined, environment: env.name, workload: env.workload, managedBy: MANAGED_BY };
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
  /** Where private endpoints go; undefined when the environment has no private network. */
  readonly privateLink: PrivateLinkContext | undefined;
  /** The model account of each region that has one. */
  readonly aiEndpoints: Readonly<Partial<Record<AzureRegion, AiEndpoint>>>;
  /** The Content Safety account, when enabled. */
  readonly contentSafety: ContentSafety | undefined;
  /** Action groups, alerts, the operations workbook and budgets. */
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    const env = props.environment;
    this.environment = env;
    const names = environmentNames(env);

    const useOidc = env.backend.type === 'azurerm' ? env.backend.useOidc : undefined;
    new AzurermProvider(this, 'azurerm', {
      features: [
        {
          keyVault: [
            {
              purgeSoftDeleteOnDestroy: env.azure.purgeSoftDeletedOnDestroy,
              recoverSoftDeletedKeyVaults: true,
            },
          ],
          cognitiveAccount: [{ purgeSoftDeleteOnDestroy: env.azure.purgeSoftDeletedOnDestroy }],
          apiManagement: [
            { purgeSoftDeleteOnDestroy: env.azure.purgeSoftDeletedOnDestroy, recoverSoftDeleted: true },
          ],
          resourceGroup: [{ preventDeletionIfContainsResources: true }],
        },
      ],
      storageUseAzuread: true,
      ...(env.azure.subscriptionId ? { subscriptionId: env.azure.subscriptionId } : {}),
      ...(env.azure.tenantId ? { tenantId: env.azure.tenantId } : {}),
      ...(useOidc ? { useOidc } : {}),
    });
    new AzapiProvider(this, 'azapi', {
      ...(env.azure.subscriptionId ? { subscriptionId: env.azure.subscriptionId } : {}),
      ...(env.azure.tenantId ? { tenantId: env.azure.tenantId } : {}),
      ...(useOidc ? { useOidc } : {}),
    });
    new RandomProvider(this, 'random');

    if (env.backend.type === 'azurerm') {
      new AzurermBackend(this, {
        resourceGroupName: env.backend.resourceGroupName,
        storageAccountName: env.backend.storageAccountName,
        containerName: env.backend.containerName,
        key: env.backend.key ?? `${env.name}.tfstate`,
        useAzureadAuth: true,
        ...(env.backend.useOidc ? { useOidc: true } : {}),
        ...(env.backend.subscriptionId ? { subscriptionId: env.backend.subscriptionId } : {}),
        ...(env.backend.tenantId ? { tenantId: env.backend.tenantId } : {}),
      });
    } else {
      // Relative to cdktf.out/stacks/<id>: the state stays in the project root, outside the synthesized output that
      // every synth replaces, and no absolute path leaks into the plan.
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    }

    Aspects.of(this).add(new TagsAspect(environmentTags(env)));

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
    });

    this.privateLink = undefined;

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
        ...(this.privateLink
          ? {
              privateEndpoint: privateEndpointFor(
                this.privateLink,
                'cognitiveAccount',
                region,
                accountNames.privateEndpoint,
              ),
            }
          : {}),
      });
    }
    this.aiEndpoints = endpoints;

    const safety = env.endpoints.contentSafety;
    const safetyRegion = safety.region ?? env.regions.primary;
    this.contentSafety = safety.enabled
      ? new ContentSafety(this, 'ContentSafety', {
          name: names.contentSafety.name,
          location: safetyRegion,
          resourceGroupName: this.resourceGroups[safetyRegion].name,
          sku: safety.sku,
          publicNetworkAccess: env.network.publicNetworkAccess,
          diagnosticSettings: this.monitoring.diagnostics(),
          ...(this.privateLink
            ? {
                privateEndpoint: privateEndpointFor(
                  this.privateLink,
                  'cognitiveAccount',
                  safetyRegion,
                  names.contentSafety.privateEndpoint,
                ),
              }
            : {}),
        })
      : undefined;

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
      },
      { gateway: undefined, keyVault: undefined, tenants: [], dedicatedBudgets: [] },
    );
    Aspects.of(this).add(new DiagnosticsCoverageAspect(this.monitoring.workspace));
  }
}
