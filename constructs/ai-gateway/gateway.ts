import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { ApiManagementRedisCache } from '@cdktf/provider-azurerm/lib/api-management-redis-cache';
import { DataAzurermRedisCache } from '@cdktf/provider-azurerm/lib/data-azurerm-redis-cache';
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
import { PRIVATE_LINK_SERVICES } from '../shared/private-link';
import { type AzureRegion, regionCode } from '../shared/regions';
import { regionCondition, type RegionalRouting, regionalRouting } from './regional-routing';
import { InferenceApi } from './api';
import {
  BACKENDS_API,
  type BackendAccount,
  type CircuitBreakerOptions,
  managedIdentityCredentials,
  ModelBackends,
} from './backends';
import { GatewayObservability } from './observability';
import { inferencePolicy, renderPolicy } from './policies/inference-policy';
import { csString } from './policies/xml';
import type { ContentSafetyThresholds, TokenLimitOptions } from './policies/llm';
import { GATEWAY_TIERS, type GatewayTier, type ModelRoute } from './routing';

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
  /** The routing plan: one pool per model. */
  readonly routes: readonly ModelRoute[];
  /** The model accounts, by region. */
  readonly accounts: Readonly<Partial<Record<AzureRegion, GatewayModelAccount>>>;
  readonly circuitBreaker: CircuitBreakerOptions;
  readonly retryCount: number;
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
  /** @default - no semantic cache */
  readonly semanticCache?: {
    readonly embeddingsModel: string;
    readonly scoreThreshold: number;
    readonly durationSeconds: number;
    /** ARM id of an Azure Cache for Redis. */
    readonly redisCacheId: string;
  };
  readonly applicationInsights: { readonly resourceId: string; readonly connectionString: string };
  /** @default 100 */
  readonly samplingPercentage?: number;
  /** @default { enabled: false } */
  readonly llmMessages?: OptIn;
}

const APIM_SERVICE_API = 'Microsoft.ApiManagement/service@2024-06-01-preview';

/**
 * The default host names of an API Management service, by endpoint. In internal mode Azure registers none of them
 * in DNS; they must resolve to the private VIP (Learn, "Deploy your Azure API Management instance to a virtual
 * network - internal mode", Access on default host names).
 */
