/**
 * Azure Managed Redis (Redis Enterprise, `Microsoft.Cache/redisEnterprise`) as API Management's semantic cache.
 *
 * Sources:
 * - Learn, "Enable semantic caching for LLM APIs in Azure API Management": the cache is Azure Managed Redis with the
 *   RediSearch module, which can only be enabled when the cache is created.
 * - Learn, "Plan Redis modules for Azure Managed Redis": RediSearch runs on the Memory Optimized, Balanced and Compute
 *   Optimized tiers (not Flash Optimized) and requires the Enterprise clustering policy and the NoEviction policy.
 * - Learn, "Use an external Redis-compatible cache in Azure API Management": API Management connects with a Redis
 *   connection string (`<host>:10000,password=<access key>,ssl=True,abortConnect=False`); with Azure Managed Redis
 *   access-key authentication must be enabled, because API Management cannot use Microsoft Entra authentication to it.
 * - Learn, "Azure Private Endpoint private DNS zone values": sub-resource `redisEnterprise`, zone
 *   `privatelink.redis.azure.net`.
 */

/** The ARM types (with API version) the blueprint writes through azapi: no access key ever enters Terraform state. */
export const MANAGED_REDIS_API = 'Microsoft.Cache/redisEnterprise@2025-07-01';
export const MANAGED_REDIS_DATABASE_API = 'Microsoft.Cache/redisEnterprise/databases@2025-07-01';
/** The database of a Managed Redis cache: every cache has exactly one, named `default`. */
export const MANAGED_REDIS_DATABASE = 'default';
/** The TLS port of a Managed Redis database. */
export const MANAGED_REDIS_PORT = 10000;

/** What API Management's semantic cache needs of the database. */
export const SEMANTIC_CACHE_DATABASE = {
  module: 'RediSearch',
  clusteringPolicy: 'EnterpriseCluster',
  evictionPolicy: 'NoEviction',
  clientProtocol: 'Encrypted',
} as const;

/** Managed Redis SKUs that can load RediSearch (Flash Optimized cannot). */
export const MANAGED_REDIS_SEARCH_SKUS = [
  'Balanced_B0',
  'Balanced_B1',
  'Balanced_B3',
  'Balanced_B5',
  'Balanced_B10',
  'Balanced_B20',
  'Balanced_B50',
  'Balanced_B100',
  'MemoryOptimized_M10',
  'MemoryOptimized_M20',
  'MemoryOptimized_M50',
  'MemoryOptimized_M100',
  'ComputeOptimized_X3',
  'ComputeOptimized_X5',
  'ComputeOptimized_X10',
  'ComputeOptimized_X20',
  'ComputeOptimized_X50',
  'ComputeOptimized_X100',
] as const;
export type ManagedRedisSku = (typeof MANAGED_REDIS_SEARCH_SKUS)[number];

/** The ARM id of an Azure Managed Redis cache. */
export const MANAGED_REDIS_ID =
  /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Cache\/redisEnterprise\/([^/]+)$/i;
/** The ARM id of a classic Azure Cache for Redis, which has no RediSearch. */
export const CLASSIC_REDIS_ID = /\/providers\/Microsoft\.Cache\/redis\/[^/]+$/i;

/** The host name of a Managed Redis cache: `<name>.<region>.redis.azure.net`. */
export function managedRedisHost(name: string, region: string): string {
  return `${name}.${region}.redis.azure.net`;
}
