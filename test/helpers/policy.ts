/**
 * Small stacks for policy tests: raw resources with exactly the snake_case config a case needs, synthesized by cdktf
 * like any other resource, and the rule pack evaluated on the result.
 */
import { Testing, TerraformResource, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import {
  evaluatePolicy,
  POLICY_RULES,
  type PolicyRule,
  type Suppression,
} from '../../constructs/shared/policy';
import type { PlanCheck } from '../../constructs/shared/policy/rule';
import { synthesizeStack } from './synth';

/** A resource of any type, with the config given as Terraform writes it. */
export class RawResource extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    type: string,
    private readonly raw: Record<string, unknown>,
  ) {
    super(scope, id, { terraformResourceType: type });
  }

  /** `${type.name.<attribute>}` once synthesized. */
  ref(attribute = 'id'): string {
    return this.getStringAttribute(attribute);
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return this.raw;
  }
}

export const CONTEXT = { mandatoryTags: ['environment', 'owner'] };

/** Builds a stack, synthesizes it, and evaluates `rules` (default: the whole pack). */
export function evaluateStack(
  build: (stack: TerraformStack) => void,
  options: {
    rules?: readonly PolicyRule[];
    planChecks?: readonly PlanCheck[];
    suppressions?: Suppression[];
    downgrade?: Record<string, string>;
  } = {},
) {
  const stack = new TerraformStack(Testing.app(), 'test');
  build(stack);
  const { plan } = synthesizeStack(stack);
  return evaluatePolicy(plan, {
    rules: options.rules ?? (POLICY_RULES as readonly PolicyRule[]),
    ...(options.planChecks ? { planChecks: options.planChecks } : {}),
    context: CONTEXT,
    ...(options.suppressions ? { suppressions: options.suppressions } : {}),
    ...(options.downgrade ? { downgrade: options.downgrade } : {}),
  });
}
