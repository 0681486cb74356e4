/**
 * Diagnostics: "every resource that supports diagnostic settings sends them to the environment's workspace", as one
 * table and two rules that read it.
 *
 * The table classifies every resource type this blueprint creates or is expected to create (azurerm by Terraform
 * type, azapi by ARM type), each either REQUIRED (it has resource logs, or metrics we want in the workspace) or
 * EXEMPT with the reason. Types with log categories come from Azure's supported-logs index
 * (https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index). Types that only have
 * platform metrics (private endpoints, NICs, private DNS zones) are exempt: Azure Monitor keeps platform metrics for
 * 93 days without any setting, and they carry no audit trail. A type missing from the table fails
 * `LZ.Monitor.DiagnosticsClassified` (a warning), so a new resource type cannot slip in unreviewed.
 */
import { isArmResourceIdOf } from '../../arm-id';
import { blocks, type PlanResource, type StackPlan } from '../../plan';
import { check, fail, notApplicable, pass, rule } from '../rule';

export type DiagnosticsClass =
  | {
      readonly required: true;
      /** Suffixes of the resource id that each need a setting: `''` (the resource), `/blobServices/default`. */
      readonly targets?: readonly string[];
      /** The setting must write to resource-specific tables (`log_analytics_destination_type = Dedicated`). */
      readonly dedicated?: boolean;
      /** What the setting collects, and where that is documented. */
      readonly why: string;
    }
  | { readonly required: false; readonly why: string };

const SUPPORTED_LOGS = 'https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs';
const NO_SETTINGS = 'no diagnostic settings for this type (not in the supported-logs index)';
const METRICS_ONLY =
  'platform metrics only, no resource logs: Azure Monitor keeps them 93 days without a diagnostic setting';

function childOf(parent: string): DiagnosticsClass {
  return { required: false, why: `child of ${parent}: its operations are in the parent's resource logs` };
}

const MODEL_ACCOUNT: DiagnosticsClass = {
  required: true,
  why: `Audit, RequestResponse, Trace (${SUPPORTED_LOGS}/microsoft-cognitiveservices-accounts-logs)`,
};
const KEY_VAULT: DiagnosticsClass = {
  required: true,
  why: `AuditEvent (${SUPPORTED_LOGS}/microsoft-keyvault-vaults-logs)`,
};
const GATEWAY: DiagnosticsClass = {
  required: true,
  dedicated: true,
  why: `GatewayLogs, GatewayLlmLogs into ApiManagementGatewayLogs / ApiManagementGatewayLlmLog (${SUPPORTED_LOGS}/microsoft-apimanagement-service-logs)`,
};

