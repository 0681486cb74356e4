import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleInput } from '../helpers/synth';
import { runCommand } from '../helpers/run';
import { main as quota } from '../../scripts/quota';

describe('npm run quota', () => {
  it('prints a table per environment with requested, quota and headroom', () => {
    const { status, stdout } = runCommand(quota, ['--env', 'prod']);
    expect(status).toBe(0);
    expect(stdout).toContain('## prod');
    expect(stdout).toContain('| region | model | type | requested | quota | headroom |');
    expect(stdout).toMatch(/\| swedencentral \| \* \| ProvisionedManaged \| 100 PTU \| 200 \| 100 \|/);
    expect(stdout).toMatch(/\| francecentral \| gpt-4o \| DataZoneStandard \| 300 kTPM \| 450 \| 150 \|/);
  });

  it('shows an over-quota plan, marks it and exits 1', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lz-quota-')), 'prod.json');
    writeFileSync(
      file,
      JSON.stringify(
        exampleInput('prod', {
          endpoints: { quota: { francecentral: { 'gpt-4o': { DataZoneStandard: 250 } } } },
        }),
      ),
    );
    const { status, stdout, stderr } = runCommand(quota, ['--config', file]);
    expect(status).toBe(1);
    expect(stdout).toMatch(/\| francecentral \| gpt-4o \| DataZoneStandard \| 300 kTPM \| 250 \| -50 \|/);
    expect(stderr).toContain('1 row is over its quota or has none declared.');
  });

  it('answers a wrong environment name in one sentence', () => {
    const { status, stderr } = runCommand(quota, ['--env', 'qa']);
    expect(status).toBe(1);
    expect(stderr).toMatch(/unknown environment; expected one of: dev, staging, prod/);
  });
});
