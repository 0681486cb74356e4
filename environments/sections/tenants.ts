import { z } from 'zod';
import type { EnvironmentRule } from '../rules';
import {
  type CapacityClaim,
  capacityProblem,
  DeploymentName,
  DeploymentSchema,
  type Endpoints,
  ptuRule,
} from './endpoints';
import {
  type Gateway,
  gatewayBatch,
  gatewayPools,
  SemanticCacheScoreThreshold,
  SemanticCacheSeconds,
} from './gateway';
import { Email, Reason, Region, slug } from './primitives';
import {
  APIM_SAMPLE_PRODUCTS,
  type AzureRegion,
  GATEWAY_LIMITS,
  GATEWAY_LIMITS_SOURCE,
  GATEWAY_TIERS,
  type GatewayTier,
  isBatch,
  isProvisioned,
} from '../../constructs/shared/catalog';
import { VERIFICATION_MAX_TOKENS_PER_MINUTE } from '../../constructs/shared/verification';

/**
 * A tenant slug: the stable key of every id and name a tenant owns. Lowercase letters, digits and single hyphens;
 * short, because it goes into 24-character Key Vault and storage names.
 */
export const TenantSlug = slug('tenant slug', 12)
  .min(2, { message: 'tenant slug must be at least 2 characters' })
  .refine((value) => !(APIM_SAMPLE_PRODUCTS as readonly string[]).includes(value), {
    message: `tenant slug must not be ${APIM_SAMPLE_PRODUCTS.join(' or ')}: the slug is the tenant's product id, and API Management creates sample products with those ids`,
  });

/** What a tenant may use in one environment, or `none` when it is not in that environment. */
const Allocation = z.union(
  [
    z.literal('none'),
    z.strictObject({
      tokensPerMinute: z.number().int().positive({ message: 'expected a positive token rate' }),
      monthlyTokenQuota: z.number().int().positive({ message: 'expected a positive monthly token quota' }),
      dedicated: z
        .strictObject({
          accounts: z
            .partialRecord(
              Region,
              z.strictObject({ deployments: z.record(DeploymentName, DeploymentSchema) }),
            )
            .describe("The tenant's own model accounts, one per region, and their deployments."),
          budget: z
            .strictObject({
              monthlyAmount: z.number().positive({ message: 'expected a positive monthly amount' }),
              startDate: z
                .string()
                .regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, { message: 'expected the first of a month, YYYY-MM-01' })
                .describe('First month the budget tracks; changing it replaces the budget.'),
              contactEmails: z.array(Email).min(1, { message: 'expected at least one contact e-mail' }),
            })
            .optional()
            .describe("Cost budget on the tenant's resource group."),
        })
        .optional()
        .describe('Dedicated tier only: capacity of its own in this environment.'),
      budget: z
        .strictObject({
          monthly: z
            .number({ error: () => 'expected a monthly amount in finops.currency: a positive number' })
            .positive({ message: 'expected a monthly amount in finops.currency: a positive number' })
            .finite()
            .describe('The monthly cost budget in finops.currency, priced from the usage ledger.'),
        })
        .optional()
        .describe(
          "The tenant's monthly cost budget in finops.currency (opt-in): an alert at 80 %, and at 100 % the platform's automation suspends its gateway subscription until the month ends.",
        ),
      approval: z
        .strictObject({
          approvedBy: Email.describe('Who approved this allocation: an e-mail address.'),
          reference: z
            .string()
            .trim()
            .min(3, { message: 'expected a change or ticket reference such as CHG-1234' })
            .max(100)
            .describe('The change or ticket that records the approval, e.g. CHG-1234.'),
        })
        .optional()
        .describe(
          'Who approved an allocation larger than in the environment promoted from (staging → prod). The promotion guard requires it.',
        ),
    }),
  ],
  { error: () => 'expected "none" or { tokensPerMinute, monthlyTokenQuota }' },
);
export type Allocation = z.output<typeof Allocation>;

/** A GUID: Entra tenant and application (client) ids. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const Guid = (what: string) =>
  z
    .string()
    .regex(GUID, { message: `expected ${what}: a GUID such as 00000000-0000-0000-0000-000000000000` });

/**
 * The `aud` of the tenant's tokens: an App ID URI (`api://…`), an https URI, or the application (client) id of the
 * app registration that represents the gateway.
 */
