import { z } from 'zod';
import type { EnvironmentRule } from '../rules';
import type { Deployment, Endpoints } from './endpoints';
import { DeploymentName } from './endpoints';
import { Email, optIn, Reason, Region } from './primitives';
import {
  type AzureRegion,
  GATEWAY_NETWORK_MODES,
  GATEWAY_TIER_NAMES,
  GATEWAY_TIERS,
  isBatch,
  CLASSIC_REDIS_ID,
  MANAGED_REDIS_ID,
  MANAGED_REDIS_SEARCH_SKUS,
} from '../../constructs/shared/catalog';

/**
 * Token-metric dimensions with bounded cardinality. Client IPs, user ids and request ids are never allowed: each
 * value is a new time series, and App Insights caps custom metrics per region.
 */
export const METRIC_DIMENSIONS = [
  'Tenant',
  'Model',
  'API ID',
  'Operation ID',
  'Product ID',
  'Subscription ID',
  'Backend ID',
  'Location',
  'Gateway ID',
] as const;
export type MetricDimension = (typeof METRIC_DIMENSIONS)[number];

const Seconds = (what: string, max: number) =>
  z
    .number()
    .int({ message: `expected ${what} in whole seconds` })
    .min(1, { message: `expected ${what} of 1–${max} seconds` })
    .max(max, { message: `expected ${what} of 1–${max} seconds` });

const Severity8 = z
  .number()
  .int()
  .min(0, { message: 'expected a severity of 0–7 (EightSeverityLevels; lower blocks more)' })
  .max(7, { message: 'expected a severity of 0–7 (EightSeverityLevels; lower blocks more)' });

/**
 * `score-threshold` of `llm-semantic-cache-lookup`: how close a prompt must be to a cached one (0–1; lower demands
 * closer meaning). Learn's example uses 0.05.
 */
export const SemanticCacheScoreThreshold = z
  .number({ error: () => 'expected a score threshold between 0 and 1 (lower demands closer meaning)' })
  .min(0, { message: 'expected a score threshold between 0 and 1 (lower demands closer meaning)' })
  .max(1, { message: 'expected a score threshold between 0 and 1 (lower demands closer meaning)' })
  .describe(
    'How close a prompt must be to a cached one to get its answer (0–1; lower demands closer meaning).',
  );

/** `duration` of `llm-semantic-cache-store`: how long a cached answer lives. */
export const SemanticCacheSeconds = Seconds('a cache duration', 86400).describe(
  'How long a cached answer lives, in seconds (1–86400).',
);

const SEMANTIC_CACHE_ID_MESSAGE =
  'expected the ARM id of an Azure Managed Redis cache (/subscriptions/…/resourceGroups/…/providers/Microsoft.Cache/redisEnterprise/<name>)';

/** An existing Azure Managed Redis cache; a classic Azure Cache for Redis is refused with the reason. */
const ManagedRedisId = z.string().superRefine((value, ctx) => {
  if (MANAGED_REDIS_ID.test(value)) return;
  ctx.addIssue({
    code: 'custom',
    message: CLASSIC_REDIS_ID.test(value)
      ? `a classic Azure Cache for Redis (Microsoft.Cache/redis) cannot be a semantic cache: API Management's semantic cache needs the RediSearch module, which only Azure Managed Redis has; ${SEMANTIC_CACHE_ID_MESSAGE}`
      : SEMANTIC_CACHE_ID_MESSAGE,
  });
});

/** Where the semantic cache lives: an Azure Managed Redis the blueprint builds, or an existing one. */
const SemanticCacheStore = z
  .discriminatedUnion('mode', [
    z.strictObject({
      mode: z.literal('create'),
      sku: z
        .enum(MANAGED_REDIS_SEARCH_SKUS, {
          error: () =>
            `expected an Azure Managed Redis SKU that can load RediSearch (Balanced, MemoryOptimized or ComputeOptimized; not FlashOptimized): one of ${MANAGED_REDIS_SEARCH_SKUS.join(', ')}`,
        })
        .default('Balanced_B1'),
      highAvailability: z
        .boolean()
        .default(true)
        .describe('A replica of every shard (off only for a disposable cache: its data is lost on failure).'),
    }),
    z.strictObject({
      mode: z.literal('existing'),
      resourceId: ManagedRedisId.describe(
        'An existing Azure Managed Redis with the RediSearch module, the Enterprise clustering policy, NoEviction and access keys enabled; its network path is yours to provide.',
      ),
      region: Region.describe('Its region: API Management connects to <name>.<region>.redis.azure.net.'),
    }),
  ])
  .prefault({ mode: 'create' })
  .describe(
    'create: an Azure Managed Redis with RediSearch behind a private endpoint. existing: the ARM id of one you run.',
  );

