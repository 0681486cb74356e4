/**
 * VNets, subnets, NSGs, private endpoints, private DNS and public IPs. Sources: checkov CKV_AZURE_9/10/77/160/182/183,
 * CKV2_AZURE_31, PSRule Azure.VNET.*, Azure.NSG.*, Azure.PublicIP.*, and our private-networking invariants.
 */
import { blocks, field, type PlanResource, type StackPlan } from '../../plan';
import { check, fail, notApplicable, pass, rule } from '../rule';
import { usersOf } from './common';

const NSG_TYPES = ['azurerm_network_security_group', 'azurerm_network_security_rule'];
/** Sources that mean "anyone" (checkov's INTERNET_ADDRESSES). */
const INTERNET = new Set(['*', '0.0.0.0', '0.0.0.0/0', '/0', '::/0', 'internet', 'any']);
/** Ports an attacker looks for first, and the only source that may reach each (none: never from outside). */
const MANAGEMENT_PORTS: Readonly<Record<number, string | undefined>> = {
  22: undefined,
  3389: undefined,
  5985: undefined,
  5986: undefined,
  445: undefined,
  1433: undefined,
  3306: undefined,
  5432: undefined,
  3443: 'apimanagement',
};
/** Subnets that Azure manages and that take no NSG. */
const PLATFORM_SUBNETS = new Set(['gatewaysubnet', 'azurefirewallsubnet', 'azurefirewallmanagementsubnet']);

/** Zones the private endpoint of each private-link sub-resource must register in. */
const ZONES_BY_SUBRESOURCE: Readonly<Record<string, readonly string[]>> = {
  account: [
    'privatelink.cognitiveservices.azure.com',
    'privatelink.openai.azure.com',
    'privatelink.services.ai.azure.com',
  ],
  vault: ['privatelink.vaultcore.azure.net'],
  blob: ['privatelink.blob.core.windows.net'],
  Gateway: ['privatelink.azure-api.net'],
};

export interface NsgRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: string;
  readonly access: string;
  readonly protocol: string;
  readonly sources: readonly string[];
  readonly destinations: readonly string[];
  readonly ports: readonly string[];
}

/** The rules of an NSG (inline and standalone azurerm_network_security_rule), or of one standalone rule. */
export function nsgRules(resource: PlanResource, plan?: StackPlan): NsgRule[] {
  const raw =
    resource.type === 'azurerm_network_security_rule'
      ? [resource.config]
      : [
          ...blocks(resource.config['security_rule']),
          ...(plan
            ? plan
                .byType('azurerm_network_security_rule')
                .filter(
                  (r) =>
                    r.config['network_security_group_name'] === resource.config['name'] ||
                    plan.refersTo(r.config['network_security_group_name'], resource, 'name'),
                )
                .map((r) => r.config)
            : []),
        ];
  return raw
    .map((r) => ({
      name: String(r['name'] ?? ''),
      priority: Number(r['priority'] ?? 0),
      direction: String(r['direction'] ?? ''),
      access: String(r['access'] ?? ''),
      protocol: String(r['protocol'] ?? '*'),
      sources: [r['source_address_prefix'], ...((r['source_address_prefixes'] as unknown[]) ?? [])].filter(
        (s): s is string => typeof s === 'string',
      ),
      destinations: [
        r['destination_address_prefix'],
        ...((r['destination_address_prefixes'] as unknown[]) ?? []),
      ].filter((s): s is string => typeof s === 'string'),
      ports: [r['destination_port_range'], ...((r['destination_port_ranges'] as unknown[]) ?? [])].filter(
        (p): p is string => typeof p === 'string',
      ),
    }))
    .sort((a, b) => a.priority - b.priority);
}

export function coversPort(ports: readonly string[], port: number): boolean {
  return ports.some((range) => {
    if (range === '*') return true;
    const [low, high = low] = range.split('-').map(Number);
    return port >= low! && port <= high!;
  });
}

const fromInternet = (r: NsgRule) => r.sources.some((s) => INTERNET.has(s.toLowerCase()));
const inboundAllows = (rules: readonly NsgRule[]) =>
  rules.filter((r) => r.direction === 'Inbound' && r.access === 'Allow');
