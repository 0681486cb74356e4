/**
 * `npm run routes [-- --env prod] [-- --outdir cdktf.out]`: the gateway's routing table, read from the synthesized
 * plan. For each model: its pool, and each backend with region, deployment type, priority, weight, capacity and
 * breaker, so that auditors and on-call see where a request can land.
 */
import { markdownTable, parseOptions, runScript } from './lib/cli';
import { readSynthOutput } from '../constructs/shared/plan';
import { routingRows } from './lib/routes';

const USAGE = 'usage: routes [--env <name>]... [--outdir <dir>]';

runScript(() => {
  const args = parseOptions(
    process.argv.slice(2),
    {
      env: { type: 'string', multiple: true },
      outdir: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  for (const plan of readSynthOutput(args.outdir ?? 'cdktf.out').stacks(args.env ?? [])) {
    const rows = routingRows(plan);
    process.stdout.write(`\n## ${plan.name}\n\n`);
    process.stdout.write(
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
  }
  return 0;
});