const Pool = z.strictObject({
  members: z
    .array(Region)
    .optional()
    .describe(
      'Regions whose deployment of this model joins the pool. Default: every region that deploys it.',
    ),
  priorities: z
    .partialRecord(
      Region,
      z
        .number()
        .int()
        .min(0, { message: 'expected a priority of 0–100 (API Management pools; lower is tried first)' })
        .max(100, { message: 'expected a priority of 0–100 (API Management pools; lower is tried first)' }),
    )
    .default({})
    .describe('Override of the derived priority (provisioned 1, pay-as-you-go 2) per region.'),
  singleMemberReason: Reason.optional().describe('Why a prod pool may have one member (no failover).'),
});

const Zones = z
  .array(z.enum(['1', '2', '3']))
  .default([])
  .describe('Availability zones (Premium; units must spread evenly over them).');

/** The WAF modes of Application Gateway: Prevention blocks what the rules match, Detection only logs it. */
export const WAF_MODES = ['Prevention', 'Detection'] as const;
export const INGRESS_MODES = ['none', 'waf', 'waf+global'] as const;
export type IngressMode = (typeof INGRESS_MODES)[number];

const Ingress = z
  .discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('none') }),
    z.strictObject({
      mode: z.literal(['waf', 'waf+global']),
      hostName: z
        .string()
        .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
          message: 'expected a lowercase DNS host name such as ai.contoso.com',
        })
        .describe('The host name clients call; the TLS certificate is issued for it.'),
      certificateName: z
        .string()
        .regex(/^[0-9a-zA-Z-]{1,127}$/, {
          message: 'expected a Key Vault certificate name (1–127 letters, digits and hyphens)',
        })
        .describe(
          "Name of the TLS certificate in the environment's Key Vault; each Application Gateway reads its latest version through its own identity.",
        ),
      wafMode: z
        .enum(WAF_MODES)
        .default('Prevention')
        .describe(
          'Prevention blocks requests the managed rules match; Detection only logs them (never in prod).',
        ),
      capacity: z
        .strictObject({
          min: z.number().int().min(0).max(125).default(2),
          max: z.number().int().min(2).max(125).default(10),
        })
        .prefault({})
        .describe('Autoscale bounds of each Application Gateway (WAF_v2 instances).'),
    }),
  ])
  .default({ mode: 'none' })
  .describe(
    'How clients outside the VNet reach the gateway: none; waf (an Application Gateway WAF_v2 in each gateway region); waf+global (plus Front Door Premium across the regions).',
  );

