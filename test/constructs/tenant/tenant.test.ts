import { TerraformStack, Testing } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { describe, expect, it } from 'vitest';
import { AiGateway } from '../../../constructs/ai-gateway';
import { PromptLibrary } from '../../../constructs/prompt-library';
import { AzapiProvider } from '../../../constructs/shared/azapi';
import { Tenant, type TenantProps } from '../../../constructs/tenant';
import { gatewayProps } from '../../helpers/gateway';
import { synthesizeStack } from '../../helpers/synth';
import { findAll, parseXml } from '../../helpers/xml';

const TAGS = { tenant: 'legal', owner: 'legal-it@contoso.com' };
const MEDIUM = { prompt: 'Medium', completion: 'Medium' } as const;

/** A stack with a gateway (content safety at level 4 in every category) and a prompt library, and one tenant. */
function synthTenant(props: (deps: { gateway: AiGateway; library: PromptLibrary }) => TenantProps) {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  new AzapiProvider(stack, 'azapi');
  const gateway = new AiGateway(stack, 'Gateway', gatewayProps());
  const library = new PromptLibrary(stack, 'PromptLibrary', {
    name: 'stprompts',
    location: 'swedencentral',
    resourceGroupName: 'rg-test',
  });
  const tenant = new Tenant(stack, props({ gateway, library }));
  return { tenant, plan: synthesizeStack(stack).plan };
}

const access = (gateway: AiGateway) => ({
  gateway,
  displayName: 'Legal',
  state: 'active' as const,
  allowedModels: ['gpt-4o'],
  tokensPerMinute: 1000,
  monthlyTokenQuota: 1_000_000,
  promptFilter: { hate: 'Low', sexual: 'Medium', selfHarm: 'High', violence: 'High' } as const,
  identity: { name: 'id-legal', location: 'swedencentral', resourceGroupName: 'rg-test' },
  keyVaultId: '/subscriptions/s/.../vaults/kv-platform',
  secretName: 'apim-key-legal',
});

describe('Tenant', () => {
  it('with minimal props builds nothing: a tenant without data or access owns no resource', () => {
    const { tenant, plan } = synthTenant(() => ({ slug: 'legal', tags: TAGS }));
    expect(tenant.node.id).toBe('legal');
    expect(tenant.accounts).toEqual({});
    expect(tenant.access).toBeUndefined();
    expect(plan.resources.filter((r) => r.path.startsWith('legal/'))).toEqual([]);
  });

  it('on the shared tier: identity and key in the shared group and vault, the stricter content-safety thresholds, and its container for its identity only', () => {
    const { tenant, plan } = synthTenant(({ gateway, library }) => ({
      slug: 'legal',
      tags: TAGS,
      container: { library, placement: 'tenant', name: 'legal' },
      access: access(gateway),
    }));
    const identity = plan
      .byType('azurerm_user_assigned_identity')
      .find((r) => r.config['name'] === 'id-legal')!;
    expect(identity.config).toMatchObject({ resource_group_name: 'rg-test', tags: TAGS });
    const secret = plan.byType('azapi_resource').find((r) => r.config['name'] === 'apim-key-legal')!;
    expect(secret.config['parent_id']).toBe('/subscriptions/s/.../vaults/kv-platform');

    const policy = plan.byType('azurerm_api_management_product_policy')[0]!;
    const safety = findAll(parseXml(String(policy.config['xml_content'])), 'llm-content-safety');
    expect(safety).toHaveLength(1);
    // The gateway blocks from level 4; the tenant's filter from Low (2) for hate, from High (6) for self-harm.
    expect(
      Object.fromEntries(
        findAll(safety[0]!, 'category').map((c) => [c.attributes['name'], c.attributes['threshold']]),
      ),
    ).toEqual({ Hate: '2', Sexual: '4', SelfHarm: '4', Violence: '4' });

    const container = plan.byType('azurerm_storage_container')[0]!;
    expect(container.path).toBe('legal/Container');
    const role = plan
      .byType('azurerm_role_assignment')
      .find((r) => r.config['role_definition_name'] === 'Storage Blob Data Contributor')!;
    expect(role.config['scope']).toBe(`\${${container.address}.id}`);
    expect(role.config['principal_id']).toBe(`\${${identity.address}.principal_id}`);
    expect(tenant.container).toBeDefined();
  });

  it('on the dedicated tier: its own group, vault and account, and pools named for it that only its product routes to', () => {
    const { tenant, plan } = synthTenant(({ gateway }) => ({
      slug: 'legal',
      tags: TAGS,
      dedicated: {
        resourceGroup: { name: 'rg-legal', location: 'swedencentral' },
        keyVault: { name: 'kv-legal', location: 'swedencentral', tenantId: 't' },
        accounts: {
          swedencentral: {
            name: 'ais-legal-sdc',
            location: 'swedencentral',
            deployments: {
              'gpt-4o-legal': {
                model: { name: 'gpt-4o', version: '2024-11-20' },
                type: 'ProvisionedManaged',
                capacity: 50,
                contentFilter: 'strict',
              },
            },
            contentFilters: {
              strict: { categories: { hate: MEDIUM, sexual: MEDIUM, violence: MEDIUM, selfHarm: MEDIUM } },
            },
          },
        },
      },
      access: {
        ...access(gateway),
        dedicatedPools: [
          {
            model: 'gpt-4o-legal',
            candidates: [
              {
                region: 'swedencentral',
                deployment: 'gpt-4o-legal',
                type: 'ProvisionedManaged',
                capacity: 50,
                weight: 100,
              },
            ],
          },
        ],
      },
    }));
    const group = plan.byType('azurerm_resource_group').find((r) => r.config['name'] === 'rg-legal')!;
    expect(group.config['tags']).toEqual(TAGS);
    const vault = plan.byType('azurerm_key_vault').find((r) => r.config['name'] === 'kv-legal')!;
    expect(vault.config).toMatchObject({
      resource_group_name: `\${${group.address}.name}`,
      purge_protection_enabled: true,
    });
    expect(Object.keys(tenant.accounts)).toEqual(['swedencentral']);
    const identity = plan
      .byType('azurerm_user_assigned_identity')
      .find((r) => r.config['name'] === 'id-legal')!;
    expect(identity.config['resource_group_name']).toBe(`\${${group.address}.name}`);
    const secret = plan.byType('azapi_resource').find((r) => r.config['name'] === 'apim-key-legal')!;
    expect(secret.config['parent_id']).toBe(`\${${vault.address}.id}`);
    const names = plan.byType('azapi_resource').map((r) => r.config['name']);
    expect(names).toEqual(expect.arrayContaining(['legal-gpt-4o-legal-sdc', 'pool-legal-gpt-4o-legal']));
    const policy = String(plan.byType('azurerm_api_management_product_policy')[0]!.config['xml_content']);
    expect(policy).toContain('pool-legal-gpt-4o-legal');
  });
});
