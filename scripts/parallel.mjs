// Runs npm scripts of package.json at the same time, each through the shell as npm would (call it from an npm script,
// so that node_modules/.bin is on PATH), prints each one's output once it ends, and exits non-zero when any fails.
// `npm test` overlaps the type check, which keeps one core busy, with the two linters.
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
        const child = spawn(scripts[name], { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
        const output = [];
        child.stdout.on('data', (chunk) => output.push(chunk));
        child.stderr.on('data', (chunk) => output.push(chunk));
        child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)));
        child.on('close', (code) => {
          process.stdout.write(`\n> ${name}: ${scripts[name]}\n${Buffer.concat(output).toString()}`);
          resolve(code ?? 1);
        });
      }),
  ),
);
const failed = names.filter((_, i) => statuses[i] !== 0);
if (failed.length > 0) process.stderr.write(`\nfailed: ${failed.join(', ')}\n`);
process.exitCode = failed.length > 0 ? 1 : 0;
