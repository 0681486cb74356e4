import { spawnSync } from 'node:child_process';

/** Runs a built script (dist/scripts/<name>.js) as a user would, and returns what it printed and its exit code. */
export function runScript(name: string, args: readonly string[] = [], cwd?: string) {
  const result = spawnSync(process.execPath, [`${process.cwd()}/dist/scripts/${name}.js`, ...args], {
    encoding: 'utf8',
    ...(cwd ? { cwd } : {}),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
