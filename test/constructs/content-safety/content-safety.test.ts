import { describe, expect, it } from 'vitest';
import { exampleEnvironment, synthEnvironment } from '../../helpers/synth';

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
