/**
 * The evaluation gate: runs an environment's datasets through Azure AI Foundry's cloud evaluation (the OpenAI-compatible
 * evals API of a Foundry project: create an eval with the built-in evaluators as testing criteria, start a run over the
 * dataset's rows, read its output items; Learn: "Cloud evaluation" / "Run evaluations in the cloud"), aggregates the
 * scores per evaluator and judges them against the environment's thresholds. The result is `evaluation/<env>.json`:
 * which prompt and model versions were evaluated, their scores and pass/fail, which the promotion guard reads.
 *
 * The calls go through a {@link EvaluationTransport}: HTTPS with an Entra token for a real project, or a fixture
 * directory that answers the same calls from files (`--fixture`), so tests and dry runs need no Azure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVALUATORS, type EvaluatorName, passesThreshold } from '../../constructs/shared/catalog';
import type { Environment } from '../../environments';
import {
  assetKey,
  pinnedAssets,
  type PromptLibraryFiles,
  type PromptAssetValue,
  routedModels,
} from '../../environments/prompt-assets';
import { ScriptError } from './cli';

/** The evals API version of the Foundry project endpoint. */
export const EVALS_API_VERSION = '2025-11-15-preview';

export interface EvaluatorScore {
  /** Quality: the mean score (1–5). Content safety: the defect rate (0–1). */
  readonly score: number;
  readonly threshold: number;
  readonly passed: boolean;
  /** Rows that carried a score. */
  readonly rows: number;
}

export interface EvaluationRun {
  readonly dataset: string;
  /** `id@version` of each prompt (and flow) the dataset evaluated. */
  readonly prompts: readonly string[];
  /** `model@version` behind the routes those prompts use. */
  readonly models: readonly string[];
  readonly rows: number;
  readonly scores: Readonly<Partial<Record<EvaluatorName, EvaluatorScore>>>;
  readonly passed: boolean;
}

export interface EvaluationResult {
  readonly version: 1;
  readonly environment: string;
  /** `fixture:<dir>` or the project endpoint. */
  readonly target: string;
  readonly evaluatedAt: string;
  readonly source: 'datasets' | 'logs';
  readonly runs: readonly EvaluationRun[];
  readonly passed: boolean;
}

/** One output item of an eval run: the result of each testing criterion. */
export interface OutputItem {
  readonly results: ReadonlyArray<{
    readonly name: string;
    readonly score?: number | null;
    readonly passed?: boolean | null;
  }>;
}

export interface EvaluationTransport {
  readonly target: string;
  /** Runs one dataset's rows through the evaluators and returns the output items. */
  run(request: { dataset: string; evalBody: unknown; runBody: unknown }): Promise<OutputItem[]>;
}

/** Answers from `<dir>/<dataset>.output_items.json` (the `data` of `GET …/runs/{id}/output_items`). */
export function fixtureTransport(dir: string): EvaluationTransport {
  return {
    target: `fixture:${dir}`,
    run: ({ dataset }) => {
      const file = join(dir, `${dataset}.output_items.json`);
      if (!existsSync(file)) return Promise.resolve([]);
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { data?: OutputItem[] } | OutputItem[];
      return Promise.resolve(Array.isArray(parsed) ? parsed : (parsed.data ?? []));
    },
  };
}

