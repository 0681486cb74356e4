/**
 * What should exist, read from the environment's synthesized plan (through the one plan reader): the gateway and
 * its regions, the verification tenants, every shared pool with its backends (from the routing table), a blocklist
 * term the content filters must block, the resources the plan makes private or key-less, and where telemetry lands.
 * Pure: no network. Each thing the plan lacks is one {@link ScriptError} sentence or a reason a check skips.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALLEE_SERVICES } from '../../../constructs/shared/paths';
import {
  body,
  field,
  findAll,
  parseXml,
  type PlanResource,
  type StackPlan,
  type SynthOutput,
} from '../../../constructs/shared/plan';
import { type AzureRegion, regionCode } from '../../../constructs/shared/catalog';
import { VERIFICATION_BACKEND_HEADER } from '../../../constructs/shared/verification';
import { stacksOfEnvironment } from '../../../environments/stack-ids';
import { ScriptError } from '../cli';
import { routeEntries } from '../routes';

/** One region of the gateway and the URL its gateway answers on. */
export interface GatewayRegion {
  readonly region: string;
  readonly baseUrl: string;
  readonly primary: boolean;
}

export interface VerifyGateway {
  readonly name: string;
  readonly resourceGroup: string;
  /** `public`: reachable from the internet; `private`: a private endpoint with public access off; `internal`: VNet. */
  readonly exposure: 'public' | 'private' | 'internal';
  readonly regions: readonly GatewayRegion[];
  /** The inference API's name and path (`azure-openai`, `openai`). */
  readonly apiName: string;
  readonly apiPath: string;
  readonly host: string;
}

export interface VerifyBackend {
  readonly id: string;
  readonly region: string;
  readonly priority: number;
  readonly url: string;
  readonly host: string;
}

export interface VerifyModel {
  /** The deployment name clients call. */
  readonly model: string;
  readonly kind: 'chat' | 'embeddings';
  readonly pool: string;
  readonly backends: readonly VerifyBackend[];
  /** The backends a request reaches first: the lowest priority of the pool (provisioned first). */
  readonly first: readonly string[];
  /**
   * A multi-region gateway: each gateway region's own pool of the model (`pool-<model>-<code>`, local members first),
   * by region — the priority of each backend there and the backends that region tries first.
   */
  readonly regional?: Readonly<
    Record<
      string,
      { readonly priorities: Readonly<Record<string, number>>; readonly first: readonly string[] }
    >
  >;
}

export interface VerifyTenant {
  readonly slug: string;
  /** The product's policy document, as the plan has it. */
  readonly policy: string;
  /** Tokens per minute of its product's `llm-token-limit`. */
  readonly tokensPerMinute: number | undefined;
  /** Its product runs `llm-content-safety` with prompt shields. */
  readonly shieldPrompt: boolean;
}

/** A resource the plan makes private, or key-less: what verify calls and asks ARM about. */
export interface VerifyResource {
  readonly label: string;
  readonly kind:
    'model account' | 'Key Vault' | 'storage account' | 'gateway' | 'Application Insights' | 'Log Analytics';
  readonly name: string;
  readonly resourceGroup: string;
  readonly armType: string;
  readonly apiVersion: string;
  readonly host: string | undefined;
  /** `platform`, or the tenant whose resource it is. */
  readonly owner: string;
  readonly publicInPlan: boolean;
}

export interface ContentFilterProbe {
  readonly model: string;
  readonly source: 'blocklist' | 'prompt-shield';
  /** A blocklist term (blocklist) or the reason the shield should fire. */
  readonly detail: string;
}

export interface VerifyTelemetry {
  readonly workspace: { readonly name: string; readonly resourceGroup: string } | undefined;
  /** The gateway sends its resource logs (ApiManagementGatewayLogs) to the workspace. */
  readonly gatewayLogs: boolean;
  /** Sampling of the API's Azure Monitor diagnostic (100 = every request is logged). */
  readonly logSamplingPercent: number;
  /** The API policy emits token metrics with a Tenant dimension (namespace). */
  readonly tokenMetric: { readonly namespace: string; readonly tenantDimension: boolean } | undefined;
  /** Application Insights keeps its data in the workspace (workspace-based), where AppMetrics is queried. */
  readonly appInsightsInWorkspace: boolean;
}

