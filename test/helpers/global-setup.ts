/**
 * Before any test file: builds dist/ (the command-line tests run the built scripts as users do), then synthesizes
 * the example environments once, as users run it: the built app with CDKTF_OUTDIR set, as `cdktf synth` does. Tests
 * that only read a synthesized output share that one (`examplesOutdir()` in ./examples.ts) instead of synthesizing
 * again; a test that changes files copies it first.
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
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'lz-examples-'));
  const outdir = join(dir, 'cdktf.out');
  const run = spawnSync(process.execPath, ['dist/app.js'], {
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  project.provide('examples', { outdir, status: run.status, stdout: run.stdout, stderr: run.stderr });
  return () => rmSync(dir, { recursive: true, force: true });
}
