/**
 * Every command, tried as a new user would get it wrong: a wrong environment name, a missing file, malformed JSON
 * or YAML, no cdktf.out, an unknown flag. Each answers with a clear sentence and a non-zero exit, no stack trace,
 * and leaves no partial output. The commands run in-process (their `main`, test/helpers/run.ts); a few cases at the
 * end run the built files as processes, to prove what only a process shows: its exit code, its streams, a closed pipe.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as audit } from '../../scripts/audit';
import { main as bench, measureProcess, type Measurer } from '../../scripts/bench';
import { main as benchShards } from '../../scripts/bench-shards';
import { main as exportCommand } from '../../scripts/export';
import { environmentWithTenants } from '../../scripts/lib/generate';
import { progressReporter, type CommandMain } from '../../scripts/lib/cli';
import { main as newEnv } from '../../scripts/new-env';
import { main as pipeline } from '../../scripts/pipeline';
import { main as promote } from '../../scripts/promote';
import { main as quota } from '../../scripts/quota';
import { main as regen } from '../../scripts/regen';
import { main as routes } from '../../scripts/routes';
import { main as schema } from '../../scripts/schema';
import { main as verify } from '../../scripts/verify';
import { main as synth } from '../../stacks/cli';
import { SYNTH_NODE_OPTIONS } from '../../stacks/performance';
import { examplesOutdir } from '../helpers/examples';
import { runCommand, runCommandAsync, spawnAsync } from '../helpers/run';

const dir = mkdtempSync(join(tmpdir(), 'lz-commands-'));
const malformedJson = join(dir, 'broken.json');
writeFileSync(malformedJson, '{ "name": "dev", ');
const malformedYaml = join(dir, 'broken.yaml');
writeFileSync(malformedYaml, 'name: dev\n  stage: [dev\n');
const missing = join(dir, 'missing.yaml');
const noOutput = join(dir, 'no-cdktf.out');

const CASES: Array<[string, CommandMain, string[], RegExp]> = [
  [
    'synth',
    synth,
    ['--env', 'qa', '--outdir', join(dir, 'out-1')],
    /unknown environment; expected one of: dev, staging, prod/,
  ],
  [
    'synth',
    synth,
    ['--config', missing, '--outdir', join(dir, 'out-2')],
    /cannot read the file: file not found/,
  ],
  ['synth', synth, ['--config', malformedJson, '--outdir', join(dir, 'out-3')], /invalid JSON/],
  ['synth', synth, ['--config', malformedYaml, '--outdir', join(dir, 'out-4')], /invalid YAML/],
  ['synth', synth, ['--bogus'], /Unknown option '--bogus'/],
  ['quota', quota, ['--env', 'qa'], /unknown environment; expected one of: dev, staging, prod/],
  ['quota', quota, ['--config', missing], /cannot read the file: file not found/],
  ['quota', quota, ['--config', malformedJson], /invalid JSON/],
  ['quota', quota, ['--config', malformedYaml], /invalid YAML/],
  ['routes', routes, ['--outdir', noOutput], /has no manifest\.json: run `npm run synth` first\./],
  ['routes', routes, ['--bogus'], /Unknown option '--bogus'/],
  ['bench', bench, ['--runs', 'many'], /--runs must be a whole number of 1–50, got "many"\./],
  ['schema', schema, ['--bogus'], /Unknown option '--bogus'|usage: schema/],
  [
    'audit',
    audit,
    ['--outdir', noOutput, '--out', join(dir, 'audit-1')],
    /has no manifest\.json: run `npm run synth` first\./,
  ],
  ['audit', audit, ['--bogus'], /Unknown option '--bogus'/],
  [
    'promote',
    promote,
    ['--from', 'staging', '--to', 'prod', '--config', missing],
    /cannot read the file: file not found/,
  ],
  ['promote', promote, ['--from', 'staging', '--to', 'prod', '--config', malformedYaml], /invalid YAML/],
  [
    'promote',
    promote,
    ['--from', 'staging', '--to', 'prod', '--outdir', noOutput],
    /has no manifest\.json: run `npm run synth` first\./,
  ],
  ['promote', promote, ['--bogus'], /Unknown option '--bogus'/],
  ['pipeline', pipeline, ['plan', '--env', 'prod', '--outdir', noOutput], /has no manifest\.json/],
  ['pipeline', pipeline, ['plan', '--bogus'], /Unknown option '--bogus'/],
  [
    'bench:shards',
    benchShards,
    ['--tenants', 'many'],
    /--tenants must be a whole number of 1–2000, got "many"\./,
  ],
];

describe.each(CASES)('%s %j', (_name, main, args, message) => {
  it('answers with a clear sentence and a non-zero exit, and writes nothing', () => {
    const result = runCommand(main, args);
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

/** A terminal's escape sequence (colours, cursor moves): never in output that is not a terminal. */
// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b\[/;

