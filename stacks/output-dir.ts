/**
 * Output directories that a command owns and replaces whole: synth's cdktf.out, the audit's audit/, verify's report.
 *
 * Safety rules:
 * - A command writes only into a directory that is absent, empty, or carries its own marker file
 *   ({@link OUTPUT_MARKER}, naming the command). Anything else (a file, a symbolic link, a directory of sources, the
 *   current directory or one of its parents) is refused in one sentence, before anything is written.
 * - The new content is built in a sibling directory and swapped in with two renames, so that a failure leaves the
 *   previous output as it was. Files are created with the process's umask (no mkdtemp: it makes 0700 directories).
 * - Nothing is deleted outside the target and the sibling directories this module names after a process:
 *   `.<target>.tmp-<host>-<pid>-<random>` (the new content), `….old` (the previous output between the renames) and
 *   `….swap` (the journal of a swap in progress). Symbolic links are removed, never followed.
 * - The swap is recoverable. Once the new content is complete, a journal lists what moves from the previous output
 *   (kept stacks, Terraform's working files); every later step can be repeated. The next run finishes a swap whose
 *   process was killed after the journal, and removes the siblings of a process killed before it. Siblings of a
 *   process that still runs, or of another machine, are left alone.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';

/** The marker file in every directory a command owns. */
export const OUTPUT_MARKER = '.lz-output.json';

/** The commands that own an output directory, as the marker and the refusals name them. */
export type OutputOwner = 'synth' | 'audit' | 'pipeline plan' | 'verify';

/** An output directory that cannot be used, in one sentence. Nothing was written or deleted. */
export class OutputDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputDirError';
  }
}

/** A target directory that passed the checks: the command may replace it. */
export interface OutputDir {
  /** As the user gave it, for messages. */
  readonly path: string;
  /** Absolute. */
  readonly target: string;
  readonly owner: OutputOwner;
  /** What was there before: nothing, an empty directory, or the command's own output. */
  readonly previous: 'absent' | 'empty' | 'owned';
  /** What the recovery of interrupted swaps did, one sentence each, for the caller to print. */
  readonly notes: readonly string[];
}

export interface ClaimOptions {
  readonly owner: OutputOwner;
  /** The command-line flag that chooses the directory, for the refusal (`--outdir`). */
  readonly flag: string;
}

/**
 * Checks that `path` can be replaced by `owner`, after finishing or cleaning up interrupted swaps of it. Throws an
 * {@link OutputDirError} otherwise.
 */
export function claimOutputDir(path: string, options: ClaimOptions): OutputDir {
  const target = resolve(path);
  const rule = `${options.owner} writes only into an absent or empty directory, or into its own earlier output (marked by ${OUTPUT_MARKER})`;
  const refuse = (why: string) =>
    new OutputDirError(`${options.owner} refuses ${options.flag} ${path}: ${why}; ${rule}.`);
  if (containsWorkingDirectory(target)) throw refuse('it contains the current directory');
  const parentKind = kindOf(dirname(target));
  if (parentKind !== 'absent' && parentKind !== 'directory')
    throw refuse(`${dirname(target)} is not a directory`);

  const notes = parentKind === 'directory' ? recoverOutputDir(target) : [];

  const kind = kindOf(target);
  if (kind === 'absent') return { path, target, owner: options.owner, previous: 'absent', notes };
  if (kind === 'symlink') throw refuse('it is a symbolic link (pass the directory it points to)');
  if (kind !== 'directory') throw refuse('it is a file');
  const entries = readdirSync(target);
  if (entries.length === 0) return { path, target, owner: options.owner, previous: 'empty', notes };
  const owner = markerOwner(target);
  if (owner === options.owner) return { path, target, owner: options.owner, previous: 'owned', notes };
  if (owner !== undefined) throw refuse(`it holds the output of ${owner}`);
  throw refuse(
    `it is not empty and has no ${OUTPUT_MARKER} of ${options.owner} (if it is ${options.owner}'s output from before the marker, remove it yourself)`,
  );
}

