/**
 * Entra ID tokens for `npm run verify`, without an SDK and without stored secrets:
 *
 * - **federated** (workload identity federation): the pipeline's OIDC token (`AZURE_FEDERATED_TOKEN_FILE`, or GitHub
 *   Actions' `ACTIONS_ID_TOKEN_REQUEST_URL` and `ACTIONS_ID_TOKEN_REQUEST_TOKEN` with the audience
 *   `api://AzureADTokenExchange`) exchanged at the Entra token endpoint as a client assertion for `AZURE_CLIENT_ID` in
 *   `AZURE_TENANT_ID` (Learn: "Microsoft identity platform application authentication certificate credentials" and
 *   "Workload identity federation"; the client credentials grant with `client_assertion_type`
 *   `urn:ietf:params:oauth:client-assertion-type:jwt-bearer`);
 * - **cli**: `az account get-access-token --resource <resource>` of a signed-in Azure CLI (Azure DevOps' AzureCLI@2
 *   task signs it in through its workload identity federation service connection).
 *
 * The authority host is `AZURE_AUTHORITY_HOST` (default https://login.microsoftonline.com), as the Azure SDKs read it.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ScriptError } from '../cli';
import type { HttpClient } from './http';

/** Credentials are missing or refused: one sentence, exit code 1. */
export class CredentialError extends ScriptError {}

export type AuthMode = 'auto' | 'federated' | 'cli';

/** Where tokens come from. */
export interface TokenSource {
  /** What the report says about the sign-in (`federated: client 1234…`, `Azure CLI`). */
  readonly description: string;
  /** An access token for `resource` (`https://management.azure.com`). */
  token(resource: string): Promise<string>;
}

export interface TokenSourceOptions {
  readonly mode: AuthMode;
  readonly http: HttpClient;
  /** The process environment (tests pass their own); also the Azure CLI's, whose PATH finds it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The Azure CLI command. @default 'az' */
  readonly azCommand?: string;
  /** For `az`. @default 30 s */
  readonly timeoutMs?: number;
}

const EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';

const HOW = [
  'set AZURE_CLIENT_ID and AZURE_TENANT_ID with AZURE_FEDERATED_TOKEN_FILE (workload identity federation),',
  'run in GitHub Actions with `id-token: write`, or sign in with `az login` (--auth cli)',
].join(' ');

/** Picks the token source `mode` asks for; `auto` prefers federation when its variables are set. */
export function tokenSource(options: TokenSourceOptions): TokenSource {
  const env = options.env;
  const federation = federationOf(env);
  if (options.mode === 'federated' || (options.mode === 'auto' && federation.ready)) {
    if (!federation.ready) {
      throw new CredentialError(`no Azure credentials for --auth federated: ${federation.missing}; ${HOW}.`);
    }
    return cached(federated(options.http, env, federation.assertion));
  }
  return cached(azureCli(options.azCommand ?? 'az', options.timeoutMs ?? 30_000, env));
}

function cached(source: TokenSource): TokenSource {
  const tokens = new Map<string, Promise<string>>();
  return {
    description: source.description,
    token(resource) {
      let token = tokens.get(resource);
      if (!token) {
        token = source.token(resource);
        tokens.set(resource, token);
        token.catch(() => tokens.delete(resource));
      }
      return token;
    },
  };
}

type Assertion = (http: HttpClient) => Promise<string>;

function federationOf(
  env: Readonly<Record<string, string | undefined>>,
): { ready: true; assertion: Assertion } | { ready: false; missing: string } {
  const missing = ['AZURE_CLIENT_ID', 'AZURE_TENANT_ID'].filter((name) => !env[name]);
  const file = env['AZURE_FEDERATED_TOKEN_FILE'];
  const requestUrl = env['ACTIONS_ID_TOKEN_REQUEST_URL'];
  const requestToken = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
  if (!file && !(requestUrl && requestToken)) {
    missing.push('AZURE_FEDERATED_TOKEN_FILE or ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN');
  }
  if (missing.length > 0) return { ready: false, missing: `${missing.join(', ')} not set` };
  if (file) {
    return {
      ready: true,
      assertion: async () => {
        try {
          return readFileSync(file, 'utf8').trim();
        } catch (error) {
          throw new CredentialError(
            `cannot read AZURE_FEDERATED_TOKEN_FILE ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; ${HOW}.`,
          );
        }
      },
    };
  }
  return {
    ready: true,
    assertion: async (http) => {
      const url = new URL(requestUrl!);
      url.searchParams.set('audience', EXCHANGE_AUDIENCE);
      const response = await http.request({
        url: url.toString(),
        headers: { authorization: `Bearer ${requestToken}`, accept: 'application/json' },
      });
      const value = response.status === 200 ? (jsonOf(response.body)?.['value'] as unknown) : undefined;
      if (typeof value !== 'string') {
        throw new CredentialError(
          `GitHub Actions gave no OIDC token (HTTP ${response.status}); the job needs \`permissions: id-token: write\`.`,
        );
      }
      return value;
    },
  };
}

function federated(
  http: HttpClient,
  env: Readonly<Record<string, string | undefined>>,
  assertion: Assertion,
): TokenSource {
  const clientId = env['AZURE_CLIENT_ID']!;
  const tenantId = env['AZURE_TENANT_ID']!;
  const authority = (env['AZURE_AUTHORITY_HOST'] || DEFAULT_AUTHORITY).replace(/\/+$/, '');
  return {
    description: `workload identity federation, client ${clientId}`,
    async token(resource) {
      const form = new URLSearchParams({
        client_id: clientId,
        scope: `${resource.replace(/\/+$/, '')}/.default`,
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await assertion(http),
      });
      const response = await http.request({
        method: 'POST',
        url: `${authority}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      });
      const json = jsonOf(response.body);
      const token = json?.['access_token'];
      if (response.status !== 200 || typeof token !== 'string') {
        const code = typeof json?.['error'] === 'string' ? json['error'] : `HTTP ${response.status}`;
        throw new CredentialError(
          `Entra ID refused the federated sign-in of client ${clientId} for ${resource} (${code}); check the identity's federated credential for this pipeline.`,
        );
      }
      return token;
    },
  };
}

function azureCli(
  command: string,
  timeoutMs: number,
  env: Readonly<Record<string, string | undefined>>,
): TokenSource {
  return {
    description: 'Azure CLI',
    token: (resource) =>
      new Promise((resolve, reject) => {
        execFile(
          command,
          ['account', 'get-access-token', '--resource', resource, '--output', 'json'],
          { timeout: timeoutMs, encoding: 'utf8', windowsHide: true, env },
          (error, stdout, stderr) => {
            if (error) {
              const code = (error as NodeJS.ErrnoException).code;
              reject(
                new CredentialError(
                  code === 'ENOENT'
                    ? `no Azure credentials: the Azure CLI (${command}) is not installed and no federated token is set; ${HOW}.`
                    : error.killed
                      ? `no Azure credentials: \`${command} account get-access-token\` did not answer within ${Math.round(timeoutMs / 1000)} s; ${HOW}.`
                      : `no Azure credentials: \`${command} account get-access-token\` failed (${firstLine(stderr) || `exit ${String(error.code)}`}); ${HOW}.`,
                ),
              );
              return;
            }
            const token = jsonOf(stdout)?.['accessToken'];
            if (typeof token === 'string') resolve(token);
            else
              reject(
                new CredentialError(
                  `\`${command} account get-access-token\` printed no accessToken; ${HOW}.`,
                ),
              );
          },
        );
      }),
  };
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.length > 0) ?? ''
  ).slice(0, 200);
}

export function jsonOf(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
