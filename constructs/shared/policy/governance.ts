/**
 * Governance of a stack. The stack registers its options once (`governStack`: the context, the config suppressions
 * and downgrades, the facts for the audit). Synth writes the stack's cdk.tf.json; `evaluateGovernance` then runs the
 * checks once on that plan, with the suppressions that constructs declared in code (`suppressRule`), and returns the
 * content of policy.json and the notes for the console: a failure is an error that fails synth (a warning where
 * config downgraded the check), and an unused suppression is a warning. Tests call the same function on the same
 * written plan.
 */
import { TerraformResource, TerraformStack } from 'cdktf';
import { checkDataPaths, type DataPathContext, PATH_RULES, pathRuleResults } from '../paths';
import type { StackPlan } from '../plan';
import { evaluatePolicy, type RuleResult, type Suppression } from './engine';
import { isPathRuleId, NOT_ADOPTED, PLAN_CHECKS, POLICY_RULES } from './registry';
import { type PolicyReport, ruleSummary } from './report';
import type { PlanCheck, PolicyContext, PolicyRule } from './rule';
import { suppressionsOf } from './suppressions';

export interface GovernanceOptions {
  readonly context: PolicyContext;
  /** @default - the whole pack */
  readonly rules?: readonly PolicyRule[];
  /** Checks of the whole plan, reported and suppressed like the rules. @default - every plan check */
  readonly planChecks?: readonly PlanCheck[];
  /** Suppressions from config, by construct path. @default - none */
  readonly suppressions?: readonly Suppression[];
  /** Checks whose failures are warnings, with why (dev only). @default - none */
  readonly downgrade?: Readonly<Record<string, string>>;
  /** Facts about the environment the report carries for the audit (stage, quota plan, protection). @default {} */
  readonly facts?: Readonly<Record<string, unknown>>;
  /** Prove the stack's data paths with what config declares beyond the plan. @default - no data-path proof */
  readonly paths?: DataPathContext;
}

/** A line for the console: an error fails synth. `path` is the construct path of what it is about. */
export interface GovernanceNote {
  readonly level: 'error' | 'warning';
  readonly path: string;
  readonly message: string;
}

export interface StackGovernance {
  /** The content of the stack's policy.json. */
  readonly report: PolicyReport;
  readonly notes: readonly GovernanceNote[];
}

const OPTIONS = new WeakMap<TerraformStack, GovernanceOptions>();

/** Puts a stack under governance: its plan is checked once synth has written it. */
export function governStack(stack: TerraformStack, options: GovernanceOptions): void {
  if (OPTIONS.has(stack)) throw new Error(`${stack.node.path}: governance is registered twice`);
  OPTIONS.set(stack, options);
}

/** Whether `governStack` registered this stack. */
export function isGoverned(stack: TerraformStack): boolean {
  return OPTIONS.has(stack);
}

/** The suppressions that the constructs of a stack declared in code, by construct path inside the stack. */
export function codeSuppressions(stack: TerraformStack): Suppression[] {
  const prefix = stack.node.path.length + 1;
  const found: Suppression[] = [];
  for (const node of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(node)) continue;
    for (const s of suppressionsOf(node))
      found.push({ rule: s.rule, reason: s.reason, path: node.node.path.slice(prefix), origin: 'code' });
  }
  return found;
}

/**
 * What governance needs of a governed stack, taken from the construct tree: plain data, so that synth can release the
 * tree before it reads the plan back.
 */
export interface GovernedStack {
  /** The stack's id (`prod`, `prod-tenants-1`). */
  readonly id: string;
  /** Its construct path, which the notes prefix to a resource's path. */
  readonly path: string;
  readonly options: GovernanceOptions;
  /** The suppressions its constructs declared in code ({@link codeSuppressions}). */
  readonly codeSuppressions: readonly Suppression[];
}

/** The governance of `stack` as plain data; undefined for a stack that is not governed. */
export function governedStack(stack: TerraformStack): GovernedStack | undefined {
  const options = OPTIONS.get(stack);
  if (!options) return undefined;
  return { id: stack.node.id, path: stack.node.path, options, codeSuppressions: codeSuppressions(stack) };
}

