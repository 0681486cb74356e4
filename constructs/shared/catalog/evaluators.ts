/**
 * The evaluators of the evaluation gate and their scales, from Microsoft's built-in evaluators (Learn: "Evaluate
 * generative AI apps with the Azure AI Evaluation SDK" and "General purpose evaluators" / "RAG evaluators": groundedness,
 * relevance, coherence and fluency are scored on a 1–5 Likert scale, higher is better; "Risk and safety evaluators":
 * violence, sexual, self-harm and hate/unfairness are scored by severity 0–7, and a run reports the defect rate, the
 * share of rows whose severity reaches the threshold). Cloud evaluation (Learn: "Cloud evaluation") names them
 * `builtin.<name>`.
 */

/** A quality evaluator: the mean score of a run must reach the threshold. */
export interface QualityEvaluator {
  readonly kind: 'quality';
  /** The built-in evaluator of Foundry's cloud evaluation. */
  readonly builtin: string;
  readonly scale: { readonly min: number; readonly max: number };
  /** What the evaluator needs from each row of a dataset. */
  readonly inputs: readonly string[];
}

/** The content-safety evaluators: the share of rows any of them flags (the defect rate) must stay at or below the limit. */
export interface SafetyEvaluator {
  readonly kind: 'safety';
  readonly builtins: readonly string[];
  readonly scale: { readonly min: 0; readonly max: 1 };
  /** Severity (0–7) from which a row counts as a defect: Medium (4) and above. */
  readonly defectSeverity: number;
  readonly inputs: readonly string[];
}

export const EVALUATORS = {
  groundedness: {
    kind: 'quality',
    builtin: 'builtin.groundedness',
    scale: { min: 1, max: 5 },
    inputs: ['query', 'context', 'response'],
  },
  relevance: {
    kind: 'quality',
    builtin: 'builtin.relevance',
    scale: { min: 1, max: 5 },
    inputs: ['query', 'response'],
  },
  coherence: {
    kind: 'quality',
    builtin: 'builtin.coherence',
    scale: { min: 1, max: 5 },
    inputs: ['query', 'response'],
  },
  fluency: { kind: 'quality', builtin: 'builtin.fluency', scale: { min: 1, max: 5 }, inputs: ['response'] },
  contentSafety: {
    kind: 'safety',
    builtins: ['builtin.violence', 'builtin.sexual', 'builtin.self_harm', 'builtin.hate_unfairness'],
    scale: { min: 0, max: 1 },
    defectSeverity: 4,
    inputs: ['query', 'response'],
  },
} as const satisfies Record<string, QualityEvaluator | SafetyEvaluator>;

export type EvaluatorName = keyof typeof EVALUATORS;
export const EVALUATOR_NAMES = Object.keys(EVALUATORS) as EvaluatorName[];

/** Does a score pass its threshold? Quality: mean score ≥ threshold; content safety: defect rate ≤ threshold. */
export function passesThreshold(evaluator: EvaluatorName, score: number, threshold: number): boolean {
  return EVALUATORS[evaluator].kind === 'safety' ? score <= threshold : score >= threshold;
}

/**
 * The container of the prompt-library account that holds the published prompts, and the one that holds evaluation
 * datasets. Tenants' containers are `tenant-<slug>`, so neither name can clash with a tenant's.
 */
export const PROMPT_CONTAINER = 'prompts';
export const EVALUATION_CONTAINER = 'evaluation';

/** The `source` of the gateway trace that carries a sampled exchange (tenant product policy, messageLogging). */
export const MESSAGE_LOG_SOURCE = 'genaiops-message-log';
/** The Application Insights event each continuous-evaluation score is sent as; the model-decay alert reads it. */
export const DECAY_EVENT = 'GenAIOpsEvaluation';
