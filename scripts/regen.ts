/**
 * `npm run regen`: rewrites everything the tests compare with the project's own environments, in one go, after a
 * change such as a new tenant or environment: the synthesized output, the audit reports (audit/), the JSON Schema
 * (environments/schema.json), the plan snapshots (test/stacks/__snapshots__) and the README's command samples.
 * Review the diff before committing it: these files are what reviewers and auditors read.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_ENVIRONMENTS } from '../environments';
import { environmentJsonSchemaText } from '../environments/json-schema';
import { SYNTH_NODE_OPTIONS } from '../stacks/performance';
import { writeAudit } from './lib/audit';
import { type CommandIo, HELP_OPTION, parseCommand, ScriptError } from './lib/cli';
import { README_SAMPLE_ENVIRONMENT, regenerateSamples } from './lib/readme-samples';
import { SNAPSHOT_DIR, writeSnapshots } from './lib/snapshots';

const COMMAND = {
  usage: 'usage: regen [--outdir <dir>]',
  description: [
    'Rewrites what the tests compare with your environments, after adding a tenant or an environment: synthesizes',
    'every environment into the output directory, then writes the audit reports (audit/, --prune), the JSON Schema',
    `(environments/schema.json), the plan snapshots (${SNAPSHOT_DIR}/<stack>.tf.json, removing those of stacks that`,
    `no longer exist) and the README's samples of ${README_SAMPLE_ENVIRONMENT} (quota, costs, routes, data paths, a broken`,
    'config). Stops at the first step that fails. Review the diff before committing.',
  ].join('\n'),
  options: {
    outdir: {
      type: 'string',
      value: '<dir>',
      help: "the synthesized output to write and read (default: cdktf.out); absent, empty or synth's own",
    },
    'no-readme': { type: 'boolean', help: "leave the README's samples alone (they take four more commands)" },
    help: HELP_OPTION,
  },
} as const;

export function main(argv: readonly string[], io: CommandIo): number {
  const args = parseCommand(argv, COMMAND, io);
  if (!args) return 0;
  const outdir = args.outdir ?? 'cdktf.out';
  const say = (line: string) => io.stderr.write(`regen: ${line}\n`);

  const synth = spawnSync(process.execPath, [...SYNTH_NODE_OPTIONS, 'dist/app.js', '--outdir', outdir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (synth.status !== 0)
    throw new ScriptError('regen stopped: synth failed (above); nothing else was rewritten.');
  say(synth.stdout.trim());

  const audit = writeAudit(outdir, 'audit', { prune: true });
  for (const note of audit.notes) say(`audit: ${note}`);
  say(`wrote ${audit.files.map((file) => `audit/${file}`).join(', ')}`);

  writeFileSync(join('environments', 'schema.json'), environmentJsonSchemaText());
  say('wrote environments/schema.json');

  const snapshots = writeSnapshots(outdir);
  say(`wrote ${snapshots.written.length} snapshots in ${SNAPSHOT_DIR}`);
  for (const file of snapshots.removed) say(`removed ${file}: no stack of that name any more`);

  if (args['no-readme']) return 0;
  if (!Object.hasOwn(EXAMPLE_ENVIRONMENTS, README_SAMPLE_ENVIRONMENT)) {
    say(`left the README's samples alone: they show ${README_SAMPLE_ENVIRONMENT}, which is not loaded`);
    return 0;
  }
  const readme = readFileSync('README.md', 'utf8');
  const { text, missing } = regenerateSamples(readme, { outdir });
  if (text !== readme) writeFileSync('README.md', text);
  say(text === readme ? "the README's samples are current" : "rewrote the README's samples");
  for (const id of missing) say(`the README has no sample "${id}" (marker <!-- regen: ${id} -->)`);
  return 0;
}
