import { describe, expect, it } from 'vitest';
import { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { exampleEnvironment, synthEnvironment } from '../../helpers/synth';

describe('monitoring', () => {
  it('creates one workspace with the configured retention and no key auth', () => {
    const synth = synthEnvironment(exampleEnvironment('prod', { monitoring: { logRetentionInDays: 400 } }));
    expect(synth.resources('azurerm_log_analytics_workspace')).toHaveLength(1);
    expect(synth.text).toHaveResourceWithProperties(LogAnalyticsWorkspace, {
      name: 'log-cx-genai-prd-sdc',
      location: 'swedencentral',
      retention_in_days: 400,
      local_authentication_enabled: false,
    });
  });

  it('creates workspace-based Application Insights with local auth off and metric dimensions on', () => {
    const synth = synthEnvironment(exampleEnvironment('staging'));
    const workspace = synth.only('azurerm_log_analytics_workspace');
    const insights = synth.only('azurerm_application_insights');
    expect(synth.text).toHaveResourceWithProperties(ApplicationInsights, {
      name: 'appi-cx-genai-stg-sdc',
      workspace_id: `\${${workspace.address}.id}`,
      local_authentication_disabled: true,
      retention_in_days: 30,
    });
    const update = synth
      .resources('azapi_update_resource')
      .find((r) => r.config['resource_id'] === `\${${insights.address}.id}`);
    expect(update?.config['body']).toEqual({ properties: { CustomMetricsOptedInType: 'WithDimensions' } });
  });

  it('sends the workspace query audit and the Application Insights metrics (not its logs) to the workspace', () => {
    const synth = synthEnvironment(exampleEnvironment('prod'));
    const workspace = `\${${synth.only('azurerm_log_analytics_workspace').address}.id}`;
    const insights = `\${${synth.only('azurerm_application_insights').address}.id}`;
    const settingOf = (target: string) =>
      synth
        .resources('azurerm_monitor_diagnostic_setting')
        .find((r) => r.config['target_resource_id'] === target)?.config;
    expect(settingOf(workspace)).toMatchObject({
      log_analytics_workspace_id: workspace,
      enabled_log: [{ category: 'Audit' }],
      enabled_metric: [{ category: 'AllMetrics' }],
    });
    const appInsights = settingOf(insights);
    expect(appInsights).toMatchObject({
      log_analytics_workspace_id: workspace,
      enabled_metric: [{ category: 'AllMetrics' }],
    });
    expect((appInsights?.['enabled_log'] as unknown[] | undefined) ?? []).toEqual([]);
  });

  it.each([
    [29, 'expected at least 30'],
    [731, 'expected at most 730'],
    [90.5, 'expected a whole number of days'],
  ])('rejects a retention of %s days', (days, message) => {
    expect(() => exampleEnvironment('dev', { monitoring: { logRetentionInDays: days } })).toThrow(
      new RegExp(`monitoring\\.logRetentionInDays: .*${message}`),
    );
  });
});
