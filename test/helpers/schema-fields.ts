/**
 * The string fields of a zod schema, enumerated from the schema itself (never listed by hand), and their instances in
 * a config: what the hostile-input properties feed.
 */
import type { z } from 'zod';

interface Def {
  type: string;
  innerType?: ZodLike;
  in?: ZodLike;
  out?: ZodLike;
  shape?: Record<string, ZodLike>;
  keyType?: ZodLike;
  valueType?: ZodLike;
  element?: ZodLike;
  options?: ZodLike[];
  left?: ZodLike;
  right?: ZodLike;
  values?: unknown[];
}
interface ZodLike {
  _zod: { def: Def };
}

/** `*` is any record key or array index; `{key}` marks the key itself. */
export type FieldPattern = readonly string[];

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

function isTextLeaf(def: Def): boolean {
  if (def.type === 'string' || def.type === 'enum' || def.type === 'template_literal') return true;
  if (def.type === 'literal') return (def.values ?? []).some((v) => typeof v === 'string');
  return false;
}

/** Every path at which the schema accepts a string (values and record keys). */
export function stringFields(schema: z.ZodType): FieldPattern[] {
  const found = new Map<string, FieldPattern>();
  const seen = new Set<ZodLike>();
  const visit = (node: ZodLike, path: string[]): void => {
    const def = node._zod.def;
    if (WRAPPERS.has(def.type)) return visit(def.innerType!, path);
    if (def.type === 'pipe') {
      visit(def.in!, path);
      return;
    }
    if (isTextLeaf(def)) {
      found.set(path.join('/'), path);
      return;
    }
    if (seen.has(node) && path.length > 40) return;
    seen.add(node);
    if (def.type === 'object')
      for (const [key, child] of Object.entries(def.shape!)) visit(child, [...path, key]);
    else if (def.type === 'record') {
      found.set([...path, '{key}'].join('/'), [...path, '{key}']);
      visit(def.valueType!, [...path, '*']);
    } else if (def.type === 'array') visit(def.element!, [...path, '*']);
    else if (def.type === 'union') for (const option of def.options!) visit(option, path);
    else if (def.type === 'intersection') {
      visit(def.left!, path);
      visit(def.right!, path);
    }
  };
  visit(schema as unknown as ZodLike, []);
  return [...found.values()];
}

/** One place in a config that holds a string: a value, or a record key. */
export interface FieldInstance {
  readonly pattern: string;
  readonly path: readonly (string | number)[];
  readonly kind: 'value' | 'key';
  readonly value: string;
}

/** The instances of `patterns` in one config input. */
export function fieldInstances(input: unknown, patterns: readonly FieldPattern[]): FieldInstance[] {
  const byPattern = new Set(patterns.map((p) => p.join('/')));
  // Every pattern and each of its prefixes that ends before a `/`: the names a config key takes as a field.
  const fieldPrefixes = new Set(
    [...byPattern].flatMap((p) => [p, ...[...p].flatMap((c, i) => (c === '/' ? [p.slice(0, i)] : []))]),
  );
  const instances: FieldInstance[] = [];
  const walk = (value: unknown, path: (string | number)[], pattern: string[]): void => {
    if (typeof value === 'string') {
      const key = pattern.join('/');
      if (byPattern.has(key)) instances.push({ pattern: key, path, kind: 'value', value });
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i], [...pattern, '*']));
      return;
    }
    const keyPattern = [...pattern, '{key}'].join('/');
    for (const [key, item] of Object.entries(value)) {
      if (byPattern.has(keyPattern))
        instances.push({ pattern: keyPattern, path: [...path, key], kind: 'key', value: key });
      const field = fieldPrefixes.has([...pattern, key].join('/'));
      walk(item, [...path, key], field ? [...pattern, key] : [...pattern, '*']);
    }
  };
  walk(input, [], []);
  return instances;
}
