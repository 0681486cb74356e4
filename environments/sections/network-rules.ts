/**
 * Cross-field rules of the network section, each with its own id and message. They read the address plan of
 * `network-plan.ts`, which the stack builds from, so what the schema accepts is what gets deployed.
 */
import { parseArmResourceId } from '../../constructs/shared/arm-id';
import { contains, overlaps } from '../cidr';
import { environmentRegions } from '../names';
import { addressPlan, privateLinkServicesInUse, privateMonitoring } from '../network-plan';
import type { EnvironmentRule } from '../rules';
import type { Environment } from '../schema';
import {
  PRIVATE_DNS_ZONES,
  PRIVATE_LINK_SERVICES,
  type PrivateDnsZoneKey,
  type PrivateLinkService,
  type AzureRegion,
  SUBNET_KEYS,
  SUBNETS,
} from '../../constructs/shared/catalog';

const SERVICE_LABELS: Record<PrivateLinkService, string> = {
  cognitiveAccount: 'the model accounts and Content Safety',
  keyVault: 'Key Vault',
  storageBlob: 'the prompt library (blob)',
  apiManagement: 'the APIM gateway',
  monitorPrivateLinkScope: 'the private monitoring path',
  eventHubs: "the usage ledger's Event Hubs namespace",
  managedRedis: 'the semantic cache (Azure Managed Redis)',
};

const VNETS = ['network', 'vnets'] as const;
const SUBNET_IDS = ['network', 'subnetIds'] as const;
const ZONE_IDS = ['network', 'privateDnsZoneIds'] as const;

