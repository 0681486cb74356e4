import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { ApiManagementLogger } from '@cdktf/provider-azurerm/lib/api-management-logger';
import { ApiManagementNamedValue } from '@cdktf/provider-azurerm/lib/api-management-named-value';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { AzapiResource, AzapiUpdateResource } from '../shared/azapi';
import {
  addDiagnosticSetting,
  addRoleAssignment,
  addStandardFeatures,
  type StandardFeatures,
} from '../shared/features';
import type { OptIn, PrivateEndpointOptions, StandardResourceProps } from '../shared/interfaces';
import { suppressRule } from '../shared/policy/suppressions';
import { regionCondition, type RegionalRouting, regionalRouting } from './regional-routing';
import { InferenceApi } from './api';
import {
  BACKENDS_API,
  type BackendAccount,
  circuitBreakerRule,
  type CircuitBreakerOptions,
  managedIdentityCredentials,
  ModelBackends,
} from './backends';
import { GatewayObservability } from './observability';
import { inferencePolicy, renderPolicy } from './policies/inference-policy';
import { type ContentSafetyThresholds, stricterThresholds, type TokenLimitOptions } from './policies/llm';
import { tenantProductPolicy } from './policies/product-policy';
import { defaultRetryCount, type ModelPool, type ModelRoute, planRoutes } from './routing';
import {
  PRIVATE_LINK_SERVICES,
  type AzureRegion,
  GATEWAY_TIERS,
  type GatewayTier,
  regionCode,
} from '../shared/catalog';
import { type GatewayOperation, type OperationSurface, operationsOf } from './operations';
import type { EntraAuthOptions } from './policies/entra-auth';
import type { StoredObjectsMode } from './policies/ownership';
import type { PiiMode } from './policies/pii';
import { type LedgerDeployment, ledgerLookupChunks, ledgerLookupNamedValue } from './policies/usage-ledger';
import { csString } from './policies/xml';

/** How clients reach the gateway and how it reaches the models. */
export type GatewayNetwork =
  /** No VNet: a public gateway that reaches public model endpoints (dev only). */
  | { readonly mode: 'public' }
  /** Injected into `subnetId` behind an internal load balancer (Developer, Premium, PremiumV2). */
  | { readonly mode: 'internal'; readonly subnetId: string }
  /**
   * Inbound through a private endpoint, outbound through VNet integration in `integrationSubnetId` (StandardV2,
   * PremiumV2). Public access is turned off after creation.
   */
  | {
      readonly mode: 'privateEndpoint';
      readonly integrationSubnetId: string;
      readonly privateEndpoint: PrivateEndpointOptions;
    };

/**
 * The gateway's user-assigned identity: Key Vault named values and the Application Insights logger authenticate as
 * it. Calls to backends (models, Content Safety) authenticate as the service's system-assigned identity, the form
 * Microsoft documents for backend credentials (see the README's decision log).
 */
export interface GatewayIdentity {
  readonly resourceId: string;
  readonly clientId: string;
  readonly principalId: string;
}

/** An additional location of a Premium gateway: a regional gateway of the same service, in its own subnet. */
export interface GatewayAdditionalLocation {
  readonly location: AzureRegion;
  /** Scale units in this region. */
  readonly capacity: number;
  /** Availability zones in this region. @default - none */
  readonly zones?: readonly string[];
  /** The subnet of this region the gateway is injected into (network mode `internal`). */
  readonly subnetId?: string;
  /** Name of the public IP that zonal injection needs in this region. @default - `pip-<name>-<region>` */
  readonly publicIpName?: string;
}

/** The Content Safety account of one additional gateway region. */
export interface RegionalContentSafety {
  readonly endpoint: string;
  readonly resourceId: string;
}

/** A model account behind the gateway. */
export interface GatewayModelAccount extends BackendAccount {
  /** ARM id, for the role assignment. */
  readonly resourceId: string;
}

