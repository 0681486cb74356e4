import { Construct } from 'constructs';
import { LogicAppActionCustom } from '@cdktf/provider-azurerm/lib/logic-app-action-custom';
import { LogicAppTriggerRecurrence } from '@cdktf/provider-azurerm/lib/logic-app-trigger-recurrence';
import { LogicAppWorkflow } from '@cdktf/provider-azurerm/lib/logic-app-workflow';
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import type { PriceTable } from '../shared/finops';
import { addDiagnosticSetting } from '../shared/features';
import { LEDGER_TABLE } from '../shared/usage-record';
import { kqlString } from '../shared/kql';
import { budgetQuery, type TenantBudget } from './ledger-kql';

/**
 * The only operations the automation may perform, on the gateway: read a subscription and write its state.
 * Learn, "Azure permissions for Integration" (Microsoft.ApiManagement: service/subscriptions/read, /write).
 */
export const SUSPENDER_ACTIONS = [
  'Microsoft.ApiManagement/service/subscriptions/read',
  'Microsoft.ApiManagement/service/subscriptions/write',
] as const;

/**
 * What the automation reads: the workspace and the ledger table only (table-level access, Learn "Manage access to
 * Log Analytics workspaces", custom role with `workspaces/query/<table>/read`).
 */
export const LEDGER_READER_ACTIONS = [
  'Microsoft.OperationalInsights/workspaces/read',
  'Microsoft.OperationalInsights/workspaces/query/read',
  `Microsoft.OperationalInsights/workspaces/query/${LEDGER_TABLE}/read`,
] as const;

/** Budget thresholds, in percent of the monthly budget. */
export const BUDGET_WARNING_PERCENT = 80;
export const BUDGET_SUSPENSION_PERCENT = 100;

/** The API version of the API Management subscription calls. */
const APIM_API_VERSION = '2024-05-01';
const LOG_ANALYTICS_API = 'https://api.loganalytics.io';
const ARM = 'https://management.azure.com';

export interface BudgetEnforcementProps {
  readonly logicAppName: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** ARM id of the API Management service whose subscriptions the automation may suspend. */
  readonly gatewayId: string;
  /** The workspace that holds the ledger: its ARM id and its workspace (customer) id for the query API. */
  readonly workspace: { readonly resourceId: string; readonly customerId: string };
  /** Names of the two custom roles; role names are unique in the directory. */
  readonly suspenderRoleName: string;
  readonly ledgerReaderRoleName: string;
  readonly prices: PriceTable;
  readonly currency: string;
  readonly budgets: readonly TenantBudget[];
  /** The alerts: names, and the action groups of each severity. */
  readonly alerts: {
    readonly warningName: string;
    readonly suspensionName: string;
    readonly warningActionGroupIds: readonly string[];
    readonly suspensionActionGroupIds: readonly string[];
  };
}

/**
 * Tenant budgets. Every hour a Logic App (Consumption) of the platform, with its own system identity, reads the
 * month-to-date cost of each tenant with a budget from the usage ledger (ledger × the price table of config); at
 * 100 % it suspends the tenant's API Management subscription with a state comment that says why. Each evaluation is
 * a tracked property of the run, which the workflow's WorkflowRuntime logs bring to the workspace; the two alerts
 * fire on those records (80 %: warning; 100 %: suspended). Each suspension also leaves its subscription write in the
 * Activity Log, with the Logic App's identity as the caller.
 *
 * Why the automation evaluates and the alerts read its records: a log search alert queries at most two days
 * (query_time_range_override P2D), and a month-to-date sum needs up to 31.
 */
export class BudgetEnforcement extends Construct {
  readonly workflow: LogicAppWorkflow;
  readonly suspenderRole: RoleDefinition;
  readonly ledgerReaderRole: RoleDefinition;
  readonly suspenderAssignment: RoleAssignment;
  readonly ledgerReaderAssignment: RoleAssignment;
  readonly evaluate: LogicAppActionCustom;
  readonly enforce: LogicAppActionCustom;
  readonly warningAlert: MonitorScheduledQueryRulesAlertV2;
  readonly suspensionAlert: MonitorScheduledQueryRulesAlertV2;
  /** The query the automation runs every hour. */
  readonly query: string;

