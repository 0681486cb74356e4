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
  serviceBus: 'privatelink.servicebus.windows.net',
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
  serviceBus: 'servicebus.windows.net',
  managedRedis: 'redis.azure.net',
};

/**
 * Further public suffixes that CNAME into a private zone. Azure Monitor's public DNS zone forwarders include the
 * Application Insights names (`<region>.in.applicationinsights.azure.com`, the ingestion endpoint of a connection
 * string), which resolve through the `in.ai` records of privatelink.monitor.azure.com once a Private Link Scope's
 * endpoint exists.
 * Learn: "Azure Private Endpoint private DNS zone values" (Azure Monitor: public DNS zone forwarders);
 * "Configure your private link" (privatelink.monitor.azure.com: `in.ai`, the Application Insights ingestion endpoint).
 */
export const PRIVATE_DNS_ZONE_FORWARDERS: Readonly<Record<string, PrivateDnsZoneKey>> = {
  'applicationinsights.azure.com': 'monitor',
  'services.visualstudio.com': 'monitor',
};

/** The private zone a public host name resolves through when its service has a private endpoint. */
export function privateZoneForHost(host: string): string | undefined {
  const match = [
    ...(Object.entries(PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES) as [PrivateDnsZoneKey, string][]),
    ...Object.entries(PRIVATE_DNS_ZONE_FORWARDERS).map(([suffix, zone]): [PrivateDnsZoneKey, string] => [
      zone,
      suffix,
    ]),
  ]
    .filter(([, suffix]) => host.toLowerCase().endsWith(`.${suffix}`))
    .sort(([, a], [, b]) => b.length - a.length)[0];
  return match ? PRIVATE_DNS_ZONES[match[0]] : undefined;
}

/**
 * The services the blueprint puts behind private endpoints, and the facts a data path needs about each: the Terraform
 * type that holds it, its private-link sub-resource, the DNS zones its zone group must hold, and the service tag of
 * its public endpoint. A Cognitive Services account answers on all three AI zones (an AIServices account serves the
 * OpenAI and Foundry hostnames too). Application Insights is reached privately through an Azure Monitor Private Link
 * Scope, whose endpoint's zone group holds all five Azure Monitor zones: monitor (Application Insights ingestion and
 * the query API), oms and ods (workspace endpoints), agentsvc (agent service) and blob (the agents' solution packs)
 * (Learn, "Configure your private link": "Review your endpoint's DNS settings").
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
  /** The usage ledger's Event Hubs namespace (Learn: sub-resource `namespace`, zone privatelink.servicebus.windows.net). */
  eventHubs: {
    terraformType: 'azurerm_eventhub_namespace',
    subresource: 'namespace',
    zones: ['serviceBus'],
    serviceTag: 'EventHub',
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