export const GatewaySection = z
  .strictObject({
    sku: z.strictObject({
      tier: z.enum(GATEWAY_TIER_NAMES, {
        error: () => `expected an API Management tier: one of ${GATEWAY_TIER_NAMES.join(', ')}`,
      }),
      capacity: z
        .number()
        .int({ message: 'expected whole units' })
        .min(1, { message: 'expected at least 1 unit' }),
    }),
    publisher: z.strictObject({ name: z.string().min(1).max(100), email: Email }),
    network: z
      .enum(GATEWAY_NETWORK_MODES)
      .describe('How clients reach the gateway and how it reaches the models.'),
    zones: Zones,
    regions: z
      .strictObject({
        additional: z
          .partialRecord(
            Region,
            z.strictObject({
              capacity: z
                .number()
                .int({ message: 'expected whole units' })
                .min(1, { message: 'expected at least 1 unit' }),
              zones: Zones,
            }),
          )
          .default({})
          .describe(
            'Additional locations of the gateway (Premium), keyed by region; each runs its own units in its own VNet.',
          ),
      })
      .prefault({})
      .describe(
        'Gateway regions: the primary (regions.primary, sized by sku) and additional locations of the same service.',
      ),
    ingress: Ingress,
    minApiVersion: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, { message: 'expected an API version such as 2022-08-01' })
      .default('2022-08-01')
      .describe(
        'Oldest control-plane API version the service accepts (older clients bypass newer RBAC checks).',
      ),
    circuitBreaker: z
      .strictObject({
        failureCount: z.number().int().min(1, { message: 'expected at least 1 failure' }).max(100).default(3),
        failureIntervalSeconds: Seconds('a failure interval', 3600).default(60),
        tripDurationSeconds: Seconds('a trip duration', 3600).default(60),
      })
      .prefault({})
      .describe('Per backend: trips on 429 and 500–503, honours Retry-After.'),
    retryCount: z
      .number()
      .int()
      .min(0)
      .max(10, { message: 'expected at most 10 retries' })
      .optional()
      .describe('Retries across the pool on 429/503. Default: the largest pool size minus one.'),
    pools: z
      .record(DeploymentName, Pool)
      .default({})
      .describe(
        'Overrides per model (deployment name); every real-time deployment is routed without an entry.',
      ),
    tokenLimit: z
      .strictObject({
        tokensPerMinute: z.number().int().positive({ message: 'expected a positive token rate' }),
        quota: z
          .strictObject({
            tokens: z.number().int().positive({ message: 'expected a positive token quota' }),
            period: z.enum(['Hourly', 'Daily', 'Weekly', 'Monthly', 'Yearly']),
          })
          .optional(),
        estimatePromptTokens: z.boolean().default(true),
      })
      .describe('Per subscription, at API scope. Tenants get their own limits on their products.'),
    tokenMetrics: z
      .strictObject({
        namespace: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9._-]{0,63}$/)
          .default('genai'),
        dimensions: z
          .array(
            z.enum(METRIC_DIMENSIONS, {
              error: () =>
                `expected a bounded dimension (${METRIC_DIMENSIONS.join(', ')}); client IPs, user ids and request ids are never allowed`,
            }),
          )
          .max(5, { message: 'llm-emit-token-metric allows at most 5 custom dimensions' })
          .default(['Tenant', 'Model', 'API ID', 'Backend ID']),
      })
      .prefault({}),
    contentSafety: z
      .strictObject({
        enabled: z.boolean().default(true),
        shieldPrompt: z.boolean().default(true),
        thresholds: z
          .strictObject({ hate: Severity8, sexual: Severity8, selfHarm: Severity8, violence: Severity8 })
          .default({ hate: 4, sexual: 4, selfHarm: 4, violence: 4 }),
      })
      .prefault({})
      .describe("llm-content-safety on every request, through the environment's Content Safety account."),
    semanticCache: z
      .discriminatedUnion('enabled', [
        z.strictObject({ enabled: z.literal(false) }),
        z.strictObject({
          enabled: z.literal(true),
          embeddingsDeployment: DeploymentName.describe(
            'The embeddings deployment (routed by the gateway) that turns each prompt into the vector the cache compares.',
          ),
          scoreThreshold: SemanticCacheScoreThreshold.default(0.05),
          durationSeconds: SemanticCacheSeconds.default(3600),
          cache: SemanticCacheStore,
          connectionSecretVersion: z
            .number()
            .int({ message: 'expected a whole version number' })
            .min(1, { message: 'expected a version of 1 or more' })
            .default(1)
            .describe(
              "Bump after regenerating the cache's access key: the next apply rewrites the Key Vault secret from the new key.",
            ),
        }),
      ])
      .default({ enabled: false })
      .describe(
        'Semantic caching of completions for the tenants that opt in (tenants.<slug>.semanticCache), partitioned by tenant.',
      ),
    batch: z
      .strictObject({
        enabled: z
          .boolean()
          .optional()
          .describe('Route /files and /batches. Default: true when a batch deployment exists.'),
        region: Region.optional().describe(
          'The account whose batch deployments serve them. Default: the first region (primary first) with a batch deployment.',
        ),
      })
      .prefault({})
      .describe(
        'The batch surface: /files and /batches reach the batch deployments of one account, never a real-time pool.',
      ),
    logging: z
      .strictObject({
        samplingPercentage: z
          .number()
          .min(0, { message: 'expected a percentage of 0–100' })
          .max(100, { message: 'expected a percentage of 0–100' })
          .default(100),
        llmMessages: optIn(
          'Log prompts and completions to ApiManagementGatewayLlmLog. Off by default: they may hold personal data.',
        ),
      })
      .prefault({}),
  })
  .describe('The AI gateway on API Management.');

export type Gateway = z.output<typeof GatewaySection>;
export const GATEWAY_FIELDS = { gateway: GatewaySection };

/**
 * A model the gateway routes and the deployments config lets serve it: the shape the gateway construct takes as its
 * pools (it decides their order: `constructs/ai-gateway/routing.ts`).
 */
