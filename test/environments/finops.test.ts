import { describe, expect, it } from 'vitest';
import { problemsOf } from '../helpers/config';
import { exampleInput } from '../helpers/synth';

describe('finops.prices', () => {
  it('names the deployment that has no price for its model, type and region', () => {
    const input = exampleInput('prod');
    const prices = structuredClone(input.finops!.prices) as Record<string, Record<string, unknown>>;
    delete prices['gpt-4o']!['ProvisionedManaged'];
    expect(problemsOf({ ...input, finops: { ...input.finops!, prices } })).toEqual([
      expect.objectContaining({
        path: 'endpoints.accounts.swedencentral.deployments.gpt-4o',
        message:
          'no price for model gpt-4o, type ProvisionedManaged in swedencentral; expected finops.prices["gpt-4o"].ProvisionedManaged.swedencentral',
      }),
    ]);
  });

  it('rejects a negative and a non-numeric price, each with its path', () => {
    const problems = problemsOf(
      exampleInput('prod', {
        finops: {
          prices: {
            'gpt-4o': {
              GlobalStandard: { germanywestcentral: { inputPerMillion: -1, outputPerMillion: 'ten' } },
            },
          },
        },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'finops.prices.gpt-4o.GlobalStandard.germanywestcentral.inputPerMillion',
          message: expect.stringContaining(
            'expected the price of one million input tokens: a number of at least 0',
          ),
          received: '-1',
        }),
        expect.objectContaining({
          path: 'finops.prices.gpt-4o.GlobalStandard.germanywestcentral.outputPerMillion',
          message: expect.stringContaining(
            'expected the price of one million output tokens: a number of at least 0',
          ),
        }),
      ]),
    );
  });

  it('wants a PTU price for a provisioned type and token prices for a token type', () => {
    const problems = problemsOf(
      exampleInput('prod', {
        finops: {
          prices: {
            'gpt-4o': {
              ProvisionedManaged: { swedencentral: { perPtuMonth: undefined, inputPerMillion: 1 } },
              GlobalStandard: { germanywestcentral: { outputPerMillion: undefined } },
            },
          },
        },
      }),
    );
    expect(problems.map((p) => [p.path, p.message])).toEqual(
      expect.arrayContaining([
        [
          'finops.prices.gpt-4o.ProvisionedManaged.swedencentral',
          'ProvisionedManaged is billed per PTU; expected perPtuMonth',
        ],
        [
          'finops.prices.gpt-4o.GlobalStandard.germanywestcentral',
          'GlobalStandard is billed per token; expected inputPerMillion and outputPerMillion',
        ],
      ]),
    );
  });

  it('rejects a token mix outside 0..1 and a currency that is not a code', () => {
    const problems = problemsOf(
      exampleInput('prod', { finops: { currency: 'euro', tokenMix: { inputShare: 1.5 } } }),
    );
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['finops.currency', 'finops.tokenMix.inputShare']),
    );
  });
});
