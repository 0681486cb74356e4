import { TerraformStack, Testing } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { describe, expect, it } from 'vitest';
import { AzapiProvider } from '../../../constructs/shared/azapi';
import { SEMANTIC_CACHE_SECRET, SemanticCache } from '../../../constructs/semantic-cache';
import { body, field } from '../../../constructs/shared/plan';
import { synthesizeStack } from '../../helpers/synth';

const RG = '/subscriptions/s/resourceGroups/rg-x';
const KV = `${RG}/providers/Microsoft.KeyVault/vaults/kv-x`;
const ZONE =
  '/subscriptions/s/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.redis.azure.net';

function build(props: Partial<ConstructorParameters<typeof SemanticCache>[2]> = {}) {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  new AzapiProvider(stack, 'azapi');
  new SemanticCache(stack, 'SemanticCache', {
    cache: {
      mode: 'create',
      name: 'amr-x-prd-sdc',
      location: 'swedencentral',
      resourceGroupId: RG,
      resourceGroupName: 'rg-x',
      sku: 'Balanced_B1',
      highAvailability: true,
    },
    keyVaultId: KV,
    diagnosticSettings: { workspaceId: `${RG}/providers/Microsoft.OperationalInsights/workspaces/log-x` },
    privateEndpoint: { name: 'pep-x-amr', subnetId: `${RG}/subnets/snet-pep`, privateDnsZoneIds: [ZONE] },
    lock: { level: 'CanNotDelete', notes: 'prod data protection' },
    ...props,
  });
  return synthesizeStack(stack);
}

describe('SemanticCache', () => {
  const synth = build();
  const cache = synth.only('Microsoft.Cache/redisEnterprise');
  const database = synth.only('Microsoft.Cache/redisEnterprise/databases');

  it('builds Azure Managed Redis with RediSearch as the semantic cache needs it: Enterprise clustering, NoEviction', () => {
    expect(field(body(database), 'properties')).toMatchObject({
      modules: [{ name: 'RediSearch' }],
      clusteringPolicy: 'EnterpriseCluster',
      evictionPolicy: 'NoEviction',
      port: 10000,
    });
    expect(database.config['parent_id']).toBe(`\${${cache.address}.id}`);
  });

  it('is TLS only, private, highly available, locked and logged', () => {
    expect(body(cache)).toMatchObject({
      sku: { name: 'Balanced_B1' },
      properties: { minimumTlsVersion: '1.2', publicNetworkAccess: 'Disabled', highAvailability: 'Enabled' },
    });
    expect(field(body(database), 'properties.clientProtocol')).toBe('Encrypted');
    const pe = synth.only('azurerm_private_endpoint');
    expect(pe.config).toMatchObject({
      private_service_connection: { subresource_names: ['redisEnterprise'] },
      private_dns_zone_group: { private_dns_zone_ids: [ZONE] },
    });
    expect(field(pe.config, 'private_service_connection.private_connection_resource_id')).toBe(
      `\${${cache.address}.id}`,
    );
    expect(synth.only('azurerm_management_lock').config['scope']).toBe(`\${${cache.address}.id}`);
    const settings = synth.resources('azurerm_monitor_diagnostic_setting');
    expect(settings.map((s) => [s.config['target_resource_id'], s.config['enabled_log'] ?? null])).toEqual([
      [`\${${cache.address}.id}`, null],
      [`\${${database.address}.id}`, [{ category: 'ConnectionEvents' }]],
    ]);
  });

  it('keeps access keys on: API Management has no other way in', () => {
    expect(field(body(database), 'properties.accessKeysAuthentication')).toBe('Enabled');
  });

  it('writes the connection string into Key Vault from an ephemeral listKeys: never into state or the plan', () => {
    const secret = synth.only('Microsoft.KeyVault/vaults/secrets');
    expect(secret.config).toMatchObject({ name: SEMANTIC_CACHE_SECRET, parent_id: KV });
    expect(JSON.stringify(secret.config['body'])).not.toContain('password');
    const action = synth.plan.dataSources.find((d) =>
      d.address.startsWith('ephemeral.azapi_resource_action.'),
    )!;
    expect(action.config).toMatchObject({
      action: 'listKeys',
      resource_id: `\${${database.address}.id}`,
      response_export_values: ['primaryKey'],
    });
    expect(field(secret.config['sensitive_body'], 'properties.value')).toBe(
      `amr-x-prd-sdc.swedencentral.redis.azure.net:10000,password=\${${action.address}.output.primaryKey},ssl=True,abortConnect=False`,
    );
    expect(secret.config['sensitive_body_version']).toEqual({ 'properties.value': '1' });
    expect(synth.plan.unresolvedReferences(secret)).toEqual([]);
    // No resource of the plan exports or holds a key.
    expect(
      synth
        .resources()
        .filter((r) => /primary_access_key|primaryKey/.test(JSON.stringify(r.config)))
        .map((r) => r.address),
    ).toEqual([secret.address]);
  });

  it('rewrites the secret when the version is bumped after a key regeneration', () => {
    const secret = build({ connectionSecretVersion: 3 }).only('Microsoft.KeyVault/vaults/secrets');
    expect(secret.config['sensitive_body_version']).toEqual({ 'properties.value': '3' });
  });

  it('uses an existing Managed Redis without building one, and refuses a classic Redis id', () => {
    const existing = build({
      cache: {
        mode: 'existing',
        resourceId:
          '/subscriptions/s/resourceGroups/rg-c/providers/Microsoft.Cache/redisEnterprise/amr-shared',
        location: 'westeurope',
      },
    });
    expect(existing.resources('Microsoft.Cache/redisEnterprise')).toEqual([]);
    expect(existing.resources('azurerm_private_endpoint')).toEqual([]);
    expect(
      String(
        field(
          existing.only('Microsoft.KeyVault/vaults/secrets').config['sensitive_body'],
          'properties.value',
        ),
      ),
    ).toMatch(/^amr-shared\.westeurope\.redis\.azure\.net:10000,password=/);
    expect(() =>
      build({
        cache: {
          mode: 'existing',
          resourceId: '/subscriptions/s/resourceGroups/rg-c/providers/Microsoft.Cache/redis/classic',
          location: 'westeurope',
        },
      }),
    ).toThrow(/not the ARM id of an Azure Managed Redis .*needs RediSearch/);
  });
});