export interface VerifyTarget {
  readonly environment: string;
  /** Each stack of the environment and the SHA-256 of its plan file: the report names the plan it verified. */
  readonly stacks: ReadonlyArray<{ readonly id: string; readonly sha256: string }>;
  readonly gateway: VerifyGateway;
  readonly tenant: VerifyTenant;
  readonly suspended: VerifyTenant | undefined;
  readonly models: readonly VerifyModel[];
  /** Pools of dedicated tenants: never called (another tenant's scope). */
  readonly dedicatedPools: readonly string[];
  readonly contentFilter: ContentFilterProbe | { readonly skip: string };
  readonly privateResources: readonly VerifyResource[];
  readonly keylessResources: readonly VerifyResource[];
  readonly telemetry: VerifyTelemetry;
  /** Operations of the inference API that read or continue a stored object by id. */
  readonly storedObjectOperations: readonly string[];
}

const API_VERSIONS: Readonly<
  Record<string, { armType: string; apiVersion: string; kind: VerifyResource['kind'] }>
> = {
  azurerm_cognitive_account: {
    armType: 'Microsoft.CognitiveServices/accounts',
    apiVersion: '2024-10-01',
    kind: 'model account',
  },
  azurerm_key_vault: { armType: 'Microsoft.KeyVault/vaults', apiVersion: '2023-07-01', kind: 'Key Vault' },
  azurerm_storage_account: {
    armType: 'Microsoft.Storage/storageAccounts',
    apiVersion: '2023-05-01',
    kind: 'storage account',
  },
  azurerm_api_management: {
    armType: 'Microsoft.ApiManagement/service',
    apiVersion: '2024-05-01',
    kind: 'gateway',
  },
  azurerm_application_insights: {
    armType: 'Microsoft.Insights/components',
    apiVersion: '2020-02-02',
    kind: 'Application Insights',
  },
  azurerm_log_analytics_workspace: {
    armType: 'Microsoft.OperationalInsights/workspaces',
    apiVersion: '2023-09-01',
    kind: 'Log Analytics',
  },
};

const literal = (value: unknown): string | undefined =>
  typeof value === 'string' && !value.includes('${') ? value : undefined;

/** A resource's name, following a reference to the resource that holds it. */
function nameOf(plan: StackPlan, resource: PlanResource): string {
  return (
    literal(resource.config['name']) ?? literal(plan.dereference(resource.config['name'])) ?? resource.path
  );
}

/** The resource group a resource lives in, following `${azurerm_resource_group.x.name}` and similar references. */
export function resourceGroupNameOf(plan: StackPlan, resource: PlanResource, depth = 0): string {
  const value = plan.dereference(resource.config['resource_group_name']);
  const text = literal(value);
  if (text) return text;
  const target = plan.resolve(value);
  if (target && depth < 4) {
    if (target.type === 'azurerm_resource_group') return nameOf(plan, target);
    return resourceGroupNameOf(plan, target, depth + 1);
  }
  throw new ScriptError(
    `${resource.stack}: cannot tell the resource group of ${resource.path} from the plan.`,
  );
}

function tagsOf(resource: PlanResource): Record<string, unknown> {
  const tags = resource.config['tags'];
  return tags !== null && typeof tags === 'object' ? (tags as Record<string, unknown>) : {};
}

/** Each stack and the SHA-256 of its cdk.tf.json: what a report says it verified, and what the guard compares. */
export function planDigests(
  output: SynthOutput,
  ids: readonly string[],
): Array<{ readonly id: string; readonly sha256: string }> {
  return ids.map((id) => ({
    id,
    sha256: createHash('sha256')
      .update(readFileSync(join(output.outdir, output.manifest.stacks[id]!.synthesizedStackPath)))
      .digest('hex'),
  }));
}

