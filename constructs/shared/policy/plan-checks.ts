/**
 * Checks of the whole plan, reported, suppressed and downgraded like the rules: the plan's own integrity, before any
 * rule reads it.
 */
import { analyzeResilience } from '../paths/resilience';
import { fail, pass, type PlanCheck } from './rule';

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
  planCheck({
    id: 'LZ.Resilience.RegionLoss',
    title: 'Losing any one region (its gateway and its models) leaves every prod model some capacity',
    severity: 'high',
    appliesTo: ['Microsoft.ApiManagement/service/backends'],
    sources: [
      'own: the issue "The gateway survives the loss of a region"; Learn, "Deploy an Azure API Management instance to multiple Azure regions" (a regional gateway keeps serving when another region is offline)',
    ],
    fix: 'Deploy the model in a second region and run the gateway in at least two regions (gateway.regions.additional), or accept it with gateway.pools.<model>.singleMemberReason.',
    // Prod only: each model's shared pool passes, or fails naming the region whose loss stops it.
    evaluate: (plan, context) => {
      if (!context.resilience?.required) return [];
      const analysis = analyzeResilience(plan);
      const pools = new Map(
        plan
          .byType('Microsoft.ApiManagement/service/backends')
          .map((pool) => [String(pool.config['name']), pool] as const),
      );
      return analysis.models.flatMap((model) => {
        const pool = pools.get(`pool-${model.model}`);
        if (!pool || context.resilience!.accepted[model.model] !== undefined) return [];
        const fatal = model.losses.filter((loss) => loss.stops).map((loss) => loss.region);
        return [
          {
            resource: pool,
            verdict:
              fatal.length === 0
                ? pass()
                : fail(`losing ${fatal.join(' or ')} takes "${model.model}" to zero capacity`),
          },
        ];
      });
    },
  }),
] as const;
