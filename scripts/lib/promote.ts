/**
 * The promotion guard: may the configuration and plan of one environment (prod) follow another (staging)? It reads
 * both environments' config and their synthesized plans in cdktf.out, never Azure, and answers with checks that each
 * pass or fail with readable findings.
 */
import { PlanReadError, policyXml, readSynthOutput, type StackPlan } from '../../constructs/shared/plan';
import { type PolicyReport, readPolicyReport } from '../../constructs/shared/policy/report';
import { EXAMPLE_ENVIRONMENTS, parseEnvironment, readConfigFile, type Environment } from '../../environments';
import { crossEnvironmentErrors } from '../../environments/cross-environment';
import { shardStackId } from '../../environments/stack-ids';
import { type Allocation, tenantsIn } from '../../environments/sections/tenants';
import { ScriptError } from './cli';
import { PER_ENVIRONMENT_POLICY_VALUES, policyDifferences } from './policy-diff';

/** One environment as the guard sees it: its config, where it came from, and its synthesized stacks. */
export interface PromotionSide {
  readonly env: Environment;
  readonly source: string;
  readonly plans: readonly StackPlan[];
  /** The governance rule pack's results per stack (policy.json), or why they are missing. */
  readonly rulePack: ReadonlyArray<{
    readonly stack: string;
    readonly report?: PolicyReport;
    readonly missing?: string;
  }>;
}

export interface PromotionCheck {
  readonly id:
    | 'models'
    | 'prompts'
    | 'evaluation'
    | 'gateway-policies'
    | 'rule-pack'
    | 'allocations'
    | 'cross-environment'
    | 'verification';
  readonly title: string;
  readonly passed: boolean;
  /** One line when it passes; the findings when it fails. */
  readonly summary: string;
  /** Markdown lines that explain the failure (or notes on a pass). */
  readonly details: readonly string[];
}

export interface PromotionReport {
  readonly from: string;
  readonly to: string;
  readonly checks: readonly PromotionCheck[];
  readonly passed: boolean;
}

/** The stacks an environment's config says it has: the platform stack and its tenant shards. */
export function environmentStacks(env: Environment): string[] {
  return [
    env.name,
    ...Array.from({ length: env.tenantShards?.count ?? 0 }, (_, i) => shardStackId(env.name, i + 1)),
  ];
}

/**
 * Loads two environments by name from config files (`--config`) or the shipped examples. An unknown name is one
 * sentence listing the known ones.
 */
export function loadPair(
  from: string,
  to: string,
  configFiles: readonly string[],
): [{ env: Environment; source: string }, { env: Environment; source: string }] {
  if (from === to) throw new ScriptError(`--from and --to are both "${from}"; expected two environments.`);
  const sources =
    configFiles.length > 0
      ? configFiles.map((file) => ({ source: file, read: () => readConfigFile(file) }))
      : Object.entries(EXAMPLE_ENVIRONMENTS).map(([name, input]) => ({
          source: `environments/${name}.ts`,
          read: () => input as unknown,
        }));
  const loaded = new Map<string, { env: Environment; source: string }>();
  for (const { source, read } of sources) {
    const env = parseEnvironment(read(), source);
    loaded.set(env.name, { env, source });
  }
  const pick = (name: string, flag: string) => {
    const found = loaded.get(name);
    if (!found) {
      throw new ScriptError(
        `unknown environment "${name}" for ${flag}; expected one of: ${[...loaded.keys()].join(', ')}.`,
      );
    }
    return found;
  };
  return [pick(from, '--from'), pick(to, '--to')];
}

/** Reads an environment's stacks and their rule-pack results from a synthesized output directory. */
export function readSide(loaded: { env: Environment; source: string }, outdir: string): PromotionSide {
  const stacks = environmentStacks(loaded.env);
  const output = readSynthOutput(outdir);
  const plans = output.stacks(stacks);
  return {
    ...loaded,
    plans,
    rulePack: stacks.map((stack) => {
      try {
        return { stack, report: readPolicyReport(output, stack) };
      } catch (error) {
        if (error instanceof PlanReadError) return { stack, missing: error.message };
        throw error;
      }
    }),
  };
}

