/**
 * Example suite: the suppressions and the data protection of the shipped environments, pinned. The invariants (no
 * failure, no problem, every suppression with a reason, every stateful resource locked and kept where protection is
 * on) run over every loaded stack in test/stacks/governance.test.ts; an adopter whose environments differ sees this
 * suite skipped and writes their own list if they want one.
 */
import { expect, it } from 'vitest';
import { readPolicyReport } from '../../constructs/shared/policy';
import { FOUNDRY_MANAGED_NETWORK } from '../../constructs/shared/paths';
import { exampleEnvironment } from '../helpers/synth';
import { examplesOutput } from '../helpers/examples';
import { describeExamples } from './shipped';

/** Every suppression of an example stage besides Foundry's declared assumptions: rule, resource, origin. */
const EXPECTED_SUPPRESSIONS = {
  staging: [
    ['LZ.APIM.BackendCircuitBreaker', 'Gateway/ContentSafetyBackend', 'code'],
    ['LZ.APIM.BackendCircuitBreaker', 'Gateway/LanguageBackend', 'code'],
    ['LZ.APIM.NamedValuesFromKeyVault', 'Gateway/LanguageEndpoint', 'code'],
    ['LZ.APIM.NamedValuesFromKeyVault', 'Gateway/UsageLedgerDeployments-1', 'code'],
    ['LZ.APIM.PolicyBase', 'Gateway/InferenceApi/Policy', 'code'],
    ['LZ.NSG.DenyAllInbound', 'Network/francecentral/Nsg-appIntegration', 'code'],
    ['LZ.NSG.DenyAllInbound', 'Network/swedencentral/Nsg-appIntegration', 'code'],
    ['LZ.Redis.AccessKeysDisabled', 'SemanticCache/Database', 'code'],
  ],
  prod: [
    ['LZ.APIM.BackendCircuitBreaker', 'Gateway/ContentSafetyBackend', 'code'],
    ['LZ.APIM.BackendCircuitBreaker', 'Gateway/ContentSafetyBackend-francecentral', 'code'],
    ['LZ.APIM.BackendCircuitBreaker', 'Gateway/LanguageBackend', 'code'],
    ['LZ.APIM.NamedValuesFromKeyVault', 'Gateway/LanguageEndpoint', 'code'],
    ['LZ.APIM.NamedValuesFromKeyVault', 'Gateway/UsageLedgerDeployments-1', 'code'],
    ['LZ.APIM.PolicyBase', 'Gateway/InferenceApi/Policy', 'code'],
    ['LZ.NSG.DenyAllInbound', 'Network/francecentral/Nsg-appIntegration', 'code'],
    ['LZ.NSG.DenyAllInbound', 'Network/germanywestcentral/Nsg-appIntegration', 'code'],
    ['LZ.NSG.DenyAllInbound', 'Network/swedencentral/Nsg-appIntegration', 'code'],
    ['LZ.NSG.ManagementPorts', 'Network/francecentral/Nsg-ingress', 'code'],
    ['LZ.NSG.ManagementPorts', 'Network/swedencentral/Nsg-ingress', 'code'],
    ['LZ.PublicIP.Justified', 'Gateway/ManagementPublicIp', 'code'],
    ['LZ.PublicIP.Justified', 'Gateway/ManagementPublicIp-francecentral', 'code'],
    ['LZ.PublicIP.Justified', 'Ingress-francecentral/PublicIp', 'code'],
    ['LZ.PublicIP.Justified', 'Ingress-swedencentral/PublicIp', 'code'],
    ['LZ.Redis.AccessKeysDisabled', 'SemanticCache/Database', 'code'],
  ],
} as const;

describeExamples('the shipped examples’ governance', () => {
  it.each(['staging', 'prod'] as const)('%s suppresses only the listed rules, all in code', (name) => {
    const policy = readPolicyReport(examplesOutput(), name);
    const suppressed = policy.results.filter(
      (r) => r.status === 'suppressed' && r.origin !== FOUNDRY_MANAGED_NETWORK.origin,
    );
    expect(suppressed.map((r) => [r.rule, r.path, r.origin])).toEqual(EXPECTED_SUPPRESSIONS[name]);
    expect(policy.results.filter((r) => r.status === 'pass').length).toBeGreaterThan(200);
  });

  it.each(['staging', 'prod'] as const)(
    '%s declares six Foundry connections to private callees as assumptions (name resolution and route each)',
    (name) => {
      // The tenant project's gateway, telemetry and prompts; the platform project's telemetry, prompts and Content
      // Safety (Application Insights is private behind the Private Link Scope).
      const policy = readPolicyReport(examplesOutput(), name);
      const managed = policy.results.filter((r) => r.origin === FOUNDRY_MANAGED_NETWORK.origin);
      expect(managed.map((r) => r.rule).sort()).toEqual([
        ...Array<string>(6).fill('LZ.Path.NameResolution'),
        ...Array<string>(6).fill('LZ.Path.Route'),
      ]);
    },
  );

  it('dev weakens its defaults only where its config says why', () => {
    const policy = readPolicyReport(examplesOutput(), 'dev');
    const origins = new Set(policy.results.filter((r) => r.status === 'suppressed').map((r) => r.origin));
    expect([...origins].sort()).toEqual([
      'code',
      'gateway.logging.llmMessages',
      'governance.suppressions[0]',
      'governance.suppressions[1]',
      'keyVault.disablePurgeProtection',
      'network.publicNetworkAccess',
      'protection.deleteLocks',
      'protection.preventDestroy',
    ]);
    const network = exampleEnvironment('dev').network.publicNetworkAccess;
    expect(policy.results.find((r) => r.rule === 'LZ.KeyVault.PublicNetworkAccess')?.reason).toBe(
      network.enabled ? network.reason : undefined,
    );
  });

  it('prod keeps its nine stateful resources besides the containers from destroy', () => {
    // The platform's vault, prompt library, workspace, three model accounts and the Foundry resource, and the research
    // tenant's dedicated vault and account.
    const stateful = examplesOutput()
      .stack('prod')
      .resources.filter(
        (r) =>
          ['azurerm_key_vault', 'azurerm_storage_account', 'azurerm_log_analytics_workspace'].includes(
            r.type,
          ) ||
          (r.type === 'azurerm_cognitive_account' &&
            !['ContentSafety', 'TextAnalytics'].includes(String(r.config['kind']))),
      );
    expect(stateful.length).toBe(9);
    for (const resource of stateful) {
      expect(resource.config['lifecycle'], resource.path).toMatchObject({ prevent_destroy: true });
    }
  });

  it('dev stays easy to tear down: no lock, nothing kept from destroy', () => {
    const dev = examplesOutput().stack('dev');
    expect(dev.resources.filter((r) => r.type === 'azurerm_management_lock')).toEqual([]);
    expect(
      dev.resources
        .filter((r) => JSON.stringify(r.config['lifecycle'] ?? {}).includes('prevent_destroy'))
        .map((r) => r.path),
    ).toEqual([]);
  });
});
