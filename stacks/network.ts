/**
 * The network part of the platform stack: turns the environment's network section and address plan into the props
 * of the network constructs. Kept apart from `platform-stack.ts` so the stack reads as a list of capabilities.
 */
import type { Construct } from 'constructs';
import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import type { Monitoring } from '../constructs/monitoring';
import { ExistingNetwork, Network, type VirtualNetworkProps } from '../constructs/network';
import type { EnvironmentNames } from '../environments/names';
import { addressPlan, privateDnsZonesInUse } from '../environments/network-plan';
import type { Environment } from '../environments/schema';
import { SUBNET_KEYS, type SubnetKey, type AzureRegion } from '../constructs/shared/catalog';
import type { PrivateLinkContext } from '../constructs/shared/private-endpoint';

export interface EnvironmentNetwork {
  /** What the stack created (mode `create`). */
  readonly network?: Network;
  /** Where private endpoints go (modes `create` and `byo`). */
  readonly privateLink?: PrivateLinkContext;
  /** The subnets of each region, created or existing (modes `create` and `byo`). */
  readonly subnets?: { subnetId(region: AzureRegion, key: SubnetKey): string };
  /** The Application Gateway subnet of each region that has one, created or existing. */
  readonly ingressSubnetIds?: Readonly<Partial<Record<AzureRegion, string>>>;
}

/** Builds the environment's network from config: created, attached to an existing hub, or none. */
export function buildNetwork(
  scope: Construct,
  env: Environment,
  names: EnvironmentNames,
  groups: Readonly<Record<AzureRegion, ResourceGroup>>,
  monitoring: Monitoring,
  gatewaySubnetDelegation?: VirtualNetworkProps['gatewaySubnetDelegation'],
): EnvironmentNetwork {
  switch (env.network.mode) {
    case 'none':
      return {};
    case 'byo': {
      const privateLink = new ExistingNetwork({
        subnetIds: env.network.subnetIds,
        privateDnsZoneIds: env.network.privateDnsZoneIds,
        privateDnsZoneGroups: env.network.privateDnsZoneGroups,
      });
      const ingressSubnetIds = Object.fromEntries(
        Object.entries(env.network.subnetIds).flatMap(([region, ids]) =>
          ids?.ingress ? [[region, ids.ingress]] : [],
        ),
      );
      return { privateLink, subnets: privateLink, ingressSubnetIds };
    }
    case 'create': {
      const virtualNetworks: Partial<Record<AzureRegion, VirtualNetworkProps>> = {};
      for (const planned of addressPlan(env.network)) {
        const regionNames = names.network[planned.region]!;
        virtualNetworks[planned.region] = {
          name: regionNames.virtualNetwork,
          resourceGroupName: groups[planned.region].name,
          addressSpace: planned.addressSpace,
          privateDnsZoneLinkName: regionNames.privateDnsZoneLink,
          ...(gatewaySubnetDelegation ? { gatewaySubnetDelegation } : {}),
          ...(planned.ingress?.addressPrefix && regionNames.ingress
            ? {
                ingressSubnet: {
                  name: regionNames.ingress.subnet,
                  addressPrefix: planned.ingress.addressPrefix,
                  networkSecurityGroupName: regionNames.ingress.networkSecurityGroup,
                  clientSource: 'Internet',
                },
              }
            : {}),
          subnets: Object.fromEntries(
            SUBNET_KEYS.map((key) => [
              key,
              {
                name: regionNames.subnets[key].subnet,
                addressPrefix: planned.subnets[key]!.addressPrefix,
                networkSecurityGroupName: regionNames.subnets[key].networkSecurityGroup,
              },
            ]),
          ) as VirtualNetworkProps['subnets'] & Record<SubnetKey, unknown>,
        };
      }
      const network = new Network(scope, 'Network', {
        virtualNetworks,
        privateDnsZones: privateDnsZonesInUse(env),
        managedRedis: env.gateway.semanticCache.enabled && env.gateway.semanticCache.cache.mode === 'create',
        dnsZoneResourceGroupName: groups[env.regions.primary].name,
        diagnosticSettings: monitoring.diagnostics(),
        privateDnsZoneGroups: env.network.privateDnsZoneGroups,
      });
      const ingressSubnetIds = Object.fromEntries(
        Object.entries(network.regions).flatMap(([region, regional]) =>
          regional?.ingress ? [[region, regional.ingress.subnetId]] : [],
        ),
      );
      return { network, privateLink: network, subnets: network, ingressSubnetIds };
    }
  }
}
