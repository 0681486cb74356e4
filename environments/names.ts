import { checkName, composeName, type NameInputs, type ResourceKind } from '../constructs/shared/naming';
import type { AzureRegion } from '../constructs/shared/regions';
import { monitoringNames } from './monitoring-names';
import type { ConfigPath } from './rules';
import { DEFAULT_ENVIRONMENT_CODES } from './sections/foundation';
import type { Environment } from './schema';

/** The config paths that names are built from: the name rule runs once these parsed cleanly. */
export const NAME_INPUT_PATHS: readonly ConfigPath[] = [
  ['name'],
  ['workload'],
  ['naming'],
  ['regions'],
  ['endpoints', 'accounts'],
  ['endpoints', 'contentSafety'],
  ['monitoring', 'actionGroups'],
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

  return { book, resourceGroups, monitoring, aiAccounts, contentSafety };
}

export type EnvironmentNames = ReturnType<typeof environmentNames>;
