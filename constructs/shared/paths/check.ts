/**
 * The data-path proof: every path of the model (`model.ts`), hop by hop. Name resolution (the callee's host resolves,
 * inside the caller's network, to an address the caller can reach), route (same VNet, or VNets peered both ways),
 * network security (the NSGs of both subnets allow the port, and the caller may fetch its Entra ID token), and
 * authorization (the caller's identity holds a role whose data actions cover the call, on the callee or a parent).
 * A hop the plan cannot show (a hub that owns the peering) passes only when config declares it provided, with a
 * reason: the audit lists it as an assumption. Pure: `(plan, context) => report`.
 */
import type { PlanResource, StackPlan } from '../plan';
import { type DataPath, discoverPaths, nameOf, type PathKindId } from './model';
import { decidingRule, NetworkView, PlanView, type Subnet, type TrafficEnd } from './network';
import { serviceOf } from './services';
import { privateZoneForHost, actionCovers, roleOf } from '../catalog';

export type HopKind = 'dns' | 'route' | 'nsg' | 'auth';

/** A hop declared provided outside the stack, with why. */
export interface ProvidedHop {
  readonly hop: Exclude<HopKind, 'auth'>;
  readonly reason: string;
  /** The config path that declares it (`network.providedByHub.peering`). */
  readonly origin: string;
}

/** What the proof knows beyond the plan. Written into policy.json, so that `npm run paths` proves the same. */
export interface DataPathContext {
  /** Callers outside any VNet may use the internet (dev without a private network), with the config's reason. */
  readonly internet?: { readonly reason: string };
  /** Subnets outside the stack that host applications (bring-your-own app-integration subnets), by region. */
  readonly clientSubnets?: Readonly<Record<string, string>>;
  /** Hops provided outside the stack. */
  readonly provided?: readonly ProvidedHop[];
  /**
   * An enterprise hub's DeployIfNotExists policy adds the private endpoints' DNS zone groups
   * (`network.privateDnsZoneGroups: managedByPolicy`): an endpoint without a zone group whose Terraform ignores it
   * resolves as an assumption, with this reason.
   */
  readonly zoneGroupsByPolicy?: { readonly reason: string; readonly origin: string };
}

export type HopStatus = 'pass' | 'fail' | 'assumed' | 'notApplicable';

export interface HopResult {
  readonly hop: HopKind;
  readonly status: HopStatus;
  /** One line for the table: how it resolves, which peering, which rule, which role. */
  readonly summary: string;
  /** For failures: what is missing and how to fix it. */
  readonly detail?: string;
  /** The resource the hop is about (a private endpoint, a VNet, an NSG, the callee), for the error's address. */
  readonly address?: string;
  readonly path?: string;
  /** For assumptions: the reason and where config declares it. */
  readonly reason?: string;
  readonly origin?: string;
}

export type PathVerdict = 'proven' | 'assumed' | 'broken';

/** One path of the report: a row of `npm run paths` and of the audit. */
export interface PathResult {
  readonly id: string;
  readonly kind: PathKindId;
  readonly caller: string;
  readonly callee: string;
  readonly host: string;
  readonly identity: string;
  /** The resource the call is authorized on, where a hop that names no resource of its own reports. */
  readonly target?: { readonly address: string; readonly path: string };
  readonly hops: readonly HopResult[];
  readonly verdict: PathVerdict;
}

/** The data-path part of policy.json. */
export interface DataPathReport {
  readonly context: DataPathContext;
  readonly paths: readonly PathResult[];
}

