/** Log Analytics and Application Insights (diagnostic settings: ./diagnostics.ts). Sources: PSRule Azure.AppInsights.*, MCSB LT-3/LT-4. */
import { check, rule } from '../rule';

export const MONITORING_RULES = [
  rule({
    id: 'LZ.LogAnalytics.LocalAuth',
    title: 'The workspace accepts Entra ID only (no workspace keys)',
    severity: 'high',
    appliesTo: ['azurerm_log_analytics_workspace'],
    sources: [
      'own: MCSB IM-1, Entra ID-only ingestion and queries (azurerm 4.x local_authentication_enabled)',
    ],
    fix: 'Set local_authentication_enabled = false.',
    check: (r) =>
      check(
        r.config['local_authentication_enabled'] === false ||
          r.config['local_authentication_disabled'] === true,
        'local authentication is on',
      ),
  }),
  rule({
    id: 'LZ.AppInsights.Workspace',
    title: 'Application Insights stores its data in the workspace',
    severity: 'medium',
    appliesTo: ['azurerm_application_insights'],
    sources: ['Azure.AppInsights.Workspace'],
    fix: 'Set workspace_id to the environment workspace.',
    check: (r) =>
      check(typeof r.config['workspace_id'] === 'string', 'workspace_id is not set (classic component)'),
  }),
  rule({
    id: 'LZ.AppInsights.LocalAuth',
    title: 'Application Insights accepts Entra ID-authenticated telemetry only',
    severity: 'high',
    appliesTo: ['azurerm_application_insights'],
    sources: ['Azure.AppInsights.LocalAuth'],
    fix: 'Set local_authentication_disabled = true; the gateway logger writes with its managed identity.',
    check: (r) =>
      check(r.config['local_authentication_disabled'] === true, 'local_authentication_disabled is not true'),
  }),
  rule({
    id: 'LZ.AppInsights.IpMasking',
    title: 'Application Insights masks client IP addresses',
    severity: 'low',
    appliesTo: ['azurerm_application_insights'],
    sources: ['own: data minimisation'],
    fix: 'Leave disable_ip_masking false.',
    check: (r) => check(r.config['disable_ip_masking'] !== true, 'disable_ip_masking is true'),
  }),
] as const;
