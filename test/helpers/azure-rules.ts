/**
 * Azure's documented naming rules, restated independently of `constructs/shared/naming.ts` as an oracle for the
 * property tests (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules). A name
 * in a synthesized plan of one of these types must pass its rule.
 */
import type { StackPlan } from '../../constructs/shared/plan';

const alnumHyphen = (min: number, max: number) => (name: string) =>
  name.length >= min && name.length <= max && /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(name);
const network = (min: number, max: number) => (name: string) =>
  name.length >= min && name.length <= max && /^[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9_])?$/.test(name);

export const AZURE_NAME_RULES: Readonly<Record<string, (name: string) => boolean>> = {
  azurerm_resource_group: (n) => n.length >= 1 && n.length <= 90 && /^[-\w.()]*[-\w()]$/.test(n),
  azurerm_key_vault: (n) =>
    n.length >= 3 && n.length <= 24 && /^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$/.test(n) && !n.includes('--'),
  azurerm_storage_account: (n) => /^[a-z0-9]{3,24}$/.test(n),
  azurerm_storage_container: (n) =>
    n.length >= 3 && n.length <= 63 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(n) && !n.includes('--'),
  // The blueprint names an account and its custom subdomain alike, so the name must also be a lowercase DNS label.
  azurerm_cognitive_account: (n) => alnumHyphen(2, 64)(n) && /^[a-z0-9-]{2,63}$/.test(n),
  azurerm_api_management: (n) =>
    n.length >= 1 && n.length <= 50 && /^[a-zA-Z]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(n),
  azurerm_log_analytics_workspace: alnumHyphen(4, 63),
  azurerm_virtual_network: network(2, 64),
  azurerm_network_security_group: network(1, 80),
  azurerm_private_endpoint: network(2, 64),
  azurerm_public_ip: network(1, 80),
  azurerm_user_assigned_identity: (n) =>
    n.length >= 3 && n.length <= 128 && /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/.test(n),
};

/** Rules of names that are not a resource type's own: an account name alone, a custom subdomain. */
export const AZURE_OTHER_RULES: Readonly<Record<string, (name: string) => boolean>> = {
  cognitiveAccountName: alnumHyphen(2, 64),
  customSubdomain: (n) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(n) && n.length >= 2,
};

/** Every name in a plan that breaks its type's rule. */
export function brokenNames(plan: StackPlan): string[] {
  const broken: string[] = [];
  for (const resource of plan.resources) {
    const rule = AZURE_NAME_RULES[resource.type];
    const name = resource.config['name'];
    if (rule && typeof name === 'string' && !name.includes('${') && !rule(name))
      broken.push(`${resource.address}: "${name}"`);
  }
  return broken;
}
