/**
 * `npm run bench [-- --runs 5] [-- --tenants 1,10,100,1000] [-- --check]`: synth as a whole process, timed against a
 * floor (a node process that only loads cdktf), for the example environments and for generated environments with 1,
 * 10, 100 and 1,000 tenants (shared and dedicated mixed, three regions). Prints a table and writes the same figures to
 * bench/results.json.
 *
 * Numbers, not a test: `--check` exits 1 when a goal of the README is missed.
 */
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSynthOutput } from '../constructs/shared/plan';
import { SYNTH_NODE_OPTIONS } from '../stacks/performance';
import { environmentWithTenants } from './lib/generate';
import {
  HELP_OPTION,
  markdownTable,
  parseCommand,
  PROGRESS_OPTION,
  progressReporter,
  type CommandIo,
  ScriptError,
  UsageError,
} from './lib/cli';

const DEFAULT_TENANTS = '1,10,100,1000';

const COMMAND = {
  usage: 'usage: bench [--runs <n>] [--tenants <n,n,...>] [--check] [--no-write] [--progress]',
  description: [
    'Times synth as a whole process (node dist/app.js) next to a floor (a node process that only loads cdktf), for',
    'the example environments and for the prod example with generated tenants (one in ten dedicated, three',
    'regions). Prints median and min wall time, peak memory, resources and output size, and the goals of the README.',
  ].join('\n'),
  options: {
    runs: {
      type: 'string',
      value: '<n>',
      help: 'timed runs per row after one warm-up, 1-50 (default: 5; at most 3 for 1,000 tenants)',
    },
    tenants: {
      type: 'string',
      value: '<n,n,...>',
      help: `tenant counts of the generated rows, 1-2000 each (default: ${DEFAULT_TENANTS})`,
    },
    check: {
      type: 'boolean',
      help: 'exit 1 when a goal is missed (goals whose rows did not run are not checked)',
    },
    'no-write': { type: 'boolean', help: 'do not write bench/results.json' },
    progress: PROGRESS_OPTION,
    help: HELP_OPTION,
  },
  notes: 'Run it on an idle machine: the figures are wall times.',
} as const;

interface Scenario {
  readonly name: string;
  readonly args: readonly string[];
  readonly tenants?: number;
  /** Output directory to measure (resource count, bytes). */
  readonly outdir?: string;
}

