import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PlanReadError } from '../../constructs/shared/plan';
import { ConfigError, type Environment, loadEnvironments } from '../../environments';

/** Wrong command-line usage: one sentence and the usage line, exit code 2. */
export class UsageError extends Error {}

/** A precondition a script cannot meet (no cdktf.out, a corrupt file): one sentence, exit code 1. */
export class ScriptError extends Error {}

/** The options every config-reading script takes: `--env <name>` and `--config <file>`, both repeatable. */
export const ENVIRONMENT_OPTIONS = {
  env: { type: 'string', multiple: true },
  config: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export function parseOptions<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: O,
  usage: string,
) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
}

/** Loads the environments a script was asked for. */
export function environmentsFrom(
  values: { env?: string[] | undefined; config?: string[] | undefined },
  rules = true,
): Environment[] {
  return loadEnvironments({ configFiles: values.config ?? [], names: values.env ?? [], rules });
}

/** Runs a script body and turns known failures into one clear message and exit code 1 (2 for usage). */
export function runScript(body: () => number | void): void {
  try {
    process.exitCode = body() ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
    } else if (
      error instanceof ConfigError ||
      error instanceof ScriptError ||
      error instanceof PlanReadError
    ) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    } else {
      const detail = process.env['LZ_DEBUG']
        ? ((error as Error).stack ?? String(error))
        : (error as Error).message;
      process.stderr.write(`failed: ${detail}\n`);
      process.exitCode = 1;
    }
  }
}

/** Renders rows as a Markdown table (readable in a terminal, a PR comment and the README). */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  align: readonly ('l' | 'r')[] = [],
): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}
