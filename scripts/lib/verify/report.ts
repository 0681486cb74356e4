/**
 * The verification report: JSON for the pipeline and the promotion guard, Markdown for people, and an alert in the
 * shape of Azure Monitor's common alert schema for the pager. Written into a directory verify owns (the rules of
 * stacks/output-dir: absent, empty or verify's own earlier report, replaced whole, with the umask).
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlanReadError, readOutputJson } from '../../../constructs/shared/plan';
import { claimOutputDir, commitStaging, createStaging, discardStaging } from '../../../stacks/output-dir';
import { markdownTable } from '../cli';
import type { CheckResult, Vantage } from './checks';

export const REPORT_FILE = 'verify.json';
export const MARKDOWN_FILE = 'verify.md';
export const ALERT_FILE = 'alert.json';

export interface VerifyReport {
  readonly version: 1;
  readonly environment: string;
  readonly vantage: Vantage;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** How verify signed in (never a secret). */
  readonly signIn: string;
  /** The plan verified: each stack and the SHA-256 of its cdk.tf.json. */
  readonly plan: { readonly stacks: ReadonlyArray<{ readonly id: string; readonly sha256: string }> };
  readonly gateway: {
    readonly name: string;
    readonly exposure: string;
    readonly regions: ReadonlyArray<{ readonly region: string; readonly url: string }>;
  };
  readonly tenant: string;
  readonly suspendedTenant?: string;
  readonly passed: boolean;
  readonly summary: {
    readonly pass: number;
    readonly fail: number;
    readonly skip: number;
    readonly requests: number;
    /** Tokens the models reported for this run's served requests. */
    readonly tokens: number;
  };
  readonly checks: readonly CheckResult[];
}

const STATUS = { pass: 'pass', fail: '**FAIL**', skip: 'skip' } as const;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function evidenceLine(e: CheckResult['evidence'][number]): string {
  return [
    e.call,
    e.status !== undefined ? `→ ${e.status}` : e.network ? `→ ${e.network}` : '',
    e.latencyMs !== undefined ? `(${e.latencyMs} ms)` : '',
    e.requestId ? `request ${e.requestId}` : '',
    e.traceId ? `trace ${e.traceId}` : '',
    e.headers?.['retry-after'] ? `Retry-After ${e.headers['retry-after']}` : '',
  ]
    .filter(Boolean)
    .join(' ')
    .concat(e.note ? `: ${e.note}` : '');
}

/** The report as Markdown: a table of every check, then the failures and skips with their evidence. */
export function renderMarkdown(report: VerifyReport): string {
  const s = report.summary;
  const lines = [
    `## Verification of ${report.environment}: ${report.passed ? 'pass' : `FAIL (${s.fail} of ${report.checks.length} checks fail)`}`,
    '',
    `From the ${report.vantage === 'internet' ? 'internet' : "platform's network"}, ${report.startedAt} to ${report.finishedAt}; signed in with ${report.signIn}; gateway ${report.gateway.name} (${report.gateway.exposure}); tenant ${report.tenant}${report.suspendedTenant ? `, suspended tenant ${report.suspendedTenant}` : ''}.`,
    `${s.pass} pass, ${s.fail} fail, ${s.skip} skipped; ${s.requests} requests, ${s.tokens} model tokens. Plan: ${report.plan.stacks.map((st) => `${st.id} ${st.sha256.slice(0, 12)}`).join(', ')}.`,
    '',
    markdownTable(
      ['check', 'group', 'result', 'latency', 'detail'],
      report.checks.map((c) => [
        cell(c.title),
        c.group,
        STATUS[c.status],
        `${c.latencyMs} ms`,
        cell(c.detail),
      ]),
      ['l', 'l', 'l', 'r', 'l'],
    ),
  ];
  const failed = report.checks.filter((c) => c.status === 'fail');
  if (failed.length > 0) {
    lines.push('', '### Failures', '');
    for (const c of failed) {
      lines.push(`- **${cell(c.title)}** (\`${c.id}\`): ${c.detail}`);
      for (const e of c.evidence) lines.push(`  - ${evidenceLine(e)}`);
    }
  }
  const evidence = report.checks.filter((c) => c.status === 'pass' && c.evidence.length > 0);
  if (evidence.length > 0) {
    lines.push('', '### Evidence', '');
    for (const c of evidence) lines.push(`- \`${c.id}\`: ${c.evidence.map(evidenceLine).join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The page for on-call, shaped like Azure Monitor's common alert schema so that the pager's integration reads it. */
export function alertPayload(report: VerifyReport): Record<string, unknown> {
  const failed = report.checks.filter((c) => c.status === 'fail');
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertRule: `lz-verify-${report.environment}`,
        severity: 'Sev1',
        signalType: 'Log',
        monitorCondition: report.passed ? 'Resolved' : 'Fired',
        monitoringService: 'npm run verify',
        firedDateTime: report.finishedAt,
        description: report.passed
          ? `${report.environment}: every verification check passes`
          : `${report.environment}: ${failed.length} of ${report.checks.length} verification checks fail after apply: ${failed
              .slice(0, 5)
              .map((c) => c.title)
              .join('; ')}${failed.length > 5 ? '; …' : ''}`,
      },
      alertContext: {
        gateway: report.gateway.name,
        failed: failed.map((c) => ({ id: c.id, detail: c.detail })),
      },
    },
  };
}

/** Writes verify.json, verify.md and alert.json into `target`, replacing verify's earlier report there. */
export function writeReport(target: string, report: VerifyReport): string[] {
  const output = claimOutputDir(target, { owner: 'verify', flag: '--out' });
  const files = new Map([
    [REPORT_FILE, `${JSON.stringify(report, null, 2)}\n`],
    [MARKDOWN_FILE, renderMarkdown(report)],
    [ALERT_FILE, `${JSON.stringify(alertPayload(report), null, 2)}\n`],
  ]);
  const staging = createStaging(output);
  try {
    for (const [name, content] of files) writeFileSync(join(staging, name), content);
    commitStaging(output, staging);
  } catch (error) {
    discardStaging(staging);
    throw error;
  }
  return [...files.keys()].map((f) => join(target, f));
}

/**
 * The verification reports under `dir`: its own verify.json and those of its subdirectories (one per vantage, as the
 * pipeline downloads them). A missing directory or an unreadable report is a {@link PlanReadError} sentence.
 */
export function readReports(dir: string): Array<{ file: string; report: VerifyReport }> {
  if (!existsSync(dir))
    throw new PlanReadError(`${dir} does not exist: no verification report was downloaded.`);
  const candidates = [
    join(dir, REPORT_FILE),
    ...readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name, REPORT_FILE))
      .sort(),
  ].filter((file) => existsSync(file));
  return candidates.map((file) => {
    const report = readOutputJson<VerifyReport>(file);
    if (report?.version !== 1 || !Array.isArray(report.checks) || typeof report.environment !== 'string') {
      throw new PlanReadError(
        `${file} is not a verification report (version 1): run \`npm run verify\` again.`,
      );
    }
    return { file, report };
  });
}
