/**
 * The README stays true: its quota, routing and data-path tables are what the commands print for the shipped prod config, and
 * every `npm run <script>` it mentions exists.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TAG_LIMITS } from '../../constructs/shared/tags';
import { MAX_CONFIG_BYTES, MAX_YAML_ALIASES } from '../../environments/config-file';
import { MAX_CONFIG_DEPTH } from '../../environments/hygiene';
import { TENANT_MARK } from '../../environments/names';
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

  it('shows the cost plan that npm run costs prints for prod', () => {
    const { status, stdout } = runScript('costs', ['--outdir', examplesOutdir(), '--env', 'prod']);
    expect(status).toBe(0);
    const lines = [...tableRows(stdout), ...stdout.split('\n').filter((line) => line.startsWith('Fixed: '))];
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(readme, line).toContain(line);
  });

  it('shows the routing table that npm run routes prints for prod', () => {
    const { status, stdout } = runScript('routes', ['--outdir', examplesOutdir(), '--env', 'prod']);
    expect(status).toBe(0);
    for (const row of tableRows(stdout)) expect(readme, row).toContain(row);
  });

  it('shows the resilience table that npm run resilience prints for prod', () => {
    const { status, stdout } = runScript('resilience', ['--outdir', examplesOutdir(), '--env', 'prod']);
    expect(status).toBe(0);
    const rows = tableRows(stdout);
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) expect(readme, row).toContain(row);
  });

  it('shows data-path rows that npm run paths prints for prod', () => {
    const { status, stdout } = runScript('paths', ['--outdir', examplesOutdir(), '--env', 'prod']);
    expect(status).toBe(0);
    const excerpt = readme.slice(readme.indexOf('### Data paths'), readme.indexOf('## For auditors'));
    const shown = tableRows(excerpt).filter((row) => row.includes('| proven |'));
    expect(shown.length).toBeGreaterThanOrEqual(3);
    for (const row of shown) expect(stdout, row).toContain(row);
  });

  it('mentions only npm scripts that exist', () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts,
    );
    const mentioned = [...readme.matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1]!);
    expect(mentioned.length).toBeGreaterThan(5);
    for (const name of mentioned) expect(scripts, `npm run ${name}`).toContain(name);
  });

  it('lists the input limits the code enforces', () => {
    const section = /### Robustness: input limits\n([\s\S]*?)\n### /.exec(readme)?.[1] ?? '';
    expect(section).toContain(`at most ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`);
    expect(section).toContain(`expand at most ${MAX_YAML_ALIASES} times`);
    expect(section).toContain(`nesting at most ${MAX_CONFIG_DEPTH} levels`);
    expect(section).toContain(`at most ${TAG_LIMITS.perResource} per resource`);
    expect(section).toContain(`${TAG_LIMITS.perPrivateDnsResource} where private DNS zones are created`);
    expect(section).toContain(`names at most ${TAG_LIMITS.storageNameLength} characters`);
    expect(section).toContain(`values at most ${TAG_LIMITS.valueLength}`);
    expect(section).toContain(`carry \`${TENANT_MARK}-<slug>\``);
  });

  it('starts with the two commands of a fresh machine', () => {
    expect(readme).toMatch(/npm ci && npm run synth[\s\S]*\nnpm test/);
  });
});
