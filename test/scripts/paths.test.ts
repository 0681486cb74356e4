/**
 * `npm run paths`: proves the data paths from the plan files in cdktf.out, so that a path a later change breaks (in
 * the plan itself) is caught too. Runs the built script as a user does.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_ENVIRONMENTS, loadEnvironments, parseEnvironment } from '../../environments';
import { synthesizeAtomically } from '../../stacks/synthesize';
import { byoInput } from '../helpers/network';
import { exampleInput } from '../helpers/synth';
import { examplesOutdir } from '../helpers/examples';
import { runCommand } from '../helpers/run';
import { main as paths } from '../../scripts/paths';

const root = mkdtempSync(join(tmpdir(), 'lz-paths-'));
// The examples as the global setup synthesized them once for the whole run (only read here).
const examples = examplesOutdir();
const byo = join(root, 'byo');
const reason = 'The enterprise hub owns this for every spoke in every region (change CHG-1234).';
synthesizeAtomically(
  [
    parseEnvironment(
      byoInput('prod', {
        providedByHub: { peering: { reason }, dns: { reason }, networkSecurity: { reason } },
      }),
      'test:byo',
    ),
  ],
  byo,
);

const sharded = join(root, 'sharded');
synthesizeAtomically(
  [parseEnvironment({ ...exampleInput('prod'), tenantShards: { count: 2 } }, 'test:sharded')],
  sharded,
);

const rows = (stdout: string) =>
  stdout.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| caller'));

describe('npm run paths', () => {
  it('proves every path of each example environment, one row per path', () => {
    const environments = loadEnvironments();
    const runs = environments.map((env) => runCommand(paths, ['--outdir', examples, '--env', env.name]));
    for (const [i, env] of environments.entries()) {
      const { status, stdout, stderr } = runs[i]!;
      expect(stderr).toBe('');
      expect(status).toBe(0);
      const policy = JSON.parse(readFileSync(join(examples, 'stacks', env.name, 'policy.json'), 'utf8'));
      // Path rows (nine columns), then the assumptions table: Foundry's managed hops.
      const table = rows(stdout)
        .filter((l) => !l.startsWith('| ---'))
        .filter((l) => l.split(' | ').length >= 9);
      expect(table).toHaveLength(policy.paths.paths.length);
      expect(
        table.every(
          (row) =>
            row.endsWith('| proven |') ||
            (row.startsWith('| Foundry project ') && row.endsWith('| assumed |')),
        ),
      ).toBe(true);
    }
  });

  it('proves a 3-region bring-your-own prod on the hub’s declarations, and lists them as assumptions', () => {
    const { status, stdout } = runCommand(paths, ['--outdir', byo, '--env', 'prod']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/\| assumed \|$/m);
    expect(stdout).toContain('Assumed, provided outside the stack');
    for (const origin of ['peering', 'dns', 'networkSecurity'])
      expect(stdout).toContain(`network.providedByHub.${origin} | ${reason}`);
  });

  it('proves a sharded prod across stacks: the tenants’ paths in their shards, through the platform’s network', () => {
    const { status, stdout } = runCommand(paths, ['--outdir', sharded, '--env', 'prod']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^## prod-tenants-\d+$/m);
    const tenants = stdout
      .split(/^## /m)
      .filter((s) => s.startsWith('prod-tenants-'))
      .join('\n');
    expect(tenants).toMatch(
      /\| tenant \S+ \(id-\S+\) \| secret apim-key-\S+ \| .* \| private endpoint pep-\S+ via privatelink\.vaultcore\.azure\.net \| .* \| proven \|/,
    );
    expect(
      rows(stdout)
        .filter((l) => !l.startsWith('| ---'))
        .filter((l) => l.split(' | ').length >= 9)
        .every(
          (row) =>
            row.endsWith('| proven |') ||
            (row.startsWith('| Foundry project ') && row.endsWith('| assumed |')),
        ),
    ).toBe(true);
  });

  it('fails, naming the hop, when the plan on disk loses its peerings', () => {
    const broken = join(root, 'broken');
    cpSync(examples, broken, { recursive: true });
    const file = join(broken, 'stacks', 'prod', 'cdk.tf.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    delete json.resource.azurerm_virtual_network_peering;
    writeFileSync(file, JSON.stringify(json));
    const { status, stdout, stderr } = runCommand(paths, ['--outdir', broken, '--env', 'prod']);
    expect(status).toBe(1);
    expect(stdout).toMatch(/BROKEN: vnet-\S+ \(caller\) and vnet-\S+ \(.*\) are not peered/);
    expect(stderr).toMatch(/^\d+ data paths? (is|are) broken\n$/);
  });

  it('answers an unknown environment with the ones it has', () => {
    const { status, stderr } = runCommand(paths, ['--outdir', examples, '--env', 'qa']);
    expect(status).toBe(2);
    expect(stderr).toContain(
      `has no environment "qa"; it has: ${Object.keys(EXAMPLE_ENVIRONMENTS).sort().join(', ')}.`,
    );
  });
});
