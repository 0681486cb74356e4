/**
 * The pipeline's plan and apply steps against a fake `terraform` that records every call: the plan step plans each
 * stack of an environment in order and bundles the saved plans; the apply step applies exactly those files and never
 * plans. The command runs in-process (its `main`, test/helpers/run.ts) with the fake first on the PATH it is given;
 * the fake is a POSIX shell script, which starts in milliseconds.
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as pipeline } from '../../scripts/pipeline';
import { runCommand } from '../helpers/run';
import { summarizePlan } from '../../scripts/lib/plan-summary';
import { synthApp } from '../helpers/app';
import { exampleEnvironment } from '../helpers/synth';

/** A fake terraform: logs `<basename of -chdir> <args>`, writes tfplan on plan, prints a JSON plan on show. */
const FAKE_TERRAFORM = `#!/bin/sh
dir="\${1#-chdir=}"; shift
id="\${dir##*/}"
printf '%s %s\\n' "$id" "$*" >> "$FAKE_LOG"
case "$1" in
  init) : >> "$dir/.terraform.lock.hcl"; exit 0 ;;
  plan) printf 'saved plan of %s' "$id" > "$dir/tfplan"; exit "\${FAKE_PLAN_EXIT:-2}" ;;
  show)
    if [ -f "$FAKE_SHOW/$id.json" ]; then cat "$FAKE_SHOW/$id.json"; else
      echo '{"format_version":"1.2","resource_changes":[{"address":"azurerm_resource_group.a","change":{"actions":["create"]}}],"output_changes":{}}'
    fi ;;
  apply) for last in "$@"; do :; done; [ -f "$dir/tfplan" ] && [ "$last" = tfplan ] || exit 9 ;;
esac
exit 0
`;

/**
 * A directory with the fake on a PATH of its own, `out` (the synthesized output, copied from `from`) and `bundle`
 * (where plan writes the bundle). `run` runs the pipeline command with that PATH and returns the calls it made.
 */
function setup(from?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'lz-pipeline-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'terraform'), FAKE_TERRAFORM);
  chmodSync(join(bin, 'terraform'), 0o755);
  const show = join(dir, 'show');
  mkdirSync(show);
  const log = join(dir, 'log');
  const out = join(dir, 'cdktf.out');
  if (from) cpSync(from, out, { recursive: true });
  const run = (args: string[], env: Record<string, string> = {}) => {
    const result = runCommand(pipeline, args, {
      env: { ...process.env, PATH: `${bin}:${process.env['PATH']}`, FAKE_LOG: log, FAKE_SHOW: show, ...env },
    });
    const calls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    writeFileSync(log, '');
    return { ...result, calls };
  };
  return { dir, show, out, bundle: join(dir, 'plan-bundle'), run };
}

const app = synthApp([
  exampleEnvironment('prod', { tenantShards: { count: 2 } }),
  exampleEnvironment('staging'),
]);

