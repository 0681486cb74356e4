import {
  captureDeployment,
  type ContentSafetyThresholds,
  contentSafety,
  deleteHeader,
  emitTokenMetric,
  managedIdentityAuth,
  NO_PRODUCT_CONDITION,
  retryAcrossPool,
  routeToPools,
  routeToRegionalPools,
  tokenLimit,
  type TokenLimitOptions,
} from './llm';
import { OBJECT_BASE_URL_VARIABLE } from './ownership';
import { logUsageRecord, TOKENS_CONSUMED_VARIABLE } from './usage-ledger';
import { csString, el, expr, renderXml, text, type XmlElement } from './xml';

/** Response headers of Azure OpenAI that reveal the backend topology; the gateway strips them. */
export const INTERNAL_RESPONSE_HEADERS = [
  'x-ms-region',
  'azureml-model-session',
  'x-ms-deployment-name',
  'apim-request-id',
];

/** Request headers that must not reach a model: the client's gateway key. */
export const CLIENT_CREDENTIAL_HEADERS = ['api-key', 'Ocp-Apim-Subscription-Key'];

/** Everything the inference API policy is built from. */
export interface InferencePolicyOptions {
  /** Each model (deployment name) and the pool backend that serves it. */
  readonly routes: ReadonlyArray<{ readonly model: string; readonly backendId: string }>;
  /**
   * A multi-region gateway: each region's condition (on `context.Deployment.Region`) and pools; `routes` serve where
   * none matches. @default - every region uses `routes`
   */
  readonly regionalRoutes?: ReadonlyArray<{
    readonly condition: string;
    readonly routes: ReadonlyArray<{ readonly model: string; readonly backendId: string }>;
  }>;
  readonly retryCount: number;
  readonly tokenLimit: Omit<TokenLimitOptions, 'counterKey'>;
  readonly tokenMetrics: { readonly namespace: string; readonly dimensions: readonly string[] };
  /**
   * Checked here only for requests that come through no product (the service's all-access subscription): each
   * tenant's product policy runs the check with its own thresholds, so that every request is checked once.
   * @default - no content-safety check
   */
  readonly contentSafety?: {
    readonly backendId: string;
    readonly shieldPrompt: boolean;
    readonly thresholds: ContentSafetyThresholds;
  };
  /**
   * The batch surface: its operations go to the batch account's backend only, never to a real-time pool.
   * @default - no batch surface
   */
  readonly batch?: { readonly backendId: string; readonly operationIds: readonly string[] };
  /**
   * The usage ledger: one record per request from outbound and on-error, so that no answer skips it.
   * @default - no ledger
   */
  readonly usageLedger?: { readonly loggerId: string; readonly lookupChunks: number };
}

/**
 * Calls on a stored object go to the account that stores it, which the tenant's ownership check found; batch calls
 * go to the batch account.
 */
function statefulRoutes(options: InferencePolicyOptions): XmlElement[] {
  return [
    ...(options.batch
      ? [
          el(
            'when',
            {
              condition: expr(
                `new string[] { ${options.batch.operationIds.map(csString).join(', ')} }.Contains(context.Operation.Id)`,
              ),
            },
            el('set-backend-service', { 'backend-id': options.batch.backendId }),
          ),
        ]
      : []),
    el(
      'when',
      { condition: expr(`context.Variables.ContainsKey(${csString(OBJECT_BASE_URL_VARIABLE)})`) },
      el('set-backend-service', {
        'base-url': expr(`(string)context.Variables[${csString(OBJECT_BASE_URL_VARIABLE)}]`),
      }),
    ),
  ];
}

/**
 * The policy of the inference API, in order (after `<base />`, which runs the tenant's product policy): drop the
 * client's key; authenticate to the models with the gateway's system-assigned identity; pick the pool by deployment;
 * limit tokens per subscription; check content safety when no product did; emit token
 * metrics. Backend: retry 429/503 across the pool. Outbound: strip internal headers, return the request id. The trace context (`traceparent`, `tracestate`) is never removed: it
 * flows to the model, and the Application Insights diagnostic correlates on it (W3C).
 */
export function inferencePolicy(options: InferencePolicyOptions): XmlElement {
  return el(
    'policies',
    {},
    el(
      'inbound',
      {},
      el('base'),
      CLIENT_CREDENTIAL_HEADERS.map(deleteHeader),
      managedIdentityAuth(),
      captureDeployment(),
      options.regionalRoutes && options.regionalRoutes.length > 0
        ? routeToRegionalPools(options.regionalRoutes, options.routes, statefulRoutes(options))
        : routeToPools(options.routes, statefulRoutes(options)),
      // Its own counter key: a tenant's product limit counts the same subscription separately.
      tokenLimit({
        ...options.tokenLimit,
        counterKey: expr('string.Concat("gateway-", context.Subscription.Id)'),
        ...(options.usageLedger ? { tokensConsumedVariable: TOKENS_CONSUMED_VARIABLE } : {}),
      }),
      options.contentSafety &&
        el(
          'choose',
          {},
          el(
            'when',
            { condition: expr(NO_PRODUCT_CONDITION) },
            contentSafety(
              options.contentSafety.backendId,
              options.contentSafety.shieldPrompt,
              options.contentSafety.thresholds,
            ),
          ),
        ),
      emitTokenMetric(options.tokenMetrics.namespace, options.tokenMetrics.dimensions),
    ),
    el('backend', {}, retryAcrossPool(options.retryCount)),
    el(
      'outbound',
      {},
      el('base'),
      options.usageLedger && logUsageRecord(options.usageLedger.loggerId, options.usageLedger.lookupChunks),
      INTERNAL_RESPONSE_HEADERS.map(deleteHeader),
      el(
        'set-header',
        { name: 'x-request-id', 'exists-action': 'override' },
        el('value', {}, text(expr('context.RequestId.ToString()'))),
      ),
    ),
    el(
      'on-error',
      {},
      el('base'),
      options.usageLedger && logUsageRecord(options.usageLedger.loggerId, options.usageLedger.lookupChunks),
      INTERNAL_RESPONSE_HEADERS.map(deleteHeader),
      // Every backend of the pool is tripped: replace the body, which names the pool, and keep the status and the
      // Retry-After header.
      el(
        'choose',
        {},
        el(
          'when',
          { condition: expr('context.Response?.StatusCode == 503') },
          el(
            'set-body',
            {},
            text(
              JSON.stringify({
                error: {
                  code: 'ServiceUnavailable',
                  message: 'All model backends are busy; retry after the Retry-After interval.',
                },
              }),
            ),
          ),
        ),
      ),
    ),
  );
}

/** The policy document as API Management takes it. */
export function renderPolicy(policy: XmlElement): string {
  return `${renderXml(policy)}\n`;
}
