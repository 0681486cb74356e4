import { z } from 'zod';
import type { EnvironmentRule } from '../rules';
import { Email, optIn, slug, Uuid } from './primitives';
import { isArmResourceIdOf } from '../../constructs/shared/arm-id';
import {
  ALERT_KEYS,
  COMMITMENT_TIERS_GB_PER_DAY,
  ALERT_SEVERITIES,
  ALERT_WINDOWS_MINUTES,
  type AlertKey,
  DEFAULT_ALERT_SETTINGS,
  severityLevel,
} from '../../constructs/shared/catalog';

// ---- threshold kinds: each wrong kind has its own message ----

const Percent = z
  .number()
  .min(0, { message: 'expected a percentage between 0 and 100' })
  .max(100, { message: 'expected a percentage between 0 and 100' });

const Milliseconds = z.number().nonnegative({ message: 'expected a latency in milliseconds, 0 or more' });

const Count = z
  .number()
  .int({ message: 'expected a whole number' })
  .nonnegative({ message: 'expected a count of 0 or more' });

const Severity = z.enum(ALERT_SEVERITIES, {
  error: () => `expected a severity: ${ALERT_SEVERITIES.map((s) => `"${s}"`).join(', ')} (Azure's Sev0–Sev4)`,
});

const WindowMinutes = z.literal(ALERT_WINDOWS_MINUTES, {
  error: () => `expected a window of ${ALERT_WINDOWS_MINUTES.join(', ')} minutes`,
});

const D = DEFAULT_ALERT_SETTINGS;

/** Severity and window of one alert, defaulted from the catalog. */
function common(key: Exclude<AlertKey, 'tenantTokenQuota'>) {
  return {
    severity: Severity.default(D[key].severity),
    windowMinutes: WindowMinutes.default(D[key].windowMinutes),
  };
}

export const AlertsSection = z
  .strictObject({
    modelThrottling: z
      .strictObject({ aboveCount: Count.default(D.modelThrottling.aboveCount), ...common('modelThrottling') })
      .prefault({})
      .describe(
        'Model accounts: HTTP 429s on pay-as-you-go deployments over the window (AzureOpenAIRequests, StatusCode 429).',
      ),
    modelAvailability: z
      .strictObject({
        belowPercent: Percent.default(D.modelAvailability.belowPercent),
        ...common('modelAvailability'),
      })
      .prefault({})
      .describe(
        'Model accounts: availability (calls without a 5xx) below this percentage (AzureOpenAIAvailabilityRate).',
      ),
    modelLatency: z
      .strictObject({ aboveMs: Milliseconds.default(D.modelLatency.aboveMs), ...common('modelLatency') })
      .prefault({})
      .describe(
        'Model accounts: average time to response per deployment above this many ms (AzureOpenAITimeToResponse).',
      ),
    ptuUtilization: z
      .strictObject({
        abovePercent: Percent.default(D.ptuUtilization.abovePercent),
        ...common('ptuUtilization'),
      })
      .prefault({})
      .describe(
        'Model accounts with PTU deployments: utilization above this percentage (AzureOpenAIProvisionedManagedUtilizationV2).',
      ),
    modelContentFilterBlocks: z
      .strictObject({
        aboveCount: Count.default(D.modelContentFilterBlocks.aboveCount),
        ...common('modelContentFilterBlocks'),
      })
      .prefault({})
      .describe(
        'Model accounts: calls rejected by the content filter over the window (RAIRejectedRequests).',
      ),
    gatewayServerErrors: z
      .strictObject({
        abovePercent: Percent.default(D.gatewayServerErrors.abovePercent),
        minimumRequests: Count.default(D.gatewayServerErrors.minimumRequests).describe(
          'Evaluate only when at least this many requests arrived in the window, so one failure at night does not page.',
        ),
        ...common('gatewayServerErrors'),
      })
      .prefault({})
      .describe('Gateway: share of requests answered 5xx above this percentage (ApiManagementGatewayLogs).'),
    gatewayBackendDuration: z
      .strictObject({
        aboveMs: Milliseconds.default(D.gatewayBackendDuration.aboveMs),
        ...common('gatewayBackendDuration'),
      })
      .prefault({})
      .describe('Gateway: average backend (model) call duration above this many ms (BackendDuration).'),
    gatewayCapacity: z
      .strictObject({
        abovePercent: Percent.default(D.gatewayCapacity.abovePercent),
        ...common('gatewayCapacity'),
      })
      .prefault({})
      .describe('Gateway: Capacity (classic tiers) or CPU and memory (v2 tiers) above this percentage.'),
    gatewayThrottling: z
      .strictObject({
        aboveCount: Count.default(D.gatewayThrottling.aboveCount),
        ...common('gatewayThrottling'),
      })
      .prefault({})
      .describe('Gateway: 429s returned to clients over the window (Requests, GatewayResponseCode 429).'),
    gatewayPoolExhausted: z
      .strictObject({
        aboveCount: Count.default(D.gatewayPoolExhausted.aboveCount),
        ...common('gatewayPoolExhausted'),
      })
      .prefault({})
      .describe(
        'Gateway: 503s answered without a backend call (every circuit breaker of a pool open) over the window.',
      ),
    gatewayContentSafetyBlocks: z
      .strictObject({
        aboveCount: Count.default(D.gatewayContentSafetyBlocks.aboveCount),
        ...common('gatewayContentSafetyBlocks'),
      })
      .prefault({})
      .describe("Gateway: requests blocked by the gateway's content-safety check over the window."),
    tenantTokenQuota: z
      .strictObject({
        abovePercent: z
          .number()
          .min(0, { message: 'expected a percentage of the monthly quota, 0 or more' })
          .max(1000, { message: 'expected a percentage of the monthly quota, at most 1000' })
          .default(D.tenantTokenQuota.abovePercent),
        severity: Severity.default(D.tenantTokenQuota.severity),
      })
      .prefault({})
      .describe(
        "Tenants: alert when a tenant's last-24-hour token rate would use more than this share of its monthly quota in 30 days.",
      ),
    keyVaultAvailability: z
      .strictObject({
        belowPercent: Percent.default(D.keyVaultAvailability.belowPercent),
        ...common('keyVaultAvailability'),
      })
      .prefault({})
      .describe('Key Vault: availability below this percentage (Availability).'),
    keyVaultAccessDenied: z
      .strictObject({
        aboveCount: Count.default(D.keyVaultAccessDenied.aboveCount),
        ...common('keyVaultAccessDenied'),
      })
      .prefault({})
      .describe(
        'Key Vault: requests answered 401 or 403 over the window (ServiceApiResult, StatusCode 401/403).',
      ),
  })
  .prefault({})
  .describe(
    'Thresholds, severities and windows of every alert. Defaults are production-sane; override per environment.',
  );