/** The hop kinds as rules: the same shape as the rule pack's catalogue, so errors and the audit read alike. */
export const PATH_RULES = [
  {
    id: 'LZ.Path.NameResolution',
    hop: 'dns',
    title: "Inside the caller's network, every callee's host resolves to an address the caller can reach",
    severity: 'high',
    appliesTo: ['data path'],
    sources: [
      'Learn: Azure Private Endpoint DNS configuration (zone group and VNet link)',
      'Learn: Deploy your Azure API Management instance to a virtual network - internal mode (DNS configuration)',
    ],
    fix: "Give the callee's private endpoint a DNS zone group with its privatelink zone, link that zone to the caller's VNet (network mode create links every zone to every VNet), or declare network.providedByHub.dns with a reason.",
  },
  {
    id: 'LZ.Path.Route',
    hop: 'route',
    title:
      "Every caller's subnet reaches its callee's endpoint: the same VNet, or VNets peered in both directions",
    severity: 'high',
    appliesTo: ['data path'],
    sources: [
      'Learn: Virtual network peering (peering is not transitive)',
      'Learn: What is a private endpoint? (reachable from the VNet, peered VNets and connected networks)',
    ],
    fix: "Peer the caller's and the endpoint's VNets in both directions (network mode create peers every regional VNet), give the callee a private endpoint, or declare network.providedByHub.peering with a reason.",
  },
  {
    id: 'LZ.Path.NetworkSecurity',
    hop: 'nsg',
    title: "The NSGs of both subnets allow the call's port, and the caller's NSG allows its Entra ID token",
    severity: 'high',
    appliesTo: ['data path'],
    sources: [
      'Learn: Network security groups (rule evaluation by priority, default rules)',
      'Learn: Manage network policies for private endpoints',
    ],
    fix: "Allow the port (443) outbound on the caller's subnet and inbound on the endpoint's subnet above the deny rules, allow AzureActiveDirectory outbound for managed identities, or declare network.providedByHub.networkSecurity with a reason.",
  },
  {
    id: 'LZ.Path.Authorization',
    hop: 'auth',
    title:
      "The caller's identity holds a role whose data actions cover the call, on the callee or a parent scope",
    severity: 'high',
    appliesTo: ['data path'],
    sources: [
      'Learn: Azure built-in roles (data actions of each role)',
      'Learn: Microsoft Entra authentication for Application Insights (Monitoring Metrics Publisher)',
    ],
    fix: 'Assign the identity the role of constructs/shared/catalog/roles.ts that covers the data action, at the callee or a parent scope, and make sure the caller carries that identity.',
  },
] as const;

export type PathRuleId = (typeof PATH_RULES)[number]['id'];
const RULE_OF_HOP = Object.fromEntries(PATH_RULES.map((r) => [r.hop, r.id])) as Record<HopKind, PathRuleId>;

interface Checker {
  readonly view: PlanView;
  readonly network: NetworkView;
  readonly context: DataPathContext;
}

const pass = (hop: HopKind, summary: string, about?: PlanResource): HopResult => ({
  hop,
  status: 'pass',
  summary,
  ...at(about),
});
const fail = (hop: HopKind, summary: string, detail: string, about?: PlanResource): HopResult => ({
  hop,
  status: 'fail',
  summary,
  detail,
  ...at(about),
});
const notApplicable = (hop: HopKind, summary: string): HopResult => ({
  hop,
  status: 'notApplicable',
  summary,
});

function at(resource: PlanResource | undefined): { address?: string; path?: string } {
  return resource ? { address: resource.address, path: resource.path } : {};
}

/** The hop passes as an assumption when config declares it provided; otherwise it fails with `detail`. */
function providedOr(
  c: Checker,
  hop: Exclude<HopKind, 'auth'>,
  summary: string,
  detail: string,
  about?: PlanResource,
): HopResult {
  const provided = c.context.provided?.find((p) => p.hop === hop);
  return provided
    ? {
        hop,
        status: 'assumed',
        summary: `assumed: ${summary}`,
        reason: provided.reason,
        origin: provided.origin,
        ...at(about),
      }
    : fail(hop, summary, detail, about);
}

const vnetLabel = (subnet: Subnet) => subnet.vnet.name;

type ManagedNetwork = Extract<DataPath['caller']['network'], { kind: 'managed' }>;

