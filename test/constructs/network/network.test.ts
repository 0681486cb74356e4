import { TerraformStack, Testing, Token } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { describe, expect, it } from 'vitest';
import {
  ExistingNetwork,
  gatewaySubnetRules,
  Network,
  type SecurityRule,
  type VirtualNetworkProps,
} from '../../../constructs/network';
import { parseEnvironment } from '../../../environments';
import { privateMonitoring } from '../../../environments/network-plan';
import { byoInput, hubZoneId, spokeSubnetId } from '../../helpers/network';
import { exampleEnvironment, exampleInput, synthesizeStack, synthEnvironment } from '../../helpers/synth';
import { type AzureRegion, SUBNET_KEYS, PRIVATE_DNS_ZONES } from '../../../constructs/shared/catalog';

type Subnet = {
  name: string;
  address_prefixes: string[];
  security_group: string;
  default_outbound_access_enabled: boolean;
  private_endpoint_network_policies: string;
  delegation?: { name: string; service_delegation: { name: string }[] }[];
};
type Rule = {
  name: string;
  priority: number;
  direction: string;
  access: string;
  protocol: string;
  source_address_prefix: string;
  destination_address_prefix: string;
  destination_port_range: string | null;
  destination_port_ranges: string[] | null;
};

const ref = (address: string, attribute = 'id') => `\${${address}.${attribute}}`;

