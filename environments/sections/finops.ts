import { z } from 'zod';
import type { EnvironmentRule } from '../rules';
import type { CapacityClaim } from './endpoints';
import { DEPLOYMENT_TYPE_NAMES, isProvisioned } from '../../constructs/shared/catalog';
import { priceOf } from '../../constructs/shared/finops';
import { Region } from './primitives';

const Amount = (what: string) =>
  z
    .number({ error: () => `expected ${what}: a number of at least 0` })
    .nonnegative({ message: `expected ${what}: a number of at least 0` })
    .finite();

const Price = z
  .strictObject({
    inputPerMillion: Amount('the price of one million input tokens').optional(),
    outputPerMillion: Amount('the price of one million output tokens').optional(),
    cachedInputPerMillion: Amount('the price of one million cached input tokens').optional(),
    perPtuMonth: Amount('the price of one provisioned throughput unit for a month').optional(),
  })
  .describe(
    'Token types (Standard, GlobalStandard, DataZoneStandard, batch): inputPerMillion and outputPerMillion, optionally cachedInputPerMillion. Provisioned types: perPtuMonth.',
  );

const DeploymentType = z.enum(DEPLOYMENT_TYPE_NAMES, {
  error: () => `expected a deployment type (one of: ${DEPLOYMENT_TYPE_NAMES.join(', ')})`,
});

const Share = (what: string) =>
  z
    .number({ error: () => `expected ${what}: a number from 0 to 1` })
    .min(0, { message: `expected ${what}: a number from 0 to 1` })
    .max(1, { message: `expected ${what}: a number from 0 to 1` });

export const FinopsSection = z
  .strictObject({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { message: 'expected an ISO 4217 currency code such as EUR or USD' })
      .describe('The currency of every price and budget (ISO 4217).'),
    source: z
      .string()
      .trim()
      .min(10, { message: 'expected where the prices come from, in a sentence' })
      .max(300)
      .describe(
        'Where the prices come from (an agreement, a price sheet and its date). Every cost report prints it.',
      ),
    tokenMix: z
      .strictObject({
        inputShare: Share('the share of input tokens').default(0.75),
        cachedInputShare: Share('the share of input tokens served from the prompt cache').default(0),
      })
      .prefault({})
      .describe(
        'The assumed split of a monthly token quota for the pay-as-you-go bound: input share (the rest is output) and the cached share of the input.',
      ),
    prices: z
      .record(z.string().min(1), z.partialRecord(DeploymentType, z.partialRecord(Region, Price)))
      .describe(
        'Model name → deployment type → region → price. Every deployed model, type and region needs one.',
      ),
  })
  .optional()
  .describe('Prices for the cost plan (`npm run costs`). Optional; without it there is no cost plan.');

export type Finops = z.output<typeof FinopsSection>;

export const FINOPS_FIELDS = { finops: FinopsSection };

/** Every deployment the environment makes has a price of the right kind, when the environment has prices. */
export function finopsRules<E extends { finops?: Finops }>(
  claims: (env: E) => readonly CapacityClaim[],
  reads: readonly (readonly (string | number)[])[],
): EnvironmentRule<E>[] {
  return [
    {
      id: 'finops-price-for-every-deployment',
      reads: [['finops'], ...reads],
      check: (env, report) => {
        const finops = env.finops;
        if (!finops) return;
        for (const claim of claims(env)) {
          const path = claim.path.slice(0, -1);
          const price = priceOf(finops.prices, claim.model, claim.type, claim.region);
          if (!price) {
            report({
              path,
              message: `no price for model ${claim.model}, type ${claim.type} in ${claim.region}; expected finops.prices["${claim.model}"].${claim.type}.${claim.region}`,
            });
            continue;
          }
          const pricePath = ['finops', 'prices', claim.model, claim.type, claim.region];
          if (isProvisioned(claim.type) && price.perPtuMonth === undefined) {
            report({
              path: pricePath,
              message: `${claim.type} is billed per PTU; expected perPtuMonth`,
            });
          }
          if (
            !isProvisioned(claim.type) &&
            (price.inputPerMillion === undefined || price.outputPerMillion === undefined)
          ) {
            report({
              path: pricePath,
              message: `${claim.type} is billed per token; expected inputPerMillion and outputPerMillion`,
            });
          }
        }
      },
    },
  ];
}
