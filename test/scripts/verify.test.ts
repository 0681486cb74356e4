/**
 * `npm run verify` against fakes of the deployed platform on 127.0.0.1 (test/helpers/fake-platform.ts): the checks
 * pass on a platform that behaves, and each way the platform can be wrong fails the check that should catch it. What
 * verify expects is read from the synthesized examples; bad input is one sentence without a stack trace.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as promote } from '../../scripts/promote';
import { main as verifyCommand } from '../../scripts/verify';
import { runCommand, runCommandAsync } from '../helpers/run';
import { type AzureRegion, regionCode } from '../../constructs/shared/catalog';
import { routeEntries } from '../../scripts/lib/routes';
import {
  DEFAULT_ENDPOINTS,
  HttpClient,
  parseConnectTo,
  readTarget,
  runVerification,
  tokenSource,
  type VerifyReport,
  withGatewayUrl,
  writeReport,
} from '../../scripts/lib/verify';
import { verificationCheck } from '../../scripts/lib/verify/guard';
import { buildChecks, type VerifyContext } from '../../scripts/lib/verify/checks';
import {
  VERIFICATION_BACKEND_HEADER,
  VERIFICATION_MAX_TOKENS_PER_MINUTE,
  VERIFICATION_PROBE_REGION_CODE,
} from '../../constructs/shared/verification';
import { tenantsIn } from '../../environments/sections/tenants';
import { OUTPUT_MARKER } from '../../stacks/output-dir';
import { examplesOutdir, examplesOutput } from '../helpers/examples';
import { exampleEnvironment } from '../helpers/synth';
import { type Fault, FEDERATED_TOKEN, startFakePlatform, SUBSCRIPTION_ID } from '../helpers/fake-platform';

const dir = mkdtempSync(join(tmpdir(), 'lz-verify-'));
const tokenFile = join(dir, 'oidc-token');
writeFileSync(tokenFile, FEDERATED_TOKEN);
const FEDERATED_ENV = {
  AZURE_CLIENT_ID: 'client-1',
  AZURE_TENANT_ID: 'tenant-1',
  AZURE_FEDERATED_TOKEN_FILE: tokenFile,
};

type Vantage = 'internet' | 'network';

interface Run {
  readonly env: string;
  readonly vantage: Vantage;
  readonly fault?: Fault;
  readonly only?: readonly string[];
  readonly requestTimeoutMs?: number;
  readonly auth?: Record<string, string>;
  readonly gatewayUrl?: string;
}

/** One verification of an example environment against a fake platform, in this process. */
async function verify(run: Run): Promise<VerifyReport> {
  const output = examplesOutput();
  const fake = await startFakePlatform(withGatewayUrl(readTarget(output, run.env), run.gatewayUrl), {
    fault: run.fault,
    vantage: run.vantage,
  });
  try {
    const http = new HttpClient({
      timeoutMs: run.requestTimeoutMs ?? 2000,
      maxRequests: 200,
      connectTo: parseConnectTo([`*=${fake.url}`]),
    });
    return await runVerification({
      output,
      environment: run.env,
      vantage: run.vantage,
      subscriptionId: SUBSCRIPTION_ID,
      http,
      tokens: tokenSource({ mode: 'auto', http, env: run.auth ?? FEDERATED_ENV }),
      endpoints: DEFAULT_ENDPOINTS,
      checkTimeoutMs: 10_000,
      // A behaving fake has the telemetry at once; a faulty one is given a tenth of a second.
      telemetryTimeoutMs: run.fault ? 100 : 2000,
      pollIntervalMs: 10,
      ...(run.only ? { only: run.only } : {}),
      ...(run.gatewayUrl ? { gatewayUrl: run.gatewayUrl } : {}),
    });
  } finally {
    await fake.close();
  }
}

const statusOf = (report: VerifyReport, id: string) => report.checks.find((c) => c.id === id)?.status;
const failing = (report: VerifyReport) => report.checks.filter((c) => c.status === 'fail').map((c) => c.id);

