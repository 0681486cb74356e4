/**
 * Stored objects and who owns them. Tenants share model accounts, and an account answers for any stored response,
 * file or batch to any caller it authorizes: the gateway's identity. So the gateway decides, per tenant, either
 *
 * - `isolate`: it records the owning tenant of every id it sees created (`cache-store-value`), and refuses (403) any
 *   request that names an id not recorded for the same tenant, before the request is forwarded; or
 * - `stateless`: it forces `store: false` on every response, and refuses every operation that names or creates a
 *   stored object.
 *
 * The pattern is the AI-Gateway "secure responses API" lab's (record an owner for each response id in the API
 * Management cache, compare on use), with two differences: an id without a recorded owner is refused rather than
 * let through (fail closed), and files and batches are covered too. The cache is the service's internal cache or,
 * when an external Redis cache is attached, that one (`caching-type="prefer-external"`; Learn, "cache-store-value" /
 * "cache-lookup-value" policy reference).
 */
import { bearsObjectIds, type GatewayOperation, objectParameters } from '../operations';
import { jsonError } from './llm';
import { csString, el, expr, type XmlElement } from './xml';

export type StoredObjectsMode = 'isolate' | 'stateless';

/** Variable that holds the id a request names, or "". */
export const CLAIMED_ID_VARIABLE = 'claimed-object-id';
/** Variable that holds the owner record of the claimed id. */
export const OWNER_VARIABLE = 'object-owner';
/**
 * Variable that holds the base URL of the account that stores the claimed object; the API routing sends by-id calls
 * there (a stored response lives on the account that created it).
 */
export const OBJECT_BASE_URL_VARIABLE = 'object-base-url';

/** How long an owner record is kept: 30 days, the retention of stored responses (Learn, "Azure OpenAI Responses API"). */
export const OWNER_RECORD_SECONDS = 30 * 24 * 60 * 60;

/** The cache key of an id's owner record. */
export const ownerKey = (idExpression: string) => `string.Concat("owner-", ${idExpression})`;

/** Fields in a request body that name stored objects no operation of the gateway creates: always refused. */
export const FOREIGN_REFERENCES = ['conversation', 'vector_store_ids', 'file_id'] as const;

/** C#: the request's operation is one of these. */
export const opIn = (operations: readonly GatewayOperation[]) =>
  `new string[] { ${operations.map((o) => csString(o.id)).join(', ')} }.Contains(context.Operation.Id)`;

/**
 * The id a request names: the object path parameter of its operation, else the body field its operation reads
 * (`previous_response_id`, `input_file_id`), else "".
 */
export function claimedIdExpression(operations: readonly GatewayOperation[]): string {
  const params = [...new Set(operations.flatMap((o) => objectParameters(o.urlTemplate)))];
  const bodyFields = operations.filter((o) => o.usesBodyField !== undefined);
  let result = '""';
  for (const o of [...bodyFields].reverse()) {
    result = `context.Operation.Id == ${csString(o.id)} ? ((string)context.Request.Body?.As<JObject>(preserveContent: true)?[${csString(o.usesBodyField!)}] ?? "") : ${result}`;
  }
  for (const p of [...params].reverse()) {
    result = `context.Request.MatchedParameters.ContainsKey(${csString(p)}) ? context.Request.MatchedParameters[${csString(p)}] : ${result}`;
  }
  return result;
}

/** Refuses a body that names an object kind the gateway does not expose (a conversation, a vector store, a file in a prompt). */
function refuseForeignReferences(operations: readonly GatewayOperation[]): XmlElement | undefined {
  const prompts = operations.filter((o) => o.prompt);
  if (prompts.length === 0) return undefined;
  const pattern = FOREIGN_REFERENCES.map((f) => `"${f}"`).join('|');
  return el(
    'choose',
    {},
    el(
      'when',
      {
        condition: expr(
          `${opIn(prompts)} && System.Text.RegularExpressions.Regex.IsMatch(context.Request.Body?.As<string>(preserveContent: true) ?? "", ${csString(`(${pattern})\\s*:`)})`,
        ),
      },
      jsonError(
        403,
        'StoredObjectNotAllowed',
        'Conversations, vector stores and file references are not available through this gateway.',
      ),
    ),
  );
}

/**
 * Inbound, `isolate`: read the id the request names; when there is one, look up its owner and refuse (403) unless
 * it is this tenant; route by-id calls to the account that stores the object.
 */
