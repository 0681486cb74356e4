import { Testing, TerraformStack } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { describe, expect, it } from 'vitest';
import { ActionGroups, Alerts, type AlertsProps, type WatchedGateway } from '../../../constructs/monitoring';
import { exampleEnvironment, synthesizeStack, synthEnvironment } from '../../helpers/synth';
import { METRICS, severityLevel } from '../../../constructs/shared/catalog';

type Alert = Record<string, unknown> & { criteria: Array<Record<string, unknown>> };

const prod = exampleEnvironment('prod');
const settings = prod.monitoring.alerts;

const GATEWAY_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-cx-genai-prd-sdc/providers/Microsoft.ApiManagement/service/apim-cx-genai-prd-sdc';
const KEY_VAULT_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-cx-genai-prd-sdc/providers/Microsoft.KeyVault/vaults/kvcxgenaiprdsdc';
const APP_INSIGHTS_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-cx-genai-prd-sdc/providers/Microsoft.Insights/components/appi-cx-genai-prd-sdc';
const CONTENT_SAFETY_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-cx-genai-prd-sdc/providers/Microsoft.CognitiveServices/accounts/cs-cx-genai-prd-sdc';

/** Alerts built on their own, with literal ARM ids for what the stack does not have yet (gateway, Key Vault). */
function synthAlerts(extra: Partial<AlertsProps> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'alerts');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const groups = new ActionGroups(stack, 'ActionGroups', {
    resourceGroupName: 'rg-cx-genai-prd-sdc',
    groups: {
      oncall: {
        name: 'ag-oncall',
        shortName: 'prd-oncall',
        paging: true,
        severities: ['critical', 'error'],
        emailReceivers: { a: 'a@contoso.com' },
      },
      platform: {
        name: 'ag-platform',
        shortName: 'prd-platform',
        severities: ['warning', 'informational'],
        emailReceivers: { b: 'b@contoso.com' },
      },
    },
  });
  new Alerts(stack, 'Alerts', {
    resourceGroupName: 'rg-cx-genai-prd-sdc',
    location: 'swedencentral',
    routing: groups,
    settings,
    gateway: { resourceId: GATEWAY_ID, tier: 'classic' },
    keyVault: { resourceId: KEY_VAULT_ID },
    contentSafety: { resourceId: CONTENT_SAFETY_ID },
    applicationInsights: { resourceId: APP_INSIGHTS_ID },
    tenants: [
      { slug: 'contoso-retail', monthlyTokenQuota: 500_000_000 },
      { slug: 'fabrikam', monthlyTokenQuota: 50_000_000 },
    ],
    ...extra,
  });
  const { plan } = synthesizeStack(stack);
  const byName = (type: string) =>
    Object.fromEntries(plan.byType(type).map((r) => [r.config['name'] as string, r.config as Alert]));
  return {
    metric: byName('azurerm_monitor_metric_alert'),
    log: byName('azurerm_monitor_scheduled_query_rules_alert_v2'),
  };
}

