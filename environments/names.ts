import {
  checkName,
  composeName,
  NAME_RULES,
  type NameInputs,
  type ResourceKind,
} from '../constructs/shared/naming';
import { monitoringNames } from './monitoring-names';
import { finopsNames } from './finops-names';
import { formatPath } from './errors';
import type { ConfigPath } from './rules';
import { DEFAULT_ENVIRONMENT_CODES } from './sections/foundation';
import { INGRESS_SUBNET } from './sections/network';
import type { Environment } from './schema';
import { tenantsIn } from './sections/tenants';
import { foundryRegion, foundryTenants } from './sections/foundry';
import { type AzureRegion, SUBNET_KEYS, SUBNETS, type SubnetKey } from '../constructs/shared/catalog';

/** The config paths that names are built from: the name rule runs once these parsed cleanly. */
export const NAME_INPUT_PATHS: readonly ConfigPath[] = [
  ['name'],
  ['workload'],
  ['naming'],
  ['regions'],
  ['network', 'mode'],
  ['endpoints', 'accounts'],
  ['endpoints', 'contentSafety'],
  ['endpoints', 'language'],
  ['foundry'],
  ['gateway'],
  ['monitoring', 'actionGroups'],
  // Tenant names (containers, identities, dedicated vaults and accounts) come from the registry's slugs.
  ['tenants'],
];

/** Who a planned name belongs to. */
export type NameOwner = 'platform' | 'tenant';

/** One name the stack will use, the config path that decides it, and every Azure rule it breaks. */
export interface PlannedName {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly path: ConfigPath;
  readonly problems: readonly string[];
  readonly owner: NameOwner;
}

/**
 * The mark that starts the qualifier of every name a tenant owns: `id-cx-genai-prd-sdc-t-legal`,
 * `kvcxgenaiprdsdctresearch`. No platform name of a kind that tenants also use has a qualifier starting with it (the
 * book refuses one), so no tenant slug can produce a platform name: in hyphenated names the segment after the region
 * code is `t` for a tenant and never for the platform; in compact names the character after it is `t` for a tenant and
 * never for the platform.
 */
export const TENANT_MARK = 't';

/** The kinds of resource a tenant gets a name of: every other kind is the platform's alone. */
export const TENANT_NAME_KINDS: ReadonlySet<ResourceKind> = new Set<ResourceKind>([
  'userAssignedIdentity',
  'resourceGroup',
  'keyVault',
  'privateEndpoint',
  'budget',
  'aiServicesAccount',
  'customSubdomain',
  'apimEntity',
  'storageContainer',
  'keyVaultSecret',
  'foundryProject',
]);

/**
 * Collects the names of one environment. The schema checks every entry at parse time, and the stack takes its names
 * from the same plan, so a name that cannot fit is a config error, never a failed deploy.
 */
export class NameBook {
  private readonly planned: PlannedName[] = [];

  constructor(private readonly inputs: NameInputs) {}

  /**
   * Names one platform resource and records it against the config path that decides it.
   *
   * @throws Error when the qualifier of a kind that tenants also use starts with {@link TENANT_MARK}: that name could
   * be a tenant's (a programming error, never a config one).
   */
  name(
    kind: ResourceKind,
    path: ConfigPath,
    options: { readonly region?: AzureRegion; readonly qualifier?: string; readonly instance?: number } = {},
  ): string {
    if (TENANT_NAME_KINDS.has(kind) && options.qualifier?.startsWith(TENANT_MARK)) {
      throw new Error(
        `platform ${kind} qualifier "${options.qualifier}" starts with the tenant mark "${TENANT_MARK}"`,
      );
    }
    return this.compose('platform', kind, path, options);
  }

  /** Names one resource of tenant `slug`: the qualifier is `t-<slug>` (and `-<purpose>` when it has several). */
  tenantName(
    kind: ResourceKind,
    slug: string,
    options: { readonly region?: AzureRegion; readonly purpose?: string } = {},
  ): string {
    const qualifier = [TENANT_MARK, slug, ...(options.purpose ? [options.purpose] : [])].join('-');
    return this.compose('tenant', kind, ['tenants', slug], {
      ...(options.region ? { region: options.region } : {}),
      qualifier,
    });
  }

