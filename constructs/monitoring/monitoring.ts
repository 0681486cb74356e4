import { Construct } from 'constructs';
import { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { DataAzurermApplicationInsights } from '@cdktf/provider-azurerm/lib/data-azurerm-application-insights';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { parseArmResourceId } from '../shared/arm-id';
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
  /**
   * Accept ingestion from public networks (networks not connected through an Azure Monitor Private Link Scope), on
   * the workspace and Application Insights. Turn it off once every caller goes through a scope; diagnostic settings
   * are not governed by it. @default true
   */
  readonly internetIngestionEnabled?: boolean;
  /** Accept queries from public networks (the portal outside the private network included). @default true */
  readonly internetQueryEnabled?: boolean;
  /**
   * Existing resources to use instead of creating them (an enterprise hub's): the ARM id of a Log Analytics workspace,
   * and of an Application Insights component in the deployment subscription, whose connection string the stack reads
   * with a data source. The stack changes nothing on them. @default - create both
   */
  readonly existing?: { readonly workspaceId?: string; readonly applicationInsightsId?: string };
}

/**
 * The environment's monitoring foundation: one Log Analytics workspace that every diagnostic setting writes to, and
 * a workspace-based Application Insights for the gateway's traces and token metrics.
 *
 * Both have local (key) authentication turned off: data is written and read with Entra ID only. Application
 * Insights also has custom metric dimensions turned on, which the gateway's token metrics need. With `existing`, the
 * stack uses a hub's workspace or component by id instead, and creates neither.
 */
export class Monitoring extends Construct {
  /** The workspace the stack created; undefined when it uses an existing one. */
  readonly workspace: LogAnalyticsWorkspace | undefined;
  /** The component the stack created; undefined when it uses an existing one. */
  readonly applicationInsights: ApplicationInsights | undefined;
  /** ARM id of the workspace every diagnostic setting writes to, created or existing. */
  readonly workspaceId: string;
  /** ARM id of Application Insights, created or existing. */
  readonly applicationInsightsId: string;
  /** Its connection string (the ingestion endpoint the gateway logger uses). */
  readonly applicationInsightsConnectionString: string;
  /** The created workspace's own diagnostics and the created component's metrics, into the workspace. */
  readonly diagnosticSettings: {
    readonly workspace?: MonitorDiagnosticSetting;
    readonly applicationInsights?: MonitorDiagnosticSetting;
  };

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const retentionInDays = props.retentionInDays ?? 30;
    const internet = {
      internetIngestionEnabled: props.internetIngestionEnabled ?? true,
      internetQueryEnabled: props.internetQueryEnabled ?? true,
    };
    const existing = props.existing ?? {};

    this.workspace = existing.workspaceId
      ? undefined
      : new LogAnalyticsWorkspace(this, 'Workspace', {
          name: props.workspaceName,
          location: props.location,
          resourceGroupName: props.resourceGroupName,
          ...(props.commitmentTierGbPerDay === undefined
            ? { sku: 'PerGB2018' }
            : { sku: 'CapacityReservation', reservationCapacityInGbPerDay: props.commitmentTierGbPerDay }),
          retentionInDays,
          localAuthenticationEnabled: false,
          ...internet,
          ...(props.dailyQuotaGb === undefined ? {} : { dailyQuotaGb: props.dailyQuotaGb }),
          ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
        });
    this.workspaceId = existing.workspaceId ?? this.workspace!.id;
    if (props.lock && this.workspace) addLock(this, 'WorkspaceLock', this.workspace.id, props.lock);

    if (existing.applicationInsightsId) {
      const id = parseArmResourceId(existing.applicationInsightsId);
      if (!id || id.type.toLowerCase() !== 'microsoft.insights/components') {
        throw new Error(
          `${this.node.path}: existing.applicationInsightsId is not the ARM id of an Application Insights component: ${existing.applicationInsightsId}`,
        );
      }
      this.applicationInsights = undefined;
      this.applicationInsightsId = existing.applicationInsightsId;
      this.applicationInsightsConnectionString = new DataAzurermApplicationInsights(
        this,
        'ExistingApplicationInsights',
        { name: id.name, resourceGroupName: id.resourceGroupName },
      ).connectionString;
    } else {
      this.applicationInsights = new ApplicationInsights(this, 'ApplicationInsights', {
        name: props.applicationInsightsName,
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        applicationType: 'web',
        workspaceId: this.workspaceId,
        retentionInDays,
        localAuthenticationDisabled: true,
        disableIpMasking: false,
        ...internet,
      });
      this.applicationInsightsId = this.applicationInsights.id;
      this.applicationInsightsConnectionString = this.applicationInsights.connectionString;
    }

    this.diagnosticSettings = {
      // Audit (LAQueryLogs): who queried what. An auditor asks for it; it is free to export. SummaryLogs cost extra and
      // stay off until summary rules exist.
      ...(this.workspace
        ? {
            workspace: addDiagnosticSetting(this, 'WorkspaceDiagnostics', this.workspace.id, {
              workspaceId: this.workspaceId,
              logCategories: ['Audit'],
            }),
          }
        : {}),
      // Metrics only: the telemetry of a workspace-based component is already in the workspace (App* tables);
      // exporting its log categories too would ingest and bill everything twice.
      ...(this.applicationInsights
        ? {
            applicationInsights: addDiagnosticSetting(
              this,
              'ApplicationInsightsDiagnostics',
              this.applicationInsights.id,
              { workspaceId: this.workspaceId, logCategoryGroups: [] },
            ),
          }
        : {}),
    };

    // azurerm has no setting for it: without dimensions, llm-emit-token-metric samples arrive without their
    // tenant/model/region dimensions and chargeback cannot split them. An existing component is not changed: its
    // owner sets it (the audit lists it as an assumption).
    if (this.applicationInsights) {
      new AzapiUpdateResource(this, 'CustomMetricDimensions', {
        type: 'Microsoft.Insights/components@2020-02-02',
        resourceId: this.applicationInsights.id,
        body: { properties: { CustomMetricsOptedInType: 'WithDimensions' } },
      });
    }
  }

  /** Diagnostic settings that send a resource's logs and metrics to this workspace. */
  diagnostics(options: Omit<DiagnosticSettingsOptions, 'workspaceId'> = {}): DiagnosticSettingsOptions {
    return { ...options, workspaceId: this.workspaceId };
  }
}
