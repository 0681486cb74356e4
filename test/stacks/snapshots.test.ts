import { describe, expect, it } from 'vitest';
import { obsoleteSnapshots, snapshotText } from '../../scripts/lib/snapshots';
import { examplesOutput } from '../helpers/examples';

const output = examplesOutput();
const stacks = [...output.stackIds];

/**
 * One reviewed snapshot per stack of every environment the project loads, read from the output `npm run synth`
 * writes: it guards against unintended change. Review the diff before accepting it (`npm run regen` rewrites them);
 * the real assertions live in the other tests.
 */
describe.each(stacks)('%s', (stack) => {
  it('matches the reviewed plan', async () => {
    const text = snapshotText(output.stack(stack).json);
    expect(text).not.toMatch(/\/work\/|\/home\/|\/tmp\/|[A-Z]:\\\\/); // no absolute paths
    await expect(text).toMatchFileSnapshot(`__snapshots__/${stack}.tf.json`);
  });
});

describe('the snapshot directory', () => {
  it('holds no snapshot of a stack the project no longer synthesizes', () => {
    expect(obsoleteSnapshots(stacks)).toEqual([]);
  });
});
