/**
 * Runs a CommonJS file (the synth bundle, dist/synth.js) with a V8 code cache: the compiled code of its last
 * successful run, so that V8 deserializes it instead of parsing and compiling 6 MB of JavaScript on every synth (Node
 * 20 has no `module.enableCompileCache`; this is the `vm.Script` `cachedData` API it would use).
 *
 * A cache never changes what runs:
 * - it is used only for the exact source it was made from (its header holds the SHA-256 of the source) and only if
 *   its data is intact (and of its data);
 * - V8 checks the rest (its version, the flags that change code) and compiles from source when they differ;
 * - anything wrong with the cache (missing, stale, corrupt, unwritable directory) means compiling from source, as a
 *   plain `require` would, and a fresh cache is written when that run succeeds.
 *
 * The cache lives in a directory next to the file, one file per Node.js version and set of options (V8 rejects a
 * cache made under other flags), the newest few kept.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

const MAGIC = 'lz-code-cache 1';
/** Cache files kept per script: a few option sets (with and without `--max-old-space-size`, a profiler run). */
const KEPT = 3;
/** Node's own wrapper of a CommonJS module, on the first line so that line numbers stay. */
const WRAPPER = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'] as const;

/** What became of the cache for this run. */
export type CodeCacheState =
  /** Used: V8 deserialized the code. */
  | 'used'
  /** None yet (or unreadable). */
  | 'absent'
  /** Made from another source (the file was rebuilt). */
  | 'stale'
  /** Its data does not match its checksum. */
  | 'corrupt'
  /** V8 refused it (another Node.js version or other V8 flags). */
  | 'rejected'
  /** Not consulted: source maps are on (Node maps stack traces only for modules it loads itself). */
  | 'off';

export interface CompiledScript {
  readonly cache: CodeCacheState;
  /** Runs the file as a CommonJS module; returns its `module.exports`. */
  run(): unknown;
  /**
   * Writes the code compiled so far as the cache, unless the cache was used. Never throws: a cache that cannot be
   * written is no cache. Call it after the run, so that the functions compiled while running are in it.
   * @returns whether a cache file was written
   */
  save(): boolean;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The options that may change what V8 compiles, so that runs with different ones keep a cache each. */
function optionsKey(): string {
  const args: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const arg = process.execArgv[i]!;
    // Preloaded modules (the benchmark's memory reporter) do not change the code of this one.
    if (arg === '--require' || arg === '-r') i++;
    else if (!arg.startsWith('--require=')) args.push(arg);
  }
  return sha256(
    JSON.stringify([process.version, process.arch, args, process.env['NODE_OPTIONS'] ?? '']),
  ).slice(0, 16);
}

function header(sourceHash: string, dataHash: string): string {
  return `${MAGIC} ${sourceHash} ${dataHash}\n`;
}

/** The cached data for `sourceHash` in `file`, or why there is none. */
function readCache(file: string, sourceHash: string): Buffer | Exclude<CodeCacheState, 'used' | 'rejected'> {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch {
    return 'absent';
  }
  const end = content.indexOf(0x0a);
  const [magic, version, source, data] = content.subarray(0, Math.max(end, 0)).toString('latin1').split(' ');
  if (end < 0 || `${magic} ${version}` !== MAGIC) return 'corrupt';
  if (source !== sourceHash) return 'stale';
  const cached = content.subarray(end + 1);
  return sha256(cached) === data ? cached : 'corrupt';
}

/**
 * Compiles `file` with the cache in `cacheDir`. A syntax error in the file throws, as `require` would; nothing about
 * the cache does.
 */
export function compileWithCodeCache(file: string, cacheDir: string): CompiledScript {
  const source = readFileSync(file, 'utf8');
  const sourceHash = sha256(source);
  const prefix = `${basename(file)}-`;
  const cacheFile = join(cacheDir, `${prefix}${optionsKey()}.bin`);
  const found: Buffer | CodeCacheState = process.sourceMapsEnabled ? 'off' : readCache(cacheFile, sourceHash);
  const script = new Script(`${WRAPPER[0]}${source}${WRAPPER[1]}`, {
    filename: file,
    ...(typeof found === 'string' ? {} : { cachedData: found }),
  });
  const cache: CodeCacheState =
    typeof found === 'string' ? found : script.cachedDataRejected === true ? 'rejected' : 'used';

  return {
    cache,
    run() {
      const module = new Module(file);
      module.filename = file;
      const require = createRequire(file);
      const main = script.runInThisContext() as (...args: unknown[]) => void;
      main.call(module.exports, module.exports, require, module, file, dirname(file));
      module.loaded = true;
      return module.exports;
    },
    save() {
      if (cache === 'used' || cache === 'off') return false;
      let temporary: string | undefined;
      try {
        const data = script.createCachedData();
        mkdirSync(cacheDir, { recursive: true });
        // Written whole under a temporary name, then renamed: a concurrent run reads the old cache or the new one.
        temporary = `${cacheFile}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
        writeFileSync(
          temporary,
          Buffer.concat([Buffer.from(header(sourceHash, sha256(data)), 'latin1'), data]),
        );
        renameSync(temporary, cacheFile);
        temporary = undefined;
        pruneCaches(cacheDir, prefix);
        return true;
      } catch {
        if (temporary) rmSync(temporary, { force: true });
        return false;
      }
    },
  };
}

/** Keeps the newest {@link KEPT} cache files of one script. */
function pruneCaches(cacheDir: string, prefix: string): void {
  const caches = readdirSync(cacheDir)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.bin'))
    .map((name) => {
      const path = join(cacheDir, name);
      try {
        return { path, time: statSync(path).mtimeMs };
      } catch {
        return { path, time: 0 };
      }
    })
    .sort((a, b) => b.time - a.time);
  for (const old of caches.slice(KEPT)) rmSync(old.path, { force: true });
}

/**
 * Runs `file` through {@link compileWithCodeCache}, and writes a fresh cache when the process ends with exit code 0
 * (a failed run may have compiled too little of the code to be worth keeping).
 */
export function runWithCodeCache(file: string, cacheDir: string): void {
  const compiled = compileWithCodeCache(file, cacheDir);
  if (compiled.cache !== 'used' && compiled.cache !== 'off') {
    process.once('exit', (code) => {
      if (code === 0) compiled.save();
    });
  }
  compiled.run();
}