describe('what verify expects, read from the plan', () => {
  const output = examplesOutput();
  const environments = ['dev', 'staging', 'prod'] as const;

  it.each(environments)('%s: every shared pool and backend, with the lowest priority first', (env) => {
    const target = readTarget(output, env);
    const plan = output.stack(env);
    const entries = routeEntries(plan).filter((e) => !e.pool.path.startsWith('Tenants/'));
    // A multi-region gateway's own pool per region (`pool-<model>-<region code>`) next to the shared one.
    const regionOf = (poolName: string, model: string) =>
      target.gateway.regions.find((r) => poolName === `pool-${model}-${regionCode(r.region as AzureRegion)}`)
        ?.region;
    const shared = entries.filter((e) => regionOf(e.poolName, e.model) === undefined);
    expect(shared.length).toBeGreaterThan(0);
    for (const entry of shared) {
      const model = target.models.find((m) => m.model === entry.model);
      expect(model?.backends.find((b) => b.id === entry.backendName)?.priority, entry.backendName).toBe(
        entry.priority,
      );
    }
    for (const entry of entries.filter((e) => regionOf(e.poolName, e.model) !== undefined)) {
      const region = regionOf(entry.poolName, entry.model)!;
      const regional = target.models.find((m) => m.model === entry.model)?.regional?.[region];
      expect(regional?.priorities[entry.backendName], `${entry.poolName} ${entry.backendName}`).toBe(
        entry.priority,
      );
      const lowest = Math.min(...Object.values(regional!.priorities));
      expect(regional!.first.includes(entry.backendName)).toBe(entry.priority === lowest);
    }
    for (const model of target.models) {
      const lowest = Math.min(...model.backends.map((b) => b.priority));
      expect([...model.first].sort()).toEqual(
        model.backends
          .filter((b) => b.priority === lowest)
          .map((b) => b.id)
          .sort(),
      );
    }
    // A dedicated tenant's pools are another tenant's scope: never called.
    for (const pool of target.dedicatedPools) expect(target.models.map((m) => m.pool)).not.toContain(pool);
  });

  it.each(environments)('%s: every resource the plan makes private or key-less is checked', (env) => {
    const target = readTarget(output, env);
    const plan = output.stack(env);
    for (const type of ['azurerm_cognitive_account', 'azurerm_key_vault', 'azurerm_storage_account']) {
      for (const r of plan.byType(type)) {
        const name = String(r.config['name']);
        expect(
          target.privateResources.some((p) => p.name === name),
          `${name} private`,
        ).toBe(r.config['public_network_access_enabled'] === false);
      }
    }
    for (const r of plan.byType('azurerm_cognitive_account')) {
      expect(
        target.keylessResources.some((k) => k.name === r.config['name']),
        `${String(r.config['name'])} key-less`,
      ).toBe(r.config['local_auth_enabled'] === false);
    }
  });

  it.each(environments)(
    "%s: the verification tenants are the registry's, and only theirs run the probe",
    (env) => {
      const target = readTarget(output, env);
      const config = exampleEnvironment(env);
      const registry = tenantsIn(config).filter((t) => t.tenant.purpose === 'verification');
      expect([target.tenant.slug, target.suspended?.slug].filter(Boolean).sort()).toEqual(
        registry.map((t) => t.slug).sort(),
      );
      expect(target.tenant.tokensPerMinute).toBeLessThanOrEqual(VERIFICATION_MAX_TOKENS_PER_MINUTE);
      const plan = output.stack(env);
      for (const policy of plan.byType('azurerm_api_management_product_policy')) {
        const slug = String(plan.resolve(policy.config['product_id'])?.config['product_id']);
        expect(String(policy.config['xml_content']).includes(VERIFICATION_BACKEND_HEADER), slug).toBe(
          registry.some((t) => t.slug === slug),
        );
      }
      // The probe accepts `<model>-<region code>`: no dedicated tenant's backend (`<tenant>-<model>-<code>`) has that shape.
      const backends = plan
        .byType('azapi_resource')
        .filter((r) => (r.config['body'] as { properties?: { url?: string } }).properties?.url !== undefined)
        .filter((r) => r.path.startsWith('Tenants/'))
        .map((r) => String(r.config['name']));
      for (const model of target.models) {
        const probe = new RegExp(
          `^${model.model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-${VERIFICATION_PROBE_REGION_CODE}$`,
        );
        for (const backend of model.backends) expect(backend.id).toMatch(probe);
        for (const backend of backends) expect(backend, model.model).not.toMatch(probe);
      }
    },
  );

  it('example: staging is private, PTU first for gpt-4o, with a blocklist term to trigger the filter', () => {
    const target = readTarget(output, 'staging');
    expect(target.gateway).toMatchObject({
      name: 'apim-cx-genai-stg-sdc',
      exposure: 'private',
      regions: [{ region: 'swedencentral', baseUrl: 'https://apim-cx-genai-stg-sdc.azure-api.net' }],
    });
    expect(target.models.find((m) => m.model === 'gpt-4o')?.first).toEqual(['gpt-4o-sdc']);
    expect(target.contentFilter).toEqual({ model: 'gpt-4o', source: 'blocklist', detail: 'Falcon-X' });
    expect(target.dedicatedPools).toEqual(['pool-research-gpt-4o']);
    expect(target.tenant.slug).toBe('verification');
    expect(target.suspended?.slug).toBe('verify-off');
    expect(readTarget(output, 'prod').gateway.exposure).toBe('internal');
    expect(readTarget(output, 'dev').gateway.exposure).toBe('public');
  });
});

