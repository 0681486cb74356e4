/**
 * `npm run routes [-- --env prod] [-- --outdir cdktf.out]`: the gateway's routing table, read from the synthesized
 * plan. For each model: its pool, and each backend with region, deployment type, priority, weight, capacity and
 * breaker, so that auditors and on-call see where a request can land.
 */
import { type CommandIo, HELP_OPTION, STACK_OPTIONS, markdownTable, parseCommand } from './lib/cli';
import { readSynthOutput } from '../constructs/shared/plan';
import { regionalRoutingRows, routingRows } from './lib/routes';

const COMMAND = {
  usage: 'usage: routes [--env <name>]... [--outdir <dir>]',
  description: [
    "Prints the gateway's routing table, read from the synthesized plan: for each model its pool, and each backend",
    'with region, deployment type, priority, weight, capacity, breaker and auth; for a multi-region gateway, the',
    'pools each regional gateway uses, local backends first. Run `npm run synth` first.',
  ].join('\n'),
  options: {
    ...STACK_OPTIONS,
    help: HELP_OPTION,
  },
} as const;

export function main(argv: readonly string[], io: CommandIo): number {
  const args = parseCommand(argv, COMMAND, io);
  if (!args) return 0;
  for (const plan of readSynthOutput(args.outdir ?? 'cdktf.out').stacks(args.env ?? [])) {
    const rows = routingRows(plan);
    io.stdout.write(`\n## ${plan.name}\n\n`);
    io.stdout.write(
      rows.length > 0
        ? `${markdownTable(
            [
              'model',
              'pool',
              'backend',
              'region',
              'type',
              'priority',
              'weight',
              'capacity',
              'breaker',
              'auth',
            ],
            rows,
            ['l', 'l', 'l', 'l', 'l', 'r', 'r', 'r', 'l', 'l'],
          )}\n`
        : 'no gateway routes\n',
    );
    const regional = regionalRoutingRows(plan);
    if (regional.length > 0) {
      io.stdout.write(
        `\n### by gateway region (local first)\n\n${markdownTable(
          ['gateway region', 'model', 'pool', 'order', 'backend', 'backend region', 'tier', 'priority'],
          regional,
          ['l', 'l', 'l', 'r', 'l', 'l', 'l', 'r'],
        )}\n`,
      );
    }
  }
  return 0;
}