interface Result {
  readonly name: string;
  readonly tenants: number | null;
  readonly medianSeconds: number;
  readonly minSeconds: number;
  readonly timesFloor: number;
  readonly peakMiB: number;
  readonly resources: number | null;
  readonly outputBytes: number | null;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Resources and bytes of every stack's cdk.tf.json in `outdir`. */
function outputSize(outdir: string): { resources: number; bytes: number } {
  const output = readSynthOutput(outdir);
  let resources = 0;
  let bytes = 0;
  for (const id of output.stackIds) {
    bytes += statSync(join(outdir, output.manifest.stacks[id]!.synthesizedStackPath)).size;
    resources += output.stack(id).resources.length;
  }
  return { resources, bytes };
}

/** One measured process: its wall time and peak resident set size. */
export interface Measurement {
  readonly seconds: number;
  readonly peakMiB: number;
}

/**
 * Given a scratch directory, what runs `node <args>` to its end and measures it. Bench's own is
 * {@link measureProcess}; a test of the rows passes a stand-in that times nothing.
 */
export type Measurer = (work: string) => (nodeArgs: readonly string[]) => Measurement;

/** Spawns `node <args>` with a preloaded reporter of its peak RSS; a failed process stops the benchmark. */
export const measureProcess: Measurer = (work) => {
  const rssFile = join(work, 'rss');
  const reporter = join(work, 'report-rss.cjs');
  // Preloaded into the measured process: writes its peak resident set size (KiB) when it exits.
  writeFileSync(
    reporter,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));`,
  );
  return (commandArgs) => {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ['--require', reporter, ...commandArgs], {
      encoding: 'utf8',
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.status !== 0)
      throw new ScriptError(`${commandArgs.join(' ')} failed: ${result.stderr.trim()}`);
    return { seconds, peakMiB: Number(readFileSync(rssFile, 'utf8')) / 1024 };
  };
};

export function main(argv: readonly string[], io: CommandIo, measurer: Measurer = measureProcess): number {
  const args = parseCommand(argv, COMMAND, io);
  if (!args) return 0;
  const runs = Number(args.runs ?? 5);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50)
    throw new ScriptError(`--runs must be a whole number of 1–50, got ${JSON.stringify(args.runs)}.`);
  const tenantCounts = (args.tenants ?? DEFAULT_TENANTS).split(',').map((n) => n.trim());
  if (tenantCounts.some((n) => !/^\d+$/.test(n) || Number(n) < 1 || Number(n) > 2000)) {
    throw new UsageError(
      `--tenants must be whole numbers of 1–2000 separated by commas, got "${args.tenants}".\n${COMMAND.usage}`,
    );
  }
  const progress = progressReporter(io.stderr, 'bench', args.progress);
  if (!existsSync('dist/app.js'))
    throw new ScriptError('dist/app.js is missing: run `npm run build` (npm run bench does it).');

  const work = mkdtempSync(join(tmpdir(), 'lz-bench-'));
  try {
    const measure = measurer(work);
    const FLOOR_ARGS = ['-e', "require('cdktf')"];
    const floorSamples: number[] = [];
    /** Runs a scenario `count` times, each run right after a run of the floor: a drifting machine moves both. */
    const series = (scenario: Scenario, count: number) => {
      measure(scenario.args); // warm the file cache
      const samples = Array.from({ length: count }, () => {
        const floor = measure(FLOOR_ARGS).seconds;
        floorSamples.push(floor);
        return { ...measure(scenario.args), floor };
      });
      return {
        medianSeconds: median(samples.map((s) => s.seconds)),
        minSeconds: Math.min(...samples.map((s) => s.seconds)),
        peakMiB: Math.max(...samples.map((s) => s.peakMiB)),
        timesFloor: median(samples.map((s) => s.seconds / s.floor)),
      };
    };

    const scenarios: Scenario[] = [
      {
        name: 'examples: dev, staging, prod',
        args: [...SYNTH_NODE_OPTIONS, 'dist/app.js', '--outdir', join(work, 'examples')],
        outdir: join(work, 'examples'),
      },
    ];
    for (const tenants of [...new Set(tenantCounts.map(Number))].sort((a, b) => a - b)) {
      const file = join(work, `tenants-${tenants}.json`);
      writeFileSync(file, JSON.stringify(environmentWithTenants(tenants, { dedicatedEvery: 10 })));
      const outdir = join(work, `out-${tenants}`);
      scenarios.push({
        name: `prod, 3 regions, ${tenants} tenant${tenants === 1 ? '' : 's'}`,
        tenants,
        args: [...SYNTH_NODE_OPTIONS, 'dist/app.js', '--config', file, '--outdir', outdir],
        outdir,
      });
    }

    const rows = scenarios.length + 1;
    progress(`${rows} rows, ${runs} timed run${runs === 1 ? '' : 's'} each after a warm-up`);
    measure(FLOOR_ARGS); // warm the file cache
    const floorRun = measure(FLOOR_ARGS);
    const floorPeak = floorRun.peakMiB;
    progress(`1/${rows} floor: ${floorRun.seconds.toFixed(3)} s, run again before every timed run`);
    const measuredScenarios = scenarios.map((scenario, i) => {
      const measured = series(scenario, scenario.tenants === 1000 ? Math.min(runs, 3) : runs);
      const size = scenario.outdir ? outputSize(scenario.outdir) : undefined;
      progress(
        `${i + 2}/${rows} ${scenario.name}: median ${measured.medianSeconds.toFixed(3)} s, ${measured.timesFloor.toFixed(1)}× floor, peak ${measured.peakMiB.toFixed(0)} MiB`,
      );
      return {
        name: scenario.name,
        tenants: scenario.tenants ?? null,
        ...measured,
        resources: size?.resources ?? null,
        outputBytes: size?.bytes ?? null,
      };
    });
    const results: Result[] = [
      {
        name: "floor: node + require('cdktf')",
        tenants: null,
        medianSeconds: median(floorSamples),
        minSeconds: Math.min(...floorSamples),
        timesFloor: 1,
        peakMiB: floorPeak,
        resources: null,
        outputBytes: null,
      },
      ...measuredScenarios,
    ];

    const byTenants = (n: number) => results.find((r) => r.tenants === n);
    const examples = results[1]!;
    const [hundred, thousand] = [byTenants(100), byTenants(1000)];
    const growth = thousand && hundred ? thousand.medianSeconds / hundred.medianSeconds : undefined;
    // A goal is listed only when the rows it needs ran (--tenants can leave them out).
    const goals = [
      { goal: 'examples at most 4× the floor', met: examples.timesFloor <= 4 },
      ...(thousand
        ? [
            { goal: '1,000 tenants at most 22× the floor', met: thousand.timesFloor <= 22 },
            { goal: '1,000 tenants at most 300 MiB peak', met: thousand.peakMiB <= 300 },
          ]
        : []),
      ...(growth !== undefined
        ? [
            {
              goal: `100 → 1,000 tenants at most 10× the time (here ${growth.toFixed(1)}×)`,
              met: growth <= 10,
            },
          ]
        : []),
    ];

    io.stdout.write(
      `${runs} run${runs === 1 ? '' : 's'} per row${thousand && runs > 3 ? ' (3 for 1,000 tenants)' : ''}, warm, each after a run of the floor; median and min wall time, × floor as the median of the paired ratios, peak RSS (max over runs)\n\n`,
    );
    io.stdout.write(
      `${markdownTable(
        ['what', 'median s', 'min s', '× floor', 'peak MiB', 'resources', 'output KiB'],
        results.map((r) => [
          r.name,
          r.medianSeconds.toFixed(3),
          r.minSeconds.toFixed(3),
          r.timesFloor.toFixed(1),
          r.peakMiB.toFixed(0),
          r.resources ?? '-',
          r.outputBytes === null ? '-' : (r.outputBytes / 1024).toFixed(0),
        ]),
        ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
      )}\n\n`,
    );
    io.stdout.write(
      `${markdownTable(
        ['goal', 'met'],
        goals.map((g) => [g.goal, g.met ? 'yes' : 'NO']),
      )}\n`,
    );

    const cpu = cpus();
    const machine = {
      cpus: cpu.length,
      model: cpu[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    };
    io.stdout.write(
      `\nmachine: ${machine.cpus} × ${machine.model}, ${machine.memoryGiB} GiB, node ${machine.node}\n`,
    );
    if (!args['no-write']) {
      mkdirSync('bench', { recursive: true });
      writeFileSync('bench/results.json', `${JSON.stringify({ machine, runs, results, goals }, null, 2)}\n`);
      io.stdout.write('wrote bench/results.json\n');
    }
    return args.check && goals.some((g) => !g.met) ? 1 : 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
