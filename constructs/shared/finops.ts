/**
 * FinOps: the price table's shape and the monthly cost plan. Config validation writes the table into policy.json
 * (facts.finops); `npm run costs` sets it against the deployments and tenant quotas of the synthesized plan. Pure
 * functions, no cdktf: scripts load it without synth.
 */

/** The price of one model, deployment type and region. Token types use the token prices, provisioned types PTU. */
export interface Price {
  /** Per million input (prompt) tokens. */
  readonly inputPerMillion?: number;
  /** Per million output (completion) tokens. */
  readonly outputPerMillion?: number;
  /** Per million cached input tokens. */
  readonly cachedInputPerMillion?: number;
  /** Per provisioned throughput unit and month. */
  readonly perPtuMonth?: number;
}

/** Model name → deployment type → region → price. */
export type PriceTable = Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, Price>>>>>>;

/** How the tokens of a monthly quota split, for the pay-as-you-go bound. */
export interface TokenMix {
  /** Share of the tokens that are input (prompt) tokens; the rest are output tokens. */
  readonly inputShare: number;
  /** Share of the input tokens served from the prompt cache at the cached price. */
  readonly cachedInputShare: number;
}

/** What policy.json carries under facts.finops. */
export interface FinopsFacts {
  readonly currency: string;
  /** Where the prices come from, shown with every report (the shipped figures say they are examples). */
  readonly source: string;
  readonly tokenMix: TokenMix;
  readonly prices: PriceTable;
  /** Each tenant's monthly budget in the currency, for tenants that have one. @default - none */
  readonly budgets?: Readonly<Record<string, number>>;
}

/** The price of a model, type and region, or undefined. */
export function priceOf(prices: PriceTable, model: string, type: string, region: string): Price | undefined {
  return Object.hasOwn(prices, model) && Object.hasOwn(prices[model]!, type)
    ? Object.hasOwn(prices[model]![type]!, region)
      ? prices[model]![type]![region]
      : undefined
    : undefined;
}

/** The price of one million tokens under the token mix (input, cached input and output weighted). */
export function blendedPerMillion(price: Price, mix: TokenMix): number {
  const input = price.inputPerMillion ?? 0;
  const cached = price.cachedInputPerMillion ?? input;
  const output = price.outputPerMillion ?? 0;
  return (
    mix.inputShare * (1 - mix.cachedInputShare) * input +
    mix.inputShare * mix.cachedInputShare * cached +
    (1 - mix.inputShare) * output
  );
}

/** One deployment as the plan holds it. */
export interface CostDeployment {
  readonly name: string;
  readonly model: string;
  readonly type: string;
  readonly region: string;
  readonly capacity: number;
  readonly provisioned: boolean;
  /** The tenant that owns it (a dedicated deployment), or undefined for the shared platform. */
  readonly tenant: string | undefined;
}

/** One tenant's monthly token quota, as its product policy enforces it. */
export interface CostTenant {
  readonly slug: string;
  readonly monthlyTokenQuota: number;
}

export interface FixedCostRow {
  readonly deployment: CostDeployment;
  readonly perPtuMonth: number | undefined;
  readonly monthly: number | undefined;
}

export interface TenantCostRow {
  readonly tenant: CostTenant;
  /** The pay-as-you-go deployment whose blended price bounds the tenant's tokens, or undefined when none. */
  readonly boundBy: CostDeployment | undefined;
  readonly blendedPerMillion: number;
  /** At most: the whole monthly quota at the highest blended pay-as-you-go price the tenant can reach. */
  readonly payAsYouGoAtMost: number;
  /** The tenant's own PTU, fixed. */
  readonly dedicatedFixed: number;
}

export interface CostPlan {
  readonly fixed: readonly FixedCostRow[];
  readonly tenants: readonly TenantCostRow[];
  /** Deployments the price table has no price for (config validation rejects them; a hand-edited plan may not). */
  readonly unpriced: readonly CostDeployment[];
  readonly fixedTotal: number;
  readonly payAsYouGoTotal: number;
}

/**
 * The monthly cost plan: provisioned deployments at their fixed unit-month price; each tenant's pay-as-you-go cost
 * bounded by its monthly token quota at the highest blended price among the token-priced deployments it can reach
 * (the shared ones and its own). PTU-first routing serves part of the quota from PTU, so the bound is an upper one.
 */
export function costPlan(
  facts: FinopsFacts,
  deployments: readonly CostDeployment[],
  tenants: readonly CostTenant[],
): CostPlan {
  const unpriced: CostDeployment[] = [];
  const priced = deployments.map((deployment) => {
    const price = priceOf(facts.prices, deployment.model, deployment.type, deployment.region);
    if (!price) unpriced.push(deployment);
    return { deployment, price };
  });
  const fixed = priced
    .filter(({ deployment }) => deployment.provisioned)
    .map(({ deployment, price }) => ({
      deployment,
      perPtuMonth: price?.perPtuMonth,
      monthly: price?.perPtuMonth === undefined ? undefined : price.perPtuMonth * deployment.capacity,
    }));
  const tokenPriced = priced.filter(({ deployment, price }) => !deployment.provisioned && price);
  const rows = [...tenants]
    .sort((a, b) => a.slug.localeCompare(b.slug))
    .map((tenant) => {
      let boundBy: CostDeployment | undefined;
      let best = 0;
      for (const { deployment, price } of tokenPriced) {
        if (deployment.tenant !== undefined && deployment.tenant !== tenant.slug) continue;
        const blended = blendedPerMillion(price!, facts.tokenMix);
        if (boundBy === undefined || blended > best) [boundBy, best] = [deployment, blended];
      }
      return {
        tenant,
        boundBy,
        blendedPerMillion: best,
        payAsYouGoAtMost: (tenant.monthlyTokenQuota / 1_000_000) * best,
        dedicatedFixed: fixed
          .filter((row) => row.deployment.tenant === tenant.slug)
          .reduce((sum, row) => sum + (row.monthly ?? 0), 0),
      };
    });
  return {
    fixed,
    tenants: rows,
    unpriced,
    fixedTotal: fixed.reduce((sum, row) => sum + (row.monthly ?? 0), 0),
    payAsYouGoTotal: rows.reduce((sum, row) => sum + row.payAsYouGoAtMost, 0),
  };
}

/** An amount in the currency, two decimals with thousands separators: `12,345.60 EUR`. */
export function money(amount: number, currency: string): string {
  return `${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
}
