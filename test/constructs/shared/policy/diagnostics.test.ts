/**
 * Diagnostics coverage as rules of the pack: one table classifies every resource type, `LZ.Monitor.ResourceDiagnostics`
 * wants a setting to the environment's workspace on every target of a required type, and
 * `LZ.Monitor.DiagnosticsClassified` warns about a type nobody has classified. Both fail synth or warn like any rule,
 * can be suppressed with a reason, and land in policy.json.
 */
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { ServicePlan } from '@cdktf/provider-azurerm/lib/service-plan';
import { readPolicyReport } from '../../../../constructs/shared/policy';
import { PlatformStack } from '../../../../stacks/platform-stack';
import { evaluateStack, RawResource } from '../../../helpers/policy';
import { examplesOutput } from '../../../helpers/examples';
import { exampleEnvironment, synthesizeStack } from '../../../helpers/synth';
import {
  DIAGNOSTICS_RULES,
  DIAGNOSTICS_TABLE,
  diagnosticsClass,
} from '../../../../constructs/shared/policy/rules/diagnostics';

const [RESOURCE_DIAGNOSTICS, CLASSIFIED] = DIAGNOSTICS_RULES;

describe('the diagnostics table', () => {
  it('classifies azapi resources by ARM type and families by prefix, and says why for every entry', () => {
    expect(
      diagnosticsClass({ type: 'azapi_resource', armType: 'Microsoft.ApiManagement/service' }),
    ).toMatchObject({
      required: true,
      dedicated: true,
    });
    expect(
      diagnosticsClass({ type: 'azapi_resource', armType: 'Microsoft.ApiManagement/service/backends' }),
    ).toMatchObject({ required: false });
    expect(diagnosticsClass({ type: 'azurerm_api_management_product' })).toMatchObject({ required: false });
    expect(diagnosticsClass({ type: 'azurerm_linux_web_app' })).toBeUndefined();
    expect(diagnosticsClass({ type: 'azapi_resource' })).toBeUndefined();
    for (const [type, entry] of Object.entries(DIAGNOSTICS_TABLE))
      expect(entry.why.length, type).toBeGreaterThan(10);
  });

  it('is the one list of required types: the rule applies to exactly those', () => {
    const required = Object.entries(DIAGNOSTICS_TABLE)
      .filter(([, c]) => c.required)
      .map(([type]) => type);
    expect([...RESOURCE_DIAGNOSTICS.appliesTo].sort()).toEqual(required.sort());
    expect(CLASSIFIED.appliesTo).toEqual(['*']);
    expect(CLASSIFIED.enforcement).toBe('warning');
  });
});

