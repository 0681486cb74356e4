/**
 * State per stack: the azurerm backend with Entra ID, HCP Terraform / Terraform Enterprise through the cloud block,
 * and offline synth that never needs a Terraform binary.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConfigError, loadEnvironments } from '../../environments';
import { stateKey } from '../../environments/sections/foundation';
import { readSynthOutput } from '../../constructs/shared/plan';
import { checkCrossStackReferences } from '../../scripts/lib/cross-stack';
import { exampleInput } from '../helpers/synth';

const CLOUD = {
  type: 'cloud',
  organization: 'contoso',
  project: 'genai-landing-zone',
  workspacePrefix: 'genai-',
} as const;

/** Runs the built synth with no directory on PATH: no terraform (nor anything else) can be found. */
function synthWithoutPath(configs: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'lz-backend-'));
  const files = Object.entries(configs).map(([name, config]) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(config));
    return file;
  });
  const outdir = join(dir, 'cdktf.out');
  const result = spawnSync(
    process.execPath,
    ['dist/app.js', ...files.flatMap((f) => ['--config', f]), '--outdir', outdir],
    { encoding: 'utf8', env: { ...process.env, PATH: '' } },
  );
  return {
    ...result,
    outdir,
    output: () => readSynthOutput(outdir),
    stack: (id: string) => readSynthOutput(outdir).stack(id).json,
  };
}

describe('state keys', () => {
  it('gives the platform stack the configured key and each tenant shard its own', () => {
    const env = { name: 'prod', backend: { type: 'local' as const } };
    expect(stateKey(env)).toBe('prod.tfstate');
    expect(stateKey(env, 3)).toBe('prod-tenants-3.tfstate');
    const keyed = { name: 'prod', backend: { ...exampleInput('prod').backend, key: 'genai/prod.tfstate' } };
    expect(stateKey(keyed as never, 2)).toBe('genai/prod-tenants-2.tfstate');
  });

  it('rejects two stacks that would share a state blob, across environments too', () => {
    const shared = { ...exampleInput('staging').backend, containerName: 'tfstate-prod', key: 'prod.tfstate' };
    const dir = mkdtempSync(join(tmpdir(), 'lz-state-'));
    const files = [
      ['staging', { ...exampleInput('staging'), backend: shared }],
      ['prod', exampleInput('prod')],
    ].map(([name, config]) => {
      const file = join(dir, `${name as string}.json`);
      writeFileSync(file, JSON.stringify(config));
      return file;
    });
    expect(() => loadEnvironments({ configFiles: files })).toThrow(
      /stack prod would share its state \(azurerm stcxtfstatesdc\/tfstate-prod\/prod\.tfstate\) with stack staging .*\[rule one-state-per-stack\]/,
    );
  });
});

describe('state containers', () => {
  it('rejects two environments in one container, naming both files, and accepts a container of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lz-state-'));
    const write = (name: string, config: unknown) => {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(config));
      return file;
    };
    const prod = write('prod', exampleInput('prod'));
    // A copy of prod that keeps prod's container: its own key, but prod's deploy identity could write it.
    const copy = exampleInput('prod', { name: 'prod-eu', naming: { environmentCode: 'peu' } });
    for (const tenant of Object.values(copy.tenants!)) tenant.allocations['prod-eu'] = 'none';
    const shared = write('prod-eu', copy);
    let error: ConfigError | undefined;
    try {
      loadEnvironments({ configFiles: [prod, shared] });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.source).toBe(shared);
    expect(error?.problems).toEqual([
      {
        path: 'backend.containerName',
        message: `environment prod-eu would keep its state in the container stcxtfstatesdc/tfstate-prod, which ${prod} (backend.containerName, environment prod) already uses; expected a container of its own (roles are granted per container), such as "tfstate-prod-eu"`,
        received: '"tfstate-prod"',
        rule: 'one-state-container-per-environment',
      },
    ]);
    const own = write('prod-eu', { ...copy, backend: { ...copy.backend, containerName: 'tfstate-prod-eu' } });
    expect(loadEnvironments({ configFiles: [prod, own] }).map((env) => env.name)).toEqual([
      'prod',
      'prod-eu',
    ]);
  });
});

describe('HCP Terraform / Terraform Enterprise', () => {
  const run = synthWithoutPath({
    prod: { ...exampleInput('prod'), backend: CLOUD, tenantShards: { count: 2 } },
    tfe: { ...exampleInput('staging'), backend: { ...CLOUD, hostname: 'tfe.contoso.com', useOidc: false } },
  });

  it('synthesizes with no terraform on PATH', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('writes the cloud block with one workspace per stack, and lets Terraform check its own version', () => {
    for (const id of ['prod', 'prod-tenants-1', 'prod-tenants-2']) {
      const terraform = run.stack(id).terraform!;
      expect(terraform.cloud).toEqual({
        organization: 'contoso',
        workspaces: { name: `genai-${id}`, project: 'genai-landing-zone' },
      });
      expect(terraform.backend).toBeUndefined();
      expect(terraform.required_version).toBe('>= 1.6.0');
    }
    expect(run.stack('staging').terraform?.cloud).toMatchObject({ hostname: 'tfe.contoso.com' });
    expect(JSON.stringify(run.stack('prod').provider)).toMatch(/"use_oidc":true/);
    expect(JSON.stringify(run.stack('staging').provider)).not.toMatch(/use_oidc/);
    const { manifest } = run.output();
    expect(run.stack('prod')['//']?.metadata).toMatchObject({ backend: 'cloud', cloud: 'tfc' });
    expect(run.stack('staging')['//']?.metadata).toMatchObject({ backend: 'cloud', cloud: 'tfe' });
    expect(manifest.stacks['prod-tenants-1']?.dependencies).toEqual(['prod']);
  });

  it("reads the platform workspace's outputs in the shards", () => {
    expect(run.stack('prod-tenants-2').data?.['terraform_remote_state']).toEqual({
      'cross-stack-reference-input-prod': {
        backend: 'remote',
        config: { organization: 'contoso', workspaces: { name: 'genai-prod' } },
      },
    });
    expect(checkCrossStackReferences(run.outdir).problems).toEqual([]);
  });

  it("is needed: cdktf's own CloudBackend fails the same synth without terraform", () => {
    const script = `
      const { App, CloudBackend, NamedCloudWorkspace, TerraformStack } = require('cdktf');
      const app = new App({ outdir: ${JSON.stringify(mkdtempSync(join(tmpdir(), 'lz-cloud-')))} });
      const stack = new TerraformStack(app, 'prod');
      new CloudBackend(stack, { organization: 'contoso', workspaces: new NamedCloudWorkspace('genai-prod') });
      app.synth();`;
    const control = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { ...process.env, PATH: '' },
    });
    expect(control.status).not.toBe(0);
    expect(control.stderr).toMatch(/terraform/i);
  });
});
