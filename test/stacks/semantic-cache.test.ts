/**
 * The semantic cache, proven on the synthesized plans of every environment the project loads: no tenant can get
 * another tenant's cache hit, because every lookup in every policy varies by its own tenant's key (and by the
 * deployment), the API policy never looks up, and each store follows the lookup of the same document. The cache's
 * connection secret is only ever a Key Vault named value. Then two tenants on one shared model, built here.
 */
import { describe, expect, it } from 'vitest';
import { semanticCachePartition } from '../../constructs/ai-gateway/policies/product-policy';
import { SEMANTIC_CACHE_NAMED_VALUE } from '../../constructs/ai-gateway';
import { body, field, type StackPlan } from '../../constructs/shared/plan';
import { type Environment, loadEnvironments, parseEnvironment } from '../../environments';
import { tenantSemanticCache, tenantsIn } from '../../environments/sections/tenants';
import { TENANTS } from '../../environments/tenants';
import { examplesOutput } from '../helpers/examples';
import { exampleInput, synthEnvironment } from '../helpers/synth';
import { child, type Element, findAll, parseXml } from '../helpers/xml';

const LOOKUP = 'llm-semantic-cache-lookup';
const STORE = 'llm-semantic-cache-store';
const DEPLOYMENT_KEY = '@((string)context.Variables["deployment-id"])';

/** Every product policy of the environment's stacks (shards included), with its product's slug. */
function productPolicies(plans: readonly StackPlan[]): { slug: string; policy: Element }[] {
  return plans.flatMap((plan) =>
    plan.byType('azurerm_api_management_product_policy').map((resource) => {
      const product = plan.resolve(resource.config['product_id']);
      const slug = String(product?.config['product_id'] ?? resource.config['product_id']);
      return { slug, policy: parseXml(String(resource.config['xml_content'])) };
    }),
  );
}

/** The `when` condition around the only element of a name in a section, or undefined when it is not guarded. */
function guardOf(section: Element, name: string): string | undefined {
  for (const choose of findAll(section, 'choose'))
    for (const when of findAll(choose, 'when'))
      if (findAll(when, name).length > 0) return when.attributes['condition'];
  return undefined;
}

/** What the partition proof needs to hold for one policy document. */
function checkPartition(slug: string, policy: Element): void {
  const inbound = child(policy, 'inbound')!;
  const outbound = child(policy, 'outbound')!;
  const lookups = findAll(policy, LOOKUP);
  const stores = findAll(policy, STORE);
  expect(lookups, slug).toHaveLength(1);
  expect(findAll(inbound, LOOKUP), slug).toHaveLength(1);
  const keys = findAll(lookups[0]!, 'vary-by').map((v) => v.text);
  expect(keys, slug).toEqual([`@("${semanticCachePartition(slug)}")`, DEPLOYMENT_KEY]);
  // The store keeps the answer under the key its lookup computed: it is in the same document, after it.
  expect(stores, slug).toHaveLength(1);
  expect(findAll(outbound, STORE), slug).toHaveLength(1);
  const lookupGuard = guardOf(inbound, LOOKUP);
  expect(lookupGuard, slug).toBeDefined();
  expect(guardOf(outbound, STORE), slug).toContain(lookupGuard!.replace(/^@\(|\)$/g, ''));
}

const environments = loadEnvironments();
const output = examplesOutput();
const stacksOf = (env: Environment) =>
  output.stacks().filter((p) => p.name === env.name || p.name.startsWith(`${env.name}-tenants-`));

