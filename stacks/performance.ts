/**
 * Synth-time performance switches of the app (never used by constructs).
 */
import { createRequire } from 'node:module';

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
