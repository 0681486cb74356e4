/**
 * The network as the plan describes it, for the data-path proof: subnets (declared inside a VNet, as `azurerm_subnet`,
 * or given as the ARM id of a subnet outside the stack), VNets and their peerings, NSG rules with Azure's default
 * rules, private endpoints, private DNS zones, their VNet links and A records. Everything is read from the plan of
 * the stack and of the stacks it references (a tenant shard reads the platform's network).
 */
import { blocks, field, type PlanResource, type StackPlan } from '../plan';
import { coversPort, type NsgRule, nsgRules } from '../policy/rules/network';

/** The plan of a stack and of the stacks it reads, as one set of resources. */
export class PlanView {
  readonly resources: readonly PlanResource[];
  private readonly own: ReadonlySet<PlanResource>;
  private readonly plans: readonly StackPlan[];

  constructor(readonly plan: StackPlan) {
    this.plans = [plan, ...plan.upstream];
    this.resources = this.plans.flatMap((p) => p.resources);
    this.own = new Set(plan.resources);
  }

  /** True when the resource belongs to this stack, not to a stack it reads. */
  owns(resource: PlanResource | undefined): boolean {
    return resource !== undefined && this.own.has(resource);
  }

  private readonly typeCache = new Map<string, PlanResource[]>();

  /** Resources whose Terraform type or ARM type is one of `types` (cached: the proof asks the same often). */
  byType(...types: readonly string[]): PlanResource[] {
    const key = types.join('|');
    let found = this.typeCache.get(key);
    if (!found) {
      found = this.resources.filter(
        (r) => types.includes(r.type) || (r.armType !== undefined && types.includes(r.armType)),
      );
      this.typeCache.set(key, found);
    }
    return found;
  }

  private readonly groups = new Map<string, Map<unknown, PlanResource[]>>();

  /**
   * The resources of `types` whose `keyOf` is `key`, by address. The resources are grouped once per `name` (one pass
   * over them), where a scan per question would make the proof quadratic in the tenants.
   */
  byKey(
    name: string,
    types: readonly string[],
    keyOf: (resource: PlanResource) => unknown,
    key: unknown,
  ): readonly PlanResource[] {
    let groups = this.groups.get(name);
    if (!groups) {
      groups = new Map();
      for (const resource of this.byType(...types)) {
        const key = keyOf(resource);
        const group = groups.get(key);
        if (group) group.push(resource);
        else groups.set(key, [resource]);
      }
      this.groups.set(name, groups);
    }
    return groups.get(key) ?? [];
  }

  private readonly resolved = new Map<string, PlanResource | undefined>();

  /** The resource a reference points to, in this stack or (through its outputs) in one it reads. */
  resolve(reference: unknown): PlanResource | undefined {
    if (typeof reference !== 'string') return undefined;
    if (!this.resolved.has(reference)) {
      let found: PlanResource | undefined;
      for (const plan of this.plans) {
        found = plan.resolve(reference);
        if (found) break;
      }
      this.resolved.set(reference, found);
    }
    return this.resolved.get(reference);
  }

  /** A value as its own stack wrote it (an upstream output reference becomes the output's value). */
  dereference(value: unknown): unknown {
    return this.plan.dereference(value);
  }

  /** The attribute a reference reads (`principal_id`, `identity[0].principal_id`), when it is a plain reference. */
  attribute(reference: unknown): string | undefined {
    const value = this.dereference(reference);
    return typeof value === 'string' ? /^\$\{[a-z0-9_]+\.[^.}\s]+\.([^}]+)\}$/.exec(value)?.[1] : undefined;
  }
}

/** A VNet: created in the plan, or outside the stack (known by the ARM id of one of its subnets). */
export interface VirtualNetwork {
  /** Stable key: the plan address, or the lower-cased ARM id. */
  readonly key: string;
  readonly name: string;
  readonly resource?: PlanResource;
}

/** A subnet, in the plan or outside it. */
export interface Subnet {
  readonly key: string;
  readonly name: string;
  readonly vnet: VirtualNetwork;
  /** Address prefixes, when the plan knows them. */
  readonly prefixes: readonly string[];
  /** The NSG on the subnet, when the plan creates it. */
  readonly nsg?: PlanResource;
  /** True when the plan creates the subnet (its NSG and routes are visible). */
  readonly inPlan: boolean;
  readonly delegations: readonly string[];
  /** False when private-endpoint network policies are off: NSGs do not apply to private endpoints there. */
  readonly endpointPoliciesEnabled: boolean;
}

