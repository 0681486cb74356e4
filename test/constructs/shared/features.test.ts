import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { describe, expect, it } from 'vitest';
import { AzapiProvider, AzapiResource, AzapiUpdateResource } from '../../../constructs/shared/azapi';
import {
  addStandardFeatures,
  DIAGNOSTIC_SETTING_NAME,
  type FeatureTarget,
  identityBlock,
} from '../../../constructs/shared/features';
import type { StandardResourceProps } from '../../../constructs/shared/interfaces';
import { synthesizeStack } from '../../helpers/synth';

const target = {
  resourceId: '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv',
  location: 'swedencentral',
  resourceGroupName: 'rg',
  privateLinkSubresource: 'vault',
};

function synthFeatures(props: StandardResourceProps, targetOverride: Partial<FeatureTarget> = {}) {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const scope = new Construct(stack, 'Vault');
  addStandardFeatures(scope, { ...target, ...targetOverride }, props);
  return synthesizeStack(stack);
}

describe('standard features', () => {
  it('creates nothing when no feature is asked for', () => {
    expect(synthFeatures({}).resources()).toEqual([]);
  });

  it('sends all logs and metrics to the workspace', () => {
    const diag = synthFeatures({ diagnosticSettings: { workspaceId: 'ws-id' } }).only(
      'azurerm_monitor_diagnostic_setting',
    );
    expect(diag.config).toEqual({
      name: DIAGNOSTIC_SETTING_NAME,
      target_resource_id: target.resourceId,
      log_analytics_workspace_id: 'ws-id',
      enabled_log: [{ category_group: 'allLogs' }],
      enabled_metric: [{ category: 'AllMetrics' }],
    });
  });

  it('uses named categories and resource-specific tables when asked', () => {
    const diag = synthFeatures({
      diagnosticSettings: {
        workspaceId: 'ws',
        logCategories: ['AuditEvent'],
        destinationType: 'Dedicated',
        metrics: false,
      },
    }).only('azurerm_monitor_diagnostic_setting');
    expect(diag.config).toMatchObject({
      enabled_log: [{ category: 'AuditEvent' }],
      log_analytics_destination_type: 'Dedicated',
    });
    expect(diag.config['enabled_metric']).toBeUndefined();
  });

  it('sends named metric categories and no logs, for resource types that have only metrics', () => {
    const diag = synthFeatures({
      diagnosticSettings: { workspaceId: 'ws', logCategoryGroups: [], metricCategories: ['Transaction'] },
    }).only('azurerm_monitor_diagnostic_setting');
    expect(diag.config['enabled_log']).toBeUndefined();
    expect(diag.config['enabled_metric']).toEqual([{ category: 'Transaction' }]);
  });

  it('refuses a diagnostic setting that would send nothing', () => {
    expect(() =>
      synthFeatures({ diagnosticSettings: { workspaceId: 'ws', logCategoryGroups: [], metrics: false } }),
    ).toThrow(/needs at least one log category or metrics/);
  });

  it('gives every private endpoint a DNS zone group', () => {
    const pep = synthFeatures({
      privateEndpoint: { name: 'pep-kv', subnetId: 'snet-id', privateDnsZoneIds: ['zone-id'] },
    }).only('azurerm_private_endpoint');
    expect(pep.config).toMatchObject({
      name: 'pep-kv',
      subnet_id: 'snet-id',
      custom_network_interface_name: 'pep-kv-nic',
      private_service_connection: {
        is_manual_connection: false,
        private_connection_resource_id: target.resourceId,
        subresource_names: ['vault'],
      },
      private_dns_zone_group: { name: 'default', private_dns_zone_ids: ['zone-id'] },
    });
  });

  it('fails when a private endpoint has no zone, or the type has no private link', () => {
    expect(() =>
      synthFeatures({ privateEndpoint: { name: 'p', subnetId: 's', privateDnsZoneIds: [] } }),
    ).toThrow(/privateDnsZoneIds is empty; a private endpoint needs a DNS zone group/);
    expect(() =>
      synthFeatures(
        { privateEndpoint: { name: 'p', subnetId: 's', privateDnsZoneIds: ['z'] } },
        { privateLinkSubresource: undefined },
      ),
    ).toThrow(/has no private-link sub-resource/);
  });

  it('assigns roles to service principals, keyed by stable names', () => {
    const synth = synthFeatures({
      roleAssignments: {
        gateway: {
          roleDefinitionName: 'Key Vault Secrets User',
          principalId: 'p-1',
          description: 'APIM named values',
        },
        reader: { roleDefinitionName: 'Monitoring Reader', principalId: 'g-1', principalType: 'Group' },
      },
    });
    const byPrincipal = Object.fromEntries(
      synth.resources('azurerm_role_assignment').map((r) => [r.config['principal_id'], r]),
    );
    expect(byPrincipal['p-1']?.config).toEqual({
      scope: target.resourceId,
      role_definition_name: 'Key Vault Secrets User',
      principal_id: 'p-1',
      principal_type: 'ServicePrincipal',
      description: 'APIM named values',
    });
    expect(byPrincipal['p-1']?.name).toMatch(/^Vault_RoleAssignments_gateway_/);
    expect(byPrincipal['g-1']?.config['principal_type']).toBe('Group');
  });

  it('locks the resource with notes', () => {
    const lock = synthFeatures({ lock: { level: 'CanNotDelete', notes: 'prod data' } }).only(
      'azurerm_management_lock',
    );
    expect(lock.config).toEqual({
      name: 'lock-cannotdelete',
      scope: target.resourceId,
      lock_level: 'CanNotDelete',
      notes: 'prod data',
    });
  });

  it('builds the identity block', () => {
    expect(identityBlock(undefined)).toBeUndefined();
    expect(identityBlock({ systemAssigned: true })).toEqual({ type: 'SystemAssigned' });
    expect(identityBlock({ userAssignedIdentityIds: ['id-1'] })).toEqual({
      type: 'UserAssigned',
      identityIds: ['id-1'],
    });
    expect(identityBlock({ systemAssigned: true, userAssignedIdentityIds: ['id-1'] })).toEqual({
      type: 'SystemAssigned, UserAssigned',
      identityIds: ['id-1'],
    });
  });
});

