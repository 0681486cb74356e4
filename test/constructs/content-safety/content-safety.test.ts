import { describe, expect, it } from 'vitest';
import { ContentSafety, type ContentSafetyProps } from '../../../constructs/content-safety';
import { exampleEnvironment, synthConstruct, synthEnvironment } from '../../helpers/synth';

const MINIMAL: ContentSafetyProps = {
  name: 'cs-test',
  location: 'swedencentral',
  resourceGroupName: 'rg-test',
};
const build = (props: Partial<ContentSafetyProps> = {}) =>
  synthConstruct((stack) => new ContentSafety(stack, 'ContentSafety', { ...MINIMAL, ...props }));

describe('ContentSafety, built alone', () => {
  it('defaults to a private S0 account: Entra ID only, custom subdomain, ACL Deny without bypass, no outbound calls, no extras', () => {
    const synth = build();
    expect(synth.only('azurerm_cognitive_account').config).toMatchObject({
      kind: 'ContentSafety',
      sku_name: 'S0',
      custom_subdomain_name: 'cs-test',
      local_auth_enabled: false,
      public_network_access_enabled: false,
      network_acls: { default_action: 'Deny', bypass: 'None' },
      outbound_network_access_restricted: true,
      identity: { type: 'SystemAssigned' },
    });
    expect(synth.construct.endpoint).toBe('https://cs-test.cognitiveservices.azure.com/');
    for (const extra of [
      'azurerm_private_endpoint',
      'azurerm_monitor_diagnostic_setting',
      'azurerm_management_lock',
    ]) {
      expect(synth.resources(extra)).toEqual([]);
    }
  });

  it('adds a private endpoint on the account subresource with its zone group, and the SKU it is given', () => {
    const synth = build({
      sku: 'F0',
      privateEndpoint: {
        name: 'pe-cs-test',
        subnetId: '/subscriptions/s/.../subnets/snet-pe',
        privateDnsZoneIds: ['/subscriptions/s/.../privateDnsZones/privatelink.cognitiveservices.azure.com'],
      },
    });
    expect(synth.only('azurerm_cognitive_account').config['sku_name']).toBe('F0');
    expect(synth.only('azurerm_private_endpoint').config).toMatchObject({
      name: 'pe-cs-test',
      subnet_id: '/subscriptions/s/.../subnets/snet-pe',
      private_service_connection: { subresource_names: ['account'], is_manual_connection: false },
      private_dns_zone_group: {
        private_dns_zone_ids: [
          '/subscriptions/s/.../privateDnsZones/privatelink.cognitiveservices.azure.com',
        ],
      },
    });
  });
});

describe('content safety account', () => {
  it('is hardened like the model accounts and sends its logs to the workspace', () => {
    const synth = synthEnvironment(exampleEnvironment('prod'));
    const accounts = synth
      .resources('azurerm_cognitive_account')
      .filter((a) => a.config['kind'] === 'ContentSafety');
    // One per gateway region: swedencentral and francecentral.
    expect(accounts.map((a) => a.config['name']).sort()).toEqual([
      'cs-cx-genai-prd-frc',
      'cs-cx-genai-prd-sdc',
    ]);
    for (const other of accounts) {
      expect(other.config).toMatchObject({
        local_auth_enabled: false,
        public_network_access_enabled: false,
        outbound_network_access_restricted: true,
      });
    }
    const account = accounts.find((a) => a.config['name'] === 'cs-cx-genai-prd-sdc')!;
    expect(account.config).toMatchObject({
      name: 'cs-cx-genai-prd-sdc',
      custom_subdomain_name: 'cs-cx-genai-prd-sdc',
      sku_name: 'S0',
      local_auth_enabled: false,
      public_network_access_enabled: false,
      network_acls: { default_action: 'Deny', bypass: 'None' },
      outbound_network_access_restricted: true,
      identity: { type: 'SystemAssigned' },
    });
    const diagnostics = synth
      .resources('azurerm_monitor_diagnostic_setting')
      .find((d) => d.config['target_resource_id'] === `\${${account.address}.id}`);
    expect(diagnostics).toBeDefined();
    expect(synth.stack.contentSafety?.endpoint).toBe(
      'https://cs-cx-genai-prd-sdc.cognitiveservices.azure.com/',
    );
  });

  it('is left out when disabled (dev only)', () => {
    const synth = synthEnvironment(
      exampleEnvironment('dev', {
        endpoints: { contentSafety: { enabled: false } },
        gateway: { contentSafety: { enabled: false } },
      }),
    );
    expect(
      synth
        .resources('azurerm_cognitive_account')
        .filter((a) => a.config['project_management_enabled'] !== true)
        .map((a) => a.config['kind']),
    ).toEqual(['AIServices']);
    expect(synth.stack.contentSafety).toBeUndefined();
  });
});
