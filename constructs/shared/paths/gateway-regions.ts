/**
 * The regional gateways of a plan and how each routes, read from the synthesized output: the regions of every API
 * Management service (its location and its `additional_location` blocks, each with its own subnet), and for each
 * region the pool each model goes to, read from the API policies' `context.Deployment.Region` branches. `npm run
 * routes`, `npm run resilience` and the data-path proof read the regional gateways through this one reader.
 */
import {
  blocks,
  body,
  field,
  findAll,
  type PlanResource,
  policyDocument,
  type StackPlan,
  type ParsedXmlElement,
} from '../plan';
import { regionOfDisplayName } from '../catalog';

/** One regional gateway: the service's primary location or one of its additional locations. */
export interface PlanGatewayRegion {
  readonly service: PlanResource;
  readonly region: string;
  readonly primary: boolean;
  /** Scale units in this region. */
  readonly capacity: number;
  readonly zones: readonly string[];
  /** The subnet it is injected into, as the plan has it (a reference or an ARM id); undefined without a VNet. */
  readonly subnetId: unknown;
}

/** Every regional gateway of every API Management service in the plan, primary first. */
export function planGatewayRegions(plan: Pick<StackPlan, 'byType'>): PlanGatewayRegion[] {
  return plan.byType('azurerm_api_management').flatMap((service) => {
    const units = Number(String(service.config['sku_name'] ?? '').split('_')[1] ?? 0);
    const zones = (service.config['zones'] as string[] | undefined) ?? [];
    return [
      {
        service,
        region: String(service.config['location']),
        primary: true,
        capacity: units,
        zones,
        subnetId: field(service.config, 'virtual_network_configuration.subnet_id'),
      },
      ...blocks(service.config['additional_location']).map((location) => ({
        service,
        region: String(location['location']),
        primary: false,
        capacity: Number(location['capacity'] ?? 0),
        zones: (location['zones'] as string[] | undefined) ?? [],
        subnetId: field(location, 'virtual_network_configuration.subnet_id'),
      })),
    ];
  });
}

const REGION_CONDITION = /context\.Deployment\.Region\.Equals\("([^"]+)"/;

/** The literal backend ids an element sets with `set-backend-service`, by the model its `when` tests. */
function modelBackends(root: ParsedXmlElement): Map<string, string> {
  const found = new Map<string, string>();
  for (const when of findAll(root, 'when')) {
    const model = /context\.Variables\["deployment-id"\] == "([^"]+)"/.exec(
      when.attributes['condition'] ?? '',
    )?.[1];
    const target = when.children.find((c) => c.name === 'set-backend-service')?.attributes['backend-id'];
    if (model && target && !target.startsWith('@')) found.set(model, target);
  }
  return found;
}

/**
 * The pool each regional gateway sends each model to, read from the API policies: the branches on
 * `context.Deployment.Region`, by ARM region name. Empty when no policy branches by region (one regional gateway, or
 * every region routed alike).
 */
export function regionalPoolChoices(plan: Pick<StackPlan, 'byType'>): Map<string, Map<string, string>> {
  const choices = new Map<string, Map<string, string>>();
  for (const policy of plan.byType(
    'azurerm_api_management_api_policy',
    'Microsoft.ApiManagement/service/apis/policies',
  )) {
    const doc = policyDocument(policy);
    if (typeof doc === 'string') continue;
    for (const when of findAll(doc, 'when')) {
      const display = REGION_CONDITION.exec(when.attributes['condition'] ?? '')?.[1];
      const region = display ? regionOfDisplayName(display) : undefined;
      if (!region) continue;
      const own = choices.get(region) ?? new Map<string, string>();
      for (const [model, pool] of modelBackends(when)) own.set(model, pool);
      choices.set(region, own);
    }
  }
  return choices;
}

/** The pool backends of the plan by entity name, with their members in priority order. */
export function planPools(plan: Pick<StackPlan, 'byType' | 'resolve'>): Map<
  string,
  {
    pool: PlanResource;
    members: { backend: PlanResource | undefined; id: string; priority: number; weight: number }[];
  }
> {
  const pools = new Map<
    string,
    {
      pool: PlanResource;
      members: { backend: PlanResource | undefined; id: string; priority: number; weight: number }[];
    }
  >();
  for (const pool of plan.byType('Microsoft.ApiManagement/service/backends')) {
    if (field(body(pool), 'properties.type') !== 'Pool') continue;
    const services =
      (field(body(pool), 'properties.pool.services') as
        Array<{ id: string; priority?: number; weight?: number }> | undefined) ?? [];
    pools.set(String(pool.config['name']), {
      pool,
      members: services
        .map((s) => ({
          backend: plan.resolve(s.id),
          id: s.id,
          priority: s.priority ?? 0,
          weight: s.weight ?? 0,
        }))
        .sort((a, b) => a.priority - b.priority),
    });
  }
  return pools;
}