  private compose(
    owner: NameOwner,
    kind: ResourceKind,
    path: ConfigPath,
    options: { readonly region?: AzureRegion; readonly qualifier?: string; readonly instance?: number },
  ): string {
    const name = composeName({
      ...this.inputs,
      kind,
      region: options.region ?? this.inputs.region,
      ...(options.qualifier === undefined ? {} : { qualifier: options.qualifier }),
      ...(options.instance === undefined ? {} : { instance: options.instance }),
    });
    this.planned.push({ kind, name, path, problems: checkName(kind, name), owner });
    return name;
  }

  /** Records a name built elsewhere against another kind's rules too (a custom subdomain is the account name). */
  check(kind: ResourceKind, name: string, path: ConfigPath, owner: NameOwner = 'platform'): string {
    this.planned.push({ kind, name, path, problems: checkName(kind, name), owner });
    return name;
  }

  /** Every name planned so far. */
  get entries(): readonly PlannedName[] {
    return this.planned;
  }
}

/** The naming inputs of an environment. */
export function namingInputs(env: Environment): NameInputs {
  return {
    prefix: env.naming.prefix,
    workload: env.workload,
    environment: env.naming.environmentCode ?? DEFAULT_ENVIRONMENT_CODES[env.name] ?? env.name,
    region: env.regions.primary,
  };
}

/** Every region of the environment, primary first. */
export function environmentRegions(env: Environment): AzureRegion[] {
  return [env.regions.primary, ...env.regions.additional];
}

const planned = new WeakMap<Environment, ReturnType<typeof planNames>>();

/**
 * The names of everything the platform stack creates for an environment. Planned once per parsed environment: the
 * schema's name rules, the platform stack and every tenant shard read the same plan.
 */
export function environmentNames(env: Environment): ReturnType<typeof planNames> {
  let names = planned.get(env);
  if (!names) {
    names = planNames(env);
    planned.set(env, names);
  }
  return names;
}

