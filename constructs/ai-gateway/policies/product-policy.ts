import {
  captureDeployment,
  type ContentSafetyThresholds,
  contentSafety,
  DEPLOYMENT_VARIABLE,
  jsonError,
  semanticCacheLookup,
  semanticCacheStore,
  TENANT_BACKEND_VARIABLE,
  tokenLimit,
} from './llm';
import { verificationProbe } from './verification-probe';
import { csString, el, expr, text, type XmlElement } from './xml';
import { type EntraAuthOptions, entraSignIn, perUserTokenLimit } from './entra-auth';
import { checkOwnership, opIn, recordOwnership, statelessOnly, type StoredObjectsMode } from './ownership';
import { piiProtection, type PiiOptions } from './pii';
import { GATEWAY_OPERATIONS, type GatewayOperation } from '../operations';
import { MESSAGE_LOG_SOURCE } from '../../shared/catalog';

/** Everything one tenant's product policy is built from. */
export interface TenantPolicyOptions {
  /** Models (deployment names) the tenant may call; anything else gets 403. */
  readonly allowedModels: readonly string[];
  readonly tokensPerMinute: number;
  readonly monthlyTokenQuota: number;
  /**
   * The request's one content-safety check: the stricter of the gateway's and the tenant's thresholds, category by
   * category. The API policy skips its own check for requests that come through a product. @default - none
   */
  readonly contentSafety?: {
    readonly backendId: string;
    readonly shieldPrompt: boolean;
    readonly thresholds: ContentSafetyThresholds;
  };
  /** Dedicated tier: each of the tenant's own models and its pool. @default - none (shared pools only) */
  readonly dedicatedPools?: Readonly<Record<string, string>>;
  /** Verification tenant only: it may ask for one shared backend per request. @default false */
  readonly verificationProbe?: boolean;
  /** The tenant slug (product id): the owner it records and compares. @default - none: no ownership checks */
  readonly slug?: string;
  /** Entra sign-in, checked before anything else. @default - none: the subscription key alone */
  readonly entra?: EntraAuthOptions;
  /**
   * Stored responses, files and batches: `isolate` records and checks the owner of every id, `stateless` forces
   * `store: false` and refuses the rest. Needs `slug`. @default 'isolate'
   */
  readonly storedObjects?: StoredObjectsMode;
  /** The API's operations (the surfaces the environment has). @default - every operation of the table */
  readonly operations?: readonly GatewayOperation[];
  /** The tenant may use the batch surface (`/files`, `/batches`): it is allowed a batch deployment. @default false */
  readonly batchAllowed?: boolean;
  /** Personal-data detection or redaction in prompts. @default - none */
  readonly pii?: Omit<PiiOptions, 'tenant'>;
  /**
   * The semantic cache, in the tenant's own partition (`semanticCachePartition(slug)`). Needs `slug`.
   * @default - no semantic cache
   */
  readonly semanticCache?: {
    readonly embeddingsBackendId: string;
    readonly scoreThreshold: number;
    readonly durationSeconds: number;
  };
  /**
   * Sampled message logging for continuous evaluation (the tenant opted in with a reason). Needs `slug`. The prompt is
   * captured after PII redaction, so a redacting tenant's log holds only masked text. @default - none: no messages
   */
  readonly messageLog?: { readonly samplingPercent: number };
}

/** Characters of the prompt and of the completion kept in one trace. */
export const MESSAGE_LOG_MAX_CHARACTERS = 8000;
const LOG_SAMPLED = 'genaiops-sampled';
const LOG_PROMPT = 'genaiops-prompt';

/**
 * Inbound, after PII protection and content safety: draws the sample and captures the prompt as the model will get it
 * (for `redact`, the masked body the PII fragment set).
 */
