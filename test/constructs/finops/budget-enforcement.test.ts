/**
 * Tenant budgets and the workbook's ledger view on synthesized plans, over every environment the project loads that
 * has the ledger on: the automation's exact roles and scopes, the alert thresholds, the audit trail, and the KQL
 * priced from config. Config errors for budgets without prices.
 */
import { describe, expect, it } from 'vitest';
import {
  BUDGET_SUSPENSION_PERCENT,
  BUDGET_WARNING_PERCENT,
  LEDGER_READER_ACTIONS,
  SUSPENDER_ACTIONS,
} from '../../../constructs/finops';
import { isProvisioned, type DeploymentType } from '../../../constructs/shared/catalog';
import type { PlanResource } from '../../../constructs/shared/plan';
import { loadEnvironments } from '../../../environments';
import { tenantsIn } from '../../../environments/sections/tenants';
import { problemsOf } from '../../helpers/config';
import { exampleInput, synthEnvironment } from '../../helpers/synth';

const withLedger = loadEnvironments().filter((env) => env.finops?.ledger.enabled);
const ref = (r: PlanResource, attribute = 'id') => `\${${r.address}.${attribute}}`;

describe.each(withLedger.map((env) => [env.name, env] as const))('%s: tenant budgets', (_name, env) => {
  const synth = synthEnvironment(env);
  const finops = env.finops!;
  const workflow = synth.onlyPlatform('azurerm_logic_app_workflow');
  const gateway = synth.only('azurerm_api_management');
  const workspace = synth.only('azurerm_log_analytics_workspace');
  const roles = synth.resources('azurerm_role_definition');
  const budgets = tenantsIn(env).filter((t) => t.hasAccess && t.allocation.budget);
  const action = (name: string) =>
    JSON.parse(
      String(
        synth.resources('azurerm_logic_app_action_custom').find((a) => a.config['name'] === name)!.config[
          'body'
        ],
      ),
    ) as Record<string, unknown>;

  it('gives the automation exactly subscriptions/read and /write on the gateway, and the ledger table on the workspace', () => {
    expect(workflow.config['identity']).toEqual({ type: 'SystemAssigned' });
    const byScope = Object.fromEntries(roles.map((r) => [String(r.config['scope']), r]));
    const suspender = byScope[ref(gateway)]!;
    expect(suspender.config['permissions']).toEqual([
      { actions: [...SUSPENDER_ACTIONS], not_actions: [], data_actions: [], not_data_actions: [] },
    ]);
    expect(SUSPENDER_ACTIONS).toEqual([
      'Microsoft.ApiManagement/service/subscriptions/read',
      'Microsoft.ApiManagement/service/subscriptions/write',
    ]);
    expect(suspender.config['assignable_scopes']).toEqual([ref(gateway)]);
    const reader = byScope[ref(workspace)]!;
    expect(reader.config['permissions']).toEqual([
      { actions: [...LEDGER_READER_ACTIONS], not_actions: [], data_actions: [], not_data_actions: [] },
    ]);
    expect(LEDGER_READER_ACTIONS).toContain(
      'Microsoft.OperationalInsights/workspaces/query/GenAiUsage_CL/read',
    );
    expect(reader.config['assignable_scopes']).toEqual([ref(workspace)]);
    expect(roles).toHaveLength(2);

    const principal = ref(workflow, 'identity[0].principal_id');
    const held = synth
      .resources('azurerm_role_assignment')
      .filter((a) => a.config['principal_id'] === principal);
    expect(
      held
        .map((a) => [a.config['scope'], a.config['role_definition_id'], a.config['role_definition_name']])
        .sort(),
    ).toEqual(
      [
        [ref(gateway), ref(suspender, 'role_definition_resource_id'), undefined],
        [ref(workspace), ref(reader, 'role_definition_resource_id'), undefined],
      ].sort(),
    );
  });

  it('alerts per tenant at 80 % and at 100 % of the budget, to the action groups of their severities', () => {
    const alerts = synth
      .resources('azurerm_monitor_scheduled_query_rules_alert_v2')
      .filter((a) => String(a.config['name']).includes('tenant-budget'));
    const criteria = alerts.map((a) => (a.config['criteria'] as Record<string, unknown>[])[0]!);
    expect(criteria.map((c) => [c['operator'], c['threshold'], c['metric_measure_column']]).sort()).toEqual(
      [
        ['GreaterThanOrEqual', BUDGET_WARNING_PERCENT, 'PercentOfBudget'],
        ['GreaterThanOrEqual', BUDGET_SUSPENSION_PERCENT, 'PercentOfBudget'],
      ].sort(),
    );
    expect([BUDGET_WARNING_PERCENT, BUDGET_SUSPENSION_PERCENT]).toEqual([80, 100]);
    for (const [i, alert] of alerts.entries()) {
      expect(alert.config['scopes']).toEqual([ref(workspace)]);
      expect(criteria[i]!['dimension']).toEqual([{ name: 'Tenant', operator: 'Include', values: ['*'] }]);
      expect(String(criteria[i]!['query'])).toContain(`trackedProperties_percentOfBudget_s`);
      expect((alert.config['action'] as { action_groups: string[] }).action_groups.length).toBeGreaterThan(0);
    }
  });

  it('reads month-to-date cost for every tenant with a budget, priced from config in its currency', () => {
    const query = String(
      ((action('query-ledger')['inputs'] as Record<string, unknown>)['body'] as Record<string, unknown>)[
        'query'
      ],
    );
    for (const t of budgets) expect(query).toContain(`"${t.slug}", ${t.allocation.budget!.monthly}`);
    expect(query).toContain(`Currency = "${finops.currency}"`);
    expect(query).toContain('startofmonth(now())');
    expect((action('query-ledger')['inputs'] as Record<string, unknown>)['authentication']).toEqual({
      type: 'ManagedServiceIdentity',
      audience: 'https://api.loganalytics.io',
    });
  });

  it('leaves an audit trail: the reason on the subscription, tracked properties, WorkflowRuntime in the workspace', () => {
    const body = JSON.stringify(action('enforce'));
    expect(body).toContain('"method":"PATCH"');
    expect(body).toContain('"state":"suspended"');
    expect(body).toMatch(
      new RegExp(
        `"stateComment":"Suspended by the budget automation ${String(workflow.config['name'])} on @\\{utcNow\\(\\)\\}: tenant `,
      ),
    );
    expect(body).toContain('"trackedProperties":{"tenant"');
    expect(body).toContain(`${ref(gateway)}/subscriptions?$filter=productId eq`);
    const settings = synth
      .resources('azurerm_monitor_diagnostic_setting')
      .filter((s) => s.config['target_resource_id'] === ref(workflow));
    expect(settings).toHaveLength(1);
    expect(settings[0]!.config['log_analytics_workspace_id']).toBe(ref(workspace));
    expect(settings[0]!.config['enabled_log']).toEqual([{ category: 'WorkflowRuntime' }]);
  });

  it('shows the ledger in the workbook: cost per tenant this month, with every token price and the currency', () => {
    const workbook = JSON.parse(
      String(synth.only('azurerm_application_insights_workbook').config['data_json']),
    ) as { items: { name: string; content: { query?: string; timeContext?: unknown } }[] };
    const view = workbook.items.find((i) => i.name === 'ledger-cost-per-tenant')!;
    const query = view.content.query!;
    expect(view.content.timeContext).toEqual({ durationMs: 31 * 24 * 3_600_000 });
    expect(query).toContain(`Currency = "${finops.currency}"`);
    for (const [model, types] of Object.entries(finops.prices))
      for (const [type, regions] of Object.entries(types!))
        for (const region of Object.keys(regions!)) {
          const row = `"${model}", "${type}", "${region}", `;
          if (isProvisioned(type as DeploymentType)) expect(query).not.toContain(row);
          else expect(query).toContain(row);
        }
  });
});

