/**
 * Stack ids: one platform stack per environment, named like the environment, and optionally the tenant shards
 * `<environment>-tenants-<n>` (n from 1). The ids are what `cdktf diff|deploy <id>` and the pipeline take, and the
 * directories under `cdktf.out/stacks/`.
 *
 * Dependency-free on purpose: the pipeline runner (`scripts/pipeline.ts`) imports it without node_modules.
 */

/** Between the environment name and the shard number of a shard stack id. */
export const SHARD_INFIX = '-tenants-';

/** The id of tenant shard `shard` (1-based) of an environment: `prod-tenants-3`. */
export function shardStackId(environment: string, shard: number): string {
  if (!Number.isInteger(shard) || shard < 1)
    throw new Error(`shard must be a positive integer, got ${shard}`);
  return `${environment}${SHARD_INFIX}${shard}`;
}

/** The shard number of `stackId` if it is a tenant shard of `environment`, else undefined. */
export function shardNumberOf(environment: string, stackId: string): number | undefined {
  const prefix = `${environment}${SHARD_INFIX}`;
  if (!stackId.startsWith(prefix)) return undefined;
  const rest = stackId.slice(prefix.length);
  return /^[1-9]\d*$/.test(rest) ? Number(rest) : undefined;
}

/**
 * The stacks of one environment among `stackIds`, in deploy order: the platform stack first, then the shards by
 * number (they read the platform stack's outputs).
 */
export function stacksOfEnvironment(environment: string, stackIds: Iterable<string>): string[] {
  const ids = [...stackIds];
  const shards = ids
    .map((id) => ({ id, shard: shardNumberOf(environment, id) }))
    .filter((s): s is { id: string; shard: number } => s.shard !== undefined)
    .sort((a, b) => a.shard - b.shard)
    .map((s) => s.id);
  return [...(ids.includes(environment) ? [environment] : []), ...shards];
}
