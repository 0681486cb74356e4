import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { ServicePlan } from '@cdktf/provider-azurerm/lib/service-plan';
import {
  coverageRule,
  DIAGNOSTICS_TABLE,
  diagnosticsCoverage,
  type StackDiagnosticSetting,
  type StackResource,
} from '../../../constructs/monitoring';
import { PlatformStack } from '../../../stacks/platform-stack';
import { exampleEnvironment, type Synthesized, synthEnvironment } from '../../helpers/synth';

/** Resources and diagnostic settings of a synthesized stack, read from its Terraform JSON. */
function coverageOf(synth: Synthesized) {
  const resources: StackResource[] = synth.resources().map((r) => ({
    type: r.type,
    address: r.address,
    ...(r.type === 'azapi_resource' ? { armType: String(r.config['type']) } : {}),
  }));
  const settings: StackDiagnosticSetting[] = synth
    .resources('azurerm_monitor_diagnostic_setting')
    .map((r) => ({
      address: r.address,
      target: String(r.config['target_resource_id']),
      workspace: String(r.config['log_analytics_workspace_id']),
      ...(r.config['log_analytics_destination_type']
        ? { destinationType: String(r.config['log_analytics_destination_type']) }
        : {}),
    }));
  return diagnosticsCoverage(resources, settings, synth.only('azurerm_log_analytics_workspace').address);
}

/**
 * Every resource of each example stack is classified by the table in constructs/monitoring/diagnostics-coverage.ts
 * (required: resource logs or wanted metrics; exempt: no settings, child resources, metrics-only types), and every
 * required one sends its diagnostics to the environment's workspace.
 */
describe.each(['dev', 'staging', 'prod'] as const)('diagnostics coverage of %s', (name) => {
  const synth = synthEnvironment(exampleEnvironment(name));
  const report = coverageOf(synth);

  it('classifies every resource type of the stack', () => {
    expect(report.unclassified).toEqual([]);
  });

  it('reaches 100%: every resource that supports diagnostic settings writes to the workspace', () => {
    expect(report.missing).toEqual([]);
    expect(report.percent).toBe(100);
    expect(report.covered).toEqual(
      expect.arrayContaining([
        synth.only('azurerm_log_analytics_workspace').address,
        synth.only('azurerm_application_insights').address,
        ...synth.resources('azurerm_cognitive_account').map((r) => r.address),
      ]),
    );
  });
});

describe('diagnosticsCoverage', () => {
  const ws = 'azurerm_log_analytics_workspace.ws';
  const apim: StackResource = { type: 'azurerm_api_management', address: 'azurerm_api_management.gw' };

  it('counts a missing setting, a setting to another workspace, and a non-Dedicated one where Dedicated is required', () => {
    const kv: StackResource = { type: 'azurerm_key_vault', address: 'azurerm_key_vault.kv' };
    const st: StackResource = { type: 'azurerm_storage_account', address: 'azurerm_storage_account.st' };
    const report = diagnosticsCoverage(
      [kv, st, apim, { type: 'azurerm_resource_group', address: 'azurerm_resource_group.rg' }],
      [
        {
          address: 'd1',
          target: '${azurerm_key_vault.kv.id}',
          workspace: '${azurerm_log_analytics_workspace.other.id}',
        },
        { address: 'd2', target: '${azurerm_storage_account.st.id}', workspace: `\${${ws}.id}` },
        { address: 'd3', target: '${azurerm_api_management.gw.id}', workspace: `\${${ws}.id}` },
      ],
      ws,
    );
    expect(report.covered).toEqual(['azurerm_storage_account.st']);
    expect(report.missing.map((m) => [m.address, m.problem])).toEqual([
      ['azurerm_key_vault.kv', "its diagnostic setting does not write to the environment's workspace"],
      ['azurerm_storage_account.st', expect.stringMatching(/^no diagnostic setting/)],
      ['azurerm_api_management.gw', expect.stringMatching(/Dedicated/)],
    ]);
    expect(report.missing[1]!.target).toBe('${azurerm_storage_account.st.id}/blobServices/default');
    expect(report.percent).toBe(25);
  });

  it('classifies azapi resources by ARM type and families by prefix; documents why each exemption holds', () => {
    expect(
      coverageRule({ type: 'azapi_resource', armType: 'Microsoft.ApiManagement/service@2024-06-01-preview' }),
    ).toMatchObject({ required: true, dedicated: true });
    expect(
      coverageRule({
        type: 'azapi_resource',
        armType: 'Microsoft.ApiManagement/service/backends@2024-06-01-preview',
      }),
    ).toMatchObject({ required: false });
    expect(coverageRule({ type: 'azurerm_api_management_product' })).toMatchObject({ required: false });
    expect(coverageRule({ type: 'azurerm_linux_web_app' })).toBeUndefined();
    for (const [type, rule] of Object.entries(DIAGNOSTICS_TABLE))
      expect(rule.why.length, type).toBeGreaterThan(10);
  });
});

describe('DiagnosticsCoverageAspect', () => {
  function stackWith(add: (stack: PlatformStack) => void) {
    const stack = new PlatformStack(Testing.app(), 'prod', { environment: exampleEnvironment('prod') });
    add(stack);
    Testing.synth(stack);
    return stack.node
      .findAll()
      .flatMap((node) => node.node.metadata.map((m) => ({ type: m.type, data: String(m.data) })));
  }

  it('fails synth for a resource without diagnostics', () => {
    const annotations = stackWith((stack) => {
      new KeyVault(stack, 'Vault', {
        name: 'kv-undiagnosed',
        location: 'swedencentral',
        resourceGroupName: 'rg',
        skuName: 'standard',
        tenantId: '22222222-2222-2222-2222-222222222222',
      });
    });
    expect(annotations).toContainEqual({
      type: '@cdktf/error',
      data: expect.stringMatching(
        /^diagnostics: azurerm_key_vault\.Vault: no diagnostic setting \(AuditEvent/,
      ),
    });
  });

  it('warns about a resource type the table does not know', () => {
    const annotations = stackWith((stack) => {
      new ServicePlan(stack, 'Plan', {
        name: 'asp',
        location: 'swedencentral',
        resourceGroupName: 'rg',
        osType: 'Linux',
        skuName: 'B1',
      });
    });
    expect(annotations).toContainEqual({
      type: '@cdktf/warn',
      data: expect.stringContaining('resource type azurerm_service_plan is not in the diagnostics table'),
    });
    expect(annotations.filter((a) => a.type === '@cdktf/error')).toEqual([]);
  });
});
