import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CIDR_PATTERN, parseCidr } from '../../environments/cidr';
import { environmentJsonSchema, environmentJsonSchemaText } from '../../environments/json-schema';
import { Cidr } from '../../environments/sections/network';
import { problemsOf } from '../helpers/config';
import { exampleInput } from '../helpers/synth';

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

/** Every node of the JSON Schema with its path. */
function* nodes(node: unknown, path = ''): Generator<[string, Record<string, unknown>]> {
  if (!node || typeof node !== 'object') return;
  yield [path, node as Record<string, unknown>];
  for (const [key, value] of Object.entries(node)) yield* nodes(value, `${path}/${key}`);
}

describe('environments/schema.json matches synth on plain shapes', () => {
  const pattern = new RegExp(CIDR_PATTERN, 'u');
  const octet = fc.oneof(
    fc.integer({ min: 0, max: 300 }).map(String),
    fc.integer({ min: 0, max: 99 }).map((n) => `0${n}`),
  );
  const cidrLike = fc
    .tuple(octet, octet, octet, octet, fc.integer({ min: 0, max: 40 }), fc.constantFrom('/', '/0', '', '//'))
    .map(([a, b, c, d, prefix, slash]) => `${a}.${b}.${c}.${d}${slash === '/0' ? '/0' : slash}${prefix}`);
  const anything = fc.oneof(cidrLike, fc.string(), fc.constantFrom('hello', '', '10.0.0.0/33', '10.0.0.0'));

  it('a CIDR: the pattern accepts exactly the syntax synth parses (generated strings)', () => {
    fc.assert(
      fc.property(anything, (text) => {
        expect(pattern.test(text), text).toBe(parseCidr(text) !== undefined);
        // What the pattern rejects, synth rejects too (host bits are synth's alone to check).
        if (!pattern.test(text)) expect(Cidr.safeParse(text).success, text).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('every CIDR field carries the pattern, and the owner tag must not be empty', () => {
    const schema = environmentJsonSchema();
    const cidrFields = [...nodes(schema)].filter(([path]) => /\/(addressSpace|addressPrefix)$/.test(path));
    expect(cidrFields.length).toBeGreaterThanOrEqual(4);
    for (const [path, node] of cidrFields) expect(node['pattern'], path).toBe(CIDR_PATTERN);
    const owner = [...nodes(schema)].find(([path]) => path === '/properties/tags/properties/owner')![1];
    expect(owner['minLength']).toBe(1);
    expect(problemsOf(exampleInput('prod', { tags: { owner: '' } })).map((p) => p.path)).toContain(
      'tags.owner',
    );
  });
});
