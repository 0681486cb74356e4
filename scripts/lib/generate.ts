/**
 * Generated configurations for scale tests and the benchmark: an example environment with N tenants, shared and
 * dedicated mixed, with allocations that fit the environment.
 */
import { EXAMPLE_ENVIRONMENTS, type EnvironmentInput } from '../../environments';

/** The prod example with `count` generated tenants: one in `dedicatedEvery` is dedicated (own account in the primary region). */
export function environmentWithTenants(
  count: number,
  options: { base?: 'dev' | 'staging' | 'prod'; dedicatedEvery?: number; regions?: number } = {},
): EnvironmentInput {
  const baseName = options.base ?? 'prod';
  const base = structuredClone(EXAMPLE_ENVIRONMENTS[baseName]!) as EnvironmentInput;
  const dedicatedEvery = options.dedicatedEvery ?? 10;
  const primary = base.regions.primary;
  const tenants: NonNullable<EnvironmentInput['tenants']> = {};
  let dedicatedCount = 0;
  for (let i = 0; i < count; i++) {
    const slug = `t${String(i).padStart(4, '0')}`;
    const dedicated = dedicatedEvery > 0 && i % dedicatedEvery === dedicatedEvery - 1;
    if (dedicated) dedicatedCount += 1;
    tenants[slug] = {
      displayName: `Tenant ${i}`,
      owner: `team-${i}@contoso.com`,
      costCenter: `CC-${10000 + i}`,
      tier: dedicated ? 'dedicated' : 'shared',
      allowedModels: ['gpt-4o-mini'],
      contentFilter: 'standard',
      entra: {
        tenantId: '0f3c2a1e-5b6d-4c7e-8f90-a1b2c3d4e5f6',
        audience: 'api://contoso-ai-gateway',
        clientApplicationIds: [],
      },
      allocations: {
        [base.name]: {
          tokensPerMinute: 100,
          monthlyTokenQuota: 1000000,
          ...(dedicated
            ? {
                dedicated: {
                  accounts: {
                    [primary]: {
                      deployments: {
                        'gpt-4o-mini': {
                          model: { name: 'gpt-4o-mini', version: '2024-07-18' },
                          type: 'GlobalStandard',
                          capacity: 10,
                          contentFilter: 'standard',
                        },
                      },
                    },
                  },
                },
              }
            : {}),
        },
      },
    };
  }
  const quota = structuredClone(base.endpoints?.quota ?? {}) as Record<
    string,
    Record<string, Record<string, number>>
  >;
  const regionQuota = (quota[primary] ??= {});
  const mini = (regionQuota['gpt-4o-mini'] ??= {});
  mini['GlobalStandard'] = (mini['GlobalStandard'] ?? 0) + dedicatedCount * 10;
  return {
    ...base,
    tenants,
    endpoints: { ...base.endpoints, quota },
    // A thousand tenants need a thousand products: Premium allows 2,000.
    gateway: { ...base.gateway!, sku: { tier: 'Premium', capacity: base.gateway!.sku.capacity } },
  };
}