export interface GatewayPool {
  readonly model: string;
  readonly candidates: readonly {
    readonly region: AzureRegion;
    readonly deployment: string;
    readonly type: Deployment['type'];
    readonly capacity: number;
    readonly weight: number;
    /** Config's override of the priority. @default - the gateway's: by deployment type */
    readonly priority?: number;
  }[];
}

type GatewayEnv = { endpoints: Endpoints; gateway: Gateway };

/** Deployment names that are native spillover targets: reached through their provisioned twin, not routed. */
function spilloverTargets(endpoints: Endpoints): Set<string> {
  return new Set(
    Object.values(endpoints.accounts).flatMap((account) =>
      Object.values(account!.deployments).flatMap((d) => (d.spilloverTo ? [d.spilloverTo] : [])),
    ),
  );
}

/**
 * The shared pools: one per model (deployment name), with each region that deploys it as a candidate. Native
 * spillover targets join only through a pool entry; a pool's `members` and `priorities` narrow and override.
 */
export function gatewayPools(env: GatewayEnv): GatewayPool[] {
  const targets = spilloverTargets(env.endpoints);
  return poolsFromAccounts(env.endpoints.accounts, (region, name) => {
    const pool = env.gateway.pools[name];
    if (targets.has(name) && !pool) return undefined;
    if (pool?.members && !pool.members.includes(region)) return undefined;
    const priority = pool?.priorities[region];
    return priority === undefined ? {} : { priority };
  });
}

/**
 * One pool per model over accounts keyed by region, with the real-time deployments of each as candidates, models by
 * name; `select` returning undefined leaves a deployment out, and may set its priority. Batch deployments never join
 * a real-time pool (the catalog's deployment types). Shared by the platform's pools and dedicated tenants' pools.
 */
export function poolsFromAccounts(
  accounts: Readonly<
    Partial<Record<AzureRegion, { readonly deployments: Readonly<Record<string, Deployment>> }>>
  >,
  select: (region: AzureRegion, name: string) => { readonly priority?: number } | undefined = () => ({}),
): GatewayPool[] {
  const models = new Map<string, GatewayPool['candidates'][number][]>();
  for (const [key, account] of Object.entries(accounts)) {
    const region = key as AzureRegion;
    for (const [name, deployment] of Object.entries(account!.deployments)) {
      if (isBatch(deployment.type)) continue;
      const selected = select(region, name);
      if (!selected) continue;
      const candidates = models.get(name) ?? [];
      candidates.push({
        region,
        deployment: name,
        type: deployment.type,
        capacity: deployment.capacity,
        weight: deployment.gatewayWeight,
        ...selected,
      });
      models.set(name, candidates);
    }
  }
  return [...models.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([model, candidates]) => ({ model, candidates }));
}

/** Regions whose account has a batch deployment: the primary first, then in name order. */
function batchRegions(env: GatewayEnv & { regions?: { primary: AzureRegion } }): AzureRegion[] {
  return (
    Object.entries(env.endpoints.accounts) as [AzureRegion, (typeof env.endpoints.accounts)[AzureRegion]][]
  )
    .filter(([, account]) => Object.values(account!.deployments).some((d) => isBatch(d.type)))
    .map(([region]) => region)
    .sort((a, b) => (a === env.regions?.primary ? -1 : b === env.regions?.primary ? 1 : a.localeCompare(b)));
}

/** The batch surface: the region whose account serves /files and /batches, or undefined when there is none. */
export function gatewayBatch(
  env: GatewayEnv & { regions?: { primary: AzureRegion } },
): { readonly region: AzureRegion; readonly deployments: readonly string[] } | undefined {
  const regions = batchRegions(env);
  const enabled = env.gateway.batch.enabled ?? regions.length > 0;
  const region = env.gateway.batch.region ?? regions[0];
  if (!enabled || !region || !regions.includes(region)) return undefined;
  const deployments = Object.entries(env.endpoints.accounts[region]!.deployments)
    .filter(([, d]) => isBatch(d.type))
    .map(([name]) => name)
    .sort();
  return { region, deployments };
}

type Env = GatewayEnv & { stage: 'dev' | 'staging' | 'prod' };

