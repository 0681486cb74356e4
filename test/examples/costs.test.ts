import { expect, it } from 'vitest';
import { examplesOutdir } from '../helpers/examples';
import { runCommand } from '../helpers/run';
import { main as costs } from '../../scripts/costs';
import { describeExamples } from './shipped';

describeExamples('the cost plan of the shipped prod at the example prices', () => {
  it('sums PTU and the quota-bounded pay-as-you-go to the figures worked out by hand', () => {
    // PTU: 15 × 2,000 (gpt-4o-mini global) + 100 × 2,500 (gpt-4o regional) + 15 × 2,000 (research's own) = 310,000.
    // Token mix 75 % input (20 % of it cached), 25 % output; the dearest reachable price is gpt-4o DataZoneStandard
    // (2.75 in, 1.40 cached, 11 out): 0.6 × 2.75 + 0.15 × 1.40 + 0.25 × 11 = 4.61 per million tokens. Quotas
    // 150M + 400M + 300M + 2M + 2M = 854M tokens → 854 × 4.61 = 3,936.94.
    const { status, stdout } = runCommand(costs, ['--outdir', examplesOutdir(), '--env', 'prod']);
    expect(status).toBe(0);
    expect(stdout).toContain(
      'Fixed: 310,000.00 EUR a month. Pay-as-you-go: at most 3,936.94 EUR a month. Environment: at most 313,936.94 EUR a month.',
    );
    expect(stdout).toContain(
      '| research | 300,000,000 | gpt-4o DataZoneStandard francecentral | 4.61 EUR | 1,383.00 EUR | 30,000.00 EUR | 31,383.00 EUR |',
    );
  });
});
