/**
 * The example environments as `npm run synth` writes them, synthesized once per test run by the global setup.
 * Read-only: a test that writes into an output copies it first (`copyOfExamples`).
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { readSynthOutput, type SynthOutput } from '../../constructs/shared/plan';

/** The run of the built app that wrote the examples: its output directory, exit status and what it printed. */
export function examplesSynth() {
  return inject('examples');
}

/** Where the examples were synthesized. */
export function examplesOutdir(): string {
  return inject('examples').outdir;
}

let output: SynthOutput | undefined;

/** The examples' synthesized output, read once per worker. */
export function examplesOutput(): SynthOutput {
  if (output?.outdir !== examplesOutdir()) output = readSynthOutput(examplesOutdir());
  return output;
}

/** A copy of the examples' output in a new temporary directory (`<tmp>/cdktf.out`), free to change. */
export function copyOfExamples(): string {
  const outdir = join(mkdtempSync(join(tmpdir(), 'lz-examples-copy-')), 'cdktf.out');
  cpSync(examplesOutdir(), outdir, { recursive: true });
  return outdir;
}
