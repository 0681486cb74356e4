import { Construct } from 'constructs';
import { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import type { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { AzapiUpdateResource } from '../shared/azapi';
import { addDiagnosticSetting, addLock } from '../shared/features';
import type { DiagnosticSettingsOptions, LockOptions } from '../shared/interfaces';

export interface MonitoringProps {
  /** Name of the Log Analytics workspace. */
  readonly workspaceName: string;
  /** Name of the Application Insights component. */
  readonly applicationInsightsName: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** Retention of logs and telemetry. @default 30 */
  readonly retentionInDays?: number;
  /** Daily ingestion cap of the workspace. @default - no cap */
  readonly dailyQuotaGb?: number;
  /**
   * A commitment tier in GB per day (pricing tier CapacityReservation); Event Hubs ingestion needs one.
   * @default - pay-as-you-go (PerGB2018)
   */
  readonly commitmentTierGbPerDay?: number;
  /** A management lock on the workspace. @default - no lock */
  readonly lock?: LockOptions;
  /** Terraform refuses to destroy the workspace (`lifecycle.prevent_destroy`). @default false */
  readonly preventDestroy?: boolean;
}

/**
 * The environment's monitoring foundation: one Log Analytics workspace that every diagnostic setting writes to, and
 * a workspace-based Application Insights for the gateway's traces and token metrics.
 *
 * Both have local (key) authentication turned off: data is written and read with Entra ID only. Application
 * Insights also has custom metric dimensions turned on, which the gateway's token metrics need.
 */
export class Monitoring extends Construct {
  readonly workspace: LogAnalyticsWorkspace;
  readonly applicationInsights: ApplicationInsights;
  /** The workspace's own diagnostics (its query audit) and Application Insights' metrics, into the workspace. */
  readonly diagnosticSettings: {
    readonly workspace: MonitorDiagnosticSetting;
    readonly applicationInsights: MonitorDiagnosticSetting;
  };

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const retentionInDays = props.retentionInDays ?? 30;

    this.workspace = new LogAnalyticsWorkspace(this, 'Workspace', {
      name: props.workspaceName,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      ...(props.commitmentTierGbPerDay === undefined
        ? { sku: 'PerGB2018' }
        : { sku: 'CapacityReservation', reservationCapacityInGbPerDay: props.commitmentTierGbPerDay }),
      retentionInDays,
      localAuthenticationEnabled: false,
      ...(props.dailyQuotaGb === undefined ? {} : { dailyQuotaGb: props.dailyQuotaGb }),
      ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    });
    if (props.lock) addLock(this, 'WorkspaceLock', this.workspace.id, props.lock);

    this.applicationInsights = new ApplicationInsights(this, 'ApplicationInsights', {
      name: props.applicationInsightsName,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      applicationType: 'web',
      workspaceId: this.workspace.id,
      retentionInDays,
      localAuthenticationDisabled: true,
      disableIpMasking: false,
    });

    this.diagnosticSettings = {
      // Audit (LAQueryLogs): who queried what. An auditor asks for it; it is free to export. SummaryLogs cost extra and
      // stay off until summary rules exist.
      workspace: addDiagnosticSetting(this, 'WorkspaceDiagnostics', this.workspace.id, {
        workspaceId: this.workspace.id,
        logCategories: ['Audit'],
      }),
      // Metrics only: the telemetry of a workspace-based component is already in the workspace (App* tables);
      // exporting its log categories too would ingest and bill everything twice.
      applicationInsights: addDiagnosticSetting(
        this,
        'ApplicationInsightsDiagnostics',
        this.applicationInsights.id,
        {
          workspaceId: this.workspace.id,
          logCategoryGroups: [],
        },
      ),
    };

    // azurerm has no setting for it: without dimensions, llm-emit-token-metric samples arrive without their
    // tenant/model/region dimensions and chargeback cannot split them.
    new AzapiUpdateResource(this, 'CustomMetricDimensions', {
      type: 'Microsoft.Insights/components@2020-02-02',
      resourceId: this.applicationInsights.id,
      body: { properties: { CustomMetricsOptedInType: 'WithDimensions' } },
    });
  }

  /** Diagnostic settings that send a resource's logs and metrics to this workspace. */
  diagnostics(options: Omit<DiagnosticSettingsOptions, 'workspaceId'> = {}): DiagnosticSettingsOptions {
    return { ...options, workspaceId: this.workspace.id };
  }
}