/** Reads what should exist in `environment` from the synthesized output. */
export function readTarget(output: SynthOutput, environment: string, tenantSlug?: string): VerifyTarget {
  const ids = stacksOfEnvironment(environment, output.stackIds);
  if (ids.length === 0) {
    throw new ScriptError(
      `${output.outdir} has no plan of environment "${environment}"; it has: ${output.stackIds.join(', ') || 'none'}. Run \`npm run synth\` first.`,
    );
  }
  const plans = output.stacks(ids);
  const all = <T>(pick: (plan: StackPlan) => T[]): Array<{ plan: StackPlan; item: T }> =>
    plans.flatMap((plan) => pick(plan).map((item) => ({ plan, item })));
  const platform = plans[0]!;

  const stacks = planDigests(output, ids);

  const gateway = readGateway(platform, environment);
  const { tenant, suspended } = readTenants(plans, environment, tenantSlug);
  const entries = routeEntries(platform);
  // A multi-region gateway's regional pools (`pool-<model>-<region code>`) reorder the shared pool's backends per region.
  const regionOfPool = new Map(
    gateway.regions.flatMap(({ region }) =>
      entries
        .filter((e) => e.poolName === `pool-${e.model}-${regionCode(region as AzureRegion)}`)
        .map((e) => [e.poolName, region] as const),
    ),
  );
  const shared = entries.filter((e) => !e.pool.path.startsWith('Tenants/') && !regionOfPool.has(e.poolName));
  const models = new Map<string, VerifyModel>();
  for (const entry of shared) {
    const backend: VerifyBackend = {
      id: entry.backendName,
      region: entry.region,
      priority: entry.priority ?? 0,
      url: entry.url ?? '',
      host: hostOf(entry.url),
    };
    const existing = models.get(entry.model);
    const backends = [...(existing?.backends ?? []), backend];
    const lowest = Math.min(...backends.map((b) => b.priority));
    models.set(entry.model, {
      model: entry.model,
      kind: /embedding/i.test(entry.modelName ?? entry.model) ? 'embeddings' : 'chat',
      pool: entry.poolName,
      backends,
      first: backends.filter((b) => b.priority === lowest).map((b) => b.id),
    });
  }
  for (const [poolName, region] of regionOfPool) {
    const members = entries.filter((e) => e.poolName === poolName);
    const model = models.get(members[0]!.model);
    if (!model) continue;
    const priorities = Object.fromEntries(members.map((e) => [e.backendName, e.priority ?? 0]));
    const lowest = Math.min(...Object.values(priorities));
    models.set(model.model, {
      ...model,
      regional: {
        ...model.regional,
        [region]: {
          priorities,
          first: members.filter((e) => (e.priority ?? 0) === lowest).map((e) => e.backendName),
        },
      },
    });
  }
  const dedicatedPools = all((plan) => routeEntries(plan).filter((e) => e.pool.path.startsWith('Tenants/')))
    .map(({ item }) => item.poolName)
    .filter((pool, i, list) => list.indexOf(pool) === i);

  const resources = (types: readonly string[]) =>
    all((plan) => plan.byType(...types)).map(({ plan, item }) => ({ plan, resource: item }));
  const describe = (plan: StackPlan, resource: PlanResource, publicInPlan: boolean): VerifyResource => {
    const known = API_VERSIONS[resource.type]!;
    const name = nameOf(plan, resource);
    const owner =
      typeof tagsOf(resource)['tenant'] === 'string' ? String(tagsOf(resource)['tenant']) : 'platform';
    return {
      label: `${known.kind} ${name}${owner === 'platform' ? '' : ` (tenant ${owner})`}`,
      kind: known.kind,
      name,
      resourceGroup: resourceGroupNameOf(plan, resource),
      armType: known.armType,
      apiVersion: known.apiVersion,
      host: CALLEE_SERVICES[resource.type]?.host(resource),
      owner,
      publicInPlan,
    };
  };
  const privateResources = resources([
    'azurerm_cognitive_account',
    'azurerm_key_vault',
    'azurerm_storage_account',
    'azurerm_api_management',
  ])
    .filter(({ plan, resource }) => !publicInPlan(plan, resource))
    .map(({ plan, resource }) => describe(plan, resource, false));
  const keylessResources = resources([
    'azurerm_cognitive_account',
    'azurerm_storage_account',
    'azurerm_application_insights',
    'azurerm_log_analytics_workspace',
  ])
    .filter(({ resource }) => keyless(resource))
    .map(({ plan, resource }) => describe(plan, resource, publicInPlan(plan, resource)));

  return {
    environment,
    stacks,
    gateway,
    tenant,
    suspended,
    models: [...models.values()],
    dedicatedPools,
    contentFilter: contentFilterProbe(platform, shared, tenant, [...models.values()]),
    privateResources,
    keylessResources,
    telemetry: readTelemetry(platform),
    storedObjectOperations: storedObjectOperations(platform),
  };
}

