/**
 * Synth-time performance switches of the app (never used by constructs).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ISynthesisSession, TerraformStack } from 'cdktf';

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
    const require = createRequire(__filename);
    const module = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace?: unknown };
    if (typeof module.captureStackTrace !== 'function') return false;
    module.captureStackTrace = () => [];
    return true;
  } catch {
    return false;
  }
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
    tokens = createRequire(__filename)('cdktf/lib/_tokens') as { resolve?: unknown };
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

/**
 * Writes `value` as cdktf writes a plan (json-stable-stringify with two spaces: keys sorted, an empty object or array
 * still broken over two lines), in chunks: the text is never one string in memory, and no level of it is copied into
 * the level above (json-stable-stringify joins each level's text into its parent's, which at 1,000 tenants makes
 * several times the 20 MB of the plan in garbage).
 */
export function writeStableJson(file: string, value: unknown): void {
  const fd = openSync(file, 'w');
  try {
    let chunk = '';
    const emit = (text: string) => {
      chunk += text;
      if (chunk.length >= 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    };
    const indents = ['\n'];
    const indent = (level: number): string => (indents[level] ??= `${indent(level - 1)}  `);
    /** Emits a value (after `toJSON`) at `level`; false (nothing emitted) where JSON has no text for it. */
    const write = (node: unknown, level: number): boolean => {
      if (typeof node !== 'object' || node === null) {
        const text = JSON.stringify(node) as string | undefined;
        if (text === undefined) return false;
        emit(text);
        return true;
      }
      if (Array.isArray(node)) {
        emit('[');
        node.forEach((item, i) => {
          emit(i === 0 ? indent(level + 1) : `,${indent(level + 1)}`);
          if (!write(jsonValue(item), level + 1)) emit('null');
        });
        emit(`${indent(level)}]`);
        return true;
      }
      emit('{');
      let first = true;
      for (const key of Object.keys(node).sort()) {
        const item = jsonValue((node as Record<string, unknown>)[key]);
        // A member without a JSON value (undefined, a function) is left out, with its comma.
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        emit(`${first ? '' : ','}${indent(level + 1)}${JSON.stringify(key)}: `);
        write(item, level + 1);
        first = false;
      }
      emit(`${indent(level)}}`);
      return true;
    };
    write(jsonValue(value), 0);
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/** A value as JSON sees it: through its `toJSON` when it has one. */
function jsonValue(value: unknown): unknown {
  return value !== null && typeof (value as { toJSON?: unknown } | undefined)?.toJSON === 'function'
    ? (value as { toJSON: () => unknown }).toJSON()
    : value;
}

/**
 * Makes cdktf synthesize `stack` leanly, with the same output: its plan is resolved only where it holds tokens
 * ({@link toTerraformResolvingTokensOnly}) and written in chunks ({@link writeStableJson}). cdktf's own synthesizer
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
      if (plan !== undefined)
        writeStableJson(join(session.outdir, session.manifest.forStack(stack).synthesizedStackPath), plan);
    },
  };
}
