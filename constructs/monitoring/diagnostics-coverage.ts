/**
 * "Every resource that supports diagnostic settings sends them to the environment's workspace", as a table, a pure
 * check over a stack's resources, and an Aspect that reports what is missing.
 *
 * What the table covers: every Terraform resource type this blueprint creates or is expected to create (azurerm and
 * azapi, the latter by ARM type), each either REQUIRED (it has resource logs, or metrics we want in the workspace)
 * or EXEMPT with the reason. Resource types with log categories come from Azure's supported-logs index
 * (https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index). Types that only have
 * platform metrics (private endpoints, NICs, private DNS zones) are exempt: Azure Monitor keeps platform metrics for
 * 93 days without any setting, and they carry no audit trail. A type missing from the table is "unclassified": the
 * aspect warns and the coverage test fails, so a new resource type cannot slip in unreviewed.
 */
import {
  Annotations,
  DefaultTokenResolver,
  type IAspect,
  StringConcat,
  TerraformResource,
  TerraformStack,
  Tokenization,
} from 'cdktf';
import type { IConstruct } from 'constructs';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import type { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { AzapiResource } from '../shared/azapi';

export type CoverageRule =
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

function child(parent: string): CoverageRule {
  return { required: false, why: `child of ${parent}: its operations are in the parent's resource logs` };
}

/** Rules by Terraform resource type. */
export const DIAGNOSTICS_TABLE: Readonly<Record<string, CoverageRule>> = {
  azurerm_cognitive_account: {
    required: true,
    why: `Audit, RequestResponse, Trace (${SUPPORTED_LOGS}/microsoft-cognitiveservices-accounts-logs)`,
  },
  azurerm_key_vault: { required: true, why: `AuditEvent (${SUPPORTED_LOGS}/microsoft-keyvault-vaults-logs)` },
  azurerm_storage_account: {
    required: true,
    targets: ['', '/blobServices/default'],
    why: `account: Transaction metrics; blob service: StorageRead/Write/Delete (${SUPPORTED_LOGS}/microsoft-storage-storageaccounts-blobservices-logs)`,
  },
  azurerm_api_management: {
    required: true,
    dedicated: true,
    why: `GatewayLogs, GatewayLlmLogs into ApiManagementGatewayLogs / ApiManagementGatewayLlmLog (${SUPPORTED_LOGS}/microsoft-apimanagement-service-logs)`,
  },
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

  azurerm_resource_group: {
    required: false,
    why: 'no diagnostic settings: control-plane events are in the subscription Activity log',
  },
  azurerm_cognitive_deployment: child('the model account'),
  azurerm_cognitive_account_rai_policy: child('the model account'),
  azurerm_cognitive_account_rai_blocklist: child('the model account'),
  azurerm_storage_container: child('the blob service'),
  azurerm_storage_management_policy: child('the storage account'),
  azurerm_key_vault_secret: child('the Key Vault'),
  azurerm_key_vault_key: child('the Key Vault'),
  azurerm_key_vault_certificate: child('the Key Vault'),
  azurerm_monitor_diagnostic_setting: { required: false, why: NO_SETTINGS },
  azurerm_monitor_action_group: { required: false, why: NO_SETTINGS },
  azurerm_monitor_metric_alert: { required: false, why: NO_SETTINGS },
  azurerm_monitor_scheduled_query_rules_alert_v2: { required: false, why: NO_SETTINGS },
  azurerm_application_insights_workbook: { required: false, why: NO_SETTINGS },
  azurerm_consumption_budget_subscription: { required: false, why: NO_SETTINGS },
  azurerm_consumption_budget_resource_group: { required: false, why: NO_SETTINGS },
  azurerm_role_assignment: { required: false, why: NO_SETTINGS },
  azurerm_management_lock: { required: false, why: NO_SETTINGS },
  azurerm_user_assigned_identity: { required: false, why: NO_SETTINGS },
  azurerm_federated_identity_credential: { required: false, why: NO_SETTINGS },
  azurerm_subnet: { required: false, why: `${NO_SETTINGS}; the VNet's setting covers it` },
  azurerm_subnet_network_security_group_association: { required: false, why: NO_SETTINGS },
  azurerm_virtual_network_peering: { required: false, why: NO_SETTINGS },
  azurerm_private_endpoint: { required: false, why: METRICS_ONLY },
  azurerm_network_interface: { required: false, why: METRICS_ONLY },
  azurerm_private_dns_zone: { required: false, why: METRICS_ONLY },
  azurerm_private_dns_zone_virtual_network_link: { required: false, why: NO_SETTINGS },
  azurerm_private_dns_a_record: { required: false, why: NO_SETTINGS },
  azapi_update_resource: {
    required: false,
    why: 'patches a resource that the table covers under its own type',
  },
};

/** Rules by ARM type, for `azapi_resource` (without the API version). */
export const DIAGNOSTICS_TABLE_BY_ARM_TYPE: Readonly<Record<string, CoverageRule>> = {
  'Microsoft.ApiManagement/service': DIAGNOSTICS_TABLE['azurerm_api_management']!,
  'Microsoft.CognitiveServices/accounts': DIAGNOSTICS_TABLE['azurerm_cognitive_account']!,
  'Microsoft.KeyVault/vaults': DIAGNOSTICS_TABLE['azurerm_key_vault']!,
};

/** Families classified by prefix, after the exact tables. */
const PREFIX_RULES: readonly { readonly prefix: string; readonly rule: CoverageRule }[] = [
  { prefix: 'azurerm_api_management_', rule: child('API Management') },
  { prefix: 'random_', rule: { required: false, why: 'not an Azure resource' } },
  { prefix: 'time_', rule: { required: false, why: 'not an Azure resource' } },
  { prefix: 'arm:Microsoft.ApiManagement/service/', rule: child('API Management') },
  { prefix: 'arm:Microsoft.CognitiveServices/accounts/', rule: child('the model account') },
  { prefix: 'arm:Microsoft.KeyVault/vaults/', rule: child('the Key Vault') },
  { prefix: 'arm:Microsoft.Storage/storageAccounts/', rule: child('the storage account') },
  { prefix: 'arm:Microsoft.Network/privateDnsZones/', rule: { required: false, why: NO_SETTINGS } },
];

/** One resource of a stack. */
export interface StackResource {
  /** Terraform type, e.g. `azurerm_key_vault`. */
  readonly type: string;
  /** `type.logicalId`. */
  readonly address: string;
  /** For `azapi_resource`: the ARM type with or without `@version`. */
  readonly armType?: string;
}

/** One diagnostic setting of a stack, its references resolved (`${azurerm_x.y.id}`). */
export interface StackDiagnosticSetting {
  readonly address: string;
  readonly target: string;
  readonly workspace: string;
  readonly destinationType?: string;
}

/** The rule for a resource, or undefined when the table does not know its type. */
export function coverageRule(resource: Pick<StackResource, 'type' | 'armType'>): CoverageRule | undefined {
  const arm = resource.armType?.split('@')[0];
  if (resource.type === 'azapi_resource' && arm) {
    const exact = DIAGNOSTICS_TABLE_BY_ARM_TYPE[arm];
    if (exact) return exact;
    return PREFIX_RULES.find((p) => `arm:${arm}`.startsWith(p.prefix))?.rule;
  }
  return (
    DIAGNOSTICS_TABLE[resource.type] ?? PREFIX_RULES.find((p) => resource.type.startsWith(p.prefix))?.rule
  );
}

export interface CoverageReport {
  /** Required targets that have a setting to the workspace: `address` + suffix. */
  readonly covered: readonly string[];
  /** Required targets without one, with what was expected. */
  readonly missing: readonly {
    readonly address: string;
    readonly target: string;
    readonly problem: string;
  }[];
  /** Resources whose type the table does not know. */
  readonly unclassified: readonly StackResource[];
  /** Share of required targets covered, 0–100 (100 when nothing is required). */
  readonly percent: number;
}

/**
 * Which resources send diagnostics to the workspace at `workspaceAddress` (`azurerm_log_analytics_workspace.x`).
 */
export function diagnosticsCoverage(
  resources: readonly StackResource[],
  settings: readonly StackDiagnosticSetting[],
  workspaceAddress: string,
  /** How settings refer to the workspace. @default - `${<workspaceAddress>.id}` (the workspace is in the stack) */
  workspaceReference = `\${${workspaceAddress}.id}`,
): CoverageReport {
  const covered: string[] = [];
  const missing: { address: string; target: string; problem: string }[] = [];
  const unclassified: StackResource[] = [];
  const workspace = workspaceReference;
  for (const resource of resources) {
    const rule = coverageRule(resource);
    if (!rule) {
      unclassified.push(resource);
      continue;
    }
    if (!rule.required) continue;
    for (const suffix of rule.targets ?? ['']) {
      const target = `\${${resource.address}.id}${suffix}`;
      const onTarget = settings.filter((s) => s.target === target);
      const toWorkspace = onTarget.filter((s) => s.workspace === workspace);
      const problem =
        onTarget.length === 0
          ? `no diagnostic setting (${rule.why})`
          : toWorkspace.length === 0
            ? "its diagnostic setting does not write to the environment's workspace"
            : rule.dedicated && !toWorkspace.some((s) => s.destinationType === 'Dedicated')
              ? 'its diagnostic setting must use resource-specific tables (log_analytics_destination_type = "Dedicated")'
              : undefined;
      if (problem) missing.push({ address: resource.address, target, problem });
      else covered.push(`${resource.address}${suffix}`);
    }
  }
  const total = covered.length + missing.length;
  return { covered, missing, unclassified, percent: total === 0 ? 100 : (100 * covered.length) / total };
}

/** The resources and diagnostic settings of a stack's construct tree, references resolved. */
function fromConstructTree(stack: TerraformStack): {
  resources: StackResource[];
  settings: StackDiagnosticSetting[];
  byAddress: Map<string, TerraformResource>;
  resolve: (value: unknown, preparing?: boolean) => string;
} {
  const resources: StackResource[] = [];
  const settings: StackDiagnosticSetting[] = [];
  const byAddress = new Map<string, TerraformResource>();
  const resolver = new DefaultTokenResolver(new StringConcat());
  // `preparing` resolves a reference to another stack as cdktf wires it: through the remote state of that stack.
  const resolve = (value: unknown, preparing = false) =>
    String(Tokenization.resolve(value, { scope: stack, resolver, preparing }));
  for (const node of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(node)) continue;
    const address = `${node.terraformResourceType}.${stack.getLogicalId(node)}`;
    byAddress.set(address, node);
    resources.push({
      type: node.terraformResourceType,
      address,
      ...(node instanceof AzapiResource ? { armType: node.armType } : {}),
    });
    if (node instanceof MonitorDiagnosticSetting) {
      const destination = node.logAnalyticsDestinationTypeInput;
      settings.push({
        address,
        target: resolve(node.targetResourceIdInput),
        workspace: resolve(node.logAnalyticsWorkspaceIdInput),
        ...(destination === undefined ? {} : { destinationType: resolve(destination) }),
      });
    }
  }
  return { resources, settings, byAddress, resolve };
}

