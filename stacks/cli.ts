/**
 * The synth command line, run by stacks/app.ts:
 *
 *   node dist/app.js                        every shipped example environment
 *   node dist/app.js --env prod             only some of them
 *   node dist/app.js --config my-env.yaml   one environment from a JSON or YAML file (repeatable)
 *
 * The output goes to $CDKTF_OUTDIR (set by the cdktf CLI) or cdktf.out, replaced only when synth succeeds.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadEnvironments } from '../environments';
import { skipTokenCreationStacks } from './performance';
import { SynthError, synthesizeAtomically } from './synthesize';

const USAGE = 'usage: synth [--env <name>]... [--config <file.json|file.yaml>]... [--outdir <dir>]';

export function main(argv: readonly string[]): number {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: {
        env: { type: 'string', multiple: true },
        config: { type: 'string', multiple: true },
        outdir: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const outdir = args.outdir ?? process.env['CDKTF_OUTDIR'] ?? 'cdktf.out';
  // Token creation stacks only help to debug cdktf itself: keep them when LZ_DEBUG is set.
  if (!process.env['LZ_DEBUG']) skipTokenCreationStacks();
  try {
    const environments = loadEnvironments({ configFiles: args.config ?? [], names: args.env ?? [] });
    const notes = synthesizeAtomically(environments, outdir);
    for (const note of notes)
      process.stderr.write(`${note.level}: [${note.stack}] ${note.path}: ${note.message}\n`);
    process.stdout.write(`synthesized ${environments.map((env) => env.name).join(', ')} into ${outdir}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof SynthError) {
      process.stderr.write(`${error.message}\nNothing was written to ${outdir}.\n`);
      return 1;
    }
    const detail = process.env['LZ_DEBUG']
      ? ((error as Error).stack ?? String(error))
      : (error as Error).message;
    process.stderr.write(
      `synth failed: ${detail}\nNothing was written to ${outdir}. Set LZ_DEBUG=1 for the stack trace.\n`,
    );
    return 1;
  }
}
