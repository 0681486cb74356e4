/**
 * `npm run new-env -- --name prod-eu --from staging [--stage prod]`: a new environment copied from an existing one,
 * with every step the repository can take (scripts/lib/new-env.ts); prints the steps it cannot.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvironments } from '../environments';
import { DEFAULT_ENVIRONMENT_CODES, STAGES, type Stage } from '../environments/sections/foundation';
import { type CommandIo, HELP_OPTION, parseCommand, UsageError } from './lib/cli';
import { applyNewEnvironment, planNewEnvironment } from './lib/new-env';

const COMMAND = {
  usage: 'usage: new-env --name <name> --from <environment> [--stage dev|staging|prod] [--code <code>]',
  description: [
    'Adds an environment copied from another: environments/<name>.ts (its own name, stage, naming code and state',
    'container tfstate-<name>), its entry in environments/index.ts, an allocation of every tenant (copied from the',
    'source environment and marked for review), and its plan, apply and (for prod) promotion-guard entries in the',
    'GitHub workflows and azure-pipelines.yml. Writes nothing when any edit does not find what it expects. Prints',
    'what it cannot do: identities, bootstrap-state, GitHub and Azure DevOps environments and reviewers.',
  ].join('\n'),
  options: {
    name: {
      type: 'string',
      value: '<name>',
      help: 'the new environment (its stack id), e.g. prod-eu (required)',
    },
    from: {
      type: 'string',
      value: '<environment>',
      help: 'the environment to copy, e.g. staging (required)',
    },
    stage: { type: 'string', value: '<stage>', help: 'dev, staging or prod (default: the stage of --from)' },
    code: {
      type: 'string',
      value: '<code>',
      help: 'its short code in resource names, 1-4 letters and digits (default: from the name, unused)',
    },
    help: HELP_OPTION,
  },
  notes: 'Example: npm run new-env -- --name prod-eu --from staging --stage prod',
} as const;

export function main(argv: readonly string[], io: CommandIo): number {
  const args = parseCommand(argv, COMMAND, io);
  if (!args) return 0;
  if (!args.name || !args.from) throw new UsageError(`--name and --from are required.\n${COMMAND.usage}`);
  if (args.stage !== undefined && !(STAGES as readonly string[]).includes(args.stage)) {
    throw new UsageError(`--stage must be one of ${STAGES.join(', ')}, got "${args.stage}".`);
  }
  const known = loadEnvironments({ rules: false }).map((env) => ({
    name: env.name,
    stage: env.stage,
    code: env.naming.environmentCode ?? DEFAULT_ENVIRONMENT_CODES[env.name] ?? env.name,
    continuousEvaluation: env.evaluation?.continuous !== undefined,
  }));
  const plan = planNewEnvironment(
    process.cwd(),
    { name: args.name, from: args.from, stage: args.stage as Stage | undefined, code: args.code },
    known,
  );
  applyNewEnvironment(process.cwd(), plan);
  // The edits keep the files' layout; Prettier (a dev dependency) wraps what grew, so that the lint stays green.
  const prettier = join('node_modules', 'prettier', 'bin', 'prettier.cjs');
  if (existsSync(prettier)) {
    spawnSync(process.execPath, [prettier, '--write', '--log-level', 'warn', ...plan.files.keys()], {
      stdio: 'inherit',
    });
  }
  io.stdout.write(
    [
      `new-env: added ${args.name}, copied from ${args.from}:`,
      ...plan.done.map((line) => `  - ${line}`),
      'Still to do (the repository cannot):',
      ...plan.manual.map((line, i) => `  ${i + 1}. ${line}`),
      '',
    ].join('\n'),
  );
  return 0;
}
