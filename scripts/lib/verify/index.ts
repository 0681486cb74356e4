/**
 * `npm run verify` as a library: reads the environment's plan, signs in, runs every check with its own deadline and
 * returns the report. The command line (`scripts/verify.ts`) adds options, progress and the report files; the tests
 * call {@link runVerification} against fakes on 127.0.0.1.
 */
import type { SynthOutput } from '../../../constructs/shared/plan';
import { ScriptError } from '../cli';
import { CredentialError, type TokenSource } from './auth';
import { type AzureEndpoints, AzureApi, AzureCallError } from './azure';
import {
  buildChecks,
  type Check,
  type CheckResult,
  type Evidence,
  type Vantage,
  type VerifyContext,
} from './checks';
import { BudgetError, type HttpClient, NetworkError } from './http';
import type { VerifyReport } from './report';
import { readTarget, type VerifyTarget, type VerifyTenant } from './target';

export { CredentialError, tokenSource, type AuthMode, type TokenSource } from './auth';
export { DEFAULT_ENDPOINTS, type AzureEndpoints } from './azure';
export type { CheckResult, CheckStatus, Vantage } from './checks';
export { HttpClient, parseConnectTo } from './http';
export { readReports, renderMarkdown, writeReport, type VerifyReport } from './report';
export { readTarget, type VerifyTarget } from './target';

export interface VerifyOptions {
  readonly output: SynthOutput;
  readonly environment: string;
  /** The active verification tenant's slug. @default - the tenant the plan marks for verification */
  readonly tenant?: string;
  readonly vantage: Vantage;
  readonly subscriptionId: string;
  readonly http: HttpClient;
  readonly tokens: TokenSource;
  readonly endpoints: AzureEndpoints;
  /** Deadline of each check (telemetry checks add the telemetry timeout). */
  readonly checkTimeoutMs: number;
  /** How long the telemetry checks wait for the documented ingestion delay. */
  readonly telemetryTimeoutMs: number;
  readonly pollIntervalMs: number;
  /** One line per check, for progress on stderr. */
  readonly progress?: (line: string) => void;
  /** The gateway's base URL (a custom domain). @default - the service's own host, from the plan */
  readonly gatewayUrl?: string;
  /** Only the checks whose id starts with one of these (tests). @default - every check */
  readonly only?: readonly string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function runVerification(options: VerifyOptions): Promise<VerifyReport> {
  if (!GUID.test(options.subscriptionId)) {
    throw new ScriptError(
      `--subscription ${JSON.stringify(options.subscriptionId)}: expected the Azure subscription id (a GUID) of ${options.environment}.`,
    );
  }
  const target = withGatewayUrl(
    readTarget(options.output, options.environment, options.tenant),
    options.gatewayUrl,
  );
  const azure = new AzureApi(options.http, options.tokens, options.endpoints, options.subscriptionId);
  const startedAt = new Date();
  // Sign in before anything else: without a token nothing can be checked.
  try {
    await options.tokens.token(options.endpoints.arm);
  } catch (error) {
    if (error instanceof ScriptError) throw error;
    throw new CredentialError(`cannot sign in to Azure: ${(error as Error).message}`);
  }
  const keys = new Map<string, Promise<string>>();
  let debug: Promise<string | AzureCallError | NetworkError> | undefined;
  const ctx: VerifyContext = {
    target,
    http: options.http,
    azure,
    vantage: options.vantage,
    startedAt,
    telemetryTimeoutMs: options.telemetryTimeoutMs,
    pollIntervalMs: options.pollIntervalMs,
    answered: [],
    consumedTokens: 0,
    poolCalls: new Map(),
    key(tenant: VerifyTenant) {
      let key = keys.get(tenant.slug);
      if (!key) {
        key = azure.subscriptionKey(target.gateway, tenant.slug).then((s) => s.key);
        keys.set(tenant.slug, key);
      }
      return key;
    },
    debugToken() {
      debug ??= azure.debugCredential(target.gateway, target.gateway.apiName).catch((error: unknown) => {
        if (error instanceof AzureCallError || error instanceof NetworkError) return error;
        throw error;
      });
      return debug;
    },
  };
  const checks = buildChecks(target, options.telemetryTimeoutMs).filter(
    (c) => !options.only || options.only.some((prefix) => c.id.startsWith(prefix)),
  );
  const results: CheckResult[] = [];
  for (const [i, check] of checks.entries()) {
    const result = await runCheck(ctx, check, options.checkTimeoutMs);
    results.push(result);
    options.progress?.(`${i + 1}/${checks.length} ${result.status} ${check.title} (${result.latencyMs} ms)`);
  }
  return report(target, options, ctx, startedAt, results);
}

/** The target with the gateway answering on `url` (a custom domain) instead of the service's own host. */
export function withGatewayUrl(target: VerifyTarget, url: string | undefined): VerifyTarget {
  if (url === undefined) return target;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.protocol !== 'https:' || parsed.pathname !== '/' || parsed.search !== '') {
    throw new ScriptError(
      `--gateway-url ${JSON.stringify(url)}: expected https://<host>[:<port>], e.g. https://ai.contoso.com`,
    );
  }
  if (target.gateway.regions.length !== 1) {
    throw new ScriptError(
      `--gateway-url: the gateway of ${target.environment} has ${target.gateway.regions.length} regions (${target.gateway.regions.map((r) => r.region).join(', ')}); expected one, each region answers on its own URL`,
    );
  }
  return {
    ...target,
    gateway: {
      ...target.gateway,
      host: parsed.host,
      regions: [{ ...target.gateway.regions[0]!, baseUrl: `https://${parsed.host}` }],
    },
  };
}

