/**
 * The private-network invariants of the stages that hold real data, checked on the whole synthesized plan rather
 * than per construct: whatever a later issue adds must keep them.
 */
import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../environments';
import { byoInput } from '../helpers/network';
import type { PlanResource } from '../../constructs/shared/plan';
import { exampleEnvironment, synthEnvironment, type Synthesized } from '../helpers/synth';
import { PRIVATE_DNS_ZONES, PRIVATE_LINK_SERVICES } from '../../constructs/shared/catalog';

/** Ports an attacker looks for first: SSH, RDP, WinRM, APIM management, SMB, databases. */
const MANAGEMENT_PORTS = [22, 3389, 5985, 5986, 3443, 445, 1433, 3306, 5432];
/** Sources that mean "anyone". */
const ANYONE = new Set(['*', 'internet', '0.0.0.0/0', 'any', '::/0']);

interface NsgRule {
  name: string;
  direction: string;
  access: string;
  source_address_prefix: string | null;
  source_address_prefixes: string[] | null;
  destination_port_range: string | null;
  destination_port_ranges: string[] | null;
}

function coversPort(ranges: readonly string[], port: number): boolean {
  return ranges.some((range) => {
    if (range === '*') return true;
    const [low, high = low] = range.split('-').map(Number);
    return port >= low! && port <= high!;
  });
}

/**
 * The NSGs of Application Gateway subnets: the WAF is the public entry, so its listener takes HTTPS from the internet
 * (or Front Door) and the Azure load balancer reaches it on any port, as Application Gateway v2 requires.
 */
function wafSubnetGroups(synth: Synthesized): Set<string> {
  const subnetNames = new Set(
    synth
      .resources('azurerm_application_gateway')
      .flatMap((g) =>
        (g.config['gateway_ip_configuration'] as { subnet_id: string }[]).map((c) =>
          c.subnet_id.split('/').at(-1),
        ),
      ),
  );
  return new Set(
    synth
      .resources('azurerm_virtual_network')
      .flatMap((v) => (v.config['subnet'] as { name: string; security_group: string }[]) ?? [])
      .filter((subnet) => subnetNames.has(subnet.name))
      .map((subnet) => subnet.security_group),
  );
}

/** A documented exception of an Application Gateway subnet: HTTPS to the listener, or the Azure load balancer. */
function wafException(rule: NsgRule): boolean {
  const source = rule.source_address_prefix?.toLowerCase();
  return (
    (rule.destination_port_range === '443' &&
      (source === 'internet' || source === 'azurefrontdoor.backend')) ||
    source === 'azureloadbalancer'
  );
}

function inboundAllows(synth: Synthesized, wafNsgs: ReadonlySet<string> = new Set()) {
  const standalone = synth
    .resources('azurerm_network_security_rule')
    .map((r) => r.config as unknown as NsgRule);
  const inline = synth
    .resources('azurerm_network_security_group')
    .flatMap((nsg) =>
      ((nsg.config['security_rule'] as NsgRule[] | undefined) ?? []).filter(
        (rule) => !(wafNsgs.has(ref(nsg)) && wafException(rule)),
      ),
    );
  return [...inline, ...standalone].filter((r) => r.direction === 'Inbound' && r.access === 'Allow');
}

const ref = (resource: PlanResource, attribute = 'id') => `\${${resource.address}.${attribute}}`;

/** What is wrong with inbound allow rules: open to anyone, or a management port open beyond its service tag. */
function inboundViolations(rules: readonly NsgRule[]): string[] {
  const violations: string[] = [];
  for (const rule of rules) {
    const sources = [rule.source_address_prefix, ...(rule.source_address_prefixes ?? [])]
      .filter((s): s is string => s !== null)
      .map((s) => s.toLowerCase());
    const ports = [rule.destination_port_range, ...(rule.destination_port_ranges ?? [])].filter(
      (p): p is string => p !== null,
    );
    if (sources.some((s) => ANYONE.has(s))) violations.push(`${rule.name} is open to anyone`);
    for (const port of MANAGEMENT_PORTS.filter((p) => coversPort(ports, p))) {
      const allowed = port === 3443 ? ['apimanagement'] : [];
      if (!sources.every((s) => allowed.includes(s)))
        violations.push(`${rule.name} opens management port ${port}`);
    }
  }
  return violations;
}

