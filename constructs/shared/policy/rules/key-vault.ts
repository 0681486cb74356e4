/** Key Vault. Sources: checkov CKV_AZURE_42/109/110/111/189, CKV2_AZURE_32, PSRule Azure.KeyVault.*. */
import { blocks, field } from '../../plan';
import { check, rule } from '../rule';
import { diagnosticSettingsOf, privateEndpointsOf } from './common';

const VAULT = 'azurerm_key_vault';

export const KEY_VAULT_RULES = [
  rule({
    id: 'LZ.KeyVault.PurgeProtection',
    title: 'Key Vaults have purge protection',
    severity: 'high',
    appliesTo: [VAULT],
    sources: ['CKV_AZURE_110', 'CKV_AZURE_42', 'Azure.KeyVault.PurgeProtect'],
    fix: 'Set purge_protection_enabled = true (keyVault.disablePurgeProtection off).',
    check: (r) =>
      check(r.config['purge_protection_enabled'] === true, 'purge_protection_enabled is not true'),
  }),
  rule({
    id: 'LZ.KeyVault.SoftDelete',
    title: 'Deleted vaults stay recoverable for 7 to 90 days',
    severity: 'medium',
    appliesTo: [VAULT],
    sources: [
      'CKV_AZURE_111',
      'Azure.KeyVault.SoftDelete (always on in azurerm 4.x; the retention is what remains to check)',
    ],
    fix: 'Set soft_delete_retention_days between 7 and 90 (90 in prod).',
    check: (r) => {
      const days = r.config['soft_delete_retention_days'];
      return check(
        typeof days === 'number' && days >= 7 && days <= 90,
        `soft_delete_retention_days is ${JSON.stringify(days)}`,
      );
    },
  }),
  rule({
    id: 'LZ.KeyVault.Rbac',
    title: 'Key Vaults authorize data access with Azure RBAC',
    severity: 'high',
    appliesTo: [VAULT],
    sources: [
      'Azure.KeyVault.RBAC (azurerm 4.42+ rbac_authorization_enabled; enable_rbac_authorization before)',
    ],
    fix: 'Set rbac_authorization_enabled = true and grant data roles with role assignments.',
    check: (r) =>
      check(
        r.config['rbac_authorization_enabled'] === true || r.config['enable_rbac_authorization'] === true,
        'RBAC authorization is off (access policies decide)',
      ),
  }),
  rule({
    id: 'LZ.KeyVault.NoAccessPolicies',
    title: 'Key Vaults grant nothing through access policies',
    severity: 'medium',
    appliesTo: [VAULT],
    sources: [
      'Azure.KeyVault.AccessPolicy (least privilege; with RBAC, access policies are ignored and misleading)',
    ],
    fix: 'Remove access_policy blocks and azurerm_key_vault_access_policy resources; use role assignments.',
    check: (r, plan) => {
      const inline = blocks(r.config['access_policy']).length;
      const standalone = plan
        .byType('azurerm_key_vault_access_policy')
        .filter((p) => plan.refersTo(p.config['key_vault_id'], r)).length;
      return check(
        inline + standalone === 0,
        `${inline + standalone} access polic${inline + standalone === 1 ? 'y' : 'ies'}`,
      );
    },
  }),
  rule({
    id: 'LZ.KeyVault.PublicNetworkAccess',
    title: 'Key Vaults refuse traffic from public networks',
    severity: 'high',
    appliesTo: [VAULT],
    sources: ['CKV_AZURE_189'],
    fix: 'Set public_network_access_enabled = false and reach the vault through its private endpoint.',
    check: (r) =>
      check(
        r.config['public_network_access_enabled'] === false,
        'public_network_access_enabled is not false',
      ),
  }),
  rule({
    id: 'LZ.KeyVault.Firewall',
    title: 'The Key Vault firewall denies by default',
    severity: 'high',
    appliesTo: [VAULT],
    sources: ['CKV_AZURE_109', 'Azure.KeyVault.Firewall'],
    fix: 'Set network_acls.default_action = "Deny".',
    check: (r) =>
      check(
        field(r.config, 'network_acls.default_action') === 'Deny',
        'network_acls.default_action is not Deny',
      ),
  }),
  rule({
    id: 'LZ.KeyVault.PrivateEndpoint',
    title: 'Key Vaults are reached through a private endpoint',
    severity: 'high',
    appliesTo: [VAULT],
    sources: ['CKV2_AZURE_32'],
    fix: 'Give the vault a private endpoint in the environment network.',
    check: (r, plan) => check(privateEndpointsOf(plan, r).length > 0, 'no private endpoint connects to it'),
  }),
  rule({
    id: 'LZ.KeyVault.AuditLogs',
    title: 'Every Key Vault access is logged to Log Analytics',
    severity: 'high',
    appliesTo: [VAULT],
    sources: ['Azure.KeyVault.Logs'],
    fix: 'Add a diagnostic setting with the AuditEvent category (or the audit/allLogs group) to the workspace.',
    check: (r, plan) =>
      check(
        diagnosticSettingsOf(plan, r).some(
          (s) =>
            typeof s.config['log_analytics_workspace_id'] === 'string' &&
            blocks(s.config['enabled_log']).some(
              (log) =>
                log['category'] === 'AuditEvent' ||
                ['audit', 'allLogs'].includes(String(log['category_group'])),
            ),
        ),
        'no diagnostic setting sends AuditEvent to a workspace',
      ),
  }),
] as const;
