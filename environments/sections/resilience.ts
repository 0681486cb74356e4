import { z } from 'zod';

export const ResilienceSection = z
  .strictObject({
    minSurvivingCapacityPercent: z
      .number()
      .int({ message: 'expected a whole percentage' })
      .min(0, { message: 'expected a percentage of 0–100' })
      .max(100, { message: 'expected a percentage of 0–100' })
      .optional()
      .describe(
        'Share of each model’s capacity that must survive the loss of any one region (gateway and models), as `npm run resilience` reports it. Default: 50 in prod, 0 elsewhere.',
      ),
  })
  .prefault({})
  .describe(
    'What the environment must survive: the loss of one region. A prod model whose capacity lives in one region needs gateway.pools.<model>.singleMemberReason.',
  );

export type Resilience = z.output<typeof ResilienceSection>;
export const RESILIENCE_FIELDS = { resilience: ResilienceSection };

type Env = { stage: 'dev' | 'staging' | 'prod'; resilience: Resilience };

/** The surviving share each model must keep after the loss of one region: config, else 50 in prod and 0 elsewhere. */
export function minSurvivingCapacityPercent(env: Pick<Env, 'stage' | 'resilience'>): number {
  return env.resilience.minSurvivingCapacityPercent ?? (env.stage === 'prod' ? 50 : 0);
}
