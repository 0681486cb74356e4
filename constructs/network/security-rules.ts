/**
 * The NSG rules of each subnet purpose, as plain data: the construct renders them, the tests and the README read
 * them. Every list ends in an explicit deny, so what is allowed is exactly what is listed here, not Azure's default
 * rules (which allow all traffic inside the VNet and out to the internet).
 */
import { MANAGED_REDIS_PORT, type SubnetKey } from '../shared/catalog';

/** One NSG rule, in Azure's vocabulary. Ports are strings as the API takes them (`443`, `6381-6383`). */
export interface SecurityRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  readonly protocol: 'Tcp' | 'Udp' | '*';
  /** A service tag (`ApiManagement`), a CIDR, or `*`. */
  readonly sourceAddressPrefix: string;
  readonly destinationAddressPrefix: string;
  readonly destinationPortRanges: readonly string[];
  readonly description: string;
}

/** Lowest priority Azure allows for a custom rule; the deny-all rules sit there, below every allow. */
export const DENY_ALL_PRIORITY = 4096;

function denyAll(direction: 'Inbound' | 'Outbound', why: string): SecurityRule {
  return {
    name: `DenyAll${direction}`,
    priority: DENY_ALL_PRIORITY,
    direction,
    access: 'Deny',
    protocol: '*',
    sourceAddressPrefix: '*',
    destinationAddressPrefix: '*',
    destinationPortRanges: ['*'],
    description: why,
  };
}

function allow(
  rule: Omit<SecurityRule, 'access' | 'protocol'> & { protocol?: SecurityRule['protocol'] },
): SecurityRule {
  return { access: 'Allow', protocol: 'Tcp', ...rule };
}

/**
 * APIM VNet injection in internal mode (classic Developer/Premium tiers), after
 * https://learn.microsoft.com/azure/api-management/virtual-network-reference. Clients come from the VNet, peered
 * VNets and connected on-premises networks (the `VirtualNetwork` tag): internal mode has no public client path, and
 * a public entry (Application Gateway or Front Door with WAF) reaches the gateway from inside the VNet too.
 *
 * Outbound is limited to the four documented dependencies plus two the gateway cannot work without here: Entra ID
 * (managed-identity tokens for the model backends and Key Vault named values) and the private endpoints of its
 * backends inside the VNet.
 */
