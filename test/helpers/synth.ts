/**
 * Synthesizing in tests, the way `npm run synth` does: cdktf's own stack synthesizer writes the stack's cdk.tf.json
 * into a temporary directory, the plan library reads it back, and governance runs on it through the same function
 * synth calls (`evaluateGovernance`). Nothing is mocked.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AzapiProvider } from '../../constructs/shared/azapi';
import {
  type PlanResource,
  readSynthOutput,
  type StackPlan,
  type TerraformJson,
} from '../../constructs/shared/plan';
import { evaluateGovernance, type GovernanceNote, type PolicyReport } from '../../constructs/shared/policy';
import {
  EXAMPLE_ENVIRONMENTS,
  parseEnvironment,
  type Environment,
  type EnvironmentInput,
} from '../../environments';
import { PlatformStack } from '../../stacks/platform-stack';

export interface Synthesized<S extends TerraformStack = PlatformStack> {
  readonly stack: S;
  /** The plan synth wrote. */
  readonly plan: StackPlan;
  /** Its Terraform JSON (cdk.tf.json, metadata included). */
  readonly json: TerraformJson;
  /** The text of cdk.tf.json, for cdktf's matchers. */
  readonly text: string;
  /** policy.json, for a governed stack. */
  readonly policy: S extends PlatformStack ? PolicyReport : PolicyReport | undefined;
  /** What governance prints: errors (which fail synth) and warnings. */
  readonly notes: readonly GovernanceNote[];
  /** Every resource, or those of one type (Terraform or ARM type). */
  resources(type?: string): PlanResource[];
  /** The single resource of a type; fails when there is not exactly one. */
  only(type: string): PlanResource;
  /** Resources of a type that belong to the platform, not to a tenant (no `tenant` tag). */
  platform(type: string): PlanResource[];
  /** The single platform resource of a type. */
  onlyPlatform(type: string): PlanResource;
}

/**
 * Deep-merges a patch into an example config: plain objects merge, everything else (arrays too) replaces, and a key
 * patched to `undefined` is removed.
 */
export function patched<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete result[key];
    else result[key] = patched((base as Record<string, unknown>)[key], value);
  }
  return result as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An example environment's input, optionally patched. */
export function exampleInput(name: 'dev' | 'staging' | 'prod', patch?: unknown): EnvironmentInput {
  const base = structuredClone(EXAMPLE_ENVIRONMENTS[name]!);
  return patch === undefined ? base : patched(base, patch);
}

/** An example environment, parsed, optionally patched. */
export function exampleEnvironment(name: 'dev' | 'staging' | 'prod', patch?: unknown): Environment {
  return parseEnvironment(exampleInput(name, patch), `test:${name}`);
}

const isTenant = (r: PlanResource) =>
  Boolean((r.config['tags'] as Record<string, string> | undefined)?.['tenant']);

/**
 * Synthesizes one stack as synth does (aspects, validations, cdktf's writer), reads the written plan back and runs
 * its governance, if it has any. The temporary directory is removed.
 */
export function synthesizeStack<S extends TerraformStack>(stack: S): Synthesized<S> {
  const outdir = Testing.fullSynth(stack);
  try {
    const output = readSynthOutput(outdir);
    const plan = output.stack(stack.node.id);
    const text = readFileSync(
      join(outdir, output.manifest.stacks[stack.node.id]!.synthesizedStackPath),
      'utf8',
    );
    const governance = evaluateGovernance(stack, plan);
    const resources = (type?: string) => (type === undefined ? [...plan.resources] : plan.byType(type));
    const exactlyOne = (found: PlanResource[], what: string) => {
      if (found.length !== 1) throw new Error(`expected exactly one ${what}, found ${found.length}`);
      return found[0]!;
    };
    return {
      stack,
      plan,
      json: plan.json,
      text,
      policy: governance?.report as Synthesized<S>['policy'],
      notes: governance?.notes ?? [],
      resources,
      only: (type) => exactlyOne(resources(type), type),
      platform: (type) => resources(type).filter((r) => !isTenant(r)),
      onlyPlatform: (type) =>
        exactlyOne(
          resources(type).filter((r) => !isTenant(r)),
          `platform ${type}`,
        ),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Environments synthesized in this worker, by their config: many test files read the same examples. */
const SYNTHESIZED = new Map<string, Synthesized>();
const KEEP = 8;

/**
 * Builds and synthesizes the platform stack of one environment. The result is shared by every test of the worker
 * that asks for the same config: treat it as read-only.
 */
export function synthEnvironment(environment: Environment): Synthesized {
  const key = JSON.stringify(environment);
  const cached = SYNTHESIZED.get(key);
  if (cached) return cached;
  const synth = synthesizeStack(new PlatformStack(Testing.app(), environment.name, { environment }));
  if (SYNTHESIZED.size >= KEEP) SYNTHESIZED.delete(SYNTHESIZED.keys().next().value!);
  SYNTHESIZED.set(key, synth);
  return synth;
}

/**
 * Builds one construct alone, in a bare stack with the azurerm and azapi providers, and synthesizes it: for
 * construct tests that assert a construct's own defaults and options with minimal props, not an environment's.
 */
export function synthConstruct<T>(
  build: (stack: TerraformStack) => T,
): Synthesized<TerraformStack> & { construct: T } {
  const stack = new TerraformStack(Testing.app(), 'construct');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  new AzapiProvider(stack, 'azapi');
  const construct = build(stack);
  return { ...synthesizeStack(stack), construct };
}
