/**
 * `npm run bench`: times synth of the example environments as a whole process, next to a floor (a node process that
 * only loads cdktf), and prints wall time and peak memory. Numbers, not pass/fail: compare them with the goals in
 * the README.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.argv[2] ?? 7);
const work = mkdtempSync(join(tmpdir(), 'lz-bench-'));
const rssFile = join(work, 'rss');
const reporter = join(work, 'report-rss.cjs');
// Preloaded into the measured process: writes its peak resident set size (KiB) when it exits.
writeFileSync(
  reporter,
  `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));`,
);

interface Sample {
  readonly seconds: number;
  readonly peakMiB: number;
}

function measure(args: string[]): Sample {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', reporter, ...args], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stderr}`);
  return { seconds, peakMiB: Number(readFileSync(rssFile, 'utf8')) / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function series(args: string[]) {
  measure(args); // warm the file cache
  const samples = Array.from({ length: RUNS }, () => measure(args));
  return {
    seconds: median(samples.map((s) => s.seconds)),
    min: Math.min(...samples.map((s) => s.seconds)),
    peakMiB: Math.max(...samples.map((s) => s.peakMiB)),
  };
}

const floor = series(['-e', "require('cdktf')"]);
const rows = [
  { name: "floor: node + require('cdktf')", ...floor },
  { name: 'synth dev, staging, prod', ...series(['dist/app.js', '--outdir', join(work, 'out')]) },
];

const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
process.stdout.write(`${RUNS} runs each, warm; median wall time, peak RSS (max over runs)\n\n`);
process.stdout.write(
  `${line(['what', 'median s', 'min s', '× floor', 'peak MiB'])}\n${line(['---', '---:', '---:', '---:', '---:'])}\n`,
);
for (const row of rows) {
  process.stdout.write(
    `${line([row.name, row.seconds.toFixed(3), row.min.toFixed(3), (row.seconds / floor.seconds).toFixed(1), row.peakMiB.toFixed(0)])}\n`,
  );
}
rmSync(work, { recursive: true, force: true });
