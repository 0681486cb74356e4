import {
  CONTENT_SAFETY_POLICY,
  DECAY_EVENT,
  LOG_TABLES,
  TOKEN_METRIC_DIMENSIONS,
  TOKEN_METRICS,
} from '../shared/catalog';
import { kqlString } from '../shared/kql';
/**
 * The operations workbook, built from typed items rather than a hand-edited JSON blob. The item shapes follow the
 * Azure Workbooks JSON format (https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json):
 * type 1 text, 3 query, 9 parameters; queries run against Log Analytics (gateway tables) or against Application
 * Insights (`customMetrics`, `requests`, `dependencies`), each with its resource in `crossComponentResources`.
 */

export const WORKBOOK_SCHEMA =
  'https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json';

const WORKSPACE = 'microsoft.operationalinsights/workspaces';
const APP_INSIGHTS = 'microsoft.insights/components';

export interface TextItem {
  readonly type: 1;
  readonly name: string;
  readonly content: { readonly json: string };
}

export interface TimeRangeParameter {
  readonly id: string;
  readonly version: 'KqlParameterItem/1.0';
  readonly name: 'TimeRange';
  readonly label: string;
  readonly type: 4;
  readonly isRequired: true;
  readonly typeSettings: {
    readonly selectableValues: readonly { durationMs: number }[];
    readonly allowCustom: true;
  };
  readonly value: { readonly durationMs: number };
}

export interface ParametersItem {
  readonly type: 9;
  readonly name: string;
  readonly content: {
    readonly version: 'KqlParameterItem/1.0';
    readonly parameters: readonly TimeRangeParameter[];
  };
}

export type Visualization = 'table' | 'timechart' | 'barchart' | 'piechart';

export interface QueryItem {
  readonly type: 3;
  readonly name: string;
  readonly content: {
    readonly version: 'KqlItem/1.0';
    readonly title: string;
    readonly query: string;
    readonly size: 0 | 1;
    readonly queryType: 0;
    readonly resourceType: typeof WORKSPACE | typeof APP_INSIGHTS;
    readonly crossComponentResources: readonly string[];
    /** The workbook's time range, unless the item has its own `timeContext`. */
    readonly timeContextFromParameter?: 'TimeRange';
    /** A fixed time range: the ledger view covers the month, whatever the workbook's range. */
    readonly timeContext?: { readonly durationMs: number };
    readonly visualization: Visualization;
  };
}

export type WorkbookItem = TextItem | ParametersItem | QueryItem;

export interface WorkbookTemplate {
  readonly version: 'Notebook/1.0';
  readonly items: readonly WorkbookItem[];
  readonly fallbackResourceIds: readonly string[];
  readonly $schema: typeof WORKBOOK_SCHEMA;
}

/** The resources the workbook reads. Ids may be Terraform tokens; they are resolved at plan time. */
export interface WorkbookSources {
  /** The Log Analytics workspace (gateway logs). */
  readonly workspaceId: string;
  /** Application Insights (token metrics, request and dependency telemetry). */
  readonly applicationInsightsId: string;
  /**
   * Spillover: among requests for a deployment name that has a PTU backend (`deployments`, the name clients call),
   * the share served by a backend that is not one of the PTU backends (`backendIds`, gateway backend ids).
   * @default - no PTU: the spillover view stays empty
   */
  readonly provisioned?: { readonly deployments: readonly string[]; readonly backendIds: readonly string[] };
  /**
   * The usage ledger's view: month-to-date cost per tenant in the currency (`constructs/finops/ledger-kql.ts` writes
   * the query, with the price table from config). @default - no ledger view
   */
  readonly ledger?: { readonly query: string; readonly currency: string };
}

function text(name: string, markdown: string): TextItem {
  return { type: 1, name, content: { json: markdown } };
}

function query(
  name: string,
  title: string,
  source: { resourceType: QueryItem['content']['resourceType']; resourceId: string },
  lines: readonly string[],
  visualization: Visualization,
): QueryItem {
  return {
    type: 3,
    name,
    content: {
      version: 'KqlItem/1.0',
      title,
      query: lines.join('\n'),
      size: 0,
      queryType: 0,
      resourceType: source.resourceType,
      crossComponentResources: [source.resourceId],
      timeContextFromParameter: 'TimeRange',
      visualization,
    },
  };
}

const HOUR = 3_600_000;

