/**
 * Every platform metric and log table the alerts and the workbook use, copied from Azure's reference pages. The
 * dimension lists are the documented ones, so a test can check that no alert filters on a dimension Azure does not
 * emit. Keep this file the single place where a metric name is spelled.
 */

/** Azure Monitor's supported-metrics pages, one per resource type. */
const METRICS_REFERENCE = {
  cognitiveServices:
    'https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-cognitiveservices-accounts-metrics',
  apiManagement:
    'https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-apimanagement-service-metrics',
  keyVault:
    'https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-keyvault-vaults-metrics',
} as const;

/** A platform metric as Azure Monitor names it, with the aggregations and dimensions its reference page lists. */
export interface PlatformMetric {
  readonly namespace: string;
  readonly name: string;
  readonly unit: 'Count' | 'Percent' | 'MilliSeconds';
  readonly aggregations: readonly ('Average' | 'Minimum' | 'Maximum' | 'Total' | 'Count')[];
  readonly dimensions: readonly string[];
  readonly reference: string;
}

const COGNITIVE = 'Microsoft.CognitiveServices/accounts';
const APIM = 'Microsoft.ApiManagement/service';
const KEY_VAULT = 'Microsoft.KeyVault/vaults';
const AOAI_REQUEST_DIMENSIONS = [
  'ApiName',
  'OperationName',
  'Region',
  'StreamType',
  'ModelDeploymentName',
  'ModelName',
  'ModelVersion',
];

export const METRICS = {
  /** "Azure OpenAI Requests": calls to the Azure OpenAI API, split by StatusCode (429 = throttled). */
  azureOpenAIRequests: {
    namespace: COGNITIVE,
    name: 'AzureOpenAIRequests',
    unit: 'Count',
    aggregations: ['Total'],
    dimensions: [
      ...AOAI_REQUEST_DIMENSIONS,
      'StatusCode',
      'IsSpillover',
      'ServiceTierRequest',
      'ServiceTierResponse',
    ],
    reference: METRICS_REFERENCE.cognitiveServices,
  },
  /** "Azure OpenAI AvailabilityRate": (total calls − calls answered ≥ 500) / total calls, in percent. */
  azureOpenAIAvailabilityRate: {
    namespace: COGNITIVE,
    name: 'AzureOpenAIAvailabilityRate',
    unit: 'Percent',
    aggregations: ['Minimum', 'Maximum', 'Average'],
    dimensions: AOAI_REQUEST_DIMENSIONS,
    reference: METRICS_REFERENCE.cognitiveServices,
  },
  /** "Time to Response": the recommended latency measure, as the service's API gateway measures it. */
  azureOpenAITimeToResponse: {
    namespace: COGNITIVE,
    name: 'AzureOpenAITimeToResponse',
    unit: 'MilliSeconds',
    aggregations: ['Minimum', 'Maximum', 'Average'],
    dimensions: [...AOAI_REQUEST_DIMENSIONS, 'StatusCode'],
    reference: METRICS_REFERENCE.cognitiveServices,
  },
  /** "Provisioned-managed Utilization V2": PTUs consumed / PTUs deployed; at 100% calls are answered 429. */
  azureOpenAIProvisionedManagedUtilizationV2: {
    namespace: COGNITIVE,
    name: 'AzureOpenAIProvisionedManagedUtilizationV2',
    unit: 'Percent',
    aggregations: ['Minimum', 'Maximum', 'Average'],
    dimensions: ['Region', 'StreamType', 'ModelDeploymentName', 'ModelName', 'ModelVersion'],
    reference: METRICS_REFERENCE.cognitiveServices,
  },
  /** "Blocked Volume": calls rejected by the content filter, split by TextType (prompt or completion). */
  raiRejectedRequests: {
    namespace: COGNITIVE,
    name: 'RAIRejectedRequests',
    unit: 'Count',
    aggregations: ['Total'],
    dimensions: [
      'Region',
      'ModelDeploymentName',
      'ModelName',
      'ModelVersion',
      'ApiName',
      'TextType',
      'Category',
    ],
    reference: METRICS_REFERENCE.cognitiveServices,
  },
  /** "Requests": gateway requests with their gateway and backend response codes. */
  apimRequests: {
    namespace: APIM,
    name: 'Requests',
    unit: 'Count',
    aggregations: ['Total', 'Maximum', 'Minimum'],
    dimensions: [
      'Location',
      'Hostname',
      'LastErrorReason',
      'BackendResponseCode',
      'GatewayResponseCode',
      'BackendResponseCodeCategory',
      'GatewayResponseCodeCategory',
      'ApiId',
    ],
    reference: METRICS_REFERENCE.apiManagement,
  },
  /** "Duration of Backend Requests". */
  apimBackendDuration: {
    namespace: APIM,
    name: 'BackendDuration',
    unit: 'MilliSeconds',
    aggregations: ['Average', 'Maximum', 'Minimum'],
    dimensions: ['Location', 'Hostname', 'ApiId'],
    reference: METRICS_REFERENCE.apiManagement,
  },
  /** "Capacity": classic tiers (Developer, Basic, Standard, Premium). Max shows 0 except on Premium: use Average. */
  apimCapacity: {
    namespace: APIM,
    name: 'Capacity',
    unit: 'Percent',
    aggregations: ['Average', 'Maximum'],
    dimensions: ['Location'],
    reference: METRICS_REFERENCE.apiManagement,
  },
  /** "CPU Percentage of Gateway": v2 tiers. */
  apimCpuPercentGateway: {
    namespace: APIM,
    name: 'CpuPercent_Gateway',
    unit: 'Percent',
    aggregations: ['Average', 'Maximum'],
    dimensions: [],
    reference: METRICS_REFERENCE.apiManagement,
  },
  /** "Memory Percentage of Gateway": v2 tiers. */
  apimMemoryPercentGateway: {
    namespace: APIM,
    name: 'MemoryPercent_Gateway',
    unit: 'Percent',
    aggregations: ['Average', 'Maximum'],
    dimensions: [],
    reference: METRICS_REFERENCE.apiManagement,
  },
  /** "Overall Vault Availability". */
  keyVaultAvailability: {
    namespace: KEY_VAULT,
    name: 'Availability',
    unit: 'Percent',
    aggregations: ['Average'],
    dimensions: ['ActivityType', 'ActivityName', 'StatusCode', 'StatusCodeClass'],
    reference: METRICS_REFERENCE.keyVault,
  },
  /** "Total Service Api Results", split by StatusCode (401, 403 = unauthenticated, forbidden). */
  keyVaultServiceApiResult: {
    namespace: KEY_VAULT,
    name: 'ServiceApiResult',
    unit: 'Count',
    aggregations: ['Count'],
    dimensions: ['ActivityType', 'ActivityName', 'StatusCode', 'StatusCodeClass'],
    reference: METRICS_REFERENCE.keyVault,
  },
} as const satisfies Record<string, PlatformMetric>;