describe('budget config', () => {
  const legalBudget = { tenants: { legal: { allocations: { prod: { budget: { monthly: 30 } } } } } };

  it('a budget without prices names the budget’s path', () => {
    const input = exampleInput('prod', legalBudget);
    delete (input as { finops?: unknown }).finops;
    expect(problemsOf(input)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'tenants.legal.allocations.prod.budget',
          message: expect.stringContaining('expected a finops section with prices'),
        }),
      ]),
    );
  });

  it('a budget whose models have no price names them', () => {
    const input = exampleInput('prod', legalBudget);
    const prices = structuredClone(input.finops!.prices) as Record<string, unknown>;
    delete prices['gpt-4o-mini'];
    const problems = problemsOf({ ...input, finops: { ...input.finops!, prices } });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'tenants.legal.allocations.prod.budget',
          message: expect.stringMatching(
            /finops\.prices has no price for .*gpt-4o-mini \(GlobalStandard in \w+\)/,
          ),
        }),
      ]),
    );
  });

  it('a budget needs the ledger; a negative budget is refused', () => {
    expect(
      problemsOf(
        exampleInput('prod', {
          ...legalBudget,
          finops: { ledger: { enabled: false, reason: 'no ledger here, for this test of the budget rule' } },
        }),
      ),
    ).toEqual([
      expect.objectContaining({
        path: 'tenants.legal.allocations.prod.budget',
        message: expect.stringContaining('finops.ledger enabled'),
      }),
    ]);
    expect(
      problemsOf(
        exampleInput('prod', { tenants: { legal: { allocations: { prod: { budget: { monthly: -5 } } } } } }),
      ),
    ).toEqual([expect.objectContaining({ path: 'tenants.legal.allocations.prod.budget.monthly' })]);
  });
});
