import type { Construct } from 'constructs';
import { CognitiveAccount } from '@cdktf/provider-azurerm/lib/cognitive-account';
import { addStandardFeatures, identityBlock, type StandardFeatures } from './features';
import type { OptIn, StandardResourceProps } from './interfaces';
import { PRIVATE_LINK_SERVICES } from './catalog';

/** A Cognitive Services account of any kind, with the blueprint's hardening. */
export interface HardenedAccountProps extends StandardResourceProps {
  /** Account name; also its custom subdomain (a global DNS label). */
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly kind: 'AIServices' | 'OpenAI' | 'ContentSafety' | 'TextAnalytics';
  readonly sku: string;
  /** @default { enabled: false } */
  readonly publicNetworkAccess?: OptIn;
  /** @default true */
  readonly restrictOutboundNetworkAccess?: boolean;
  /** @default - none */
  readonly allowedFqdns?: readonly string[];
  /** AIServices only: the account holds Foundry projects (`allowProjectManagement`). @default false */
  readonly projectManagementEnabled?: boolean;
}

/**
 * The one definition of how the blueprint hardens a Cognitive Services account (model accounts and Content Safety):
 * Entra ID only (no keys), a custom subdomain, a system-assigned identity, public access off with network ACL
 * default Deny and no trusted-service bypass, outbound calls restricted; plus the standard features.
 */
export function addHardenedAccount(
  scope: Construct,
  props: HardenedAccountProps,
): { account: CognitiveAccount; features: StandardFeatures } {
  const publicAccess = props.publicNetworkAccess?.enabled ?? false;
  const restrictOutbound = props.restrictOutboundNetworkAccess ?? true;
  const account = new CognitiveAccount(scope, 'Account', {
    name: props.name,
    location: props.location,
    resourceGroupName: props.resourceGroupName,
    kind: props.kind,
    skuName: props.sku,
    customSubdomainName: props.name,
    localAuthEnabled: false,
    publicNetworkAccessEnabled: publicAccess,
    networkAcls: { defaultAction: publicAccess ? 'Allow' : 'Deny', bypass: 'None' },
    outboundNetworkAccessRestricted: restrictOutbound,
    ...(restrictOutbound && props.allowedFqdns && props.allowedFqdns.length > 0
      ? { fqdns: [...props.allowedFqdns] }
      : {}),
    ...(props.projectManagementEnabled ? { projectManagementEnabled: true } : {}),
    identity: identityBlock({ systemAssigned: true })!,
    ...(props.tags ? { tags: { ...props.tags } } : {}),
    ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
  });
  const features = addStandardFeatures(
    scope,
    {
      resourceId: account.id,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      privateLinkSubresource: PRIVATE_LINK_SERVICES.cognitiveAccount.subresource,
    },
    props,
  );
  return { account, features };
}