/** The item over the last 31 days instead of the workbook's time range (its query starts at the month's start). */
function monthToDate(item: QueryItem): QueryItem {
  const {
    version,
    title,
    query: kql,
    size,
    queryType,
    resourceType,
    crossComponentResources,
    visualization,
  } = item.content;
  return {
    ...item,
    content: {
      version,
      title,
      query: kql,
      size,
      queryType,
      resourceType,
      crossComponentResources,
      timeContext: { durationMs: 31 * 24 * HOUR },
      visualization,
    },
  };
}
const TIME_RANGE: TimeRangeParameter = {
  id: 'time-range',
  version: 'KqlParameterItem/1.0',
  name: 'TimeRange',
  label: 'Time range',
  type: 4,
  isRequired: true,
  typeSettings: {
    selectableValues: [1, 4, 12, 24, 48, 72, 168, 336, 720].map((hours) => ({ durationMs: hours * HOUR })),
    allowCustom: true,
  },
  value: { durationMs: 24 * HOUR },
};

/** `"a", "b"` for a KQL `dynamic([...])` list. */
function kqlList(values: readonly string[]): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}

/**
 * The operations workbook: chargeback (tokens per tenant and model), latency percentiles, 429s and spillover share,
 * content-safety blocks, errors by backend.
 */
