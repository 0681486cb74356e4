import type { z } from 'zod';
import type { ConfigPath, PathKey } from './rules';

/** One problem in a configuration: where, what was expected, and what was there. */
export interface ConfigProblem {
  /** Dotted path into the configuration (`regions.additional[1]`), or `(root)`. */
  readonly path: string;
  /** What is wrong and what was expected. */
  readonly message: string;
  /** The value found at the path, rendered for humans (`"x"`, `42`, `nothing`); empty when no value applies. */
  readonly received: string;
  /** The cross-field rule that found it, if any. */
  readonly rule?: string;
}

/**
 * A configuration that cannot be used. The message lists every problem, one per line, and is meant to be printed as
 * it is: no stack trace helps a user fix a config file.
 */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(renderProblems(source, problems));
    this.name = 'ConfigError';
  }
}

export function renderProblems(source: string, problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map(
    (p) =>
      `  - ${p.path}: ${p.message}${p.received ? ` (received ${p.received})` : ''}${p.rule ? ` [rule ${p.rule}]` : ''}`,
  );
  return [`${source}: ${count}:`, ...lines].join('\n');
}

export function formatPath(path: ConfigPath): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      if (/^[A-Za-z0-9_$-]+$/.test(key)) return i === 0 ? key : `.${key}`;
      return `[${JSON.stringify(key)}]`;
    })
    .join('');
}

const MISSING = Symbol('missing');

function valueAt(root: unknown, path: ConfigPath): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (
      current === null ||
      typeof current !== 'object' ||
      !Object.prototype.hasOwnProperty.call(current, key)
    ) {
      return MISSING;
    }
    current = (current as Record<PathKey, unknown>)[key];
  }
  return current;
}

export function renderValue(value: unknown): string {
  if (value === MISSING || value === undefined) return 'nothing';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** The keys an object schema allows at `path`, for "did you mean" hints. Best effort: unknown shapes give []. */
function knownKeysAt(schema: z.ZodType, path: ConfigPath): string[] {
  const options = schemasAt(schema as unknown as ZodLike, path);
  const keys = new Set<string>();
  for (const option of options) {
    const shape = unwrap(option)._zod.def.shape;
    if (shape) for (const key of Object.keys(shape)) keys.add(key);
  }
  return [...keys];
}

interface ZodLike {
  _zod: {
    def: {
      type: string;
      innerType?: ZodLike;
      in?: ZodLike;
      shape?: Record<string, ZodLike>;
      valueType?: ZodLike;
      element?: ZodLike;
      options?: ZodLike[];
      schema?: ZodLike;
    };
  };
}

function unwrap(schema: ZodLike): ZodLike {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const def = current._zod.def;
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!next) break;
    current = next;
  }
  return current;
}

function schemasAt(schema: ZodLike, path: ConfigPath): ZodLike[] {
  let current: ZodLike[] = [schema];
  for (const key of path) {
    const next: ZodLike[] = [];
    for (const s of current.flatMap(expandUnion)) {
      const def = unwrap(s)._zod.def;
      if (def.shape && typeof key === 'string' && def.shape[key]) next.push(def.shape[key]);
      else if (def.type === 'record' && def.valueType) next.push(def.valueType);
      else if (def.type === 'array' && def.element) next.push(def.element);
    }
    current = next;
  }
  return current.flatMap(expandUnion);
}

function expandUnion(schema: ZodLike): ZodLike[] {
  const inner = unwrap(schema);
  return inner._zod.def.type === 'union' && inner._zod.def.options
    ? inner._zod.def.options.flatMap(expandUnion)
    : [inner];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(
        row[j]! + 1,
        row[j - 1]! + 1,
        previous + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1),
      );
      previous = current;
    }
  }
  return row[b.length]!;
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  if (known.length === 0) return `unknown key "${key}"`;
  const closest = [...known].sort((a, b) => editDistance(key, a) - editDistance(key, b))[0]!;
  const hint =
    editDistance(key, closest) <= Math.max(2, Math.floor(key.length / 3))
      ? ` (did you mean "${closest}"?)`
      : '';
  return `unknown key "${key}"${hint}; expected one of: ${known.join(', ')}`;
}

