/**
 * The one parser of Azure Resource Manager ids. Config validation (bring-your-own subnets and DNS zones) and
 * constructs use it, so "is this an id of a subnet" has one answer.
 *
 * An ARM id of a resource in a resource group looks like
 * `/subscriptions/<guid>/resourceGroups/<group>/providers/<Namespace>/<type>/<name>[/<child type>/<child name>…]`.
 */
export interface ArmResourceId {
  readonly subscriptionId: string;
  readonly resourceGroupName: string;
  /** Full resource type, e.g. `Microsoft.Network/virtualNetworks/subnets`. */
  readonly type: string;
  /** The names along the type chain, parent first: `['vnet-hub', 'snet-pep']`. */
  readonly names: readonly string[];
  /** The resource's own name (the last one). */
  readonly name: string;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;
const NAMESPACE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/;
const TYPE_SEGMENT = /^[A-Za-z][A-Za-z0-9]*$/;

/** Parses an ARM id of a resource inside a resource group; undefined when `text` is not one. */
export function parseArmResourceId(text: string): ArmResourceId | undefined {
  const segments = text.split('/');
  // ['', 'subscriptions', sub, 'resourceGroups', rg, 'providers', ns, type, name, (type, name)*]
  if (segments.length < 9 || segments.length % 2 === 0 || segments[0] !== '') return undefined;
  if (segments.some((segment, i) => i > 0 && segment === '')) return undefined;
  const [, subscriptions, subscriptionId, groups, resourceGroupName, providers, namespace, ...rest] =
    segments as [string, string, string, string, string, string, string, ...string[]];
  if (subscriptions.toLowerCase() !== 'subscriptions' || !GUID.test(subscriptionId)) return undefined;
  if (groups.toLowerCase() !== 'resourcegroups' || !RESOURCE_GROUP.test(resourceGroupName)) return undefined;
  if (providers.toLowerCase() !== 'providers' || !NAMESPACE.test(namespace)) return undefined;
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    if (!TYPE_SEGMENT.test(rest[i]!)) return undefined;
    types.push(rest[i]!);
    names.push(rest[i + 1]!);
  }
  return {
    subscriptionId,
    resourceGroupName,
    type: [namespace, ...types].join('/'),
    names,
    name: names[names.length - 1]!,
  };
}

/** True when `id` is an ARM id of a resource of `type` (compared case-insensitively, as ARM does). */
export function isArmResourceIdOf(id: string, type: string): boolean {
  return parseArmResourceId(id)?.type.toLowerCase() === type.toLowerCase();
}
