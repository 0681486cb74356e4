/**
 * Tenant isolation, stability and lifecycle, proven over the synthesized plan: every role assignment and every
 * product policy is walked, nothing is taken on trust.
 */
import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../environments';
import type { PlanResource, StackPlan } from '../../constructs/shared/plan';
import { environmentWithTenants } from '../../scripts/lib/generate';
import { exampleEnvironment, exampleInput, synthEnvironment } from '../helpers/synth';
import { findAll, parseXml } from '../helpers/xml';

/** The tenant a resource belongs to, or undefined for the platform. */
function ownerOf(resource: PlanResource | undefined): string | undefined {
  if (!resource) return undefined;
  const tags = resource.config['tags'] as Record<string, string> | undefined;
  if (tags?.['tenant']) return tags['tenant'];
  const metadata = resource.config['metadata'] as Record<string, string> | undefined;
  if (resource.type === 'azurerm_storage_container') return metadata?.['tenant'];
  return /^Tenants_([a-z0-9-]+?)_/.exec(resource.name)?.[1];
}

function planOf(input: unknown): StackPlan {
  const env = parseEnvironment(input, 'test');
  return synthEnvironment(env).plan;
}

/** For every role assignment: the tenant of its principal and the tenant of its scope. */
function roleGrants(plan: StackPlan) {
  return plan.byType('azurerm_role_assignment').map((assignment) => ({
    address: assignment.address,
    role: String(assignment.config['role_definition_name']),
    principalOwner: ownerOf(plan.resolve(assignment.config['principal_id'])),
    principal: plan.resolve(assignment.config['principal_id'])?.address,
    scopeOwner: ownerOf(plan.resolve(assignment.config['scope'])),
    scope: plan.resolve(assignment.config['scope'])?.address,
  }));
}

