/**
 * Region-local routing for a gateway that runs in several regions (API Management Premium additional locations).
 * Every regional gateway shares one configuration, so the API policy picks the pools of the region it runs in with
 * `context.Deployment.Region`, as Microsoft documents for multi-region API Management (Learn, "Deploy an Azure API
 * Management instance to multiple Azure regions", Route API calls to regional backend services). Each region's pool of
 * a model tries that region's deployments first, provisioned before pay-as-you-go, and the other regions' after.
 */
import { type AzureRegion, isProvisioned, regionCode, regionDisplayName } from '../shared/catalog';
import { csString } from './policies/xml';
import type { ModelRoute } from './routing';

/** Priorities at or above this value are the remote tier of a regional pool. */
export const REMOTE_PRIORITY_OFFSET = 50;

/** The routing plan of one regional gateway. */
export interface RegionalRouting {
  readonly region: AzureRegion;
  /** What `context.Deployment.Region` reports in this region (`Sweden Central`). */
  readonly displayName: string;
  readonly routes: readonly ModelRoute[];
}

/**
 * The priority of a member in the pool of `region`: its own priority when it is local, else the same order shifted
 * behind every local member (at most 100, API Management's highest). Local members keep their priority (provisioned
 * 1, pay-as-you-go 2, or the configured override below the offset).
 */
export function regionalPriority(
  member: { readonly region: AzureRegion; readonly priority: number },
  region: AzureRegion,
): number {
  return member.region === region ? member.priority : Math.min(100, REMOTE_PRIORITY_OFFSET + member.priority);
}

/** Each gateway region's pools: local provisioned, local pay-as-you-go, then remote in the same order. */
export function regionalRouting(
  routes: readonly ModelRoute[],
  gatewayRegions: readonly AzureRegion[],
): RegionalRouting[] {
  return gatewayRegions.map((region) => ({
    region,
    displayName: regionDisplayName(region),
    routes: routes.map((route) => ({
      model: route.model,
      poolId: regionalPoolId(route.model, regionCode(region)),
      members: route.members
        .map((member) => ({ ...member, priority: regionalPriority(member, region) }))
        .sort(
          (a, b) =>
            a.priority - b.priority ||
            Number(isProvisioned(b.type)) - Number(isProvisioned(a.type)) ||
            a.region.localeCompare(b.region),
        ),
    })),
  }));
}

/** The policy condition that is true in the regional gateway of `displayName`. */
export function regionCondition(displayName: string): string {
  return `context.Deployment.Region.Equals(${csString(displayName)}, StringComparison.OrdinalIgnoreCase)`;
}

/** APIM entity id of the pool of one model in one gateway region. */
export function regionalPoolId(model: string, regionCode: string): string {
  return `pool-${model}-${regionCode}`;
}
