// Runs npm scripts of package.json at the same time, each through the shell as npm would (call it from an npm script,
// so that node_modules/.bin is on PATH), prints each one's output once it ends, and exits non-zero when any fails.
// `npm test` runs the type check (one core), the two linters and vitest side by side: on two cores no core idles
// while the others wait.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts;
const names = process.argv.slice(2);
const unknown = names.filter((name) => typeof scripts[name] !== 'string');
if (unknown.length > 0) {
  process.stderr.write(`parallel: no npm script ${unknown.join(', ')}\n`);
  process.exit(2);
}
const statuses = await Promise.all(
  names.map(
    (name) =>
      new Promise((resolve) => {
        const started = Date.now();
        const child = spawn(scripts[name], { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
        const output = [];
        child.stdout.on('data', (chunk) => output.push(chunk));
        child.stderr.on('data', (chunk) => output.push(chunk));
        child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)));
        child.on('close', (code) => {
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          const result = code === 0 ? 'passed' : `FAILED (exit ${code ?? 'signal'})`;
          process.stdout.write(
            `\n> ${name} ${result} in ${seconds} s: ${scripts[name]}\n${Buffer.concat(output).toString()}`,
          );
          resolve(code ?? 1);
        });
      }),
  ),
);
const failed = names.filter((_, i) => statuses[i] !== 0);
if (failed.length > 0) process.stderr.write(`\nfailed: ${failed.join(', ')}\n`);
process.exitCode = failed.length > 0 ? 1 : 0;
