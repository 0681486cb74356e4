import { z } from 'zod';

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
  })
  .prefault({})
  .describe('Log Analytics, Application Insights, diagnostics, alerts, workbook and budgets.');

export const MONITORING_FIELDS = { monitoring: MonitoringSection };
