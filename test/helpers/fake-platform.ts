/**
 * A fake of the deployed platform for `npm run verify`, in the test process on 127.0.0.1: Entra ID's token endpoint,
 * GitHub's OIDC endpoint, ARM (resources, subscription keys, request tracing), the gateway (the verification
 * tenant's product: allow-list, token limit, content filter, suspension, the per-backend probe, tracing), the
 * private resources' public endpoints, and the Log Analytics query API with the logs and metrics of what the gateway
 * served. Every host is one server; requests are told apart by their Host header (verify's --connect-to sends them
 * all here). A `fault` makes the platform wrong in one way, so that each check is shown to fail.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VerifyTarget } from '../../scripts/lib/verify/target';

export type Fault =
  | 'public-key-vault'
  | 'arm-public-drift'
  | 'arm-local-auth-on'
  | 'key-evaluated'
  | 'pool-down'
  | 'backend-down'
  | 'probe-ignored'
  | 'wrong-first-backend'
  | 'no-debug-credential'
  | 'allow-list-open'
  | 'no-rate-limit'
  | 'no-retry-after'
  | 'suspended-served'
  | 'filter-off'
  | 'logs-missing'
  | 'logs-wrong-tenant'
  | 'metric-flat'
  | 'ownership-open'
  | 'gateway-silent';

export const FEDERATED_TOKEN = 'federated-oidc-token';
export const SUBSCRIPTION_ID = '00000000-0000-4000-8000-000000000001';
const WORKSPACE_ID = '11111111-2222-4333-8444-555555555555';
const DEBUG_TOKEN = 'aid=azure-openai&debug';

export interface FakePlatform {
  /** `http://127.0.0.1:<port>`: verify's `--connect-to *=<url>`. */
  readonly url: string;
  /** Requests the fake received, by host. */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