describe('a platform that behaves', () => {
  it.each<[string, Vantage]>([
    ['dev', 'internet'],
    ['staging', 'internet'],
    ['staging', 'network'],
    ['prod', 'internet'],
    ['prod', 'network'],
  ])('%s from the %s: no check fails', async (env, vantage) => {
    const report = await verify({ env, vantage });
    expect(failing(report)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.summary.requests).toBeLessThanOrEqual(120);
    for (const check of report.checks.filter((c) => c.status === 'skip')) expect(check.detail).not.toBe('');
  });

  it('proves each pool, backend and tenant control through a gateway it can reach, with evidence', async () => {
    const report = await verify({ env: 'staging', vantage: 'network' });
    const byGroup = (group: string) => report.checks.filter((c) => c.group === group);
    expect(byGroup('reachability').length).toBe(3 + 5);
    expect(byGroup('routing').every((c) => c.status === 'pass')).toBe(true);
    for (const c of [...byGroup('reachability'), ...byGroup('routing')]) {
      expect(c.status, c.id).toBe('pass');
      expect(
        c.evidence.some((e) => e.requestId !== undefined || e.traceId !== undefined),
        c.id,
      ).toBe(true);
    }
    expect(report.checks.find((c) => c.id === 'routing:swedencentral:gpt-4o')?.detail).toMatch(
      /first backend gpt-4o-sdc \(priority 1\)/,
    );
    for (const id of ['tenant:allow-list', 'tenant:content-filter', 'tenant:suspended', 'tenant:token-limit'])
      expect(statusOf(report, id), id).toBe('pass');
    expect(report.checks.find((c) => c.id === 'tenant:token-limit')?.evidence.at(-1)).toMatchObject({
      status: 429,
      headers: { 'retry-after': '60' },
    });
    expect(statusOf(report, 'tenant:stored-objects')).toBe('pass');
    expect(statusOf(report, 'telemetry:gateway-log')).toBe('pass');
    expect(statusOf(report, 'telemetry:token-metric')).toBe('pass');
    // The posture of private resources needs a runner outside the network: ARM answers, the public call is skipped.
    expect(
      report.checks.filter((c) => c.id.startsWith('posture:private:')).every((c) => c.status === 'skip'),
    ).toBe(true);
    // Never a secret in the report.
    expect(JSON.stringify(report)).not.toMatch(/key-verification|arm-token|logs-token|aid=azure-openai/);
  });

  it('from the internet, proves that every private resource refuses and skips the private gateway with the reason', async () => {
    const report = await verify({ env: 'prod', vantage: 'internet' });
    const posture = report.checks.filter((c) => c.id.startsWith('posture:private:'));
    expect(posture.map((c) => c.id)).toContain('posture:private:apim-cx-genai-prd-sdc');
    for (const c of posture) expect(c.status, c.id).toBe('pass');
    const pool = report.checks.find((c) => c.id.startsWith('reachability:pool:'))!;
    expect(pool).toMatchObject({ status: 'skip', requests: 0 });
    expect(pool.detail).toMatch(
      /internal VNet mode: run verify on a runner in the platform's network \(--vantage network\)/,
    );
  });
});

