import { Construct } from 'constructs';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { PrivateDnsARecord } from '@cdktf/provider-azurerm/lib/private-dns-a-record';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { VirtualNetworkPeering } from '@cdktf/provider-azurerm/lib/virtual-network-peering';
import { addDiagnosticSetting } from '../shared/features';
import { suppressRule } from '../shared/policy/suppressions';
import type { DiagnosticSettingsOptions } from '../shared/interfaces';
import { ingressRules, SUBNET_RULES } from './security-rules';
import {
  PRIVATE_DNS_ZONES,
  type PrivateDnsZoneKey,
  type AzureRegion,
  SUBNET_KEYS,
  type SubnetKey,
} from '../shared/catalog';
import type { PrivateLinkContext } from '../shared/private-endpoint';

/** One subnet of a VNet. */
export interface SubnetProps {
  readonly name: string;
  /** The subnet's range, inside the VNet's address space. */
  readonly addressPrefix: string;
  /** Name of the subnet's own NSG. */
  readonly networkSecurityGroupName: string;
}

/** The VNet of one region. */
export interface VirtualNetworkProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly addressSpace: string;
  /** The three subnets; each gets its own NSG with the rules of its purpose (`security-rules.ts`). */
  readonly subnets: Readonly<Record<SubnetKey, SubnetProps>>;
  /** Name of this VNet's link in every private DNS zone. */
  readonly privateDnsZoneLinkName: string;
  /**
   * Service delegation of the gateway subnet: `Microsoft.Web/serverFarms` for the outbound VNet integration of
   * StandardV2/PremiumV2, `Microsoft.Web/hostingEnvironments` for PremiumV2 injection. Classic injection takes none.
   * @default - none
   */
  readonly gatewaySubnetDelegation?: 'Microsoft.Web/serverFarms' | 'Microsoft.Web/hostingEnvironments';
  /**
   * The dedicated subnet of an Application Gateway (WAF) in front of the gateway, with the NSG rules Application
   * Gateway v2 requires (`ingressRules`); `clientSource` is who may call its listener. @default - none
   */
  readonly ingressSubnet?: SubnetProps & { readonly clientSource: string };
}

export interface NetworkProps {
  /** One VNet per region, keyed by region (the key forms the construct id). */
  readonly virtualNetworks: Readonly<Partial<Record<AzureRegion, VirtualNetworkProps>>>;
  /** Private DNS zones to create; each is linked to every VNet. @default - none */
  readonly privateDnsZones?: readonly PrivateDnsZoneKey[];
  /** Resource group of the DNS zones (global resources). Required when `privateDnsZones` is not empty. */
  readonly dnsZoneResourceGroupName?: string;
  /**
   * Where VNet and NSG logs go. The construct picks the categories each type has: `VMProtectionAlerts` and metrics
   * for VNets, `NetworkSecurityGroupEvent` and `NetworkSecurityGroupRuleCounter` for NSGs (which have no metrics).
   * @default - no diagnostic settings
   */
  readonly diagnosticSettings?: Pick<DiagnosticSettingsOptions, 'workspaceId'>;
  /**
   * `managedByPolicy`: an enterprise hub's DeployIfNotExists policy adds the private endpoints' zone groups, in zones
   * the hub owns and links; pass no `privateDnsZones` then. @default 'blueprint'
   */
  readonly privateDnsZoneGroups?: 'blueprint' | 'managedByPolicy';
  /** Open Redis over TLS (10000) from the gateway subnet to the private endpoints (the semantic cache). @default false */
  readonly managedRedis?: boolean;
}

/** A private zone for one host name, answering at its apex (`addHostZones`). */
export interface HostZone {
  readonly zone: PrivateDnsZone;
  readonly record: PrivateDnsARecord;
}

/** What the construct built in one region. */
export interface RegionalNetwork {
  readonly virtualNetwork: VirtualNetwork;
  readonly networkSecurityGroups: Readonly<Record<SubnetKey, NetworkSecurityGroup>>;
  /** ARM ids of the subnets. */
  readonly subnetIds: Readonly<Record<SubnetKey, string>>;
  /** The Application Gateway subnet and its NSG, when the VNet has one. */
  readonly ingress?: { readonly subnetId: string; readonly networkSecurityGroup: NetworkSecurityGroup };
}