/** A hop a Microsoft-managed component runs: a declared assumption, with the reason the path model gives. */
function managedAssumption(
  hop: Exclude<HopKind, 'auth'>,
  summary: string,
  network: ManagedNetwork,
): HopResult {
  return {
    hop,
    status: 'assumed',
    summary: `assumed: ${summary}`,
    reason: network.reason,
    origin: network.origin,
    ...at(network.egress),
  };
}

/**
 * True when the callee answers public networks, so a Microsoft-managed caller reaches it like anyone: public access
 * on, and no private endpoint (a private-endpoint gateway turns its public access off after creation).
 */
function publicCallee(c: Checker, path: DataPath): boolean {
  const endpoint = path.endpoint;
  const service = endpoint && serviceOf(endpoint);
  return (
    service !== undefined &&
    service.publicAccess(endpoint!) &&
    c.network.privateEndpoints(endpoint!).length === 0
  );
}

/** Where the call lands: a private endpoint (in a subnet), an injected service's subnet, or a public endpoint. */
type Landing =
  | { readonly kind: 'privateEndpoint'; readonly endpoint: PlanResource; readonly subnet?: Subnet }
  | { readonly kind: 'injected'; readonly subnet?: Subnet }
  | { readonly kind: 'public' };

function landing(c: Checker, path: DataPath, callerVnet: string | undefined): Landing {
  const endpoint = path.endpoint;
  if (!endpoint) return { kind: 'public' };
  const pes = c.network
    .privateEndpoints(endpoint, path.target.armId)
    .map((pe) => ({ pe, subnet: c.network.subnet(pe.config['subnet_id']) }));
  if (pes.length > 0) {
    const zone = privateZoneForHost(path.host);
    const ranked = [...pes].sort(
      (a, b) =>
        Number(b.subnet?.vnet.key === callerVnet) - Number(a.subnet?.vnet.key === callerVnet) ||
        Number(c.network.zoneGroup(b.pe).some((z) => z.name === zone)) -
          Number(c.network.zoneGroup(a.pe).some((z) => z.name === zone)),
    );
    const chosen = ranked[0]!;
    return {
      kind: 'privateEndpoint',
      endpoint: chosen.pe,
      ...(chosen.subnet ? { subnet: chosen.subnet } : {}),
    };
  }
  if (endpoint.type === 'azurerm_api_management' && endpoint.config['virtual_network_type'] === 'Internal') {
    if (path.landsOn) {
      const regional = c.network.subnet(path.landsOn.subnetId);
      return { kind: 'injected', ...(regional ? { subnet: regional } : {}) };
    }
    const subnet = c.network.subnet(
      (endpoint.config['virtual_network_configuration'] as Record<string, unknown> | undefined)?.[
        'subnet_id'
      ] ??
        (Array.isArray(endpoint.config['virtual_network_configuration'])
          ? (endpoint.config['virtual_network_configuration'] as Record<string, unknown>[])[0]?.['subnet_id']
          : undefined),
    );
    return { kind: 'injected', ...(subnet ? { subnet } : {}) };
  }
  return { kind: 'public' };
}

