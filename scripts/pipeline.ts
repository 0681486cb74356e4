/**
 * The pipeline's Terraform steps, the same in GitHub Actions and Azure DevOps:
 *
 *   node dist/scripts/pipeline.js plan --env prod [--outdir cdktf.out] [--bundle plan-bundle] [--lock]
 *   node dist/scripts/pipeline.js apply --bundle cdktf.out
 *
 * `plan` runs `terraform init` and `terraform plan -out=tfplan` in every stack directory of the environment
 * (cdktf.out/stacks/<id>: the platform stack, then its tenant shards) and writes a plan bundle laid out like cdktf.out:
 * `stacks/<id>/` with the stack's cdk.tf.json, provider lock file and saved plan, `plan.json` (what to apply) and
 * `summary.md` (what a reviewer reads). The pipeline uploads the bundle as the plan artifact; the approved apply job
 * downloads it into cdktf.out and `apply` runs `terraform apply tfplan` in each stack directory: the plan that was
 * reviewed is the plan that is applied, and nothing is planned again. A plan made stale by another apply fails
 * instead of applying (Terraform checks the state's serial).
 *
 * When the platform stack's plan changes outputs that the shards read (a new shared resource, a replaced one), the
 * shards are not planned against the old values: they are deferred to the next run, after the platform is applied.
 *
 * Plans run without a state lock unless `--lock`: the plan identity only reads state, and one concurrency group per
 * environment keeps applies from overlapping. Set TERRAFORM to use another binary than `terraform` on PATH.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { readSynthOutput } from '../constructs/shared/plan';
import { stacksOfEnvironment } from '../environments/stack-ids';
import { claimOutputDir, markerText, OUTPUT_MARKER } from '../stacks/output-dir';
import {
  type CommandSpec,
  helpText,
  HELP_OPTION,
  parseOptions,
  type CommandIo,
  ScriptError,
  UsageError,
} from './lib/cli';
import {
  type EnvironmentPlan,
  type PlannedStack,
  renderEnvironmentPlan,
  summarizePlan,
  type TerraformJsonPlan,
} from './lib/plan-summary';

const USAGE = [
  'usage: pipeline plan --env <name> [--outdir <dir>] [--bundle <dir>] [--lock]',
  '       pipeline apply --bundle <dir>',
].join('\n');

/** The files of a stack the apply step needs: the configuration, the provider lock file and the saved plan. */
const BUNDLED_FILES = ['cdk.tf.json', '.terraform.lock.hcl', 'tfplan'];

/**
 * Runs terraform (TERRAFORM, else `terraform` on PATH of `io.env`) in `dir`; its output goes to the log unless
 * captured. Returns the exit code (and stdout).
 */
function terraform(
  io: CommandIo,
  dir: string,
  args: string[],
  capture = false,
): { status: number; stdout: string } {
  const binary = io.env['TERRAFORM'] ?? 'terraform';
  const result = spawnSync(binary, [`-chdir=${dir}`, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...io.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
  });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ScriptError(
      missing
        ? `${binary} is not on PATH: install Terraform (hashicorp/setup-terraform, TerraformInstaller) or set TERRAFORM.`
        : `${binary} ${args[0]} in ${dir} failed to start: ${result.error.message}`,
    );
  }
  return { status: result.status ?? 1, stdout: capture ? String(result.stdout) : '' };
}

function must(io: CommandIo, dir: string, args: string[], what: string): void {
  const { status } = terraform(io, dir, args);
  if (status !== 0)
    throw new ScriptError(`terraform ${what} failed in ${dir} (exit ${status}); see the log above.`);
}

function plan(io: CommandIo, environment: string, outdir: string, bundle: string, lock: boolean): number {
  const output = readSynthOutput(outdir);
  const { manifest } = output;
  const stacks = stacksOfEnvironment(environment, output.stackIds);
  if (stacks.length === 0) {
    throw new ScriptError(
      `${outdir} has no stack of environment "${environment}"; it has: ${output.stackIds.join(', ')}.`,
    );
  }
  for (const id of stacks) {
    if (output.stack(id).backend?.backend === 'local') {
      throw new ScriptError(
        `stack ${id} keeps local state, which the pipeline's runner discards: set backend.type "azurerm" or "cloud" in the ${environment} config.`,
      );
    }
  }

  const [root, target] = [resolve(outdir), resolve(bundle)];
  if (target === root || target.startsWith(`${root}${sep}`) || root.startsWith(`${target}${sep}`)) {
    throw new ScriptError(
      `--bundle ${bundle} overlaps --outdir ${outdir}; expected a directory of its own, e.g. plan-bundle.`,
    );
  }
  // The bundle is replaced whole: only when it is absent, empty or an earlier bundle (stacks/output-dir).
  const bundleDir = claimOutputDir(bundle, { owner: 'pipeline plan', flag: '--bundle' });
  rmSync(bundleDir.target, { recursive: true, force: true });
  mkdirSync(bundleDir.target, { recursive: true });
  writeFileSync(join(bundleDir.target, OUTPUT_MARKER), markerText(bundleDir.owner));
  const planned: PlannedStack[] = [];
  let deferBecause: string | undefined;
  for (const id of stacks) {
    if (deferBecause) {
      planned.push({ id, status: 'deferred', reason: deferBecause });
      continue;
    }
    const dir = join(outdir, manifest.stacks[id]!.workingDirectory);
    io.stdout.write(`\n== ${id}: terraform init and plan\n`);
    must(io, dir, ['init', '-input=false', '-no-color'], 'init');
    const { status } = terraform(io, dir, [
      'plan',
      '-input=false',
      '-no-color',
      `-lock=${lock}`,
      '-detailed-exitcode',
      '-out=tfplan',
    ]);
    if (status !== 0 && status !== 2) {
      throw new ScriptError(`terraform plan failed in ${dir} (exit ${status}); see the log above.`);
    }
    const shown = terraform(io, dir, ['show', '-json', 'tfplan'], true);
    if (shown.status !== 0)
      throw new ScriptError(`terraform show -json tfplan failed in ${dir} (exit ${shown.status}).`);
    const summary = summarizePlan(JSON.parse(shown.stdout) as TerraformJsonPlan);
    planned.push({ id, status: status === 2 ? 'changes' : 'no-changes', summary });

    const target = join(bundle, 'stacks', id);
    mkdirSync(target, { recursive: true });
    for (const file of BUNDLED_FILES) {
      if (existsSync(join(dir, file))) copyFileSync(join(dir, file), join(target, file));
    }
    if (id === environment && summary.outputsChanged.length > 0) {
      deferBecause = `the ${id} plan changes ${summary.outputsChanged.length} output${summary.outputsChanged.length === 1 ? '' : 's'} the shards read; once it is applied, run the pipeline again to plan them against the new values`;
    }
  }

  const record: EnvironmentPlan = { version: 1, environment, stacks: planned };
  writeFileSync(join(bundle, 'plan.json'), `${JSON.stringify(record, null, 2)}\n`);
  const summary = renderEnvironmentPlan(record);
  writeFileSync(join(bundle, 'summary.md'), summary);
  io.stdout.write(`\n${summary}`);
  return 0;
}

