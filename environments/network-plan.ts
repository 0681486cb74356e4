/**
 * The address plan and the private-link needs of an environment. Like the name plan, the schema checks it at parse
 * time and the stack builds from the same plan, so the two cannot drift.
 */
import type { z } from 'zod';
import { firstFreeBlock, formatCidr, type Ipv4Block, parseCidr } from './cidr';
import type { ConfigPath } from './rules';
import { INGRESS_SUBNET, type NetworkSection } from './sections/network';
import type { Environment } from './schema';
import {
  PRIVATE_DNS_ZONES,
  PRIVATE_LINK_SERVICES,
  type PrivateDnsZoneKey,
  type PrivateLinkService,
  type AzureRegion,
  SUBNET_KEYS,
  SUBNETS,
  type SubnetKey,
} from '../constructs/shared/catalog';

type Network = z.output<typeof NetworkSection>;
export type CreateNetworkConfig = Extract<Network, { mode: 'create' }>;
export type VirtualNetworkConfig = NonNullable<CreateNetworkConfig['vnets'][AzureRegion]>;

/** One subnet of the plan: its range, whether it was carved or given, and the config path that decides it. */
export interface PlannedSubnet {
  readonly key: SubnetKey;
  readonly block: Ipv4Block;
  readonly addressPrefix: string;
  readonly carved: boolean;
  readonly path: ConfigPath;
}

export interface PlannedVirtualNetwork {
  readonly region: AzureRegion;
  readonly addressSpace: string;
  readonly block: Ipv4Block;
  /** Subnets that could be placed; a carved subnet that does not fit is in `unplaced`. */
  readonly subnets: Partial<Record<SubnetKey, PlannedSubnet>>;
  readonly unplaced: readonly { key: SubnetKey; prefixLength: number; path: ConfigPath }[];
  /** The Application Gateway subnet, when config declares one (`subnets.ingress`); carved after the others. */
  readonly ingress?: PlannedIngressSubnet;
}

/** The ingress (Application Gateway) subnet of a VNet; `block` is undefined when a carved one does not fit. */
export interface PlannedIngressSubnet {
  readonly block?: Ipv4Block;
  readonly addressPrefix?: string;
  readonly prefixLength: number;
  readonly carved: boolean;
  readonly path: ConfigPath;
}

function subnetPath(
  region: AzureRegion,
  key: SubnetKey,
  field: 'addressPrefix' | 'prefixLength',
): ConfigPath {
  return ['network', 'vnets', region, 'subnets', key, field];
}

/**
 * Resolves the subnets of one VNet: explicit prefixes as given, the others carved first-fit in the order gateway,
 * privateEndpoints, appIntegration. Carving is deterministic, but a carved range moves when an earlier subnet grows:
 * pin `addressPrefix` once a VNet is deployed.
 */
export function planVirtualNetwork(region: AzureRegion, config: VirtualNetworkConfig): PlannedVirtualNetwork {
  const block = parseCidr(config.addressSpace)!;
  const subnets: Partial<Record<SubnetKey, PlannedSubnet>> = {};
  const unplaced: { key: SubnetKey; prefixLength: number; path: ConfigPath }[] = [];
  for (const key of SUBNET_KEYS) {
    const prefix = config.subnets[key].addressPrefix;
    if (prefix !== undefined) {
      const subnet = parseCidr(prefix)!;
      subnets[key] = {
        key,
        block: subnet,
        addressPrefix: prefix,
        carved: false,
        path: subnetPath(region, key, 'addressPrefix'),
      };
    }
  }
  for (const key of SUBNET_KEYS) {
    if (subnets[key]) continue;
    const prefixLength = config.subnets[key].prefixLength ?? SUBNETS[key].defaultPrefixLength;
    const taken = Object.values(subnets).map((subnet) => subnet.block);
    const free = firstFreeBlock(block, prefixLength, taken);
    const path = subnetPath(region, key, 'prefixLength');
    if (free) {
      subnets[key] = { key, block: free, addressPrefix: formatCidr(free), carved: true, path };
    } else {
      unplaced.push({ key, prefixLength, path });
    }
  }
  const ingressSpec = config.subnets.ingress;
  let ingress: PlannedIngressSubnet | undefined;
  if (ingressSpec) {
    if (ingressSpec.addressPrefix !== undefined) {
      const subnet = parseCidr(ingressSpec.addressPrefix)!;
      ingress = {
        block: subnet,
        addressPrefix: ingressSpec.addressPrefix,
        prefixLength: subnet.prefixLength,
        carved: false,
        path: ['network', 'vnets', region, 'subnets', 'ingress', 'addressPrefix'],
      };
    } else {
      const prefixLength = ingressSpec.prefixLength ?? INGRESS_SUBNET.defaultPrefixLength;
      const free = firstFreeBlock(
        block,
        prefixLength,
        Object.values(subnets).map((subnet) => subnet.block),
      );
      ingress = {
        ...(free ? { block: free, addressPrefix: formatCidr(free) } : {}),
        prefixLength,
        carved: true,
        path: ['network', 'vnets', region, 'subnets', 'ingress', 'prefixLength'],
      };
    }
  }
  return {
    region,
    addressSpace: config.addressSpace,
    block,
    subnets,
    unplaced,
    ...(ingress ? { ingress } : {}),
  };
}

