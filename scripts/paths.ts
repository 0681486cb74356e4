/**
 * `npm run paths [-- --env prod] [-- --outdir cdktf.out]`: proves every data path of each synthesized stack from its
 * plan (cdk.tf.json, with the stacks it reads) and prints one row per path: caller, callee, host, how the name
 * resolves, the route, the NSG rules, the identity and its role, and the verdict. Exit code 1 when a path is broken.
 * What config declares beyond the plan (internet callers, a hub's peering and DNS) comes from policy.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assumptionRows,
  checkDataPaths,
  type DataPathContext,
  PATH_TABLE_HEADER,
  pathRows,
} from '../constructs/shared/paths';
import { PolicyPlan } from '../constructs/shared/policy';
import { markdownTable, parseOptions, runScript, ScriptError, UsageError } from './lib/cli';
import { readPlans } from './lib/plan';

const USAGE = 'usage: paths [--env <name>]... [--outdir <dir>]';

interface Manifest {
  readonly stacks: Record<string, { readonly dependencies?: readonly string[] }>;
}

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
  const outdir = args.outdir ?? 'cdktf.out';
  const plans = readPlans(outdir);
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as Manifest;
  const stacks = plans.map((plan) => {
    const file = join(outdir, 'stacks', plan.name, 'policy.json');
    if (!existsSync(file))
      throw new ScriptError(
        `${file} is missing: run \`npm run synth\` again (it writes the policy results next to each plan).`,
      );
    const policy = JSON.parse(readFileSync(file, 'utf8')) as {
      facts?: { name?: string };
      paths?: { context?: DataPathContext };
    };
    return { plan, environment: String(policy.facts?.name ?? plan.name), context: policy.paths?.context };
  });
  const wanted = args.env ?? [];
  const known = new Set(stacks.map((s) => s.environment));
  const unknown = wanted.filter((env) => !known.has(env));
  if (unknown.length > 0)
    throw new UsageError(
      `${outdir} has no environment ${unknown.map((e) => `"${e}"`).join(', ')}; it has: ${[...known].join(', ')}.\n${USAGE}`,
    );

  let broken = 0;
  for (const stack of stacks.filter((s) => wanted.length === 0 || wanted.includes(s.environment))) {
    process.stdout.write(`\n## ${stack.plan.name}\n\n`);
    if (!stack.context) {
      process.stdout.write('no data-path proof in policy.json: run `npm run synth` again\n');
      broken += 1;
      continue;
    }
    const upstream = (manifest.stacks[stack.plan.name]?.dependencies ?? []).map(
      (id) => plans.find((p) => p.name === id)!.json as never,
    );
    const report = checkDataPaths(new PolicyPlan(stack.plan.json as never, upstream), stack.context);
    broken += report.paths.filter((p) => p.verdict === 'broken').length;
    process.stdout.write(
      report.paths.length > 0 ? `${markdownTable(PATH_TABLE_HEADER, pathRows(report))}\n` : 'no data paths\n',
    );
    const assumptions = assumptionRows(report);
    if (assumptions.length > 0) {
      process.stdout.write(
        `\nAssumed, provided outside the stack:\n\n${markdownTable(['hop', 'declared in', 'reason', 'paths'], assumptions)}\n`,
      );
    }
  }
  if (broken > 0) process.stderr.write(`${broken} data path${broken === 1 ? ' is' : 's are'} broken\n`);
  return broken > 0 ? 1 : 0;
});