export interface AiGatewayProps extends Omit<StandardResourceProps, 'privateEndpoint'> {
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly sku: { readonly tier: GatewayTier; readonly capacity: number };
  readonly publisher: { readonly name: string; readonly email: string };
  readonly network: GatewayNetwork;
  /** Availability zones (Premium). @default - none */
  readonly zones?: readonly string[];
  /** Name of the public IP that zonal VNet injection needs. Required with `zones` in internal mode. @default - none */
  readonly publicIpName?: string;
  /**
   * Additional locations (Premium): each region runs its own units, routes to its own region's deployments first and
   * checks content with its own Content Safety account. @default - the primary region only
   */
  readonly additionalLocations?: readonly GatewayAdditionalLocation[];
  /** @default '2022-08-01' */
  readonly minApiVersion?: string;
  readonly identity: GatewayIdentity;
  /** The models the gateway routes and the deployments that may serve each; the gateway decides the order. */
  readonly pools: readonly ModelPool[];
  /** The model accounts, by region. */
  readonly accounts: Readonly<Partial<Record<AzureRegion, GatewayModelAccount>>>;
  readonly circuitBreaker: CircuitBreakerOptions;
  /** Retries across a pool on 429 and 503. @default - the largest pool size minus one, at least one */
  readonly retryCount?: number;
  readonly tokenLimit: Omit<TokenLimitOptions, 'counterKey'>;
  readonly tokenMetrics: { readonly namespace: string; readonly dimensions: readonly string[] };
  /** @default - no content-safety check */
  readonly contentSafety?: {
    readonly endpoint: string;
    readonly resourceId: string;
    readonly shieldPrompt: boolean;
    readonly thresholds: ContentSafetyThresholds;
    /** The account each additional location calls instead (required for every additional location). */
    readonly regional?: Readonly<Partial<Record<AzureRegion, RegionalContentSafety>>>;
  };
  /**
   * The semantic cache: an Azure Managed Redis with RediSearch (`constructs/semantic-cache`), attached as the
   * service's external cache through a Key Vault named value; tenants that opt in look up and store in their own
   * partition (`tenantPolicy`). @default - no semantic cache
   */
  readonly semanticCache?: {
    /** The embeddings deployment (a model the gateway routes) that turns prompts into vectors. */
    readonly embeddingsModel: string;
    /** ARM id of the Managed Redis (`Microsoft.Cache/redisEnterprise`). */
    readonly cacheResourceId: string;
    /** Versionless URI of the Key Vault secret with the connection string. */
    readonly connectionSecretUri: string;
    /** What must exist before the named value reads the secret (the secret itself). @default - none */
    readonly dependsOn?: readonly ITerraformDependable[];
  };
  readonly applicationInsights: { readonly resourceId: string; readonly connectionString: string };
  /**
   * The usage ledger: an Event Hubs logger that authenticates as the gateway's user-assigned identity (no connection
   * string), and one `log-to-eventhub` record per request in the API policy's outbound and on-error sections.
   * @default - no ledger
   */
  readonly usageLedger?: {
    /** `<namespace>.servicebus.windows.net`. */
    readonly endpointAddress: string;
    readonly hubName: string;
    /** What each backend host and deployment serves, for the record's model, type and region. */
    readonly deployments: readonly LedgerDeployment[];
    /** The identity's Azure Event Hubs Data Sender role, which the logger needs first. */
    readonly senderRole: ITerraformDependable;
  };
  /**
   * The Azure AI Language account that tenants' PII steps call (`send-request` with the service's managed identity).
   * The gateway gets Cognitive Services Language Reader on it and a `language` backend that records the call.
   * @default - no PII protection
   */
  readonly language?: { readonly endpoint: string; readonly resourceId: string };
  /**
   * The batch surface (`/files`, `/batches`): the account in this region that holds the batch deployments. Its calls
   * go to that account's backend only. @default - no batch surface
   */
  readonly batch?: { readonly region: AzureRegion };
  /**
   * Surfaces beyond the real-time inference calls, stored responses and `/models`, which every gateway has: images
   * and audio where such models are deployed. (`batch` follows the `batch` prop.) @default - none
   */
  readonly extraSurfaces?: readonly Extract<OperationSurface, 'images' | 'audio'>[];
  /** @default 100 */
  readonly samplingPercentage?: number;
  /** @default { enabled: false } */
  readonly llmMessages?: OptIn;
}

const APIM_SERVICE_API = 'Microsoft.ApiManagement/service@2024-06-01-preview';

/** APIM entity id of the Language backend. */
export const LANGUAGE_BACKEND = 'language';
/**
 * Named value that holds the Language endpoint: policies refer to `{{language-endpoint}}`, so that a tenant's policy
 * is the same text in every environment (the promotion guard compares them).
 */
export const LANGUAGE_ENDPOINT_NAMED_VALUE = 'language-endpoint';
/** APIM entity id of the batch account's backend. */
export const BATCH_BACKEND = 'batch';
/** APIM entity id of the Content Safety backend. */
export const CONTENT_SAFETY_BACKEND = 'content-safety';
/** The logger `log-to-eventhub` writes the usage ledger through. */
export const USAGE_LEDGER_LOGGER = 'usage-ledger';
/** APIM entity id of the embeddings backend the semantic cache calls. */
export const SEMANTIC_CACHE_EMBEDDINGS_BACKEND = 'semantic-cache-embeddings';
/** The named value (from Key Vault) that holds the external cache's connection string. */
export const SEMANTIC_CACHE_NAMED_VALUE = 'semantic-cache-connection';
const CACHES_API = 'Microsoft.ApiManagement/service/caches@2024-06-01-preview';

/** APIM entity id of the Content Safety backend of an additional gateway region. */
export function regionalContentSafetyBackend(region: AzureRegion): string {
  return `${CONTENT_SAFETY_BACKEND}-${regionCode(region)}`;
}

/**
 * The host name of one regional gateway: `<service>-<region>-01.regional.azure-api.net` (Learn, "Deploy an Azure API
 * Management instance to multiple Azure regions": every region, the primary included, has a regional DNS name). In
 * internal mode it resolves nowhere until a private zone answers with that region's private VIP.
 */
export function regionalGatewayHostName(serviceName: string, region: AzureRegion): string {
  return `${serviceName}-${region}-01.regional.azure-api.net`;
}