describe('LZ.Monitor.ResourceDiagnostics', () => {
  const rules = [RESOURCE_DIAGNOSTICS];
  const workspace = (s: Parameters<Parameters<typeof evaluateStack>[0]>[0]) =>
    new RawResource(s, 'Workspace', 'azurerm_log_analytics_workspace', { name: 'log' });
  const setting = (
    s: Parameters<Parameters<typeof evaluateStack>[0]>[0],
    id: string,
    target: string,
    to: string,
    extra: Record<string, unknown> = {},
  ) =>
    new RawResource(s, id, 'azurerm_monitor_diagnostic_setting', {
      target_resource_id: target,
      log_analytics_workspace_id: to,
      enabled_log: [{ category_group: 'allLogs' }],
      ...extra,
    });

  it('names each target without a setting, a setting to another workspace, and a non-Dedicated one where Dedicated is required', () => {
    const evaluation = evaluateStack(
      (s) => {
        const ws = workspace(s);
        setting(s, 'WsSelf', ws.ref(), ws.ref());
        const vault = new RawResource(s, 'Vault', 'azurerm_key_vault', {});
        setting(
          s,
          'VaultElsewhere',
          vault.ref(),
          '/subscriptions/x/providers/Microsoft.OperationalInsights/workspaces/other',
        );
        const storage = new RawResource(s, 'Storage', 'azurerm_storage_account', {});
        setting(s, 'StorageAccount', storage.ref(), ws.ref());
        const gateway = new RawResource(s, 'Gateway', 'azurerm_api_management', {});
        setting(s, 'GatewayLogs', gateway.ref(), ws.ref());
        new RawResource(s, 'Group', 'azurerm_resource_group', {});
      },
      { rules },
    );
    expect(evaluation.results.map((r) => [r.address, r.status, r.detail])).toEqual([
      [
        'azurerm_api_management.Gateway',
        'fail',
        expect.stringMatching(/^azurerm_api_management\.Gateway: .*"Dedicated"/),
      ],
      [
        'azurerm_storage_account.Storage',
        'fail',
        expect.stringMatching(
          /^azurerm_storage_account\.Storage\/blobServices\/default: no diagnostic setting \(/,
        ),
      ],
      [
        'azurerm_key_vault.Vault',
        'fail',
        "azurerm_key_vault.Vault: its diagnostic setting does not send logs or metrics to the environment's workspace",
      ],
      ['azurerm_log_analytics_workspace.Workspace', 'pass', undefined],
    ]);
  });
});

describe('diagnostics at synth', () => {
  const prod = exampleEnvironment('prod');
  const stackWith = (add: (stack: PlatformStack) => void) => {
    const stack = new PlatformStack(Testing.app(), 'prod', { environment: prod });
    add(stack);
    return synthesizeStack(stack);
  };

  it('fails synth for a resource without diagnostics, with the rule, the target and the fix', () => {
    const { notes } = stackWith((stack) => {
      new KeyVault(stack, 'Undiagnosed', {
        name: 'kv-undiagnosed',
        location: 'swedencentral',
        resourceGroupName: 'rg',
        skuName: 'standard',
        tenantId: '22222222-2222-2222-2222-222222222222',
        purgeProtectionEnabled: true,
      });
    });
    expect(notes).toContainEqual({
      level: 'error',
      path: 'prod/Undiagnosed',
      message: expect.stringMatching(
        /^\[LZ\.Monitor\.ResourceDiagnostics\] .*: azurerm_key_vault\.Undiagnosed: no diagnostic setting \(AuditEvent .*Fix: Pass diagnosticSettings/,
      ),
    });
  });

  it('warns about a resource type the table does not know, and reports it in policy.json', () => {
    const { notes, policy } = stackWith((stack) => {
      new ServicePlan(stack, 'Plan', {
        name: 'asp',
        location: 'swedencentral',
        resourceGroupName: 'rg',
        osType: 'Linux',
        skuName: 'B1',
      });
    });
    expect(notes).toContainEqual({
      level: 'warning',
      path: 'prod/Plan',
      message: expect.stringContaining('resource type azurerm_service_plan is not in the diagnostics table'),
    });
    expect(notes.filter((n) => n.level === 'error')).toEqual([]);
    expect(policy.results).toContainEqual(
      expect.objectContaining({
        rule: 'LZ.Monitor.DiagnosticsClassified',
        path: 'Plan',
        status: 'fail',
        level: 'warning',
      }),
    );
    expect(policy.rules).toContainEqual(
      expect.objectContaining({ id: 'LZ.Monitor.DiagnosticsClassified', enforcement: 'warning' }),
    );
  });

  it('classifies every resource of every loaded environment, and covers every required one', () => {
    const output = examplesOutput();
    for (const id of output.stackIds) {
      const results = readPolicyReport(output, id).results.filter(
        (r) => r.rule.startsWith('LZ.Monitor.') && r.rule.includes('Diagnostics'),
      );
      expect(
        results.filter((r) => r.status !== 'pass'),
        id,
      ).toEqual([]);
      const plan = output.stack(id);
      expect(results.filter((r) => r.rule === 'LZ.Monitor.DiagnosticsClassified')).toHaveLength(
        plan.resources.length,
      );
      expect(
        results.filter((r) => r.rule === 'LZ.Monitor.ResourceDiagnostics').map((r) => r.address),
      ).toEqual(
        expect.arrayContaining(
          plan
            .byType(
              'azurerm_log_analytics_workspace',
              'azurerm_application_insights',
              'azurerm_cognitive_account',
              'azurerm_key_vault',
            )
            .map((r) => r.address),
        ),
      );
    }
  });
});