function hostOf(url: string | undefined): string {
  try {
    return new URL(url ?? '').hostname;
  } catch {
    return '';
  }
}

/** True when the plan lets the internet reach the resource. */
function publicInPlan(plan: StackPlan, resource: PlanResource): boolean {
  const service = CALLEE_SERVICES[resource.type];
  if (service && !service.publicAccess(resource)) return false;
  // A gateway with a private endpoint turns public access off after creation, in an azapi update.
  return !plan
    .byType('azapi_update_resource')
    .some(
      (update) =>
        plan.resolve(update.config['resource_id']) === resource &&
        field(update.config, 'body.properties.publicNetworkAccess') === 'Disabled',
    );
}

/** True when the plan turns local (key) authentication off. */
function keyless(resource: PlanResource): boolean {
  switch (resource.type) {
    case 'azurerm_log_analytics_workspace':
      return resource.config['local_authentication_enabled'] === false;
    default:
      return CALLEE_SERVICES[resource.type]?.entraOnly(resource) ?? false;
  }
}

function readGateway(plan: StackPlan, environment: string): VerifyGateway {
  const services = plan.byType('azurerm_api_management');
  if (services.length !== 1) {
    throw new ScriptError(
      `the plan of ${environment} has ${services.length} API Management services; verify expects exactly one gateway.`,
    );
  }
  const service = services[0]!;
  const name = nameOf(plan, service);
  const api = plan
    .byType('azurerm_api_management_api')
    .find((a) => plan.resolve(a.config['api_management_name']) === service);
  if (!api) throw new ScriptError(`the plan of ${environment} has no inference API on ${name}.`);
  const primary = String(service.config['location']);
  const additional = (
    Array.isArray(service.config['additional_location'])
      ? (service.config['additional_location'] as Array<Record<string, unknown>>)
      : service.config['additional_location']
        ? [service.config['additional_location'] as Record<string, unknown>]
        : []
  ).map((location) => String(location['location']));
  const regions = [primary, ...additional];
  const host = CALLEE_SERVICES['azurerm_api_management']!.host(service) ?? `${name}.azure-api.net`;
  return {
    name,
    resourceGroup: resourceGroupNameOf(plan, service),
    exposure:
      field(service.config, 'virtual_network_type') === 'Internal'
        ? 'internal'
        : publicInPlan(plan, service)
          ? 'public'
          : 'private',
    // One region answers on the service's host; with several, each region's gateway answers on its regional URL
    // (Learn, "Deploy an Azure API Management instance to multiple Azure regions": https://<service>-<region>-01.regional.azure-api.net).
    regions: regions.map((region, i) => ({
      region,
      primary: i === 0,
      baseUrl:
        regions.length === 1 ? `https://${host}` : `https://${name}-${region}-01.regional.azure-api.net`,
    })),
    apiName: String(api.config['name']),
    apiPath: String(api.config['path'] ?? ''),
    host,
  };
}

function policyOf(plans: readonly StackPlan[], product: PlanResource, plan: StackPlan): string {
  const policy = plans
    .flatMap((p) => p.byType('azurerm_api_management_product_policy').map((r) => ({ p, r })))
    .find(
      ({ p, r }) =>
        p.resolve(r.config['product_id']) === product ||
        (p === plan && plan.resolve(r.config['product_id']) === product),
    );
  return String(policy?.r.config['xml_content'] ?? '');
}

