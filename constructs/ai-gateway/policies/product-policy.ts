import {
  captureDeployment,
  type ContentSafetyThresholds,
  contentSafety,
  DEPLOYMENT_VARIABLE,
  jsonError,
  TENANT_BACKEND_VARIABLE,
  tokenLimit,
} from './llm';
import { verificationProbe } from './verification-probe';
import { csString, el, expr, type XmlElement } from './xml';

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
}

/**
 * The policy of one tenant's product, run at `<base />` of the inference API: read the deployment, refuse models
 * outside the allow-list (403), point the tenant's own models at its own pools (dedicated tier), limit tokens
 * per subscription (429 above the rate, 403 above the monthly quota), and check content safety once with the
 * tenant's thresholds.
 */
export function tenantProductPolicy(options: TenantPolicyOptions): XmlElement {
  const allowed = options.allowedModels.map(csString).join(', ');
  const dedicated = Object.entries(options.dedicatedPools ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return el(
    'policies',
    {},
    el(
      'inbound',
      {},
      el('base'),
      captureDeployment(),
      el(
        'choose',
        {},
        el(
          'when',
          {
            condition: expr(
              `!new string[] { ${allowed} }.Contains((string)context.Variables[${csString(DEPLOYMENT_VARIABLE)}])`,
            ),
          },
          jsonError(403, 'ModelNotAllowed', 'This subscription may not call this deployment.'),
        ),
      ),
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
      options.contentSafety &&
        contentSafety(
          options.contentSafety.backendId,
          options.contentSafety.shieldPrompt,
          options.contentSafety.thresholds,
        ),
    ),
    el('backend', {}, el('base')),
    el('outbound', {}, el('base')),
    el('on-error', {}, el('base')),
  );
}
