import { isArmResourceIdOf } from '../shared/arm-id';
import {
  PRIVATE_DNS_ZONES,
  type PrivateDnsZoneKey,
  type AzureRegion,
  type SubnetKey,
} from '../shared/catalog';
import type { PrivateLinkContext } from '../shared/private-endpoint';

/** The subnets of one region in an existing network. Only the private-endpoint subnet is required. */
export type ExistingSubnetIds = Readonly<Partial<Record<SubnetKey, string>> & { privateEndpoints: string }>;

export interface ExistingNetworkProps {
  /** ARM ids of existing subnets per region. */
  readonly subnetIds: Readonly<Partial<Record<AzureRegion, ExistingSubnetIds>>>;
  /** ARM ids of existing private DNS zones, often in a hub subscription. @default - none */
  readonly privateDnsZoneIds?: Readonly<Partial<Record<PrivateDnsZoneKey, string>>>;
  /** `managedByPolicy`: the hub's DeployIfNotExists policy adds the zone groups. @default 'blueprint' */
  readonly privateDnsZoneGroups?: 'blueprint' | 'managedByPolicy';
}

const SUBNET_TYPE = 'Microsoft.Network/virtualNetworks/subnets';
const ZONE_TYPE = 'Microsoft.Network/privateDnsZones';

/**
 * A hub someone else owns (mode `byo`): existing subnets and private DNS zones, passed in by id. It creates nothing,
 * so it is a plain object, not a construct; resource constructs attach their private endpoints to the given subnets
 * and register them in the given zones. Linking the zones to the VNets is the hub's job.
 */
export class ExistingNetwork implements PrivateLinkContext {
  private readonly subnets: ExistingNetworkProps['subnetIds'];
  private readonly zones: NonNullable<ExistingNetworkProps['privateDnsZoneIds']>;
  readonly privateDnsZoneGroups: 'blueprint' | 'managedByPolicy';

  constructor(props: ExistingNetworkProps) {
    for (const [region, ids] of Object.entries(props.subnetIds)) {
      for (const [key, id] of Object.entries(ids ?? {})) {
        if (!isArmResourceIdOf(id, SUBNET_TYPE)) {
          throw new Error(`ExistingNetwork: subnetIds.${region}.${key} is not the ARM id of a subnet: ${id}`);
        }
      }
    }
    for (const [zone, id] of Object.entries(props.privateDnsZoneIds ?? {})) {
      if (!isArmResourceIdOf(id, ZONE_TYPE)) {
        throw new Error(
          `ExistingNetwork: privateDnsZoneIds.${zone} is not the ARM id of a private DNS zone: ${id}`,
        );
      }
    }
    this.subnets = props.subnetIds;
    this.zones = props.privateDnsZoneIds ?? {};
    this.privateDnsZoneGroups = props.privateDnsZoneGroups ?? 'blueprint';
  }

  /** ARM id of a subnet; throws when none was given for `region` and `key`. */
  subnetId(region: AzureRegion, key: SubnetKey): string {
    const id = this.subnets[region]?.[key];
    if (!id) throw new Error(`ExistingNetwork: no ${key} subnet was given for ${region}`);
    return id;
  }

  privateEndpointSubnetId(region: AzureRegion): string {
    return this.subnetId(region, 'privateEndpoints');
  }

  privateDnsZoneId(zone: PrivateDnsZoneKey): string {
    const id = this.zones[zone];
    if (!id) {
      throw new Error(`ExistingNetwork: no id was given for the private DNS zone ${PRIVATE_DNS_ZONES[zone]}`);
    }
    return id;
  }
}
