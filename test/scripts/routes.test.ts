import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesOutdir, examplesOutput } from '../helpers/examples';
import { runCommand } from '../helpers/run';
import { main as routes } from '../../scripts/routes';

describe('npm run routes', () => {
  const outdir = examplesOutdir();

  it('prints model → pool → backends with region, type, priority, weight, capacity, breaker and auth', () => {
    const { status, stdout } = runCommand(routes, ['--outdir', outdir, '--env', 'prod']);
    expect(status).toBe(0);
    expect(stdout).toContain('## prod');
    expect(stdout).toContain(
      '| model | pool | backend | region | type | priority | weight | capacity | breaker | auth |',
    );
    expect(stdout).toContain(
      '| gpt-4o | pool-gpt-4o | gpt-4o-sdc | swedencentral | ProvisionedManaged | 1 | 100 | 100 | 3× 429,500-503 in PT60S → out PT60S or Retry-After | managed identity |',
    );
    expect(stdout).toMatch(
      /\| gpt-4o \| pool-gpt-4o \| gpt-4o-gwc \| germanywestcentral \| GlobalStandard \| 2 \|/,
    );
    expect(stdout).not.toMatch(/Batch/);
  });

  it('says what to do when there is no cdktf.out, a corrupt one, or an unknown stack', () => {
    const empty = mkdtempSync(join(tmpdir(), 'lz-routes-empty-'));
    expect(runCommand(routes, ['--outdir', join(empty, 'cdktf.out')])).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/has no manifest\.json: run `npm run synth` first\./),
    });
    const corrupt = join(empty, 'corrupt');
    mkdirSync(corrupt);
    writeFileSync(join(corrupt, 'manifest.json'), '{ not json');
    expect(runCommand(routes, ['--outdir', corrupt]).stderr).toMatch(/manifest\.json is not valid JSON/);
    expect(runCommand(routes, ['--outdir', outdir, '--env', 'qa']).stderr).toContain(
      `has no stack "qa"; it has: ${[...examplesOutput().stackIds].sort().join(', ')}.`,
    );
  });
});
