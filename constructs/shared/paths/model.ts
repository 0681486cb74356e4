/**
 * The data-path model: every caller → callee pair the platform relies on at run time, found in the synthesized plan.
 * Each kind of path is one entry of {@link PATH_KINDS}: where its callers and callees are in the plan, which identity
 * calls, and which data actions the call needs. A new caller (an Application Gateway, a Foundry project, an Event
 * Hub logger) is a new entry; the checker (`check.ts`) proves every path the same way.
 */
import { blocks, body, field, type PlanResource } from '../plan';
import { planGatewayRegions, planPools, regionalPoolChoices } from './gateway-regions';
import { decidingRule, NetworkView, type PlanView, type Subnet } from './network';
import { CALLEE_SERVICES, serviceOf } from './services';
import { MANAGED_REDIS_PORT } from '../catalog';

/** Where a caller sends its traffic from. */
export type CallerNetwork =
  | { readonly kind: 'subnet'; readonly subnet: Subnet }
  /** No VNet: the caller reaches public endpoints over the internet (dev without a private network). */
  | { readonly kind: 'internet' }
  /**
   * An Azure service that reads the callee from inside Azure as a trusted Microsoft service (Azure Monitor's Event
   * Hubs ingestion): no VNet, DNS or NSG of ours is on the way; the callee must admit trusted services.
   */
  | { readonly kind: 'trustedService'; readonly service: string }
  /** Somewhere the plan does not describe (a bring-your-own hub without declared application subnets). */
  | { readonly kind: 'unknown'; readonly why: string }
  /**
   * A Microsoft-managed component (Foundry's service side) makes the call from a network no plan describes. Its
   * name resolution and route are declared assumptions with this reason, except what the plan does show: the
   * outbound rules of `egress` (the account's FQDN allow-list) and whether the callee accepts public networks.
   */
  | {
      readonly kind: 'managed';
      readonly reason: string;
      readonly origin: string;
      readonly egress?: PlanResource;
    };

/** The identity a caller authenticates as. */
export interface PathIdentity {
  readonly label: string;
  /** The resource whose identity it is: a user-assigned identity, or a service with a system-assigned one. */
  readonly resource?: PlanResource;
  readonly kind: 'user-assigned' | 'system-assigned';
  /** Why the identity cannot be used, when it cannot (the service does not carry it). */
  readonly problem?: string;
}

export interface DataPath {
  /** Stable id: kind, caller and callee. */
  readonly id: string;
  readonly kind: PathKindId;
  readonly caller: {
    readonly label: string;
    readonly resource?: PlanResource;
    readonly network: CallerNetwork;
  };
  /** What the call is authorized on (a model account, a secret, a container, a component). */
  readonly target: {
    readonly label: string;
    readonly resource?: PlanResource;
    /** The ARM id of a target outside the stack (a bring-your-own component read by a data source). */
    readonly armId?: string;
  };
  /** What the call reaches on the network (the account, the vault, the storage account, the gateway). */
  readonly endpoint?: PlanResource;
  readonly host: string;
  readonly port: number;
  /**
   * How the caller authenticates: a managed identity (Entra ID), an API Management subscription key, or an access key
   * the caller reads from a Key Vault named value (API Management's external cache).
   */
  readonly authentication: 'entra' | 'subscription-key' | 'access-key';
  /**
   * For `access-key`: where the key comes from (the named value and the secret it reads), or why it comes from
   * nowhere safe. @default - none
   */
  readonly accessKey?: {
    readonly namedValue?: PlanResource;
    readonly secret?: PlanResource;
    /** The callee's setting that accepts access keys (the database). */
    readonly acceptedBy?: PlanResource;
    readonly problem?: string;
  };
  /**
   * A subscription key that must be the key of a tenant's own product (a Foundry project's gateway connection): the
   * subscription the key references, and the tenant. @default - any key (the caller brings its own)
   */
  readonly subscriptionKey?: {
    readonly subscription?: PlanResource;
    readonly tenant?: string;
    readonly reference: unknown;
  };
  readonly identity?: PathIdentity;
  /** Why no identity was found, when the call needs one. */
  readonly identityProblem?: string;
  /** Data actions the call needs. */
  readonly dataActions: readonly string[];
  /** The resources that declare the call (a backend, a logger, a secret): a path belongs to the stack that has one. */
  readonly declaredBy: readonly PlanResource[];
  /**
   * A call to one regional gateway of a multi-region API Management: the subnet of that region, and the attribute of
   * the service that holds its private addresses (`additional_location[0].private_ip_addresses`), which the private
   * A record must name. @default - the service's primary location
   */
  readonly landsOn?: { readonly subnetId: unknown; readonly addresses: string };
}

/** What the discovery knows beyond the plan. */
export interface DiscoveryContext {
  /** Subnets outside the stack that host applications (bring-your-own app-integration subnets), by region. */
  readonly clientSubnets?: Readonly<Record<string, string>>;
}

interface Discovery {
  readonly view: PlanView;
  readonly network: NetworkView;
  readonly context: DiscoveryContext;
  /** Results computed once per discovery. */
  readonly memo: Map<string, unknown>;
}

function once<T>(d: Discovery, key: string, compute: () => T): T {
  if (!d.memo.has(key)) d.memo.set(key, compute());
  return d.memo.get(key) as T;
}

/** The kinds of data path; each is one entry of {@link PATH_KINDS}. */
export type PathKindId =
  | 'client-gateway'
  | 'gateway-backend'
  | 'gateway-keyvault'
  | 'gateway-telemetry'
  | 'tenant-secret'
  | 'tenant-prompts'
  | 'waf-gateway'
  | 'waf-keyvault'
  | 'regional-gateway-backend'
  | 'gateway-ledger'
  | 'ledger-ingestion'
  | 'gateway-cache'
  | 'client-foundry'
  | 'foundry-gateway'
  | 'foundry-telemetry'
  | 'foundry-prompts'
  | 'foundry-content-safety';

