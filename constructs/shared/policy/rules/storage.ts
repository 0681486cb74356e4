/** Storage accounts and containers. Sources: checkov CKV_AZURE_3/34/35/36/44/59/190/206/244, CKV2_AZURE_33/38/40/47, PSRule Azure.Storage.*. */
import { field } from '../../plan';
import { check, rule } from '../rule';
import { privateEndpointsOf } from './common';

const ACCOUNT = 'azurerm_storage_account';

export const STORAGE_RULES = [
  rule({
    id: 'LZ.Storage.SecureTransfer',
    title: 'Storage accepts HTTPS only',
    severity: 'high',
    appliesTo: [ACCOUNT],
    sources: ['CKV_AZURE_3 (azurerm 4.x https_traffic_only_enabled)', 'Azure.Storage.SecureTransfer'],
    fix: 'Set https_traffic_only_enabled = true.',
    check: (r) =>
      check(
        r.config['https_traffic_only_enabled'] !== false && r.config['enable_https_traffic_only'] !== false,
        'HTTP is allowed',
      ),
  }),
  rule({
    id: 'LZ.Storage.MinTls',
    title: 'Storage refuses TLS older than 1.2',
    severity: 'high',
    appliesTo: [ACCOUNT],
    sources: ['CKV_AZURE_44', 'Azure.Storage.MinTLS'],
    fix: 'Set min_tls_version = "TLS1_2".',
    check: (r) =>
      check(
        ['TLS1_2', 'TLS1_3'].includes(String(r.config['min_tls_version'])),
        `min_tls_version is ${JSON.stringify(r.config['min_tls_version'])}`,
      ),
  }),
  rule({
    id: 'LZ.Storage.BlobPublicAccess',
    title: 'No blob can be made public',
    severity: 'high',
    appliesTo: [ACCOUNT],
    sources: ['CKV_AZURE_190', 'CKV2_AZURE_47', 'Azure.Storage.BlobPublicAccess'],
    fix: 'Set allow_nested_items_to_be_public = false.',
    check: (r) =>
      check(
        r.config['allow_nested_items_to_be_public'] === false,
        'allow_nested_items_to_be_public is not false',
      ),
  }),
  rule({
    id: 'LZ.Storage.SharedKey',
    title: 'Storage accepts Entra ID only (no shared keys, no SAS)',
    severity: 'high',
    appliesTo: [ACCOUNT],
    sources: ['CKV2_AZURE_40', 'CKV2_AZURE_41 (no SAS at all)'],
    fix: 'Set shared_access_key_enabled = false (the provider then needs storage_use_azuread).',
    check: (r) =>
      check(r.config['shared_access_key_enabled'] === false, 'shared_access_key_enabled is not false'),
  }),
  rule({
    id: 'LZ.Storage.LocalUsers',
    title: 'Storage has no local (SFTP) users',
    severity: 'medium',
    appliesTo: [ACCOUNT],
    sources: ['CKV_AZURE_244'],
    fix: 'Set local_user_enabled = false (azurerm defaults it to true).',
    check: (r) => check(r.config['local_user_enabled'] === false, 'local_user_enabled is not false'),
  }),
  rule({
    id: 'LZ.Storage.PublicNetworkAccess',
    title: 'Storage refuses traffic from public networks',
    severity: 'high',
    appliesTo: [ACCOUNT],
    sources: ['CKV_AZURE_59'],
    fix: 'Set public_network_access_enabled = false and use the private endpoint.',
    check: (r) =>
      check(
        r.config['public_network_access_enabled'] === false,
        'public_network_access_enabled is not false',
      ),
  }),
  rule({
    id: 'LZ.Storage.Firewall',
    title: 'The storage firewall denies by default and lets trusted Azure services through',
    severity: 'high',
    appliesTo: [ACCOUNT],
    sources: ['CKV_AZURE_35', 'CKV_AZURE_36', 'Azure.Storage.Firewall'],
    fix: 'Set network_rules.default_action = "Deny" with bypass ["AzureServices"].',
    check: (r) => {
      const action = field(r.config, 'network_rules.default_action');
      const bypass = field(r.config, 'network_rules.bypass');
      if (action !== 'Deny') return check(false, 'network_rules.default_action is not Deny');
      return check(
        Array.isArray(bypass) && bypass.includes('AzureServices'),
        'trusted Azure services cannot pass',
      );
    },
  }),
  rule({
    id: 'LZ.Storage.PrivateEndpoint',
    title: 'Storage is reached through a private endpoint',
    severity: 'high',
    appliesTo: [ACCOUNT],
    sources: ['CKV2_AZURE_33'],
    fix: 'Give the account a private endpoint for the blob service.',
    check: (r, plan) => check(privateEndpointsOf(plan, r).length > 0, 'no private endpoint connects to it'),
  }),
  rule({
    id: 'LZ.Storage.BlobSoftDelete',
    title: 'Deleted and overwritten blobs stay recoverable',
    severity: 'medium',
    appliesTo: [ACCOUNT],
    sources: ['CKV2_AZURE_38', 'Azure.Storage.SoftDelete'],
    fix: 'Set blob_properties.delete_retention_policy.days (promptLibrary.blobSoftDeleteRetentionInDays).',
    check: (r) =>
      check(
        Number(field(r.config, 'blob_properties.delete_retention_policy.days') ?? 0) > 0,
        'no blob soft delete',
      ),
  }),
  rule({
    id: 'LZ.Storage.ContainerSoftDelete',
    title: 'Deleted containers stay recoverable',
    severity: 'medium',
    appliesTo: [ACCOUNT],
    sources: ['Azure.Storage.ContainerSoftDelete'],
    fix: 'Set blob_properties.container_delete_retention_policy.days.',
    check: (r) =>
      check(
        Number(field(r.config, 'blob_properties.container_delete_retention_policy.days') ?? 0) > 0,
        'no container soft delete',
      ),
  }),
  rule({
    id: 'LZ.Storage.GeoReplication',
    title: 'Storage is replicated to a second region',
    severity: 'medium',
    appliesTo: [ACCOUNT],
    sources: ['CKV_AZURE_206', 'Azure.Storage.UseReplication'],
    fix: 'Use GZRS (or GRS, RAGRS, RAGZRS) replication (promptLibrary.replication).',
    check: (r) =>
      check(
        ['GRS', 'RAGRS', 'GZRS', 'RAGZRS'].includes(String(r.config['account_replication_type'])),
        `replication is ${String(r.config['account_replication_type'])}`,
      ),
  }),
  rule({
    id: 'LZ.Storage.PrivateContainers',
    title: 'Containers are private',
    severity: 'high',
    appliesTo: ['azurerm_storage_container'],
    sources: ['CKV_AZURE_34', 'Azure.Storage.BlobAccessType'],
    fix: 'Set container_access_type = "private".',
    check: (r) =>
      check(
        (r.config['container_access_type'] ?? 'private') === 'private',
        `container_access_type is ${String(r.config['container_access_type'])}`,
      ),
  }),
] as const;
