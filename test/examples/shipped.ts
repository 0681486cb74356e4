/**
 * The example suite (test/examples) is pinned to the shipped example data. It runs while the project loads exactly
 * the shipped environments and tenants, and is skipped (shown as skipped) once an adopter's own differ: the
 * blueprint invariants in the other suites follow any environments and tenants.
 */
import { describe } from 'vitest';
import { EXAMPLE_ENVIRONMENTS } from '../../environments';
import { TENANTS } from '../../environments/tenants';

/** The shipped environments and tenants, in registry order. */
export const SHIPPED = {
  environments: ['dev', 'staging', 'prod'],
  tenants: ['legal', 'marketing', 'research', 'verification', 'verify-off', 'pilot'],
} as const;

const same = (a: readonly string[], b: readonly string[]) => a.join() === b.join();

/** Whether the project loads the shipped examples (by name). */
export const loadsShippedExamples =
  same(Object.keys(EXAMPLE_ENVIRONMENTS), SHIPPED.environments) &&
  same(Object.keys(TENANTS), SHIPPED.tenants);

/** `describe` for the example suite: runs on the shipped examples, skipped on an adopter's own. */
export const describeExamples = describe.runIf(loadsShippedExamples);
