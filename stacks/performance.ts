/**
 * Synth-time performance switches of the app (never used by constructs).
 */
import { join } from 'node:path';
import type { ISynthesisSession, TerraformStack } from 'cdktf';
import { writeJsonFile } from '../constructs/shared/json-file';

/**
 * The Node.js options the synth runs with (`npm run synth`, cdktf.json, the benchmark). At 1,000 tenants the live
 * heap after synth is about 60 MB, but on a machine with more than 8 GiB V8 lets the old space grow to four times the
 * live heap between full collections, so the peak resident set is mostly garbage waiting. A 2,000 MiB old space
 * (what V8 picks by itself on an 8 GiB machine, such as a hosted CI runner) makes it collect at about twice the live
 * heap: peak 375 → 290 MiB at 1,000 tenants, the same CPU time.
 */
export const SYNTH_NODE_OPTIONS = ['--max-old-space-size=2000'] as const;

/**
 * cdktf captures and formats a full stack trace for every token it creates (every `${resource.attribute}`
 * reference), only to say where a token came from if it later fails to resolve. At 1,000 tenants that is a quarter
 * of synth time (CPU profile in the README's decision log). cdktf 0.21.0 is final, so its module layout is fixed;
 * the switch replaces that capture with an empty trace and is a no-op if the module is not where it was.
 *
 * @returns whether the switch took effect
 */
export function skipTokenCreationStacks(): boolean {
  try {
    const module = cdktfModule('stack-trace');
    if (typeof module.captureStackTrace !== 'function') return false;
    module.captureStackTrace = () => [];
    return true;
  } catch {
    return false;
  }
}

/**
 * The exports object of one of cdktf's internal modules: the very object cdktf's own code reads, so that a switch
 * replaced on it takes effect. Plain `require` calls with literal paths, so that where the app is bundled with its
 * dependencies (scripts/build.mjs) they name the bundled cdktf, and elsewhere (tests, scripts) the one in
 * node_modules; either way the copy the stacks use. Throws when the module is not where cdktf 0.21.0 has it.
 */