function tenantFrom(
  plans: readonly StackPlan[],
  plan: StackPlan,
  product: PlanResource,
  slug: string,
): VerifyTenant {
  const policy = policyOf(plans, product, plan);
  let tokensPerMinute: number | undefined;
  let shieldPrompt = false;
  if (policy) {
    const xml = parseXml(policy);
    const limit = findAll(xml, 'llm-token-limit')[0]?.attributes['tokens-per-minute'];
    tokensPerMinute = limit === undefined ? undefined : Number(limit);
    shieldPrompt = findAll(xml, 'llm-content-safety').some((e) => e.attributes['shield-prompt'] === 'true');
  }
  return { slug, policy, tokensPerMinute, shieldPrompt };
}

/** A verification tenant's product policy: it runs the per-backend probe (constructs/ai-gateway/policies). */
function isVerificationPolicy(policy: string): boolean {
  if (!policy) return false;
  return findAll(parseXml(policy), 'when').some((when) =>
    String(when.attributes['condition'] ?? '').includes(`"${VERIFICATION_BACKEND_HEADER}"`),
  );
}

function readTenants(
  plans: readonly StackPlan[],
  environment: string,
  wanted: string | undefined,
): { tenant: VerifyTenant; suspended: VerifyTenant | undefined } {
  const found: Array<{
    slug: string;
    state: string;
    plan: StackPlan;
    product: PlanResource;
    marked: boolean;
  }> = [];
  for (const plan of plans) {
    for (const product of plan.byType('azurerm_api_management_product')) {
      const slug = String(product.config['product_id']);
      const subscription = plan
        .byType('azurerm_api_management_subscription')
        .find((s) => plan.resolve(s.config['product_id']) === product);
      if (!subscription) continue;
      found.push({
        slug,
        state: String(subscription.config['state']),
        plan,
        product,
        marked: isVerificationPolicy(policyOf(plans, product, plan)),
      });
    }
  }
  const active = wanted
    ? found.find((f) => f.slug === wanted)
    : found.find((f) => f.marked && f.state === 'active');
  if (!active) {
    throw new ScriptError(
      wanted
        ? `the plan of ${environment} has no tenant "${wanted}" with a subscription; it has: ${found.map((f) => f.slug).join(', ') || 'none'}.`
        : `the plan of ${environment} has no verification tenant (a tenant with purpose: 'verification' and an active subscription): add one to environments/tenants.ts with an allocation for ${environment}, then synthesize and apply (README, "Verifying a deployment").`,
    );
  }
  if (!active.marked) {
    throw new ScriptError(
      `tenant "${active.slug}" is no verification tenant in ${environment}; verify calls the gateway only as a tenant with purpose: 'verification'.`,
    );
  }
  if (active.state !== 'active') {
    throw new ScriptError(
      `tenant "${active.slug}" is ${active.state} in ${environment}; verify needs an active tenant.`,
    );
  }
  const suspended = found.find((f) => f.marked && f.state === 'suspended');
  return {
    tenant: tenantFrom(plans, active.plan, active.product, active.slug),
    suspended: suspended ? tenantFrom(plans, suspended.plan, suspended.product, suspended.slug) : undefined,
  };
}

/**
 * A prompt the content filters must block for one model: a blocklist term that every backend deployment of the model
 * blocks in prompts (deterministic), else the tenant's prompt shield, else a reason to skip.
 */
function contentFilterProbe(
  plan: StackPlan,
  shared: ReturnType<typeof routeEntries>,
  tenant: VerifyTenant,
  models: readonly VerifyModel[],
): ContentFilterProbe | { skip: string } {
  const chat = models.filter((m) => m.kind === 'chat');
  for (const model of chat) {
    const members = shared.filter((e) => e.model === model.model);
    const termSets = members.map((entry) => blockedPromptTerms(plan, entry.deployment, entry.account));
    const common = termSets.reduce<string[] | undefined>(
      (acc, terms) => (acc === undefined ? terms : acc.filter((t) => terms.includes(t))),
      undefined,
    );
    if (common && common.length > 0) return { model: model.model, source: 'blocklist', detail: common[0]! };
  }
  if (tenant.shieldPrompt && chat.length > 0) {
    return {
      model: chat[0]!.model,
      source: 'prompt-shield',
      detail: `the ${tenant.slug} product runs llm-content-safety with shield-prompt`,
    };
  }
  return {
    skip:
      chat.length === 0
        ? 'the gateway routes no chat model'
        : 'no deterministic trigger in the plan: no blocklist blocks prompts on every backend of a chat model, and the verification product runs no prompt shield',
  };
}

