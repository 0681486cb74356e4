/**
 * Writes environments/schema.json from the zod schema. `npm run schema`; a test fails when the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { environmentJsonSchemaText } from '../environments/json-schema';

writeFileSync('environments/schema.json', environmentJsonSchemaText());
process.stdout.write('wrote environments/schema.json\n');