/** HTTPS to a Foundry project endpoint with a bearer token (audience https://ai.azure.com). */
export function projectTransport(endpoint: string, token: () => string): EvaluationTransport {
  const base = endpoint.replace(/\/+$/, '');
  const call = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(
      `${base}${path}${path.includes('?') ? '&' : '?'}api-version=${EVALS_API_VERSION}`,
      {
        method,
        headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
    );
    const text = await response.text();
    if (!response.ok)
      throw new ScriptError(`${method} ${base}${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  return {
    target: base,
    run: async ({ evalBody, runBody }) => {
      const created = await call('POST', '/openai/evals', evalBody);
      const evalId = String(created['id']);
      let run = await call('POST', `/openai/evals/${evalId}/runs`, runBody);
      const runId = String(run['id']);
      for (
        let waited = 0;
        !['completed', 'failed', 'canceled'].includes(String(run['status']));
        waited += 10
      ) {
        if (waited > 3600) throw new ScriptError(`eval run ${runId} did not finish within an hour`);
        await new Promise((resolve) => setTimeout(resolve, 10_000));
        run = await call('GET', `/openai/evals/${evalId}/runs/${runId}`);
      }
      if (run['status'] !== 'completed')
        throw new ScriptError(`eval run ${runId} ended ${String(run['status'])}`);
      const items: OutputItem[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await call(
          'GET',
          `/openai/evals/${evalId}/runs/${runId}/output_items?limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`,
        );
        const data = (page['data'] as Array<OutputItem & { id: string }>) ?? [];
        items.push(...data);
        if (!page['has_more'] || data.length === 0) break;
        after = data[data.length - 1]!.id;
      }
      return items;
    },
  };
}

const SAFETY_NAMES = (EVALUATORS.contentSafety.builtins as readonly string[]).map((b) =>
  b.replace(/^builtin\./, ''),
);

/** The testing criteria of an environment's evaluators: the built-in evaluators, each with its inputs mapped. */
export function testingCriteria(
  evaluation: NonNullable<Environment['evaluation']>,
  judge: string,
): unknown[] {
  const mapping = (inputs: readonly string[]) =>
    Object.fromEntries(inputs.map((i) => [i, i === 'response' ? '{{sample.output_text}}' : `{{item.${i}}}`]));
  const criteria: unknown[] = [];
  for (const [name, setting] of Object.entries(evaluation.evaluators) as [EvaluatorName, unknown][]) {
    if (!setting) continue;
    const evaluator = EVALUATORS[name];
    const builtins = evaluator.kind === 'safety' ? evaluator.builtins : [evaluator.builtin];
    for (const builtin of builtins) {
      criteria.push({
        type: 'azure_ai_evaluator',
        name: builtin.replace(/^builtin\./, ''),
        evaluator_name: builtin,
        ...(evaluator.kind === 'quality' ? { initialization_parameters: { deployment_name: judge } } : {}),
        data_mapping: mapping(evaluator.inputs),
      });
    }
  }
  return criteria;
}

/**
 * One evaluated dataset (or log route): its scores per evaluator; it passes when it had rows and every evaluator
 * passed.
 */
export function evaluationRun(
  subject: Pick<EvaluationRun, 'dataset' | 'prompts' | 'models'>,
  items: readonly OutputItem[],
  thresholds: Parameters<typeof aggregate>[1],
): EvaluationRun {
  const scores = aggregate(items, thresholds);
  return {
    ...subject,
    rows: items.length,
    scores,
    passed: items.length > 0 && Object.values(scores).every((s) => s!.passed),
  };
}

/** Aggregates output items per evaluator: quality means, the content-safety defect rate. */
export function aggregate(
  items: readonly OutputItem[],
  thresholds: Readonly<Partial<Record<EvaluatorName, { threshold: number } | undefined>>>,
): Partial<Record<EvaluatorName, EvaluatorScore>> {
  const scores: Partial<Record<EvaluatorName, EvaluatorScore>> = {};
  for (const [name, setting] of Object.entries(thresholds) as [
    EvaluatorName,
    { threshold: number } | undefined,
  ][]) {
    if (!setting) continue;
    let score: number;
    let rows: number;
    if (EVALUATORS[name].kind === 'safety') {
      const judged = items.filter((item) => item.results.some((r) => SAFETY_NAMES.includes(r.name)));
      rows = judged.length;
      const defects = judged.filter((item) =>
        item.results.some(
          (r) =>
            SAFETY_NAMES.includes(r.name) &&
            (typeof r.score === 'number'
              ? r.score >= EVALUATORS.contentSafety.defectSeverity
              : r.passed === false),
        ),
      ).length;
      score = rows === 0 ? Number.NaN : defects / rows;
    } else {
      const values = items.flatMap((item) =>
        item.results
          .filter((r) => r.name === name && typeof r.score === 'number')
          .map((r) => r.score as number),
      );
      rows = values.length;
      score = rows === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / rows;
    }
    const rounded = Number.isNaN(score) ? score : Math.round(score * 1000) / 1000;
    scores[name] = {
      score: rounded,
      threshold: setting.threshold,
      passed: rows > 0 && passesThreshold(name, rounded, setting.threshold),
      rows,
    };
  }
  return scores;
}

/** The prompts a dataset evaluates in an environment (flows with their steps), and the model versions behind them. */
export function datasetSubjects(
  env: Environment,
  library: PromptLibraryFiles,
  promptIds: readonly string[],
): { prompts: string[]; models: string[]; first?: PromptAssetValue } {
  const pinned = pinnedAssets(env, library);
  const routes = routedModels(env);
  const prompts = new Set<string>();
  const models = new Set<string>();
  let first: PromptAssetValue | undefined;
  for (const id of promptIds) {
    const version = env.prompts.versions[id];
    if (!version) continue;
    const key = assetKey(id, version);
    const involved = pinned.filter(
      (p) => assetKey(p.loaded.asset.id, p.loaded.asset.version) === key || p.via === key,
    );
    const own = pinned.find((p) => assetKey(p.loaded.asset.id, p.loaded.asset.version) === key);
    if (own?.loaded.asset.kind === 'flow') {
      for (const step of own.loaded.asset.steps) {
        const s = pinned.find(
          (p) =>
            assetKey(p.loaded.asset.id, p.loaded.asset.version) ===
            assetKey(step.prompt.id, step.prompt.version),
        );
        if (s) involved.push(s);
      }
    }
    prompts.add(key);
    for (const p of involved) {
      const asset = p.loaded.asset;
      prompts.add(assetKey(asset.id, asset.version));
      if (asset.kind === 'prompt') {
        first ??= asset;
        for (const m of routes.get(asset.model.deployment) ?? []) models.add(m);
      }
    }
  }
  return { prompts: [...prompts].sort(), models: [...models].sort(), ...(first ? { first } : {}) };
}

/** Runs every dataset of an environment and judges the scores against its thresholds. */
export async function evaluateEnvironment(
  env: Environment,
  library: PromptLibraryFiles,
  transport: EvaluationTransport,
  options: { judge: string; now: Date; datasetRows?: (blob: string) => unknown[] },
): Promise<EvaluationResult> {
  const evaluation = env.evaluation;
  if (!evaluation) {
    throw new ScriptError(
      `${env.name} has no evaluation section: nothing to evaluate (environments/${env.name}.ts, evaluation).`,
    );
  }
  const runs: EvaluationRun[] = [];
  for (const [dataset, spec] of Object.entries(evaluation.datasets).sort(([a], [b]) => a.localeCompare(b))) {
    const subjects = datasetSubjects(env, library, spec.prompts);
    const template = subjects.first?.template.map((m) => ({
      role: m.role,
      content: m.content.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, '{{item.$1}}'),
    }));
    const rows = options.datasetRows ? options.datasetRows(spec.blob) : [];
    const items = await transport.run({
      dataset,
      evalBody: {
        name: `${env.name}-${dataset}`,
        data_source_config: { type: 'custom', item_schema: { type: 'object' }, include_sample_schema: true },
        testing_criteria: testingCriteria(evaluation, options.judge),
        metadata: {
          environment: env.name,
          prompts: subjects.prompts.join(','),
          models: subjects.models.join(','),
        },
      },
      runBody: {
        name: `${env.name}-${dataset}-${options.now.toISOString()}`,
        data_source: {
          type: 'completions',
          source: { type: 'file_content', content: rows.map((item) => ({ item })) },
          input_messages: { type: 'template', template: template ?? [] },
          model: subjects.first?.model.deployment,
          sampling_params: {
            ...(subjects.first?.model.parameters.temperature === undefined
              ? {}
              : { temperature: subjects.first.model.parameters.temperature }),
            ...(subjects.first?.model.parameters.maxTokens === undefined
              ? {}
              : { max_completion_tokens: subjects.first.model.parameters.maxTokens }),
          },
        },
      },
    });
    runs.push(
      evaluationRun(
        { dataset, prompts: subjects.prompts, models: subjects.models },
        items,
        evaluation.evaluators,
      ),
    );
  }
  return {
    version: 1,
    environment: env.name,
    target: transport.target,
    evaluatedAt: options.now.toISOString(),
    source: 'datasets',
    runs,
    passed: runs.length > 0 && runs.every((r) => r.passed),
  };
}

const fmt = (n: number) => (Number.isNaN(n) ? 'no score' : String(n));

/** The scores as Markdown: one row per dataset and evaluator. */
export function renderEvaluation(result: EvaluationResult): string {
  const lines = [
    `## Evaluation of ${result.environment}: ${result.passed ? 'pass' : '**FAIL**'}`,
    '',
    `Target: ${result.target}; ${result.evaluatedAt}.`,
    '',
    '| dataset | prompts | models | evaluator | score | threshold | result |',
    '| --- | --- | --- | --- | ---: | ---: | --- |',
  ];
  for (const run of result.runs) {
    const entries = Object.entries(run.scores);
    if (entries.length === 0 || run.rows === 0) {
      lines.push(
        `| ${run.dataset} | ${run.prompts.join(', ')} | ${run.models.join(', ')} | (no rows) | | | **FAIL** |`,
      );
    }
    for (const [name, s] of entries) {
      lines.push(
        `| ${run.dataset} | ${run.prompts.join(', ')} | ${run.models.join(', ')} | ${name} | ${fmt(s!.score)} | ${EVALUATORS[name as EvaluatorName].kind === 'safety' ? '≤' : '≥'} ${s!.threshold} | ${s!.passed ? 'pass' : '**FAIL**'} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Reads `evaluation/<env>.json`; undefined when it is missing. A malformed file is an error. */
export function readEvaluationResult(file: string): EvaluationResult | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: EvaluationResult;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as EvaluationResult;
  } catch (error) {
    throw new ScriptError(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (parsed.version !== 1 || !Array.isArray(parsed.runs) || typeof parsed.environment !== 'string') {
    throw new ScriptError(`${file} is not an evaluation result of npm run evaluate (version 1).`);
  }
  return parsed;
}