describe('model-account alerts in the prod stack', () => {
  const synth = synthEnvironment(prod);
  const alerts = Object.fromEntries(
    synth
      .resources('azurerm_monitor_metric_alert')
      .map((r) => [r.config['name'] as string, r.config as Alert]),
  );
  const account = (region: string) =>
    `\${${synth.resources('azurerm_cognitive_account').find((r) => r.config['location'] === region)!.address}.id}`;

  it('throttling: AzureOpenAIRequests with StatusCode 429 on pay-as-you-go deployments only', () => {
    const alert = alerts['alert-cx-genai-prd-sdc-model-throttling']!;
    expect(alert['scopes']).toEqual([account('swedencentral')]);
    expect(alert['severity']).toBe(severityLevel(settings.modelThrottling.severity));
    expect(alert['window_size']).toBe('PT15M');
    expect(alert.criteria).toEqual([
      {
        metric_namespace: 'Microsoft.CognitiveServices/accounts',
        metric_name: 'AzureOpenAIRequests',
        aggregation: 'Total',
        operator: 'GreaterThan',
        threshold: settings.modelThrottling.aboveCount,
        dimension: [
          { name: 'StatusCode', operator: 'Include', values: ['429'] },
          // gpt-4o and gpt-4o-mini are PTU in swedencentral: their 429s are spillover, watched by utilization.
          {
            name: 'ModelDeploymentName',
            operator: 'Include',
            values: ['gpt-4o-overflow', 'text-embedding-3-large'],
          },
        ],
      },
    ]);
  });

  it('availability (5xx): AzureOpenAIAvailabilityRate below the configured percentage', () => {
    const alert = alerts['alert-cx-genai-prd-frc-model-availability']!;
    expect(alert['scopes']).toEqual([account('francecentral')]);
    expect(alert['severity']).toBe(1);
    expect(alert.criteria[0]).toMatchObject({
      metric_name: 'AzureOpenAIAvailabilityRate',
      aggregation: 'Average',
      operator: 'LessThan',
      threshold: 99.5,
    });
  });

  it('latency: AzureOpenAITimeToResponse per real-time deployment (batch excluded)', () => {
    const alert = alerts['alert-cx-genai-prd-gwc-model-latency']!;
    expect(alert.criteria[0]).toMatchObject({
      metric_name: 'AzureOpenAITimeToResponse',
      aggregation: 'Average',
      threshold: settings.modelLatency.aboveMs,
      dimension: [{ name: 'ModelDeploymentName', operator: 'Include', values: ['gpt-4o', 'gpt-4o-mini'] }],
    });
  });

  it('PTU utilization only on the account with PTU deployments, filtered to them', () => {
    const ptu = Object.keys(alerts).filter((name) => name.endsWith('-ptu-utilization'));
    expect(ptu).toEqual(['alert-cx-genai-prd-sdc-ptu-utilization']);
    expect(alerts[ptu[0]!]!.criteria[0]).toMatchObject({
      metric_name: 'AzureOpenAIProvisionedManagedUtilizationV2',
      aggregation: 'Average',
      operator: 'GreaterThan',
      threshold: 85,
      dimension: [{ name: 'ModelDeploymentName', operator: 'Include', values: ['gpt-4o', 'gpt-4o-mini'] }],
    });
    expect(alerts[ptu[0]!]!['severity']).toBe(2);
  });

  it('content filter: RAIRejectedRequests split by prompt or completion', () => {
    expect(alerts['alert-cx-genai-prd-sdc-model-content-filter']!.criteria[0]).toMatchObject({
      metric_name: 'RAIRejectedRequests',
      threshold: 50,
      dimension: [{ name: 'TextType', operator: 'Include', values: ['*'] }],
    });
  });

  it('gives every alert an action group, a description for on-call, auto-resolution and its severity from config', () => {
    // 13 on the model accounts, 3 on the gateway, 2 on the Key Vault.
    expect(Object.keys(alerts)).toHaveLength(18);
    for (const [name, alert] of Object.entries(alerts)) {
      expect(alert['auto_mitigate'], name).toBe(true);
      expect((alert['action'] as unknown[]).length, name).toBeGreaterThan(0);
      expect(String(alert['description']).length, name).toBeGreaterThan(80);
    }
  });

  it('pages on-call for error alerts and tells the team of warnings', () => {
    const groupOf = (address: string) =>
      synth.resources('azurerm_monitor_action_group').find((g) => address.includes(g.address))!.config[
        'name'
      ];
    const targets = (name: string) =>
      (alerts[name]!['action'] as Array<{ action_group_id: string }>)
        .map((a) => groupOf(a.action_group_id))
        .sort();
    expect(targets('alert-cx-genai-prd-sdc-model-availability')).toEqual([
      'ag-cx-genai-prd-sdc-oncall',
      'ag-cx-genai-prd-sdc-platform',
    ]);
    expect(targets('alert-cx-genai-prd-sdc-ptu-utilization')).toEqual(['ag-cx-genai-prd-sdc-platform']);
  });

  it('filters only on dimensions that Azure documents for the metric', () => {
    const catalog = Object.values(METRICS);
    for (const alert of Object.values(alerts)) {
      for (const criterion of alert.criteria) {
        const metric = catalog.find(
          (m) => m.name === criterion['metric_name'] && m.namespace === criterion['metric_namespace'],
        );
        expect(metric, String(criterion['metric_name'])).toBeDefined();
        for (const d of (criterion['dimension'] as Array<{ name: string }> | undefined) ?? []) {
          expect(metric!.dimensions as readonly string[]).toContain(d.name);
        }
      }
    }
  });

  it("watches the stack's own gateway, Key Vault and tenants", () => {
    const gateway = `\${${synth.only('azurerm_api_management').address}.id}`;
    const vault = `\${${synth.onlyPlatform('azurerm_key_vault').address}.id}`;
    const logAlerts = synth.resources('azurerm_monitor_scheduled_query_rules_alert_v2');
    expect(
      logAlerts.filter((a) => (a.config['scopes'] as string[]).includes(gateway)).length,
    ).toBeGreaterThanOrEqual(3);
    expect(logAlerts.some((a) => String(a.config['name']).includes('tenant'))).toBe(true);
    const vaultAlerts = Object.entries(alerts).filter(([, a]) => (a['scopes'] as string[]).includes(vault));
    expect(vaultAlerts.map(([name]) => name).sort()).toEqual([
      'alert-cx-genai-prd-sdc-keyvault-access-denied',
      'alert-cx-genai-prd-sdc-keyvault-availability',
    ]);
  });
});

