/**
 * `npm run schema`: writes environments/schema.json from the zod schema. A test fails when the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { environmentJsonSchemaText } from '../environments/json-schema';
import { parseOptions, runScript } from './lib/cli';

const USAGE = 'usage: schema';

runScript(() => {
  const args = parseOptions(process.argv.slice(2), { help: { type: 'boolean', short: 'h' } }, USAGE);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  writeFileSync('environments/schema.json', environmentJsonSchemaText());
  process.stdout.write('wrote environments/schema.json\n');
  return 0;
});