describe.each(environments.map((env) => [env.name, env] as const))('%s', (name, env) => {
  const plans = stacksOf(env);
  const platform = plans.find((p) => p.name === name)!;
  const products = productPolicies(plans);
  const tenants = tenantsIn(env).filter((t) => t.hasAccess);

  it('never looks up or stores at API scope: only tenants do, in their own partitions', () => {
    for (const policy of platform.byType('azurerm_api_management_api_policy')) {
      const doc = parseXml(String(policy.config['xml_content']));
      expect(findAll(doc, LOOKUP)).toEqual([]);
      expect(findAll(doc, STORE)).toEqual([]);
    }
  });

  it.each(tenants.map((t) => [t.slug, t] as const))(
    '%s: caches in its own partition exactly when it opted in, with its threshold and duration',
    (slug, t) => {
      const policy = products.find((p) => p.slug === slug)!.policy;
      const expected = tenantSemanticCache(env, t.tenant);
      if (!expected) {
        expect(findAll(policy, LOOKUP)).toEqual([]);
        expect(findAll(policy, STORE)).toEqual([]);
        return;
      }
      checkPartition(slug, policy);
      expect(findAll(policy, LOOKUP)[0]!.attributes['score-threshold']).toBe(String(expected.scoreThreshold));
      expect(findAll(policy, STORE)[0]!.attributes['duration']).toBe(String(expected.durationSeconds));
    },
  );

  it('gives every lookup of the plan a key no other tenant has', () => {
    const keys = products.flatMap(({ slug, policy }) =>
      findAll(policy, LOOKUP).map((lookup) => ({ slug, key: findAll(lookup, 'vary-by')[0]?.text })),
    );
    for (const { slug, key } of keys) expect(key).toBe(`@("${semanticCachePartition(slug)}")`);
    expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length);
  });

  it('reads the connection string only from a Key Vault named value, and writes no key into the plan', () => {
    const caches = platform.byType('Microsoft.ApiManagement/service/caches');
    expect(platform.byType('azurerm_api_management_redis_cache')).toEqual([]);
    if (!env.gateway.semanticCache.enabled) {
      expect(caches).toEqual([]);
      return;
    }
    expect(caches).toHaveLength(1);
    expect(field(body(caches[0]!), 'properties.connectionString')).toBe(`{{${SEMANTIC_CACHE_NAMED_VALUE}}}`);
    const value = platform
      .byType('azurerm_api_management_named_value')
      .find((v) => v.config['name'] === SEMANTIC_CACHE_NAMED_VALUE)!;
    expect(value.config['secret']).toBe(true);
    expect(value.config['value']).toBeUndefined();
    const secret = platform.resolve(field(value.config, 'value_from_key_vault.secret_id'))!;
    expect(secret.armType).toBe('Microsoft.KeyVault/vaults/secrets');
    // The key reaches only the write-only sensitive_body, from an ephemeral listKeys that is never stored.
    expect(JSON.stringify(secret.config['body'])).not.toContain('password=');
    expect(String(field(secret.config['sensitive_body'], 'properties.value'))).toMatch(
      /,password=\$\{ephemeral\.azapi_resource_action\.[^.}]+\.output\.primaryKey\},ssl=True,abortConnect=False$/,
    );
    const everythingButSecrets = JSON.stringify(
      platform.resources.filter((r) => r !== secret).map((r) => r.config),
    );
    expect(everythingButSecrets).not.toMatch(/password=|primaryKey|primary_access_key/);
  });
});

describe('two tenants on one shared model', () => {
  const shared = (displayName: string) => ({
    ...TENANTS.marketing,
    displayName,
    allowedModels: ['gpt-4o-mini'],
    semanticCache: {},
    allocations: { staging: { tokensPerMinute: 1000, monthlyTokenQuota: 100000 } },
  });
  const env = parseEnvironment(
    { ...exampleInput('staging'), tenants: { alpha: shared('Alpha'), beta: shared('Beta') } },
    'test:two-tenants',
  );
  const synth = synthEnvironment(env);
  const plan = synth.plan;
  const products = productPolicies([plan]);

  it('looks each up in its own partition: the same prompt to the same model never crosses', () => {
    expect(products.map((p) => p.slug).sort()).toEqual(['alpha', 'beta']);
    for (const { slug, policy } of products) checkPartition(slug, policy);
    const [a, b] = products.map((p) => findAll(findAll(p.policy, LOOKUP)[0]!, 'vary-by').map((v) => v.text));
    // Same model key, different tenant key: the cache key differs.
    expect(a![1]).toBe(b![1]);
    expect(a![0]).not.toBe(b![0]);
  });

  it('passes the cache hardening rules, and shows why access keys stay on in the audit', () => {
    const results = synth.policy.results.filter((r) => r.rule.startsWith('LZ.Redis.'));
    expect(results.map((r) => [r.rule, r.status]).sort()).toEqual([
      ['LZ.Redis.AccessKeysDisabled', 'suppressed'],
      ['LZ.Redis.EncryptedOnly', 'pass'],
      ['LZ.Redis.MinimumTls', 'pass'],
      ['LZ.Redis.PrivateEndpoint', 'pass'],
      ['LZ.Redis.PublicNetworkAccess', 'pass'],
      ['LZ.Redis.SemanticCacheReady', 'pass'],
    ]);
    expect(results.find((r) => r.status === 'suppressed')).toMatchObject({
      reason: expect.stringContaining('cannot use Microsoft Entra authentication to Azure Managed Redis'),
    });
  });
});
