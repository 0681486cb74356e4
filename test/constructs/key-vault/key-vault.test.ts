import { TerraformStack, Testing } from 'cdktf';
import { KeyVault as AzurermKeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { describe, expect, it } from 'vitest';
import { KeyVault } from '../../../constructs/key-vault';
import { exampleEnvironment, synthesizeStack, synthEnvironment } from '../../helpers/synth';
import { PRIVATE_DNS_ZONES } from '../../../constructs/shared/catalog';

const ref = (address: string, attribute = 'id') => `\${${address}.${attribute}}`;

describe.each(['staging', 'prod'] as const)('%s Key Vault', (name) => {
  const synth = synthEnvironment(exampleEnvironment(name));
  const vault = synth.onlyPlatform('azurerm_key_vault');

  it('is RBAC-only, purge-protected, soft-deleted for 90 days, private and deny-by-default', () => {
    expect(vault.config).toMatchObject({
      name: `kvcxgenai${name === 'prod' ? 'prd' : 'stg'}sdc`,
      location: 'swedencentral',
      sku_name: 'standard',
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      public_network_access_enabled: false,
      network_acls: {
        default_action: 'Deny',
        bypass: 'AzureServices',
        ip_rules: [],
        virtual_network_subnet_ids: [],
      },
      enabled_for_deployment: false,
      enabled_for_disk_encryption: false,
      enabled_for_template_deployment: false,
    });
    expect(vault.config['access_policy']).toBeUndefined();
    expect(vault.config['enable_rbac_authorization']).toBeUndefined(); // the pre-4.42 name
    expect(synth.resources('azurerm_key_vault_access_policy')).toEqual([]);
  });

  it('takes its tenant from the deploying identity', () => {
    expect(vault.config['tenant_id']).toBe('${data.azurerm_client_config.ClientConfig.tenant_id}');
  });

  it('has a private endpoint on the vault sub-resource, registered in the vaultcore zone', () => {
    const endpoint = synth
      .resources('azurerm_private_endpoint')
      .find(
        (e) =>
          (e.config['private_service_connection'] as { private_connection_resource_id: string })
            .private_connection_resource_id === ref(vault.address),
      )!;
    const zone = synth
      .resources('azurerm_private_dns_zone')
      .find((z) => z.config['name'] === PRIVATE_DNS_ZONES.keyVault)!;
    expect(endpoint.config).toMatchObject({
      name: `pep-cx-genai-${name === 'prod' ? 'prd' : 'stg'}-sdc-kv`,
      location: 'swedencentral',
      private_service_connection: { subresource_names: ['vault'], is_manual_connection: false },
      private_dns_zone_group: { private_dns_zone_ids: [ref(zone.address)] },
    });
    expect(endpoint.config['subnet_id']).toMatch(/\/subnets\/snet-cx-genai-\w+-sdc-pep$/);
  });

  it('sends AuditEvent logs and metrics to the environment workspace', () => {
    const setting = synth
      .resources('azurerm_monitor_diagnostic_setting')
      .find((s) => s.config['target_resource_id'] === ref(vault.address))!;
    expect(setting.config).toMatchObject({
      log_analytics_workspace_id: ref(synth.only('azurerm_log_analytics_workspace').address),
      enabled_log: [{ category: 'AuditEvent' }],
      enabled_metric: [{ category: 'AllMetrics' }],
    });
  });

  it('lets the gateway identity read secrets, and nothing more', () => {
    const identity = synth
      .resources('azurerm_user_assigned_identity')
      .find((i) => String(i.config['name']).endsWith('-apim'))!;
    expect(identity.config).toMatchObject({
      name: `id-cx-genai-${name === 'prod' ? 'prd' : 'stg'}-sdc-apim`,
    });
    // The WAF identities read the TLS certificate (test/stacks/ingress.test.ts); the gateway's is the only other.
    const wafIdentities = synth
      .resources('azurerm_application_gateway')
      .flatMap((g) => (g.config['identity'] as { identity_ids: string[] }).identity_ids)
      .map((id) => id.replace(/\.id\}$/, '.principal_id}'));
    const grants = synth
      .resources('azurerm_role_assignment')
      .filter(
        (r) =>
          r.config['scope'] === ref(vault.address) &&
          !wafIdentities.includes(String(r.config['principal_id'])),
      );
    expect(grants.map((g) => g.config)).toEqual([
      expect.objectContaining({
        role_definition_name: 'Key Vault Secrets User',
        principal_id: ref(identity.address, 'principal_id'),
        principal_type: 'ServicePrincipal',
      }),
    ]);
    expect(synth.stack.gatewayIdentity).toBeDefined();
  });
});

describe('Key Vault from config', () => {
  it('dev: purge protection off with the written reason, public endpoint, no private endpoint', () => {
    const synth = synthEnvironment(exampleEnvironment('dev'));
    expect(synth.onlyPlatform('azurerm_key_vault').config).toMatchObject({
      purge_protection_enabled: false,
      soft_delete_retention_days: 7,
      public_network_access_enabled: true,
      network_acls: { default_action: 'Deny', bypass: 'AzureServices' },
    });
    expect(synth.resources('azurerm_private_endpoint')).toEqual([]);
  });

  it('takes the tenant from config when it is set, without a data source', () => {
    const tenantId = '22222222-2222-2222-2222-222222222222';
    const synth = synthEnvironment(exampleEnvironment('prod', { azure: { tenantId } }));
    expect(synth.onlyPlatform('azurerm_key_vault').config['tenant_id']).toBe(tenantId);
    expect(synth.json.data?.['azurerm_client_config']).toBeUndefined();
  });

  it('uses the premium SKU when config asks for it', () => {
    const synth = synthEnvironment(exampleEnvironment('prod', { keyVault: { skuName: 'premium' } }));
    expect(synth.text).toHaveResourceWithProperties(AzurermKeyVault, { sku_name: 'premium' });
  });
});

describe('KeyVault construct', () => {
  function synthVault(props: Partial<ConstructorParameters<typeof KeyVault>[2]> = {}) {
    const stack = new TerraformStack(Testing.app(), 'test');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    new KeyVault(stack, 'Vault', {
      name: 'kv-test',
      location: 'swedencentral',
      resourceGroupName: 'rg',
      tenantId: '00000000-0000-0000-0000-000000000000',
      ...props,
    });
    return synthesizeStack(stack);
  }

  it('is secure with only the required props', () => {
    expect(synthVault().onlyPlatform('azurerm_key_vault').config).toMatchObject({
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      public_network_access_enabled: false,
      network_acls: { default_action: 'Deny' },
    });
  });

  it('keeps diagnostic categories the caller names', () => {
    const setting = synthVault({
      diagnosticSettings: { workspaceId: 'ws', logCategoryGroups: ['audit'] },
    }).only('azurerm_monitor_diagnostic_setting');
    expect(setting.config['enabled_log']).toEqual([{ category_group: 'audit' }]);
  });

  it.each([6, 91, 30.5])('rejects a soft-delete retention of %s days', (days) => {
    expect(() => synthVault({ softDeleteRetentionInDays: days })).toThrow(
      /softDeleteRetentionInDays must be a whole number from 7 to 90/,
    );
  });
});