/**
 * Names a webhook variable cannot take: those Terraform reserves for variables (Terraform: "Input Variables", declaring
 * an input variable) and the ids of the stack's own top-level constructs, whose namespace the variable shares.
 */
export const RESERVED_VARIABLE_NAMES: ReadonlySet<string> = new Set([
  'source',
  'version',
  'providers',
  'count',
  'for_each',
  'lifecycle',
  'depends_on',
  'locals',
  'azurerm',
  'azapi',
  'random',
  'backend',
]);

const WebhookReceiver = z
  .strictObject({
    uri: z
      .string()
      .regex(/^https:\/\/[^\s]+$/, { message: 'expected an https:// URL' })
      .optional()
      .describe(
        'The URL, written in config. Only for URLs that carry no secret (secure webhooks with aadAuth).',
      ),
    uriFromVariable: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, {
        message: 'expected a Terraform variable name: lowercase letters, digits, _',
      })
      .max(64, { message: 'expected a Terraform variable name of at most 64 characters' })
      .refine((name) => !RESERVED_VARIABLE_NAMES.has(name), {
        message: `expected a variable name that Terraform and the stack do not use themselves (not ${[...RESERVED_VARIABLE_NAMES].join(', ')})`,
      })
      .optional()
      .describe(
        'Name of a sensitive Terraform variable that holds the URL (set TF_VAR_<name> in the pipeline), so that an integration key never lands in git or in the plan.',
      ),
    aadAuth: z
      .strictObject({
        objectId: Uuid.describe('Object id of the Entra application that protects the webhook.'),
        identifierUri: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9+.-]*:[^\s{}<>"\\^`|]+$/, {
            message: 'expected the application id URI, such as api://alerts-bridge',
          })
          .optional(),
        tenantId: Uuid.optional(),
      })
      .optional()
      .describe('Secure webhook: Azure Monitor calls it with an Entra ID token.'),
  })
  .describe('A webhook receiver (pager, chat bridge, ITSM), called with the common alert schema.');