/**
 * The AI gateway on API Management: the service (a system-assigned identity for its backends and a user-assigned
 * one for Key Vault and telemetry, TLS 1.2+ only, a minimum API version), its network path, one backend per
 * deployment with managed-identity credentials and a breaker, one pool per model, the inference API with its policy,
 * loggers and diagnostics, and the roles its identities need on every model account, on Content Safety and on
 * Application Insights.
 */
export class AiGateway extends Construct {
  readonly service: ApiManagement;
  readonly backends: ModelBackends;
  /** The routes of the shared pools: per model, the backends in the order the gateway tries them. */
  readonly routes: readonly ModelRoute[];
  /** Retries across a pool. */
  readonly retryCount: number;
  readonly api: InferenceApi;
  readonly observability: GatewayObservability;
  /** The usage ledger's Event Hubs logger, when the ledger is on. */
  readonly usageLedgerLogger: ApiManagementLogger | undefined;
  readonly features: StandardFeatures;
  /** Role assignments of the gateway identity on each model account, by region. */
  readonly modelAccess: Readonly<Partial<Record<AzureRegion, RoleAssignment>>>;
  readonly resourceId: string;
  readonly name: string;
  readonly tier: GatewayTier;
  /** The policy document of the inference API. */
  readonly policyXml: string;
  /**
   * The Content Safety check, when the backend exists: product policies run it with the tenant's thresholds, and
   * the API policy runs it only for requests that come through no product, so that every request is checked once.
   */
  readonly contentSafety?: {
    readonly backendId: string;
    readonly shieldPrompt: boolean;
    readonly thresholds: ContentSafetyThresholds;
  };
  /** Object id of the service's system-assigned identity: the identity of every backend call. */
  readonly systemPrincipalId: string;
  /** The Language account's endpoint as policies write it (a named value), for tenants' PII steps. */
  readonly languageEndpoint?: string;
  /** The operations of the inference API: the surfaces this gateway has. */
  readonly operations: readonly GatewayOperation[];
  /** Each gateway region's pools (a multi-region gateway); empty for one region. */
  readonly regionalRouting: readonly RegionalRouting[];
  /** The semantic cache, when attached: the backend its lookups embed prompts with. */
  readonly semanticCache?: { readonly embeddingsBackendId: string };
  private readonly circuitBreaker: CircuitBreakerOptions;

