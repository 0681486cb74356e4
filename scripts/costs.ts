/**
 * `npm run costs [-- --env prod] [-- --outdir cdktf.out]`: the monthly cost plan of each environment, read from the
 * synthesized plan and the prices in its config (finops.prices): provisioned throughput at its fixed monthly price,
 * pay-as-you-go bounded by each tenant's monthly token quota. Exits 1 when a deployment has no price.
 */
import { type CommandIo, HELP_OPTION, OUTDIR_OPTION, markdownTable, parseCommand } from './lib/cli';
import { readSynthOutput } from '../constructs/shared/plan';
import { costReport, environmentCosts } from './lib/costs';

const COMMAND = {
  usage: 'usage: costs [--env <name>]... [--outdir <dir>]',
  description: [
    'Prints the monthly cost plan of each environment, read from the synthesized plan and the prices of its config',
    "(finops.prices): provisioned throughput fixed, pay-as-you-go bounded by each tenant's monthly token quota.",
    'Run `npm run synth` first. Exits 1 when a deployment has no price.',
  ].join('\n'),
  options: {
    env: {
      type: 'string',
      multiple: true,
      value: '<name>',
      help: "only this environment's platform stack (repeatable; default: every environment)",
    },
    outdir: OUTDIR_OPTION,
    help: HELP_OPTION,
  },
} as const;

export function main(argv: readonly string[], io: CommandIo): number {
  const args = parseCommand(argv, COMMAND, io);
  if (!args) return 0;
  let unpriced = 0;
  for (const costs of environmentCosts(readSynthOutput(args.outdir ?? 'cdktf.out'), args.env ?? [])) {
    unpriced += costs.plan?.unpriced.length ?? 0;
    io.stdout.write(costReport(costs, markdownTable));
  }
  return unpriced > 0 ? 1 : 0;
}
