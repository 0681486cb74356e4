/**
 * Reading the synthesized plans in cdktf.out: the scripts report on what synth produced, never on the TypeScript.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScriptError } from './cli';

/** One resource of a synthesized stack. */
export interface PlanResource {
  readonly type: string;
  readonly logicalId: string;
  readonly address: string;
  readonly config: Record<string, unknown>;
}

/** One synthesized stack. */
export interface StackPlan {
  readonly name: string;
  readonly json: {
    readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
    readonly data?: Record<string, Record<string, Record<string, unknown>>>;
    readonly terraform?: Record<string, unknown>;
    readonly provider?: Record<string, unknown>;
  };
  readonly resources: readonly PlanResource[];
  /** The resource a reference such as `${azapi_resource.X.id}` points to. */
  resolve(reference: unknown): PlanResource | undefined;
  byType(type: string): PlanResource[];
}

/** Reads every stack of a synthesized output directory; each failure is one clear sentence. */
export function readPlans(outdir: string, names: readonly string[] = []): StackPlan[] {
  const manifestPath = join(outdir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new ScriptError(`${outdir} has no manifest.json: run \`npm run synth\` first.`);
  }
  let manifest: { stacks?: Record<string, { synthesizedStackPath?: string }> };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    throw new ScriptError(
      `${manifestPath} is not valid JSON (${(error as Error).message}): run \`npm run synth\` again.`,
    );
  }
  if (!manifest.stacks || typeof manifest.stacks !== 'object') {
    throw new ScriptError(`${manifestPath} lists no stacks: run \`npm run synth\` again.`);
  }
  const available = Object.keys(manifest.stacks);
  const unknown = names.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    throw new ScriptError(
      `${outdir} has no stack ${unknown.map((n) => `"${n}"`).join(', ')}; it has: ${available.join(', ')}.`,
    );
  }
  return (names.length > 0 ? names : available).map((name) => {
    const file = join(
      outdir,
      manifest.stacks![name]!.synthesizedStackPath ?? join('stacks', name, 'cdk.tf.json'),
    );
    if (!existsSync(file)) throw new ScriptError(`${file} is missing: run \`npm run synth\` again.`);
    let json: StackPlan['json'];
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ScriptError(
        `${file} is not valid JSON (${(error as Error).message}): run \`npm run synth\` again.`,
      );
    }
    return stackPlan(name, json);
  });
}

export function stackPlan(name: string, json: StackPlan['json']): StackPlan {
  const resources = Object.entries(json.resource ?? {}).flatMap(([type, byId]) =>
    Object.entries(byId).map(([logicalId, config]) => ({
      type,
      logicalId,
      address: `${type}.${logicalId}`,
      config,
    })),
  );
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  return {
    name,
    json,
    resources,
    resolve(reference) {
      if (typeof reference !== 'string') return undefined;
      const match =
        /^\$\{([a-z0-9_]+)\.([^.}]+)(?:\.[^}]*)?\}$/.exec(reference) ??
        /^([a-z0-9_]+)\.([^.]+)$/.exec(reference);
      return match ? byAddress.get(`${match[1]}.${match[2]}`) : undefined;
    },
    byType(type) {
      return resources.filter((r) => r.type === type);
    },
  };
}