/** Who wrote `dir`, from its marker file; undefined when there is none or it is not a regular JSON file. */
export function markerOwner(dir: string): string | undefined {
  const file = join(dir, OUTPUT_MARKER);
  if (kindOf(file) !== 'file') return undefined;
  try {
    const owner = (JSON.parse(readFileSync(file, 'utf8')) as { owner?: unknown }).owner;
    return typeof owner === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** The marker's content: who owns the directory and what that means for a person who finds it. */
export function markerText(owner: OutputOwner): string {
  const command = owner === 'pipeline plan' ? 'node dist/scripts/pipeline.js plan' : `npm run ${owner}`;
  const note = `Written by ${command}, which replaces this directory whole on every run: keep no other files here.`;
  return `${JSON.stringify({ owner, note }, null, 2)}\n`;
}

/** Creates the directory that receives the new content, next to the target and named after this process. */
export function createStaging(dir: OutputDir): string {
  mkdirSync(dirname(dir.target), { recursive: true });
  for (;;) {
    const staging = join(
      dirname(dir.target),
      `${siblingPrefix(dir.target)}${HOST}-${process.pid}-${randomBytes(4).toString('hex')}`,
    );
    try {
      mkdirSync(staging); // mode 0777 less the umask
      return staging;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Removes a staging directory that will not be committed. */
export function discardStaging(staging: string): void {
  rmSync(staging, { recursive: true, force: true });
  rmSync(`${staging}${JOURNAL}`, { force: true });
}

/**
 * Replaces the target with `staging`. `moves` are paths relative to the target (`stacks/dev`,
 * `stacks/prod/.terraform`) that move from the previous output into the new one, where the previous output has them
 * and the new one does not. Writes the marker first. On an error the previous output is put back; if even that
 * fails, the journal stays for the next run to finish the swap.
 */
export function commitStaging(dir: OutputDir, staging: string, moves: readonly string[] = []): void {
  for (const move of moves) {
    if (!isSafeRelative(move)) throw new Error(`not a relative path inside the output: ${move}`);
  }
  writeFileSync(join(staging, OUTPUT_MARKER), markerText(dir.owner));
  const journal = `${staging}${JOURNAL}`;
  writeFileSync(journal, `${JSON.stringify({ version: 1, moves })}\n`);
  // From here on the new content is complete: a killed process is finished by the next run.
  try {
    finishSwap(dir.target, staging, moves);
  } catch (error) {
    try {
      rollBack(dir.target, staging, moves);
      discardStaging(staging);
    } catch {
      // Leave the journal: the next run finishes the swap.
    }
    throw error;
  }
  rmSync(`${staging}${RETIRED}`, { recursive: true, force: true });
  rmSync(journal, { force: true });
}

/**
 * Finishes the swaps of `target` that a killed process left (journal present) and removes the siblings of processes
 * killed before their journal. Returns one note per thing done. Runs on every claim; exported for tests.
 */
export function recoverOutputDir(target: string): string[] {
  const parent = dirname(target);
  if (kindOf(parent) !== 'directory') return [];
  const prefix = siblingPrefix(target);
  const pattern = new RegExp(
    `^${escapeRegExp(prefix)}([0-9a-f]{8})-(\\d+)-([0-9a-f]{8})(${escapeRegExp(RETIRED)}|${escapeRegExp(JOURNAL)})?$`,
  );
  const stale = new Map<string, number>();
  for (const entry of readdirSync(parent)) {
    const match = pattern.exec(entry);
    if (!match || match[1] !== HOST) continue; // another machine's, or not ours at all
    const pid = Number(match[2]);
    if (isRunning(pid)) continue;
    stale.set(join(parent, `${prefix}${match[1]}-${match[2]}-${match[3]}`), pid);
  }
  const notes: string[] = [];
  const name = basename(target);
  // Oldest journal first, so that the newest finished swap wins.
  const ordered = [...stale].sort(([a], [b]) => journalTime(a) - journalTime(b));
  for (const [staging, pid] of ordered) {
    const moves = readJournal(`${staging}${JOURNAL}`);
    if (moves) {
      const kind = kindOf(target);
      if (kind !== 'absent' && kind !== 'directory') {
        notes.push(
          `left the unfinished replacement of ${name} by process ${pid} alone: ${name} is no directory`,
        );
        continue;
      }
      finishSwap(target, staging, moves);
      notes.push(`finished the replacement of ${name} that process ${pid} began before it was stopped`);
    } else {
      notes.push(`removed the temporary output of process ${pid}, which was stopped before it finished`);
    }
    // The previous output (after a finished swap) or the incomplete new one, and the journal last.
    rmSync(staging, { recursive: true, force: true });
    rmSync(`${staging}${RETIRED}`, { recursive: true, force: true });
    rmSync(`${staging}${JOURNAL}`, { force: true });
  }
  return notes;
}

const JOURNAL = '.swap';
const RETIRED = '.old';
/** Eight hex digits of the host name: siblings of other machines (a shared volume) are never touched. */
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

function siblingPrefix(target: string): string {
  return `.${basename(target)}.tmp-`;
}

/** The forward steps of a swap; each can be repeated after a kill. */
function finishSwap(target: string, staging: string, moves: readonly string[]): void {
  if (!existsSync(staging)) return; // already renamed into place
  if (kindOf(target) !== 'absent') {
    for (const move of moves) moveIfPresent(join(target, move), join(staging, move));
    renameSync(target, `${staging}${RETIRED}`);
  }
  renameSync(staging, target);
}

/** Undoes the steps of a swap that this process began: the previous output back in place, with what moved. */
function rollBack(target: string, staging: string, moves: readonly string[]): void {
  if (!existsSync(staging)) return;
  const retired = `${staging}${RETIRED}`;
  if (kindOf(target) === 'absent' && existsSync(retired)) renameSync(retired, target);
  if (kindOf(target) !== 'directory') return;
  for (const move of [...moves].reverse()) moveIfPresent(join(staging, move), join(target, move));
}

function moveIfPresent(from: string, to: string): void {
  if (kindOf(from) === 'absent' || kindOf(to) !== 'absent') return;
  mkdirSync(dirname(to), { recursive: true });
  renameSync(from, to);
}

function readJournal(file: string): string[] | undefined {
  try {
    const journal = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown; moves?: unknown };
    if (journal.version !== 1 || !Array.isArray(journal.moves)) return undefined;
    const moves = journal.moves as unknown[];
    return moves.every((m): m is string => typeof m === 'string' && isSafeRelative(m))
      ? (moves as string[])
      : undefined;
  } catch {
    return undefined; // absent, or cut short by the kill: the swap had not begun
  }
}

function journalTime(staging: string): number {
  try {
    return lstatSync(`${staging}${JOURNAL}`).mtimeMs;
  } catch {
    return 0;
  }
}

function isSafeRelative(path: string): boolean {
  return (
    path.length > 0 &&
    !isAbsolute(path) &&
    normalize(path) === path &&
    !path.split(/[\\/]/).includes('..') &&
    path !== '.'
  );
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return false; // not this run: a process of the same id that has ended
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

function kindOf(path: string): 'absent' | 'directory' | 'symlink' | 'file' | 'other' {
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return 'symlink';
    if (stat.isDirectory()) return 'directory';
    return stat.isFile() ? 'file' : 'other';
  } catch {
    return 'absent';
  }
}

/** The target is the current directory, one of its parents, or the file system root. */
function containsWorkingDirectory(target: string): boolean {
  const cwd = process.cwd();
  const contains = (dir: string) => {
    const rel = relative(dir, cwd);
    return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
  };
  if (contains(target) || dirname(target) === target) return true;
  try {
    return contains(realpathSync(target));
  } catch {
    return false;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
