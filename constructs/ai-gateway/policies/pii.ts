/**
 * Personal data in prompts, found by Azure AI Language (PII entity recognition, `POST {endpoint}/language/:analyze-text`,
 * kind `PiiEntityRecognition`; Learn, "Detect and redact Personally Identifying Information in text"). The gateway
 * calls it with its managed identity before the prompt reaches a model:
 *
 * - `detect`: counts the entities and records the count as a metric (`emit-metric`); the prompt goes on unchanged;
 * - `redact`: also replaces the prompt's text with Language's `redactedText` (each character of an entity masked
 *   with `*`, so lengths and positions stay) and refuses the request (503) when Language cannot answer, so unmasked
 *   text never reaches a model.
 *
 * Only counts leave the gateway: never the entities, their categories' values or the text. The synchronous API takes
 * at most 5 documents of 5,120 characters per request (Learn, "Data and service limits for Azure AI Language"): the
 * prompt's text is sent as up to 5 documents of 5,000 characters, and a longer prompt is refused under `redact`.
 */
import type { GatewayOperation } from '../operations';
import { COGNITIVE_SERVICES_AUDIENCE, jsonError } from './llm';
import { opIn } from './ownership';
import { csString, el, expr, text, type XmlElement } from './xml';

export type PiiMode = 'off' | 'detect' | 'redact';

/** The Language API version the fragment calls (GA). */
export const LANGUAGE_API_VERSION = '2023-04-01';

/** Where each prompt-bearing operation keeps the text a user wrote (JSONPath). */
export const PROMPT_TEXT_PATHS: Readonly<Record<string, readonly string[]>> = {
  'chat-completions': ['$.messages[*].content', '$.messages[*].content[*].text'],
  completions: ['$.prompt', '$.prompt[*]'],
  embeddings: ['$.input', '$.input[*]'],
  responses: ['$.instructions', '$.input', '$.input[*].content', '$.input[*].content[*].text'],
  'image-generations': ['$.prompt'],
  'audio-speech': ['$.input'],
};

const DOCUMENT_CHARACTERS = 5000;
const MAX_DOCUMENTS = 5;
/** Variables of the fragment. */
export const PII_REQUEST_VARIABLE = 'pii-request';
export const PII_RESPONSE_VARIABLE = 'pii-response';
export const PII_COUNT_VARIABLE = 'pii-entities';

export interface PiiOptions {
  readonly mode: Exclude<PiiMode, 'off'>;
  /** The Language account's endpoint, `https://<name>.cognitiveservices.azure.com/`, or a named value holding it. */
  readonly endpoint: string;
  /** The tenant slug: the metric's `Tenant` dimension. */
  readonly tenant: string;
  /** Namespace of the count metric (the gateway's token-metric namespace). */
  readonly metricNamespace: string;
  /** Language of the prompts (ISO 639-1). @default 'en' */
  readonly language?: string;
}

/** C#: the string values of the prompt's text, in a stable order, as `tokens` (a `List<JValue>`) from `body`. */
function collectTexts(operations: readonly GatewayOperation[]): string {
  const paths = operations
    .filter((o) => PROMPT_TEXT_PATHS[o.id])
    .map(
      (o) =>
        `context.Operation.Id == ${csString(o.id)} ? new string[] { ${PROMPT_TEXT_PATHS[o.id]!.map(csString).join(', ')} } : `,
    )
    .join('');
  return [
    `var paths = ${paths}new string[0];`,
    'var tokens = new List<JValue>();',
    'foreach (var path in paths) { foreach (var t in body.SelectTokens(path)) { if (t.Type == JTokenType.String) { tokens.Add((JValue)t); } } }',
  ].join(' ');
}

/** The request to Language, or "" when the prompt has no text, or "too-long". */
function languageRequest(operations: readonly GatewayOperation[], language: string): string {
  return `@{ var body = context.Request.Body.As<JObject>(preserveContent: true); if (body == null) { return ""; } ${collectTexts(operations)} if (tokens.Count == 0) { return ""; } var text = string.Join("\\n", tokens.Select(t => (string)t.Value)); if (text.Length > ${DOCUMENT_CHARACTERS * MAX_DOCUMENTS}) { return "too-long"; } var docs = new JArray(); for (int i = 0; i * ${DOCUMENT_CHARACTERS} < text.Length; i++) { docs.Add(new JObject(new JProperty("id", i.ToString()), new JProperty("language", ${csString(language)}), new JProperty("text", text.Substring(i * ${DOCUMENT_CHARACTERS}, Math.Min(${DOCUMENT_CHARACTERS}, text.Length - i * ${DOCUMENT_CHARACTERS}))))); } return new JObject(new JProperty("kind", "PiiEntityRecognition"), new JProperty("parameters", new JObject(new JProperty("modelVersion", "latest"))), new JProperty("analysisInput", new JObject(new JProperty("documents", docs)))).ToString(); }`;
}

