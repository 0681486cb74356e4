/**
 * The one HTTP client of `npm run verify`: node:http(s), a timeout on every request, a budget on how many requests a
 * run sends, bounded response bodies, and `--connect-to` (as curl's): a host name sent to another address while the
 * request keeps its URL, Host header and TLS server name. Tests point every Azure host at fakes on 127.0.0.1 with it;
 * plain http is accepted only towards the loopback interface, so a token never crosses a network unencrypted.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { ScriptError } from '../cli';

/** How a request failed before an HTTP answer: what the report shows instead of a status. */
export type NetworkFailure = 'dns' | 'refused' | 'reset' | 'timeout' | 'tls' | 'other';

/** A request that got no HTTP answer. */
export class NetworkError extends Error {
  constructor(
    readonly kind: NetworkFailure,
    readonly url: string,
    message: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

/** The run sent as many requests as it may. */
export class BudgetError extends ScriptError {}

export interface HttpResponse {
  readonly url: string;
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly latencyMs: number;
}

export interface HttpRequest {
  readonly method?: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** @default - the client's timeout */
  readonly timeoutMs?: number;
}

export interface HttpClientOptions {
  /** Per request, unless the request says otherwise. */
  readonly timeoutMs: number;
  /** Requests one run may send, in all. */
  readonly maxRequests: number;
  /** `host → base URL` (`*` for every host): where to connect instead of the host's own address. */
  readonly connectTo?: ReadonlyMap<string, URL>;
}

/** Response bodies beyond this are cut: verify reads status codes, headers and short JSON documents. */
const MAX_BODY_BYTES = 1024 * 1024;

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

/**
 * Parses `--connect-to host=url` values; `*=url` sends every host there. Plain http only to the loopback interface.
 * Throws a {@link ScriptError} naming the value.
 */
export function parseConnectTo(values: readonly string[]): Map<string, URL> {
  const map = new Map<string, URL>();
  for (const value of values) {
    const at = value.indexOf('=');
    const host = at > 0 ? value.slice(0, at).trim().toLowerCase() : '';
    let target: URL | undefined;
    try {
      target = new URL(value.slice(at + 1));
    } catch {
      target = undefined;
    }
    if (!host || !target || !/^https?:$/.test(target.protocol) || target.pathname !== '/') {
      throw new ScriptError(
        `--connect-to ${JSON.stringify(value)}: expected <host>=<scheme>://<address>[:<port>] (or *=…), e.g. *=http://127.0.0.1:8080`,
      );
    }
    if (target.protocol === 'http:' && !LOOPBACK.has(target.hostname)) {
      throw new ScriptError(
        `--connect-to ${JSON.stringify(value)}: plain http is allowed only to the loopback interface (127.0.0.1); expected https://`,
      );
    }
    map.set(host, target);
  }
  return map;
}

function failureOf(error: NodeJS.ErrnoException): NetworkFailure {
  switch (error.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return 'dns';
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return 'reset';
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return /certificate|tls|ssl/i.test(error.message) || error.code?.startsWith('ERR_TLS')
        ? 'tls'
        : 'other';
  }
}

const DESCRIPTION: Record<NetworkFailure, string> = {
  dns: 'the name does not resolve',
  refused: 'the connection was refused',
  reset: 'the connection was reset',
  timeout: 'no answer',
  tls: 'the TLS handshake failed',
  other: 'the request failed',
};

export class HttpClient {
  private sent = 0;

  constructor(private readonly options: HttpClientOptions) {}

  /** Requests sent so far. */
  get requests(): number {
    return this.sent;
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /** Sends one request; an HTTP answer of any status resolves, a network failure rejects with {@link NetworkError}. */
  request(req: HttpRequest): Promise<HttpResponse> {
    if (this.sent >= this.options.maxRequests) {
      return Promise.reject(
        new BudgetError(
          `verify sent its ${this.options.maxRequests} requests (--max-requests) before ${req.method ?? 'GET'} ${redact(req.url)}`,
        ),
      );
    }
    this.sent += 1;
    const url = new URL(req.url);
    const target =
      this.options.connectTo?.get(url.hostname.toLowerCase()) ?? this.options.connectTo?.get('*') ?? url;
    const secure = target.protocol === 'https:';
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
    const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    const headers: Record<string, string> = {
      host: url.host,
      'user-agent': 'lz-verify/1',
      ...(body ? { 'content-length': String(body.length) } : {}),
      ...Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    };
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const fail = (error: NetworkError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      const request = (secure ? httpsRequest : httpRequest)(
        {
          host: target.hostname.replace(/^\[|\]$/g, ''),
          port: target.port || (secure ? 443 : 80),
          method: req.method ?? 'GET',
          path: `${url.pathname}${url.search}`,
          headers,
          ...(secure && isIP(url.hostname) === 0 ? { servername: url.hostname } : {}),
          agent: false,
        },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            if (size >= MAX_BODY_BYTES) return;
            size += chunk.length;
            chunks.push(chunk);
          });
          response.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            const flat: Record<string, string> = {};
            for (const [key, value] of Object.entries(response.headers)) {
              if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : value;
            }
            resolve({
              url: req.url,
              status: response.statusCode ?? 0,
              headers: flat,
              body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY_BYTES),
              latencyMs: Math.round(elapsed()),
            });
          });
          response.on('error', (error: NodeJS.ErrnoException) =>
            fail(
              new NetworkError(
                failureOf(error),
                req.url,
                `${redact(req.url)}: ${DESCRIPTION[failureOf(error)]}`,
              ),
            ),
          );
        },
      );
      const timer = setTimeout(() => {
        fail(
          new NetworkError(
            'timeout',
            req.url,
            `${redact(req.url)}: no answer within ${(timeoutMs / 1000).toFixed(timeoutMs < 1000 ? 1 : 0)} s`,
          ),
        );
        request.destroy();
      }, timeoutMs);
      request.on('error', (error: NodeJS.ErrnoException) => {
        const kind = failureOf(error);
        fail(
          new NetworkError(
            kind,
            req.url,
            `${redact(req.url)}: ${DESCRIPTION[kind]} (${error.code ?? error.message})`,
          ),
        );
      });
      if (body) request.write(body);
      request.end();
    });
  }
}

/** A URL as a report may show it: no query values that could carry a secret (`sig=`, `code=`), path and host kept. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    for (const key of [...parsed.searchParams.keys()]) {
      if (!/^(api-version|comp|restype)$/i.test(key)) parsed.searchParams.set(key, '…');
    }
    return parsed.toString();
  } catch {
    return url;
  }
}