function planNames(env: Environment) {
  const inputs = namingInputs(env);
  const book = new NameBook(inputs);
  const resourceGroups = Object.fromEntries(
    environmentRegions(env).map((region) => [region, book.name('resourceGroup', ['regions'], { region })]),
  ) as Record<AzureRegion, string>;
  const monitoring = {
    workspace: book.name('logAnalyticsWorkspace', ['regions', 'primary']),
    applicationInsights: book.name('applicationInsights', ['regions', 'primary']),
    privateLinkScope: book.name('monitorPrivateLinkScope', ['regions', 'primary']),
    privateLinkScopeEndpoint: book.name('privateEndpoint', ['regions', 'primary'], { qualifier: 'ampls' }),
    ...monitoringNames(book, env, inputs.environment),
  };

  const aiAccounts = Object.fromEntries(
    Object.entries(env.endpoints.accounts).map(([key, account]) => {
      const region = key as AzureRegion;
      const path = ['endpoints', 'accounts', region];
      const kind = account!.kind === 'OpenAI' ? 'openAiAccount' : 'aiServicesAccount';
      const name = book.check(
        'customSubdomain',
        account!.name === undefined
          ? book.name(kind, path, { region })
          : book.check(kind, account!.name, [...path, 'name']),
        account!.name === undefined ? path : [...path, 'name'],
      );
      const privateEndpoint = book.name('privateEndpoint', path, {
        region,
        qualifier: kind === 'openAiAccount' ? 'oai' : 'ais',
      });
      return [region, { name, privateEndpoint }];
    }),
  ) as Partial<Record<AzureRegion, { name: string; privateEndpoint: string }>>;

  const contentSafetyRegion = env.endpoints.contentSafety.region ?? env.regions.primary;
  const contentSafetyName = book.name('contentSafetyAccount', ['endpoints', 'contentSafety'], {
    region: contentSafetyRegion,
  });
  const contentSafety = {
    name: book.check('customSubdomain', contentSafetyName, ['endpoints', 'contentSafety']),
    privateEndpoint: book.name('privateEndpoint', ['endpoints', 'contentSafety'], {
      region: contentSafetyRegion,
      qualifier: 'cs',
    }),
  };

  const languageRegion = env.endpoints.language.region ?? env.regions.primary;
  const language = {
    name: book.check(
      'customSubdomain',
      book.name('languageAccount', ['endpoints', 'language'], { region: languageRegion }),
      ['endpoints', 'language'],
    ),
    privateEndpoint: book.name('privateEndpoint', ['endpoints', 'language'], {
      region: languageRegion,
      qualifier: 'lang',
    }),
  };

  const foundryAt = foundryRegion(env);
  const foundry = env.foundry.enabled
    ? {
        account: book.check(
          'customSubdomain',
          book.name('foundryAccount', ['foundry'], { region: foundryAt }),
          ['foundry'],
        ),
        privateEndpoint: book.name('privateEndpoint', ['foundry'], { region: foundryAt, qualifier: 'aif' }),
        platformProject: book.name('foundryProject', ['foundry'], {
          region: foundryAt,
          qualifier: 'platform',
        }),
      }
    : undefined;

  // Globally unique, compact names: what makes them too long is the naming inputs, so the problem points there.
  const keyVault = {
    vault: book.name('keyVault', ['naming']),
    privateEndpoint: book.name('privateEndpoint', ['regions', 'primary'], { qualifier: 'kv' }),
  };
  const promptLibrary = {
    account: book.name('storageAccount', ['naming'], { qualifier: 'pl' }),
    privateEndpoint: book.name('privateEndpoint', ['regions', 'primary'], { qualifier: 'pl-blob' }),
  };
  const gatewayPath = ['gateway'];
  const gateway = {
    service: book.name('apiManagement', gatewayPath),
    privateEndpoint: book.name('privateEndpoint', gatewayPath, { qualifier: 'apim' }),
    publicIp: book.name('publicIp', gatewayPath, { qualifier: 'apim' }),
  };
  const gatewayIdentity = book.name('userAssignedIdentity', ['regions', 'primary'], { qualifier: 'apim' });
  // The semantic cache's Azure Managed Redis, when the blueprint builds it (in the gateway's region).
  const cachePath = ['gateway', 'semanticCache'];
  const semanticCache =
    env.gateway.semanticCache.enabled && env.gateway.semanticCache.cache.mode === 'create'
      ? {
          cache: book.name('managedRedis', cachePath),
          privateEndpoint: book.name('privateEndpoint', cachePath, { qualifier: 'amr' }),
        }
      : undefined;
  const gatewayRegions = regionalGatewayNames(env, book, contentSafety, gateway.publicIp);
  return {
    book,
    resourceGroups,
    monitoring,
    network: networkNames(env, book),
    keyVault,
    promptLibrary,
    gatewayIdentity,
    aiAccounts,
    contentSafety,
    language,
    foundry,
    gateway,
    gatewayRegions,
    finops: finopsNames(book, gateway.service, monitoring.workspace),
    semanticCache,
    tenants: tenantNames(env, book),
  };
}

/** Names of what each gateway region has of its own: Content Safety, the WAF, and the management public IP. */
export interface GatewayRegionNames {
  readonly contentSafety: { readonly name: string; readonly privateEndpoint: string };
  readonly managementPublicIp: string;
  readonly ingress?: {
    readonly applicationGateway: string;
    readonly wafPolicy: string;
    readonly publicIp: string;
    readonly identity: string;
  };
}

