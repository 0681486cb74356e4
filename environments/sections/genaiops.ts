/**
 * GenAIOps: which prompt versions an environment runs, and the evaluation gate that decides whether they (and the
 * models under them) may go on to prod. The prompts themselves live in `prompts/` (scripts/lib/prompts.ts validates
 * them against these pins); the evaluation job and the promotion guard read the `evaluation` section.
 */
import { z } from 'zod';
import {
  EVALUATION_CONTAINER,
  EVALUATOR_NAMES,
  EVALUATORS,
  type EvaluatorName,
} from '../../constructs/shared/catalog';
import type { EnvironmentRule } from '../rules';
import type { Environment } from '../schema';
import { slug, Uuid } from './primitives';

/** A prompt's id: a lowercase slug, also the folder and blob prefix of its versions. */
export const PromptId = slug('prompt id', 63);
/** A prompt's version: semantic versioning, major.minor.patch. */
export const PromptVersion = z.string().regex(/^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/, {
  message: 'expected a semantic version such as "1.2.0"',
});

export const PromptsSection = z
  .strictObject({
    versions: z
      .record(PromptId, PromptVersion)
      .default({})
      .describe(
        'The prompt and flow versions this environment runs, by id (prompts/<id>/<version>.yaml). The promotion guard lets prod run only versions staging ran.',
      ),
    publisherPrincipalId: Uuid.optional().describe(
      "Object id of the deploy identity's service principal (service connection lz-<env>-deploy). The pipeline publishes the prompts with it, and the plan grants it Storage Blob Data Contributor on the prompts container. Required when versions are pinned: the pipeline plans as another identity, so the plan cannot look it up.",
    ),
  })
  .prefault({})
  .describe('Prompts as versioned code: the versions this environment runs.');

function threshold(name: EvaluatorName) {
  const { min, max } = EVALUATORS[name].scale;
  const what =
    EVALUATORS[name].kind === 'safety'
      ? `the content-safety defect rate is a share from ${min} to ${max}`
      : `${name} is scored ${min}–${max}`;
  const message = `${what}; expected a threshold from ${min} to ${max}`;
  return z
    .strictObject({
      threshold: z.number({ message }).min(min, { message }).max(max, { message }),
    })
    .describe(
      EVALUATORS[name].kind === 'safety'
        ? 'The highest share of rows (0–1) any content-safety evaluator may flag at Medium severity or above.'
        : `The lowest mean ${name} score (${min}–${max}) that passes.`,
    );
}

const Evaluators = z
  .strictObject(
    Object.fromEntries(EVALUATOR_NAMES.map((name) => [name, threshold(name).optional()])) as Record<
      EvaluatorName,
      z.ZodOptional<ReturnType<typeof threshold>>
    >,
  )
  .describe(
    'Evaluators with their thresholds: quality scores on 1–5, the content-safety defect rate on 0–1.',
  );

const DATASET_BLOB = new RegExp(`^${EVALUATION_CONTAINER}/(?!(.*/)?\\.\\.?(/|$))[A-Za-z0-9._/-]+\\.jsonl$`);

const Dataset = z.strictObject({
  blob: z
    .string()
    .regex(DATASET_BLOB, {
      message: `a dataset lives in the evaluation container; expected "${EVALUATION_CONTAINER}/<path>.jsonl" (no "..")`,
    })
    .describe(
      `The dataset's blob in the prompt-library account: "${EVALUATION_CONTAINER}/<path>.jsonl", one row per line (query, context, ground truth).`,
    ),
  prompts: z
    .array(PromptId)
    .min(1, { message: 'expected at least one prompt id the dataset evaluates' })
    .describe('The prompts (or flows) this dataset evaluates; each must be pinned in this environment.'),
});

export const EvaluationSection = z
  .strictObject({
    evaluators: Evaluators,
    datasets: z
      .record(slug('dataset name', 40), Dataset)
      .default({})
      .describe('Evaluation datasets by name; each lives in the evaluation container.'),
    continuous: z
      .strictObject({
        windowHours: z
          .number()
          .int({ message: 'expected a whole number of hours' })
          .min(1, { message: 'expected 1–48 hours (a log alert looks back at most 2 days)' })
          .max(48, { message: 'expected 1–48 hours (a log alert looks back at most 2 days)' })
          .default(24)
          .describe('How far back each scheduled run reads the sampled message logs.'),
        severity: z
          .enum(['critical', 'error', 'warning', 'informational'])
          .default('warning')
          .describe('Severity of the model-decay alert: a score below its threshold in production traffic.'),
        runnerPrincipalId: Uuid.optional().describe(
          'Object id of the identity the scheduled evaluation runs as: it gets Log Analytics Reader on the workspace (the sampled traces), Monitoring Metrics Publisher on Application Insights (the scores) and Azure AI User on the platform Foundry project (the evaluators).',
        ),
      })
      .optional()
      .describe(
        'Continuous evaluation: a scheduled run scores the sampled message logs of the tenants that opt in, and an alert fires when a score drops below its threshold.',
      ),
  })
  .optional()
  .describe('The evaluation gate: evaluators with thresholds and the datasets they run on.');

export const GENAIOPS_FIELDS = { prompts: PromptsSection, evaluation: EvaluationSection };

export type EvaluationConfig = NonNullable<Environment['evaluation']>;

export const GENAIOPS_CONFIG_RULES: readonly EnvironmentRule<Environment>[] = [
  {
    id: 'continuous-evaluation-runner',
    reads: [['evaluation']],
    check: (env, report) => {
      if (env.evaluation?.continuous && !env.evaluation.continuous.runnerPrincipalId) {
        report({
          path: ['evaluation', 'continuous', 'runnerPrincipalId'],
          message:
            'the scheduled evaluation reads the sampled logs, writes its scores and calls the evaluators as an identity the plan must grant; expected the object id (a GUID) of that identity',
        });
      }
    },
  },
  {
    id: 'prompts-publisher',
    reads: [['prompts']],
    check: (env, report) => {
      if (Object.keys(env.prompts.versions).length > 0 && !env.prompts.publisherPrincipalId) {
        report({
          path: ['prompts', 'publisherPrincipalId'],
          message:
            'pinned prompts are published by the deploy identity; expected the object id of its service principal (the plan runs as another identity and cannot look it up)',
        });
      }
    },
  },
  {
    id: 'evaluation-datasets-pinned',
    reads: [['prompts'], ['evaluation']],
    check: (env, report) => {
      for (const [name, dataset] of Object.entries(env.evaluation?.datasets ?? {})) {
        dataset.prompts.forEach((id, i) => {
          if (env.prompts.versions[id] === undefined) {
            report({
              path: ['evaluation', 'datasets', name, 'prompts', i],
              message: `"${id}" is not pinned in this environment; expected one of prompts.versions (${Object.keys(env.prompts.versions).join(', ') || 'none'})`,
            });
          }
        });
      }
    },
  },
  {
    id: 'evaluation-has-evaluators',
    reads: [['evaluation']],
    check: (env, report) => {
      if (env.evaluation && Object.values(env.evaluation.evaluators).every((e) => e === undefined)) {
        report({
          path: ['evaluation', 'evaluators'],
          message: `an evaluation gate needs at least one evaluator; expected some of ${EVALUATOR_NAMES.join(', ')}`,
        });
      }
    },
  },
];