/** The class of each resource type: Terraform types, and ARM types for azapi resources. */
export const DIAGNOSTICS_TABLE: Readonly<Record<string, DiagnosticsClass>> = {
  azurerm_cognitive_account: MODEL_ACCOUNT,
  azurerm_key_vault: KEY_VAULT,
  azurerm_storage_account: {
    required: true,
    targets: ['', '/blobServices/default'],
    why: `account: Transaction metrics; blob service: StorageRead/Write/Delete (${SUPPORTED_LOGS}/microsoft-storage-storageaccounts-blobservices-logs)`,
  },
  azurerm_api_management: GATEWAY,
  azurerm_log_analytics_workspace: {
    required: true,
    why: `Audit: every query run against the workspace, LAQueryLogs (${SUPPORTED_LOGS}/microsoft-operationalinsights-workspaces-logs)`,
  },
  azurerm_application_insights: {
    required: true,
    why: `metrics only: workspace-based, so its telemetry already lands in the workspace and exporting the App* log categories again would ingest it twice (${SUPPORTED_LOGS}/microsoft-insights-components-logs)`,
  },
  azurerm_network_security_group: {
    required: true,
    why: `NetworkSecurityGroupEvent, NetworkSecurityGroupRuleCounter (${SUPPORTED_LOGS}/microsoft-network-networksecuritygroups-logs)`,
  },
  azurerm_virtual_network: {
    required: true,
    why: `VMProtectionAlerts and metrics (${SUPPORTED_LOGS}/microsoft-network-virtualnetworks-logs)`,
  },
  azurerm_public_ip: {
    required: true,
    why: `DDoS protection logs (${SUPPORTED_LOGS}/microsoft-network-publicipaddresses-logs)`,
  },
  azurerm_application_gateway: {
    required: true,
    why: `ApplicationGatewayAccessLog, ApplicationGatewayPerformanceLog, ApplicationGatewayFirewallLog: what the WAF blocked and why (${SUPPORTED_LOGS}/microsoft-network-applicationgateways-logs)`,
  },
  azurerm_redis_cache: {
    required: true,
    why: `ConnectedClientList (${SUPPORTED_LOGS}/microsoft-cache-redis-logs)`,
  },
  azurerm_eventhub_namespace: {
    required: true,
    why: `ArchiveLogs, OperationalLogs, RuntimeAuditLogs (${SUPPORTED_LOGS}/microsoft-eventhub-namespaces-logs)`,
  },
  azurerm_search_service: {
    required: true,
    why: `OperationLogs (${SUPPORTED_LOGS}/microsoft-search-searchservices-logs)`,
  },
  azurerm_cosmosdb_account: {
    required: true,
    why: `DataPlaneRequests and more (${SUPPORTED_LOGS}/microsoft-documentdb-databaseaccounts-logs)`,
  },
  azurerm_eventhub: childOf('the Event Hubs namespace'),
  azurerm_eventhub_consumer_group: childOf('the Event Hubs namespace'),
  azurerm_log_analytics_workspace_table_custom_log: childOf('the Log Analytics workspace'),
  azurerm_monitor_data_collection_endpoint: { required: false, why: NO_SETTINGS },
  azurerm_monitor_data_collection_rule: {
    required: false,
    why: `${NO_SETTINGS}; ingestion errors of the rule land in the workspace's Operation table`,
  },
  azurerm_monitor_data_collection_rule_association: { required: false, why: NO_SETTINGS },
  azurerm_role_definition: { required: false, why: NO_SETTINGS },
  azurerm_logic_app_workflow: {
    required: true,
    why: `WorkflowRuntime: every run of the workflow and its actions (${SUPPORTED_LOGS}/microsoft-logic-workflows-logs)`,
  },
  azurerm_logic_app_trigger_recurrence: childOf('the Logic App workflow'),
  azurerm_logic_app_action_custom: childOf('the Logic App workflow'),
  'Microsoft.Logic/workflows': {
    required: true,
    why: `WorkflowRuntime: every run of the workflow and its actions (${SUPPORTED_LOGS}/microsoft-logic-workflows-logs)`,
  },
  'Microsoft.ApiManagement/service': GATEWAY,
  'Microsoft.CognitiveServices/accounts': MODEL_ACCOUNT,
  'Microsoft.KeyVault/vaults': KEY_VAULT,
  'Microsoft.Cache/redisEnterprise': {
    required: true,
    why: `metrics: memory, connections, server load (${SUPPORTED_LOGS}/../supported-metrics/microsoft-cache-redisenterprise-metrics)`,
  },
  'Microsoft.Cache/redisEnterprise/databases': {
    required: true,
    why: `ConnectionEvents: who connected and authenticated (${SUPPORTED_LOGS}/microsoft-cache-redisenterprise-databases-logs)`,
  },

  azurerm_resource_group: {
    required: false,
    why: 'no diagnostic settings: control-plane events are in the subscription Activity log',
  },
  azurerm_cognitive_deployment: childOf('the model account'),
  azurerm_cognitive_account_rai_policy: childOf('the model account'),
  azurerm_cognitive_account_rai_blocklist: childOf('the model account'),
  // A Foundry project has no diagnostic settings of its own: its requests are logged by the Foundry account.
  azurerm_cognitive_account_project: childOf('the Foundry account'),
  azurerm_storage_container: childOf('the blob service'),
  azurerm_storage_management_policy: childOf('the storage account'),
  azurerm_key_vault_secret: childOf('the Key Vault'),
  azurerm_key_vault_key: childOf('the Key Vault'),
  azurerm_key_vault_certificate: childOf('the Key Vault'),
  azurerm_monitor_diagnostic_setting: { required: false, why: NO_SETTINGS },
  azurerm_monitor_action_group: { required: false, why: NO_SETTINGS },
  azurerm_monitor_metric_alert: { required: false, why: NO_SETTINGS },
  azurerm_monitor_scheduled_query_rules_alert_v2: { required: false, why: NO_SETTINGS },
  azurerm_application_insights_workbook: { required: false, why: NO_SETTINGS },
  azurerm_consumption_budget_subscription: { required: false, why: NO_SETTINGS },
  azurerm_consumption_budget_resource_group: { required: false, why: NO_SETTINGS },
  azurerm_role_assignment: { required: false, why: NO_SETTINGS },
  azurerm_resource_group_policy_assignment: { required: false, why: NO_SETTINGS },
  azurerm_subscription_policy_assignment: { required: false, why: NO_SETTINGS },
  azurerm_resource_policy_exemption: { required: false, why: NO_SETTINGS },
  azurerm_security_center_subscription_pricing: { required: false, why: NO_SETTINGS },
  azurerm_management_lock: { required: false, why: NO_SETTINGS },
  azurerm_user_assigned_identity: { required: false, why: NO_SETTINGS },
  azurerm_web_application_firewall_policy: {
    required: false,
    why: `${NO_SETTINGS}; the Application Gateway's firewall log records what the policy matched`,
  },
  azurerm_federated_identity_credential: { required: false, why: NO_SETTINGS },
  azurerm_subnet: { required: false, why: `${NO_SETTINGS}; the VNet's setting covers it` },
  azurerm_subnet_network_security_group_association: { required: false, why: NO_SETTINGS },
  azurerm_virtual_network_peering: { required: false, why: NO_SETTINGS },
  azurerm_private_endpoint: { required: false, why: METRICS_ONLY },
  azurerm_network_interface: { required: false, why: METRICS_ONLY },
  azurerm_private_dns_zone: { required: false, why: METRICS_ONLY },
  azurerm_private_dns_zone_virtual_network_link: { required: false, why: NO_SETTINGS },
  azurerm_private_dns_a_record: { required: false, why: NO_SETTINGS },
  azurerm_monitor_private_link_scope: {
    required: false,
    why: `${NO_SETTINGS}; its private endpoint's traffic is the workspace's and Application Insights' own ingestion and queries`,
  },
  azurerm_monitor_private_link_scoped_service: childOf('the Azure Monitor Private Link Scope'),
  azapi_update_resource: {
    required: false,
    why: 'patches a resource that the table covers under its own type',
  },
};