function checkDns(c: Checker, path: DataPath, land: Landing): HopResult {
  const endpoint = path.endpoint;
  if (!endpoint) return fail('dns', 'no callee', `no resource of the plan answers at ${path.host}`);
  const network = path.caller.network;
  if (network.kind === 'internet') return pass('dns', 'public DNS');
  if (network.kind === 'trustedService') return notApplicable('dns', `inside Azure (${network.service})`);
  if (network.kind === 'managed')
    return publicCallee(c, path)
      ? pass('dns', 'public DNS (Microsoft-managed caller)')
      : managedAssumption('dns', 'Microsoft resolves the callee for its managed caller', network);
  if (network.kind === 'unknown')
    return providedOr(
      c,
      'dns',
      'the hub resolves it',
      `the caller's network is not in the plan (${network.why})`,
    );
  const vnet = network.subnet.vnet;
  const host = path.host.toLowerCase();

  // A zone linked to the caller's VNet that is named for the host or a parent domain answers for it, or shadows it.
  const answering = c.network
    .zonesLinkedTo(vnet)
    .filter((z) => {
      const name = String(z.config['name']).toLowerCase();
      return !name.startsWith('privatelink.') && (host === name || host.endsWith(`.${name}`));
    })
    .sort((a, b) => String(b.config['name']).length - String(a.config['name']).length)[0];
  if (answering) {
    const zoneName = String(answering.config['name']).toLowerCase();
    const label = host === zoneName ? '@' : host.slice(0, -(zoneName.length + 1));
    const records = c.network.aRecords(answering, label);
    // A regional gateway answers on its own region's addresses, the primary on the service's.
    const expected = `\${${endpoint.address}.${path.landsOn?.addresses ?? ''}`;
    const own = (r: PlanResource) => {
      const text = JSON.stringify(r.config['records'] ?? '');
      return path.landsOn || endpoint.type !== 'azurerm_api_management'
        ? text.includes(expected)
        : text.includes(`\${${endpoint.address}.private_ip_addresses}`) ||
            (!text.includes(`\${${endpoint.address}.additional_location`) && text.includes(expected));
    };
    if (records.some(own)) return pass('dns', `A record in ${zoneName}`, answering);
    return fail(
      'dns',
      `${zoneName} has no record for it`,
      `${zoneName} is linked to ${vnet.name} but holds no A record "${label}" pointing at ${nameOf(endpoint)}: the zone answers for ${path.host} (NXDOMAIN or a wrong address)`,
      records[0] ?? answering,
    );
  }

  if (land.kind === 'privateEndpoint') {
    const zoneName = privateZoneForHost(host);
    const pe = land.endpoint;
    if (!zoneName)
      return fail('dns', 'no private-link zone', `no private DNS zone is known for ${path.host}`, pe);
    const zone = c.network.zoneGroup(pe).find((z) => z.name === zoneName);
    const byPolicy = c.context.zoneGroupsByPolicy;
    if (!zone && byPolicy && c.network.zoneGroupByPolicy(pe))
      return {
        hop: 'dns',
        status: 'assumed',
        summary: `assumed: the hub's policy registers ${nameOf(pe)} in ${zoneName}`,
        reason: byPolicy.reason,
        origin: byPolicy.origin,
        ...at(pe),
      };
    if (!zone) {
      return fail(
        'dns',
        `no record in ${zoneName}`,
        `the private endpoint ${nameOf(pe)}'s DNS zone group does not hold ${zoneName}, so ${path.host} keeps resolving to the public address, which ${nameOf(endpoint)} refuses`,
        pe,
      );
    }
    if (!zone.resource)
      return providedOr(
        c,
        'dns',
        `${zoneName} (hub zone) links the VNet`,
        `${zoneName} is outside the stack (${zone.id}); whether it is linked to ${vnet.name} cannot be seen`,
        pe,
      );
    if (!network.subnet.inPlan && !c.network.link(zone.resource, vnet))
      return providedOr(
        c,
        'dns',
        `${zoneName} links ${vnet.name}`,
        `${vnet.name} is outside the stack; no link of ${zoneName} to it is in the plan`,
        zone.resource,
      );
    if (!c.network.link(zone.resource, vnet)) {
      return fail(
        'dns',
        `${zoneName} not linked`,
        `${zoneName} is not linked to ${vnet.name}: ${path.host} resolves to the public address there, which ${nameOf(endpoint)} refuses`,
        zone.resource,
      );
    }
    return pass('dns', `private endpoint ${nameOf(pe)} via ${zoneName}`, pe);
  }
  if (land.kind === 'injected') {
    return providedOr(
      c,
      'dns',
      'the hub resolves the gateway',
      `${nameOf(endpoint)} is injected in internal mode, which registers no DNS: no private zone linked to ${vnet.name} holds an A record for ${path.host}`,
      endpoint,
    );
  }
  const service = serviceOf(endpoint);
  if (service && !service.publicAccess(endpoint)) {
    return fail(
      'dns',
      'no private name',
      `${nameOf(endpoint)} has no private endpoint and refuses public networks`,
      endpoint,
    );
  }
  return pass('dns', 'public DNS');
}

