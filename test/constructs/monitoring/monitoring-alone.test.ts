import { describe, expect, it } from 'vitest';
import { Monitoring, type MonitoringProps } from '../../../constructs/monitoring';
import { body } from '../../../constructs/shared/plan';
import { synthConstruct } from '../../helpers/synth';

const MINIMAL: MonitoringProps = {
  workspaceName: 'log-test',
  applicationInsightsName: 'appi-test',
  location: 'swedencentral',
  resourceGroupName: 'rg-test',
};
const build = (props: Partial<MonitoringProps> = {}) =>
  synthConstruct((stack) => new Monitoring(stack, 'Monitoring', { ...MINIMAL, ...props }));

describe('Monitoring, built alone with minimal props', () => {
  const synth = build();
  const workspace = synth.only('azurerm_log_analytics_workspace');
  const insights = synth.only('azurerm_application_insights');

  it('defaults to a keyless workspace and a workspace-based, keyless Application Insights, both kept 30 days', () => {
    expect(workspace.config).toMatchObject({
      sku: 'PerGB2018',
      retention_in_days: 30,
      local_authentication_enabled: false,
    });
    expect(workspace.config['daily_quota_gb']).toBeUndefined();
    expect(insights.config).toMatchObject({
      application_type: 'web',
      workspace_id: `\${${workspace.address}.id}`,
      retention_in_days: 30,
      local_authentication_disabled: true,
      disable_ip_masking: false,
    });
    expect(synth.resources('azurerm_management_lock')).toEqual([]);
  });

  it('audits queries on the workspace and exports only the metrics of Application Insights (its logs are already there)', () => {
    const settings = synth.resources('azurerm_monitor_diagnostic_setting');
    const on = (target: string) => settings.find((s) => s.config['target_resource_id'] === target)!.config;
    expect(on(`\${${workspace.address}.id}`)['enabled_log']).toEqual([{ category: 'Audit' }]);
    expect(on(`\${${insights.address}.id}`)['enabled_log']).toBeUndefined();
  });

  it('turns on custom metric dimensions, which the token metrics need', () => {
    const update = synth.only('azapi_update_resource');
    expect(update.config['resource_id']).toBe(`\${${insights.address}.id}`);
    expect(body(update)).toEqual({ properties: { CustomMetricsOptedInType: 'WithDimensions' } });
  });

  it('takes retention, a daily cap, a lock and prevent_destroy when given', () => {
    const options = build({
      retentionInDays: 90,
      dailyQuotaGb: 5,
      lock: { level: 'CanNotDelete', notes: 'audit trail' },
      preventDestroy: true,
    });
    expect(options.only('azurerm_log_analytics_workspace').config).toMatchObject({
      retention_in_days: 90,
      daily_quota_gb: 5,
      lifecycle: { prevent_destroy: true },
    });
    expect(options.only('azurerm_application_insights').config['retention_in_days']).toBe(90);
    expect(options.only('azurerm_management_lock').config).toMatchObject({
      lock_level: 'CanNotDelete',
      notes: 'audit trail',
    });
  });
});
