/**
 * `npm run evaluate -- --env staging --endpoint <project endpoint>`: the evaluation gate. Runs each dataset of the
 * environment's `evaluation` section through Azure AI Foundry's cloud evaluation on the given project (any endpoint:
 * the platform project, a tenant's, another subscription's), scores it with the built-in evaluators and judges the
 * scores against the thresholds. Writes `<out>/<env>.json` (the prompt and model versions evaluated, the scores,
 * pass/fail per evaluator), which the promotion guard reads, and `<out>/<env>.md`; exits 1 when a threshold fails.
 *
 * `--fixture <dir>` answers the evaluation calls from `<dir>/<dataset>.output_items.json` instead of Azure.
 * `--from-logs`: continuous evaluation. Scores the sampled message logs of the last `evaluation.continuous.windowHours`
 * (`<dir>/logs.json` with --fixture, else the Log Analytics workspace given by --workspace) and writes
 * `<out>/<env>-continuous.json` plus one App Insights event per evaluator (`GenAIOpsEvaluation`), which the
 * model-decay alert reads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVALUATION_CONTAINER } from '../constructs/shared/catalog';
import { readSynthOutput } from '../constructs/shared/plan';
import { readPromptLibrary } from '../environments/prompt-assets';
import {
  ENVIRONMENT_OPTIONS,
  environmentsFrom,
  helpText,
  OUTDIR_OPTION,
  parseOptions,
  ScriptError,
  UsageError,
  type CommandSpec,
  type CommandIo,
  type CommandEnv,
} from './lib/cli';
import {
  type EvaluationResult,
  type EvaluationTransport,
  evaluateEnvironment,
  fixtureTransport,
  projectTransport,
  renderEvaluation,
} from './lib/evaluation';
import { continuousEvaluation, decayEvents, type LogRow } from './lib/continuous-evaluation';
import { assertNoProblems, promptProblems } from './lib/prompts';

const USAGE =
  'usage: evaluate --env <name> (--endpoint <url> | --fixture <dir>) [--judge <deployment>] [--out <dir>] [--from-logs [--workspace <id>]]';

const OPTIONS = {
  ...ENVIRONMENT_OPTIONS,
  endpoint: {
    type: 'string',
    value: '<url>',
    help: 'the Foundry project endpoint (https://<account>.services.ai.azure.com/api/projects/<project>)',
  },
  fixture: {
    type: 'string',
    value: '<dir>',
    help: 'answer the evaluation calls from files in <dir> instead of Azure (tests, dry runs)',
  },
  judge: {
    type: 'string',
    value: '<deployment>',
    help: 'the deployment the quality evaluators use as judge (default: gpt-4o)',
  },
  out: {
    type: 'string',
    value: '<dir>',
    help: 'where to write <env>.json and <env>.md (default: evaluation)',
  },
  outdir: OUTDIR_OPTION,
  root: { type: 'string', value: '<dir>', help: 'the prompt library (default: prompts)' },
  'from-logs': {
    type: 'boolean',
    help: 'continuous evaluation: score the sampled message logs instead of the datasets',
  },
  workspace: {
    type: 'string',
    value: '<id>',
    help: 'from-logs: the Log Analytics workspace (customer) id to read',
  },
  'connection-string': {
    type: 'string',
    value: '<cs>',
    help: 'from-logs: Application Insights connection string to send the scores to (Entra ID ingestion)',
  },
} as const;

const COMMAND: CommandSpec<typeof OPTIONS> = {
  usage: USAGE,
  description: [
    "The evaluation gate: runs the environment's datasets through Foundry cloud evaluation, judges the scores",
    'against its thresholds and writes <out>/<env>.json for the promotion guard. Exits 1 when a threshold fails.',
  ].join('\n'),
  options: OPTIONS,
  notes: 'AZ=<binary> runs another binary than az on PATH (token, dataset download, log query).',
};

/** The Azure CLI, or the binary in AZ, found on the PATH of `env`. */
function az(env: CommandEnv, args: string[]): string {
  const binary = env['AZ'] ?? 'az';
  const result = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env });
  if (result.error || result.status !== 0) {
    throw new ScriptError(
      `${binary} ${args.slice(0, 3).join(' ')} failed: ${result.error?.message ?? String(result.stderr).trim()}`,
    );
  }
  return String(result.stdout);
}

const token = (env: CommandEnv, resource: string) => () =>
  az(env, [
    'account',
    'get-access-token',
    '--resource',
    resource,
    '--query',
    'accessToken',
    '--output',
    'tsv',
  ]).trim();

function parseJsonl(text: string, where: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new ScriptError(`${where}: line ${i + 1} is not JSON`);
      }
    });
}

function write(dir: string, name: string, text: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
}

