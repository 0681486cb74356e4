/**
 * `npm run audit [-- --outdir cdktf.out] [-- --out audit] [-- --prune]`: the audit report of every synthesized
 * environment, read from cdktf.out only: audit/<env>.md and one self-contained audit/index.html. Run `npm run synth`
 * first.
 */
import { type CommandIo, HELP_OPTION, OUTDIR_OPTION, parseCommand } from './lib/cli';
import { writeAudit } from './lib/audit';
import { OUTPUT_MARKER } from '../stacks/output-dir';

const COMMAND = {
  usage: 'usage: audit [--outdir <cdktf.out>] [--out <audit dir>] [--prune]',
  description: [
    'Writes the audit report of every stack in the synthesized output: <out>/<stack>.md and one self-contained',
    '<out>/index.html, read from the plans and policy results only. Run `npm run synth` first. What the report',
    'leaves out (a comparison with staging that cannot be made) is said on stderr.',
  ].join('\n'),
  options: {
    outdir: OUTDIR_OPTION,
    out: {
      type: 'string',
      value: '<dir>',
      help: `where to write the report (default: audit); absent, empty or with the audit's ${OUTPUT_MARKER}`,
    },
    prune: {
      type: 'boolean',
      help: 'remove the reports of environments that the output no longer holds (default: refuse)',
    },
    help: HELP_OPTION,
  },
} as const;

export function main(argv: readonly string[], io: CommandIo): number {
  const args = parseCommand(argv, COMMAND, io);
  if (!args) return 0;
  const out = args.out ?? 'audit';
  const { files, notes } = writeAudit(args.outdir ?? 'cdktf.out', out, { prune: args.prune ?? false });
  for (const note of notes) io.stderr.write(`audit: ${note}\n`);
  io.stdout.write(`wrote ${files.map((f) => `${out}/${f}`).join(', ')}\n`);
  return 0;
}