/** Families classified by prefix of the Terraform type or the ARM type, after the exact entries. */
const PREFIXES: readonly { readonly prefix: string; readonly class: DiagnosticsClass }[] = [
  { prefix: 'azurerm_api_management_', class: childOf('API Management') },
  { prefix: 'random_', class: { required: false, why: 'not an Azure resource' } },
  { prefix: 'time_', class: { required: false, why: 'not an Azure resource' } },
  { prefix: 'Microsoft.ApiManagement/service/', class: childOf('API Management') },
  { prefix: 'Microsoft.CognitiveServices/accounts/', class: childOf('the model account') },
  { prefix: 'Microsoft.KeyVault/vaults/', class: childOf('the Key Vault') },
  { prefix: 'Microsoft.Storage/storageAccounts/', class: childOf('the storage account') },
  { prefix: 'Microsoft.Network/privateDnsZones/', class: { required: false, why: NO_SETTINGS } },
];

/** The class of a resource (an azapi resource by its ARM type), or undefined when the table does not know it. */
export function diagnosticsClass(
  resource: Pick<PlanResource, 'type' | 'armType'>,
): DiagnosticsClass | undefined {
  const key = resource.type === 'azapi_resource' ? resource.armType : resource.type;
  if (key === undefined) return undefined;
  return DIAGNOSTICS_TABLE[key] ?? PREFIXES.find((p) => key.startsWith(p.prefix))?.class;
}

