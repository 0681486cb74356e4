/**
 * Reading a config file, bounded and strict: a regular file of at most {@link MAX_CONFIG_BYTES}, valid UTF-8, JSON
 * parsed as JSON and YAML as plain YAML (no custom tags), every key once. Each problem names the file and where in it;
 * the work is linear in the size of the file, whatever its content.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { extname } from 'node:path';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { ConfigError, type ConfigProblem } from './errors';
import { MAX_CONFIG_DEPTH } from './hygiene';

/** Config files are at most 5 MiB: a thousand tenants take about 1 MB of YAML. */
export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

/** How often a YAML file may use its aliases (anchors are fine; a "billion laughs" is not). */
export const MAX_YAML_ALIASES = 100;

function fileProblem(file: string, message: string, received = ''): ConfigError {
  return new ConfigError(file, [{ path: '(file)', message, received }]);
}

function kindOfFile(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The bytes of a regular file, never more than the limit: a FIFO, a device or a growing file cannot hang or flood. */
function readBounded(file: string): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (the fstat below then refuses it).
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fileProblem(
      file,
      `cannot read the file: ${code === 'ENOENT' ? 'file not found' : (error as Error).message}`,
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw fileProblem(file, `expected a regular file; this is ${kindOfFile(stat)}`);
    if (stat.size > MAX_CONFIG_BYTES) {
      throw fileProblem(
        file,
        `the file is ${stat.size} bytes; a config file may be at most ${MAX_CONFIG_BYTES} bytes (5 MiB)`,
      );
    }
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_CONFIG_BYTES) {
        throw fileProblem(file, `the file grew beyond ${MAX_CONFIG_BYTES} bytes (5 MiB) while it was read`);
      }
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** The offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b === 0xe0) [need, min] = [2, 0xa0];
    else if (b >= 0xe1 && b <= 0xef) [need, min, max] = [2, 0x80, b === 0xed ? 0x9f : 0xbf];
    else if (b === 0xf0) [need, min] = [3, 0x90];
    else if (b >= 0xf1 && b <= 0xf3) [need, min] = [3, 0x80];
    else if (b === 0xf4) [need, min, max] = [3, 0x80, 0x8f];
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const [lo, hi] = k === 1 ? [min, max] : [0x80, 0xbf];
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return -1;
}

function decodeUtf8(file: string, bytes: Buffer): string {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (isUtf8(body)) return body.toString('utf8');
  const offset = firstInvalidUtf8(body) + (body === bytes ? 0 : 3);
  const line = bytes.subarray(0, offset).filter((b) => b === 0x0a).length + 1;
  throw new ConfigError(file, [
    {
      path: `byte ${offset} (line ${line})`,
      message: 'not valid UTF-8; expected a UTF-8 text file (an editor or iconv can convert it)',
      received: `0x${bytes[offset]!.toString(16).padStart(2, '0')}`,
    },
  ]);
}

