/**
 * Example suite: pinned to the shipped example tenants (environments/tenants.ts). An adopter who changes the
 * registry updates or deletes these; the blueprint invariants live in the other suites and follow any registry.
 */
import { expect, it } from 'vitest';
import { tenantsIn } from '../../environments/sections/tenants';
import { exampleEnvironment } from '../helpers/synth';
import { describeExamples } from './shipped';

describeExamples('the shipped tenant registry', () => {
  it('is declared once: each environment takes the tenants it has an allocation for', () => {
    expect(tenantsIn(exampleEnvironment('dev')).map((t) => t.slug)).toEqual([
      'legal',
      'verification',
      'verify-off',
    ]);
    expect(tenantsIn(exampleEnvironment('prod')).map((t) => t.slug)).toEqual([
      'legal',
      'marketing',
      'pilot',
      'research',
      'verification',
      'verify-off',
    ]);
  });

  it('gives the same tenant different allocations per environment', () => {
    const tpm = (name: 'dev' | 'staging' | 'prod') =>
      tenantsIn(exampleEnvironment(name)).find((t) => t.slug === 'legal')!.allocation.tokensPerMinute;
    expect([tpm('dev'), tpm('staging'), tpm('prod')]).toEqual([5000, 20000, 60000]);
  });
});
