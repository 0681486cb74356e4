import { Construct } from 'constructs';
import { AzapiResource } from '../shared/azapi';
import { COGNITIVE_SERVICES_AUDIENCE } from './policies/llm';
import type { RegionalRouting } from './regional-routing';
import type { ModelRoute } from './routing';
import type { AzureRegion } from '../shared/catalog';

/** Backends and pools need preview features of this API version (pool type, managed-identity credentials). */
export const BACKENDS_API = 'Microsoft.ApiManagement/service/backends@2024-06-01-preview';

/** Breaker settings, the same on every model backend. */
export interface CircuitBreakerOptions {
  /** Failures within the interval that trip the breaker. */
  readonly failureCount: number;
  readonly failureIntervalSeconds: number;
  /** How long a tripped backend stays out, unless the backend's Retry-After says otherwise. */
  readonly tripDurationSeconds: number;
}

/** A model account the gateway can route to. */
export interface BackendAccount {
  readonly name: string;
  /** `https://<subdomain>.openai.azure.com/` */
  readonly openAiEndpoint: string;
}

function isoSeconds(seconds: number): string {
  return `PT${seconds}S`;
}

/** The breaker body: trips on 429 and 500–503 and honours Retry-After, so PTU backends come back on their own. */
export function circuitBreakerRule(options: CircuitBreakerOptions) {
  return {
    rules: [
      {
        name: 'throttling-and-server-errors',
        failureCondition: {
          count: options.failureCount,
          interval: isoSeconds(options.failureIntervalSeconds),
          statusCodeRanges: [
            { min: 429, max: 429 },
            { min: 500, max: 503 },
          ],
          errorReasons: ['Server errors'],
        },
        tripDuration: isoSeconds(options.tripDurationSeconds),
        acceptRetryAfter: true,
      },
    ],
  };
}

/**
 * Managed-identity credentials of a backend, for Azure AI services: the service's system-assigned identity gets a
 * token for `resource`. Only `resource` is set: it is the form Microsoft's samples use (Azure-Samples/AI-Gateway
 * `labs/content-safety/main.bicep`, with a system-assigned identity), and a client id for a user-assigned identity
 * is not in the published schema of this API version.
 */
export function managedIdentityCredentials() {
  return { managedIdentity: { resource: COGNITIVE_SERVICES_AUDIENCE } };
}

export interface ModelBackendsProps {
  readonly apiManagementId: string;
  readonly routes: readonly ModelRoute[];
  readonly accounts: Readonly<Partial<Record<AzureRegion, BackendAccount>>>;
  readonly circuitBreaker: CircuitBreakerOptions;
  /** A dedicated tenant's slug, for the pools' descriptions. @default - shared pools */
  readonly tenant?: string;
  /**
   * Each gateway region's pools (a multi-region gateway): the same backends, local members first.
   * @default - none: every region uses the pools of `routes`
   */
  readonly regional?: readonly RegionalRouting[];
}

/**
 * One backend per deployment and region, and one pool per model. A backend per deployment (not per account) keeps
 * breakers apart: a 429 from the PTU deployment of one model must not take the account's other models out of
 * rotation. Every backend is https, validates TLS, authenticates with the gateway's managed identity and has the
 * breaker.
 */
export class ModelBackends extends Construct {
  /** Pool backend per model. */
  readonly pools: Readonly<Record<string, AzapiResource>>;
  /** Backend by its APIM entity id (`RouteMember.backendId`). */
  readonly backends: Readonly<Record<string, AzapiResource>>;
  /** Each gateway region's pool backend per model (multi-region gateway). */
  readonly regionalPools: Readonly<Partial<Record<AzureRegion, Readonly<Record<string, AzapiResource>>>>>;

  constructor(scope: Construct, id: string, props: ModelBackendsProps) {
    super(scope, id);
    const backendScope = new Construct(this, 'Backends');
    const regionScopes = new Map<AzureRegion, Construct>();
    const regionScope = (region: AzureRegion) => {
      if (!regionScopes.has(region)) regionScopes.set(region, new Construct(backendScope, region));
      return regionScopes.get(region)!;
    };
    const poolScope = new Construct(this, 'Pools');
    const backends: Record<string, AzapiResource> = {};
    const pools: Record<string, AzapiResource> = {};

    for (const route of props.routes) {
      const members = route.members.map((member) => {
        const account = props.accounts[member.region];
        if (!account)
          throw new Error(`${this.node.path}: no model account in ${member.region} for "${route.model}"`);
        // Construct ids are region / deployment: config keys, so that adding or removing a region moves nothing else.
        const backend = (backends[member.backendId] ??= new AzapiResource(
          regionScope(member.region),
          member.deployment,
          {
            type: BACKENDS_API,
            name: member.backendId,
            parentId: props.apiManagementId,
            schemaValidationEnabled: false,
            body: {
              properties: {
                // The deployment name, read back by `npm run routes`.
                title: member.deployment,
                description: `${member.deployment} on ${account.name} (${member.region}, ${member.type}, capacity ${member.capacity})`,
                url: `${account.openAiEndpoint}openai`,
                protocol: 'http',
                tls: { validateCertificateChain: true, validateCertificateName: true },
                credentials: managedIdentityCredentials(),
                circuitBreaker: circuitBreakerRule(props.circuitBreaker),
              },
            },
          },
        ));
        return { id: backend.id, priority: member.priority, weight: member.weight };
      });
      pools[route.model] = new AzapiResource(poolScope, route.model, {
        type: BACKENDS_API,
        name: route.poolId,
        parentId: props.apiManagementId,
        schemaValidationEnabled: false,
        body: {
          properties: {
            // The model, read back by `npm run routes`.
            title: route.model,
            description: `Pool of ${route.model}${props.tenant === undefined ? '' : ` for tenant ${props.tenant}`}: provisioned first, pay-as-you-go next`,
            type: 'Pool',
            pool: { services: members },
          },
        },
        dependsOn: route.members.map((member) => backends[member.backendId]!),
      });
    }
    this.backends = backends;
    this.pools = pools;

    const regionalPools: Partial<Record<AzureRegion, Record<string, AzapiResource>>> = {};
    for (const regional of props.regional ?? []) {
      const scope = new Construct(poolScope, regional.region);
      const own: Record<string, AzapiResource> = {};
      for (const route of regional.routes) {
        own[route.model] = new AzapiResource(scope, route.model, {
          type: BACKENDS_API,
          name: route.poolId,
          parentId: props.apiManagementId,
          schemaValidationEnabled: false,
          body: {
            properties: {
              title: route.model,
              description: `Pool of ${route.model} for the gateway in ${regional.region}: local provisioned, local pay-as-you-go, then the other regions`,
              type: 'Pool',
              pool: {
                services: route.members.map((member) => ({
                  id: backends[member.backendId]!.id,
                  priority: member.priority,
                  weight: member.weight,
                })),
              },
            },
          },
          dependsOn: route.members.map((member) => backends[member.backendId]!),
        });
      }
      regionalPools[regional.region] = own;
    }
    this.regionalPools = regionalPools;
  }
}
