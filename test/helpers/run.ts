/**
 * Running the commands in tests. Every command exports `main(argv, io)` (scripts/lib/cli.ts): a test calls it
 * in-process with {@link runCommand}, which captures what it prints and returns its exit code as the built command
 * would, without the ~1–2 s a new node process costs to load. The test gives the command its environment variables
 * (a fake terraform or az on PATH, credentials) as the process's would be, and process.env stays as it is. Only the
 * few tests whose subject is the process itself (the built entry, exit codes of a killed run, the umask, a closed
 * pipe) spawn one, with {@link spawnAsync}.
 */
import { spawn } from 'node:child_process';
import {
  type AsyncCommandMain,
  type CommandEnv,
  type CommandIo,
  type CommandMain,
  execute,
} from '../../scripts/lib/cli';

/** What a command printed and its exit code. */
export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandOptions {
  /** stderr is a terminal, as when a person runs the command (progress is then on by default). */
  readonly terminal?: boolean;
  /** The command's environment variables, in place of the process's (as `env` of a spawned process). */
  readonly env?: CommandEnv;
}

/** Buffers in place of the process's streams. */
function capture(options: CommandOptions) {
  const text = { stdout: '', stderr: '' };
  const io: CommandIo = {
    stdout: { write: (chunk: string) => (text.stdout += chunk) },
    stderr: { write: (chunk: string) => (text.stderr += chunk), isTTY: options.terminal === true },
    env: options.env ?? process.env,
  };
  return { io, text };
}

/** Runs a command's `main` in-process with `args` (what follows `node dist/scripts/<name>.js`). */
export function runCommand(
  main: CommandMain,
  args: readonly string[] = [],
  options: CommandOptions = {},
): CommandResult {
  const { io, text } = capture(options);
  const status = execute(main, args, io);
  return { status, ...text };
}

/** {@link runCommand} for a command that waits on the network (verify). */
export async function runCommandAsync(
  main: AsyncCommandMain,
  args: readonly string[] = [],
  options: CommandOptions = {},
): Promise<CommandResult> {
  const { io, text } = capture(options);
  const status = await execute(main, args, io);
  return { status, ...text };
}

/**
 * Runs a process without blocking the test worker, so that a file's processes can run side by side
 * (`it.concurrent`); resolves with what it printed and its exit code.
 */
export function spawnAsync(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
