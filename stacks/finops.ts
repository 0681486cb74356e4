import type { Construct } from 'constructs';
import type { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import type { LedgerDeployment } from '../constructs/ai-gateway';
import { BudgetEnforcement, tenantCostQuery, type TenantBudget, UsageLedger } from '../constructs/finops';
import type { ActionGroups, Monitoring } from '../constructs/monitoring';
import type { AzureRegion } from '../constructs/shared/catalog';
import type { LockOptions } from '../constructs/shared/interfaces';
import { privateEndpointProp, type PrivateLinkContext } from '../constructs/shared/private-endpoint';
import type { EnvironmentNames } from '../environments/names';
import { tenantsIn } from '../environments/sections/tenants';
import type { Environment } from '../environments/schema';

/**
 * What every backend host and deployment serves: the shared accounts of every region and the dedicated tenants'
 * accounts. The ledger's record looks it up by the host that served and the deployment called.
 */
export function ledgerDeployments(env: Environment, names: EnvironmentNames): LedgerDeployment[] {
  const shared = Object.entries(env.endpoints.accounts).flatMap(([region, account]) =>
    Object.entries(account!.deployments).map(([deployment, d]) => ({
      account: names.aiAccounts[region as AzureRegion]!.name,
      deployment,
      model: d.model.name,
      type: d.type,
      region,
    })),
  );
  const dedicated = tenantsIn(env).flatMap(({ slug, allocation, hasData }) =>
    !hasData
      ? []
      : Object.entries(allocation.dedicated?.accounts ?? {}).flatMap(([region, account]) =>
          Object.entries(account!.deployments).map(([deployment, d]) => ({
            account: names.tenants[slug]!.dedicated!.accounts[region as AzureRegion]!.name,
            deployment,
            model: d.model.name,
            type: d.type,
            region,
          })),
        ),
  );
  return [...shared, ...dedicated];
}

/** The usage ledger of the environment, when `finops.ledger` is on. */
export function buildUsageLedger(
  stack: Construct,
  env: Environment,
  names: EnvironmentNames,
  parts: {
    readonly resourceGroupName: string;
    readonly monitoring: Monitoring;
    readonly privateLink: PrivateLinkContext | undefined;
    readonly senderPrincipalId: string;
    readonly protection: { readonly lock?: LockOptions; readonly preventDestroy?: boolean };
  },
): UsageLedger | undefined {
  const ledger = env.finops?.ledger;
  if (!ledger?.enabled) return undefined;
  const primary = env.regions.primary;
  const ledgerNames = names.finops.ledger;
  return new UsageLedger(stack, 'UsageLedger', {
    namespaceName: ledgerNames.namespace,
    hubName: ledgerNames.hub,
    consumerGroupName: ledgerNames.consumerGroup,
    location: primary,
    resourceGroupName: parts.resourceGroupName,
    throughputUnits: ledger.throughputUnits,
    partitionCount: ledger.partitionCount,
    workspaceId: parts.monitoring.workspaceId,
    interactiveRetentionInDays: ledger.interactiveRetentionInDays,
    totalRetentionInDays: ledger.totalRetentionInDays,
    collectionEndpointName: ledgerNames.collectionEndpoint,
    collectionRuleName: ledgerNames.collectionRule,
    senderPrincipalId: parts.senderPrincipalId,
    diagnosticSettings: parts.monitoring.diagnostics(),
    ...parts.protection,
    ...privateEndpointProp(parts.privateLink, 'eventHubs', primary, ledgerNames.privateEndpoint),
  });
}

/** The tenants of the environment with a monthly budget (and gateway access to suspend). */
export function tenantBudgets(env: Environment): TenantBudget[] {
  return tenantsIn(env).flatMap((t) =>
    t.hasAccess && t.allocation.budget ? [{ slug: t.slug, monthly: t.allocation.budget.monthly }] : [],
  );
}

/**
 * Budget enforcement, whenever the ledger is on: a platform automation that does not come and go with the tenants
 * (adding or offboarding the one tenant with a budget moves no address). Without budgets its hourly query finds none.
 */
export function buildBudgetEnforcement(
  stack: Construct,
  env: Environment,
  names: EnvironmentNames,
  parts: {
    readonly resourceGroupName: string;
    readonly gatewayId: string;
    readonly monitoring: Monitoring;
    readonly actionGroups: ActionGroups;
  },
): BudgetEnforcement | undefined {
  const budgets = tenantBudgets(env);
  if (!env.finops?.ledger.enabled) return undefined;
  const budgetNames = names.finops.budgets;
  return new BudgetEnforcement(stack, 'BudgetEnforcement', {
    logicAppName: budgetNames.logicApp,
    location: env.regions.primary,
    resourceGroupName: parts.resourceGroupName,
    gatewayId: parts.gatewayId,
    workspace: {
      resourceId: parts.monitoring.workspaceId,
      customerId: ownWorkspace(parts.monitoring).workspaceId,
    },
    suspenderRoleName: budgetNames.suspenderRole,
    ledgerReaderRoleName: budgetNames.ledgerReaderRole,
    prices: env.finops.prices,
    currency: env.finops.currency,
    budgets,
    alerts: {
      warningName: budgetNames.warningAlert,
      suspensionName: budgetNames.suspensionAlert,
      warningActionGroupIds: parts.actionGroups.idsFor('warning'),
      suspensionActionGroupIds: parts.actionGroups.idsFor('error'),
    },
  });
}

/** The workbook's ledger view: month-to-date cost per tenant, when the ledger is on. */
export function workbookLedger(env: Environment): { query: string; currency: string } | undefined {
  return env.finops?.ledger.enabled
    ? { query: tenantCostQuery(env.finops.prices, env.finops.currency), currency: env.finops.currency }
    : undefined;
}

/** The workspace the stack created: the ledger's rules (finops-ledger-own-workspace) refuse an existing one. */
function ownWorkspace(monitoring: Monitoring): LogAnalyticsWorkspace {
  if (!monitoring.workspace)
    throw new Error('the usage ledger needs the workspace the stack creates, not an existing one');
  return monitoring.workspace;
}
