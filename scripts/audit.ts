/**
 * `npm run audit [-- --outdir cdktf.out] [-- --out audit]`: the audit report of every synthesized environment,
 * read from cdktf.out only: audit/<env>.md and one self-contained audit/index.html. Run `npm run synth` first.
 */
import { parseOptions, runScript } from './lib/cli';
import { writeAudit } from './lib/audit';

const USAGE = 'usage: audit [--outdir <cdktf.out>] [--out <audit dir>]';

runScript(() => {
  const args = parseOptions(
    process.argv.slice(2),
    { outdir: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  );
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const out = args.out ?? 'audit';
  const files = writeAudit(args.outdir ?? 'cdktf.out', out);
  process.stdout.write(`wrote ${files.map((f) => `${out}/${f}`).join(', ')}\n`);
  return 0;
});