describe.each(['staging', 'prod'] as const)('%s tenants', (name) => {
  const env = exampleEnvironment(name);
  const plan = synthEnvironment(env).plan;

  it('gives no identity of one tenant any role on anything of another tenant or of the platform', () => {
    const grants = roleGrants(plan);
    const tenantGrants = grants.filter((g) => g.principalOwner !== undefined);
    expect(tenantGrants.length).toBeGreaterThan(0);
    for (const grant of tenantGrants) {
      expect(grant.scope, `${grant.address}: scope unresolved`).toBeDefined();
      // One platform resource is allowed: a Foundry project writes its traces to the environment's Application
      // Insights (Monitoring Metrics Publisher: telemetry write only, no read).
      if (
        grant.role === 'Monitoring Metrics Publisher' &&
        grant.scope?.startsWith('azurerm_application_insights.')
      )
        continue;
      expect(grant.scopeOwner, `${grant.address}: ${grant.principal} → ${grant.scope}`).toBe(
        grant.principalOwner,
      );
    }
  });

  it("scopes each tenant identity's roles to its own secret and container, never to a vault or account", () => {
    for (const grant of roleGrants(plan).filter((g) => g.principalOwner !== undefined)) {
      const allowed = {
        'Key Vault Secrets User': /^azapi_resource\..*SubscriptionKey/,
        'Storage Blob Data Contributor': /^azurerm_storage_container\./,
        'Azure AI User': /^azurerm_cognitive_account_project\./,
        'Monitoring Metrics Publisher': /^azurerm_application_insights\./,
      } as Record<string, RegExp>;
      expect(Object.keys(allowed)).toContain(grant.role);
      expect(grant.scope).toMatch(allowed[grant.role]!);
    }
  });

  it("lets no product reach another tenant's dedicated pool, and the shared routes reach no dedicated pool", () => {
    const tenantPools = new Map<string, string>(); // pool name → owning tenant
    for (const pool of plan
      .byType('azapi_resource')
      .filter((r) => (r.config['body'] as { properties: { type?: string } }).properties.type === 'Pool')) {
      const owner = ownerOf(pool);
      if (owner) tenantPools.set(String(pool.config['name']), owner);
    }
    if (name === 'prod') expect(tenantPools.size).toBeGreaterThan(0);
    for (const policy of plan.byType('azurerm_api_management_product_policy')) {
      const product = plan.resolve(policy.config['product_id']);
      const tenant = ownerOf(product) ?? String(product?.config['product_id']);
      const xml = parseXml(String(policy.config['xml_content']));
      const targets = [
        ...findAll(xml, 'set-variable')
          .filter((v) => v.attributes['name'] === 'tenant-backend')
          .map((v) => v.attributes['value']!),
        ...findAll(xml, 'set-backend-service').map((s) => s.attributes['backend-id']!),
      ];
      for (const target of targets) {
        // The verification tenant's probe names a shared backend by the request's header; its shape (the model, a
        // hyphen, a region code) is proven disjoint from every dedicated backend in test/scripts/verify.test.ts.
        if (target.startsWith('@(') && env.tenants[tenant]?.purpose === 'verification') continue;
        expect(tenantPools.get(target), `${tenant} routes to ${target}`).toBe(tenant);
      }
      // One limit per subscription (the tenant's allocation); a per-user limit may come on top.
      expect(
        findAll(xml, 'llm-token-limit').filter((l) => l.attributes['counter-key']?.includes('"tenant-"')),
        `${tenant} has no token limit`,
      ).toHaveLength(1);
    }
    const api = parseXml(String(plan.byType('azurerm_api_management_api_policy')[0]!.config['xml_content']));
    for (const target of findAll(api, 'set-backend-service').map((s) => s.attributes['backend-id']!)) {
      expect(tenantPools.has(target), `the shared API routes to ${target}`).toBe(false);
    }
  });

  it('gives each tenant with access one product, one active or suspended subscription without tracing, and its key in Key Vault', () => {
    const withAccess = Object.entries(env.tenants).filter(
      ([, t]) => t.allocations[name] !== 'none' && t.lifecycle !== 'offboarded',
    );
    const products = plan.byType('azurerm_api_management_product');
    expect(products.map((p) => p.config['product_id']).sort()).toEqual(
      withAccess.map(([slug]) => slug).sort(),
    );
    for (const product of products) {
      expect(product.config).toMatchObject({
        subscription_required: true,
        subscriptions_limit: 1,
        published: true,
      });
      const subscription = plan
        .byType('azurerm_api_management_subscription')
        .find((s) => s.config['product_id'] === `\${${product.address}.id}`);
      const tenant = env.tenants[String(product.config['product_id'])]!;
      expect(subscription?.config).toMatchObject({
        allow_tracing: false,
        state: tenant.lifecycle === 'suspended' ? 'suspended' : 'active',
      });
      const secret = plan
        .byType('azapi_resource')
        .find((r) =>
          JSON.stringify(r.config['sensitive_body'] ?? {}).includes(`${subscription!.address}.primary_key`),
        );
      expect(secret?.config['type'], `${product.config['product_id']} key in Key Vault`).toMatch(
        /^Microsoft\.KeyVault\/vaults\/secrets@/,
      );
    }
  });
});

