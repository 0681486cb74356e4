/**
 * `npm run paths [-- --env prod] [-- --outdir cdktf.out]`: proves every data path of each synthesized stack from its
 * plan (cdk.tf.json, with the stacks it reads) and prints one row per path: caller, callee, host, how the name
 * resolves, the route, the NSG rules, the identity and its role, and the verdict. Exit code 1 when a path is broken.
 * What config declares beyond the plan (internet callers, a hub's peering and DNS) comes from policy.json.
 */
import { assumptionRows, checkDataPaths, PATH_TABLE_HEADER, pathRows } from '../constructs/shared/paths';
import { readSynthOutput } from '../constructs/shared/plan';
import { readPolicyReport } from '../constructs/shared/policy/report';
import {
  type CommandIo,
  HELP_OPTION,
  OUTDIR_OPTION,
  markdownTable,
  parseCommand,
  UsageError,
} from './lib/cli';

const COMMAND = {
  usage: 'usage: paths [--env <name>]... [--outdir <dir>]',
  description: [
    'Proves every data path of each synthesized stack from its plan and prints one row per path: caller, callee,',
    'host, how the name resolves, the route, the NSG rules, the identity and its role, and the verdict. Exit code 1',
    'when a path is broken. Run `npm run synth` first.',
  ].join('\n'),
  options: {
    env: {
      type: 'string',
      multiple: true,
      value: '<name>',
      help: 'only the stacks of this environment (repeatable; default: every environment of the output)',
    },
    outdir: OUTDIR_OPTION,
    help: HELP_OPTION,
  },
} as const;

export function main(argv: readonly string[], io: CommandIo): number {
  const args = parseCommand(argv, COMMAND, io);
  if (!args) return 0;
  const outdir = args.outdir ?? 'cdktf.out';
  const output = readSynthOutput(outdir);
  const stacks = output.stackIds.map((id) => {
    const policy = readPolicyReport(output, id);
    return { id, environment: String(policy.facts['name'] ?? id), context: policy.paths?.context };
  });
  const wanted = args.env ?? [];
  const known = new Set(stacks.map((s) => s.environment));
  const unknown = wanted.filter((env) => !known.has(env));
  if (unknown.length > 0)
    throw new UsageError(
      `${outdir} has no environment ${unknown.map((e) => `"${e}"`).join(', ')}; it has: ${[...known].join(', ')}.\n${COMMAND.usage}`,
    );

  let broken = 0;
  for (const stack of stacks.filter((s) => wanted.length === 0 || wanted.includes(s.environment))) {
    io.stdout.write(`\n## ${stack.id}\n\n`);
    if (!stack.context) {
      io.stdout.write('no data-path proof in policy.json: run `npm run synth` again\n');
      broken += 1;
      continue;
    }
    const report = checkDataPaths(output.stack(stack.id), stack.context);
    broken += report.paths.filter((p) => p.verdict === 'broken').length;
    io.stdout.write(
      report.paths.length > 0 ? `${markdownTable(PATH_TABLE_HEADER, pathRows(report))}\n` : 'no data paths\n',
    );
    const assumptions = assumptionRows(report);
    if (assumptions.length > 0) {
      io.stdout.write(
        `\nAssumed, provided outside the stack:\n\n${markdownTable(['hop', 'declared in', 'reason', 'paths'], assumptions)}\n`,
      );
    }
  }
  if (broken > 0) io.stderr.write(`${broken} data path${broken === 1 ? ' is' : 's are'} broken\n`);
  return broken > 0 ? 1 : 0;
}