const STAGES = [
  ['staging', () => synthEnvironment(exampleEnvironment('staging'))],
  ['prod', () => synthEnvironment(exampleEnvironment('prod'))],
  ['prod with a bring-your-own hub', () => synthEnvironment(parseEnvironment(byoInput('prod'), 'prod'))],
] as const;

describe.each(STAGES)('%s', (_, build) => {
  const synth = build();

  it('deploys no service with public network access', () => {
    const exposed = synth
      .resources()
      .filter((r) => 'public_network_access_enabled' in r.config || 'public_network_access' in r.config);
    expect(exposed.map((r) => r.type)).toEqual(
      expect.arrayContaining(['azurerm_key_vault', 'azurerm_storage_account']),
    );
    for (const resource of exposed) {
      if (resource.type === 'azurerm_api_management') continue; // created public by necessity: see the next test
      if ('public_network_access_enabled' in resource.config) {
        expect(resource.config['public_network_access_enabled'], resource.address).toBe(false);
      }
      if ('public_network_access' in resource.config) {
        expect(resource.config['public_network_access'], resource.address).toBe('Disabled');
      }
    }
  });

  it('ends with the gateway private: injected behind an internal load balancer, or public access turned off after creation', () => {
    const services = synth.resources('azurerm_api_management');
    expect(services).toHaveLength(1);
    const service = services[0]!;
    const secondStep = synth
      .resources('azapi_update_resource')
      .find((r) => r.config['resource_id'] === ref(service));
    const internal = service.config['virtual_network_type'] === 'Internal';
    const turnedOff =
      (secondStep?.config['body'] as { properties?: { publicNetworkAccess?: string } } | undefined)
        ?.properties?.publicNetworkAccess === 'Disabled';
    expect(internal || turnedOff, `${service.address} stays reachable from the internet`).toBe(true);
    if (turnedOff) {
      // The flag is owned by the second step from then on, so terraform never turns it back on.
      expect(service.config['lifecycle']).toMatchObject({
        ignore_changes: ['public_network_access_enabled'],
      });
      expect(secondStep!.config['depends_on']).toEqual(
        expect.arrayContaining([expect.stringMatching(/^azurerm_private_endpoint\./)]),
      );
    }
  });

  it('gives every private endpoint a zone group with the zones of its service', () => {
    const endpoints = synth.resources('azurerm_private_endpoint');
    expect(endpoints.length).toBeGreaterThanOrEqual(2);
    const zoneNames = new Map(
      synth.resources('azurerm_private_dns_zone').map((z) => [ref(z), z.config['name']]),
    );
    for (const endpoint of endpoints) {
      const group = endpoint.config['private_dns_zone_group'] as
        { private_dns_zone_ids: string[] } | undefined;
      expect(group?.private_dns_zone_ids.length, endpoint.address).toBeGreaterThan(0);
      const subresource = (endpoint.config['private_service_connection'] as { subresource_names: string[] })
        .subresource_names[0];
      const service = Object.values(PRIVATE_LINK_SERVICES).find((s) => s.subresource === subresource)!;
      const expected = service.zones.map((zone) => PRIVATE_DNS_ZONES[zone]).sort();
      // A created zone is referenced by address, a hub zone by ARM id ending in the zone name.
      const actual = group!.private_dns_zone_ids
        .map((id) => zoneNames.get(id) ?? id.split('/').at(-1))
        .sort();
      expect(actual, endpoint.address).toEqual(expected);
    }
  });

  it('links every private DNS zone it creates to every VNet', () => {
    const vnets = synth
      .resources('azurerm_virtual_network')
      .map((v) => ref(v))
      .sort();
    const links = synth.resources('azurerm_private_dns_zone_virtual_network_link');
    for (const zone of synth.resources('azurerm_private_dns_zone')) {
      const linked = links
        .filter((l) => l.config['private_dns_zone_name'] === ref(zone, 'name'))
        .map((l) => l.config['virtual_network_id'])
        .sort();
      expect(linked, zone.address).toEqual(vnets);
    }
  });

  it('puts an NSG on every subnet', () => {
    const nsgs = new Set(synth.resources('azurerm_network_security_group').map((n) => ref(n)));
    for (const vnet of synth.resources('azurerm_virtual_network')) {
      for (const subnet of vnet.config['subnet'] as { name: string; security_group: string | null }[]) {
        expect(nsgs.has(subnet.security_group!), `${vnet.address}: ${subnet.name}`).toBe(true);
      }
    }
    const associated = new Set(
      synth.resources('azurerm_subnet_network_security_group_association').map((a) => a.config['subnet_id']),
    );
    for (const subnet of synth.resources('azurerm_subnet')) {
      expect(associated.has(ref(subnet)), subnet.address).toBe(true);
    }
  });

  it('allows nothing inbound from anyone, and management ports only from their service tag', () => {
    const wafNsgs = wafSubnetGroups(synth);
    const rules = inboundAllows(synth, wafNsgs);
    // Not vacuous where the stack creates the network (a bring-your-own hub brings its own NSGs).
    if (synth.resources('azurerm_virtual_network').length > 0) expect(rules.length).toBeGreaterThan(0);
    expect(inboundViolations(rules)).toEqual([]);
  });

  it("hardens every Key Vault, the platform's and each dedicated tenant's", () => {
    const vaults = synth.resources('azurerm_key_vault');
    expect(vaults.length).toBeGreaterThanOrEqual(1);
    for (const vault of vaults)
      expect(vault.config, vault.address).toMatchObject({
        rbac_authorization_enabled: true,
        purge_protection_enabled: true,
        soft_delete_retention_days: 90,
        public_network_access_enabled: false,
        network_acls: { default_action: 'Deny', bypass: 'AzureServices' },
      });
  });

  it('hardens the prompt library', () => {
    const account = synth.only('azurerm_storage_account').config;
    expect(account).toMatchObject({
      shared_access_key_enabled: false,
      allow_nested_items_to_be_public: false,
      min_tls_version: 'TLS1_2',
      https_traffic_only_enabled: true,
      public_network_access_enabled: false,
      network_rules: { default_action: 'Deny' },
      blob_properties: { versioning_enabled: true, change_feed_enabled: true },
    });
    expect(['ZRS', 'GZRS', 'RAGZRS']).toContain(account['account_replication_type']);
  });
});

describe('the NSG check itself', () => {
  const rule = (name: string, source: string, ports: string): NsgRule => ({
    name,
    direction: 'Inbound',
    access: 'Allow',
    source_address_prefix: source,
    source_address_prefixes: null,
    destination_port_range: ports,
    destination_port_ranges: null,
  });

  it('catches rules open to anyone and management ports open beyond their tag', () => {
    expect(
      inboundViolations([
        rule('Ssh', 'Internet', '20-25'),
        rule('Rdp', '10.0.0.0/8', '*'),
        rule('Mgmt', 'VirtualNetwork', '3443'),
        rule('Https', 'VirtualNetwork', '443'),
        rule('ApimMgmt', 'ApiManagement', '3443'),
      ]),
    ).toEqual([
      'Ssh is open to anyone',
      'Ssh opens management port 22',
      'Rdp opens management port 22',
      'Rdp opens management port 3389',
      'Rdp opens management port 5985',
      'Rdp opens management port 5986',
      'Rdp opens management port 3443',
      'Rdp opens management port 445',
      'Rdp opens management port 1433',
      'Rdp opens management port 3306',
      'Rdp opens management port 5432',
      'Mgmt opens management port 3443',
    ]);
  });
});
