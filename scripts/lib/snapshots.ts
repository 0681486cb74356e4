/**
 * The reviewed snapshots of the synthesized plans (test/stacks/__snapshots__/<stack>.tf.json): one per stack of
 * every environment the project loads, written by `npm run regen` and compared by the snapshot test.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSynthOutput } from '../../constructs/shared/plan';

export const SNAPSHOT_DIR = join('test', 'stacks', '__snapshots__');
const SUFFIX = '.tf.json';

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

/** The snapshot text of one stack's cdk.tf.json. */
export function snapshotText(json: unknown): string {
  return `${JSON.stringify(withoutMetadata(json), null, 2)}\n`;
}

/** The snapshot file of a stack, relative to the project root. */
export function snapshotFile(stack: string, dir = SNAPSHOT_DIR): string {
  return join(dir, `${stack}${SUFFIX}`);
}

/** Snapshot files in `dir` whose stack is not in `stacks`. */
export function obsoleteSnapshots(stacks: readonly string[], dir = SNAPSHOT_DIR): string[] {
  if (!existsSync(dir)) return [];
  const wanted = new Set(stacks.map((stack) => `${stack}${SUFFIX}`));
  return readdirSync(dir)
    .filter((file) => file.endsWith(SUFFIX) && !wanted.has(file))
    .sort()
    .map((file) => join(dir, file));
}

/** Writes the snapshot of every stack in `outdir` and removes those of stacks it no longer holds. */
export function writeSnapshots(outdir: string, dir = SNAPSHOT_DIR): { written: string[]; removed: string[] } {
  const output = readSynthOutput(outdir);
  const stacks = [...output.stackIds];
  mkdirSync(dir, { recursive: true });
  const written = stacks.map((stack) => {
    const file = snapshotFile(stack, dir);
    writeFileSync(file, snapshotText(output.stack(stack).json));
    return file;
  });
  const removed = obsoleteSnapshots(stacks, dir);
  for (const file of removed) rmSync(file);
  return { written, removed };
}
