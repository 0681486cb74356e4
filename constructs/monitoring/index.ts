/** The public face of this capability: what stacks, other capabilities and tests use. Internals stay unexported here. */
export { ActionGroups, type ActionGroupsProps, type WebhookReceiverProps } from './action-groups';
export { Alerts, type AlertsProps, type TenantTokenQuota, type WatchedGateway } from './alerts';
export { Budgets, type BudgetsProps, type ResourceGroupBudgetProps } from './budgets';
export { Monitoring, type MonitoringProps } from './monitoring';
export {
  type PrivateLinkAccessMode,
  PrivateLinkScope,
  type PrivateLinkScopeProps,
} from './private-link-scope';
export { type WorkbookTemplate } from './workbook-template';
export { OperationsWorkbook, type OperationsWorkbookProps } from './workbook';