export function gatewaySubnetRules(subnet: string, options: SubnetRuleOptions = {}): SecurityRule[] {
  return [
    allow({
      name: 'AllowClientsHttpsInbound',
      priority: 100,
      direction: 'Inbound',
      sourceAddressPrefix: 'VirtualNetwork',
      destinationAddressPrefix: subnet,
      destinationPortRanges: ['443'],
      description:
        'Clients call the internal gateway over HTTPS from the VNet, peered VNets and on-premises.',
    }),
    allow({
      name: 'AllowApiManagementInbound',
      priority: 110,
      direction: 'Inbound',
      sourceAddressPrefix: 'ApiManagement',
      destinationAddressPrefix: subnet,
      destinationPortRanges: ['3443'],
      description: 'Management endpoint for the Azure portal and ARM (required).',
    }),
    allow({
      name: 'AllowAzureLoadBalancerInbound',
      priority: 120,
      direction: 'Inbound',
      sourceAddressPrefix: 'AzureLoadBalancer',
      destinationAddressPrefix: subnet,
      destinationPortRanges: ['6390'],
      description: 'Health probes of the Azure infrastructure load balancer (required).',
    }),
    allow({
      name: 'AllowGatewayRateLimitSyncInbound',
      priority: 130,
      direction: 'Inbound',
      protocol: 'Udp',
      sourceAddressPrefix: subnet,
      destinationAddressPrefix: subnet,
      destinationPortRanges: ['4290'],
      description: 'Gateway units sync rate-limit and token-limit counters with each other.',
    }),
    allow({
      name: 'AllowGatewayCacheInbound',
      priority: 140,
      direction: 'Inbound',
      sourceAddressPrefix: subnet,
      destinationAddressPrefix: subnet,
      destinationPortRanges: ['6381-6383'],
      description: 'Gateway units share the internal cache of caching policies.',
    }),
    denyAll('Inbound', 'Nothing else reaches the gateway subnet.'),
    allow({
      name: 'AllowStorageOutbound',
      priority: 100,
      direction: 'Outbound',
      sourceAddressPrefix: subnet,
      destinationAddressPrefix: 'Storage',
      destinationPortRanges: ['443'],
      description: 'Dependency on Azure Storage for core service functionality (required).',
    }),
    allow({
      name: 'AllowSqlOutbound',
      priority: 110,
      direction: 'Outbound',
      sourceAddressPrefix: subnet,
      destinationAddressPrefix: 'Sql',
      destinationPortRanges: ['1433'],
      description: 'Access to Azure SQL endpoints for core service functionality (required).',
    }),
    allow({
      name: 'AllowKeyVaultOutbound',
      priority: 120,
      direction: 'Outbound',
      sourceAddressPrefix: subnet,
      destinationAddressPrefix: 'AzureKeyVault',
      destinationPortRanges: ['443'],
      description: 'Access to Azure Key Vault for core service functionality (required).',
    }),
    allow({
      name: 'AllowAzureMonitorOutbound',
      priority: 130,
      direction: 'Outbound',
      sourceAddressPrefix: subnet,
      destinationAddressPrefix: 'AzureMonitor',
      destinationPortRanges: ['1886', '443'],
      description: 'Diagnostics, metrics, Resource Health and Application Insights.',
    }),
    allow({
      name: 'AllowEntraIdOutbound',
      priority: 140,
      direction: 'Outbound',
      sourceAddressPrefix: subnet,
      destinationAddressPrefix: 'AzureActiveDirectory',
      destinationPortRanges: ['443'],
      description: 'Managed-identity tokens for the model backends and Key Vault named values.',
    }),
    allow({
      name: 'AllowBackendsOutbound',
      priority: 150,
      direction: 'Outbound',
      sourceAddressPrefix: subnet,
      destinationAddressPrefix: 'VirtualNetwork',
      destinationPortRanges: ['443'],
      description: 'Model accounts, Content Safety and Key Vault through their private endpoints.',
    }),
    allow({
      name: 'AllowEventHubsOutbound',
      priority: 155,
      direction: 'Outbound',
      sourceAddressPrefix: subnet,
      destinationAddressPrefix: 'VirtualNetwork',
      destinationPortRanges: ['5671-5672'],
      description:
        "The usage ledger: log-to-eventhub speaks AMQP to the Event Hubs namespace's private endpoint.",
    }),
    allow({
      name: 'AllowGatewayRateLimitSyncOutbound',
      priority: 160,
      direction: 'Outbound',
      protocol: 'Udp',
      sourceAddressPrefix: subnet,
      destinationAddressPrefix: subnet,
      destinationPortRanges: ['4290'],
      description: 'Gateway units sync rate-limit and token-limit counters with each other.',
    }),
    allow({
      name: 'AllowGatewayCacheOutbound',
      priority: 170,
      direction: 'Outbound',
      sourceAddressPrefix: subnet,
      destinationAddressPrefix: subnet,
      destinationPortRanges: ['6381-6383'],
      description: 'Gateway units share the internal cache of caching policies.',
    }),
    ...(options.managedRedis
      ? [
          allow({
            name: 'AllowManagedRedisOutbound',
            priority: 180,
            direction: 'Outbound',
            sourceAddressPrefix: subnet,
            destinationAddressPrefix: 'VirtualNetwork',
            destinationPortRanges: [String(MANAGED_REDIS_PORT)],
            description:
              'The semantic cache: Azure Managed Redis (TLS on 10000) through its private endpoint.',
          }),
        ]
      : []),
    denyAll('Outbound', 'The gateway reaches nothing but its documented dependencies and its backends.'),
  ];
}

/**
 * Private endpoints answer HTTPS from inside the network and never open connections; NSGs are stateful, so replies
 * need no outbound rule. The subnet enables private-endpoint network policies, or Azure would skip these rules.
 */
export function privateEndpointSubnetRules(subnet: string, options: SubnetRuleOptions = {}): SecurityRule[] {
  return [
    allow({
      name: 'AllowVirtualNetworkHttpsInbound',
      priority: 100,
      direction: 'Inbound',
      sourceAddressPrefix: 'VirtualNetwork',
      destinationAddressPrefix: subnet,
      destinationPortRanges: ['443'],
      description:
        'The gateway and applications call the services over HTTPS through their private endpoints.',
    }),
    allow({
      name: 'AllowVirtualNetworkAmqpsInbound',
      priority: 110,
      direction: 'Inbound',
      sourceAddressPrefix: 'VirtualNetwork',
      destinationAddressPrefix: subnet,
      destinationPortRanges: ['5671-5672'],
      description: "The gateway sends usage records to the ledger's Event Hubs namespace over AMQP.",
    }),
    ...(options.managedRedis
      ? [
          allow({
            name: 'AllowManagedRedisInbound',
            priority: 120,
            direction: 'Inbound',
            sourceAddressPrefix: 'VirtualNetwork',
            destinationAddressPrefix: subnet,
            destinationPortRanges: [String(MANAGED_REDIS_PORT)],
            description:
              "The gateway reaches the semantic cache's private endpoint (Redis over TLS on 10000).",
          }),
        ]
      : []),
    denyAll(
      'Inbound',
      'Every service behind these endpoints speaks HTTPS only, AMQP for Event Hubs, and Managed Redis TLS where it is.',
    ),
    denyAll('Outbound', 'Private endpoints never open connections.'),
  ];
}

