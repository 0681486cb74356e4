/**
 * What the environment keeps when one region is lost, read from the synthesized plan: for each model the gateway
 * routes (its shared pool), the capacity now and after the loss of each region, counting the regional gateways (a
 * region without a surviving gateway serves nothing) and the model deployments. Provisioned capacity (PTU) and
 * pay-as-you-go capacity (thousands of tokens per minute) are different units, so each is summed on its own and the
 * surviving share is the smaller of the two: losing every PTU of a model is a loss, whatever pay-as-you-go remains.
 */
import { body, field, type StackPlan } from '../plan';
import { planGatewayRegions, planPools } from './gateway-regions';

export interface ModelCapacity {
  /** Provisioned throughput units (PTU). */
  readonly provisioned: number;
  /** Pay-as-you-go capacity, in thousands of tokens per minute. */
  readonly payAsYouGo: number;
}

export interface RegionLoss {
  readonly region: string;
  readonly capacity: ModelCapacity;
  /** The smaller of the surviving shares of each kind the model has now, 0–100. */
  readonly survivingPercent: number;
  /** Nothing of any kind survives: the model stops. */
  readonly stops: boolean;
}

export interface ModelResilience {
  readonly model: string;
  readonly now: ModelCapacity;
  /** Where its capacity lives. */
  readonly regions: readonly string[];
  readonly losses: readonly RegionLoss[];
}

export interface ResilienceAnalysis {
  /** The regions a gateway runs in. */
  readonly gatewayRegions: readonly string[];
  /** Every region the analysis removes in turn: gateway and model regions. */
  readonly regions: readonly string[];
  readonly models: readonly ModelResilience[];
}

interface Member {
  readonly region: string;
  readonly provisioned: boolean;
  readonly capacity: number;
}

/** The members of each model's shared pool (`pool-<model>`), with their region, type and capacity. */
function sharedPoolMembers(plan: StackPlan): Map<string, Member[]> {
  const accounts = plan.byType('azurerm_cognitive_account');
  const deployments = plan.byType('azurerm_cognitive_deployment');
  const models = new Map<string, Member[]>();
  for (const [name, { pool, members }] of planPools(plan)) {
    const model = String(field(body(pool), 'properties.title') ?? name.replace(/^pool-/, ''));
    if (name !== `pool-${model}`) continue; // a regional or a tenant's pool
    models.set(
      model,
      members.flatMap(({ backend }) => {
        if (!backend) return [];
        const url = String(field(body(backend), 'properties.url') ?? '');
        const host = /^https:\/\/([^.]+)\./.exec(url)?.[1];
        const account = accounts.find((a) => a.config['name'] === host);
        if (!account) return [];
        const deploymentName = String(field(body(backend), 'properties.title') ?? model);
        const deployment = deployments.find(
          (d) =>
            d.config['name'] === deploymentName && plan.refersTo(d.config['cognitive_account_id'], account),
        );
        const sku = (deployment?.config['sku'] ?? {}) as { name?: string; capacity?: number };
        return [
          {
            region: String(account.config['location']),
            provisioned: /Provisioned/.test(sku.name ?? ''),
            capacity: sku.capacity ?? 0,
          },
        ];
      }),
    );
  }
  return models;
}

function sum(members: readonly Member[]): ModelCapacity {
  return {
    provisioned: members.filter((m) => m.provisioned).reduce((n, m) => n + m.capacity, 0),
    payAsYouGo: members.filter((m) => !m.provisioned).reduce((n, m) => n + m.capacity, 0),
  };
}

function share(after: number, before: number): number | undefined {
  return before === 0 ? undefined : Math.floor((after / before) * 100);
}

/** The resilience analysis of one stack's plan; no models when it has no gateway. */
export function analyzeResilience(plan: StackPlan): ResilienceAnalysis {
  const gatewayRegions = [...new Set(planGatewayRegions(plan).map((g) => g.region))];
  const members = sharedPoolMembers(plan);
  const regions = [
    ...new Set([...gatewayRegions, ...[...members.values()].flatMap((list) => list.map((m) => m.region))]),
  ].sort();
  const models = [...members]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([model, list]) => {
      const now = sum(list);
      const losses = regions.map((region) => {
        const gatewaySurvives = gatewayRegions.some((g) => g !== region);
        const capacity = sum(gatewaySurvives ? list.filter((m) => m.region !== region) : []);
        const shares = [
          share(capacity.provisioned, now.provisioned),
          share(capacity.payAsYouGo, now.payAsYouGo),
        ];
        const known = shares.filter((s): s is number => s !== undefined);
        return {
          region,
          capacity,
          survivingPercent: known.length === 0 ? 0 : Math.min(...known),
          stops: capacity.provisioned + capacity.payAsYouGo === 0,
        };
      });
      return { model, now, regions: [...new Set(list.map((m) => m.region))].sort(), losses };
    });
  return { gatewayRegions, regions, models };
}

/** The surviving share of each kind: `PTU 0%, kTPM 100%`. */
function surviving(now: ModelCapacity, after: ModelCapacity): string {
  const parts = [
    ...(now.provisioned > 0 ? [`PTU ${share(after.provisioned, now.provisioned)}%`] : []),
    ...(now.payAsYouGo > 0 ? [`kTPM ${share(after.payAsYouGo, now.payAsYouGo)}%`] : []),
  ];
  return parts.join(', ');
}

/** Capacity in words: `100 PTU + 750 kTPM`. */
export function formatCapacity(capacity: ModelCapacity): string {
  const parts = [
    ...(capacity.provisioned > 0 ? [`${capacity.provisioned} PTU`] : []),
    ...(capacity.payAsYouGo > 0 ? [`${capacity.payAsYouGo} kTPM`] : []),
  ];
  return parts.length === 0 ? '0' : parts.join(' + ');
}

export const RESILIENCE_TABLE_HEADER = [
  'model',
  'capacity now',
  'region lost',
  'capacity after',
  'surviving',
  'keeps',
];

/** The table `npm run resilience` and the audit print: one row per model and lost region. */
export function resilienceRows(analysis: ResilienceAnalysis, minSurvivingPercent: number): string[][] {
  return analysis.models.flatMap((m) =>
    m.losses.map((loss) => [
      m.model,
      formatCapacity(m.now),
      loss.region,
      formatCapacity(loss.capacity),
      surviving(m.now, loss.capacity),
      loss.stops
        ? 'NO: stops'
        : loss.survivingPercent >= minSurvivingPercent
          ? 'yes'
          : `no (< ${minSurvivingPercent}%)`,
    ]),
  );
}
