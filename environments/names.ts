import { checkName, composeName, type NameInputs, type ResourceKind } from '../constructs/shared/naming';
import type { AzureRegion } from '../constructs/shared/regions';
import { monitoringNames } from './monitoring-names';
import type { ConfigPath } from './rules';
import { DEFAULT_ENVIRONMENT_CODES } from './sections/foundation';
import { SUBNET_KEYS, SUBNETS, type SubnetKey } from './sections/network';
import type { Environment } from './schema';
import { tenantsIn } from './sections/tenants';

/** The config paths that names are built from: the name rule runs once these parsed cleanly. */
export const NAME_INPUT_PATHS: readonly ConfigPath[] = [
  ['name'],
  ['workload'],
  ['naming'],
  ['regions'],
  ['network', 'mode'],
  ['endpoints', 'accounts'],
  ['endpoints', 'contentSafety'],
  ['gateway'],
  ['monitoring', 'actionGroups'],
  // Tenant names (containers, identities, dedicated vaults and accounts) come from the registry's slugs.
  ['tenants'],
];

/** One name the stack will use, the config path that decides it, and every Azure rule it breaks. */
export interface PlannedName {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly path: ConfigPath;
  readonly problems: readonly string[];
}

/**
 * Collects the names of one environment. The schema checks every entry at parse time, and the stack takes its names
 * from the same plan, so a name that cannot fit is a config error, never a failed deploy.
 */
export class NameBook {
  private readonly planned: PlannedName[] = [];

  constructor(private readonly inputs: NameInputs) {}

  /** Names one resource and records it against the config path that decides it. */
  name(
    kind: ResourceKind,
    path: ConfigPath,
    options: { readonly region?: AzureRegion; readonly qualifier?: string; readonly instance?: number } = {},
  ): string {
    const name = composeName({
      ...this.inputs,
      kind,
      region: options.region ?? this.inputs.region,
      ...(options.qualifier === undefined ? {} : { qualifier: options.qualifier }),
      ...(options.instance === undefined ? {} : { instance: options.instance }),
    });
    this.planned.push({ kind, name, path, problems: checkName(kind, name) });
    return name;
  }

  /** Records a name built elsewhere against another kind's rules too (a custom subdomain is the account name). */
  check(kind: ResourceKind, name: string, path: ConfigPath): string {
    this.planned.push({ kind, name, path, problems: checkName(kind, name) });
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

/** The names of everything the platform stack creates for an environment. */
export function environmentNames(env: Environment) {
  const inputs = namingInputs(env);
  const book = new NameBook(inputs);
  const resourceGroups = Object.fromEntries(
    environmentRegions(env).map((region) => [region, book.name('resourceGroup', ['regions'], { region })]),
  ) as Record<AzureRegion, string>;
  const monitoring = {
    workspace: book.name('logAnalyticsWorkspace', ['regions', 'primary']),
    applicationInsights: book.name('applicationInsights', ['regions', 'primary']),
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
    gateway,
    tenants: tenantNames(env, book),
  };
}

/** Names of one tenant's resources in this environment. */
export interface TenantNames {
  readonly identity: string;
  readonly product: string;
  readonly container: string;
  readonly secret: string;
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
  return Object.fromEntries(
    tenantsIn(env).map(({ slug, tenant, allocation }) => {
      const path = ['tenants', slug];
      const names: TenantNames = {
        identity: book.name('userAssignedIdentity', path, { qualifier: slug }),
        product: book.check('apimEntity', slug, path),
        container: book.check('storageContainer', `tenant-${slug}`, path),
        secret: book.check('keyVaultSecret', `apim-key-${slug}`, path),
        ...(tenant.tier === 'dedicated'
          ? {
              dedicated: {
                resourceGroup: book.name('resourceGroup', path, { qualifier: slug }),
                keyVault: book.name('keyVault', path, { qualifier: slug }),
                keyVaultPrivateEndpoint: book.name('privateEndpoint', path, { qualifier: `${slug}-kv` }),
                budget: book.name('budget', path, { qualifier: slug }),
                accounts: Object.fromEntries(
                  (Object.keys(allocation.dedicated?.accounts ?? {}) as AzureRegion[]).map((region) => {
                    const name = book.name('aiServicesAccount', path, { region, qualifier: slug });
                    return [
                      region,
                      {
                        name: book.check('customSubdomain', name, path),
                        privateEndpoint: book.name('privateEndpoint', path, {
                          region,
                          qualifier: `${slug}-ais`,
                        }),
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
}

/** The network names, planned only when the stack creates the network. */
function networkNames(env: Environment, book: NameBook): Partial<Record<AzureRegion, RegionNetworkNames>> {
  if (env.network.mode !== 'create') return {};
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
      const names: RegionNetworkNames = {
        virtualNetwork: book.name('virtualNetwork', ['regions'], { region }),
        privateDnsZoneLink: book.name('privateDnsZoneLink', ['regions'], { region }),
        subnets,
      };
      return [region, names];
    }),
  );
}

export type EnvironmentNames = ReturnType<typeof environmentNames>;
