/**
 * `npm run prompts [-- --env <name>]`: the prompt library (prompts/<id>/<version>.yaml) per environment, as a table,
 * after validating every asset, the lock and each environment's pins (all problems at once, exit 1).
 *
 *   npm run prompts -- lock                         adds new versions to prompts/versions.lock.json (never changes one)
 *   npm run prompts -- publish --env prod           publishes prod's versions to the prompts container (after apply)
 *
 * publish reads the prompt library's account from the synthesized plan (--outdir) and writes with the Azure CLI
 * signed in as the pipeline's deploy identity (`--auth-mode login`: Entra ID, no keys, no SAS). A version that is
 * already published with another content hash refuses the publish; nothing is written then.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ENVIRONMENT_OPTIONS,
  environmentsFrom,
  helpText,
  markdownTable,
  OUTDIR_OPTION,
  parseOptions,
  UsageError,
  type CommandSpec,
  type CommandIo,
} from './lib/cli';
import { readPromptLibrary } from '../environments/prompt-assets';
import {
  assertNoProblems,
  LOCK_FILE,
  promptProblems,
  promptRows,
  publishPrompts,
  publishTarget,
  updatedLock,
} from './lib/prompts';

const USAGE = [
  'usage: prompts [--env <name>]... [--config <file>]... [--root <dir>]',
  '       prompts lock [--root <dir>]',
  '       prompts publish --env <name> [--config <file>]... [--outdir <dir>] [--dry-run] [--root <dir>]',
].join('\n');

const OPTIONS = {
  ...ENVIRONMENT_OPTIONS,
  outdir: OUTDIR_OPTION,
  root: { type: 'string', value: '<dir>', help: 'the prompt library (default: prompts)' },
  'dry-run': { type: 'boolean', help: 'publish: print what would be uploaded and upload nothing' },
} as const;

const COMMAND: CommandSpec<typeof OPTIONS> = {
  usage: USAGE,
  description: [
    "Prompts as versioned code. Without a command: validates the library, its lock and every environment's pins,",
    'and lists the versions each environment runs. lock: adds new versions to the lock. publish: uploads the',
    "environment's versions to the prompt library's prompts container with Entra ID (az --auth-mode login).",
  ].join('\n'),
  options: OPTIONS,
  notes: 'AZ=<binary> runs another binary than az on PATH.',
};

export function main(argv: readonly string[], io: CommandIo): number {
  const command = argv[0] && !argv[0].startsWith('-') ? argv[0] : 'list';
  const args = parseOptions(command === 'list' ? argv : argv.slice(1), OPTIONS, USAGE);
  if (args.help) {
    io.stdout.write(helpText(COMMAND));
    return 0;
  }
  const root = args.root ?? 'prompts';
  const library = readPromptLibrary(root);
  if (command === 'lock') {
    const { text, added } = updatedLock(library);
    writeFileSync(join(root, LOCK_FILE), text);
    io.stdout.write(
      added.length > 0 ? `added to ${root}/${LOCK_FILE}: ${added.join(', ')}\n` : 'the lock is up to date\n',
    );
    return 0;
  }
  if (command !== 'list' && command !== 'publish') {
    throw new UsageError(`unknown command "${command}"; expected lock or publish, or none.\n${USAGE}`);
  }
  if (command === 'publish' && (args.env ?? []).length + (args.config ?? []).length !== 1) {
    throw new UsageError(
      `publish takes exactly one environment (--env <name> or --config <file>).\n${USAGE}`,
    );
  }
  const all = environmentsFrom({ config: args.config });
  const chosen = args.env && args.env.length > 0 ? all.filter((e) => args.env!.includes(e.name)) : all;
  const envs = all.map((env) => ({
    env,
    source: args.config?.length ? env.name : `environments/${env.name}.ts`,
  }));
  assertNoProblems(promptProblems(library, envs));
  if (command === 'publish') {
    const env = chosen[0]!;
    const target = publishTarget(args.outdir ?? 'cdktf.out', env.name);
    const dryRun = args['dry-run'] ?? false;
    const { steps, passed } = publishPrompts(env, library, target, dryRun, io.env);
    io.stdout.write(
      `## Prompts of ${env.name} → ${target.account}/${target.container}${dryRun ? ' (dry run)' : ''}\n\n${markdownTable(
        ['blob', 'action', 'content hash / reason'],
        steps.map((s) => [s.blob, s.action === 'refused' ? '**refused**' : s.action, s.detail]),
      )}\n`,
    );
    if (!passed) io.stdout.write('\nnothing was published: a released version never changes.\n');
    return passed ? 0 : 1;
  }
  for (const env of chosen) {
    const rows = promptRows(env, library);
    io.stdout.write(`\n## ${env.name}\n\n`);
    io.stdout.write(
      rows.length > 0
        ? `${markdownTable(['id', 'version', 'kind', 'model route (model@version) / steps', 'tenant', 'owner', 'hash'], rows)}\n`
        : 'no prompt versions pinned (prompts.versions)\n',
    );
  }
  return 0;
}
