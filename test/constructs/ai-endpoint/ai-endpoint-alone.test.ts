import { describe, expect, it } from 'vitest';
import { AiEndpoint, type AiEndpointProps, type ContentFilterProps } from '../../../constructs/ai-endpoint';
import { body } from '../../../constructs/shared/plan';
import { synthConstruct } from '../../helpers/synth';

const STRICT: ContentFilterProps = {
  categories: {
    hate: { prompt: 'Low', completion: 'Low' },
    sexual: { prompt: 'Low', completion: 'Low' },
    violence: { prompt: 'Medium', completion: 'Low' },
    selfHarm: { prompt: 'Low', completion: 'Low' },
  },
};

const MINIMAL: AiEndpointProps = {
  name: 'oai-test',
  location: 'swedencentral',
  resourceGroupName: 'rg-test',
  contentFilters: { strict: STRICT },
  deployments: {
    'gpt-4o': {
      model: { name: 'gpt-4o', version: '2024-11-20' },
      type: 'GlobalStandard',
      capacity: 50,
      contentFilter: 'strict',
    },
  },
};

const build = (props: Partial<AiEndpointProps> = {}) =>
  synthConstruct((stack) => new AiEndpoint(stack, 'Endpoint', { ...MINIMAL, ...props }));

describe('AiEndpoint, built alone with minimal props', () => {
  const synth = build();

  it('defaults to a private S0 AIServices account: Entra ID only, custom subdomain, ACL Deny, no outbound calls', () => {
    expect(synth.only('azurerm_cognitive_account').config).toMatchObject({
      kind: 'AIServices',
      sku_name: 'S0',
      custom_subdomain_name: 'oai-test',
      local_auth_enabled: false,
      public_network_access_enabled: false,
      network_acls: { default_action: 'Deny', bypass: 'None' },
      outbound_network_access_restricted: true,
      identity: { type: 'SystemAssigned' },
    });
    expect(synth.construct.openAiEndpoint).toBe('https://oai-test.openai.azure.com/');
  });

  it('deploys each model on its own named content filter, upgrading only when the version expires', () => {
    const policy = synth.only('azurerm_cognitive_account_rai_policy');
    expect(policy.config).toMatchObject({
      name: 'strict',
      base_policy_name: 'Microsoft.DefaultV2',
      mode: 'Default',
    });
    const filters = policy.config['content_filter'] as {
      name: string;
      source: string;
      severity_threshold: string;
    }[];
    expect(filters.find((f) => f.name === 'Violence' && f.source === 'Prompt')?.severity_threshold).toBe(
      'Medium',
    );
    // Prompt shields and protected material are on unless turned off.
    for (const name of [
      'Jailbreak',
      'Indirect Attack',
      'Protected Material Text',
      'Protected Material Code',
    ]) {
      expect(filters.find((f) => f.name === name)).toMatchObject({
        filter_enabled: true,
        block_enabled: true,
      });
    }
    expect(synth.only('azurerm_cognitive_deployment').config).toMatchObject({
      name: 'gpt-4o',
      model: { format: 'OpenAI', name: 'gpt-4o', version: '2024-11-20' },
      sku: { name: 'GlobalStandard', capacity: 50 },
      rai_policy_name: '${azurerm_cognitive_account_rai_policy.' + policy.address.split('.')[1] + '.name}',
      version_upgrade_option: 'OnceCurrentVersionExpired',
      depends_on: [policy.address],
    });
  });

  it('creates no extras it was not asked for: no blocklist, spillover, endpoint, diagnostics or lock', () => {
    for (const type of [
      'azurerm_cognitive_account_rai_blocklist',
      'azapi_update_resource',
      'azurerm_private_endpoint',
      'azurerm_monitor_diagnostic_setting',
      'azurerm_management_lock',
    ]) {
      expect(synth.resources(type), type).toEqual([]);
    }
  });

  it('refuses a deployment that names a content filter the account does not have', () => {
    expect(() =>
      build({
        deployments: {
          x: { model: { name: 'gpt-4o', version: '1' }, type: 'Standard', capacity: 1, contentFilter: 'lax' },
        },
      }),
    ).toThrow(
      /deployment "x" refers to content filter "lax", which this account does not have; expected one of: strict/,
    );
  });

  it('chains every write on the account, attaches blocklists through azapi and sets spillover on the provisioned deployment', () => {
    const options = build({
      kind: 'OpenAI',
      blocklists: { names: { terms: ['Project Falcon'] } },
      contentFilters: {
        strict: {
          ...STRICT,
          blocklists: ['names'],
          promptShields: { jailbreak: true, indirectAttack: false },
        },
      },
      deployments: {
        ptu: {
          model: { name: 'gpt-4o', version: '2024-11-20' },
          type: 'ProvisionedManaged',
          capacity: 15,
          contentFilter: 'strict',
          spilloverTo: 'paygo',
        },
        paygo: {
          model: { name: 'gpt-4o', version: '2024-11-20' },
          type: 'Standard',
          capacity: 30,
          contentFilter: 'strict',
        },
      },
    });
    expect(options.only('azurerm_cognitive_account').config['kind']).toBe('OpenAI');
    const blocklist = options.only('azurerm_cognitive_account_rai_blocklist');
    const policy = options.only('azurerm_cognitive_account_rai_policy');
    expect(policy.config['depends_on']).toEqual(
      expect.arrayContaining([expect.stringContaining('azapi_resource.')]),
    );
    const updates = options.resources('azapi_update_resource');
    const attachment = updates.find((u) => String(u.config['type']).includes('/raiPolicies@'))!;
    expect(body(attachment)).toEqual({
      properties: {
        customBlocklists: [
          { blocklistName: 'names', blocking: true, source: 'Prompt' },
          { blocklistName: 'names', blocking: true, source: 'Completion' },
        ],
      },
    });
    expect(blocklist.config['name']).toBe('names');
    const filters = policy.config['content_filter'] as { name: string; filter_enabled: boolean }[];
    expect(filters.find((f) => f.name === 'Indirect Attack')?.filter_enabled).toBe(false);
    const deployments = options.resources('azurerm_cognitive_deployment');
    const [paygo, ptu] = ['paygo', 'ptu'].map((n) => deployments.find((d) => d.config['name'] === n)!);
    // Sorted by name and chained: paygo first, then ptu after it.
    expect(ptu!.config['depends_on']).toEqual([paygo!.address]);
    const spillover = updates.find((u) => String(u.config['type']).includes('/deployments@'))!;
    expect(body(spillover)).toEqual({ properties: { spilloverDeploymentName: 'paygo' } });
    expect(spillover.config['resource_id']).toBe(`\${${ptu!.address}.id}`);
  });
});