/**
 * App Service VNet integration routes an app's outbound calls through this subnet; nothing arrives on it. Apps reach
 * the private endpoints and the internal gateway, Entra ID for tokens, and Azure Monitor for telemetry.
 */
export function appIntegrationSubnetRules(subnet: string): SecurityRule[] {
  return [
    denyAll('Inbound', 'VNet integration is outbound only; nothing arrives on this subnet.'),
    allow({
      name: 'AllowVirtualNetworkHttpsOutbound',
      priority: 100,
      direction: 'Outbound',
      sourceAddressPrefix: subnet,
      destinationAddressPrefix: 'VirtualNetwork',
      destinationPortRanges: ['443'],
      description: 'The internal gateway and the private endpoints.',
    }),
    allow({
      name: 'AllowEntraIdOutbound',
      priority: 110,
      direction: 'Outbound',
      sourceAddressPrefix: subnet,
      destinationAddressPrefix: 'AzureActiveDirectory',
      destinationPortRanges: ['443'],
      description: 'Managed-identity tokens.',
    }),
    allow({
      name: 'AllowAzureMonitorOutbound',
      priority: 120,
      direction: 'Outbound',
      sourceAddressPrefix: subnet,
      destinationAddressPrefix: 'AzureMonitor',
      destinationPortRanges: ['443'],
      description: 'Application Insights telemetry.',
    }),
    denyAll('Outbound', 'Apps reach only the private network, Entra ID and Azure Monitor.'),
  ];
}

/** What beyond the defaults a subnet's rules open. */
export interface SubnetRuleOptions {
  /** The gateway calls an Azure Managed Redis (the semantic cache) through a private endpoint. @default false */
  readonly managedRedis?: boolean;
}

/** The rules of each subnet purpose. */
export const SUBNET_RULES: Readonly<
  Record<SubnetKey, (subnet: string, options?: SubnetRuleOptions) => SecurityRule[]>
> = {
  gateway: gatewaySubnetRules,
  privateEndpoints: privateEndpointSubnetRules,
  appIntegration: appIntegrationSubnetRules,
};

/**
 * The subnet of an Application Gateway v2 (WAF) in front of the internal gateway, after Learn, "Application Gateway
 * infrastructure configuration" (Network security groups): clients on the listener port, GatewayManager on
 * 65200–65535 and the Azure load balancer are required inbound; outbound internet must not be blocked (the gateway's
 * own management traffic), so the outbound side keeps Azure's default rules and adds none.
 *
 * @param clientSource - who may call the listener: `Internet` for a regional entry, `AzureFrontDoor.Backend` behind
 *   Front Door
 */
export function ingressRules(subnet: string, clientSource: string): SecurityRule[] {
  return [
    allow({
      name: 'AllowClientsHttpsInbound',
      priority: 100,
      direction: 'Inbound',
      sourceAddressPrefix: clientSource,
      destinationAddressPrefix: subnet,
      destinationPortRanges: ['443'],
      description: 'Clients call the WAF listener over HTTPS.',
    }),
    allow({
      name: 'AllowGatewayManagerInbound',
      priority: 110,
      direction: 'Inbound',
      sourceAddressPrefix: 'GatewayManager',
      destinationAddressPrefix: '*',
      destinationPortRanges: ['65200-65535'],
      description: 'Application Gateway v2 infrastructure communication (required).',
    }),
    allow({
      name: 'AllowAzureLoadBalancerInbound',
      priority: 120,
      direction: 'Inbound',
      protocol: '*',
      sourceAddressPrefix: 'AzureLoadBalancer',
      destinationAddressPrefix: '*',
      destinationPortRanges: ['*'],
      description: 'Health probes of the Azure load balancer (required).',
    }),
    denyAll('Inbound', 'Nothing else reaches the WAF subnet.'),
    {
      name: 'DenyRemoteAccessOutbound',
      priority: 4000,
      direction: 'Outbound',
      access: 'Deny',
      protocol: '*',
      sourceAddressPrefix: '*',
      destinationAddressPrefix: 'VirtualNetwork',
      destinationPortRanges: ['22', '3389'],
      description:
        'No lateral SSH or RDP from the WAF subnet; its internet traffic stays open as Azure requires.',
    },
  ];
}
