import { Construct } from 'constructs';
import { ApplicationGateway } from '@cdktf/provider-azurerm/lib/application-gateway';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { WebApplicationFirewallPolicy } from '@cdktf/provider-azurerm/lib/web-application-firewall-policy';
import { addDiagnosticSetting, addRoleAssignment } from '../shared/features';
import type { DiagnosticSettingsOptions } from '../shared/interfaces';
import { suppressRule } from '../shared/policy/suppressions';

/** The managed rule sets of the WAF policy: OWASP core rules and Microsoft's bot protection. */
export const WAF_MANAGED_RULE_SETS = [
  { type: 'OWASP', version: '3.2' },
  { type: 'Microsoft_BotManagerRuleSet', version: '1.0' },
] as const;

/** The health endpoint of an API Management gateway (Learn, "Integrate API Management in an internal VNet with Application Gateway"). */
export const APIM_STATUS_PATH = '/status-0123456789abcdef';

export interface RegionalWafProps {
  /** Name of the Application Gateway. */
  readonly name: string;
  readonly wafPolicyName: string;
  readonly publicIpName: string;
  readonly identityName: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** The dedicated subnet of the Application Gateway. */
  readonly subnetId: string;
  /** Availability zones. @default - none */
  readonly zones?: readonly string[];
  /** The host name clients call (the TLS certificate's). */
  readonly hostName: string;
  /** The Key Vault that holds the TLS certificate; the gateway's identity gets "Key Vault Secrets User" on it. */
  readonly keyVaultId: string;
  /** Versionless secret id of the certificate (`https://<vault>.vault.azure.net/secrets/<name>`): rotation is picked up. */
  readonly certificateSecretId: string;
  /** The regional API Management gateway's host name, resolved privately to its VIP. */
  readonly backendHostName: string;
  readonly capacity: { readonly min: number; readonly max: number };
  /** @default 'Prevention' */
  readonly mode?: 'Prevention' | 'Detection';
  readonly diagnosticSettings?: Pick<DiagnosticSettingsOptions, 'workspaceId'>;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The regional entry to an internal gateway: an Application Gateway WAF_v2 with a WAF policy in Prevention mode
 * (OWASP 3.2 and bot rules), TLS 1.2+ with a certificate read from Key Vault through its own user-assigned identity,
 * and one backend: the regional API Management gateway over the private network, probed on its status endpoint. After
 * the pattern of Learn, "Integrate API Management in an internal virtual network with Application Gateway".
 */
export class RegionalWaf extends Construct {
  readonly applicationGateway: ApplicationGateway;
  readonly wafPolicy: WebApplicationFirewallPolicy;
  readonly publicIp: PublicIp;
  readonly identity: UserAssignedIdentity;
  readonly certificateAccess: RoleAssignment;
  readonly resourceId: string;

  constructor(scope: Construct, id: string, props: RegionalWafProps) {
    super(scope, id);
    const tags = props.tags ? { tags: { ...props.tags } } : {};
    const zones = props.zones && props.zones.length > 0 ? { zones: [...props.zones] } : {};
    this.identity = new UserAssignedIdentity(this, 'Identity', {
      name: props.identityName,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      ...tags,
    });
    this.certificateAccess = addRoleAssignment(this, 'CertificateAccess', props.keyVaultId, {
      roleDefinitionName: 'Key Vault Secrets User',
      principalId: this.identity.principalId,
      description: `Application Gateway ${props.name} reads its TLS certificate`,
    });
    this.publicIp = new PublicIp(this, 'PublicIp', {
      name: props.publicIpName,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      sku: 'Standard',
      allocationMethod: 'Static',
      ...zones,
      ...tags,
    });
    suppressRule(
      this.publicIp,
      'LZ.PublicIP.Justified',
      'The public entry of the gateway: clients outside the VNet reach the internal gateway only through this WAF in Prevention mode, and Application Gateway v2 needs a public frontend for its management traffic.',
    );
    this.wafPolicy = new WebApplicationFirewallPolicy(this, 'WafPolicy', {
      name: props.wafPolicyName,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      policySettings: {
        enabled: true,
        mode: props.mode ?? 'Prevention',
        requestBodyCheck: true,
        // Prompts are large JSON bodies: inspect the first 128 KB, accept up to 2 MB (the v2 CRS 3.2 limits).
        requestBodyInspectLimitInKb: 128,
        maxRequestBodySizeInKb: 2000,
      },
      managedRules: { managedRuleSet: WAF_MANAGED_RULE_SETS.map((set) => ({ ...set })) },
      ...tags,
    });
    this.applicationGateway = new ApplicationGateway(this, 'ApplicationGateway', {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      sku: { name: 'WAF_v2', tier: 'WAF_v2' },
      autoscaleConfiguration: { minCapacity: props.capacity.min, maxCapacity: props.capacity.max },
      ...zones,
      identity: { type: 'UserAssigned', identityIds: [this.identity.id] },
      firewallPolicyId: this.wafPolicy.id,
      forceFirewallPolicyAssociation: true,
      gatewayIpConfiguration: [{ name: 'gateway-ip', subnetId: props.subnetId }],
      frontendIpConfiguration: [{ name: 'public', publicIpAddressId: this.publicIp.id }],
      frontendPort: [{ name: 'https', port: 443 }],
      sslPolicy: { policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101S' },
      sslCertificate: [{ name: 'tls', keyVaultSecretId: props.certificateSecretId }],
      httpListener: [
        {
          name: 'https',
          frontendIpConfigurationName: 'public',
          frontendPortName: 'https',
          protocol: 'Https',
          sslCertificateName: 'tls',
          hostName: props.hostName,
          requireSni: true,
        },
      ],
      backendAddressPool: [{ name: 'gateway', fqdns: [props.backendHostName] }],
      probe: [
        {
          name: 'gateway-status',
          protocol: 'Https',
          host: props.backendHostName,
          path: APIM_STATUS_PATH,
          interval: 30,
          timeout: 30,
          unhealthyThreshold: 3,
          match: { statusCode: ['200-399'] },
        },
      ],
      backendHttpSettings: [
        {
          name: 'gateway',
          protocol: 'Https',
          port: 443,
          hostName: props.backendHostName,
          cookieBasedAffinity: 'Disabled',
          // Completions stream for minutes; the gateway's own timeouts decide, not the WAF's.
          requestTimeout: 300,
          probeName: 'gateway-status',
        },
      ],
      requestRoutingRule: [
        {
          name: 'gateway',
          ruleType: 'Basic',
          priority: 100,
          httpListenerName: 'https',
          backendAddressPoolName: 'gateway',
          backendHttpSettingsName: 'gateway',
        },
      ],
      ...tags,
      // The certificate is read when the gateway is created: its identity must hold the role first.
      dependsOn: [this.certificateAccess],
    });
    this.resourceId = this.applicationGateway.id;
    if (props.diagnosticSettings) {
      addDiagnosticSetting(this, 'Diagnostics', this.applicationGateway.id, {
        workspaceId: props.diagnosticSettings.workspaceId,
        logCategories: [
          'ApplicationGatewayAccessLog',
          'ApplicationGatewayPerformanceLog',
          'ApplicationGatewayFirewallLog',
        ],
      });
      addDiagnosticSetting(this, 'PublicIpDiagnostics', this.publicIp.id, {
        workspaceId: props.diagnosticSettings.workspaceId,
      });
    }
  }
}