describe('pipeline plan', () => {
  it('plans every stack of the environment in order, without a lock, and bundles each saved plan', () => {
    const t = setup(app.outdir);
    const result = t.run(['plan', '--env', 'prod', '--outdir', t.out, '--bundle', t.bundle]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.calls).toEqual(
      ['prod', 'prod-tenants-1', 'prod-tenants-2'].flatMap((id) => [
        `${id} init -input=false -no-color`,
        `${id} plan -input=false -no-color -lock=false -detailed-exitcode -out=tfplan`,
        `${id} show -json tfplan`,
      ]),
    );
    for (const id of ['prod', 'prod-tenants-1', 'prod-tenants-2']) {
      expect(readFileSync(join(t.out, 'stacks', id, 'tfplan'), 'utf8')).toBe(`saved plan of ${id}`);
      expect(readFileSync(join(t.bundle, 'stacks', id, 'tfplan'), 'utf8')).toBe(`saved plan of ${id}`);
      expect(readFileSync(join(t.bundle, 'stacks', id, 'cdk.tf.json'), 'utf8')).toBe(
        readFileSync(join(t.out, 'stacks', id, 'cdk.tf.json'), 'utf8'),
      );
      expect(existsSync(join(t.bundle, 'stacks', id, '.terraform.lock.hcl'))).toBe(true);
    }
    expect(existsSync(join(t.bundle, 'stacks', 'staging'))).toBe(false);
    const record = JSON.parse(readFileSync(join(t.bundle, 'plan.json'), 'utf8'));
    expect(record.stacks.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      ['prod', 'changes'],
      ['prod-tenants-1', 'changes'],
      ['prod-tenants-2', 'changes'],
    ]);
    expect(readFileSync(join(t.bundle, 'summary.md'), 'utf8')).toContain(
      '| prod | 1 | 0 | 0 | 0 | unchanged | yes |',
    );
    expect(
      t.run(['plan', '--env', 'prod', '--outdir', t.out, '--bundle', t.bundle, '--lock']).calls[1],
    ).toContain('-lock=true');
  });

  it('defers the shards when the platform plan changes outputs they read, and flags destruction', () => {
    const t = setup(app.outdir);
    writeFileSync(
      join(t.show, 'prod.json'),
      JSON.stringify({
        resource_changes: [
          { address: 'azurerm_key_vault.KeyVault', change: { actions: ['delete', 'create'] } },
          { address: 'data.azurerm_client_config.c', mode: 'data', change: { actions: ['read'] } },
        ],
        output_changes: {
          'cross-stack-output-azurerm_key_vaultKeyVault_DE550064id': { actions: ['update'] },
        },
      }),
    );
    const result = t.run(['plan', '--env', 'prod', '--outdir', t.out, '--bundle', t.bundle]);
    expect(result.status).toBe(0);
    expect(result.calls.every((c) => c.startsWith('prod '))).toBe(true);
    const summary = readFileSync(join(t.bundle, 'summary.md'), 'utf8');
    expect(summary).toContain('| prod | 0 | 0 | 1 | 0 | 1 change | yes |');
    expect(summary).toContain('| prod-tenants-1 | – | – | – | – | – | **deferred** |');
    expect(summary).toContain('- prod: `azurerm_key_vault.KeyVault` (**replace**)');
    expect(summary).toContain('- prod-tenants-2 is deferred: the prod plan changes 1 output the shards read');
  });

  it('records a stack without changes as nothing to apply', () => {
    const t = setup(app.outdir);
    const planned = t.run(['plan', '--env', 'staging', '--outdir', t.out, '--bundle', t.bundle], {
      FAKE_PLAN_EXIT: '0',
    });
    expect(planned.status).toBe(0);
    const record = JSON.parse(readFileSync(join(t.bundle, 'plan.json'), 'utf8'));
    expect(record.stacks).toEqual([expect.objectContaining({ id: 'staging', status: 'no-changes' })]);
    expect(t.run(['apply', '--bundle', t.bundle]).calls).toEqual([]);
  });

  /** Each case in a directory of its own: `<out>` and `<dir>` stand for its output and the directory. */
  it.each([
    [
      ['plan', '--env', 'prod', '--outdir', '<out>', '--bundle', '<dir>/plan-bundle'],
      { FAKE_PLAN_EXIT: '1' },
      /^terraform plan failed in <out>\/stacks\/prod \(exit 1\); see the log above\.$/,
    ],
    [
      ['plan', '--env', 'qa', '--outdir', '<out>', '--bundle', '<dir>/plan-bundle'],
      {},
      /^<out> has no stack of environment "qa"; it has: prod, prod-tenants-1, prod-tenants-2, staging\.$/,
    ],
    [
      ['plan', '--env', 'prod', '--outdir', '<out>', '--bundle', '<out>/x'],
      {},
      /^--bundle <out>\/x overlaps --outdir <out>; expected a directory of its own/,
    ],
    [
      ['plan', '--env', 'prod', '--outdir', '<out>', '--bundle', '<dir>/plan-bundle'],
      { TERRAFORM: 'no-such-terraform' },
      /^no-such-terraform is not on PATH: install Terraform/,
    ],
    [
      ['apply', '--bundle', '<dir>/nowhere'],
      {},
      /^<dir>\/nowhere has no plan\.json: download the plan artifact of this run's plan job first\.$/,
    ],
    [['deploy'], {}, /^unknown command "deploy"; expected plan or apply\.$/],
  ])('refuses %j in one sentence', (args, env, message) => {
    const t = setup(app.outdir);
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const here = (text: string, as = (path: string) => path) =>
      text.replaceAll('<out>', as(t.out)).replaceAll('<dir>', as(t.dir));
    const result = t.run(
      args.map((arg) => here(arg)),
      env,
    );
    expect(existsSync(join(process.cwd(), 'plan-bundle')), 'a bundle in the working directory').toBe(false);
    expect(result.status).not.toBe(0);
    expect(result.stderr.split('\n')[0]).toMatch(new RegExp(here(message.source, escape)));
  });

  it('refuses a stack with local state before calling terraform', () => {
    const t = setup();
    synthApp([exampleEnvironment('dev', { backend: undefined })], t.out);
    const result = t.run(['plan', '--env', 'dev', '--outdir', t.out, '--bundle', t.bundle]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^stack dev keeps local state, which the pipeline's runner discards: set backend.type "azurerm" or "cloud" in the dev config\.\n/,
    );
    expect(result.calls).toEqual([]);
  });
});