interface Logged {
  readonly CorrelationId: string;
  readonly ProductId: string;
  readonly ResponseCode: number;
  readonly BackendId: string;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/**
 * Starts the fake of the platform the plan describes (`target`), wrong in the way `fault` says, as seen from
 * `vantage`: from the internet the private resources refuse; from inside the network they answer.
 */
export async function startFakePlatform(
  target: VerifyTarget,
  options: { readonly fault?: Fault | undefined; readonly vantage: 'internet' | 'network' },
): Promise<FakePlatform> {
  const fault = options.fault;
  const hits = new Map<string, number>();
  const logs: Logged[] = [];
  const traces = new Map<string, Array<{ url: string; status: number }>>();
  const tokensByTenant = new Map<string, number>();
  const usedThisMinute = new Map<string, number>();
  const apim = target.gateway;
  const gatewayHosts = new Set(apim.regions.map((r) => new URL(r.baseUrl).hostname));
  const tenants = new Map<string, { slug: string; state: 'active' | 'suspended' }>([
    [`key-${target.tenant.slug}`, { slug: target.tenant.slug, state: 'active' }],
    ...(target.suspended
      ? [
          [
            `key-${target.suspended.slug}`,
            { slug: target.suspended.slug, state: 'suspended' as const },
          ] as const,
        ]
      : []),
  ]);
  const routed = new Map(target.models.map((m) => [m.model, m]));
  // A backend that no pool tries first: only the per-backend probe reaches it.
  const downBackend =
    target.models.flatMap((m) => m.backends.filter((b) => !m.first.includes(b.id)))[0]?.id ??
    target.models.at(-1)!.backends.at(-1)!.id;
  const privateHosts = new Map(
    options.vantage === 'internet'
      ? target.privateResources.filter((r) => r.host).map((r) => [r.host!, r])
      : [],
  );
  const keyless = new Map(target.keylessResources.filter((r) => r.host).map((r) => [r.host!, r]));
  const resources = new Map(
    [...target.privateResources, ...target.keylessResources].map((r) => [
      `${r.armType}/${r.name}`.toLowerCase(),
      r,
    ]),
  );
  const blockedTerm =
    'source' in target.contentFilter && target.contentFilter.source === 'blocklist'
      ? target.contentFilter.detail
      : undefined;

  const armDocument = (type: string, name: string): Record<string, unknown> | undefined => {
    if (
      type.toLowerCase() === 'microsoft.operationalinsights/workspaces' &&
      name === target.telemetry.workspace?.name
    ) {
      return {
        name,
        properties: {
          customerId: WORKSPACE_ID,
          features: { disableLocalAuth: fault !== 'arm-local-auth-on' },
        },
      };
    }
    const resource = resources.get(`${type}/${name}`.toLowerCase());
    if (!resource) return undefined;
    const isPrivate =
      target.privateResources.some((r) => r.armType === resource.armType && r.name === resource.name) &&
      fault !== 'arm-public-drift';
    const localOff = fault !== 'arm-local-auth-on';
    return {
      name,
      properties: {
        publicNetworkAccess: isPrivate ? 'Disabled' : 'Enabled',
        ...(resource.kind === 'gateway' && apim.exposure === 'internal' && isPrivate
          ? { virtualNetworkType: 'Internal' }
          : {}),
        disableLocalAuth: localOff,
        allowSharedKeyAccess: !localOff,
        DisableLocalAuth: localOff,
      },
    };
  };

  const arm = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (!/^Bearer arm-token$/.test(req.headers.authorization ?? ''))
      return send(res, 401, { error: { code: 'InvalidAuthenticationToken' } });
    const service = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${encodeURIComponent(apim.resourceGroup)}/providers/Microsoft.ApiManagement/service/${apim.name}`;
    const products = new RegExp(`^${escape(service)}/products/([^/]+)/subscriptions$`).exec(path);
    if (products && req.method === 'GET') {
      const tenant = [...tenants.values()].find((t) => t.slug === decodeURIComponent(products[1]!));
      return send(res, 200, {
        value: tenant ? [{ name: `sid-${tenant.slug}`, properties: { state: tenant.state } }] : [],
      });
    }
    const secrets = new RegExp(`^${escape(service)}/subscriptions/sid-([^/]+)/listSecrets$`).exec(path);
    if (secrets && req.method === 'POST')
      return send(res, 200, { primaryKey: `key-${decodeURIComponent(secrets[1]!)}` });
    if (path === `${service}/gateways/managed/listDebugCredentials` && req.method === 'POST') {
      if (fault === 'no-debug-credential')
        return send(res, 403, {
          error: { code: 'AuthorizationFailed', message: 'no listDebugCredentials action' },
        });
      const body = JSON.parse(await readBody(req)) as { apiId?: string; purposes?: string[] };
      if (body.apiId !== `${service}/apis/${apim.apiName}` || !body.purposes?.includes('tracing'))
        return send(res, 400, { error: { code: 'BadRequest' } });
      return send(res, 200, { token: DEBUG_TOKEN });
    }
    if (path === `${service}/gateways/managed/listTrace` && req.method === 'POST') {
      const { traceId } = JSON.parse(await readBody(req)) as { traceId: string };
      const attempts = traces.get(traceId);
      if (!attempts) return send(res, 404, { error: { code: 'NotFound' } });
      return send(res, 200, {
        traceId,
        traceEntries: {
          inbound: [{ source: 'api-inspector', data: { request: { method: 'POST' } } }],
          backend: attempts.flatMap((a) => [
            {
              source: 'forward-request',
              data: {
                message: 'Request is being forwarded to the backend service.',
                request: { method: 'POST', url: a.url },
              },
            },
            { source: 'forward-request', data: { response: { status: { code: a.status, reason: 'x' } } } },
          ]),
          outbound: [],
        },
      });
    }
    const resource =
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/([^/]+\/[^/]+)\/([^/]+)$/.exec(path);
    if (resource && req.method === 'GET') {
      const doc = armDocument(resource[1]!, decodeURIComponent(resource[2]!));
      return doc ? send(res, 200, doc) : send(res, 404, { error: { code: 'ResourceNotFound' } });
    }
    return send(res, 404, { error: { code: 'NoRoute', message: `${req.method} ${path}` } });
  };

  // Stored responses: the gateway records the owner of each id it creates and refuses every other tenant, and an id
  // it has no record of (README, "Tenant security"); `ownership-open` forwards any id, as a gateway without it would.
  const owners = new Map<string, string>();
  const responses = async (req: IncomingMessage, res: ServerResponse, id: string | undefined) => {
    const tenant = tenants.get(String(req.headers['api-key'] ?? ''));
    const requestId = randomUUID();
    const reply = (status: number, body: unknown) => {
      logs.push({
        CorrelationId: requestId,
        ProductId: fault === 'logs-wrong-tenant' ? 'none' : (tenant?.slug ?? ''),
        ResponseCode: status,
        BackendId: '',
      });
      send(res, status, body, { 'x-request-id': requestId });
    };
    if (!tenant || tenant.state === 'suspended') return reply(401, { statusCode: 401 });
    if (id === undefined && req.method === 'POST') {
      const body = JSON.parse((await readBody(req)) || '{}') as { model?: string };
      if (!body.model || !routed.has(body.model)) return reply(403, { error: { code: 'ModelNotAllowed' } });
      const created = `resp_${randomUUID().replace(/-/g, '')}`;
      owners.set(created, tenant.slug);
      return reply(200, { id: created, object: 'response', status: 'completed' });
    }
    if (id !== undefined && req.method === 'GET') {
      const owner = owners.get(decodeURIComponent(id));
      if (owner !== tenant.slug && fault !== 'ownership-open')
        return reply(403, { error: { code: 'ObjectNotOwned' } });
      return owner ? reply(200, { id, object: 'response' }) : reply(404, { error: { code: 'not_found' } });
    }
    return reply(404, { statusCode: 404, message: 'Resource not found' });
  };

  const gateway = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (fault === 'gateway-silent') return; // accepts and never answers
    const stored = new RegExp(`^/${apim.apiPath}/responses(?:/([^/]+))?$`).exec(url.pathname);
    if (stored && url.searchParams.get('api-version')) return responses(req, res, stored[1]);
    const match = new RegExp(`^/${apim.apiPath}/deployments/([^/]+)/(chat/completions|embeddings)$`).exec(
      url.pathname,
    );
    if (!match || req.method !== 'POST' || !url.searchParams.get('api-version'))
      return send(res, 404, { statusCode: 404, message: 'Resource not found' });
    const requestId = randomUUID();
    const tenant = tenants.get(String(req.headers['api-key'] ?? ''));
    const log = (status: number, backend = '') =>
      logs.push({
        CorrelationId: requestId,
        ProductId: fault === 'logs-wrong-tenant' ? 'none' : (tenant?.slug ?? ''),
        ResponseCode: status,
        BackendId: backend,
      });
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}, backend = '') => {
      log(status, backend);
      send(res, status, body, { 'x-request-id': requestId, ...headers });
    };
    if (!tenant || (tenant.state === 'suspended' && fault !== 'suspended-served')) {
      return reply(401, {
        statusCode: 401,
        message:
          'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
      });
    }
    const model = decodeURIComponent(match[1]!);
    const pool = routed.get(model);
    if (!pool) {
      return fault === 'allow-list-open'
        ? reply(404, {
            error: { code: 'DeploymentNotFound', message: 'The deployment does not exist on this gateway.' },
          })
        : reply(403, {
            error: { code: 'ModelNotAllowed', message: 'This subscription may not call this deployment.' },
          });
    }
    const body = JSON.parse(await readBody(req)) as { messages?: Array<{ content: string }>; input?: string };
    const prompt = body.messages?.map((m) => m.content).join(' ') ?? String(body.input ?? '');
    const probe = req.headers['x-lz-verify-backend'];
    // The region of the gateway host called: a multi-region gateway routes through that region's own pool.
    const region = apim.regions.find((r) => new URL(r.baseUrl).hostname === url.hostname)?.region ?? '';
    const priorities = pool.regional?.[region]?.priorities;
    const priorityOf = (b: { readonly id: string; readonly priority: number }) =>
      priorities?.[b.id] ?? b.priority;
    let backends = [...pool.backends].sort((a, b) => priorityOf(a) - priorityOf(b));
    if (typeof probe === 'string' && fault !== 'probe-ignored') {
      const chosen = pool.backends.find((b) => b.id === probe);
      if (!chosen) return reply(400, { error: { code: 'VerificationBackendUnknown' } });
      backends = [chosen];
    } else if (fault === 'wrong-first-backend') {
      backends = [...backends].reverse();
    }
    const minute = `${tenant.slug}`;
    if (
      (usedThisMinute.get(minute) ?? 0) >= (target.tenant.tokensPerMinute ?? Infinity) &&
      fault !== 'no-rate-limit'
    ) {
      return reply(
        429,
        { statusCode: 429, message: 'Token limit is exceeded. Try again in 60 seconds.' },
        fault === 'no-retry-after' ? {} : { 'retry-after': '60' },
      );
    }
    if (blockedTerm && prompt.includes(blockedTerm) && fault !== 'filter-off') {
      return reply(400, {
        error: {
          code: 'content_filter',
          message: 'The response was filtered',
          innererror: { code: 'ResponsibleAIPolicyViolation' },
        },
      });
    }
    if (
      !blockedTerm &&
      /ignore all previous instructions/i.test(prompt) &&
      target.tenant.shieldPrompt &&
      fault !== 'filter-off'
    ) {
      return reply(403, {
        error: { code: 'ContentSafetyBlocked', message: 'Request failed content safety check.' },
      });
    }
    const backend = backends[0]!;
    const down =
      (fault === 'pool-down' && model === target.models.at(-1)!.model && typeof probe !== 'string') ||
      (fault === 'backend-down' && backend.id === downBackend);
    const status = down ? 503 : 200;
    const headers: Record<string, string> = {};
    if (req.headers['apim-debug-authorization'] === DEBUG_TOKEN) {
      const traceId = randomUUID().replace(/-/g, '');
      traces.set(traceId, [
        { url: `${backend.url}/deployments/${model}/${match[2]}?api-version=2024-10-21`, status },
      ]);
      headers['apim-trace-id'] = traceId;
    }
    if (status !== 200)
      return reply(
        status,
        { error: { code: 'ServiceUnavailable', message: 'All model backends are busy' } },
        headers,
        backend.id,
      );
    const tokens = prompt.split(/\s+/).filter(Boolean).length + (match[2] === 'embeddings' ? 0 : 1);
    usedThisMinute.set(minute, (usedThisMinute.get(minute) ?? 0) + tokens);
    tokensByTenant.set(tenant.slug, (tokensByTenant.get(tenant.slug) ?? 0) + tokens);
    return reply(
      200,
      match[2] === 'embeddings'
        ? {
            object: 'list',
            data: [{ embedding: [0.1] }],
            usage: { prompt_tokens: tokens, total_tokens: tokens },
          }
        : {
            choices: [{ message: { content: 'OK' } }],
            usage: { prompt_tokens: tokens - 1, completion_tokens: 1, total_tokens: tokens },
          },
      headers,
      backend.id,
    );
  };

  const logAnalytics = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (req.headers.authorization !== 'Bearer logs-token')
      return send(res, 401, { error: { code: 'InvalidAuthenticationToken' } });
    if (path !== `/v1/workspaces/${WORKSPACE_ID}/query`)
      return send(res, 404, { error: { code: 'WorkspaceNotFound' } });
    const { query } = JSON.parse(await readBody(req)) as { query: string };
    if (query.startsWith('ApiManagementGatewayLogs')) {
      const ids = new Set([...query.matchAll(/"([0-9a-f-]{36})"/g)].map((m) => m[1]!));
      const rows = fault === 'logs-missing' ? [] : logs.filter((l) => ids.has(l.CorrelationId));
      return send(res, 200, {
        tables: [
          {
            name: 'PrimaryResult',
            columns: [
              { name: 'CorrelationId' },
              { name: 'ProductId' },
              { name: 'ResponseCode' },
              { name: 'BackendId' },
              { name: 'Region' },
            ],
            rows: rows.map((l) => [
              l.CorrelationId,
              l.ProductId,
              l.ResponseCode,
              l.BackendId,
              apim.regions[0]!.region,
            ]),
          },
        ],
      });
    }
    if (query.startsWith('AppMetrics')) {
      const slug = /Properties\["Tenant"\]\) == "([^"]+)"/.exec(query)?.[1] ?? '';
      const tokens = fault === 'metric-flat' ? 0 : (tokensByTenant.get(slug) ?? 0);
      return send(res, 200, {
        tables: [
          {
            name: 'PrimaryResult',
            columns: [{ name: 'Tokens' }, { name: 'Rows' }],
            rows: [[tokens, tokens > 0 ? 1 : 0]],
          },
        ],
      });
    }
    return send(res, 400, { error: { code: 'BadArgumentError' } });
  };

  const endpointOf = async (req: IncomingMessage, res: ServerResponse, host: string, url: URL) => {
    const known = privateHosts.get(host);
    if (known) {
      if (fault === 'public-key-vault' && known.kind === 'Key Vault')
        return send(res, 401, {
          error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' },
        });
      if (known.kind === 'storage account')
        return send(res, 403, '<Error><Code>AuthorizationFailure</Code></Error>', {
          'x-ms-error-code': 'AuthorizationFailure',
        });
      if (known.kind === 'Key Vault')
        return send(res, 403, {
          error: {
            code: 'Forbidden',
            message:
              'Public network access is disabled and request is not from a trusted service nor via an approved private link.',
            innererror: { code: 'ForbiddenByConnection' },
          },
        });
      return send(res, 403, {
        error: { code: '403', message: 'Public access is disabled. Please configure private endpoint.' },
      });
    }
    const keylessResource = keyless.get(host);
    if (keylessResource?.kind === 'storage account' && req.headers.authorization?.startsWith('SharedKey ')) {
      return fault === 'key-evaluated'
        ? send(res, 403, '<Error><Code>AuthenticationFailed</Code></Error>', {
            'x-ms-error-code': 'AuthenticationFailed',
          })
        : send(res, 403, '<Error><Code>KeyBasedAuthenticationNotPermitted</Code></Error>', {
            'x-ms-error-code': 'KeyBasedAuthenticationNotPermitted',
          });
    }
    if (
      keylessResource?.kind === 'model account' &&
      req.headers['api-key'] &&
      url.pathname.startsWith('/openai/')
    ) {
      return fault === 'key-evaluated'
        ? send(res, 401, {
            error: {
              code: '401',
              message: 'Access denied due to invalid subscription key or wrong API endpoint.',
            },
          })
        : send(res, 403, {
            error: {
              code: 'AuthenticationTypeDisabled',
              message: 'Key based authentication is disabled for this resource.',
            },
          });
    }
    return send(res, 404, { error: { code: 'UnknownHost', message: host } });
  };

  const server: Server = createServer((req, res) => {
    const host = String(req.headers.host ?? '')
      .replace(/:\d+$/, '')
      .toLowerCase();
    hits.set(host, (hits.get(host) ?? 0) + 1);
    const url = new URL(req.url ?? '/', `http://${host}`);
    const handle = async () => {
      if (host === 'login.microsoftonline.com') {
        const form = new URLSearchParams(await readBody(req));
        if (form.get('client_assertion') !== FEDERATED_TOKEN)
          return send(res, 401, { error: 'invalid_client' });
        const scope = form.get('scope') ?? '';
        return send(res, 200, {
          access_token: scope.includes('loganalytics') ? 'logs-token' : 'arm-token',
          expires_in: 3600,
        });
      }
      if (host === 'oidc.actions.test') {
        return req.headers.authorization === 'Bearer actions-request-token' &&
          url.searchParams.get('audience') === 'api://AzureADTokenExchange'
          ? send(res, 200, { value: FEDERATED_TOKEN })
          : send(res, 401, { message: 'bad request token' });
      }
      if (host === 'management.azure.com') return arm(req, res, url.pathname);
      if (host === 'api.loganalytics.io') return logAnalytics(req, res, url.pathname);
      if (gatewayHosts.has(host) && !privateHosts.has(host)) return gateway(req, res, url);
      return endpointOf(req, res, host, url);
    };
    handle().catch((error: unknown) =>
      send(res, 500, { error: { code: 'FakeFailed', message: String(error) } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
