import { Construct } from 'constructs';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { addDiagnosticSetting, addStandardFeatures, type StandardFeatures } from '../shared/features';
import type { StandardResourceProps } from '../shared/interfaces';
import { PRIVATE_LINK_SERVICES } from '../shared/catalog';

export type StorageReplication = 'LRS' | 'ZRS' | 'GRS' | 'RAGRS' | 'GZRS' | 'RAGZRS';

export interface PromptLibraryProps extends StandardResourceProps {
  /** Globally unique account name (3–24 lowercase letters and digits), from the environment's name plan. */
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** Redundancy. Zone-redundant options survive the loss of a zone, geo options that of the region. @default 'ZRS' */
  readonly replication?: StorageReplication;
  /** Days a deleted or overwritten blob stays recoverable, 1–365. @default 30 */
  readonly blobSoftDeleteRetentionInDays?: number;
  /** Days a deleted container stays recoverable, 1–365. @default 30 */
  readonly containerSoftDeleteRetentionInDays?: number;
  /** Days the change feed is kept. @default - forever */
  readonly changeFeedRetentionInDays?: number;
  /** A second layer of encryption at rest. Fixed at creation: changing it replaces the account. @default true */
  readonly infrastructureEncryptionEnabled?: boolean;
  /**
   * Accept requests from public networks (the firewall still denies all but trusted Azure services). Only for an
   * environment without a private network. @default false
   */
  readonly publicNetworkAccessEnabled?: boolean;
}

/** A container of the prompt library. */
export interface PromptLibraryContainerOptions {
  /** 3–63 lowercase letters, digits and single hyphens. */
  readonly name: string;
  /** @default - none */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Terraform refuses to destroy the container (an offboarded tenant's data in prod). @default false */
  readonly preventDestroy?: boolean;
}

const CONTAINER_NAME = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

function checkDays(scope: Construct, what: string, value: number | undefined, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) {
    throw new Error(`${scope.node.path}: ${what} must be a whole number from 1 to ${max}`);
  }
}

/**
 * The storage account of the prompt library and evaluation data. Every change is kept: blob versioning, the change
 * feed, and soft delete of blobs and containers. Access is Entra ID only (no shared keys, no SAS, no anonymous
 * blobs), TLS 1.2 over HTTPS, public network access off with a deny-by-default firewall, and a private endpoint for
 * the blob service.
 *
 * Diagnostics cover both levels Azure has: the account emits only metrics (`Transaction`); the blob service emits
 * the `StorageRead`, `StorageWrite` and `StorageDelete` logs.
 *
 * Containers are added with {@link addContainer} (one per tenant, by the tenant construct).
 */
export class PromptLibrary extends Construct {
  readonly account: StorageAccount;
  readonly resourceId: string;
  readonly name: string;
  /** `https://<name>.blob.core.windows.net/`. */
  readonly blobEndpoint: string;
  readonly features: StandardFeatures;
  private readonly containerScope: Construct;
  private readonly containerMap = new Map<string, StorageContainer>();

  constructor(scope: Construct, id: string, props: PromptLibraryProps) {
    super(scope, id);
    checkDays(this, 'blobSoftDeleteRetentionInDays', props.blobSoftDeleteRetentionInDays, 365);
    checkDays(this, 'containerSoftDeleteRetentionInDays', props.containerSoftDeleteRetentionInDays, 365);
    checkDays(this, 'changeFeedRetentionInDays', props.changeFeedRetentionInDays, 146000);

    this.account = new StorageAccount(this, 'Account', {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: props.replication ?? 'ZRS',
      accessTier: 'Hot',
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: 'TLS1_2',
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      allowNestedItemsToBePublic: false,
      publicNetworkAccessEnabled: props.publicNetworkAccessEnabled ?? false,
      crossTenantReplicationEnabled: false,
      allowedCopyScope: 'AAD',
      infrastructureEncryptionEnabled: props.infrastructureEncryptionEnabled ?? true,
      localUserEnabled: false,
      sftpEnabled: false,
      isHnsEnabled: false,
      networkRules: {
        defaultAction: 'Deny',
        bypass: ['AzureServices'],
        ipRules: [],
        virtualNetworkSubnetIds: [],
      },
      blobProperties: {
        versioningEnabled: true,
        changeFeedEnabled: true,
        ...(props.changeFeedRetentionInDays === undefined
          ? {}
          : { changeFeedRetentionInDays: props.changeFeedRetentionInDays }),
        deleteRetentionPolicy: {
          days: props.blobSoftDeleteRetentionInDays ?? 30,
          permanentDeleteEnabled: false,
        },
        containerDeleteRetentionPolicy: { days: props.containerSoftDeleteRetentionInDays ?? 30 },
      },
      ...(props.tags ? { tags: { ...props.tags } } : {}),
      ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    });
    this.resourceId = this.account.id;
    this.name = this.account.name;
    this.blobEndpoint = this.account.primaryBlobEndpoint;

    const { diagnosticSettings, ...rest } = props;
    this.features = addStandardFeatures(
      this,
      {
        resourceId: this.account.id,
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        privateLinkSubresource: PRIVATE_LINK_SERVICES.storageBlob.subresource,
      },
      rest,
    );
    if (diagnosticSettings) {
      const destination = {
        workspaceId: diagnosticSettings.workspaceId,
        ...(diagnosticSettings.destinationType
          ? { destinationType: diagnosticSettings.destinationType }
          : {}),
      };
      addDiagnosticSetting(this, 'Diagnostics', this.account.id, {
        ...destination,
        logCategoryGroups: [],
        metricCategories: ['Transaction'],
      });
      addDiagnosticSetting(this, 'BlobDiagnostics', `${this.account.id}/blobServices/default`, {
        ...destination,
        logCategories: ['StorageRead', 'StorageWrite', 'StorageDelete'],
        metricCategories: ['Transaction'],
      });
    }
    this.containerScope = new Construct(this, 'Containers');
  }

  /**
   * Adds a private container. `key` is a stable id (a tenant slug): it forms the Terraform address, so adding or
   * removing one container never moves another.
   */
  addContainer(key: string, options: PromptLibraryContainerOptions): StorageContainer {
    if (this.containerMap.has(key))
      throw new Error(`${this.node.path}: container "${key}" is already defined`);
    const container = promptLibraryContainer(this.containerScope, key, this.account.id, options);
    this.containerMap.set(key, container);
    return container;
  }

  /** The containers added so far, by key. */
  get containers(): ReadonlyMap<string, StorageContainer> {
    return this.containerMap;
  }
}

/**
 * A private container in a prompt library that lives in another stack: a tenant shard creates its tenants' containers
 * itself, in the platform stack's account (`storageAccountId` is then a cross-stack reference).
 * {@link PromptLibrary.addContainer} uses it for the containers of the library's own stack.
 */
export function promptLibraryContainer(
  scope: Construct,
  id: string,
  storageAccountId: string,
  options: PromptLibraryContainerOptions,
): StorageContainer {
  if (!CONTAINER_NAME.test(options.name)) {
    throw new Error(
      `${scope.node.path}: container name "${options.name}" must be 3–63 lowercase letters, digits and single hyphens`,
    );
  }
  return new StorageContainer(scope, id, {
    name: options.name,
    // By id, not by account name: the provider then manages the container through ARM, never the data plane.
    storageAccountId,
    containerAccessType: 'private',
    ...(options.metadata ? { metadata: { ...options.metadata } } : {}),
    ...(options.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
  });
}
