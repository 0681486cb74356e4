/**
 * `npm run resilience [-- --env prod] [-- --outdir cdktf.out]`: what each model keeps when one region is lost (its
 * regional gateway and its deployments), read from the synthesized plan, against the environment's
 * `resilience.minSurvivingCapacityPercent` (carried in policy.json). Synth already fails in prod when a loss stops a
 * model (rule LZ.Resilience.RegionLoss); this prints the whole table.
 */
import { analyzeResilience, RESILIENCE_TABLE_HEADER, resilienceRows } from '../constructs/shared/paths';
import { readOutputJson, readSynthOutput } from '../constructs/shared/plan';
import { type CommandIo, HELP_OPTION, STACK_OPTIONS, markdownTable, parseCommand } from './lib/cli';
import { join } from 'node:path';

const COMMAND = {
  usage: 'usage: resilience [--env <name>]... [--outdir <dir>]',
  description: [
    'Prints, for each model the gateway routes, its capacity now and after the loss of each region (its gateway and',
    'its deployments), and whether it keeps resilience.minSurvivingCapacityPercent. Run `npm run synth` first.',
  ].join('\n'),
  options: {
    ...STACK_OPTIONS,
    help: HELP_OPTION,
  },
} as const;

export function main(argv: readonly string[], io: CommandIo): number {
  const args = parseCommand(argv, COMMAND, io);
  if (!args) return 0;
  const outdir = args.outdir ?? 'cdktf.out';
  for (const plan of readSynthOutput(outdir).stacks(args.env ?? [])) {
    const analysis = analyzeResilience(plan);
    if (analysis.models.length === 0) continue; // a tenant shard: no gateway of its own
    const policy = readOutputJson<{ facts?: { resilience?: { minSurvivingCapacityPercent?: number } } }>(
      join(outdir, 'stacks', plan.name, 'policy.json'),
    );
    const floor = policy.facts?.resilience?.minSurvivingCapacityPercent ?? 0;
    io.stdout.write(
      `\n## ${plan.name}\n\ngateway regions: ${analysis.gatewayRegions.join(', ')}; every model must keep ${floor}%\n\n`,
    );
    io.stdout.write(
      `${markdownTable([...RESILIENCE_TABLE_HEADER], resilienceRows(analysis, floor), ['l', 'l', 'l', 'l', 'r', 'l'])}\n`,
    );
  }
  return 0;
}
