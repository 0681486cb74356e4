/**
 * The usage ledger's `log-to-eventhub`: one record per request, built from the fields of the shared schema
 * (`constructs/shared/usage-record.ts`) and nothing else. Token counts come from the response's `usage` (chat,
 * completions, embeddings, Responses API); a streamed response has no JSON body, so its record carries the count the
 * API's token limit measured, as completion tokens: the dearer side, so that a budget never under-counts.
 * Learn: "log-to-eventhub policy"; "llm-token-limit policy" (`tokens-consumed-variable-name`).
 */
import { type UsageRecordKey, USAGE_RECORD_FIELDS } from '../../shared/usage-record';
import { DEPLOYMENT_VARIABLE } from './llm';
import { csString, el, type XmlElement } from './xml';

/** The variable the API's `llm-token-limit` writes the consumed tokens to. */
export const TOKENS_CONSUMED_VARIABLE = 'ledger-tokens-consumed';

/** One deployment a backend serves: what the ledger records for calls that land on it. */
export interface LedgerDeployment {
  /** The account's DNS label (its custom subdomain): the first label of the backend host. */
  readonly account: string;
  readonly deployment: string;
  readonly model: string;
  readonly type: string;
  readonly region: string;
}

/** The C# value of each field; the type makes the record exactly the schema's fields. */
const FIELD_VALUES: Readonly<Record<UsageRecordKey, string>> = {
  time: 'DateTime.UtcNow.ToString("o")',
  tenant: 'context.Product?.Id ?? "none"',
  product: 'context.Product?.Name ?? "none"',
  model: 'meta[0]',
  deployment: 'deployment',
  deploymentType: 'meta[1]',
  region: 'meta[2]',
  backend: 'host',
  promptTokens: 'prompt',
  completionTokens: 'completion',
  cachedTokens: 'cached',
  status: 'context.Response?.StatusCode ?? 0',
  requestId: 'context.RequestId.ToString()',
};

/** `;account/deployment=model|type|region;…;`: looked up by the backend host and the deployment called. */
export function ledgerLookup(deployments: readonly LedgerDeployment[]): string {
  const entries = [...deployments]
    .map((d) => `${d.account.toLowerCase()}/${d.deployment}=${d.model}|${d.type}|${d.region}`)
    .sort();
  return `;${[...new Set(entries)].join(';')};`;
}

/** Named values hold at most 4,096 characters (Learn, "Use named values in Azure API Management policies"). */
export const NAMED_VALUE_MAX_LENGTH = 4096;

/** The name of the `n`th named value that holds the lookup table (1-based). */
export const ledgerLookupNamedValue = (n: number) => `usage-ledger-deployments-${n}`;

/**
 * The lookup table in pieces that each fit a named value. The policy reads it from named values, so that its text is
 * the same in every environment (the promotion guard compares it) and only the data differs.
 */
export function ledgerLookupChunks(deployments: readonly LedgerDeployment[]): string[] {
  const table = ledgerLookup(deployments);
  const chunks: string[] = [];
  for (let at = 0; at < table.length; at += NAMED_VALUE_MAX_LENGTH) {
    chunks.push(table.slice(at, at + NAMED_VALUE_MAX_LENGTH));
  }
  return chunks;
}

/** The C# of the record: a JSON object with exactly the schema's fields. */
export function usageRecordExpression(lookupChunks: number): string {
  const properties = USAGE_RECORD_FIELDS.map(
    (f) => `    new JProperty(${csString(f.key)}, ${FIELD_VALUES[f.key]})`,
  ).join(',\n');
  return [
    '@{',
    '  var host = (context.Request.Url.Host ?? "").ToLowerInvariant();',
    `  var deployment = context.Variables.GetValueOrDefault<string>(${csString(DEPLOYMENT_VARIABLE)}, "");`,
    `  var table = ${Array.from({ length: lookupChunks }, (_, i) => `"{{${ledgerLookupNamedValue(i + 1)}}}"`).join(' + ')};`,
    '  var key = ";" + host.Split(\'.\')[0] + "/" + deployment + "=";',
    '  var at = table.IndexOf(key);',
    "  var meta = (at < 0 ? \"unknown|unknown|unknown\" : table.Substring(at + key.Length, table.IndexOf(';', at + key.Length) - at - key.Length)).Split('|');",
    '  var contentType = context.Response?.Headers.GetValueOrDefault("Content-Type", "") ?? "";',
    '  var body = contentType.Contains("json") ? context.Response.Body?.As<JObject>(preserveContent: true) : null;',
    '  var usage = body?["usage"];',
    '  long prompt = (long?)(usage?["prompt_tokens"] ?? usage?["input_tokens"]) ?? 0;',
    '  long completion = (long?)(usage?["completion_tokens"] ?? usage?["output_tokens"]) ?? 0;',
    '  long cached = (long?)(usage?["prompt_tokens_details"]?["cached_tokens"] ?? usage?["input_tokens_details"]?["cached_tokens"]) ?? 0;',
    `  if (usage == null && context.Variables.ContainsKey(${csString(TOKENS_CONSUMED_VARIABLE)})) { completion = Convert.ToInt64(context.Variables[${csString(TOKENS_CONSUMED_VARIABLE)}]); }`,
    '  return new JObject(',
    properties,
    '  ).ToString(Newtonsoft.Json.Formatting.None);',
    '}',
  ].join('\n');
}

/** `log-to-eventhub` to the ledger's logger, partitioned by tenant. */
export function logUsageRecord(loggerId: string, lookupChunks: number): XmlElement {
  return el(
    'log-to-eventhub',
    { 'logger-id': loggerId, 'partition-key': '@(context.Product?.Id ?? "none")' },
    { text: usageRecordExpression(lookupChunks) },
  );
}
