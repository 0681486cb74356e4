import type { DeploymentType } from '../ai-endpoint/deployment-types';
import type { AzureRegion } from '../shared/regions';

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

/**
 * API Management tiers and the unit counts azurerm 4.55 accepts for each (`<tier>_<units>`), with what each tier
 * can do: an SLA, internal VNet injection, a private endpoint with outbound VNet integration, availability zones.
 */
export const GATEWAY_TIERS = {
  Developer: {
    units: [1, 1],
    sla: false,
    internalVnet: true,
    privateEndpointWithVnetIntegration: false,
    zones: false,
    v2: false,
  },
  Basic: {
    units: [1, 2],
    sla: true,
    internalVnet: false,
    privateEndpointWithVnetIntegration: false,
    zones: false,
    v2: false,
  },
  Standard: {
    units: [1, 4],
    sla: true,
    internalVnet: false,
    privateEndpointWithVnetIntegration: false,
    zones: false,
    v2: false,
  },
  Premium: {
    units: [1, 99],
    sla: true,
    internalVnet: true,
    privateEndpointWithVnetIntegration: false,
    zones: true,
    v2: false,
  },
  BasicV2: {
    units: [1, 10],
    sla: true,
    internalVnet: false,
    privateEndpointWithVnetIntegration: false,
    zones: false,
    v2: true,
  },
  StandardV2: {
    units: [1, 10],
    sla: true,
    internalVnet: false,
    privateEndpointWithVnetIntegration: true,
    zones: false,
    v2: true,
  },
  PremiumV2: {
    units: [1, 30],
    sla: true,
    internalVnet: true,
    privateEndpointWithVnetIntegration: true,
    zones: false,
    v2: true,
  },
} as const;
export type GatewayTier = keyof typeof GATEWAY_TIERS;

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

/**
 * The delegation the gateway subnet needs: v2 tiers use `Microsoft.Web/serverFarms` for outbound VNet integration
 * (network mode privateEndpoint) and `Microsoft.Web/hostingEnvironments` for injection (PremiumV2 internal); classic
 * injection needs none. https://learn.microsoft.com/azure/api-management/integrate-vnet-outbound,
 * https://learn.microsoft.com/azure/api-management/inject-vnet-v2
 */
export function gatewaySubnetDelegation(
  tier: GatewayTier,
  mode: 'public' | 'internal' | 'privateEndpoint',
): 'Microsoft.Web/serverFarms' | 'Microsoft.Web/hostingEnvironments' | undefined {
  if (!GATEWAY_TIERS[tier].v2 || mode === 'public') return undefined;
  return mode === 'privateEndpoint' ? 'Microsoft.Web/serverFarms' : 'Microsoft.Web/hostingEnvironments';
}
