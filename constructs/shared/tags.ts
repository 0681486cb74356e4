import { type IAspect, TerraformResource, Token } from 'cdktf';
import type { IConstruct } from 'constructs';

/**
 * Azure's limits on tags (Learn: "Use tags to organize your Azure resources and management hierarchy", Limitations,
 * https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations).
 */
export const TAG_LIMITS = {
  /** Tag name/value pairs per resource, resource group or subscription. */
  perResource: 50,
  /** Azure Private DNS (zone, A records and virtual network link) support only 15 tags. */
  perPrivateDnsResource: 15,
  /** Characters of a tag name; storage accounts allow 128. */
  nameLength: 512,
  storageNameLength: 128,
  /** Characters of a tag value. */
  valueLength: 256,
  /**
   * Azure DNS tag names: no spaces, not starting with a digit, no special or unicode characters (the same page's note;
   * azurerm issue 6129 shows private DNS zones dropping tags with `:` or spaces). Read as ASCII letters, digits, `-`
   * and `_`, starting with a letter.
   */
  dnsName: /^[A-Za-z][A-Za-z0-9_-]*$/,
  source: 'https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations',
} as const;

/** A resource whose generated class has the `tags` getter/setter pair (azurerm classes and our azapi binding). */
export interface Taggable extends TerraformResource {
  tags: Record<string, string> | undefined;
  readonly tagsInput: Record<string, string> | undefined;
}

/**
 * Resource types whose `tags` attribute is a list of labels, not Azure's tag map (checked over every type in
 * @cdktf/provider-azurerm 14.23.1: `grep -l "tags?: string\[\]"`).
 */
const LABEL_TAGGED_TYPES = new Set([
  'azurerm_api_management_named_value',
  'azurerm_sentinel_threat_intelligence_indicator',
]);

/** True for every Terraform resource that accepts Azure tags. */
export function isTaggable(node: IConstruct): node is Taggable {
  return (
    TerraformResource.isTerraformResource(node) &&
    'tagsInput' in node &&
    'tags' in node &&
    !LABEL_TAGGED_TYPES.has(node.terraformResourceType)
  );
}

/**
 * Puts the mandatory tags on every taggable resource in scope. A resource's own tags win over the defaults, so a
 * construct can refine a tag (a tenant's costCenter) without losing the others.
 */
export class TagsAspect implements IAspect {
  constructor(private readonly defaults: Readonly<Record<string, string>>) {}

  visit(node: IConstruct): void {
    if (!isTaggable(node)) return;
    const own = node.tagsInput;
    if (own !== undefined && Token.isUnresolved(own)) return; // a computed tag map cannot be merged at synth time
    node.tags = { ...this.defaults, ...(own ?? {}) };
  }
}
