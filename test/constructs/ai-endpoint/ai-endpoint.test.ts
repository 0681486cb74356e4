import { describe, expect, it } from 'vitest';
import { blocklistItemName } from '../../../constructs/ai-endpoint/content-filter';
import type { PlanResource } from '../../../constructs/shared/plan';
import { exampleEnvironment, exampleInput, synthEnvironment } from '../../helpers/synth';
import { DEPLOYMENT_TYPE_NAMES, type DeploymentType } from '../../../constructs/shared/catalog';

const ref = (r: PlanResource, attribute = 'id') => `\${${r.address}.${attribute}}`;

describe.each(['dev', 'staging', 'prod'] as const)('%s model accounts', (name) => {
  const env = exampleEnvironment(name);
  const synth = synthEnvironment(env);
  // The platform's model accounts; dedicated tenants' accounts are checked in test/stacks/tenants.test.ts, the
  // Foundry resource (no deployments: its projects reach models through the gateway) in test/stacks/foundry.test.ts.
  const accounts = synth
    .platform('azurerm_cognitive_account')
    .filter(
      (a) =>
        !['ContentSafety', 'TextAnalytics'].includes(String(a.config['kind'])) &&
        a.config['project_management_enabled'] !== true,
    );

  it('has one hardened account per configured region', () => {
    expect(accounts.map((a) => a.config['location']).sort()).toEqual(
      Object.keys(env.endpoints.accounts).sort(),
    );
    const open = env.network.publicNetworkAccess.enabled;
    for (const account of accounts) {
      expect(account.config, account.address).toMatchObject({
        sku_name: 'S0',
        local_auth_enabled: false,
        custom_subdomain_name: account.config['name'],
        identity: { type: 'SystemAssigned' },
        public_network_access_enabled: open,
        network_acls: { default_action: open ? 'Allow' : 'Deny', bypass: 'None' },
      });
      if (env.stage === 'prod') expect(account.config['outbound_network_access_restricted']).toBe(true);
    }
  });

  it('sends every account’s logs and metrics to the workspace', () => {
    const workspace = synth.only('azurerm_log_analytics_workspace');
    const diagnostics = synth.resources('azurerm_monitor_diagnostic_setting');
    for (const account of accounts) {
      expect(
        diagnostics.find((d) => d.config['target_resource_id'] === ref(account))?.config,
        account.address,
      ).toMatchObject({
        log_analytics_workspace_id: ref(workspace),
        enabled_log: [{ category_group: 'allLogs' }],
        enabled_metric: [{ category: 'AllMetrics' }],
      });
    }
  });

  it('gives every deployment an explicit content filter of its own account, and the configured SKU and capacity', () => {
    const policies = synth.resources('azurerm_cognitive_account_rai_policy');
    const deployments = synth
      .resources('azurerm_cognitive_deployment')
      .filter((d) => accounts.some((a) => ref(a) === d.config['cognitive_account_id']));
    const configured = Object.values(env.endpoints.accounts).flatMap((a) => Object.entries(a!.deployments));
    expect(deployments).toHaveLength(configured.length);
    for (const deployment of deployments) {
      const policy = policies.find((p) => ref(p, 'name') === deployment.config['rai_policy_name']);
      expect(policy, `${deployment.address} rai_policy_name`).toBeDefined();
      expect(policy!.config['cognitive_account_id']).toBe(deployment.config['cognitive_account_id']);
      const account = accounts.find((a) => ref(a) === deployment.config['cognitive_account_id'])!;
      const wanted =
        env.endpoints.accounts[account.config['location'] as keyof typeof env.endpoints.accounts]!
          .deployments[deployment.config['name'] as string]!;
      expect(deployment.config['sku']).toEqual({ name: wanted.type, capacity: wanted.capacity });
      expect(policy!.config['name']).toBe(wanted.contentFilter);
      expect(deployment.config['model']).toEqual({
        format: 'OpenAI',
        name: wanted.model.name,
        version: wanted.model.version,
      });
    }
  });

  it('creates the deployments of one account one after another', () => {
    for (const account of accounts) {
      const deployments = synth
        .resources('azurerm_cognitive_deployment')
        .filter((d) => d.config['cognitive_account_id'] === ref(account));
      // Exactly one deployment starts the chain (after the account's filters); each other depends on another deployment.
      const byAddress = new Map(deployments.map((d) => [d.address, d]));
      const predecessors = deployments.map((d) =>
        (d.config['depends_on'] as string[]).filter((a) => byAddress.has(a)),
      );
      expect(predecessors.filter((p) => p.length === 0)).toHaveLength(1);
      expect(predecessors.every((p) => p.length <= 1)).toBe(true);
      // Following the chain from its end visits every deployment once: no two deployments wait on the same one.
      const successors = new Set(predecessors.flat());
      expect(successors.size).toBe(deployments.length - 1);
      const first = deployments[predecessors.findIndex((p) => p.length === 0)]!;
      expect((first.config['depends_on'] as string[]).join()).toMatch(
        /azurerm_cognitive_account_rai_policy|azapi_update_resource/,
      );
    }
  });
});

describe('deployment types', () => {
  const capacities: Record<DeploymentType, number> = {
    Standard: 10,
    GlobalStandard: 10,
    DataZoneStandard: 10,
    ProvisionedManaged: 50,
    GlobalProvisionedManaged: 15,
    DataZoneProvisionedManaged: 20,
    GlobalBatch: 100,
    DataZoneBatch: 100,
  };

  it.each(DEPLOYMENT_TYPE_NAMES)('synthesizes a %s deployment with its SKU and capacity', (type) => {
    const env = exampleEnvironment('dev', {
      finops: undefined,
      endpoints: {
        accounts: {
          swedencentral: {
            deployments: {
              probe: {
                model: { name: 'gpt-4o', version: '2024-11-20' },
                type,
                capacity: capacities[type],
                contentFilter: 'standard',
              },
            },
          },
        },
        quota: { swedencentral: { 'gpt-4o': { [type]: 1000 } } },
      },
    });
    const probe = synthEnvironment(env)
      .resources('azurerm_cognitive_deployment')
      .find((d) => d.config['name'] === 'probe');
    expect(probe?.config['sku']).toEqual({ name: type, capacity: capacities[type] });
  });
});