export interface PathKind {
  readonly id: PathKindId;
  readonly title: string;
  readonly discover: (d: Discovery) => DataPath[];
}

const nameOf = (r: PlanResource | undefined): string => {
  const name = r?.config['name'];
  return typeof name === 'string' && !name.includes('${') ? name : (r?.path ?? '?');
};

const APP_SERVICE_DELEGATION = 'Microsoft.Web/serverFarms';

/** The API Management services of the plan, with the subnet each sends its outbound traffic from. */
function gateways(d: Discovery): { service: PlanResource; network: CallerNetwork }[] {
  return once(d, 'gateways', () => findGateways(d));
}

function findGateways(d: Discovery): { service: PlanResource; network: CallerNetwork }[] {
  return d.view.byType('azurerm_api_management').map((service) => {
    const subnet = d.network.subnet(field(service.config, 'virtual_network_configuration.subnet_id'));
    return {
      service,
      network: subnet
        ? { kind: 'subnet' as const, subnet }
        : field(service.config, 'virtual_network_type') === 'Internal' ||
            field(service.config, 'virtual_network_type') === 'External'
          ? { kind: 'unknown' as const, why: 'its subnet is not in the plan' }
          : { kind: 'internet' as const },
    };
  });
}

/** True when nothing may arrive on the subnet: VNet integration sends out only. */
function outboundOnly(d: Discovery, subnet: Subnet): boolean {
  if (!subnet.nsg) return true;
  const anywhere = { prefixes: [], virtualNetwork: true };
  return (
    decidingRule(
      subnet.nsg,
      d.view.plan,
      'Inbound',
      anywhere,
      { prefixes: subnet.prefixes, virtualNetwork: true },
      443,
    ).access !== 'Allow'
  );
}

/**
 * The subnets applications call from: the plan's App Service integration subnets (delegated to
 * Microsoft.Web/serverFarms, used by no gateway, and receiving nothing), and declared ones outside the stack.
 */
function clientSubnets(d: Discovery): { region: string; subnet: Subnet }[] {
  return once(d, 'clientSubnets', () => findClientSubnets(d));
}

function findClientSubnets(d: Discovery): { region: string; subnet: Subnet }[] {
  const injected = new Set(
    gateways(d).flatMap((g) => (g.network.kind === 'subnet' ? [g.network.subnet.key] : [])),
  );
  const inPlan = d.network
    .subnets()
    .filter(
      (s) => s.delegations.includes(APP_SERVICE_DELEGATION) && !injected.has(s.key) && outboundOnly(d, s),
    )
    .map((subnet) => ({ region: d.network.location(subnet.vnet) ?? '?', subnet }));
  const declared = Object.entries(d.context.clientSubnets ?? {}).flatMap(([region, id]) => {
    const subnet = d.network.subnet(id);
    return subnet ? [{ region, subnet }] : [];
  });
  return [...inPlan, ...declared].sort((a, b) => a.region.localeCompare(b.region));
}

/** True when the plan builds private networking (VNets, injected services or private endpoints). */
function privateNetwork(d: Discovery): boolean {
  return (
    d.view.byType('azurerm_virtual_network', 'azurerm_private_endpoint').length > 0 ||
    gateways(d).some((g) => g.network.kind !== 'internet')
  );
}

/** Where an application in `region` calls from. */
function applicationNetwork(d: Discovery, region: string | undefined): CallerNetwork {
  const subnet = clientSubnets(d).find((c) => c.region === region)?.subnet;
  if (subnet) return { kind: 'subnet', subnet };
  return privateNetwork(d)
    ? {
        kind: 'unknown',
        why: `no application subnet in ${region ?? 'its region'} is in the plan or declared`,
      }
    : { kind: 'internet' };
}

/** The identity an API Management service uses for a client id reference (undefined: its system identity). */
function serviceIdentity(d: Discovery, service: PlanResource, clientId: unknown): PathIdentity {
  const type = String(field(service.config, 'identity.type') ?? '');
  if (clientId === undefined || clientId === 'SystemAssigned') {
    return {
      label: `system identity of ${nameOf(service)}`,
      resource: service,
      kind: 'system-assigned',
      ...(type.includes('SystemAssigned')
        ? {}
        : {
            problem: `${nameOf(service)} has no system-assigned identity (identity type "${type || 'none'}")`,
          }),
    };
  }
  const identity = d.view.resolve(clientId);
  const attached = ((field(service.config, 'identity.identity_ids') as unknown[]) ?? []).some(
    (id) => identity !== undefined && d.view.resolve(id) === identity,
  );
  return {
    label: identity ? nameOf(identity) : String(clientId),
    ...(identity ? { resource: identity } : {}),
    kind: 'user-assigned',
    ...(identity && attached
      ? {}
      : {
          problem: `${nameOf(service)} does not carry the user-assigned identity ${identity ? nameOf(identity) : String(clientId)}`,
        }),
  };
}

/** Resources answering at `host`, by the callee catalogue. */
function resourceAt(d: Discovery, host: string): PlanResource | undefined {
  const index = once(d, 'hosts', () => {
    const hosts = new Map<string, PlanResource>();
    for (const r of d.view.resources) {
      const service = CALLEE_SERVICES[r.type];
      const label = service?.dnsLabel(r)?.toLowerCase();
      if (label === undefined) continue;
      for (const suffix of service!.suffixes)
        if (!hosts.has(`${label}.${suffix}`)) hosts.set(`${label}.${suffix}`, r);
    }
    return hosts;
  });
  return index.get(host.toLowerCase());
}