const tcp = (r: NsgRule) => ['tcp', '*'].includes(r.protocol.toLowerCase());

function internetPortRule<const Id extends `LZ.NSG.${string}`>(
  id: Id,
  port: number,
  name: string,
  source: string,
) {
  return rule({
    id,
    title: `${name} (port ${port}) is not open to the internet`,
    severity: 'high',
    appliesTo: NSG_TYPES,
    sources: [source],
    fix: `Remove the inbound allow rule for port ${port} from * / Internet, or narrow its source.`,
    check: (r, plan) => {
      const open = inboundAllows(
        nsgRules(r, r.type === 'azurerm_network_security_group' ? plan : undefined),
      ).filter((x) => tcp(x) && fromInternet(x) && coversPort(x.ports, port));
      return check(open.length === 0, `open by ${open.map((x) => x.name).join(', ')}`);
    },
  });
}

/** The first rule that decides traffic out to the VirtualNetwork tag on a port, as Azure evaluates them. */
function outboundToVnet(rules: readonly NsgRule[], port: number): 'Allow' | 'Deny' | 'Default' {
  const match = rules.find(
    (r) =>
      r.direction === 'Outbound' &&
      tcp(r) &&
      coversPort(r.ports, port) &&
      r.destinations.some((d) => ['*', 'virtualnetwork'].includes(d.toLowerCase())),
  );
  return match ? (match.access as 'Allow' | 'Deny') : 'Default';
}

