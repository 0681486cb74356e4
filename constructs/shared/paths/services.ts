/**
 * How the data-path proof reads a callee in the plan: the DNS label that names it, the host a caller uses, whether it
 * answers public networks and whether it takes keys. The facts about each service (public DNS suffixes, private
 * zones, service tag) come from the catalog (`../catalog/private-link.ts`). A new kind of callee (Event Hubs, Azure
 * Managed Redis, Azure AI Language) is one entry in the catalog's `PRIVATE_LINK_SERVICES`, one here, and its roles
 * in `../catalog/roles.ts`.
 */
import { PRIVATE_LINK_SERVICES, type PrivateLinkService, publicSuffixes } from '../catalog';
import { body, field, type PlanResource } from '../plan';

export interface CalleeService {
  /** The catalog entry of the service. */
  readonly service: PrivateLinkService;
  /** Public DNS suffixes it answers on; the first label of the host names the resource. Empty: see `host`. */
  readonly suffixes: readonly string[];
  /** The DNS label that names the resource (`custom_subdomain_name`, the account or vault name). */
  readonly dnsLabel: (resource: PlanResource) => string | undefined;
  /** The host a caller uses when the path does not name one. */
  readonly host: (resource: PlanResource) => string | undefined;
  /** True when the resource accepts calls from public networks. */
  readonly publicAccess: (resource: PlanResource) => boolean;
  /** True when only Entra ID tokens are accepted (local keys off). */
  readonly entraOnly: (resource: PlanResource) => boolean;
  /** True when trusted Microsoft services may reach it although public networks may not. @default - never */
  readonly trustedServices?: (resource: PlanResource) => boolean;
  /** Service tag of the public endpoint, as an NSG names it. */
  readonly serviceTag: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const literal = (value: unknown): string | undefined => {
  const s = text(value);
  return s !== undefined && !s.includes('${') ? s : undefined;
};

/** A callee named by one attribute of its config (`name`, `custom_subdomain_name`), on its service's suffixes. */
function named(
  service: PrivateLinkService,
  attribute: string,
  access: Pick<CalleeService, 'publicAccess' | 'entraOnly' | 'trustedServices'>,
): CalleeService {
  const suffixes = publicSuffixes(service);
  const dnsLabel = (r: PlanResource) => literal(r.config[attribute]);
  return {
    service,
    suffixes,
    dnsLabel,
    host: (r) => {
      const label = dnsLabel(r);
      return label === undefined ? undefined : `${label}.${suffixes[0]}`;
    },
    serviceTag: PRIVATE_LINK_SERVICES[service].serviceTag,
    ...access,
  };
}

/** Callees by Terraform type. */
export const CALLEE_SERVICES: Readonly<Record<string, CalleeService>> = {
  [PRIVATE_LINK_SERVICES.cognitiveAccount.terraformType]: named('cognitiveAccount', 'custom_subdomain_name', {
    publicAccess: (r) => r.config['public_network_access_enabled'] !== false,
    entraOnly: (r) => r.config['local_auth_enabled'] === false,
  }),
  [PRIVATE_LINK_SERVICES.keyVault.terraformType]: named('keyVault', 'name', {
    publicAccess: (r) => r.config['public_network_access_enabled'] !== false,
    // Access policies are the vault's "local" authorization; RBAC mode answers to role assignments only.
    entraOnly: (r) => r.config['rbac_authorization_enabled'] === true,
  }),
  [PRIVATE_LINK_SERVICES.storageBlob.terraformType]: named('storageBlob', 'name', {
    publicAccess: (r) => r.config['public_network_access_enabled'] !== false,
    entraOnly: (r) => r.config['shared_access_key_enabled'] === false,
  }),
  [PRIVATE_LINK_SERVICES.apiManagement.terraformType]: named('apiManagement', 'name', {
    // Internal injection has no public gateway endpoint; a private endpoint gateway turns public access off after
    // creation (an azapi update the plan also holds), which the route hop reads from the private endpoint.
    publicAccess: (r) => field(r.config, 'virtual_network_type') !== 'Internal',
    entraOnly: () => false,
  }),
  [PRIVATE_LINK_SERVICES.eventHubs.terraformType]: named('eventHubs', 'name', {
    publicAccess: (r) => r.config['public_network_access_enabled'] !== false,
    entraOnly: (r) => r.config['local_authentication_enabled'] === false,
    trustedServices: (r) => field(r.config, 'network_rulesets.trusted_service_access_enabled') === true,
  }),
  // Azure Managed Redis through azapi, by its ARM type: `<name>.<region>.redis.azure.net`.
  [PRIVATE_LINK_SERVICES.managedRedis.terraformType]: {
    service: 'managedRedis',
    suffixes: publicSuffixes('managedRedis'),
    dnsLabel: (r) => literal(r.config['name']),
    host: (r) => {
      const name = literal(r.config['name']);
      const location = literal(r.config['location']);
      return name && location ? `${name}.${location}.redis.azure.net` : undefined;
    },
    publicAccess: (r) => field(body(r), 'properties.publicNetworkAccess') !== 'Disabled',
    // Access keys are the only way API Management connects; Entra-only would make it unreachable.
    entraOnly: () => false,
    serviceTag: PRIVATE_LINK_SERVICES.managedRedis.serviceTag,
  },
  azurerm_application_insights: {
    // Reached privately only through an Azure Monitor Private Link Scope.
    service: 'monitorPrivateLinkScope',
    suffixes: [],
    dnsLabel: () => undefined,
    // The regional ingestion endpoint of the connection string.
    host: (r) => `${literal(r.config['location']) ?? 'region'}.in.applicationinsights.azure.com`,
    // Without internet ingestion, telemetry needs an Azure Monitor Private Link Scope, which the plan would show.
    publicAccess: (r) => r.config['internet_ingestion_enabled'] !== false,
    entraOnly: (r) => r.config['local_authentication_disabled'] === true,
    serviceTag: PRIVATE_LINK_SERVICES.monitorPrivateLinkScope.serviceTag,
  },
};

/** The callee service of a resource: by Terraform type, or by ARM type for azapi resources. */
export function serviceOf(resource: PlanResource | undefined): CalleeService | undefined {
  if (!resource) return undefined;
  return CALLEE_SERVICES[resource.type] ?? (resource.armType ? CALLEE_SERVICES[resource.armType] : undefined);
}