describe('--help', () => {
  const HELP: Array<[string, CommandMain | typeof verify, string[], string[]]> = [
    ['synth', synth, [], ['--env', '--config', '--outdir', '--progress', '-h, --help']],
    ['audit', audit, [], ['--outdir', '--out', '--prune', '-h, --help']],
    ['bench', bench, [], ['--runs', '--tenants', '--check', '--no-write', '--progress', '-h, --help']],
    ['bench:shards', benchShards, [], ['--tenants', '--shards', '--progress', '-h, --help']],
    ['quota', quota, [], ['--env', '--config', '-h, --help']],
    ['routes', routes, [], ['--env', '--outdir', '-h, --help']],
    [
      'promote',
      promote,
      [],
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
      verify,
      [],
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
    ['schema', schema, [], ['-h, --help']],
    ['regen', regen, [], ['--outdir', '--no-readme', '-h, --help']],
    ['export', exportCommand, [], ['--env', '--format', '--out', '-h, --help']],
    ['new-env', newEnv, [], ['--name', '--from', '--stage', '--code', '-h, --help']],
    ['pipeline', pipeline, [], ['--env', '--outdir', '--bundle', '--lock', '-h, --help']],
    ['pipeline plan', pipeline, ['plan'], ['--env', '--outdir', '--bundle', '--lock', '-h, --help']],
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
    async (_name, main, args, options) => {
      const result =
        main === verify
          ? await runCommandAsync(verify, [...args, '--help'])
          : runCommand(main as CommandMain, [...args, '--help']);
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^usage: /);
      expect(documented(result.stdout)).toEqual(options);
    },
  );

  it.concurrent.each(SHELL)(
    '%s answers --help with its usage and each of its options',
    async (_name, script, options) => {
      const result = await spawnAsync('bash', [script, '--help']);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^usage: /);
      expect(documented(result.stdout)).toEqual(options);
    },
  );
});