async function runCheck(ctx: VerifyContext, check: Check, defaultTimeoutMs: number): Promise<CheckResult> {
  const evidence: Evidence[] = [];
  const before = ctx.http.requests;
  const started = process.hrtime.bigint();
  const timeoutMs = check.timeoutMs ?? defaultTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<{ status: 'fail'; detail: string }>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'fail', detail: `no result within ${Math.round(timeoutMs / 1000)} s` }),
      timeoutMs,
    );
  });
  let outcome: { status: CheckResult['status']; detail: string };
  try {
    outcome = await Promise.race([check.run(ctx, evidence), deadline]);
  } catch (error) {
    if (error instanceof CredentialError) throw error;
    outcome = {
      status: 'fail',
      detail:
        error instanceof AzureCallError || error instanceof NetworkError || error instanceof BudgetError
          ? error.message
          : `failed: ${(error as Error).message}`,
    };
  } finally {
    clearTimeout(timer);
  }
  return {
    id: check.id,
    group: check.group,
    title: check.title,
    status: outcome.status,
    detail: outcome.detail,
    latencyMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
    requests: ctx.http.requests - before,
    evidence: [...evidence],
  };
}

function report(
  target: VerifyTarget,
  options: VerifyOptions,
  ctx: VerifyContext,
  startedAt: Date,
  checks: readonly CheckResult[],
): VerifyReport {
  const count = (status: CheckResult['status']) => checks.filter((c) => c.status === status).length;
  return {
    version: 1,
    environment: target.environment,
    vantage: options.vantage,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    signIn: options.tokens.description,
    plan: { stacks: target.stacks },
    gateway: {
      name: target.gateway.name,
      exposure: target.gateway.exposure,
      regions: target.gateway.regions.map((r) => ({ region: r.region, url: r.baseUrl })),
    },
    tenant: target.tenant.slug,
    ...(target.suspended ? { suspendedTenant: target.suspended.slug } : {}),
    passed: count('fail') === 0,
    summary: {
      pass: count('pass'),
      fail: count('fail'),
      skip: count('skip'),
      requests: ctx.http.requests,
      tokens: ctx.consumedTokens,
    },
    checks,
  };
}