const thousands = (n: number) => n.toLocaleString('en-US');

// ---------------------------------------------------------------------------------------------------------------

interface Deployment {
  readonly model: string;
  readonly version: string;
  readonly upgrade: string;
  readonly where: string;
}

function deployments(side: PromotionSide): Deployment[] {
  return side.plans.flatMap((plan) =>
    plan.byType('azurerm_cognitive_deployment').map((r) => {
      const model = r.config['model'] as { name?: string; version?: string } | undefined;
      return {
        model: String(model?.name ?? '?'),
        version: model?.version ? String(model.version) : '(default version)',
        upgrade: String(r.config['version_upgrade_option'] ?? 'OnceNewDefaultVersionAvailable'),
        where: `${plan.name}: ${r.path}`,
      };
    }),
  );
}

/** prod runs no model or model version that staging does not run, and upgrades none on its own that staging pins. */
export function modelCheck(from: PromotionSide, to: PromotionSide): PromotionCheck {
  const fromDeployments = deployments(from);
  const tested = new Set(fromDeployments.map((d) => `${d.model}@${d.version}`));
  const autoUpgradedInFrom = new Set(
    fromDeployments.filter((d) => d.upgrade === 'OnceNewDefaultVersionAvailable').map((d) => d.model),
  );
  const details: string[] = [];
  for (const d of deployments(to)) {
    if (!tested.has(`${d.model}@${d.version}`)) {
      details.push(`- ${d.where}: **${d.model} ${d.version}**, which ${from.env.name} does not run`);
    } else if (d.upgrade === 'OnceNewDefaultVersionAvailable' && !autoUpgradedInFrom.has(d.model)) {
      details.push(
        `- ${d.where}: ${d.model} ${d.version} moves to each new default version (OnceNewDefaultVersionAvailable), which ${from.env.name} never does for ${d.model}; pin it (versionUpgrade)`,
      );
    }
  }
  const models = [...new Set(deployments(to).map((d) => `${d.model} ${d.version}`))].sort();
  return {
    id: 'models',
    title: 'models and versions',
    passed: details.length === 0,
    summary:
      details.length === 0
        ? `${to.env.name} runs only what ${from.env.name} runs (${models.join(', ')})`
        : `${details.length} deployment${details.length === 1 ? '' : 's'} would run what ${from.env.name} does not`,
    details,
  };
}

// ---------------------------------------------------------------------------------------------------------------

const POLICY_TYPES = new Set([
  'azurerm_api_management_policy',
  'azurerm_api_management_api_policy',
  'azurerm_api_management_api_operation_policy',
  'azurerm_api_management_product_policy',
  'azurerm_api_management_policy_fragment',
]);

/** Every gateway policy document of an environment, by construct path. */
function policies(side: PromotionSide): Map<string, { xml: string; type: string }> {
  const found = new Map<string, { xml: string; type: string }>();
  for (const plan of side.plans) {
    for (const r of plan.resources) {
      let xml: unknown;
      if (POLICY_TYPES.has(r.type)) xml = r.config['xml_content'] ?? r.config['value'];
      else if (
        r.type === 'azapi_resource' &&
        r.armType !== undefined &&
        /^Microsoft\.ApiManagement\/service\/.*(policies|policyFragments)$/i.test(r.armType)
      ) {
        xml = policyXml(r);
      }
      if (typeof xml === 'string') found.set(r.path, { xml, type: r.type });
    }
  }
  return found;
}

