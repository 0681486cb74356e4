import { ConfigError, type ConfigProblem } from './errors';
import { atLeastAsStrict } from './sections/endpoints';
import type { Environment } from './schema';

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
  return errors;
}