function cdktfModule(name: 'stack-trace'): { captureStackTrace?: unknown };
function cdktfModule(name: 'tokens'): { resolve?: unknown };
function cdktfModule(name: 'token-map'): { TokenMap?: { instance?: unknown } };
function cdktfModule(name: 'stack-trace' | 'tokens' | 'token-map'): object {
  /* eslint-disable @typescript-eslint/no-require-imports -- see above: an import would copy the exports */
  switch (name) {
    case 'stack-trace':
      return require('cdktf/lib/tokens/private/stack-trace') as object;
    case 'tokens':
      return require('cdktf/lib/_tokens') as object;
    case 'token-map':
      return require('cdktf/lib/tokens/private/token-map') as object;
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** What this module uses of cdktf's token map (`tokens/private/token-map`, 0.21.0): every token of the process. */
export interface TokenMapInternals {
  readonly stringTokenMap: Map<string, unknown>;
  readonly numberTokenMap: Map<number, unknown>;
  readonly tokenCounter: number;
}

function isTokenMap(value: unknown): value is TokenMapInternals {
  const map = value as Partial<TokenMapInternals> | null;
  return (
    typeof map === 'object' &&
    map !== null &&
    map.stringTokenMap instanceof Map &&
    map.numberTokenMap instanceof Map &&
    Number.isSafeInteger(map.tokenCounter)
  );
}

/** cdktf's token map, the one instance of the process; undefined when it is not where cdktf 0.21.0 keeps it. */
function cdktfTokenMap(): TokenMapInternals | undefined {
  try {
    const tokenMap = cdktfModule('token-map').TokenMap;
    const map = typeof tokenMap?.instance === 'function' ? (tokenMap.instance as () => unknown)() : undefined;
    return isTokenMap(map) ? map : undefined;
  } catch {
    return undefined;
  }
}

/** A point in the life of the token map: what {@link releaseTokensSince} keeps. Undefined when the map is unknown. */
export function tokenMark(map: unknown = cdktfTokenMap()): number | undefined {
  return isTokenMap(map) ? map.tokenCounter : undefined;
}

/**
 * Forgets the tokens cdktf registered since `mark`. cdktf keeps every token of the process in one map, and tokens
 * hold the constructs they refer to, so a synthesized app stays in memory as long as the process (at 1,000 tenants
 * its construct tree is 35 MB, held while governance reads the plan back). Once an app is synthesized its tokens are
 * never resolved again; a token registered before the mark (another app's) is kept. Keys carry their counter: a
 * string key ends in `.<counter>`, a number key is the counter. Resolving a released token later fails loudly
 * (cdktf's "unrecognized token"); it cannot resolve to something else, because counters are never reused.
 *
 * @returns how many tokens were released (0 when the map is not as cdktf 0.21.0 has it)
 */
export function releaseTokensSince(mark: number | undefined, map: unknown = cdktfTokenMap()): number {
  if (mark === undefined || !isTokenMap(map)) return 0;
  let released = 0;
  for (const key of map.stringTokenMap.keys()) {
    const counter = /\.(\d+)$/.exec(key)?.[1];
    if (counter !== undefined && Number(counter) >= mark) {
      map.stringTokenMap.delete(key);
      released++;
    }
  }
  for (const counter of map.numberTokenMap.keys()) {
    if (counter >= mark) {
      map.numberTokenMap.delete(counter);
      released++;
    }
  }
  return released;
}

type Resolve = (scope: unknown, value: unknown, preparing?: boolean) => unknown;

const STRING_MAP_TOKEN = 'String Map Token Value';
const ANY_MAP_TOKEN = 'Any Map Token Value';
const NUMBER_MAP_TOKEN = -123456789;
/** cdktf's pattern of a number token written into a string (`tokens/private/encoding`, NUMBER_TOKEN_REGEX). */
const NUMBER_IN_STRING = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;
const NUMBER_BEFORE_E = /[-|\d.+]e/;
/** cdktf encodes a number token as a double of magnitude above 2^960 (`createTokenDouble`): nothing in a plan is. */
const TOKEN_MAGNITUDE = 1e280;

function mayBeTokenNumber(value: number): boolean {
  return value === NUMBER_MAP_TOKEN || !(Math.abs(value) < TOKEN_MAGNITUDE);
}

/** Whether cdktf's resolve could return anything but this very string (a token marker, an encoded number token). */
function mayBeTokenString(value: string): boolean {
  if (value.includes('TfToken[') || value === STRING_MAP_TOKEN || value === ANY_MAP_TOKEN) return true;
  if (!NUMBER_BEFORE_E.test(value)) return false;
  for (const [match] of value.matchAll(NUMBER_IN_STRING))
    if (mayBeTokenNumber(parseFloat(match))) return true;
  return false;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return (
    (prototype === Object.prototype || prototype === null) &&
    typeof (value as { resolve?: unknown }).resolve !== 'function'
  );
}

/** A value that cdktf's resolve returns unchanged (an equal copy): a boolean, null, a plain string or number. */
function isInert(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
      return !mayBeTokenString(value);
    case 'number':
      return !mayBeTokenNumber(value);
    case 'boolean':
      return true;
    default:
      return value === null;
  }
}

/**
 * cdktf's resolve of `value`, calling it only on the parts that hold a token: a part without any (plain objects,
 * arrays and inert values all the way down) resolves to an equal copy, so it is kept as it is instead. What cdktf
 * treats specially (token markers in strings and map keys, encoded number tokens, list tokens, resolvable objects,
 * class instances, undefined, functions) goes to cdktf's resolve, whole, with the same (empty) context.
 */
function resolveTokensOnly(resolve: Resolve, scope: unknown, value: unknown): unknown {
  if (isInert(value)) return value;
  if (typeof value !== 'object' || value === null) return resolve(scope, value);
  if (Array.isArray(value)) {
    // cdktf reads list tokens and number-list tokens from the array's elements: leave such an array to it.
    if (value.some((item) => item === undefined || (typeof item !== 'object' && !isInert(item))))
      return resolve(scope, value);
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const resolved = resolveTokensOnly(resolve, scope, item);
      if (resolved !== item) (copy ??= [...value])[i] = resolved;
    });
    return copy ?? value;
  }
  if (!isPlainObject(value) || Object.keys(value).some(mayBeTokenString)) return resolve(scope, value);
  let copy: Record<string, unknown> | undefined;
  const keys = Object.keys(value);
  keys.forEach((key, i) => {
    const item = value[key];
    const resolved = resolveTokensOnly(resolve, scope, item);
    if (copy === undefined && resolved === item) return;
    if (copy === undefined) {
      copy = {};
      for (const earlier of keys.slice(0, i)) copy[earlier] = value[earlier];
    }
    // cdktf's resolve leaves out what resolves to undefined.
    if (resolved !== undefined) copy[key] = resolved;
  });
  return copy ?? value;
}