export function operationsWorkbook(sources: WorkbookSources): WorkbookTemplate {
  const workspace = { resourceType: WORKSPACE, resourceId: sources.workspaceId } as const;
  const insights = { resourceType: APP_INSIGHTS, resourceId: sources.applicationInsightsId } as const;
  const gw = LOG_TABLES.gatewayLogs;
  const { tenant, model } = TOKEN_METRIC_DIMENSIONS;
  const tokens = [TOKEN_METRICS.prompt, TOKEN_METRICS.completion, TOKEN_METRICS.total];
  const provisioned = sources.provisioned ?? { deployments: [], backendIds: [] };

  const items: WorkbookItem[] = [
    text(
      'title',
      [
        '# GenAI platform operations',
        'Token usage per tenant and model (chargeback), latency, throttling and spillover, content-safety blocks and errors by backend.',
        `Token metrics come from the gateway's \`llm-emit-token-metric\` (dimensions \`${tenant}\`, \`${model}\`); gateway tables need its diagnostic setting with resource-specific tables.`,
      ].join('\n\n'),
    ),
    { type: 9, name: 'parameters', content: { version: 'KqlParameterItem/1.0', parameters: [TIME_RANGE] } },

    text('chargeback-header', '## Chargeback: tokens per tenant and model'),
    query(
      'tokens-by-tenant-and-model',
      'Tokens per tenant and model',
      insights,
      [
        LOG_TABLES.customMetrics,
        `| where name in (${kqlList(tokens)})`,
        `| extend ${tenant} = tostring(customDimensions[${JSON.stringify(tenant)}]), ${model} = tostring(customDimensions[${JSON.stringify(model)}])`,
        `| summarize PromptTokens = sumif(valueSum, name == ${JSON.stringify(TOKEN_METRICS.prompt)}), CompletionTokens = sumif(valueSum, name == ${JSON.stringify(TOKEN_METRICS.completion)}), TotalTokens = sumif(valueSum, name == ${JSON.stringify(TOKEN_METRICS.total)}) by ${tenant}, ${model}`,
        '| order by TotalTokens desc',
      ],
      'table',
    ),
    query(
      'tokens-over-time',
      'Total tokens per tenant over time',
      insights,
      [
        LOG_TABLES.customMetrics,
        `| where name == ${JSON.stringify(TOKEN_METRICS.total)}`,
        `| extend ${tenant} = tostring(customDimensions[${JSON.stringify(tenant)}])`,
        `| summarize Tokens = sum(valueSum) by ${tenant}, bin(timestamp, 1h)`,
      ],
      'timechart',
    ),
    query(
      'tokens-by-deployment',
      'Tokens per model and deployment (gateway LLM log)',
      workspace,
      [
        LOG_TABLES.gatewayLlmLog,
        '// one exchange may span several rows (SequenceNumber): count each exchange once',
        '| summarize PromptTokens = max(PromptTokens), CompletionTokens = max(CompletionTokens), TotalTokens = max(TotalTokens) by CorrelationId, ModelName, DeploymentName',
        '| summarize Requests = count(), PromptTokens = sum(PromptTokens), CompletionTokens = sum(CompletionTokens), TotalTokens = sum(TotalTokens) by ModelName, DeploymentName',
        '| order by TotalTokens desc',
      ],
      'table',
    ),

    text('latency-header', '## Latency'),
    query(
      'gateway-latency-percentiles',
      'Gateway latency percentiles (total and backend, ms)',
      workspace,
      [
        gw,
        '| summarize TotalP50 = percentile(TotalTime, 50), TotalP95 = percentile(TotalTime, 95), TotalP99 = percentile(TotalTime, 99), BackendP95 = percentile(BackendTime, 95) by bin(TimeGenerated, 15m)',
      ],
      'timechart',
    ),
    query(
      'request-latency-percentiles',
      'Request duration percentiles per operation (Application Insights, ms)',
      insights,
      [
        LOG_TABLES.requests,
        '| summarize Requests = count(), P50 = percentile(duration, 50), P95 = percentile(duration, 95), P99 = percentile(duration, 99) by name',
        '| order by Requests desc',
      ],
      'table',
    ),
    query(
      'continuous-evaluation-scores',
      'Continuous evaluation: scores of the sampled production traffic, by route and evaluator (model decay)',
      insights,
      [
        LOG_TABLES.customEvents,
        `| where name == ${kqlString(DECAY_EVENT)}`,
        '| extend Route = tostring(customDimensions["route"]), Evaluator = tostring(customDimensions["evaluator"])',
        '| extend Score = todouble(customMeasurements["score"]), Threshold = todouble(customMeasurements["threshold"]), Passed = toint(customMeasurements["passed"])',
        '| summarize Runs = count(), FailingRuns = countif(Passed == 0), LowestScore = min(Score), Threshold = max(Threshold) by Route, Evaluator',
        '| order by FailingRuns desc, Route asc',
      ],
      'table',
    ),
    query(
      'backend-latency-percentiles',
      'Model call duration percentiles per backend host (Application Insights dependencies, ms)',
      insights,
      [
        LOG_TABLES.dependencies,
        '| summarize Calls = count(), Failed = countif(success == false), P50 = percentile(duration, 50), P95 = percentile(duration, 95), P99 = percentile(duration, 99) by target',
        '| order by Calls desc',
      ],
      'table',
    ),

    text('throttling-header', '## Throttling and spillover'),
    query(
      'throttling',
      '429s to clients and 429s from model backends',
      workspace,
      [
        gw,
        '| summarize ClientThrottled = countif(ResponseCode == 429), BackendThrottled = countif(BackendResponseCode == 429) by bin(TimeGenerated, 15m)',
      ],
      'timechart',
    ),
    query(
      'spillover',
      'Spillover share: requests for PTU-backed deployments served by pay-as-you-go backends (%)',
      workspace,
      [
        `let provisionedDeployments = dynamic([${kqlList(provisioned.deployments)}]);`,
        `let provisionedBackends = dynamic([${kqlList(provisioned.backendIds)}]);`,
        gw,
        '| extend Deployment = extract(@"/deployments/([^/?]+)", 1, Url)',
        '| where Deployment in (provisionedDeployments) and isnotempty(BackendId)',
        '| summarize Requests = count(), OnProvisioned = countif(BackendId in (provisionedBackends)) by Deployment, bin(TimeGenerated, 15m)',
        '| extend SpilloverPercent = round(100.0 * (Requests - OnProvisioned) / Requests, 1)',
        '| project TimeGenerated, Deployment, SpilloverPercent',
      ],
      'timechart',
    ),
    query(
      'throttling-by-tenant',
      '429s to clients per product (tenant)',
      workspace,
      [
        gw,
        '| where ResponseCode == 429',
        '| summarize Throttled = count() by ProductId',
        '| order by Throttled desc',
      ],
      'barchart',
    ),

    text('safety-header', '## Content safety'),
    query(
      'content-safety-blocks',
      "Requests blocked by the gateway's content-safety check, per product (tenant)",
      workspace,
      [
        gw,
        `| where ResponseCode == 403 and LastErrorSource == ${JSON.stringify(CONTENT_SAFETY_POLICY)}`,
        '| summarize Blocked = count() by ProductId, bin(TimeGenerated, 1h)',
      ],
      'timechart',
    ),

    text('errors-header', '## Errors by backend'),
    query(
      'errors-by-backend',
      'Failed requests by backend, response code and error reason',
      workspace,
      [
        gw,
        '| where ResponseCode >= 400 or BackendResponseCode >= 400',
        '| summarize Requests = count() by BackendId, ResponseCode, BackendResponseCode, LastErrorReason, LastErrorSource',
        '| order by Requests desc',
      ],
      'table',
    ),
    ...(sources.ledger
      ? [
          text(
            'ledger-header',
            `## Usage ledger: cost per tenant this month (${sources.ledger.currency})\n\nEvery gateway request, priced from finops.prices (pay-as-you-go tokens; PTU is the platform's fixed cost). Month to date, whatever the time range above.`,
          ),
          monthToDate(
            query(
              'ledger-cost-per-tenant',
              `Cost per tenant this month (${sources.ledger.currency})`,
              workspace,
              [sources.ledger.query],
              'table',
            ),
          ),
        ]
      : []),
  ];

  for (const item of items) {
    const body = item.type === 1 ? item.content.json : item.type === 3 ? item.content.query : '';
    // Terraform reads `${` and `%{` in a string as template syntax: the text must not contain them.
    if (/[$%]\{/.test(body))
      throw new Error(`workbook item ${item.name} contains \${ or %{, which Terraform would interpret`);
  }

  return {
    version: 'Notebook/1.0',
    items,
    fallbackResourceIds: [sources.workspaceId],
    $schema: WORKBOOK_SCHEMA,
  };
}
