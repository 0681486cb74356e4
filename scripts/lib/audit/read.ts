/**
 * Reads what synth wrote: each stack's plan (cdk.tf.json) and its policy results (policy.json). Every problem is one
 * sentence that says what to run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PolicyPlan, type PolicyReport } from '../../../constructs/shared/policy';
import { ScriptError } from '../cli';
import { readPlans } from '../plan';

export interface AuditedStack {
  readonly name: string;
  readonly plan: PolicyPlan;
  readonly policy: PolicyReport;
}

export function readAuditInput(outdir: string): AuditedStack[] {
  if (!existsSync(outdir)) throw new ScriptError(`${outdir} does not exist: run \`npm run synth\` first.`);
  const stacks = readPlans(outdir).map((stack) => {
    const file = join(outdir, 'stacks', stack.name, 'policy.json');
    if (!existsSync(file)) {
      throw new ScriptError(`${file} is missing: run \`npm run synth\` again (synth writes the policy results next to each plan).`);
    }
    let policy: PolicyReport;
    try {
      policy = JSON.parse(readFileSync(file, 'utf8')) as PolicyReport;
    } catch (error) {
      throw new ScriptError(`${file} is not valid JSON (${(error as Error).message}): run \`npm run synth\` again.`);
    }
    if (policy?.version !== 1 || !Array.isArray(policy.results) || !Array.isArray(policy.rules)) {
      throw new ScriptError(`${file} is not a version 1 policy report: run \`npm run synth\` again.`);
    }
    if (!stack.json.resource || typeof stack.json.resource !== 'object') {
      throw new ScriptError(`${join(outdir, 'stacks', stack.name, 'cdk.tf.json')} has no resources: run \`npm run synth\` again.`);
    }
    return { name: stack.name, plan: new PolicyPlan(stack.json as never), policy };
  });
  if (stacks.length === 0) throw new ScriptError(`${outdir} holds no stack: run \`npm run synth\` first.`);
  return stacks.sort((a, b) => stageOrder(a) - stageOrder(b) || (a.name < b.name ? -1 : 1));
}

const STAGES = ['dev', 'staging', 'prod'];
function stageOrder(stack: AuditedStack): number {
  const index = STAGES.indexOf(String(stack.policy.facts['stage']));
  return index < 0 ? STAGES.length : index;
}
