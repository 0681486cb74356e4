/**
 * The rules for the directories that synth and the audit replace (stacks/output-dir): which directories they accept,
 * that a refusal changes nothing, that nothing outside is deleted, that stale temporary directories go and live ones
 * stay, and that a swap killed at any step is finished or undone by the next run.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { buildSync } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  claimOutputDir,
  commitStaging,
  createStaging,
  markerText,
  OUTPUT_MARKER,
  OutputDirError,
} from '../../stacks/output-dir';
import { tree } from '../helpers/files';

const SYNTH = { owner: 'synth', flag: '--outdir' } as const;

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'lz-output-dir-'));
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** The temporary siblings of `target` (there must be none once a run is over). */
function siblings(target: string): string[] {
  return readdirSync(join(target, '..')).filter((f) => f.startsWith('.out.tmp-'));
}

/** A pid that ran and has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

describe('which directories an output may replace', () => {
  it('accepts an absent, an empty and its own directory', () => {
    const dir = scratch();
    expect(claimOutputDir(join(dir, 'new'), SYNTH).previous).toBe('absent');
    mkdirSync(join(dir, 'empty'));
    expect(claimOutputDir(join(dir, 'empty'), SYNTH).previous).toBe('empty');
    write(dir, { [`own/${OUTPUT_MARKER}`]: markerText('synth'), 'own/stacks/dev/cdk.tf.json': '{}' });
    expect(claimOutputDir(join(dir, 'own'), SYNTH).previous).toBe('owned');
  });

  const refusals: Array<[string, (dir: string) => string, RegExp]> = [
    ['the parent directory', () => '..', /refuses --outdir \.\.: it contains the current directory/],
    ['the working directory', () => '.', /it contains the current directory/],
    ['the file system root', () => '/', /it contains the current directory/],
    ['the sources', () => 'environments', /refuses --outdir environments: it is not empty and has no/],
    ['a file', () => 'README.md', /refuses --outdir README\.md: it is a file/],
    [
      'a symbolic link to an output',
      (dir) => {
        write(dir, { [`real/${OUTPUT_MARKER}`]: markerText('synth') });
        symlinkSync(join(dir, 'real'), join(dir, 'link'));
        return join(dir, 'link');
      },
      /it is a symbolic link/,
    ],
    [
      "another command's output",
      (dir) => {
        write(dir, { [`audit/${OUTPUT_MARKER}`]: markerText('audit'), 'audit/prod.md': '# prod' });
        return join(dir, 'audit');
      },
      /it holds the output of audit/,
    ],
    [
      'a directory whose marker is a link',
      (dir) => {
        write(dir, { [`elsewhere/${OUTPUT_MARKER}`]: markerText('synth'), 'out/keep.txt': 'mine' });
        symlinkSync(join(dir, 'elsewhere', OUTPUT_MARKER), join(dir, 'out', OUTPUT_MARKER));
        return join(dir, 'out');
      },
      /it is not empty and has no \.lz-output\.json of synth/,
    ],
    ['a directory under a file', () => 'README.md/out', /README\.md is not a directory/],
  ];

  it.each(refusals)('refuses %s in one sentence and changes nothing', (_name, make, message) => {
    const dir = scratch();
    const path = make(dir);
    const before = {
      project: tree('environments'),
      readme: readFileSync('README.md', 'utf8'),
      dir: tree(dir),
    };
    let error: unknown;
    try {
      claimOutputDir(path, SYNTH);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OutputDirError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/^synth refuses [^\n]*\.$/);
    expect((error as Error).message.split('. ')).toHaveLength(1);
    expect({
      project: tree('environments'),
      readme: readFileSync('README.md', 'utf8'),
      dir: tree(dir),
    }).toEqual(before);
  });

  it('never follows a symbolic link inside the output it replaces', () => {
    const dir = scratch();
    const outside = join(dir, 'plugin-cache');
    write(outside, { 'provider.bin': 'keep me' });
    const target = join(dir, 'out');
    write(target, { [OUTPUT_MARKER]: markerText('synth'), 'stacks/gone/x': 'old' });
    symlinkSync(outside, join(target, 'stacks', 'gone', 'cache'));
    const output = claimOutputDir(target, SYNTH);
    const staging = createStaging(output);
    write(staging, { 'stacks/new/cdk.tf.json': '{}' });
    commitStaging(output, staging);
    expect(tree(target)).toEqual({
      [OUTPUT_MARKER]: markerText('synth'),
      stacks: '<dir>',
      'stacks/new': '<dir>',
      'stacks/new/cdk.tf.json': '{}',
    });
    expect(readFileSync(join(outside, 'provider.bin'), 'utf8')).toBe('keep me');
  });
});

describe('stale temporary directories', () => {
  it('removes those of ended processes and keeps those of running processes and other machines', () => {
    const dir = scratch();
    const target = join(dir, 'out');
    write(target, { [OUTPUT_MARKER]: markerText('synth'), 'stacks/dev/cdk.tf.json': 'current' });
    const dead = `.out.tmp-${HOST}-${deadPid()}-0000abcd`;
    const live = `.out.tmp-${HOST}-${process.ppid}-0000abcd`;
    const remote = `.out.tmp-${HOST === 'ffffffff' ? '00000000' : 'ffffffff'}-${deadPid()}-0000abcd`;
    for (const name of [dead, live, remote]) write(join(dir, name), { 'stacks/dev/cdk.tf.json': 'half' });
    writeFileSync(join(dir, `${dead}.swap`), '{"version": 1, "mo'); // cut short by the kill

    const output = claimOutputDir(target, SYNTH);

    expect(siblings(target).sort()).toEqual([live, remote].sort());
    expect(output.notes).toEqual([
      expect.stringMatching(
        /^removed the temporary output of process \d+, which was stopped before it finished$/,
      ),
    ]);
    expect(readFileSync(join(target, 'stacks/dev/cdk.tf.json'), 'utf8')).toBe('current');
  });
});

describe('a swap killed at any step', () => {
  let child: string;
  beforeAll(() => {
    child = join(scratch(), 'swap-child.cjs');
    buildSync({
      entryPoints: ['test/helpers/swap-child.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: child,
      logLevel: 'warning',
    });
  });

  const previous = {
    [OUTPUT_MARKER]: markerText('synth'),
    'manifest.json': 'dev and prod',
    'stacks/dev/cdk.tf.json': 'dev, kept',
    'stacks/prod/cdk.tf.json': 'prod, old',
    'stacks/prod/stray.txt': 'not carried over',
    'stacks/prod/.terraform/providers/azurerm': 'provider',
    'stacks/prod/.terraform.lock.hcl': 'lock',
  };
  const fresh = { 'manifest.json': 'dev and prod, new', 'stacks/prod/cdk.tf.json': 'prod, new' };
  const moves = ['stacks/dev', 'stacks/prod/.terraform', 'stacks/prod/.terraform.lock.hcl'];
  const finished = tree(
    (() => {
      const dir = join(scratch(), 'expected');
      write(dir, {
        [OUTPUT_MARKER]: markerText('synth'),
        'manifest.json': 'dev and prod, new',
        'stacks/dev/cdk.tf.json': 'dev, kept',
        'stacks/prod/cdk.tf.json': 'prod, new',
        'stacks/prod/.terraform/providers/azurerm': 'provider',
        'stacks/prod/.terraform.lock.hcl': 'lock',
      });
      return dir;
    })(),
  );

  /** Runs the child, killed before swap change `killAt`; true when it got through. */
  function runChild(target: string, killAt: number): Promise<boolean> {
    return new Promise((done, fail) => {
      const run = spawn(process.execPath, [
        child,
        target,
        String(killAt),
        JSON.stringify(fresh),
        JSON.stringify(moves),
      ]);
      let stderr = '';
      run.stderr.on('data', (chunk) => (stderr += String(chunk)));
      run.on('close', (code, signal) =>
        code === 0 ? done(true) : signal === 'SIGKILL' ? done(false) : fail(new Error(stderr)),
      );
    });
  }

  it('is finished or undone by the next run, keeping the working files and leaving no temporary directory', async () => {
    const outcomes: string[] = [];
    let clean = false;
    // Kill points in batches of four (the runs are independent), until a run gets through.
    for (let first = 1; !clean && first < 100; first += 4) {
      const batch = [0, 1, 2, 3].map((i) => ({ killAt: first + i, target: join(scratch(), 'out') }));
      for (const { target } of batch) write(target, previous);
      const results = await Promise.all(batch.map(({ target, killAt }) => runChild(target, killAt)));
      for (const [i, { target, killAt }] of batch.entries()) {
        if (clean) break;
        clean = results[i]!;
        const afterKill = existsSync(target) ? 'output there' : 'no output';

        const next = claimOutputDir(target, SYNTH); // what the next synth or audit does first

        const now = tree(target);
        const outcome = JSON.stringify(now) === JSON.stringify(finished) ? 'finished' : 'undone';
        expect(now, `killed before change ${killAt}`).toEqual(
          outcome === 'finished' ? finished : tree2(previous),
        );
        expect(siblings(target), `killed before change ${killAt}`).toEqual([]);
        if (!clean && outcome === 'finished')
          expect(next.notes.join()).toMatch(/finished the replacement of out/);
        outcomes.push(`${afterKill}, ${outcome}`);
      }
    }
    expect(clean).toBe(true);
    // Every kind of interruption happened: before the journal, between the renames (no output at all), after.
    expect(new Set(outcomes)).toEqual(
      new Set(['output there, undone', 'output there, finished', 'no output, finished']),
    );
    expect(outcomes.length).toBeGreaterThan(8);
  });

  /** The tree that `previous` writes. */
  function tree2(files: Record<string, string>): Record<string, string> {
    const dir = join(scratch(), 'copy');
    write(dir, files);
    return tree(dir);
  }
});
