import type { z } from 'zod';

/** One step of a path into the configuration: an object key or an array index. */
export type PathKey = string | number;
export type ConfigPath = readonly PathKey[];

/** A problem a cross-field rule found. The message says what was expected; the formatter adds the value received. */
export interface RuleFinding {
  readonly path: ConfigPath;
  readonly message: string;
}

/**
 * A cross-field rule: its own id, its own message, and the config paths it reads. It runs only when those paths
 * parsed cleanly, so one broken section never hides the problems of another.
 */
export interface EnvironmentRule<E> {
  /** Stable id shown next to the message, e.g. `staging-prod-private`. */
  readonly id: string;
  /** Config paths this rule reads. `[]` means the whole environment. */
  readonly reads: readonly ConfigPath[];
  readonly check: (env: E, report: (finding: RuleFinding) => void) => void;
}

function isPrefix(a: ConfigPath, b: ConfigPath): boolean {
  return a.length <= b.length && a.every((key, i) => key === b[i]);
}

/** The path an issue is about; an unknown key is about the key itself, not the object that holds it. */
function issuePaths(issue: z.core.$ZodRawIssue): ConfigPath[] {
  const path = (issue.path ?? []) as PathKey[];
  if (issue.code === 'unrecognized_keys') {
    return (issue.keys as string[]).map((key) => [...path, key]);
  }
  // An unknown discriminator (network.mode) leaves the whole union unparsed, not only the discriminator.
  if (
    issue.code === 'invalid_union' &&
    typeof (issue as { discriminator?: unknown }).discriminator === 'string'
  ) {
    return [path.slice(0, -1)];
  }
  return [path];
}

function isRuleFinding(issue: z.core.$ZodRawIssue): boolean {
  return (
    issue.code === 'custom' && typeof (issue.params as { rule?: unknown } | undefined)?.rule === 'string'
  );
}

/** True when no shape issue touches what the rule reads (findings of other rules don't count: the value is sound). */
export function readsAreClean(reads: readonly ConfigPath[], issues: readonly z.core.$ZodRawIssue[]): boolean {
  return !issues.some(
    (issue) =>
      !isRuleFinding(issue) &&
      issuePaths(issue).some((path) => reads.some((read) => isPrefix(path, read) || isPrefix(read, path))),
  );
}

/** Adds each rule to the schema as its own refinement. */
export function withRules<S extends z.ZodType>(schema: S, rules: readonly EnvironmentRule<z.output<S>>[]): S {
  let result = schema;
  for (const rule of rules) {
    result = result.superRefine(
      (env, ctx) => {
        rule.check(env, (finding) =>
          ctx.addIssue({
            code: 'custom',
            path: [...finding.path],
            message: finding.message,
            params: { rule: rule.id },
            continue: true,
          }),
        );
      },
      { when: (payload) => readsAreClean(rule.reads, payload.issues) },
    ) as S;
  }
  return result;
}
