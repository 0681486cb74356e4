/**
 * policy.json: what governance found for one stack, written by synth next to its cdk.tf.json and read by the audit
 * and the promotion guard. The type, the file name and the reader are defined here only.
 */
import { join } from 'node:path';
import { writeJsonFile } from '../json-file';
import type { DataPathReport } from '../paths';
import { PlanReadError, readOutputJson, type SynthOutput } from '../plan';
import type { GovernanceProblem, RuleResult, Suppression } from './engine';
import type { CheckInfo, NotAdopted } from './rule';

/** The file next to each stack's cdk.tf.json that holds its governance results. */
export const POLICY_REPORT_FILE = 'policy.json';

/** A check's catalog entry, so that the audit never reads TypeScript. */
export type RuleSummary = Omit<CheckInfo, 'enforcement'> & { readonly enforcement?: 'warning' };

/** What governance found for one stack: the content of policy.json. */
export interface PolicyReport {
  readonly version: 1;
  readonly stack: string;
  /** Facts about the environment the audit shows (stage, regions, quota plan, protection). */
  readonly facts: Readonly<Record<string, unknown>>;
  /** Checks whose failures are warnings in this environment, with why. */
  readonly downgraded: Readonly<Record<string, string>>;
  /** Every check that ran: rules and plan checks alike. */
  readonly rules: readonly RuleSummary[];
  readonly notAdopted: readonly NotAdopted[];
  /** One result per check and resource, sorted by check id and construct path. */
  readonly results: readonly RuleResult[];
  readonly unusedSuppressions: readonly Suppression[];
  readonly problems: readonly GovernanceProblem[];
  /** The data paths and each hop's proof; their hops are also in `results` (checks `LZ.Path.*`). */
  readonly paths?: DataPathReport;
}

/** The catalog entry of a check. */
export function ruleSummary(check: CheckInfo): RuleSummary {
  return {
    id: check.id,
    title: check.title,
    severity: check.severity,
    appliesTo: check.appliesTo,
    sources: check.sources,
    fix: check.fix,
    ...(check.enforcement === 'warning' ? { enforcement: 'warning' as const } : {}),
  };
}

/**
 * Writes policy.json: `JSON.stringify(report, null, 2)` and a newline (the report's key order and sorted lists make
 * the same plan give the same bytes), in chunks: at 1,000 tenants the text is 14 MB, which would be one string of
 * twice that in memory.
 */
export function writePolicyReport(file: string, report: PolicyReport): void {
  writeJsonFile(file, report, { style: 'stringify', suffix: '\n' });
}

/** Where a stack's policy.json is. */
export function policyReportPath(output: SynthOutput, stack: string): string {
  return join(output.stackDir(stack), POLICY_REPORT_FILE);
}

/** Reads a stack's policy.json; a missing, corrupt or foreign file is a `PlanReadError` that says which. */
export function readPolicyReport(output: SynthOutput, stack: string): PolicyReport {
  const file = policyReportPath(output, stack);
  const report = readOutputJson<PolicyReport>(
    file,
    `${file} is missing: this synth did not run the rule pack, which writes ${POLICY_REPORT_FILE} next to each plan`,
  );
  if (
    report?.version !== 1 ||
    !Array.isArray(report.results) ||
    !Array.isArray(report.rules) ||
    !Array.isArray(report.problems)
  ) {
    throw new PlanReadError(
      `${file} is not a version 1 policy report (expected version, rules, results and problems): run \`npm run synth\` again.`,
    );
  }
  return report;
}
