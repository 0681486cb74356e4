import { z } from 'zod';
import { EnvironmentSchema } from './schema';

/**
 * The environment schema as JSON Schema (draft 2020-12), for editors that autocomplete JSON and YAML config files.
 * It describes the input: fields with defaults are optional. Cross-field rules are not expressible in JSON Schema;
 * synth checks them.
 */
export function environmentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(EnvironmentSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
  return { ...schema, title: 'GenAI landing zone environment', $id: 'environments/schema.json' };
}

/** The file content of environments/schema.json. */
export function environmentJsonSchemaText(): string {
  return `${JSON.stringify(environmentJsonSchema(), null, 2)}\n`;
}
