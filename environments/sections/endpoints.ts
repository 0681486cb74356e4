import { z } from 'zod';
import type { EnvironmentRule } from '../rules';
import { Region, slug } from './primitives';
import {
  DEFAULT_PTU_RULES,
  DEPLOYMENT_TYPE_NAMES,
  DEPLOYMENT_TYPES,
  isBatch,
  isPayAsYouGo,
  isProvisioned,
  type ProvisionedType,
  type PtuRule,
  AZURE_REGIONS,
  type AzureRegion,
  FILTER_SEVERITY_ON_EIGHT_LEVELS,
  type FilterSeverity,
} from '../../constructs/shared/catalog';

/** A deployment name: the name clients put in `/openai/deployments/<name>/…`, and the gateway's routing key. */
export const DeploymentName = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{1,63}$/, {
  message:
    'expected a deployment name: 2–64 letters, digits, periods, underscores and hyphens, starting with a letter or digit',
});

/**
 * Model names, versions and formats as the model catalog spells them (`gpt-4o`, `Meta-Llama-3.1-405B-Instruct`,
 * `2024-11-20`, `Mistral AI`). ARM documents no length for them; the bounds are ours, twice the longest published value,
 * so that a 10 kB string is a config error and not a request Azure rejects an hour into the apply.
 */
const ModelName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
  message: 'expected a model name such as gpt-4o: 1–64 letters, digits, periods, underscores and hyphens',
});
const ModelVersion = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, {
  message:
    'expected a model version such as 2024-11-20: 1–32 letters, digits, periods, underscores and hyphens',
});
const ModelFormat = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, {
  message:
    'expected a model format such as OpenAI: 1–64 letters, digits, spaces, periods, underscores and hyphens',
});

const Severity = z.enum(
  Object.keys(FILTER_SEVERITY_ON_EIGHT_LEVELS) as [FilterSeverity, ...FilterSeverity[]],
  {
    error: () =>
      'expected "Low" (blocks low severity and above: strictest), "Medium" or "High" (blocks high only)',
  },
);

const CategoryThresholds = z.strictObject({
  prompt: Severity.describe('Block user input at this severity and above.'),
  completion: Severity.describe('Block model output at this severity and above.'),
});

export const HARM_CATEGORIES = ['hate', 'sexual', 'violence', 'selfHarm'] as const;
export type HarmCategory = (typeof HARM_CATEGORIES)[number];

const ContentFilterConfig = z
  .strictObject({
    basePolicy: z.enum(['Microsoft.DefaultV2', 'Microsoft.Default']).default('Microsoft.DefaultV2'),
    mode: z
      .enum(['Default', 'Asynchronous_filter', 'Blocking', 'Deferred'])
      .default('Default')
      .describe(
        'Default filters synchronously; Asynchronous_filter streams first and filters after (lower latency).',
      ),
    categories: z.strictObject({
      hate: CategoryThresholds,
      sexual: CategoryThresholds,
      violence: CategoryThresholds,
      selfHarm: CategoryThresholds,
    }),
    promptShields: z
      .strictObject({
        jailbreak: z.boolean().default(true).describe('Detect and block jailbreak attempts in user prompts.'),
        indirectAttack: z
          .boolean()
          .default(true)
          .describe('Detect and block attacks embedded in documents (XPIA).'),
      })
      .prefault({}),
    protectedMaterial: z
      .strictObject({
        text: z.boolean().default(true).describe('Block known copyrighted text in completions.'),
        code: z.boolean().default(true).describe('Block known public code in completions.'),
      })
      .prefault({}),
    blocklists: z
      .array(slug('blocklist key', 40))
      .default([])
      .describe('Keys of endpoints.blocklists to enforce.'),
  })
  .describe('A custom content filter (RAI policy), created on every model account.');
export type ContentFilterConfig = z.output<typeof ContentFilterConfig>;

const Blocklist = z.strictObject({
  description: z.string().max(500).optional(),
  terms: z.array(z.string().min(1).max(1000)).default([]).describe('Exact terms (case-insensitive).'),
  patterns: z.array(z.string().min(1).max(1000)).default([]).describe('Regular expressions.'),
});