const OPENAI_INFERENCE = 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action';
const OPENAI_EMBEDDINGS = 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action';
const CONTENT_SAFETY = [
  'Microsoft.CognitiveServices/accounts/ContentSafety/text:analyze/action',
  'Microsoft.CognitiveServices/accounts/ContentSafety/text:shieldPrompt/action',
];
/** PII recognition (Language `analyze-text`), which the gateway's PII step calls. */
const LANGUAGE_ANALYZE = ['Microsoft.CognitiveServices/accounts/Language/analyze-text/action'];
const GET_SECRET = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';
const BLOB_READ = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read';
const BLOB_WRITE = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write';
const TELEMETRY_WRITE = 'Microsoft.Insights/Telemetry/Write';
const EVENT_HUB_SEND = 'Microsoft.EventHub/namespaces/messages/send/action';
const EVENT_HUB_RECEIVE = 'Microsoft.EventHub/namespaces/messages/receive/action';
/** AMQP over TLS: API Management's Event Hubs logger (Learn, "Virtual network configuration reference: API Management"). */
const AMQPS = 5671;

/** The event hub `name` of the namespace `namespace`, in the plan. */
function hubIn(d: Discovery, namespace: PlanResource | undefined, name: unknown): PlanResource | undefined {
  return d.view
    .byType('azurerm_eventhub')
    .find((hub) => hub.config['name'] === name && d.view.resolve(hub.config['namespace_id']) === namespace);
}

/** The write-only part of an azapi body (`sensitive_body`). */
const sensitiveBody = (r: PlanResource): Record<string, unknown> =>
  (r.config['sensitive_body'] as Record<string, unknown> | undefined) ?? {};

