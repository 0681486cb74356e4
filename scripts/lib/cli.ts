import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PlanReadError } from '../../constructs/shared/plan';
import { ConfigError, type Environment, loadEnvironments } from '../../environments';
import { OutputDirError } from '../../stacks/output-dir';

/** Where a command writes: one text stream, and whether a person watches it on a terminal. */
export interface TextOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Environment variables, as a command reads them (`process.env`, or a test's own). */
export type CommandEnv = Readonly<Record<string, string | undefined>>;

/**
 * What a command takes from the process it runs in: its streams and its environment variables. From a shell they are
 * the process's own ({@link PROCESS_IO}); a test that calls a command's `main` in-process passes buffers and
 * variables of its own (test/helpers/run.ts), reads what the command printed, and leaves `process.env` alone.
 */
export interface CommandIo {
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  /**
   * The variables the command reads (TERRAFORM, AZ, AZURE_*, CDKTF_OUTDIR, LZ_DEBUG …). The external programs it runs
   * (`terraform`, `az`) are looked up on its PATH and get it as their environment.
   */
  readonly env: CommandEnv;
}

export const PROCESS_IO: CommandIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/**
 * A command's entry point, exported as `main` by every file of scripts/ (and stacks/cli.ts for synth): parses `argv`
 * (the arguments after the script), does the work, writes through `io` and returns the exit code. It throws
 * {@link UsageError}, {@link ScriptError} and the config, plan and output-directory errors for {@link execute} to
 * report. Importing the file runs nothing: the built entry (scripts/build.mjs) calls {@link runMain}.
 */
export type CommandMain = (argv: readonly string[], io: CommandIo) => number | void;
/** {@link CommandMain} for a command that waits on the network (`npm run verify`). */
export type AsyncCommandMain = (argv: readonly string[], io: CommandIo) => Promise<number | void>;

/** Wrong command-line usage: one sentence and the usage line, exit code 2. */
export class UsageError extends Error {}

/** A precondition a script cannot meet (no cdktf.out, a corrupt file): one sentence, exit code 1. */
export class ScriptError extends Error {}

/** One option of a command: what parseArgs needs, and what `--help` says about it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  readonly default?: string;
  /** The value's placeholder in the help, e.g. `<name>`. */
  readonly value?: string;
  /** One line: what the option does and its default. */
  readonly help: string;
}

/** A command: its usage line(s), a short description, its options and closing notes (examples, variables). */
export interface CommandSpec<O extends Record<string, OptionSpec>> {
  readonly usage: string;
  readonly description: string;
  readonly options: O;
  readonly notes?: string;
}

/** `-h, --help`, which every command takes. */
export const HELP_OPTION = { type: 'boolean', short: 'h', help: 'print this help and exit' } as const;

/** `--outdir <dir>`: the synthesized output a plan-reading script reads. */
export const OUTDIR_OPTION = {
  type: 'string',
  value: '<dir>',
  help: 'the synthesized output to read (default: cdktf.out)',
} as const;

/** `--env <stack>` (repeatable) and `--outdir`: the options of a script that reads stacks of the output. */
export const STACK_OPTIONS = {
  env: {
    type: 'string',
    multiple: true,
    value: '<stack>',
    help: 'only this stack of the output (repeatable; default: every stack)',
  },
  outdir: OUTDIR_OPTION,
} as const;

/** The options every config-reading script takes: `--env <name>` and `--config <file>`, both repeatable. */
export const ENVIRONMENT_OPTIONS = {
  env: {
    type: 'string',
    multiple: true,
    value: '<name>',
    help: 'a shipped environment by name (environments/index.ts; repeatable; default: all of them)',
  },
  config: {
    type: 'string',
    multiple: true,
    value: '<file>',
    help: 'an environment from a JSON or YAML file that follows environments/schema.json (repeatable)',
  },
  help: HELP_OPTION,
} as const satisfies Record<string, OptionSpec>;