const Deployment = z
  .strictObject({
    model: z.strictObject({
      name: ModelName.describe('Model name, e.g. gpt-4o.'),
      version: ModelVersion.describe('Model version, e.g. 2024-11-20. Pinned: no implicit latest.'),
      format: ModelFormat.default('OpenAI').describe(
        'Model format; non-OpenAI models need an AIServices account.',
      ),
    }),
    type: z.enum(DEPLOYMENT_TYPE_NAMES, {
      error: () => `expected a deployment type: one of ${DEPLOYMENT_TYPE_NAMES.join(', ')}`,
    }),
    capacity: z
      .number()
      .int({ message: 'expected a whole number' })
      .positive({ message: 'expected a positive capacity' })
      .describe(
        'Thousands of TPM for pay-as-you-go types, PTU for provisioned types, thousands of enqueued tokens for batch.',
      ),
    contentFilter: slug('content filter key', 40).describe(
      'Key of endpoints.contentFilters: never the implicit default.',
    ),
    versionUpgrade: z
      .enum(['OnceNewDefaultVersionAvailable', 'OnceCurrentVersionExpired', 'NoAutoUpgrade'])
      .default('OnceCurrentVersionExpired')
      .describe('When Azure may move the deployment to a newer model version.'),
    spilloverTo: DeploymentName.optional().describe(
      'Provisioned only: a pay-as-you-go deployment of the same model and version on the same account that takes the overflow (native spillover).',
    ),
    gatewayWeight: z
      .number()
      .int()
      .min(1, {
        message: 'expected a weight of 1–100 (API Management pools take 0–100; 0 would never be chosen)',
      })
      .max(100, {
        message: 'expected a weight of 1–100 (API Management pools take 0–100; 0 would never be chosen)',
      })
      .default(100)
      .describe('Share of traffic among backends of the same priority in the gateway pool.'),
  })
  .describe('One model deployment.');
export type Deployment = z.output<typeof Deployment>;
/** The deployment schema, for sections that declare deployments of their own (dedicated tenants). */
export const DeploymentSchema = Deployment;

