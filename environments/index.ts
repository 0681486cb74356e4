/**
 * Loading environments: the shipped examples, or a JSON/YAML file that follows the same schema. Every problem of
 * every source is reported in one run.
 */
import { readConfigFile } from './config-file';
import { dev } from './dev';
import { ConfigError, problemsFromIssues } from './errors';
import { inputHygieneProblems } from './hygiene';
import { prod } from './prod';
import { crossEnvironmentErrors } from './cross-environment';
import { type Environment, type EnvironmentInput, EnvironmentSchema, EnvironmentShapeSchema } from './schema';
import { staging } from './staging';

export { ConfigError } from './errors';
export { MAX_CONFIG_BYTES, readConfigFile } from './config-file';
export type { Environment, EnvironmentInput } from './schema';

/** The shipped example configuration, in promotion order. */
export const EXAMPLE_ENVIRONMENTS: Readonly<Record<string, EnvironmentInput>> = { dev, staging, prod };

/**
 * How an environment is parsed. `jitless`: zod compiles a fast path (`new Function`) for each object schema the first
 * time it parses with it, which costs more than it saves when each environment is parsed once, as in synth: the three
 * examples parsed in 110–180 ms with it and 70–100 ms without, 1,000 tenants in 410–460 and 310–350 ms (fresh
 * processes). The result is the same (test/stacks/performance.test.ts parses both ways).
 */
export const PARSE_OPTIONS = { reportInput: true, jitless: true } as const;

/**
 * Parses one environment; throws a {@link ConfigError} listing every problem. With `rules: false` only shapes and
 * defaults are checked (reports use it to show what a rule would reject).
 */
export function parseEnvironment(
  input: unknown,
  source: string,
  options: { rules?: boolean } = {},
): Environment {
  const hygiene = inputHygieneProblems(input);
  // The rules look values up by config keys: with a key named like an Object member they would read the prototype.
  // Check only the shapes then, so that every other problem still shows in the same run.
  const schema = options.rules === false || hygiene.length > 0 ? EnvironmentShapeSchema : EnvironmentSchema;
  const result = schema.safeParse(input, PARSE_OPTIONS);
  if (result.success && hygiene.length === 0) return result.data;
  const reported = new Set(hygiene.map((problem) => problem.path));
  const shapes = result.success ? [] : problemsFromIssues(result.error.issues, input, schema);
  throw new ConfigError(source, [...hygiene, ...shapes.filter((problem) => !reported.has(problem.path))]);
}

/** What to load: the examples (all or some by name), or config files. */
export interface LoadOptions {
  /** JSON or YAML files, each one environment. @default - the shipped examples */
  readonly configFiles?: readonly string[];
  /** Only these environment names. @default - all that were loaded */
  readonly names?: readonly string[];
  /** Check the cross-field and cross-environment rules. @default true */
  readonly rules?: boolean;
}

/**
 * Loads and parses environments. Collects the errors of every source and throws them together, so one run shows
 * everything that needs fixing.
 */
export function loadEnvironments(options: LoadOptions = {}): Environment[] {
  const sources: Array<{ source: string; read: () => unknown }> =
    options.configFiles && options.configFiles.length > 0
      ? options.configFiles.map((file) => ({ source: file, read: () => readConfigFile(file) }))
      : Object.entries(EXAMPLE_ENVIRONMENTS).map(([name, input]) => ({
          source: `environments/${name}.ts`,
          read: () => input,
        }));

  const environments: Environment[] = [];
  const errors: ConfigError[] = [];
  const sourceOf = new Map<string, string>();
  for (const { source, read } of sources) {
    try {
      const env = parseEnvironment(read(), source, { rules: options.rules ?? true });
      const previous = sourceOf.get(env.name);
      if (previous) {
        errors.push(
          new ConfigError(source, [
            {
              path: 'name',
              message: `environment name already used by ${previous}; expected a unique name (it is the stack id)`,
              received: JSON.stringify(env.name),
            },
          ]),
        );
        continue;
      }
      sourceOf.set(env.name, source);
      environments.push(env);
    } catch (error) {
      if (error instanceof ConfigError) errors.push(error);
      else throw error;
    }
  }

  if (options.rules ?? true) {
    errors.push(
      ...crossEnvironmentErrors(environments.map((env) => ({ env, source: sourceOf.get(env.name)! }))),
    );
  }

  const unknown = (options.names ?? []).filter((name) => !sourceOf.has(name));
  if (unknown.length > 0 && errors.length === 0) {
    errors.push(
      new ConfigError('--env', [
        {
          path: '(arguments)',
          message: `unknown environment; expected one of: ${[...sourceOf.keys()].join(', ')}`,
          received: unknown.map((name) => JSON.stringify(name)).join(', '),
        },
      ]),
    );
  }
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) {
    throw new ConfigError(
      `${errors.length} configurations`,
      errors.flatMap((error) =>
        error.problems.map((problem) => ({ ...problem, path: `${error.source}: ${problem.path}` })),
      ),
    );
  }
  const wanted = options.names && options.names.length > 0 ? new Set(options.names) : undefined;
  return wanted ? environments.filter((env) => wanted.has(env.name)) : environments;
}
