import { Construct } from 'constructs';
import { CognitiveAccount } from '@cdktf/provider-azurerm/lib/cognitive-account';
import { addStandardFeatures, identityBlock, type StandardFeatures } from '../shared/features';
import type { OptIn, StandardResourceProps } from '../shared/interfaces';
import { PRIVATE_LINK_SERVICES } from '../shared/private-link';

export interface ContentSafetyProps extends StandardResourceProps {
  /** Account name; also its custom subdomain. */
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** @default 'S0' */
  readonly sku?: 'S0' | 'F0';
  /** @default { enabled: false } - public access disabled, network ACL default Deny */
  readonly publicNetworkAccess?: OptIn;
}

/**
 * An Azure AI Content Safety account (kind ContentSafety) for the gateway's prompt shields and harm-category checks,
 * with the same hardening as the model accounts: Entra ID only, custom subdomain, system-assigned identity, private,
 * outbound calls forbidden.
 */
export class ContentSafety extends Construct {
  readonly account: CognitiveAccount;
  readonly features: StandardFeatures;
  readonly resourceId: string;
  readonly name: string;
  readonly principalId: string;
  /** `https://<subdomain>.cognitiveservices.azure.com/`, which the gateway's content-safety backend calls. */
  readonly endpoint: string;

  constructor(scope: Construct, id: string, props: ContentSafetyProps) {
    super(scope, id);
    const publicAccess = props.publicNetworkAccess?.enabled ?? false;
    this.account = new CognitiveAccount(this, 'Account', {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      kind: 'ContentSafety',
      skuName: props.sku ?? 'S0',
      customSubdomainName: props.name,
      localAuthEnabled: false,
      publicNetworkAccessEnabled: publicAccess,
      networkAcls: { defaultAction: publicAccess ? 'Allow' : 'Deny', bypass: 'None' },
      outboundNetworkAccessRestricted: true,
      identity: identityBlock({ systemAssigned: true })!,
      ...(props.tags ? { tags: { ...props.tags } } : {}),
      ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    });
    this.resourceId = this.account.id;
    this.name = props.name;
    this.principalId = this.account.identity.principalId;
    this.endpoint = `https://${props.name}.cognitiveservices.azure.com/`;
    this.features = addStandardFeatures(
      this,
      {
        resourceId: this.account.id,
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        privateLinkSubresource: PRIVATE_LINK_SERVICES.cognitiveAccount.subresource,
      },
      props,
    );
  }
}
