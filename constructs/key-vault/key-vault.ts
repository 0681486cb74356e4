import { Construct } from 'constructs';
import { KeyVault as AzurermKeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { addStandardFeatures, type StandardFeatures } from '../shared/features';
import type { StandardResourceProps } from '../shared/interfaces';
import { PRIVATE_LINK_SERVICES } from '../shared/catalog';

export interface KeyVaultProps extends StandardResourceProps {
  /** Globally unique vault name (3–24 characters), from the environment's name plan. */
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** Entra ID tenant that authenticates requests to the vault. */
  readonly tenantId: string;
  /** `premium` adds HSM-protected keys. @default 'standard' */
  readonly skuName?: 'standard' | 'premium';
  /** Days a deleted vault stays recoverable, 7–90. Azure fixes it at creation. @default 90 */
  readonly softDeleteRetentionInDays?: number;
  /**
   * Purge protection: a deleted vault cannot be purged before its retention ends. Turning it on cannot be undone.
   * @default true
   */
  readonly purgeProtectionEnabled?: boolean;
  /**
   * Accept requests from public networks (the firewall still denies all but trusted Azure services). Only for an
   * environment without a private network. @default false
   */
  readonly publicNetworkAccessEnabled?: boolean;
}

/**
 * The environment's Key Vault: Azure RBAC only (no access policies), purge protection, soft delete, public network
 * access off and a firewall that denies by default (trusted Azure services may pass), reached through a private
 * endpoint whose zone group registers it in `privatelink.vaultcore.azure.net`.
 *
 * Diagnostics send the `AuditEvent` log (every data-plane access, allowed or denied) and metrics, unless the caller
 * names other categories.
 */
export class KeyVault extends Construct {
  readonly vault: AzurermKeyVault;
  readonly resourceId: string;
  readonly name: string;
  /** `https://<name>.vault.azure.net/`. */
  readonly vaultUri: string;
  readonly features: StandardFeatures;

  constructor(scope: Construct, id: string, props: KeyVaultProps) {
    super(scope, id);
    const softDeleteRetentionInDays = props.softDeleteRetentionInDays ?? 90;
    if (
      !Number.isInteger(softDeleteRetentionInDays) ||
      softDeleteRetentionInDays < 7 ||
      softDeleteRetentionInDays > 90
    ) {
      throw new Error(`${this.node.path}: softDeleteRetentionInDays must be a whole number from 7 to 90`);
    }

    this.vault = new AzurermKeyVault(this, 'Vault', {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      tenantId: props.tenantId,
      skuName: props.skuName ?? 'standard',
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: props.purgeProtectionEnabled ?? true,
      softDeleteRetentionDays: softDeleteRetentionInDays,
      publicNetworkAccessEnabled: props.publicNetworkAccessEnabled ?? false,
      networkAcls: {
        defaultAction: 'Deny',
        bypass: 'AzureServices',
        ipRules: [],
        virtualNetworkSubnetIds: [],
      },
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      ...(props.tags ? { tags: { ...props.tags } } : {}),
      ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    });
    this.resourceId = this.vault.id;
    this.name = this.vault.name;
    this.vaultUri = this.vault.vaultUri;

    const diagnostics = props.diagnosticSettings;
    const namesCategories = Boolean(diagnostics?.logCategories?.length || diagnostics?.logCategoryGroups);
    this.features = addStandardFeatures(
      this,
      {
        resourceId: this.vault.id,
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        privateLinkSubresource: PRIVATE_LINK_SERVICES.keyVault.subresource,
      },
      {
        ...props,
        ...(diagnostics
          ? {
              diagnosticSettings: namesCategories
                ? diagnostics
                : { ...diagnostics, logCategories: ['AuditEvent'] },
            }
          : {}),
      },
    );
  }
}
