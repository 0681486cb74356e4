import type { EnvironmentInput } from './schema';

/** The prompt versions the shipped environments run (prompts/<id>/<version>.yaml); prod runs what staging ran. */
export const EXAMPLE_PROMPT_VERSIONS = {
  'support-answer': '1.1.0',
  'ticket-classify': '1.0.0',
  'support-triage': '1.0.0',
} as const;

/**
 * The evaluation gate of staging and prod: the same evaluators and datasets, so that what staging measured is what
 * prod requires. Quality scores are means on 1–5; the content-safety defect rate is a share 0–1.
 */
export const EXAMPLE_EVALUATION = {
  evaluators: {
    groundedness: { threshold: 4 },
    relevance: { threshold: 4 },
    coherence: { threshold: 3.5 },
    fluency: { threshold: 3.5 },
    contentSafety: { threshold: 0.01 },
  },
  datasets: {
    'support-golden': {
      blob: 'evaluation/datasets/support-golden.jsonl',
      prompts: ['support-answer', 'support-triage'],
    },
    'contract-golden': { blob: 'evaluation/datasets/contract-golden.jsonl', prompts: ['contract-summary'] },
  },
} satisfies NonNullable<EnvironmentInput['evaluation']>;
