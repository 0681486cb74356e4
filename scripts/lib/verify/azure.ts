/**
 * The Azure control-plane calls of `npm run verify`, each read-only or scoped to the verification tenant:
 *
 * - ARM `GET` of a resource (its effective `publicNetworkAccess`, `disableLocalAuth`, …);
 * - the verification tenant's subscription key: `GET …/products/{product}/subscriptions`, then `POST
 *   …/subscriptions/{sid}/listSecrets` (Learn REST: "Subscription - List Secrets"), read at run time, never stored;
 * - request tracing of the managed gateway: `POST …/gateways/managed/listDebugCredentials` for the inference API and
 *   `POST …/gateways/managed/listTrace` (Learn: "Tutorial: Debug your APIs using request tracing", API version
 *   2023-05-01-preview or later);
 * - the Log Analytics query API: `POST {logs}/v1/workspaces/{customerId}/query` (Learn: "Azure Monitor Log Analytics
 *   API overview").
 */
import { jsonOf, type TokenSource } from './auth';
import type { HttpClient, HttpResponse } from './http';

/** An ARM or Log Analytics call answered with an error status. */
export class AzureCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AzureCallError';
  }
}

const APIM_API_VERSION = '2024-05-01';
/** listDebugCredentials and listTrace need 2023-05-01-preview or later. */
const TRACE_API_VERSION = '2024-06-01-preview';

export interface AzureEndpoints {
  /** @default https://management.azure.com */
  readonly arm: string;
  /** @default https://api.loganalytics.io */
  readonly logs: string;
}

export const DEFAULT_ENDPOINTS: AzureEndpoints = {
  arm: 'https://management.azure.com',
  logs: 'https://api.loganalytics.io',
};

export interface ServiceRef {
  readonly resourceGroup: string;
  readonly name: string;
}

export class AzureApi {
  private readonly resources = new Map<string, Promise<Record<string, unknown>>>();

  constructor(
    private readonly http: HttpClient,
    private readonly tokens: TokenSource,
    private readonly endpoints: AzureEndpoints,
    readonly subscriptionId: string,
  ) {}

  /** `/subscriptions/{sub}/resourceGroups/{rg}/providers/{type}/{name}` */
  resourceId(resourceGroup: string, armType: string, name: string): string {
    return `/subscriptions/${this.subscriptionId}/resourceGroups/${encodeURIComponent(resourceGroup)}/providers/${armType}/${encodeURIComponent(name)}`;
  }

  private async call(
    base: string,
    audience: string,
    method: string,
    path: string,
    payload?: unknown,
  ): Promise<{ response: HttpResponse; json: Record<string, unknown> | undefined }> {
    const token = await this.tokens.token(audience);
    const response = await this.http.request({
      method,
      url: `${base.replace(/\/+$/, '')}${path}`,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
    });
    const json = jsonOf(response.body);
    if (response.status < 200 || response.status >= 300) {
      const error = (json?.['error'] ?? {}) as { code?: unknown; message?: unknown };
      const code = typeof error.code === 'string' ? error.code : `HTTP ${response.status}`;
      const message = typeof error.message === 'string' ? `: ${error.message.slice(0, 200)}` : '';
      throw new AzureCallError(
        response.status,
        code,
        `${method} ${path.replace(/\?.*$/, '')} answered ${response.status} (${code})${message}`,
      );
    }
    return { response, json };
  }

  arm(method: string, path: string, payload?: unknown) {
    return this.call(this.endpoints.arm, this.endpoints.arm, method, path, payload);
  }

  /** A resource's ARM document (read once per run). */
  getResource(
    resourceGroup: string,
    armType: string,
    name: string,
    apiVersion: string,
  ): Promise<Record<string, unknown>> {
    const id = this.resourceId(resourceGroup, armType, name);
    let found = this.resources.get(id);
    if (!found) {
      found = this.arm('GET', `${id}?api-version=${apiVersion}`).then(({ json }) => json ?? {});
      this.resources.set(id, found);
    }
    return found;
  }

  private serviceId(service: ServiceRef): string {
    return this.resourceId(service.resourceGroup, 'Microsoft.ApiManagement/service', service.name);
  }