function checkRoute(c: Checker, path: DataPath, land: Landing): HopResult {
  const endpoint = path.endpoint;
  if (!endpoint) return fail('route', 'no callee', `no resource of the plan answers at ${path.host}`);
  const network = path.caller.network;
  const service = serviceOf(endpoint);
  if (network.kind === 'internet') {
    // Outside any VNet, public DNS answers with the public address even where a private endpoint exists: the callee
    // must accept public networks.
    if (service ? !service.publicAccess(endpoint) : land.kind !== 'public')
      return fail(
        'route',
        'private callee',
        `${nameOf(endpoint)} is reachable only from inside its network, and the caller has none`,
        endpoint,
      );
    return c.context.internet
      ? pass('route', 'internet to the public endpoint (network.publicNetworkAccess)')
      : fail(
          'route',
          'internet not allowed',
          `the caller has no private network and this stage allows no calls over the internet`,
          endpoint,
        );
  }
  if (network.kind === 'trustedService') {
    if (!service || service.publicAccess(endpoint) || service.trustedServices?.(endpoint))
      return pass('route', `trusted Microsoft service (${network.service})`);
    return fail(
      'route',
      'trusted services refused',
      `${nameOf(endpoint)} refuses public networks and does not admit trusted Microsoft services, so ${network.service} cannot reach it`,
      endpoint,
    );
  }
  if (network.kind === 'managed') {
    const egress = network.egress;
    const fqdns = (egress?.config['fqdns'] as unknown[] | undefined) ?? [];
    if (egress && egress.config['outbound_network_access_restricted'] === true && !fqdns.includes(path.host))
      return fail(
        'route',
        `${nameOf(egress)} may not call ${path.host}`,
        `${nameOf(egress)} restricts outbound calls (outbound_network_access_restricted) and its fqdns do not list ${path.host}`,
        egress,
      );
    return publicCallee(c, path)
      ? pass('route', 'public endpoint from Microsoft’s network')
      : managedAssumption('route', 'Microsoft routes its managed caller to the private callee', network);
  }
  if (network.kind === 'unknown')
    return providedOr(
      c,
      'route',
      'the hub routes it',
      `the caller's network is not in the plan (${network.why})`,
    );
  const from = network.subnet;
  if (land.kind === 'public') {
    if (service && !service.publicAccess(endpoint))
      return fail(
        'route',
        'no endpoint',
        `${nameOf(endpoint)} has no private endpoint and refuses public networks`,
        endpoint,
      );
    return pass('route', `public endpoint (${service?.serviceTag ?? 'internet'})`);
  }
  const to = land.subnet;
  const about = land.kind === 'privateEndpoint' ? land.endpoint : endpoint;
  if (!to) return fail('route', 'unknown subnet', `the subnet of ${nameOf(about)} is not in the plan`, about);
  if (from.vnet.key === to.vnet.key) return pass('route', `same VNet ${vnetLabel(from)}`);
  if (!from.vnet.resource || !to.vnet.resource)
    return providedOr(
      c,
      'route',
      `${vnetLabel(from)} ⇄ ${vnetLabel(to)}`,
      `${from.vnet.resource ? vnetLabel(to) : vnetLabel(from)} is outside the stack; the peering between ${vnetLabel(from)} and ${vnetLabel(to)} cannot be seen`,
      about,
    );
  const there = c.network.peering(from.vnet, to.vnet);
  const back = c.network.peering(to.vnet, from.vnet);
  if (there && back) return pass('route', `peered ${vnetLabel(from)} ⇄ ${vnetLabel(to)}`, there);
  const missing = [
    !there && `${vnetLabel(from)} → ${vnetLabel(to)}`,
    !back && `${vnetLabel(to)} → ${vnetLabel(from)}`,
  ].filter(Boolean);
  return fail(
    'route',
    `${vnetLabel(from)} and ${vnetLabel(to)} not peered`,
    `${vnetLabel(from)} (caller) and ${vnetLabel(to)} (${nameOf(about)}) are not peered: no azurerm_virtual_network_peering ${missing.join(' and ')}`,
    to.vnet.resource,
  );
}