  constructor(scope: Construct, id: string, props: AiGatewayProps) {
    super(scope, id);
    const tier = GATEWAY_TIERS[props.sku.tier];
    const zones = props.zones ?? [];
    const network = props.network;
    if (network.mode === 'internal' && !tier.internalVnet) {
      throw new Error(`${this.node.path}: ${props.sku.tier} cannot be injected into a VNet in internal mode`);
    }
    if (network.mode === 'privateEndpoint' && !tier.privateEndpointWithVnetIntegration) {
      throw new Error(
        `${this.node.path}: ${props.sku.tier} has no outbound VNet integration for network mode privateEndpoint`,
      );
    }
    if (zones.length > 0 && !tier.zones)
      throw new Error(`${this.node.path}: ${props.sku.tier} has no availability zones`);

    const publicIp =
      network.mode === 'internal' && zones.length > 0
        ? new PublicIp(this, 'ManagementPublicIp', {
            // Zonal injection needs a Standard public IP of our own; it carries management traffic only.
            name: props.publicIpName ?? `pip-${props.name}`,
            location: props.location,
            resourceGroupName: props.resourceGroupName,
            sku: 'Standard',
            allocationMethod: 'Static',
            zones: [...zones],
            domainNameLabel: props.name,
            ...(props.tags ? { tags: { ...props.tags } } : {}),
          })
        : undefined;
    if (publicIp) {
      suppressRule(
        publicIp,
        'LZ.PublicIP.Justified',
        'Zonal VNet injection of API Management needs a Standard public IP of its own; it serves the management endpoint (port 3443, reachable only from the ApiManagement service tag), while clients reach the gateway on its internal address.',
      );
    }
    if (publicIp && props.diagnosticSettings) {
      // DDoS notifications and mitigation reports of the one public address the gateway has.
      addDiagnosticSetting(this, 'ManagementPublicIpDiagnostics', publicIp.id, {
        workspaceId: props.diagnosticSettings.workspaceId,
      });
    }

    const additional = props.additionalLocations ?? [];
    if (additional.length > 0 && props.sku.tier !== 'Premium') {
      throw new Error(`${this.node.path}: ${props.sku.tier} has no additional locations; expected Premium`);
    }
    const additionalLocation = additional.map((location) => {
      const locationZones = location.zones ?? [];
      if (network.mode === 'internal' && !location.subnetId) {
        throw new Error(`${this.node.path}: the internal gateway in ${location.location} needs a subnet`);
      }
      const ip =
        network.mode === 'internal' && locationZones.length > 0
          ? new PublicIp(this, `ManagementPublicIp-${location.location}`, {
              name: location.publicIpName ?? `pip-${props.name}-${location.location}`,
              location: location.location,
              resourceGroupName: props.resourceGroupName,
              sku: 'Standard',
              allocationMethod: 'Static',
              zones: [...locationZones],
              domainNameLabel: `${props.name}-${location.location}`,
              ...(props.tags ? { tags: { ...props.tags } } : {}),
            })
          : undefined;
      if (ip) {
        suppressRule(
          ip,
          'LZ.PublicIP.Justified',
          'Zonal VNet injection of an API Management location needs a Standard public IP of its own; it serves management traffic only, while clients reach the regional gateway on its internal address.',
        );
        if (props.diagnosticSettings) {
          addDiagnosticSetting(this, `ManagementPublicIp-${location.location}-Diagnostics`, ip.id, {
            workspaceId: props.diagnosticSettings.workspaceId,
          });
        }
      }
      return {
        location: location.location,
        capacity: location.capacity,
        ...(locationZones.length > 0 ? { zones: [...locationZones] } : {}),
        ...(location.subnetId ? { virtualNetworkConfiguration: { subnetId: location.subnetId } } : {}),
        ...(ip ? { publicIpAddressId: ip.id } : {}),
      };
    });

    this.service = new ApiManagement(this, 'Service', {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      skuName: `${props.sku.tier}_${props.sku.capacity}`,
      publisherName: props.publisher.name,
      publisherEmail: props.publisher.email,
      // System-assigned: backend credentials; user-assigned: Key Vault named values and the telemetry logger.
      identity: { type: 'SystemAssigned, UserAssigned', identityIds: [props.identity.resourceId] },
      minApiVersion: props.minApiVersion ?? '2022-08-01',
      // Must be true while the service is created; the second step below turns it off where the gateway is private.
      publicNetworkAccessEnabled: true,
      virtualNetworkType:
        network.mode === 'internal' ? 'Internal' : network.mode === 'privateEndpoint' ? 'External' : 'None',
      ...(network.mode === 'internal' ? { virtualNetworkConfiguration: { subnetId: network.subnetId } } : {}),
      ...(network.mode === 'privateEndpoint'
        ? { virtualNetworkConfiguration: { subnetId: network.integrationSubnetId } }
        : {}),
      ...(zones.length > 0 ? { zones: [...zones] } : {}),
      ...(publicIp ? { publicIpAddressId: publicIp.id } : {}),
      ...(additionalLocation.length > 0 ? { additionalLocation } : {}),
      security: {
        frontendSsl30Enabled: false,
        frontendTls10Enabled: false,
        frontendTls11Enabled: false,
        backendSsl30Enabled: false,
        backendTls10Enabled: false,
        backendTls11Enabled: false,
        tripleDesCiphersEnabled: false,
        // Azure.APIM.Ciphers counts it among the weak ciphers (RSA key exchange, no forward secrecy).
        tlsRsaWithAes128GcmSha256CiphersEnabled: false,
        tlsRsaWithAes128CbcShaCiphersEnabled: false,
        tlsRsaWithAes256CbcShaCiphersEnabled: false,
        tlsRsaWithAes128CbcSha256CiphersEnabled: false,
        tlsRsaWithAes256CbcSha256CiphersEnabled: false,
        tlsEcdheRsaWithAes128CbcShaCiphersEnabled: false,
        tlsEcdheRsaWithAes256CbcShaCiphersEnabled: false,
        tlsEcdheEcdsaWithAes128CbcShaCiphersEnabled: false,
        tlsEcdheEcdsaWithAes256CbcShaCiphersEnabled: false,
      },
      // The developer portal's self sign-up exists on classic tiers only; nobody signs up to a private gateway.
      ...(tier.v2
        ? {}
        : { signUp: { enabled: false, termsOfService: { enabled: false, consentRequired: false } } }),
      ...(props.tags ? { tags: { ...props.tags } } : {}),
      lifecycle: {
        // The second step owns public access after creation.
        ignoreChanges: ['public_network_access_enabled'],
        ...(props.preventDestroy ? { preventDestroy: true } : {}),
      },
    });
    this.resourceId = this.service.id;
    this.name = props.name;
    this.tier = props.sku.tier;
    if (props.sku.tier === 'Premium' && additional.length === 0) {
      suppressRule(
        this.service,
        'LZ.APIM.MultiRegion',
        'The gateway runs in the primary region only: model traffic fails over across regions behind it, and a regional gateway outage is recovered by redeploying the stack elsewhere. A multi-region gateway is an open point.',
      );
    }
    this.systemPrincipalId = this.service.identity.principalId;
    this.circuitBreaker = props.circuitBreaker;

    this.features = addStandardFeatures(
      this,
      {
        resourceId: this.service.id,
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        privateLinkSubresource: PRIVATE_LINK_SERVICES.apiManagement.subresource,
      },
      {
        ...props,
        ...(network.mode === 'privateEndpoint' ? { privateEndpoint: network.privateEndpoint } : {}),
      },
    );

    if (network.mode === 'privateEndpoint') {
      // Second step: API Management refuses to be created without public access, so it is turned off once the
      // private endpoint exists. From then on clients reach the gateway only through private endpoints.
      new AzapiUpdateResource(this, 'DisablePublicNetworkAccess', {
        type: APIM_SERVICE_API,
        resourceId: this.service.id,
        body: { properties: { publicNetworkAccess: 'Disabled' } },
        dependsOn: [this.features.privateEndpoint!],
      });
    }

    // Roles first: a missing one shows only as 401 after failover to that region.
    this.routes = planRoutes(props.pools);
    this.retryCount = props.retryCount ?? defaultRetryCount(this.routes);
    const accessScope = new Construct(this, 'ModelAccess');
    const servedRegions = [
      ...new Set([
        ...this.routes.flatMap((r) => r.members.map((m) => m.region)),
        ...(props.batch ? [props.batch.region] : []),
      ]),
    ].sort();
    const modelAccess: Partial<Record<AzureRegion, RoleAssignment>> = {};
    for (const region of servedRegions) {
      const account = props.accounts[region];
      if (!account)
        throw new Error(`${this.node.path}: the routes use ${region}, which has no model account`);
      modelAccess[region] = addRoleAssignment(accessScope, region, account.resourceId, {
        roleDefinitionName: 'Cognitive Services OpenAI User',
        principalId: this.systemPrincipalId,
        description: `AI gateway ${props.name} calls the model deployments of ${account.name}`,
      });
    }
    this.modelAccess = modelAccess;

    this.regionalRouting =
      additional.length > 0
        ? regionalRouting(this.routes, [props.location as AzureRegion, ...additional.map((l) => l.location)])
        : [];
    this.backends = new ModelBackends(this, 'Models', {
      apiManagementId: this.service.id,
      routes: this.routes,
      accounts: props.accounts,
      circuitBreaker: props.circuitBreaker,
      ...(this.regionalRouting.length > 0 ? { regional: this.regionalRouting } : {}),
    });

    const policyDependencies: ITerraformDependable[] = [...Object.values(this.backends.pools)];
    if (props.contentSafety) {
      policyDependencies.push(
        addRoleAssignment(this, 'ContentSafetyAccess', props.contentSafety.resourceId, {
          roleDefinitionName: 'Cognitive Services User',
          principalId: this.systemPrincipalId,
          description: `AI gateway ${props.name} checks prompts with Content Safety`,
        }),
      );
      const safety = props.contentSafety;
      const contentSafetyBackend = (id: string, name: string, endpoint: string, where: string) =>
        this.serviceBackend(id, name, {
          description: `Azure AI Content Safety${where}, for llm-content-safety`,
          url: endpoint.replace(/\/$/, ''),
          withoutBreaker:
            'Content Safety is one backend that checks every request and is not pooled: a breaker would turn a burst of 429s into a full outage for its trip duration, so each throttled check fails on its own instead.',
        });
      policyDependencies.push(
        contentSafetyBackend('ContentSafetyBackend', CONTENT_SAFETY_BACKEND, safety.endpoint, ''),
      );
      // Each additional location calls the account of its own region: a regional outage of Content Safety then stops
      // only that region's gateway, which the global entry and the clients route around.
      const regionalBackends: { condition: string; backendId: string }[] = [];
      for (const location of additional) {
        const account = safety.regional?.[location.location];
        if (!account) {
          throw new Error(
            `${this.node.path}: the gateway in ${location.location} needs a Content Safety account of its own`,
          );
        }
        const name = regionalContentSafetyBackend(location.location);
        policyDependencies.push(
          addRoleAssignment(this, `ContentSafetyAccess-${location.location}`, account.resourceId, {
            roleDefinitionName: 'Cognitive Services User',
            principalId: this.systemPrincipalId,
            description: `AI gateway ${props.name} in ${location.location} checks prompts with Content Safety`,
          }),
          contentSafetyBackend(
            `ContentSafetyBackend-${location.location}`,
            name,
            account.endpoint,
            ` in ${location.location}`,
          ),
        );
        regionalBackends.push({
          condition: regionCondition(
            this.regionalRouting.find((r) => r.region === location.location)!.displayName,
          ),
          backendId: name,
        });
      }
      this.contentSafety = {
        backendId:
          regionalBackends.length === 0
            ? CONTENT_SAFETY_BACKEND
            : `@(${regionalBackends.map((b) => `${b.condition} ? ${csString(b.backendId)} : `).join('')}${csString(CONTENT_SAFETY_BACKEND)})`,
        shieldPrompt: props.contentSafety.shieldPrompt,
        thresholds: props.contentSafety.thresholds,
      };
    }

    if (props.language) {
      policyDependencies.push(
        addRoleAssignment(this, 'LanguageAccess', props.language.resourceId, {
          roleDefinitionName: 'Cognitive Services Language Reader',
          principalId: this.systemPrincipalId,
          description: `AI gateway ${props.name} detects personal data in prompts with Azure AI Language`,
        }),
      );
      // The PII step calls the same URL with send-request; the backend entity declares the call (and its identity)
      // where the data-path proof and an operator look for the gateway's callees.
      policyDependencies.push(
        this.serviceBackend('LanguageBackend', LANGUAGE_BACKEND, {
          description: 'Azure AI Language, for the PII step of tenant product policies',
          url: props.language.endpoint.replace(/\/$/, ''),
          withoutBreaker:
            'Language is one backend that checks prompts and is not pooled: a breaker would turn a burst of 429s into a full outage for its trip duration; a failed check refuses its own request instead.',
        }),
      );
      const endpointValue = new ApiManagementNamedValue(this, 'LanguageEndpoint', {
        name: LANGUAGE_ENDPOINT_NAMED_VALUE,
        displayName: LANGUAGE_ENDPOINT_NAMED_VALUE,
        apiManagementName: this.service.name,
        resourceGroupName: props.resourceGroupName,
        value: props.language.endpoint,
        secret: false,
      });
      suppressRule(
        endpointValue,
        'LZ.APIM.NamedValuesFromKeyVault',
        "The Language account's public host name is not a secret (the account takes Entra tokens only); a named value keeps each tenant's policy the same text in every environment.",
      );
      policyDependencies.push(endpointValue);
      this.languageEndpoint = `{{${LANGUAGE_ENDPOINT_NAMED_VALUE}}}`;
    }
    const surfaces = new Set<OperationSurface>([
      'inference',
      'responses',
      'models',
      ...(props.extraSurfaces ?? []),
      ...(props.batch ? (['batch'] as const) : []),
    ]);
    this.operations = operationsOf(surfaces);
    if (props.batch) {
      const account = props.accounts[props.batch.region];
      if (!account) throw new Error(`${this.node.path}: no model account in ${props.batch.region} for batch`);
      const batchBackend = this.serviceBackend('BatchBackend', BATCH_BACKEND, {
        title: 'batch',
        description: `Files and batch jobs on ${account.name} (${props.batch.region}): its batch deployments only`,
        url: `${account.openAiEndpoint}openai`,
        circuitBreaker: props.circuitBreaker,
      });
      policyDependencies.push(batchBackend);
    }

    if (props.semanticCache) {
      this.semanticCache = this.attachSemanticCache(props, policyDependencies);
    }

    this.usageLedgerLogger = undefined;
    let ledgerChunks: string[] = [];
    if (props.usageLedger) {
      // azurerm's eventhub block with endpoint_uri and a client id: the logger sends as the user-assigned identity,
      // which holds Azure Event Hubs Data Sender on the hub (Learn, "How to log events to Azure Event Hubs in Azure
      // API Management", managed identity credentials).
      this.usageLedgerLogger = new ApiManagementLogger(this, 'UsageLedgerLogger', {
        name: USAGE_LEDGER_LOGGER,
        apiManagementName: this.service.name,
        resourceGroupName: props.resourceGroupName,
        description: 'Usage ledger: one record per request, to Event Hubs',
        buffered: true,
        eventhub: {
          name: props.usageLedger.hubName,
          endpointUri: props.usageLedger.endpointAddress,
          userAssignedIdentityClientId: props.identity.clientId,
        },
        dependsOn: [props.usageLedger.senderRole],
      });
      policyDependencies.push(this.usageLedgerLogger);
      // What each backend host and deployment serves, as data in named values: the policy text stays the same in
      // every environment.
      ledgerChunks = ledgerLookupChunks(props.usageLedger.deployments);
      ledgerChunks.forEach((chunk, i) => {
        const value = new ApiManagementNamedValue(this, `UsageLedgerDeployments-${i + 1}`, {
          name: ledgerLookupNamedValue(i + 1),
          displayName: ledgerLookupNamedValue(i + 1),
          apiManagementName: this.service.name,
          resourceGroupName: props.resourceGroupName,
          value: chunk,
          secret: false,
          tags: ['usage-ledger'],
        });
        suppressRule(
          value,
          'LZ.APIM.NamedValuesFromKeyVault',
          'Account, deployment, model, type and region names are not secrets; a named value keeps the API policy the same text in every environment.',
        );
        policyDependencies.push(value);
      });
    }

    this.policyXml = renderPolicy(
      inferencePolicy({
        routes: this.routes.map((route) => ({ model: route.model, backendId: route.poolId })),
        regionalRoutes: this.regionalRouting.map((regional) => ({
          condition: regionCondition(regional.displayName),
          routes: regional.routes.map((route) => ({
            model: route.model,
            backendId: this.backends.regionalPools[regional.region]![route.model]!.name,
          })),
        })),
        retryCount: this.retryCount,
        tokenLimit: props.tokenLimit,
        tokenMetrics: props.tokenMetrics,
        ...(this.contentSafety ? { contentSafety: this.contentSafety } : {}),
        ...(props.usageLedger
          ? { usageLedger: { loggerId: USAGE_LEDGER_LOGGER, lookupChunks: ledgerChunks.length } }
          : {}),
        ...(props.batch
          ? {
              batch: {
                backendId: BATCH_BACKEND,
                operationIds: this.operations.filter((o) => o.surface === 'batch').map((o) => o.id),
              },
            }
          : {}),
      }),
    );
    this.api = new InferenceApi(this, 'InferenceApi', {
      apiManagementName: this.service.name,
      resourceGroupName: props.resourceGroupName,
      policyXml: this.policyXml,
      policyDependsOn: [...policyDependencies, ...Object.values(modelAccess)],
      operations: this.operations,
    });

    this.observability = new GatewayObservability(this, 'Observability', {
      apiManagementId: this.service.id,
      apiId: this.api.api.id,
      applicationInsights: props.applicationInsights,
      identity: { clientId: props.identity.clientId, principalId: props.identity.principalId },
      samplingPercentage: props.samplingPercentage ?? 100,
      llmMessages: props.llmMessages ?? { enabled: false },
    });
  }

