import { Construct } from 'constructs';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import type { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { AiEndpoint, type AiEndpointProps } from '../ai-endpoint';
import type { AiGateway, ContentSafetyThresholds, ModelPool, TenantSecurity } from '../ai-gateway';
import { KeyVault, type KeyVaultProps } from '../key-vault';
import {
  type PromptLibrary,
  promptLibraryContainer,
  type PromptLibraryContainerOptions,
} from '../prompt-library';
import { type AzureRegion, FILTER_SEVERITY_ON_EIGHT_LEVELS, type FilterSeverity } from '../shared/catalog';
import { addRoleAssignment } from '../shared/features';
import { TenantAccess, type TenantAccessProps } from './tenant-access';
import type { Foundry, FoundryConnectionTargets, FoundryProject } from '../foundry';

/** The severities from which a content filter blocks prompts, per harm category. */
export interface PromptFilterSeverities {
  readonly hate: FilterSeverity;
  readonly sexual: FilterSeverity;
  readonly selfHarm: FilterSeverity;
  readonly violence: FilterSeverity;
}

/**
 * The gateway's content-safety thresholds for a content filter, on the eight-level scale (the catalog's
 * `FILTER_SEVERITY_ON_EIGHT_LEVELS`): a filter that blocks from Low blocks from level 2, from Medium at 4, from High at 6.
 */
export function contentSafetyThresholds(prompt: PromptFilterSeverities): ContentSafetyThresholds {
  return {
    hate: FILTER_SEVERITY_ON_EIGHT_LEVELS[prompt.hate],
    sexual: FILTER_SEVERITY_ON_EIGHT_LEVELS[prompt.sexual],
    selfHarm: FILTER_SEVERITY_ON_EIGHT_LEVELS[prompt.selfHarm],
    violence: FILTER_SEVERITY_ON_EIGHT_LEVELS[prompt.violence],
  };
}

/** A dedicated tenant's own resources, in its own resource group. */
export interface DedicatedTenantProps {
  readonly resourceGroup: { readonly name: string; readonly location: string };
  readonly keyVault: Omit<KeyVaultProps, 'resourceGroupName' | 'tags'>;
  /** The tenant's model accounts, by region. @default - none */
  readonly accounts?: Readonly<
    Partial<Record<AzureRegion, Omit<AiEndpointProps, 'resourceGroupName' | 'tags'>>>
  >;
}

/** The tenant's way in to the gateway. */
export interface TenantGatewayAccessProps extends Pick<
  TenantAccessProps,
  'displayName' | 'state' | 'secretName'
> {
  readonly gateway: AiGateway;
  readonly allowedModels: readonly string[];
  /** Verification tenant only: it may ask for one shared backend per request. @default false */
  readonly verificationProbe?: boolean;
  /**
   * Sign-in, stored objects, batch and PII at the gateway. The sign-in's client applications are the ones declared
   * here; the tenant's own identity is always added. @default - the subscription key alone, stored objects isolated
   */
  readonly security?: Omit<TenantSecurity, 'slug'>;
  /**
   * The tenant uses the gateway's semantic cache, in its own partition (needs `security`: the slug is the key).
   * @default - no semantic cache
   */
  readonly semanticCache?: { readonly scoreThreshold: number; readonly durationSeconds: number };
  readonly tokensPerMinute: number;
  readonly monthlyTokenQuota: number;
  /** The prompt severities of the tenant's content filter: the gateway's check is the stricter of its own and these. */
  readonly promptFilter: PromptFilterSeverities;
  /** The tenant's own models and the deployments of its accounts that serve them. @default - none */
  readonly dedicatedPools?: readonly ModelPool[];
  /** Where the identity lives when the tenant has no resource group of its own. */
  readonly identity: { readonly name: string; readonly location: string; readonly resourceGroupName: string };
  /** The vault of the subscription key when the tenant has none of its own. */
  readonly keyVaultId: string;
}

export interface TenantProps {
  /** The tenant slug: the construct id in `Tenants/`, the product id and the metric dimension. */
  readonly slug: string;
  readonly tags: Readonly<Record<string, string>>;
  /** @default - the tenant uses the shared resources only */
  readonly dedicated?: DedicatedTenantProps;
  /**
   * The tenant's prompt-library container: in the library (next to the account) or with the tenant (`Container`, in a
   * tenant shard). @default - none
   */
  readonly container?: PromptLibraryContainerOptions & {
    readonly library: PromptLibrary;
    readonly placement: 'library' | 'tenant';
  };
  /** @default - no access (an offboarded tenant keeps only its data) */
  readonly access?: TenantGatewayAccessProps;
  /**
   * A Foundry project of the tenant's own, running as its identity, with connections to the gateway (through its
   * product), Application Insights, its prompt-library container and Content Safety. Needs `access`.
   * @default - none
   */
  readonly foundryProject?: TenantFoundryProjectProps;
}

/** A tenant's Foundry project. */
export interface TenantFoundryProjectProps {
  readonly foundry: Foundry;
  readonly name: string;
  /** The shared connection targets; the gateway key and the container are the tenant's own. */
  readonly connections: Pick<FoundryConnectionTargets, 'applicationInsights' | 'contentSafety'> & {
    readonly promptLibrary: Omit<FoundryConnectionTargets['promptLibrary'], 'container'>;
  };
  /** `https://<apim>.azure-api.net/openai`. */
  readonly gatewayUrl: string;
}

/**
 * One tenant: for the dedicated tier its resource group, Key Vault and model accounts, and the gateway's pools over
 * them; its prompt-library container; and its way in (`TenantAccess`), whose identity alone may use the container.
 * Its construct id is the slug, so adding or removing a tenant never moves another's addresses.
 */
export class Tenant extends Construct {
  readonly slug: string;
  readonly resourceGroup?: ResourceGroup;
  readonly keyVault?: KeyVault;
  readonly accounts: Readonly<Partial<Record<AzureRegion, AiEndpoint>>>;
  readonly container?: StorageContainer;
  readonly access?: TenantAccess;
  readonly foundryProject?: FoundryProject;

  constructor(scope: Construct, props: TenantProps) {
    super(scope, props.slug);
    this.slug = props.slug;
    const tags = { ...props.tags };

    const accounts: Partial<Record<AzureRegion, AiEndpoint>> = {};
    if (props.dedicated) {
      const dedicated = props.dedicated;
      this.resourceGroup = new ResourceGroup(this, 'ResourceGroup', { ...dedicated.resourceGroup, tags });
      this.keyVault = new KeyVault(this, 'KeyVault', {
        ...dedicated.keyVault,
        resourceGroupName: this.resourceGroup.name,
        tags,
      });
      const modelScope = new Construct(this, 'Models');
      for (const [region, account] of Object.entries(dedicated.accounts ?? {})) {
        accounts[region as AzureRegion] = new AiEndpoint(modelScope, region, {
          ...account!,
          resourceGroupName: this.resourceGroup.name,
          tags,
        });
      }
    }
    this.accounts = accounts;

    if (props.container) {
      const { library, placement, ...options } = props.container;
      this.container =
        placement === 'tenant'
          ? promptLibraryContainer(this, 'Container', library.resourceId, options)
          : library.addContainer(props.slug, options);
    }

    if (props.access) {
      const access = props.access;
      const gateway = access.gateway;
      const dedicatedPools =
        (access.dedicatedPools ?? []).length > 0
          ? gateway.addDedicatedPools(this, {
              tenant: props.slug,
              pools: access.dedicatedPools!,
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
      this.access = new TenantAccess(this, 'Access', {
        slug: props.slug,
        displayName: access.displayName,
        apiManagement: {
          name: gateway.service.name,
          resourceGroupName: gateway.service.resourceGroupName,
          apiName: gateway.api.api.name,
        },
        state: access.state,
        policyXml: (identity) =>
          gateway.tenantPolicy({
            allowedModels: access.allowedModels,
            ...(access.security
              ? {
                  security: {
                    ...access.security,
                    slug: props.slug,
                    ...(access.security.entra
                      ? {
                          entra: {
                            ...access.security.entra,
                            // The tenant's own identity is always allowed, then the app registrations it declares.
                            clientApplicationIds: [
                              identity.clientId,
                              ...access.security.entra.clientApplicationIds,
                            ],
                          },
                        }
                      : {}),
                  },
                }
              : {}),
            ...(access.verificationProbe === true ? { verificationProbe: true } : {}),
            tokensPerMinute: access.tokensPerMinute,
            monthlyTokenQuota: access.monthlyTokenQuota,
            contentSafetyThresholds: contentSafetyThresholds(access.promptFilter),
            dedicatedPools,
            ...(access.semanticCache ? { semanticCache: access.semanticCache } : {}),
          }),
        identity: {
          ...access.identity,
          resourceGroupName: this.resourceGroup?.name ?? access.identity.resourceGroupName,
        },
        keyVaultId: this.keyVault?.resourceId ?? access.keyVaultId,
        secretName: access.secretName,
        tags,
      });
      if (this.container) {
        addRoleAssignment(this, 'ContainerAccess', this.container.id, {
          roleDefinitionName: 'Storage Blob Data Contributor',
          principalId: this.access.identity.principalId,
          description: `Tenant ${props.slug} reads and writes its own prompt-library container only`,
        });
      }
    }

    if (props.foundryProject) {
      if (!this.access || !props.access)
        throw new Error(
          `${this.node.path}: a Foundry project runs as the tenant's identity; it needs access`,
        );
      const project = props.foundryProject;
      const identity = this.access.identity;
      this.foundryProject = project.foundry.addProject(this, 'FoundryProject', {
        name: project.name,
        displayName: props.access.displayName,
        description: `Foundry project of tenant ${props.slug}; it reaches models only through the tenant's product on the AI gateway.`,
        identity: { kind: 'user', resourceId: identity.id, principalId: identity.principalId },
        connections: {
          // No Content Safety connection: its only built-in role (Cognitive Services User) would let the tenant change
          // the shared account's blocklists. The tenant's calls are checked by the gateway's llm-content-safety.
          applicationInsights: project.connections.applicationInsights,
          promptLibrary: {
            ...project.connections.promptLibrary,
            ...(this.container
              ? { container: { name: this.container.name, resourceId: this.container.id } }
              : {}),
          },
          gateway: {
            url: project.gatewayUrl,
            resourceId: props.access.gateway.service.id,
            subscriptionKey: this.access.subscription.primaryKey,
            models: props.access.allowedModels,
          },
        },
        // The identity already reads and writes its own container (ContainerAccess).
        grantPromptLibraryReader: !this.container,
        users: {
          tenant: {
            principalId: identity.principalId,
            description: `Tenant ${props.slug}'s application uses its own Foundry project only`,
          },
        },
        tags,
      });
    }
  }
}
