/**
 * API Management facts the gateway, the config rules and the tenant limits read: what each tier can do, how many
 * units it takes, what a service holds at most, the subnet delegation of each network mode, the default host names
 * and the products a new service creates.
 */

/**
 * Tiers and the unit counts azurerm 4.55 accepts for each (`sku_name` = `<tier>_<units>`), with what each tier can
 * do: an SLA, internal VNet injection, a private endpoint with outbound VNet integration, availability zones.
 *
 * Sources: Learn, "Feature-based comparison of the Azure API Management tiers"
 * (https://learn.microsoft.com/azure/api-management/api-management-features: VNet injection, inbound private
 * endpoint, outbound VNet integration, availability zones per tier; "The Developer tier ... doesn't offer SLA");
 * "Upgrade and scale an Azure API Management instance"
 * (https://learn.microsoft.com/azure/api-management/upgrade-and-scale: Developer cannot add units); unit ranges:
 * the provider's `sku_name` validation (internal/services/apimanagement/api_management_resource.go, azurerm 4.55).
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

export const GATEWAY_TIER_NAMES = Object.keys(GATEWAY_TIERS) as [GatewayTier, ...GatewayTier[]];

/**
 * What one service holds at most, per tier (the 2026 limits): each tenant takes a product and a subscription.
 * Source: {@link GATEWAY_LIMITS_SOURCE}.
 */
export const GATEWAY_LIMITS: Readonly<Record<GatewayTier, { products: number; subscriptions: number }>> = {
  Developer: { products: 100, subscriptions: 10000 },
  Basic: { products: 200, subscriptions: 15000 },
  BasicV2: { products: 200, subscriptions: 15000 },
  Standard: { products: 500, subscriptions: 25000 },
  StandardV2: { products: 500, subscriptions: 25000 },
  Premium: { products: 2000, subscriptions: 75000 },
  PremiumV2: { products: 2000, subscriptions: 75000 },
};

export const GATEWAY_LIMITS_SOURCE =
  'https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#api-management-limits';

/**
 * How clients reach the gateway and how it reaches the models:
 * - `public`: a public gateway, no VNet;
 * - `privateEndpoint`: inbound through a private endpoint, outbound through VNet integration (StandardV2, PremiumV2);
 * - `internal`: injected into the gateway subnet with an internal load balancer (Developer, Premium, PremiumV2).
 */
export const GATEWAY_NETWORK_MODES = ['public', 'privateEndpoint', 'internal'] as const;
export type GatewayNetworkMode = (typeof GATEWAY_NETWORK_MODES)[number];

/**
 * The delegation the gateway subnet needs: v2 tiers use `Microsoft.Web/serverFarms` for outbound VNet integration
 * (network mode privateEndpoint) and `Microsoft.Web/hostingEnvironments` for injection (PremiumV2 internal); classic
 * injection needs none. https://learn.microsoft.com/azure/api-management/integrate-vnet-outbound,
 * https://learn.microsoft.com/azure/api-management/inject-vnet-v2
 */
export function gatewaySubnetDelegation(
  tier: GatewayTier,
  mode: GatewayNetworkMode,
): 'Microsoft.Web/serverFarms' | 'Microsoft.Web/hostingEnvironments' | undefined {
  if (!GATEWAY_TIERS[tier].v2 || mode === 'public') return undefined;
  return mode === 'privateEndpoint' ? 'Microsoft.Web/serverFarms' : 'Microsoft.Web/hostingEnvironments';
}

/**
 * The default host names of an API Management service, by endpoint. In internal mode Azure registers none of them
 * in DNS; they must resolve to the private VIP (Learn, "Deploy your Azure API Management instance to a virtual
 * network - internal mode", Access on default host names).
 */
export function gatewayHostNames(serviceName: string): Readonly<Record<string, string>> {
  return {
    gateway: `${serviceName}.azure-api.net`,
    portal: `${serviceName}.portal.azure-api.net`,
    developer: `${serviceName}.developer.azure-api.net`,
    management: `${serviceName}.management.azure-api.net`,
    scm: `${serviceName}.scm.azure-api.net`,
  };
}

/**
 * The products API Management creates in a new service, which a tenant's product must not take (PSRule for Azure
 * Azure.APIM.SampleProducts; the rule pack's LZ.APIM.SampleProducts).
 */
export const APIM_SAMPLE_PRODUCTS = ['starter', 'unlimited'] as const;