describe('dedicated tenants', () => {
  const env = exampleEnvironment('prod');
  const plan = synthEnvironment(env).plan;
  const research = (type: string) => plan.byType(type).filter((r) => ownerOf(r) === 'research');

  it('get their own resource group, model account, Key Vault and pools', () => {
    expect(research('azurerm_resource_group').map((r) => r.config['name'])).toEqual([
      'rg-cx-genai-prd-sdc-t-research',
    ]);
    expect(research('azurerm_key_vault').map((r) => r.config['name'])).toEqual(['kvcxgenaiprdsdctresearch']);
    const accounts = research('azurerm_cognitive_account');
    expect(accounts.map((a) => a.config['name'])).toEqual(['ais-cx-genai-prd-sdc-t-research']);
    expect(accounts[0]!.config).toMatchObject({
      local_auth_enabled: false,
      public_network_access_enabled: false,
    });
    const pools = research('azapi_resource').filter(
      (r) => (r.config['body'] as { properties: { type?: string } }).properties.type === 'Pool',
    );
    expect(pools.map((p) => p.config['name'])).toEqual(['pool-research-gpt-4o']);
  });

  it('keep their subscription key in their own vault', () => {
    const secret = research('azapi_resource').find((r) =>
      String(r.config['type']).startsWith('Microsoft.KeyVault/vaults/secrets'),
    );
    expect(plan.resolve(secret?.config['parent_id'])?.config['name']).toBe('kvcxgenaiprdsdctresearch');
  });

  it('count against the quota plan', () => {
    const input = exampleInput('prod', {
      endpoints: { quota: { swedencentral: { '*': { GlobalProvisionedManaged: 20 } } } },
    });
    const problems = (() => {
      try {
        parseEnvironment(input, 'prod');
      } catch (error) {
        return (error as { problems: Array<{ path: string; message: string }> }).problems;
      }
      return [];
    })();
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: 'tenants.research.allocations.prod.dedicated.accounts.swedencentral.deployments.gpt-4o.capacity',
        message:
          'swedencentral * GlobalProvisionedManaged: deployments ask for 30 PTU in all, the quota is 20; over by 10',
      }),
    );
  });
});

describe('tenant lifecycle', () => {
  it('suspends the subscription of a suspended tenant and keeps its data', () => {
    const plan = planOf(exampleInput('prod', { tenants: { legal: { lifecycle: 'suspended' } } }));
    const product = plan
      .byType('azurerm_api_management_product')
      .find((p) => p.config['product_id'] === 'legal')!;
    const subscription = plan
      .byType('azurerm_api_management_subscription')
      .find((s) => s.config['product_id'] === `\${${product.address}.id}`);
    expect(subscription?.config['state']).toBe('suspended');
    expect(plan.byType('azurerm_storage_container').map((c) => c.config['name'])).toContain('tenant-legal');
  });

  it("removes an offboarded tenant's access and protects its data in prod", () => {
    const plan = planOf(exampleInput('prod'));
    expect(plan.byType('azurerm_api_management_product').map((p) => p.config['product_id'])).not.toContain(
      'pilot',
    );
    expect(plan.byType('azurerm_user_assigned_identity').filter((i) => ownerOf(i) === 'pilot')).toEqual([]);
    const container = plan
      .byType('azurerm_storage_container')
      .find((c) => c.config['name'] === 'tenant-pilot');
    expect(container?.config['lifecycle']).toEqual({ prevent_destroy: true });
    // An active tenant's container is kept as prod keeps all its data (protection.preventDestroy).
    const active = plan.byType('azurerm_storage_container').find((c) => c.config['name'] === 'tenant-legal');
    expect(active?.config['lifecycle']).toEqual({ prevent_destroy: true });
  });

  it('deletes the data only when config says so, with a reason', () => {
    const plan = planOf(
      exampleInput('prod', {
        tenants: {
          pilot: { deleteData: 'The pilot ended in March; the contract requires deletion within 90 days.' },
        },
      }),
    );
    expect(plan.byType('azurerm_storage_container').map((c) => c.config['name'])).not.toContain(
      'tenant-pilot',
    );
    expect(plan.resources.filter((r) => ownerOf(r) === 'pilot')).toEqual([]);
  });
});

describe('tenant stability', () => {
  it('keeps every other address when a tenant is removed', () => {
    const withAll = planOf(environmentWithTenants(12, { dedicatedEvery: 4 }));
    const input = environmentWithTenants(12, { dedicatedEvery: 4 });
    delete input.tenants!['t0003']; // a dedicated one
    delete input.tenants!['t0005'];
    const without = planOf(input);
    const removedOwners = new Set(['t0003', 't0005']);
    const expected = withAll.resources
      .filter((r) => !removedOwners.has(ownerOf(r) ?? ''))
      .map((r) => r.address)
      .sort();
    expect(without.resources.map((r) => r.address).sort()).toEqual(expected);
  });
});
