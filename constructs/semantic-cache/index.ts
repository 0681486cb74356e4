/** The public face of this capability: what stacks, other capabilities and tests use. Internals stay unexported here. */
export {
  type ExistingManagedRedisOptions,
  type ManagedRedisCacheOptions,
  SEMANTIC_CACHE_SECRET,
  SemanticCache,
  type SemanticCacheProps,
} from './semantic-cache';
