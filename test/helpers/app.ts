/**
 * Whole-app synth for tests that need what only `app.synth()` does: several stacks, cross-stack references wired into
 * outputs and remote state, the manifest. Writes into a temporary directory, as `npm run synth` would.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Environment } from '../../environments';
import { stackPlan, type StackPlan } from '../../scripts/lib/plan';
import { synthesizeAtomically } from '../../stacks/synthesize';

export interface SynthesizedApp {
  readonly outdir: string;
  readonly manifest: {
    readonly stacks: Record<
      string,
      { readonly dependencies: string[]; readonly synthesizedStackPath: string }
    >;
  };
  /** Stack ids in manifest order. */
  readonly stackIds: readonly string[];
  plan(id: string): StackPlan;
}

export function synthApp(environments: readonly Environment[], outdir?: string): SynthesizedApp {
  const dir = outdir ?? join(mkdtempSync(join(tmpdir(), 'lz-app-')), 'cdktf.out');
  synthesizeAtomically(environments, dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as SynthesizedApp['manifest'];
  const plans = new Map<string, StackPlan>();
  return {
    outdir: dir,
    manifest,
    stackIds: Object.keys(manifest.stacks),
    plan(id) {
      if (!plans.has(id)) {
        const entry = manifest.stacks[id];
        if (!entry) throw new Error(`no stack ${id} in ${dir}`);
        plans.set(id, stackPlan(id, JSON.parse(readFileSync(join(dir, entry.synthesizedStackPath), 'utf8'))));
      }
      return plans.get(id)!;
    },
  };
}
