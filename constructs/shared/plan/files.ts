/**
 * Reading a synthesized output directory (cdktf.out): its manifest, each stack's cdk.tf.json as a `StackPlan` (read
 * once, when first asked for, with the stacks it depends on as upstream), and the files synth writes next to it.
 * Every failure is a `PlanReadError` whose message is one sentence that says what to run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StackPlan } from './plan';
import type { TerraformJson } from './terraform';

/** The output directory cannot be read as a synthesized plan. */
export class PlanReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanReadError';
  }
}

/** One stack's entry in manifest.json. */
export interface ManifestStack {
  readonly name?: string;
  readonly constructPath?: string;
  readonly synthesizedStackPath: string;
  readonly workingDirectory: string;
  readonly dependencies?: readonly string[];
  readonly annotations?: ReadonlyArray<{
    readonly constructPath: string;
    readonly level: string;
    readonly message: string;
  }>;
}

/** cdktf's manifest.json: the stacks of the output. */
export interface SynthManifest {
  readonly stacks: Readonly<Record<string, ManifestStack>>;
}

/** A synthesized output directory. */
export interface SynthOutput {
  readonly outdir: string;
  readonly manifest: SynthManifest;
  /** Stack ids, in manifest order. */
  readonly stackIds: readonly string[];
  /** The plan of one stack (read and parsed once); a `PlanReadError` for an unknown or unreadable stack. */
  stack(id: string): StackPlan;
  /** The plans of these stacks, or of every stack; unknown names are one error that lists the known ones. */
  stacks(ids?: readonly string[]): StackPlan[];
  /** The directory of a stack's plan, where synth writes the files that belong to it (policy.json). */
  stackDir(id: string): string;
}

const AGAIN = 'run `npm run synth` again.';

/** Reads and parses a JSON file of the output; a missing or corrupt file is a `PlanReadError`. */
export function readOutputJson<T>(file: string, missing = `${file} is missing: ${AGAIN}`): T {
  if (!existsSync(file)) throw new PlanReadError(missing);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new PlanReadError(`${file} is not valid JSON (${(error as Error).message}): ${AGAIN}`);
  }
}

/**
 * Opens a synthesized output directory: reads its manifest now, each stack's plan when first asked for.
 *
 * @param written - plans already in memory by stack id, exactly as their cdk.tf.json parses (synth's writer builds
 *   them while writing the files): used instead of reading those files
 */
export function readSynthOutput(
  outdir: string,
  written: ReadonlyMap<string, TerraformJson> = new Map(),
): SynthOutput {
  const manifestPath = join(outdir, 'manifest.json');
  const manifest = readOutputJson<SynthManifest>(
    manifestPath,
    `${outdir} has no manifest.json: run \`npm run synth\` first.`,
  );
  if (!manifest || typeof manifest.stacks !== 'object' || manifest.stacks === null) {
    throw new PlanReadError(`${manifestPath} lists no stacks: ${AGAIN}`);
  }
  const stackIds = Object.keys(manifest.stacks);
  const plans = new Map<string, StackPlan>();
  const entry = (id: string): ManifestStack => {
    const found = Object.hasOwn(manifest.stacks, id) ? manifest.stacks[id] : undefined;
    if (!found) {
      throw new PlanReadError(`${outdir} has no stack "${id}"; it has: ${stackIds.join(', ') || 'none'}.`);
    }
    return found;
  };
  const stack = (id: string, reading: readonly string[] = []): StackPlan => {
    const cached = plans.get(id);
    if (cached) return cached;
    if (reading.includes(id)) throw new PlanReadError(`${manifestPath}: stack ${id} depends on itself`);
    const found = entry(id);
    const json = written.get(id) ?? readOutputJson<TerraformJson>(join(outdir, found.synthesizedStackPath));
    if (!json || typeof json !== 'object')
      throw new PlanReadError(`${found.synthesizedStackPath} holds no plan: ${AGAIN}`);
    const upstream = (found.dependencies ?? []).map((d) => stack(d, [...reading, id]));
    const plan = new StackPlan(id, json, upstream);
    plans.set(id, plan);
    return plan;
  };
  return {
    outdir,
    manifest,
    stackIds,
    stack: (id) => stack(id),
    stacks(ids = []) {
      const unknown = ids.filter((id) => !Object.hasOwn(manifest.stacks, id));
      if (unknown.length > 0) {
        throw new PlanReadError(
          `${outdir} has no stack ${unknown.map((n) => `"${n}"`).join(', ')}; it has: ${stackIds.join(', ')}.`,
        );
      }
      return (ids.length > 0 ? ids : stackIds).map((id) => stack(id));
    },
    stackDir: (id) => join(outdir, dirname(entry(id).synthesizedStackPath)),
  };
}