const ActionGroup = z
  .strictObject({
    shortName: z
      .string()
      .optional()
      .describe(
        'Short name shown in SMS and e-mail (at most 12 characters). Default: <environment code>-<key>, or the key cut to 12 characters when that is longer.',
      ),
    paging: z
      .boolean()
      .default(false)
      .describe('This group reaches the on-call rotation: alerts it receives page a human.'),
    severities: z
      .array(Severity)
      .min(1, { message: 'expected at least one severity; a group that receives nothing is dead weight' })
      .default([...ALERT_SEVERITIES])
      .describe('The alert severities this group receives. Default: all.'),
    email: z
      .record(slug('receiver name', 40), Email)
      .default({})
      .describe('E-mail receivers, keyed by name.'),
    webhook: z
      .record(slug('receiver name', 40), WebhookReceiver)
      .default({})
      .describe('Webhook receivers, keyed by name.'),
  })
  .describe('An action group: who is told, and of which severities.');

const BudgetNotification = z.strictObject({
  thresholdPercent: z
    .number()
    .min(0, { message: 'expected a percentage of the budget between 0 and 1000' })
    .max(1000, { message: 'expected a percentage of the budget between 0 and 1000' })
    .describe('Percentage of the budget amount (Azure allows 0–1000).'),
  type: z
    .enum(['Actual', 'Forecasted'], { error: () => 'expected "Actual" or "Forecasted"' })
    .describe('Actual: spend so far. Forecasted: what Cost Management expects by the end of the month.'),
});

export const BudgetSection = z
  .strictObject({
    amount: z
      .number()
      .positive({ message: 'expected a positive amount, in the billing currency' })
      .describe('Monthly budget in the billing currency of the subscription.'),
    startDate: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, { message: 'expected the first day of a month, as YYYY-MM-01' })
      .describe(
        'First month the budget tracks. Azure requires the first of a month, not more than 12 months ahead, and a past date only within the current month; changing it replaces the budget.',
      ),
    notifications: z
      .array(BudgetNotification)
      .min(1, {
        message:
          'a budget needs at least one notification threshold; expected e.g. [{ thresholdPercent: 80, type: "Actual" }]',
      })
      .max(5, { message: 'Azure allows at most 5 notifications per budget' })
      .describe('When to tell someone: percentages of the amount, actual or forecasted.'),
    contactEmails: z.array(Email).default([]).describe('Addresses that receive budget notifications.'),
    actionGroups: z
      .array(slug('action group key', 40))
      .default([])
      .describe('Keys of monitoring.actionGroups that receive budget notifications.'),
  })
  .describe(
    "The environment's monthly cost budget: one subscription budget filtered to the environment's resource groups.",
  );

/** The access modes of an Azure Monitor Private Link Scope (Learn: "Design Azure Monitor Private Link configuration"). */
export const AMPLS_ACCESS_MODES = ['PrivateOnly', 'Open'] as const;

const AccessMode = z.enum(AMPLS_ACCESS_MODES, {
  error: () => 'expected "PrivateOnly" (only the scope\'s resources) or "Open" (also resources outside it)',
});

export const PrivateLinkScopeSection = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .describe(
        'Reach the workspace and Application Insights through an Azure Monitor Private Link Scope with a private endpoint. Default: on whenever the environment has a private network (network.mode create or byo); needs one.',
      ),
    ingestionAccessMode: AccessMode.default('PrivateOnly').describe(
      'What the networks of the scope may send telemetry to: PrivateOnly (only resources in the scope; blocks exfiltration) or Open.',
    ),
    queryAccessMode: AccessMode.default('PrivateOnly').describe(
      'What the networks of the scope may query: PrivateOnly (only resources in the scope) or Open.',
    ),
    publicIngestion: optIn(
      'Keep ingestion from public networks on (the workspace and Application Insights). Off by default with the scope: every caller that sends telemetry goes through it; diagnostic settings use a Microsoft channel this setting does not govern.',
    ),
    publicQuery: optIn(
      'Keep queries from public networks on. Off by default with the scope: the portal (Logs, the operations workbook, insights) then works only from a browser in a network that reaches the private endpoint and resolves its zones, and queries through the Resource Manager API cannot use the scope.',
    ),
  })
  .prefault({})
  .describe(
    'Private monitoring: an Azure Monitor Private Link Scope over the workspace and Application Insights, its private endpoint in the primary region with the five Azure Monitor DNS zones, and public ingestion and query off.',
  );

/** ARM id of an existing resource of one type, with the expected shape in the message. */
function existingId(type: string, example: string) {
  return z.string().refine((id) => isArmResourceIdOf(id, type), {
    message: `expected the ARM id of ${example}`,
  });
}

