/**
 * The private DNS zones of every service the blueprint puts behind a private endpoint (Azure public cloud).
 * https://learn.microsoft.com/azure/private-link/private-endpoint-dns
 */
export const PRIVATE_DNS_ZONES = {
  openai: 'privatelink.openai.azure.com',
  cognitiveServices: 'privatelink.cognitiveservices.azure.com',
  aiServices: 'privatelink.services.ai.azure.com',
  keyVault: 'privatelink.vaultcore.azure.net',
  blob: 'privatelink.blob.core.windows.net',
  apiManagement: 'privatelink.azure-api.net',
  monitor: 'privatelink.monitor.azure.com',
  omsOpinsights: 'privatelink.oms.opinsights.azure.com',
  odsOpinsights: 'privatelink.ods.opinsights.azure.com',
  agentService: 'privatelink.agentsvc.azure-automation.net',
  managedRedis: 'privatelink.redis.azure.net',
} as const;

export type PrivateDnsZoneKey = keyof typeof PRIVATE_DNS_ZONES;

/**
 * The public DNS suffix whose names CNAME into each private zone once a private endpoint exists
 * (`x.openai.azure.com` → `x.privatelink.openai.azure.com`): the data-path proof finds the zone a host resolves in.
 * https://learn.microsoft.com/azure/private-link/private-endpoint-dns ("Public DNS zone forwarders")
 */
export const PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES: Readonly<Record<PrivateDnsZoneKey, string>> = {
  openai: 'openai.azure.com',
  cognitiveServices: 'cognitiveservices.azure.com',
  aiServices: 'services.ai.azure.com',
  keyVault: 'vault.azure.net',
  blob: 'blob.core.windows.net',
  apiManagement: 'azure-api.net',
  monitor: 'monitor.azure.com',
  omsOpinsights: 'oms.opinsights.azure.com',
  odsOpinsights: 'ods.opinsights.azure.com',
  agentService: 'agentsvc.azure-automation.net',
  managedRedis: 'redis.azure.net',
};

/** The private zone a public host name resolves through when its service has a private endpoint. */
export function privateZoneForHost(host: string): string | undefined {
  const match = (Object.entries(PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES) as [PrivateDnsZoneKey, string][])
    .filter(([, suffix]) => host.toLowerCase().endsWith(`.${suffix}`))
    .sort(([, a], [, b]) => b.length - a.length)[0];
  return match ? PRIVATE_DNS_ZONES[match[0]] : undefined;
}

/**
 * The services the blueprint puts behind private endpoints, and the facts a data path needs about each: the Terraform
 * type that holds it, its private-link sub-resource, the DNS zones its zone group must hold, and the service tag of
 * its public endpoint. A Cognitive Services account answers on all three AI zones (an AIServices account serves the
 * OpenAI and Foundry hostnames too). Application Insights is reached privately through an Azure Monitor Private Link
 * Scope, whose endpoint serves the monitor zones.
 *
 * Sources: Learn, "Azure Private Endpoint private DNS zone values"
 * (https://learn.microsoft.com/azure/private-link/private-endpoint-dns: sub-resources and zones); "Azure service tags"
 * (https://learn.microsoft.com/azure/virtual-network/service-tags-overview).
 */
export const PRIVATE_LINK_SERVICES = {
  cognitiveAccount: {
    terraformType: 'azurerm_cognitive_account',
    subresource: 'account',
    zones: ['cognitiveServices', 'openai', 'aiServices'],
    serviceTag: 'AzureCognitiveServices',
  },
  keyVault: {
    terraformType: 'azurerm_key_vault',
    subresource: 'vault',
    zones: ['keyVault'],
    serviceTag: 'AzureKeyVault',
  },
  storageBlob: {
    terraformType: 'azurerm_storage_account',
    subresource: 'blob',
    zones: ['blob'],
    serviceTag: 'Storage',
  },
  apiManagement: {
    terraformType: 'azurerm_api_management',
    subresource: 'Gateway',
    zones: ['apiManagement'],
    serviceTag: 'ApiManagement',
  },
  // Azure Managed Redis, written through azapi (`terraformType` is then the ARM type the plan reader reports).
  managedRedis: {
    terraformType: 'Microsoft.Cache/redisEnterprise',
    subresource: 'redisEnterprise',
    zones: ['managedRedis'],
    // No service tag covers its data plane: a public cache is reached over the internet.
    serviceTag: 'Internet',
  },
  monitorPrivateLinkScope: {
    terraformType: 'azurerm_monitor_private_link_scope',
    subresource: 'azuremonitor',
    zones: ['monitor', 'omsOpinsights', 'odsOpinsights', 'agentService', 'blob'],
    serviceTag: 'AzureMonitor',
  },
} as const satisfies Record<
  string,
  {
    terraformType: string;
    subresource: string;
    zones: readonly PrivateDnsZoneKey[];
    serviceTag: string;
  }
>;

export type PrivateLinkService = keyof typeof PRIVATE_LINK_SERVICES;

/** The public DNS suffixes a service answers on: those of its private zones. */
export function publicSuffixes(service: PrivateLinkService): readonly string[] {
  return PRIVATE_LINK_SERVICES[service].zones.map((zone) => PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES[zone]);
}