function unionMessage(issue: z.core.$ZodIssueInvalidUnion): string {
  if ('discriminator' in issue && typeof issue.discriminator === 'string') {
    // A discriminator with a default (network.mode) lists `undefined` among its options: not a value to suggest.
    const options = ((issue as unknown as { options?: unknown[] }).options ?? []).filter(
      (o) => o !== undefined,
    );
    return `expected ${options.map((o) => JSON.stringify(o)).join(' | ')}`;
  }
  const alternatives = issue.errors.map((errors) => errors.map((e) => e.message).join('; ')).filter(Boolean);
  return alternatives.length > 0
    ? `expected one of: ${[...new Set(alternatives)].join(' OR ')}`
    : issue.message;
}

/** A failure of a union option at the union itself: the input is not of the option's type or literal. */
function failsAtRoot(issue: z.core.$ZodIssue): boolean {
  return issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
}

/**
 * The issues of the union option that the input was meant for, with their full paths: the options whose type the
 * input has (an object for `"none" | { … }`), and of those the one with the fewest issues. Undefined when the input
 * has the type of no option: then the union's own message says what was expected.
 */
function closestOption(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] | undefined {
  if ('discriminator' in issue && typeof issue.discriminator === 'string') return undefined;
  const fitting = issue.errors.filter((errors) => errors.length > 0 && !errors.some(failsAtRoot));
  if (fitting.length === 0) return undefined;
  const closest = fitting.reduce((best, errors) => (errors.length < best.length ? errors : best));
  return closest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }));
}

/**
 * Turns zod issues into problems with path, expectation and the value received. A problem inside a union (an
 * allocation `"none" | { … }`) is reported at its deepest path, in the option the input was meant for.
 */
export function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  schema: z.ZodType,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_union') {
      const inner = closestOption(issue);
      if (inner) {
        problems.push(...problemsFromIssues(inner, input, schema));
        continue;
      }
    }
    const path = issue.path as PathKey[];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, path);
      for (const key of issue.keys) {
        problems.push({
          path: formatPath([...path, key]),
          message: unknownKeyMessage(key, known),
          received: renderValue(valueAt(input, [...path, key])),
        });
      }
      continue;
    }
    const value = valueAt(input, path);
    const missing = value === MISSING || value === undefined;
    // zod's own messages start with "Invalid"; a message written in the schema says it better, so keep that one.
    const custom = !issue.message.startsWith('Invalid');
    let message: string;
    switch (custom ? 'custom' : issue.code) {
      case 'invalid_type':
        message = `expected ${(issue as z.core.$ZodIssueInvalidType).expected}, received ${kindOf(value)}`;
        break;
      case 'invalid_value':
        message = `expected ${(issue as z.core.$ZodIssueInvalidValue).values.map((v) => JSON.stringify(v)).join(' | ')}`;
        break;
      case 'invalid_key': {
        // A record key that breaks its own schema: report the key's problems, and the key as what was received.
        const nested = (issue as z.core.$ZodIssueInvalidKey).issues.map((i) => i.message);
        problems.push({
          path: formatPath(path),
          message: `invalid key: ${[...new Set(nested)].join('; ')}`,
          received: JSON.stringify(path[path.length - 1]),
        });
        continue;
      }
      case 'invalid_union':
        message = unionMessage(issue as z.core.$ZodIssueInvalidUnion);
        break;
      default:
        message = issue.message;
    }
    if (missing && issue.code !== 'custom') message = `is required: ${message.replace(/, received .*$/, '')}`;
    const rule = issue.code === 'custom' ? (issue.params?.['rule'] as string | undefined) : undefined;
    problems.push({
      path: formatPath(path),
      message,
      received: renderValue(value),
      ...(rule ? { rule } : {}),
    });
  }
  return problems;
}
