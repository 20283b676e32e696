// Real HTTPS servers on 127.0.0.1 for the token flows, with a test CA made by openssl:
// a GitHub OIDC issuer (answers ACTIONS_ID_TOKEN_REQUEST_URL with a signed JWT) and an
// Entra-like authority (openid-configuration and a token endpoint that checks the grant,
// the tenant path, the scope, the client secret or the federated client assertion).

import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Tls {
  caFile: string;
  key: string;
  cert: string;
}

let tls: Tls | null = null;

/**
 * An authority name that is not loopback (the toolkit's HTTP client sends loopback hosts past
 * any proxy) and that never resolves (.test, RFC 6761): only a proxy can take a request there.
 */
export const PROXIED_AUTHORITY = 'login.entra.test';

/** A CA and a server certificate for 127.0.0.1, made once per test process. */
export function testTls(): Tls {
  if (tls !== null) return tls;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-tls-'));
  const run = (args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-subj',
    '/CN=exo-connect-action test CA',
    '-days',
    '2',
  ]);
  run([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  ]);
  fs.writeFileSync(path.join(dir, 'san.ext'), `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:${PROXIED_AUTHORITY}\n`);
  run([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  ]);
  tls = {
    caFile: path.join(dir, 'ca.pem'),
    key: fs.readFileSync(path.join(dir, 'server.key'), 'utf8'),
    cert: fs.readFileSync(path.join(dir, 'server.pem'), 'utf8'),
  };
  return tls;
}

export function signJwt(payload: Record<string, unknown>, key: crypto.KeyObject, kid: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid })).toString('base64url');
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = crypto.sign('RSA-SHA256', Buffer.from(`${header}.${body}`), key).toString('base64url');
  return `${header}.${body}.${signature}`;
}

export function verifyJwt(jwt: string, key: crypto.KeyObject): Record<string, unknown> | null {
  const [header, body, signature] = jwt.split('.');
  if (header === undefined || body === undefined || signature === undefined) return null;
  const ok = crypto.verify('RSA-SHA256', Buffer.from(`${header}.${body}`), key, Buffer.from(signature, 'base64url'));
  return ok ? (JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>) : null;
}

/** An HTTP answer of a test server: JSON, with headers of its own if any. */
export interface Answer {
  status: number;
  json: unknown;
  headers?: Record<string, string>;
  /** No answer: the connection is broken off (a reset) once the request has arrived. */
  reset?: boolean;
}