describe('gateway alerts (construct level, literal ARM id)', () => {
  const { metric, log } = synthAlerts({ alertName: (signal) => signal });

  it('5xx share: a log alert on ApiManagementGatewayLogs scoped to the gateway', () => {
    const alert = log['gateway-5xx']!;
    expect(alert['scopes']).toEqual([GATEWAY_ID]);
    expect(alert['severity']).toBe(1);
    expect(alert['window_duration']).toBe('PT5M');
    expect(alert['auto_mitigation_enabled']).toBe(true);
    expect(alert['action']).toEqual({
      action_groups: ['${azurerm_monitor_action_group.ActionGroups_oncall_CF287CC7.id}'],
    });
    expect(alert.criteria[0]).toMatchObject({
      metric_measure_column: 'ServerErrorPercent',
      operator: 'GreaterThan',
      threshold: settings.gatewayServerErrors.abovePercent,
      time_aggregation_method: 'Maximum',
    });
    expect(alert.criteria[0]!['query']).toContain('ApiManagementGatewayLogs');
    expect(alert.criteria[0]!['query']).toContain('countif(ResponseCode >= 500)');
    expect(alert.criteria[0]!['query']).toContain(
      `where Requests >= ${settings.gatewayServerErrors.minimumRequests}`,
    );
  });

  it('backend duration, capacity and sustained 429s: metric alerts on Microsoft.ApiManagement/service', () => {
    expect(metric['gateway-backend-duration']!.criteria[0]).toMatchObject({
      metric_namespace: 'Microsoft.ApiManagement/service',
      metric_name: 'BackendDuration',
      threshold: 15_000,
    });
    expect(metric['gateway-capacity']!.criteria[0]).toMatchObject({
      metric_name: 'Capacity',
      aggregation: 'Average',
      threshold: 70,
    });
    expect(metric['gateway-throttling']!.criteria[0]).toMatchObject({
      metric_name: 'Requests',
      aggregation: 'Total',
      threshold: 25,
      dimension: [{ name: 'GatewayResponseCode', operator: 'Include', values: ['429'] }],
    });
    expect(metric['gateway-throttling']!['scopes']).toEqual([GATEWAY_ID]);
    expect(metric['gateway-throttling']!['window_size']).toBe('PT15M');
  });

  it('watches CPU and memory instead of Capacity on v2 tiers', () => {
    const v2: WatchedGateway = { resourceId: GATEWAY_ID, tier: 'v2' };
    const { metric: v2Alerts } = synthAlerts({ alertName: (signal) => signal, gateway: v2 });
    expect(v2Alerts['gateway-capacity']!.criteria[0]!['metric_name']).toBe('CpuPercent_Gateway');
    expect(v2Alerts['gateway-memory']!.criteria[0]!['metric_name']).toBe('MemoryPercent_Gateway');
  });

  it('circuit breakers: 503s the gateway made without a backend answer', () => {
    const alert = log['gateway-pool-exhausted']!;
    expect(alert.criteria[0]!['query']).toContain(
      'ResponseCode == 503 and coalesce(BackendResponseCode, 0) != 503',
    );
    expect(alert.criteria[0]).toMatchObject({ threshold: 1, metric_measure_column: 'PoolExhausted' });
  });

  it('content safety: 403s from llm-content-safety, only when the Content Safety account exists', () => {
    expect(log['gateway-content-safety']!.criteria[0]!['query']).toContain(
      'ResponseCode == 403 and LastErrorSource == "llm-content-safety"',
    );
    const { log: without } = synthAlerts({ alertName: (signal) => signal, contentSafety: undefined });
    expect(without['gateway-content-safety']).toBeUndefined();
  });
});