export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseOptions(argv, OPTIONS, USAGE);
  if (args.help) {
    io.stdout.write(helpText(COMMAND));
    return 0;
  }
  if ((args.env ?? []).length + (args.config ?? []).length !== 1) {
    throw new UsageError(
      `evaluate takes exactly one environment (--env <name> or --config <file>).\n${USAGE}`,
    );
  }
  const all = environmentsFrom({ config: args.config });
  const env = args.env ? all.find((e) => e.name === args.env![0]) : all[0];
  if (!env)
    throw new UsageError(
      `unknown environment "${args.env![0]}"; expected one of: ${all.map((e) => e.name).join(', ')}`,
    );
  // The pipeline runs this after every apply: an environment without an evaluation gate has nothing to evaluate.
  if (!env.evaluation || (args['from-logs'] && !env.evaluation.continuous)) {
    io.stdout.write(
      `${env.name} has no evaluation${args['from-logs'] ? '.continuous' : ''} section: nothing to evaluate.\n`,
    );
    return 0;
  }
  if (!args.endpoint === !args.fixture)
    throw new UsageError(`give --endpoint or --fixture (one of them).\n${USAGE}`);
  const library = readPromptLibrary(args.root ?? 'prompts');
  assertNoProblems(
    promptProblems(
      library,
      all.map((e) => ({ env: e, source: `environments/${e.name}.ts` })),
    ),
  );
  const out = args.out ?? 'evaluation';
  const judge = args.judge ?? 'gpt-4o';
  const now = new Date();
  const transport: EvaluationTransport = args.fixture
    ? fixtureTransport(args.fixture)
    : projectTransport(args.endpoint!, token(io.env, 'https://ai.azure.com'));

  if (args['from-logs']) {
    let rows: LogRow[];
    if (args.fixture) {
      const file = join(args.fixture, 'logs.json');
      rows = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LogRow[]) : [];
    } else {
      if (!args.workspace)
        throw new UsageError(`--from-logs against Azure needs --workspace <id>.\n${USAGE}`);
      const { query } = continuousEvaluation(env, library, transport, { judge, now, rows: [] });
      rows = JSON.parse(
        az(io.env, [
          'monitor',
          'log-analytics',
          'query',
          '--workspace',
          args.workspace,
          '--analytics-query',
          query,
          '--output',
          'json',
        ]),
      ) as LogRow[];
    }
    const { result } = continuousEvaluation(env, library, transport, { judge, now, rows });
    const resolved = await result;
    const events = decayEvents(resolved, args['connection-string'] ?? '');
    write(out, `${env.name}-continuous.json`, `${JSON.stringify(resolved, null, 2)}\n`);
    write(out, `${env.name}-continuous.md`, renderEvaluation(resolved));
    if (args['connection-string']) {
      const ingestion = /IngestionEndpoint=([^;]+)/.exec(args['connection-string'])?.[1];
      if (!ingestion) throw new ScriptError('the connection string has no IngestionEndpoint');
      const response = await fetch(`${ingestion.replace(/\/+$/, '')}/v2.1/track`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token(io.env, 'https://monitor.azure.com')()}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(events),
      });
      if (!response.ok)
        throw new ScriptError(
          `Application Insights ingestion: HTTP ${response.status} ${await response.text()}`,
        );
    } else {
      write(out, `${env.name}-continuous.events.json`, `${JSON.stringify(events, null, 2)}\n`);
    }
    io.stdout.write(renderEvaluation(resolved));
    return resolved.passed ? 0 : 1;
  }

  let datasetRows: ((blob: string) => unknown[]) | undefined;
  if (args.fixture) {
    const dir = args.fixture;
    datasetRows = (blob) => {
      const file = join(dir, blob.slice(EVALUATION_CONTAINER.length + 1));
      return existsSync(file) ? parseJsonl(readFileSync(file, 'utf8'), file) : [];
    };
  } else {
    const account = readSynthOutput(args.outdir ?? 'cdktf.out')
      .stack(env.name)
      .byPath('PromptLibrary/Account')?.config['name'];
    if (typeof account !== 'string')
      throw new ScriptError(`the plan of ${env.name} has no prompt library account; run npm run synth`);
    datasetRows = (blob) => {
      const dir = mkdtempSync(join(tmpdir(), 'evaluation-'));
      try {
        const file = join(dir, 'rows.jsonl');
        az(io.env, [
          'storage',
          'blob',
          'download',
          '--account-name',
          account,
          '--container-name',
          EVALUATION_CONTAINER,
          '--name',
          blob.slice(EVALUATION_CONTAINER.length + 1),
          '--file',
          file,
          '--auth-mode',
          'login',
          '--only-show-errors',
        ]);
        return parseJsonl(readFileSync(file, 'utf8'), blob);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
  }
  const result: EvaluationResult = await evaluateEnvironment(env, library, transport, {
    judge,
    now,
    datasetRows,
  });
  write(out, `${env.name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  write(out, `${env.name}.md`, renderEvaluation(result));
  io.stdout.write(renderEvaluation(result));
  return result.passed ? 0 : 1;
}