describe.each(['staging', 'prod'] as const)('%s network (create mode)', (name) => {
  const env = exampleEnvironment(name);
  const synth = synthEnvironment(env);
  const regions = [env.regions.primary, ...env.regions.additional];
  const vnets = synth.resources('azurerm_virtual_network');
  const nsgs = synth.resources('azurerm_network_security_group');

  it('creates one VNet per region, in that region’s resource group, with the configured address space', () => {
    expect(vnets.map((v) => v.config['location']).sort()).toEqual([...regions].sort());
    for (const vnet of vnets) {
      const region = vnet.config['location'] as (typeof regions)[number];
      const group = synth.resources('azurerm_resource_group').find((g) => g.config['location'] === region)!;
      expect(vnet.config['resource_group_name']).toBe(ref(group.address, 'name'));
      if (env.network.mode !== 'create') throw new Error('create mode expected');
      expect(vnet.config['address_space']).toEqual([env.network.vnets[region]!.addressSpace]);
    }
  });

  it('gives each VNet the three subnets (and the WAF subnet where declared), each with its own NSG and no default outbound access', () => {
    for (const vnet of vnets) {
      const subnets = vnet.config['subnet'] as Subnet[];
      const region = vnet.config['location'] as AzureRegion;
      const ingress =
        env.network.mode === 'create' && env.network.vnets[region]?.subnets.ingress !== undefined;
      expect(subnets.map((s) => s.name.split('-').at(-1))).toEqual([
        'apim',
        'pep',
        'app',
        ...(ingress ? ['agw'] : []),
      ]);
      const groups = new Set(subnets.map((s) => s.security_group));
      expect(groups.size).toBe(ingress ? 4 : 3);
      for (const subnet of subnets) {
        expect(subnet.default_outbound_access_enabled, subnet.name).toBe(false);
        const nsg = nsgs.find((n) => ref(n.address) === subnet.security_group);
        expect(nsg?.config['location'], subnet.name).toBe(vnet.config['location']);
      }
      expect(subnets[1]!.private_endpoint_network_policies).toBe('Enabled');
      expect(subnets[2]!.delegation?.[0]?.service_delegation[0]?.name).toBe('Microsoft.Web/serverFarms');
    }
    expect(synth.resources('azurerm_subnet')).toEqual([]);
  });

  it('renders the gateway NSG rules of APIM injection from the planned subnet range', () => {
    const gateway = nsgs.find((n) => (n.config['name'] as string).endsWith('-sdc-apim'))!;
    const rules = gateway.config['security_rule'] as Rule[];
    const sweden = vnets.find((v) => v.config['location'] === 'swedencentral')!;
    const prefix = (sweden.config['subnet'] as Subnet[])[0]!.address_prefixes[0]!;
    const cache = env.gateway.semanticCache;
    const expected = gatewaySubnetRules(prefix, {
      managedRedis: cache.enabled && cache.cache.mode === 'create',
    });
    expect(rules.map((r) => [r.name, r.priority, r.direction, r.access])).toEqual(
      expected.map((r) => [r.name, r.priority, r.direction, r.access]),
    );
    const inbound = (port: string) =>
      rules.find(
        (r) => r.direction === 'Inbound' && r.access === 'Allow' && r.destination_port_range === port,
      );
    expect(inbound('3443')?.source_address_prefix).toBe('ApiManagement');
    expect(inbound('6390')?.source_address_prefix).toBe('AzureLoadBalancer');
    expect(inbound('443')?.source_address_prefix).toBe('VirtualNetwork');
    expect(inbound('443')?.destination_address_prefix).toBe(prefix);
  });

  it('creates the private DNS zone of every service it deploys, and one per host name of the internal gateway, and links each to every VNet', () => {
    const zones = synth.resources('azurerm_private_dns_zone');
    const service = synth.only('azurerm_api_management').config;
    const gateway = String(service['name']);
    const internal = service['virtual_network_type'] === 'Internal';
    const locations = ((service['additional_location'] as { location: string }[] | undefined) ?? []).map(
      (l) => l.location,
    );
    expect(zones.map((z) => z.config['name']).sort()).toEqual(
      [
        PRIVATE_DNS_ZONES.openai,
        PRIVATE_DNS_ZONES.cognitiveServices,
        PRIVATE_DNS_ZONES.aiServices,
        PRIVATE_DNS_ZONES.keyVault,
        PRIVATE_DNS_ZONES.blob,
        PRIVATE_DNS_ZONES.apiManagement,
        PRIVATE_DNS_ZONES.serviceBus,
        // The private monitoring path (on by default with a private network): the other four Azure Monitor zones.
        ...(privateMonitoring(env)
          ? [
              PRIVATE_DNS_ZONES.monitor,
              PRIVATE_DNS_ZONES.omsOpinsights,
              PRIVATE_DNS_ZONES.odsOpinsights,
              PRIVATE_DNS_ZONES.agentService,
            ]
          : []),
        // The semantic cache's Azure Managed Redis, when the blueprint builds it.
        ...(env.gateway.semanticCache.enabled && env.gateway.semanticCache.cache.mode === 'create'
          ? [PRIVATE_DNS_ZONES.managedRedis]
          : []),
        // Internal mode registers no DNS; never the whole azure-api.net, which would shadow every other service.
        ...(internal
          ? ['', '.portal', '.developer', '.management', '.scm'].map(
              (part) => `${gateway}${part}.azure-api.net`,
            )
          : []),
        // A multi-region gateway: each region's own host name, primary included.
        ...(internal && locations.length > 0
          ? [String(service['location']), ...locations].map(
              (region) => `${gateway}-${region}-01.regional.azure-api.net`,
            )
          : []),
      ].sort(),
    );
    expect(zones.map((z) => z.config['name'])).not.toContain('azure-api.net');
    const primaryGroup = synth
      .resources('azurerm_resource_group')
      .find((g) => g.config['location'] === 'swedencentral')!;
    expect(zones.every((z) => z.config['resource_group_name'] === ref(primaryGroup.address, 'name'))).toBe(
      true,
    );
    const links = synth.resources('azurerm_private_dns_zone_virtual_network_link');
    for (const zone of zones) {
      const linked = links.filter((l) => l.config['private_dns_zone_name'] === ref(zone.address, 'name'));
      expect(linked.map((l) => l.config['virtual_network_id']).sort()).toEqual(
        vnets.map((v) => ref(v.address)).sort(),
      );
      expect(linked.every((l) => l.config['registration_enabled'] === false)).toBe(true);
    }
  });

  it("answers each gateway host name at the zone apex with the private address of the gateway's region", () => {
    const service = synth.only('azurerm_api_management');
    const records = synth.resources('azurerm_private_dns_a_record');
    const zones = synth.resources('azurerm_private_dns_zone');
    const locations = (
      (service.config['additional_location'] as { location: string }[] | undefined) ?? []
    ).map((l) => l.location);
    const internal = service.config['virtual_network_type'] === 'Internal';
    expect(records).toHaveLength(internal ? 5 + (locations.length > 0 ? 1 + locations.length : 0) : 0);
    for (const record of records) {
      const zone = zones.find((z) => record.config['zone_name'] === ref(z.address, 'name'))!;
      const i = locations.findIndex((region) =>
        String(zone.config['name']).includes(`-${region}-01.regional.`),
      );
      expect(record.config).toMatchObject({
        name: '@',
        records:
          i < 0
            ? ref(service.address, 'private_ip_addresses')
            : ref(service.address, `additional_location[${i}].private_ip_addresses`),
      });
    }
  });

  it('peers every pair of regional VNets in both directions (a full mesh), forwarding nothing', () => {
    const peerings = synth.resources('azurerm_virtual_network_peering');
    const pairs = peerings.map((p) => [
      p.config['virtual_network_name'],
      p.config['remote_virtual_network_id'],
    ]);
    const expected = vnets.flatMap((from) =>
      vnets.filter((to) => to !== from).map((to) => [ref(from.address, 'name'), ref(to.address)]),
    );
    expect(pairs.sort()).toEqual(expected.sort());
    for (const peering of peerings) {
      expect(peering.config).toMatchObject({
        allow_virtual_network_access: true,
        allow_forwarded_traffic: false,
        allow_gateway_transit: false,
        use_remote_gateways: false,
      });
    }
  });

  it('sends NSG events and rule counters, and VNet protection alerts and metrics, to the workspace', () => {
    const workspace = ref(synth.only('azurerm_log_analytics_workspace').address);
    const settings = synth.resources('azurerm_monitor_diagnostic_setting');
    for (const nsg of nsgs) {
      const setting = settings.find((s) => s.config['target_resource_id'] === ref(nsg.address))!;
      expect(setting.config).toMatchObject({
        log_analytics_workspace_id: workspace,
        enabled_log: [
          { category: 'NetworkSecurityGroupEvent' },
          { category: 'NetworkSecurityGroupRuleCounter' },
        ],
      });
      expect(setting.config['enabled_metric']).toBeUndefined();
    }
    for (const vnet of vnets) {
      const setting = settings.find((s) => s.config['target_resource_id'] === ref(vnet.address))!;
      expect(setting.config).toMatchObject({
        enabled_log: [{ category: 'VMProtectionAlerts' }],
        enabled_metric: [{ category: 'AllMetrics' }],
      });
    }
  });

  it('exposes the network as the private-link context of the stack', () => {
    expect(synth.stack.privateLink).toBe(synth.stack.network);
    expect(synth.stack.privateLink?.privateEndpointSubnetId(env.regions.primary)).toMatch(
      /\/subnets\/snet-cx-genai-.*-sdc-pep$/,
    );
  });
});

