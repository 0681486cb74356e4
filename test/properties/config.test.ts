/**
 * Property tests over the environment and tenant schemas. Random single mutations of valid configurations, and
 * random valid configurations: the outcome is always a successful synth with names Azure accepts, or a ConfigError
 * whose every problem has a path and a message — never a crash or a stack trace. Fixed seeds, bounded runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnvironment } from '../../environments';
import { brokenNames } from '../helpers/azure-rules';
import { exampleInput, synthEnvironment } from '../helpers/synth';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value in a JSON-like tree. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key]))];
}

const WEIRD_VALUES: Json[] = [
  null,
  true,
  0,
  -1,
  1e12,
  -0.5,
  '',
  'x'.repeat(600),
  'Ünïcödé 漢字 🚀',
  '  spaced  ',
  'Upper_Case',
  [],
  {},
  ['a'],
  { unexpected: true },
];

const mutation = fc.record({
  env: fc.constantFrom('dev' as const, 'staging' as const, 'prod' as const),
  pick: fc.nat(),
  kind: fc.constantFrom('replace', 'delete', 'unknown-key', 'empty-list'),
  value: fc.constantFrom(...WEIRD_VALUES),
});

function mutate(input: unknown, m: { pick: number; kind: string; value: Json }): unknown {
  const copy = structuredClone(input) as Record<string, unknown>;
  const all = paths(copy).filter((p) => p.length > 0);
  const path = all[m.pick % all.length]!;
  const parent = path
    .slice(0, -1)
    .reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], copy) as Record<
    string | number,
    unknown
  >;
  const key = path[path.length - 1]!;
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 'unknown-key':
      if (parent && typeof parent === 'object' && !Array.isArray(parent)) parent['zzUnknown'] = m.value;
      else parent[key] = m.value;
      break;
    case 'empty-list':
      parent[key] = [];
      break;
    default:
      parent[key] = m.value;
  }
  return copy;
}

/** The outcome of one config: synthesized plan problems, or the config problems. */
function outcome(
  input: unknown,
): { ok: true; broken: string[] } | { ok: false; problems: ConfigError['problems'] } {
  let env;
  try {
    env = parseEnvironment(input, 'property');
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, problems: error.problems };
    throw error; // anything else is a crash: the property fails
  }
  return { ok: true, broken: brokenNames(synthEnvironment(env).plan) };
}

describe('any single mutation of an example config', () => {
  it('either synthesizes with valid names or reports problems with paths', () => {
    const inputs = { dev: exampleInput('dev'), staging: exampleInput('staging'), prod: exampleInput('prod') };
    const seen = { synthesized: 0, rejected: 0 };
    fc.assert(
      fc.property(mutation, (m) => {
        const result = outcome(mutate(inputs[m.env], m));
        seen[result.ok ? 'synthesized' : 'rejected'] += 1;
        if (result.ok) {
          expect(result.broken).toEqual([]);
        } else {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const problem of result.problems) {
            expect(problem.path.length).toBeGreaterThan(0);
            expect(problem.message.length).toBeGreaterThan(0);
            expect(problem.message).not.toMatch(/\n\s+at /);
          }
        }
      }),
      { seed: 20261125, numRuns: 120 },
    );
    // Not vacuous: both outcomes happen.
    expect(seen.synthesized).toBeGreaterThan(5);
    expect(seen.rejected).toBeGreaterThan(20);
    // Every accepted mutation is synthesized with the rule pack and the data-path proof: about 20 s alone on 2 cores,
    // well over the default 30 s beside the other test files on a busy machine.
  }, 90_000);
});

const slug = fc.stringMatching(/^[a-z][a-z0-9]{1,11}$/);

describe('random naming inputs and tenant registries', () => {
  it('are accepted only when every synthesized name passes Azure’s rules', () => {
    const base = exampleInput('prod');
    let draws = 0;
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.record({
          prefix: fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/),
          workload: fc.stringMatching(/^[a-z][a-z0-9]{0,12}$/),
          environmentCode: fc.option(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), { nil: undefined }),
          tenants: fc.uniqueArray(slug, { minLength: 0, maxLength: 4 }),
          dedicated: fc.boolean(),
        }),
        (draw) => {
          draws += 1;
          const template = base.tenants!['research']!;
          const shared = base.tenants!['legal']!;
          const tenants = Object.fromEntries(
            draw.tenants.map((s, i) => [s, i === 0 && draw.dedicated ? template : shared]),
          );
          const input = {
            ...base,
            workload: draw.workload,
            naming: {
              prefix: draw.prefix,
              ...(draw.environmentCode ? { environmentCode: draw.environmentCode } : {}),
            },
            tenants,
          };
          const result = outcome(input);
          if (result.ok) {
            accepted += 1;
            expect(result.broken).toEqual([]);
          } else {
            for (const problem of result.problems) expect(problem.path).not.toBe('');
          }
        },
      ),
      { seed: 4242, numRuns: 25 },
    );
    expect(draws).toBe(25);
    expect(accepted).toBeGreaterThan(3);
  });
});
