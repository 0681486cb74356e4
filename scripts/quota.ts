/**
 * `npm run quota [-- --env prod] [-- --config file.yaml]`: the quota plan of each environment. Per region, model and
 * deployment type: the capacity the deployments ask for, the subscription quota the config declares, and the
 * headroom. Exits 1 when a request has no quota or exceeds it.
 */
import { environmentQuotaPlan } from '../environments/capacity';
import {
  type CommandIo,
  ENVIRONMENT_OPTIONS,
  environmentsFrom,
  markdownTable,
  parseCommand,
} from './lib/cli';
import { isBatch, isProvisioned } from '../constructs/shared/catalog';

const COMMAND = {
  usage: 'usage: quota [--env <name>]... [--config <file>]...',
  description: [
    'Prints the quota plan of each environment: per region, model and deployment type, the capacity the',
    'deployments ask for, the subscription quota the config declares, and the headroom. Exits 1 when a request',
    'has no quota or exceeds it.',
  ].join('\n'),
  options: ENVIRONMENT_OPTIONS,
} as const;

export function main(argv: readonly string[], io: CommandIo): number {
  const args = parseCommand(argv, COMMAND, io);
  if (!args) return 0;
  // Rules off: show the plan even when it breaks the quota, which is when it is most useful.
  const environments = environmentsFrom(args, false);
  let over = 0;
  for (const env of environments) {
    const rows = environmentQuotaPlan(env).map((row) => {
      const unit = isProvisioned(row.type) ? 'PTU' : isBatch(row.type) ? 'k tokens' : 'kTPM';
      const headroom = row.quota === undefined ? 'no quota declared' : row.quota - row.requested;
      if (row.quota === undefined || row.quota < row.requested) over += 1;
      return [row.region, row.model, row.type, `${row.requested} ${unit}`, row.quota ?? '-', headroom];
    });
    io.stdout.write(`\n## ${env.name}\n\n`);
    io.stdout.write(
      rows.length > 0
        ? `${markdownTable(['region', 'model', 'type', 'requested', 'quota', 'headroom'], rows, ['l', 'l', 'l', 'r', 'r', 'r'])}\n`
        : 'no model deployments\n',
    );
  }
  if (over > 0) {
    io.stderr.write(
      over === 1
        ? '\n1 row is over its quota or has none declared.\n'
        : `\n${over} rows are over their quota or have none declared.\n`,
    );
    return 1;
  }
  return 0;
}
