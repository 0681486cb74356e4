/**
 * The synth command line, run by stacks/app.ts:
 *
 *   node dist/app.js                        every shipped example environment
 *   node dist/app.js --env prod             only some of them; the other environments' output is kept
 *   node dist/app.js --config my-env.yaml   one environment from a JSON or YAML file (repeatable)
 *
 * The output goes to $CDKTF_OUTDIR (set by the cdktf CLI) or cdktf.out, replaced only when synth succeeds, and only
 * if it is absent, empty or synth's own (see ./output-dir).
 */
import { ConfigError, loadEnvironments } from '../environments';
import {
  type CommandIo,
  ENVIRONMENT_OPTIONS,
  HELP_OPTION,
  parseCommand,
  progressReporter,
  UsageError,
} from '../scripts/lib/cli';
import { OUTPUT_MARKER, OutputDirError } from './output-dir';
import { skipTokenCreationStacks } from './performance';
import { SynthError, synthesizeAtomically } from './synthesize';

/** Synth prints progress on a terminal by default above this many tenants (all environments together). */
const LONG_RUN_TENANTS = 100;

const COMMAND = {
  usage: 'usage: synth [--env <name>]... [--config <file.json|file.yaml>]... [--outdir <dir>] [--progress]',
  description: [
    'Synthesizes the environments into Terraform JSON: <outdir>/stacks/<stack>/cdk.tf.json and policy.json.',
    'Without --env and --config: every shipped environment, and the output holds exactly those. With --env or',
    "--config: only those environments' stacks (platform and tenant shards) are replaced; the others are kept.",
  ].join('\n'),
  options: {
    env: ENVIRONMENT_OPTIONS.env,
    config: ENVIRONMENT_OPTIONS.config,
    outdir: {
      type: 'string',
      value: '<dir>',
      help: `output directory (default: $CDKTF_OUTDIR, else cdktf.out); absent, empty or with synth's ${OUTPUT_MARKER}`,
    },
    progress: {
      type: 'boolean',
      help: `print progress on stderr, one line per stage (the default on a terminal above ${LONG_RUN_TENANTS} tenants)`,
    },
    help: HELP_OPTION,
  },
  notes: [
    'The output is replaced only when synth succeeds; a failed synth leaves the previous output as it was.',
    'LZ_DEBUG=1 prints stack traces and keeps cdktf token creation stacks.',
  ].join('\n'),
} as const;

export function main(argv: readonly string[], io: CommandIo): number {
  let args;
  try {
    args = parseCommand(argv, COMMAND, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (!args) return 0;
  const outdir = args.outdir ?? io.env['CDKTF_OUTDIR'] ?? 'cdktf.out';
  // Token creation stacks only help to debug cdktf itself: keep them when LZ_DEBUG is set.
  if (!io.env['LZ_DEBUG']) skipTokenCreationStacks();
  try {
    const selected = (args.env ?? []).length > 0 || (args.config ?? []).length > 0;
    const environments = loadEnvironments({ configFiles: args.config ?? [], names: args.env ?? [] });
    const tenants = environments.reduce((sum, env) => sum + Object.keys(env.tenants ?? {}).length, 0);
    const progress = progressReporter(io.stderr, 'synth', args.progress, tenants > LONG_RUN_TENANTS);
    progress(
      `loaded ${environments.map((env) => env.name).join(', ')}: ${tenants} tenant${tenants === 1 ? '' : 's'}`,
    );
    const notes = synthesizeAtomically(environments, outdir, undefined, {
      keepOtherEnvironments: selected,
      onStage: progress,
      onNote: (note) => io.stderr.write(`synth: ${note}\n`),
    });
    for (const note of notes)
      io.stderr.write(`${note.level}: [${note.stack}] ${note.path}: ${note.message}\n`);
    progress(`replaced ${outdir}`);
    io.stdout.write(`synthesized ${environments.map((env) => env.name).join(', ')} into ${outdir}\n`);
    return 0;
  } catch (error) {
    if (error instanceof OutputDirError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (error instanceof ConfigError || error instanceof SynthError) {
      io.stderr.write(`${error.message}\nNothing was written to ${outdir}.\n`);
      return 1;
    }
    const detail = io.env['LZ_DEBUG'] ? ((error as Error).stack ?? String(error)) : (error as Error).message;
    io.stderr.write(
      `synth failed: ${detail}\nNothing was written to ${outdir}. Set LZ_DEBUG=1 for the stack trace.\n`,
    );
    return 1;
  }
}
