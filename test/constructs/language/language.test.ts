import { describe, expect, it } from 'vitest';
import { Language, type LanguageProps } from '../../../constructs/language';
import { synthConstruct } from '../../helpers/synth';

const MINIMAL: LanguageProps = { name: 'lang-test', location: 'swedencentral', resourceGroupName: 'rg-test' };
const build = (props: Partial<LanguageProps> = {}) =>
  synthConstruct((stack) => new Language(stack, 'Language', { ...MINIMAL, ...props }));

describe('Language, built alone', () => {
  it('defaults to a private TextAnalytics account: Entra ID only, custom subdomain, no outbound calls, S', () => {
    const synth = build();
    expect(synth.only('azurerm_cognitive_account').config).toMatchObject({
      kind: 'TextAnalytics',
      sku_name: 'S',
      custom_subdomain_name: 'lang-test',
      local_auth_enabled: false,
      public_network_access_enabled: false,
      network_acls: { default_action: 'Deny' },
      outbound_network_access_restricted: true,
      identity: { type: 'SystemAssigned' },
    });
    expect(synth.construct.endpoint).toBe('https://lang-test.cognitiveservices.azure.com/');
  });

  it('opens public access only with a written reason, and takes the standard features it is given', () => {
    const synth = build({
      publicNetworkAccess: { enabled: true, reason: 'a test' },
      diagnosticSettings: { workspaceId: '/subscriptions/s/.../workspaces/log' },
      lock: { level: 'CanNotDelete', notes: 'prod data' },
    });
    expect(synth.only('azurerm_cognitive_account').config).toMatchObject({
      public_network_access_enabled: true,
    });
    expect(synth.only('azurerm_monitor_diagnostic_setting').config['log_analytics_workspace_id']).toBe(
      '/subscriptions/s/.../workspaces/log',
    );
    expect(synth.only('azurerm_management_lock').config).toMatchObject({ lock_level: 'CanNotDelete' });
  });
});
