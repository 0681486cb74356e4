/**
 * The policy aspect: applies the rule pack to every resource of a stack. It visits the resources to collect their
 * suppressions, and adds a stack validation that runs after every aspect (tags included): the validation resolves the
 * stack to the Terraform JSON it will write, evaluates the rules on it, and turns each failure into an error
 * annotation (a warning where config downgraded the rule), which makes synth fail. The same validation proves the
 * stack's data paths (`../paths`): each hop is a rule result like any other, so a broken path fails synth with an
 * error of the same form. The report it keeps is what the app writes next to the plan as policy.json.
 */
import { Annotations, type IAspect, TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import {
  checkDataPaths,
  type DataPathContext,
  type DataPathReport,
  PATH_RULES,
  pathRuleResults,
} from '../paths';
import { evaluatePolicy, type GovernanceProblem, type RuleResult, type Suppression } from './engine';
import { PolicyPlan, type TerraformJson } from './plan';
import { NOT_ADOPTED, POLICY_RULES } from './registry';
import type { NotAdopted, PolicyContext, PolicyRule } from './rule';
import { suppressionsOf } from './suppressions';

export interface PolicyAspectOptions {
  readonly context: PolicyContext;
  /** @default - the whole pack */
  readonly rules?: readonly PolicyRule[];
  /** Suppressions from config, by construct path. @default - none */
  readonly suppressions?: readonly Suppression[];
  /** Rules whose failures are warnings, with why (dev only). @default - none */
  readonly downgrade?: Readonly<Record<string, string>>;
  /** Facts about the environment the report carries for the audit (stage, quota plan, protection). @default {} */
  readonly facts?: Readonly<Record<string, unknown>>;
  /** Prove the stack's data paths with what config declares beyond the plan. @default - no data-path proof */
  readonly paths?: DataPathContext;
}

/** The rule catalog entry written into policy.json, so that the audit never reads TypeScript. */
export interface RuleSummary {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly appliesTo: readonly string[];
  readonly sources: readonly string[];
  readonly fix: string;
}

/** What the policy found for one stack: the content of policy.json. */
export interface PolicyReport {
  readonly version: 1;
  readonly stack: string;
  readonly facts: Readonly<Record<string, unknown>>;
  readonly downgraded: Readonly<Record<string, string>>;
  readonly rules: readonly RuleSummary[];
  readonly notAdopted: readonly NotAdopted[];
  readonly results: readonly RuleResult[];
  readonly unusedSuppressions: readonly Suppression[];
  readonly problems: readonly GovernanceProblem[];
  /** The data paths and each hop's proof; their hops are also in `results` (rules `LZ.Path.*`). */
  readonly paths?: DataPathReport;
}

const REPORTS = new WeakMap<TerraformStack, PolicyReport>();
const VALIDATED = new WeakSet<TerraformStack>();

/** The report of the last policy run on `stack`, if the policy aspect ran on it. */
export function policyReportOf(stack: TerraformStack): PolicyReport | undefined {
  return REPORTS.get(stack);
}

/** policy.json: stable key order and sorted lists, so the same plan gives the same bytes. */
export function policyReportText(report: PolicyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function relativePath(stack: TerraformStack, node: IConstruct): string {
  return node.node.path.slice(stack.node.path.length + 1);
}

export class PolicyAspect implements IAspect {
  private readonly codeSuppressions = new Map<TerraformStack, Suppression[]>();

  constructor(private readonly options: PolicyAspectOptions) {}

  visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) {
      this.codeSuppressions.set(node, []);
      if (!VALIDATED.has(node)) {
        VALIDATED.add(node);
        node.node.addValidation({ validate: () => (this.run(node), []) });
      }
      return;
    }
    if (!TerraformResource.isTerraformResource(node)) return;
    const stack = TerraformStack.of(node);
    const list = this.codeSuppressions.get(stack) ?? [];
    for (const s of suppressionsOf(node))
      list.push({ rule: s.rule, reason: s.reason, path: relativePath(stack, node), origin: 'code' });
    this.codeSuppressions.set(stack, list);
  }

  private run(stack: TerraformStack): void {
    const rules = this.options.rules ?? (POLICY_RULES as readonly PolicyRule[]);
    // Cross-stack references (a tenant shard reads the platform stack) resolve into the stacks this one depends on.
    const plan = new PolicyPlan(
      stack.toTerraform() as TerraformJson,
      stack.dependencies.map((upstream) => upstream.toTerraform() as TerraformJson),
    );
    const evaluation = evaluatePolicy(plan, {
      rules,
      context: this.options.context,
      suppressions: [...(this.codeSuppressions.get(stack) ?? []), ...(this.options.suppressions ?? [])],
      ...(this.options.downgrade ? { downgrade: this.options.downgrade } : {}),
    });

    const paths = this.options.paths ? checkDataPaths(plan, this.options.paths) : undefined;
    const pathResults: RuleResult[] = (paths ? pathRuleResults(paths) : []).map((r) =>
      r.status === 'fail' ? { ...r, level: this.options.downgrade?.[r.rule] ? 'warning' : 'error' } : r,
    );
    const results = [...evaluation.results, ...pathResults];
    const summary = (r: RuleSummary): RuleSummary => ({
      id: r.id,
      title: r.title,
      severity: r.severity,
      appliesTo: r.appliesTo,
      sources: r.sources,
      fix: r.fix,
    });
    // The data-path hops are rules of the same catalogue: policy.json lists them with the pack.
    const summaries = [...rules, ...(paths ? PATH_RULES : [])].map(summary);

    const nodes = new Map(stack.node.findAll().map((n) => [relativePath(stack, n), n]));
    const at = (path: string | undefined) => (path !== undefined ? nodes.get(path) : undefined) ?? stack;
    const byId = new Map(summaries.map((r) => [r.id, r]));
    for (const result of results) {
      if (result.status !== 'fail') continue;
      const rule = byId.get(result.rule)!;
      const message =
        `[${rule.id}] ${rule.title}: ${result.detail} (${result.address}). Fix: ${rule.fix} ` +
        `Source: ${rule.sources.join('; ')}.${result.level === 'warning' ? ` Downgraded to a warning: ${this.options.downgrade?.[rule.id]}` : ''}`;
      if (result.level === 'warning') Annotations.of(at(result.path)).addWarning(message);
      else Annotations.of(at(result.path)).addError(message);
    }
    for (const problem of evaluation.problems)
      Annotations.of(at(problem.path)).addError(`[policy] ${problem.message}`);
    for (const unused of evaluation.unused) {
      Annotations.of(at(unused.path)).addWarning(
        `[policy] unused suppression of ${unused.rule} (${unused.origin}): the rule passes or does not apply here; remove it`,
      );
    }

    REPORTS.set(stack, {
      version: 1,
      stack: stack.node.id,
      facts: this.options.facts ?? {},
      downgraded: this.options.downgrade ?? {},
      rules: summaries,
      notAdopted: NOT_ADOPTED,
      results,
      unusedSuppressions: evaluation.unused,
      problems: evaluation.problems,
      ...(paths ? { paths } : {}),
    });
  }
}