function apply(io: CommandIo, bundle: string): number {
  const file = join(bundle, 'plan.json');
  if (!existsSync(file)) {
    throw new ScriptError(
      `${bundle} has no plan.json: download the plan artifact of this run's plan job first.`,
    );
  }
  const record = JSON.parse(readFileSync(file, 'utf8')) as EnvironmentPlan;
  if (record.version !== 1 || !Array.isArray(record.stacks)) {
    throw new ScriptError(`${file} is not a plan record of this pipeline (version 1).`);
  }
  for (const stack of record.stacks) {
    if (stack.status === 'no-changes') {
      io.stdout.write(`\n== ${stack.id}: no changes, nothing to apply\n`);
      continue;
    }
    if (stack.status === 'deferred') {
      io.stdout.write(`\n== ${stack.id}: deferred (${stack.reason})\n`);
      continue;
    }
    const dir = join(bundle, 'stacks', stack.id);
    if (!existsSync(join(dir, 'tfplan'))) {
      throw new ScriptError(`${join(dir, 'tfplan')} is missing: the plan bundle is incomplete; plan again.`);
    }
    io.stdout.write(`\n== ${stack.id}: terraform apply of the reviewed plan\n`);
    must(io, dir, ['init', '-input=false', '-no-color'], 'init');
    must(io, dir, ['apply', '-input=false', '-no-color', 'tfplan'], 'apply');
  }
  const deferred = record.stacks.filter((s) => s.status === 'deferred');
  if (deferred.length > 0) {
    io.stdout.write(
      `\n${deferred.length} stack${deferred.length === 1 ? ' was' : 's were'} deferred: run the pipeline again to plan and apply ${deferred.map((s) => s.id).join(', ')}.\n`,
    );
  }
  return 0;
}

const PLAN_OPTIONS = {
  env: { type: 'string', value: '<name>', help: 'plan: the environment whose stacks to plan (required)' },
  outdir: { type: 'string', value: '<dir>', help: 'plan: the synthesized output (default: cdktf.out)' },
  bundle: {
    type: 'string',
    value: '<dir>',
    help: 'plan: where to write the plan bundle (default: plan-bundle); apply: the bundle to apply (required)',
  },
  lock: { type: 'boolean', help: 'plan: take the state lock (default: plan without it; apply always locks)' },
} as const;

const COMMAND: CommandSpec<typeof PLAN_OPTIONS & { help: typeof HELP_OPTION }> = {
  usage: USAGE,
  description: [
    "The pipeline's Terraform steps. plan runs terraform init and plan in every stack directory of the environment",
    '(the platform stack, then its tenant shards) and writes a plan bundle: the stacks with their saved plans and',
    'lock files, plan.json and summary.md. apply runs terraform apply on the saved plans of a bundle; it never plans.',
  ].join('\n'),
  options: { ...PLAN_OPTIONS, help: HELP_OPTION },
  notes: 'TERRAFORM=<binary> runs another binary than terraform on PATH.',
};

export function main(argv: readonly string[], io: CommandIo): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(helpText(COMMAND));
    return 0;
  }
  if (command === 'plan') {
    const { bundle, env, outdir, lock } = PLAN_OPTIONS;
    const args = parseOptions(rest, { bundle, env, outdir, lock }, USAGE);
    if (!args.env) throw new UsageError(`plan needs --env <name>.\n${USAGE}`);
    return plan(io, args.env, args.outdir ?? 'cdktf.out', args.bundle ?? 'plan-bundle', args.lock ?? false);
  }
  if (command === 'apply') {
    const args = parseOptions(rest, { bundle: PLAN_OPTIONS.bundle }, USAGE);
    if (!args.bundle) throw new UsageError(`apply needs --bundle <dir>.\n${USAGE}`);
    return apply(io, args.bundle);
  }
  throw new UsageError(
    `${command === undefined ? 'no command' : `unknown command "${command}"`}; expected plan or apply.\n${USAGE}`,
  );
}
