import { describe, expect, it } from 'vitest';
import { gatewayRegions } from '../../environments/sections/gateway-regions';
import { problemsOf } from '../helpers/config';
import { byoInput } from '../helpers/network';
import { exampleEnvironment, exampleInput } from '../helpers/synth';

const rulesOf = (input: unknown) => problemsOf(input).map((p) => [p.path, p.rule]);

describe('gateway regions and ingress', () => {
  it('runs the prod example in two gateway regions behind a WAF in Prevention mode', () => {
    const prod = exampleEnvironment('prod');
    expect(gatewayRegions(prod)).toEqual(['swedencentral', 'francecentral']);
    expect(prod.gateway.ingress).toMatchObject({ mode: 'waf', wafMode: 'Prevention' });
  });

  it('refuses an additional location on a tier that is not Premium', () => {
    const problems = problemsOf(
      exampleInput('staging', {
        regions: { additional: ['francecentral'] },
        gateway: { regions: { additional: { francecentral: { capacity: 1 } } } },
      }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: 'gateway.regions.additional',
        rule: 'gateway-additional-locations-premium',
        message: expect.stringContaining('additional locations need tier Premium'),
      }),
    );
  });

  it('refuses a gateway region without a VNet, in create and in byo mode', () => {
    const prod = exampleInput('prod');
    const vnets = { ...(prod.network as { vnets: Record<string, unknown> }).vnets };
    delete vnets['francecentral'];
    expect(rulesOf({ ...prod, network: { mode: 'create', vnets } })).toContainEqual([
      'gateway.regions.additional.francecentral',
      'gateway-region-has-vnet',
    ]);
    const byo = byoInput('prod');
    const subnetIds = { ...(byo.network as { subnetIds: Record<string, object> }).subnetIds };
    subnetIds['francecentral'] = {
      privateEndpoints: (subnetIds['francecentral'] as { privateEndpoints: string }).privateEndpoints,
    };
    expect(rulesOf({ ...byo, network: { ...byo.network, subnetIds } })).toContainEqual([
      'gateway.regions.additional.francecentral',
      'gateway-region-has-vnet',
    ]);
  });

  it('refuses a gateway region that is not a region of the environment, or is the primary', () => {
    expect(
      rulesOf(
        exampleInput('prod', { gateway: { regions: { additional: { westeurope: { capacity: 1 } } } } }),
      ),
    ).toContainEqual(['gateway.regions.additional.westeurope', 'gateway-region-in-environment']);
    expect(
      rulesOf(
        exampleInput('prod', { gateway: { regions: { additional: { swedencentral: { capacity: 1 } } } } }),
      ),
    ).toContainEqual(['gateway.regions.additional.swedencentral', 'gateway-region-in-environment']);
  });

  it('refuses overlapping gateway or ingress subnets across gateway regions', () => {
    const problems = problemsOf(
      exampleInput('prod', {
        network: {
          vnets: {
            francecentral: {
              addressSpace: '10.30.0.0/21',
              subnets: { gateway: { addressPrefix: '10.30.0.0/24' } },
            },
          },
        },
      }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: 'network.vnets.francecentral.subnets.gateway.addressPrefix',
        rule: 'gateway-region-subnets-disjoint',
        message: expect.stringContaining('overlaps the gateway subnet of swedencentral (10.30.0.0/24)'),
      }),
    );
  });

  it('refuses a WAF in Detection mode in prod, and prod without a WAF or a second gateway region', () => {
    expect(problemsOf(exampleInput('prod', { gateway: { ingress: { wafMode: 'Detection' } } }))).toEqual([
      expect.objectContaining({
        path: 'gateway.ingress.wafMode',
        rule: 'gateway-prod-multi-region',
        message: 'prod: a WAF in Detection mode only logs attacks; expected "Prevention"',
      }),
    ]);
    const prod = exampleInput('prod');
    const single = {
      ...prod,
      gateway: { ...prod.gateway, regions: { additional: {} }, ingress: { mode: 'none' } },
    };
    expect(rulesOf(single)).toEqual([
      ['gateway.regions.additional', 'gateway-prod-multi-region'],
      ['gateway.ingress.mode', 'gateway-prod-multi-region'],
    ]);
  });

  it('refuses zones in a region that has none, and units that do not spread over them', () => {
    expect(
      rulesOf(
        exampleInput('prod', {
          regions: { additional: ['francecentral', 'germanywestcentral', 'westus'] },
          network: { vnets: { westus: { addressSpace: '10.30.12.0/22', subnets: { ingress: {} } } } },
          gateway: { regions: { additional: { westus: { capacity: 1, zones: ['1'] } } } },
        }),
      ),
    ).toContainEqual(['gateway.regions.additional.westus.zones', 'gateway-zones-in-region']);
    expect(
      rulesOf(
        exampleInput('prod', { gateway: { regions: { additional: { francecentral: { capacity: 3 } } } } }),
      ),
    ).toEqual([['gateway.regions.additional.francecentral.capacity', 'gateway-zones-in-region']]);
  });

  it('refuses the global entry until the stack builds it', () => {
    expect(rulesOf(exampleInput('prod', { gateway: { ingress: { mode: 'waf+global' } } }))).toEqual([
      ['gateway.ingress.mode', 'ingress-global-not-built'],
    ]);
  });

  it('needs an ingress subnet in every gateway region and an internal gateway behind the WAF', () => {
    const prod = exampleInput('prod');
    const vnets = structuredClone(
      (prod.network as { vnets: Record<string, { subnets: Record<string, unknown> }> }).vnets,
    );
    delete vnets['francecentral']!.subnets['ingress'];
    expect(rulesOf({ ...prod, network: { mode: 'create', vnets } })).toEqual([
      ['network.vnets.francecentral.subnets.ingress', 'ingress-subnet-per-gateway-region'],
    ]);
    expect(
      rulesOf(
        exampleInput('prod', {
          network: { vnets: { francecentral: { subnets: { ingress: { addressPrefix: '10.30.7.0/27' } } } } },
        }),
      ),
    ).toEqual([['network.vnets.francecentral.subnets.ingress.addressPrefix', 'ingress-subnet-fits']]);
    expect(
      rulesOf(
        exampleInput('staging', {
          gateway: { ingress: { mode: 'waf', hostName: 'ai.contoso.com', certificateName: 'ai' } },
        }),
      ),
    ).toContainEqual(['gateway.ingress.mode', 'ingress-needs-internal-gateway']);
  });
});
