import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { CognitiveAccountRaiBlocklist } from '@cdktf/provider-azurerm/lib/cognitive-account-rai-blocklist';
import {
  CognitiveAccountRaiPolicy,
  type CognitiveAccountRaiPolicyContentFilter,
} from '@cdktf/provider-azurerm/lib/cognitive-account-rai-policy';
import type { ITerraformDependable } from 'cdktf';
import { AzapiResource, AzapiUpdateResource, resourceAddress } from '../shared/azapi';

/** Severity from which a harm category blocks: `Low` is the strictest. */
export type SeverityThreshold = 'Low' | 'Medium' | 'High';

/** Thresholds of one harm category, for user prompts and model completions. */
export interface CategoryThresholds {
  readonly prompt: SeverityThreshold;
  readonly completion: SeverityThreshold;
}

/** A custom content filter (RAI policy). */
export interface ContentFilterProps {
  /** @default 'Microsoft.DefaultV2' */
  readonly basePolicy?: 'Microsoft.DefaultV2' | 'Microsoft.Default';
  /** @default 'Default' (synchronous filtering) */
  readonly mode?: 'Default' | 'Asynchronous_filter' | 'Blocking' | 'Deferred';
  readonly categories: {
    readonly hate: CategoryThresholds;
    readonly sexual: CategoryThresholds;
    readonly violence: CategoryThresholds;
    readonly selfHarm: CategoryThresholds;
  };
  /** @default - both on */
  readonly promptShields?: { readonly jailbreak: boolean; readonly indirectAttack: boolean };
  /** @default - both on */
  readonly protectedMaterial?: { readonly text: boolean; readonly code: boolean };
  /** Names of blocklists (created on the same account) that the policy enforces. @default - none */
  readonly blocklists?: readonly string[];
}

/** A custom blocklist: exact terms and regular expressions. */
export interface BlocklistProps {
  readonly description?: string;
  readonly terms?: readonly string[];
  readonly patterns?: readonly string[];
}

/** RAI API version for the items and the blocklist attachment, which azurerm 4.55 cannot express. */
const RAI_API = '2024-10-01';

const CATEGORY_NAMES = {
  hate: 'Hate',
  sexual: 'Sexual',
  violence: 'Violence',
  selfHarm: 'Selfharm',
} as const;

/** The `content_filter` blocks of a policy: every harm category on both sides, then shields and protected material. */
export function contentFilterBlocks(props: ContentFilterProps): CognitiveAccountRaiPolicyContentFilter[] {
  const shields = props.promptShields ?? { jailbreak: true, indirectAttack: true };
  const material = props.protectedMaterial ?? { text: true, code: true };
  const toggle = (name: string, source: 'Prompt' | 'Completion', on: boolean) => ({
    name,
    source,
    filterEnabled: on,
    blockEnabled: on,
    // The API ignores the threshold of these classifiers, but the provider requires one.
    severityThreshold: 'High',
  });
  return [
    ...Object.entries(CATEGORY_NAMES).flatMap(([key, name]) => {
      const thresholds = props.categories[key as keyof typeof CATEGORY_NAMES];
      return (['Prompt', 'Completion'] as const).map((source) => ({
        name,
        source,
        filterEnabled: true,
        blockEnabled: true,
        severityThreshold: source === 'Prompt' ? thresholds.prompt : thresholds.completion,
      }));
    }),
    toggle('Jailbreak', 'Prompt', shields.jailbreak),
    toggle('Indirect Attack', 'Prompt', shields.indirectAttack),
    toggle('Protected Material Text', 'Completion', material.text),
    toggle('Protected Material Code', 'Completion', material.code),
  ];
}

/** A stable name for a blocklist item: the same term keeps its name when others are added or removed. */
export function blocklistItemName(pattern: string, isRegex: boolean): string {
  return `item-${createHash('sha256')
    .update(`${isRegex ? 're' : 'term'}:${pattern}`)
    .digest('hex')
    .slice(0, 16)}`;
}

/** A blocklist with its items on one account. */
export class Blocklist extends Construct {
  readonly resource: CognitiveAccountRaiBlocklist;
  /** Everything that must exist before a policy may reference the blocklist. */
  readonly ready: ITerraformDependable[];

  constructor(
    scope: Construct,
    id: string,
    props: BlocklistProps & {
      readonly name: string;
      readonly accountId: string;
      readonly dependsOn: ITerraformDependable[];
    },
  ) {
    super(scope, id);
    this.resource = new CognitiveAccountRaiBlocklist(this, 'Resource', {
      name: props.name,
      cognitiveAccountId: props.accountId,
      ...(props.description ? { description: props.description } : {}),
      dependsOn: props.dependsOn,
    });
    const items = [
      ...(props.terms ?? []).map((pattern) => ({ pattern, isRegex: false })),
      ...(props.patterns ?? []).map((pattern) => ({ pattern, isRegex: true })),
    ];
    const itemScope = new Construct(this, 'Items');
    const created = items.map(
      ({ pattern, isRegex }) =>
        // azapi: azurerm has no resource for blocklist items. The lock serializes writes to one blocklist, which
        // otherwise fail with IfMatchPreconditionFailed.
        new AzapiResource(itemScope, blocklistItemName(pattern, isRegex), {
          type: `Microsoft.CognitiveServices/accounts/raiBlocklists/raiBlocklistItems@${RAI_API}`,
          name: blocklistItemName(pattern, isRegex),
          parentId: this.resource.id,
          body: { properties: { pattern, isRegex } },
          locks: [this.resource.id],
        }),
    );
    this.ready = [this.resource, ...created];
  }
}

/** A content filter (RAI policy) on one account, with its blocklists attached. */
export class ContentFilter extends Construct {
  readonly policy: CognitiveAccountRaiPolicy;
  /** The last resource of this filter, for the account's creation chain. */
  readonly last: ITerraformDependable;

  constructor(
    scope: Construct,
    id: string,
    props: ContentFilterProps & {
      readonly name: string;
      readonly accountId: string;
      /** The blocklists of `blocklists`, created on the same account. */
      readonly attachedBlocklists: Readonly<Record<string, Blocklist>>;
      readonly dependsOn: ITerraformDependable[];
    },
  ) {
    super(scope, id);
    const attached = Object.keys(props.attachedBlocklists);
    this.policy = new CognitiveAccountRaiPolicy(this, 'Resource', {
      name: props.name,
      cognitiveAccountId: props.accountId,
      basePolicyName: props.basePolicy ?? 'Microsoft.DefaultV2',
      mode: props.mode ?? 'Default',
      contentFilter: contentFilterBlocks(props),
      dependsOn: props.dependsOn,
    });
    this.last = this.policy;
    if (attached.length > 0) {
      // azapi: azurerm's policy has no custom blocklists. Replaced whenever azurerm rewrites the policy, because
      // that PUT drops the attachment.
      this.last = new AzapiUpdateResource(this, 'Blocklists', {
        type: `Microsoft.CognitiveServices/accounts/raiPolicies@${RAI_API}`,
        resourceId: this.policy.id,
        body: {
          properties: {
            customBlocklists: attached.flatMap((blocklistName) =>
              (['Prompt', 'Completion'] as const).map((source) => ({
                blocklistName,
                blocking: true,
                source,
              })),
            ),
          },
        },
        dependsOn: [this.policy, ...Object.values(props.attachedBlocklists).flatMap((b) => b.ready)],
        lifecycle: { replaceTriggeredBy: [resourceAddress(this.policy)] },
      });
    }
  }
}
