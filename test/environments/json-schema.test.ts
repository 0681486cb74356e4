import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { environmentJsonSchema, environmentJsonSchemaText } from '../../environments/json-schema';

describe('environments/schema.json', () => {
  it('is up to date with the zod schema (run `npm run schema` after changing it)', () => {
    expect(readFileSync('environments/schema.json', 'utf8')).toBe(environmentJsonSchemaText());
  });

  it('is strict and lists the required fields, so editors flag typos', () => {
    const schema = environmentJsonSchema() as {
      additionalProperties: boolean;
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(
      expect.arrayContaining(['name', 'stage', 'workload', 'naming', 'regions', 'tags']),
    );
    expect(schema.required).not.toContain('backend'); // it has a default
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['network', 'backend', 'azure']));
  });
});