describe('tenant token-quota alert (construct level)', () => {
  const { log } = synthAlerts({ alertName: (signal) => signal });
  const alert = log['tenant-token-quota']!;

  it('is one log alert on Application Insights, split by the Tenant dimension', () => {
    expect(alert['scopes']).toEqual([APP_INSIGHTS_ID]);
    expect(alert['window_duration']).toBe('P1D');
    expect(alert['evaluation_frequency']).toBe('PT1H');
    expect(alert.criteria[0]).toMatchObject({
      metric_measure_column: 'ProjectedPercentOfQuota',
      threshold: 80,
      dimension: [{ name: 'Tenant', operator: 'Include', values: ['*'] }],
    });
  });

  it('reads the gateway token metric from customMetrics and each tenant quota from the input list', () => {
    const query = String(alert.criteria[0]!['query']);
    expect(query).toContain('customMetrics');
    expect(query).toContain('where name == "Total Tokens"');
    expect(query).toContain('customDimensions["Tenant"]');
    expect(query).toContain('"contoso-retail", 500000000,');
    expect(query).toContain('"fabrikam", 50000000,');
  });

  it('is not created without tenants, and rejects a tenant slug that would break the query', () => {
    expect(synthAlerts({ tenants: [] }).log['tenant-token-quota']).toBeUndefined();
    expect(() => synthAlerts({ tenants: [{ slug: 'x"; drop', monthlyTokenQuota: 1 }] })).toThrow(
      /tenant slug/,
    );
    expect(() => synthAlerts({ tenants: [{ slug: 'a', monthlyTokenQuota: 0 }] })).toThrow(
      /positive monthlyTokenQuota/,
    );
  });
});

describe('Key Vault alerts (construct level, literal ARM id)', () => {
  const { metric } = synthAlerts({ alertName: (signal) => signal });

  it('availability below the threshold', () => {
    expect(metric['keyvault-availability']!['scopes']).toEqual([KEY_VAULT_ID]);
    expect(metric['keyvault-availability']!.criteria[0]).toMatchObject({
      metric_namespace: 'Microsoft.KeyVault/vaults',
      metric_name: 'Availability',
      operator: 'LessThan',
      threshold: 99.9,
    });
    expect(metric['keyvault-availability']!['severity']).toBe(1);
  });

  it('401 and 403 answers: ServiceApiResult by StatusCode', () => {
    expect(metric['keyvault-access-denied']!.criteria[0]).toMatchObject({
      metric_name: 'ServiceApiResult',
      aggregation: 'Count',
      threshold: 3,
      dimension: [{ name: 'StatusCode', operator: 'Include', values: ['401', '403'] }],
    });
    expect(metric['keyvault-access-denied']!['severity']).toBe(2);
  });
});

describe('alerts without action groups', () => {
  it('still fire and show in the portal, with no action block', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'bare');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    new Alerts(stack, 'Alerts', {
      resourceGroupName: 'rg',
      location: 'swedencentral',
      keyVault: { resourceId: KEY_VAULT_ID },
    });
    const alerts = synthesizeStack(stack)
      .plan.byType('azurerm_monitor_metric_alert')
      .map((r) => r.config);
    expect(alerts.map((a) => a['name']).sort()).toEqual([
      'alert-keyvault-access-denied-swedencentral',
      'alert-keyvault-availability-swedencentral',
    ]);
    expect(alerts.every((a) => a['action'] === undefined)).toBe(true);
  });
});
