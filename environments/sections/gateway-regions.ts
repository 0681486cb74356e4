/**
 * Cross-field rules of the multi-region gateway and its ingress: additional locations (Premium only, each in a region
 * of the environment with a VNet and zones it has), disjoint gateway and ingress subnets across regions, and a WAF
 * in Prevention mode with at least two gateway regions in prod.
 */
import { type AzureRegion, hasAvailabilityZones } from '../../constructs/shared/catalog';
import { contains, type Ipv4Block, overlaps } from '../cidr';
import { environmentRegions } from '../names';
import { addressPlan } from '../network-plan';
import type { ConfigPath, EnvironmentRule } from '../rules';
import type { Environment } from '../schema';
import { INGRESS_SUBNET } from './network';

/** The regions the gateway runs in: the primary first, then the additional locations in config order. */
export function gatewayRegions(env: Pick<Environment, 'regions' | 'gateway'>): AzureRegion[] {
  return [env.regions.primary, ...(Object.keys(env.gateway.regions.additional) as AzureRegion[])];
}

const ADDITIONAL = ['gateway', 'regions', 'additional'] as const;

export const GATEWAY_REGION_CONFIG_RULES: readonly EnvironmentRule<Environment>[] = [
  {
    id: 'gateway-additional-locations-premium',
    reads: [['gateway', 'sku'], [...ADDITIONAL]],
    check: (env, report) => {
      const extra = Object.keys(env.gateway.regions.additional);
      if (extra.length > 0 && env.gateway.sku.tier !== 'Premium') {
        report({
          path: [...ADDITIONAL],
          message: `${env.gateway.sku.tier} cannot run in more than one region (${extra.join(', ')}); additional locations need tier Premium`,
        });
      }
    },
  },
  {
    id: 'gateway-region-in-environment',
    reads: [['regions'], [...ADDITIONAL]],
    check: (env, report) => {
      const regions = environmentRegions(env);
      for (const region of Object.keys(env.gateway.regions.additional) as AzureRegion[]) {
        if (region === env.regions.primary) {
          report({
            path: [...ADDITIONAL, region],
            message: `${region} is the primary region, where the gateway runs already; expected another region`,
          });
        } else if (!regions.includes(region)) {
          report({
            path: [...ADDITIONAL, region],
            message: `${region} is not a region of this environment; expected one of: ${regions.join(', ')}`,
          });
        }
      }
    },
  },
  {
    id: 'gateway-region-has-vnet',
    reads: [['regions'], ['network'], ['gateway', 'network'], [...ADDITIONAL]],
    check: (env, report) => {
      if (env.gateway.network !== 'internal') return;
      for (const region of Object.keys(env.gateway.regions.additional) as AzureRegion[]) {
        const network = env.network;
        const has =
          network.mode === 'create'
            ? network.vnets[region] !== undefined
            : network.mode === 'byo'
              ? network.subnetIds[region]?.gateway !== undefined
              : false;
        if (!has) {
          report({
            path: [...ADDITIONAL, region],
            message: `an internal gateway in ${region} is injected into a VNet of that region, and there is none; expected ${network.mode === 'byo' ? `network.subnetIds.${region}.gateway` : `network.vnets.${region}`}`,
          });
        }
      }
    },
  },
  {
    id: 'gateway-zones-in-region',
    reads: [['regions', 'primary'], ['gateway', 'sku'], ['gateway', 'zones'], [...ADDITIONAL]],
    check: (env, report) => {
      const places: { region: AzureRegion; zones: readonly string[]; units: number; path: ConfigPath }[] = [
        {
          region: env.regions.primary,
          zones: env.gateway.zones,
          units: env.gateway.sku.capacity,
          path: ['gateway', 'zones'],
        },
        ...(
          Object.entries(env.gateway.regions.additional) as [
            AzureRegion,
            { capacity: number; zones: string[] },
          ][]
        ).map(([region, location]) => ({
          region,
          zones: location.zones,
          units: location.capacity,
          path: [...ADDITIONAL, region, 'zones'],
        })),
      ];
      places.forEach(({ region, zones, units, path }, i) => {
        if (zones.length === 0) return;
        if (!hasAvailabilityZones(region)) {
          report({
            path,
            message: `${region} has no availability zones (Learn: Azure regions with availability zone support); expected []`,
          });
        } else if (i > 0 && new Set(zones).size !== zones.length) {
          report({ path, message: 'expected each zone once' });
        } else if (i > 0 && units % zones.length !== 0) {
          report({
            path: [...ADDITIONAL, region, 'capacity'],
            message: `${units} units cannot spread evenly over ${zones.length} zones; expected a multiple of ${zones.length}`,
          });
        }
      });
    },
  },
  {
    id: 'gateway-region-subnets-disjoint',
    reads: [['regions'], ['network'], [...ADDITIONAL]],
    check: (env, report) => {
      if (env.network.mode !== 'create') return;
      const regions = new Set(gatewayRegions(env));
      const seen: { region: AzureRegion; what: string; prefix: string; block: Ipv4Block }[] = [];
      for (const vnet of addressPlan(env.network)) {
        if (!regions.has(vnet.region)) continue;
        const own = [
          ...(vnet.subnets.gateway
            ? [
                {
                  what: 'gateway',
                  prefix: vnet.subnets.gateway.addressPrefix,
                  block: vnet.subnets.gateway.block,
                  path: vnet.subnets.gateway.path,
                },
              ]
            : []),
          ...(vnet.ingress?.block
            ? [
                {
                  what: 'ingress',
                  prefix: vnet.ingress.addressPrefix!,
                  block: vnet.ingress.block,
                  path: vnet.ingress.path,
                },
              ]
            : []),
        ];
        for (const subnet of own) {
          const clash = seen.find(
            (other) => other.region !== vnet.region && overlaps(other.block, subnet.block),
          );
          if (clash) {
            report({
              path: subnet.path,
              message: `the ${subnet.what} subnet of ${vnet.region} (${subnet.prefix}) overlaps the ${clash.what} subnet of ${clash.region} (${clash.prefix}); gateway regions are peered, so expected ranges that do not overlap`,
            });
          }
        }
        seen.push(
          ...own.map((s) => ({ region: vnet.region, what: s.what, prefix: s.prefix, block: s.block })),
        );
      }
    },
  },
  {
    id: 'ingress-needs-internal-gateway',
    reads: [
      ['gateway', 'network'],
      ['gateway', 'ingress'],
    ],
    check: (env, report) => {
      if (env.gateway.ingress.mode !== 'none' && env.gateway.network !== 'internal') {
        report({
          path: ['gateway', 'ingress', 'mode'],
          message: `the WAF reaches the gateway on its private address in each region, which a ${env.gateway.network} gateway does not have; expected gateway.network "internal", or "none" here`,
        });
      }
    },
  },
  {
    id: 'ingress-subnet-per-gateway-region',
    reads: [['regions'], ['network'], ['gateway', 'ingress'], [...ADDITIONAL]],
    check: (env, report) => {
      if (env.gateway.ingress.mode === 'none') return;
      const network = env.network;
      for (const region of gatewayRegions(env)) {
        if (network.mode === 'create') {
          const vnet = network.vnets[region];
          if (!vnet) continue; // network-vnet-per-region / gateway-region-has-vnet report it
          if (!vnet.subnets.ingress) {
            report({
              path: ['network', 'vnets', region, 'subnets', 'ingress'],
              message: `${region} runs a gateway behind a WAF, whose Application Gateway needs a subnet of its own; expected { addressPrefix: "…" } or {} to carve a /${INGRESS_SUBNET.defaultPrefixLength}`,
            });
          }
        } else if (network.mode === 'byo' && !network.subnetIds[region]?.ingress) {
          report({
            path: ['network', 'subnetIds', region, 'ingress'],
            message: `${region} runs a gateway behind a WAF, whose Application Gateway needs a subnet of its own; expected the ARM id of that subnet`,
          });
        }
      }
    },
  },
  {
    id: 'ingress-subnet-fits',
    reads: [['network']],
    check: (env, report) => {
      if (env.network.mode !== 'create') return;
      for (const vnet of addressPlan(env.network)) {
        const ingress = vnet.ingress;
        if (!ingress) continue;
        if (!ingress.block) {
          report({
            path: ingress.path,
            message: `no free /${ingress.prefixLength} is left in ${vnet.addressSpace} for the ingress subnet; expected a larger addressSpace or an explicit addressPrefix`,
          });
          continue;
        }
        if (ingress.prefixLength > INGRESS_SUBNET.minimumPrefixLength) {
          report({
            path: ingress.path,
            message: `the ingress subnet is a /${ingress.prefixLength}, too small for ${INGRESS_SUBNET.purpose} (Microsoft recommends a /24 for v2); expected /${INGRESS_SUBNET.minimumPrefixLength} or larger`,
          });
        }
        if (!contains(vnet.block, ingress.block)) {
          report({
            path: ingress.path,
            message: `the ingress subnet is outside the address space of the ${vnet.region} VNet (${vnet.addressSpace}); expected a range inside it`,
          });
        }
        const clash = Object.values(vnet.subnets).find((s) => overlaps(s.block, ingress.block!));
        if (clash) {
          report({
            path: ingress.path,
            message: `the ingress subnet overlaps subnet ${clash.key} (${clash.addressPrefix}); the Application Gateway needs a subnet of its own`,
          });
        }
      }
    },
  },
  {
    id: 'ingress-global-not-built',
    reads: [['gateway', 'ingress']],
    check: (env, report) => {
      if (env.gateway.ingress.mode === 'waf+global') {
        report({
          path: ['gateway', 'ingress', 'mode'],
          message:
            'the global entry (Front Door Premium in front of the regional WAFs) is not built yet; expected "waf", with clients choosing a region',
        });
      }
    },
  },
  {
    id: 'ingress-capacity-bounds',
    reads: [['gateway', 'ingress']],
    check: (env, report) => {
      const ingress = env.gateway.ingress;
      if (ingress.mode !== 'none' && ingress.capacity.min > ingress.capacity.max) {
        report({
          path: ['gateway', 'ingress', 'capacity', 'min'],
          message: `${ingress.capacity.min} instances is above the maximum (${ingress.capacity.max}); expected min ≤ max`,
        });
      }
    },
  },
  {
    id: 'gateway-prod-multi-region',
    reads: [['stage'], ['gateway', 'ingress'], [...ADDITIONAL]],
    check: (env, report) => {
      if (env.stage !== 'prod') return;
      if (Object.keys(env.gateway.regions.additional).length === 0) {
        report({
          path: [...ADDITIONAL],
          message:
            'prod: a gateway in one region stops every tenant when that region is lost; expected at least one additional location',
        });
      }
      if (env.gateway.ingress.mode === 'none') {
        report({
          path: ['gateway', 'ingress', 'mode'],
          message: 'prod: clients reach the gateway through a WAF; expected "waf" or "waf+global"',
        });
      } else if (env.gateway.ingress.wafMode !== 'Prevention') {
        report({
          path: ['gateway', 'ingress', 'wafMode'],
          message: 'prod: a WAF in Detection mode only logs attacks; expected "Prevention"',
        });
      }
    },
  },
  {
    id: 'gateway-content-safety-primary',
    reads: [['regions', 'primary'], ['endpoints', 'contentSafety'], [...ADDITIONAL]],
    check: (env, report) => {
      const region = env.endpoints.contentSafety.region;
      if (
        Object.keys(env.gateway.regions.additional).length > 0 &&
        region &&
        region !== env.regions.primary
      ) {
        report({
          path: ['endpoints', 'contentSafety', 'region'],
          message: `each gateway region calls the Content Safety account of its own region, and this one serves the primary gateway; expected ${env.regions.primary} (or no region)`,
        });
      }
    },
  },
];