export const NETWORK_CONFIG_RULES: readonly EnvironmentRule<Environment>[] = [
  {
    id: 'network-vnet-per-region',
    reads: [['regions'], ['network', 'mode'], [...VNETS]],
    check: (env, report) => {
      if (env.network.mode !== 'create') return;
      for (const region of environmentRegions(env)) {
        if (!env.network.vnets[region]) {
          report({
            path: [...VNETS, region],
            message: `create mode: region ${region} needs a VNet; expected { addressSpace: "…" } for it`,
          });
        }
      }
    },
  },
  {
    id: 'network-byo-subnet-per-region',
    reads: [['regions'], ['network', 'mode'], [...SUBNET_IDS]],
    check: (env, report) => {
      if (env.network.mode !== 'byo') return;
      for (const region of environmentRegions(env)) {
        if (!env.network.subnetIds[region]) {
          report({
            path: [...SUBNET_IDS, region],
            message: `byo mode: region ${region} needs a subnet for its private endpoints; expected { privateEndpoints: "<subnet id>" }`,
          });
        }
      }
    },
  },
  {
    id: 'network-region-listed',
    reads: [['regions'], ['network', 'mode'], [...VNETS], [...SUBNET_IDS]],
    check: (env, report) => {
      const regions = [...new Set(environmentRegions(env))];
      const keyed =
        env.network.mode === 'create'
          ? { path: VNETS, entries: env.network.vnets }
          : env.network.mode === 'byo'
            ? { path: SUBNET_IDS, entries: env.network.subnetIds }
            : undefined;
      for (const region of Object.keys(keyed?.entries ?? {}) as AzureRegion[]) {
        if (!regions.includes(region)) {
          report({
            path: [...keyed!.path, region],
            message: `${region} is not a region of this environment; expected one of: ${regions.join(', ')}`,
          });
        }
      }
    },
  },
  {
    id: 'network-address-spaces-disjoint',
    reads: [['network', 'mode'], [...VNETS]],
    check: (env, report) => {
      if (env.network.mode !== 'create') return;
      const plan = addressPlan(env.network);
      plan.forEach((vnet, j) => {
        const earlier = plan.slice(0, j).find((other) => overlaps(other.block, vnet.block));
        if (earlier) {
          report({
            path: [...VNETS, vnet.region, 'addressSpace'],
            message: `overlaps the address space of ${earlier.region} (${earlier.addressSpace}); expected address spaces that do not overlap, so the VNets can be peered and routed`,
          });
        }
      });
    },
  },
  {
    id: 'network-subnet-inside-vnet',
    reads: [['network', 'mode'], [...VNETS]],
    check: (env, report) => {
      if (env.network.mode !== 'create') return;
      for (const vnet of addressPlan(env.network)) {
        for (const subnet of Object.values(vnet.subnets)) {
          if (!contains(vnet.block, subnet.block)) {
            report({
              path: subnet.path,
              message: `subnet ${subnet.key} is outside the address space of the ${vnet.region} VNet (${vnet.addressSpace}); expected a range inside it`,
            });
          }
        }
      }
    },
  },
  {
    id: 'network-subnets-disjoint',
    reads: [['network', 'mode'], [...VNETS]],
    check: (env, report) => {
      if (env.network.mode !== 'create') return;
      for (const vnet of addressPlan(env.network)) {
        const subnets = SUBNET_KEYS.flatMap((key) => (vnet.subnets[key] ? [vnet.subnets[key]] : []));
        subnets.forEach((subnet, j) => {
          const earlier = subnets.slice(0, j).find((other) => overlaps(other.block, subnet.block));
          if (earlier) {
            report({
              path: subnet.path,
              message: `subnet ${subnet.key} overlaps subnet ${earlier.key} (${earlier.addressPrefix}); expected subnets that do not overlap`,
            });
          }
        });
      }
    },
  },
  {
    id: 'network-subnet-minimum-size',
    reads: [['network', 'mode'], [...VNETS]],
    check: (env, report) => {
      if (env.network.mode !== 'create') return;
      for (const vnet of addressPlan(env.network)) {
        const sized = [
          ...Object.values(vnet.subnets).map((s) => ({
            key: s.key,
            prefixLength: s.block.prefixLength,
            path: s.path,
          })),
          ...vnet.unplaced,
        ];
        for (const { key, prefixLength, path } of sized) {
          const minimum = SUBNETS[key].minimumPrefixLength;
          if (prefixLength > minimum) {
            report({
              path,
              message: `subnet ${key} is a /${prefixLength}, too small for ${SUBNETS[key].purpose}: ${SUBNETS[key].minimumReason}; expected /${minimum} or larger`,
            });
          }
        }
      }
    },
  },
  {
    id: 'network-subnets-fit',
    reads: [['network', 'mode'], [...VNETS]],
    check: (env, report) => {
      if (env.network.mode !== 'create') return;
      for (const vnet of addressPlan(env.network)) {
        for (const { key, prefixLength, path } of vnet.unplaced) {
          report({
            path,
            message: `no free /${prefixLength} is left in ${vnet.addressSpace} for subnet ${key}; expected a larger addressSpace, a smaller subnet or an explicit addressPrefix`,
          });
        }
      }
    },
  },
  {
    id: 'network-byo-zone-ids',
    reads: [
      ['network'],
      ['finops', 'ledger'],
      ['monitoring', 'privateLinkScope'],
      ['gateway', 'semanticCache'],
    ],
    check: (env, report) => {
      // With managedByPolicy the hub's policy picks the zones: the stack names none.
      if (env.network.mode !== 'byo' || env.network.privateDnsZoneGroups === 'managedByPolicy') return;
      const given = env.network.privateDnsZoneIds;
      const reported = new Set<PrivateDnsZoneKey>();
      for (const service of privateLinkServicesInUse(env)) {
        for (const zone of PRIVATE_LINK_SERVICES[service].zones) {
          if (given[zone] || reported.has(zone)) continue;
          reported.add(zone);
          report({
            path: [...ZONE_IDS, zone],
            message: `byo mode: the private endpoint of ${SERVICE_LABELS[service]} resolves in ${PRIVATE_DNS_ZONES[zone]}; expected the ARM id of that zone`,
          });
        }
      }
    },
  },
  {
    id: 'network-byo-zone-id-matches',
    reads: [['network', 'mode'], [...ZONE_IDS]],
    check: (env, report) => {
      if (env.network.mode !== 'byo') return;
      for (const [zone, id] of Object.entries(env.network.privateDnsZoneIds) as [
        PrivateDnsZoneKey,
        string,
      ][]) {
        const named = parseArmResourceId(id)!.name;
        if (named.toLowerCase() !== PRIVATE_DNS_ZONES[zone]) {
          report({
            path: [...ZONE_IDS, zone],
            message: `the id names the zone "${named}"; expected the id of the ${PRIVATE_DNS_ZONES[zone]} zone`,
          });
        }
      }
    },
  },
  {
    id: 'monitoring-private-link-needs-network',
    reads: [
      ['network', 'mode'],
      ['monitoring', 'privateLinkScope', 'enabled'],
    ],
    check: (env, report) => {
      if (env.network.mode === 'none' && env.monitoring.privateLinkScope.enabled === true) {
        report({
          path: ['monitoring', 'privateLinkScope', 'enabled'],
          message:
            'network.mode "none" has no subnet for the private endpoint of the Azure Monitor Private Link Scope; expected false (or leave it unset), or network.mode "create" or "byo"',
        });
      }
    },
  },
  {
    id: 'monitoring-public-gateway-ingests-publicly',
    reads: [
      ['network'],
      ['gateway', 'network'],
      ['monitoring', 'privateLinkScope'],
      ['monitoring', 'existing'],
    ],
    check: (env, report) => {
      const scope = env.monitoring.privateLinkScope;
      // Without a network, monitoring-private-link-needs-network reports the scope itself.
      if (env.network.mode === 'none' || !privateMonitoring(env)) return;
      if (env.gateway.network !== 'public' || scope.publicIngestion.enabled) return;
      report({
        path: ['monitoring', 'privateLinkScope', 'publicIngestion'],
        message:
          'a public gateway has no VNet, so its logger can reach Application Insights only over the internet; expected { enabled: true, reason: "…" }, or an "internal" or "privateEndpoint" gateway',
      });
    },
  },
  {
    id: 'monitoring-existing-components-readable',
    reads: [
      ['azure', 'subscriptionId'],
      ['monitoring', 'existing', 'applicationInsightsId'],
    ],
    check: (env, report) => {
      const id = env.monitoring.existing.applicationInsightsId;
      const subscription = env.azure.subscriptionId;
      if (!id || !subscription) return;
      const given = parseArmResourceId(id)!.subscriptionId;
      if (given.toLowerCase() !== subscription.toLowerCase()) {
        report({
          path: ['monitoring', 'existing', 'applicationInsightsId'],
          message: `the stack reads the component's connection string with the deployment's provider, in subscription ${subscription}; expected a component in that subscription (this one is in ${given})`,
        });
      }
    },
  },
];
