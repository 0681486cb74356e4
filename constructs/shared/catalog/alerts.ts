/**
 * The alerts the blueprint ships: Azure Monitor's severities and windows, each alert's thresholds with their
 * defaults, and the signal names that alert names carry. The environment schema takes its defaults from here and the
 * alerts construct takes this shape as props, so that config and construct cannot drift. The metrics and log tables
 * each alert reads are in `./metrics.ts`.
 *
 * Threshold fields name their direction and unit (`abovePercent`, `belowPercent`, `aboveMs`, `aboveCount`), so a
 * reviewer reads "alert when PTU utilization is above 90 percent" straight from the config.
 */

/**
 * Azure Monitor's alert severities, by name. Azure numbers them 0 (critical) to 4 (verbose). Source: Learn, "What are
 * Azure Monitor alerts?" (https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-overview, Alert severity).
 */
export const ALERT_SEVERITIES = ['critical', 'error', 'warning', 'informational', 'verbose'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** The number Azure Monitor uses for a severity (`severity` on metric and log alerts). */
export function severityLevel(severity: AlertSeverity): 0 | 1 | 2 | 3 | 4 {
  return ALERT_SEVERITIES.indexOf(severity) as 0 | 1 | 2 | 3 | 4;
}

/**
 * Look-back windows every alert accepts. Both metric alerts (`window_size`) and log alerts (`window_duration`)
 * accept these durations, each evaluated every 5 minutes. Source: the provider's `azurerm_monitor_metric_alert` and
 * `azurerm_monitor_scheduled_query_rules_alert_v2` (website/docs/r/, azurerm 4.55).
 */
export const ALERT_WINDOWS_MINUTES = [5, 15, 30, 60] as const;
export type AlertWindowMinutes = (typeof ALERT_WINDOWS_MINUTES)[number];

interface Common {
  readonly severity: AlertSeverity;
  readonly windowMinutes: AlertWindowMinutes;
}

/** Thresholds and severities of every alert. */
export interface AlertSettings {
  /** Model account: HTTP 429 on pay-as-you-go deployments, per deployment, summed over the window. */
  readonly modelThrottling: Common & { readonly aboveCount: number };
  /** Model account: availability (share of calls without a 5xx) below this percentage. */
  readonly modelAvailability: Common & { readonly belowPercent: number };
  /** Model account: average time to response per real-time deployment, in milliseconds. */
  readonly modelLatency: Common & { readonly aboveMs: number };
  /** Model account: provisioned (PTU) utilization per PTU deployment. Only on accounts with PTU deployments. */
  readonly ptuUtilization: Common & { readonly abovePercent: number };
  /** Model account: calls rejected by the content filter (prompts or completions) over the window. */
  readonly modelContentFilterBlocks: Common & { readonly aboveCount: number };
  /** Gateway: share of requests answered with 5xx, once at least `minimumRequests` arrived in the window. */
  readonly gatewayServerErrors: Common & { readonly abovePercent: number; readonly minimumRequests: number };
  /** Gateway: average duration of backend (model) calls, in milliseconds. */
  readonly gatewayBackendDuration: Common & { readonly aboveMs: number };
  /** Gateway: capacity (classic tiers) or CPU and memory (v2 tiers), average over the window. */
  readonly gatewayCapacity: Common & { readonly abovePercent: number };
  /** Gateway: 429s returned to clients over the window (sustained throttling after retries and spillover). */
  readonly gatewayThrottling: Common & { readonly aboveCount: number };
  /** Gateway: 503s answered without any backend call: every backend of a pool has its circuit breaker open. */
  readonly gatewayPoolExhausted: Common & { readonly aboveCount: number };
  /** Gateway: requests blocked by the gateway's content-safety check (403 from `llm-content-safety`). */
  readonly gatewayContentSafetyBlocks: Common & { readonly aboveCount: number };
  /**
   * Tenants: the share of its monthly token quota a tenant would use in 30 days at its rate of the last 24 hours.
   * Log alerts look back at most two days, so month-to-date usage cannot be summed; the burn rate can.
   */
  readonly tenantTokenQuota: { readonly severity: AlertSeverity; readonly abovePercent: number };
  /** Key Vault: availability of vault requests below this percentage. */
  readonly keyVaultAvailability: Common & { readonly belowPercent: number };
  /** Key Vault: requests answered 401 or 403 over the window. */
  readonly keyVaultAccessDenied: Common & { readonly aboveCount: number };
}

export type AlertKey = keyof AlertSettings;

/**
 * Defaults: production-sane, neither the loosest nor the tightest. Each environment's config overrides what differs
 * (dev loosens, prod tightens), so the difference between two environments is visible in their data files.
 */
export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  modelThrottling: { aboveCount: 50, severity: 'warning', windowMinutes: 15 },
  modelAvailability: { belowPercent: 99, severity: 'error', windowMinutes: 15 },
  modelLatency: { aboveMs: 15_000, severity: 'warning', windowMinutes: 15 },
  ptuUtilization: { abovePercent: 90, severity: 'warning', windowMinutes: 15 },
  modelContentFilterBlocks: { aboveCount: 100, severity: 'informational', windowMinutes: 15 },
  gatewayServerErrors: { abovePercent: 5, minimumRequests: 20, severity: 'error', windowMinutes: 5 },
  gatewayBackendDuration: { aboveMs: 20_000, severity: 'warning', windowMinutes: 15 },
  gatewayCapacity: { abovePercent: 80, severity: 'warning', windowMinutes: 15 },
  gatewayThrottling: { aboveCount: 100, severity: 'error', windowMinutes: 15 },
  gatewayPoolExhausted: { aboveCount: 10, severity: 'error', windowMinutes: 5 },
  gatewayContentSafetyBlocks: { aboveCount: 100, severity: 'informational', windowMinutes: 15 },
  tenantTokenQuota: { abovePercent: 90, severity: 'warning' },
  keyVaultAvailability: { belowPercent: 99.9, severity: 'error', windowMinutes: 15 },
  keyVaultAccessDenied: { aboveCount: 10, severity: 'warning', windowMinutes: 15 },
};

export const ALERT_KEYS = Object.keys(DEFAULT_ALERT_SETTINGS) as AlertKey[];

/** Alerts created once per model account; their names carry the account's region. */
export const MODEL_ALERT_SIGNALS = [
  'model-throttling',
  'model-availability',
  'model-latency',
  'ptu-utilization',
  'model-content-filter',
] as const;

/** Alerts on the gateway, Key Vault and tenants; their names carry the primary region. */
export const PLATFORM_ALERT_SIGNALS = [
  'gateway-5xx',
  'gateway-backend-duration',
  'gateway-capacity',
  'gateway-memory',
  'gateway-throttling',
  'gateway-pool-exhausted',
  'gateway-content-safety',
  'tenant-token-quota',
  'keyvault-availability',
  'keyvault-access-denied',
  'model-decay',
] as const;

export type ModelAlertSignal = (typeof MODEL_ALERT_SIGNALS)[number];
export type PlatformAlertSignal = (typeof PLATFORM_ALERT_SIGNALS)[number];
export type AlertSignal = ModelAlertSignal | PlatformAlertSignal;