export function gatewayHostNames(serviceName: string): Readonly<Record<string, string>> {
  return {
    gateway: `${serviceName}.azure-api.net`,
    portal: `${serviceName}.portal.azure-api.net`,
    developer: `${serviceName}.developer.azure-api.net`,
    management: `${serviceName}.management.azure-api.net`,
    scm: `${serviceName}.scm.azure-api.net`,
  };
}
/** APIM entity id of the Content Safety backend. */
export const CONTENT_SAFETY_BACKEND = 'content-safety';

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
  readonly api: InferenceApi;
  readonly observability: GatewayObservability;
  readonly features: StandardFeatures;
  /** Role assignments of the gateway identity on each model account, by region. */
  readonly modelAccess: Readonly<Partial<Record<AzureRegion, RoleAssignment>>>;
  readonly resourceId: string;
  readonly name: string;
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
  /** Each gateway region's pools (a multi-region gateway); empty for one region. */
  readonly regionalRouting: readonly RegionalRouting[];
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
    const accessScope = new Construct(this, 'ModelAccess');
    const servedRegions = [...new Set(props.routes.flatMap((r) => r.members.map((m) => m.region)))].sort();
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
        ? regionalRouting(props.routes, [props.location as AzureRegion, ...additional.map((l) => l.location)])
        : [];
    this.backends = new ModelBackends(this, 'Models', {
      apiManagementId: this.service.id,
      routes: props.routes,
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
      const contentSafetyBackend = (id: string, name: string, endpoint: string, where: string) => {
        const backend = new AzapiResource(this, id, {
          type: BACKENDS_API,
          name,
          parentId: this.service.id,
          schemaValidationEnabled: false,
          body: {
            properties: {
              description: `Azure AI Content Safety${where}, for llm-content-safety`,
              url: endpoint.replace(/\/$/, ''),
              protocol: 'http',
              tls: { validateCertificateChain: true, validateCertificateName: true },
              credentials: managedIdentityCredentials(),
            },
          },
        });
        suppressRule(
          backend,
          'LZ.APIM.BackendCircuitBreaker',
          'Content Safety is one backend that checks every request and is not pooled: a breaker would turn a burst of 429s into a full outage for its trip duration, so each throttled check fails on its own instead.',
        );
        return backend;
      };
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

    let semanticCache:
      { embeddingsBackendId: string; scoreThreshold: number; durationSeconds: number } | undefined;
    if (props.semanticCache) {
      const redis = parseRedisId(props.semanticCache.redisCacheId);
      const redisCache = new DataAzurermRedisCache(this, 'SemanticCacheRedis', redis);
      policyDependencies.push(
        new ApiManagementRedisCache(this, 'SemanticCache', {
          name: 'semantic-cache',
          apiManagementId: this.service.id,
          // API Management's external cache takes a connection string; it stays in state and the service only.
          connectionString: redisCache.primaryConnectionString,
          redisCacheId: props.semanticCache.redisCacheId,
          cacheLocation: props.location,
          description: 'Semantic cache of completions, varied by subscription',
        }),
      );
      const pool = this.backends.pools[props.semanticCache.embeddingsModel];
      if (!pool)
        throw new Error(
          `${this.node.path}: semantic cache embeddings model "${props.semanticCache.embeddingsModel}" has no pool`,
        );
      semanticCache = {
        embeddingsBackendId: pool.name,
        scoreThreshold: props.semanticCache.scoreThreshold,
        durationSeconds: props.semanticCache.durationSeconds,
      };
    }

    this.policyXml = renderPolicy(
      inferencePolicy({
        routes: props.routes.map((route) => ({
          model: route.model,
          backendId: this.backends.pools[route.model]!.name,
        })),
        regionalRoutes: this.regionalRouting.map((regional) => ({
          condition: regionCondition(regional.displayName),
          routes: regional.routes.map((route) => ({
            model: route.model,
            backendId: this.backends.regionalPools[regional.region]![route.model]!.name,
          })),
        })),
        retryCount: props.retryCount,
        tokenLimit: props.tokenLimit,
        tokenMetrics: props.tokenMetrics,
        ...(this.contentSafety ? { contentSafety: this.contentSafety } : {}),
        ...(semanticCache ? { semanticCache } : {}),
      }),
    );
    this.api = new InferenceApi(this, 'InferenceApi', {
      apiManagementName: this.service.name,
      resourceGroupName: props.resourceGroupName,
      policyXml: this.policyXml,
      policyDependsOn: [...policyDependencies, ...Object.values(modelAccess)],
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
   * Backends and pools of a dedicated tenant's own deployments, created under the tenant's scope so that their
   * addresses belong to the tenant, and the gateway identity's role on each of the tenant's accounts. Only the
   * tenant's product policy routes to these pools.
   *
   * @returns the pool id of each of the tenant's models
   */
  addDedicatedPools(
    scope: Construct,
    props: {
      readonly tenant: string;
      readonly routes: readonly ModelRoute[];
      readonly accounts: Readonly<Partial<Record<AzureRegion, GatewayModelAccount>>>;
    },
  ): Record<string, string> {
    const access = new Construct(scope, 'GatewayAccess');
    for (const region of [...new Set(props.routes.flatMap((r) => r.members.map((m) => m.region)))].sort()) {
      const account = props.accounts[region];
      if (!account)
        throw new Error(`${scope.node.path}: the routes use ${region}, which has no model account`);
      addRoleAssignment(access, region, account.resourceId, {
        roleDefinitionName: 'Cognitive Services OpenAI User',
        principalId: this.systemPrincipalId,
        description: `AI gateway ${this.name} calls the dedicated deployments of tenant ${props.tenant} on ${account.name}`,
      });
    }
    const backends = new ModelBackends(scope, 'GatewayBackends', {
      apiManagementId: this.service.id,
      routes: props.routes,
      accounts: props.accounts,
      circuitBreaker: this.circuitBreaker,
      tenant: props.tenant,
    });
    return Object.fromEntries(Object.entries(backends.pools).map(([model, pool]) => [model, pool.name]));
  }
}

function parseRedisId(id: string): { name: string; resourceGroupName: string } {
  const match = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Cache\/redis\/([^/]+)$/i.exec(id);
  if (!match) throw new Error(`semantic cache: "${id}" is not the ARM id of an Azure Cache for Redis`);
  return { resourceGroupName: match[1]!, name: match[2]! };
}