const HTTPS = 443;
const ENTRA: TrafficEnd = { prefixes: [], virtualNetwork: false, serviceTag: 'AzureActiveDirectory' };

function checkNsg(c: Checker, path: DataPath, land: Landing): HopResult {
  const network = path.caller.network;
  if (network.kind === 'internet') return notApplicable('nsg', 'no NSG (internet)');
  if (network.kind === 'trustedService') return notApplicable('nsg', 'no NSG (inside Azure)');
  if (network.kind === 'managed') return notApplicable('nsg', 'no NSG (Microsoft-managed caller)');
  if (network.kind === 'unknown')
    return providedOr(
      c,
      'nsg',
      'the hub allows it',
      `the caller's network is not in the plan (${network.why})`,
    );
  const from = network.subnet;
  const endpoint = path.endpoint;
  const target: TrafficEnd =
    land.kind === 'public'
      ? {
          prefixes: [],
          virtualNetwork: false,
          serviceTag: (endpoint && serviceOf(endpoint)?.serviceTag) ?? 'Internet',
        }
      : { prefixes: land.subnet?.prefixes ?? [], virtualNetwork: true };
  const source: TrafficEnd = { prefixes: from.prefixes, virtualNetwork: true };
  const steps: string[] = [];
  if (!from.inPlan)
    return providedOr(
      c,
      'nsg',
      'the hub allows it',
      `${from.name} is outside the stack; its NSG cannot be seen`,
    );
  if (from.nsg) {
    const out = decidingRule(from.nsg, c.view.plan, 'Outbound', source, target, path.port);
    if (out.access !== 'Allow')
      return fail(
        'nsg',
        `${nameOf(from.nsg)} denies ${path.port} out`,
        `${nameOf(from.nsg)} (on ${from.name}) denies outbound TCP ${path.port} to ${nameOf(endpoint)} by rule ${out.name}`,
        from.nsg,
      );
    steps.push(`out ${out.name}`);
    if (path.authentication === 'entra') {
      const token = decidingRule(from.nsg, c.view.plan, 'Outbound', source, ENTRA, HTTPS);
      if (token.access !== 'Allow')
        return fail(
          'nsg',
          `${nameOf(from.nsg)} denies Entra ID`,
          `${nameOf(from.nsg)} (on ${from.name}) denies outbound 443 to AzureActiveDirectory by rule ${token.name}: the managed identity gets no token`,
          from.nsg,
        );
    }
  } else steps.push(`${from.name}: no NSG`);
  if (land.kind !== 'public') {
    const to = land.subnet;
    if (!to || !to.inPlan)
      return providedOr(
        c,
        'nsg',
        'the hub allows it',
        `the endpoint's subnet ${to?.name ?? '?'} is outside the stack; its NSG cannot be seen`,
      );
    if (land.kind === 'privateEndpoint' && !to.endpointPoliciesEnabled)
      steps.push(`${to.name}: endpoint policies off`);
    else if (to.nsg) {
      const inbound = decidingRule(to.nsg, c.view.plan, 'Inbound', source, target, path.port);
      if (inbound.access !== 'Allow')
        return fail(
          'nsg',
          `${nameOf(to.nsg)} denies ${path.port} in`,
          `${nameOf(to.nsg)} (on ${to.name}) denies inbound TCP ${path.port} from ${from.name} by rule ${inbound.name}`,
          to.nsg,
        );
      steps.push(`in ${inbound.name}`);
    } else steps.push(`${to.name}: no NSG`);
  }
  return pass('nsg', steps.join(', '));
}

/** The callee and every resource above it: parent resources and the resource group. */
function scopesOf(c: Checker, resource: PlanResource): PlanResource[] {
  const chain: PlanResource[] = [];
  let current: PlanResource | undefined = resource;
  while (current && !chain.includes(current)) {
    chain.push(current);
    const group = c.view.resolve(current.config['resource_group_name']);
    if (group && !chain.includes(group)) chain.push(group);
    current = [
      'parent_id',
      'key_vault_id',
      'storage_account_id',
      'cognitive_account_id',
      'api_management_id',
      'namespace_id',
    ]
      .map((key) => c.view.resolve(current!.config[key]))
      .find((r) => r !== undefined);
  }
  return chain;
}

