import { Construct } from 'constructs';
import type { CognitiveAccount } from '@cdktf/provider-azurerm/lib/cognitive-account';
import { addHardenedAccount } from '../shared/hardened-account';
import type { StandardFeatures } from '../shared/features';
import type { OptIn, StandardResourceProps } from '../shared/interfaces';

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
    const { account, features } = addHardenedAccount(this, {
      ...props,
      kind: 'ContentSafety',
      sku: props.sku ?? 'S0',
    });
    this.account = account;
    this.features = features;
    this.resourceId = this.account.id;
    this.name = props.name;
    this.principalId = this.account.identity.principalId;
    this.endpoint = `https://${props.name}.cognitiveservices.azure.com/`;
  }
}