describe('progress on stderr', () => {
  const progressLine = (command: string) => new RegExp(`^${command}: \\S.* \\(\\d+\\.\\d s\\)$`);
  const lines = (stderr: string) => stderr.split('\n').filter((line) => line !== '');

  it('bench prints one line per row with --progress, and bench --tenants chooses the rows', () => {
    // The rows with a stand-in for the timed processes (synth 2 s, the floor 0.5 s): what bench starts, and what it
    // prints of it. Each synth's --outdir gets the examples' output, whose resources bench counts.
    const started: string[][] = [];
    const standIn: Measurer = () => (args) => {
      started.push([...args]);
      const outdir = args.includes('--outdir') ? args[args.indexOf('--outdir') + 1]! : undefined;
      if (outdir && !existsSync(outdir)) cpSync(examplesOutdir(), outdir, { recursive: true });
      if (args.includes('--config')) {
        const config = JSON.parse(readFileSync(args[args.indexOf('--config') + 1]!, 'utf8'));
        expect(Object.keys(config.tenants)).toHaveLength(1);
      }
      return { seconds: args.includes('dist/app.js') ? 2 : 0.5, peakMiB: 100 };
    };
    const result = runCommand(
      (argv, io) => bench(argv, io, standIn),
      ['--runs', '1', '--tenants', '1', '--no-write', '--progress'],
    );
    expect(result.status, result.stderr).toBe(0);
    const FLOOR = ['-e', "require('cdktf')"];
    const synth = (...args: string[]) => [...SYNTH_NODE_OPTIONS, 'dist/app.js', ...args];
    const [examples, tenants] = [2, 5].map((i) => started[i]!);
    expect(started).toEqual([
      FLOOR, // a warm-up
      FLOOR,
      ...[examples, tenants].flatMap((row) => [row, FLOOR, row]), // each row: a warm-up, then floor and row
    ]);
    expect(examples).toEqual(synth('--outdir', expect.any(String)));
    expect(tenants).toEqual(synth('--config', expect.any(String), '--outdir', expect.any(String)));
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(/^bench: 3 rows, 1 timed run each after a warm-up \(/),
      expect.stringMatching(/^bench: 1\/3 floor: 0\.500 s, run again before every timed run \(/),
      expect.stringMatching(
        /^bench: 2\/3 examples: dev, staging, prod: median 2\.000 s, 4\.0× floor, peak 100 MiB \(/,
      ),
      expect.stringMatching(
        /^bench: 3\/3 prod, 3 regions, 1 tenant: median 2\.000 s, 4\.0× floor, peak 100 MiB \(/,
      ),
    ]);
    for (const line of lines(result.stderr)) expect(line).toMatch(progressLine('bench'));
    expect(result.stdout).toContain('| prod, 3 regions, 1 tenant ');
    expect(result.stdout).not.toMatch(/^\| 1,000 tenants/m); // goals of rows that did not run are not listed
  });

  it('bench measures a node process: its wall time and peak memory, and stops at a failed one', () => {
    const measure = measureProcess(mkdtempSync(join(dir, 'measure-')));
    const measured = measure(['-e', 'Buffer.alloc(64 * 2 ** 20, 1)']);
    expect(measured.seconds).toBeGreaterThan(0);
    expect(measured.peakMiB).toBeGreaterThan(64);
    expect(() => measure(['-e', 'process.stderr.write("no"); process.exit(3)'])).toThrow(
      /-e process\.stderr\.write\("no"\); process\.exit\(3\) failed: no/,
    );
  });

  it('bench:shards prints one line per stage by default on a terminal', () => {
    const result = runCommand(benchShards, ['--tenants', '2', '--shards', '2'], { terminal: true });
    expect(result.status).toBe(0);
    expect(lines(result.stderr).map((line) => line.replace(/ \(\d+\.\d s\)$/, ''))).toEqual([
      'bench:shards: generated prod with 2 tenants in 2 shards',
      'bench:shards: synthesizing (node dist/app.js)',
      expect.stringMatching(/^bench:shards: synthesized in \d+\.\d s, peak \d+ MiB$/),
      expect.stringMatching(/^bench:shards: checked 2 remote states and \d+ outputs read$/),
    ]);
    expect(result.stdout).toContain('every cross-stack reference resolves');
  }, 60_000);

  const tenants101 = () => {
    const config = join(dir, 'tenants-101.json');
    if (!existsSync(config)) writeFileSync(config, JSON.stringify(environmentWithTenants(101)));
    return ['--config', config];
  };

  it('synth prints progress by default on a terminal above 100 tenants', () => {
    // A run that stops at its output directory: the first stage line comes before that. The stages after it are
    // those of a synth asked for --progress (below).
    writeFileSync(join(dir, 'not-a-directory-101'), '');
    const result = runCommand(synth, [...tenants101(), '--outdir', join(dir, 'not-a-directory-101')], {
      terminal: true,
    });
    expect(result.status).toBe(1);
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(/^synth: loaded prod: 101 tenants \(\d+\.\d s\)$/),
      expect.stringMatching(/not-a-directory-101/),
    ]);
  });

  it('synth prints progress when asked with --progress, also off a terminal: one line per stage', () => {
    const outdir = join(dir, 'progress-2');
    const asked = runCommand(synth, ['--env', 'dev', '--progress', '--outdir', outdir]);
    expect(asked.status).toBe(0);
    for (const line of lines(asked.stderr)) expect(line).toMatch(progressLine('synth'));
    expect(lines(asked.stderr).map((line) => line.replace(/ \(\d+\.\d s\)$/, ''))).toEqual([
      expect.stringMatching(/^synth: loaded dev: \d+ tenants?$/),
      'synth: built 1 stack',
      'synth: wrote the plans and policy reports',
      `synth: replaced ${outdir}`,
    ]);
  }, 60_000);

  it('prints no progress off a terminal unless asked, nor for a short run on a terminal', () => {
    // The decision synth (and bench, verify) make before their first stage: `long` is synth's "above 100 tenants".
    const printed = (terminal: boolean, flag: boolean | undefined, long: boolean) => {
      let text = '';
      progressReporter(
        { write: (chunk: string) => (text += chunk), isTTY: terminal },
        'synth',
        flag,
        long,
      )('stage');
      return text;
    };
    expect(printed(false, undefined, true)).toBe('');
    expect(printed(true, undefined, false)).toBe('');
    expect(lines(printed(true, undefined, true))).toEqual([expect.stringMatching(progressLine('synth'))]);
    expect(lines(printed(false, true, false))).toEqual([expect.stringMatching(progressLine('synth'))]);
  });

  it('synth prints no progress on a terminal at 100 tenants or fewer', () => {
    // A run that stops at its output directory: the first stage line would come before that.
    writeFileSync(join(dir, 'not-a-directory'), '');
    const result = runCommand(synth, ['--env', 'dev', '--outdir', join(dir, 'not-a-directory')], {
      terminal: true,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).not.toMatch(/^synth: loaded/m);
    expect(lines(result.stderr)).toHaveLength(1);
  });
});

/**
 * The built files, run as processes: one per entry (the app, a script, the async verify), to prove what only a
 * process shows. Everything else above runs the same `main` in-process.
 */
describe('the built commands, as processes', () => {
  it.concurrent.each([
    ['synth', ['dist/app.js', '--env', 'qa', '--outdir', join(dir, 'spawned-1')], 1, /unknown environment/],
    ['quota', ['dist/scripts/quota.js', '--bogus'], 2, /^Unknown option '--bogus'[\s\S]*usage: quota/],
    [
      'verify',
      ['dist/scripts/verify.js', '--env', 'dev', '--vantage', 'moon'],
      2,
      /^--vantage must be one of internet, network, got "moon"\.\nusage: verify --env <name>/,
    ],
  ])('%s exits with its code and one clear sentence on stderr', async (_name, args, code, message) => {
    const result = await spawnAsync(process.execPath, args as string[]);
    expect(result).toMatchObject({ status: code, stdout: '' });
    expect(result.stderr).toMatch(message as RegExp);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stderr).not.toMatch(ESCAPE); // no colour codes off a terminal
    expect(existsSync(join(dir, 'spawned-1'))).toBe(false);
  });

  it.concurrent('ends quietly with its own exit code when the reader has gone (`… | head -0`)', async () => {
    // routes reads the examples' shared synth: it only reads an output.
    const result = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, ['dist/scripts/routes.js', '--outdir', examplesOutdir()], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += String(chunk)));
      child.on('close', (code) => done({ code, stderr }));
    });
    expect(result).toEqual({ code: 0, stderr: '' });
  });
});