/**
 * A key that must be a tenant's own: it references the subscription of the product whose id is the tenant's slug, and
 * that product carries an API of the gateway the call goes to.
 */
function checkOwnProduct(
  c: Checker,
  path: DataPath,
  key: NonNullable<DataPath['subscriptionKey']>,
): HopResult {
  const subscription = key.subscription;
  if (!subscription || subscription.type !== 'azurerm_api_management_subscription')
    return fail(
      'auth',
      'no subscription key',
      `the connection's key (${JSON.stringify(key.reference) ?? 'none'}) is not the key of an API Management subscription of the plan`,
      path.declaredBy[0],
    );
  const product = c.view.resolve(subscription.config['product_id']);
  const productId = product?.config['product_id'];
  if (!product || productId !== key.tenant)
    return fail(
      'auth',
      'not the tenant’s own product',
      `the key is ${nameOf(subscription)}'s, a subscription of product ${String(productId ?? '?')}, not of tenant ${key.tenant ?? '?'}'s own product`,
      subscription,
    );
  const service = path.endpoint;
  const onGateway = c.view
    .byType('azurerm_api_management_product_api')
    .some(
      (link) =>
        c.view.resolve(link.config['product_id']) === product &&
        (!service || c.view.resolve(link.config['api_management_name']) === service),
    );
  if (!onGateway)
    return fail(
      'auth',
      'product carries no API',
      `product ${String(productId)} is linked to no API of ${service ? nameOf(service) : 'the gateway'}: the key opens nothing`,
      product,
    );
  return pass('auth', `subscription key of product ${String(productId)}`, subscription);
}

function checkAuth(c: Checker, path: DataPath): HopResult {
  if (path.authentication === 'subscription-key')
    return path.subscriptionKey
      ? checkOwnProduct(c, path, path.subscriptionKey)
      : notApplicable('auth', 'subscription key');
  if (path.authentication === 'access-key') {
    const key = path.accessKey;
    if (!key || key.problem)
      return fail(
        'auth',
        'no key from Key Vault',
        key?.problem ?? 'the caller has no access key',
        key?.namedValue ?? path.target.resource,
      );
    return pass('auth', `access key from Key Vault (named value ${nameOf(key.namedValue)})`, key.namedValue);
  }
  const target = path.target.resource;
  if (!path.identity)
    return fail(
      'auth',
      'no identity',
      path.identityProblem ?? 'the caller authenticates with no managed identity',
      target,
    );
  const identity = path.identity;
  if (identity.problem) return fail('auth', 'identity not usable', identity.problem, identity.resource);
  if (!target || !identity.resource)
    return fail('auth', 'no callee', `no resource of the plan answers at ${path.host}`);
  const scopes = scopesOf(c, target);
  const ofPrincipal = c.view.byKey(
    'role assignments by principal',
    ['azurerm_role_assignment'],
    (a) => c.view.resolve(a.config['principal_id']),
    identity.resource,
  );
  const assignments = ofPrincipal.filter((a) => {
    // A service's own `identity[0].principal_id` is its system identity; a user-assigned identity's `principal_id`.
    const attribute = c.view.attribute(a.config['principal_id']);
    return identity.kind === 'user-assigned' || attribute === undefined || attribute.startsWith('identity');
  });
  const armId = path.target.armId?.toLowerCase();
  const onScope = assignments.filter(
    (a) =>
      scopes.includes(c.view.resolve(a.config['scope'])!) ||
      (armId !== undefined && String(a.config['scope']).toLowerCase() === armId),
  );
  const covering = onScope.find((a) => {
    const role = roleOf(a.config['role_definition_name'] ?? a.config['role_definition_id']);
    return (
      role !== undefined &&
      path.dataActions.every((action) => role.definition.dataActions.some((p) => actionCovers(p, action)))
    );
  });
  if (covering) {
    const scope = c.view.resolve(covering.config['scope']);
    return pass(
      'auth',
      `${String(covering.config['role_definition_name'] ?? covering.config['role_definition_id'])} on ${scope ? nameOf(scope) : path.target.label}`,
      covering,
    );
  }
  if (onScope.length > 0) {
    const names = onScope.map((a) =>
      String(a.config['role_definition_name'] ?? a.config['role_definition_id']),
    );
    return fail(
      'auth',
      `${names.join(', ')} does not cover the call`,
      `${identity.label} holds ${names.join(', ')} on ${nameOf(target)} or above, whose data actions (constructs/shared/catalog/roles.ts) do not cover ${path.dataActions.join(', ')}`,
      onScope[0],
    );
  }
  const entra = path.endpoint && serviceOf(path.endpoint)?.entraOnly(path.endpoint);
  return fail(
    'auth',
    'no role',
    `${identity.label} holds no role on ${nameOf(target)} or a parent scope${entra ? ` (local auth is off there: Entra ID only)` : ''}; the call needs ${path.dataActions.join(', ')}`,
    target,
  );
}

