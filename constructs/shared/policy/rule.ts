/**
 * The shape of a governance check. A policy rule is an id, a title, a severity, the resource types it applies to, a
 * pure check over the synthesized (snake_case) config of one resource with the whole plan as context, the fix, and
 * the public rules it follows. A plan check has the same catalog entry and looks at the whole plan at once (a data
 * path from a caller to its target), giving a verdict on each resource it concerns. Checks never see constructs or
 * TypeScript props: they read what Terraform will be given.
 */
import type { PlanResource, StackPlan } from '../plan';

export type Severity = 'high' | 'medium' | 'low';

/** The outcome of one check on one resource. */
export type Verdict =
  | { readonly status: 'pass' }
  | { readonly status: 'fail'; readonly detail: string }
  | { readonly status: 'notApplicable' };

export const pass = (): Verdict => ({ status: 'pass' });
export const fail = (detail: string): Verdict => ({ status: 'fail', detail });
export const notApplicable = (): Verdict => ({ status: 'notApplicable' });
/** Pass when `ok`, else fail with `detail`. */
export const check = (ok: boolean, detail: string): Verdict => (ok ? pass() : fail(detail));

/** Environment facts a check may need beyond the plan. */
export interface PolicyContext {
  /** Tags every taggable resource must carry. */
  readonly mandatoryTags: readonly string[];
  /**
   * Whether the loss of one region may take a model to zero capacity: `required` (prod) fails synth when it does,
   * except for the models config accepts with a reason. @default - not required
   */
  readonly resilience?: {
    readonly required: boolean;
    readonly accepted: Readonly<Record<string, string>>;
  };
}

/** What every check says about itself: its entry in policy.json's catalog and in the audit. */
export interface CheckInfo<Id extends string = string> {
  /** Stable id, `LZ.<Family>.<Name>`: suppressions and downgrades name it. */
  readonly id: Id;
  /** What a compliant resource looks like, in one line. */
  readonly title: string;
  readonly severity: Severity;
  /**
   * Terraform resource types (`azurerm_key_vault`) or, for azapi resources, ARM types without the API version
   * (`Microsoft.ApiManagement/service/backends`); `*` for every resource.
   */
  readonly appliesTo: readonly string[];
  /** Public rules this one follows (`CKV_AZURE_110`, `Azure.KeyVault.PurgeProtect`), or `own: <why>`. */
  readonly sources: readonly string[];
  /** How to comply, in one sentence. */
  readonly fix: string;
  /**
   * `warning`: a failure asks for a review (a resource type nobody has classified yet) and does not fail synth; it
   * is still reported, and may be suppressed with a reason. @default 'error'
   */
  readonly enforcement?: 'error' | 'warning';
}

/** A check of one resource at a time. */
export interface PolicyRule<Id extends string = string> extends CheckInfo<Id> {
  /** The check: pure, reads only the resource's synthesized config and the plan. */
  readonly check: (resource: PlanResource, plan: StackPlan, context: PolicyContext) => Verdict;
}

/** A check of the whole plan at once, with a verdict on each resource it concerns. */
export interface PlanCheck<Id extends string = string> extends CheckInfo<Id> {
  readonly evaluate: (
    plan: StackPlan,
    context: PolicyContext,
  ) => readonly { readonly resource: PlanResource; readonly verdict: Verdict }[];
}

/** Declares a rule and keeps its id's literal type, so that the registry knows every id. */
export function rule<const Id extends string>(definition: PolicyRule<Id>): PolicyRule<Id> {
  return definition;
}

/** A public rule we read and chose not to adopt, with the reason: the audit report lists them. */
export interface NotAdopted {
  readonly source: string;
  readonly title: string;
  readonly reason: string;
}
