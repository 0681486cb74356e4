/**
 * The README's procedures, performed on a scratch copy of the repository (sources only; node_modules linked): add
 * the README's `finance` tenant, add `prod-eu` with `npm run new-env`, offboard a tenant. Then the documented
 * `npm run regen` must succeed (its synth runs the schema, the cross-environment rules and the governance rule pack),
 * and the blueprint invariants must hold there: every loaded environment is deployed by both pipelines, no existing
 * resource address moves, every environment has its audit report and snapshot, each keeps its own state container.
 * The steps share the copy, in the order a team would take them, and regen runs once, after the three: its synth is
 * the cost of this file, and each procedure's outcome is checked in that one output against the examples' synth.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSynthOutput, type SynthOutput } from '../../constructs/shared/plan';
import { loadEnvironments } from '../../environments';
import { tenantsIn } from '../../environments/sections/tenants';
import { examplesOutput } from '../helpers/examples';
import {
  checkAzureDevOpsCoverage,
  checkGithubCoverage,
  type PipelineEnvironment,
} from '../helpers/pipeline-coverage';

const ROOT = process.cwd();
const copy = mkdtempSync(join(tmpdir(), 'lz-procedures-'));

/** The repository's own files (tracked or new, not ignored), without the tests, the audit and the docs images. */
function scratchCopy(): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    encoding: 'utf8',
  });
  expect(listed.status, listed.stderr).toBe(0);
  const files = listed.stdout
    .split('\0')
    .filter((f) => f !== '' && !/^(test|audit|docs)\//.test(f) && existsSync(f));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(file, join(copy, file));
  }
  symlinkSync(resolve(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
}

function run(script: string, args: readonly string[] = []) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: copy, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `npm run regen` in the copy: build, then regen (synth, audit, schema, snapshots; the README samples have their own test). */
function regen(): SynthOutput {
  const build = run('scripts/build.mjs');
  expect(build.status, build.stderr).toBe(0);
  const result = run('dist/scripts/regen.js', ['--no-readme']);
  expect(result.status, result.stderr).toBe(0);
  return readSynthOutput(join(copy, 'cdktf.out'));
}

/** Resource addresses (type.name) of a stack. */
const addresses = (output: SynthOutput, stack: string) =>
  new Set(output.stack(stack).resources.map((r) => `${r.type}.${r.name}`));

/** The invariants every procedure must leave true, for the environments the copy now loads. */
function checkInvariants(output: SynthOutput, environments: readonly PipelineEnvironment[]): void {
  expect([...output.stackIds].filter((id) => !id.includes('-tenants-')).sort()).toEqual(
    environments.map((e) => e.name).sort(),
  );
  checkGithubCoverage(copy, environments);
  checkAzureDevOpsCoverage(copy, environments);
  const audit = readdirSync(join(copy, 'audit'));
  const snapshots = readdirSync(join(copy, 'test', 'stacks', '__snapshots__'));
  const containers = new Set<string>();
  for (const { name } of environments) {
    expect(audit, `audit/${name}.md`).toContain(`${name}.md`);
    expect(snapshots, `snapshot of ${name}`).toContain(`${name}.tf.json`);
    const backend = output.stack(name).json.terraform?.['backend'] as {
      azurerm?: { container_name: string };
    };
    if (backend?.azurerm) {
      expect(containers.has(backend.azurerm.container_name), `${name}'s own state container`).toBe(false);
      containers.add(backend.azurerm.container_name);
    }
  }
}

/** Every address of `before` is still planned in `after` (nothing moved or was replaced), for each stack of `before`. */
function expectNoAddressMoved(before: SynthOutput, after: SynthOutput, except: RegExp = /$^/): void {
  for (const stack of before.stackIds) {
    const now = addresses(after, stack);
    const moved = [...addresses(before, stack)].filter((a) => !now.has(a) && !except.test(a));
    expect(moved, `addresses that moved in ${stack}`).toEqual([]);
  }
}

/** The README's tenant snippet ("Adding a tenant"), as an entry of the TENANTS object. */
function readmeTenantSnippet(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Adding a tenant'));
  const block = /```ts\n([\s\S]*?)\n\s*```/.exec(section)?.[1];
  expect(block, 'the README shows a tenant entry under "Adding a tenant"').toBeDefined();
  const indent = /^ */.exec(block!)![0].length;
  return `${block!
    .split('\n')
    .map((line) => `  ${line.slice(indent)}`.trimEnd())
    .join('\n')}\n`;
}

// One build for new-env, then one build and one synth of every environment (inside regen): about 10 s on an idle machine.
describe('the README procedures on a scratch copy', { timeout: 240_000 }, () => {
  const loaded: PipelineEnvironment[] = loadEnvironments({ rules: false }).map(
    ({ name, stage, evaluation }) => ({
      name,
      stage,
      continuousEvaluation: evaluation?.continuous !== undefined,
    }),
  );
  const before = examplesOutput();
  const prod = loaded.find((e) => e.stage === 'prod');
  /** Where a tenant is offboarded: prod, or the last environment of a project without one. */
  const target = prod ?? loaded.at(-1)!;
  scratchCopy();
  const tenants = join(copy, 'environments', 'tenants.ts');
  const [offboarded] = tenantsIn(loadEnvironments({ names: [target.name] })[0]!);
  let output: SynthOutput;

  it('Adding a tenant: the README entry for finance', () => {
    const snippet = readmeTenantSnippet();
    expect(snippet).toMatch(/^ {2}finance: \{\n/);
    const text = readFileSync(tenants, 'utf8');
    writeFileSync(
      tenants,
      text.replace('export const TENANTS = {\n', `export const TENANTS = {\n${snippet}`),
    );
  });

  it('Adding an environment: npm run new-env -- --name prod-eu --from prod', () => {
    const from = loaded.filter((e) => e.stage === 'prod').at(-1) ?? loaded.at(-1)!;
    expect(run('scripts/build.mjs').status).toBe(0);
    const added = run('dist/scripts/new-env.js', ['--name', 'prod-eu', '--from', from.name]);
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/Still to do[\s\S]*bootstrap-state[\s\S]*identities[\s\S]*reviewers/);
  });

  it('Offboarding a tenant: lifecycle offboarded', () => {
    expect(offboarded, 'prod has a tenant to offboard').toBeDefined();
    const text = readFileSync(tenants, 'utf8');
    const entry = new RegExp(`\\n  (${offboarded!.slug}|'${offboarded!.slug}'): \\{\\n`);
    expect(text).toMatch(entry);
    writeFileSync(
      tenants,
      text.replace(entry, (whole) => `${whole}    lifecycle: 'offboarded',\n`),
    );
  });

  it('then npm run regen succeeds, and the invariants hold for every environment, prod-eu too', () => {
    output = regen();
    // prod-eu is a copy of the environment the procedure names: evaluated continuously where that one is.
    const from = loaded.filter((e) => e.stage === 'prod').at(-1) ?? loaded.at(-1)!;
    checkInvariants(output, [
      ...loaded,
      { name: 'prod-eu', stage: target.stage, continuousEvaluation: from.continuousEvaluation },
    ]);
    expect(output.stack('prod-eu').json.terraform?.['backend']).toEqual({
      azurerm: expect.objectContaining({ container_name: 'tfstate-prod-eu', key: 'prod-eu.tfstate' }),
    });
  });

  it("no resource address moved, apart from the offboarded tenant's", () => {
    expectNoAddressMoved(before, output, tenantOwned(offboarded!.slug));
  });

  it('the finance tenant has its product in prod', () => {
    if (!prod) return;
    expect(
      [...addresses(output, prod.name)].some((a) =>
        /^azurerm_api_management_product\.Tenants_finance_/.test(a),
      ),
    ).toBe(true);
  });

  it('the offboarded tenant has lost its access and kept its data', () => {
    const slug = offboarded!.slug.replace(/-/g, '_');
    const access = new RegExp(`\\.Tenants_${slug}_Access_`);
    const now = [...addresses(output, target.name)];
    expect([...addresses(before, target.name)].some((a) => access.test(a))).toBe(true);
    expect(now.filter((a) => access.test(a))).toEqual([]);
    expect(now.some((a) => a.startsWith(`azurerm_storage_container.PromptLibrary_Containers_${slug}_`))).toBe(
      true,
    );
  });
});

/** The addresses a tenant owns in a platform stack. */
const tenantOwned = (slug: string) => new RegExp(`\\.Tenants_${slug.replace(/-/g, '_')}_`);
