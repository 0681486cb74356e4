/**
 * `npm run schema`: writes environments/schema.json from the zod schema. A test fails when the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { environmentJsonSchemaText } from '../environments/json-schema';
import { type CommandIo, HELP_OPTION, parseCommand } from './lib/cli';

const COMMAND = {
  usage: 'usage: schema',
  description: [
    'Writes environments/schema.json, the JSON Schema of an environment config, from the zod schema. Editors use it',
    'to check --config files; a test fails when it is stale.',
  ].join('\n'),
  options: { help: HELP_OPTION },
} as const;

export function main(argv: readonly string[], io: CommandIo): number {
  const args = parseCommand(argv, COMMAND, io);
  if (!args) return 0;
  writeFileSync('environments/schema.json', environmentJsonSchemaText());
  io.stdout.write('wrote environments/schema.json\n');
  return 0;
}