describe('content filters', () => {
  const synth = synthEnvironment(exampleEnvironment('prod'));
  const policies = synth.resources('azurerm_cognitive_account_rai_policy');

  it('writes every harm category on both sides, prompt shields and protected material', () => {
    const filters = policies[0]!.config['content_filter'] as Array<Record<string, unknown>>;
    const index = Object.fromEntries(filters.map((f) => [`${f['name']}/${f['source']}`, f]));
    for (const name of ['Hate', 'Sexual', 'Violence', 'Selfharm']) {
      for (const source of ['Prompt', 'Completion']) {
        expect(index[`${name}/${source}`]).toEqual({
          name,
          source,
          filter_enabled: true,
          block_enabled: true,
          severity_threshold: 'Medium',
        });
      }
    }
    for (const key of [
      'Jailbreak/Prompt',
      'Indirect Attack/Prompt',
      'Protected Material Text/Completion',
      'Protected Material Code/Completion',
    ]) {
      expect(index[key]).toMatchObject({ filter_enabled: true, block_enabled: true });
    }
    expect(policies[0]!.config).toMatchObject({ base_policy_name: 'Microsoft.DefaultV2', mode: 'Default' });
  });

  it('creates blocklist items through azapi with names that do not depend on their order', () => {
    const items = synth
      .resources('azapi_resource')
      .filter((r) => String(r.config['type']).includes('raiBlocklistItems'));
    expect(items.map((i) => i.config['name'])).toContain(blocklistItemName('Project Bluebird', false));
    expect(
      items.find((i) => i.config['name'] === blocklistItemName('\\bCX-[0-9]{5}\\b', true))?.config['body'],
    ).toEqual({
      properties: { pattern: '\\bCX-[0-9]{5}\\b', isRegex: true },
    });
    for (const item of items) expect(item.config['locks']).toEqual([item.config['parent_id']]);
  });

  it('attaches blocklists to the policy through azapi, re-applied whenever azurerm rewrites the policy', () => {
    for (const policy of policies) {
      const attachment = synth
        .resources('azapi_update_resource')
        .find((r) => r.config['resource_id'] === ref(policy));
      expect(attachment?.config['body']).toEqual({
        properties: {
          customBlocklists: [
            { blocklistName: 'internal-codenames', blocking: true, source: 'Prompt' },
            { blocklistName: 'internal-codenames', blocking: true, source: 'Completion' },
          ],
        },
      });
      expect(attachment?.config['lifecycle']).toEqual({ replace_triggered_by: [policy.address] });
    }
  });
});

describe('native spillover', () => {
  it('points the provisioned deployment at its pay-as-you-go twin through azapi', () => {
    const synth = synthEnvironment(exampleEnvironment('prod'));
    const ptu = synth
      .resources('azurerm_cognitive_deployment')
      .find(
        (d) =>
          d.config['name'] === 'gpt-4o' &&
          (d.config['sku'] as { name: string }).name === 'ProvisionedManaged',
      )!;
    const spillover = synth
      .resources('azapi_update_resource')
      .find((r) => r.config['resource_id'] === ref(ptu));
    expect(spillover?.config).toMatchObject({
      type: 'Microsoft.CognitiveServices/accounts/deployments@2025-06-01',
      body: { properties: { spilloverDeploymentName: 'gpt-4o-overflow' } },
      lifecycle: { replace_triggered_by: [ptu.address] },
    });
  });
});

describe('account options', () => {
  it('uses an explicit account name as name and subdomain', () => {
    const env = exampleEnvironment('dev', {
      endpoints: { accounts: { swedencentral: { name: 'contoso-genai-dev-2' } } },
    });
    const account = synthEnvironment(env)
      .resources('azurerm_cognitive_account')
      .find((a) => a.config['kind'] === 'AIServices')!;
    expect(account.config).toMatchObject({
      name: 'contoso-genai-dev-2',
      custom_subdomain_name: 'contoso-genai-dev-2',
    });
  });

  it('creates an OpenAI-kind account when asked', () => {
    const env = exampleEnvironment('dev', { endpoints: { accounts: { swedencentral: { kind: 'OpenAI' } } } });
    const names = synthEnvironment(env)
      .resources('azurerm_cognitive_account')
      .map((a) => a.config['name']);
    expect(names).toContain('oai-cx-genai-dev-sdc');
  });

  it('lists allowed outbound FQDNs when outbound access is restricted', () => {
    const input = exampleInput('prod');
    const env = exampleEnvironment('prod', {
      endpoints: {
        accounts: {
          ...input.endpoints!.accounts,
          swedencentral: {
            ...input.endpoints!.accounts!.swedencentral!,
            allowedFqdns: ['stcxgenaiprdsdc.blob.core.windows.net'],
          },
        },
      },
    });
    const account = synthEnvironment(env)
      .resources('azurerm_cognitive_account')
      .find((a) => a.config['location'] === 'swedencentral' && a.config['kind'] === 'AIServices')!;
    expect(account.config).toMatchObject({
      outbound_network_access_restricted: true,
      fqdns: ['stcxgenaiprdsdc.blob.core.windows.net'],
    });
  });
});
