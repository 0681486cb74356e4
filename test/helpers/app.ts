/**
 * Whole-app synth for tests that need what only `app.synth()` does: several stacks, cross-stack references wired into
 * outputs and remote state, the manifest. Writes into a temporary directory, as `npm run synth` would.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSynthOutput, type SynthOutput } from '../../constructs/shared/plan';
import type { Environment } from '../../environments';
import { synthesizeAtomically } from '../../stacks/synthesize';

/** The environments synthesized into a fresh temporary directory, read back with the plan library. */
export function synthApp(environments: readonly Environment[], outdir?: string): SynthOutput {
  const dir = outdir ?? join(mkdtempSync(join(tmpdir(), 'lz-app-')), 'cdktf.out');
  synthesizeAtomically(environments, dir);
  return readSynthOutput(dir);
}