const Account = z
  .strictObject({
    kind: z
      .enum(['AIServices', 'OpenAI'])
      .default('AIServices')
      .describe('AIServices (Foundry) serves OpenAI and other models; OpenAI serves OpenAI models only.'),
    name: z
      .string()
      .optional()
      .describe(
        'Explicit account name, which is also its custom subdomain (a global DNS label). Default: from the naming function. Set it to move off a name that a soft-deleted account still holds.',
      ),
    deployments: z.record(DeploymentName, Deployment).describe('Keyed by deployment name.'),
    restrictOutboundNetworkAccess: z
      .boolean()
      .default(true)
      .describe(
        'Forbid the account to call out except to allowedFqdns (data exfiltration control). Required in prod.',
      ),
    allowedFqdns: z
      .array(
        z
          .string()
          .max(253)
          .regex(/^(?:\*\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/, {
            message: 'expected a fully qualified domain name such as contoso.com',
          }),
      )
      .default([])
      .describe('Hosts the account may call when outbound access is restricted.'),
  })
  .describe('One Azure OpenAI / AI Services account in one region.');
export type Account = z.output<typeof Account>;

const PtuRuleSchema = z.strictObject({
  minimum: z.number().int().positive(),
  increment: z.number().int().positive(),
  inputTpmPerPtu: z.number().int().positive().optional().describe('Input tokens per minute one PTU serves.'),
});

const QuotaByType = z.partialRecord(
  z.enum(DEPLOYMENT_TYPE_NAMES),
  z.number().int().nonnegative({ message: 'expected a quota of 0 or more' }),
);

export const EndpointsSection = z
  .strictObject({
    accounts: z
      .partialRecord(Region, Account)
      .default({})
      .describe('One model account per region; the key is the region.'),
    contentFilters: z
      .record(slug('content filter key', 40), ContentFilterConfig)
      .default({})
      .describe('Custom RAI policies, keyed by name; deployments reference them by key.'),
    blocklists: z.record(slug('blocklist key', 40), Blocklist).default({}),
    quota: z
      .partialRecord(Region, z.record(z.union([z.literal('*'), ModelName]), QuotaByType))
      .default({})
      .describe(
        "The subscription's quota per region, model and deployment type (thousands of TPM, or PTU). Provisioned quota is model-independent: declare it under the model key '*'.",
      ),
    provisionedThroughputRules: z
      .record(
        ModelName,
        z.partialRecord(
          z.enum(['ProvisionedManaged', 'GlobalProvisionedManaged', 'DataZoneProvisionedManaged']),
          PtuRuleSchema,
        ),
      )
      .default({})
      .describe('Extends or overrides the built-in table of PTU minimums and increments per model.'),
    contentSafety: z
      .strictObject({
        enabled: z.boolean().default(true),
        sku: z.enum(['S0', 'F0']).default('S0'),
        region: Region.optional().describe('Default: the primary region.'),
      })
      .prefault({})
      .describe(
        'Azure AI Content Safety account that the gateway calls for prompt shields and harm categories.',
      ),
    language: z
      .strictObject({
        enabled: z.boolean().default(false),
        sku: z.enum(['S', 'F0']).default('S'),
        region: Region.optional().describe('Default: the primary region.'),
      })
      .prefault({})
      .describe(
        "Azure AI Language account (kind TextAnalytics) that the gateway calls to detect and redact personal data in tenants' prompts.",
      ),
  })
  .prefault({});

export type Endpoints = z.output<typeof EndpointsSection>;

export const ENDPOINT_FIELDS = { endpoints: EndpointsSection };

/** The PTU rule for a model and type, config first, then the built-in table. */
export function ptuRule(endpoints: Endpoints, model: string, type: ProvisionedType): PtuRule | undefined {
  return endpoints.provisionedThroughputRules[model]?.[type] ?? DEFAULT_PTU_RULES[model]?.[type];
}

/** What is wrong with a deployment's capacity for its type, if anything (PTU minimum and increment). */
export function capacityProblem(
  endpoints: Endpoints,
  deployment: Pick<Deployment, 'model' | 'type' | 'capacity'>,
): { field: 'type' | 'capacity'; message: string } | undefined {
  if (!isProvisioned(deployment.type)) return undefined;
  const rule = ptuRule(endpoints, deployment.model.name, deployment.type);
  if (!rule) {
    return {
      field: 'type',
      message: `no PTU minimum is known for ${deployment.model.name} as ${deployment.type}; expected an entry in endpoints.provisionedThroughputRules["${deployment.model.name}"].${deployment.type}`,
    };
  }
  if (deployment.capacity < rule.minimum) {
    return {
      field: 'capacity',
      message: `${deployment.type} ${deployment.model.name} needs at least ${rule.minimum} PTU; expected ${rule.minimum} or more in steps of ${rule.increment}`,
    };
  }
  if ((deployment.capacity - rule.minimum) % rule.increment !== 0) {
    const lower = deployment.capacity - ((deployment.capacity - rule.minimum) % rule.increment);
    return {
      field: 'capacity',
      message: `${deployment.type} ${deployment.model.name} scales in steps of ${rule.increment} PTU from ${rule.minimum}; expected ${lower} or ${lower + rule.increment}`,
    };
  }
  return undefined;
}

/** One request for capacity against the subscription quota, with the config path that makes it. */
export interface CapacityClaim {
  readonly region: AzureRegion;
  readonly model: string;
  readonly type: (typeof DEPLOYMENT_TYPE_NAMES)[number];
  readonly capacity: number;
  readonly path: readonly (string | number)[];
}

/** Every deployment's capacity claim. Later sections (dedicated tenants) add theirs through `claims`. */
export function endpointCapacityClaims(endpoints: Endpoints): CapacityClaim[] {
  return Object.entries(endpoints.accounts).flatMap(([region, account]) =>
    Object.entries(account!.deployments).map(([name, deployment]) => ({
      region: region as AzureRegion,
      model: deployment.model.name,
      type: deployment.type,
      capacity: deployment.capacity,
      path: ['endpoints', 'accounts', region, 'deployments', name, 'capacity'],
    })),
  );
}

/** One row of the quota plan: what a region, model and type asks for, against what the subscription has. */
export interface QuotaRow {
  readonly region: AzureRegion;
  /** The model, or `*` for model-independent provisioned quota. */
  readonly model: string;
  readonly type: (typeof DEPLOYMENT_TYPE_NAMES)[number];
  readonly requested: number;
  /** Undefined when the config declares no quota for it. */
  readonly quota: number | undefined;
  readonly claims: readonly CapacityClaim[];
}

/**
 * Sums the claims per region, model and type and sets them against the declared quota. A provisioned claim counts
 * against the model's own entry when there is one, else against the model-independent `*` entry.
 */
export function quotaPlan(endpoints: Endpoints, claims: readonly CapacityClaim[]): QuotaRow[] {
  const rows = new Map<
    string,
    { region: AzureRegion; model: string; type: CapacityClaim['type']; claims: CapacityClaim[] }
  >();
  for (const claim of claims) {
    const byModel = endpoints.quota[claim.region] ?? {};
    const model =
      isProvisioned(claim.type) &&
      byModel[claim.model]?.[claim.type] === undefined &&
      byModel['*']?.[claim.type] !== undefined
        ? '*'
        : claim.model;
    const key = `${claim.region}|${model}|${claim.type}`;
    const row = rows.get(key) ?? { region: claim.region, model, type: claim.type, claims: [] };
    row.claims.push(claim);
    rows.set(key, row);
  }
  return [...rows.values()]
    .map((row) => ({
      ...row,
      requested: row.claims.reduce((sum, claim) => sum + claim.capacity, 0),
      quota: endpoints.quota[row.region]?.[row.model]?.[row.type],
    }))
    .sort(
      (a, b) =>
        a.region.localeCompare(b.region) || a.model.localeCompare(b.model) || a.type.localeCompare(b.type),
    );
}

type Env = {
  stage: 'dev' | 'staging' | 'prod';
  regions: { primary: AzureRegion; additional: AzureRegion[] };
  endpoints: Endpoints;
};

function* deployments(endpoints: Endpoints) {
  for (const [region, account] of Object.entries(endpoints.accounts)) {
    for (const [name, deployment] of Object.entries(account!.deployments)) {
      yield {
        region: region as AzureRegion,
        account: account!,
        name,
        deployment,
        path: ['endpoints', 'accounts', region, 'deployments', name],
      };
    }
  }
}

const SEVERITY_RANK: Record<FilterSeverity, number> = { Low: 0, Medium: 1, High: 2 };

/**
 * The cross-field rules of the endpoints section. `quotaClaims` lets later sections add their capacity (dedicated
 * tenants), so that one quota check sees every request.
 */
export function endpointRules<E extends Env>(
  quotaClaims: (env: E) => CapacityClaim[] = (env) => endpointCapacityClaims(env.endpoints),
  quotaReads: readonly (readonly (string | number)[])[] = [['endpoints']],
): EnvironmentRule<E>[] {
  return [
    {
      id: 'endpoint-regions-declared',
      reads: [
        ['regions'],
        ['endpoints', 'accounts'],
        ['endpoints', 'contentSafety'],
        ['endpoints', 'language'],
      ],
      check: (env, report) => {
        const regions = new Set([env.regions.primary, ...env.regions.additional]);
        for (const region of Object.keys(env.endpoints.accounts) as AzureRegion[]) {
          if (!regions.has(region)) {
            report({
              path: ['endpoints', 'accounts', region],
              message: `account region ${region} is not one of the environment's regions; expected one of ${[...regions].join(', ')} (add it to regions.additional)`,
            });
          }
        }
        const csRegion = env.endpoints.contentSafety.region;
        if (csRegion && !regions.has(csRegion)) {
          report({
            path: ['endpoints', 'contentSafety', 'region'],
            message: `expected one of the environment's regions: ${[...regions].join(', ')}`,
          });
        }
        const languageRegion = env.endpoints.language.region;
        if (languageRegion && !regions.has(languageRegion)) {
          report({
            path: ['endpoints', 'language', 'region'],
            message: `expected one of the environment's regions: ${[...regions].join(', ')}`,
          });
        }
      },
    },
    {
      id: 'deployment-capacity-fits-type',
      reads: [
        ['endpoints', 'accounts'],
        ['endpoints', 'provisionedThroughputRules'],
      ],
      check: (env, report) => {
        for (const { deployment, path } of deployments(env.endpoints)) {
          const problem = capacityProblem(env.endpoints, deployment);
          if (problem) report({ path: [...path, problem.field], message: problem.message });
        }
      },
    },
    {
      id: 'data-zone-region',
      reads: [['endpoints', 'accounts']],
      check: (env, report) => {
        for (const { region, deployment, path } of deployments(env.endpoints)) {
          if (
            DEPLOYMENT_TYPES[deployment.type].scope === 'dataZone' &&
            AZURE_REGIONS[region].dataZone === undefined
          ) {
            report({
              path: [...path, 'type'],
              message: `${deployment.type} keeps data in the US or EU data zone, and ${region} is in neither; expected a Global or regional type here`,
            });
          }
        }
      },
    },
    {
      id: 'deployment-content-filter-exists',
      reads: [
        ['endpoints', 'accounts'],
        ['endpoints', 'contentFilters'],
      ],
      check: (env, report) => {
        const filters = Object.keys(env.endpoints.contentFilters);
        for (const { deployment, path } of deployments(env.endpoints)) {
          if (!(deployment.contentFilter in env.endpoints.contentFilters)) {
            report({
              path: [...path, 'contentFilter'],
              message: `no content filter "${deployment.contentFilter}" in endpoints.contentFilters; expected one of: ${filters.join(', ') || '(none defined)'}`,
            });
          }
        }
      },
    },
    {
      id: 'content-filter-blocklists-exist',
      reads: [
        ['endpoints', 'contentFilters'],
        ['endpoints', 'blocklists'],
      ],
      check: (env, report) => {
        for (const [key, filter] of Object.entries(env.endpoints.contentFilters)) {
          filter.blocklists.forEach((blocklist, i) => {
            if (!(blocklist in env.endpoints.blocklists)) {
              report({
                path: ['endpoints', 'contentFilters', key, 'blocklists', i],
                message: `no blocklist "${blocklist}" in endpoints.blocklists; expected one of: ${Object.keys(env.endpoints.blocklists).join(', ') || '(none defined)'}`,
              });
            }
          });
        }
      },
    },
    {
      id: 'content-filter-stage-floor',
      reads: [['stage'], ['endpoints', 'contentFilters']],
      check: (env, report) => {
        if (env.stage === 'dev') return;
        for (const [key, filter] of Object.entries(env.endpoints.contentFilters)) {
          const path = ['endpoints', 'contentFilters', key];
          for (const shield of ['jailbreak', 'indirectAttack'] as const) {
            if (!filter.promptShields[shield]) {
              report({
                path: [...path, 'promptShields', shield],
                message: `${env.stage}: prompt shields must be on; expected true`,
              });
            }
          }
          for (const material of ['text', 'code'] as const) {
            if (!filter.protectedMaterial[material]) {
              report({
                path: [...path, 'protectedMaterial', material],
                message: `${env.stage}: protected material must be blocked; expected true`,
              });
            }
          }
          if (env.stage !== 'prod') continue;
          for (const category of HARM_CATEGORIES) {
            for (const source of ['prompt', 'completion'] as const) {
              if (filter.categories[category][source] === 'High') {
                report({
                  path: [...path, 'categories', category, source],
                  message:
                    'prod: harm categories must block at Medium severity or stricter; expected "Medium" or "Low"',
                });
              }
            }
          }
        }
      },
    },
    {
      id: 'spillover-target-valid',
      reads: [['endpoints', 'accounts']],
      check: (env, report) => {
        for (const { account, deployment, path } of deployments(env.endpoints)) {
          if (deployment.spilloverTo === undefined) continue;
          const target = account.deployments[deployment.spilloverTo];
          const at = [...path, 'spilloverTo'];
          if (!isProvisioned(deployment.type)) {
            report({
              path: at,
              message: `only provisioned deployments spill over; ${deployment.type} is not provisioned (remove spilloverTo)`,
            });
          } else if (!target) {
            report({
              path: at,
              message: `no deployment "${deployment.spilloverTo}" on this account; expected a pay-as-you-go deployment of the same account`,
            });
          } else if (
            !isPayAsYouGo(target.type) ||
            target.model.name !== deployment.model.name ||
            target.model.version !== deployment.model.version
          ) {
            report({
              path: at,
              message: `spillover needs a pay-as-you-go deployment of ${deployment.model.name} ${deployment.model.version}; "${deployment.spilloverTo}" is ${target.type} ${target.model.name} ${target.model.version}`,
            });
          }
        }
      },
    },
    {
      id: 'model-format-fits-account',
      reads: [['endpoints', 'accounts']],
      check: (env, report) => {
        for (const { account, deployment, path } of deployments(env.endpoints)) {
          if (account.kind === 'OpenAI' && deployment.model.format !== 'OpenAI') {
            report({
              path: [...path, 'model', 'format'],
              message: `an OpenAI account serves OpenAI models only; expected "OpenAI", or kind "AIServices" for ${deployment.model.format} models`,
            });
          }
        }
      },
    },
    {
      id: 'prod-restricts-outbound',
      reads: [['stage'], ['endpoints', 'accounts']],
      check: (env, report) => {
        if (env.stage !== 'prod') return;
        for (const [region, account] of Object.entries(env.endpoints.accounts)) {
          if (!account!.restrictOutboundNetworkAccess) {
            report({
              path: ['endpoints', 'accounts', region, 'restrictOutboundNetworkAccess'],
              message:
                'prod: model accounts must not call out freely; expected true (list what they may reach in allowedFqdns)',
            });
          }
        }
      },
    },
    {
      id: 'content-safety-in-private-stages',
      reads: [['stage'], ['endpoints', 'contentSafety']],
      check: (env, report) => {
        if (env.stage === 'dev') return;
        if (!env.endpoints.contentSafety.enabled) {
          report({
            path: ['endpoints', 'contentSafety', 'enabled'],
            message: `${env.stage}: the gateway's content-safety check needs the account; expected true`,
          });
        } else if (env.endpoints.contentSafety.sku === 'F0') {
          report({
            path: ['endpoints', 'contentSafety', 'sku'],
            message: `${env.stage}: the free tier is throttled and has no SLA; expected "S0"`,
          });
        }
      },
    },
    {
      id: 'language-paid-in-private-stages',
      reads: [['stage'], ['endpoints', 'language']],
      check: (env, report) => {
        if (env.stage !== 'dev' && env.endpoints.language.enabled && env.endpoints.language.sku === 'F0') {
          report({
            path: ['endpoints', 'language', 'sku'],
            message: `${env.stage}: the free tier is throttled and has no SLA; expected "S"`,
          });
        }
      },
    },
    {
      id: 'quota-covers-requests',
      reads: quotaReads,
      check: (env, report) => {
        for (const row of quotaPlan(env.endpoints, quotaClaims(env))) {
          const unit = isProvisioned(row.type)
            ? 'PTU'
            : isBatch(row.type)
              ? 'thousand enqueued tokens'
              : 'thousand TPM';
          if (row.quota === undefined) {
            for (const claim of row.claims) {
              report({
                path: claim.path,
                message: `no quota declared for ${row.model} ${row.type} in ${row.region}; expected an entry in endpoints.quota.${row.region}["${row.model}"].${row.type}${isProvisioned(row.type) ? ` (or the model-independent "*")` : ''}`,
              });
            }
          } else if (row.requested > row.quota) {
            for (const claim of row.claims) {
              report({
                path: claim.path,
                message: `${row.region} ${row.model} ${row.type}: deployments ask for ${row.requested} ${unit} in all, the quota is ${row.quota}; over by ${row.requested - row.quota}`,
              });
            }
          }
        }
      },
    },
  ];
}

/** True when `a` blocks at least everything `b` blocks. */
export function atLeastAsStrict(a: ContentFilterConfig, b: ContentFilterConfig): string[] {
  const weaker: string[] = [];
  for (const category of HARM_CATEGORIES) {
    for (const source of ['prompt', 'completion'] as const) {
      if (SEVERITY_RANK[a.categories[category][source]] > SEVERITY_RANK[b.categories[category][source]]) {
        weaker.push(
          `categories.${category}.${source} is ${a.categories[category][source]}, expected ${b.categories[category][source]} or stricter`,
        );
      }
    }
  }
  for (const shield of ['jailbreak', 'indirectAttack'] as const) {
    if (b.promptShields[shield] && !a.promptShields[shield]) weaker.push(`promptShields.${shield} is off`);
  }
  for (const material of ['text', 'code'] as const) {
    if (b.protectedMaterial[material] && !a.protectedMaterial[material])
      weaker.push(`protectedMaterial.${material} is off`);
  }
  for (const blocklist of b.blocklists) {
    if (!a.blocklists.includes(blocklist)) weaker.push(`blocklist "${blocklist}" is missing`);
  }
  return weaker;
}