/**
 * Log tables, from the Azure Monitor Logs table reference
 * (https://learn.microsoft.com/azure/azure-monitor/reference/tables/<table>). The gateway tables exist only when the
 * API Management diagnostic setting uses resource-specific (Dedicated) tables; App Insights' own names (`requests`,
 * `customMetrics`) are valid in queries scoped to the Application Insights resource.
 */
export const LOG_TABLES = {
  /** One row per gateway request: ResponseCode, BackendResponseCode, BackendId, BackendTime, TotalTime, LastError*. */
  gatewayLogs: 'ApiManagementGatewayLogs',
  /** One row per LLM exchange: ModelName, DeploymentName, PromptTokens, CompletionTokens, TotalTokens, CorrelationId. */
  gatewayLlmLog: 'ApiManagementGatewayLlmLog',
  /** App Insights custom metrics; `llm-emit-token-metric` writes its token counts here. */
  customMetrics: 'customMetrics',
  /** App Insights custom events; continuous evaluation sends its scores here (`GenAIOpsEvaluation`). */
  customEvents: 'customEvents',
  /** App Insights request telemetry of the gateway (one per client request). */
  requests: 'requests',
  /** App Insights dependency telemetry of the gateway (its calls to the model backends). */
  dependencies: 'dependencies',
} as const;

/**
 * The token metrics `llm-emit-token-metric` emits ("Token count metrics include: Total Tokens, Prompt Tokens, and
 * Completion Tokens", https://learn.microsoft.com/azure/api-management/llm-emit-token-metric-policy).
 */
export const TOKEN_METRICS = {
  total: 'Total Tokens',
  prompt: 'Prompt Tokens',
  completion: 'Completion Tokens',
} as const;

/**
 * The custom dimensions the gateway puts on its token metrics (the gateway's `llm-emit-token-metric`): `Tenant` is
 * the tenant's slug (its API Management product id), `Model` the deployment the client called. The tenant alert and
 * the chargeback views split by them, so the names are a contract with the gateway.
 */
export const TOKEN_METRIC_DIMENSIONS = { tenant: 'Tenant', model: 'Model' } as const;

/** The policy whose blocks the gateway logs as LastErrorSource (error source = the policy's name). */
export const CONTENT_SAFETY_POLICY = 'llm-content-safety';