/** The plain (non-regex) terms of the blocklists a deployment's content filter blocks in prompts. */
function blockedPromptTerms(
  plan: StackPlan,
  deployment: PlanResource | undefined,
  account: PlanResource | undefined,
): string[] {
  if (!deployment || !account) return [];
  const policy = plan.resolve(deployment.config['rai_policy_name']);
  if (!policy) return [];
  const names = plan
    .byType('azapi_update_resource')
    .filter((u) => plan.resolve(u.config['resource_id']) === policy)
    .flatMap((u) => (field(u.config, 'body.properties.customBlocklists') as unknown[]) ?? [])
    .filter(
      (b): b is { blocklistName: string } =>
        typeof b === 'object' &&
        b !== null &&
        (b as Record<string, unknown>)['source'] === 'Prompt' &&
        (b as Record<string, unknown>)['blocking'] === true,
    )
    .map((b) => b.blocklistName);
  const lists = plan
    .byType('azurerm_cognitive_account_rai_blocklist')
    .filter(
      (l) =>
        names.includes(String(l.config['name'])) &&
        plan.resolve(l.config['cognitive_account_id']) === account,
    );
  return plan
    .byType('Microsoft.CognitiveServices/accounts/raiBlocklists/raiBlocklistItems')
    .filter((item) => lists.includes(plan.resolve(item.config['parent_id'])!))
    .filter((item) => field(body(item), 'properties.isRegex') === false)
    .map((item) => String(field(body(item), 'properties.pattern')))
    .sort();
}

function readTelemetry(plan: StackPlan): VerifyTelemetry {
  const workspace = plan.byType('azurerm_log_analytics_workspace')[0];
  const service = plan.byType('azurerm_api_management')[0];
  const gatewayLogs =
    workspace !== undefined &&
    service !== undefined &&
    plan
      .byType('azurerm_monitor_diagnostic_setting')
      .some(
        (s) =>
          plan.resolve(s.config['target_resource_id']) === service &&
          plan.resolve(s.config['log_analytics_workspace_id']) === workspace &&
          s.config['log_analytics_destination_type'] === 'Dedicated',
      );
  const monitor = plan
    .byType('Microsoft.ApiManagement/service/apis/diagnostics')
    .find((d) => d.config['name'] === 'azuremonitor');
  const sampling = Number(
    field(body(monitor ?? ({ config: {} } as PlanResource)), 'properties.sampling.percentage') ?? 100,
  );
  const apiPolicy = plan.byType('azurerm_api_management_api_policy')[0];
  const metric = apiPolicy
    ? findAll(parseXml(String(apiPolicy.config['xml_content'])), 'llm-emit-token-metric')[0]
    : undefined;
  const insights = plan.byType('azurerm_application_insights')[0];
  return {
    workspace: workspace
      ? { name: nameOf(plan, workspace), resourceGroup: resourceGroupNameOf(plan, workspace) }
      : undefined,
    gatewayLogs,
    logSamplingPercent: Number.isFinite(sampling) ? sampling : 100,
    tokenMetric: metric
      ? {
          namespace: String(metric.attributes['namespace'] ?? ''),
          tenantDimension: metric.children.some(
            (c) => 'name' in c && c.name === 'dimension' && c.attributes['name'] === 'Tenant',
          ),
        }
      : undefined,
    appInsightsInWorkspace:
      insights !== undefined &&
      workspace !== undefined &&
      plan.resolve(insights.config['workspace_id']) === workspace,
  };
}

/** Operations that take a stored object's id: read, delete or continue it (`/responses/{id}`, files, threads). */
function storedObjectOperations(plan: StackPlan): string[] {
  return plan
    .byType('azurerm_api_management_api_operation')
    .map((op) => `${String(op.config['method'])} ${String(op.config['url_template'])}`)
    .filter((op) => /\{(response|file|thread|vector-store|assistant|batch)[-_]?id\}/i.test(op))
    .sort();
}
