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
import { runCommand } from '../helpers/run';
import { main as resilience } from '../../scripts/resilience';
import { README_SAMPLES, renderSample, sampleBlock } from '../../scripts/lib/readme-samples';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  // Each sample is regenerated as `npm run regen` does it (scripts/lib/readme-samples.ts): quota from the config,
  // routes and paths from the shared examples synth, prod-broken from the real synth of the broken config it shows.
  it.each(README_SAMPLES)('shows the %s sample exactly as the command prints it now', (id) => {
    const block = sampleBlock(readme, id);
    expect(block, `marker <!-- regen: ${id} --> and its text block`).toBeDefined();
    const rendered = renderSample(id, { outdir: examplesOutdir() }, block!.text);
    expect(rendered.trim()).not.toBe('');
    expect(block!.text, `the README's ${id} sample is stale: run npm run regen`).toBe(rendered);
  });

  it('samples a broken config that synth refuses, and data paths the proof marks proven', () => {
    expect(sampleBlock(readme, 'prod-broken')?.text).toMatch(
      /^\$ npm run synth -- --config prod-broken\.json\n.*: \d+ problems:\n {2}- tags\.costcenter: [\s\S]*\nNothing was written/,
    );
    const paths = sampleBlock(readme, 'paths')?.text ?? '';
    expect(paths.split('\n').filter((row) => row.includes('| proven |')).length).toBeGreaterThanOrEqual(3);
  });

  it('shows the resilience table that npm run resilience prints for prod', () => {
    const { status, stdout } = runCommand(resilience, ['--outdir', examplesOutdir(), '--env', 'prod']);
    expect(status).toBe(0);
    const rows = stdout.split('\n').filter((line: string) => line.startsWith('| '));
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) expect(readme, row).toContain(row);
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
