/**
 * The monthly cost plan of an environment, read from the synthesized output: the deployments and the tenants'
 * monthly token quotas from the plans (the platform stack and its tenant shards), the price table from the
 * platform stack's policy.json (facts.finops, written from config by synth).
 */
import { isProvisioned, DEPLOYMENT_TYPE_NAMES, type DeploymentType } from '../../constructs/shared/catalog';
import {
  type CostDeployment,
  type CostPlan,
  costPlan,
  type CostTenant,
  type FinopsFacts,
  money,
} from '../../constructs/shared/finops';
import { findAll, policyDocument, type StackPlan, type SynthOutput } from '../../constructs/shared/plan';
import { readPolicyReport } from '../../constructs/shared/policy/report';

/** The plan's model deployments, each with its region (its account's location) and owner (the account's tenant tag). */
export function planDeployments(plan: StackPlan): CostDeployment[] {
  return plan.byType('azurerm_cognitive_deployment').map((deployment) => {
    const account = plan.resolve(deployment.config['cognitive_account_id']);
    const model = (deployment.config['model'] as { name?: string } | undefined)?.name ?? '';
    const sku = (deployment.config['sku'] as { name?: string; capacity?: number } | undefined) ?? {};
    const type = String(sku.name ?? '');
    const tenant = (account?.config['tags'] as Record<string, string> | undefined)?.['tenant'];
    return {
      name: String(deployment.config['name']),
      model,
      type,
      region: String(account?.config['location'] ?? 'unknown'),
      capacity: sku.capacity ?? 1,
      provisioned:
        (DEPLOYMENT_TYPE_NAMES as readonly string[]).includes(type) && isProvisioned(type as DeploymentType),
      tenant,
    };
  });
}

/** Each tenant product's monthly token quota, read from the `llm-token-limit` of its product policy. */
export function planTenantQuotas(plan: StackPlan): CostTenant[] {
  const tenants: CostTenant[] = [];
  for (const policy of plan.byType('azurerm_api_management_product_policy')) {
    const product = plan.resolve(policy.config['product_id']);
    const doc = policyDocument(policy);
    if (!product || typeof doc === 'string') continue;
    const limit = findAll(doc, 'llm-token-limit').find(
      (element) => element.attributes['token-quota-period'] === 'Monthly',
    );
    const quota = Number(limit?.attributes['token-quota']);
    if (!Number.isFinite(quota)) continue;
    tenants.push({ slug: String(product.config['product_id']), monthlyTokenQuota: quota });
  }
  return tenants;
}

/** One environment's cost plan: its platform stack (the one with facts.finops) and the shards that name it. */
export interface EnvironmentCosts {
  readonly name: string;
  readonly facts: FinopsFacts | undefined;
  readonly plan: CostPlan | undefined;
}

/** The cost plan of every platform stack of the output (or of the ones named). */
export function environmentCosts(output: SynthOutput, names: readonly string[]): EnvironmentCosts[] {
  const reports = new Map(output.stackIds.map((id) => [id, readPolicyReport(output, id)]));
  const platforms = output
    .stacks(names)
    .filter((plan) => reports.get(plan.name)?.facts['platformStack'] === undefined);
  return platforms.map((platform) => {
    const facts = reports.get(platform.name)!.facts['finops'] as FinopsFacts | undefined;
    if (!facts) return { name: platform.name, facts, plan: undefined };
    const shards = output.stackIds
      .filter((id) => reports.get(id)!.facts['platformStack'] === platform.name)
      .map((id) => output.stack(id));
    const plans = [platform, ...shards];
    return {
      name: platform.name,
      facts,
      plan: costPlan(facts, plans.flatMap(planDeployments), plans.flatMap(planTenantQuotas)),
    };
  });
}

const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;

/** The tables `npm run costs` prints for one environment. */
export function costReport(
  { name, facts, plan }: EnvironmentCosts,
  table: (head: string[], rows: (string | number)[][], align: ('l' | 'r')[]) => string,
): string {
  if (!facts || !plan) return `\n## ${name}\n\nno finops.prices in this environment's config: no cost plan\n`;
  const c = facts.currency;
  const mix = facts.tokenMix;
  const budgets = facts.budgets ?? {};
  const withBudgets = Object.keys(budgets).length > 0;
  const budgetOf = (slug: string) => (Object.hasOwn(budgets, slug) ? money(budgets[slug]!, c) : 'none');
  const lines = [
    `\n## ${name}\n`,
    `Prices: ${facts.source}`,
    `Token mix (finops.tokenMix): ${percent(mix.inputShare)} input, of which ${percent(mix.cachedInputShare)} cached; ${percent(1 - mix.inputShare)} output.`,
    "Pay-as-you-go: at most each tenant's whole monthly token quota at the highest blended price among the",
    'pay-as-you-go and batch deployments it can reach (shared and its own); PTU-first routing makes it less.\n',
    '### Fixed (provisioned throughput)\n',
    plan.fixed.length > 0
      ? table(
          ['owner', 'region', 'model', 'type', 'PTU', `${c} per PTU-month`, `${c} per month`],
          plan.fixed.map((row) => [
            row.deployment.tenant ?? 'platform',
            row.deployment.region,
            row.deployment.model,
            row.deployment.type,
            row.deployment.capacity,
            row.perPtuMonth === undefined ? 'no price' : money(row.perPtuMonth, c),
            row.monthly === undefined ? 'no price' : money(row.monthly, c),
          ]),
          ['l', 'l', 'l', 'l', 'r', 'r', 'r'],
        )
      : 'no provisioned deployments',
    '\n### Per tenant\n',
    plan.tenants.length > 0
      ? table(
          [
            'tenant',
            'monthly token quota',
            'bounded by',
            `blended ${c} per 1M`,
            'pay-as-you-go at most',
            'own PTU',
            'total at most',
            ...(withBudgets ? ['monthly budget'] : []),
          ],
          plan.tenants.map((row) => [
            row.tenant.slug,
            row.tenant.monthlyTokenQuota.toLocaleString('en-US'),
            row.boundBy
              ? `${row.boundBy.model} ${row.boundBy.type} ${row.boundBy.region}`
              : 'no pay-as-you-go',
            money(row.blendedPerMillion, c),
            money(row.payAsYouGoAtMost, c),
            money(row.dedicatedFixed, c),
            money(row.payAsYouGoAtMost + row.dedicatedFixed, c),
            ...(withBudgets ? [budgetOf(row.tenant.slug)] : []),
          ]),
          ['l', 'r', 'l', 'r', 'r', 'r', 'r', ...(withBudgets ? (['r'] as const) : [])],
        )
      : 'no tenants',
    '',
    ...(withBudgets
      ? [
          `Monthly budget (tenant registry): the budget automation suspends a tenant's subscription when its month-to-date cost in the usage ledger reaches it; an alert fires at 80 %.`,
          '',
        ]
      : []),
    `Fixed: ${money(plan.fixedTotal, c)} a month. Pay-as-you-go: at most ${money(plan.payAsYouGoTotal, c)} a month. Environment: at most ${money(plan.fixedTotal + plan.payAsYouGoTotal, c)} a month.`,
    ...(plan.unpriced.length > 0
      ? [
          `No price for: ${plan.unpriced.map((d) => `${d.model} ${d.type} ${d.region}`).join(', ')} (add them to finops.prices).`,
        ]
      : []),
    '',
  ];
  return lines.join('\n');
}
