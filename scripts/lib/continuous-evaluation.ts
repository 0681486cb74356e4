/**
 * Continuous evaluation in prod: the sampled message logs of the tenants that opted in (`messageLogging`, traced by
 * their product policy after PII redaction into `ApiManagementGatewayLogs.TraceRecords`) are scored by the same
 * built-in evaluators as the gate, per gateway route, and each score goes to Application Insights as a
 * `GenAIOpsEvaluation` event, which the model-decay alert reads (Learn: "Continuous evaluation" describes the same loop
 * for Foundry agents; here it runs as a scheduled pipeline job so that it covers every model behind the gateway).
 */
import {
  DECAY_EVENT,
  EVALUATORS,
  type EvaluatorName,
  LOG_TABLES,
  MESSAGE_LOG_SOURCE,
} from '../../constructs/shared/catalog';
import type { Environment } from '../../environments';
import { type PromptLibraryFiles, routedModels } from '../../environments/prompt-assets';
import { ScriptError } from './cli';
import {
  type EvaluationResult,
  type EvaluationRun,
  type EvaluationTransport,
  evaluationRun,
  testingCriteria,
} from './evaluation';

/** One sampled exchange, as the log query returns it. */
export interface LogRow {
  readonly tenant: string;
  readonly deployment: string;
  readonly query: string;
  readonly response: string;
}

/** The KQL that reads the sampled exchanges of the last `hours` from the gateway's resource log. */
export function messageLogQuery(hours: number): string {
  return [
    LOG_TABLES.gatewayLogs,
    `| where TimeGenerated > ago(${hours}h)`,
    '| mv-expand Trace = TraceRecords',
    `| where tostring(Trace.source) == ${JSON.stringify(MESSAGE_LOG_SOURCE)}`,
    '| extend Record = parse_json(tostring(Trace.message))',
    '| project tenant = tostring(Record.tenant), deployment = tostring(Record.deployment), query = tostring(Record.prompt), response = tostring(Record.completion)',
  ].join('\n');
}

/** The evaluators that can score a logged exchange: those that need only the query and the response (no context). */
export function logEvaluators(
  evaluators: NonNullable<Environment['evaluation']>['evaluators'],
): Partial<Record<EvaluatorName, { threshold: number }>> {
  return Object.fromEntries(
    Object.entries(evaluators).filter(
      ([name, setting]) =>
        setting !== undefined &&
        (EVALUATORS[name as EvaluatorName].inputs as readonly string[]).every(
          (i) => i === 'query' || i === 'response',
        ),
    ),
  ) as Partial<Record<EvaluatorName, { threshold: number }>>;
}

/** The assistant's text of a chat-completions response, or the raw text. */
function responseText(completion: string): string {
  try {
    const parsed = JSON.parse(completion) as { choices?: Array<{ message?: { content?: string } }> };
    return parsed.choices?.map((c) => c.message?.content ?? '').join('\n') ?? completion;
  } catch {
    return completion;
  }
}

export function continuousEvaluation(
  env: Environment,
  _library: PromptLibraryFiles,
  transport: EvaluationTransport,
  options: { judge: string; now: Date; rows: readonly LogRow[] },
): { query: string; result: Promise<EvaluationResult> } {
  const continuous = env.evaluation?.continuous;
  if (!env.evaluation || !continuous) {
    throw new ScriptError(
      `${env.name} has no evaluation.continuous section: continuous evaluation is off there.`,
    );
  }
  const evaluation = env.evaluation;
  const query = messageLogQuery(continuous.windowHours);
  const evaluators = logEvaluators(evaluation.evaluators);
  const routes = routedModels(env);
  const result = (async (): Promise<EvaluationResult> => {
    const byRoute = new Map<string, LogRow[]>();
    for (const row of options.rows)
      byRoute.set(row.deployment, [...(byRoute.get(row.deployment) ?? []), row]);
    const runs: EvaluationRun[] = [];
    for (const [route, rows] of [...byRoute].sort(([a], [b]) => a.localeCompare(b))) {
      const items = await transport.run({
        dataset: `logs-${route}`,
        evalBody: {
          name: `${env.name}-logs-${route}`,
          data_source_config: {
            type: 'custom',
            item_schema: { type: 'object' },
            include_sample_schema: false,
          },
          testing_criteria: testingCriteria({ ...evaluation, evaluators }, options.judge).map((c) => ({
            ...(c as Record<string, unknown>),
            data_mapping: Object.fromEntries(
              Object.keys((c as { data_mapping: Record<string, string> }).data_mapping).map((k) => [
                k,
                `{{item.${k}}}`,
              ]),
            ),
          })),
        },
        runBody: {
          name: `${env.name}-logs-${route}-${options.now.toISOString()}`,
          data_source: {
            type: 'jsonl',
            source: {
              type: 'file_content',
              content: rows.map((r) => ({
                item: { query: r.query, response: responseText(r.response), tenant: r.tenant },
              })),
            },
          },
        },
      });
      runs.push(
        evaluationRun(
          { dataset: `logs:${route}`, prompts: [], models: routes.get(route) ?? [] },
          items,
          evaluators,
        ),
      );
    }
    return {
      version: 1,
      environment: env.name,
      target: transport.target,
      evaluatedAt: options.now.toISOString(),
      source: 'logs',
      runs,
      passed: runs.every((r) => r.passed),
    };
  })();
  return { query, result };
}

/** One Application Insights event per route and evaluator (the Breeze track envelope of an EventData). */
export function decayEvents(result: EvaluationResult, connectionString: string): unknown[] {
  const iKey = /InstrumentationKey=([^;]+)/.exec(connectionString)?.[1] ?? '';
  return result.runs.flatMap((run) =>
    Object.entries(run.scores).map(([evaluator, s]) => ({
      name: 'Microsoft.ApplicationInsights.Event',
      time: result.evaluatedAt,
      iKey,
      data: {
        baseType: 'EventData',
        baseData: {
          ver: 2,
          name: DECAY_EVENT,
          properties: {
            environment: result.environment,
            route: run.dataset.replace(/^logs:/, ''),
            models: run.models.join(','),
            evaluator,
          },
          measurements: {
            score: s!.score,
            threshold: s!.threshold,
            passed: s!.passed ? 1 : 0,
            rows: s!.rows,
          },
        },
      },
    })),
  );
}
