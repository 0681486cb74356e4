/**
 * What a reviewer needs from a saved Terraform plan (`terraform show -json tfplan`): how many resources are created,
 * changed, replaced and destroyed, which ones are destroyed or replaced, and whether the stack's outputs change.
 * Only addresses and counts: values (some of them secrets) never leave the plan file.
 */

/** The parts of Terraform's JSON plan format (format_version 1.x) the summary reads. */
export interface TerraformJsonPlan {
  readonly format_version?: string;
  readonly resource_changes?: ReadonlyArray<{
    readonly address: string;
    readonly mode?: string;
    readonly change: { readonly actions: readonly string[] };
  }>;
  readonly output_changes?: Readonly<Record<string, { readonly actions: readonly string[] }>>;
}

export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly replace: number;
  readonly destroy: number;
  /** Addresses destroyed or replaced, with the action. */
  readonly destructive: ReadonlyArray<{ readonly address: string; readonly action: 'destroy' | 'replace' }>;
  /** Outputs created, changed or removed: stacks that read them must be planned after this one is applied. */
  readonly outputsChanged: readonly string[];
}

export function summarizePlan(plan: TerraformJsonPlan): PlanSummary {
  let add = 0;
  let change = 0;
  let replace = 0;
  let destroy = 0;
  const destructive: Array<{ address: string; action: 'destroy' | 'replace' }> = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue;
    const actions = rc.change.actions;
    if (actions.includes('create') && actions.includes('delete')) {
      replace += 1;
      destructive.push({ address: rc.address, action: 'replace' });
    } else if (actions.includes('create')) add += 1;
    else if (actions.includes('update')) change += 1;
    else if (actions.includes('delete')) {
      destroy += 1;
      destructive.push({ address: rc.address, action: 'destroy' });
    }
  }
  const outputsChanged = Object.entries(plan.output_changes ?? {})
    .filter(([, oc]) => oc.actions.some((a) => a !== 'no-op'))
    .map(([name]) => name)
    .sort();
  return { add, change, replace, destroy, destructive, outputsChanged };
}

/** One stack of an environment's plan, as the plan step records it for the apply step. */
export interface PlannedStack {
  readonly id: string;
  /** changes: apply tfplan; no-changes: nothing to apply; deferred: planned by the next run. */
  readonly status: 'changes' | 'no-changes' | 'deferred';
  readonly summary?: PlanSummary;
  /** Why a stack was deferred. */
  readonly reason?: string;
}

/** The record of one environment's plan (plan.json in the plan bundle). */
export interface EnvironmentPlan {
  readonly version: 1;
  readonly environment: string;
  readonly stacks: readonly PlannedStack[];
}

/** The plan of an environment as Markdown, for the job summary and the pull-request comment. */
export function renderEnvironmentPlan(plan: EnvironmentPlan): string {
  const changed = plan.stacks.filter((s) => s.status === 'changes').length;
  const lines = [
    `### ${plan.environment}: ${changed === 0 ? 'no changes' : `${changed} of ${plan.stacks.length} stack${plan.stacks.length === 1 ? '' : 's'} change`}`,
    '',
    '| stack | add | change | replace | destroy | outputs | to apply |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- |',
    ...plan.stacks.map((s) => {
      const x = s.summary;
      return `| ${s.id} | ${x?.add ?? '–'} | ${x?.change ?? '–'} | ${x?.replace ?? '–'} | ${x?.destroy ?? '–'} | ${
        x ? (x.outputsChanged.length > 0 ? `${x.outputsChanged.length} change` : 'unchanged') : '–'
      } | ${s.status === 'changes' ? 'yes' : s.status === 'deferred' ? '**deferred**' : 'no'} |`;
    }),
  ];
  const destructive = plan.stacks.flatMap((s) =>
    (s.summary?.destructive ?? []).map((d) => `- ${s.id}: \`${d.address}\` (**${d.action}**)`),
  );
  if (destructive.length > 0) lines.push('', 'Destroyed or replaced, review these:', '', ...destructive);
  const deferred = plan.stacks.filter((s) => s.status === 'deferred');
  if (deferred.length > 0) {
    lines.push('', ...deferred.map((s) => `- ${s.id} is deferred: ${s.reason}`));
  }
  return `${lines.join('\n')}\n`;
}