const Audience = z
  .string()
  .regex(
    /^(api:\/\/[A-Za-z0-9][A-Za-z0-9._~-]{0,100}(\/[A-Za-z0-9._~-]{1,100})*|https:\/\/[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+(\/[A-Za-z0-9._~-]{1,100})*\/?|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i,
    {
      message:
        'expected an audience: an App ID URI such as api://contoso-ai-gateway, an https URI, or an application (client) id GUID',
    },
  );

export const TENANT_AUTH_MODES = ['key', 'entra', 'both'] as const;
export const DATA_CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export const PII_MODES = ['off', 'detect', 'redact'] as const;

const Entra = z
  .strictObject({
    tenantId: Guid('a directory (tenant) id').describe('The Microsoft Entra tenant that issues the tokens.'),
    audience: Audience.describe(
      'The aud claim the tokens must carry: the App ID URI or client id of the app registration that represents the gateway.',
    ),
    clientApplicationIds: z
      .array(Guid('an application (client) id'), {
        error: () =>
          "expected clientApplicationIds: the app registrations allowed to call, as GUIDs ([] allows the tenant's own identity only)",
      })
      .max(20, { message: 'expected at most 20 client applications' })
      .describe(
        "App registrations allowed to call, besides the tenant's own user-assigned identity (always allowed).",
      ),
    tokensPerMinutePerUser: z
      .number()
      .int()
      .positive({ message: 'expected a positive token rate' })
      .optional()
      .describe("A token limit per signed-in user, keyed by the token's oid claim. Default: none."),
  })
  .describe('Microsoft Entra sign-in of the tenant’s callers.');

/** What `foundryProject` accepts in the tenant registry: every environment the tenant is in, or named ones. */
const FoundryProjectOptIn = z
  .union([z.boolean(), z.record(slug('environment name', 12), z.boolean())], {
    error: () =>
      'expected true (a project in every environment where the tenant has an allocation and Foundry is enabled) or { <environment>: true }',
  })
  .optional()
  .describe(
    'A Foundry project of the tenant’s own: true in every environment where it has an allocation and foundry.enabled is true, or per environment name ({ staging: true, prod: true }).',
  );

const TenantConfig = z
  .strictObject({
    displayName: z.string().min(1).max(100),
    owner: Email.describe('Who answers for the tenant: an e-mail address.'),
    costCenter: z
      .string()
      .min(1)
      .max(256)
      .describe('Charged for the tenant; it tags every resource the tenant owns.'),
    tier: z
      .enum(['shared', 'dedicated'])
      .describe(
        'shared: a product on the shared pools. dedicated: also its own resource group, model accounts and Key Vault.',
      ),
    purpose: z
      .enum(['application', 'verification'])
      .default('application')
      .describe(
        'verification: the tenant `npm run verify` calls the gateway as (shared tier, a tiny allocation, every routed model; its product may pick one backend per request). A suspended one proves that suspension refuses.',
      ),
    allowedModels: z
      .array(DeploymentName)
      .min(1, { message: 'expected at least one model' })
      .optional()
      .describe(
        'Deployment names the tenant may call; others get 403. Required, except for a verification tenant, which may call every model the gateway routes.',
      ),
    contentFilter: slug('content filter key', 40).describe(
      "Key of endpoints.contentFilters: the tenant's content-filter level, applied by the gateway and to its own deployments.",
    ),
    lifecycle: z
      .enum(['active', 'suspended', 'offboarded'])
      .default('active')
      .describe(
        'suspended: the subscription stops, data stays. offboarded: access is removed, data is kept (protected in prod).',
      ),
    deleteData: Reason.optional().describe("Offboarded only: delete the tenant's data, and why."),
    auth: z
      .enum(TENANT_AUTH_MODES)
      .optional()
      .describe(
        'key: the subscription key alone. entra: the key identifies the product and an Entra token is required as well. both: a token is checked when presented. Default: entra in staging and prod, key in dev.',
      ),
    keyAuthReason: Reason.optional().describe(
      'Staging and prod: why the tenant signs in with the subscription key alone (auth "key").',
    ),
    entra: Entra.optional(),
    dataClassification: z
      .enum(DATA_CLASSIFICATIONS)
      .default('internal')
      .describe(
        'The most sensitive data the tenant sends; confidential and restricted get PII redaction in staging and prod.',
      ),
    pii: z
      .enum(PII_MODES)
      .optional()
      .describe(
        'Personal data in prompts: off, detect (count as a metric) or redact (masked before the model). Default: redact in staging and prod for confidential or restricted data, off otherwise.',
      ),
    messageLogging: z
      .strictObject({
        samplingPercent: z
          .number({ message: 'expected a share of the exchanges, from 0.1 to 100 percent' })
          .min(0.1, { message: 'expected a share of the exchanges, from 0.1 to 100 percent' })
          .max(100, { message: 'expected a share of the exchanges, from 0.1 to 100 percent' })
          .describe(
            "Share of the tenant's successful, non-streamed exchanges logged with prompt and completion.",
          ),
        reason: Reason,
      })
      .optional()
      .describe(
        'Opt-in: log a sample of the tenant\'s prompts and completions (after PII redaction) for continuous evaluation, in the environments with evaluation.continuous. Refused where prompts would reach the log unredacted (pii "detect", or "off" with confidential or restricted data).',
      ),
    storedObjects: z
      .enum(['isolate', 'stateless'])
      .default('isolate')
      .describe(
        'isolate: the gateway records the owner of every stored response, file and batch and refuses other tenants (403). stateless: store is forced false and stored objects are refused.',
      ),
    semanticCache: z
      .strictObject({
        scoreThreshold: SemanticCacheScoreThreshold.optional().describe(
          "Override of gateway.semanticCache.scoreThreshold for this tenant's lookups.",
        ),
        durationSeconds: SemanticCacheSeconds.optional().describe(
          'Override of gateway.semanticCache.durationSeconds for what this tenant stores.',
        ),
      })
      .optional()
      .describe(
        "Opt in to the environment's semantic cache where gateway.semanticCache is enabled: similar prompts get a cached answer, only ever from this tenant's own partition.",
      ),
    foundryProject: FoundryProjectOptIn,
    allocations: z
      .record(slug('environment name', 12), Allocation)
      .describe('Per environment name: { tokensPerMinute, monthlyTokenQuota } or "none".'),
  })
  .describe('One tenant of the platform.');
export type TenantConfig = z.output<typeof TenantConfig>;

export const TenantsSection = z
  .record(TenantSlug, TenantConfig)
  .default({})
  .describe('The tenant registry, declared once for every environment; keyed by slug.');

export const TenancySection = z
  .strictObject({
    protectOffboardedData: z
      .boolean()
      .default(true)
      .describe('Keep the data of offboarded tenants under prevent_destroy until deleteData says otherwise.'),
  })
  .prefault({});

export const TENANT_FIELDS = { tenants: TenantsSection, tenancy: TenancySection };

/** Tags of a tenant's resources, over the environment's: the slug, and its owner and cost center for chargeback. */
export function tenantTags(
  slug: string,
  tenant: Pick<TenantConfig, 'owner' | 'costCenter'>,
): Record<string, string> {
  return { tenant: slug, owner: tenant.owner, costCenter: tenant.costCenter };
}

type Stage = 'dev' | 'staging' | 'prod';

/**
 * How the tenant's callers sign in, in a stage: the configured mode, else entra in prod, and in staging too, so that
 * staging runs the policies prod will (the promotion guard compares them), and key in dev.
 */
export function tenantAuth(
  tenant: Pick<TenantConfig, 'auth'>,
  stage: Stage,
): (typeof TENANT_AUTH_MODES)[number] {
  return tenant.auth ?? (stage === 'dev' ? 'key' : 'entra');
}

/** PII protection in a stage: the configured mode, else redact in prod (and staging, like auth) for confidential or restricted data. */
export function tenantPii(
  tenant: Pick<TenantConfig, 'pii' | 'dataClassification'>,
  stage: Stage,
): (typeof PII_MODES)[number] {
  if (tenant.pii) return tenant.pii;
  const sensitive =
    tenant.dataClassification === 'confidential' || tenant.dataClassification === 'restricted';
  return stage !== 'dev' && sensitive ? 'redact' : 'off';
}

/**
 * The tenant's semantic cache in an environment: its own threshold and duration over the environment's, or undefined
 * when the tenant did not opt in or the environment has no cache.
 */
export function tenantSemanticCache(
  env: { gateway: Pick<Gateway, 'semanticCache'> },
  tenant: Pick<TenantConfig, 'semanticCache'>,
): { scoreThreshold: number; durationSeconds: number } | undefined {
  const cache = env.gateway.semanticCache;
  if (!cache.enabled || !tenant.semanticCache) return undefined;
  return {
    scoreThreshold: tenant.semanticCache.scoreThreshold ?? cache.scoreThreshold,
    durationSeconds: tenant.semanticCache.durationSeconds ?? cache.durationSeconds,
  };
}

/** A tenant as it is in one environment. */
export interface TenantInEnvironment {
  readonly slug: string;
  readonly tenant: TenantConfig;
  readonly allocation: Exclude<Allocation, 'none'>;
  /** Access is on: a product and a subscription exist (active or suspended). */
  readonly hasAccess: boolean;
  /** The tenant's data still exists (everything but offboarded tenants whose data is deleted). */
  readonly hasData: boolean;
}

type TenantEnv = {
  name: string;
  stage: 'dev' | 'staging' | 'prod';
  regions: { primary: AzureRegion; additional: AzureRegion[] };
  endpoints: Endpoints;
  gateway: Gateway;
  tenants: Record<string, TenantConfig>;
  /** Continuous evaluation on: where tenants' opted-in message logs are written. */
  evaluation?: { continuous?: unknown } | undefined;
  tenancy: { protectOffboardedData: boolean };
};

/** The tenants that take part in this environment, by slug order. */
export function tenantsIn(env: Pick<TenantEnv, 'name' | 'tenants'>): TenantInEnvironment[] {
  return Object.entries(env.tenants)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([slugKey, tenant]) => {
      const allocation = tenant.allocations[env.name];
      if (allocation === undefined || allocation === 'none') return [];
      return [
        {
          slug: slugKey,
          tenant,
          allocation,
          hasAccess: tenant.lifecycle !== 'offboarded',
          hasData: !(tenant.lifecycle === 'offboarded' && tenant.deleteData),
        },
      ];
    });
}

/** The dedicated deployments of every tenant, as capacity claims against the subscription quota. */
export function tenantCapacityClaims(env: Pick<TenantEnv, 'name' | 'tenants'>): CapacityClaim[] {
  return tenantsIn(env).flatMap(({ slug: key, allocation, hasData }) =>
    !hasData
      ? []
      : Object.entries(allocation.dedicated?.accounts ?? {}).flatMap(([region, account]) =>
          Object.entries(account!.deployments).map(([name, deployment]) => ({
            region: region as AzureRegion,
            model: deployment.model.name,
            type: deployment.type,
            capacity: deployment.capacity,
            path: [
              'tenants',
              key,
              'allocations',
              env.name,
              'dedicated',
              'accounts',
              region,
              'deployments',
              name,
              'capacity',
            ],
          })),
        ),
  );
}

/**
 * Tokens per minute that a deployment serves: thousands of TPM for pay-as-you-go, PTU × the model's input TPM per
 * PTU for provisioned deployments (0 when the table does not know the model), nothing for batch.
 */
function deploymentTpm(
  endpoints: Endpoints,
  deployment: { model: { name: string }; type: Parameters<typeof isBatch>[0]; capacity: number },
): number {
  if (isBatch(deployment.type)) return 0;
  if (!isProvisioned(deployment.type)) return deployment.capacity * 1000;
  return (
    deployment.capacity * (ptuRule(endpoints, deployment.model.name, deployment.type)?.inputTpmPerPtu ?? 0)
  );
}

/** The environment's real-time capacity in TPM: what the shared pools route to plus the tenants' dedicated deployments. */
export function environmentTpm(env: TenantEnv): number {
  const shared = gatewayPools(env)
    .flatMap((pool) => pool.candidates)
    .reduce(
      (sum, m) =>
        sum +
        deploymentTpm(env.endpoints, {
          model: { name: modelOf(env, m.region, m.deployment) },
          type: m.type,
          capacity: m.capacity,
        }),
      0,
    );
  const dedicated = tenantsIn(env)
    .filter((t) => t.hasAccess)
    .flatMap((t) =>
      Object.values(t.allocation.dedicated?.accounts ?? {}).flatMap((a) => Object.values(a!.deployments)),
    )
    .reduce((sum, d) => sum + deploymentTpm(env.endpoints, d), 0);
  return shared + dedicated;
}

function modelOf(env: TenantEnv, region: AzureRegion, deployment: string): string {
  return env.endpoints.accounts[region]?.deployments[deployment]?.model.name ?? deployment;
}

/**
 * The models a tenant's product allows: its `allowedModels`, or for a verification tenant every model the shared
 * gateway routes.
 */
export function allowedModelsOf(
  env: Pick<TenantEnv, 'endpoints' | 'gateway'>,
  t: Pick<TenantInEnvironment, 'tenant'>,
): string[] {
  return t.tenant.purpose === 'verification'
    ? gatewayPools(env).map((pool) => pool.model)
    : [...(t.tenant.allowedModels ?? [])];
}

/** The models a tenant may call: those the shared gateway routes, and its own dedicated real-time deployments. */
function callableModels(env: TenantEnv, t: TenantInEnvironment): Set<string> {
  const dedicated = Object.values(t.allocation.dedicated?.accounts ?? {}).flatMap((a) =>
    Object.entries(a!.deployments)
      .filter(([, d]) => !isBatch(d.type))
      .map(([name]) => name),
  );
  return new Set([
    ...gatewayPools(env).map((pool) => pool.model),
    ...dedicated,
    ...(gatewayBatch(env)?.deployments ?? []),
  ]);
}

export function tenantRules<E extends TenantEnv>(): EnvironmentRule<E>[] {
  return [
    {
      id: 'tenant-allocation-per-environment',
      reads: [['name'], ['tenants']],
      check: (env, report) => {
        for (const [key, tenant] of Object.entries(env.tenants)) {
          if (tenant.allocations[env.name] === undefined) {
            report({
              path: ['tenants', key, 'allocations', env.name],
              message: `tenant "${key}" says nothing about environment ${env.name}; expected { tokensPerMinute, monthlyTokenQuota } or "none"`,
            });
          }
        }
      },
    },
    {
      id: 'tenant-slugs-distinct-in-names',
      reads: [['tenants']],
      check: (env, report) => {
        // Key Vault and storage names drop hyphens: "acme-eu" and "acmeeu" would share them.
        const seen = new Map<string, string>();
        for (const key of Object.keys(env.tenants).sort()) {
          const compact = key.replace(/-/g, '');
          const other = seen.get(compact);
          if (other) {
            report({
              path: ['tenants', key],
              message: `slug "${key}" becomes "${compact}" in compact names, like "${other}"; expected slugs that differ in letters or digits`,
            });
          }
          seen.set(compact, key);
        }
      },
    },
    {
      id: 'tenant-models-deployed',
      reads: [['name'], ['regions'], ['tenants'], ['endpoints'], ['gateway', 'pools'], ['gateway', 'batch']],
      check: (env, report) => {
        for (const t of tenantsIn(env)) {
          const callable = callableModels(env, t);
          (t.tenant.allowedModels ?? []).forEach((model, i) => {
            if (!callable.has(model)) {
              report({
                path: ['tenants', t.slug, 'allowedModels', i],
                message: `"${model}" is not a model the gateway routes in ${env.name} (real-time, or batch on the batch account); expected one of ${[...callable].sort().join(', ') || '(none)'}`,
              });
            }
          });
        }
      },
    },
    {
      id: 'tenant-verification-shape',
      reads: [['name'], ['tenants']],
      check: (env, report) => {
        const verifying = { active: [] as string[], suspended: [] as string[] };
        for (const [key, tenant] of Object.entries(env.tenants)) {
          const verification = tenant.purpose === 'verification';
          if (!verification && tenant.allowedModels === undefined) {
            report({
              path: ['tenants', key, 'allowedModels'],
              message: `tenant "${key}" names no models; expected the deployment names it may call`,
            });
          }
          if (!verification) continue;
          if (tenant.allowedModels !== undefined) {
            report({
              path: ['tenants', key, 'allowedModels'],
              message: `verification tenant "${key}" calls every model the gateway routes; expected no allowedModels`,
            });
          }
          if (tenant.tier !== 'shared') {
            report({
              path: ['tenants', key, 'tier'],
              message: `verification tenant "${key}" must be shared: it checks the shared pools and owns no capacity; expected "shared"`,
            });
          }
          const allocation = tenant.allocations[env.name];
          if (allocation === undefined || allocation === 'none' || tenant.lifecycle === 'offboarded')
            continue;
          if (allocation.tokensPerMinute > VERIFICATION_MAX_TOKENS_PER_MINUTE) {
            report({
              path: ['tenants', key, 'allocations', env.name, 'tokensPerMinute'],
              message: `verification tenant "${key}" gets ${allocation.tokensPerMinute} tokens per minute; expected at most ${VERIFICATION_MAX_TOKENS_PER_MINUTE}, so that its token-limit check stays cheap`,
            });
          }
          verifying[tenant.lifecycle === 'suspended' ? 'suspended' : 'active'].push(key);
        }
        for (const [state, slugs] of Object.entries(verifying)) {
          if (slugs.length > 1) {
            report({
              path: ['tenants', slugs[1]!],
              message: `${env.name} has ${slugs.length} ${state} verification tenants (${slugs.join(', ')}); expected at most one`,
            });
          }
        }
      },
    },
    {
      id: 'tenant-content-filter-exists',
      reads: [['tenants'], ['endpoints', 'contentFilters']],
      check: (env, report) => {
        for (const [key, tenant] of Object.entries(env.tenants)) {
          if (!(tenant.contentFilter in env.endpoints.contentFilters)) {
            report({
              path: ['tenants', key, 'contentFilter'],
              message: `no content filter "${tenant.contentFilter}" in endpoints.contentFilters; expected one of: ${Object.keys(env.endpoints.contentFilters).join(', ') || '(none defined)'}`,
            });
          }
        }
      },
    },
    {
      id: 'tenant-dedicated-capacity',
      reads: [['name'], ['regions'], ['tenants'], ['endpoints']],
      check: (env, report) => {
        const regions = new Set([env.regions.primary, ...env.regions.additional]);
        for (const t of tenantsIn(env)) {
          const path = ['tenants', t.slug, 'allocations', env.name];
          const accounts = t.allocation.dedicated?.accounts ?? {};
          const deployments = Object.values(accounts).flatMap((a) => Object.keys(a!.deployments));
          if (t.tenant.tier === 'dedicated' && deployments.length === 0) {
            report({
              path: [...path, 'dedicated'],
              message: `dedicated tenant "${t.slug}" has no capacity of its own in ${env.name}; expected dedicated.accounts with at least one deployment in one of ${[...regions].join(', ')}`,
            });
          }
          if (t.tenant.tier === 'shared' && t.allocation.dedicated) {
            report({
              path: [...path, 'dedicated'],
              message: `shared tenant "${t.slug}" cannot have dedicated capacity; expected tier "dedicated"`,
            });
          }
          for (const region of Object.keys(accounts)) {
            if (!regions.has(region as AzureRegion)) {
              report({
                path: [...path, 'dedicated', 'accounts', region],
                message: `${region} is not one of the environment's regions; expected one of ${[...regions].join(', ')}`,
              });
            }
          }
          for (const [region, account] of Object.entries(accounts)) {
            for (const [name, deployment] of Object.entries(account!.deployments)) {
              const at = [...path, 'dedicated', 'accounts', region, 'deployments', name];
              if (!(deployment.contentFilter in env.endpoints.contentFilters)) {
                report({
                  path: [...at, 'contentFilter'],
                  message: `no content filter "${deployment.contentFilter}" in endpoints.contentFilters`,
                });
              }
              const capacity = capacityProblem(env.endpoints, deployment);
              if (capacity) report({ path: [...at, capacity.field], message: capacity.message });
            }
          }
        }
      },
    },
    {
      id: 'tenant-allocations-fit-capacity',
      reads: [['name'], ['endpoints'], ['gateway', 'pools'], ['tenants']],
      check: (env, report) => {
        const tenants = tenantsIn(env).filter((t) => t.hasAccess);
        const requested = tenants.reduce((sum, t) => sum + t.allocation.tokensPerMinute, 0);
        const capacity = environmentTpm(env);
        if (tenants.length > 0 && requested > capacity) {
          report({
            path: ['tenants'],
            message: `tenants are allocated ${requested} tokens per minute in ${env.name}, the deployments serve ${capacity}; over by ${requested - capacity} (lower allocations or add capacity)`,
          });
        }
      },
    },
    {
      id: 'tenants-fit-gateway-limits',
      reads: [['name'], ['gateway', 'sku'], ['tenants']],
      check: (env, report) => {
        const tier = env.gateway.sku.tier;
        const limits = GATEWAY_LIMITS[tier];
        const withAccess = tenantsIn(env).filter((t) => t.hasAccess).length;
        if (withAccess > limits.products) {
          report({
            path: ['tenants'],
            message: `${withAccess} tenants need ${withAccess} products; API Management ${tier} allows ${limits.products} products per service (${GATEWAY_LIMITS_SOURCE}); expected a larger tier (${
              Object.entries(GATEWAY_LIMITS)
                .filter(([t, l]) => l.products >= withAccess && GATEWAY_TIERS[t as GatewayTier].sla)
                .map(([t]) => t)
                .join(', ') || 'none fits: shard the tenants'
            }) or fewer tenants`,
          });
        }
        if (withAccess > limits.subscriptions) {
          report({
            path: ['tenants'],
            message: `${withAccess} tenants need ${withAccess} subscriptions; API Management ${tier} allows ${limits.subscriptions} (${GATEWAY_LIMITS_SOURCE})`,
          });
        }
      },
    },
    {
      id: 'tenant-entra-sign-in',
      reads: [['name'], ['stage'], ['tenants']],
      check: (env, report) => {
        for (const t of tenantsIn(env).filter((x) => x.hasAccess)) {
          const auth = tenantAuth(t.tenant, env.stage);
          const path = ['tenants', t.slug];
          if (auth !== 'key' && !t.tenant.entra) {
            report({
              path: [...path, 'entra', 'clientApplicationIds'],
              message: `auth "${auth}"${t.tenant.auth ? '' : ` (the ${env.stage} default)`} needs entra { tenantId, audience, clientApplicationIds }: the client applications allowed to call besides the tenant's own identity ([] for that identity only)`,
            });
          }
          if (env.stage !== 'dev' && auth === 'key' && !t.tenant.keyAuthReason) {
            report({
              path: [...path, 'keyAuthReason'],
              message: `${env.stage}: a tenant signs in with Microsoft Entra ID; auth "key" (the subscription key alone) needs keyAuthReason`,
            });
          }
        }
      },
    },
    {
      id: 'tenant-pii-language-account',
      reads: [['name'], ['stage'], ['tenants'], ['endpoints', 'language']],
      check: (env, report) => {
        if (env.endpoints.language.enabled) return;
        for (const t of tenantsIn(env).filter((x) => x.hasAccess)) {
          const pii = tenantPii(t.tenant, env.stage);
          if (pii !== 'off') {
            report({
              path: ['tenants', t.slug, 'pii'],
              message: `pii "${pii}"${t.tenant.pii ? '' : ` (the ${env.stage} default for ${t.tenant.dataClassification} data)`} needs the Azure AI Language account; expected endpoints.language.enabled true, or pii "off"`,
            });
          }
        }
      },
    },
    {
      id: 'tenant-message-logging-pii-safe',
      reads: [['stage'], ['tenants'], ['evaluation']],
      check: (env, report) => {
        // Messages are logged only where continuous evaluation reads them.
        if (!env.evaluation?.continuous) return;
        for (const t of tenantsIn(env).filter((x) => x.hasAccess && x.tenant.messageLogging)) {
          const pii = tenantPii(t.tenant, env.stage);
          const sensitive =
            t.tenant.dataClassification === 'confidential' || t.tenant.dataClassification === 'restricted';
          if (pii === 'detect' || (pii === 'off' && sensitive)) {
            report({
              path: ['tenants', t.slug, 'messageLogging'],
              message: `${env.stage}: pii "${pii}"${t.tenant.pii ? '' : ' (the default)'} passes ${t.tenant.dataClassification} prompts unredacted, so the message log would hold personal data; expected pii "redact", or no messageLogging`,
            });
          }
        }
      },
    },
    {
      id: 'tenant-delete-data-only-offboarded',
      reads: [['tenants']],
      check: (env, report) => {
        for (const [key, tenant] of Object.entries(env.tenants)) {
          if (tenant.deleteData && tenant.lifecycle !== 'offboarded') {
            report({
              path: ['tenants', key, 'deleteData'],
              message: `only an offboarded tenant's data can be deleted; "${key}" is ${tenant.lifecycle} (set lifecycle "offboarded" first)`,
            });
          }
        }
      },
    },
    {
      id: 'prod-protects-offboarded-data',
      reads: [['stage'], ['tenancy']],
      check: (env, report) => {
        if (env.stage === 'prod' && !env.tenancy.protectOffboardedData) {
          report({
            path: ['tenancy', 'protectOffboardedData'],
            message:
              'prod: an offboarded tenant’s data stays protected until deleteData says otherwise; expected true',
          });
        }
      },
    },
  ];
}