export function gatewayRules<E extends Env>(): EnvironmentRule<E>[] {
  return [
    {
      id: 'gateway-capacity-fits-tier',
      reads: [['gateway', 'sku']],
      check: (env, report) => {
        const [min, max] = GATEWAY_TIERS[env.gateway.sku.tier].units;
        if (env.gateway.sku.capacity < min || env.gateway.sku.capacity > max) {
          report({
            path: ['gateway', 'sku', 'capacity'],
            message: `${env.gateway.sku.tier} takes ${min === max ? `exactly ${min} unit` : `${min}–${max} units`}`,
          });
        }
      },
    },
    {
      id: 'gateway-tier-supports-network',
      reads: [
        ['gateway', 'sku'],
        ['gateway', 'network'],
      ],
      check: (env, report) => {
        const tier = GATEWAY_TIERS[env.gateway.sku.tier];
        if (env.gateway.network === 'internal' && !tier.internalVnet) {
          report({
            path: ['gateway', 'network'],
            message: `${env.gateway.sku.tier} cannot be injected into a VNet in internal mode; expected tier Developer, Premium or PremiumV2, or network "privateEndpoint"`,
          });
        }
        if (env.gateway.network === 'privateEndpoint' && !tier.privateEndpointWithVnetIntegration) {
          report({
            path: ['gateway', 'network'],
            message: `${env.gateway.sku.tier} cannot reach private model endpoints behind a private endpoint (no outbound VNet integration); expected tier StandardV2 or PremiumV2, or network "internal"`,
          });
        }
      },
    },
    {
      id: 'gateway-zones-fit-tier',
      reads: [
        ['gateway', 'sku'],
        ['gateway', 'zones'],
      ],
      check: (env, report) => {
        const zones = env.gateway.zones;
        if (zones.length === 0) return;
        if (!GATEWAY_TIERS[env.gateway.sku.tier].zones) {
          report({
            path: ['gateway', 'zones'],
            message: `${env.gateway.sku.tier} has no availability zones; expected [] or tier Premium`,
          });
        } else if (new Set(zones).size !== zones.length) {
          report({ path: ['gateway', 'zones'], message: 'expected each zone once' });
        } else if (env.gateway.sku.capacity % zones.length !== 0) {
          report({
            path: ['gateway', 'sku', 'capacity'],
            message: `${env.gateway.sku.capacity} units cannot spread evenly over ${zones.length} zones; expected a multiple of ${zones.length}`,
          });
        }
      },
    },
    {
      id: 'gateway-private-in-private-stages',
      reads: [['stage'], ['gateway', 'network']],
      check: (env, report) => {
        if (env.stage !== 'dev' && env.gateway.network === 'public') {
          report({
            path: ['gateway', 'network'],
            message: `${env.stage}: the gateway must be private; expected "internal" or "privateEndpoint"`,
          });
        }
      },
    },
    {
      id: 'gateway-prod-sla',
      reads: [['stage'], ['gateway', 'sku']],
      check: (env, report) => {
        if (env.stage === 'prod' && !GATEWAY_TIERS[env.gateway.sku.tier].sla) {
          report({
            path: ['gateway', 'sku', 'tier'],
            message: 'prod: Developer has no SLA; expected Premium, PremiumV2 or StandardV2',
          });
        }
      },
    },
    {
      id: 'gateway-pools-route-to-deployments',
      reads: [
        ['endpoints', 'accounts'],
        ['gateway', 'pools'],
      ],
      check: (env, report) => {
        for (const [model, pool] of Object.entries(env.gateway.pools)) {
          const deployedIn = Object.entries(env.endpoints.accounts)
            .filter(([, account]) => account!.deployments[model])
            .map(([region]) => region);
          const path = ['gateway', 'pools', model];
          if (deployedIn.length === 0) {
            report({
              path,
              message: `model "${model}" is routed to no deployment; expected a deployment named "${model}" in endpoints.accounts`,
            });
            continue;
          }
          (pool.members ?? []).forEach((region, i) => {
            const deployment = env.endpoints.accounts[region]?.deployments[model];
            if (!deployment) {
              report({
                path: [...path, 'members', i],
                message: `${region} does not deploy "${model}"; expected one of ${deployedIn.join(', ')}`,
              });
            } else if (isBatch(deployment.type)) {
              report({
                path: [...path, 'members', i],
                message: `"${model}" in ${region} is a ${deployment.type} deployment; batch deployments never join a real-time pool`,
              });
            }
          });
          for (const region of Object.keys(pool.priorities)) {
            if (!deployedIn.includes(region)) {
              report({
                path: [...path, 'priorities', region],
                message: `${region} does not deploy "${model}"; expected one of ${deployedIn.join(', ')}`,
              });
            }
          }
        }
      },
    },
    {
      id: 'gateway-prod-pools-fail-over',
      reads: [['stage'], ['endpoints', 'accounts'], ['gateway', 'pools']],
      check: (env, report) => {
        if (env.stage !== 'prod') return;
        for (const pool of gatewayPools(env)) {
          if (pool.candidates.length === 1 && !env.gateway.pools[pool.model]?.singleMemberReason) {
            report({
              path: ['gateway', 'pools', pool.model],
              message: `prod: the pool of "${pool.model}" has one backend (${pool.candidates[0]!.region}) and no failover; expected a second region, or singleMemberReason`,
            });
          }
        }
      },
    },
    {
      id: 'gateway-content-safety-account',
      reads: [
        ['gateway', 'contentSafety'],
        ['endpoints', 'contentSafety'],
      ],
      check: (env, report) => {
        if (env.gateway.contentSafety.enabled && !env.endpoints.contentSafety.enabled) {
          report({
            path: ['gateway', 'contentSafety', 'enabled'],
            message:
              'the gateway checks content through the Content Safety account, which is disabled; expected endpoints.contentSafety.enabled true, or false here',
          });
        }
      },
    },
    {
      id: 'gateway-content-safety-in-private-stages',
      reads: [['stage'], ['gateway', 'contentSafety']],
      check: (env, report) => {
        if (env.stage !== 'dev' && !env.gateway.contentSafety.enabled) {
          report({
            path: ['gateway', 'contentSafety', 'enabled'],
            message: `${env.stage}: every request passes the content-safety check; expected true`,
          });
        }
      },
    },
    {
      id: 'gateway-batch-has-deployments',
      reads: [
        ['endpoints', 'accounts'],
        ['gateway', 'batch'],
      ],
      check: (env, report) => {
        const regions = batchRegions(env);
        const batch = env.gateway.batch;
        if (batch.enabled === true && regions.length === 0) {
          report({
            path: ['gateway', 'batch', 'enabled'],
            message:
              'the batch route has no batch deployment to reach; expected a GlobalBatch or DataZoneBatch deployment in endpoints.accounts, or enabled false',
          });
        } else if (batch.region !== undefined && !regions.includes(batch.region)) {
          report({
            path: ['gateway', 'batch', 'region'],
            message: `${batch.region} has no batch deployment; expected one of ${regions.join(', ') || '(none: add a GlobalBatch or DataZoneBatch deployment)'}`,
          });
        }
      },
    },
    {
      id: 'gateway-semantic-cache-embeddings',
      reads: [
        ['endpoints', 'accounts'],
        ['gateway', 'semanticCache'],
        ['gateway', 'pools'],
      ],
      check: (env, report) => {
        const cache = env.gateway.semanticCache;
        if (!cache.enabled) return;
        const pool = gatewayPools(env).find((p) => p.model === cache.embeddingsDeployment);
        if (!pool) {
          report({
            path: ['gateway', 'semanticCache', 'embeddingsDeployment'],
            message: `a semantic cache needs an embeddings deployment the gateway routes; "${cache.embeddingsDeployment}" is not a real-time deployment of endpoints.accounts; expected an embeddings deployment such as text-embedding-3-large`,
          });
          return;
        }
        const models = [
          ...new Set(
            pool.candidates.map(
              (c) => env.endpoints.accounts[c.region]!.deployments[c.deployment]!.model.name,
            ),
          ),
        ];
        const chat = models.filter((m) => !/embedding/i.test(m));
        if (chat.length > 0) {
          report({
            path: ['gateway', 'semanticCache', 'embeddingsDeployment'],
            message: `"${cache.embeddingsDeployment}" runs ${chat.join(', ')}, not an embeddings model; expected an embeddings deployment such as text-embedding-3-large`,
          });
        }
      },
    },
    {
      id: 'gateway-semantic-cache-private',
      reads: [
        ['gateway', 'semanticCache'],
        ['gateway', 'network'],
      ],
      check: (env, report) => {
        if (env.gateway.semanticCache.enabled && env.gateway.network === 'public') {
          report({
            path: ['gateway', 'network'],
            message:
              'the semantic cache is reached only through its private endpoint, and a public gateway has no VNet; expected "internal" or "privateEndpoint", or gateway.semanticCache.enabled false',
          });
        }
      },
    },
  ];
}
