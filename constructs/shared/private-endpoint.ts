/**
 * Where private endpoints go, as the network construct provides it, and the private endpoint options of one target
 * (its sub-resource and DNS zones from the catalog).
 */
import {
  PRIVATE_LINK_SERVICES,
  type PrivateDnsZoneKey,
  type PrivateLinkService,
} from './catalog/private-link';
import type { AzureRegion } from './catalog/regions';
import type { PrivateEndpointOptions } from './interfaces';

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
  /**
   * `managedByPolicy`: an enterprise hub's DeployIfNotExists policy adds the zone groups, in the hub's zones.
   * @default 'blueprint'
   */
  readonly privateDnsZoneGroups?: 'blueprint' | 'managedByPolicy';
}

/** The private endpoint options for one target, from the context. */
export function privateEndpointFor(
  context: PrivateLinkContext,
  service: PrivateLinkService,
  region: AzureRegion,
  name: string,
): PrivateEndpointOptions {
  const byPolicy = context.privateDnsZoneGroups === 'managedByPolicy';
  return {
    name,
    subnetId: context.privateEndpointSubnetId(region),
    privateDnsZoneIds: byPolicy
      ? []
      : PRIVATE_LINK_SERVICES[service].zones.map((zone) => context.privateDnsZoneId(zone)),
    ...(byPolicy ? { zoneGroupManagedByPolicy: true } : {}),
    location: region,
  };
}

/**
 * The `privateEndpoint` prop of a resource construct: the options for one target where the environment has a private
 * network (a context), nothing where it has none.
 */
export function privateEndpointProp(
  context: PrivateLinkContext | undefined,
  service: PrivateLinkService,
  region: AzureRegion,
  name: string,
): { readonly privateEndpoint?: PrivateEndpointOptions } {
  return context ? { privateEndpoint: privateEndpointFor(context, service, region, name) } : {};
}
