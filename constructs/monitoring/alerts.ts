import { kqlString } from '../shared/kql';
import { Construct } from 'constructs';
import { MonitorMetricAlert } from '@cdktf/provider-azurerm/lib/monitor-metric-alert';
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import {
  type DeploymentType,
  isPayAsYouGo,
  isProvisioned,
  type AlertSettings,
  type AlertSeverity,
  type AlertSignal,
  type AlertWindowMinutes,
  DEFAULT_ALERT_SETTINGS,
  severityLevel,
  CONTENT_SAFETY_POLICY,
  DECAY_EVENT,
  LOG_TABLES,
  METRICS,
  type PlatformMetric,
  TOKEN_METRIC_DIMENSIONS,
  TOKEN_METRICS,
} from '../shared/catalog';

/** A model account the alerts watch. */
export interface WatchedModelAccount {
  /** ARM id of the account. */
  readonly resourceId: string;
  /** Region of the account; it goes into the alert names. */
  readonly region: string;
  /** Its deployments: deployment name → deployment type. */
  readonly deployments: Readonly<Record<string, DeploymentType>>;
}

/** The API Management instance of the AI gateway. */
export interface WatchedGateway {
  readonly resourceId: string;
  /**
   * Classic tiers (Developer, Basic, Standard, Premium) report `Capacity`; v2 tiers report CPU and memory of the
   * gateway instead.
   */
  readonly tier: 'classic' | 'v2';
}

/** A tenant whose monthly token quota the gateway enforces. */
export interface TenantTokenQuota {
  /** The tenant's slug: the value of the `Tenant` dimension on the gateway's token metrics. */
  readonly slug: string;
  /** Tokens (prompt + completion) per calendar month. */
  readonly monthlyTokenQuota: number;
}

/** Where alerts send notifications: every action group that receives the alert's severity. */
export interface AlertRouting {
  idsFor(severity: AlertSeverity): string[];
}

/** Per-alert overrides of the defaults. */
export type AlertSettingsInput = { readonly [K in keyof AlertSettings]?: Partial<AlertSettings[K]> };

export interface AlertsProps {
  /** Resource group of the alert rules (the monitoring resource group). */
  readonly resourceGroupName: string;
  /** Region of the log alert rules, and of the gateway, Key Vault and tenant alert names. */
  readonly location: string;
  /** @default - no action: the alerts fire and show in the portal, but tell no one */
  readonly routing?: AlertRouting;
  /** @default DEFAULT_ALERT_SETTINGS */
  readonly settings?: AlertSettingsInput;
  /** Names of the alert rules, from the name plan. @default - `alert-<signal>-<region>` */
  readonly alertName?: (signal: AlertSignal, region: string) => string;
  /** Model accounts, keyed by a stable key (the region). @default - none */
  readonly modelAccounts?: Readonly<Record<string, WatchedModelAccount>>;
  /** The gateway. @default - no gateway alerts */
  readonly gateway?: WatchedGateway;
  /** The Content Safety account the gateway calls. @default - no gateway content-safety alert */
  readonly contentSafety?: { readonly resourceId: string };
  /** Application Insights that receives the gateway's token metrics. Needed for the tenant alert. @default - none */
  readonly applicationInsights?: { readonly resourceId: string };
  /** Tenants with a monthly token quota. @default - none (no tenant alert) */
  readonly tenants?: readonly TenantTokenQuota[];
  /** The Key Vault. @default - no Key Vault alerts */
  readonly keyVault?: { readonly resourceId: string };
  /**
   * Continuous evaluation: the scheduled job sends each score to Application Insights as a `GenAIOpsEvaluation` event,
   * and the model-decay alert fires when one is below its threshold. Needs applicationInsights. @default - none
   */
  readonly modelDecay?: { readonly severity: AlertSeverity; readonly windowHours: number };
}

interface Dimension {
  readonly name: string;
  readonly operator: 'Include' | 'Exclude';
  readonly values: readonly string[];
}

interface MetricCriterion {
  readonly metric: PlatformMetric;
  readonly aggregation: PlatformMetric['aggregations'][number];
  readonly operator: 'GreaterThan' | 'LessThan';
  readonly threshold: number;
  readonly dimensions?: readonly Dimension[];
}

