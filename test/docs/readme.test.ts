/**
 * The README stays true: its quota and routing tables are what the commands print for the shipped prod config, and
 * every `npm run <script>` it mentions exists.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { examplesOutdir } from '../helpers/examples';
import { runScript } from '../helpers/run';

const readme = readFileSync('README.md', 'utf8');

/** The table rows a command printed, without its headings. */
function tableRows(output: string): string[] {
  return output.split('\n').filter((line) => line.startsWith('| '));
}

describe('README', () => {
  it('shows the quota plan that npm run quota prints for prod', () => {
    const { status, stdout } = runScript('quota', ['--env', 'prod']);
    expect(status).toBe(0);
    for (const row of tableRows(stdout)) expect(readme, row).toContain(row);
  });

  it('shows the routing table that npm run routes prints for prod', () => {
    const { status, stdout } = runScript('routes', ['--outdir', examplesOutdir(), '--env', 'prod']);
    expect(status).toBe(0);
    for (const row of tableRows(stdout)) expect(readme, row).toContain(row);
  });

  it('mentions only npm scripts that exist', () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts,
    );
    const mentioned = [...readme.matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1]!);
    expect(mentioned.length).toBeGreaterThan(5);
    for (const name of mentioned) expect(scripts, `npm run ${name}`).toContain(name);
  });

  it('starts with the two commands of a fresh machine', () => {
    expect(readme).toMatch(/npm ci && npm run synth[\s\S]*\nnpm test/);
  });
});