const SETTING = 'azurerm_monitor_diagnostic_setting';

/** Diagnostic settings whose target is `resource` itself plus `suffix` (`/blobServices/default`). */
export function diagnosticSettingsOn(plan: StackPlan, resource: PlanResource, suffix = ''): PlanResource[] {
  const target = `${plan.ref(resource)}${suffix}`;
  return plan
    .referrers(resource)
    .filter((s) => s.type === SETTING && s.config['target_resource_id'] === target);
}

/** What is wrong with the diagnostics of one target, or undefined when a setting covers it. */
function targetProblem(
  plan: StackPlan,
  resource: PlanResource,
  suffix: string,
  required: Extract<DiagnosticsClass, { required: true }>,
): string | undefined {
  const settings = diagnosticSettingsOn(plan, resource, suffix);
  const target = `${resource.address}${suffix}`;
  if (settings.length === 0) return `${target}: no diagnostic setting (${required.why})`;
  // The workspace of the plan, or a bring-your-own workspace given by its ARM id (monitoring.existing.workspaceId).
  const toWorkspace = settings.filter(
    (s) =>
      (plan.resolve(s.config['log_analytics_workspace_id'])?.type === 'azurerm_log_analytics_workspace' ||
        isArmResourceIdOf(
          String(s.config['log_analytics_workspace_id']),
          'Microsoft.OperationalInsights/workspaces',
        )) &&
      (blocks(s.config['enabled_log']).length > 0 || blocks(s.config['enabled_metric']).length > 0),
  );
  if (toWorkspace.length === 0)
    return `${target}: its diagnostic setting does not send logs or metrics to the environment's workspace`;
  if (
    required.dedicated &&
    !toWorkspace.some((s) => s.config['log_analytics_destination_type'] === 'Dedicated')
  )
    return `${target}: its diagnostic setting must use resource-specific tables (log_analytics_destination_type = "Dedicated")`;
  return undefined;
}

export const DIAGNOSTICS_RULES = [
  rule({
    id: 'LZ.Monitor.ResourceDiagnostics',
    title:
      'Services, network resources and the monitoring itself send their logs and metrics to the workspace',
    severity: 'medium',
    appliesTo: Object.entries(DIAGNOSTICS_TABLE)
      .filter(([, c]) => c.required)
      .map(([type]) => type),
    sources: [
      'own: MCSB LT-3 and LT-4 (enable logging for Azure resources and network)',
      `${SUPPORTED_LOGS}/logs-index`,
    ],
    fix: "Pass diagnosticSettings (monitoring.diagnostics()) to the construct: a setting on each target, to the environment's workspace.",
    check: (r, plan) => {
      const required = diagnosticsClass(r);
      if (!required?.required) return notApplicable();
      const problems = (required.targets ?? [''])
        .map((suffix) => targetProblem(plan, r, suffix, required))
        .filter((p): p is string => p !== undefined);
      return problems.length === 0 ? pass() : fail(problems.join('; '));
    },
  }),
  rule({
    id: 'LZ.Monitor.DiagnosticsClassified',
    title: 'Every resource type is classified for diagnostics: required, or exempt with a reason',
    severity: 'low',
    appliesTo: ['*'],
    enforcement: 'warning',
    sources: [`own: review each new resource type against ${SUPPORTED_LOGS}/logs-index`],
    fix: 'Add the type to DIAGNOSTICS_TABLE in constructs/shared/policy/rules/diagnostics.ts, as required or exempt with why.',
    check: (r) =>
      check(
        diagnosticsClass(r) !== undefined,
        `resource type ${r.armType ?? r.type} is not in the diagnostics table; classify it as required or exempt with a reason`,
      ),
  }),
] as const;
