/**
 * Synthesizing in tests. `synthEnvironment` builds the real PlatformStack for a config and returns its Terraform
 * JSON plus small queries over it; nothing is mocked.
 */
import { Testing, type TerraformStack } from 'cdktf';
import {
  EXAMPLE_ENVIRONMENTS,
  parseEnvironment,
  type Environment,
  type EnvironmentInput,
} from '../../environments';
import { PlatformStack } from '../../stacks/platform-stack';

/** The synthesized Terraform JSON of one stack (metadata stripped, keys sorted). */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider?: Record<string, Array<Record<string, unknown>>>;
  readonly terraform?: Record<string, unknown>;
  readonly output?: Record<string, unknown>;
}

/** One resource of the JSON with its address. */
export interface SynthResource {
  readonly type: string;
  readonly logicalId: string;
  readonly address: string;
  readonly config: Record<string, unknown>;
}

export interface Synthesized {
  readonly stack: PlatformStack;
  /** The JSON as a string, for cdktf's matchers. */
  readonly text: string;
  readonly json: TerraformJson;
  /** Every resource, or those of one type. */
  resources(type?: string): SynthResource[];
  /** The single resource of a type; fails when there is not exactly one. */
  only(type: string): SynthResource;
  /** Resources of a type that belong to the platform, not to a tenant (no `tenant` tag). */
  platform(type: string): SynthResource[];
  /** The single platform resource of a type. */
  onlyPlatform(type: string): SynthResource;
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

export function querySynthesized(stack: PlatformStack, text: string): Synthesized {
  const json = JSON.parse(text) as TerraformJson;
  const resources = (type?: string): SynthResource[] =>
    Object.entries(json.resource ?? {})
      .filter(([resourceType]) => type === undefined || resourceType === type)
      .flatMap(([resourceType, byId]) =>
        Object.entries(byId).map(([logicalId, config]) => ({
          type: resourceType,
          logicalId,
          address: `${resourceType}.${logicalId}`,
          config,
        })),
      );
  return {
    stack,
    text,
    json,
    resources,
    only(type) {
      const found = resources(type);
      if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
      return found[0]!;
    },
    platform(type) {
      return resources(type).filter(
        (r) => !(r.config['tags'] as Record<string, string> | undefined)?.['tenant'],
      );
    },
    onlyPlatform(type) {
      const found = resources(type).filter(
        (r) => !(r.config['tags'] as Record<string, string> | undefined)?.['tenant'],
      );
      if (found.length !== 1) throw new Error(`expected exactly one platform ${type}, found ${found.length}`);
      return found[0]!;
    },
  };
}

/** Builds and synthesizes the platform stack of one environment, running aspects and cdktf's validations. */
export function synthEnvironment(environment: Environment): Synthesized {
  const app = Testing.app();
  const stack = new PlatformStack(app, environment.name, { environment });
  return querySynthesized(stack, Testing.synth(stack, true));
}

/** Runs a full synth (which throws on error annotations, e.g. policy violations) and returns the output directory. */
export function fullSynth(stack: TerraformStack): string {
  return Testing.fullSynth(stack);
}
