import type { DeploymentType, AzureRegion } from '../shared/catalog';

/** One backend of a pool: a deployment on one region's account. */
export interface RouteMember {
  readonly region: AzureRegion;
  readonly deployment: string;
  readonly type: DeploymentType;
  readonly capacity: number;
  /** 0–100; lower is tried first. Provisioned deployments get 1, pay-as-you-go 2. */
  readonly priority: number;
  /** 0–100; share among members of the same priority. */
  readonly weight: number;
}

/** One model (deployment name) the gateway routes, to a pool of backends. */
export interface ModelRoute {
  readonly model: string;
  readonly members: readonly RouteMember[];
}

/** APIM entity id of the backend of one deployment in one region. */
export function backendId(
  member: Pick<RouteMember, 'deployment' | 'region'>,
  regionCode: string,
  tenant?: string,
): string {
  return tenant === undefined
    ? `${member.deployment}-${regionCode}`
    : `${tenant}-${member.deployment}-${regionCode}`;
}

/** APIM entity id of the pool of one model. */
export function poolId(model: string, tenant?: string): string {
  return tenant === undefined ? `pool-${model}` : `pool-${tenant}-${model}`;
}
