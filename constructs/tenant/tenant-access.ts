import { Construct } from 'constructs';
import { ApiManagementProduct } from '@cdktf/provider-azurerm/lib/api-management-product';
import { ApiManagementProductApi } from '@cdktf/provider-azurerm/lib/api-management-product-api';
import { ApiManagementProductPolicy } from '@cdktf/provider-azurerm/lib/api-management-product-policy';
import { ApiManagementSubscription } from '@cdktf/provider-azurerm/lib/api-management-subscription';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { AzapiResource } from '../shared/azapi';
import { addRoleAssignment } from '../shared/features';

/** Key Vault secrets are written through ARM, so no deployment agent needs the vault's private data plane. */
const SECRETS_API = 'Microsoft.KeyVault/vaults/secrets@2023-07-01';

export interface TenantAccessProps {
  /** The tenant slug: the product id, and the `Tenant` dimension of the token metrics. */
  readonly slug: string;
  readonly displayName: string;
  /** The gateway that serves the tenant, and its inference API. */
  readonly apiManagement: {
    readonly name: string;
    readonly resourceGroupName: string;
    readonly apiName: string;
  };
  /** `suspended` stops the subscription; everything else stays. */
  readonly state: 'active' | 'suspended';
  /**
   * The product policy document (sign-in, allow-list, token limits, own pools, stored-object ownership), or a
   * function that builds it from the tenant identity (whose client id the sign-in allows).
   */
  readonly policyXml: string | ((identity: { readonly clientId: string }) => string);
  /** The user-assigned identity of the tenant's application. */
  readonly identity: { readonly name: string; readonly location: string; readonly resourceGroupName: string };
  /** The vault that keeps the tenant's subscription key (the platform's, or the tenant's own). */
  readonly keyVaultId: string;
  readonly secretName: string;
  /** Tags of the tenant's taggable resources (tenant, owner, costCenter for chargeback). @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A tenant's way in: its own API Management product (subscription required, one subscription, tracing off) with the
 * product policy, the subscription, a user-assigned identity for the tenant's application, and the subscription key
 * as a Key Vault secret that only that identity may read (role assignment on the secret, not the vault).
 */
export class TenantAccess extends Construct {
  readonly identity: UserAssignedIdentity;
  readonly product: ApiManagementProduct;
  readonly productPolicy: ApiManagementProductPolicy;
  readonly subscription: ApiManagementSubscription;
  readonly secret: AzapiResource;
  readonly secretAccess: RoleAssignment;

  constructor(scope: Construct, id: string, props: TenantAccessProps) {
    super(scope, id);
    const apim = props.apiManagement;
    this.identity = new UserAssignedIdentity(this, 'Identity', {
      name: props.identity.name,
      location: props.identity.location,
      resourceGroupName: props.identity.resourceGroupName,
      ...(props.tags ? { tags: { ...props.tags } } : {}),
    });
    this.product = new ApiManagementProduct(this, 'Product', {
      productId: props.slug,
      apiManagementName: apim.name,
      resourceGroupName: apim.resourceGroupName,
      displayName: props.displayName,
      description: `Access of tenant ${props.slug} to the AI gateway`,
      published: true,
      subscriptionRequired: true,
      approvalRequired: true,
      subscriptionsLimit: 1,
    });
    new ApiManagementProductApi(this, 'ProductApi', {
      productId: this.product.productId,
      apiName: apim.apiName,
      apiManagementName: apim.name,
      resourceGroupName: apim.resourceGroupName,
    });
    this.productPolicy = new ApiManagementProductPolicy(this, 'ProductPolicy', {
      productId: this.product.productId,
      apiManagementName: apim.name,
      resourceGroupName: apim.resourceGroupName,
      xmlContent:
        typeof props.policyXml === 'string'
          ? props.policyXml
          : props.policyXml({ clientId: this.identity.clientId }),
    });
    this.subscription = new ApiManagementSubscription(this, 'Subscription', {
      apiManagementName: apim.name,
      resourceGroupName: apim.resourceGroupName,
      displayName: `${props.displayName} (${props.slug})`,
      productId: this.product.id,
      // Subscriptions default to "submitted"; tracing would let the caller read policy internals.
      state: props.state,
      allowTracing: false,
    });
    this.secret = new AzapiResource(this, 'SubscriptionKey', {
      type: SECRETS_API,
      name: props.secretName,
      parentId: props.keyVaultId,
      body: {
        // The tenant tag ties the secret to the tenant's identity in the data-path proof (and in the portal).
        tags: { tenant: props.slug },
        properties: { contentType: 'API Management subscription key', attributes: { enabled: true } },
      },
      sensitiveBody: { properties: { value: this.subscription.primaryKey } },
    });
    this.secretAccess = addRoleAssignment(this, 'SecretAccess', this.secret.id, {
      roleDefinitionName: 'Key Vault Secrets User',
      principalId: this.identity.principalId,
      description: `Only tenant ${props.slug}'s application reads its gateway key`,
    });
  }
}
