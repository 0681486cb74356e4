/** The public face of this capability: what stacks, other capabilities and tests use. Internals stay unexported here. */
export {
  BUDGET_SUSPENSION_PERCENT,
  BUDGET_WARNING_PERCENT,
  BudgetEnforcement,
  type BudgetEnforcementProps,
  LEDGER_READER_ACTIONS,
  SUSPENDER_ACTIONS,
} from './budget-enforcement';
export { type TenantBudget, tenantCostQuery } from './ledger-kql';
export { UsageLedger, type UsageLedgerProps } from './usage-ledger';
