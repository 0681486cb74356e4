/**
 * Before any test file: gives the run a temporary directory of its own, builds dist/ (the command-line tests run the
 * built scripts as users do), then synthesizes the example environments once, as users run it: the built app with
 * CDKTF_OUTDIR set, as `cdktf synth` does. Tests that only read a synthesized output share that one
 * (`examplesOutdir()` in ./examples.ts) instead of synthesizing again; a test that changes files copies it first.
 *
 * The run's directory is TMPDIR for the test workers and every process they start (os.tmpdir() reads it), and it is
 * removed when the run ends: the scratch directories of the tests, and the `cdktf.outdir.*` that each
 * `Testing.app()` of cdktf creates and never removes, do not pile up in the machine's /tmp.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/** The run of `node dist/app.js` that synthesized the examples. */
export interface ExamplesSynth {
  readonly outdir: string;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    examples: ExamplesSynth;
  }
}

export default function setup(project: TestProject): () => void {
  const previousTmpdir = process.env['TMPDIR'];
  const run = mkdtempSync(join(tmpdir(), 'lz-test-run-'));
  process.env['TMPDIR'] = run;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const outdir = join(mkdtempSync(join(run, 'lz-examples-')), 'cdktf.out');
  const synth = spawnSync(process.execPath, ['dist/app.js'], {
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  project.provide('examples', { outdir, status: synth.status, stdout: synth.stdout, stderr: synth.stderr });
  return () => {
    rmSync(run, { recursive: true, force: true });
    if (previousTmpdir === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previousTmpdir;
  };
}