/** A subnet delegation to a service. */
function delegation(service: string) {
  return {
    name: service.replace('/', '.'),
    serviceDelegation: [{ name: service, actions: ['Microsoft.Network/virtualNetworks/subnets/action'] }],
  };
}

/** The delegation App Service VNet integration needs on its subnet. */
const APP_SERVICE_DELEGATION = delegation('Microsoft.Web/serverFarms');

/**
 * The private network of an environment (mode `create`): a VNet per region with a gateway, a private-endpoint and an
 * app-integration subnet, an NSG on every subnet, and private DNS zones linked to every VNet. It is the
 * {@link PrivateLinkContext} that resource constructs take their private endpoints from.
 *
 * Subnets are declared inside the VNet resource, so each is created together with its NSG in one ARM call: landing
 * zones that deny "subnet without NSG" by Azure Policy reject a subnet created first and associated later. No subnet
 * has default outbound internet access.
 *
 * The regional VNets are peered in a full mesh, both directions of every pair: peering is not transitive, and every
 * region calls every other (the gateway fails over to model accounts in every region, and applications in every
 * region call the gateway). A hub without a transit appliance would leave spoke-to-spoke traffic unroutable.
 */
export class Network extends Construct implements PrivateLinkContext {
  readonly regions: Readonly<Partial<Record<AzureRegion, RegionalNetwork>>>;
  readonly privateDnsZones: Readonly<Partial<Record<PrivateDnsZoneKey, PrivateDnsZone>>>;
  /** The peering of each ordered pair of regions, keyed `<from>-to-<to>`. */
  readonly peerings: Readonly<Record<string, VirtualNetworkPeering>>;
  readonly privateDnsZoneGroups: 'blueprint' | 'managedByPolicy';
  private readonly props: NetworkProps;
  private readonly managedRedis: boolean;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.managedRedis = props.managedRedis === true;
    const regions: Partial<Record<AzureRegion, RegionalNetwork>> = {};
    for (const [region, vnet] of Object.entries(props.virtualNetworks) as [
      AzureRegion,
      VirtualNetworkProps,
    ][]) {
      regions[region] = this.regionalNetwork(region, vnet, props.diagnosticSettings);
    }
    this.regions = regions;
    this.props = props;
    this.privateDnsZoneGroups = props.privateDnsZoneGroups ?? 'blueprint';
    this.privateDnsZones = this.zones(props);
    this.peerings = this.mesh(props);
  }

  /** Peers every pair of regional VNets in both directions (a full mesh); construct ids come from region keys. */
  private mesh(props: NetworkProps): Record<string, VirtualNetworkPeering> {
    const regions = (Object.keys(this.regions) as AzureRegion[]).sort();
    const peerings: Record<string, VirtualNetworkPeering> = {};
    if (regions.length < 2) return peerings;
    const scope = new Construct(this, 'Peerings');
    for (const from of regions) {
      for (const to of regions) {
        if (from === to) continue;
        const local = props.virtualNetworks[from]!;
        peerings[`${from}-to-${to}`] = new VirtualNetworkPeering(scope, `${from}-to-${to}`, {
          name: `peer-to-${props.virtualNetworks[to]!.name}`,
          resourceGroupName: local.resourceGroupName,
          virtualNetworkName: this.regions[from]!.virtualNetwork.name,
          remoteVirtualNetworkId: this.regions[to]!.virtualNetwork.id,
          allowVirtualNetworkAccess: true,
          // Spoke to spoke only: nothing is forwarded through a region, and no region shares a VPN gateway.
          allowForwardedTraffic: false,
          allowGatewayTransit: false,
          useRemoteGateways: false,
        });
      }
    }
    return peerings;
  }

  /**
   * One private zone per host name, each with an apex A record to `addresses` and linked to every VNet: for a service
   * that publishes no DNS records of its own (API Management in internal mode). A zone per host, never the parent
   * domain: a zone named `azure-api.net` linked to a VNet would answer for every other API Management service too.
   */
  addHostZones(
    id: string,
    hosts: Readonly<Record<string, string>>,
    addresses: string[],
  ): Record<string, HostZone> {
    if (!this.props.dnsZoneResourceGroupName) {
      throw new Error(`${this.node.path}: dnsZoneResourceGroupName is required to create private DNS zones`);
    }
    const group = this.props.dnsZoneResourceGroupName;
    const scope = new Construct(this, id);
    const zones: Record<string, HostZone> = {};
    for (const [key, host] of Object.entries(hosts)) {
      const zoneScope = new Construct(scope, key);
      const zone = new PrivateDnsZone(zoneScope, 'Zone', { name: host, resourceGroupName: group });
      for (const [region, regional] of Object.entries(this.regions) as [AzureRegion, RegionalNetwork][]) {
        new PrivateDnsZoneVirtualNetworkLink(zoneScope, `Link-${region}`, {
          name: this.props.virtualNetworks[region]!.privateDnsZoneLinkName,
          resourceGroupName: group,
          privateDnsZoneName: zone.name,
          virtualNetworkId: regional.virtualNetwork.id,
          registrationEnabled: false,
        });
      }
      const record = new PrivateDnsARecord(zoneScope, 'Apex', {
        name: '@',
        zoneName: zone.name,
        resourceGroupName: group,
        ttl: 300,
        records: addresses,
      });
      zones[key] = { zone, record };
    }
    return zones;
  }

  private regionalNetwork(
    region: AzureRegion,
    props: VirtualNetworkProps,
    diagnostics: NetworkProps['diagnosticSettings'],
  ): RegionalNetwork {
    const scope = new Construct(this, region);
    const renderRules = (rules: ReturnType<(typeof SUBNET_RULES)[SubnetKey]>) =>
      rules.map((rule) => ({
        name: rule.name,
        priority: rule.priority,
        direction: rule.direction,
        access: rule.access,
        protocol: rule.protocol,
        sourceAddressPrefix: rule.sourceAddressPrefix,
        sourcePortRange: '*',
        destinationAddressPrefix: rule.destinationAddressPrefix,
        ...(rule.destinationPortRanges.length === 1
          ? { destinationPortRange: rule.destinationPortRanges[0]! }
          : { destinationPortRanges: [...rule.destinationPortRanges] }),
        description: rule.description,
      }));
    const groups = {} as Record<SubnetKey, NetworkSecurityGroup>;
    for (const key of SUBNET_KEYS) {
      const subnet = props.subnets[key];
      groups[key] = new NetworkSecurityGroup(scope, `Nsg-${key}`, {
        name: subnet.networkSecurityGroupName,
        location: region,
        resourceGroupName: props.resourceGroupName,
        securityRule: renderRules(
          SUBNET_RULES[key](subnet.addressPrefix, { managedRedis: this.managedRedis }),
        ),
      });
      if (key === 'appIntegration') {
        suppressRule(
          groups[key],
          'LZ.NSG.DenyAllInbound',
          'App Service VNet integration only sends traffic out through this subnet; nothing, not even a load balancer probe, arrives on it.',
        );
      }
      if (diagnostics) {
        addDiagnosticSetting(scope, `Nsg-${key}-Diagnostics`, groups[key].id, {
          workspaceId: diagnostics.workspaceId,
          logCategories: ['NetworkSecurityGroupEvent', 'NetworkSecurityGroupRuleCounter'],
          metrics: false,
        });
      }
    }

    const ingress = props.ingressSubnet;
    const ingressGroup = ingress
      ? new NetworkSecurityGroup(scope, 'Nsg-ingress', {
          name: ingress.networkSecurityGroupName,
          location: region,
          resourceGroupName: props.resourceGroupName,
          securityRule: renderRules(ingressRules(ingress.addressPrefix, ingress.clientSource)),
        })
      : undefined;
    if (ingressGroup) {
      suppressRule(
        ingressGroup,
        'LZ.NSG.ManagementPorts',
        'Application Gateway v2 needs the Azure load balancer to reach its subnet on any port (Learn, Application Gateway infrastructure configuration, Network security groups); the rule admits the AzureLoadBalancer tag only.',
      );
    }
    if (ingressGroup && diagnostics) {
      addDiagnosticSetting(scope, 'Nsg-ingress-Diagnostics', ingressGroup.id, {
        workspaceId: diagnostics.workspaceId,
        logCategories: ['NetworkSecurityGroupEvent', 'NetworkSecurityGroupRuleCounter'],
        metrics: false,
      });
    }

    const virtualNetwork = new VirtualNetwork(scope, 'VirtualNetwork', {
      name: props.name,
      location: region,
      resourceGroupName: props.resourceGroupName,
      addressSpace: [props.addressSpace],
      subnet: SUBNET_KEYS.map((key) => ({
        name: props.subnets[key].name,
        addressPrefixes: [props.subnets[key].addressPrefix],
        securityGroup: groups[key].id,
        defaultOutboundAccessEnabled: false,
        // NSG rules apply to private endpoints only with network policies on.
        privateEndpointNetworkPolicies: key === 'privateEndpoints' ? 'Enabled' : 'Disabled',
        ...(key === 'appIntegration' ? { delegation: [APP_SERVICE_DELEGATION] } : {}),
        ...(key === 'gateway' && props.gatewaySubnetDelegation
          ? { delegation: [delegation(props.gatewaySubnetDelegation)] }
          : {}),
      })).concat(
        ingress && ingressGroup
          ? [
              {
                name: ingress.name,
                addressPrefixes: [ingress.addressPrefix],
                securityGroup: ingressGroup.id,
                defaultOutboundAccessEnabled: false,
                privateEndpointNetworkPolicies: 'Disabled',
              },
            ]
          : [],
      ),
    });
    if (diagnostics) {
      addDiagnosticSetting(scope, 'Diagnostics', virtualNetwork.id, {
        workspaceId: diagnostics.workspaceId,
        logCategories: ['VMProtectionAlerts'],
      });
    }

    const subnetIds = Object.fromEntries(
      SUBNET_KEYS.map((key) => [key, `${virtualNetwork.id}/subnets/${props.subnets[key].name}`]),
    ) as Record<SubnetKey, string>;
    return {
      virtualNetwork,
      networkSecurityGroups: groups,
      subnetIds,
      ...(ingress && ingressGroup
        ? {
            ingress: {
              subnetId: `${virtualNetwork.id}/subnets/${ingress.name}`,
              networkSecurityGroup: ingressGroup,
            },
          }
        : {}),
    };
  }

  private zones(props: NetworkProps): Partial<Record<PrivateDnsZoneKey, PrivateDnsZone>> {
    const keys = props.privateDnsZones ?? [];
    if (keys.length === 0) return {};
    if (!props.dnsZoneResourceGroupName) {
      throw new Error(`${this.node.path}: dnsZoneResourceGroupName is required to create private DNS zones`);
    }
    const scope = new Construct(this, 'DnsZones');
    const zones: Partial<Record<PrivateDnsZoneKey, PrivateDnsZone>> = {};
    for (const key of keys) {
      const zoneScope = new Construct(scope, key);
      const zone = new PrivateDnsZone(zoneScope, 'Zone', {
        name: PRIVATE_DNS_ZONES[key],
        resourceGroupName: props.dnsZoneResourceGroupName,
      });
      for (const [region, regional] of Object.entries(this.regions) as [AzureRegion, RegionalNetwork][]) {
        new PrivateDnsZoneVirtualNetworkLink(zoneScope, `Link-${region}`, {
          name: props.virtualNetworks[region]!.privateDnsZoneLinkName,
          resourceGroupName: props.dnsZoneResourceGroupName,
          privateDnsZoneName: zone.name,
          virtualNetworkId: regional.virtualNetwork.id,
          registrationEnabled: false,
        });
      }
      zones[key] = zone;
    }
    return zones;
  }

  /** ARM id of a subnet; throws when the network has no VNet in `region`. */
  subnetId(region: AzureRegion, key: SubnetKey): string {
    const regional = this.regions[region];
    if (!regional) {
      throw new Error(
        `${this.node.path}: no VNet in ${region}; the network has VNets in ${Object.keys(this.regions).join(', ')}`,
      );
    }
    return regional.subnetIds[key];
  }

  privateEndpointSubnetId(region: AzureRegion): string {
    return this.subnetId(region, 'privateEndpoints');
  }

  privateDnsZoneId(zone: PrivateDnsZoneKey): string {
    const created = this.privateDnsZones[zone];
    if (!created) {
      throw new Error(
        `${this.node.path}: the private DNS zone ${PRIVATE_DNS_ZONES[zone]} was not created; add "${zone}" to privateDnsZones`,
      );
    }
    return created.id;
  }
}
