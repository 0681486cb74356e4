/**
 * Suppressing a rule on one resource from code, with a reason. A construct does it where its design needs an
 * exception (the gateway's management IP, a policy section without <base />); config does it in
 * `governance.suppressions`. Governance reads both (governance.ts), and the audit shows every suppression with its reason.
 */
import type { TerraformResource } from 'cdktf';
import type { RuleId } from './registry';

export const SUPPRESSION_METADATA = 'genai-lz/policy-suppression';

export interface SuppressionMetadata {
  readonly rule: string;
  readonly reason: string;
}

/**
 * Suppresses `rule` on `resource` only. The reason must be at least a sentence; an unknown rule, a short reason or a
 * rule that does not apply to the resource fails synth.
 */
export function suppressRule(resource: TerraformResource, rule: RuleId, reason: string): void {
  resource.node.addMetadata(SUPPRESSION_METADATA, { rule, reason } satisfies SuppressionMetadata);
}

/** The suppressions declared on a construct. */
export function suppressionsOf(resource: TerraformResource): SuppressionMetadata[] {
  return resource.node.metadata
    .filter((entry) => entry.type === SUPPRESSION_METADATA)
    .map((entry) => entry.data as SuppressionMetadata);
}
