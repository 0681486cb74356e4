/**
 * Evaluates the governance checks over one plan: every rule on every resource it applies to, every plan check on the
 * whole plan, then suppressions, downgrades and enforcement, the same way for both kinds. Pure: synth feeds it the
 * plan it wrote, and tests feed it the same.
 */
import type { PlanResource, StackPlan } from '../plan';
import type { CheckInfo, PlanCheck, PolicyContext, PolicyRule, Verdict } from './rule';

/** The shortest reason accepted for a suppression or a downgrade: a sentence, not a word. */
export const MIN_REASON_LENGTH = 20;

/** A check switched off for one resource, with why. */
export interface Suppression {
  readonly rule: string;
  /** Construct path of the resource inside the stack (`KeyVault/Vault`). */
  readonly path: string;
  readonly reason: string;
  /** Where it was declared: `code` (a construct) or the config path (`governance.suppressions[0]`). */
  readonly origin: string;
}

export type ResultStatus = 'pass' | 'fail' | 'suppressed';

/** One check on one resource. */
export interface RuleResult {
  readonly rule: string;
  readonly address: string;
  readonly path: string;
  readonly status: ResultStatus;
  /** For failures: error (synth fails) or warning (downgraded in dev, or a check enforced as a warning). */
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
  /** Checks of the whole plan, reported, suppressed and downgraded like the rules. @default - none */
  readonly planChecks?: readonly PlanCheck[];
  readonly context: PolicyContext;
  readonly suppressions?: readonly Suppression[];
  /** Checks whose failures are warnings, with why. Only dev may have any (schema rule). */
  readonly downgrade?: Readonly<Record<string, string>>;
}

export interface Evaluation {
  readonly results: readonly RuleResult[];
  readonly problems: readonly GovernanceProblem[];
  /** Suppressions whose check passed (or does not apply): worth removing. */
  readonly unused: readonly Suppression[];
}

export function appliesTo(check: CheckInfo, resource: PlanResource): boolean {
  return (
    check.appliesTo.includes('*') ||
    check.appliesTo.includes(resource.type) ||
    (resource.armType !== undefined && check.appliesTo.includes(resource.armType))
  );
}

function verdictOf(
  rule: PolicyRule,
  resource: PlanResource,
  plan: StackPlan,
  context: PolicyContext,
): Verdict {
  try {
    return rule.check(resource, plan, context);
  } catch (error) {
    return { status: 'fail', detail: `the check could not read the config (${(error as Error).message})` };
  }
}

/** The rules that apply to each resource type (and ARM type), looked up once per kind of resource. */
function rulesByType(rules: readonly PolicyRule[]): (resource: PlanResource) => readonly PolicyRule[] {
  const index = new Map<string, PolicyRule[]>();
  for (const rule of rules)
    for (const type of new Set(rule.appliesTo)) index.set(type, [...(index.get(type) ?? []), rule]);
  const byKind = new Map<string, readonly PolicyRule[]>();
  return (resource) => {
    const kind = resource.armType === undefined ? resource.type : `${resource.type} ${resource.armType}`;
    let found = byKind.get(kind);
    if (!found) {
      const keys = [resource.type, ...(resource.armType === undefined ? [] : [resource.armType]), '*'];
      found = rules.filter((rule) => keys.some((key) => index.get(key)?.includes(rule)));
      byKind.set(kind, found);
    }
    return found;
  };
}

/** Every verdict of every check over the plan, before suppressions, in construct-path order. */
function verdicts(
  plan: StackPlan,
  options: EvaluationOptions,
): { check: CheckInfo; resource: PlanResource; verdict: Verdict }[] {
  const found: { check: CheckInfo; resource: PlanResource; verdict: Verdict }[] = [];
  const rulesFor = rulesByType(options.rules);
  for (const resource of [...plan.resources].sort((a, b) => compare(a.path, b.path))) {
    for (const rule of rulesFor(resource))
      found.push({ check: rule, resource, verdict: verdictOf(rule, resource, plan, options.context) });
  }
  for (const planCheck of options.planChecks ?? []) {
    let outcome: readonly { resource: PlanResource; verdict: Verdict }[];
    try {
      outcome = planCheck.evaluate(plan, options.context);
    } catch (error) {
      throw new Error(`${planCheck.id}: the plan check failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const sorted = outcome.map((o, i) => ({ ...o, i }));
    sorted.sort((a, b) => compare(a.resource.path, b.resource.path) || a.i - b.i);
    for (const { resource, verdict } of sorted) found.push({ check: planCheck, resource, verdict });
  }
  return found;
}

export function evaluatePolicy(plan: StackPlan, options: EvaluationOptions): Evaluation {
  const checks: CheckInfo[] = [...options.rules, ...(options.planChecks ?? [])];
  const checksById = new Map(checks.map((c) => [c.id, c]));
  const problems: GovernanceProblem[] = [];
  if (checksById.size !== checks.length) problems.push({ message: 'two checks share an id' });
  const suppressions = new Map<string, Suppression>();

  for (const suppression of options.suppressions ?? []) {
    const where = `${suppression.origin === 'code' ? 'suppression' : suppression.origin} of ${suppression.rule} on ${suppression.path}`;
    const check = checksById.get(suppression.rule);
    const resource = plan.byPath(suppression.path);
    if (!check) {
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
    } else if (!appliesTo(check, resource)) {
      problems.push({
        path: suppression.path,
        message: `${where}: the rule does not apply to ${resource.type}; expected one of ${check.appliesTo.join(', ')}`,
      });
    } else if (suppressions.has(`${check.id} ${resource.path}`)) {
      problems.push({ path: suppression.path, message: `${where}: suppressed twice` });
    } else {
      suppressions.set(`${check.id} ${resource.path}`, suppression);
    }
  }
  for (const [id, reason] of Object.entries(options.downgrade ?? {})) {
    if (!checksById.has(id)) problems.push({ message: `downgrade of ${id}: unknown rule` });
    else if (reason.trim().length < MIN_REASON_LENGTH)
      problems.push({ message: `downgrade of ${id}: the reason must be at least a sentence` });
  }

  // Results by check, each list in construct-path order as the verdicts come: sorted by check id, then path.
  const byCheck = new Map<string, RuleResult[]>();
  const used = new Set<string>();
  for (const { check, resource, verdict } of verdicts(plan, options)) {
    if (verdict.status === 'notApplicable') continue;
    let results = byCheck.get(check.id);
    if (!results) byCheck.set(check.id, (results = []));
    const base = { rule: check.id, address: resource.address, path: resource.path };
    if (verdict.status === 'pass') {
      results.push({ ...base, status: 'pass' });
      continue;
    }
    const key = `${check.id} ${resource.path}`;
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
      const level = options.downgrade?.[check.id] || check.enforcement === 'warning' ? 'warning' : 'error';
      results.push({ ...base, status: 'fail', level, detail: verdict.detail });
    }
  }
  const results = [...byCheck.keys()].sort(compare).flatMap((id) => byCheck.get(id)!);
  const unused = [...suppressions.entries()].filter(([key]) => !used.has(key)).map(([, s]) => s);
  return { results, problems, unused };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
