/**
 * Typed builders for the API Management policies of the AI gateway. Each returns XML elements; `inference-policy.ts`
 * composes them. Attribute names follow the API Management policy reference
 * (https://learn.microsoft.com/azure/api-management/api-management-policies).
 */
import { csString, el, expr, text, type XmlElement } from './xml';

/** The audience of Azure AI services tokens. */
export const COGNITIVE_SERVICES_AUDIENCE = 'https://cognitiveservices.azure.com';

/** Variable that holds the deployment (model) a request targets. */
export const DEPLOYMENT_VARIABLE = 'deployment-id';

/**
 * `authentication-managed-identity`: a token of the service's system-assigned identity for the models (no
 * `client-id`: the same identity as the backends' credentials, which hold the roles).
 */
export function managedIdentityAuth(): XmlElement {
  return el('authentication-managed-identity', { resource: COGNITIVE_SERVICES_AUDIENCE });
}

/** Removes a request or response header. */
export function deleteHeader(name: string): XmlElement {
  return el('set-header', { name, 'exists-action': 'delete' });
}

/**
 * Reads the targeted deployment: from the path (`/deployments/{deployment-id}/…`), else from the body's `model`
 * (Responses API).
 */
export function captureDeployment(): XmlElement {
  return el('set-variable', {
    name: DEPLOYMENT_VARIABLE,
    value: expr(
      'context.Request.MatchedParameters.ContainsKey("deployment-id") ? context.Request.MatchedParameters["deployment-id"] : (string)context.Request.Body?.As<JObject>(preserveContent: true)?["model"] ?? ""',
    ),
  });
}

/**
 * Variable a dedicated tenant's product policy sets to the pool of its own deployment; the API routing honours it
 * before the shared pools. Only product policies the platform generates set it, each to its own tenant's pools.
 */
export const TENANT_BACKEND_VARIABLE = 'tenant-backend';

/**
 * Routes each known deployment to its pool; anything else gets 404 without reaching a backend. `extra` branches
 * (batch, stored objects) are tried first: a `model` a client adds to a batch or by-id call must not pull it into a
 * real-time pool.
 */
export function routeToPools(
  routes: ReadonlyArray<{ readonly model: string; readonly backendId: string }>,
  extra: readonly XmlElement[] = [],
): XmlElement {
  return el(
    'choose',
    {},
    extra,
    el(
      'when',
      { condition: expr(`context.Variables.ContainsKey(${csString(TENANT_BACKEND_VARIABLE)})`) },
      el('set-backend-service', {
        'backend-id': expr(`(string)context.Variables[${csString(TENANT_BACKEND_VARIABLE)}]`),
      }),
    ),
    routes.map((route) =>
      el(
        'when',
        {
          condition: expr(
            `(string)context.Variables[${csString(DEPLOYMENT_VARIABLE)}] == ${csString(route.model)}`,
          ),
        },
        el('set-backend-service', { 'backend-id': route.backendId }),
      ),
    ),
    el(
      'otherwise',
      {},
      jsonError(404, 'DeploymentNotFound', 'The deployment does not exist on this gateway.'),
    ),
  );
}

/**
 * Routes by the region of the gateway that runs the request: each region's `routeToPools` with its own pools, and the
 * shared pools where no region matches (a region API Management names differently than expected still routes). Each
 * branch starts with the `extra` branches.
 */
export function routeToRegionalPools(
  regions: ReadonlyArray<{
    readonly condition: string;
    readonly routes: ReadonlyArray<{ readonly model: string; readonly backendId: string }>;
  }>,
  fallback: ReadonlyArray<{ readonly model: string; readonly backendId: string }>,
  extra: readonly XmlElement[] = [],
): XmlElement {
  // Operations bound to one account (batch, stored objects) route there whatever the region: every branch has them.
  return el(
    'choose',
    {},
    regions.map((region) =>
      el('when', { condition: expr(region.condition) }, routeToPools(region.routes, extra)),
    ),
    el('otherwise', {}, routeToPools(fallback, extra)),
  );
}

/** A JSON error response in the shape Azure OpenAI clients expect. */
export function jsonError(status: number, code: string, message: string): XmlElement {
  return el(
    'return-response',
    {},
    el('set-status', { code: status, reason: code }),
    el(
      'set-header',
      { name: 'Content-Type', 'exists-action': 'override' },
      el('value', {}, text('application/json')),
    ),
    el('set-body', {}, text(JSON.stringify({ error: { code, message } }))),
  );
}

/** Settings of `llm-token-limit`. */
export interface TokenLimitOptions {
  /** Policy expression or literal that keys the counter; distinct per scope, since one key shares one counter. */
  readonly counterKey: string;
  readonly tokensPerMinute?: number;
  readonly quota?: {
    readonly tokens: number;
    readonly period: 'Hourly' | 'Daily' | 'Weekly' | 'Monthly' | 'Yearly';
  };
  /** @default true */
  readonly estimatePromptTokens?: boolean;
  /**
   * `api`: remaining tokens go back to the client in headers. `product`: into variables only, with prompt
   * estimation off, which is what the product scope accepts. @default 'api'
   */
  readonly scope?: 'api' | 'product';
  /** A variable that receives the tokens the request consumed (API scope). @default - none */
  readonly tokensConsumedVariable?: string;
}

