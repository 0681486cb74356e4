/**
 * `npm run promote -- --from staging --to prod [--outdir cdktf.out] [--config <file>]...`: the promotion guard. Reads
 * both environments' configuration (the shipped examples, or the files given) and their synthesized plans, prints
 * what differs, and exits 1 when the promotion is blocked:
 *
 * - prod would run a model or model version that staging does not run;
 * - a gateway policy differs other than by the declared per-environment values;
 * - the governance rule pack fails, or its results (policy.json) are missing;
 * - a tenant's allocation grows without an approval;
 * - a cross-environment rule fails.
 */
import { parseOptions, runScript, UsageError } from './lib/cli';
import { loadPair, promotionReport, readSide, renderPromotion } from './lib/promote';

const USAGE = 'usage: promote --from <environment> --to <environment> [--outdir <dir>] [--config <file>]...';

runScript(() => {
  const args = parseOptions(
    process.argv.slice(2),
    {
      from: { type: 'string' },
      to: { type: 'string' },
      outdir: { type: 'string' },
      config: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!args.from || !args.to) throw new UsageError(`--from and --to are required.\n${USAGE}`);
  const outdir = args.outdir ?? 'cdktf.out';
  const [from, to] = loadPair(args.from, args.to, args.config ?? []);
  const report = promotionReport(readSide(from, outdir), readSide(to, outdir));
  process.stdout.write(renderPromotion(report));
  return report.passed ? 0 : 1;
});
