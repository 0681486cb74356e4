/**
 * A child process for the crash tests of stacks/output-dir: replaces an output directory the way synth does and,
 * once the new content is written, kills itself with SIGKILL just before the n-th change to the file system that the
 * swap makes (create, write, rename, remove), so that no clean-up code runs, as when a runner is stopped.
 *
 *   node swap-child.cjs <target> <n> <new files as JSON: path → content> <moves as JSON>
 *
 * Exits 0 when it got through without reaching change n.
 */
import fs from 'node:fs';
import { dirname, join } from 'node:path';
import { claimOutputDir, commitStaging, createStaging } from '../../stacks/output-dir';

const [target, killAt, files, moves] = process.argv.slice(2) as [string, string, string, string];
const output = claimOutputDir(target, { owner: 'synth', flag: '--outdir' });

const staging = createStaging(output);
for (const [path, content] of Object.entries(JSON.parse(files) as Record<string, string>)) {
  fs.mkdirSync(dirname(join(staging, path)), { recursive: true });
  fs.writeFileSync(join(staging, path), content);
}

let changes = 0;
const mutable = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const name of ['mkdirSync', 'writeFileSync', 'renameSync', 'rmSync', 'unlinkSync']) {
  const original = mutable[name]!;
  mutable[name] = (...args: unknown[]) => {
    changes += 1;
    if (changes === Number(killAt)) process.kill(process.pid, 'SIGKILL');
    return original(...args);
  };
}
commitStaging(output, staging, JSON.parse(moves) as string[]);
