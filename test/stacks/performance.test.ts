import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_ENVIRONMENTS, PARSE_OPTIONS } from '../../environments';
import { EnvironmentSchema, EnvironmentShapeSchema } from '../../environments/schema';
import { environmentWithTenants } from '../../scripts/lib/generate';
import { writeJsonFile } from '../../constructs/shared/json-file';
import { PlatformStack } from '../../stacks/platform-stack';
import {
  releaseTokensSince,
  tokenMark,
  toTerraformResolvingTokensOnly,
  writtenPlan,
} from '../../stacks/performance';
import { synthesizeAtomically } from '../../stacks/synthesize';
import { exampleEnvironment, exampleInput, synthEnvironment } from '../helpers/synth';

/** The writer cdktf's synthesizer uses (a dependency bundled inside cdktf). */
const stableStringify = createRequire(require.resolve('cdktf'))('json-stable-stringify') as (
  value: unknown,
  options: { space: number },
) => string;

const dir = mkdtempSync(join(tmpdir(), 'lz-performance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** JSON edge cases: what JSON.stringify leaves out, turns into null, calls toJSON on, or cannot tell apart. */
const EDGE_CASES: unknown[] = [
  {},
  [],
  { b: [], a: {}, c: [{}, []] },
  { z: 1, a: 'x', m: { y: null, x: true, skipped: undefined, f: () => 1, s: Symbol('s') } },
  [undefined, () => 1, 'é "quoted" \n line \u2028 \ud800', 1.5e-7, -0, NaN, -Infinity, 1e21],
  { 'key "with" quotes': { toJSON: (key: string) => ({ inner: [1, 2], key }) } },
  {
    date: new Date(0),
    nested: [[[{ deep: 'value' }]]],
    boxed: [new Number(2), new String('s'), new Boolean(false)],
  },
  JSON.parse('{"__proto__": {"polluted": true}, "2": "two", "10": "ten", "b": 1}'),
  { gone: { toJSON: () => undefined }, kept: 0 },
  {
    results: [
      { rule: 'A', hops: [{ from: 'x → y', to: [1, { deep: [] }] }], empty: {} },
      [new Date(0), { toJSON: () => ({ again: { toJSON: () => 'twice' } }) }],
      { toJSON: (key: string) => [{ key }] },
    ],
  },
];

describe('the lean synth writes what cdktf would have written', () => {
  it('writes JSON byte for byte as json-stable-stringify does, and keeps what it reads back as', () => {
    const file = join(dir, 'stable.json');
    for (const value of EDGE_CASES) {
      const readBack = writeJsonFile(file, value, { style: 'stable', readBack: true });
      const text = readFileSync(file, 'utf8');
      expect(text).toBe(stableStringify(value, { space: 2 }));
      expect(JSON.stringify(readBack)).toBe(JSON.stringify(JSON.parse(text)));
      expect(readBack).toStrictEqual(JSON.parse(text));
    }
  });

  it('resolves a whole environment to the same plan as cdktf, only faster', () => {
    const build = () => new PlatformStack(Testing.app(), 'prod', { environment: exampleEnvironment('prod') });
    const plain = build();
    const lean = build();
    const expected = plain.toTerraform() as Record<string, unknown>;
    const actual = toTerraformResolvingTokensOnly(lean, () => lean.toTerraform()) as Record<string, unknown>;
    expect(stableStringify(actual, { space: 2 })).toBe(stableStringify(expected, { space: 2 }));
    expect(Object.keys(expected['resource'] as object).length).toBeGreaterThan(20);
  });
});

describe("config parsing without zod's compiled fast path", () => {
  it('gives the same environments and the same problems', () => {
    const inputs: unknown[] = [
      ...Object.values(EXAMPLE_ENVIRONMENTS),
      environmentWithTenants(30, { dedicatedEvery: 10 }),
      exampleInput('dev', { regions: { primary: 'mars' }, tenants: { Bad_Slug: {} }, extra: true }),
    ];
    expect(PARSE_OPTIONS.jitless).toBe(true);
    for (const schema of [EnvironmentSchema, EnvironmentShapeSchema]) {
      const results = inputs.map((input) => [
        schema.safeParse(input, { ...PARSE_OPTIONS, jitless: false }),
        schema.safeParse(input, PARSE_OPTIONS),
      ]);
      expect(results.filter(([compiled]) => !compiled!.success)).toHaveLength(1);
      for (const [compiled, interpreted] of results) expect(interpreted).toStrictEqual(compiled);
    }
  });
});

describe('the synth bundle', () => {
  it('carries its dependencies: the switches above replace what its own cdktf uses', () => {
    // esbuild leaves a require it does not bundle as it is; one of cdktf from node_modules would load a second copy,
    // which the switches would change instead of the bundled one.
    const required = [...readFileSync('dist/synth.js', 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map(
      (m) => m[1]!,
    );
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((name) => !builtinModules.includes(name.replace(/^node:/, '')))).toEqual([]);
  });
});

describe('policy.json and the written plan', () => {
  it('writes JSON byte for byte as JSON.stringify does, and reads it back as JSON.parse does', () => {
    const file = join(dir, 'report.json');
    for (const value of EDGE_CASES) {
      const expected = `${JSON.stringify(value, null, 2)}\n`;
      // Without a read-back, array items are written by JSON.stringify whole, re-indented.
      expect(writeJsonFile(file, value, { style: 'stringify', suffix: '\n' })).toBeUndefined();
      expect(readFileSync(file, 'utf8')).toBe(expected);
      const readBack = writeJsonFile(file, value, { style: 'stringify', suffix: '\n', readBack: true });
      const text = readFileSync(file, 'utf8');
      expect(text).toBe(expected);
      // JSON.stringify of both shows key order and values; own keys show a `__proto__` member.
      expect(JSON.stringify(readBack)).toBe(JSON.stringify(JSON.parse(text)));
      expect(readBack).toStrictEqual(JSON.parse(text));
    }
  });

  it("keeps what a whole environment's cdk.tf.json reads back as, for governance to evaluate", () => {
    // Synthesized as synth does (lean synth, cdktf's manifest); the text is the file cdktf.out holds.
    const synth = synthEnvironment(exampleEnvironment('dev'));
    const plan = writtenPlan(synth.stack);
    expect(plan).toBeDefined();
    expect(JSON.stringify(plan)).toBe(JSON.stringify(JSON.parse(synth.text)));
  });
});

describe('a synthesized app is released', () => {
  /** A small stack whose resources refer to each other (tokens), not under governance. */
  const smallStack = (app: App, id: string) => {
    const stack = new TerraformStack(app, id);
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    const group = new ResourceGroup(stack, 'Group', { name: `rg-${id}`, location: 'swedencentral' });
    new TerraformOutput(stack, 'group', { value: group.id });
    return stack;
  };

  it('releases the tokens of the app it synthesized, and only those', () => {
    const before = smallStack(Testing.app(), 'before');
    const expected = Testing.synth(before);
    let synthesized: TerraformStack | undefined;
    synthesizeAtomically([], join(dir, 'released', 'cdktf.out'), (app) => {
      synthesized = smallStack(app, 'released');
      return [synthesized];
    });
    // Its tokens are gone: resolving them again fails loudly instead of giving another value.
    expect(() => Testing.synth(synthesized!)).toThrow(/Unrecognized Token Key/);
    // Tokens registered before the synth still resolve as they did.
    expect(Testing.synth(before)).toBe(expected);
  });

  it('releases by the counter in each key, and leaves a token map of another shape alone', () => {
    const token = (name: string) => ({ name });
    const map = {
      stringTokenMap: new Map<string, unknown>([
        ['TOKEN.1', token('a')],
        ['Hint.with.dots.2', token('b')],
        ['Hint.7', token('c')],
        ['no-counter', token('d')],
      ]),
      numberTokenMap: new Map<number, unknown>([
        [0, token('e')],
        [3, token('f')],
      ]),
      tokenCounter: 8,
    };
    expect(tokenMark(map)).toBe(8);
    expect(releaseTokensSince(2, map)).toBe(3);
    expect([...map.stringTokenMap.keys()]).toEqual(['TOKEN.1', 'no-counter']);
    expect([...map.numberTokenMap.keys()]).toEqual([0]);
    // Not cdktf 0.21.0's token map (moved, renamed, frozen counter): nothing is released, nothing throws.
    for (const other of [
      null,
      {},
      { ...map, tokenCounter: 'x' },
      { stringTokenMap: {}, numberTokenMap: new Map(), tokenCounter: 1 },
    ]) {
      expect(tokenMark(other)).toBeUndefined();
      expect(releaseTokensSince(0, other)).toBe(0);
    }
    expect(releaseTokensSince(undefined, map)).toBe(0);
  });
});
