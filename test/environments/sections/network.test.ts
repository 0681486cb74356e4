import { describe, expect, it } from 'vitest';
import { parseEnvironment, type EnvironmentInput } from '../../../environments';
import { addressPlan, privateDnsZonesInUse } from '../../../environments/network-plan';
import { byoInput, hubZoneId, hubZoneIds, spokeSubnetId } from '../../helpers/network';
import { problemsOf } from '../../helpers/config';
import { exampleInput } from '../../helpers/synth';

/** The prod example with one subnet of swedencentral replaced. */
function prodWithSubnet(key: 'gateway' | 'privateEndpoints' | 'appIntegration', addressPrefix: string) {
  return exampleInput('prod', {
    network: { vnets: { swedencentral: { subnets: { [key]: { addressPrefix } } } } },
  });
}

/** An example with one key removed from an object at `path`. */
function without(input: EnvironmentInput, path: readonly string[], key: string): EnvironmentInput {
  let target = input as unknown as Record<string, Record<string, unknown>>;
  for (const step of path) target = target[step] as unknown as Record<string, Record<string, unknown>>;
  delete target[key];
  return input;
}

describe('network: create mode', () => {
  it('is the default, and needs a VNet in every region', () => {
    const input = without(exampleInput('staging'), [], 'network');
    expect(problemsOf(input)).toEqual([
      {
        path: 'network.vnets.swedencentral',
        message: 'create mode: region swedencentral needs a VNet; expected { addressSpace: "…" } for it',
        received: 'nothing',
        rule: 'network-vnet-per-region',
      },
      expect.objectContaining({ path: 'network.vnets.francecentral', rule: 'network-vnet-per-region' }),
    ]);
  });

  it('reports a region whose VNet is missing', () => {
    const input = without(exampleInput('staging'), ['network', 'vnets'], 'francecentral');
    expect(problemsOf(input)).toEqual([
      expect.objectContaining({ path: 'network.vnets.francecentral', rule: 'network-vnet-per-region' }),
    ]);
  });

  it('rejects a VNet for a region the environment does not use', () => {
    const input = exampleInput('staging', {
      network: { vnets: { westeurope: { addressSpace: '10.21.0.0/22' } } },
    });
    expect(problemsOf(input)).toEqual([
      {
        path: 'network.vnets.westeurope',
        message:
          'westeurope is not a region of this environment; expected one of: swedencentral, francecentral',
        received: '{"addressSpace":"10.21.0.0/22"}',
        rule: 'network-region-listed',
      },
    ]);
  });

  it('carves default subnets from the address space: gateway /24, private endpoints /24, app integration /26', () => {
    const env = parseEnvironment(exampleInput('staging'), 'staging');
    if (env.network.mode !== 'create') throw new Error('expected create mode');
    const plan = addressPlan(env.network);
    expect(
      plan.map((vnet) => [
        vnet.region,
        vnet.addressSpace,
        ...Object.values(vnet.subnets).map((s) => s.addressPrefix),
      ]),
    ).toEqual([
      ['swedencentral', '10.20.0.0/22', '10.20.0.0/24', '10.20.1.0/24', '10.20.2.0/26'],
      ['francecentral', '10.20.4.0/22', '10.20.4.0/24', '10.20.5.0/24', '10.20.6.0/26'],
    ]);
  });

  it('carves around explicit subnets and honours prefixLength', () => {
    const env = parseEnvironment(
      exampleInput('staging', {
        network: {
          vnets: {
            swedencentral: {
              subnets: { gateway: { prefixLength: 25 }, privateEndpoints: { addressPrefix: '10.20.0.0/24' } },
            },
          },
        },
      }),
      'staging',
    );
    if (env.network.mode !== 'create') throw new Error('expected create mode');
    const sweden = addressPlan(env.network)[0]!;
    expect(sweden.subnets.privateEndpoints).toMatchObject({ addressPrefix: '10.20.0.0/24', carved: false });
    expect(sweden.subnets.gateway).toMatchObject({ addressPrefix: '10.20.1.0/25', carved: true });
    expect(sweden.subnets.appIntegration).toMatchObject({ addressPrefix: '10.20.1.128/26', carved: true });
  });

  it('rejects overlapping address spaces across regions', () => {
    const input = exampleInput('prod', {
      network: { vnets: { francecentral: { addressSpace: '10.30.0.0/21' } } },
    });
    expect(problemsOf(input)).toEqual([
      {
        path: 'network.vnets.francecentral.addressSpace',
        message:
          'overlaps the address space of swedencentral (10.30.0.0/22); expected address spaces that do not overlap, so the VNets can be peered and routed',
        received: '"10.30.0.0/21"',
        rule: 'network-address-spaces-disjoint',
      },
    ]);
  });

  it('rejects a subnet outside its VNet', () => {
    expect(problemsOf(prodWithSubnet('gateway', '10.31.0.0/24'))).toEqual([
      {
        path: 'network.vnets.swedencentral.subnets.gateway.addressPrefix',
        message:
          'subnet gateway is outside the address space of the swedencentral VNet (10.30.0.0/22); expected a range inside it',
        received: '"10.31.0.0/24"',
        rule: 'network-subnet-inside-vnet',
      },
    ]);
  });

  it('rejects overlapping subnets', () => {
    expect(problemsOf(prodWithSubnet('privateEndpoints', '10.30.0.128/25'))).toEqual([
      {
        path: 'network.vnets.swedencentral.subnets.privateEndpoints.addressPrefix',
        message:
          'subnet privateEndpoints overlaps subnet gateway (10.30.0.0/24); expected subnets that do not overlap',
        received: '"10.30.0.128/25"',
        rule: 'network-subnets-disjoint',
      },
    ]);
  });

  it('rejects a gateway subnet below the APIM minimum', () => {
    expect(problemsOf(prodWithSubnet('gateway', '10.30.0.0/28'))).toEqual([
      {
        path: 'network.vnets.swedencentral.subnets.gateway.addressPrefix',
        message:
          'subnet gateway is a /28, too small for the APIM gateway: Azure documents /27 as the minimum for APIM v2 VNet injection, and /29 leaves classic tiers no room to scale; expected /27 or larger',
        received: '"10.30.0.0/28"',
        rule: 'network-subnet-minimum-size',
      },
    ]);
  });

  it('rejects a private-endpoint subnet below its minimum, given or carved', () => {
    expect(problemsOf(prodWithSubnet('privateEndpoints', '10.30.1.0/29'))).toEqual([
      expect.objectContaining({
        path: 'network.vnets.swedencentral.subnets.privateEndpoints.addressPrefix',
        message: expect.stringMatching(
          /^subnet privateEndpoints is a \/29, too small for private endpoints: Azure reserves 5 addresses .*; expected \/28 or larger$/,
        ),
        rule: 'network-subnet-minimum-size',
      }),
    ]);
    const carved = exampleInput('staging', {
      network: { vnets: { francecentral: { subnets: { privateEndpoints: { prefixLength: 29 } } } } },
    });
    expect(problemsOf(carved)).toEqual([
      expect.objectContaining({
        path: 'network.vnets.francecentral.subnets.privateEndpoints.prefixLength',
        received: '29',
        rule: 'network-subnet-minimum-size',
      }),
    ]);
  });

  it('rejects an address space too small for the subnets', () => {
    const input = exampleInput('staging', {
      network: { vnets: { swedencentral: { addressSpace: '10.20.0.0/24' } } },
    });
    expect(problemsOf(input)).toEqual([
      {
        path: 'network.vnets.swedencentral.subnets.privateEndpoints.prefixLength',
        message:
          'no free /24 is left in 10.20.0.0/24 for subnet privateEndpoints; expected a larger addressSpace, a smaller subnet or an explicit addressPrefix',
        received: 'nothing',
        rule: 'network-subnets-fit',
      },
      expect.objectContaining({
        path: 'network.vnets.swedencentral.subnets.appIntegration.prefixLength',
        rule: 'network-subnets-fit',
      }),
    ]);
  });

  it.each([
    ['10.20.1.0/22', 'host bits are set; expected the network address 10.20.0.0/22'],
    ['8.8.0.0/22', 'expected a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10)'],
    ['10.20.0.0', 'expected an IPv4 CIDR such as 10.20.0.0/24'],
    ['10.0.0.0/30', 'expected a prefix length between /8 and /29'],
  ])('rejects the address space %j', (addressSpace, message) => {
    const input = exampleInput('staging', { network: { vnets: { swedencentral: { addressSpace } } } });
    expect(problemsOf(input)).toEqual([
      { path: 'network.vnets.swedencentral.addressSpace', message, received: JSON.stringify(addressSpace) },
    ]);
  });

  it('takes either addressPrefix or prefixLength for a subnet, not both', () => {
    const input = exampleInput('staging', {
      network: {
        vnets: {
          swedencentral: { subnets: { gateway: { addressPrefix: '10.20.0.0/24', prefixLength: 24 } } },
        },
      },
    });
    expect(problemsOf(input)).toEqual([
      expect.objectContaining({
        path: 'network.vnets.swedencentral.subnets.gateway',
        message: 'set addressPrefix or prefixLength, not both',
      }),
    ]);
  });

  it('needs the private DNS zones of every service behind a private endpoint (the ledger’s Event Hubs too), the five Azure Monitor zones with the scope', () => {
    expect(privateDnsZonesInUse(parseEnvironment(exampleInput('prod'), 'prod'))).toEqual([
      'openai',
      'cognitiveServices',
      'aiServices',
      'keyVault',
      'blob',
      'apiManagement',
      'monitor',
      'omsOpinsights',
      'odsOpinsights',
      'agentService',
      'serviceBus',
      'managedRedis',
    ]);
    const withoutScope = exampleInput('prod', { monitoring: { privateLinkScope: { enabled: false } } });
    expect(privateDnsZonesInUse(parseEnvironment(withoutScope, 'prod'))).toEqual([
      'openai',
      'cognitiveServices',
      'aiServices',
      'keyVault',
      'blob',
      'apiManagement',
      'serviceBus',
      'managedRedis',
    ]);
    const withoutCache = exampleInput('prod');
    withoutCache.gateway.semanticCache = { enabled: false };
    expect(privateDnsZonesInUse(parseEnvironment(withoutCache, 'prod'))).not.toContain('managedRedis');
    expect(privateDnsZonesInUse(parseEnvironment(exampleInput('dev'), 'dev'))).toEqual([]);
  });
});

