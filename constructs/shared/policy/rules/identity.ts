/** Role assignments. Sources: PSRule Azure.RBAC.*, MCSB PA-7 (least privilege). */
import { check, rule } from '../rule';

const ASSIGNMENT = 'azurerm_role_assignment';
/** Roles that grant control or the power to grant: never assigned by the landing zone. */
const PRIVILEGED = new Set([
  'owner',
  'contributor',
  'user access administrator',
  'role based access control administrator',
]);
const PRIVILEGED_IDS = [
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', // Owner
  'b24988ac-6180-42a0-ab88-20f7382dd24c', // Contributor
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', // User Access Administrator
  'f58310d9-a9f6-439a-9e8d-f62e7b41a168', // Role Based Access Control Administrator
];

export const IDENTITY_RULES = [
  rule({
    id: 'LZ.RBAC.NoPrivilegedRoles',
    title: 'The landing zone assigns no Owner, Contributor or access-administration role',
    severity: 'high',
    appliesTo: [ASSIGNMENT],
    sources: ['Azure.RBAC.LimitOwner', 'own: MCSB PA-7 least privilege; data-plane roles only'],
    fix: 'Assign the narrowest data-plane role (Cognitive Services OpenAI User, Key Vault Secrets User, …).',
    check: (r) => {
      const name = String(r.config['role_definition_name'] ?? '').toLowerCase();
      const id = String(r.config['role_definition_id'] ?? '').toLowerCase();
      return check(
        !PRIVILEGED.has(name) && !PRIVILEGED_IDS.some((g) => id.endsWith(g)),
        `role ${name || id} is privileged`,
      );
    },
  }),
  rule({
    id: 'LZ.RBAC.NarrowScope',
    title: 'Roles are assigned on resources or resource groups, never on a subscription or management group',
    severity: 'high',
    appliesTo: [ASSIGNMENT],
    sources: ['own: MCSB PA-7 least privilege'],
    fix: 'Scope the assignment to the resource the principal uses.',
    check: (r) => {
      const scope = String(r.config['scope'] ?? '');
      const wide =
        /^\/subscriptions\/[^/]+\/?$/i.test(scope) ||
        /^\/providers\/Microsoft\.Management\//i.test(scope) ||
        scope === '/';
      return check(!wide, `scope ${scope}`);
    },
  }),
  rule({
    id: 'LZ.RBAC.NoUserAssignments',
    title: 'Roles go to identities and groups, never to individual users',
    severity: 'medium',
    appliesTo: [ASSIGNMENT],
    sources: ['Azure.RBAC.UseGroups'],
    fix: 'Assign the role to a group or a managed identity.',
    check: (r) => check(r.config['principal_type'] !== 'User', 'assigned to a user'),
  }),
  rule({
    id: 'LZ.RBAC.Described',
    title: 'Every role assignment says why the principal needs it',
    severity: 'low',
    appliesTo: [ASSIGNMENT],
    sources: ['own: the audit RBAC matrix shows the description'],
    fix: 'Set description.',
    check: (r) =>
      check(
        typeof r.config['description'] === 'string' && r.config['description'].length > 0,
        'no description',
      ),
  }),
] as const;