/** Closes a server, the connections of requests it never answered included. */
function closeServer(server: https.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function listen(
  handler: (req: {
    method: string;
    url: URL;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }) => Answer | null | Promise<Answer | null>,
): Promise<{ server: https.Server; host: string }> {
  const { key, cert } = testTls();
  const server = https.createServer({ key, cert }, (req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      void Promise.resolve(
        handler({
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', 'https://127.0.0.1'),
          headers: req.headers,
          body,
        }),
      ).then((answer) => {
        // null: a server that took the request and never answers it.
        if (answer === null) return;
        if (answer.reset === true) return void req.socket.destroy();
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.json));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, host: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export interface GitHubIssuer {
  requestUrl: string;
  requestToken: string;
  publicKey: crypto.KeyObject;
  issued: string[];
  audiences: string[];
  /** The Authorization header of every request it got, answered or not. */
  authorizations: string[];
  close(): Promise<void>;
}

export async function startGitHubIssuer(
  claims: Record<string, unknown> = {},
  /** An answer of its own instead of the token (an error, a redirect), null for none at all, undefined for the token. */
  answer?: (request: { authorization: string }) => Answer | null | undefined,
): Promise<GitHubIssuer> {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const requestToken = `ghs_request_${crypto.randomBytes(12).toString('hex')}`;
  const issued: string[] = [];
  const audiences: string[] = [];
  const authorizations: string[] = [];
  const { server, host } = await listen(({ url, headers }) => {
    authorizations.push(String(headers.authorization));
    const own = answer?.({ authorization: String(headers.authorization) });
    if (own !== undefined) return own;
    // As a careless service might: the credentials it was given, quoted back.
    if (headers.authorization !== `Bearer ${requestToken}`)
      return { status: 401, json: { message: `Bad credentials: ${String(headers.authorization)}` } };
    const audience = url.searchParams.get('audience') ?? '';
    audiences.push(audience);
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt(
      {
        jti: crypto.randomUUID(),
        sub: 'repo:contoso/exchange-automation:ref:refs/heads/main',
        aud: audience,
        ref: 'refs/heads/main',
        repository: 'contoso/exchange-automation',
        repository_owner: 'contoso',
        run_id: '4242',
        event_name: 'push',
        job_workflow_ref: 'contoso/exchange-automation/.github/workflows/report.yml@refs/heads/main',
        iss: GITHUB_ISSUER,
        nbf: now - 5,
        iat: now,
        exp: now + 300,
        ...claims,
      },
      privateKey,
      'github-test-key',
    );
    issued.push(token);
    return { status: 200, json: { count: 1, value: token } };
  });
  return {
    requestUrl: `https://${host}/_apis/token?api-version=2.0`,
    requestToken,
    publicKey,
    issued,
    audiences,
    authorizations,
    close: () => closeServer(server),
  };
}

export interface EntraOptions {
  tenant: string;
  clientId: string;
  scope: string;
  clientSecret?: string;
  federated?: { issuer: string; subject: string; audience: string; key: crypto.KeyObject };
  roles?: string[];
  /** Directory role template IDs for the token's `wids` claim; none when unset. */
  wids?: string[];
  lifetimeSeconds?: number;
  /** Leave expires_in out of the token answer, as a gateway in front of Entra ID may. */
  omitExpiresIn?: boolean;
  /** The host its metadata names, when requests reach it through a proxy under that name. */
  publicHost?: string;
  /** Answers to the first token requests, in order, before it answers as configured (transient failures). */
  failFirst?: Answer[];
  /** Take token requests and never answer them. */
  hang?: boolean;
  /** Answer each token request only once this settles (the job's PowerShell started, say). */
  holdAnswer?: () => Promise<void>;
  /** The answer to the tenant's metadata request instead of the metadata (Entra ID's for an unknown tenant). */
  metadata?: Answer;
}

export interface Entra {
  host: string;
  requests: Array<Record<string, string>>;
  issued: string[];
  close(): Promise<void>;
}

export const aadError = (status: number, error: string, code: string, text: string): Answer => ({
  status,
  json: {
    error,
    error_description: `${code}: ${text}\r\nTrace ID: 0000\r\nCorrelation ID: 0000\r\nTimestamp: 2026-11-22 00:00:00Z`,
    error_codes: [Number(code.slice(6))],
  },
});

export async function startEntra(options: EntraOptions): Promise<Entra> {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const requests: Array<Record<string, string>> = [];
  const issued: string[] = [];
  let base = '';
  const { server, host } = await listen(({ method, url, body }) => {
    const [, tenant, ...rest] = url.pathname.split('/');
    const route = rest.join('/');
    if (method === 'GET' && route === 'v2.0/.well-known/openid-configuration') {
      if (options.metadata !== undefined) return options.metadata;
      return {
        status: 200,
        json: {
          token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
          issuer: `${base}/${tenant}/v2.0`,
          jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
          end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
          response_types_supported: ['code', 'id_token', 'token'],
        },
      };
    }
    if (method !== 'POST' || route !== 'oauth2/v2.0/token') return { status: 404, json: { error: 'not_found' } };
    const form = Object.fromEntries(new URLSearchParams(body));
    requests.push({ ...form, tenant: tenant ?? '' });
    if (options.hang) return null;
    if (options.holdAnswer !== undefined) return options.holdAnswer().then(() => tokenAnswer(tenant, form));
    return tokenAnswer(tenant, form);
  });

  function tokenAnswer(tenant: string | undefined, form: Record<string, string>): Answer {
    const failure = options.failFirst?.shift();
    if (failure !== undefined) return failure;
    if (tenant !== options.tenant)
      return aadError(
        400,
        'invalid_request',
        'AADSTS90002',
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    if (form.grant_type !== 'client_credentials')
      return aadError(400, 'unsupported_grant_type', 'AADSTS70003', 'The app requested an unsupported grant type.');
    if (form.client_id !== options.clientId)
      return aadError(
        400,
        'unauthorized_client',
        'AADSTS700016',
        `Application with identifier '${form.client_id}' was not found in the directory '${tenant}'.`,
      );
    if (
      form.scope
        ?.split(' ')
        .filter((s) => !['openid', 'profile', 'offline_access'].includes(s))
        .join(' ') !== options.scope
    ) {
      return aadError(
        400,
        'invalid_scope',
        'AADSTS1002012',
        `The provided value for scope ${form.scope} is not valid.`,
      );
    }
    if (form.client_assertion !== undefined) {
      const fed = options.federated;
      if (
        form.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' ||
        fed === undefined
      ) {
        return aadError(401, 'invalid_client', 'AADSTS7000215', 'Invalid client secret provided.');
      }
      const claims = verifyJwt(form.client_assertion, fed.key);
      if (claims === null)
        return aadError(401, 'invalid_client', 'AADSTS7000272', 'The client assertion signature is invalid.');
      if (Number(claims.exp) * 1000 < Date.now())
        return aadError(401, 'invalid_client', 'AADSTS700024', 'Client assertion is not within its valid time range.');
      const presented = `Assertion Issuer: '${claims.iss}'. Assertion Subject: '${claims.sub}'. Assertion Audience: '${claims.aud}'.`;
      if (claims.iss !== fed.issuer)
        return aadError(
          400,
          'invalid_request',
          'AADSTS70021',
          `No matching federated identity record found for presented assertion. ${presented}`,
        );
      if (claims.sub !== fed.subject)
        return aadError(
          400,
          'invalid_client',
          'AADSTS700213',
          `No matching federated identity record found for presented assertion subject '${claims.sub}'. ${presented}`,
        );
      if (claims.aud !== fed.audience)
        return aadError(
          400,
          'invalid_client',
          'AADSTS7002138',
          `No matching federated identity record found for presented assertion audience '${claims.aud}'. ${presented}`,
        );
    } else if (options.clientSecret === undefined || form.client_secret !== options.clientSecret) {
      return aadError(
        401,
        'invalid_client',
        'AADSTS7000215',
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
      );
    }
    const now = Math.floor(Date.now() / 1000);
    const lifetime = options.lifetimeSeconds ?? 3599;
    const token = signJwt(
      {
        aud: options.scope.replace('/.default', ''),
        iss: `https://sts.windows.net/${options.tenant}/`,
        iat: now,
        nbf: now,
        exp: now + lifetime,
        appid: options.clientId,
        idtyp: 'app',
        roles: options.roles ?? ['Exchange.ManageAsApp'],
        ...(options.wids !== undefined ? { wids: options.wids } : {}),
        tid: options.tenant,
      },
      privateKey,
      'entra-test-key',
    );
    issued.push(token);
    return {
      status: 200,
      json: options.omitExpiresIn
        ? { token_type: 'Bearer', access_token: token }
        : { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token },
    };
  }
  base = `https://${options.publicHost ?? host}`;
  return { host, requests, issued, close: () => closeServer(server) };
}