  /**
   * The semantic cache: the service's external cache (Azure Managed Redis) whose connection string is a named value
   * read from Key Vault with the gateway identity, and the embeddings backend the lookups call. The backend's URL is
   * the embeddings operation of one deployment (Learn, "Enable semantic caching for LLM APIs": "Runtime URL ... the
   * embeddings API deployment"), in the gateway's own region where it deploys the model.
   */
  private attachSemanticCache(
    props: AiGatewayProps,
    policyDependencies: ITerraformDependable[],
  ): { readonly embeddingsBackendId: string } {
    const cache = props.semanticCache!;
    const route = this.routes.find((r) => r.model === cache.embeddingsModel);
    if (!route)
      throw new Error(
        `${this.node.path}: the semantic cache's embeddings model "${cache.embeddingsModel}" is not a model the gateway routes`,
      );
    const member =
      route.members.find((m) => m.region === (props.location as AzureRegion)) ??
      [...route.members].sort((a, b) => a.region.localeCompare(b.region))[0]!;
    const account = props.accounts[member.region]!;
    const scope = new Construct(this, 'SemanticCache');
    const connection = new ApiManagementNamedValue(scope, 'Connection', {
      name: SEMANTIC_CACHE_NAMED_VALUE,
      displayName: SEMANTIC_CACHE_NAMED_VALUE,
      apiManagementName: this.service.name,
      resourceGroupName: props.resourceGroupName,
      secret: true,
      valueFromKeyVault: { secretId: cache.connectionSecretUri, identityClientId: props.identity.clientId },
      ...(cache.dependsOn ? { dependsOn: [...cache.dependsOn] } : {}),
    });
    const external = new AzapiResource(scope, 'ExternalCache', {
      type: CACHES_API,
      // `default`: every gateway region uses this cache (Learn, "Use an external Redis-compatible cache", Use from).
      name: 'default',
      parentId: this.service.id,
      schemaValidationEnabled: false,
      body: {
        properties: {
          description: 'Azure Managed Redis: semantic cache of completions, partitioned by tenant',
          connectionString: `{{${SEMANTIC_CACHE_NAMED_VALUE}}}`,
          useFromLocation: 'default',
          resourceId: `https://management.azure.com${cache.cacheResourceId}`,
        },
      },
      dependsOn: [connection],
    });
    const embeddings = this.serviceBackend('SemanticCacheEmbeddings', SEMANTIC_CACHE_EMBEDDINGS_BACKEND, {
      title: 'semantic cache embeddings',
      description: `Embeddings of prompts for the semantic cache: ${member.deployment} on ${account.name} (${member.region})`,
      url: `${account.openAiEndpoint}openai/deployments/${member.deployment}/embeddings`,
      circuitBreaker: props.circuitBreaker,
    });
    policyDependencies.push(external, embeddings);
    return { embeddingsBackendId: SEMANTIC_CACHE_EMBEDDINGS_BACKEND };
  }