/** Each fault, and the checks that must fail on it (and no other). */
const FAULTS: ReadonlyArray<[Fault, string, Vantage, RegExp]> = [
  ['public-key-vault', 'staging', 'internet', /^posture:private:kv/],
  ['arm-public-drift', 'staging', 'internet', /^posture:private:/],
  ['arm-local-auth-on', 'staging', 'network', /^posture:local-auth:/],
  ['key-evaluated', 'dev', 'internet', /^posture:local-auth:(ais|aif|cs|st)/],
  ['pool-down', 'staging', 'network', /^reachability:pool:swedencentral:text-embedding-3-large$/],
  ['backend-down', 'staging', 'network', /^reachability:backend:swedencentral:gpt-4o-frc$/],
  ['probe-ignored', 'staging', 'network', /^reachability:backend:/],
  ['wrong-first-backend', 'staging', 'network', /^routing:swedencentral:gpt-4o$/],
  ['no-debug-credential', 'staging', 'network', /^routing:/],
  ['allow-list-open', 'staging', 'network', /^tenant:allow-list$/],
  ['no-rate-limit', 'staging', 'network', /^tenant:token-limit$/],
  ['no-retry-after', 'dev', 'internet', /^tenant:token-limit$/],
  ['suspended-served', 'staging', 'network', /^tenant:suspended$/],
  ['filter-off', 'staging', 'network', /^tenant:content-filter$/],
  ['logs-missing', 'staging', 'network', /^telemetry:gateway-log$/],
  ['logs-wrong-tenant', 'dev', 'internet', /^telemetry:gateway-log$/],
  ['metric-flat', 'staging', 'network', /^telemetry:token-metric$/],
  ['ownership-open', 'staging', 'network', /^tenant:stored-objects$/],
];

/** The kind of a check: its id without the resource, region or model (`reachability:pool`, `routing`). */
const kindOf = (id: string) => (id.startsWith('routing:') ? 'routing' : id.split(':').slice(0, 2).join(':'));

