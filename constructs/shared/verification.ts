/**
 * What the platform and `npm run verify` agree on about the verification tenants: the tenants the post-apply checks
 * call the gateway as. The constructs write these into the plan; verify reads them back from it. verify finds its tenants by the probe in their product policy.
 */

/**
 * The request header with which the verification tenant asks for one backend (`gpt-4o-sdc`) instead of the pool.
 * Only the verification tenant's product policy reads it, and only for the shared backends of the requested model;
 * any other value is refused (400), so that a probe never falls back to the pool unnoticed.
 */
export const VERIFICATION_BACKEND_HEADER = 'x-lz-verify-backend';

/**
 * The region code after `<model>-` in a shared backend's id (constructs/ai-gateway/routing `backendId`; the codes of
 * constructs/shared/regions), as a .NET regular expression.
 */
export const VERIFICATION_PROBE_REGION_CODE = '[a-z0-9]{2,5}';

/** The error code of that refusal. */
export const VERIFICATION_UNKNOWN_BACKEND = 'VerificationBackendUnknown';

/**
 * The largest token rate a verification tenant may get: its token-limit check sends requests until the gateway
 * answers 429, so the rate bounds what one run costs.
 */
export const VERIFICATION_MAX_TOKENS_PER_MINUTE = 2000;
