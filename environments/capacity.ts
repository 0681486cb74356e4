import { type CapacityClaim, endpointCapacityClaims, quotaPlan, type QuotaRow } from './sections/endpoints';
import { tenantCapacityClaims } from './sections/tenants';
import type { Environment } from './schema';

/**
 * Every request of the environment for model capacity: the shared model accounts and, later, the dedicated tenants'.
 * The schema's quota rule and `npm run quota` both read it, so they always agree.
 */
export function environmentCapacityClaims(
  env: Pick<Environment, 'endpoints' | 'name' | 'tenants'>,
): CapacityClaim[] {
  return [...endpointCapacityClaims(env.endpoints), ...tenantCapacityClaims(env)];
}

/** The environment's quota plan: per region, model and type, what is requested against what is declared. */
export function environmentQuotaPlan(env: Pick<Environment, 'endpoints' | 'name' | 'tenants'>): QuotaRow[] {
  return quotaPlan(env.endpoints, environmentCapacityClaims(env));
}
