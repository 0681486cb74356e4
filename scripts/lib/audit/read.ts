/**
 * Reads what synth wrote: each stack's plan (cdk.tf.json) and its policy results (policy.json). Every problem is one
 * sentence that says what to run.
 */
import { PlanReadError, readSynthOutput, type StackPlan } from '../../../constructs/shared/plan';
import { type PolicyReport, readPolicyReport } from '../../../constructs/shared/policy/report';
import { ScriptError } from '../cli';

export interface AuditedStack {
  readonly name: string;
  readonly plan: StackPlan;
  readonly policy: PolicyReport;
}

export function readAuditInput(outdir: string): AuditedStack[] {
  const output = readSynthOutput(outdir);
  const stacks = output.stacks().map((plan) => {
    let policy: PolicyReport;
    try {
      policy = readPolicyReport(output, plan.name);
    } catch (error) {
      if (error instanceof PlanReadError && / is missing: /.test(error.message))
        throw new ScriptError(`${error.message}: run \`npm run synth\` again.`);
      throw error;
    }
    if (plan.resources.length === 0) {
      throw new ScriptError(`${plan.name} has no resources in ${outdir}: run \`npm run synth\` again.`);
    }
    return { name: plan.name, plan, policy };
  });
  if (stacks.length === 0) throw new ScriptError(`${outdir} holds no stack: run \`npm run synth\` first.`);
  return stacks.sort((a, b) => stageOrder(a) - stageOrder(b) || (a.name < b.name ? -1 : 1));
}

const STAGES = ['dev', 'staging', 'prod'];
function stageOrder(stack: AuditedStack): number {
  const index = STAGES.indexOf(String(stack.policy.facts['stage']));
  return index < 0 ? STAGES.length : index;
}