export const ExistingMonitoringSection = z
  .strictObject({
    workspaceId: existingId(
      'Microsoft.OperationalInsights/workspaces',
      'a Log Analytics workspace: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.OperationalInsights/workspaces/<name>',
    )
      .optional()
      .describe(
        "Bring your own Log Analytics workspace (often the hub's): every diagnostic setting, alert and the workbook use it, and the stack creates none.",
      ),
    applicationInsightsId: existingId(
      'Microsoft.Insights/components',
      'an Application Insights component: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Insights/components/<name>',
    )
      .optional()
      .describe(
        'Bring your own Application Insights component, in the deployment subscription (the stack reads its connection string): the gateway logger and alerts use it, and the stack creates none.',
      ),
  })
  .prefault({})
  .describe(
    'Existing monitoring resources the stack uses instead of creating its own. The stack cannot see their settings: the audit lists what it assumes of them.',
  );

export const MonitoringSection = z
  .strictObject({
    logRetentionInDays: z
      .number()
      .int({ message: 'expected a whole number of days' })
      .min(30, { message: 'Log Analytics keeps data 30–730 days; expected at least 30' })
      .max(730, { message: 'Log Analytics keeps data 30–730 days; expected at most 730' })
      .default(30)
      .describe('Retention of the Log Analytics workspace and Application Insights, in days (30–730).'),
    dailyQuotaGb: z
      .number()
      .positive({ message: 'expected a positive number of GB, or leave it out for no cap' })
      .optional()
      .describe('Daily ingestion cap of the workspace in GB. Default: no cap.'),
    commitmentTierGbPerDay: z
      .number()
      .refine((value) => (COMMITMENT_TIERS_GB_PER_DAY as readonly number[]).includes(value), {
        message: `expected a commitment tier in GB per day (one of: ${COMMITMENT_TIERS_GB_PER_DAY.join(', ')})`,
      })
      .optional()
      .describe(
        'Commitment tier of the workspace (pricing tier CapacityReservation), in GB per day. Event Hubs ingestion into the usage ledger needs one. Default: pay-as-you-go (PerGB2018).',
      ),
    actionGroups: z
      .record(slug('action group key', 40), ActionGroup)
      .default({})
      .describe(
        'Action groups, keyed by a stable name. Alerts reach every group that receives their severity.',
      ),
    alerts: AlertsSection,
    workbook: z
      .strictObject({
        enabled: z
          .boolean()
          .default(true)
          .describe('Deploy the operations workbook (usage, latency, errors, safety).'),
      })
      .prefault({}),
    budget: BudgetSection.optional().describe('Monthly cost budget of the environment. Required in prod.'),
    privateLinkScope: PrivateLinkScopeSection,
    existing: ExistingMonitoringSection,
  })
  .prefault({})
  .describe('Log Analytics, Application Insights, diagnostics, alerts, workbook and budgets.');

export type MonitoringConfig = z.output<typeof MonitoringSection>;
export type ActionGroupConfig = z.output<typeof ActionGroup>;

export const MONITORING_FIELDS = { monitoring: MonitoringSection };

/** True when the group has at least one receiver. */
export function hasReceivers(group: ActionGroupConfig): boolean {
  return Object.keys(group.email).length + Object.keys(group.webhook).length > 0;
}

type Env = { stage: 'dev' | 'staging' | 'prod'; monitoring: MonitoringConfig };