/** The address plan of a create-mode network, one VNet per configured region, in config order. */
export function addressPlan(network: CreateNetworkConfig): PlannedVirtualNetwork[] {
  return (Object.entries(network.vnets) as [AzureRegion, VirtualNetworkConfig][]).map(([region, config]) =>
    planVirtualNetwork(region, config),
  );
}

/**
 * The services this blueprint puts behind private endpoints whenever the environment has a private network: model
 * accounts and Content Safety (one Cognitive Services account type), Key Vault, the prompt library's blob service,
 * and APIM (v2 tiers take a private endpoint). The Azure Monitor Private Link Scope joins them when it is on
 * ({@link privateMonitoring}).
 */
export const PRIVATE_LINK_SERVICES_IN_USE: readonly PrivateLinkService[] = [
  'cognitiveAccount',
  'keyVault',
  'storageBlob',
  'apiManagement',
];

/**
 * True when the environment reaches its workspace and Application Insights through an Azure Monitor Private Link
 * Scope: config's `monitoring.privateLinkScope.enabled`, by default whenever it has a private network.
 */
export function privateMonitoring(env: Pick<Environment, 'network' | 'monitoring'>): boolean {
  return env.monitoring.privateLinkScope.enabled ?? env.network.mode !== 'none';
}

/**
 * Private link services the environment reaches privately; none without a private network. The Azure Monitor
 * Private Link Scope joins them with private monitoring, the usage ledger's Event Hubs namespace when the ledger is
 * on, and the semantic cache's Azure Managed Redis when the blueprint builds it.
 */
export function privateLinkServicesInUse(
  env: Pick<Environment, 'network' | 'monitoring'> & {
    readonly finops?: Pick<NonNullable<Environment['finops']>, 'ledger'>;
    readonly gateway?: Pick<Environment['gateway'], 'semanticCache'>;
  },
): readonly PrivateLinkService[] {
  if (env.network.mode === 'none') return [];
  const cache = env.gateway?.semanticCache;
  return [
    ...PRIVATE_LINK_SERVICES_IN_USE,
    ...(privateMonitoring(env) ? (['monitorPrivateLinkScope'] as const) : []),
    ...(env.finops?.ledger.enabled ? (['eventHubs'] as const) : []),
    ...(cache?.enabled && cache.cache.mode === 'create' ? (['managedRedis'] as const) : []),
  ];
}

/**
 * The private DNS zones the environment needs, each once, in the order of `PRIVATE_DNS_ZONES`. None when an
 * enterprise hub's policy manages the zone groups: the hub owns the privatelink zones then.
 */
export function privateDnsZonesInUse(
  env: Parameters<typeof privateLinkServicesInUse>[0],
): PrivateDnsZoneKey[] {
  if (env.network.mode !== 'none' && env.network.privateDnsZoneGroups === 'managedByPolicy') return [];
  const zones = new Set<PrivateDnsZoneKey>(
    privateLinkServicesInUse(env).flatMap((service) => PRIVATE_LINK_SERVICES[service].zones),
  );
  return (Object.keys(PRIVATE_DNS_ZONES) as PrivateDnsZoneKey[]).filter((zone) => zones.has(zone));
}