/** A tag of a resource: azurerm `tags`, or `tags` in an azapi body (child resources such as secrets). */
const tagOf = (r: PlanResource, key: string): string | undefined => {
  const value =
    (r.config['tags'] as Record<string, unknown> | undefined)?.[key] ??
    (body(r)['tags'] as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value : undefined;
};

const TENANT_SECRET_TYPES = ['Microsoft.KeyVault/vaults/secrets', 'azurerm_key_vault_secret'];
const containerTenant = (c: PlanResource): unknown =>
  (c.config['metadata'] as Record<string, unknown> | undefined)?.['tenant'];

/** The tenant applications: user-assigned identities tagged with a tenant. */
function tenantIdentities(d: Discovery): { slug: string; identity: PlanResource }[] {
  return d.view
    .byType('azurerm_user_assigned_identity')
    .flatMap((identity) => {
      const slug = tagOf(identity, 'tenant');
      return slug ? [{ slug, identity }] : [];
    })
    .sort((a, b) => a.slug.localeCompare(b.slug));
}

function userIdentity(identity: PlanResource): PathIdentity {
  return { label: nameOf(identity), resource: identity, kind: 'user-assigned' };
}

/** The call of one gateway (a region of it) to one of its backends: the backend's URL, credentials and data actions. */
function backendPath(
  d: Discovery,
  backend: PlanResource,
  caller: {
    readonly id: string;
    readonly kind: 'gateway-backend' | 'regional-gateway-backend';
    readonly label: string;
    readonly service: PlanResource;
    readonly network: CallerNetwork;
  },
): DataPath {
  const url = String(field(body(backend), 'properties.url'));
  const host = /^https?:\/\/([^/:]+)/i.exec(url)?.[1] ?? url;
  const endpoint = resourceAt(d, host);
  const credentials = field(body(backend), 'properties.credentials.managedIdentity') as
    Record<string, unknown> | undefined;
  const kind = endpoint?.config['kind'];
  return {
    id: caller.id,
    kind: caller.kind,
    caller: { label: caller.label, resource: caller.service, network: caller.network },
    target: {
      label: `${nameOf(backend)} → ${endpoint ? nameOf(endpoint) : host}`,
      ...(endpoint ? { resource: endpoint } : {}),
    },
    ...(endpoint ? { endpoint } : {}),
    host,
    port: 443,
    authentication: 'entra',
    ...(credentials
      ? { identity: serviceIdentity(d, caller.service, credentials['clientId']) }
      : { identityProblem: `backend ${nameOf(backend)} has no managed-identity credentials` }),
    dataActions:
      kind === 'ContentSafety'
        ? CONTENT_SAFETY
        : kind === 'TextAnalytics'
          ? LANGUAGE_ANALYZE
          : /\/embeddings$/.test(url)
            ? [OPENAI_EMBEDDINGS]
            : [OPENAI_INFERENCE],
    declaredBy: [backend],
  };
}

/** Where an additional gateway region calls from: its own subnet, the internet, or a subnet outside the plan. */
function regionNetwork(d: Discovery, subnetId: unknown): CallerNetwork {
  const subnet = d.network.subnet(subnetId);
  return subnet
    ? { kind: 'subnet', subnet }
    : subnetId === undefined
      ? { kind: 'internet' }
      : { kind: 'unknown', why: 'its subnet is not in the plan' };
}

/** An Application Gateway (WAF) as a caller: from its own subnet. */
function wafCaller(d: Discovery, waf: PlanResource): DataPath['caller'] {
  const subnet = d.network.subnet(
    (waf.config['gateway_ip_configuration'] as Record<string, unknown>[] | undefined)?.[0]?.['subnet_id'],
  );
  return {
    label: `WAF ${nameOf(waf)}`,
    resource: waf,
    network: subnet ? { kind: 'subnet', subnet } : { kind: 'unknown', why: 'its subnet is not in the plan' },
  };
}

/** The ARM type of a Foundry project connection (azapi). */
const FOUNDRY_CONNECTION = 'Microsoft.CognitiveServices/accounts/projects/connections';
/** A data action of a Foundry project that the Foundry user role grants (agents, threads, evaluations). */
const FOUNDRY_PROJECT_USE = 'Microsoft.CognitiveServices/accounts/AIServices/agents/write';

/**
 * Why a Foundry connection's network hops are assumptions: Foundry's service side makes the call.
 * Learn, "Configure private link for Azure AI Foundry": the private endpoint covers inbound calls to Foundry; its own
 * outbound calls to private resources need network injection (agent subnet) or the callee's trusted-service access,
 * neither of which a plan of this blueprint holds.
 */
export const FOUNDRY_MANAGED_NETWORK = {
  reason:
    "Foundry's service side makes this call from Microsoft-managed compute that no network of the plan describes; a private callee is reached only through Foundry network injection or the callee's trusted-service access (Learn: Configure private link for Azure AI Foundry)",
  origin: 'Microsoft-managed: Azure AI Foundry',
} as const;

/** A Foundry project's identity: its user-assigned identity (a tenant's), or its system-assigned one. */
function projectIdentity(d: Discovery, project: PlanResource): PathIdentity {
  const type = String(field(project.config, 'identity.type') ?? '');
  const userIds = (field(project.config, 'identity.identity_ids') as unknown[]) ?? [];
  const user = userIds.length > 0 ? d.view.resolve(userIds[0]) : undefined;
  if (type.includes('UserAssigned') && user) return userIdentity(user);
  return {
    label: `system identity of project ${nameOf(project)}`,
    resource: project,
    kind: 'system-assigned',
    ...(type.includes('SystemAssigned')
      ? {}
      : { problem: `project ${nameOf(project)} has no usable identity (identity type "${type || 'none'}")` }),
  };
}

/** A Foundry connection as a data path: the project calls the connection's target from Foundry's side. */
function foundryConnectionPath(d: Discovery, connection: PlanResource): DataPath | undefined {
  const project = d.view.resolve(connection.config['parent_id']);
  if (!project) return undefined;
  const account = d.view.resolve(project.config['cognitive_account_id']);
  const properties = (field(body(connection), 'properties') ?? {}) as Record<string, unknown>;
  const metadata = (properties['metadata'] ?? {}) as Record<string, unknown>;
  const category = String(properties['category']);
  const callee = d.view.resolve(metadata['ResourceId']);
  const caller: DataPath['caller'] = {
    label: `Foundry project ${nameOf(project)}`,
    resource: project,
    network: { kind: 'managed', ...FOUNDRY_MANAGED_NETWORK, ...(account ? { egress: account } : {}) },
  };
  const base = {
    caller,
    port: 443,
    declaredBy: [connection],
    ...(callee ? { endpoint: callee } : {}),
  };
  const hostOf = (url: unknown) => /^https?:\/\/([^/:]+)/i.exec(String(url))?.[1] ?? String(url);
  if (category === 'ApiManagement') {
    const reference = field(sensitiveBody(connection), 'properties.credentials.key');
    const subscription = d.view.resolve(reference);
    const tenant = tagOf(project, 'tenant');
    return {
      ...base,
      id: `foundry-gateway:${connection.address}`,
      kind: 'foundry-gateway',
      target: {
        label: callee ? nameOf(callee) : hostOf(properties['target']),
        ...(callee ? { resource: callee } : {}),
      },
      host: hostOf(properties['target']),
      authentication: 'subscription-key',
      subscriptionKey: {
        reference,
        ...(subscription ? { subscription } : {}),
        ...(tenant ? { tenant } : {}),
      },
      dataActions: [],
    };
  }
  const identity = projectIdentity(d, project);
  if (category === 'AppInsights' && callee) {
    return {
      ...base,
      id: `foundry-telemetry:${connection.address}`,
      kind: 'foundry-telemetry',
      target: { label: nameOf(callee), resource: callee },
      host: CALLEE_SERVICES['azurerm_application_insights']!.host(callee)!,
      authentication: 'entra',
      identity,
      dataActions: [TELEMETRY_WRITE],
    };
  }
  if (category === 'AzureBlob' && callee) {
    const containerName = metadata['ContainerName'];
    const referenced = d.view.resolve(containerName);
    const container =
      containerName === undefined
        ? undefined
        : referenced?.type === 'azurerm_storage_container'
          ? referenced
          : d.view
              .byType('azurerm_storage_container')
              .find(
                (c) =>
                  c.config['name'] === containerName &&
                  d.view.resolve(c.config['storage_account_id']) === callee,
              );
    const target = container ?? callee;
    return {
      ...base,
      id: `foundry-prompts:${connection.address}`,
      kind: 'foundry-prompts',
      target: { label: container ? `container ${nameOf(container)}` : nameOf(callee), resource: target },
      host: serviceOf(callee)?.host(callee) ?? hostOf(properties['target']),
      authentication: 'entra',
      identity,
      dataActions: [BLOB_READ],
    };
  }
  if (category === 'CognitiveService' && callee) {
    return {
      ...base,
      id: `foundry-content-safety:${connection.address}`,
      kind: 'foundry-content-safety',
      target: { label: nameOf(callee), resource: callee },
      host: hostOf(properties['target']),
      authentication: 'entra',
      identity,
      dataActions: CONTENT_SAFETY,
    };
  }
  return undefined;
}

/** The connections of one category of every Foundry project. */
function foundryPaths(d: Discovery, kind: PathKindId): DataPath[] {
  return d.view.byType(FOUNDRY_CONNECTION).flatMap((connection) => {
    const path = foundryConnectionPath(d, connection);
    return path && path.kind === kind ? [path] : [];
  });
}

export const PATH_KINDS: readonly PathKind[] = [
  {
    id: 'client-gateway',
    title: 'Applications → gateway',
    discover: (d) =>
      gateways(d).flatMap(({ service }) => {
        const host = CALLEE_SERVICES['azurerm_api_management']!.host(service)!;
        const callers = clientSubnets(d).map((c) => ({
          label: `apps in ${c.region} (${c.subnet.name})`,
          network: { kind: 'subnet' as const, subnet: c.subnet },
        }));
        const all =
          callers.length > 0 || privateNetwork(d)
            ? callers
            : [{ label: 'clients on the internet', network: { kind: 'internet' as const } }];
        return all.map((caller) => ({
          id: `client-gateway:${caller.label}->${service.address}`,
          kind: 'client-gateway' as const,
          caller,
          target: { label: nameOf(service), resource: service },
          endpoint: service,
          host,
          port: 443,
          authentication: 'subscription-key' as const,
          dataActions: [],
          declaredBy: [service],
        }));
      }),
  },
  {
    id: 'gateway-backend',
    title:
      'Gateway → backends (models in every region, Content Safety, Language, the batch account, dedicated accounts)',
    discover: (d) => {
      const byService = new Map(gateways(d).map((g) => [g.service.address, g]));
      return d.view
        .byType('Microsoft.ApiManagement/service/backends')
        .filter((b) => typeof field(body(b), 'properties.url') === 'string')
        .flatMap((backend) => {
          const gateway = byService.get(d.view.resolve(backend.config['parent_id'])?.address ?? '');
          if (!gateway) return [];
          return [
            backendPath(d, backend, {
              id: `gateway-backend:${backend.address}`,
              kind: 'gateway-backend',
              label: nameOf(gateway.service),
              service: gateway.service,
              network: gateway.network,
            }),
          ];
        });
    },
  },
  {
    id: 'gateway-keyvault',
    title: 'Gateway → Key Vault (named values)',
    // The vault in the gateway's resource group holds what its named values read; named values that reference a
    // secret elsewhere add their vault, with the identity they name.
    discover: (d) =>
      gateways(d).flatMap(({ service, network }) => {
        const vaults = new Map<
          string,
          { vault: PlanResource; clientId: unknown; declaredBy: PlanResource[] }
        >();
        const userIds = (field(service.config, 'identity.identity_ids') as unknown[]) ?? [];
        const defaultClientId =
          userIds.length > 0 ? `\${${d.view.resolve(userIds[0])?.address}.client_id}` : undefined;
        for (const vault of d.view.byType('azurerm_key_vault')) {
          if (vault.config['resource_group_name'] === service.config['resource_group_name'])
            vaults.set(vault.address, { vault, clientId: defaultClientId, declaredBy: [service] });
        }
        for (const value of d.view.byType('azurerm_api_management_named_value')) {
          const secretId = field(value.config, 'value_from_key_vault.secret_id');
          if (secretId === undefined || d.view.resolve(value.config['api_management_name']) !== service)
            continue;
          const secret = d.view.resolve(secretId);
          const vault = secret
            ? d.view.resolve(secret.config['key_vault_id'] ?? secret.config['parent_id'])
            : undefined;
          if (vault) {
            vaults.set(vault.address, {
              vault,
              clientId: field(value.config, 'value_from_key_vault.identity_client_id'),
              declaredBy: [value],
            });
          }
        }
        return [...vaults.values()].map(({ vault, clientId, declaredBy }) => ({
          id: `gateway-keyvault:${service.address}->${vault.address}`,
          kind: 'gateway-keyvault' as const,
          caller: { label: nameOf(service), resource: service, network },
          target: { label: nameOf(vault), resource: vault },
          endpoint: vault,
          host: CALLEE_SERVICES['azurerm_key_vault']!.host(vault)!,
          port: 443,
          authentication: 'entra' as const,
          identity: serviceIdentity(d, service, clientId),
          dataActions: [GET_SECRET],
          declaredBy,
        }));
      }),
  },
  {
    id: 'gateway-telemetry',
    title: 'Gateway logger → Application Insights',
    discover: (d) => {
      const byService = new Map(gateways(d).map((g) => [g.service.address, g]));
      return d.view
        .byType('Microsoft.ApiManagement/service/loggers')
        .filter((l) => field(body(l), 'properties.loggerType') === 'applicationInsights')
        .flatMap((logger) => {
          const gateway = byService.get(d.view.resolve(logger.config['parent_id'])?.address ?? '');
          const resourceId = field(body(logger), 'properties.resourceId');
          // A bring-your-own component is a literal ARM id; the plan reads its connection string with a data source.
          const armId = typeof resourceId === 'string' && !resourceId.includes('${') ? resourceId : undefined;
          const component =
            d.view.resolve(resourceId) ??
            d.view.resolve(field(body(logger), 'properties.credentials.connectionString'));
          if (!gateway || component?.type !== 'azurerm_application_insights') return [];
          const clientId = field(body(logger), 'properties.credentials.identityClientId');
          return [
            {
              id: `gateway-telemetry:${logger.address}`,
              kind: 'gateway-telemetry' as const,
              caller: {
                label: `${nameOf(gateway.service)} logger ${nameOf(logger)}`,
                resource: gateway.service,
                network: gateway.network,
              },
              target: {
                label: armId ? `${nameOf(component)} (existing)` : nameOf(component),
                resource: component,
                ...(armId ? { armId } : {}),
              },
              endpoint: component,
              host: CALLEE_SERVICES['azurerm_application_insights']!.host(
                armId
                  ? {
                      ...component,
                      config: { ...component.config, location: gateway.service.config['location'] },
                    }
                  : component,
              )!,
              port: 443,
              authentication: 'entra' as const,
              ...(clientId === undefined
                ? {
                    identityProblem: `logger ${nameOf(logger)} authenticates with the connection string's key, not an identity`,
                  }
                : { identity: serviceIdentity(d, gateway.service, clientId) }),
              dataActions: [TELEMETRY_WRITE],
              declaredBy: [logger],
            },
          ];
        });
    },
  },
  {
    id: 'tenant-secret',
    title: 'Tenant application → its gateway key in Key Vault',
    discover: (d) =>
      tenantIdentities(d).flatMap(({ slug, identity }) =>
        d.view
          .byKey('tenant secrets', TENANT_SECRET_TYPES, (secret) => tagOf(secret, 'tenant'), slug)
          .map((secret) => {
            const vault = d.view.resolve(secret.config['parent_id'] ?? secret.config['key_vault_id']);
            return {
              id: `tenant-secret:${identity.address}->${secret.address}`,
              kind: 'tenant-secret' as const,
              caller: {
                label: `tenant ${slug} (${nameOf(identity)})`,
                resource: identity,
                network: applicationNetwork(d, String(identity.config['location'])),
              },
              target: { label: `secret ${nameOf(secret)}`, resource: secret },
              ...(vault ? { endpoint: vault } : {}),
              host: (vault && serviceOf(vault)?.host(vault)) ?? '?',
              port: 443,
              authentication: 'entra' as const,
              identity: userIdentity(identity),
              dataActions: [GET_SECRET],
              declaredBy: [identity, secret],
            };
          }),
      ),
  },
  {
    id: 'tenant-prompts',
    title: 'Tenant application → its prompt-library container',
    discover: (d) =>
      tenantIdentities(d).flatMap(({ slug, identity }) =>
        d.view
          .byKey('tenant containers', ['azurerm_storage_container'], containerTenant, slug)
          .map((container) => {
            const account = d.view.resolve(container.config['storage_account_id']);
            return {
              id: `tenant-prompts:${identity.address}->${container.address}`,
              kind: 'tenant-prompts' as const,
              caller: {
                label: `tenant ${slug} (${nameOf(identity)})`,
                resource: identity,
                network: applicationNetwork(d, String(identity.config['location'])),
              },
              target: { label: `container ${nameOf(container)}`, resource: container },
              ...(account ? { endpoint: account } : {}),
              host: (account && serviceOf(account)?.host(account)) ?? '?',
              port: 443,
              authentication: 'entra' as const,
              identity: userIdentity(identity),
              dataActions: [BLOB_READ, BLOB_WRITE],
              declaredBy: [identity, container],
            };
          }),
      ),
  },
  {
    id: 'waf-gateway',
    title: 'Regional WAF (Application Gateway) → the gateway of its region',
    discover: (d) =>
      d.view.byType('azurerm_application_gateway').flatMap((waf) => {
        const host = String(
          (waf.config['backend_address_pool'] as { fqdns?: string[] }[] | undefined)?.[0]?.fqdns?.[0] ?? '?',
        ).toLowerCase();
        const regional = planGatewayRegions(d.view.plan).find(
          (g) => `${nameOf(g.service)}-${g.region}-01.regional.azure-api.net` === host,
        );
        const service =
          regional?.service ??
          d.view.byType('azurerm_api_management').find((s) => `${nameOf(s)}.azure-api.net` === host);
        const index =
          regional && !regional.primary
            ? blocks(regional.service.config['additional_location']).findIndex(
                (l) => l['location'] === regional.region,
              )
            : -1;
        return [
          {
            id: `waf-gateway:${waf.address}`,
            kind: 'waf-gateway' as const,
            caller: wafCaller(d, waf),
            target: {
              label: service
                ? `${nameOf(service)} in ${regional?.region ?? String(service.config['location'])}`
                : host,
              ...(service ? { resource: service } : {}),
            },
            ...(service ? { endpoint: service } : {}),
            host,
            port: 443,
            authentication: 'subscription-key' as const,
            dataActions: [],
            declaredBy: [waf],
            ...(regional && !regional.primary
              ? {
                  landsOn: {
                    subnetId: regional.subnetId,
                    addresses: `additional_location[${index}].private_ip_addresses`,
                  },
                }
              : {}),
          },
        ];
      }),
  },
  {
    id: 'waf-keyvault',
    title: 'Regional WAF (Application Gateway) → Key Vault (its TLS certificate)',
    // The WAF reads its listener certificate from Key Vault with its user-assigned identity, at deploy and on every
    // rotation (Learn, "TLS termination with Key Vault certificates").
    discover: (d) =>
      d.view.byType('azurerm_application_gateway').flatMap((waf) => {
        const userIds = (field(waf.config, 'identity.identity_ids') as unknown[]) ?? [];
        const clientId =
          userIds.length > 0 ? `\${${d.view.resolve(userIds[0])?.address}.client_id}` : undefined;
        return blocks(waf.config['ssl_certificate']).flatMap((certificate) => {
          const secretId = String(certificate['key_vault_secret_id'] ?? '');
          const address = /\$\{(azurerm_key_vault\.[A-Za-z0-9_-]+)\./.exec(secretId)?.[1];
          const vault = address ? d.view.plan.byAddress(address) : undefined;
          if (!secretId) return [];
          return [
            {
              id: `waf-keyvault:${waf.address}:${String(certificate['name'])}`,
              kind: 'waf-keyvault' as const,
              caller: wafCaller(d, waf),
              target: { label: vault ? nameOf(vault) : secretId, ...(vault ? { resource: vault } : {}) },
              ...(vault ? { endpoint: vault } : {}),
              host: vault ? CALLEE_SERVICES['azurerm_key_vault']!.host(vault)! : secretId,
              port: 443,
              authentication: 'entra' as const,
              identity: serviceIdentity(d, waf, clientId),
              dataActions: [GET_SECRET],
              declaredBy: [waf],
            },
          ];
        });
      }),
  },
  {
    id: 'regional-gateway-backend',
    title:
      'Additional gateway regions → the backends of their pools, their own Content Safety, and every backend no regional pool chooses',
    // The primary region's calls are the gateway-backend paths; each additional location calls from its own subnet.
    discover: (d) => {
      const choices = regionalPoolChoices(d.view.plan);
      const pools = planPools(d.view.plan);
      return planGatewayRegions(d.view.plan)
        .filter((g) => !g.primary)
        .flatMap((g) => {
          const network = regionNetwork(d, g.subnetId);
          const backends = new Map<string, PlanResource>();
          for (const pool of choices.get(g.region)?.values() ?? [])
            for (const member of pools.get(pool)?.members ?? [])
              if (member.backend) backends.set(member.backend.address, member.backend);
          for (const backend of d.view.byType('Microsoft.ApiManagement/service/backends')) {
            const url = field(body(backend), 'properties.url');
            const host = typeof url === 'string' ? /^https?:\/\/([^/:]+)/i.exec(url)?.[1] : undefined;
            const endpoint = host ? resourceAt(d, host) : undefined;
            if (!host) continue; // a pool: its members are backends of their own
            // Its own region's Content Safety; and every other backend (Language, the batch account, a dedicated
            // tenant's deployments), which policies call whichever region runs the request.
            if (endpoint?.config['kind'] !== 'ContentSafety' || endpoint.config['location'] === g.region)
              backends.set(backend.address, backend);
          }
          return [...backends.values()].map((backend) =>
            backendPath(d, backend, {
              id: `regional-gateway-backend:${g.region}:${backend.address}`,
              kind: 'regional-gateway-backend',
              label: `${nameOf(g.service)} in ${g.region}`,
              service: g.service,
              network,
            }),
          );
        });
    },
  },
  {
    id: 'gateway-ledger',
    title: 'Gateway usage-ledger logger → Event Hubs (one record per request)',
    // log-to-eventhub sends through an Event Hubs logger; with a managed identity it needs Azure Event Hubs Data
    // Sender on the hub or the namespace (Learn, "How to log events to Azure Event Hubs in Azure API Management").
    discover: (d) => {
      const byService = new Map(gateways(d).map((g) => [g.service.address, g]));
      return d.view.byType('azurerm_api_management_logger').flatMap((logger) => {
        const hub = field(logger.config, 'eventhub') as Record<string, unknown> | undefined;
        const gateway = byService.get(d.view.resolve(logger.config['api_management_name'])?.address ?? '');
        if (!hub || !gateway) return [];
        const host = String(hub['endpoint_uri'] ?? '?')
          .replace(/^(sb|https):\/\//, '')
          .replace(/\/.*$/, '');
        const namespace = resourceAt(d, host);
        const target = hubIn(d, namespace, hub['name']);
        const clientId = hub['user_assigned_identity_client_id'];
        return [
          {
            id: `gateway-ledger:${logger.address}`,
            kind: 'gateway-ledger' as const,
            caller: {
              label: `${nameOf(gateway.service)} logger ${nameOf(logger)}`,
              resource: gateway.service,
              network: gateway.network,
            },
            target: {
              label: target ? `hub ${nameOf(target)}` : String(hub['name']),
              ...(target ? { resource: target } : {}),
            },
            ...(namespace ? { endpoint: namespace } : {}),
            host,
            port: AMQPS,
            authentication: 'entra' as const,
            ...(hub['connection_string'] !== undefined || hub['endpoint_uri'] === undefined
              ? {
                  identityProblem: `logger ${nameOf(logger)} authenticates with a connection string's key, not an identity`,
                }
              : { identity: serviceIdentity(d, gateway.service, clientId ?? 'SystemAssigned') }),
            dataActions: [EVENT_HUB_SEND],
            declaredBy: [logger],
          },
        ];
      });
    },
  },
  {
    id: 'ledger-ingestion',
    title: 'Azure Monitor (data collection rule) → the ledger hub → the ledger table',
    // Azure Monitor reads the hub with the DCR's managed identity, which needs Azure Event Hubs Data Receiver; a
    // namespace closed to public networks must admit trusted Microsoft services (Learn, "Ingest events from Azure
    // Event Hubs into Azure Monitor Logs").
    discover: (d) =>
      d.view.byType('azurerm_monitor_data_collection_rule_association').flatMap((association) => {
        const hub = d.view.resolve(association.config['target_resource_id']);
        const rule = d.view.resolve(association.config['data_collection_rule_id']);
        if (hub?.type !== 'azurerm_eventhub' || !rule) return [];
        const namespace = d.view.resolve(hub.config['namespace_id']);
        const identityType = String(field(rule.config, 'identity.type') ?? '');
        return [
          {
            id: `ledger-ingestion:${association.address}`,
            kind: 'ledger-ingestion' as const,
            caller: {
              label: `data collection rule ${nameOf(rule)}`,
              resource: rule,
              network: { kind: 'trustedService' as const, service: 'Azure Monitor' },
            },
            target: { label: `hub ${nameOf(hub)}`, resource: hub },
            ...(namespace ? { endpoint: namespace } : {}),
            host: (namespace && serviceOf(namespace)?.host(namespace)) ?? '?',
            port: AMQPS,
            authentication: 'entra' as const,
            identity: {
              label: `system identity of ${nameOf(rule)}`,
              resource: rule,
              kind: 'system-assigned' as const,
              ...(identityType.includes('SystemAssigned')
                ? {}
                : {
                    problem: `${nameOf(rule)} has no system-assigned identity (identity type "${identityType || 'none'}")`,
                  }),
            },
            dataActions: [EVENT_HUB_RECEIVE],
            declaredBy: [association],
          },
        ];
      }),
  },
  {
    id: 'gateway-cache',
    title: 'Gateway → its external cache (Azure Managed Redis: semantic cache, stored-object owners)',
    // API Management connects with a Redis connection string (Learn, "Use an external Redis-compatible cache in Azure
    // API Management"): TLS on 10000, the access key from a Key Vault named value.
    discover: (d) => {
      const byService = new Map(gateways(d).map((g) => [g.service.address, g]));
      return d.view.byType('Microsoft.ApiManagement/service/caches').flatMap((entity) => {
        const gateway = byService.get(d.view.resolve(entity.config['parent_id'])?.address ?? '');
        if (!gateway) return [];
        const armId = String(field(body(entity), 'properties.resourceId') ?? '').replace(
          /^https:\/\/management\.azure\.com/i,
          '',
        );
        const cache = d.view.resolve(armId);
        // An existing cache (gateway.semanticCache.cache.mode "existing") is outside the plan: its network path is
        // the adopter's to provide, and the proof cannot see it (README, Data paths: what it cannot see).
        if (!cache) return [];
        const service = serviceOf(cache);
        const host = (cache && service?.host(cache)) ?? (armId || '?');
        // Every region of the service uses a cache of location `default`, each from its own subnet.
        const regional =
          field(body(entity), 'properties.useFromLocation') === 'default'
            ? planGatewayRegions(d.view.plan).filter((g) => !g.primary && g.service === gateway.service)
            : [];
        const callers = [
          { suffix: '', label: nameOf(gateway.service), network: gateway.network },
          ...regional.map((g) => ({
            suffix: `:${g.region}`,
            label: `${nameOf(g.service)} in ${g.region}`,
            network: regionNetwork(d, g.subnetId),
          })),
        ];
        return callers.map((caller) => ({
          id: `gateway-cache${caller.suffix}:${entity.address}`,
          kind: 'gateway-cache' as const,
          caller: {
            label: `${caller.label} external cache`,
            resource: gateway.service,
            network: caller.network,
          },
          target: { label: cache ? nameOf(cache) : host, ...(cache ? { resource: cache } : {}) },
          ...(cache ? { endpoint: cache } : {}),
          host,
          port: MANAGED_REDIS_PORT,
          authentication: 'access-key' as const,
          accessKey: cacheKeySource(d, gateway.service, entity, cache),
          dataActions: [],
          declaredBy: [entity],
        }));
      });
    },
  },
  {
    id: 'client-foundry',
    title: 'Tenant application → its own Foundry project (the Foundry endpoint)',
    // A tenant's application calls its project at https://<account>.services.ai.azure.com/api/projects/<project> as
    // the tenant identity, which the project runs as and which holds the Foundry user role on it.
    discover: (d) =>
      tenantIdentities(d).flatMap(({ slug, identity }) =>
        d.view
          .byType('azurerm_cognitive_account_project')
          .filter((project) =>
            ((field(project.config, 'identity.identity_ids') as unknown[]) ?? []).some(
              (id) => d.view.resolve(id) === identity,
            ),
          )
          .map((project) => {
            const account = d.view.resolve(project.config['cognitive_account_id']);
            const label = account
              ? CALLEE_SERVICES['azurerm_cognitive_account']!.dnsLabel(account)
              : undefined;
            return {
              id: `client-foundry:${identity.address}->${project.address}`,
              kind: 'client-foundry' as const,
              caller: {
                label: `tenant ${slug} (${nameOf(identity)})`,
                resource: identity,
                network: applicationNetwork(d, String(identity.config['location'])),
              },
              target: { label: `project ${nameOf(project)}`, resource: project },
              ...(account ? { endpoint: account } : {}),
              host: label ? `${label}.services.ai.azure.com` : '?',
              port: 443,
              authentication: 'entra' as const,
              identity: userIdentity(identity),
              dataActions: [FOUNDRY_PROJECT_USE],
              declaredBy: [identity, project],
            };
          }),
      ),
  },
  {
    id: 'foundry-gateway',
    title: "Foundry project → the gateway, through the tenant's own product (its gateway connection)",
    discover: (d) => foundryPaths(d, 'foundry-gateway'),
  },
  {
    id: 'foundry-telemetry',
    title: 'Foundry project → Application Insights (tracing, Entra ID)',
    discover: (d) => foundryPaths(d, 'foundry-telemetry'),
  },
  {
    id: 'foundry-prompts',
    title: 'Foundry project → the prompt library (its container, or the library for the platform project)',
    discover: (d) => foundryPaths(d, 'foundry-prompts'),
  },
  {
    id: 'foundry-content-safety',
    title: 'Foundry project → Content Safety',
    discover: (d) => foundryPaths(d, 'foundry-content-safety'),
  },
];

/**
 * Where a cache entity's connection string comes from: `{{name}}` of a secret named value of the same service that
 * reads a Key Vault secret, and a database of the cache that accepts access keys.
 */
function cacheKeySource(
  d: Discovery,
  service: PlanResource,
  entity: PlanResource,
  cache: PlanResource | undefined,
): NonNullable<DataPath['accessKey']> {
  const connection = String(field(body(entity), 'properties.connectionString') ?? '');
  const name = /^\{\{([^}]+)\}\}$/.exec(connection)?.[1];
  const database = cache
    ? d.view
        .byType('Microsoft.Cache/redisEnterprise/databases')
        .find((db) => d.view.resolve(db.config['parent_id']) === cache)
    : undefined;
  const accepted =
    database && field(body(database), 'properties.accessKeysAuthentication') === 'Enabled'
      ? database
      : undefined;
  const base = accepted ? { acceptedBy: accepted } : {};
  if (!name)
    return {
      ...base,
      problem: `the connection string of ${nameOf(entity)} is not a named value reference ({{name}}): the key is in the plan and in state`,
    };
  const namedValue = d.view
    .byType('azurerm_api_management_named_value')
    .find((v) => v.config['name'] === name && d.view.resolve(v.config['api_management_name']) === service);
  if (!namedValue)
    return { ...base, problem: `no named value "${name}" of ${nameOf(service)} is in the plan` };
  const secret = d.view.resolve(field(namedValue.config, 'value_from_key_vault.secret_id'));
  if (!secret)
    return {
      ...base,
      namedValue,
      problem: `the named value "${name}" does not read a Key Vault secret of the plan (value_from_key_vault)`,
    };
  if (cache && !accepted)
    return {
      ...base,
      namedValue,
      secret,
      problem: `no database of ${nameOf(cache)} accepts access keys (accessKeysAuthentication "Enabled"): the connection string is refused`,
    };
  return { ...base, namedValue, secret };
}

/** Every data path of the plan's stack: the paths some resource of this stack declares. */
export function discoverPaths(view: PlanView, context: DiscoveryContext): DataPath[] {
  const d: Discovery = { view, network: new NetworkView(view), context, memo: new Map() };
  return PATH_KINDS.flatMap((kind) => kind.discover(d)).filter((path) =>
    path.declaredBy.some((r) => view.owns(r)),
  );
}

export { nameOf };
