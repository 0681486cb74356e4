/**
 * Scale-out: tenants in their own stacks (`<environment>-tenants-<n>`), each with its own state, so that a plan of
 * thousands of tenants is many small plans. The platform stack keeps everything shared; a shard reads what it needs
 * from the platform stack's outputs (cdktf cross-stack references).
 *
 * A tenant's shard depends only on its slug and the shard count (jump consistent hash of the slug), or on a pin: adding
 * or removing other tenants never moves it.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SHARD_INFIX } from '../stack-ids';
import type { EnvironmentRule } from '../rules';
import { TenantSlug, tenantsIn, type TenantConfig } from './tenants';

/** Most shards an environment may have: each is a stack, a state and a pipeline step. */
export const MAX_TENANT_SHARDS = 64;

export const TenantShardsSection = z
  .strictObject({
    count: z
      .number()
      .int({ message: 'expected a whole number of shards' })
      .min(1, { message: 'expected at least 1 shard' })
      .max(MAX_TENANT_SHARDS, { message: `expected at most ${MAX_TENANT_SHARDS} shards` })
      .describe(
        'Number of tenant stacks. Fixed: raising it moves about 1/count of the tenants to the new shards (pin them to stay).',
      ),
    maxTenantsPerShard: z
      .number()
      .int()
      .min(1, { message: 'expected at least 1 tenant per shard' })
      .default(250)
      .describe('Shard size: synth fails when the hash puts more tenants than this into one shard.'),
    pins: z
      .record(TenantSlug, z.number().int().min(1, { message: 'expected a shard number from 1' }))
      .default({})
      .describe('Tenants placed by hand (slug → shard number), e.g. to keep them in place when count grows.'),
  })
  .optional()
  .describe(
    'Put the tenants into separate stacks <name>-tenants-1 … <name>-tenants-<count>, each with its own state. Default: tenants live in the platform stack.',
  );
export type TenantShards = NonNullable<z.output<typeof TenantShardsSection>>;

export const TENANT_SHARD_FIELDS = { tenantShards: TenantShardsSection };

/** A stable 64-bit key of a slug (the first 8 bytes of its SHA-256): the same on every machine and Node version. */
function slugKey(slug: string): bigint {
  return createHash('sha256').update(slug, 'utf8').digest().readBigUInt64BE(0);
}

const MASK_64 = (1n << 64n) - 1n;

/**
 * Jump consistent hash (Lamping and Veach, 2014): a bucket in [0, buckets) for `key`. When `buckets` grows from n to
 * n+1, only the keys that land in the new bucket move (about 1/(n+1) of them); none moves between old buckets.
 */
export function jumpHash(key: bigint, buckets: number): number {
  let b = -1;
  let j = 0;
  let k = key;
  while (j < buckets) {
    b = j;
    k = (k * 2862933555777941757n + 1n) & MASK_64;
    j = Math.floor((b + 1) * (2 ** 31 / (Number(k >> 33n) + 1)));
  }
  return b;
}

/** The shard (1-based) of a tenant: its pin, or the jump hash of its slug over `count` shards. */
export function shardOfSlug(slug: string, shards: Pick<TenantShards, 'count' | 'pins'>): number {
  return shards.pins[slug] ?? jumpHash(slugKey(slug), shards.count) + 1;
}

type ShardEnv = {
  name: string;
  tenants: Record<string, TenantConfig>;
  tenantShards?: TenantShards | undefined;
};

/** The slugs of the environment's tenants in each shard (1…count), or undefined when the environment is not sharded. */
export function tenantShardPlan(env: ShardEnv): Map<number, string[]> | undefined {
  const shards = env.tenantShards;
  if (!shards) return undefined;
  const plan = new Map<number, string[]>();
  for (let n = 1; n <= shards.count; n++) plan.set(n, []);
  for (const { slug } of tenantsIn(env)) plan.get(shardOfSlug(slug, shards))?.push(slug);
  return plan;
}

export function tenantShardRules<E extends ShardEnv>(): EnvironmentRule<E>[] {
  return [
    {
      id: 'tenant-shard-pins',
      reads: [['tenantShards'], ['tenants']],
      check: (env, report) => {
        const shards = env.tenantShards;
        if (!shards) return;
        for (const [slug, shard] of Object.entries(shards.pins)) {
          if (!(slug in env.tenants)) {
            report({
              path: ['tenantShards', 'pins', slug],
              message: `no tenant "${slug}" in the registry; expected the slug of a tenant`,
            });
          }
          if (shard > shards.count) {
            report({
              path: ['tenantShards', 'pins', slug],
              message: `shard ${shard} does not exist with tenantShards.count ${shards.count}; expected 1–${shards.count}`,
            });
          }
        }
      },
    },
    {
      id: 'tenant-shards-fit',
      reads: [['name'], ['tenantShards'], ['tenants']],
      check: (env, report) => {
        const plan = tenantShardPlan(env);
        const max = env.tenantShards?.maxTenantsPerShard ?? 0;
        for (const [shard, slugs] of plan ?? []) {
          if (slugs.length > max) {
            report({
              path: ['tenantShards', 'maxTenantsPerShard'],
              message: `shard ${shard} (${env.name}${SHARD_INFIX}${shard}) would hold ${slugs.length} tenants, more than ${max}; expected a larger count (it moves about 1/count of the tenants: migrate their state or pin them) or pins that move tenants to other shards`,
            });
          }
        }
      },
    },
    {
      id: 'environment-name-not-a-shard-id',
      reads: [['name']],
      check: (env, report) => {
        if (/-tenants-\d+$/.test(env.name)) {
          report({
            path: ['name'],
            message: `"-tenants-<n>" names the tenant shards of an environment; expected another name`,
          });
        }
      },
    },
  ];
}
