import type { AzureRegion } from './regions';
import type { PrivateEndpointOptions } from './interfaces';

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
};

/** The private zone a public host name resolves through when its service has a private endpoint. */
export function privateZoneForHost(host: string): string | undefined {
  const match = (Object.entries(PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES) as [PrivateDnsZoneKey, string][])
    .filter(([, suffix]) => host.toLowerCase().endsWith(`.${suffix}`))
    .sort(([, a], [, b]) => b.length - a.length)[0];
  return match ? PRIVATE_DNS_ZONES[match[0]] : undefined;
}

/**
 * What a private endpoint of each kind of target connects to: its private-link sub-resource and the DNS zones its
 * zone group must hold. A Cognitive Services account answers on all three AI zones (an AIServices account serves the
 * OpenAI and Foundry hostnames too).
 */
export const PRIVATE_LINK_SERVICES = {
  cognitiveAccount: { subresource: 'account', zones: ['cognitiveServices', 'openai', 'aiServices'] },
  keyVault: { subresource: 'vault', zones: ['keyVault'] },
  storageBlob: { subresource: 'blob', zones: ['blob'] },
  apiManagement: { subresource: 'Gateway', zones: ['apiManagement'] },
  monitorPrivateLinkScope: {
    subresource: 'azuremonitor',
    zones: ['monitor', 'omsOpinsights', 'odsOpinsights', 'agentService', 'blob'],
  },
} as const satisfies Record<string, { subresource: string; zones: readonly PrivateDnsZoneKey[] }>;

export type PrivateLinkService = keyof typeof PRIVATE_LINK_SERVICES;

/**
 * Where private endpoints go: the subnet per region and the ids of the DNS zones. The network construct provides
 * it, from the VNets and zones it creates or from the ids of a hub it attaches to. An environment without a private
 * network has none, and its resources get no private endpoint.
 */
export interface PrivateLinkContext {
  /** ARM id of the private-endpoint subnet in `region`; throws when the environment has no subnet there. */
  privateEndpointSubnetId(region: AzureRegion): string;
  /** ARM id of one private DNS zone; throws when the zone is not available. */
  privateDnsZoneId(zone: PrivateDnsZoneKey): string;
}

/** The private endpoint options for one target, from the context. */
export function privateEndpointFor(
  context: PrivateLinkContext,
  service: PrivateLinkService,
  region: AzureRegion,
  name: string,
): PrivateEndpointOptions {
  return {
    name,
    subnetId: context.privateEndpointSubnetId(region),
    privateDnsZoneIds: PRIVATE_LINK_SERVICES[service].zones.map((zone) => context.privateDnsZoneId(zone)),
    location: region,
  };
}