/** The cross-field rules of the monitoring section. */
export function monitoringRules<E extends Env>(): EnvironmentRule<E>[] {
  const groupsPath = ['monitoring', 'actionGroups'];
  return [
    {
      id: 'webhook-uri-given-once',
      reads: [groupsPath],
      check: (env, report) => {
        for (const [key, group] of Object.entries(env.monitoring.actionGroups)) {
          for (const [name, webhook] of Object.entries(group.webhook)) {
            if ((webhook.uri === undefined) === (webhook.uriFromVariable === undefined)) {
              report({
                path: [...groupsPath, key, 'webhook', name],
                message: 'expected exactly one of uri or uriFromVariable',
              });
            }
          }
        }
      },
    },
    {
      id: 'webhook-secret-not-in-config',
      reads: [groupsPath],
      check: (env, report) => {
        // Every stage: a dev plan is read by as many people as prod's, and a pager key works the same from either.
        for (const [key, group] of Object.entries(env.monitoring.actionGroups)) {
          for (const [name, webhook] of Object.entries(group.webhook)) {
            if (webhook.uri !== undefined && webhook.aadAuth === undefined) {
              report({
                path: [...groupsPath, key, 'webhook', name, 'uri'],
                message: `a webhook URL usually carries its integration key, which must not live in git or in the plan; expected uriFromVariable (a sensitive Terraform variable), or aadAuth for a secure webhook`,
              });
            }
          }
        }
      },
    },
    {
      id: 'prod-action-groups-have-receivers',
      reads: [['stage'], groupsPath],
      check: (env, report) => {
        if (env.stage !== 'prod') return;
        for (const [key, group] of Object.entries(env.monitoring.actionGroups)) {
          if (!hasReceivers(group)) {
            report({
              path: [...groupsPath, key],
              message:
                'prod: an action group with no receivers tells no one; expected at least one email or webhook receiver',
            });
          }
        }
      },
    },
    {
      id: 'prod-pages-on-call',
      reads: [['stage'], groupsPath],
      check: (env, report) => {
        if (env.stage !== 'prod') return;
        const paging = Object.values(env.monitoring.actionGroups).filter((g) => g.paging && hasReceivers(g));
        if (paging.length === 0) {
          report({
            path: groupsPath,
            message:
              'prod: alerts must reach on-call; expected an action group with paging: true and at least one receiver',
          });
        }
      },
    },
    {
      id: 'alert-severities-routed',
      reads: [['stage'], groupsPath, ['monitoring', 'alerts']],
      check: (env, report) => {
        if (Object.keys(env.monitoring.actionGroups).length === 0) {
          // dev may run without (its alerts then show in the portal only); prod-pages-on-call covers prod.
          if (env.stage === 'staging') {
            report({
              path: groupsPath,
              message: `${env.stage}: every alert needs someone to tell; expected at least one action group with a receiver`,
            });
          }
          return;
        }
        const received = new Set(Object.values(env.monitoring.actionGroups).flatMap((g) => g.severities));
        for (const key of ALERT_KEYS) {
          const severity = env.monitoring.alerts[key].severity;
          if (!received.has(severity)) {
            report({
              path: ['monitoring', 'alerts', key, 'severity'],
              message: `no action group receives "${severity}" alerts, so this alert would tell no one; expected an action group whose severities include "${severity}"`,
            });
          }
        }
      },
    },
    {
      id: 'prod-urgent-alerts-page',
      reads: [['stage'], groupsPath, ['monitoring', 'alerts']],
      check: (env, report) => {
        if (env.stage !== 'prod') return;
        const pagingGroups = Object.values(env.monitoring.actionGroups).filter(
          (g) => g.paging && hasReceivers(g),
        );
        if (pagingGroups.length === 0) return; // prod-pages-on-call reports it once
        const paged = new Set(pagingGroups.flatMap((g) => g.severities));
        for (const key of ALERT_KEYS) {
          const severity = env.monitoring.alerts[key].severity;
          if (severityLevel(severity) <= 1 && !paged.has(severity)) {
            report({
              path: ['monitoring', 'alerts', key, 'severity'],
              message: `prod: "${severity}" alerts must page on-call; expected a paging action group whose severities include "${severity}"`,
            });
          }
        }
      },
    },
    {
      id: 'prod-has-budget',
      reads: [['stage'], ['monitoring', 'budget']],
      check: (env, report) => {
        if (env.stage === 'prod' && env.monitoring.budget === undefined) {
          report({
            path: ['monitoring', 'budget'],
            message: 'prod: spend must be watched; expected a budget with notification thresholds',
          });
        }
      },
    },
    {
      id: 'budget-has-recipients',
      reads: [['monitoring', 'budget'], groupsPath],
      check: (env, report) => {
        const budget = env.monitoring.budget;
        if (!budget) return;
        if (budget.contactEmails.length === 0 && budget.actionGroups.length === 0) {
          report({
            path: ['monitoring', 'budget'],
            message: 'a budget notification needs a recipient; expected contactEmails or actionGroups',
          });
        }
        budget.actionGroups.forEach((key, i) => {
          if (!(key in env.monitoring.actionGroups)) {
            report({
              path: ['monitoring', 'budget', 'actionGroups', i],
              message: `no action group "${key}" in monitoring.actionGroups; expected one of: ${Object.keys(env.monitoring.actionGroups).join(', ') || '(none defined)'}`,
            });
          }
        });
      },
    },
  ];
}
