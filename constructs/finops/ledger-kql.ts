/**
 * KQL over the usage ledger, priced from `finops.prices`: a price datatable generated from config, the cost of each
 * record, and the month-to-date cost per tenant. The workbook and the budget automation run these queries; the
 * currency comes from config and is a column of every result.
 */
import { type DeploymentType, isProvisioned } from '../shared/catalog';
import type { PriceTable } from '../shared/finops';
import { kqlString } from '../shared/kql';
import { LEDGER_TABLE } from '../shared/usage-record';

const real = (value: number) => (Number.isInteger(value) ? `${value}.0` : String(value));

/**
 * `let prices = datatable(...)`: one row per model, token-priced deployment type and region. Provisioned types are a
 * fixed monthly cost of the platform (`npm run costs`), not a tenant's per-token cost: their records price at zero.
 */
export function priceDatatable(prices: PriceTable): string {
  const rows: string[] = [];
  for (const model of Object.keys(prices).sort()) {
    for (const type of Object.keys(prices[model]!).sort()) {
      if (isProvisioned(type as DeploymentType)) continue;
      for (const region of Object.keys(prices[model]![type]!).sort()) {
        const p = prices[model]![type]![region]!;
        const input = p.inputPerMillion ?? 0;
        rows.push(
          `  ${kqlString(model)}, ${kqlString(type)}, ${kqlString(region)}, ${real(input)}, ${real(p.cachedInputPerMillion ?? input)}, ${real(p.outputPerMillion ?? 0)},`,
        );
      }
    }
  }
  return [
    'let prices = datatable(Model: string, DeploymentType: string, Region: string, InputPerMillion: real, CachedInputPerMillion: real, OutputPerMillion: real) [',
    ...rows,
    '];',
  ].join('\n');
}

/** The ledger since the start of the month, each record priced (column `Cost`). */
function pricedLedger(prices: PriceTable): string[] {
  return [
    priceDatatable(prices),
    LEDGER_TABLE,
    '| where TimeGenerated >= startofmonth(now())',
    '| join kind=leftouter prices on Model, DeploymentType, Region',
    '| extend Cost = (todouble(PromptTokens - CachedTokens) * coalesce(InputPerMillion, 0.0) + todouble(CachedTokens) * coalesce(CachedInputPerMillion, 0.0) + todouble(CompletionTokens) * coalesce(OutputPerMillion, 0.0)) / 1000000.0',
  ];
}

/** Month-to-date requests, tokens and cost per tenant, in the currency: the workbook's ledger view. */
export function tenantCostQuery(prices: PriceTable, currency: string): string {
  return [
    ...pricedLedger(prices),
    '| summarize Requests = count(), PromptTokens = sum(PromptTokens), CachedTokens = sum(CachedTokens), CompletionTokens = sum(CompletionTokens), Cost = round(sum(Cost), 2) by Tenant',
    `| extend Currency = ${kqlString(currency)}`,
    '| order by Cost desc',
  ].join('\n');
}

/** One tenant's monthly budget. */
export interface TenantBudget {
  readonly slug: string;
  readonly monthly: number;
}

/** Month-to-date cost of each tenant with a budget, and the share of the budget it has spent. */
export function budgetQuery(prices: PriceTable, currency: string, budgets: readonly TenantBudget[]): string {
  const rows = [...budgets]
    .sort((a, b) => a.slug.localeCompare(b.slug))
    .map((b) => `  ${kqlString(b.slug)}, ${real(b.monthly)},`);
  return [
    'let budgets = datatable(Tenant: string, MonthlyBudget: real) [',
    ...rows,
    '];',
    ...pricedLedger(prices),
    '| summarize Cost = sum(Cost) by Tenant',
    '| join kind=rightouter budgets on Tenant',
    '| project Tenant = Tenant1, Cost = round(coalesce(Cost, 0.0), 2), MonthlyBudget, PercentOfBudget = round(100.0 * coalesce(Cost, 0.0) / MonthlyBudget, 1)',
    `| extend Currency = ${kqlString(currency)}`,
  ].join('\n');
}
