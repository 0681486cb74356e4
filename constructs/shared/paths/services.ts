/**
 * The services a data path can end at, as data: how each one is named on the network, whether it answers public
 * networks, whether it takes keys, and the service tag of its public endpoint. A new kind of callee (Event Hubs,
 * Azure Managed Redis, Azure AI Language) is one entry here, plus its private DNS zone in `../private-link.ts` and
 * its roles in `../roles.ts`.
 */
import { field, type PlanResource } from '../plan';
import { PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES } from '../private-link';

export interface CalleeService {
  /** What the callee is, in words. */
  readonly label: string;
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
  /** Service tag of the public endpoint, as an NSG names it. */
  readonly serviceTag: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const literal = (value: unknown): string | undefined => {
  const s = text(value);
  return s !== undefined && !s.includes('${') ? s : undefined;
};
const first = (suffixes: readonly string[], label: string | undefined) =>
  label === undefined ? undefined : `${label}.${suffixes[0]}`;

const COGNITIVE_SUFFIXES = [
  PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES.cognitiveServices,
  PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES.openai,
  PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES.aiServices,
];

/** Callees by Terraform type. */
export const CALLEE_SERVICES: Readonly<Record<string, CalleeService>> = {
  azurerm_cognitive_account: {
    label: 'AI services account',
    suffixes: COGNITIVE_SUFFIXES,
    dnsLabel: (r) => literal(r.config['custom_subdomain_name']),
    host: (r) => first(COGNITIVE_SUFFIXES, literal(r.config['custom_subdomain_name'])),
    publicAccess: (r) => r.config['public_network_access_enabled'] !== false,
    entraOnly: (r) => r.config['local_auth_enabled'] === false,
    serviceTag: 'AzureCognitiveServices',
  },
  azurerm_key_vault: {
    label: 'Key Vault',
    suffixes: [PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES.keyVault],
    dnsLabel: (r) => literal(r.config['name']),
    host: (r) => first([PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES.keyVault], literal(r.config['name'])),
    publicAccess: (r) => r.config['public_network_access_enabled'] !== false,
    // Access policies are the vault's "local" authorization; RBAC mode answers to role assignments only.
    entraOnly: (r) => r.config['rbac_authorization_enabled'] === true,
    serviceTag: 'AzureKeyVault',
  },
  azurerm_storage_account: {
    label: 'storage account (blob)',
    suffixes: [PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES.blob],
    dnsLabel: (r) => literal(r.config['name']),
    host: (r) => first([PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES.blob], literal(r.config['name'])),
    publicAccess: (r) => r.config['public_network_access_enabled'] !== false,
    entraOnly: (r) => r.config['shared_access_key_enabled'] === false,
    serviceTag: 'Storage',
  },
  azurerm_api_management: {
    label: 'API Management gateway',
    suffixes: [PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES.apiManagement],
    dnsLabel: (r) => literal(r.config['name']),
    host: (r) => first([PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES.apiManagement], literal(r.config['name'])),
    // Internal injection has no public gateway endpoint; a private endpoint gateway turns public access off after
    // creation (an azapi update the plan also holds), which the route hop reads from the private endpoint.
    publicAccess: (r) => field(r.config, 'virtual_network_type') !== 'Internal',
    entraOnly: () => false,
    serviceTag: 'ApiManagement',
  },
  azurerm_application_insights: {
    label: 'Application Insights',
    suffixes: [],
    dnsLabel: () => undefined,
    // The regional ingestion endpoint of the connection string.
    host: (r) => `${literal(r.config['location']) ?? 'region'}.in.applicationinsights.azure.com`,
    // Without internet ingestion, telemetry needs an Azure Monitor Private Link Scope, which the plan would show.
    publicAccess: (r) => r.config['internet_ingestion_enabled'] !== false,
    entraOnly: (r) => r.config['local_authentication_disabled'] === true,
    serviceTag: 'AzureMonitor',
  },
};

export function serviceOf(resource: PlanResource | undefined): CalleeService | undefined {
  return resource ? CALLEE_SERVICES[resource.type] : undefined;
}