describe('bring-your-own network', () => {
  const synth = synthEnvironment(parseEnvironment(byoInput('prod'), 'prod'));

  it('creates no VNet, subnet, NSG, DNS zone or zone link', () => {
    for (const type of [
      'azurerm_virtual_network',
      'azurerm_subnet',
      'azurerm_network_security_group',
      'azurerm_private_dns_zone',
      'azurerm_private_dns_zone_virtual_network_link',
    ]) {
      expect(synth.resources(type), type).toEqual([]);
    }
    expect(synth.stack.network).toBeUndefined();
  });

  it('puts private endpoints into the given subnets and registers them in the given zones', () => {
    const endpoints = synth.resources('azurerm_private_endpoint');
    expect(endpoints.length).toBeGreaterThanOrEqual(2);
    const bySubresource = Object.fromEntries(
      endpoints.map((e) => [
        (e.config['private_service_connection'] as { subresource_names: string[] }).subresource_names[0],
        e.config,
      ]),
    );
    expect(bySubresource['vault']).toMatchObject({
      subnet_id: spokeSubnetId('swedencentral'),
      private_dns_zone_group: { private_dns_zone_ids: [hubZoneId('keyVault')] },
    });
    expect(bySubresource['blob']).toMatchObject({
      subnet_id: spokeSubnetId('swedencentral'),
      private_dns_zone_group: { private_dns_zone_ids: [hubZoneId('blob')] },
    });
  });
});

describe('no private network (dev)', () => {
  it('creates no network resources and no private endpoints', () => {
    const synth = synthEnvironment(exampleEnvironment('dev'));
    expect(synth.stack.privateLink).toBeUndefined();
    for (const type of ['azurerm_virtual_network', 'azurerm_private_dns_zone', 'azurerm_private_endpoint']) {
      expect(synth.resources(type), type).toEqual([]);
    }
  });
});

describe('construct ids', () => {
  it('keep every address of a region when another region is removed', () => {
    const addresses = (input: unknown) =>
      new Set(
        synthEnvironment(parseEnvironment(input, 'prod'))
          .resources()
          .map((r) => r.address),
      );
    const three = addresses(exampleInput('prod'));
    const twoInput = exampleInput('prod', { regions: { additional: ['francecentral'] } });
    delete (twoInput.network as { vnets: Record<string, unknown> }).vnets['germanywestcentral'];
    delete twoInput.endpoints!.accounts!.germanywestcentral;
    delete twoInput.endpoints!.quota!.germanywestcentral;
    const two = addresses(twoInput);
    const missing = [...two].filter((address) => !three.has(address));
    expect(missing).toEqual([]);
    expect([...three].filter((a) => !two.has(a)).every((a) => /germanywestcentral/i.test(a))).toBe(true);
  });
});

