import { Testing, TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { OperationsWorkbook, type WorkbookTemplate } from '../../../constructs/monitoring';
import { environmentNames } from '../../../environments/names';
import { exampleEnvironment, synthEnvironment } from '../../helpers/synth';
import { LOG_TABLES, TOKEN_METRICS } from '../../../constructs/shared/catalog';

describe('operations workbook in the prod stack', () => {
  const env = exampleEnvironment('prod');
  const synth = synthEnvironment(env);
  const workbook = synth.only('azurerm_application_insights_workbook');
  const template = JSON.parse(workbook.config['data_json'] as string) as WorkbookTemplate;
  const queries = template.items.flatMap((item) => (item.type === 3 ? [item] : []));
  const allQueries = queries.map((q) => q.content.query).join('\n');

  it('is a valid workbook document, named by a deterministic GUID', () => {
    expect(template.version).toBe('Notebook/1.0');
    expect(template.$schema).toMatch(/Application-Insights-Workbooks\/blob\/master\/schema\/workbook\.json$/);
    expect(workbook.config['name']).toBe(environmentNames(env).monitoring.workbook);
    expect(workbook.config['name']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(template.items.length).toBeGreaterThan(8);
  });

  it('queries the real log tables and token metric names', () => {
    for (const table of Object.values(LOG_TABLES)) expect(allQueries).toContain(table);
    for (const metric of Object.values(TOKEN_METRICS)) expect(allQueries).toContain(`"${metric}"`);
    expect(allQueries).toContain('customDimensions["Tenant"]');
    expect(allQueries).toContain('customDimensions["Model"]');
  });

  it('covers chargeback, latency percentiles, 429s, spillover, content-safety blocks and errors by backend', () => {
    const titles = queries.map((q) => q.content.title).join('\n');
    expect(titles).toMatch(/Tokens per tenant and model/);
    expect(titles).toMatch(/latency percentiles/i);
    expect(titles).toMatch(/429s to clients/);
    expect(titles).toMatch(/Spillover share/);
    expect(titles).toMatch(/content-safety check/);
    expect(titles).toMatch(/by backend/);
    expect(allQueries).toContain('percentile(duration, 95)');
  });

  it('scopes App Insights queries to the component and gateway queries to the workspace', () => {
    const insights = `\${${synth.only('azurerm_application_insights').address}.id}`;
    const workspace = `\${${synth.only('azurerm_log_analytics_workspace').address}.id}`;
    for (const q of queries) {
      const onInsights = /^(customMetrics|customEvents|requests|dependencies)\b/m.test(q.content.query);
      expect(q.content.crossComponentResources, q.name).toEqual([onInsights ? insights : workspace]);
      expect(q.content.resourceType, q.name).toBe(
        onInsights ? 'microsoft.insights/components' : 'microsoft.operationalinsights/workspaces',
      );
    }
  });

  it('computes spillover over the PTU deployments and their gateway backends', () => {
    const spillover = queries.find((q) => q.name === 'spillover')!.content.query;
    expect(spillover).toContain('let provisionedDeployments = dynamic(["gpt-4o", "gpt-4o-mini"]);');
    expect(spillover).toContain('let provisionedBackends = dynamic(["gpt-4o-mini-sdc", "gpt-4o-sdc"]);');
  });

  it('is switched off by config', () => {
    const off = synthEnvironment(exampleEnvironment('dev', { monitoring: { workbook: { enabled: false } } }));
    expect(off.resources('azurerm_application_insights_workbook')).toEqual([]);
  });
});

describe('OperationsWorkbook', () => {
  it('refuses a name that is not a GUID', () => {
    const stack = new TerraformStack(Testing.app(), 'wb');
    expect(
      () =>
        new OperationsWorkbook(stack, 'Workbook', {
          name: 'operations',
          displayName: 'x',
          location: 'swedencentral',
          resourceGroupName: 'rg',
          workspaceId: 'ws',
          applicationInsightsId: 'ai',
        }),
    ).toThrow(/must be a lowercase GUID/);
  });
});
