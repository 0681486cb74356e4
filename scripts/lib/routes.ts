/**
 * The gateway's routing table, derived from a synthesized plan: pools, their backends, and the deployments behind
 * them.
 */
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

/** The rows of one stack's routing table. */
export function routingRows(plan: StackPlan): (string | number)[][] {
  const accounts = plan.byType('azurerm_cognitive_account');
  const deployments = plan.byType('azurerm_cognitive_deployment');
  const pools = plan.byType('azapi_resource').filter((r) => body(r).properties?.type === 'Pool');
  const rows: (string | number)[][] = [];
  for (const pool of pools.sort((a, b) => String(a.config['name']).localeCompare(String(b.config['name'])))) {
    const poolName = String(pool.config['name']);
    const model = body(pool).properties?.title ?? poolName.replace(/^pool-/, '');
    const services = [...(body(pool).properties?.pool?.services ?? [])].sort(
      (a, b) => (a.priority ?? 0) - (b.priority ?? 0),
    );
    for (const service of services) {
      const backend = plan.resolve(service.id);
      const host = /^https:\/\/([^.]+)\./.exec(body(backend).properties?.url ?? '')?.[1];
      const account = accounts.find((a) => a.config['name'] === host);
      const deploymentName = body(backend).properties?.title ?? model;
      const deployment = deployments.find(
        (d) =>
          d.config['name'] === deploymentName &&
          account &&
          d.config['cognitive_account_id'] === `\${${account.address}.id}`,
      );
      const sku = (deployment?.config['sku'] ?? {}) as { name?: string; capacity?: number };
      const mi = body(backend).properties?.credentials?.managedIdentity ? 'managed identity' : 'NONE';
      rows.push([
        model,
        poolName,
        String(backend?.config['name'] ?? service.id),
        String(account?.config['location'] ?? '?'),
        sku.name ?? '?',
        service.priority ?? '-',
        service.weight ?? '-',
        sku.capacity ?? '?',
        breaker(backend),
        mi,
      ]);
    }
  }
  return rows;
}
