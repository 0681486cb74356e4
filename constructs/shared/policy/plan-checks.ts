/**
 * Checks of the whole plan, reported, suppressed and downgraded like the rules: the plan's own integrity, before any
 * rule reads it.
 */
import { fail, type PlanCheck } from './rule';

/** Declares a plan check and keeps its id's literal type, so that the registry knows every id. */
export function planCheck<const Id extends string>(definition: PlanCheck<Id>): PlanCheck<Id> {
  return definition;
}

export const PLAN_CHECKS = [
  planCheck({
    id: 'LZ.Plan.References',
    title: 'Every reference names a resource or data source of the plan, or an output of the stack it reads',
    severity: 'high',
    appliesTo: ['*'],
    sources: [
      'own: Terraform fails at plan time on a reference it cannot resolve (a misspelt address, an override, a use of another stack that cdktf did not prepare)',
    ],
    fix: "Refer to resources of the same stack; a tenant shard reads the platform stack's resources, which cdktf wires through outputs and remote state.",
    // Only failures are reported: a resource whose references all resolve has nothing to say.
    evaluate: (plan) =>
      plan.resources.flatMap((resource) => {
        const unresolved = plan.unresolvedReferences(resource);
        return unresolved.length === 0
          ? []
          : [{ resource, verdict: fail(`refers to what the plan does not have: ${unresolved.join(', ')}`) }];
      }),
  }),
] as const;
