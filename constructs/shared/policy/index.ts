export {
  evaluatePolicy,
  type GovernanceProblem,
  MIN_REASON_LENGTH,
  type RuleResult,
  type Suppression,
} from './engine';
export {
  codeSuppressions,
  evaluateGovernance,
  type GovernanceNote,
  type GovernanceOptions,
  type GovernedStack,
  governedStack,
  governStack,
  isGoverned,
  type StackGovernance,
} from './governance';
export {
  isPolicyRuleId,
  NOT_ADOPTED,
  PLAN_CHECKS,
  POLICY_RULE_IDS,
  POLICY_RULES,
  type PolicyRuleId,
  RULE_IDS,
  type RuleId,
  ruleById,
} from './registry';
export {
  POLICY_REPORT_FILE,
  type PolicyReport,
  policyReportPath,
  readPolicyReport,
  type RuleSummary,
  writePolicyReport,
} from './report';
export type { CheckInfo, PlanCheck, PolicyContext, PolicyRule, Severity, Verdict } from './rule';
export { suppressRule } from './suppressions';
