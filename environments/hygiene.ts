import type { ConfigProblem } from './errors';
import { formatPath, renderValue } from './errors';
import type { PathKey } from './rules';

/**
 * What no field schema sees, checked over the raw input before the schema runs: hostile input is normal input.
 *
 * - Keys and texts named like a member of every JavaScript object (`constructor`, `__proto__`, `toString`, …): config
 *   keys become record keys, construct ids and lookup keys, and `tenants.constructor` or `name: "constructor"` would
 *   read `Object.prototype` instead of config. Refused everywhere, so no lookup keyed by config can reach a prototype.
 * - cdktf's token markers in text (`${TfToken[…]}`, and numbers in the range cdktf uses to encode tokens): cdktf would
 *   replace them with whatever internal value the token stands for, a subscription key included.
 * - Numbers that JSON, JavaScript and Terraform do not all carry exactly (beyond ±2^53 − 1, or not finite): no Azure
 *   setting needs them, and a 1e308 budget is a typo.
 * - Nesting deeper than any config needs, which would only exhaust the parser's stack.
 */
export const OBJECT_MEMBER_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Deeper than any valid config (about 8 levels) by a wide margin. */
export const MAX_CONFIG_DEPTH = 32;

const TOKEN_MARKER = /[$#&]\{TfToken\[/;
/** cdktf's pattern for numbers concatenated into strings (`tokens/private/encoding`, NUMBER_TOKEN_REGEX). */
const NUMBER_IN_TEXT = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;
/** cdktf encodes a number token as a double around ±1e298; no text needs such a number. */
const TOKEN_NUMBER_MAGNITUDE = 1e250;

function textProblem(text: string): string | undefined {
  if (OBJECT_MEMBER_NAMES.has(text))
    return `"${text}" is the name of a built-in member of every JavaScript object; expected another name`;
  if (TOKEN_MARKER.test(text))
    return 'contains a cdktf token marker (${TfToken[…]}), which synth would replace with an internal value; expected plain text';
  for (const match of text.matchAll(NUMBER_IN_TEXT)) {
    if (Math.abs(parseFloat(match[0])) > TOKEN_NUMBER_MAGNITUDE)
      return `contains the number ${match[0]}, in the range cdktf uses to encode tokens; expected plain text`;
  }
  return undefined;
}

/** Every problem of the raw input that the schema cannot see, with its path. */
export function inputHygieneProblems(input: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const walk = (value: unknown, path: PathKey[]): void => {
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) problems.push({ path: formatPath(path), message: problem, received: renderValue(value) });
      return;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
        problems.push({
          path: formatPath(path),
          message: `expected a number between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER} (what JSON, JavaScript and Terraform all carry exactly)`,
          received: renderValue(value),
        });
      }
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (path.length >= MAX_CONFIG_DEPTH) {
      problems.push({
        path: formatPath(path),
        message: `nested deeper than ${MAX_CONFIG_DEPTH} levels; expected the shape of environments/schema.json`,
        received: '',
      });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i]));
      return;
    }
    for (const key of Object.keys(value)) {
      const problem = textProblem(key);
      if (problem) {
        problems.push({
          path: formatPath([...path, key]),
          message: `key ${problem}`,
          received: JSON.stringify(key),
        });
        continue;
      }
      walk((value as Record<string, unknown>)[key], [...path, key]);
    }
  };
  walk(input, []);
  return problems;
}
