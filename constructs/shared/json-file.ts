/**
 * Writing a large JSON value to a file in chunks: the text is never one string in memory (at 1,000 tenants the plan
 * is 20 MB and policy.json 14 MB, held as two bytes a character once either has one non-ASCII character), and no
 * level of it is copied into the level above.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * The text to reproduce byte for byte:
 * - `stringify`: `JSON.stringify(value, null, 2)`: keys in their order, `{}` and `[]` for empty ones;
 * - `stable`: json-stable-stringify with two spaces, as cdktf writes a plan: keys sorted, an empty object or array
 *   still broken over two lines.
 */
export type JsonStyle = 'stringify' | 'stable';

const CHUNK = 1 << 20;

export interface WriteJsonOptions {
  readonly style: JsonStyle;
  /** Text after the value (policy.json ends in a newline). @default '' */
  readonly suffix?: string;
  /**
   * Return the value as `JSON.parse` reads it back from the file (keys in the order written, `undefined` left out or
   * `null` in arrays, `toJSON` applied, numbers as JSON has them), built while writing instead of reading the file.
   * @default false - return undefined
   */
  readonly readBack?: boolean;
}

/** What `write` returns for a value that has no JSON text (undefined, a function, a symbol). */
const NO_TEXT = Symbol('no JSON text');

/** Writes `value` to `file` as {@link JsonStyle} `style` gives it; with `readBack`, returns what the file parses to. */
export function writeJsonFile(file: string, value: unknown, options: WriteJsonOptions): unknown {
  const stable = options.style === 'stable';
  const readBack = options.readBack ?? false;
  /** Items of arrays (in policy.json: a result, a data path) go to JSON.stringify whole: each is small. */
  const whole = !stable && !readBack;
  const fd = openSync(file, 'w');
  try {
    let chunk = '';
    const emit = (text: string) => {
      chunk += text;
      if (chunk.length >= CHUNK) {
        writeSync(fd, chunk);
        chunk = '';
      }
    };
    const indents = ['\n'];
    const indent = (level: number): string => (indents[level] ??= `${indent(level - 1)}  `);
    /** Emits a value (after `toJSON`) at `level`; returns it as read back (null without `readBack`), or NO_TEXT. */
    const write = (node: unknown, level: number): unknown => {
      if (typeof node !== 'object' || node === null) {
        const text = JSON.stringify(node) as string | undefined;
        if (text === undefined) return NO_TEXT;
        emit(text);
        // JSON has no -0, NaN or Infinity: they read back as 0 and null.
        if (typeof node === 'number') return Number.isFinite(node) ? node + 0 : null;
        return node;
      }
      if (Array.isArray(node)) {
        const items: unknown[] | null = readBack ? [] : null;
        if (node.length === 0 && !stable) emit('[]');
        else {
          emit('[');
          node.forEach((item, i) => {
            emit(i === 0 ? indent(level + 1) : `,${indent(level + 1)}`);
            const value = jsonValue(item, stable ? undefined : String(i));
            if (whole && typeof value === 'object' && value !== null && !hasToJson(value)) {
              // JSON.stringify's own text of the item, its lines indented to where it stands: byte for byte what
              // it writes for the whole (a string holds no raw line break), and much faster than member by member.
              emit(JSON.stringify(value, null, 2).replaceAll('\n', indent(level + 1)));
              return;
            }
            let written = write(value, level + 1);
            if (written === NO_TEXT) {
              emit('null');
              written = null;
            }
            items?.push(written);
          });
          emit(`${indent(level)}]`);
        }
        return items;
      }
      if (!stable && isBoxedPrimitive(node)) return write(node.valueOf(), level);
      const members: Record<string, unknown> | null = readBack ? {} : null;
      const keys = Object.keys(node);
      if (stable) keys.sort();
      let first = true;
      for (const key of keys) {
        const item = jsonValue((node as Record<string, unknown>)[key], stable ? undefined : key);
        // A member without a JSON value (undefined, a function, a symbol) is left out, with its comma.
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        emit(`${first ? '{' : ','}${indent(level + 1)}${JSON.stringify(key)}: `);
        const written = write(item, level + 1);
        if (members && key === '__proto__')
          // An own property, as JSON.parse makes it (an assignment would set the prototype).
          Object.defineProperty(members, key, {
            value: written,
            writable: true,
            enumerable: true,
            configurable: true,
          });
        else if (members) members[key] = written;
        first = false;
      }
      if (first) emit(stable ? `{${indent(level)}}` : '{}');
      else emit(`${indent(level)}}`);
      return members;
    };
    const written = write(jsonValue(value, stable ? undefined : ''), 0);
    writeSync(fd, chunk + (options.suffix ?? ''));
    return readBack && written !== NO_TEXT ? written : undefined;
  } finally {
    closeSync(fd);
  }
}

/** A value as JSON sees it: through its `toJSON` when it has one (given the key as JSON.stringify does). */
function jsonValue(value: unknown, key: string | undefined): unknown {
  return value !== null && typeof (value as { toJSON?: unknown } | undefined)?.toJSON === 'function'
    ? (value as { toJSON: (key?: string) => unknown }).toJSON(key)
    : value;
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** `new Number(1)`, `new String('a')`, `new Boolean(true)`: JSON writes the value inside. */
function isBoxedPrimitive(value: object): value is { valueOf(): unknown } {
  return value instanceof Number || value instanceof String || value instanceof Boolean;
}