describe('Network construct', () => {
  function build(privateDnsZones: ('keyVault' | 'blob')[] = ['keyVault']) {
    const stack = new TerraformStack(Testing.app(), 'test');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    const subnets = Object.fromEntries(
      SUBNET_KEYS.map((key, i) => [
        key,
        { name: `snet-${key}`, addressPrefix: `10.0.${i}.0/24`, networkSecurityGroupName: `nsg-${key}` },
      ]),
    ) as VirtualNetworkProps['subnets'];
    const network = new Network(stack, 'Network', {
      virtualNetworks: {
        swedencentral: {
          name: 'vnet-a',
          resourceGroupName: 'rg-a',
          addressSpace: '10.0.0.0/22',
          subnets,
          privateDnsZoneLinkName: 'link-a',
        },
      },
      privateDnsZones,
      dnsZoneResourceGroupName: 'rg-dns',
    });
    return { network, synth: synthesizeStack(stack) };
  }

  it('creates no diagnostic setting unless asked', () => {
    expect(build().synth.resources('azurerm_monitor_diagnostic_setting')).toEqual([]);
  });

  it('throws on a region it has no VNet in, and on a zone it did not create', () => {
    const { network } = build();
    expect(Token.isUnresolved(network.privateDnsZoneId('keyVault'))).toBe(true);
    expect(() => network.privateEndpointSubnetId('francecentral')).toThrow(/no VNet in francecentral/);
    expect(() => network.privateDnsZoneId('openai')).toThrow(
      /privatelink\.openai\.azure\.com was not created; add "openai" to privateDnsZones/,
    );
  });

  it('ends every rule list in an explicit deny, so Azure’s permissive defaults never apply', () => {
    const rules = build()
      .synth.resources('azurerm_network_security_group')
      .flatMap((n) => {
        const list = n.config['security_rule'] as Rule[];
        return ['Inbound', 'Outbound'].map((direction) => {
          const own = list.filter((r) => r.direction === direction);
          return own.sort((a, b) => a.priority - b.priority).at(-1);
        });
      });
    expect(rules).toHaveLength(6);
    for (const last of rules) {
      expect(last).toMatchObject({ access: 'Deny', source_address_prefix: '*', destination_port_range: '*' });
    }
  });
});

describe('ExistingNetwork', () => {
  it('checks every id with the ARM id parser', () => {
    expect(
      () =>
        new ExistingNetwork({
          subnetIds: { swedencentral: { privateEndpoints: 'snet-pep' } },
        }),
    ).toThrow(/subnetIds\.swedencentral\.privateEndpoints is not the ARM id of a subnet/);
    expect(
      () =>
        new ExistingNetwork({
          subnetIds: {},
          privateDnsZoneIds: { keyVault: spokeSubnetId('swedencentral') },
        }),
    ).toThrow(/privateDnsZoneIds\.keyVault is not the ARM id of a private DNS zone/);
  });

  it('throws on a region or zone it was not given', () => {
    const hub = new ExistingNetwork({
      subnetIds: { swedencentral: { privateEndpoints: spokeSubnetId('sdc') } },
    });
    expect(() => hub.privateEndpointSubnetId('francecentral')).toThrow(
      /no privateEndpoints subnet was given for francecentral/,
    );
    expect(() => hub.privateDnsZoneId('blob')).toThrow(/privatelink\.blob\.core\.windows\.net/);
    expect(() => hub.subnetId('swedencentral', 'gateway')).toThrow(/no gateway subnet/);
  });
});

/** The rule table is data; a typo in a service tag would silently open or close the wrong door. */
describe('gateway rule table', () => {
  it('uses only service tags Azure defines, and the subnet itself', () => {
    const tags = new Set([
      'VirtualNetwork',
      'ApiManagement',
      'AzureLoadBalancer',
      'Storage',
      'Sql',
      'AzureKeyVault',
      'AzureMonitor',
      'AzureActiveDirectory',
      '*',
    ]);
    for (const rule of gatewaySubnetRules('10.0.0.0/24') as SecurityRule[]) {
      for (const prefix of [rule.sourceAddressPrefix, rule.destinationAddressPrefix]) {
        expect(tags.has(prefix) || prefix === '10.0.0.0/24', `${rule.name}: ${prefix}`).toBe(true);
      }
    }
  });
});
