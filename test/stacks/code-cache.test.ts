import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileWithCodeCache } from '../../stacks/code-cache';

const dir = mkdtempSync(join(tmpdir(), 'lz-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let scripts = 0;
/** A CommonJS file in a directory of its own, and the cache directory next to it. */
function script(body: string): { file: string; cacheDir: string } {
  const at = join(dir, String(scripts++));
  mkdirSync(at);
  const file = join(at, 'script.js');
  writeFileSync(file, body);
  return { file, cacheDir: join(at, '.code-cache') };
}

/** Compiles and runs `file` with its cache, and writes the cache as the app does after a successful run. */
function run(file: string, cacheDir: string) {
  const compiled = compileWithCodeCache(file, cacheDir);
  const exports = compiled.run();
  return { cache: compiled.cache, exports, saved: compiled.save() };
}

const BODY = (value: string) =>
  `const path = require('node:path');\nmodule.exports = { value: ${value}, file: path.basename(__filename), self: this === module.exports };\n`;

describe('the code cache of the synth bundle', () => {
  it('is written after the first run and used by the next, with the same result', () => {
    const { file, cacheDir } = script(BODY("'one'"));
    const first = run(file, cacheDir);
    expect(first).toMatchObject({ cache: 'absent', saved: true });
    expect(first.exports).toEqual({ value: 'one', file: 'script.js', self: true });
    const second = run(file, cacheDir);
    expect(second).toMatchObject({ cache: 'used', saved: false, exports: first.exports });
  });

  it('is never used for another source, even one of the same length', () => {
    const { file, cacheDir } = script(BODY("'one'"));
    run(file, cacheDir);
    // V8 checks only the length of the source: the cache names the source's SHA-256.
    writeFileSync(file, BODY("'two'"));
    const changed = run(file, cacheDir);
    expect(changed).toMatchObject({ cache: 'stale', saved: true });
    expect(changed.exports).toMatchObject({ value: 'two' });
    expect(run(file, cacheDir)).toMatchObject({ cache: 'used', exports: { value: 'two' } });
  });

  it('is ignored when corrupt or refused by V8, and rewritten', () => {
    const { file, cacheDir } = script(BODY('1 + 1'));
    run(file, cacheDir);
    const [cacheFile] = readdirSync(cacheDir).map((name) => join(cacheDir, name));
    const content = readFileSync(cacheFile!);
    const dataStart = content.indexOf(0x0a) + 1;

    // A flipped byte in the data: its checksum no longer matches.
    const flipped = Buffer.from(content);
    flipped[dataStart + 100] = flipped[dataStart + 100]! ^ 0xff;
    writeFileSync(cacheFile!, flipped);
    expect(run(file, cacheDir)).toMatchObject({ cache: 'corrupt', saved: true, exports: { value: 2 } });

    // Data with a valid checksum that V8 refuses: the code of another script, under the header of a source this
    // process has not compiled yet (V8 would take that from its own in-memory cache without reading the data).
    const other = script(BODY("'x'.repeat(3)"));
    run(other.file, other.cacheDir);
    const otherCache = readFileSync(join(other.cacheDir, readdirSync(other.cacheDir)[0]!));
    const foreign = otherCache.subarray(otherCache.indexOf(0x0a) + 1);
    const source = BODY('3 + 4');
    writeFileSync(file, source);
    const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
    writeFileSync(
      cacheFile!,
      Buffer.concat([Buffer.from(`lz-code-cache 1 ${sha(source)} ${sha(foreign)}\n`, 'latin1'), foreign]),
    );
    expect(run(file, cacheDir)).toMatchObject({ cache: 'rejected', saved: true, exports: { value: 7 } });

    // Not a cache file at all.
    writeFileSync(cacheFile!, 'garbage');
    expect(run(file, cacheDir)).toMatchObject({ cache: 'corrupt', exports: { value: 7 } });
    expect(run(file, cacheDir)).toMatchObject({ cache: 'used', exports: { value: 7 } });
  });

  it('is no cache where it cannot be written, and never hides an error of the script', () => {
    const { file } = script(BODY("'plain'"));
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the cache directory would be');
    expect(run(file, blocked)).toMatchObject({ cache: 'absent', saved: false, exports: { value: 'plain' } });

    const failing = script(
      `module.exports.ran = (globalThis.__lzRuns = (globalThis.__lzRuns ?? 0) + 1);\nthrow new Error('boom');\n`,
    );
    const compiled = compileWithCodeCache(failing.file, failing.cacheDir);
    expect(() => compiled.run()).toThrow('boom');
    expect((globalThis as { __lzRuns?: number }).__lzRuns).toBe(1);
    expect(() => compileWithCodeCache(script('module.exports = {').file, dir)).toThrow(SyntaxError);
  });
});