/** `llm-token-limit`: 429 above the rate, 403 above the quota. */
export function tokenLimit(options: TokenLimitOptions): XmlElement {
  if (options.tokensPerMinute === undefined && options.quota === undefined) {
    throw new Error('llm-token-limit needs tokensPerMinute, a quota, or both');
  }
  const product = options.scope === 'product';
  return el('llm-token-limit', {
    'counter-key': options.counterKey,
    'tokens-per-minute': options.tokensPerMinute,
    'token-quota': options.quota?.tokens,
    'token-quota-period': options.quota?.period,
    'estimate-prompt-tokens': product ? false : (options.estimatePromptTokens ?? true),
    ...(product
      ? {
          'remaining-tokens-variable-name': 'tenantRemainingTokens',
          'remaining-quota-tokens-variable-name': options.quota ? 'tenantRemainingQuotaTokens' : undefined,
        }
      : {
          'remaining-tokens-header-name': 'x-ratelimit-remaining-tokens',
          'remaining-quota-tokens-header-name': options.quota ? 'x-quota-remaining-tokens' : undefined,
          'tokens-consumed-header-name': 'x-tokens-consumed',
          'tokens-consumed-variable-name': options.tokensConsumedVariable,
        }),
  });
}

/** The value of each custom dimension; built-in ones (API ID, Backend ID, …) take none. */
const DIMENSION_VALUES: Readonly<Record<string, string>> = {
  Tenant: expr('context.Product?.Id ?? "none"'),
  Model: expr(`(string)context.Variables[${csString(DEPLOYMENT_VARIABLE)}]`),
};

/** Dimensions that carry unbounded values; never emitted. */
const UNBOUNDED_DIMENSIONS = new Set(['Client IP', 'User ID', 'Request ID']);

/** `llm-emit-token-metric`: prompt, completion and total tokens per request, with at most 5 bounded dimensions. */
export function emitTokenMetric(namespace: string, dimensions: readonly string[]): XmlElement {
  if (dimensions.length > 5)
    throw new Error(`llm-emit-token-metric takes at most 5 dimensions, got ${dimensions.length}`);
  const unbounded = dimensions.filter((d) => UNBOUNDED_DIMENSIONS.has(d));
  if (unbounded.length > 0)
    throw new Error(`unbounded metric dimensions are not allowed: ${unbounded.join(', ')}`);
  return el(
    'llm-emit-token-metric',
    { namespace },
    dimensions.map((name) => el('dimension', { name, value: DIMENSION_VALUES[name] })),
  );
}

/** Per-category thresholds on the eight-level scale (0–7; a request at or above the threshold is blocked). */
export interface ContentSafetyThresholds {
  readonly hate: number;
  readonly sexual: number;
  readonly selfHarm: number;
  readonly violence: number;
}

/** The stricter of two sets of thresholds, category by category (a lower level blocks more). */
export function stricterThresholds(
  a: ContentSafetyThresholds,
  b: ContentSafetyThresholds,
): ContentSafetyThresholds {
  return {
    hate: Math.min(a.hate, b.hate),
    sexual: Math.min(a.sexual, b.sexual),
    selfHarm: Math.min(a.selfHarm, b.selfHarm),
    violence: Math.min(a.violence, b.violence),
  };
}

/** The condition under which the API policy checks content itself: the request came through no product. */
export const NO_PRODUCT_CONDITION = 'context.Product == null';

/** `llm-content-safety`: Azure AI Content Safety checks the prompt before it reaches a model. */
export function contentSafety(
  backendId: string,
  shieldPrompt: boolean,
  thresholds: ContentSafetyThresholds,
): XmlElement {
  return el(
    'llm-content-safety',
    { 'backend-id': backendId, 'shield-prompt': shieldPrompt },
    el(
      'categories',
      { 'output-type': 'EightSeverityLevels' },
      el('category', { name: 'Hate', threshold: thresholds.hate }),
      el('category', { name: 'Sexual', threshold: thresholds.sexual }),
      el('category', { name: 'SelfHarm', threshold: thresholds.selfHarm }),
      el('category', { name: 'Violence', threshold: thresholds.violence }),
    ),
  );
}

/**
 * `llm-semantic-cache-lookup` in one tenant's partition: `vary-by` holds the tenant's own key and the deployment, so
 * that a tenant only ever gets an answer it stored itself, from the same model. The embeddings backend is called with
 * the service's system-assigned identity (`embeddings-backend-auth`, which must be `system-assigned`; Learn,
 * "llm-semantic-cache-lookup policy"). System messages are left out of the similarity (Learn recommends it), and
 * conversations longer than 10 messages skip the cache.
 */
export function semanticCacheLookup(options: {
  readonly embeddingsBackendId: string;
  readonly scoreThreshold: number;
  /** The tenant's partition key: unique to the tenant, the same text in every environment. */
  readonly partition: string;
}): XmlElement {
  return el(
    'llm-semantic-cache-lookup',
    {
      'score-threshold': options.scoreThreshold,
      'embeddings-backend-id': options.embeddingsBackendId,
      'embeddings-backend-auth': 'system-assigned',
      'ignore-system-messages': true,
      'max-message-count': 10,
    },
    el('vary-by', {}, text(expr(csString(options.partition)))),
    el('vary-by', {}, text(expr(`(string)context.Variables[${csString(DEPLOYMENT_VARIABLE)}]`))),
  );
}

/** `llm-semantic-cache-store`: keeps the answer under the key its lookup computed (so in the same partition). */
export function semanticCacheStore(durationSeconds: number): XmlElement {
  return el('llm-semantic-cache-store', { duration: durationSeconds });
}

/**
 * Retries 429 and 503 across the pool at once (the pool skips backends whose breaker is open), with the request body
 * buffered so it can be sent again. No test on `StatusReason` text: that wording changes.
 */
export function retryAcrossPool(count: number): XmlElement {
  return el(
    'retry',
    {
      count,
      interval: 0,
      'first-fast-retry': true,
      condition: expr('context.Response.StatusCode == 429 || context.Response.StatusCode == 503'),
    },
    el('forward-request', { 'buffer-request-body': true }),
  );
}
