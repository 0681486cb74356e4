/**
 * `npm run verify -- --env <env>`: checks the deployed platform against its plan after every apply. Reads the
 * environment's plan from cdktf.out, signs in with Entra ID (workload identity federation or the Azure CLI), calls
 * the gateway as the verification tenant and reads Azure's own evidence (request traces, ARM, Log Analytics), then
 * writes verify.json, verify.md and alert.json and exits 1 when a check fails. See the README, "Verifying a
 * deployment".
 */
import { readSynthOutput } from '../constructs/shared/plan';
import {
  HELP_OPTION,
  OUTDIR_OPTION,
  PROGRESS_OPTION,
  parseCommand,
  progressReporter,
  type CommandIo,
  ScriptError,
  UsageError,
} from './lib/cli';
import {
  type AuthMode,
  DEFAULT_ENDPOINTS,
  HttpClient,
  parseConnectTo,
  renderMarkdown,
  runVerification,
  tokenSource,
  type Vantage,
  writeReport,
} from './lib/verify';

const COMMAND = {
  usage:
    'usage: verify --env <name> [--vantage internet|network] [--subscription <id>] [--out <dir>] [options]',
  description: [
    'Checks a deployed environment against its plan in cdktf.out: every model pool and backend answers through the',
    'gateway, requests reach their first backend, the tenant controls hold, telemetry arrives, and what the plan makes',
    'private or key-less refuses a public call or a key. Calls the gateway only as the verification tenant. Writes',
    '<out>/verify.json, verify.md and alert.json, prints the Markdown report, exits 1 when a check fails.',
  ].join('\n'),
  options: {
    env: {
      type: 'string',
      value: '<name>',
      help: 'the environment to verify (its stacks in the output; required)',
    },
    vantage: {
      type: 'string',
      value: '<where>',
      help: "internet (default): a runner outside the platform's network; network: a runner inside it",
    },
    subscription: {
      type: 'string',
      value: '<id>',
      help: 'the Azure subscription id (default: AZURE_SUBSCRIPTION_ID or ARM_SUBSCRIPTION_ID)',
    },
    tenant: {
      type: 'string',
      value: '<slug>',
      help: "the active verification tenant (default: the plan's tenant with purpose verification)",
    },
    auth: {
      type: 'string',
      value: '<mode>',
      help: 'auto (default): federated when AZURE_CLIENT_ID and a federated token are set, else the Azure CLI; federated; cli',
    },
    outdir: OUTDIR_OPTION,
    out: {
      type: 'string',
      value: '<dir>',
      help: "where to write the report (default: verification/<env>); absent, empty or verify's own",
    },
    'connect-to': {
      type: 'string',
      multiple: true,
      value: '<host=url>',
      help: 'send requests for <host> (or * for all) to <url> instead, keeping the URL (as curl); http only to 127.0.0.1',
    },
    'gateway-url': {
      type: 'string',
      value: '<url>',
      help: "the gateway's base URL, where it differs from the plan's (a custom domain; one gateway region only)",
    },
    'arm-endpoint': {
      type: 'string',
      value: '<url>',
      help: `Azure Resource Manager (default: ${DEFAULT_ENDPOINTS.arm})`,
    },
    'logs-endpoint': {
      type: 'string',
      value: '<url>',
      help: `the Log Analytics query API (default: ${DEFAULT_ENDPOINTS.logs})`,
    },
    'request-timeout': { type: 'string', value: '<s>', help: 'seconds each request may take (default: 30)' },
    'check-timeout': { type: 'string', value: '<s>', help: 'seconds each check may take (default: 180)' },
    'telemetry-timeout': {
      type: 'string',
      value: '<s>',
      help: 'seconds to wait for logs and metrics to arrive (default: 600; Azure Monitor ingests in 20 s to 3 min)',
    },
    'poll-interval': {
      type: 'string',
      value: '<s>',
      help: 'seconds between telemetry queries (default: 30)',
    },
    'max-requests': { type: 'string', value: '<n>', help: 'requests one run may send in all (default: 400)' },
    progress: PROGRESS_OPTION,
    help: HELP_OPTION,
  },
  notes: [
    'Environment: AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE (or GitHub Actions OIDC) for',
    'federated sign-in; AZURE_AUTHORITY_HOST (default https://login.microsoftonline.com).',
    'Example: npm run verify -- --env staging --vantage network --subscription 00000000-0000-0000-0000-000000000000',
  ].join('\n'),
} as const;

function seconds(value: string | undefined, flag: string, fallback: number, max: number): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0) || n > max) {
    throw new UsageError(
      `${flag} must be a number of seconds above 0 and at most ${max}, got ${JSON.stringify(value)}.\n${COMMAND.usage}`,
    );
  }
  return Math.round(n * 1000);
}

function choice<T extends string>(
  value: string | undefined,
  flag: string,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(
      `${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}.\n${COMMAND.usage}`,
    );
  }
  return value as T;
}

export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseCommand(argv, COMMAND, io);
  if (!args) return 0;
  if (!args.env) throw new UsageError(`--env is required.\n${COMMAND.usage}`);
  const vantage = choice<Vantage>(args.vantage, '--vantage', ['internet', 'network'], 'internet');
  const auth = choice<AuthMode>(args.auth, '--auth', ['auto', 'federated', 'cli'], 'auto');
  const maxRequests = args['max-requests'] === undefined ? 400 : Number(args['max-requests']);
  if (!Number.isInteger(maxRequests) || maxRequests < 1 || maxRequests > 5000) {
    throw new UsageError(
      `--max-requests must be a whole number of 1–5000, got ${JSON.stringify(args['max-requests'])}.\n${COMMAND.usage}`,
    );
  }
  const requestTimeoutMs = seconds(args['request-timeout'], '--request-timeout', 30, 600);
  const output = readSynthOutput(args.outdir ?? 'cdktf.out');
  const subscriptionId =
    args.subscription ?? io.env['AZURE_SUBSCRIPTION_ID'] ?? io.env['ARM_SUBSCRIPTION_ID'];
  if (!subscriptionId) {
    throw new ScriptError('no Azure subscription id: pass --subscription or set AZURE_SUBSCRIPTION_ID.');
  }
  const http = new HttpClient({
    timeoutMs: requestTimeoutMs,
    maxRequests,
    connectTo: parseConnectTo(args['connect-to'] ?? []),
  });
  const progress = progressReporter(io.stderr, 'verify', args.progress, true);
  const report = await runVerification({
    output,
    environment: args.env,
    ...(args.tenant ? { tenant: args.tenant } : {}),
    ...(args['gateway-url'] ? { gatewayUrl: args['gateway-url'] } : {}),
    vantage,
    subscriptionId,
    http,
    tokens: tokenSource({ mode: auth, http, env: io.env, timeoutMs: requestTimeoutMs }),
    endpoints: {
      arm: args['arm-endpoint'] ?? DEFAULT_ENDPOINTS.arm,
      logs: args['logs-endpoint'] ?? DEFAULT_ENDPOINTS.logs,
    },
    checkTimeoutMs: seconds(args['check-timeout'], '--check-timeout', 180, 3600),
    telemetryTimeoutMs: seconds(args['telemetry-timeout'], '--telemetry-timeout', 600, 3600),
    pollIntervalMs: seconds(args['poll-interval'], '--poll-interval', 30, 600),
    progress,
  });
  const files = writeReport(args.out ?? `verification/${args.env}`, report);
  io.stdout.write(renderMarkdown(report));
  io.stderr.write(`verify: wrote ${files.join(', ')}\n`);
  return report.passed ? 0 : 1;
}
