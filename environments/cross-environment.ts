import { ConfigError, type ConfigProblem, formatPath } from './errors';
import { globalNames, type PlannedName } from './names';
import { atLeastAsStrict } from './sections/endpoints';
import { stateKey } from './sections/foundation';
import type { Environment } from './schema';
import { shardStackId } from './stack-ids';

/** A parsed environment and where it came from. */
export interface LoadedEnvironment {
  readonly env: Environment;
  readonly source: string;
}

/**
 * Rules that compare environments with each other; they run whenever the environments are loaded together (the
 * normal `npm run synth`), and the promotion guard runs them on staging against prod.
 *
 * - prod defines every content filter that staging defines, each at least as strict.
 * - every stack keeps its own state: no two stacks (platform or tenant shard, of any environment) share a state blob
 *   or an HCP Terraform workspace.
 * - every environment keeps its state in a container of its own: roles are granted on the container, so two
 *   environments in one container would let each one's identities write the other's state.
 * - no two environments plan the same globally unique name (Key Vault, storage, API Management, account subdomains):
 *   Azure would give the second environment's apply a conflict, or worse, one environment's resource.
 */
export function crossEnvironmentErrors(loaded: readonly LoadedEnvironment[]): ConfigError[] {
  const errors: ConfigError[] = [];
  const staging = loaded.filter((l) => l.env.stage === 'staging');
  for (const prod of loaded.filter((l) => l.env.stage === 'prod')) {
    const problems: ConfigProblem[] = [];
    for (const reference of staging) {
      for (const [key, filter] of Object.entries(reference.env.endpoints.contentFilters)) {
        const prodFilter = prod.env.endpoints.contentFilters[key];
        if (!prodFilter) {
          problems.push({
            path: `endpoints.contentFilters.${key}`,
            message: `prod must define every content filter that staging (${reference.source}) defines; expected a filter "${key}" at least as strict`,
            received: 'nothing',
            rule: 'prod-filters-at-least-as-strict-as-staging',
          });
          continue;
        }
        for (const weaker of atLeastAsStrict(prodFilter, filter)) {
          problems.push({
            path: `endpoints.contentFilters.${key}`,
            message: `prod must be at least as strict as staging (${reference.source}): ${weaker}`,
            received: 'a weaker filter',
            rule: 'prod-filters-at-least-as-strict-as-staging',
          });
        }
      }
    }
    if (problems.length > 0) errors.push(new ConfigError(prod.source, problems));
  }
  errors.push(...sharedStateErrors(loaded));
  errors.push(...sharedContainerErrors(loaded));
  errors.push(...globalNameErrors(loaded));
  return errors;
}

function globalNameErrors(loaded: readonly LoadedEnvironment[]): ConfigError[] {
  const holders = new Map<string, { entry: PlannedName; source: string }>();
  const errors: ConfigError[] = [];
  for (const { env, source } of loaded) {
    const problems: ConfigProblem[] = [];
    for (const { namespace, entry } of globalNames(env)) {
      const key = `${namespace}:${entry.name.toLowerCase()}`;
      const holder = holders.get(key);
      if (!holder) {
        holders.set(key, { entry, source });
        continue;
      }
      problems.push({
        path: formatPath(entry.path),
        message: `${entry.kind} name "${entry.name}" is globally unique and already planned by ${holder.source} at ${formatPath(holder.entry.path)}; expected another naming.prefix or naming.environmentCode in one of them`,
        received: JSON.stringify(entry.name),
        rule: 'globally-unique-names-across-environments',
      });
    }
    if (problems.length > 0) errors.push(new ConfigError(source, problems));
  }
  return errors;
}

/** Where each stack of an environment keeps its state; local state is per stack id, so never shared. */
export function stateLocations(env: Environment): Array<{ stack: string; location: string }> {
  const shards = env.tenantShards?.count ?? 0;
  const stacks = [
    { stack: env.name, shard: undefined as number | undefined },
    ...Array.from({ length: shards }, (_, i) => ({ stack: shardStackId(env.name, i + 1), shard: i + 1 })),
  ];
  const backend = env.backend;
  if (backend.type === 'local') return [];
  return stacks.map(({ stack, shard }) => ({
    stack,
    location:
      backend.type === 'azurerm'
        ? `azurerm ${backend.storageAccountName}/${backend.containerName}/${stateKey(env, shard)}`
        : `workspace ${backend.hostname ?? 'app.terraform.io'}/${backend.organization}/${backend.workspacePrefix}${stack}`,
  }));
}

function sharedStateErrors(loaded: readonly LoadedEnvironment[]): ConfigError[] {
  const owner = new Map<string, { stack: string; source: string }>();
  const errors: ConfigError[] = [];
  for (const { env, source } of loaded) {
    const problems: ConfigProblem[] = [];
    for (const { stack, location } of stateLocations(env)) {
      const other = owner.get(location);
      if (other) {
        problems.push({
          path: 'backend',
          message: `stack ${stack} would share its state (${location}) with stack ${other.stack} (${other.source}); expected one state per stack: another key, container or workspace prefix`,
          received: JSON.stringify(location),
          rule: 'one-state-per-stack',
        });
      } else owner.set(location, { stack, source });
    }
    if (problems.length > 0) errors.push(new ConfigError(source, problems));
  }
  return errors;
}

/**
 * Two environments in one azurerm state container: the deploy identity of each could write the other's state (the
 * README's state set-up grants roles on the container). Reported on the later environment, naming both files.
 */
function sharedContainerErrors(loaded: readonly LoadedEnvironment[]): ConfigError[] {
  const owner = new Map<string, { env: string; source: string }>();
  const errors: ConfigError[] = [];
  for (const { env, source } of loaded) {
    const backend = env.backend;
    if (backend.type !== 'azurerm') continue;
    const container = `${backend.storageAccountName}/${backend.containerName}`;
    const other = owner.get(container);
    if (!other) {
      owner.set(container, { env: env.name, source });
      continue;
    }
    errors.push(
      new ConfigError(source, [
        {
          path: 'backend.containerName',
          message: `environment ${env.name} would keep its state in the container ${container}, which ${other.source} (backend.containerName, environment ${other.env}) already uses; expected a container of its own (roles are granted per container), such as "tfstate-${env.name}"`,
          received: JSON.stringify(backend.containerName),
          rule: 'one-state-container-per-environment',
        },
      ]),
    );
  }
  return errors;
}