describe('network: bring-your-own mode', () => {
  it('accepts subnet ids per region and zone ids from another subscription', () => {
    const env = parseEnvironment(byoInput('prod'), 'prod');
    expect(env.network.mode).toBe('byo');
  });

  it('needs a private-endpoint subnet in every region', () => {
    const input = byoInput('prod');
    without(input, ['network', 'subnetIds'], 'germanywestcentral');
    expect(problemsOf(input)).toEqual([
      {
        path: 'network.subnetIds.germanywestcentral',
        message:
          'byo mode: region germanywestcentral needs a subnet for its private endpoints; expected { privateEndpoints: "<subnet id>" }',
        received: 'nothing',
        rule: 'network-byo-subnet-per-region',
      },
    ]);
  });

  it('needs the zone id of every service that has a private endpoint', () => {
    const input = byoInput('prod');
    without(input, ['network', 'privateDnsZoneIds'], 'keyVault');
    expect(problemsOf(input)).toEqual([
      {
        path: 'network.privateDnsZoneIds.keyVault',
        message:
          'byo mode: the private endpoint of Key Vault resolves in privatelink.vaultcore.azure.net; expected the ARM id of that zone',
        received: 'nothing',
        rule: 'network-byo-zone-ids',
      },
    ]);
  });

  it('rejects a zone id that names another zone', () => {
    const input = byoInput('prod', { privateDnsZoneIds: { ...hubZoneIds(), keyVault: hubZoneId('blob') } });
    expect(problemsOf(input)).toEqual([
      expect.objectContaining({
        path: 'network.privateDnsZoneIds.keyVault',
        message:
          'the id names the zone "privatelink.blob.core.windows.net"; expected the id of the privatelink.vaultcore.azure.net zone',
        rule: 'network-byo-zone-id-matches',
      }),
    ]);
  });

  it('validates every id with the ARM id parser', () => {
    const input = byoInput('staging', {
      subnetIds: {
        swedencentral: { privateEndpoints: spokeSubnetId('swedencentral').replace('/subnets/', '/subnet/') },
        francecentral: { privateEndpoints: spokeSubnetId('francecentral') },
      },
    });
    expect(problemsOf(input)).toEqual([
      expect.objectContaining({
        path: 'network.subnetIds.swedencentral.privateEndpoints',
        message: expect.stringMatching(
          /^expected the ARM id of a subnet: \/subscriptions\/<id>\/resourceGroups/,
        ),
      }),
    ]);
  });

  it('rejects the keys of the other mode', () => {
    const input = byoInput('staging', { vnets: {} });
    expect(problemsOf(input)).toEqual([
      expect.objectContaining({
        path: 'network.vnets',
        message: expect.stringMatching(/^unknown key "vnets"/),
      }),
    ]);
  });
});

describe('network: mode', () => {
  it('names the modes when the mode is unknown', () => {
    const input = { ...exampleInput('staging'), network: { mode: 'hub' } };
    expect(problemsOf(input)).toEqual([
      { path: 'network.mode', message: 'expected "create" | "byo" | "none"', received: '"hub"' },
    ]);
  });
});
