import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_ENVIRONMENTS, loadEnvironments, parseEnvironment } from '../../environments';
import { auditFiles } from '../../scripts/lib/audit';
import { environmentWithTenants } from '../../scripts/lib/generate';
import { main } from '../../stacks/cli';
import { OUTPUT_MARKER } from '../../stacks/output-dir';
import { buildApp, synthesizeAtomically } from '../../stacks/synthesize';
import { tree } from '../helpers/files';
import { readSynthOutput } from '../../constructs/shared/plan';
import { SYNTH_NODE_OPTIONS } from '../../stacks/performance';
import { copyOfExamples, examplesSynth } from '../helpers/examples';
import { runCommand } from '../helpers/run';
import { exampleInput } from '../helpers/synth';

/** Every environment the project loads, in promotion order. */
const NAMES = Object.keys(EXAMPLE_ENVIRONMENTS);

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'lz-cli-'));
}

/** Runs the synth command in-process and captures what it prints. */
function run(argv: string[]) {
  const { status, stdout, stderr } = runCommand(main, argv);
  return { code: status, stdout, stderr };
}

describe('synth command', () => {
  it('synthesizes every example environment into stacks/<name>/cdk.tf.json', () => {
    // The global setup ran `node dist/app.js` with CDKTF_OUTDIR, as `cdktf synth` does.
    const { outdir, status, stdout, stderr } = examplesSynth();
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toBe(`synthesized ${NAMES.join(', ')} into ${outdir}\n`);
    const output = readSynthOutput(outdir);
    expect([...output.stackIds].sort()).toEqual([...NAMES].sort());
    for (const name of NAMES) {
      expect(output.stack(name).json['//']?.metadata?.stackName).toBe(name);
      expect(output.manifest.stacks[name]?.synthesizedStackPath).toBe(`stacks/${name}/cdk.tf.json`);
    }
  });

  it('synthesizes one environment from a YAML or JSON file', () => {
    const dir = scratch();
    const file = join(dir, 'generated.json');
    writeFileSync(file, JSON.stringify({ ...exampleInput('staging', { name: 'staging-eu' }), tenants: {} }));
    const outdir = join(dir, 'out');
    expect(run(['--config', file, '--outdir', outdir]).code).toBe(0);
    expect(readdirSync(join(outdir, 'stacks'))).toEqual(['staging-eu']);
  });

  it('selects environments with --env and rejects unknown ones in one sentence', () => {
    const outdir = join(scratch(), 'out');
    expect(run(['--env', 'dev', '--outdir', outdir])).toMatchObject({
      code: 0,
      stdout: `synthesized dev into ${outdir}\n`,
    });
    expect(readdirSync(join(outdir, 'stacks'))).toEqual(['dev']);
    const wrong = run(['--env', 'qa', '--outdir', outdir]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(
      `unknown environment; expected one of: ${NAMES.join(', ')} (received "qa")`,
    );
  });

  it('answers a broken config with every problem, no stack trace, and leaves the previous output alone', () => {
    const outdir = copyOfExamples();
    const dir = join(outdir, '..');
    const before = readFileSync(join(outdir, 'stacks', 'prod', 'cdk.tf.json'), 'utf8');

    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      'name: prod\nstage: prod\nworkload: GenAI\nnaming: { prefix: cx }\nregions: { primary: swedencentral }\ntags: { owner: Team A, costCenter: x, cost: 1 }\nbackend: { type: local }\nnetwork: { publicNetworkAccess: { enabled: true, reason: "Needed for the partner demo next week." } }\n',
    );
    const result = run(['--config', file, '--outdir', outdir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('broken.yaml: 9 problems:');
    expect(result.stderr).toContain('monitoring.budget: prod: spend must be watched');
    expect(result.stderr).toContain('gateway: is required: expected object (received nothing)');
    expect(result.stderr).toContain(
      'network.vnets.swedencentral: create mode: region swedencentral needs a VNet',
    );
    expect(result.stderr).toContain('tags.owner: expected an e-mail address or a team slug');
    expect(result.stderr).toContain('workload: workload must start with a lowercase letter');
    expect(result.stderr).toContain('tags.cost: unknown key "cost"');
    expect(result.stderr).toContain(
      'network.publicNetworkAccess.enabled: prod: public network access must be disabled',
    );
    expect(result.stderr).toContain('backend.type: prod: state must be remote');
    expect(result.stderr).toContain('monitoring.actionGroups: prod: alerts must reach on-call');
    expect(result.stderr).toContain('monitoring.budget: prod: spend must be watched');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(outdir, 'stacks', 'prod', 'cdk.tf.json'), 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('exits non-zero with one clear sentence for a missing config file', () => {
    const result = run(['--config', 'nope.yaml', '--outdir', join(scratch(), 'o')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^nope\.yaml: 1 problem:\n {2}- \(file\): cannot read the file: file not found/,
    );
  });

  it('rejects unknown flags with the usage line', () => {
    const result = run(['--nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--nope'[\s\S]*usage: synth/);
  });
});

describe('atomic output', () => {
  const environments = loadEnvironments({ names: ['dev'] });

  it('keeps the previous output when synth reports an error annotation', () => {
    const outdir = copyOfExamples();
    const dir = join(outdir, '..');
    const failing = (app: Parameters<typeof buildApp>[0]) => {
      const [stack] = buildApp(app, environments);
      Annotations.of(stack!).addError('a policy rule failed');
    };
    expect(() => synthesizeAtomically(environments, outdir, failing)).toThrow(
      /\[dev\] dev: a policy rule failed/,
    );
    expect(existsSync(join(outdir, 'stacks', 'dev', 'cdk.tf.json'))).toBe(true);
    expect(readdirSync(dir)).toEqual(['cdktf.out']);
  });

  it('removes its temporary directory when building throws, and writes nothing', () => {
    const dir = scratch();
    const outdir = join(dir, 'cdktf.out');
    const throwing = (app: Parameters<typeof buildApp>[0]) => {
      new TerraformStack(app, 'half');
      throw new Error('boom');
    };
    expect(() => synthesizeAtomically(environments, outdir, throwing)).toThrow('boom');
    expect(readdirSync(dir)).toEqual([]);
  });

  it("keeps terraform's working files of a stack across a re-synth", () => {
    const outdir = copyOfExamples();
    mkdirSync(join(outdir, 'stacks', 'dev', '.terraform'));
    writeFileSync(join(outdir, 'stacks', 'dev', '.terraform.lock.hcl'), '# lock');
    synthesizeAtomically(environments, outdir);
    expect(existsSync(join(outdir, 'stacks', 'dev', '.terraform'))).toBe(true);
    expect(readFileSync(join(outdir, 'stacks', 'dev', '.terraform.lock.hcl'), 'utf8')).toBe('# lock');
  });
});

describe('--env and --config replace only the environments they name', () => {
  it("keep the other environments' stacks and replace every stack of theirs, also shards that no longer exist", () => {
    const dir = scratch();
    const outdir = join(dir, 'cdktf.out');
    const prodInShards = (count: number) => ({ ...environmentWithTenants(3), tenantShards: { count } });
    synthesizeAtomically(
      [...loadEnvironments({ names: ['dev'] }), parseEnvironment(prodInShards(3), 'prod in 3 shards')],
      outdir,
    );
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual([
      'dev',
      'prod',
      'prod-tenants-1',
      'prod-tenants-2',
      'prod-tenants-3',
    ]);
    writeFileSync(join(outdir, 'stacks', 'dev', '.terraform.lock.hcl'), '# dev lock');
    writeFileSync(join(outdir, 'stacks', 'prod', '.terraform.lock.hcl'), '# prod lock');
    writeFileSync(join(outdir, 'stacks', 'prod', 'stray.json'), '{}');
    const dev = tree(join(outdir, 'stacks', 'dev'));

    const file = join(dir, 'prod.json');
    writeFileSync(file, JSON.stringify(prodInShards(2)));
    const result = run(['--config', file, '--outdir', outdir]);

    expect(result).toMatchObject({ code: 0, stderr: `synth: kept dev from the previous ${outdir}\n` });
    const stacks = ['dev', 'prod', 'prod-tenants-1', 'prod-tenants-2'];
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(stacks);
    expect(tree(join(outdir, 'stacks', 'dev'))).toEqual(dev);
    expect(readdirSync(join(outdir, 'stacks', 'prod')).sort()).toEqual([
      '.terraform.lock.hcl',
      'cdk.tf.json',
      'policy.json',
    ]);
    // The manifest lists exactly the stacks on disk, each with its plan, and the shards still depend on prod.
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks)).toEqual(stacks);
    for (const stack of stacks) {
      expect(existsSync(join(outdir, manifest.stacks[stack].synthesizedStackPath)), stack).toBe(true);
    }
    expect(manifest.stacks['prod-tenants-2'].dependencies).toEqual(['prod']);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('leaves an audit that still reports every environment and compares staging with prod', () => {
    const outdir = copyOfExamples();
    const staging = readFileSync(join(outdir, 'stacks', 'staging', 'cdk.tf.json'), 'utf8');
    expect(run(['--env', 'prod', '--outdir', outdir]).code).toBe(0);
    expect(readFileSync(join(outdir, 'stacks', 'staging', 'cdk.tf.json'), 'utf8')).toBe(staging);
    const files = auditFiles(outdir);
    expect([...files.keys()]).toEqual([...NAMES.map((name) => `${name}.md`), 'index.html']);
    expect(files.get('prod.md')).toContain('Differences between staging and prod');
  });

  it('refuses to keep environments when the previous manifest is unreadable, and writes nothing', () => {
    const outdir = copyOfExamples();
    writeFileSync(join(outdir, 'manifest.json'), '{"stacks": ');
    const before = tree(outdir);
    const result = run(['--env', 'dev', '--outdir', outdir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^synth cannot keep the other environments of .*manifest\.json is unreadable .*run a full `npm run synth` \(without --env and --config\), which replaces the whole directory\.\n$/,
    );
    expect(tree(outdir)).toEqual(before);
  });
});

describe('the output directory', () => {
  it('is refused in one sentence when synth does not own it, and nothing is written or deleted', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'notes.md'), 'mine');
    const result = run(['--env', 'dev', '--outdir', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `synth refuses --outdir ${dir}: it is not empty and has no ${OUTPUT_MARKER} of synth (if it is synth's output from before the marker, remove it yourself); synth writes only into an absent or empty directory, or into its own earlier output (marked by ${OUTPUT_MARKER}).\n`,
    );
    expect(tree(dir)).toEqual({ 'notes.md': 'mine' });
  });

  it('is created with the umask: readable by the group when the umask says so', () => {
    const dir = scratch();
    const result = spawnSync(
      '/bin/sh',
      [
        '-c',
        `umask 027 && "${process.execPath}" dist/app.js --env dev --outdir "${dir}/synth" && umask 002 && "${process.execPath}" dist/scripts/audit.js --outdir "${dir}/synth" --out "${dir}/audit"`,
      ],
      { encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const modes = (root: string) => {
      const found = new Set<string>();
      const walk = (path: string) => {
        const stat = lstatSync(path);
        found.add(`${stat.isDirectory() ? 'dir' : 'file'} ${(stat.mode & 0o777).toString(8)}`);
        if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
      };
      walk(root);
      return [...found].sort();
    };
    expect(modes(join(dir, 'synth'))).toEqual(['dir 750', 'file 640']);
    expect(modes(join(dir, 'audit'))).toEqual(['dir 775', 'file 664']);
  });

  it('is whole after synth is killed between the two renames: the next run finishes the swap', () => {
    const outdir = copyOfExamples();
    const dir = join(outdir, '..');
    mkdirSync(join(outdir, 'stacks', 'dev', '.terraform'));
    writeFileSync(join(outdir, 'stacks', 'dev', '.terraform.lock.hcl'), '# lock');
    // Preloaded into synth: SIGKILL right after the previous output is renamed away, before the new one moves in.
    const killer = join(dir, 'kill-between-renames.cjs');
    writeFileSync(
      killer,
      `const fs = require('fs'); const rename = fs.renameSync;
fs.renameSync = (from, to) => { rename(from, to); if (String(to).endsWith('.old')) process.kill(process.pid, 'SIGKILL'); };`,
    );
    const killed = spawnSync(process.execPath, [
      '--require',
      killer,
      'dist/app.js',
      '--env',
      'dev',
      '--outdir',
      outdir,
    ]);
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(outdir)).toBe(false);

    const next = run(['--env', 'staging', '--outdir', outdir]);

    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(
      /^synth: finished the replacement of cdktf\.out that process \d+ began before it was stopped\n/,
    );
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual([...NAMES].sort());
    expect(readFileSync(join(outdir, 'stacks', 'dev', '.terraform.lock.hcl'), 'utf8')).toBe('# lock');
    expect(readdirSync(dir).sort()).toEqual(['cdktf.out', 'kill-between-renames.cjs']);
  });
});

describe('the built app, run as users run it', () => {
  it('runs with the synth Node options from npm run synth, cdktf.json and the benchmark', () => {
    const command = `node ${SYNTH_NODE_OPTIONS.join(' ')} dist/app.js`;
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
      .scripts;
    expect(scripts['synth']).toContain(command);
    expect((JSON.parse(readFileSync('cdktf.json', 'utf8')) as { app: string }).app).toContain(command);
    for (const script of ['scripts/bench.ts', 'scripts/bench-shards.ts'])
      expect(readFileSync(script, 'utf8'), script).toMatch(/\.\.\.SYNTH_NODE_OPTIONS, 'dist\/app\.js'/);
  });
});
