import {
  VERIFICATION_BACKEND_HEADER,
  VERIFICATION_PROBE_REGION_CODE,
  VERIFICATION_UNKNOWN_BACKEND,
} from '../../shared/verification';
import { DEPLOYMENT_VARIABLE, deleteHeader, jsonError, TENANT_BACKEND_VARIABLE } from './llm';
import { csString, el, expr, type XmlElement } from './xml';

/**
 * The verification tenant's per-backend probe, in its product policy: a request that names one shared backend of the
 * requested model in the `x-lz-verify-backend` header (`gpt-4o-sdc` for `gpt-4o`: the model, a hyphen and a region
 * code) goes to that backend instead of the model's pool, so that `npm run verify` proves each backend reachable from
 * the gateway (its DNS, route and role) with the gateway's own call. Any other value is refused with 400, never
 * served by the pool; a dedicated tenant's backend (`<tenant>-<model>-<code>`) never has that shape. The header is
 * removed before the request leaves the gateway; the API routing honours the variable as it does a dedicated
 * tenant's pool. The policy names no backend, so it is the same in every environment (the promotion guard compares
 * it as behaviour).
 */
export function verificationProbe(): XmlElement {
  const header = `context.Request.Headers.GetValueOrDefault(${csString(VERIFICATION_BACKEND_HEADER)}, "")`;
  const shape = `"^" + System.Text.RegularExpressions.Regex.Escape((string)context.Variables[${csString(DEPLOYMENT_VARIABLE)}]) + ${csString(`-${VERIFICATION_PROBE_REGION_CODE}$`)}`;
  return el(
    'choose',
    {},
    el(
      'when',
      { condition: expr(`System.Text.RegularExpressions.Regex.IsMatch(${header}, ${shape})`) },
      el('set-variable', { name: TENANT_BACKEND_VARIABLE, value: expr(header) }),
      deleteHeader(VERIFICATION_BACKEND_HEADER),
    ),
    el(
      'when',
      { condition: expr(`context.Request.Headers.ContainsKey(${csString(VERIFICATION_BACKEND_HEADER)})`) },
      jsonError(
        400,
        VERIFICATION_UNKNOWN_BACKEND,
        'The verification header names no shared backend of this model.',
      ),
    ),
  );
}
