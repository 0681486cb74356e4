/** Fixtures for the bring-your-own network mode: a hub in another subscription, spoke subnets per region. */
import type { EnvironmentInput } from '../../environments';
import { PRIVATE_LINK_SERVICES_IN_USE } from '../../environments/network-plan';
import { exampleInput } from './synth';
import {
  PRIVATE_DNS_ZONES,
  type PrivateDnsZoneKey,
  PRIVATE_LINK_SERVICES,
} from '../../constructs/shared/catalog';

export const HUB_SUBSCRIPTION = '99999999-9999-4999-8999-999999999999';
export const SPOKE_SUBSCRIPTION = '33333333-3333-4333-8333-333333333333';

/** ARM id of a zone in the hub's DNS resource group. */
export function hubZoneId(zone: PrivateDnsZoneKey): string {
  return `/subscriptions/${HUB_SUBSCRIPTION}/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/${PRIVATE_DNS_ZONES[zone]}`;
}

/** ARM id of a spoke subnet in `region`. */
export function spokeSubnetId(region: string, subnet = 'snet-pep'): string {
  return `/subscriptions/${SPOKE_SUBSCRIPTION}/resourceGroups/rg-spoke-${region}/providers/Microsoft.Network/virtualNetworks/vnet-spoke-${region}/subnets/${subnet}`;
}

/** Zone ids for every zone the blueprint uses (the semantic cache's too: the staging and prod examples build one). */
export function hubZoneIds(): Partial<Record<PrivateDnsZoneKey, string>> {
  const zones = new Set(
    [
      ...PRIVATE_LINK_SERVICES_IN_USE,
      'eventHubs' as const,
      'monitorPrivateLinkScope' as const,
      'managedRedis' as const,
    ].flatMap((service) => PRIVATE_LINK_SERVICES[service].zones),
  );
  return Object.fromEntries([...zones].map((zone) => [zone, hubZoneId(zone)]));
}

/** An example environment switched to bring-your-own network. `network` replaces the example's network section. */
/** What a bring-your-own hub declares it provides: the assumptions of the data-path proof, with their reasons. */
export const HUB_PROVIDES = {
  peering: { reason: 'The hub peers every spoke VNet with the others (Azure Virtual Network Manager mesh).' },
  dns: { reason: 'The hub links its private DNS zones to every spoke and resolves the gateway host names.' },
  networkSecurity: { reason: 'The hub team owns the spoke NSGs and allows HTTPS between the spokes.' },
};

export function byoInput(name: 'staging' | 'prod', network: Record<string, unknown> = {}): EnvironmentInput {
  const base = exampleInput(name);
  const regions = [base.regions.primary, ...(base.regions.additional ?? [])];
  const gatewayRegions = new Set([
    base.regions.primary,
    ...Object.keys(base.gateway.regions?.additional ?? {}),
  ]);
  const ingress = (base.gateway.ingress?.mode ?? 'none') !== 'none';
  return {
    ...base,
    network: {
      mode: 'byo',
      subnetIds: Object.fromEntries(
        regions.map((region) => [
          region,
          {
            privateEndpoints: spokeSubnetId(region),
            // The gateway is injected (prod) or integrated (staging) in each of its regions, behind a WAF with ingress.
            ...(gatewayRegions.has(region) ? { gateway: spokeSubnetId(region, 'snet-apim') } : {}),
            ...(gatewayRegions.has(region) && ingress ? { ingress: spokeSubnetId(region, 'snet-agw') } : {}),
          },
        ]),
      ),
      privateDnsZoneIds: hubZoneIds(),
      ...network,
    },
  } as EnvironmentInput;
}