interface LogCriterion {
  readonly query: string;
  readonly measure: string;
  readonly operator: 'GreaterThan' | 'LessThan';
  readonly threshold: number;
  readonly dimensions?: readonly Dimension[];
}

/** Evaluation frequency of every alert: the window slides every five minutes. */
const FREQUENCY = 'PT5M';

function isoMinutes(minutes: AlertWindowMinutes): string {
  return minutes === 60 ? 'PT1H' : `PT${minutes}M`;
}

function sorted<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

/**
 * The alerts of the environment, each on the right scope with a threshold, severity and window from config, an
 * action group by severity, auto-resolution, and a description that tells on-call what to look at first.
 *
 * - model accounts (metric alerts): throttling on pay-as-you-go deployments, availability (5xx), time to response,
 *   PTU utilization (only where PTU deployments exist, filtered to them), content-filter blocks;
 * - gateway (when given): 5xx share and its pool-exhausted 503s and content-safety blocks (log alerts on
 *   `ApiManagementGatewayLogs`), backend duration, capacity, 429s to clients (metric alerts);
 * - tenants (when given): projected use of the monthly token quota, one log alert split by the `Tenant` dimension;
 * - Key Vault (when given): availability and 401/403 answers.
 *
 * Metric names and dimensions come from {@link METRICS}, which copies Azure's supported-metrics pages; an alert that
 * filters on a dimension the metric does not have throws at synth.
 */
export class Alerts extends Construct {
  /** Metric alerts by their path below this construct: `Models/<key>/Throttling`, `Gateway/Throttling`, … */
  readonly metricAlerts: Readonly<Record<string, MonitorMetricAlert>>;
  /** Log alerts by their path below this construct: `Gateway/ServerErrors`, `Tenants/TokenQuota`, … */
  readonly logAlerts: Readonly<Record<string, MonitorScheduledQueryRulesAlertV2>>;

  private readonly props: AlertsProps;
  private readonly settings: AlertSettings;
  private readonly metricAlertsByPath: Record<string, MonitorMetricAlert> = {};
  private readonly logAlertsByPath: Record<string, MonitorScheduledQueryRulesAlertV2> = {};

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    this.props = props;
    this.settings = Object.fromEntries(
      Object.entries(DEFAULT_ALERT_SETTINGS).map(([key, defaults]) => [
        key,
        { ...defaults, ...(props.settings?.[key as keyof AlertSettings] ?? {}) },
      ]),
    ) as unknown as AlertSettings;

    const models = new Construct(this, 'Models');
    for (const [key, account] of sorted(props.modelAccounts ?? {})) {
      this.modelAlerts(new Construct(models, key), account);
    }
    if (props.gateway) this.gatewayAlerts(new Construct(this, 'Gateway'), props.gateway);
    if (props.tenants && props.tenants.length > 0) {
      if (!props.applicationInsights) {
        throw new Error(`${this.node.path}: tenant alerts read the token metrics; give applicationInsights`);
      }
      this.tenantAlert(new Construct(this, 'Tenants'), props.tenants, props.applicationInsights.resourceId);
    }
    if (props.keyVault) this.keyVaultAlerts(new Construct(this, 'KeyVault'), props.keyVault.resourceId);
    if (props.modelDecay) {
      if (!props.applicationInsights) {
        throw new Error(
          `${this.node.path}: the model-decay alert reads evaluation events; give applicationInsights`,
        );
      }
      this.decayAlert(
        new Construct(this, 'Evaluation'),
        props.modelDecay,
        props.applicationInsights.resourceId,
      );
    }

