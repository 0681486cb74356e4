/**
 * The gateway's routing table, derived from a synthesized plan: pools, their backends, and the deployments behind
 * them.
 */
import { planPools, regionalPoolChoices } from '../../constructs/shared/paths/gateway-regions';
import { body as armBody, type PlanResource, type StackPlan } from '../../constructs/shared/plan';

interface Body {
  properties?: {
    type?: string;
    title?: string;
    url?: string;
    pool?: { services?: Array<{ id: string; priority?: number; weight?: number }> };
    circuitBreaker?: {
      rules?: Array<{
        failureCondition?: {
          count?: number;
          interval?: string;
          statusCodeRanges?: Array<{ min: number; max: number }>;
        };
        tripDuration?: string;
        acceptRetryAfter?: boolean;
      }>;
    };
    credentials?: { managedIdentity?: unknown };
  };
}

function body(resource: PlanResource | undefined): Body {
  return (resource ? armBody(resource) : {}) as Body;
}

function breaker(backend: PlanResource | undefined): string {
  const rule = body(backend).properties?.circuitBreaker?.rules?.[0];
  if (!rule) return 'NONE';
  const codes = (rule.failureCondition?.statusCodeRanges ?? [])
    .map((r) => (r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`))
    .join(',');
  return `${rule.failureCondition?.count}× ${codes} in ${rule.failureCondition?.interval} → out ${rule.tripDuration}${rule.acceptRetryAfter ? ' or Retry-After' : ''}`;
}

/** One backend of one pool, as the plan routes it. */
export interface RouteEntry {
  /** The model (deployment name) clients call. */
  readonly model: string;
  readonly pool: PlanResource;
  readonly poolName: string;
  readonly backend: PlanResource | undefined;
  /** The backend's id (its name), or the pool's reference when it does not resolve. */
  readonly backendName: string;
  /** The backend's URL (`https://<account>.openai.azure.com/openai`). */
  readonly url: string | undefined;
  readonly account: PlanResource | undefined;
  readonly deployment: PlanResource | undefined;
  readonly region: string;
  /** The deployment type (SKU name). */
  readonly type: string;
  readonly priority: number | undefined;
  readonly weight: number | undefined;
  readonly capacity: number | undefined;
  /** The model the deployment runs (`text-embedding-3-large`). */
  readonly modelName: string | undefined;
}

/** Every backend of every pool of one stack, pools by name and backends by priority. */
export function routeEntries(plan: StackPlan): RouteEntry[] {
  const accounts = plan.byType('azurerm_cognitive_account');
  const deployments = plan.byType('azurerm_cognitive_deployment');
  const pools = plan.byType('azapi_resource').filter((r) => body(r).properties?.type === 'Pool');
  const entries: RouteEntry[] = [];
  for (const pool of pools.sort((a, b) => String(a.config['name']).localeCompare(String(b.config['name'])))) {
    const poolName = String(pool.config['name']);
    const model = body(pool).properties?.title ?? poolName.replace(/^pool-/, '');
    const services = [...(body(pool).properties?.pool?.services ?? [])].sort(
      (a, b) => (a.priority ?? 0) - (b.priority ?? 0),
    );
    for (const service of services) {
      const backend = plan.resolve(service.id);
      const url = body(backend).properties?.url;
      const host = /^https:\/\/([^.]+)\./.exec(url ?? '')?.[1];
      const account = accounts.find((a) => a.config['name'] === host);
      const deploymentName = body(backend).properties?.title ?? model;
      const deployment = deployments.find(
        (d) =>
          d.config['name'] === deploymentName &&
          account &&
          d.config['cognitive_account_id'] === `\${${account.address}.id}`,
      );
      const sku = (deployment?.config['sku'] ?? {}) as { name?: string; capacity?: number };
      const modelName = (deployment?.config['model'] as { name?: unknown } | undefined)?.name;
      entries.push({
        model,
        pool,
        poolName,
        backend,
        backendName: String(backend?.config['name'] ?? service.id),
        url,
        account,
        deployment,
        region: String(account?.config['location'] ?? '?'),
        type: sku.name ?? '?',
        priority: service.priority,
        weight: service.weight,
        capacity: sku.capacity,
        modelName: typeof modelName === 'string' ? modelName : undefined,
      });
    }
  }
  return entries;
}

/** The rows of one stack's routing table. */
export function routingRows(plan: StackPlan): (string | number)[][] {
  return routeEntries(plan).map((entry) => [
    entry.model,
    entry.poolName,
    entry.backendName,
    entry.region,
    entry.type,
    entry.priority ?? '-',
    entry.weight ?? '-',
    entry.capacity ?? '?',
    breaker(entry.backend),
    body(entry.backend).properties?.credentials?.managedIdentity ? 'managed identity' : 'NONE',
  ]);
}

/**
 * The routing of each regional gateway (a multi-region gateway): for each gateway region and model, the pool its
 * policy picks and the backends in the order they are tried, each marked local or remote. Empty for one region.
 */
export function regionalRoutingRows(plan: StackPlan): (string | number)[][] {
  const accounts = plan.byType('azurerm_cognitive_account');
  const pools = planPools(plan);
  const rows: (string | number)[][] = [];
  for (const [region, models] of [...regionalPoolChoices(plan)].sort(([a], [b]) => a.localeCompare(b))) {
    for (const [model, poolName] of [...models].sort(([a], [b]) => a.localeCompare(b))) {
      const members = pools.get(poolName)?.members ?? [];
      members.forEach((member, i) => {
        const host = /^https:\/\/([^.]+)\./.exec(body(member.backend).properties?.url ?? '')?.[1];
        const backendRegion = String(
          accounts.find((a) => a.config['name'] === host)?.config['location'] ?? '?',
        );
        rows.push([
          region,
          model,
          poolName,
          i + 1,
          String(member.backend?.config['name'] ?? member.id),
          backendRegion,
          backendRegion === region ? 'local' : 'remote',
          member.priority,
        ]);
      });
    }
  }
  return rows;
}
