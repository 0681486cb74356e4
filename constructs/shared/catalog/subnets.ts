/**
 * The subnets of every VNet the blueprint creates, one per purpose: what each is for, its default size, and the
 * smallest size Azure documents for that use.
 *
 * - gateway: APIM VNet injection. Classic tiers (Developer, Premium) need at least /29, which leaves no address to
 *   scale in internal mode (https://learn.microsoft.com/azure/api-management/virtual-network-injection-resources);
 *   the v2 tiers need at least /27 and recommend /24 (https://learn.microsoft.com/azure/api-management/inject-vnet-v2).
 *   The gateway SKU is chosen later, so the stricter /27 applies.
 * - privateEndpoints: each endpoint takes one address and Azure reserves five per subnet
 *   (https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq); the smallest subnet is /29, three
 *   usable addresses. A region here holds up to six endpoints (models, Content Safety, Key Vault, blob, APIM), so the
 *   floor is /28 (11 usable).
 * - appIntegration: App Service / Logic Apps VNet integration, delegated to Microsoft.Web/serverFarms; at least /28,
 *   /26 recommended (https://learn.microsoft.com/azure/app-service/overview-vnet-integration#subnet-requirements).
 */
export const SUBNETS = {
  gateway: {
    qualifier: 'apim',
    defaultPrefixLength: 24,
    minimumPrefixLength: 27,
    purpose: 'the APIM gateway',
    minimumReason:
      'Azure documents /27 as the minimum for APIM v2 VNet injection, and /29 leaves classic tiers no room to scale',
  },
  privateEndpoints: {
    qualifier: 'pep',
    defaultPrefixLength: 24,
    minimumPrefixLength: 28,
    purpose: 'private endpoints',
    minimumReason:
      'Azure reserves 5 addresses per subnet and each private endpoint takes one; a region here holds up to 6 endpoints',
  },
  appIntegration: {
    qualifier: 'app',
    defaultPrefixLength: 26,
    minimumPrefixLength: 28,
    purpose: 'App Service VNet integration',
    minimumReason: 'Azure documents /28 as the minimum for App Service VNet integration',
  },
} as const satisfies Record<
  string,
  {
    qualifier: string;
    defaultPrefixLength: number;
    minimumPrefixLength: number;
    purpose: string;
    minimumReason: string;
  }
>;

export type SubnetKey = keyof typeof SUBNETS;

export const SUBNET_KEYS = Object.keys(SUBNETS) as [SubnetKey, ...SubnetKey[]];
