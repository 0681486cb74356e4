/**
 * Synth-time performance switches of the app (never used by constructs).
 */
import { createRequire } from 'node:module';

/**
 * The Node.js options the synth runs with (`npm run synth`, cdktf.json, the benchmark). At 1,000 tenants the live
 * heap after synth is about 60 MB, but on a machine with more than 8 GiB V8 lets the old space grow to four times the
 * live heap between full collections, so the peak resident set is mostly garbage waiting. A 2,000 MiB old space
 * (what V8 picks by itself on an 8 GiB machine, such as a hosted CI runner) makes it collect at about twice the live
 * heap: peak 375 → 290 MiB at 1,000 tenants, the same CPU time.
 */
export const SYNTH_NODE_OPTIONS = ['--max-old-space-size=2000'] as const;

/**
 * cdktf captures and formats a full stack trace for every token it creates (every `${resource.attribute}`
 * reference), only to say where a token came from if it later fails to resolve. At 1,000 tenants that is a quarter
 * of synth time (CPU profile in the README's decision log). cdktf 0.21.0 is final, so its module layout is fixed;
 * the switch replaces that capture with an empty trace and is a no-op if the module is not where it was.
 *
 * @returns whether the switch took effect
 */
export function skipTokenCreationStacks(): boolean {
  try {
    const require = createRequire(__filename);
    const module = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace?: unknown };
    if (typeof module.captureStackTrace !== 'function') return false;
    module.captureStackTrace = () => [];
    return true;
  } catch {
    return false;
  }
}
