import { Testing } from 'cdktf';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { describe, expect, it } from 'vitest';
import { AzapiResource, AzapiTrackedResource } from '../../constructs/shared/azapi';
import { isTaggable } from '../../constructs/shared/tags';
import { MANAGED_BY, PlatformStack } from '../../stacks/platform-stack';
import { exampleEnvironment, synthesizeStack, synthEnvironment, type Synthesized } from '../helpers/synth';
import { AZURE_REGIONS } from '../../constructs/shared/catalog';

const MANDATORY_TAGS = ['environment', 'workload', 'owner', 'costCenter', 'managedBy'];

/** Every taggable resource of the stack, found by walking the construct tree, with its synthesized config. */
function taggableResources(synth: Synthesized) {
  return synth.stack.node
    .findAll()
    .filter(isTaggable)
    .map((resource) => {
      const address = `${resource.terraformResourceType}.${synth.stack.getLogicalId(resource)}`;
      return { address, tags: synth.plan.byAddress(address)?.config['tags'] as Record<string, string> };
    });
}

describe.each(['dev', 'staging', 'prod'] as const)('%s stack', (name) => {
  const env = exampleEnvironment(name);
  const synth = synthEnvironment(env);

  it('puts the mandatory tags on every taggable resource', () => {
    const taggable = taggableResources(synth);
    expect(taggable.length).toBeGreaterThan(0);
    for (const { address, tags } of taggable) {
      expect(Object.keys(tags ?? {}), address).toEqual(expect.arrayContaining(MANDATORY_TAGS));
      // A tenant's resources carry the tenant's owner and cost center (chargeback); the rest the environment's.
      const tenant = tags?.['tenant'] ? env.tenants[tags['tenant']] : undefined;
      expect(tags, address).toMatchObject({
        environment: name,
        workload: 'genai',
        owner: tenant?.owner ?? env.tags.owner,
        costCenter: tenant?.costCenter ?? env.tags.costCenter,
        managedBy: MANAGED_BY,
        ...env.tags.additional,
      });
    }
  });

  it('configures azurerm for Entra ID storage access, with the features block', () => {
    expect(synth.text).toHaveProviderWithProperties(
      { tfResourceType: 'azurerm' },
      {
        storage_use_azuread: true,
        features: [
          expect.objectContaining({ resource_group: [{ prevent_deletion_if_contains_resources: true }] }),
        ],
      },
    );
  });

  it('declares the azapi and random providers from their registry sources', () => {
    const required = synth.json.terraform?.['required_providers'] as Record<
      string,
      { source: string; version: string }
    >;
    expect(required['azapi']).toEqual({ source: 'Azure/azapi', version: '2.12.0' });
    expect(required['azurerm']).toEqual({ source: 'azurerm', version: '4.55.0' });
    expect(required['random']?.source).toBe('hashicorp/random');
    // Every provider is pinned exactly, so that a plan reviewed today is the plan a later init installs for.
    for (const [name, provider] of Object.entries(required)) {
      expect(provider.version, name).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  it('creates one resource group per region, named by the naming function', () => {
    const groups = Object.fromEntries(
      synth.platform('azurerm_resource_group').map((r) => [r.config['location'], r.config['name']]),
    );
    const code = { dev: 'dev', staging: 'stg', prod: 'prd' }[name];
    expect(groups).toEqual(
      Object.fromEntries(
        [env.regions.primary, ...env.regions.additional].map((region) => [
          region,
          `rg-cx-genai-${code}-${AZURE_REGIONS[region].code}`,
        ]),
      ),
    );
  });
});

describe('backend', () => {
  it('keeps local state in the project root, by a relative path, when config names no backend (synth only)', () => {
    const synth = synthEnvironment(exampleEnvironment('dev', { backend: undefined }));
    expect(synth.json.terraform?.['backend']).toEqual({ local: { path: '../../../terraform.dev.tfstate' } });
  });

  it.each(['dev', 'staging', 'prod'] as const)(
    '%s keeps remote state with Entra ID auth, in its own container under its own key',
    (name) => {
      const synth = synthEnvironment(exampleEnvironment(name));
      expect(synth.json.terraform?.['backend']).toEqual({
        azurerm: {
          resource_group_name: 'rg-cx-tfstate-sdc',
          storage_account_name: 'stcxtfstatesdc',
          container_name: `tfstate-${name}`,
          key: `${name}.tfstate`,
          use_azuread_auth: true,
          use_oidc: true,
        },
      });
      expect(JSON.stringify(synth.json.terraform)).not.toMatch(/access_key|sas_token/);
    },
  );

  it('takes an explicit state key, subscription and tenant from config', () => {
    const synth = synthEnvironment(
      exampleEnvironment('prod', {
        backend: {
          key: 'genai/prod.tfstate',
          subscriptionId: '11111111-1111-1111-1111-111111111111',
          tenantId: '22222222-2222-2222-2222-222222222222',
          useOidc: false,
        },
      }),
    );
    expect(synth.json.terraform?.['backend']).toEqual({
      azurerm: expect.objectContaining({
        key: 'genai/prod.tfstate',
        subscription_id: '11111111-1111-1111-1111-111111111111',
        tenant_id: '22222222-2222-2222-2222-222222222222',
        use_azuread_auth: true,
      }),
    });
    expect(JSON.stringify(synth.json.terraform?.['backend'])).not.toMatch(/use_oidc/);
  });
});

describe('tags aspect', () => {
  it("keeps a resource's own tags over the defaults, on azurerm and azapi resources alike", () => {
    const app = Testing.app();
    const stack = new PlatformStack(app, 'prod', { environment: exampleEnvironment('prod') });
    const rg = new ResourceGroup(stack, 'Extra', {
      name: 'rg-extra',
      location: 'swedencentral',
      tags: { costCenter: 'CC-TENANT' },
    });
    new UserAssignedIdentity(stack, 'Identity', {
      name: 'id-x',
      location: 'swedencentral',
      resourceGroupName: rg.name,
    });
    new AzapiTrackedResource(stack, 'Azapi', {
      type: 'Microsoft.Example/things@2024-01-01',
      name: 'thing',
      location: 'swedencentral',
      parentId: rg.id,
      body: { properties: {} },
      tags: { owner: 'tenant-team' },
    });
    new AzapiResource(stack, 'Child', {
      type: 'Microsoft.Example/things/children@2024-01-01',
      name: 'child',
      parentId: rg.id,
      body: { properties: {} },
    });
    const synth = synthesizeStack(stack);
    expect(synth.text).toHaveResourceWithProperties(ResourceGroup, {
      name: 'rg-extra',
      tags: expect.objectContaining({
        costCenter: 'CC-TENANT',
        environment: 'prod',
        owner: 'ai-platform@contoso.com',
      }),
    });
    expect(synth.text).toHaveResourceWithProperties(UserAssignedIdentity, {
      tags: expect.objectContaining({ costCenter: 'CC-4711-PRD', managedBy: MANAGED_BY }),
    });
    expect(
      synth.resources('azapi_resource').find((r) => r.config['name'] === 'thing')?.config['tags'],
    ).toMatchObject({
      owner: 'tenant-team',
      environment: 'prod',
    });
  });
});