function captureMessage(samplingPercent: number): XmlElement[] {
  if (!(samplingPercent > 0 && samplingPercent <= 100)) {
    throw new Error(`messageLog.samplingPercent must be above 0 and at most 100, got ${samplingPercent}`);
  }
  const perTenThousand = Math.round(samplingPercent * 100);
  return [
    el('set-variable', { name: LOG_SAMPLED, value: expr(`new Random().Next(10000) < ${perTenThousand}`) }),
    el(
      'choose',
      {},
      el(
        'when',
        { condition: expr(`(bool)context.Variables[${csString(LOG_SAMPLED)}]`) },
        el('set-variable', {
          name: LOG_PROMPT,
          value: `@{ var b = context.Request.Body?.As<string>(preserveContent: true) ?? ""; return b.Length > ${MESSAGE_LOG_MAX_CHARACTERS} ? b.Substring(0, ${MESSAGE_LOG_MAX_CHARACTERS}) : b; }`,
        }),
      ),
    ),
  ];
}

/**
 * Outbound: a sampled, successful, non-streamed exchange becomes one trace (tenant, deployment, prompt, completion) in
 * the gateway's resource log. The trace policy "is not affected by Application Insights sampling" and lands in
 * `ApiManagementGatewayLogs.TraceRecords` when its severity reaches the diagnostic's verbosity (Learn: "trace policy").
 */
function traceMessage(slug: string): XmlElement {
  return el(
    'choose',
    {},
    el(
      'when',
      {
        condition: expr(
          `(bool)context.Variables.GetValueOrDefault(${csString(LOG_SAMPLED)}, false) && context.Response.StatusCode == 200 && !context.Response.Headers.GetValueOrDefault("Content-Type", "").Contains("text/event-stream")`,
        ),
      },
      el(
        'trace',
        { source: MESSAGE_LOG_SOURCE, severity: 'information' },
        el(
          'message',
          {},
          text(
            `@{ var c = context.Response.Body?.As<string>(preserveContent: true) ?? ""; return new JObject(new JProperty("tenant", ${csString(slug)}), new JProperty("deployment", (string)context.Variables.GetValueOrDefault(${csString(DEPLOYMENT_VARIABLE)}, "")), new JProperty("prompt", (string)context.Variables.GetValueOrDefault(${csString(LOG_PROMPT)}, "")), new JProperty("completion", c.Length > ${MESSAGE_LOG_MAX_CHARACTERS} ? c.Substring(0, ${MESSAGE_LOG_MAX_CHARACTERS}) : c)).ToString(Newtonsoft.Json.Formatting.None); }`,
          ),
        ),
        el('metadata', { name: 'tenant', value: slug }),
      ),
    ),
  );
}

/** The surfaces whose answers the semantic cache keeps: chat completions (the policy's supported API). */
const CACHED_OPERATIONS = new Set(['chat-completions']);

/** The semantic-cache partition of a tenant: its slug, which no other tenant can have. */
export function semanticCachePartition(slug: string): string {
  return `tenant:${slug}`;
}

/** The surfaces whose operations name a deployment, checked against the allow-list. */
const MODEL_SURFACES = new Set(['inference', 'images', 'audio']);

/**
 * The policy of one tenant's product, run at `<base />` of the inference API, in order: sign in with Entra (when the
 * tenant requires it; before anything else); read the deployment; refuse models outside the allow-list and surfaces
 * the tenant may not use (403); answer `/models` with the allow-list; check the ownership of stored objects (or force
 * `store: false`); point the tenant's own models at its own pools (dedicated tier); limit tokens per subscription and
 * per signed-in user (429 above the rate, 403 above the monthly quota); detect or redact personal data; check
 * content safety once with the tenant's thresholds. Outbound: record the owner of every object created.
 */