/**
 * Evaluates the governance of `stack` on `plan`, the plan synth wrote for it; undefined for a stack that is not
 * governed.
 */
export function evaluateGovernance(
  stack: TerraformStack | GovernedStack,
  plan: StackPlan,
): StackGovernance | undefined {
  const governed = TerraformStack.isStack(stack) ? governedStack(stack) : stack;
  if (!governed) return undefined;
  const { options } = governed;
  const rules = options.rules ?? (POLICY_RULES as readonly PolicyRule[]);
  const planChecks = options.planChecks ?? (PLAN_CHECKS as readonly PlanCheck[]);
  // Suppressions and downgrades of the data-path rules apply to the proof's results, the others to the pack's.
  const suppressions = [...governed.codeSuppressions, ...(options.suppressions ?? [])];
  const downgrade = Object.entries(options.downgrade ?? {});
  const evaluation = evaluatePolicy(plan, {
    rules,
    planChecks,
    context: options.context,
    suppressions: suppressions.filter((s) => !isPathRuleId(s.rule)),
    downgrade: Object.fromEntries(downgrade.filter(([id]) => !isPathRuleId(id))),
  });
  // The data-path proof runs on the same plan; each hop is a result of a rule of the same catalogue (`LZ.Path.*`).
  const paths = options.paths ? checkDataPaths(plan, options.paths) : undefined;
  const pathSuppressions = suppressions.filter((s) => isPathRuleId(s.rule));
  const usedPathSuppressions = new Set<Suppression>();
  const pathResults: RuleResult[] = (paths ? pathRuleResults(paths) : []).map((r) => {
    if (r.status !== 'fail') return r;
    const suppression = pathSuppressions.find((s) => s.rule === r.rule && s.path === r.path);
    if (!suppression) return { ...r, level: options.downgrade?.[r.rule] ? 'warning' : 'error' };
    usedPathSuppressions.add(suppression);
    return { ...r, status: 'suppressed', reason: suppression.reason, origin: suppression.origin };
  });
  const unused = [...evaluation.unused, ...pathSuppressions.filter((s) => !usedPathSuppressions.has(s))];
  const results = [...evaluation.results, ...pathResults];
  const checks = [...rules, ...planChecks, ...(paths ? PATH_RULES : [])];

  const at = (path: string | undefined) =>
    path !== undefined && plan.byPath(path) ? `${governed.path}/${path}` : governed.path;
  const byId = new Map(checks.map((c) => [c.id, c]));
  const notes: GovernanceNote[] = [];
  for (const result of results) {
    if (result.status !== 'fail') continue;
    const check = byId.get(result.rule)!;
    const downgraded = options.downgrade?.[check.id];
    const message =
      `[${check.id}] ${check.title}: ${result.detail} (${result.address}). Fix: ${check.fix} ` +
      `Source: ${check.sources.join('; ')}.${downgraded ? ` Downgraded to a warning: ${downgraded}` : ''}`;
    notes.push({ level: result.level === 'warning' ? 'warning' : 'error', path: at(result.path), message });
  }
  for (const problem of evaluation.problems)
    notes.push({ level: 'error', path: at(problem.path), message: `[policy] ${problem.message}` });
  for (const suppression of unused) {
    notes.push({
      level: 'warning',
      path: at(suppression.path),
      message: `[policy] unused suppression of ${suppression.rule} (${suppression.origin}): the rule passes or does not apply here; remove it`,
    });
  }

  return {
    report: {
      version: 1,
      stack: governed.id,
      facts: options.facts ?? {},
      downgraded: options.downgrade ?? {},
      rules: checks.map(ruleSummary),
      notAdopted: NOT_ADOPTED,
      results,
      unusedSuppressions: unused,
      problems: evaluation.problems,
      ...(paths ? { paths } : {}),
    },
    notes,
  };
}
