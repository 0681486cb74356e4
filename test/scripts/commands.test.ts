/**
 * Every command, tried as a new user would get it wrong: a wrong environment name, a missing file, malformed JSON
 * or YAML, no cdktf.out, an unknown flag. Each answers with a clear sentence and a non-zero exit, no stack trace,
 * and leaves no partial output.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentWithTenants } from '../../scripts/lib/generate';
import { examplesOutdir } from '../helpers/examples';
import { spawnAsync } from '../helpers/run';

const dir = mkdtempSync(join(tmpdir(), 'lz-commands-'));
const malformedJson = join(dir, 'broken.json');
writeFileSync(malformedJson, '{ "name": "dev", ');
const malformedYaml = join(dir, 'broken.yaml');
writeFileSync(malformedYaml, 'name: dev\n  stage: [dev\n');
const missing = join(dir, 'missing.yaml');
const noOutput = join(dir, 'no-cdktf.out');

/**
 * Runs a built entry point from the project root. The commands of this file run side by side (`concurrent`): each
 * is a process of its own, so the worker waits for several at once instead of one after another.
 */
function run(entry: string, args: string[]) {
  return spawnAsync(process.execPath, [entry, ...args]);
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

describe.concurrent.each(CASES)('%s %s %j', (_name, entry, args, message) => {
  it('answers with a clear sentence and a non-zero exit, and writes nothing', async () => {
    const result = await run(entry, args);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stdout + result.stderr).not.toMatch(ESCAPE); // no colour codes off a terminal
    expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(4);
    for (const flag of ['--outdir', '--out']) {
      const target = args[args.indexOf(flag) + 1];
      if (args.includes(flag) && target) expect(existsSync(target), `${flag} ${target}`).toBe(false);
    }
  });
});

// After the concurrent cases above: vitest runs a file's sequential tests only once the concurrent ones before them end.
it('leaves no temporary directories behind', () => {
  expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
});

/** A terminal's escape sequence (colours, cursor moves): never in output that is not a terminal. */
// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b\[/;

/** Preloaded into a command: makes it believe stderr is a terminal, as when a person runs it. */
const fakeTerminal = join(dir, 'fake-terminal.cjs');
writeFileSync(fakeTerminal, 'process.stderr.isTTY = true;\n');

describe.concurrent('--help', () => {
  const HELP: Array<[string, string[], string[]]> = [
    ['synth', ['dist/app.js'], ['--env', '--config', '--outdir', '--progress', '-h, --help']],
    ['audit', ['dist/scripts/audit.js'], ['--outdir', '--out', '--prune', '-h, --help']],
    [
      'bench',
      ['dist/scripts/bench.js'],
      ['--runs', '--tenants', '--check', '--no-write', '--progress', '-h, --help'],
    ],
    ['bench:shards', ['dist/scripts/bench-shards.js'], ['--tenants', '--shards', '--progress', '-h, --help']],
    ['quota', ['dist/scripts/quota.js'], ['--env', '--config', '-h, --help']],
    ['routes', ['dist/scripts/routes.js'], ['--env', '--outdir', '-h, --help']],
    [
      'promote',
      ['dist/scripts/promote.js'],
      [
        '--from',
        '--to',
        '--outdir',
        '--config',
        '--verification',
        '--evaluation',
        '--prompts',
        '--verification-max-age',
        '-h, --help',
      ],
    ],
    [
      'verify',
      ['dist/scripts/verify.js'],
      [
        '--env',
        '--vantage',
        '--subscription',
        '--tenant',
        '--auth',
        '--outdir',
        '--out',
        '--connect-to',
        '--gateway-url',
        '--arm-endpoint',
        '--logs-endpoint',
        '--request-timeout',
        '--check-timeout',
        '--telemetry-timeout',
        '--poll-interval',
        '--max-requests',
        '--progress',
        '-h, --help',
      ],
    ],
    ['schema', ['dist/scripts/schema.js'], ['-h, --help']],
    ['regen', ['dist/scripts/regen.js'], ['--outdir', '--no-readme', '-h, --help']],
    ['export', ['dist/scripts/export.js'], ['--env', '--format', '--out', '-h, --help']],
    ['new-env', ['dist/scripts/new-env.js'], ['--name', '--from', '--stage', '--code', '-h, --help']],
    ['pipeline', ['dist/scripts/pipeline.js'], ['--env', '--outdir', '--bundle', '--lock', '-h, --help']],
    [
      'pipeline plan',
      ['dist/scripts/pipeline.js', 'plan'],
      ['--env', '--outdir', '--bundle', '--lock', '-h, --help'],
    ],
  ];
  const SHELL: Array<[string, string, string[]]> = [
    [
      'bootstrap-state',
      'scripts/bootstrap-state',
      [
        '--subscription',
        '--location',
        '--resource-group',
        '--storage-account',
        '--container',
        '--writer',
        '--reader',
        '--sku',
        '--retention-days',
        '--dry-run',
        '-h, --help',
      ],
    ],
    ['audit:screenshot', 'scripts/audit-screenshot.sh', ['<png>', '<width>,<height>', '-h, --help']],
  ];

  /** The options a help text documents: lines `  <flag> [<value>]  <what it does>`. */
  function documented(help: string): string[] {
    return help
      .split('\n')
      .map((line) => /^ {2}(-h, --help|--[a-z-]+|<[^>]+>(?:,<[^>]+>)?)(?: <[^>]+>)? {2,}\S/.exec(line)?.[1])
      .filter((flag): flag is string => flag !== undefined);
  }

  it.each(HELP)(
    '%s answers --help with its usage and each of its options',
    async (_name, command, options) => {
      const result = await spawnAsync(process.execPath, [...command, '--help']);
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^usage: /);
      expect(documented(result.stdout)).toEqual(options);
      expect(result.stdout).not.toMatch(ESCAPE);
    },
  );

  it.each(SHELL)(
    '%s answers --help with its usage and each of its options',
    async (_name, script, options) => {
      const result = await spawnAsync('bash', [script, '--help']);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^usage: /);
      expect(documented(result.stdout)).toEqual(options);
    },
  );
});

