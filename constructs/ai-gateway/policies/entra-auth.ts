/**
 * A tenant's sign-in at the gateway: the Microsoft Entra token its application presents, checked by
 * `validate-azure-ad-token` (Learn, "Validate Microsoft Entra token" policy reference; the AI-Gateway "access
 * controlling" lab validates the same way, then replaces the client's token with the gateway's managed-identity
 * token, which the inference API policy does with `authentication-managed-identity`).
 */
import { tokenLimit } from './llm';
import { csString, el, expr, type XmlElement } from './xml';

/** How a tenant's callers prove who they are. */
export type TenantAuthMode = 'key' | 'entra' | 'both';

/** Variable that holds the validated token (a `Jwt`). */
export const TOKEN_VARIABLE = 'tenant-jwt';

export interface EntraAuthOptions {
  /**
   * `entra`: the subscription key identifies the product and a valid token is required as well. `both`: a token is
   * validated when one is presented, the key alone is still accepted (a migration step).
   */
  readonly mode: Exclude<TenantAuthMode, 'key'>;
  /** The directory (tenant) id that issues the tokens. */
  readonly tenantId: string;
  /** The `aud` the tokens must carry. */
  readonly audience: string;
  /** Client application ids (`appid`/`azp`) allowed to call: the tenant's own identity and its app registrations. */
  readonly clientApplicationIds: readonly string[];
  /** A token limit per signed-in user (the token's `oid`). @default - none */
  readonly tokensPerMinutePerUser?: number;
}

/** The `Authorization` header is present. */
const HAS_BEARER = 'context.Request.Headers.ContainsKey("Authorization")';

/** `validate-azure-ad-token` for the tenant's audience and client applications; 401 otherwise. */
export function validateEntraToken(options: EntraAuthOptions): XmlElement {
  if (options.clientApplicationIds.length === 0)
    throw new Error('validate-azure-ad-token needs at least one client application id');
  return el(
    'validate-azure-ad-token',
    {
      'tenant-id': options.tenantId,
      'header-name': 'Authorization',
      'failed-validation-httpcode': 401,
      'failed-validation-error-message': 'A valid Microsoft Entra token for this product is required.',
      'output-token-variable-name': TOKEN_VARIABLE,
    },
    el(
      'client-application-ids',
      {},
      options.clientApplicationIds.map((id) => el('application-id', {}, { text: id })),
    ),
    el('audiences', {}, el('audience', {}, { text: options.audience })),
  );
}

/**
 * The sign-in step of a product policy, to run before anything else: the token check (always under `entra`, when a
 * token is presented under `both`).
 */
export function entraSignIn(options: EntraAuthOptions): XmlElement {
  const validate = validateEntraToken(options);
  return options.mode === 'entra'
    ? validate
    : el('choose', {}, el('when', { condition: expr(HAS_BEARER) }, validate));
}

/** The per-user token limit, keyed by the validated token's `oid`, when configured. */
export function perUserTokenLimit(slug: string, options: EntraAuthOptions): XmlElement | undefined {
  if (options.tokensPerMinutePerUser === undefined) return undefined;
  const limit = tokenLimit({
    counterKey: expr(
      `string.Concat(${csString(`user-${slug}-`)}, ((Jwt)context.Variables[${csString(TOKEN_VARIABLE)}]).Claims.GetValueOrDefault("oid", "none"))`,
    ),
    tokensPerMinute: options.tokensPerMinutePerUser,
    scope: 'product',
  });
  // Under `both`, callers with the key alone have no token, hence no user: only signed-in calls count per user.
  return el(
    'choose',
    {},
    el('when', { condition: expr(`context.Variables.ContainsKey(${csString(TOKEN_VARIABLE)})`) }, limit),
  );
}