  /**
   * A backend for one service the gateway calls with its system identity (https, TLS validated): a breaker, or the
   * reason it has none.
   */
  private serviceBackend(
    id: string,
    name: string,
    options: {
      readonly title?: string;
      readonly description: string;
      readonly url: string;
      readonly circuitBreaker?: CircuitBreakerOptions;
      readonly withoutBreaker?: string;
    },
  ): AzapiResource {
    const backend = new AzapiResource(this, id, {
      type: BACKENDS_API,
      name,
      parentId: this.service.id,
      schemaValidationEnabled: false,
      body: {
        properties: {
          ...(options.title ? { title: options.title } : {}),
          description: options.description,
          url: options.url,
          protocol: 'http',
          tls: { validateCertificateChain: true, validateCertificateName: true },
          credentials: managedIdentityCredentials(),
          ...(options.circuitBreaker ? { circuitBreaker: circuitBreakerRule(options.circuitBreaker) } : {}),
        },
      },
    });
    if (options.withoutBreaker)
      suppressRule(backend, 'LZ.APIM.BackendCircuitBreaker', options.withoutBreaker);
    return backend;
  }

  /**
   * Backends and pools of a dedicated tenant's own deployments, created under the tenant's scope so that their
   * addresses belong to the tenant, and the gateway identity's role on each of the tenant's accounts. The gateway
   * orders them as it orders its own pools; only the tenant's product policy routes to them.
   *
   * @returns the pool id of each of the tenant's models
   */
  addDedicatedPools(
    scope: Construct,
    props: {
      readonly tenant: string;
      readonly pools: readonly ModelPool[];
      readonly accounts: Readonly<Partial<Record<AzureRegion, GatewayModelAccount>>>;
    },
  ): Record<string, string> {
    const routes = planRoutes(props.pools, props.tenant);
    if (routes.length === 0) return {};
    const access = new Construct(scope, 'GatewayAccess');
    for (const region of [...new Set(routes.flatMap((r) => r.members.map((m) => m.region)))].sort()) {
      const account = props.accounts[region];
      if (!account)
        throw new Error(`${scope.node.path}: the routes use ${region}, which has no model account`);
      addRoleAssignment(access, region, account.resourceId, {
        roleDefinitionName: 'Cognitive Services OpenAI User',
        principalId: this.systemPrincipalId,
        description: `AI gateway ${this.name} calls the dedicated deployments of tenant ${props.tenant} on ${account.name}`,
      });
    }
    new ModelBackends(scope, 'GatewayBackends', {
      apiManagementId: this.service.id,
      routes,
      accounts: props.accounts,
      circuitBreaker: this.circuitBreaker,
      tenant: props.tenant,
    });
    return Object.fromEntries(routes.map((route) => [route.model, route.poolId]));
  }

