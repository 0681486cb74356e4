import { TerraformStack, Testing } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { describe, expect, it } from 'vitest';
import { PromptLibrary } from '../../../constructs/prompt-library';
import { exampleEnvironment, synthesizeStack, synthEnvironment } from '../../helpers/synth';
import { PRIVATE_DNS_ZONES } from '../../../constructs/shared/catalog';

const ref = (address: string, attribute = 'id') => `\${${address}.${attribute}}`;

const HARDENED = {
  account_kind: 'StorageV2',
  https_traffic_only_enabled: true,
  min_tls_version: 'TLS1_2',
  shared_access_key_enabled: false,
  default_to_oauth_authentication: true,
  allow_nested_items_to_be_public: false,
  public_network_access_enabled: false,
  cross_tenant_replication_enabled: false,
  infrastructure_encryption_enabled: true,
  local_user_enabled: false,
  sftp_enabled: false,
  network_rules: {
    default_action: 'Deny',
    bypass: ['AzureServices'],
    ip_rules: [],
    virtual_network_subnet_ids: [],
  },
};

describe.each([
  ['staging', 'GZRS', 30],
  ['prod', 'GZRS', 90],
] as const)('%s prompt library', (name, replication, retention) => {
  const synth = synthEnvironment(exampleEnvironment(name));
  const account = synth.only('azurerm_storage_account');

  it('is key-less, TLS 1.2, private, deny-by-default, with infrastructure encryption', () => {
    expect(account.config).toMatchObject({
      ...HARDENED,
      name: `stcxgenai${name === 'prod' ? 'prd' : 'stg'}sdcpl`,
      account_replication_type: replication,
    });
  });

  it('keeps every change: versioning, change feed, blob and container soft delete', () => {
    expect(account.config['blob_properties']).toMatchObject({
      versioning_enabled: true,
      change_feed_enabled: true,
      delete_retention_policy: { days: retention, permanent_delete_enabled: false },
      container_delete_retention_policy: { days: retention },
    });
  });

  it('has a private endpoint on the blob service, registered in the blob zone', () => {
    const endpoint = synth
      .resources('azurerm_private_endpoint')
      .find(
        (e) =>
          (e.config['private_service_connection'] as { private_connection_resource_id: string })
            .private_connection_resource_id === ref(account.address),
      )!;
    const zone = synth
      .resources('azurerm_private_dns_zone')
      .find((z) => z.config['name'] === PRIVATE_DNS_ZONES.blob)!;
    expect(endpoint.config).toMatchObject({
      private_service_connection: { subresource_names: ['blob'] },
      private_dns_zone_group: { private_dns_zone_ids: [ref(zone.address)] },
    });
  });

  it('sends account metrics, and blob read, write and delete logs, to the workspace', () => {
    const workspace = ref(synth.only('azurerm_log_analytics_workspace').address);
    const settings = synth.resources('azurerm_monitor_diagnostic_setting');
    const accountLevel = settings.find((s) => s.config['target_resource_id'] === ref(account.address))!;
    expect(accountLevel.config).toMatchObject({
      log_analytics_workspace_id: workspace,
      enabled_metric: [{ category: 'Transaction' }],
    });
    expect(accountLevel.config['enabled_log']).toBeUndefined(); // the account level has no logs
    const blob = settings.find(
      (s) => s.config['target_resource_id'] === `${ref(account.address)}/blobServices/default`,
    )!;
    expect(blob.config).toMatchObject({
      log_analytics_workspace_id: workspace,
      enabled_log: [{ category: 'StorageRead' }, { category: 'StorageWrite' }, { category: 'StorageDelete' }],
    });
  });
});

describe('prompt library from config', () => {
  it('dev: locally redundant, public endpoint behind the firewall, no private endpoint', () => {
    const synth = synthEnvironment(exampleEnvironment('dev'));
    expect(synth.only('azurerm_storage_account').config).toMatchObject({
      account_replication_type: 'LRS',
      public_network_access_enabled: true,
      shared_access_key_enabled: false,
      network_rules: { default_action: 'Deny' },
    });
    expect(synth.resources('azurerm_private_endpoint')).toEqual([]);
  });

  it('keeps the change feed for the configured days', () => {
    const synth = synthEnvironment(exampleEnvironment('prod'));
    expect(synth.only('azurerm_storage_account').config['blob_properties']).toMatchObject({
      change_feed_retention_in_days: 365,
    });
  });

  it('manages storage through ARM only, so plan and apply need no data-plane access', () => {
    const synth = synthEnvironment(exampleEnvironment('prod'));
    const features = (synth.json.provider?.['azurerm']?.[0]?.['features'] as Record<string, unknown>[])[0]!;
    expect(features['storage']).toEqual([{ data_plane_available: false }]);
  });
});

describe('PromptLibrary construct', () => {
  function build(props: Partial<ConstructorParameters<typeof PromptLibrary>[2]> = {}) {
    const stack = new TerraformStack(Testing.app(), 'test');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    const library = new PromptLibrary(stack, 'Library', {
      name: 'stlibrary',
      location: 'swedencentral',
      resourceGroupName: 'rg',
      ...props,
    });
    return { stack, library, synth: () => synthesizeStack(stack) };
  }

  it('is hardened and zone-redundant with only the required props', () => {
    const account = build().synth().only('azurerm_storage_account');
    expect(account.config).toMatchObject({ ...HARDENED, account_replication_type: 'ZRS' });
    expect(account.config['blob_properties']).toMatchObject({
      delete_retention_policy: { days: 30 },
      container_delete_retention_policy: { days: 30 },
    });
    expect(
      (account.config['blob_properties'] as object)['change_feed_retention_in_days' as never],
    ).toBeUndefined();
  });

  it('adds private containers by stable key, through ARM', () => {
    const { library, synth } = build();
    library.addContainer('acme', { name: 'acme', metadata: { tenant: 'acme' } });
    library.addContainer('globex', { name: 'globex' });
    const containers = synth().resources('azurerm_storage_container');
    expect(containers.map((c) => c.config)).toEqual([
      expect.objectContaining({
        name: 'acme',
        container_access_type: 'private',
        storage_account_id: expect.stringMatching(/azurerm_storage_account\.Library_Account_\w+\.id/),
        metadata: { tenant: 'acme' },
      }),
      expect.objectContaining({ name: 'globex', container_access_type: 'private' }),
    ]);
    expect(containers.every((c) => c.config['storage_account_name'] === undefined)).toBe(true);
    expect([...library.containers.keys()]).toEqual(['acme', 'globex']);
    expect(containers.map((c) => c.name)).toEqual([
      expect.stringMatching(/^Library_Containers_acme_/),
      expect.stringMatching(/^Library_Containers_globex_/),
    ]);
  });

  it('rejects a duplicate key and an invalid container name', () => {
    const { library } = build();
    library.addContainer('acme', { name: 'acme' });
    expect(() => library.addContainer('acme', { name: 'acme2' })).toThrow(
      /container "acme" is already defined/,
    );
    expect(() => library.addContainer('bad', { name: 'Bad_Name' })).toThrow(/3–63 lowercase letters/);
    expect(() => library.addContainer('dash', { name: 'a--b' })).toThrow(/single hyphens/);
  });

  it.each([
    [
      { blobSoftDeleteRetentionInDays: 0 },
      /blobSoftDeleteRetentionInDays must be a whole number from 1 to 365/,
    ],
    [{ containerSoftDeleteRetentionInDays: 400 }, /containerSoftDeleteRetentionInDays/],
    [{ changeFeedRetentionInDays: 2.5 }, /changeFeedRetentionInDays/],
  ])('rejects %j', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