describe('pipeline apply', () => {
  it('applies the saved plans of the bundle, in order, and plans nothing', () => {
    const t = setup(app.outdir);
    t.run(['plan', '--env', 'prod', '--outdir', t.out, '--bundle', t.bundle]);
    // The apply job starts from a checkout and the downloaded artifact only.
    const fresh = join(t.dir, 'apply-job', 'cdktf.out');
    cpSync(t.bundle, fresh, { recursive: true });
    const result = t.run(['apply', '--bundle', fresh]);
    expect(result.status).toBe(0);
    expect(result.calls).toEqual(
      ['prod', 'prod-tenants-1', 'prod-tenants-2'].flatMap((id) => [
        `${id} init -input=false -no-color`,
        `${id} apply -input=false -no-color tfplan`,
      ]),
    );
    expect(result.calls.some((c) => / (plan|refresh) /.test(c))).toBe(false);
  });

  it('stops at a missing saved plan', () => {
    const t = setup(app.outdir);
    t.run(['plan', '--env', 'prod', '--outdir', t.out, '--bundle', t.bundle]);
    rmSync(join(t.bundle, 'stacks', 'prod-tenants-1', 'tfplan'));
    const result = t.run(['apply', '--bundle', t.bundle]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /prod-tenants-1\/tfplan is missing: the plan bundle is incomplete; plan again\./,
    );
    expect(result.calls).toEqual([
      'prod init -input=false -no-color',
      'prod apply -input=false -no-color tfplan',
    ]);
  });
});

describe('plan summary', () => {
  it('counts creates, updates, replacements and destroys, never data sources, and changed outputs', () => {
    expect(
      summarizePlan({
        resource_changes: [
          { address: 'a.x', change: { actions: ['create'] } },
          { address: 'a.y', change: { actions: ['update'] } },
          { address: 'a.z', change: { actions: ['create', 'delete'] } },
          { address: 'a.w', change: { actions: ['delete'] } },
          { address: 'a.v', change: { actions: ['no-op'] } },
          { address: 'data.a.u', mode: 'data', change: { actions: ['read'] } },
        ],
        output_changes: { o1: { actions: ['no-op'] }, o2: { actions: ['create'] } },
      }),
    ).toEqual({
      add: 1,
      change: 1,
      replace: 1,
      destroy: 1,
      destructive: [
        { address: 'a.z', action: 'replace' },
        { address: 'a.w', action: 'destroy' },
      ],
      outputsChanged: ['o2'],
    });
  });
});
