/** Data protection and tagging: locks and prevent_destroy on stateful resources, mandatory tags everywhere. */
import { type PlanResource } from '../../plan';
import { check, notApplicable, rule } from '../rule';
import { locksOn } from './common';

/** The resources that hold data the platform cannot recreate: vault, prompt library, workspace, model accounts. */
export const STATEFUL_TYPES = [
  'azurerm_key_vault',
  'azurerm_storage_account',
  'azurerm_log_analytics_workspace',
  'azurerm_cognitive_account',
];

/** Content Safety and Language accounts hold no data (the gateway's checks only): they are recreated at will. */
function isStateful(resource: PlanResource): boolean {
  return (
    resource.type !== 'azurerm_cognitive_account' ||
    !['ContentSafety', 'TextAnalytics'].includes(String(resource.config['kind']))
  );
}

/** Resource types that carry Azure tags in this blueprint. */
const TAGGED_TYPES = [
  'azurerm_resource_group',
  'azurerm_key_vault',
  'azurerm_storage_account',
  'azurerm_log_analytics_workspace',
  'azurerm_application_insights',
  'azurerm_cognitive_account',
  'azurerm_api_management',
  'azurerm_user_assigned_identity',
  'azurerm_virtual_network',
  'azurerm_network_security_group',
  'azurerm_private_endpoint',
  'azurerm_private_dns_zone',
  'azurerm_public_ip',
];

export const PROTECTION_RULES = [
  rule({
    id: 'LZ.Protection.DeleteLock',
    title: 'Stateful resources carry a CanNotDelete lock',
    severity: 'high',
    appliesTo: STATEFUL_TYPES,
    sources: ['own: prod data protection (Azure resource locks)'],
    fix: 'Turn protection.deleteLocks on: the stack then locks the vault, the prompt library, the workspace and the model accounts.',
    check: (r, plan) => {
      if (!isStateful(r)) return notApplicable();
      return check(
        locksOn(plan, r).some((lock) =>
          ['CanNotDelete', 'ReadOnly'].includes(String(lock.config['lock_level'])),
        ),
        'no CanNotDelete lock on it or its resource group',
      );
    },
  }),
  rule({
    id: 'LZ.Protection.PreventDestroy',
    title: 'Terraform refuses to destroy stateful resources',
    severity: 'high',
    appliesTo: STATEFUL_TYPES,
    sources: ['own: prod data protection (lifecycle.prevent_destroy)'],
    fix: 'Turn protection.preventDestroy on.',
    check: (r) => {
      if (!isStateful(r)) return notApplicable();
      const lifecycle = r.config['lifecycle'] as { prevent_destroy?: unknown } | undefined;
      return check(lifecycle?.prevent_destroy === true, 'lifecycle.prevent_destroy is not true');
    },
  }),
  rule({
    id: 'LZ.Protection.LockNotes',
    title: 'Every lock says why it exists',
    severity: 'low',
    appliesTo: ['azurerm_management_lock'],
    sources: ['own: the portal and the audit show the notes to whoever wants to delete'],
    fix: 'Set notes.',
    check: (r) => check(typeof r.config['notes'] === 'string' && r.config['notes'].length >= 20, 'no notes'),
  }),
  rule({
    id: 'LZ.Tags.Mandatory',
    title: 'Resources carry the mandatory tags',
    severity: 'medium',
    appliesTo: TAGGED_TYPES,
    sources: ['Azure.Resource.UseTags'],
    fix: 'Let the stack tags aspect tag the resource; do not replace its tags with a computed map.',
    check: (r, _plan, context) => {
      const tags = r.config['tags'];
      if (tags !== undefined && (tags === null || typeof tags !== 'object')) return notApplicable();
      const missing = context.mandatoryTags.filter(
        (t) => !(tags as Record<string, unknown> | undefined)?.[t],
      );
      return check(missing.length === 0, `missing tags: ${missing.join(', ')}`);
    },
  }),
] as const;