/** Gateway policies behave the same: they differ only by the declared per-environment values. */
export function policyCheck(from: PromotionSide, to: PromotionSide): PromotionCheck {
  const fromPolicies = policies(from);
  const toPolicies = policies(to);
  const details: string[] = [];
  let compared = 0;
  let newTenants = 0;
  for (const [path, policy] of [...toPolicies].sort(([a], [b]) => a.localeCompare(b))) {
    const reference = fromPolicies.get(path);
    if (!reference) {
      if (path.startsWith('Tenants/')) newTenants += 1;
      else
        details.push(
          `- \`${path}\` (${policy.type}): ${to.env.name} has this policy, ${from.env.name} does not`,
        );
      continue;
    }
    compared += 1;
    const differences = policyDifferences(reference.xml, policy.xml, path);
    if (differences.length > 0) {
      details.push(
        `- \`${path}\` (${policy.type}): \`-\` ${from.env.name}, \`+\` ${to.env.name}`,
        '',
        '  ```diff',
        ...differences.map((line) => `  ${line}`),
        '  ```',
      );
    }
  }
  const failing = details.filter((d) => d.startsWith('- ')).length;
  return {
    id: 'gateway-policies',
    title: 'gateway policies',
    passed: failing === 0,
    summary:
      failing === 0
        ? `${compared} policies behave the same; only per-environment values differ${newTenants > 0 ? ` (${newTenants} tenant ${newTenants === 1 ? 'policy is' : 'policies are'} new in ${to.env.name}: see tenant allocations)` : ''}`
        : `${failing} ${failing === 1 ? 'policy differs' : 'policies differ'} beyond per-environment values`,
    details: [
      ...details,
      ...(failing > 0
        ? [
            '',
            `Per-environment values, replaced before comparing: ${PER_ENVIRONMENT_POLICY_VALUES.map((v) => `${v.element === '*' ? '' : v.element}${v.where ? `[${v.where.attribute}=${v.where.value}]` : ''}@${v.attribute}`).join(', ')}; routes to deployments only ${from.env.name} has.`,
          ]
        : []),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** The governance rule pack passes in every stack of both environments. */
export function rulePackCheck(from: PromotionSide, to: PromotionSide): PromotionCheck {
  const details: string[] = [];
  let stacks = 0;
  let results = 0;
  for (const side of [from, to]) {
    for (const { stack, report, missing } of side.rulePack) {
      if (missing || !report) {
        details.push(`- ${stack}: ${missing}; synth with the rule pack and run the guard again`);
        continue;
      }
      stacks += 1;
      results += report.results.length;
      for (const r of report.results.filter((result) => result.status === 'fail')) {
        details.push(
          `- ${stack}: [${r.rule}] ${r.path ?? r.address}: ${r.detail ?? 'fails'}${r.level === 'warning' ? ' (downgraded to a warning)' : ''}`,
        );
      }
      for (const p of report.problems ?? [])
        details.push(`- ${stack}: [policy] ${p.path ? `${p.path}: ` : ''}${p.message}`);
    }
  }
  return {
    id: 'rule-pack',
    title: 'rule pack',
    passed: details.length === 0,
    summary:
      details.length === 0
        ? `${results} results in ${stacks} stacks, no failure`
        : `${details.length} failure${details.length === 1 ? '' : 's'} or missing report${details.length === 1 ? '' : 's'}`,
    details,
  };
}

// ---------------------------------------------------------------------------------------------------------------

type Granted = Exclude<Allocation, 'none'>;

/** Dedicated capacity by model and deployment type: thousands of TPM or PTU, not comparable across types. */
function dedicatedCapacity(allocation: Granted | undefined): Map<string, number> {
  const sums = new Map<string, number>();
  for (const account of Object.values(allocation?.dedicated?.accounts ?? {})) {
    for (const d of Object.values(account!.deployments)) {
      const key = `${d.model.name} ${d.type}`;
      sums.set(key, (sums.get(key) ?? 0) + d.capacity);
    }
  }
  return sums;
}

/** How an allocation grows from `before` to `after`, one phrase per quantity; empty when it does not grow. */
export function allocationGrowth(before: Allocation | undefined, after: Granted): string[] {
  if (before === undefined || before === 'none') {
    return [
      `new: ${thousands(after.tokensPerMinute)} tokens/min, ${thousands(after.monthlyTokenQuota)} tokens/month`,
    ];
  }
  const growth: string[] = [];
  if (after.tokensPerMinute > before.tokensPerMinute) {
    growth.push(`tokensPerMinute ${thousands(before.tokensPerMinute)} → ${thousands(after.tokensPerMinute)}`);
  }
  if (after.monthlyTokenQuota > before.monthlyTokenQuota) {
    growth.push(
      `monthlyTokenQuota ${thousands(before.monthlyTokenQuota)} → ${thousands(after.monthlyTokenQuota)}`,
    );
  }
  const was = dedicatedCapacity(before);
  for (const [key, capacity] of dedicatedCapacity(after)) {
    if (capacity > (was.get(key) ?? 0)) growth.push(`dedicated ${key} ${was.get(key) ?? 0} → ${capacity}`);
  }
  return growth;
}

/** A tenant's allocation grows from `from` to `to` only with an approval on the larger allocation. */
export function allocationCheck(from: PromotionSide, to: PromotionSide): PromotionCheck {
  const failures: string[] = [];
  const approved: string[] = [];
  for (const t of tenantsIn(to.env).filter((tenant) => tenant.hasAccess)) {
    const before = from.env.tenants[t.slug]?.allocations[from.env.name];
    const growth = allocationGrowth(before, t.allocation);
    if (growth.length === 0) continue;
    const approval = t.allocation.approval;
    if (approval) {
      approved.push(
        `- ${t.slug}: ${growth.join('; ')}: approved by ${approval.approvedBy} (${approval.reference})`,
      );
    } else {
      failures.push(
        `- ${t.slug}: ${growth.join('; ')} without approval; add \`tenants.${t.slug}.allocations.${to.env.name}.approval: { approvedBy, reference }\``,
      );
    }
  }
  return {
    id: 'allocations',
    title: 'tenant allocations',
    passed: failures.length === 0,
    summary:
      failures.length === 0
        ? approved.length === 0
          ? `no tenant gets more in ${to.env.name} than in ${from.env.name}`
          : `${approved.length} tenant${approved.length === 1 ? ' grows' : 's grow'}, each with an approval`
        : `${failures.length} tenant${failures.length === 1 ? ' grows' : 's grow'} without approval`,
    details: [...failures, ...approved],
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** The rules that compare environments (environments/cross-environment.ts), on this pair. */
export function crossEnvironmentCheck(from: PromotionSide, to: PromotionSide): PromotionCheck {
  const errors = crossEnvironmentErrors([
    { env: from.env, source: from.source },
    { env: to.env, source: to.source },
  ]);
  const details = errors.flatMap((error) =>
    error.problems.map(
      (p) => `- ${error.source}: ${p.path}: ${p.message}${p.rule ? ` [rule ${p.rule}]` : ''}`,
    ),
  );
  return {
    id: 'cross-environment',
    title: 'cross-environment rules',
    passed: details.length === 0,
    summary: details.length === 0 ? 'pass' : `${details.length} problem${details.length === 1 ? '' : 's'}`,
    details,
  };
}

/** `extra`: checks that read more than config and plans (the verification report of `from`). */
export function promotionReport(
  from: PromotionSide,
  to: PromotionSide,
  extra: readonly PromotionCheck[] = [],
): PromotionReport {
  const checks = [
    modelCheck(from, to),
    policyCheck(from, to),
    rulePackCheck(from, to),
    allocationCheck(from, to),
    crossEnvironmentCheck(from, to),
    ...extra,
  ];
  return { from: from.env.name, to: to.env.name, checks, passed: checks.every((c) => c.passed) };
}

/** The report as Markdown: readable in a terminal, a job summary and a pull-request comment. */
export function renderPromotion(report: PromotionReport): string {
  const failed = report.checks.filter((c) => !c.passed);
  const lines = [
    `## Promotion ${report.from} → ${report.to}: ${report.passed ? 'allowed' : `blocked (${failed.length} of ${report.checks.length} checks fail)`}`,
    '',
    '| check | result | |',
    '| --- | --- | --- |',
    ...report.checks.map((c) => `| ${c.title} | ${c.passed ? 'pass' : '**FAIL**'} | ${c.summary} |`),
  ];
  for (const check of report.checks.filter((c) => c.details.length > 0)) {
    lines.push('', `### ${check.title}: ${check.passed ? 'pass' : 'FAIL'}`, '', ...check.details);
  }
  return `${lines.join('\n')}\n`;
}
