/**
 * The usage ledger's record: one per gateway request, defined once. The gateway policy builds its JSON from these
 * fields (`log-to-eventhub`), the data collection rule parses the event body into the table's columns, and the
 * workbook and the budget alerts query those columns. Prompt and completion content is never a field.
 */

/** Column types of a Log Analytics custom table. */
export type LedgerColumnType = 'datetime' | 'string' | 'int' | 'long';

export interface UsageRecordField {
  /** The key in the event's JSON. */
  readonly key: string;
  /** The column of the ledger table. */
  readonly column: string;
  readonly type: LedgerColumnType;
  readonly description: string;
}

/** The record, in the order of the JSON and of the table's columns. */
export const USAGE_RECORD_FIELDS = [
  { key: 'time', column: 'TimeGenerated', type: 'datetime', description: 'When the gateway answered (UTC).' },
  {
    key: 'tenant',
    column: 'Tenant',
    type: 'string',
    description: 'The tenant slug (its product id); "none" for the all-access subscription.',
  },
  { key: 'product', column: 'Product', type: 'string', description: "The tenant product's display name." },
  { key: 'model', column: 'Model', type: 'string', description: 'The model the deployment serves.' },
  {
    key: 'deployment',
    column: 'Deployment',
    type: 'string',
    description: 'The deployment the client called.',
  },
  {
    key: 'deploymentType',
    column: 'DeploymentType',
    type: 'string',
    description: 'The deployment type of the backend that served (GlobalStandard, ProvisionedManaged, …).',
  },
  { key: 'region', column: 'Region', type: 'string', description: 'The region of the backend that served.' },
  { key: 'backend', column: 'Backend', type: 'string', description: 'The host of the backend that served.' },
  {
    key: 'promptTokens',
    column: 'PromptTokens',
    type: 'long',
    description: 'Input tokens, cached ones included.',
  },
  {
    key: 'completionTokens',
    column: 'CompletionTokens',
    type: 'long',
    description: 'Output tokens; for a streamed response, every token the token limit counted.',
  },
  {
    key: 'cachedTokens',
    column: 'CachedTokens',
    type: 'long',
    description: 'Input tokens served from the prompt cache.',
  },
  { key: 'status', column: 'Status', type: 'int', description: 'The HTTP status returned to the client.' },
  { key: 'requestId', column: 'RequestId', type: 'string', description: "The gateway's request id." },
] as const satisfies readonly UsageRecordField[];

export type UsageRecordKey = (typeof USAGE_RECORD_FIELDS)[number]['key'];

/** The custom table that holds the ledger (custom tables end in `_CL`). */
export const LEDGER_TABLE = 'GenAiUsage_CL';

/** The DCR's stream for Event Hubs ingestion: its columns are fixed by Azure Monitor. */
export const LEDGER_EVENT_HUB_STREAM = 'Custom-GenAiUsageEvents';

/**
 * The DCR transformation: parse the event body (`RawData`) into the ledger's columns. Event Hubs ingestion
 * delivers `TimeGenerated`, `RawData` and `Properties` (Learn, "Ingest events from Azure Event Hubs into Azure
 * Monitor Logs").
 */
export function ledgerTransformKql(): string {
  const conversions: Record<LedgerColumnType, string> = {
    datetime: 'todatetime',
    string: 'tostring',
    int: 'toint',
    long: 'tolong',
  };
  const columns = USAGE_RECORD_FIELDS.map((f) => `${f.column} = ${conversions[f.type]}(r.${f.key})`);
  return `source | extend r = parse_json(RawData) | project ${columns.join(', ')}`;
}