function regionalGatewayNames(
  env: Environment,
  book: NameBook,
  primaryContentSafety: GatewayRegionNames['contentSafety'],
  primaryPublicIp: string,
): Partial<Record<AzureRegion, GatewayRegionNames>> {
  const regions = [env.regions.primary, ...(Object.keys(env.gateway.regions.additional) as AzureRegion[])];
  return Object.fromEntries(
    regions.map((region) => {
      const primary = region === env.regions.primary;
      const path = primary ? ['gateway'] : ['gateway', 'regions', 'additional', region];
      const contentSafety = primary
        ? primaryContentSafety
        : {
            name: book.check('customSubdomain', book.name('contentSafetyAccount', path, { region }), path),
            privateEndpoint: book.name('privateEndpoint', path, { region, qualifier: 'cs' }),
          };
      const ingressPath = ['gateway', 'ingress'];
      const names: GatewayRegionNames = {
        contentSafety,
        managementPublicIp: primary
          ? primaryPublicIp
          : book.name('publicIp', path, { region, qualifier: 'apim' }),
        ...(env.gateway.ingress.mode === 'none'
          ? {}
          : {
              ingress: {
                applicationGateway: book.name('applicationGateway', ingressPath, { region }),
                wafPolicy: book.name('wafPolicy', ingressPath, { region, qualifier: 'agw' }),
                publicIp: book.name('publicIp', ingressPath, { region, qualifier: 'agw' }),
                identity: book.name('userAssignedIdentity', ingressPath, { region, qualifier: 'agw' }),
              },
            }),
      };
      return [region, names];
    }),
  );
}

/** Names of one tenant's resources in this environment. */
export interface TenantNames {
  readonly identity: string;
  readonly product: string;
  readonly container: string;
  readonly secret: string;
  /** The tenant's Foundry project, when it has one in this environment. */
  readonly foundryProject?: string;
  /** Dedicated tier only. */
  readonly dedicated?: {
    readonly resourceGroup: string;
    readonly keyVault: string;
    readonly keyVaultPrivateEndpoint: string;
    readonly budget: string;
    readonly accounts: Readonly<
      Partial<Record<AzureRegion, { readonly name: string; readonly privateEndpoint: string }>>
    >;
  };
}

function tenantNames(env: Environment, book: NameBook): Record<string, TenantNames> {
  const withProject = new Set(foundryTenants(env));
  return Object.fromEntries(
    tenantsIn(env).map(({ slug, tenant, allocation }) => {
      const path = ['tenants', slug];
      // The product id is the `Tenant` dimension of the token metrics: the slug itself, in a namespace (products) that
      // only tenants use (the slug schema refuses API Management's sample products). Containers and secrets carry a
      // fixed prefix in namespaces that only tenants use too.
      const names: TenantNames = {
        identity: book.tenantName('userAssignedIdentity', slug),
        product: book.check('apimEntity', slug, path, 'tenant'),
        container: book.check('storageContainer', `tenant-${slug}`, path, 'tenant'),
        secret: book.check('keyVaultSecret', `apim-key-${slug}`, path, 'tenant'),
        ...(withProject.has(slug)
          ? { foundryProject: book.tenantName('foundryProject', slug, { region: foundryRegion(env) }) }
          : {}),
        ...(tenant.tier === 'dedicated'
          ? {
              dedicated: {
                resourceGroup: book.tenantName('resourceGroup', slug),
                keyVault: book.tenantName('keyVault', slug),
                keyVaultPrivateEndpoint: book.tenantName('privateEndpoint', slug, { purpose: 'kv' }),
                budget: book.tenantName('budget', slug),
                accounts: Object.fromEntries(
                  (Object.keys(allocation.dedicated?.accounts ?? {}) as AzureRegion[]).map((region) => {
                    const name = book.tenantName('aiServicesAccount', slug, { region });
                    return [
                      region,
                      {
                        name: book.check('customSubdomain', name, path, 'tenant'),
                        privateEndpoint: book.tenantName('privateEndpoint', slug, { region, purpose: 'ais' }),
                      },
                    ];
                  }),
                ),
              },
            }
          : {}),
      };
      return [slug, names];
    }),
  );
}

/** Names of one region's VNet, its subnets and NSGs, and its DNS zone link. */
export interface RegionNetworkNames {
  readonly virtualNetwork: string;
  readonly privateDnsZoneLink: string;
  readonly subnets: Readonly<
    Record<SubnetKey, { readonly subnet: string; readonly networkSecurityGroup: string }>
  >;
  /** The Application Gateway subnet, when the VNet declares one. */
  readonly ingress?: { readonly subnet: string; readonly networkSecurityGroup: string };
}

