import { TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { DataAzurermSubscription } from '@cdktf/provider-azurerm/lib/data-azurerm-subscription';
import type { AiEndpoint } from '../constructs/ai-endpoint';
import type { ContentSafety } from '../constructs/content-safety';
import type { AiGateway } from '../constructs/ai-gateway';
import type { KeyVault } from '../constructs/key-vault';
import {
  ActionGroups,
  Alerts,
  Budgets,
  type Monitoring,
  OperationsWorkbook,
  type ResourceGroupBudgetProps,
  type TenantTokenQuota,
  type WebhookReceiverProps,
} from '../constructs/monitoring';
import { type AzureRegion, GATEWAY_TIERS, isProvisioned } from '../constructs/shared/catalog';
import type { EnvironmentNames } from '../environments/names';
import type { Environment } from '../environments/schema';
import { workbookLedger } from './finops';

/** The stack parts monitoring watches. */
export interface ObservedParts {
  readonly resourceGroups: Readonly<Record<AzureRegion, ResourceGroup>>;
  readonly monitoring: Monitoring;
  readonly aiEndpoints: Readonly<Partial<Record<AzureRegion, AiEndpoint>>>;
  readonly contentSafety: ContentSafety | undefined;
  /** The gateway: its service for the gateway alerts, its routes for the workbook's spillover share. */
  readonly gateway: AiGateway;
  readonly keyVault: KeyVault;
}

/** What the tenants bring to monitoring. */
export interface ObservedTenants {
  /** Tenants with monthly token quotas. */
  readonly quotas: readonly TenantTokenQuota[];
  /** Budgets of dedicated tenants on their resource groups. */
  readonly dedicatedBudgets: readonly ResourceGroupBudgetProps[];
}

export interface Observability {
  readonly actionGroups: ActionGroups;
  readonly alerts: Alerts;
  readonly workbook: OperationsWorkbook | undefined;
  readonly budgets: Budgets | undefined;
}

/**
 * Action groups, alerts, the operations workbook and budgets of an environment, from its config. Call it after the
 * resources it watches exist. Webhook URLs that carry secrets come in as sensitive Terraform variables
 * (`uriFromVariable`), so neither git nor the synthesized plan contains them.
 */
export function addObservability(
  stack: Construct,
  env: Environment,
  names: EnvironmentNames,
  parts: ObservedParts,
  tenants: ObservedTenants,
): Observability {
  const primary = env.regions.primary;
  const resourceGroupName = parts.resourceGroups[primary].name;
  const monitoring = env.monitoring;

  const variables = new Map<string, TerraformVariable>();
  const secretUri = (name: string): string => {
    if (!variables.has(name)) {
      variables.set(
        name,
        new TerraformVariable(stack, name, {
          type: 'string',
          sensitive: true,
          nullable: false,
          description: `Webhook URL of an action group receiver; set TF_VAR_${name} in the pipeline.`,
        }),
      );
    }
    return variables.get(name)!.stringValue;
  };

  const actionGroups = new ActionGroups(stack, 'ActionGroups', {
    resourceGroupName,
    groups: Object.fromEntries(
      Object.entries(monitoring.actionGroups).map(([key, group]) => [
        key,
        {
          ...names.monitoring.actionGroups[key]!,
          paging: group.paging,
          severities: group.severities,
          emailReceivers: group.email,
          webhookReceivers: Object.fromEntries(
            Object.entries(group.webhook).map(([name, webhook]): [string, WebhookReceiverProps] => [
              name,
              {
                serviceUri: webhook.uriFromVariable ? secretUri(webhook.uriFromVariable) : webhook.uri!,
                ...(webhook.aadAuth ? { aadAuth: webhook.aadAuth } : {}),
              },
            ]),
          ),
        },
      ]),
    ),
  });

  const accounts = Object.entries(env.endpoints.accounts).map(([key, account]) => ({
    region: key as AzureRegion,
    deployments: account!.deployments,
  }));

  const alerts = new Alerts(stack, 'Alerts', {
    resourceGroupName,
    location: primary,
    routing: actionGroups,
    settings: monitoring.alerts,
    alertName: (signal, region) => names.monitoring.alert(signal, region as AzureRegion),
    modelAccounts: Object.fromEntries(
      accounts.map(({ region, deployments }) => [
        region,
        {
          resourceId: parts.aiEndpoints[region]!.resourceId,
          region,
          deployments: Object.fromEntries(Object.entries(deployments).map(([name, d]) => [name, d.type])),
        },
      ]),
    ),
    applicationInsights: { resourceId: parts.monitoring.applicationInsightsId },
    ...(parts.contentSafety ? { contentSafety: { resourceId: parts.contentSafety.resourceId } } : {}),
    gateway: {
      resourceId: parts.gateway.resourceId,
      tier: GATEWAY_TIERS[parts.gateway.tier].v2 ? 'v2' : 'classic',
    },
    keyVault: { resourceId: parts.keyVault.resourceId },
    tenants: tenants.quotas,
    ...(env.evaluation?.continuous
      ? {
          modelDecay: {
            severity: env.evaluation.continuous.severity,
            windowHours: env.evaluation.continuous.windowHours,
          },
        }
      : {}),
  });

  // The workbook's spillover share: the PTU backends the gateway routes to, by the ids the gateway gave them.
  const ptu = parts.gateway.routes.flatMap((route) => route.members).filter((m) => isProvisioned(m.type));
  const provisioned = {
    deployments: [...new Set(ptu.map((m) => m.deployment))].sort(),
    backendIds: ptu.map((m) => m.backendId).sort(),
  };
  const ledger = workbookLedger(env);
  const workbook = monitoring.workbook.enabled
    ? new OperationsWorkbook(stack, 'OperationsWorkbook', {
        name: names.monitoring.workbook,
        displayName: `GenAI platform operations (${env.name})`,
        location: primary,
        resourceGroupName,
        workspaceId: parts.monitoring.workspaceId,
        applicationInsightsId: parts.monitoring.applicationInsightsId,
        provisioned,
        ...(ledger ? { ledger } : {}),
      })
    : undefined;

  const budget = monitoring.budget;
  const dedicated = tenants.dedicatedBudgets;
  const budgets =
    budget || dedicated.length > 0
      ? new Budgets(stack, 'Budgets', {
          ...(budget
            ? {
                environment: {
                  name: names.monitoring.budget,
                  subscriptionResourceId: env.azure.subscriptionId
                    ? `/subscriptions/${env.azure.subscriptionId}`
                    : new DataAzurermSubscription(stack, 'CurrentSubscription').id,
                  resourceGroupNames: Object.values(names.resourceGroups),
                  amount: budget.amount,
                  startDate: budget.startDate,
                  notifications: budget.notifications,
                  contactEmails: budget.contactEmails,
                  actionGroupIds: actionGroups.idsOf(budget.actionGroups),
                },
              }
            : {}),
          dedicated,
        })
      : undefined;

  return { actionGroups, alerts, workbook, budgets };
}