describe('azapi binding', () => {
  function synthAzapi() {
    const stack = new TerraformStack(Testing.app(), 'test');
    new AzapiProvider(stack, 'azapi', { useOidc: true });
    const pool = new AzapiResource(stack, 'Pool', {
      type: 'Microsoft.ApiManagement/service/backends@2024-06-01-preview',
      name: 'pool-gpt4o',
      parentId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim',
      body: {
        properties: { type: 'Pool', pool: { services: [{ id: '/backends/a', priority: 1, weight: 100 }] } },
      },
      schemaValidationEnabled: false,
      responseExportValues: ['properties.url'],
    });
    new AzapiUpdateResource(stack, 'Patch', {
      type: 'Microsoft.ApiManagement/service@2024-06-01-preview',
      resourceId: pool.id,
      body: { properties: { publicNetworkAccess: 'Disabled' } },
      locks: [pool.id],
    });
    return synthesizeStack(stack).plan;
  }

  it('keeps ARM camelCase inside body and snake_case outside', () => {
    const plan = synthAzapi();
    expect(plan.byAddress('azapi_resource.Pool')?.config).toEqual({
      type: 'Microsoft.ApiManagement/service/backends@2024-06-01-preview',
      name: 'pool-gpt4o',
      parent_id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim',
      body: {
        properties: { type: 'Pool', pool: { services: [{ id: '/backends/a', priority: 1, weight: 100 }] } },
      },
      schema_validation_enabled: false,
      response_export_values: ['properties.url'],
    });
    expect(plan.byAddress('azapi_update_resource.Patch')?.config).toEqual({
      type: 'Microsoft.ApiManagement/service@2024-06-01-preview',
      resource_id: '${azapi_resource.Pool.id}',
      body: { properties: { publicNetworkAccess: 'Disabled' } },
      locks: ['${azapi_resource.Pool.id}'],
    });
  });

  it('declares the provider with its registry source and snake_case settings', () => {
    const plan = synthAzapi();
    expect(plan.json.terraform?.required_providers?.['azapi']).toEqual({
      source: 'Azure/azapi',
      version: '2.12.0',
    });
    expect(plan.json.provider?.['azapi']).toEqual([{ use_oidc: true }]);
  });
});
