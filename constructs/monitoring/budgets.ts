import { Construct } from 'constructs';
import { ConsumptionBudgetResourceGroup } from '@cdktf/provider-azurerm/lib/consumption-budget-resource-group';
import { ConsumptionBudgetSubscription } from '@cdktf/provider-azurerm/lib/consumption-budget-subscription';

/** When to notify: a percentage of the amount, on actual or forecasted cost. */
export interface BudgetNotificationProps {
  /** Percentage of the amount; Azure allows 0–1000. */
  readonly thresholdPercent: number;
  readonly type: 'Actual' | 'Forecasted';
}

/** A monthly cost budget. */
export interface BudgetProps {
  /** Resource name (from the name plan). */
  readonly name: string;
  /** Monthly amount in the billing currency. */
  readonly amount: number;
  /** First month tracked, `YYYY-MM-01`. Changing it replaces the budget. */
  readonly startDate: string;
  /** At least one. */
  readonly notifications: readonly BudgetNotificationProps[];
  /** @default - none */
  readonly contactEmails?: readonly string[];
  /** ARM ids of action groups to notify. @default - none */
  readonly actionGroupIds?: readonly string[];
}

/** The environment's budget: one subscription budget filtered to the environment's resource groups. */
export interface EnvironmentBudgetProps extends BudgetProps {
  /** `/subscriptions/<id>`. */
  readonly subscriptionResourceId: string;
  /** Names of the environment's resource groups: the budget counts their cost only. */
  readonly resourceGroupNames: readonly string[];
}

/** A dedicated tenant's budget on its own resource group. */
export interface ResourceGroupBudgetProps extends BudgetProps {
  /** Stable key (the tenant slug); it forms the construct id. */
  readonly key: string;
  /** ARM id of the resource group. */
  readonly resourceGroupId: string;
}

export interface BudgetsProps {
  /** @default - no environment budget */
  readonly environment?: EnvironmentBudgetProps;
  /** Budgets of dedicated tenants, on their resource groups. @default - none */
  readonly dedicated?: readonly ResourceGroupBudgetProps[];
}

function notifications(scope: Construct, budget: BudgetProps) {
  if (budget.notifications.length === 0) {
    throw new Error(`${scope.node.path}: budget "${budget.name}" needs at least one notification threshold`);
  }
  if (!/^\d{4}-(0[1-9]|1[0-2])-01$/.test(budget.startDate)) {
    throw new Error(
      `${scope.node.path}: budget "${budget.name}" must start on the first of a month (YYYY-MM-01)`,
    );
  }
  const emails = [...(budget.contactEmails ?? [])];
  const groups = [...(budget.actionGroupIds ?? [])];
  if (emails.length === 0 && groups.length === 0) {
    throw new Error(`${scope.node.path}: budget "${budget.name}" needs contactEmails or actionGroupIds`);
  }
  return budget.notifications.map((n) => ({
    enabled: true,
    threshold: n.thresholdPercent,
    thresholdType: n.type,
    operator: 'GreaterThanOrEqualTo',
    ...(emails.length > 0 ? { contactEmails: emails } : {}),
    ...(groups.length > 0 ? { contactGroups: groups } : {}),
  }));
}

/**
 * Cost budgets. The environment budget is a subscription budget filtered to the environment's resource groups:
 * one amount for the whole environment across its regions, correct when several environments share a subscription,
 * and no extra permission (the pipeline already creates resource groups at subscription scope). Dedicated tenants
 * get resource-group budgets on their own group.
 */
export class Budgets extends Construct {
  readonly environment: ConsumptionBudgetSubscription | undefined;
  readonly dedicated: Readonly<Record<string, ConsumptionBudgetResourceGroup>>;

  constructor(scope: Construct, id: string, props: BudgetsProps) {
    super(scope, id);
    const env = props.environment;
    this.environment = env
      ? new ConsumptionBudgetSubscription(this, 'Environment', {
          name: env.name,
          subscriptionId: env.subscriptionResourceId,
          amount: env.amount,
          timeGrain: 'Monthly',
          timePeriod: { startDate: `${env.startDate}T00:00:00Z` },
          filter: {
            dimension: [{ name: 'ResourceGroupName', operator: 'In', values: [...env.resourceGroupNames] }],
          },
          notification: notifications(this, env),
        })
      : undefined;

    const dedicatedScope = new Construct(this, 'Dedicated');
    const dedicated: Record<string, ConsumptionBudgetResourceGroup> = {};
    for (const budget of props.dedicated ?? []) {
      if (dedicated[budget.key])
        throw new Error(`${this.node.path}: budget key "${budget.key}" is used twice`);
      dedicated[budget.key] = new ConsumptionBudgetResourceGroup(dedicatedScope, budget.key, {
        name: budget.name,
        resourceGroupId: budget.resourceGroupId,
        amount: budget.amount,
        timeGrain: 'Monthly',
        timePeriod: { startDate: `${budget.startDate}T00:00:00Z` },
        notification: notifications(this, budget),
      });
    }
    this.dedicated = dedicated;
  }
}
