/**
 * The promotion guard's verification check: promotion from an environment needs that environment's verification
 * report (`npm run verify`, uploaded by the pipeline after its apply), and the report must have passed, be recent,
 * have verified the very plan being promoted, and have reached the gateway (a run whose gateway checks all skipped
 * proves nothing about it).
 */
import { PlanReadError, type SynthOutput } from '../../../constructs/shared/plan';
import { stacksOfEnvironment } from '../../../environments/stack-ids';
import type { PromotionCheck } from '../promote';
import { readReports } from './report';
import { planDigests } from './target';

export interface VerificationGuardOptions {
  /** The environment promoted from (`staging`). */
  readonly environment: string;
  /** The directory the pipeline downloaded the reports into (`verification/staging`). */
  readonly dir: string;
  /** The synthesized output being promoted. */
  readonly output: SynthOutput;
  /** A report older than this is stale. */
  readonly maxAgeHours: number;
  /** @default - the current time */
  readonly now?: Date;
}

const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;

export function verificationCheck(options: VerificationGuardOptions): PromotionCheck {
  const now = options.now ?? new Date();
  const title = `verification of ${options.environment}`;
  const result = (passed: boolean, summary: string, details: string[] = []): PromotionCheck => ({
    id: 'verification',
    title,
    passed,
    summary,
    details,
  });
  let found: ReturnType<typeof readReports>;
  try {
    found = readReports(options.dir).filter((r) => r.report.environment === options.environment);
  } catch (error) {
    if (error instanceof PlanReadError) return result(false, `missing: ${error.message}`);
    throw error;
  }
  if (found.length === 0) {
    return result(
      false,
      `missing: ${options.dir} holds no verification report of ${options.environment}; run \`npm run verify -- --env ${options.environment}\` after its apply`,
    );
  }
  const current = planDigests(
    options.output,
    stacksOfEnvironment(options.environment, options.output.stackIds),
  );
  const details: string[] = [];
  for (const { file, report } of found) {
    const problems: string[] = [];
    const failed = report.checks.filter((c) => c.status === 'fail');
    if (!report.passed || failed.length > 0) {
      problems.push(
        `${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${failed.map((c) => `\`${c.id}\` (${c.detail})`).join('; ')}`,
      );
    }
    const finished = Date.parse(report.finishedAt);
    const age = now.getTime() - finished;
    if (!Number.isFinite(finished) || age < 0 || age > options.maxAgeHours * 3_600_000) {
      problems.push(
        `stale: finished ${report.finishedAt}${Number.isFinite(age) ? `, ${hours(age)} ago` : ''}; expected within ${options.maxAgeHours} h`,
      );
    }
    for (const stack of current) {
      const verified = report.plan.stacks.find((s) => s.id === stack.id);
      if (verified?.sha256 !== stack.sha256) {
        problems.push(
          `stale: it verified ${verified ? `plan ${verified.sha256.slice(0, 12)}` : 'no plan'} of stack ${stack.id}; the plan promoted is ${stack.sha256.slice(0, 12)}`,
        );
      }
    }
    const reached = report.checks.filter((c) => c.group === 'reachability' && c.status === 'pass').length;
    if (reached === 0) {
      const reason = report.checks.find((c) => c.group === 'reachability')?.detail ?? 'no reachability check';
      problems.push(`nothing was verified through the gateway: ${reason}`);
    }
    details.push(
      problems.length === 0
        ? `- ${file}: pass (${report.summary.pass} pass, ${report.summary.skip} skipped, from the ${report.vantage}, finished ${report.finishedAt})`
        : `- ${file}: ${problems.join('; ')}`,
    );
    if (problems.length > 0) {
      return result(false, `blocked: ${problems[0]!.replace(/:.*$/, '')} (${file})`, details);
    }
  }
  return result(
    true,
    `${found.length} report${found.length === 1 ? '' : 's'} of ${options.environment} passed, verified this plan, within ${options.maxAgeHours} h`,
    details,
  );
}