    this.metricAlerts = this.metricAlertsByPath;
    this.logAlerts = this.logAlertsByPath;
  }

  private modelAlerts(scope: Construct, account: WatchedModelAccount): void {
    const deployments = sorted(account.deployments);
    const payAsYouGo = deployments.filter(([, type]) => isPayAsYouGo(type)).map(([name]) => name);
    const provisioned = deployments.filter(([, type]) => isProvisioned(type)).map(([name]) => name);
    const realTime = [...payAsYouGo, ...provisioned].sort();
    const s = this.settings;

    if (payAsYouGo.length > 0) {
      this.metricAlert(
        scope,
        'Throttling',
        'model-throttling',
        account.region,
        account.resourceId,
        s.modelThrottling,
        {
          metric: METRICS.azureOpenAIRequests,
          aggregation: 'Total',
          operator: 'GreaterThan',
          threshold: s.modelThrottling.aboveCount,
          dimensions: [
            { name: 'StatusCode', operator: 'Include', values: ['429'] },
            { name: 'ModelDeploymentName', operator: 'Include', values: payAsYouGo },
          ],
          // PTU deployments answer 429 by design when full (the gateway then spills over); their alert is utilization.
        },
        `More than ${s.modelThrottling.aboveCount} requests answered 429 on a pay-as-you-go deployment in ${s.modelThrottling.windowMinutes} min: its TPM quota is exhausted. First check whether clients see 429s too (gateway throttling alert); if so, raise the deployment's capacity within the quota plan (npm run quota) or add a backend to the pool.`,
      );
    }

    this.metricAlert(
      scope,
      'Availability',
      'model-availability',
      account.region,
      account.resourceId,
      s.modelAvailability,
      {
        metric: METRICS.azureOpenAIAvailabilityRate,
        aggregation: 'Average',
        operator: 'LessThan',
        threshold: s.modelAvailability.belowPercent,
      },
      `Availability of the model account fell below ${s.modelAvailability.belowPercent}% (calls answered 5xx) over ${s.modelAvailability.windowMinutes} min. Check Azure status for Azure OpenAI in this region, then the gateway: its circuit breakers should move traffic to other regions; if the gateway's 5xx alert fires too, failover is not absorbing it.`,
    );

    if (realTime.length > 0) {
      this.metricAlert(
        scope,
        'Latency',
        'model-latency',
        account.region,
        account.resourceId,
        s.modelLatency,
        {
          metric: METRICS.azureOpenAITimeToResponse,
          aggregation: 'Average',
          operator: 'GreaterThan',
          threshold: s.modelLatency.aboveMs,
          dimensions: [{ name: 'ModelDeploymentName', operator: 'Include', values: realTime }],
        },
        `Average time to response of a deployment exceeded ${s.modelLatency.aboveMs} ms over ${s.modelLatency.windowMinutes} min. Check prompt sizes (token metrics in the workbook) and PTU utilization; a PTU near 100% queues requests. Persistent regional latency: lower this region's weight in the gateway pool.`,
      );
    }

    if (provisioned.length > 0) {
      this.metricAlert(
        scope,
        'PtuUtilization',
        'ptu-utilization',
        account.region,
        account.resourceId,
        s.ptuUtilization,
        {
          metric: METRICS.azureOpenAIProvisionedManagedUtilizationV2,
          aggregation: 'Average',
          operator: 'GreaterThan',
          threshold: s.ptuUtilization.abovePercent,
          dimensions: [{ name: 'ModelDeploymentName', operator: 'Include', values: provisioned }],
        },
        `A provisioned (PTU) deployment ran above ${s.ptuUtilization.abovePercent}% utilization for ${s.ptuUtilization.windowMinutes} min; at 100% it answers 429 and traffic spills over to pay-as-you-go at list price. Check the spillover share in the workbook; sustained: buy PTUs (capacity in config, PTU quota in the quota plan).`,
      );
    }

    this.metricAlert(
      scope,
      'ContentFilter',
      'model-content-filter',
      account.region,
      account.resourceId,
      s.modelContentFilterBlocks,
      {
        metric: METRICS.raiRejectedRequests,
        aggregation: 'Total',
        operator: 'GreaterThan',
        threshold: s.modelContentFilterBlocks.aboveCount,
        dimensions: [{ name: 'TextType', operator: 'Include', values: ['*'] }],
      },
      `More than ${s.modelContentFilterBlocks.aboveCount} prompts or completions were blocked by the content filter in ${s.modelContentFilterBlocks.windowMinutes} min. Find the tenant and caller in the workbook (content-safety blocks); a spike from one tenant is abuse or a broken integration: tell the tenant owner, and suspend its subscription if it continues.`,
    );
  }

  private gatewayAlerts(scope: Construct, gateway: WatchedGateway): void {
    const s = this.settings;
    const region = this.props.location;

    this.logAlert(
      scope,
      'ServerErrors',
      'gateway-5xx',
      region,
      gateway.resourceId,
      s.gatewayServerErrors,
      {
        query: [
          LOG_TABLES.gatewayLogs,
          '| summarize Requests = count(), ServerErrors = countif(ResponseCode >= 500)',
          `| where Requests >= ${s.gatewayServerErrors.minimumRequests}`,
          '| extend ServerErrorPercent = round(100.0 * ServerErrors / Requests, 2)',
          '| project ServerErrorPercent',
        ].join('\n'),
        measure: 'ServerErrorPercent',
        operator: 'GreaterThan',
        threshold: s.gatewayServerErrors.abovePercent,
      },
      `More than ${s.gatewayServerErrors.abovePercent}% of gateway requests failed with 5xx over ${s.gatewayServerErrors.windowMinutes} min. Open the workbook (errors by backend): one backend → its region or deployment (model alerts); every backend → the gateway itself (capacity alert, recent policy change). Follow one failing request with the query in constructs/monitoring/README.md.`,
    );

    this.metricAlert(
      scope,
      'BackendDuration',
      'gateway-backend-duration',
      region,
      gateway.resourceId,
      s.gatewayBackendDuration,
      {
        metric: METRICS.apimBackendDuration,
        aggregation: 'Average',
        operator: 'GreaterThan',
        threshold: s.gatewayBackendDuration.aboveMs,
      },
      `Backend (model) calls through the gateway averaged more than ${s.gatewayBackendDuration.aboveMs} ms over ${s.gatewayBackendDuration.windowMinutes} min. Compare latency percentiles by backend in the workbook; a slow region: check its model latency and PTU utilization alerts, lower its pool weight if it stays slow.`,
    );

    const capacity =
      gateway.tier === 'v2'
        ? ([
            ['Cpu', 'gateway-capacity', METRICS.apimCpuPercentGateway, 'CPU'],
            ['Memory', 'gateway-memory', METRICS.apimMemoryPercentGateway, 'memory'],
          ] as const)
        : ([['Capacity', 'gateway-capacity', METRICS.apimCapacity, 'capacity']] as const);
    for (const [id, signal, metric, what] of capacity) {
      this.metricAlert(
        scope,
        id,
        signal,
        region,
        gateway.resourceId,
        s.gatewayCapacity,
        {
          metric,
          aggregation: 'Average',
          operator: 'GreaterThan',
          threshold: s.gatewayCapacity.abovePercent,
        },
        `Gateway ${what} averaged above ${s.gatewayCapacity.abovePercent}% over ${s.gatewayCapacity.windowMinutes} min. An overloaded gateway does not throttle: it slows down and drops connections. Scale out (units in config), and check for a traffic spike per tenant in the workbook.`,
      );
    }

    this.metricAlert(
      scope,
      'Throttling',
      'gateway-throttling',
      region,
      gateway.resourceId,
      s.gatewayThrottling,
      {
        metric: METRICS.apimRequests,
        aggregation: 'Total',
        operator: 'GreaterThan',
        threshold: s.gatewayThrottling.aboveCount,
        dimensions: [{ name: 'GatewayResponseCode', operator: 'Include', values: ['429'] }],
      },
      `Clients received more than ${s.gatewayThrottling.aboveCount} 429s from the gateway in ${s.gatewayThrottling.windowMinutes} min: retries and spillover no longer absorb the load, or a tenant hit its token limit. In the workbook, split 429s by tenant: one tenant → its limit (expected, tell the tenant); all tenants → every backend of a pool is throttled: add capacity.`,
    );

    this.logAlert(
      scope,
      'PoolExhausted',
      'gateway-pool-exhausted',
      region,
      gateway.resourceId,
      s.gatewayPoolExhausted,
      {
        query: [
          LOG_TABLES.gatewayLogs,
          '// a 503 the gateway made itself: no backend of the pool was available (every circuit breaker open)',
          '| where ResponseCode == 503 and coalesce(BackendResponseCode, 0) != 503',
          '| summarize PoolExhausted = count()',
        ].join('\n'),
        measure: 'PoolExhausted',
        operator: 'GreaterThan',
        threshold: s.gatewayPoolExhausted.aboveCount,
      },
      `The gateway answered more than ${s.gatewayPoolExhausted.aboveCount} requests 503 without a backend in ${s.gatewayPoolExhausted.windowMinutes} min: every backend of a pool has its circuit breaker open. Breakers close after their trip duration or the backend's Retry-After; if this persists, the model is down or out of quota in every pool region: check the model alerts and Azure status.`,
    );

    if (this.props.contentSafety) {
      this.logAlert(
        scope,
        'ContentSafety',
        'gateway-content-safety',
        region,
        gateway.resourceId,
        s.gatewayContentSafetyBlocks,
        {
          query: [
            LOG_TABLES.gatewayLogs,
            `| where ResponseCode == 403 and LastErrorSource == ${kqlString(CONTENT_SAFETY_POLICY)}`,
            '| summarize Blocked = count()',
          ].join('\n'),
          measure: 'Blocked',
          operator: 'GreaterThan',
          threshold: s.gatewayContentSafetyBlocks.aboveCount,
        },
        `The gateway's content-safety check blocked more than ${s.gatewayContentSafetyBlocks.aboveCount} requests in ${s.gatewayContentSafetyBlocks.windowMinutes} min. Find the tenant and subscription in the workbook (content-safety blocks); one tenant → abuse or a misbehaving integration: tell its owner; every tenant → check for a recent change of the content-safety thresholds.`,
      );
    }
  }

  private tenantAlert(
    scope: Construct,
    tenants: readonly TenantTokenQuota[],
    applicationInsightsId: string,
  ): void {
    const s = this.settings.tenantTokenQuota;
    const seen = new Set<string>();
    for (const tenant of tenants) {
      if (!/^[a-z][a-z0-9-]*$/.test(tenant.slug)) {
        throw new Error(
          `${this.node.path}: tenant slug "${tenant.slug}" must be lowercase letters, digits and hyphens`,
        );
      }
      if (seen.has(tenant.slug))
        throw new Error(`${this.node.path}: tenant "${tenant.slug}" is listed twice`);
      if (!(tenant.monthlyTokenQuota > 0)) {
        throw new Error(`${this.node.path}: tenant "${tenant.slug}" needs a positive monthlyTokenQuota`);
      }
      seen.add(tenant.slug);
    }
    const rows = [...tenants]
      .sort((a, b) => a.slug.localeCompare(b.slug))
      .map((t) => `  ${kqlString(t.slug)}, ${t.monthlyTokenQuota},`);
    const tenant = TOKEN_METRIC_DIMENSIONS.tenant;
    const query = [
      `let quotas = datatable(${tenant}: string, MonthlyTokenQuota: real) [`,
      ...rows,
      '];',
      LOG_TABLES.customMetrics,
      `| where name == ${kqlString(TOKEN_METRICS.total)}`,
      `| extend ${tenant} = tostring(customDimensions[${kqlString(tenant)}])`,
      `| summarize TokensLast24h = sum(valueSum) by ${tenant}`,
      `| join kind=inner quotas on ${tenant}`,
      '// the share of the monthly quota the last 24 hours would use over 30 days',
      '| extend ProjectedPercentOfQuota = round(100.0 * TokensLast24h * 30 / MonthlyTokenQuota, 1)',
      `| project ${tenant}, ProjectedPercentOfQuota`,
    ].join('\n');
    this.logAlertRaw(scope, 'TokenQuota', 'tenant-token-quota', this.props.location, applicationInsightsId, {
      severity: s.severity,
      window: 'P1D',
      frequency: 'PT1H',
      criterion: {
        query,
        measure: 'ProjectedPercentOfQuota',
        operator: 'GreaterThan',
        threshold: s.abovePercent,
        dimensions: [{ name: tenant, operator: 'Include', values: ['*'] }],
      },
      description: `At its token rate of the last 24 hours, a tenant would use more than ${s.abovePercent}% of its monthly quota in 30 days; once the quota is used, the gateway answers it 403 until the month ends. The alert names the tenant (dimension ${tenant}). Tell the tenant owner; raise the quota in the tenant's config if the usage is expected.`,
    });
  }

  /**
   * Model decay: a continuous-evaluation score of production traffic below its threshold. One row per route and
   * evaluator that failed in the window (dimensions Route and Evaluator), so the alert names what decayed.
   */
  private decayAlert(
    scope: Construct,
    decay: NonNullable<AlertsProps['modelDecay']>,
    applicationInsightsId: string,
  ): void {
    if (!Number.isInteger(decay.windowHours) || decay.windowHours < 1 || decay.windowHours > 48) {
      throw new Error(`${this.node.path}: modelDecay.windowHours must be a whole number from 1 to 48`);
    }
    const query = [
      LOG_TABLES.customEvents,
      `| where name == ${kqlString(DECAY_EVENT)}`,
      '| extend Route = tostring(customDimensions["route"]), Evaluator = tostring(customDimensions["evaluator"])',
      '| extend Score = todouble(customMeasurements["score"]), Threshold = todouble(customMeasurements["threshold"]), Passed = toint(customMeasurements["passed"])',
      '| summarize FailingRuns = countif(Passed == 0), LowestScore = min(Score), Threshold = max(Threshold) by Route, Evaluator',
      '| project Route, Evaluator, FailingRuns',
    ].join('\n');
    this.logAlertRaw(scope, 'ModelDecay', 'model-decay', this.props.location, applicationInsightsId, {
      severity: decay.severity,
      window: `PT${decay.windowHours}H`,
      frequency: 'PT1H',
      criterion: {
        query,
        measure: 'FailingRuns',
        operator: 'GreaterThan',
        threshold: 0,
        dimensions: [
          { name: 'Route', operator: 'Include', values: ['*'] },
          { name: 'Evaluator', operator: 'Include', values: ['*'] },
        ],
      },
      description: `Model decay: the continuous evaluation of sampled production traffic scored a route below its threshold (dimensions Route and Evaluator). Compare with the staging evaluation (evaluation/staging.json); check for a model version change (npm run routes) or a change in what users ask; roll the prompt back to the previous version (prompts.versions) if a new one caused it.`,
    });
  }

  private keyVaultAlerts(scope: Construct, resourceId: string): void {
    const s = this.settings;
    const region = this.props.location;
    this.metricAlert(
      scope,
      'Availability',
      'keyvault-availability',
      region,
      resourceId,
      s.keyVaultAvailability,
      {
        metric: METRICS.keyVaultAvailability,
        aggregation: 'Average',
        operator: 'LessThan',
        threshold: s.keyVaultAvailability.belowPercent,
      },
      `Key Vault availability fell below ${s.keyVaultAvailability.belowPercent}% over ${s.keyVaultAvailability.windowMinutes} min. The gateway reads named values and certificates from it: check Azure status for Key Vault in the region, then the vault's AuditEvent logs (AzureDiagnostics) for throttling (429) or network errors.`,
    );
    this.metricAlert(
      scope,
      'AccessDenied',
      'keyvault-access-denied',
      region,
      resourceId,
      s.keyVaultAccessDenied,
      {
        metric: METRICS.keyVaultServiceApiResult,
        aggregation: 'Count',
        operator: 'GreaterThan',
        threshold: s.keyVaultAccessDenied.aboveCount,
        dimensions: [{ name: 'StatusCode', operator: 'Include', values: ['401', '403'] }],
      },
      `More than ${s.keyVaultAccessDenied.aboveCount} Key Vault requests were answered 401 or 403 in ${s.keyVaultAccessDenied.windowMinutes} min. Find the caller in the AuditEvent logs (identity, IP): a platform identity → a role assignment or firewall change broke it; an unknown caller → treat as a security incident.`,
    );
  }

  /** `Models/<key>/<Id>`, `Gateway/<Id>`, …: the alert's path below this construct. */
  private key(scope: Construct, id: string): string {
    return `${scope.node.path.slice(this.node.path.length + 1)}/${id}`;
  }

  private name(signal: AlertSignal, region: string): string {
    return this.props.alertName ? this.props.alertName(signal, region) : `alert-${signal}-${region}`;
  }

  private actions(severity: AlertSeverity): string[] {
    return this.props.routing?.idsFor(severity) ?? [];
  }

  private metricAlert(
    scope: Construct,
    id: string,
    signal: AlertSignal,
    region: string,
    resourceId: string,
    setting: { readonly severity: AlertSeverity; readonly windowMinutes: AlertWindowMinutes },
    criterion: MetricCriterion,
    description: string,
  ): void {
    const metric = criterion.metric;
    if (!metric.aggregations.includes(criterion.aggregation as never)) {
      throw new Error(`${scope.node.path}/${id}: ${metric.name} has no ${criterion.aggregation} aggregation`);
    }
    for (const dimension of criterion.dimensions ?? []) {
      if (!metric.dimensions.includes(dimension.name as never)) {
        throw new Error(`${scope.node.path}/${id}: ${metric.name} has no dimension ${dimension.name}`);
      }
    }
    const actions = this.actions(setting.severity);
    const alert = new MonitorMetricAlert(scope, id, {
      name: this.name(signal, region),
      resourceGroupName: this.props.resourceGroupName,
      scopes: [resourceId],
      description,
      severity: severityLevel(setting.severity),
      frequency: FREQUENCY,
      windowSize: isoMinutes(setting.windowMinutes),
      autoMitigate: true,
      enabled: true,
      criteria: [
        {
          metricNamespace: metric.namespace,
          metricName: metric.name,
          aggregation: criterion.aggregation,
          operator: criterion.operator,
          threshold: criterion.threshold,
          ...(criterion.dimensions && criterion.dimensions.length > 0
            ? { dimension: criterion.dimensions.map((d) => ({ ...d, values: [...d.values] })) }
            : {}),
        },
      ],
      ...(actions.length > 0 ? { action: actions.map((actionGroupId) => ({ actionGroupId })) } : {}),
    });
    this.metricAlertsByPath[this.key(scope, id)] = alert;
  }

  private logAlert(
    scope: Construct,
    id: string,
    signal: AlertSignal,
    region: string,
    resourceId: string,
    setting: { readonly severity: AlertSeverity; readonly windowMinutes: AlertWindowMinutes },
    criterion: LogCriterion,
    description: string,
  ): void {
    this.logAlertRaw(scope, id, signal, region, resourceId, {
      severity: setting.severity,
      window: isoMinutes(setting.windowMinutes),
      frequency: FREQUENCY,
      criterion,
      description,
    });
  }

  private logAlertRaw(
    scope: Construct,
    id: string,
    signal: AlertSignal,
    region: string,
    resourceId: string,
    options: {
      severity: AlertSeverity;
      window: string;
      frequency: string;
      criterion: LogCriterion;
      description: string;
    },
  ): void {
    const actions = this.actions(options.severity);
    const { criterion } = options;
    const alert = new MonitorScheduledQueryRulesAlertV2(scope, id, {
      name: this.name(signal, region),
      displayName: this.name(signal, region),
      resourceGroupName: this.props.resourceGroupName,
      location: this.props.location,
      scopes: [resourceId],
      description: options.description,
      severity: severityLevel(options.severity),
      evaluationFrequency: options.frequency,
      windowDuration: options.window,
      autoMitigationEnabled: true,
      enabled: true,
      criteria: [
        {
          query: criterion.query,
          timeAggregationMethod: 'Maximum',
          metricMeasureColumn: criterion.measure,
          operator: criterion.operator,
          threshold: criterion.threshold,
          // The queries summarize the whole window into one row (per dimension value): one evaluation period.
          failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 },
          ...(criterion.dimensions && criterion.dimensions.length > 0
            ? { dimension: criterion.dimensions.map((d) => ({ ...d, values: [...d.values] })) }
            : {}),
        },
      ],
      ...(actions.length > 0 ? { action: { actionGroups: actions } } : {}),
    });
    this.logAlertsByPath[this.key(scope, id)] = alert;
  }
}
