import { z } from 'zod';
import type { EnvironmentRule } from '../rules';
import { Region } from './primitives';
import { type TenantConfig, tenantAuth, tenantsIn } from './tenants';
import type { AzureRegion } from '../../constructs/shared/catalog';

/**
 * The environment's Azure AI Foundry resource: one AIServices account with project management, a platform project,
 * and a project for each tenant that opts in (`foundryProject` in the tenant registry).
 */
export const FoundrySection = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe('Build the Foundry resource, the platform project and the tenants’ projects.'),
    sku: z.enum(['S0']).default('S0').describe('The Foundry resource’s SKU (S0: pay per use, no fixed fee).'),
    region: Region.optional().describe('Default: the primary region.'),
  })
  .prefault({})
  .describe(
    'Azure AI Foundry: an AIServices account with project management, hardened like the model accounts (private, Entra ID only, diagnostics, locks where protection is on), a platform project and one project per opted-in tenant.',
  );

export const FOUNDRY_FIELDS = { foundry: FoundrySection };

type FoundryEnv = {
  name: string;
  stage: 'dev' | 'staging' | 'prod';
  regions: { primary: AzureRegion };
  foundry: { enabled: boolean; region?: AzureRegion | undefined };
  tenants: Record<string, TenantConfig>;
};

/** True when the tenant asks for a Foundry project in environment `envName` (explicitly or by `true`). */
function asksForProject(tenant: Pick<TenantConfig, 'foundryProject'>, envName: string): boolean {
  const optIn = tenant.foundryProject;
  return typeof optIn === 'boolean' ? optIn : optIn?.[envName] === true;
}

/**
 * The tenants that get a Foundry project in this environment, by slug order: those that ask for one, have an
 * allocation here and still have access (an offboarded tenant's identity is gone, and with it the project).
 */
export function foundryTenants(env: Pick<FoundryEnv, 'name' | 'foundry' | 'tenants'>): string[] {
  if (!env.foundry.enabled) return [];
  return tenantsIn(env)
    .filter((t) => t.hasAccess && asksForProject(t.tenant, env.name))
    .map((t) => t.slug);
}

/** The region of the Foundry resource. */
export function foundryRegion(env: Pick<FoundryEnv, 'foundry' | 'regions'>): AzureRegion {
  return env.foundry.region ?? env.regions.primary;
}

export function foundryRules<
  E extends FoundryEnv & { regions: { additional: AzureRegion[] } },
>(): EnvironmentRule<E>[] {
  return [
    {
      id: 'foundry-region-in-environment',
      reads: [['regions'], ['foundry']],
      check: (env, report) => {
        const region = env.foundry.region;
        const regions = [env.regions.primary, ...env.regions.additional];
        if (env.foundry.enabled && region && !regions.includes(region)) {
          report({
            path: ['foundry', 'region'],
            message: `${region} is not one of the environment's regions; expected one of ${regions.join(', ')}`,
          });
        }
      },
    },
    {
      id: 'foundry-project-needs-allocation',
      reads: [['name'], ['foundry'], ['tenants']],
      check: (env, report) => {
        for (const [slug, tenant] of Object.entries(env.tenants)) {
          const optIn = tenant.foundryProject;
          // `true` means "wherever the tenant is": only a project named for this environment can miss its allocation.
          if (typeof optIn !== 'object' || optIn[env.name] !== true) continue;
          const allocation = tenant.allocations[env.name];
          const path = ['tenants', slug, 'foundryProject', env.name];
          if (allocation === undefined || allocation === 'none') {
            report({
              path,
              message: `a Foundry project for tenant "${slug}" in ${env.name}, where it has no allocation (allocations.${env.name} is ${allocation === undefined ? 'missing' : '"none"'}); expected an allocation in ${env.name}, or no project there`,
            });
          } else if (!env.foundry.enabled) {
            report({
              path,
              message: `a Foundry project for tenant "${slug}" in ${env.name}, where foundry.enabled is false; expected foundry.enabled true, or no project there`,
            });
          }
        }
      },
    },
    {
      id: 'foundry-project-gateway-key',
      reads: [['name'], ['stage'], ['foundry'], ['tenants']],
      check: (env, report) => {
        // The project's gateway connection authenticates with the tenant's subscription key (Foundry's API
        // Management connections take an API key; Learn, "Bring your own AI gateway"): a product that demands an
        // Entra token as well would refuse every call the project makes.
        for (const slug of foundryTenants(env)) {
          const tenant = env.tenants[slug]!;
          if (tenantAuth(tenant, env.stage) === 'entra') {
            report({
              path: ['tenants', slug, 'auth'],
              message: `tenant "${slug}" has a Foundry project in ${env.name}, whose gateway connection sends the subscription key only (Foundry's API Management connections take a key, not an Entra token), but its product requires an Entra token too (auth "entra"${tenant.auth ? '' : `, the ${env.stage} default`}); expected auth "both" (the token is checked whenever an application presents one), or no Foundry project`,
            });
          }
        }
      },
    },
  ];
}
