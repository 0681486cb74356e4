/**
 * `npm run bench:shards [-- --tenants 1000 --shards 8]`: synthesizes the prod example with generated tenants in
 * tenant shards, as a whole `node dist/app.js` process, prints wall time and peak memory, and checks that every
 * cross-stack reference resolves (exit 1 when one does not). The test suite proves the same at a smaller count.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnvironment } from '../environments';
import { MAX_TENANT_SHARDS, tenantShardPlan } from '../environments/sections/tenant-shards';
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
import { SYNTH_NODE_OPTIONS } from '../stacks/performance';
import { checkCrossStackReferences } from './lib/cross-stack';
import { environmentWithTenants } from './lib/generate';

const COMMAND = {
  usage: 'usage: bench:shards [--tenants <n>] [--shards <n>] [--progress]',
  description: [
    'Synthesizes the prod example with generated tenants in tenant shards, as a whole node dist/app.js process,',
    'prints wall time and peak memory, and checks that every cross-stack reference resolves (exit 1 when one',
    'does not).',
  ].join('\n'),
  options: {
    tenants: {
      type: 'string',
      value: '<n>',
      default: '1000',
      help: 'generated tenants, 1-2000 (default: 1000)',
    },
    shards: {
      type: 'string',
      value: '<n>',
      default: '8',
      help: `tenant shards, 1-${MAX_TENANT_SHARDS} (default: 8)`,
    },
    progress: PROGRESS_OPTION,
    help: HELP_OPTION,
  },
} as const;

export function main(argv: readonly string[], io: CommandIo): number {
  const args = parseCommand(argv, COMMAND, io);
  if (!args) return 0;
  const whole = (flag: string, value: string, max: number) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > max) {
      throw new UsageError(`--${flag} must be a whole number of 1–${max}, got "${value}".\n${COMMAND.usage}`);
    }
    return n;
  };
  const tenants = whole('tenants', args.tenants, 2000);
  const shards = whole('shards', args.shards, MAX_TENANT_SHARDS);
  const progress = progressReporter(io.stderr, 'bench:shards', args.progress);
  const input = { ...environmentWithTenants(tenants), tenantShards: { count: shards } };
  const env = parseEnvironment(input, `generated prod with ${tenants} tenants`);
  progress(`generated prod with ${tenants} tenants in ${shards} shards`);

  const work = mkdtempSync(join(tmpdir(), 'lz-bench-shards-'));
  try {
    const config = join(work, 'prod.json');
    writeFileSync(config, JSON.stringify(input));
    const rssFile = join(work, 'rss');
    const reporter = join(work, 'report-rss.cjs');
    writeFileSync(
      reporter,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));`,
    );
    const outdir = join(work, 'cdktf.out');
    progress('synthesizing (node dist/app.js)');
    const started = process.hrtime.bigint();
    const result = spawnSync(
      process.execPath,
      ['--require', reporter, ...SYNTH_NODE_OPTIONS, 'dist/app.js', '--config', config, '--outdir', outdir],
      { encoding: 'utf8' },
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.status !== 0) throw new ScriptError(`synth failed:\n${result.stderr}`);
    const peakMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
    progress(`synthesized in ${seconds.toFixed(1)} s, peak ${peakMiB.toFixed(0)} MiB`);
    const report = checkCrossStackReferences(outdir);
    progress(`checked ${report.remoteStates} remote states and ${report.outputsRead} outputs read`);
    const sizes = [...(tenantShardPlan(env) ?? new Map<number, string[]>()).values()].map((s) => s.length);

    io.stdout.write(
      `${markdownTable(
        [
          'tenants',
          'shards',
          'tenants per shard (min–max)',
          'synth s',
          'peak MiB',
          'remote states',
          'outputs read',
        ],
        [
          [
            tenants,
            shards,
            `${Math.min(...sizes)}–${Math.max(...sizes)}`,
            seconds.toFixed(1),
            peakMiB.toFixed(0),
            report.remoteStates,
            report.outputsRead,
          ],
        ],
        ['r', 'r', 'l', 'r', 'r', 'r', 'r'],
      )}\n`,
    );
    if (report.problems.length > 0) {
      throw new ScriptError(
        `${report.problems.length} cross-stack references do not resolve:\n${report.problems.map((p) => `  - ${p}`).join('\n')}`,
      );
    }
    io.stdout.write('every cross-stack reference resolves\n');
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
