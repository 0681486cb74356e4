import { z } from 'zod';
import type { EnvironmentRule } from '../rules';
import type { CapacityClaim } from './endpoints';
import { DEPLOYMENT_TYPE_NAMES, isProvisioned } from '../../constructs/shared/catalog';
import { priceOf } from '../../constructs/shared/finops';
import { Reason, Region } from './primitives';
import { gatewayPools } from './gateway';
import { tenantsIn } from './tenants';

/**
 * The usage ledger: one record per gateway request into an Event Hub, and from there into a Log Analytics custom
 * table through a data collection rule. On by default; turning it off needs a reason.
 */
const Ledger = z
  .discriminatedUnion('enabled', [
    z.strictObject({
      enabled: z.literal(true),
      partitionCount: z
        .number()
        .int()
        .min(1, { message: 'expected 1–32 partitions' })
        .max(32, { message: 'expected 1–32 partitions' })
        .default(4)
        .describe('Partitions of the ledger hub (Standard tier: up to 32). Fixed once created.'),
      throughputUnits: z
        .number()
        .int()
        .min(1, { message: 'expected 1–40 throughput units' })
        .max(40, { message: 'expected 1–40 throughput units' })
        .default(1)
        .describe('Throughput units of the namespace (1 MB/s or 1,000 events/s in each).'),
      interactiveRetentionInDays: z
        .number()
        .int()
        .min(4, { message: 'expected 4–730 days' })
        .max(730, { message: 'expected 4–730 days' })
        .default(90)
        .describe('Days the ledger table is queryable at the Analytics plan (interactive retention).'),
      totalRetentionInDays: z
        .number()
        .int()
        .min(4, { message: 'expected 4–4383 days' })
        .max(4383, { message: 'expected 4–4383 days' })
        .default(396)
        .describe(
          'Days the ledger is kept in all (long-term retention after the interactive days): 13 months.',
        ),
    }),
    z.strictObject({ enabled: z.literal(false), reason: Reason }),
  ])
  .prefault({ enabled: true })
  .describe(
    'The usage ledger: one record per gateway request (Event Hub, then a Log Analytics table). On unless turned off with a reason.',
  );

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
    ledger: Ledger,
  })
  .optional()
  .describe('Prices for the cost plan (`npm run costs`). Optional; without it there is no cost plan.');

export type Finops = z.output<typeof FinopsSection>;
export type LedgerConfig = NonNullable<Finops>['ledger'];

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

/** The environment as the ledger and budget rules read it. */
type BudgetEnv = {
  name: string;
  network: { mode: string };
  monitoring: {
    commitmentTierGbPerDay?: number | undefined;
    existing?: { workspaceId?: string | undefined } | undefined;
  };
  finops?: Finops;
} & Parameters<typeof tenantsIn>[0] &
  Parameters<typeof gatewayPools>[0];

/** The ledger needs a private network and a workspace that can take Event Hubs ingestion; budgets need both. */
export function ledgerRules<E extends BudgetEnv>(): EnvironmentRule<E>[] {
  return [
    {
      id: 'finops-ledger-private-network',
      reads: [
        ['finops', 'ledger'],
        ['network', 'mode'],
      ],
      check: (env, report) => {
        if (env.finops?.ledger.enabled && env.network.mode === 'none') {
          report({
            path: ['finops', 'ledger', 'enabled'],
            message:
              'the ledger namespace takes no public traffic and the gateway reaches it through a private endpoint; expected network.mode "create" or "byo", or the ledger off with a reason',
          });
        }
      },
    },
    {
      id: 'finops-ledger-commitment-tier',
      reads: [
        ['finops', 'ledger'],
        ['monitoring', 'commitmentTierGbPerDay'],
      ],
      check: (env, report) => {
        if (env.finops?.ledger.enabled && env.monitoring.commitmentTierGbPerDay === undefined) {
          report({
            path: ['monitoring', 'commitmentTierGbPerDay'],
            message:
              'Azure Monitor ingests from Event Hubs only into a workspace with a commitment tier (or a dedicated cluster); expected a commitment tier such as 100, or the ledger off with a reason',
          });
        }
      },
    },
    {
      id: 'finops-ledger-own-workspace',
      reads: [
        ['finops', 'ledger'],
        ['monitoring', 'existing'],
      ],
      check: (env, report) => {
        if (env.finops?.ledger.enabled && env.monitoring.existing?.workspaceId !== undefined) {
          report({
            path: ['monitoring', 'existing', 'workspaceId'],
            message:
              "the usage ledger adds its table, a commitment tier and a data collection rule to the workspace, which the stack may not change on a workspace it does not own; expected no existing workspace (the blueprint's own), or finops.ledger off with a reason",
          });
        }
      },
    },
    {
      id: 'finops-tenant-budget-prices',
      reads: [['finops'], ['tenants'], ['name'], ['endpoints'], ['gateway']],
      check: (env, report) => {
        const pools = gatewayPools(env);
        for (const t of tenantsIn(env)) {
          if (!t.allocation.budget) continue;
          const path = ['tenants', t.slug, 'allocations', env.name, 'budget'];
          const finops = env.finops;
          if (!finops) {
            report({
              path,
              message: `a budget of ${t.allocation.budget.monthly} is priced from finops.prices; expected a finops section with prices`,
            });
            continue;
          }
          if (!finops.ledger.enabled) {
            report({
              path,
              message: 'a budget is measured on the usage ledger; expected finops.ledger enabled',
            });
          }
          const allowed = new Set(
            t.tenant.purpose === 'verification' ? pools.map((p) => p.model) : (t.tenant.allowedModels ?? []),
          );
          const reachable = [
            ...pools
              .filter((pool) => allowed.has(pool.model))
              .flatMap((pool) =>
                pool.candidates.map((c) => ({
                  model:
                    env.endpoints.accounts[c.region]?.deployments[c.deployment]?.model.name ?? pool.model,
                  type: c.type,
                  region: c.region,
                })),
              ),
            ...Object.entries(t.allocation.dedicated?.accounts ?? {}).flatMap(([region, account]) =>
              Object.values(account!.deployments).map((d) => ({ model: d.model.name, type: d.type, region })),
            ),
          ];
          const missing = new Set<string>();
          for (const r of reachable) {
            if (!priceOf(finops.prices, r.model, r.type, r.region))
              missing.add(`${r.model} (${r.type} in ${r.region})`);
          }
          if (missing.size > 0) {
            report({
              path,
              message: `the budget cannot be priced: finops.prices has no price for ${[...missing].sort().join(', ')}; expected a price for every model the tenant can reach`,
            });
          }
        }
      },
    },
  ];
}
