/**
 * The gateway's routing decisions. Config says which deployments serve which model (a pool's candidates, and any
 * priority it overrides); the gateway decides the rest: provisioned (PTU) deployments first, pay-as-you-go next, so
 * traffic spills from PTU to pay-as-you-go across regions and comes back when the breaker closes; batch deployments
 * never join a real-time pool; one backend per deployment and region, one pool per model, and retries across the
 * pool.
 */
import { type AzureRegion, type DeploymentType, isBatch, isProvisioned, regionCode } from '../shared/catalog';

/** Priority of a provisioned deployment in its pool: tried first. */
export const PROVISIONED_PRIORITY = 1;
/** Priority of a pay-as-you-go deployment in its pool: takes what the provisioned ones throttle. */
export const PAY_AS_YOU_GO_PRIORITY = 2;

/** A deployment on one region's account that may serve a model. */
export interface PoolCandidate {
  readonly region: AzureRegion;
  /** The deployment name. */
  readonly deployment: string;
  readonly type: DeploymentType;
  readonly capacity: number;
  /** 1–100; share among members of the same priority. */
  readonly weight: number;
  /** 0–100, lower is tried first. @default - by deployment type: provisioned 1, pay-as-you-go 2 */
  readonly priority?: number;
}

/** One model (deployment name) and the deployments that may serve it. */
export interface ModelPool {
  readonly model: string;
  readonly candidates: readonly PoolCandidate[];
}

/** One backend of a pool: a deployment on one region's account. */
export interface RouteMember extends Required<PoolCandidate> {
  /** APIM entity id of the member's backend. */
  readonly backendId: string;
}

/** One model the gateway routes, to a pool of backends in the order it tries them. */
export interface ModelRoute {
  readonly model: string;
  /** APIM entity id of the pool. */
  readonly poolId: string;
  readonly members: readonly RouteMember[];
}

/** APIM entity id of the backend of one deployment in one region (a tenant's own carry its slug). */
export function backendId(deployment: string, region: AzureRegion, tenant?: string): string {
  const name = `${deployment}-${regionCode(region)}`;
  return tenant === undefined ? name : `${tenant}-${name}`;
}

/** APIM entity id of the pool of one model (a tenant's own carry its slug). */
export function poolId(model: string, tenant?: string): string {
  return tenant === undefined ? `pool-${model}` : `pool-${tenant}-${model}`;
}

/**
 * The routes of the pools: batch deployments left out, each member's priority decided (provisioned 1, pay-as-you-go
 * 2, unless the candidate overrides it), members in the order they are tried (priority, then region), models by name.
 * A model left with no member has no route.
 */
export function planRoutes(pools: readonly ModelPool[], tenant?: string): ModelRoute[] {
  return pools
    .map((pool) => ({
      model: pool.model,
      poolId: poolId(pool.model, tenant),
      members: pool.candidates
        .filter((candidate) => !isBatch(candidate.type))
        .map((candidate): RouteMember => ({
          ...candidate,
          priority:
            candidate.priority ??
            (isProvisioned(candidate.type) ? PROVISIONED_PRIORITY : PAY_AS_YOU_GO_PRIORITY),
          backendId: backendId(candidate.deployment, candidate.region, tenant),
        }))
        .sort((a, b) => a.priority - b.priority || a.region.localeCompare(b.region)),
    }))
    .filter((route) => route.members.length > 0)
    .sort((a, b) => a.model.localeCompare(b.model));
}

/** Retries across a pool: the largest pool size minus one, at least one. */
export function defaultRetryCount(routes: readonly ModelRoute[]): number {
  return Math.max(1, Math.max(1, ...routes.map((route) => route.members.length)) - 1);
}