/**
 * Runs a stack's `toTerraform` (cdktf's) so that it resolves only the parts of the plan that hold tokens. cdktf
 * resolves each element's Terraform JSON, merges them, then resolves the merged plan once more: both walks copy every
 * value of the plan and build a context per key, though after the first nothing is left to resolve (a third of synth
 * at 1,000 tenants). The output is the same: what is kept is what cdktf's resolve would have copied. cdktf 0.21.0 is
 * final, so its module layout is fixed; without the module where it was, this is cdktf's own `toTerraform`.
 */
export function toTerraformResolvingTokensOnly<T>(stack: object, toTerraform: () => T): T {
  let tokens: { resolve?: unknown } | undefined;
  try {
    tokens = cdktfModule('tokens');
  } catch {
    tokens = undefined;
  }
  const resolve = tokens?.resolve;
  if (!tokens || typeof resolve !== 'function') return toTerraform();
  const cdktfResolve = resolve as Resolve;
  tokens.resolve = (scope: unknown, value: unknown, preparing?: boolean) =>
    scope === stack && !preparing
      ? resolveTokensOnly((s, v) => cdktfResolve(s, v), scope, value)
      : cdktfResolve(scope, value, preparing);
  try {
    return toTerraform();
  } finally {
    tokens.resolve = resolve;
  }
}

const WRITTEN = new WeakMap<TerraformStack, unknown>();

/**
 * The plan that synth wrote for `stack` (a stack that synthesizes leanly), as `JSON.parse` reads it from its
 * cdk.tf.json, built while writing: governance evaluates it without reading 20 MB back at 1,000 tenants. Undefined
 * before synth.
 */
export function writtenPlan(stack: TerraformStack): unknown {
  return WRITTEN.get(stack);
}

/**
 * Makes cdktf synthesize `stack` leanly, with the same output: its plan is resolved only where it holds tokens
 * ({@link toTerraformResolvingTokensOnly}) and written in chunks as cdktf writes it (json-stable-stringify with two
 * spaces; see constructs/shared/json-file.ts), keeping what the file reads back as ({@link writtenPlan}). cdktf's own synthesizer
 * still does everything else (aspects, validations, annotations into the manifest, the error on an error annotation);
 * it is handed an empty plan to write, and the stack's plan replaces it once it has run.
 */
export function synthesizeLeanly(stack: TerraformStack): void {
  const inner = stack.synthesizer;
  const toTerraform = stack.toTerraform;
  stack.synthesizer = {
    synthesize(session: ISynthesisSession): void {
      let plan: unknown;
      stack.toTerraform = () => {
        plan = toTerraformResolvingTokensOnly(stack, () => toTerraform.call(stack) as unknown);
        return {};
      };
      try {
        inner.synthesize(session);
      } finally {
        stack.toTerraform = toTerraform;
      }
      if (plan === undefined) return;
      const file = join(session.outdir, session.manifest.forStack(stack).synthesizedStackPath);
      WRITTEN.set(stack, writeJsonFile(file, plan, { style: 'stable', readBack: true }));
    },
  };
}
