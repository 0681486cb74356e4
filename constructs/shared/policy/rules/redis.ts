/**
 * Azure Managed Redis (`Microsoft.Cache/redisEnterprise` and its database, written through azapi): the semantic
 * cache. Sources: checkov CKV_AZURE_89/91/148 (the same controls for Azure Cache for Redis), PSRule
 * Azure.Redis.* / Azure.RedisEnterprise.*, Azure Policy "Azure Cache for Redis Enterprise should use private link",
 * and Learn, "Plan Redis modules for Azure Managed Redis" (what RediSearch requires).
 */
import { body, field } from '../../plan';
import { check, rule } from '../rule';
import { privateEndpointsOf } from './common';
import { SEMANTIC_CACHE_DATABASE } from '../../catalog/managed-redis';

const CACHE = 'Microsoft.Cache/redisEnterprise';
const DATABASE = 'Microsoft.Cache/redisEnterprise/databases';

export const REDIS_RULES = [
  rule({
    id: 'LZ.Redis.MinimumTls',
    title: 'Managed Redis accepts TLS 1.2 or newer only',
    severity: 'high',
    appliesTo: [CACHE],
    sources: ['CKV_AZURE_148', 'Azure.RedisEnterprise.MinTLS'],
    fix: 'Set properties.minimumTlsVersion = "1.2".',
    check: (r) =>
      check(
        field(body(r), 'properties.minimumTlsVersion') === '1.2',
        `properties.minimumTlsVersion is ${JSON.stringify(field(body(r), 'properties.minimumTlsVersion'))}`,
      ),
  }),
  rule({
    id: 'LZ.Redis.EncryptedOnly',
    title: 'Managed Redis databases speak TLS only (no plaintext port)',
    severity: 'high',
    appliesTo: [DATABASE],
    sources: ['CKV_AZURE_91', 'Azure.Redis.NonSslPort'],
    fix: 'Set properties.clientProtocol = "Encrypted".',
    check: (r) =>
      check(
        field(body(r), 'properties.clientProtocol') === 'Encrypted',
        `properties.clientProtocol is ${JSON.stringify(field(body(r), 'properties.clientProtocol'))}`,
      ),
  }),
  rule({
    id: 'LZ.Redis.PublicNetworkAccess',
    title: 'Managed Redis refuses traffic from public networks',
    severity: 'high',
    appliesTo: [CACHE],
    sources: ['CKV_AZURE_89', 'Azure.Redis.PublicNetworkAccess'],
    fix: 'Set properties.publicNetworkAccess = "Disabled" and reach the cache through its private endpoint.',
    check: (r) =>
      check(
        field(body(r), 'properties.publicNetworkAccess') === 'Disabled',
        'properties.publicNetworkAccess is not Disabled',
      ),
  }),
  rule({
    id: 'LZ.Redis.PrivateEndpoint',
    title: 'Managed Redis is reached through a private endpoint',
    severity: 'high',
    appliesTo: [CACHE],
    sources: ['Azure Policy 960e650e-9ce3-4316-9590-8ee2c016ca2f', 'Azure.RedisEnterprise.PrivateEndpoint'],
    fix: 'Give the cache a private endpoint (sub-resource redisEnterprise, zone privatelink.redis.azure.net).',
    check: (r, plan) => check(privateEndpointsOf(plan, r).length > 0, 'no private endpoint connects to it'),
  }),
  rule({
    id: 'LZ.Redis.AccessKeysDisabled',
    title: 'Managed Redis databases accept Entra ID only (access keys off)',
    severity: 'medium',
    appliesTo: [DATABASE],
    sources: [
      'Azure.Redis.EntraID',
      'Azure Policy "Azure Cache for Redis should not use access keys for authentication"',
    ],
    fix: 'Set properties.accessKeysAuthentication = "Disabled" where no client needs a key (API Management does).',
    check: (r) =>
      check(
        field(body(r), 'properties.accessKeysAuthentication') !== 'Enabled',
        'properties.accessKeysAuthentication is Enabled',
      ),
  }),
  rule({
    id: 'LZ.Redis.SemanticCacheReady',
    title: "Managed Redis databases load RediSearch the way API Management's semantic cache needs it",
    severity: 'high',
    appliesTo: [DATABASE],
    sources: [
      'own: Learn, "Plan Redis modules for Azure Managed Redis" (RediSearch requires the Enterprise clustering policy and NoEviction; modules are set only at creation)',
    ],
    fix: 'Set modules [{ name: "RediSearch" }], clusteringPolicy "EnterpriseCluster" and evictionPolicy "NoEviction".',
    check: (r) => {
      const props = body(r)['properties'] as Record<string, unknown> | undefined;
      const modules = ((props?.['modules'] as { name?: unknown }[] | undefined) ?? []).map((m) => m.name);
      const problems = [
        !modules.includes(SEMANTIC_CACHE_DATABASE.module) && 'no RediSearch module',
        props?.['clusteringPolicy'] !== SEMANTIC_CACHE_DATABASE.clusteringPolicy &&
          `clusteringPolicy is ${JSON.stringify(props?.['clusteringPolicy'])}`,
        props?.['evictionPolicy'] !== SEMANTIC_CACHE_DATABASE.evictionPolicy &&
          `evictionPolicy is ${JSON.stringify(props?.['evictionPolicy'])}`,
      ].filter((p): p is string => typeof p === 'string');
      return check(problems.length === 0, problems.join('; '));
    },
  }),
] as const;
