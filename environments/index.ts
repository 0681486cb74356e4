/**
 * Loading environments: the shipped examples, or a JSON/YAML file that follows the same schema. Every problem of
 * every source is reported in one run.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import type * as Yaml from 'yaml';
import { dev } from './dev';
import { ConfigError, problemsFromIssues } from './errors';
import { prod } from './prod';
import { crossEnvironmentErrors } from './cross-environment';
import { type Environment, type EnvironmentInput, EnvironmentSchema, EnvironmentShapeSchema } from './schema';
import { staging } from './staging';

export { ConfigError } from './errors';
export type { Environment, EnvironmentInput } from './schema';

/** The shipped example configuration, in promotion order. */
export const EXAMPLE_ENVIRONMENTS: Readonly<Record<string, EnvironmentInput>> = { dev, staging, prod };

/**
 * Parses one environment; throws a {@link ConfigError} listing every problem. With `rules: false` only shapes and
 * defaults are checked (reports use it to show what a rule would reject).
 */
export function parseEnvironment(
  input: unknown,
  source: string,
  options: { rules?: boolean } = {},
): Environment {
  const schema = options.rules === false ? EnvironmentShapeSchema : EnvironmentSchema;
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(source, problemsFromIssues(result.error.issues, input, schema));
}

/**
 * Reads a JSON or YAML config file. Syntax errors and duplicate keys (which JSON.parse would silently resolve to the
 * last one) are config errors with their line and column.
 */
export function readConfigFile(file: string): unknown {
  const extension = extname(file).toLowerCase();
  if (!['.json', '.yaml', '.yml'].includes(extension)) {
    throw new ConfigError(file, [
      {
        path: '(file)',
        message: 'expected a .json, .yaml or .yml file',
        received: JSON.stringify(extension || file),
      },
    ]);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError(file, [
      { path: '(file)', message: `cannot read the file: ${reason}`, received: '' },
    ]);
  }
  // Well-formed JSON without a repeated key (what a pipeline generates) needs no YAML document; everything else goes
  // through the YAML parser, which says where the problem is. At 1,000 tenants this is a twentieth of synth.
  if (extension === '.json') {
    const parsed = parseUniqueJson(text);
    if (parsed.ok) return parsed.value;
  }
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter });
  if (document.errors.length > 0) {
    // Every duplicate key is its own problem; after the first syntax error the rest are usually its echoes.
    const duplicates = document.errors.filter((error) => error.code === 'DUPLICATE_KEY');
    const syntax = document.errors.find((error) => error.code !== 'DUPLICATE_KEY');
    throw new ConfigError(
      file,
      [...(syntax ? [syntax] : []), ...duplicates].map((error) => {
        const at = lineCounter.linePos(error.pos[0]);
        const message =
          error.code === 'DUPLICATE_KEY' ? 'duplicate key: each key may appear once' : error.message;
        return {
          path: `line ${at.line}, column ${at.col}`,
          message: `${extension === '.json' ? 'invalid JSON' : 'invalid YAML'}: ${message}`,
          received: '',
        };
      }),
    );
  }
  return document.toJS();
}

/** The YAML parser, loaded for the first YAML file (or JSON with a problem): synth of the examples never needs it. */
function yaml(): typeof Yaml {
  return createRequire(__filename)('yaml') as typeof Yaml;
}

/** `JSON.parse`, unless the text is not JSON or an object repeats a key (JSON.parse would keep the last one). */
function parseUniqueJson(text: string): { ok: true; value: unknown } | { ok: false } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false };
  }
  // The text is valid JSON: inside an object, a string followed by a colon is a key.
  const objects: (Set<string> | undefined)[] = [];
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (char === '{') objects.push(new Set());
    else if (char === '[') objects.push(undefined);
    else if (char === '}' || char === ']') objects.pop();
    else if (char === '"') {
      const start = at;
      for (at++; text[at] !== '"'; at++) if (text[at] === '\\') at++;
      let next = at + 1;
      while (' \t\n\r'.includes(text[next] ?? '.')) next++;
      const keys = objects[objects.length - 1];
      if (keys && text[next] === ':') {
        const key = JSON.parse(text.slice(start, at + 1)) as string;
        if (keys.has(key)) return { ok: false };
        keys.add(key);
      }
    }
  }
  return { ok: true, value };
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