/** The `--help` text: usage, description, one line per option, notes. */
export function helpText(command: CommandSpec<Record<string, OptionSpec>>): string {
  const flags = Object.entries(command.options).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : ''}--${name}${option.type === 'string' ? ` ${option.value ?? '<value>'}` : ''}`;
    return [flag, option.help] as const;
  });
  const width = Math.max(...flags.map(([flag]) => flag.length));
  return [
    command.usage,
    '',
    command.description,
    '',
    ...flags.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`),
    ...(command.notes ? ['', command.notes] : []),
    '',
  ].join('\n');
}

/**
 * Parses the command line; with `--help` prints the help on `io.stdout` and returns undefined (exit 0). Wrong usage
 * throws a {@link UsageError} with the usage line.
 */
export function parseCommand<O extends Record<string, OptionSpec>>(
  argv: readonly string[],
  command: CommandSpec<O>,
  io: CommandIo,
) {
  const values = parseOptions(argv, command.options, `${command.usage}\nRun with --help for the options.`);
  if ((values as { help?: boolean }).help) {
    io.stdout.write(helpText(command));
    return undefined;
  }
  return values;
}

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

/**
 * A reader that closed the pipe (`npm run -s routes | head -1`) ends the command quietly, with the exit code it had:
 * the output was not wanted any more.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}

/**
 * Progress on `stderr`, one line per row or stage, prefixed with the command and the time since it started. On when
 * asked (`--progress`) or when stderr is a terminal and `long` says the run is long; otherwise silent.
 */
export function progressReporter(
  stderr: TextOutput,
  command: string,
  flag: boolean | undefined,
  long = true,
): (line: string) => void {
  const enabled = flag === true || (long && stderr.isTTY === true);
  const started = process.hrtime.bigint();
  return (line) => {
    if (!enabled) return;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    stderr.write(`${command}: ${line} (${seconds.toFixed(1)} s)\n`);
  };
}

/** `--progress`, for the long commands. */
export const PROGRESS_OPTION = {
  type: 'boolean',
  help: 'print progress on stderr, one line per row or stage (the default when stderr is a terminal)',
} as const;

/**
 * Runs a command's `main` and turns known failures into one clear message on `io.stderr` and an exit code: 2 for
 * usage, 1 for the rest (with the stack trace only when LZ_DEBUG is set). Never throws.
 */
export function execute(main: CommandMain, argv: readonly string[], io: CommandIo): number;
export function execute(main: AsyncCommandMain, argv: readonly string[], io: CommandIo): Promise<number>;
export function execute(
  main: CommandMain | AsyncCommandMain,
  argv: readonly string[],
  io: CommandIo,
): number | Promise<number> {
  try {
    const result = main(argv, io);
    if (result instanceof Promise)
      return result.then(
        (code) => code ?? 0,
        (error: unknown) => reportFailure(error, io),
      );
    return result ?? 0;
  } catch (error) {
    return reportFailure(error, io);
  }
}

/** What a built command runs (scripts/build.mjs): `main` with the process's arguments and streams. */
export function runMain(main: CommandMain | AsyncCommandMain): void {
  exitQuietlyOnClosedPipe();
  const code = execute(main as AsyncCommandMain, process.argv.slice(2), PROCESS_IO);
  void Promise.resolve(code).then((status) => {
    process.exitCode = status;
  });
}

function reportFailure(error: unknown, io: CommandIo): number {
  if (error instanceof UsageError) {
    io.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (
    error instanceof ConfigError ||
    error instanceof ScriptError ||
    error instanceof OutputDirError ||
    error instanceof PlanReadError
  ) {
    io.stderr.write(`${error.message}\n`);
    return 1;
  }
  const detail = io.env['LZ_DEBUG'] ? ((error as Error).stack ?? String(error)) : (error as Error).message;
  io.stderr.write(`failed: ${detail}\n`);
  return 1;
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