  /**
   * The policy document of a tenant's product (`policies/product-policy.ts`): its allow-list, its token limits, its
   * own pools, and the request's one content-safety check with the stricter of the gateway's and the tenant's
   * thresholds, category by category.
   */
  tenantPolicy(options: {
    readonly allowedModels: readonly string[];
    /** Verification tenant only: it may ask for one shared backend per request. @default false */
    readonly verificationProbe?: boolean;
    readonly tokensPerMinute: number;
    readonly monthlyTokenQuota: number;
    /** The tenant's own content-safety thresholds, from its content filter. */
    readonly contentSafetyThresholds: ContentSafetyThresholds;
    /** The pool id of each of the tenant's own models (`addDedicatedPools`). @default - none */
    readonly dedicatedPools?: Readonly<Record<string, string>>;
    /** The tenant's security at the gateway: sign-in, stored objects, batch, PII. @default - key only, isolate */
    readonly security?: TenantSecurity;
    /**
     * The tenant opted in to the semantic cache: its lookups and stores stay in its own partition.
     * @default - no semantic cache for the tenant
     */
    readonly semanticCache?: { readonly scoreThreshold: number; readonly durationSeconds: number };
  }): string {
    const security = options.security;
    if (options.semanticCache && !this.semanticCache)
      throw new Error(
        `tenant ${security?.slug ?? '?'}: the semantic cache needs the gateway's semanticCache`,
      );
    if (options.semanticCache && security === undefined)
      throw new Error("a tenant's semantic cache needs its slug (security.slug): the slug is its partition");
    if (security?.pii && !this.languageEndpoint)
      throw new Error(
        `tenant ${security.slug}: PII "${security.pii.mode}" needs the gateway's Language account`,
      );
    return renderPolicy(
      tenantProductPolicy({
        allowedModels: options.allowedModels,
        ...(options.verificationProbe === true ? { verificationProbe: true } : {}),
        tokensPerMinute: options.tokensPerMinute,
        monthlyTokenQuota: options.monthlyTokenQuota,
        ...(this.contentSafety
          ? {
              contentSafety: {
                backendId: this.contentSafety.backendId,
                shieldPrompt: this.contentSafety.shieldPrompt,
                thresholds: stricterThresholds(
                  this.contentSafety.thresholds,
                  options.contentSafetyThresholds,
                ),
              },
            }
          : {}),
        dedicatedPools: options.dedicatedPools ?? {},
        ...(options.semanticCache && this.semanticCache
          ? {
              semanticCache: {
                embeddingsBackendId: this.semanticCache.embeddingsBackendId,
                scoreThreshold: options.semanticCache.scoreThreshold,
                durationSeconds: options.semanticCache.durationSeconds,
              },
            }
          : {}),
        ...(security
          ? {
              slug: security.slug,
              operations: this.operations,
              storedObjects: security.storedObjects,
              batchAllowed:
                this.operations.some((o) => o.surface === 'batch') && security.batchAllowed === true,
              ...(security.entra ? { entra: security.entra } : {}),
              ...(security.pii && this.languageEndpoint
                ? {
                    pii: {
                      mode: security.pii.mode,
                      endpoint: this.languageEndpoint,
                      metricNamespace: security.pii.metricNamespace,
                    },
                  }
                : {}),
              ...(security.messageLog ? { messageLog: security.messageLog } : {}),
            }
          : {}),
      }),
    );
  }
}

/** A tenant's controls at the gateway, beyond its allow-list and limits (`policies/product-policy.ts`). */
export interface TenantSecurity {
  /** The tenant slug: the owner the gateway records for the tenant's stored objects. */
  readonly slug: string;
  readonly storedObjects: StoredObjectsMode;
  /** The tenant is allowed a deployment the batch surface reaches. @default false */
  readonly batchAllowed?: boolean;
  /** Entra sign-in; its client application ids include the tenant's own identity. @default - the key alone */
  readonly entra?: EntraAuthOptions;
  /** PII detection or redaction through the gateway's Language account. @default - none */
  readonly pii?: { readonly mode: Exclude<PiiMode, 'off'>; readonly metricNamespace: string };
  /**
   * Sampled message logging for continuous evaluation: a share of the tenant's exchanges, captured after PII
   * redaction, traced to the gateway's resource log. @default - none
   */
  readonly messageLog?: { readonly samplingPercent: number };
}