  /** The primary key of the one subscription of a tenant's product, and the subscription's state. */
  async subscriptionKey(
    service: ServiceRef,
    productId: string,
  ): Promise<{ key: string; state: string; id: string }> {
    const { json } = await this.arm(
      'GET',
      `${this.serviceId(service)}/products/${encodeURIComponent(productId)}/subscriptions?api-version=${APIM_API_VERSION}`,
    );
    const subscriptions = (Array.isArray(json?.['value']) ? json['value'] : []) as Array<
      Record<string, unknown>
    >;
    const subscription = subscriptions[0];
    const sid = typeof subscription?.['name'] === 'string' ? subscription['name'] : undefined;
    if (!sid) {
      throw new AzureCallError(
        404,
        'NoSubscription',
        `product ${productId} of ${service.name} has no subscription`,
      );
    }
    const state = String(
      (subscription?.['properties'] as Record<string, unknown> | undefined)?.['state'] ?? '?',
    );
    const secrets = await this.arm(
      'POST',
      `${this.serviceId(service)}/subscriptions/${encodeURIComponent(sid)}/listSecrets?api-version=${APIM_API_VERSION}`,
    );
    const key = secrets.json?.['primaryKey'];
    if (typeof key !== 'string' || key.length === 0) {
      throw new AzureCallError(
        500,
        'NoKey',
        `listSecrets of ${productId}'s subscription returned no primary key`,
      );
    }
    return { key, state, id: sid };
  }

  /** A debug token for tracing requests to one API of the managed gateway (at most one hour). */
  async debugCredential(service: ServiceRef, apiName: string): Promise<string> {
    const { json } = await this.arm(
      'POST',
      `${this.serviceId(service)}/gateways/managed/listDebugCredentials?api-version=${TRACE_API_VERSION}`,
      {
        credentialsExpireAfter: 'PT30M',
        apiId: `${this.serviceId(service)}/apis/${apiName}`,
        purposes: ['tracing'],
      },
    );
    const token = json?.['token'];
    if (typeof token !== 'string')
      throw new AzureCallError(500, 'NoToken', 'listDebugCredentials returned no token');
    return token;
  }

  /** The trace of one traced request. */
  async trace(service: ServiceRef, traceId: string): Promise<Record<string, unknown>> {
    const { json } = await this.arm(
      'POST',
      `${this.serviceId(service)}/gateways/managed/listTrace?api-version=${TRACE_API_VERSION}`,
      { traceId },
    );
    return json ?? {};
  }

  /** Runs a KQL query against a workspace (by its customer id); returns the rows of the first table as objects. */
  async query(
    workspaceCustomerId: string,
    kql: string,
    timespan: string,
  ): Promise<Array<Record<string, unknown>>> {
    const { json } = await this.call(
      this.endpoints.logs,
      this.endpoints.logs,
      'POST',
      `/v1/workspaces/${encodeURIComponent(workspaceCustomerId)}/query`,
      { query: kql, timespan },
    );
    const table = (Array.isArray(json?.['tables']) ? json['tables'][0] : undefined) as
      { columns?: Array<{ name?: string }>; rows?: unknown[][] } | undefined;
    const columns = (table?.columns ?? []).map((c) => String(c.name));
    return (table?.rows ?? []).map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
  }
}

/** The forward-request steps of a trace, in order: the backend URL each attempt went to and what it answered. */
export function forwardedRequests(trace: Record<string, unknown>): Array<{ url: string; status?: number }> {
  const entries = ((trace['traceEntries'] as Record<string, unknown> | undefined)?.['backend'] ??
    []) as unknown[];
  const attempts: Array<{ url: string; status?: number }> = [];
  for (const entry of Array.isArray(entries) ? entries : []) {
    const e = entry as { source?: unknown; data?: Record<string, unknown> };
    if (e.source !== 'forward-request' || !e.data) continue;
    const request = e.data['request'] as { url?: unknown } | undefined;
    const response = e.data['response'] as { status?: { code?: unknown } } | undefined;
    if (typeof request?.url === 'string') attempts.push({ url: request.url });
    else if (typeof response?.status?.code === 'number' && attempts.length > 0) {
      attempts[attempts.length - 1] = { ...attempts[attempts.length - 1]!, status: response.status.code };
    }
  }
  return attempts;
}