/** The network names, planned only when the stack creates the network. */
function networkNames(env: Environment, book: NameBook): Partial<Record<AzureRegion, RegionNetworkNames>> {
  const network = env.network;
  if (network.mode !== 'create') return {};
  return Object.fromEntries(
    environmentRegions(env).map((region) => {
      const subnets = Object.fromEntries(
        SUBNET_KEYS.map((key) => {
          const options = { region, qualifier: SUBNETS[key].qualifier };
          return [
            key,
            {
              subnet: book.name('subnet', ['regions'], options),
              networkSecurityGroup: book.name('networkSecurityGroup', ['regions'], options),
            },
          ];
        }),
      ) as RegionNetworkNames['subnets'];
      const ingressOptions = { region, qualifier: INGRESS_SUBNET.qualifier };
      const names: RegionNetworkNames = {
        virtualNetwork: book.name('virtualNetwork', ['regions'], { region }),
        privateDnsZoneLink: book.name('privateDnsZoneLink', ['regions'], { region }),
        subnets,
        ...(network.vnets[region]?.subnets.ingress
          ? {
              ingress: {
                subnet: book.name(
                  'subnet',
                  ['network', 'vnets', region, 'subnets', 'ingress'],
                  ingressOptions,
                ),
                networkSecurityGroup: book.name(
                  'networkSecurityGroup',
                  ['network', 'vnets', region, 'subnets', 'ingress'],
                  ingressOptions,
                ),
              },
            }
          : {}),
      };
      return [region, names];
    }),
  );
}

export type EnvironmentNames = ReturnType<typeof planNames>;

/**
 * Kinds that share one namespace: a Cognitive Services account name is also its custom subdomain, whatever its kind.
 * Short names of action groups are labels in a notification, not names: they need not be unique.
 */
export function nameNamespace(kind: ResourceKind): string | undefined {
  if (kind === 'actionGroupShortName') return undefined;
  if (
    [
      'customSubdomain',
      'openAiAccount',
      'aiServicesAccount',
      'contentSafetyAccount',
      'languageAccount',
      'foundryAccount',
    ].includes(kind)
  )
    return 'cognitive account';
  return kind;
}

/** Who holds a name, for messages. */
export function describeHolder(entry: PlannedName): string {
  return `the ${entry.owner === 'tenant' ? 'tenant name' : 'name'} planned at ${formatPath(entry.path)}`;
}

/** A planned name that another entry of the same namespace already holds (Azure names are case-insensitive). */
export interface NameClash {
  readonly entry: PlannedName;
  readonly holder: PlannedName;
}

/** Every name planned twice in one namespace; the first entry holds it, each later one clashes. */
export function nameClashes(entries: readonly PlannedName[]): NameClash[] {
  const holders = new Map<string, PlannedName>();
  const clashes: NameClash[] = [];
  for (const entry of entries) {
    const namespace = nameNamespace(entry.kind);
    // A custom subdomain is its account's name checked against DNS rules: the account's entry stands for it.
    if (namespace === undefined || entry.kind === 'customSubdomain') continue;
    const key = `${namespace}:${entry.name.toLowerCase()}`;
    const holder = holders.get(key);
    if (holder) clashes.push({ entry, holder });
    else holders.set(key, entry);
  }
  return clashes;
}

/** The globally unique names of an environment (Key Vault, storage, API Management, account subdomains), one per name. */
export function globalNames(env: Environment): Array<{ namespace: string; entry: PlannedName }> {
  const seen = new Set<string>();
  return environmentNames(env).book.entries.flatMap((entry) => {
    const namespace = nameNamespace(entry.kind);
    if (namespace === undefined || !NAME_RULES[entry.kind].globallyUnique) return [];
    const key = `${namespace}:${entry.name.toLowerCase()}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ namespace, entry }];
  });
}
