export {
  PolicyAspect,
  type PolicyAspectOptions,
  type PolicyReport,
  policyReportOf,
  policyReportText,
} from './aspect';
export { evaluatePolicy, MIN_REASON_LENGTH, type RuleResult, type Suppression } from './engine';
export { PolicyPlan, type PlanResource } from './plan';
export {
  isPolicyRuleId,
  NOT_ADOPTED,
  POLICY_RULE_IDS,
  POLICY_RULES,
  type PolicyRuleId,
  ruleById,
} from './registry';
export type { PolicyContext, PolicyRule, Severity } from './rule';
export { suppressRule } from './suppressions';
