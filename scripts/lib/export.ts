/**
 * A shipped environment (environments/index.ts) as a config file for `--config`: its input as written, JSON or YAML,
 * pointing editors at environments/schema.json.
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import { EXAMPLE_ENVIRONMENTS, type EnvironmentInput } from '../../environments';
import { ScriptError } from './cli';

export type ExportFormat = 'json' | 'yaml';

/** The input of a shipped environment, as its module writes it (a deep copy). */
export function shippedInput(name: string): EnvironmentInput {
  const input = Object.hasOwn(EXAMPLE_ENVIRONMENTS, name) ? EXAMPLE_ENVIRONMENTS[name] : undefined;
  if (!input) {
    throw new ScriptError(
      `unknown environment "${name}"; expected one of: ${Object.keys(EXAMPLE_ENVIRONMENTS).join(', ')}.`,
    );
  }
  return structuredClone(input);
}

/** How a file at `file` (or on stdout: from the working directory) names environments/schema.json. */
export function schemaReference(file: string | undefined, root = process.cwd()): string {
  const schema = resolve(root, 'environments', 'schema.json');
  const from = file === undefined ? root : dirname(resolve(file));
  const path = relative(from, schema).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/** The config file's text: the input with `$schema` first (JSON), or a yaml-language-server line (YAML). */
export function exportText(input: EnvironmentInput, format: ExportFormat, schema: string): string {
  const { $schema: _ignored, ...rest } = input;
  if (format === 'json') return `${JSON.stringify({ $schema: schema, ...rest }, null, 2)}\n`;
  return `# yaml-language-server: $schema=${schema}\n${stringify(rest, { lineWidth: 0 })}`;
}
