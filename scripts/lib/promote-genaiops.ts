/**
 * The promotion guard's GenAIOps checks: prod runs only prompt versions staging ran, and only prompt and model
 * versions whose staging evaluation exists and passes prod's thresholds. The scores are printed either way.
 */
import { EVALUATORS, type EvaluatorName, passesThreshold } from '../../constructs/shared/catalog';
import type { Environment } from '../../environments';
import {
  assetKey,
  pinnedAssets,
  type PromptLibraryFiles,
  routedModels,
} from '../../environments/prompt-assets';
import type { EvaluationResult } from './evaluation';
import type { PromotionCheck } from './promote';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Prompt versions like model versions: each version `to` runs (flow steps included), `from` runs too. */
export function promptCheck(
  from: { env: Environment },
  to: { env: Environment },
  library: PromptLibraryFiles,
): PromotionCheck {
  const ran = new Set(
    pinnedAssets(from.env, library).map((p) => assetKey(p.loaded.asset.id, p.loaded.asset.version)),
  );
  const details: string[] = [];
  const runs = pinnedAssets(to.env, library);
  for (const { loaded, via } of runs) {
    const key = assetKey(loaded.asset.id, loaded.asset.version);
    if (!ran.has(key)) {
      details.push(
        `- ${loaded.file}: **${key}**${via ? ` (a step of ${via})` : ''}, which ${from.env.name} does not run (${from.env.name} runs ${from.env.prompts.versions[loaded.asset.id] ? `${loaded.asset.id}@${from.env.prompts.versions[loaded.asset.id]}` : `no version of ${loaded.asset.id}`})`,
      );
    }
  }
  for (const [id, version] of Object.entries(to.env.prompts.versions)) {
    if (!library.assets.some((a) => a.asset.id === id && a.asset.version === version)) {
      details.push(`- prompts.versions.${id}: ${version} is not in the prompt library`);
    }
  }
  return {
    id: 'prompts',
    title: 'prompt versions',
    passed: details.length === 0,
    summary:
      details.length === 0
        ? `${to.env.name} runs only prompt versions ${from.env.name} runs (${runs.map((r) => assetKey(r.loaded.asset.id, r.loaded.asset.version)).join(', ') || 'none'})`
        : `${plural(details.length, 'prompt version')} ${from.env.name} does not run`,
    details,
  };
}

const arrow = (name: string) => (EVALUATORS[name as EvaluatorName].kind === 'safety' ? '≤' : '≥');
const show = (n: number) => (typeof n === 'number' && !Number.isNaN(n) ? String(n) : 'no score');

/**
 * The evaluation gate: `from`'s evaluation result (evaluation/<from>.json) covers every prompt version `to` runs and
 * every model version behind them, and each of its runs passes `to`'s thresholds (an evaluator `to` requires and
 * `from` did not score is missing).
 */
export function evaluationCheck(
  from: { env: Environment },
  to: { env: Environment },
  library: PromptLibraryFiles,
  result: EvaluationResult | undefined,
  file: string,
): PromotionCheck {
  const required = to.env.evaluation?.evaluators ?? {};
  const requiredNames = (Object.keys(required) as EvaluatorName[]).filter((n) => required[n] !== undefined);
  const details: string[] = [];
  if (requiredNames.length === 0) {
    return {
      id: 'evaluation',
      title: 'evaluation gate',
      passed: true,
      summary: `${to.env.name} has no evaluation section: it requires no scores`,
      details: [],
    };
  }
  if (!result) {
    return {
      id: 'evaluation',
      title: 'evaluation gate',
      passed: false,
      summary: `no evaluation of ${from.env.name}: ${file} is missing`,
      details: [
        `- ${file} is missing: run \`npm run evaluate -- --env ${from.env.name}\` after ${from.env.name}'s apply`,
      ],
    };
  }
  if (result.environment !== from.env.name || result.source !== 'datasets') {
    details.push(
      `- ${file} evaluates ${result.environment} (${result.source}); expected the datasets of ${from.env.name}`,
    );
  }
  // Re-judge every run against the thresholds of the environment promoted to.
  const judged = result.runs.map((run) => {
    const failures: string[] = [];
    for (const name of requiredNames) {
      const s = run.scores[name];
      const threshold = required[name]!.threshold;
      if (!s || s.rows === 0 || Number.isNaN(s.score) || s.score === null) failures.push(`${name}: missing`);
      else if (!passesThreshold(name, s.score, threshold))
        failures.push(`${name} ${show(s.score)} (needs ${arrow(name)} ${threshold})`);
    }
    if (run.rows === 0) failures.push('no rows were scored');
    return { run, failures };
  });
  const passing = (key: string, field: 'prompts' | 'models') =>
    judged.filter((j) => j.run[field].includes(key) && j.failures.length === 0);
  const covering = (key: string, field: 'prompts' | 'models') =>
    judged.filter((j) => j.run[field].includes(key));
  const routes = routedModels(to.env);
  const models = new Set<string>();
  for (const { loaded, via } of pinnedAssets(to.env, library)) {
    const key = assetKey(loaded.asset.id, loaded.asset.version);
    const runs = covering(key, 'prompts');
    if (runs.length === 0) {
      // A flow step is evaluated through its flow; a step no dataset covers alone needs its flow to pass.
      if (!via || covering(via, 'prompts').length === 0) {
        details.push(
          `- **${key}**${via ? ` (a step of ${via})` : ''}: no staging evaluation covers it (missing)`,
        );
      }
    } else if (passing(key, 'prompts').length === 0) {
      details.push(
        `- **${key}**: below threshold in ${from.env.name}: ${runs.map((j) => `${j.run.dataset}: ${j.failures.join(', ')}`).join('; ')}`,
      );
    }
    if (loaded.asset.kind === 'prompt')
      for (const m of routes.get(loaded.asset.model.deployment) ?? []) models.add(m);
  }
  for (const model of [...models].sort()) {
    const runs = covering(model, 'models');
    if (runs.length === 0) details.push(`- model **${model}**: no staging evaluation ran on it (missing)`);
    else if (passing(model, 'models').length === 0)
      details.push(
        `- model **${model}**: below threshold in ${from.env.name}: ${runs.map((j) => `${j.run.dataset}: ${j.failures.join(', ')}`).join('; ')}`,
      );
  }
  const scores = [
    '',
    `Scores of ${from.env.name} (${result.evaluatedAt}, ${result.target}) against ${to.env.name}'s thresholds:`,
    '',
    '| dataset | prompts | models | evaluator | score | threshold |',
    '| --- | --- | --- | --- | ---: | ---: |',
    ...result.runs.flatMap((run) =>
      requiredNames.map(
        (name) =>
          `| ${run.dataset} | ${run.prompts.join(', ')} | ${run.models.join(', ')} | ${name} | ${run.scores[name] ? show(run.scores[name]!.score) : 'missing'} | ${arrow(name)} ${required[name]!.threshold} |`,
      ),
    ),
  ];
  if (requiredNames.length === 0) {
    details.push(
      `- ${to.env.name} has no evaluation section: it requires no scores; expected evaluation.evaluators`,
    );
  }
  return {
    id: 'evaluation',
    title: 'evaluation gate',
    passed: details.length === 0,
    summary:
      details.length === 0
        ? `every prompt and model version ${to.env.name} runs passed ${from.env.name}'s evaluation (${plural(result.runs.length, 'dataset')})`
        : `${plural(details.length, 'version')} missing or below threshold`,
    details: [...details, ...scores],
  };
}