describe('one fake per failure kind', () => {
  const failed = new Set<string>();

  it.each(FAULTS)('%s (%s from the %s) fails exactly %s', async (fault, env, vantage, expected) => {
    const report = await verify({ env, vantage, fault });
    const ids = failing(report);
    expect(ids.length, `no check failed on ${fault}`).toBeGreaterThan(0);
    for (const id of ids) expect(id, `${fault} failed ${id}`).toMatch(expected);
    expect(report.passed).toBe(false);
    for (const id of ids) failed.add(kindOf(id));
    const check = report.checks.find((c) => c.status === 'fail')!;
    expect(check.detail.length).toBeGreaterThan(10);
  });

  it('a gateway that never answers fails its checks on the request timeout, not a hang', async () => {
    const started = Date.now();
    const report = await verify({
      env: 'staging',
      vantage: 'network',
      fault: 'gateway-silent',
      only: ['reachability:pool:'],
      requestTimeoutMs: 200,
    });
    expect(report.checks).toHaveLength(3);
    for (const c of report.checks) {
      expect(c.status).toBe('fail');
      expect(c.detail).toMatch(/no answer within 0\.2 s/);
      expect(c.evidence[0]).toMatchObject({ network: 'timeout' });
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('every kind of check is shown to fail when the platform is wrong', async () => {
    const kinds = new Set<string>();
    for (const [env, vantage] of [
      ['dev', 'internet'],
      ['staging', 'internet'],
      ['staging', 'network'],
    ] as const) {
      for (const c of (await verify({ env, vantage })).checks) kinds.add(kindOf(c.id));
    }
    expect([...kinds].filter((kind) => !failed.has(kind))).toEqual([]);
  });

  it('the stored-object check skips only where the gateway routes no operation on a stored object', async () => {
    const target = readTarget(examplesOutput(), 'staging');
    expect(target.storedObjectOperations).toContain('GET /responses/{response-id}');
    const check = buildChecks(target, 0).find((c) => c.id === 'tenant:stored-objects')!;
    const ctx = { target: { ...target, storedObjectOperations: [] } } as unknown as VerifyContext;
    expect((await check.run(ctx, [])).status).toBe('skip');
  });
});

describe('a gateway on a custom domain', () => {
  it('calls --gateway-url instead of the service host, and refuses a URL that is not https', async () => {
    const report = await verify({
      env: 'dev',
      vantage: 'internet',
      only: ['reachability:pool:', 'tenant:allow-list'],
      gatewayUrl: 'https://ai.contoso.test',
    });
    expect(failing(report)).toEqual([]);
    expect(report.gateway.regions).toEqual([{ region: 'swedencentral', url: 'https://ai.contoso.test' }]);
    for (const check of report.checks)
      expect(check.evidence[0]?.call).toMatch(/^POST https:\/\/ai\.contoso\.test\//);
    expect(() => withGatewayUrl(readTarget(examplesOutput(), 'dev'), 'http://ai.contoso.test')).toThrow(
      /^--gateway-url "http:\/\/ai\.contoso\.test": expected https:\/\/<host>\[:<port>\]/,
    );
  });
});

describe('signing in', () => {
  it('exchanges GitHub Actions OIDC for Entra tokens, and uses the Azure CLI without federation', async () => {
    const github = await verify({
      env: 'dev',
      vantage: 'internet',
      only: ['tenant:allow-list'],
      auth: {
        AZURE_CLIENT_ID: 'client-1',
        AZURE_TENANT_ID: 'tenant-1',
        ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.actions.test/token?x=1',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'actions-request-token',
      },
    });
    expect(statusOf(github, 'tenant:allow-list')).toBe('pass');
    expect(github.signIn).toBe('workload identity federation, client client-1');
  });

  it('refuses a federated token the fake Entra ID does not accept, in one sentence', async () => {
    const wrong = join(dir, 'wrong-token');
    writeFileSync(wrong, 'not-the-token');
    await expect(
      verify({
        env: 'dev',
        vantage: 'internet',
        auth: { ...FEDERATED_ENV, AZURE_FEDERATED_TOKEN_FILE: wrong },
      }),
    ).rejects.toThrow(
      /Entra ID refused the federated sign-in of client client-1 for https:\/\/management\.azure\.com \(invalid_client\)/,
    );
  });
});

// --------------------------------------------------------------------------------------------------------------
// The command line, as the pipeline runs it.

/** Runs the command in this process, with `env` as its whole environment (no AZURE_* of the test's own). */
const cli = (args: readonly string[], env: Record<string, string>) =>
  runCommandAsync(verifyCommand, args, { env: { PATH: process.env['PATH'] ?? '', ...env } });

describe('npm run verify', () => {
  it('writes verify.json, verify.md and alert.json into a directory it owns, prints the report, exits 0', async () => {
    const fake = await startFakePlatform(readTarget(examplesOutput(), 'dev'), { vantage: 'internet' });
    const out = join(dir, 'report-dev');
    try {
      const run = await cli(
        [
          '--env',
          'dev',
          '--outdir',
          examplesOutdir(),
          '--out',
          out,
          '--connect-to',
          `*=${fake.url}`,
          '--subscription',
          SUBSCRIPTION_ID,
          '--poll-interval',
          '0.01',
          '--telemetry-timeout',
          '2',
        ],
        FEDERATED_ENV,
      );
      expect(run.stderr).toBe(`verify: wrote ${out}/verify.json, ${out}/verify.md, ${out}/alert.json\n`);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^## Verification of dev: pass\n/);
      const report = JSON.parse(readFileSync(join(out, 'verify.json'), 'utf8')) as VerifyReport;
      expect(report).toMatchObject({
        version: 1,
        environment: 'dev',
        vantage: 'internet',
        passed: true,
        tenant: 'verification',
      });
      expect(report.plan.stacks).toEqual([{ id: 'dev', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
      expect(JSON.parse(readFileSync(join(out, 'alert.json'), 'utf8'))).toMatchObject({
        schemaId: 'azureMonitorCommonAlertSchema',
        data: { essentials: { alertRule: 'lz-verify-dev', monitorCondition: 'Resolved' } },
      });
      expect(JSON.parse(readFileSync(join(out, OUTPUT_MARKER), 'utf8'))).toMatchObject({ owner: 'verify' });
    } finally {
      await fake.close();
    }
  });

  it('exits 1 on a failing check and says which, with the evidence', async () => {
    const fake = await startFakePlatform(readTarget(examplesOutput(), 'dev'), {
      vantage: 'internet',
      fault: 'allow-list-open',
    });
    const out = join(dir, 'report-dev-failing');
    try {
      const run = await cli(
        [
          '--env',
          'dev',
          '--outdir',
          examplesOutdir(),
          '--out',
          out,
          '--connect-to',
          `*=${fake.url}`,
          '--subscription',
          SUBSCRIPTION_ID,
          '--poll-interval',
          '0.01',
          '--telemetry-timeout',
          '1',
        ],
        FEDERATED_ENV,
      );
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/^## Verification of dev: FAIL \(1 of \d+ checks fail\)/);
      expect(run.stdout).toMatch(
        /- \*\*a model outside the allow-list is refused with 403\*\* \(`tenant:allow-list`\): 404 DeploymentNotFound; expected 403 ModelNotAllowed/,
      );
      expect(run.stdout).toMatch(
        /POST https:\/\/apim-cx-genai-dev-sdc\.azure-api\.net\/openai\/deployments\/lz-verify-not-allowed\/chat\/completions\?api-version=2024-10-21 → 404 \(\d+ ms\) request [0-9a-f-]{36}/,
      );
      expect(JSON.parse(readFileSync(join(out, 'alert.json'), 'utf8')).data.essentials.monitorCondition).toBe(
        'Fired',
      );
    } finally {
      await fake.close();
    }
  });

  describe('bad input: one sentence, exit 1, no stack trace', () => {
    let hanging: Server;
    let hangingPort = 0;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      // Accepts connections and never answers.
      hanging = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
      hangingPort = (hanging.address() as { port: number }).port;
    });
    afterAll(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          hanging.close(() => resolve());
        }),
    );

    const withoutVerificationTenant = () => {
      const outdir = join(mkdtempSync(join(dir, 'no-tenant-')), 'cdktf.out');
      cpSync(examplesOutdir(), outdir, { recursive: true });
      const file = join(outdir, 'stacks', 'staging', 'cdk.tf.json');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replaceAll(VERIFICATION_BACKEND_HEADER, 'x-other-header'),
      );
      return outdir;
    };

    const CASES: ReadonlyArray<[string, () => string[], Record<string, string>, RegExp]> = [
      [
        'no plan in cdktf.out',
        () => ['--env', 'staging', '--outdir', join(dir, 'nothing'), '--subscription', SUBSCRIPTION_ID],
        FEDERATED_ENV,
        /has no manifest\.json: run `npm run synth` first\./,
      ],
      [
        'an environment the output has no plan of',
        () => ['--env', 'qa', '--outdir', examplesOutdir(), '--subscription', SUBSCRIPTION_ID],
        FEDERATED_ENV,
        /has no plan of environment "qa"; it has: (dev|staging|prod)(, (dev|staging|prod))*\. Run `npm run synth` first\./,
      ],
      [
        'no credentials (no federation, no Azure CLI)',
        () => ['--env', 'dev', '--outdir', examplesOutdir(), '--subscription', SUBSCRIPTION_ID],
        { PATH: join(dir, 'empty-path') },
        /^no Azure credentials: the Azure CLI \(az\) is not installed and no federated token is set; set AZURE_CLIENT_ID/,
      ],
      [
        'federation asked for, half configured',
        () => [
          '--env',
          'dev',
          '--outdir',
          examplesOutdir(),
          '--subscription',
          SUBSCRIPTION_ID,
          '--auth',
          'federated',
        ],
        { AZURE_CLIENT_ID: 'client-1' },
        /^no Azure credentials for --auth federated: AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE or ACTIONS_ID_TOKEN_REQUEST_URL\/TOKEN not set/,
      ],
      [
        'no subscription id',
        () => ['--env', 'dev', '--outdir', examplesOutdir()],
        FEDERATED_ENV,
        /^no Azure subscription id: pass --subscription or set AZURE_SUBSCRIPTION_ID\./,
      ],
      [
        'no verification tenant in the registry',
        () => [
          '--env',
          'staging',
          '--outdir',
          withoutVerificationTenant(),
          '--subscription',
          SUBSCRIPTION_ID,
        ],
        FEDERATED_ENV,
        /^the plan of staging has no verification tenant \(a tenant with purpose: 'verification' and an active subscription\): add one to environments\/tenants\.ts/,
      ],
      [
        'an endpoint that never answers',
        () => [
          '--env',
          'dev',
          '--outdir',
          examplesOutdir(),
          '--subscription',
          SUBSCRIPTION_ID,
          '--connect-to',
          `*=http://127.0.0.1:${hangingPort}`,
          '--request-timeout',
          '0.5',
        ],
        FEDERATED_ENV,
        /^cannot sign in to Azure: https:\/\/login\.microsoftonline\.com\/tenant-1\/oauth2\/v2\.0\/token: no answer within 0\.5 s/,
      ],
    ];

    it.each(CASES)('%s', async (_name, args, env, message) => {
      const started = Date.now();
      const out = join(dir, `out-${Math.random().toString(16).slice(2)}`);
      const run = await cli([...args(), '--out', out], env);
      expect(run.stderr).toMatch(message);
      expect(run.status).toBe(1);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it('wrong usage exits 2 with the usage line', async () => {
      const run = await runCommandAsync(verifyCommand, ['--env', 'dev', '--vantage', 'moon']);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(
        /^--vantage must be one of internet, network, got "moon"\.\nusage: verify --env <name>/,
      );
    });
  });
});

// --------------------------------------------------------------------------------------------------------------
// The promotion guard reads staging's report.

describe("the promotion guard reads the from environment's verification report", () => {
  const output = examplesOutput();
  let passing: VerifyReport;
  beforeAll(async () => {
    passing = await verify({ env: 'staging', vantage: 'network' });
  });

  /** Writes `report` as the pipeline downloads it and runs the guard's check on it, `hoursLater` after it finished. */
  const guard = (report: VerifyReport | undefined, hoursLater = 1) => {
    const reports = join(mkdtempSync(join(dir, 'guard-')), 'verification');
    mkdirSync(reports);
    if (report) writeReport(join(reports, 'staging'), report);
    return verificationCheck({
      environment: 'staging',
      dir: reports,
      output,
      maxAgeHours: 24,
      now: new Date(Date.parse(report?.finishedAt ?? passing.finishedAt) + hoursLater * 3_600_000),
    });
  };

  it('passes a fresh, passing report of the plan being promoted', () => {
    const check = guard(passing);
    expect(check).toMatchObject({ id: 'verification', passed: true });
    expect(check.summary).toBe('1 report of staging passed, verified this plan, within 24 h');
  });

  it.each<[string, () => VerifyReport | undefined, number, RegExp]>([
    ['missing', () => undefined, 1, /^missing: .*holds no verification report of staging/],
    [
      'failed',
      () => ({
        ...passing,
        passed: false,
        checks: passing.checks.map((c) =>
          c.id === 'tenant:allow-list'
            ? { ...c, status: 'fail' as const, detail: '404 DeploymentNotFound' }
            : c,
        ),
      }),
      1,
      /^blocked: 1 check failed/,
    ],
    ['stale by age', () => passing, 25, /^blocked: stale/],
    [
      'stale by plan: it verified another plan',
      () => ({
        ...passing,
        plan: { stacks: passing.plan.stacks.map((s) => ({ ...s, sha256: '0'.repeat(64) })) },
      }),
      1,
      /^blocked: stale/,
    ],
    [
      'blind: every gateway check skipped',
      () => ({
        ...passing,
        checks: passing.checks.map((c) =>
          c.group === 'reachability' ? { ...c, status: 'skip' as const, detail: 'private gateway' } : c,
        ),
      }),
      1,
      /^blocked: nothing was verified through the gateway/,
    ],
  ])('blocks a report that is %s', (_name, report, hoursLater, summary) => {
    const check = guard(report(), hoursLater);
    expect(check.passed).toBe(false);
    expect(check.summary).toMatch(summary);
  });

  it('npm run promote -- --verification <dir> blocks when the report is missing, and says so', () => {
    const run = runCommand(promote, [
      '--from',
      'staging',
      '--to',
      'prod',
      '--outdir',
      examplesOutdir(),
      '--verification',
      join(dir, 'no-reports'),
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /\| verification of staging \| \*\*FAIL\*\* \| missing: .*no-reports does not exist: no verification report was downloaded\. \|/,
    );
  });
});
