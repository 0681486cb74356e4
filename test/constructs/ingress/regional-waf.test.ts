import { describe, expect, it } from 'vitest';
import { RegionalWaf, type RegionalWafProps } from '../../../constructs/ingress';
import { synthConstruct } from '../../helpers/synth';

const MINIMAL: RegionalWafProps = {
  name: 'agw-test',
  wafPolicyName: 'waf-test',
  publicIpName: 'pip-agw-test',
  identityName: 'id-agw-test',
  location: 'swedencentral',
  resourceGroupName: 'rg-test',
  subnetId:
    '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/snet-agw',
  hostName: 'ai.contoso.com',
  keyVaultId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-test',
  certificateSecretId: 'https://kv-test.vault.azure.net/secrets/ai-contoso-com',
  backendHostName: 'apim-test-swedencentral-01.regional.azure-api.net',
  capacity: { min: 1, max: 3 },
};

const build = (props: Partial<RegionalWafProps> = {}) =>
  synthConstruct((stack) => new RegionalWaf(stack, 'Waf', { ...MINIMAL, ...props }));

describe('RegionalWaf, built alone', () => {
  const synth = build();
  const gateway = synth.only('azurerm_application_gateway').config;
  const policy = synth.only('azurerm_web_application_firewall_policy').config;

  it('defaults to a WAF_v2 in Prevention with OWASP 3.2 and the bot rules, enforced on the gateway', () => {
    expect(gateway).toMatchObject({
      sku: { name: 'WAF_v2', tier: 'WAF_v2' },
      autoscale_configuration: { min_capacity: 1, max_capacity: 3 },
      force_firewall_policy_association: true,
    });
    expect(gateway['firewall_policy_id']).toBe(
      `\${${synth.only('azurerm_web_application_firewall_policy').address}.id}`,
    );
    expect(policy['policy_settings']).toMatchObject({
      enabled: true,
      mode: 'Prevention',
      request_body_check: true,
    });
    const sets = (policy['managed_rules'] as { managed_rule_set: { type: string; version: string }[] })
      .managed_rule_set;
    expect(sets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'OWASP', version: '3.2' }),
        expect.objectContaining({ type: 'Microsoft_BotManagerRuleSet' }),
      ]),
    );
  });

  it('serves HTTPS only, with SNI, a TLS 1.2+ policy and the versionless Key Vault certificate', () => {
    expect(gateway['ssl_policy']).toEqual({
      policy_type: 'Predefined',
      policy_name: 'AppGwSslPolicy20220101S',
    });
    expect(gateway['ssl_certificate']).toEqual([
      { name: 'tls', key_vault_secret_id: MINIMAL.certificateSecretId },
    ]);
    expect(gateway['frontend_port']).toEqual([{ name: 'https', port: 443 }]);
    expect(gateway['http_listener']).toEqual([
      expect.objectContaining({ protocol: 'Https', host_name: 'ai.contoso.com', require_sni: true }),
    ]);
    expect(gateway['backend_http_settings']).toEqual([
      expect.objectContaining({ protocol: 'Https', port: 443, host_name: MINIMAL.backendHostName }),
    ]);
  });

  it('reads the certificate with its own identity, which holds only Key Vault Secrets User on the vault, before the gateway exists', () => {
    const identity = synth.only('azurerm_user_assigned_identity');
    const role = synth.only('azurerm_role_assignment');
    expect(role.config).toMatchObject({
      scope: MINIMAL.keyVaultId,
      role_definition_name: 'Key Vault Secrets User',
      principal_id: `\${${identity.address}.principal_id}`,
    });
    expect(gateway['identity']).toEqual({
      type: 'UserAssigned',
      identity_ids: [`\${${identity.address}.id}`],
    });
    expect(gateway['depends_on']).toEqual([role.address]);
  });

  it('takes zones, Detection mode, tags and diagnostics only when asked', () => {
    expect(gateway['zones']).toBeUndefined();
    expect(synth.resources('azurerm_monitor_diagnostic_setting')).toEqual([]);
    const options = build({
      zones: ['1', '2', '3'],
      mode: 'Detection',
      tags: { owner: 'platform' },
      diagnosticSettings: { workspaceId: '/subscriptions/s/.../workspaces/log' },
    });
    expect(options.only('azurerm_application_gateway').config).toMatchObject({
      zones: ['1', '2', '3'],
      tags: { owner: 'platform' },
    });
    expect(options.only('azurerm_public_ip').config['zones']).toEqual(['1', '2', '3']);
    expect(options.only('azurerm_web_application_firewall_policy').config['policy_settings']).toMatchObject({
      mode: 'Detection',
    });
    const diagnostics = options.resources('azurerm_monitor_diagnostic_setting');
    expect(diagnostics.map((d) => d.config['log_analytics_workspace_id'])).toEqual([
      '/subscriptions/s/.../workspaces/log',
      '/subscriptions/s/.../workspaces/log',
    ]);
  });
});
