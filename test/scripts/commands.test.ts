/**
 * Every command, tried as a new user would get it wrong: a wrong environment name, a missing file, malformed JSON
 * or YAML, no cdktf.out, an unknown flag. Each answers with a clear sentence and a non-zero exit, no stack trace,
 * and leaves no partial output.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'lz-commands-'));
const malformedJson = join(dir, 'broken.json');
writeFileSync(malformedJson, '{ "name": "dev", ');
const malformedYaml = join(dir, 'broken.yaml');
writeFileSync(malformedYaml, 'name: dev\n  stage: [dev\n');
const missing = join(dir, 'missing.yaml');
const noOutput = join(dir, 'no-cdktf.out');

/** Runs a built entry point from the project root. */
function run(entry: string, args: string[]) {
  const result = spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const CASES: Array<[string, string, string[], RegExp]> = [
  [
    'synth',
    'dist/app.js',
    ['--env', 'qa', '--outdir', join(dir, 'out-1')],
    /unknown environment; expected one of: dev, staging, prod/,
  ],
  [
    'synth',
    'dist/app.js',
    ['--config', missing, '--outdir', join(dir, 'out-2')],
    /cannot read the file: file not found/,
  ],
  ['synth', 'dist/app.js', ['--config', malformedJson, '--outdir', join(dir, 'out-3')], /invalid JSON/],
  ['synth', 'dist/app.js', ['--config', malformedYaml, '--outdir', join(dir, 'out-4')], /invalid YAML/],
  ['synth', 'dist/app.js', ['--bogus'], /Unknown option '--bogus'/],
  [
    'quota',
    'dist/scripts/quota.js',
    ['--env', 'qa'],
    /unknown environment; expected one of: dev, staging, prod/,
  ],
  ['quota', 'dist/scripts/quota.js', ['--config', missing], /cannot read the file: file not found/],
  ['quota', 'dist/scripts/quota.js', ['--config', malformedJson], /invalid JSON/],
  ['quota', 'dist/scripts/quota.js', ['--config', malformedYaml], /invalid YAML/],
  [
    'routes',
    'dist/scripts/routes.js',
    ['--outdir', noOutput],
    /has no manifest\.json: run `npm run synth` first\./,
  ],
  ['routes', 'dist/scripts/routes.js', ['--bogus'], /Unknown option '--bogus'/],
  [
    'bench',
    'dist/scripts/bench.js',
    ['--runs', 'many'],
    /--runs must be a whole number of 1–50, got "many"\./,
  ],
  ['schema', 'dist/scripts/schema.js', ['--bogus'], /Unknown option '--bogus'|usage: schema/],
  [
    'audit',
    'dist/scripts/audit.js',
    ['--outdir', noOutput, '--out', join(dir, 'audit-1')],
    /has no manifest\.json: run `npm run synth` first\./,
  ],
  ['audit', 'dist/scripts/audit.js', ['--bogus'], /Unknown option '--bogus'/],
  [
    'promote',
    'dist/scripts/promote.js',
    ['--from', 'staging', '--to', 'prod', '--config', missing],
    /cannot read the file: file not found/,
  ],
  [
    'promote',
    'dist/scripts/promote.js',
    ['--from', 'staging', '--to', 'prod', '--config', malformedYaml],
    /invalid YAML/,
  ],
  [
    'promote',
    'dist/scripts/promote.js',
    ['--from', 'staging', '--to', 'prod', '--outdir', noOutput],
    /has no manifest\.json: run `npm run synth` first\./,
  ],
  ['promote', 'dist/scripts/promote.js', ['--bogus'], /Unknown option '--bogus'/],
  [
    'pipeline',
    'dist/scripts/pipeline.js',
    ['plan', '--env', 'prod', '--outdir', noOutput],
    /has no manifest\.json/,
  ],
  ['pipeline', 'dist/scripts/pipeline.js', ['plan', '--bogus'], /Unknown option '--bogus'/],
  [
    'bench:shards',
    'dist/scripts/bench-shards.js',
    ['--tenants', 'many'],
    /--tenants must be a whole number of 1–2000, got "many"\./,
  ],
];

describe.each(CASES)('%s %s %j', (_name, entry, args, message) => {
  it('answers with a clear sentence and a non-zero exit, and writes nothing', () => {
    const result = run(entry, args);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(4);
    for (const flag of ['--outdir', '--out']) {
      const target = args[args.indexOf(flag) + 1];
      if (args.includes(flag) && target) expect(existsSync(target), `${flag} ${target}`).toBe(false);
    }
  });
});

it('leaves no temporary directories behind', () => {
  expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
});
