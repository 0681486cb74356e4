import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import type { CognitiveAccount } from '@cdktf/provider-azurerm/lib/cognitive-account';
import { CognitiveDeployment } from '@cdktf/provider-azurerm/lib/cognitive-deployment';
import { AzapiUpdateResource, resourceAddress } from '../shared/azapi';
import type { StandardFeatures } from '../shared/features';
import type { OptIn, StandardResourceProps } from '../shared/interfaces';
import { Blocklist, type BlocklistProps, ContentFilter, type ContentFilterProps } from './content-filter';
import { addHardenedAccount } from '../shared/hardened-account';
import type { DeploymentType } from '../shared/catalog';

/** One model deployment on the account. */
export interface ModelDeploymentProps {
  readonly model: { readonly name: string; readonly version: string; readonly format?: string };
  readonly type: DeploymentType;
  /** Thousands of TPM (pay-as-you-go), PTU (provisioned) or thousands of enqueued tokens (batch). */
  readonly capacity: number;
  /** Name of a content filter of this account. Required: a deployment never runs on the implicit default. */
  readonly contentFilter: string;
  /** @default 'OnceCurrentVersionExpired' */
  readonly versionUpgrade?: 'OnceNewDefaultVersionAvailable' | 'OnceCurrentVersionExpired' | 'NoAutoUpgrade';
  /** A pay-as-you-go deployment of the same account that takes a provisioned deployment's overflow. @default - none */
  readonly spilloverTo?: string;
}

export interface AiEndpointProps extends StandardResourceProps {
  /** Account name; also its custom subdomain (a global DNS label). */
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** @default 'AIServices' */
  readonly kind?: 'AIServices' | 'OpenAI';
  /**
   * Open the data plane to public networks. Off unless given with a reason.
   * @default { enabled: false } - public access disabled, network ACL default Deny
   */
  readonly publicNetworkAccess?: OptIn;
  /** Forbid outbound calls except to `allowedFqdns`. @default true */
  readonly restrictOutboundNetworkAccess?: boolean;
  /** @default - none */
  readonly allowedFqdns?: readonly string[];
  /** Keyed by deployment name. Created one after another: parallel creation on one account fails with 409. */
  readonly deployments: Readonly<Record<string, ModelDeploymentProps>>;
  /** Content filters to create on the account, keyed by name. */
  readonly contentFilters: Readonly<Record<string, ContentFilterProps>>;
  /** Blocklists the content filters refer to, keyed by name. @default - none */
  readonly blocklists?: Readonly<Record<string, BlocklistProps>>;
}

/** Native spillover needs this API version or later; azurerm 4.55 has no attribute for it. */
const DEPLOYMENTS_API = 'Microsoft.CognitiveServices/accounts/deployments@2025-06-01';

/**
 * An Azure OpenAI / AI Services account in one region, hardened: Entra ID only (no keys), a custom subdomain, a
 * system-assigned identity, public access off with network ACL default Deny, outbound access restricted; plus its
 * content filters, blocklists and model deployments.
 *
 * Every child of the account (filters, blocklists, deployments, spillover settings) is created one after another,
 * because Azure answers parallel writes on one account with 409 Conflict.
 */
export class AiEndpoint extends Construct {
  readonly account: CognitiveAccount;
  readonly deployments: Readonly<Record<string, CognitiveDeployment>>;
  readonly contentFilters: Readonly<Record<string, ContentFilter>>;
  readonly features: StandardFeatures;
  /** ARM id of the account. */
  readonly resourceId: string;
  readonly name: string;
  /** Object id of the account's system-assigned identity. */
  readonly principalId: string;
  /** The OpenAI-compatible endpoint, `https://<subdomain>.openai.azure.com/`. */
  readonly openAiEndpoint: string;

  constructor(scope: Construct, id: string, props: AiEndpointProps) {
    super(scope, id);
    const { account, features } = addHardenedAccount(this, {
      ...props,
      kind: props.kind ?? 'AIServices',
      sku: 'S0',
    });
    this.account = account;
    this.features = features;
    this.resourceId = this.account.id;
    this.name = props.name;
    this.principalId = this.account.identity.principalId;
    this.openAiEndpoint = `https://${props.name}.openai.azure.com/`;

    // One chain for every write under the account, in a stable order.
    let previous: ITerraformDependable[] = [];

    const blocklistScope = new Construct(this, 'Blocklists');
    const blocklists: Record<string, Blocklist> = {};
    for (const [name, blocklist] of sorted(props.blocklists ?? {})) {
      const created = new Blocklist(blocklistScope, name, {
        ...blocklist,
        name,
        accountId: this.account.id,
        dependsOn: previous,
      });
      blocklists[name] = created;
      previous = [created.ready[created.ready.length - 1]!];
    }

    const filterScope = new Construct(this, 'ContentFilters');
    const filters: Record<string, ContentFilter> = {};
    for (const [name, filter] of sorted(props.contentFilters)) {
      const attached = Object.fromEntries((filter.blocklists ?? []).map((b) => [b, blocklists[b]!]));
      const created = new ContentFilter(filterScope, name, {
        ...filter,
        name,
        accountId: this.account.id,
        attachedBlocklists: attached,
        dependsOn: previous,
      });
      filters[name] = created;
      previous = [created.last];
    }
    this.contentFilters = filters;

    const deploymentScope = new Construct(this, 'Deployments');
    const deployments: Record<string, CognitiveDeployment> = {};
    for (const [name, deployment] of sorted(props.deployments)) {
      const filter = filters[deployment.contentFilter];
      if (!filter) {
        throw new Error(
          `${this.node.path}: deployment "${name}" refers to content filter "${deployment.contentFilter}", which this account does not have; expected one of: ${Object.keys(filters).join(', ')}`,
        );
      }
      deployments[name] = new CognitiveDeployment(deploymentScope, name, {
        name,
        cognitiveAccountId: this.account.id,
        model: {
          format: deployment.model.format ?? 'OpenAI',
          name: deployment.model.name,
          version: deployment.model.version,
        },
        sku: { name: deployment.type, capacity: deployment.capacity },
        raiPolicyName: filter.policy.name,
        versionUpgradeOption: deployment.versionUpgrade ?? 'OnceCurrentVersionExpired',
        dependsOn: previous,
      });
      previous = [deployments[name]!];
    }
    this.deployments = deployments;

    const spilloverScope = new Construct(this, 'Spillover');
    for (const [name, deployment] of sorted(props.deployments)) {
      if (deployment.spilloverTo === undefined) continue;
      const target = deployments[deployment.spilloverTo];
      if (!target) {
        throw new Error(
          `${this.node.path}: deployment "${name}" spills over to "${deployment.spilloverTo}", which does not exist on this account`,
        );
      }
      // azapi: azurerm 4.55 has no spillover attribute. Re-applied whenever azurerm rewrites the deployment, whose
      // PUT does not carry the setting.
      previous = [
        new AzapiUpdateResource(spilloverScope, name, {
          type: DEPLOYMENTS_API,
          resourceId: deployments[name]!.id,
          body: { properties: { spilloverDeploymentName: deployment.spilloverTo } },
          dependsOn: [...previous, target],
          lifecycle: { replaceTriggeredBy: [resourceAddress(deployments[name]!)] },
        }),
      ];
    }
  }
}

function sorted<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