// Whole synths and a short benchmark: seconds each on an idle machine, more on a shared one.
describe.concurrent('progress on stderr', () => {
  const progressLine = (command: string) => new RegExp(`^${command}: \\S.* \\(\\d+\\.\\d s\\)$`);
  const lines = (stderr: string) => stderr.split('\n').filter((line) => line !== '');

  it('bench prints one line per row with --progress, and bench --tenants chooses the rows', async () => {
    const result = await run('dist/scripts/bench.js', [
      '--runs',
      '1',
      '--tenants',
      '1',
      '--no-write',
      '--progress',
    ]);
    expect(result.status).toBe(0);
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(/^bench: 3 rows, 1 timed run each after a warm-up \(/),
      expect.stringMatching(/^bench: 1\/3 floor: \d+\.\d{3} s, run again before every timed run \(/),
      expect.stringMatching(
        /^bench: 2\/3 examples: dev, staging, prod: median \d+\.\d{3} s, \d+\.\d× floor, peak \d+ MiB \(/,
      ),
      expect.stringMatching(
        /^bench: 3\/3 prod, 3 regions, 1 tenant: median \d+\.\d{3} s, \d+\.\d× floor, peak \d+ MiB \(/,
      ),
    ]);
    for (const line of lines(result.stderr)) expect(line).toMatch(progressLine('bench'));
    expect(result.stdout).toContain('| prod, 3 regions, 1 tenant ');
    expect(result.stdout).not.toMatch(/^\| 1,000 tenants/m); // goals of rows that did not run are not listed
    expect(result.stdout + result.stderr).not.toMatch(ESCAPE);
  }, 120_000);

  it('bench:shards prints one line per stage by default on a terminal', async () => {
    const result = await spawnAsync(process.execPath, [
      '--require',
      fakeTerminal,
      'dist/scripts/bench-shards.js',
      '--tenants',
      '10',
      '--shards',
      '2',
    ]);
    expect(result.status).toBe(0);
    expect(lines(result.stderr).map((line) => line.replace(/ \(\d+\.\d s\)$/, ''))).toEqual([
      'bench:shards: generated prod with 10 tenants in 2 shards',
      'bench:shards: synthesizing (node dist/app.js)',
      expect.stringMatching(/^bench:shards: synthesized in \d+\.\d s, peak \d+ MiB$/),
      expect.stringMatching(/^bench:shards: checked 2 remote states and \d+ outputs read$/),
    ]);
    expect(result.stdout).toContain('every cross-stack reference resolves');
  }, 60_000);

  const synth = (preload: string[], args: string[], outdir: string) =>
    spawnAsync(process.execPath, [...preload, 'dist/app.js', ...args, '--outdir', join(dir, outdir)]);
  const tenants101 = () => {
    const config = join(dir, 'tenants-101.json');
    if (!existsSync(config)) writeFileSync(config, JSON.stringify(environmentWithTenants(101)));
    return ['--config', config];
  };

  it('synth prints its stages above 100 tenants by default on a terminal', async () => {
    const result = await synth(['--require', fakeTerminal], tenants101(), 'progress-1');
    expect(result.status).toBe(0);
    expect(lines(result.stderr).map((line) => line.replace(/ \(\d+\.\d s\)$/, ''))).toEqual([
      'synth: loaded prod: 101 tenants',
      'synth: built 1 stack',
      'synth: wrote the plans and policy reports',
      `synth: replaced ${join(dir, 'progress-1')}`,
    ]);
  }, 60_000);

  it('synth prints no progress when stderr is not a terminal, unless asked with --progress', async () => {
    const [quiet, asked] = await Promise.all([
      synth([], tenants101(), 'progress-2'),
      synth([], ['--env', 'dev', '--progress'], 'progress-3'),
    ]);
    expect(quiet).toMatchObject({ status: 0, stderr: '' });
    expect(asked.status).toBe(0);
    expect(lines(asked.stderr)).toHaveLength(4);
    for (const line of lines(asked.stderr)) expect(line).toMatch(progressLine('synth'));
  }, 60_000);

  it('synth prints no progress on a terminal at 100 tenants or fewer', async () => {
    expect(await synth(['--require', fakeTerminal], ['--env', 'dev'], 'progress-4')).toMatchObject({
      status: 0,
      stderr: '',
    });
  }, 60_000);
});

describe('a closed pipe', () => {
  /** Runs a command whose reader has gone before it writes (`… | head -0`). */
  function intoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
    return new Promise((done) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += String(chunk)));
      child.on('close', (code) => done({ code, stderr }));
    });
  }

  it.concurrent.each([
    ['routes', ['dist/scripts/routes.js', '--outdir', 'OUTDIR']],
    ['quota', ['dist/scripts/quota.js', '--env', 'prod']],
    ['synth --help', ['dist/app.js', '--help']],
  ])('ends %s quietly with its own exit code', async (_name, args) => {
    // routes reads the examples' shared synth: it only reads an output.
    const result = await intoClosedPipe(args.map((a) => (a === 'OUTDIR' ? examplesOutdir() : a)));
    expect(result).toEqual({ code: 0, stderr: '' });
  });
});