function checkPath(c: Checker, path: DataPath): PathResult {
  const callerVnet = path.caller.network.kind === 'subnet' ? path.caller.network.subnet.vnet.key : undefined;
  const land = landing(c, path, callerVnet);
  const hops = [
    checkDns(c, path, land),
    checkRoute(c, path, land),
    checkNsg(c, path, land),
    checkAuth(c, path),
  ];
  const verdict: PathVerdict = hops.some((h) => h.status === 'fail')
    ? 'broken'
    : hops.some((h) => h.status === 'assumed')
      ? 'assumed'
      : 'proven';
  return {
    id: path.id,
    kind: path.kind,
    caller: path.caller.label,
    callee: path.target.label,
    host: path.host,
    identity:
      path.identity?.label ??
      (path.authentication === 'subscription-key'
        ? 'subscription key'
        : path.authentication === 'access-key'
          ? 'access key from Key Vault'
          : 'none'),
    hops,
    verdict,
  };
}

/** Proves every data path of the plan's stack. */
export function checkDataPaths(plan: StackPlan, context: DataPathContext): DataPathReport {
  const view = new PlanView(plan);
  const c: Checker = { view, network: new NetworkView(view), context };
  const paths = discoverPaths(view, context.clientSubnets ? { clientSubnets: context.clientSubnets } : {})
    .map((path) => checkPath(c, path))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { context, paths };
}

/** The rule-pack form of a hop result: one result per hop of every path. */
export interface PathRuleResult {
  readonly rule: PathRuleId;
  readonly address: string;
  readonly path: string;
  readonly status: 'pass' | 'fail' | 'suppressed';
  readonly detail?: string;
  readonly reason?: string;
  readonly origin?: string;
}

/** Each checked hop of every path as a rule result: failures fail synth like a rule, assumptions show as suppressions. */
export function pathRuleResults(report: DataPathReport): PathRuleResult[] {
  return report.paths.flatMap((path) =>
    path.hops
      .filter((hop) => hop.status !== 'notApplicable')
      .map((hop) => {
        const base = {
          rule: RULE_OF_HOP[hop.hop],
          address: hop.address ?? path.target?.address ?? path.id,
          path: hop.path ?? path.target?.path ?? path.id,
        };
        const where = `path ${path.caller} → ${path.callee} (${path.host})`;
        if (hop.status === 'pass') return { ...base, status: 'pass' as const };
        if (hop.status === 'assumed')
          return {
            ...base,
            status: 'suppressed' as const,
            detail: `${where}: ${hop.summary}`,
            reason: hop.reason!,
            origin: hop.origin!,
          };
        return { ...base, status: 'fail' as const, detail: `${where}: ${hop.detail ?? hop.summary}` };
      }),
  );
}
