import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { afterAll, describe, expect, it } from 'vitest';
import { PlatformStack } from '../../stacks/platform-stack';
import { toTerraformResolvingTokensOnly, writeStableJson } from '../../stacks/performance';
import { exampleEnvironment } from '../helpers/synth';

/** The writer cdktf's synthesizer uses (a dependency bundled inside cdktf). */
const stableStringify = createRequire(require.resolve('cdktf'))('json-stable-stringify') as (
  value: unknown,
  options: { space: number },
) => string;

const dir = mkdtempSync(join(tmpdir(), 'lz-performance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function written(value: unknown): string {
  const file = join(dir, 'plan.json');
  writeStableJson(file, value);
  return readFileSync(file, 'utf8');
}

describe('the lean synth writes what cdktf would have written', () => {
  it('writes JSON byte for byte as json-stable-stringify does, edge cases included', () => {
    const cases: unknown[] = [
      {},
      [],
      { b: [], a: {}, c: [{}, []] },
      { z: 1, a: 'x', m: { y: null, x: true, skipped: undefined, f: () => 1 } },
      [undefined, () => 1, 'é "quoted" \n line', 1.5e-7, -0],
      { 'key "with" quotes': { toJSON: () => ({ inner: [1, 2] }) } },
      { date: new Date(0), nested: [[[{ deep: 'value' }]]] },
    ];
    for (const value of cases) expect(written(value)).toBe(stableStringify(value, { space: 2 }));
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
