import { describe, expect, it } from 'vitest';
import { exampleEnvironment, synthEnvironment } from '../helpers/synth';

/** The plan as the snapshot shows it: cdktf's `//` metadata (construct paths, ids) left out, key order kept. */
function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '//')
      .map(([key, item]) => [key, withoutMetadata(item)]),
  );
}

/**
 * One reviewed snapshot per environment: it guards against unintended change. Review the diff before accepting it
 * (`npm run test:update`); the real assertions live in the other tests.
 */
describe.each(['dev', 'staging', 'prod'] as const)('%s', (name) => {
  it('matches the reviewed plan', async () => {
    const { json } = synthEnvironment(exampleEnvironment(name));
    const text = `${JSON.stringify(withoutMetadata(json), null, 2)}\n`;
    expect(text).not.toMatch(/\/work\/|\/home\/|\/tmp\/|[A-Z]:\\\\/); // no absolute paths
    await expect(text).toMatchFileSnapshot(`__snapshots__/${name}.tf.json`);
  });
});