  constructor(scope: Construct, id: string, props: BudgetEnforcementProps) {
    super(scope, id);

    this.suspenderRole = new RoleDefinition(this, 'SuspenderRole', {
      name: props.suspenderRoleName,
      scope: props.gatewayId,
      description:
        'Reads and writes API Management subscriptions of one gateway, nothing else: the budget automation suspends a tenant at 100 % of its monthly budget.',
      permissions: [{ actions: [...SUSPENDER_ACTIONS], notActions: [], dataActions: [], notDataActions: [] }],
      assignableScopes: [props.gatewayId],
    });
    this.ledgerReaderRole = new RoleDefinition(this, 'LedgerReaderRole', {
      name: props.ledgerReaderRoleName,
      scope: props.workspace.resourceId,
      description: 'Queries the usage ledger table of one workspace, no other table.',
      permissions: [
        { actions: [...LEDGER_READER_ACTIONS], notActions: [], dataActions: [], notDataActions: [] },
      ],
      assignableScopes: [props.workspace.resourceId],
    });

    this.workflow = new LogicAppWorkflow(this, 'Workflow', {
      name: props.logicAppName,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      identity: { type: 'SystemAssigned' },
      enabled: true,
    });
    const principalId = this.workflow.identity.principalId;
    this.suspenderAssignment = new RoleAssignment(this, 'Suspender', {
      scope: props.gatewayId,
      roleDefinitionId: this.suspenderRole.roleDefinitionResourceId,
      principalId,
      principalType: 'ServicePrincipal',
      description: 'The budget automation suspends the subscription of a tenant over its monthly budget',
    });
    this.ledgerReaderAssignment = new RoleAssignment(this, 'LedgerReader', {
      scope: props.workspace.resourceId,
      roleDefinitionId: this.ledgerReaderRole.roleDefinitionResourceId,
      principalId,
      principalType: 'ServicePrincipal',
      description: "The budget automation reads the tenants' month-to-date cost from the usage ledger",
    });
    addDiagnosticSetting(this, 'Diagnostics', this.workflow.id, {
      workspaceId: props.workspace.resourceId,
      logCategories: ['WorkflowRuntime'],
    });

    const trigger = new LogicAppTriggerRecurrence(this, 'Hourly', {
      name: 'hourly',
      logicAppId: this.workflow.id,
      frequency: 'Hour',
      interval: 1,
    });

    this.query = budgetQuery(props.prices, props.currency, props.budgets);
    this.evaluate = new LogicAppActionCustom(this, 'QueryLedger', {
      name: 'query-ledger',
      logicAppId: this.workflow.id,
      body: JSON.stringify({
        type: 'Http',
        inputs: {
          method: 'POST',
          uri: `${LOG_ANALYTICS_API}/v1/workspaces/${props.workspace.customerId}/query`,
          body: { query: this.query, timespan: 'P32D' },
          authentication: { type: 'ManagedServiceIdentity', audience: LOG_ANALYTICS_API },
        },
        runAfter: {},
      }),
      dependsOn: [trigger, this.ledgerReaderAssignment],
    });

    const row = (i: number) => `@{items('enforce')[${i}]}`;
    const subscriptionsUri = `${ARM}${props.gatewayId}/subscriptions?$filter=productId eq '${row(0)}'&api-version=${APIM_API_VERSION}`;
    this.enforce = new LogicAppActionCustom(this, 'Enforce', {
      name: 'enforce',
      logicAppId: this.workflow.id,
      body: JSON.stringify({
        type: 'Foreach',
        foreach: "@body('query-ledger')?['tables']?[0]?['rows']",
        runAfter: { 'query-ledger': ['Succeeded'] },
        actions: {
          // One record per tenant and hour: the alerts read these tracked properties (WorkflowRuntime logs).
          'evaluate-tenant': {
            type: 'Compose',
            inputs: {
              tenant: row(0),
              cost: row(1),
              budget: row(2),
              percentOfBudget: row(3),
              currency: row(4),
            },
            trackedProperties: {
              tenant: row(0),
              cost: row(1),
              budget: row(2),
              percentOfBudget: row(3),
              currency: row(4),
            },
            runAfter: {},
          },
          'over-budget': {
            type: 'If',
            expression: {
              and: [{ greaterOrEquals: ["@float(items('enforce')[3])", BUDGET_SUSPENSION_PERCENT] }],
            },
            runAfter: { 'evaluate-tenant': ['Succeeded'] },
            actions: {
              'list-subscriptions': {
                type: 'Http',
                inputs: {
                  method: 'GET',
                  uri: subscriptionsUri,
                  authentication: { type: 'ManagedServiceIdentity', audience: `${ARM}/` },
                },
                runAfter: {},
              },
              'each-subscription': {
                type: 'Foreach',
                foreach: "@body('list-subscriptions')?['value']",
                runAfter: { 'list-subscriptions': ['Succeeded'] },
                actions: {
                  'if-active': {
                    type: 'If',
                    expression: {
                      and: [{ equals: ["@items('each-subscription')?['properties']?['state']", 'active'] }],
                    },
                    runAfter: {},
                    actions: {
                      suspend: {
                        type: 'Http',
                        inputs: {
                          method: 'PATCH',
                          uri: `${ARM}@{items('each-subscription')?['id']}?api-version=${APIM_API_VERSION}`,
                          headers: { 'If-Match': '*' },
                          body: {
                            properties: {
                              state: 'suspended',
                              stateComment: `Suspended by the budget automation ${props.logicAppName} on @{utcNow()}: tenant ${row(0)} spent ${row(1)} ${row(4)} of its monthly budget of ${row(2)} (${row(3)} %).`,
                            },
                          },
                          authentication: { type: 'ManagedServiceIdentity', audience: `${ARM}/` },
                        },
                        trackedProperties: {
                          tenant: row(0),
                          subscription: "@{items('each-subscription')?['id']}",
                          suspended: 'true',
                        },
                        runAfter: {},
                      },
                    },
                  },
                },
              },
            },
          },
        },
      }),
      dependsOn: [this.evaluate, this.suspenderAssignment],
    });

    const evaluations = (threshold: number) =>
      [
        'AzureDiagnostics',
        '| where ResourceProvider == "MICROSOFT.LOGIC" and Category == "WorkflowRuntime"',
        `| where Resource =~ ${kqlString(props.logicAppName)} and resource_actionName_s == "evaluate-tenant"`,
        '| extend Tenant = tostring(trackedProperties_tenant_s), PercentOfBudget = todouble(trackedProperties_percentOfBudget_s)',
        `| where PercentOfBudget >= ${threshold}`,
        '| summarize PercentOfBudget = max(PercentOfBudget) by Tenant',
      ].join('\n');
    const alert = (
      alertId: string,
      name: string,
      severity: number,
      threshold: number,
      actionGroupIds: readonly string[],
      description: string,
    ) =>
      new MonitorScheduledQueryRulesAlertV2(this, alertId, {
        name,
        displayName: name,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        scopes: [props.workspace.resourceId],
        description,
        severity,
        evaluationFrequency: 'PT1H',
        windowDuration: 'PT2H',
        autoMitigationEnabled: true,
        enabled: true,
        criteria: [
          {
            query: evaluations(threshold),
            timeAggregationMethod: 'Maximum',
            metricMeasureColumn: 'PercentOfBudget',
            operator: 'GreaterThanOrEqual',
            threshold,
            failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 },
            dimension: [{ name: 'Tenant', operator: 'Include', values: ['*'] }],
          },
        ],
        ...(actionGroupIds.length > 0 ? { action: { actionGroups: [...actionGroupIds] } } : {}),
      });
    this.warningAlert = alert(
      'WarningAlert',
      props.alerts.warningName,
      2,
      BUDGET_WARNING_PERCENT,
      props.alerts.warningActionGroupIds,
      `A tenant has spent ${BUDGET_WARNING_PERCENT} % or more of its monthly budget (${props.currency}, priced from the usage ledger). At ${BUDGET_SUSPENSION_PERCENT} % the budget automation suspends its gateway subscription. The alert names the tenant (dimension Tenant): tell its owner; raise the budget in the tenant registry if the spend is expected.`,
    );
    this.suspensionAlert = alert(
      'SuspensionAlert',
      props.alerts.suspensionName,
      1,
      BUDGET_SUSPENSION_PERCENT,
      props.alerts.suspensionActionGroupIds,
      `A tenant has spent its whole monthly budget: the budget automation ${props.logicAppName} suspended its gateway subscription (the subscription's state comment says when and why). Re-activate it after raising the budget, or at the start of the month.`,
    );
  }
}
