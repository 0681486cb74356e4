/** Lookups several rule families share: what else in the plan attaches to a resource. */
import { field, type PlanResource, type StackPlan } from '../../plan';

/** Diagnostic settings whose target is this resource (or one of its sub-resources). */
export function diagnosticSettingsOf(plan: StackPlan, resource: PlanResource): PlanResource[] {
  return plan
    .referrers(resource)
    .filter(
      (setting) =>
        setting.type === 'azurerm_monitor_diagnostic_setting' &&
        plan.refersTo(setting.config['target_resource_id'], resource),
    );
}

/** Private endpoints that connect to this resource. */
export function privateEndpointsOf(plan: StackPlan, resource: PlanResource): PlanResource[] {
  return plan
    .byType('azurerm_private_endpoint')
    .filter((pe) =>
      plan.refersTo(field(pe.config, 'private_service_connection.private_connection_resource_id'), resource),
    );
}

/** The resource group a resource lives in, when the plan creates it. */
export function resourceGroupOf(plan: StackPlan, resource: PlanResource): PlanResource | undefined {
  const group = plan.resolve(resource.config['resource_group_name']);
  return group?.type === 'azurerm_resource_group' ? group : undefined;
}

/** Management locks on the resource itself or on its resource group. */
export function locksOn(plan: StackPlan, resource: PlanResource): PlanResource[] {
  const group = resourceGroupOf(plan, resource);
  return plan
    .byType('azurerm_management_lock')
    .filter(
      (lock) =>
        plan.refersTo(lock.config['scope'], resource) ||
        (group !== undefined && lock.config['scope'] === plan.ref(group)),
    );
}

/** Where a reference or an ARM id points, for messages: `azurerm_key_vault.X` or the literal. */
export function describe(value: unknown): string {
  return typeof value === 'string' ? value.replace(/^\$\{(.*)\}$/, '$1') : JSON.stringify(value);
}

/** Types that refer to a resource without using it: monitoring, locks and role assignments. */
const BOOKKEEPING = new Set([
  'azurerm_monitor_diagnostic_setting',
  'azurerm_management_lock',
  'azurerm_role_assignment',
  'azurerm_resource_policy_exemption',
]);

/** Resources that use this one (a gateway that takes a public IP), leaving out diagnostics, locks and roles. */
export function usersOf(plan: StackPlan, resource: PlanResource): PlanResource[] {
  return plan.referrers(resource).filter((r) => !BOOKKEEPING.has(r.type));
}