export function checkOwnership(slug: string, operations: readonly GatewayOperation[]): XmlElement[] {
  const idBearing = operations.filter(
    (o) => objectParameters(o.urlTemplate).length > 0 || o.usesBodyField !== undefined,
  );
  const owner = `(string)context.Variables.GetValueOrDefault(${csString(OWNER_VARIABLE)}, "")`;
  return [
    ...[refuseForeignReferences(operations)].filter((e): e is XmlElement => e !== undefined),
    el('set-variable', { name: CLAIMED_ID_VARIABLE, value: expr(claimedIdExpression(idBearing)) }),
    el(
      'choose',
      {},
      el(
        'when',
        { condition: expr(`(string)context.Variables[${csString(CLAIMED_ID_VARIABLE)}] != ""`) },
        el('cache-lookup-value', {
          key: expr(ownerKey(`(string)context.Variables[${csString(CLAIMED_ID_VARIABLE)}]`)),
          'variable-name': OWNER_VARIABLE,
          'caching-type': 'prefer-external',
        }),
        el(
          'choose',
          {},
          el(
            'when',
            // Fail closed: an id with no record (never seen, expired, evicted) is refused like another tenant's.
            { condition: expr(`${owner}.Split('|')[0] != ${csString(slug)}`) },
            jsonError(403, 'ObjectNotOwned', 'This object does not belong to this subscription.'),
          ),
          el(
            'otherwise',
            {},
            el('set-variable', {
              name: OBJECT_BASE_URL_VARIABLE,
              value: expr(`string.Concat("https://", ${owner}.Split('|')[1], "/openai")`),
            }),
          ),
        ),
      ),
    ),
  ];
}

/**
 * Outbound, `isolate`: after a successful call that creates stored objects, record this tenant as the owner of each
 * new id, with the host of the account that holds it. Reading the body buffers a streamed response.
 */
export function recordOwnership(slug: string, operations: readonly GatewayOperation[]): XmlElement[] {
  const creators = operations.filter((o) => (o.creates?.length ?? 0) > 0);
  const fields = [...new Set(creators.flatMap((o) => o.creates!))].sort();
  if (fields.length === 0) return [];
  const value = expr(`string.Concat(${csString(`${slug}|`)}, context.Request.Url.Host)`);
  return [
    el(
      'choose',
      {},
      el(
        'when',
        {
          condition: expr(
            `context.Response.StatusCode >= 200 && context.Response.StatusCode < 300 && ${opIn(creators)}`,
          ),
        },
        fields.flatMap((field) => {
          const variable = `created-${field.replace(/_/g, '-')}`;
          const ops = creators.filter((o) => o.creates!.includes(field));
          // JSON bodies carry the id at the top; a streamed response (server-sent events) in its first event.
          const read = `${opIn(ops)} ? System.Text.RegularExpressions.Regex.Match(context.Response.Body.As<string>(preserveContent: true) ?? "", ${csString(`"${field}"\\s*:\\s*"([A-Za-z0-9_.:-]+)"`)}).Groups[1].Value : ""`;
          return [
            el('set-variable', { name: variable, value: expr(read) }),
            el(
              'choose',
              {},
              el(
                'when',
                { condition: expr(`(string)context.Variables[${csString(variable)}] != ""`) },
                el('cache-store-value', {
                  key: expr(ownerKey(`(string)context.Variables[${csString(variable)}]`)),
                  value,
                  duration: OWNER_RECORD_SECONDS,
                  'caching-type': 'prefer-external',
                }),
              ),
            ),
          ];
        }),
      ),
    ),
  ];
}

/**
 * Inbound, `stateless`: refuse every operation that names or creates a stored object, except a response created
 * with `store: false`, which the policy forces.
 */
export function statelessOnly(operations: readonly GatewayOperation[]): XmlElement[] {
  const responses = operations.find((o) => o.id === 'responses');
  const refused = operations.filter((o) => bearsObjectIds(o) && o !== responses);
  return [
    refuseForeignReferences(operations),
    refused.length > 0 &&
      el(
        'choose',
        {},
        el(
          'when',
          { condition: expr(opIn(refused)) },
          jsonError(403, 'StatelessTenant', 'This subscription cannot store objects on the platform.'),
        ),
      ),
    responses &&
      el(
        'choose',
        {},
        el(
          'when',
          { condition: expr(`context.Operation.Id == ${csString(responses.id)}`) },
          el(
            'choose',
            {},
            el(
              'when',
              {
                condition: expr(
                  `context.Request.Body?.As<JObject>(preserveContent: true)?[${csString(responses.usesBodyField ?? 'previous_response_id')}] != null`,
                ),
              },
              jsonError(403, 'StatelessTenant', 'This subscription cannot continue stored responses.'),
            ),
          ),
          el(
            'set-body',
            {},
            {
              text: '@{ var body = context.Request.Body.As<JObject>(preserveContent: true); body["store"] = false; return body.ToString(Newtonsoft.Json.Formatting.None); }',
            },
          ),
        ),
      ),
  ].filter((e): e is XmlElement => Boolean(e));
}
