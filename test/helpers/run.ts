import { spawn, spawnSync } from 'node:child_process';

/** Runs a built script (dist/scripts/<name>.js) as a user would, and returns what it printed and its exit code. */
export function runScript(name: string, args: readonly string[] = [], cwd?: string) {
  const result = spawnSync(process.execPath, [`${process.cwd()}/dist/scripts/${name}.js`, ...args], {
    encoding: 'utf8',
    ...(cwd ? { cwd } : {}),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs a command without blocking the test worker, so that a file's commands can run side by side
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