const ARM_SUBNET =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)\/subnets\/([^/]+)$/i;
const INLINE_SUBNET = /^(\$\{azurerm_virtual_network\.[^.}]+\.id\})\/subnets\/(.+)$/;

function subnetBlock(vnet: PlanResource, name: string): Record<string, unknown> | undefined {
  return blocks(vnet.config['subnet']).find((s) => s['name'] === name);
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export class NetworkView {
  private readonly subnetCache = new Map<string, Subnet | undefined>();

  constructor(private readonly view: PlanView) {}

  vnetOf(resource: PlanResource): VirtualNetwork {
    return { key: resource.address, name: String(resource.config['name'] ?? resource.address), resource };
  }

  /** The subnet a `subnet_id` value names; undefined when it is neither a known reference nor an ARM id. */
  subnet(reference: unknown): Subnet | undefined {
    const value = this.view.dereference(reference);
    if (typeof value !== 'string') return undefined;
    if (!this.subnetCache.has(value)) this.subnetCache.set(value, this.readSubnet(value));
    return this.subnetCache.get(value);
  }

  private readSubnet(value: string): Subnet | undefined {
    const inline = INLINE_SUBNET.exec(value);
    if (inline) {
      const vnet = this.view.resolve(inline[1]);
      const block = vnet ? subnetBlock(vnet, inline[2]!) : undefined;
      if (!vnet || !block) return undefined;
      return {
        key: `${vnet.address}/subnets/${inline[2]}`,
        name: inline[2]!,
        vnet: this.vnetOf(vnet),
        prefixes: strings(block['address_prefixes']),
        ...(this.view.resolve(block['security_group'])
          ? { nsg: this.view.resolve(block['security_group'])! }
          : {}),
        inPlan: true,
        delegations: blocks(block['delegation']).flatMap((d) =>
          blocks(d['service_delegation']).map((s) => String(s['name'])),
        ),
        endpointPoliciesEnabled: block['private_endpoint_network_policies'] !== 'Disabled',
      };
    }
    const standalone = this.view.resolve(value);
    if (standalone?.type === 'azurerm_subnet') {
      const vnet = this.view.resolve(standalone.config['virtual_network_name']);
      const association = this.view
        .byType('azurerm_subnet_network_security_group_association')
        .find((a) => this.view.resolve(a.config['subnet_id']) === standalone);
      const nsg = association
        ? this.view.resolve(association.config['network_security_group_id'])
        : undefined;
      return {
        key: standalone.address,
        name: String(standalone.config['name']),
        vnet: vnet ? this.vnetOf(vnet) : { key: `unknown:${standalone.address}`, name: '?' },
        prefixes: strings(standalone.config['address_prefixes']),
        ...(nsg ? { nsg } : {}),
        inPlan: true,
        delegations: blocks(standalone.config['delegation']).flatMap((d) =>
          blocks(d['service_delegation']).map((s) => String(s['name'])),
        ),
        endpointPoliciesEnabled: standalone.config['private_endpoint_network_policies'] !== 'Disabled',
      };
    }
    const arm = ARM_SUBNET.exec(value);
    if (arm) {
      const vnetId = value.slice(0, value.toLowerCase().lastIndexOf('/subnets/'));
      return {
        key: value.toLowerCase(),
        name: arm[2]!,
        vnet: { key: vnetId.toLowerCase(), name: arm[1]! },
        prefixes: [],
        inPlan: false,
        delegations: [],
        endpointPoliciesEnabled: true,
      };
    }
    return undefined;
  }

  /** Every subnet declared inside the plan's VNets. */
  subnets(): Subnet[] {
    return this.view
      .byType('azurerm_virtual_network')
      .flatMap((vnet) =>
        blocks(vnet.config['subnet']).map((b) =>
          this.subnet(`${this.view.plan.ref(vnet)}/subnets/${String(b['name'])}`),
        ),
      )
      .filter((s): s is Subnet => s !== undefined);
  }

  /** The region of a VNet in the plan. */
  location(vnet: VirtualNetwork): string | undefined {
    const location = vnet.resource?.config['location'];
    return typeof location === 'string' ? location : undefined;
  }

  /** The peering from `from` to `to`, when the plan creates one that allows traffic. */
  peering(from: VirtualNetwork, to: VirtualNetwork): PlanResource | undefined {
    return this.view.byType('azurerm_virtual_network_peering').find((p) => {
      const local = this.view.resolve(p.config['virtual_network_name']);
      const remote = p.config['remote_virtual_network_id'];
      const remoteKey =
        this.view.resolve(remote)?.address ?? (typeof remote === 'string' ? remote.toLowerCase() : '');
      return (
        local?.address === from.key &&
        remoteKey === to.key &&
        p.config['allow_virtual_network_access'] !== false
      );
    });
  }

  /**
   * Private endpoints that connect to `resource`: its own, and those of an Azure Monitor Private Link Scope that holds
   * it (a scoped service linking the resource, or its ARM id `armId` when the resource is outside the stack).
   */
  privateEndpoints(resource: PlanResource, armId?: string): PlanResource[] {
    const scopes = new Set(
      this.view
        .byType('azurerm_monitor_private_link_scoped_service')
        .filter((s) => {
          const linked = s.config['linked_resource_id'];
          return (
            this.view.resolve(linked) === resource ||
            (armId !== undefined &&
              typeof linked === 'string' &&
              linked.toLowerCase() === armId.toLowerCase())
          );
        })
        .map((s) => this.view.resolve(s.config['scope_name']))
        .filter((scope): scope is PlanResource => scope?.type === 'azurerm_monitor_private_link_scope'),
    );
    const own = this.view.byKey(
      'private endpoints by target',
      ['azurerm_private_endpoint'],
      (pe) =>
        this.view.resolve(field(pe.config, 'private_service_connection.private_connection_resource_id')),
      resource,
    );
    if (scopes.size === 0) return [...own];
    return this.view.byType('azurerm_private_endpoint').filter((pe) => {
      const target = this.view.resolve(
        field(pe.config, 'private_service_connection.private_connection_resource_id'),
      );
      return target !== undefined && (target === resource || scopes.has(target));
    });
  }

  /** True when an enterprise hub's policy adds the endpoint's zone group: it has none and Terraform ignores it. */
  zoneGroupByPolicy(endpoint: PlanResource): boolean {
    const ignored = (endpoint.config['lifecycle'] as { ignore_changes?: unknown } | undefined)
      ?.ignore_changes;
    return (
      blocks(endpoint.config['private_dns_zone_group']).length === 0 &&
      Array.isArray(ignored) &&
      ignored.includes('private_dns_zone_group')
    );
  }

  /** The zones of a private endpoint's zone group: by name, with the zone resource when the plan creates it. */
  zoneGroup(endpoint: PlanResource): { name: string; resource?: PlanResource; id: string }[] {
    return blocks(endpoint.config['private_dns_zone_group']).flatMap((group) =>
      strings(group['private_dns_zone_ids']).map((id) => {
        const zone = this.view.resolve(id);
        const name = zone
          ? String(zone.config['name'])
          : (/\/privateDnsZones\/([^/]+)$/i.exec(id)?.[1] ?? id);
        return { name: name.toLowerCase(), ...(zone ? { resource: zone } : {}), id };
      }),
    );
  }

  /** The plan's private DNS zones linked to `vnet`. */
  zonesLinkedTo(vnet: VirtualNetwork): PlanResource[] {
    return this.linksTo(vnet)
      .map((link) => this.view.resolve(link.config['private_dns_zone_name']))
      .filter((z): z is PlanResource => z?.type === 'azurerm_private_dns_zone');
  }

  /** The link of `zone` to `vnet`, if the plan has one. */
  link(zone: PlanResource, vnet: VirtualNetwork): PlanResource | undefined {
    return this.linksTo(vnet).find(
      (link) => this.view.resolve(link.config['private_dns_zone_name']) === zone,
    );
  }

  /** The plan's links of private DNS zones to `vnet`: by its address, or by its ARM id when it is outside the plan. */
  private linksTo(vnet: VirtualNetwork): readonly PlanResource[] {
    return this.view.byKey(
      'zone links by VNet',
      ['azurerm_private_dns_zone_virtual_network_link'],
      (link) => {
        const target = link.config['virtual_network_id'];
        const resolved = this.view.resolve(target);
        return resolved ? resolved.address : typeof target === 'string' ? target.toLowerCase() : undefined;
      },
      vnet.key,
    );
  }

  /** The A records of `zone` named `name` (`@` for the apex). */
  aRecords(zone: PlanResource, name: string): PlanResource[] {
    return this.view
      .byKey(
        'A records by zone',
        ['azurerm_private_dns_a_record'],
        (r) => this.view.resolve(r.config['zone_name']),
        zone,
      )
      .filter((r) => String(r.config['name']) === name);
  }
}

/** One side of an NSG evaluation: the subnet it is (prefixes), or a public service (its service tag). */
export interface TrafficEnd {
  readonly prefixes: readonly string[];
  /** Inside a VNet (matches the `VirtualNetwork` tag). */
  readonly virtualNetwork: boolean;
  /** Service tag of a public endpoint (`AzureMonitor`); public endpoints also match `Internet`. */
  readonly serviceTag?: string;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

const RANGES = new Map<string, [number, number] | undefined>();

function range(cidr: string): [number, number] | undefined {
  if (!RANGES.has(cidr)) RANGES.set(cidr, parseRange(cidr));
  return RANGES.get(cidr);
}

function parseRange(cidr: string): [number, number] | undefined {
  const m = CIDR.exec(cidr);
  if (!m) return undefined;
  const start = m.slice(1, 5).reduce((v, o) => v * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(m[5]));
  const base = Math.floor(start / size) * size;
  return [base, base + size];
}

function matches(prefix: string, end: TrafficEnd): boolean {
  const p = prefix.toLowerCase();
  if (p === '*' || p === '0.0.0.0/0' || p === 'any') return true;
  if (p === 'virtualnetwork') return end.virtualNetwork;
  if (p === 'internet') return end.serviceTag !== undefined;
  if (end.serviceTag && p === end.serviceTag.toLowerCase()) return true;
  const outer = range(prefix);
  return (
    outer !== undefined &&
    end.prefixes.length > 0 &&
    end.prefixes.every((inner) => {
      const r = range(inner);
      return r !== undefined && r[0] >= outer[0] && r[1] <= outer[1];
    })
  );
}

/** Azure's default rules, which apply after every custom rule. */
const DEFAULT_RULES: readonly NsgRule[] = [
  {
    name: 'AllowVnetInBound (default)',
    priority: 65000,
    direction: 'Inbound',
    access: 'Allow',
    protocol: '*',
    sources: ['VirtualNetwork'],
    destinations: ['VirtualNetwork'],
    ports: ['*'],
  },
  {
    name: 'AllowAzureLoadBalancerInBound (default)',
    priority: 65001,
    direction: 'Inbound',
    access: 'Allow',
    protocol: '*',
    sources: ['AzureLoadBalancer'],
    destinations: ['*'],
    ports: ['*'],
  },
  {
    name: 'DenyAllInBound (default)',
    priority: 65500,
    direction: 'Inbound',
    access: 'Deny',
    protocol: '*',
    sources: ['*'],
    destinations: ['*'],
    ports: ['*'],
  },
  {
    name: 'AllowVnetOutBound (default)',
    priority: 65000,
    direction: 'Outbound',
    access: 'Allow',
    protocol: '*',
    sources: ['VirtualNetwork'],
    destinations: ['VirtualNetwork'],
    ports: ['*'],
  },
  {
    name: 'AllowInternetOutBound (default)',
    priority: 65001,
    direction: 'Outbound',
    access: 'Allow',
    protocol: '*',
    sources: ['*'],
    destinations: ['Internet'],
    ports: ['*'],
  },
  {
    name: 'DenyAllOutBound (default)',
    priority: 65500,
    direction: 'Outbound',
    access: 'Deny',
    protocol: '*',
    sources: ['*'],
    destinations: ['*'],
    ports: ['*'],
  },
];

const RULES = new WeakMap<PlanResource, readonly NsgRule[]>();

/**
 * The first rule (by priority, custom rules before Azure's defaults) that decides TCP traffic from `source` to
 * `destination` on `port`, as the NSG of the `direction` side sees it.
 */
export function decidingRule(
  nsg: PlanResource,
  plan: StackPlan,
  direction: 'Inbound' | 'Outbound',
  source: TrafficEnd,
  destination: TrafficEnd,
  port: number,
): NsgRule {
  let rules = RULES.get(nsg);
  if (!rules) {
    rules = [...nsgRules(nsg, plan), ...DEFAULT_RULES];
    RULES.set(nsg, rules);
  }
  return rules
    .filter((r) => r.direction === direction && ['tcp', '*'].includes(r.protocol.toLowerCase()))
    .find(
      (r) =>
        coversPort(r.ports, port) &&
        r.sources.some((s) => matches(s, source)) &&
        r.destinations.some((d) => matches(d, destination)),
    )!;
}