/**
 * Reports, on each resource, a missing diagnostic setting as an error (synth fails) and an unclassified resource
 * type as a warning. Add it to the stack: `Aspects.of(stack).add(new DiagnosticsCoverageAspect(workspace))`.
 */
export class DiagnosticsCoverageAspect implements IAspect {
  constructor(private readonly workspace: LogAnalyticsWorkspace) {}

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const { resources, settings, byAddress, resolve } = fromConstructTree(node);
    const workspaceAddress = `${this.workspace.terraformResourceType}.${node.getLogicalId(this.workspace)}`;
    // In another stack (a tenant shard), settings reach the workspace through a cross-stack reference.
    const report =
      TerraformStack.of(this.workspace) === node
        ? diagnosticsCoverage(resources, settings, workspaceAddress)
        : diagnosticsCoverage(resources, settings, workspaceAddress, resolve(this.workspace.id, true));
    for (const gap of report.missing) {
      Annotations.of(byAddress.get(gap.address)!).addError(
        `diagnostics: ${gap.target.replace(/^\$\{|\.id\}/g, '')}: ${gap.problem}`,
      );
    }
    for (const resource of report.unclassified) {
      Annotations.of(byAddress.get(resource.address)!).addWarning(
        `diagnostics: resource type ${resource.armType ?? resource.type} is not in the diagnostics table (constructs/monitoring/diagnostics-coverage.ts); classify it as required or exempt with a reason`,
      );
    }
  }
}