export function tenantProductPolicy(options: TenantPolicyOptions): XmlElement {
  const allowed = options.allowedModels.map(csString).join(', ');
  const dedicated = Object.entries(options.dedicatedPools ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const operations = options.operations ?? GATEWAY_OPERATIONS;
  const modelOps = operations.filter((o) => MODEL_SURFACES.has(o.surface));
  const batchOps = operations.filter((o) => o.surface === 'batch');
  const listModels = operations.find((o) => o.surface === 'models');
  const slug = options.slug;
  const stored = options.storedObjects ?? 'isolate';
  if (options.semanticCache && slug === undefined)
    throw new Error('a tenant semantic cache needs the tenant slug: it is the partition key');
  const cache = options.semanticCache;
  const cachedOps = operations.filter((o) => CACHED_OPERATIONS.has(o.id));
  return el(
    'policies',
    {},
    el(
      'inbound',
      {},
      el('base'),
      options.entra && entraSignIn(options.entra),
      captureDeployment(),
      el(
        'choose',
        {},
        el(
          'when',
          {
            condition: expr(
              `${opIn(modelOps)} && !new string[] { ${allowed} }.Contains((string)context.Variables[${csString(DEPLOYMENT_VARIABLE)}])`,
            ),
          },
          jsonError(403, 'ModelNotAllowed', 'This subscription may not call this deployment.'),
        ),
        batchOps.length > 0 &&
          !options.batchAllowed &&
          el(
            'when',
            { condition: expr(opIn(batchOps)) },
            jsonError(403, 'BatchNotAllowed', 'This subscription may not use batch deployments.'),
          ),
        listModels &&
          el(
            'when',
            { condition: expr(`context.Operation.Id == ${csString(listModels.id)}`) },
            el(
              'return-response',
              {},
              el('set-status', { code: 200, reason: 'OK' }),
              el(
                'set-header',
                { name: 'Content-Type', 'exists-action': 'override' },
                el('value', {}, text('application/json')),
              ),
              el(
                'set-body',
                {},
                text(
                  JSON.stringify({
                    object: 'list',
                    data: [...options.allowedModels].sort().map((id) => ({ id, object: 'model' })),
                  }),
                ),
              ),
            ),
          ),
      ),
      slug !== undefined &&
        (stored === 'isolate' ? checkOwnership(slug, operations) : statelessOnly(operations)),
      dedicated.length > 0 &&
        el(
          'choose',
          {},
          dedicated.map(([model, pool]) =>
            el(
              'when',
              {
                condition: expr(
                  `(string)context.Variables[${csString(DEPLOYMENT_VARIABLE)}] == ${csString(model)}`,
                ),
              },
              el('set-variable', { name: TENANT_BACKEND_VARIABLE, value: pool }),
            ),
          ),
        ),
      options.verificationProbe === true && verificationProbe(),
      tokenLimit({
        counterKey: expr('string.Concat("tenant-", context.Subscription.Id)'),
        tokensPerMinute: options.tokensPerMinute,
        quota: { tokens: options.monthlyTokenQuota, period: 'Monthly' },
        scope: 'product',
      }),
      options.entra && slug !== undefined && perUserTokenLimit(slug, options.entra),
      options.pii && slug !== undefined && piiProtection({ ...options.pii, tenant: slug }, operations),
      options.contentSafety &&
        contentSafety(
          options.contentSafety.backendId,
          options.contentSafety.shieldPrompt,
          options.contentSafety.thresholds,
        ),
      options.messageLog && slug !== undefined && captureMessage(options.messageLog.samplingPercent),
      // Last: only a request that passed every check above may get a cached answer.
      cache &&
        el(
          'choose',
          {},
          el(
            'when',
            { condition: expr(opIn(cachedOps)) },
            semanticCacheLookup({
              embeddingsBackendId: cache.embeddingsBackendId,
              scoreThreshold: cache.scoreThreshold,
              partition: semanticCachePartition(slug!),
            }),
          ),
        ),
    ),
    el('backend', {}, el('base')),
    el(
      'outbound',
      {},
      el('base'),
      slug !== undefined && stored === 'isolate' && recordOwnership(slug, operations),
      cache &&
        el(
          'choose',
          {},
          el(
            'when',
            { condition: expr(`${opIn(cachedOps)} && context.Response.StatusCode == 200`) },
            semanticCacheStore(cache.durationSeconds),
          ),
        ),
      options.messageLog && slug !== undefined && traceMessage(slug),
    ),
    el('on-error', {}, el('base')),
  );
}
