/**
 * The rule pack: every rule of every family, and the public rules we read and did not adopt (with why). Adding a
 * rule: write it in the family file, and add a compliant and a non-compliant case to
 * test/constructs/shared/policy/rules.test.ts (a test fails for a rule without both).
 */
import { PATH_RULES, type PathRuleId } from '../paths/check';
import { PLAN_CHECKS } from './plan-checks';
import type { CheckInfo, NotAdopted } from './rule';
import { AI_RULES } from './rules/ai';
import { APIM_RULES } from './rules/apim';
import { DIAGNOSTICS_RULES } from './rules/diagnostics';
import { EVENT_HUBS_RULES } from './rules/event-hubs';
import { IDENTITY_RULES } from './rules/identity';
import { KEY_VAULT_RULES } from './rules/key-vault';
import { MONITORING_RULES } from './rules/monitoring';
import { NETWORK_RULES } from './rules/network';
import { PROTECTION_RULES } from './rules/protection';
import { REDIS_RULES } from './rules/redis';
import { STORAGE_RULES } from './rules/storage';

export const POLICY_RULES = [
  ...AI_RULES,
  ...APIM_RULES,
  ...KEY_VAULT_RULES,
  ...STORAGE_RULES,
  ...EVENT_HUBS_RULES,
  ...MONITORING_RULES,
  ...DIAGNOSTICS_RULES,
  ...NETWORK_RULES,
  ...IDENTITY_RULES,
  ...PROTECTION_RULES,
  ...REDIS_RULES,
] as const;

export { PLAN_CHECKS };

/** The id of a rule or a plan check: what suppressions and downgrades name. */
export type PolicyRuleId = (typeof POLICY_RULES)[number]['id'] | (typeof PLAN_CHECKS)[number]['id'];

export const POLICY_RULE_IDS = [...POLICY_RULES, ...PLAN_CHECKS].map((r) => r.id) as [
  PolicyRuleId,
  ...PolicyRuleId[],
];

/** Every id a suppression or a downgrade may name: the rules, the plan checks and the data-path rules (`LZ.Path.*`). */
export type RuleId = PolicyRuleId | PathRuleId;

export const RULE_IDS = [...POLICY_RULE_IDS, ...PATH_RULES.map((r) => r.id)] as [RuleId, ...RuleId[]];

/** Whether `id` names a data-path rule, which the data-path proof reports rather than the rule pack. */
export function isPathRuleId(id: string): id is PathRuleId {
  return PATH_RULE_IDS.has(id);
}
const PATH_RULE_IDS: ReadonlySet<string> = new Set(PATH_RULES.map((r) => r.id));

const BY_ID: ReadonlyMap<string, CheckInfo> = new Map(
  [...POLICY_RULES, ...PLAN_CHECKS].map((r) => [r.id, r as CheckInfo]),
);
if (BY_ID.size !== POLICY_RULE_IDS.length) throw new Error('policy rule ids must be unique');

/** The rule or plan check with this id. */
export function ruleById(id: string): CheckInfo | undefined {
  return BY_ID.get(id);
}

export function isPolicyRuleId(id: string): id is PolicyRuleId {
  return BY_ID.has(id);
}

/** Public checks for the types we deploy that the pack does not adopt, and why. The audit report lists them. */
export const NOT_ADOPTED: readonly NotAdopted[] = [
  {
    source: 'CKV2_AZURE_22',
    title: 'Cognitive Services accounts encrypt with a customer-managed key',
    reason:
      'Microsoft-managed keys for now: a CMK needs a key per account in a premium vault and a key-rotation runbook; tracked as an open point.',
  },
  {
    source: 'CKV2_AZURE_1',
    title: 'Storage accounts encrypt critical data with a customer-managed key',
    reason:
      'Same decision as CKV2_AZURE_22; the prompt library uses infrastructure (double) encryption with platform keys.',
  },
  {
    source: 'CKV_AZURE_152',
    title: 'API Management enforces client certificates',
    reason: 'The check applies to the Consumption tier only, which the blueprint does not offer.',
  },
  {
    source: 'Azure.APIM.ProductTerms',
    title: 'Products carry legal terms',
    reason:
      'Tenants are internal and receive their subscriptions from the pipeline; the developer portal that shows terms is not published.',
  },
  {
    source: 'Azure.APIM.DefenderCloud / Azure.Defender.*',
    title: 'Microsoft Defender plans (APIs, Storage, Key Vault, Cognitive Services)',
    reason:
      'Defender plans are subscription-wide settings owned by the enterprise landing zone, not by this workload.',
  },
  {
    source: 'Azure.Log.Replication',
    title: 'Log Analytics workspace replication',
    reason: 'azurerm 4.55 cannot configure workspace replication; it would need an azapi patch. Open point.',
  },
  {
    source: 'Azure.RBAC.UseRGDelegation',
    title: 'Assign roles on resource groups instead of resources',
    reason:
      'It trades least privilege for fewer assignments; the gateway identity gets its roles on each account.',
  },
  {
    source: 'Azure.RBAC.PIM',
    title: 'Use just-in-time role activation',
    reason:
      'The assignments here are for workload identities, which cannot activate roles; people get access through PIM outside this code.',
  },
  {
    source: 'CKV_AZURE_43 / Azure.*.Name / Azure.*.Naming',
    title: 'Names meet Azure naming rules',
    reason:
      'Covered at parse time: environments/names.ts checks every name against each type’s rules (schema rule names-fit-azure-rules).',
  },
  {
    source: 'CKV_AZURE_183 / Azure.VNET.LocalDNS',
    title: 'VNets use DNS servers inside their address space',
    reason:
      'The VNets use Azure DNS, which resolves the private DNS zones; custom servers are checked by LZ.Network.VnetDns.',
  },
];
