/**
 * Log Analytics facts the usage ledger relies on.
 *
 * Sources: Learn, "Azure Monitor Logs cost calculations and options" (commitment tiers, from 100 GB per day);
 * "Ingest events from Azure Event Hubs into Azure Monitor Logs" (prerequisite: a workspace with a commitment tier or
 * linked to a dedicated cluster; the event hub namespace keeps trusted Microsoft services allowed when public access
 * is off; the DCR's identity needs Azure Event Hubs Data Receiver); "Manage data retention in a Log Analytics
 * workspace" (interactive retention 4–730 days, total retention up to 4,383 days).
 */

/** The commitment tiers of a Log Analytics workspace, in GB per day (`reservation_capacity_in_gb_per_day`). */
export const COMMITMENT_TIERS_GB_PER_DAY = [
  100, 200, 300, 400, 500, 1000, 2000, 5000, 10000, 25000, 50000,
] as const;

export type CommitmentTierGbPerDay = (typeof COMMITMENT_TIERS_GB_PER_DAY)[number];
