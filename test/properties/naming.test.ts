/**
 * The naming function, fuzzed: whatever the inputs, a name it accepts also passes Azure's documented rule (an
 * independent oracle), and a name it rejects comes with a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkName, composeName, type ResourceKind } from '../../constructs/shared/naming';
import { AZURE_REGION_NAMES } from '../../constructs/shared/regions';
import { AZURE_NAME_RULES, AZURE_OTHER_RULES } from '../helpers/azure-rules';

/** Naming kinds and the Terraform type whose documented rule applies. */
const KIND_TO_TYPE: Partial<Record<ResourceKind, string>> = {
  customSubdomain: 'customSubdomain',
  resourceGroup: 'azurerm_resource_group',
  keyVault: 'azurerm_key_vault',
  storageAccount: 'azurerm_storage_account',
  aiServicesAccount: 'cognitiveAccountName',
  openAiAccount: 'cognitiveAccountName',
  contentSafetyAccount: 'cognitiveAccountName',
  apiManagement: 'azurerm_api_management',
  logAnalyticsWorkspace: 'azurerm_log_analytics_workspace',
  virtualNetwork: 'azurerm_virtual_network',
  networkSecurityGroup: 'azurerm_network_security_group',
  privateEndpoint: 'azurerm_private_endpoint',
  publicIp: 'azurerm_public_ip',
  userAssignedIdentity: 'azurerm_user_assigned_identity',
};

const token = (max: number) =>
  fc.string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.AZ'.split('')),
    minLength: 0,
    maxLength: max,
  });

describe('composeName and checkName', () => {
  it('accept only names that Azure accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.record({
          kind: fc.constantFrom(...(Object.keys(KIND_TO_TYPE) as ResourceKind[])),
          prefix: token(6),
          workload: token(12),
          environment: token(6),
          region: fc.constantFrom(...AZURE_REGION_NAMES),
          qualifier: fc.option(token(14), { nil: undefined }),
          instance: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
        }),
        (input) => {
          const name = composeName(input);
          const problems = checkName(input.kind, name);
          const type = KIND_TO_TYPE[input.kind]!;
          const oracle = (AZURE_NAME_RULES[type] ?? AZURE_OTHER_RULES[type])!;
          if (problems.length === 0) {
            accepted += 1;
            expect(oracle(name), `${input.kind} "${name}"`).toBe(true);
          } else {
            expect(problems.every((p) => p.length > 0)).toBe(true);
          }
        },
      ),
      { seed: 7, numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(200);
  });
});
