/**
 * `npm run export -- --env prod [--format yaml|json] [--out prod.yaml]`: a shipped environment as a config file for
 * `npm run synth -- --config <file>`. The file holds the environment's input as written in environments/<env>.ts
 * (tenants included), so synth from it gives the same plan.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { exportText, type ExportFormat, schemaReference, shippedInput } from './lib/export';
import { type CommandIo, HELP_OPTION, parseCommand, ScriptError, UsageError } from './lib/cli';

const COMMAND = {
  usage: 'usage: export --env <name> [--format json|yaml] [--out <file>]',
  description: [
    'Writes a shipped environment (environments/index.ts) as a JSON or YAML config file for',
    '`npm run synth -- --config <file>`: its input as written, tenants included, so that synth from the file gives',
    'the same plan. The file names environments/schema.json for editor completion.',
  ].join('\n'),
  options: {
    env: { type: 'string', value: '<name>', help: 'the shipped environment to export (required)' },
    format: {
      type: 'string',
      value: '<json|yaml>',
      help: 'the file format (default: from the --out extension, else json)',
    },
    out: {
      type: 'string',
      value: '<file>',
      help: 'write to this file, which must not exist yet (default: standard output)',
    },
    help: HELP_OPTION,
  },
  notes: 'Example: npm run -s export -- --env prod --format yaml --out prod.yaml',
} as const;

function formatOf(format: string | undefined, out: string | undefined): ExportFormat {
  const chosen = format ?? (out && /\.ya?ml$/i.test(out) ? 'yaml' : 'json');
  if (chosen !== 'json' && chosen !== 'yaml') {
    throw new UsageError(`--format must be json or yaml, got "${chosen}".\n${COMMAND.usage}`);
  }
  return chosen;
}

export function main(argv: readonly string[], io: CommandIo): number {
  const args = parseCommand(argv, COMMAND, io);
  if (!args) return 0;
  if (!args.env) throw new UsageError(`--env is required.\n${COMMAND.usage}`);
  const format = formatOf(args.format, args.out);
  const text = exportText(shippedInput(args.env), format, schemaReference(args.out));
  if (args.out === undefined) {
    io.stdout.write(text);
    return 0;
  }
  let fd: number;
  try {
    // 'wx': never replaces a file; created with the umask like every other output.
    fd = openSync(args.out, 'wx');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ScriptError(
      code === 'EEXIST'
        ? `export refuses --out ${args.out}: the file exists; export never replaces a file (choose another name or remove it).`
        : `export cannot write ${args.out}: ${(error as Error).message}.`,
    );
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  io.stderr.write(`export: wrote ${args.env} to ${args.out} (${format})\n`);
  return 0;
}
