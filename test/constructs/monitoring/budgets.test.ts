import { Testing, TerraformStack } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { describe, expect, it } from 'vitest';
import { ConsumptionBudgetResourceGroup } from '@cdktf/provider-azurerm/lib/consumption-budget-resource-group';
import { ConsumptionBudgetSubscription } from '@cdktf/provider-azurerm/lib/consumption-budget-subscription';
import { Budgets } from '../../../constructs/monitoring';
import { exampleEnvironment, synthesizeStack, synthEnvironment } from '../../helpers/synth';

describe('environment budget', () => {
  it('prod: one subscription budget over the environment resource groups, with its thresholds', () => {
    const synth = synthEnvironment(exampleEnvironment('prod'));
    const platform = synth
      .resources('azurerm_monitor_action_group')
      .find((g) => g.config['name'] === 'ag-cx-genai-prd-sdc-platform')!;
    const recipients = {
      contact_emails: ['finops@contoso.com'],
      contact_groups: [`\${${platform.address}.id}`],
      enabled: true,
      operator: 'GreaterThanOrEqualTo',
    };
    expect(synth.text).toHaveResourceWithProperties(ConsumptionBudgetSubscription, {
      name: 'budget-cx-genai-prd-sdc',
      amount: 25_000,
      time_grain: 'Monthly',
      time_period: { start_date: '2026-12-01T00:00:00Z' },
      subscription_id: '${data.azurerm_subscription.CurrentSubscription.id}',
      filter: {
        dimension: [
          {
            name: 'ResourceGroupName',
            operator: 'In',
            values: ['rg-cx-genai-prd-sdc', 'rg-cx-genai-prd-frc', 'rg-cx-genai-prd-gwc'],
          },
        ],
      },
      notification: [
        { ...recipients, threshold: 50, threshold_type: 'Actual' },
        { ...recipients, threshold: 80, threshold_type: 'Actual' },
        { ...recipients, threshold: 100, threshold_type: 'Actual' },
        { ...recipients, threshold: 100, threshold_type: 'Forecasted' },
      ],
    });
  });

  it('uses the configured subscription id instead of a data source when one is given', () => {
    const synth = synthEnvironment(
      exampleEnvironment('staging', {
        azure: {
          subscriptionId: '11111111-1111-1111-1111-111111111111',
          tenantId: '22222222-2222-2222-2222-222222222222',
        },
      }),
    );
    expect(synth.only('azurerm_consumption_budget_subscription').config['subscription_id']).toBe(
      '/subscriptions/11111111-1111-1111-1111-111111111111',
    );
    expect(synth.json.data).toBeUndefined();
  });

  it('dev has no budget', () => {
    expect(
      synthEnvironment(exampleEnvironment('dev')).resources('azurerm_consumption_budget_subscription'),
    ).toEqual([]);
  });
});

describe('Budgets construct', () => {
  const base = {
    amount: 500,
    startDate: '2026-12-01',
    notifications: [{ thresholdPercent: 90, type: 'Actual' as const }],
    contactEmails: ['t@x.com'],
  };

  it('gives each dedicated tenant a resource-group budget, keyed by its slug', () => {
    const stack = new TerraformStack(Testing.app(), 'budgets');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    new Budgets(stack, 'Budgets', {
      dedicated: [
        {
          ...base,
          key: 'contoso',
          name: 'budget-cx-genai-prd-sdc-contoso',
          resourceGroupId: '/subscriptions/s/resourceGroups/rg-contoso',
        },
      ],
    });
    const { text } = synthesizeStack(stack);
    expect(text).toHaveResourceWithProperties(ConsumptionBudgetResourceGroup, {
      name: 'budget-cx-genai-prd-sdc-contoso',
      resource_group_id: '/subscriptions/s/resourceGroups/rg-contoso',
      amount: 500,
      notification: [
        expect.objectContaining({ threshold: 90, threshold_type: 'Actual', contact_emails: ['t@x.com'] }),
      ],
    });
    expect(text).toContain('"Budgets_Dedicated_contoso_');
  });

  it.each([
    [{ notifications: [] }, /at least one notification threshold/],
    [{ startDate: '2026-12-15' }, /first of a month/],
    [{ contactEmails: [] }, /needs contactEmails or actionGroupIds/],
  ])('rejects %j', (patch, message) => {
    const stack = new TerraformStack(Testing.app(), 'bad');
    expect(
      () =>
        new Budgets(stack, 'Budgets', {
          dedicated: [
            { ...base, ...patch, key: 'x', name: 'b', resourceGroupId: '/subscriptions/s/resourceGroups/rg' },
          ],
        }),
    ).toThrow(message);
  });
});