const RESPONSE = `((IResponse)context.Variables[${csString(PII_RESPONSE_VARIABLE)}])`;
const ANSWERED = `context.Variables.ContainsKey(${csString(PII_RESPONSE_VARIABLE)}) && ${RESPONSE} != null && ${RESPONSE}.StatusCode == 200`;

/** C#: the number of entities Language found (never the entities). */
const COUNT = `@{ if (!(${ANSWERED})) { return -1; } var result = ${RESPONSE}.Body.As<JObject>(preserveContent: true); var docs = result?["results"]?["documents"] as JArray; var errors = result?["results"]?["errors"] as JArray; if (docs == null || (errors != null && errors.Count > 0)) { return -1; } return docs.Sum(d => ((JArray)d["entities"]).Count); }`;

/** C#: the request body with every text replaced by its masked counterpart (same length, same order). */
function maskedBody(operations: readonly GatewayOperation[]): string {
  return `@{ var result = ${RESPONSE}.Body.As<JObject>(preserveContent: true); var masked = string.Concat(((JArray)result["results"]["documents"]).OrderBy(d => int.Parse((string)d["id"])).Select(d => (string)d["redactedText"])); var body = context.Request.Body.As<JObject>(preserveContent: true); ${collectTexts(operations)} int at = 0; foreach (var t in tokens) { var length = ((string)t.Value).Length; t.Value = masked.Substring(at, length); at += length + 1; } return body.ToString(Newtonsoft.Json.Formatting.None); }`;
}

/**
 * The PII step of a tenant's product policy, for its prompt-bearing operations. Runs after sign-in and before the
 * content-safety check and the model.
 */
export function piiProtection(options: PiiOptions, operations: readonly GatewayOperation[]): XmlElement {
  const prompts = operations.filter((o) => o.prompt && PROMPT_TEXT_PATHS[o.id]);
  const missing = operations.filter((o) => o.prompt && !PROMPT_TEXT_PATHS[o.id]);
  if (missing.length > 0)
    throw new Error(
      `PII protection does not know where ${missing.map((o) => o.id).join(', ')} keep the prompt`,
    );
  const redact = options.mode === 'redact';
  const request = `(string)context.Variables[${csString(PII_REQUEST_VARIABLE)}]`;
  const count = `(int)context.Variables[${csString(PII_COUNT_VARIABLE)}]`;
  return el(
    'choose',
    {},
    el(
      'when',
      {
        condition: expr(opIn(prompts)),
      },
      el('set-variable', {
        name: PII_REQUEST_VARIABLE,
        value: languageRequest(prompts, options.language ?? 'en'),
      }),
      redact &&
        el(
          'choose',
          {},
          el(
            'when',
            { condition: expr(`${request} == "too-long"`) },
            jsonError(413, 'PromptTooLongForPiiCheck', 'The prompt is too long for the personal-data check.'),
          ),
        ),
      el(
        'choose',
        {},
        el(
          'when',
          { condition: expr(`${request} != "" && ${request} != "too-long"`) },
          el(
            'send-request',
            {
              mode: 'new',
              'response-variable-name': PII_RESPONSE_VARIABLE,
              timeout: 10,
              'ignore-error': true,
            },
            el(
              'set-url',
              {},
              text(
                `${options.endpoint.endsWith('/') || options.endpoint.endsWith('}}') ? options.endpoint : `${options.endpoint}/`}language/:analyze-text?api-version=${LANGUAGE_API_VERSION}&stringIndexType=Utf16CodeUnit`,
              ),
            ),
            el('set-method', {}, text('POST')),
            el(
              'set-header',
              { name: 'Content-Type', 'exists-action': 'override' },
              el('value', {}, text('application/json')),
            ),
            el('set-body', {}, text(expr(request))),
            el('authentication-managed-identity', { resource: COGNITIVE_SERVICES_AUDIENCE }),
          ),
          el('set-variable', { name: PII_COUNT_VARIABLE, value: COUNT }),
          el(
            'emit-metric',
            {
              name: 'PII entities',
              namespace: options.metricNamespace,
              value: expr(`Math.Max(0, ${count})`),
            },
            el('dimension', { name: 'Tenant', value: options.tenant }),
            el('dimension', { name: 'Mode', value: options.mode }),
          ),
          redact &&
            el(
              'choose',
              {},
              el(
                'when',
                { condition: expr(`${count} < 0`) },
                jsonError(
                  503,
                  'PiiCheckUnavailable',
                  'The personal-data check is unavailable; the prompt was not sent.',
                ),
              ),
              el('when', { condition: expr(`${count} > 0`) }, el('set-body', {}, text(maskedBody(prompts)))),
            ),
        ),
      ),
    ),
  );
}
