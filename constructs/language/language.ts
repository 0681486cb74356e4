import { Construct } from 'constructs';
import type { CognitiveAccount } from '@cdktf/provider-azurerm/lib/cognitive-account';
import { addHardenedAccount } from '../shared/hardened-account';
import type { StandardFeatures } from '../shared/features';
import type { OptIn, StandardResourceProps } from '../shared/interfaces';

export interface LanguageProps extends StandardResourceProps {
  /** Account name; also its custom subdomain. */
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** @default 'S' */
  readonly sku?: 'S' | 'F0';
  /** @default { enabled: false } - public access disabled, network ACL default Deny */
  readonly publicNetworkAccess?: OptIn;
}

/**
 * An Azure AI Language account (kind TextAnalytics) for the gateway's detection and redaction of personal data in
 * prompts, with the same hardening as the model accounts: Entra ID only, custom subdomain, system-assigned identity,
 * private, outbound calls forbidden.
 */
export class Language extends Construct {
  readonly account: CognitiveAccount;
  readonly features: StandardFeatures;
  readonly resourceId: string;
  readonly name: string;
  /** `https://<subdomain>.cognitiveservices.azure.com/`, which the gateway's PII step calls. */
  readonly endpoint: string;

  constructor(scope: Construct, id: string, props: LanguageProps) {
    super(scope, id);
    const { account, features } = addHardenedAccount(this, {
      ...props,
      kind: 'TextAnalytics',
      sku: props.sku ?? 'S',
    });
    this.account = account;
    this.features = features;
    this.resourceId = this.account.id;
    this.name = props.name;
    this.endpoint = `https://${props.name}.cognitiveservices.azure.com/`;
  }
}
