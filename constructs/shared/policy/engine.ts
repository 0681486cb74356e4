/**
 * Evaluates the rule pack over a plan: every rule on every resource it applies to, then suppressions and
 * downgrades. Pure: the aspect feeds it the stack's synthesized JSON, and tests feed it the same.
 */
import type { PlanResource, PolicyPlan } from './plan';
import type { PolicyContext, PolicyRule, Verdict } from './rule';

/** The shortest reason accepted for a suppression or a downgrade: a sentence, not a word. */
export const MIN_REASON_LENGTH = 20;

/** A rule switched off for one resource, with why. */
export interface Suppression {
  readonly rule: string;
  /** Construct path of the resource inside the stack (`KeyVault/Vault`). */
  readonly path: string;
  readonly reason: string;
  /** Where it was declared: `code` (a construct) or the config path (`governance.suppressions[0]`). */
  readonly origin: string;
}

export type ResultStatus = 'pass' | 'fail' | 'suppressed';

/** One rule on one resource. */
export interface RuleResult {
  readonly rule: string;
  readonly address: string;
  readonly path: string;
  readonly status: ResultStatus;
  /** For failures: error (synth fails) or warning (downgraded in dev). */
  readonly level?: 'error' | 'warning';
  /** What the check found, for failures and suppressed failures. */
  readonly detail?: string;
  /** For suppressed results: the reason and where it was declared. */
  readonly reason?: string;
  readonly origin?: string;
}

/** A problem with the governance input itself (a suppression that cannot be honoured). Always an error. */
export interface GovernanceProblem {
  /** Construct path the problem is about, when there is one. */
  readonly path?: string;
  readonly message: string;
}

export interface EvaluationOptions {
  readonly rules: readonly PolicyRule[];
  readonly context: PolicyContext;
  readonly suppressions?: readonly Suppression[];
  /** Rules whose failures are warnings, with why. Only dev may have any (schema rule). */
  readonly downgrade?: Readonly<Record<string, string>>;
}

export interface Evaluation {
  readonly results: readonly RuleResult[];
  readonly problems: readonly GovernanceProblem[];
  /** Suppressions whose rule passed (or does not apply): worth removing. */
  readonly unused: readonly Suppression[];
}

export function appliesTo(rule: PolicyRule, resource: PlanResource): boolean {
  return (
    rule.appliesTo.includes(resource.type) ||
    (resource.armType !== undefined && rule.appliesTo.includes(resource.armType))
  );
}

function verdictOf(
  rule: PolicyRule,
  resource: PlanResource,
  plan: PolicyPlan,
  context: PolicyContext,
): Verdict {
  try {
    return rule.check(resource, plan, context);
  } catch (error) {
    return { status: 'fail', detail: `the check could not read the config (${(error as Error).message})` };
  }
}

export function evaluatePolicy(plan: PolicyPlan, options: EvaluationOptions): Evaluation {
  const rulesById = new Map(options.rules.map((r) => [r.id, r]));
  const byPath = new Map(plan.resources.map((r) => [r.path, r]));
  const problems: GovernanceProblem[] = [];
  const suppressions = new Map<string, Suppression>();

  for (const suppression of options.suppressions ?? []) {
    const where = `${suppression.origin === 'code' ? 'suppression' : suppression.origin} of ${suppression.rule} on ${suppression.path}`;
    const rule = rulesById.get(suppression.rule);
    const resource = byPath.get(suppression.path);
    if (!rule) {
      problems.push({
        path: suppression.path,
        message: `${where}: unknown rule "${suppression.rule}"; expected a rule id of the pack (see policy.json)`,
      });
    } else if (suppression.reason.trim().length < MIN_REASON_LENGTH) {
      problems.push({
        path: suppression.path,
        message: `${where}: the reason must be at least a sentence (${MIN_REASON_LENGTH} characters or more)`,
      });
    } else if (!resource) {
      problems.push({ message: `${where}: no resource has the construct path "${suppression.path}"` });
    } else if (!appliesTo(rule, resource)) {
      problems.push({
        path: suppression.path,
        message: `${where}: the rule does not apply to ${resource.type}; expected one of ${rule.appliesTo.join(', ')}`,
      });
    } else if (suppressions.has(`${rule.id} ${resource.path}`)) {
      problems.push({ path: suppression.path, message: `${where}: suppressed twice` });
    } else {
      suppressions.set(`${rule.id} ${resource.path}`, suppression);
    }
  }
  for (const [id, reason] of Object.entries(options.downgrade ?? {})) {
    if (!rulesById.has(id)) problems.push({ message: `downgrade of ${id}: unknown rule` });
    else if (reason.trim().length < MIN_REASON_LENGTH)
      problems.push({ message: `downgrade of ${id}: the reason must be at least a sentence` });
  }

  const results: RuleResult[] = [];
  const used = new Set<string>();
  for (const rule of options.rules) {
    for (const resource of plan.resources) {
      if (!appliesTo(rule, resource)) continue;
      const verdict = verdictOf(rule, resource, plan, options.context);
      if (verdict.status === 'notApplicable') continue;
      const key = `${rule.id} ${resource.path}`;
      const base = { rule: rule.id, address: resource.address, path: resource.path };
      if (verdict.status === 'pass') {
        results.push({ ...base, status: 'pass' });
        continue;
      }
      const suppression = suppressions.get(key);
      if (suppression) {
        used.add(key);
        results.push({
          ...base,
          status: 'suppressed',
          detail: verdict.detail,
          reason: suppression.reason,
          origin: suppression.origin,
        });
      } else {
        const level = options.downgrade?.[rule.id] ? 'warning' : 'error';
        results.push({ ...base, status: 'fail', level, detail: verdict.detail });
      }
    }
  }
  results.sort((a, b) => compare(a.rule, b.rule) || compare(a.path, b.path));
  const unused = [...suppressions.entries()].filter(([key]) => !used.has(key)).map(([, s]) => s);
  return { results, problems, unused };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