export const NETWORK_RULES = [
  rule({
    id: 'LZ.Network.SubnetNsg',
    title: 'Every subnet has a network security group',
    severity: 'high',
    appliesTo: ['azurerm_virtual_network', 'azurerm_subnet'],
    sources: ['CKV2_AZURE_31', 'Azure.VNET.UseNSGs'],
    fix: 'Give the subnet a security_group inside the VNet resource (or an NSG association for azurerm_subnet).',
    check: (r, plan) => {
      if (r.type === 'azurerm_subnet') {
        if (PLATFORM_SUBNETS.has(String(r.config['name']).toLowerCase())) return notApplicable();
        const associated = plan
          .byType('azurerm_subnet_network_security_group_association')
          .some((a) => plan.refersTo(a.config['subnet_id'], r));
        return check(associated, 'no NSG association');
      }
      const bare = blocks(r.config['subnet']).filter(
        (s) =>
          !PLATFORM_SUBNETS.has(String(s['name']).toLowerCase()) && typeof s['security_group'] !== 'string',
      );
      return check(
        bare.length === 0,
        `subnets without NSG: ${bare.map((s) => String(s['name'])).join(', ')}`,
      );
    },
  }),
  rule({
    id: 'LZ.Network.PrivateSubnets',
    title: 'No subnet has default outbound internet access',
    severity: 'medium',
    appliesTo: ['azurerm_virtual_network', 'azurerm_subnet'],
    sources: ['Azure.VNET.PrivateSubnet'],
    fix: 'Set default_outbound_access_enabled = false on every subnet.',
    check: (r) => {
      const subnets = r.type === 'azurerm_subnet' ? [r.config] : blocks(r.config['subnet']);
      const open = subnets.filter((s) => s['default_outbound_access_enabled'] !== false);
      return check(
        open.length === 0,
        `default outbound access on: ${open.map((s) => String(s['name'])).join(', ')}`,
      );
    },
  }),
  rule({
    id: 'LZ.Network.VnetDns',
    title: 'Custom DNS, when set, has at least two servers',
    severity: 'low',
    appliesTo: ['azurerm_virtual_network'],
    sources: ['CKV_AZURE_182', 'Azure.VNET.SingleDNS'],
    fix: 'List two DNS servers, or none (Azure DNS resolves the private DNS zones).',
    check: (r) => {
      const servers = r.config['dns_servers'];
      if (!Array.isArray(servers) || servers.length === 0) return pass();
      return check(servers.length >= 2, 'a single DNS server');
    },
  }),
  internetPortRule('LZ.NSG.NoInternetRdp', 3389, 'RDP', 'CKV_AZURE_9'),
  internetPortRule('LZ.NSG.NoInternetSsh', 22, 'SSH', 'CKV_AZURE_10'),
  internetPortRule('LZ.NSG.NoInternetHttp', 80, 'HTTP', 'CKV_AZURE_160'),
  rule({
    id: 'LZ.NSG.NoInternetUdp',
    title: 'No UDP service is open to the internet',
    severity: 'high',
    appliesTo: NSG_TYPES,
    sources: ['CKV_AZURE_77'],
    fix: 'Remove inbound UDP allow rules from * / Internet.',
    check: (r, plan) => {
      const open = inboundAllows(
        nsgRules(r, r.type === 'azurerm_network_security_group' ? plan : undefined),
      ).filter((x) => x.protocol.toLowerCase() === 'udp' && fromInternet(x));
      return check(open.length === 0, `open by ${open.map((x) => x.name).join(', ')}`);
    },
  }),
  rule({
    id: 'LZ.NSG.AnyInboundSource',
    title: 'No inbound allow rule has "any" as its source',
    severity: 'high',
    appliesTo: NSG_TYPES,
    sources: ['Azure.NSG.AnyInboundSource'],
    fix: 'Name the source: a service tag, a CIDR or VirtualNetwork.',
    check: (r, plan) => {
      const any = inboundAllows(
        nsgRules(r, r.type === 'azurerm_network_security_group' ? plan : undefined),
      ).filter((x) => x.sources.includes('*'));
      return check(any.length === 0, `source * in ${any.map((x) => x.name).join(', ')}`);
    },
  }),
  rule({
    id: 'LZ.NSG.ManagementPorts',
    title: 'Management and database ports are reachable only from their service tag',
    severity: 'high',
    appliesTo: NSG_TYPES,
    sources: [
      'own: generalises CKV_AZURE_9/10 to WinRM, SMB, SQL and the APIM management port (3443 from ApiManagement)',
    ],
    fix: 'Remove the rule, or limit port 3443 to the ApiManagement service tag.',
    check: (r, plan) => {
      const problems = inboundAllows(
        nsgRules(r, r.type === 'azurerm_network_security_group' ? plan : undefined),
      ).flatMap((x) =>
        Object.entries(MANAGEMENT_PORTS)
          .filter(([port]) => coversPort(x.ports, Number(port)))
          .filter(([, allowed]) => !x.sources.every((s) => s.toLowerCase() === allowed))
          .map(([port]) => `${x.name} opens ${port}`),
      );
      return check(problems.length === 0, problems.join(', '));
    },
  }),
  rule({
    id: 'LZ.NSG.LateralTraversal',
    title: 'Subnets cannot open RDP or SSH to the rest of the network',
    severity: 'medium',
    appliesTo: ['azurerm_network_security_group'],
    sources: ['Azure.NSG.LateralTraversal'],
    fix: 'Deny outbound 3389 and 22 to VirtualNetwork (the blueprint ends every NSG in a deny-all).',
    check: (r, plan) => {
      const rules = nsgRules(r, plan);
      const rdp = outboundToVnet(rules, 3389);
      const ssh = outboundToVnet(rules, 22);
      return check(
        rdp === 'Deny' || ssh === 'Deny',
        `outbound RDP ${rdp.toLowerCase()}, SSH ${ssh.toLowerCase()}`,
      );
    },
  }),
  rule({
    id: 'LZ.NSG.DenyAllInbound',
    title: 'The first inbound rule is not a deny-all',
    severity: 'low',
    appliesTo: ['azurerm_network_security_group'],
    sources: ['Azure.NSG.DenyAllInbound (a leading deny-all also blocks the Azure load balancer probes)'],
    fix: 'Put the allow rules the subnet needs (AzureLoadBalancer probes included) before the deny-all.',
    check: (r, plan) => {
      const first = nsgRules(r, plan).find((x) => x.direction === 'Inbound');
      return check(
        !(first && first.access === 'Deny' && first.sources.includes('*')),
        `the first inbound rule ${first?.name ?? ''} denies all`,
      );
    },
  }),
  rule({
    id: 'LZ.NSG.Associated',
    title: 'Every NSG is associated with a subnet',
    severity: 'low',
    appliesTo: ['azurerm_network_security_group'],
    sources: ['Azure.NSG.Associated'],
    fix: 'Use the NSG as a subnet security_group, or delete it.',
    check: (r, plan) => {
      const inline = plan
        .byType('azurerm_virtual_network')
        .some((v) => blocks(v.config['subnet']).some((s) => plan.refersTo(s['security_group'], r)));
      const associated = plan
        .byType(
          'azurerm_subnet_network_security_group_association',
          'azurerm_network_interface_security_group_association',
        )
        .some((a) => plan.refersTo(a.config['network_security_group_id'], r));
      return check(inline || associated, 'not associated with any subnet or interface');
    },
  }),
  rule({
    id: 'LZ.PrivateEndpoint.DnsZoneGroup',
    title: 'Every private endpoint registers in the private DNS zones of its service',
    severity: 'high',
    appliesTo: ['azurerm_private_endpoint'],
    sources: ['own: without a zone group the name keeps resolving to the public address (domain notes)'],
    fix: 'Add a private_dns_zone_group with the privatelink zones of the sub-resource.',
    check: (r, plan) => {
      const ids = field(r.config, 'private_dns_zone_group.private_dns_zone_ids');
      if (!Array.isArray(ids) || ids.length === 0) return fail('no private DNS zone group');
      const names = ids.map((id) => {
        const zone = plan.resolve(id);
        return zone ? String(zone.config['name']) : String(id).split('/').at(-1)!;
      });
      const subresources = field(r.config, 'private_service_connection.subresource_names');
      const expected = (Array.isArray(subresources) ? subresources : []).flatMap(
        (s) => ZONES_BY_SUBRESOURCE[String(s)] ?? [],
      );
      const missing = expected.filter((zone) => !names.includes(zone));
      return check(missing.length === 0, `zone group lacks ${missing.join(', ')}`);
    },
  }),
  rule({
    id: 'LZ.Dns.NoAutoRegistration',
    title: 'Private DNS zone links do not auto-register VM records',
    severity: 'low',
    appliesTo: ['azurerm_private_dns_zone_virtual_network_link'],
    sources: ['own: a privatelink zone holds endpoint records only'],
    fix: 'Set registration_enabled = false.',
    check: (r) => check(r.config['registration_enabled'] !== true, 'registration_enabled is true'),
  }),
  rule({
    id: 'LZ.PublicIP.Justified',
    title: 'A public IP exists only with a written reason',
    severity: 'high',
    appliesTo: ['azurerm_public_ip'],
    sources: ['own: every internet-facing address appears in the audit with why it exists'],
    fix: 'Remove the public IP, or suppress this rule on it with the reason it must exist.',
    check: () => fail('the address is reachable from the internet'),
  }),
  rule({
    id: 'LZ.PublicIP.StandardSku',
    title: 'Public IPs use the Standard SKU',
    severity: 'medium',
    appliesTo: ['azurerm_public_ip'],
    sources: ['Azure.PublicIP.StandardSKU', 'Azure.PublicIP.MigrateStandard'],
    fix: 'Set sku = "Standard".',
    check: (r) => check(r.config['sku'] === 'Standard', `sku is ${JSON.stringify(r.config['sku'])}`),
  }),
  rule({
    id: 'LZ.PublicIP.Zones',
    title: 'Standard public IPs are zone-redundant',
    severity: 'medium',
    appliesTo: ['azurerm_public_ip'],
    sources: ['Azure.PublicIP.AvailabilityZone'],
    fix: 'List two or more zones.',
    check: (r) => {
      if (r.config['sku'] !== 'Standard') return notApplicable();
      const zones = r.config['zones'];
      return check(Array.isArray(zones) && zones.length >= 2, 'not zone-redundant');
    },
  }),
  rule({
    id: 'LZ.PublicIP.Attached',
    title: 'Public IPs are attached to something',
    severity: 'low',
    appliesTo: ['azurerm_public_ip'],
    sources: ['Azure.PublicIP.IsAttached'],
    fix: 'Attach the address or remove it.',
    check: (r, plan) => check(usersOf(plan, r).length > 0, 'nothing in the plan uses it'),
  }),
] as const;