function lineAndColumn(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${offset - start + 1}`;
}

const WHITESPACE = /[ \t\n\r]*/y;
/** A JSON string: no raw control character (U+0000–U+001F) inside, only JSON's escapes (RFC 8259, section 7). */
// eslint-disable-next-line no-control-regex -- the control characters are what the pattern refuses
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Checks JSON text in one pass without recursion: the first syntax error and every duplicate key (which JSON.parse
 * would silently resolve to the last one), each with its offset.
 */
export function scanJson(text: string): Array<{ offset: number; message: string }> {
  const found: Array<{ offset: number; message: string }> = [];
  const stack: Array<{ keys?: Set<string> }> = [];
  let i = 0;
  const skip = () => {
    WHITESPACE.lastIndex = i;
    WHITESPACE.test(text);
    i = WHITESPACE.lastIndex;
  };
  const match = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = i;
    const m = pattern.exec(text);
    if (!m) return undefined;
    i = pattern.lastIndex;
    return m[0];
  };
  const fail = (expected: string) => {
    const what = i >= text.length ? 'the end of the file' : JSON.stringify(text[i]);
    found.push({ offset: i, message: `invalid JSON: expected ${expected}, found ${what}` });
    return found;
  };
  // mode: a value is expected, or what follows a value inside the innermost container.
  let expectValue = true;
  for (;;) {
    skip();
    if (expectValue) {
      const c = text[i];
      if (c === '{' || c === '[') {
        if (stack.length >= MAX_CONFIG_DEPTH) return fail(`at most ${MAX_CONFIG_DEPTH} levels of nesting`);
        stack.push(c === '{' ? { keys: new Set() } : {});
        i++;
        skip();
        if (text[i] === (c === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          expectValue = false;
          continue;
        }
        if (c === '{' && !readKey()) return found;
        continue;
      }
      const word = ['true', 'false', 'null'].find((literal) => text.startsWith(literal, i));
      if (word) i += word.length;
      else if (match(STRING) === undefined && match(NUMBER) === undefined)
        return fail('a value (object, array, string, number, true, false or null)');
      expectValue = false;
      continue;
    }
    const top = stack[stack.length - 1];
    if (!top) return i < text.length ? fail('nothing after the top-level value') : found;
    const c = text[i];
    if (c === ',') {
      i++;
      if (top.keys) {
        skip();
        if (!readKey()) return found;
      } else expectValue = true;
      continue;
    }
    if (c === (top.keys ? '}' : ']')) {
      stack.pop();
      i++;
      continue;
    }
    return fail(top.keys ? '"," or "}"' : '"," or "]"');
  }

  function readKey(): boolean {
    const start = i;
    const raw = match(STRING);
    if (raw === undefined) {
      fail('a double-quoted key');
      return false;
    }
    const key = JSON.parse(raw) as string;
    const keys = stack[stack.length - 1]!.keys!;
    if (keys.has(key))
      found.push({ offset: start, message: `invalid JSON: duplicate key ${raw}: each key may appear once` });
    keys.add(key);
    skip();
    if (text[i] !== ':') {
      fail('":" after the key');
      return false;
    }
    i++;
    expectValue = true;
    return true;
  }
}

function parseJsonText(file: string, text: string): unknown {
  const found = scanJson(text);
  if (found.length > 0) {
    throw new ConfigError(
      file,
      found.map((f) => ({ path: lineAndColumn(text, f.offset), message: f.message, received: '' })),
    );
  }
  return JSON.parse(text) as unknown;
}

/** The YAML parser, loaded for the first YAML file: synth of the examples and of JSON configs never needs it. */
function yaml(): typeof Yaml {
  return createRequire(__filename)('yaml') as typeof Yaml;
}

function parseYamlText(file: string, text: string): unknown {
  const { isScalar, LineCounter, parseDocument, visit } = yaml();
  const lineCounter = new LineCounter();
  // uniqueKeys is off: yaml's own check compares every key with every other (quadratic); the pass below is linear.
  const document = parseDocument(text, { uniqueKeys: false, prettyErrors: false, lineCounter });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return `line ${pos.line}, column ${pos.col}`;
  };
  const problems: ConfigProblem[] = [];
  // After the first syntax error the rest are usually its echoes.
  const syntax = document.errors[0];
  if (syntax)
    problems.push({ path: at(syntax.pos[0]), message: `invalid YAML: ${syntax.message}`, received: '' });
  for (const warning of document.warnings) {
    problems.push({
      path: at(warning.pos[0]),
      message:
        warning.code === 'TAG_RESOLVE_FAILED'
          ? `invalid YAML: ${warning.message}; expected plain YAML without custom tags`
          : `invalid YAML: ${warning.message}`,
      received: '',
    });
  }
  visit(document, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key;
        const name = isScalar(key) ? String(key.value) : String(key);
        if (seen.has(name)) {
          problems.push({
            path: at((key as { range?: readonly number[] } | null)?.range?.[0] ?? 0),
            message: `invalid YAML: duplicate key ${JSON.stringify(name)}: each key may appear once`,
            received: '',
          });
        }
        seen.add(name);
      }
    },
  });
  if (problems.length > 0) throw new ConfigError(file, problems);
  try {
    return document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    let first: number | undefined;
    visit(document, {
      Alias(_, alias) {
        first ??= alias.range?.[0];
        return visit.BREAK;
      },
    });
    throw new ConfigError(file, [
      {
        path: first === undefined ? '(file)' : at(first),
        message: `invalid YAML: ${(error as Error).message}; expected aliases that expand to at most ${MAX_YAML_ALIASES} nodes`,
        received: '',
      },
    ]);
  }
}

/**
 * Reads a JSON or YAML config file. Every problem is a config error with the file and the line and column (or byte
 * offset), never a crash, a hang or an unbounded read.
 */
export function readConfigFile(file: string): unknown {
  const extension = extname(file).toLowerCase();
  if (!['.json', '.yaml', '.yml'].includes(extension)) {
    throw fileProblem(file, 'expected a .json, .yaml or .yml file', JSON.stringify(extension || file));
  }
  const text = decodeUtf8(file, readBounded(file));
  return extension === '.json' ? parseJsonText(file, text) : parseYamlText(file, text);
}
