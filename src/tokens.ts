// Token flows: GitHub OIDC (workload identity federation) and client secret, exchanged
// with Entra ID through MSAL for the cloud's Exchange scope. Every token is masked
// before anything else touches it, and is passed to PowerShell only as data.

import * as core from './actions-core.js';
import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import { decodeClaims, GUID, type Credentials } from './auth.js';
import type { Settings, Target } from './inputs.js';
import { directoryRoles, directoryRoleWarning } from './directory-roles.js';
import { hostKey } from './endpoints.js';
import { findHint, type HintContext } from './hints.js';
import { HintedError, OIDC_PERMISSIONS } from './errors.js';
import { counted, oneLine } from './log-text.js';
import { maskSecret, redact } from './secrets.js';
import { acceptedAudiences, audienceHint, judgeAudience } from './token-audience.js';
import type { Unreached } from './token-network.js';

export const MANAGE_AS_APP = 'Exchange.ManageAsApp';

export class TokenError extends HintedError {}

/**
 * A failure of the OIDC half of the oidc token request, with what requestToken judges a retry by, as
 * for Entra ID's answers: the status and its Retry-After, or whether an unanswered request was
 * transient (a time-out, a reset).
 */
class GitHubTokenError extends TokenError {
  constructor(
    message: string,
    hint: string | null,
    readonly status: number | null,
    readonly retryAfterMs: number | null,
    readonly transient = false,
  ) {
    super(message, hint);
  }
}

export interface IssuedToken {
  token: string;
  expiresAt: Date | null;
}

export interface ConnectCredentials {
  /** One credential for each of settings.targets, in order: a token is issued for one workload. */
  perTarget: Credentials[];
  /** The directory roles (`wids`) the token carried, by name; null without a token or the claim. */
  directoryRoles: string[] | null;
}

/** Waits a retry's delay; rejects, at once, when the run is cancelled or times out meanwhile. */
export type RetryWait = (ms: number) => Promise<void>;

const sleep: RetryWait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The credentials the runner receives: token flows become an access token for each workload here. */
export async function connectCredentials(settings: Settings, wait: RetryWait = sleep): Promise<ConnectCredentials> {
  const { credentials } = settings;
  if (credentials.kind !== 'oidc' && credentials.kind !== 'client-secret') {
    if (credentials.kind !== 'access-token')
      return { perTarget: settings.targets.map(() => credentials), directoryRoles: null };
    // The audience first: a Graph token lacks Exchange.ManageAsApp too, but the role is not its fault.
    checkAudience(credentials.token, settings);
    checkAppToken(credentials.token, tokenContext(settings, settings.target));
    describeLifetime(credentials.expiresAt, settings.scriptTimeoutMs);
    return { perTarget: [credentials], directoryRoles: checkDirectoryRoles(credentials.token, settings.target) };
  }
  if (credentials.kind === 'client-secret') warnIfSecretId(credentials.secret);
  const perTarget: Credentials[] = [];
  let roles: string[] | null = null;
  for (const target of settings.targets) {
    const issued = await requestToken(settings, target, wait);
    describeLifetime(issued.expiresAt, settings.scriptTimeoutMs);
    roles = checkDirectoryRoles(issued.token, target) ?? roles;
    perTarget.push({ kind: 'access-token', token: issued.token, expiresAt: issued.expiresAt });
  }
  return { perTarget, directoryRoles: roles };
}

/** Warns before the connect when the token's directory roles cannot open `target`; never fails on them alone. */
function checkDirectoryRoles(token: string, target: Target): string[] | null {
  const claims = decodeClaims(token);
  const warning = directoryRoleWarning(claims, target);
  if (warning !== null) core.warning(warning);
  return directoryRoles(claims);
}

export function tokenScope(settings: Settings, target: Target = settings.target): string {
  if (target === 'security-compliance' && settings.endpoints.complianceScope !== null)
    return settings.endpoints.complianceScope;
  // A connection-uri on the cloud's Exchange Online ConnectionUri host, where that is not its
  // scope's host, asks for a token for that host: in DoD, public sources disagree on which of the
  // two the resource is (endpoints.ts).
  if (settings.connectionUriOverridden && settings.connectionUri !== null) {
    const host = hostKey(new URL(settings.connectionUri).hostname);
    if (host === hostKey(new URL(settings.endpoints.exchangeConnectionUri).hostname)) return `https://${host}/.default`;
  }
  return settings.endpoints.exchangeScope;
}

/**
 * Entra ID's answers that ask to be tried again: throttling (HTTP 429), a server error (5xx), and
 * the codes of a transient error and of a throttled tenant, whatever the status
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
 */
export function isTransientTokenFailure(status: number | null, message: string): boolean {
  return (
    status === 429 ||
    (status !== null && status >= 500) ||
    /\bAADSTS(90033|90055)\b|temporarily_unavailable/.test(message)
  );
}

/** A retry's delay: the server's Retry-After (at most a minute), else exponential backoff with jitter, as the connect's. */
export function retryDelayMs(attempt: number, retryAfterMs: number | null, random: () => number = Math.random): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, 60_000);
  return 2 ** attempt * 1000 + Math.floor(random() * 500);
}

/** Requests the token, again after a transient failure, as connect-retries allows for the connect. */
async function requestToken(settings: Settings, target: Target, wait: RetryWait): Promise<IssuedToken> {
  const retries = settings.connectRetries;
  for (let attempt = 0; ; attempt++) {
    const tried = await tryTokenRequest(settings, target);
    if (!('failure' in tried)) return tried;
    const { failure, status, retryAfterMs } = tried;
    const transient = tried.transient === true || isTransientTokenFailure(status, failure.message);
    if (attempt >= retries || !transient)
      throw transient ? transientError(failure, status, attempt, tokenContext(settings, target)) : failure;
    const delay = retryDelayMs(attempt, retryAfterMs);
    core.info(
      oneLine(
        redact(
          `The token request failed with a transient error${status === null ? '' : ` (HTTP ${status})`}; retry ${attempt + 1} of ${retries} in ${delay} ms: ${failure.message}`,
        ),
      ),
    );
    await wait(delay);
  }
}

/**
 * A transient failure that outlasted connect-retries: Entra ID's answer is not a refusal, whatever
 * MSAL called it. One that never reached Entra ID (a proxy's error page) keeps its own words.
 */
function transientError(failure: TokenError, status: number | null, retries: number, context: HintContext): TokenError {
  const after = retries === 0 ? '' : ` (${counted(retries, 'retry', 'retries')} made)`;
  const refused = 'Entra ID refused the token request: ';
  if (!failure.message.startsWith(refused)) return new TokenError(`${failure.message}${after}`, failure.hint);
  const message = `Entra ID answered the token request with a transient error${status === null ? '' : ` (HTTP ${status})`}${after}: ${failure.message.slice(refused.length)}`;
  return new TokenError(message, findHint(message, context)?.hint ?? failure.hint);
}

/**
 * The tenant's endpoints as Entra ID's OpenID configuration names them, given to MSAL so that it
 * reads none: a configuration that named a token endpoint on another host (a gateway that passes
 * Entra ID's on) would send the secret or the assertion there, past authority-host.
 * https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri
 */
function authorityMetadata(authority: string): string {
  return JSON.stringify({
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    issuer: `${authority}/v2.0`,
    jwks_uri: `${authority}/discovery/v2.0/keys`,
  });
}

/** For an answer without Entra ID's error codes: a gateway or proxy in front of it answered. */
const NOT_ENTRA_HINT =
  "The answer is not Entra ID's (it has no AADSTS code): a proxy, gateway or firewall between the runner and the authority answered in its place. Check authority-host (empty for the environment's own Entra ID), and https_proxy and no_proxy in the runner's environment.";

/** One token request: the token, or the failure explained, with the answer's status and Retry-After. */
async function tryTokenRequest(
  settings: Settings,
  target: Target,
): Promise<
  IssuedToken | { failure: TokenError; status: number | null; retryAfterMs: number | null; transient?: boolean }
> {
  const credentials = settings.credentials as Extract<Credentials, { kind: 'oidc' | 'client-secret' }>;
  const context = tokenContext(settings, target);
  const authority = `https://${settings.authorityHost}/${settings.tenantId}`;
  const scope = tokenScope(settings, target);
  let assertion: string | null = null;
  if (credentials.kind === 'oidc') {
    try {
      assertion = await githubToken(credentials.audience, context);
    } catch (error) {
      if (!(error instanceof GitHubTokenError)) throw error;
      return { failure: error, status: error.status, retryAfterMs: error.retryAfterMs, transient: error.transient };
    }
  }
  // Loaded here only: @actions/http-client brings undici, which other auth methods do not need.
  const { ProxyAwareNetworkClient } = await import('./token-network.js');
  const network = new ProxyAwareNetworkClient(settings.authorityHost);
  // An application of its own for each attempt: MSAL holds back a request that was answered 429
  // or 5xx for the answer's Retry-After (60 s without one) in the application's cache.
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: credentials.clientId,
      authority,
      knownAuthorities: [settings.authorityHost],
      authorityMetadata: authorityMetadata(authority),
      ...(assertion !== null
        ? { clientAssertion: assertion }
        : { clientSecret: credentials.kind === 'client-secret' ? credentials.secret : '' }),
    },
    system: {
      networkClient: network,
      loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => undefined },
    },
  });
  core.info(`Requesting a token for ${scope} from ${authority} (${credentials.kind}).`);
  let result;
  try {
    result = await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: true });
  } catch (error) {
    const failure =
      network.unreached !== null
        ? unreachedError(network.unreached, context)
        : explainEntraError(error, assertion, context, network.lastErrorDescription, {
            status: network.lastStatus,
            text: network.lastAnswer,
          });
    const transient = network.unreached?.transient === true;
    return { failure, status: network.lastStatus, retryAfterMs: network.retryAfterMs, transient };
  }
  if (result === null || !result.accessToken) {
    const answer = network.lastAnswer === null ? '' : `: ${limitText(oneLine(redact(network.lastAnswer)), 500)}`;
    throw new TokenError(
      `Entra ID returned no access token: HTTP ${network.lastStatus ?? '?'} from ${settings.authorityHost}${answer}`,
      NOT_ENTRA_HINT,
    );
  }
  maskSecret(result.accessToken);
  checkAppToken(result.accessToken, context);
  return { token: result.accessToken, expiresAt: tokenExpiry(result.accessToken, result.expiresOn ?? null) };
}

/**
 * The job's GitHub OIDC token, asked for as GitHub documents it: a GET of the request URL with the
 * request token as a bearer token and the audience added
 * (https://docs.github.com/actions/reference/security/oidc#methods-for-requesting-the-oidc-token).
 * Not through @actions/core's getIDToken: its client follows redirects, carrying the request token
 * to wherever one points, and waits for the answer's body without limit (docs/decisions/0011).
 */
async function githubToken(audience: string, context: HintContext): Promise<string> {
  const requestUrl = process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl) {
    throw new TokenError(
      'GitHub did not give this job an OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set).',
      ID_TOKEN_PERMISSION_HINT,
    );
  }
  if (!requestToken) {
    throw new TokenError(
      "GitHub gave this job the OIDC token's request URL but not its request token (ACTIONS_ID_TOKEN_REQUEST_TOKEN is empty).",
      'The runner sets both when the job has id-token: write. A step before this one may have changed or cleared ACTIONS_ID_TOKEN_REQUEST_TOKEN (in env: or GITHUB_ENV): leave it as the runner sets it.',
    );
  }
  // GitHub's answers can quote the request token; the runner masks it only if it was told to.
  maskSecret(requestToken);
  const { HttpClient } = await import('@actions/http-client');
  const { readBodyWithin, retryAfter, TOKEN_REQUEST_TIMEOUT_MS, unreachedBy } = await import('./token-network.js');
  const url = new URL(requestUrl);
  url.searchParams.set('audience', audience);
  const client = new HttpClient('exo-connect-action', [], {
    allowRedirects: false,
    socketTimeout: TOKEN_REQUEST_TIMEOUT_MS,
  });
  let status: number;
  let text: string;
  let retryAfterMs: number | null;
  try {
    const response = await client.get(url.href, {
      Authorization: `Bearer ${requestToken}`,
      Accept: 'application/json',
    });
    status = response.message.statusCode ?? 0;
    const header = response.message.headers['retry-after'];
    retryAfterMs = retryAfter(Array.isArray(header) ? header[0] : header);
    text = await readBodyWithin(response.message, TOKEN_REQUEST_TIMEOUT_MS);
  } catch (error) {
    const unreached = unreachedBy(error, url.href, TOKEN_REQUEST_TIMEOUT_MS);
    const failure = unreachedError(unreached, context);
    throw new GitHubTokenError(failure.message, failure.hint, null, null, unreached.transient === true);
  } finally {
    client.dispose();
  }
  let answer: { value?: unknown; message?: unknown } | null = null;
  try {
    answer = JSON.parse(text) as { value?: unknown; message?: unknown } | null;
  } catch {
    // Not JSON: reported below with the status.
  }
  if (status >= 300 && status < 400) {
    throw new TokenError(
      `Requesting the GitHub OIDC token failed: HTTP ${status}, a redirect, which is not followed.`,
      "ACTIONS_ID_TOKEN_REQUEST_URL answered with a redirect, which GitHub's token service does not do: a step before this one changed it (in env: or GITHUB_ENV), or a proxy answered in its place. Leave ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN as the runner sets them, and check https_proxy and no_proxy.",
    );
  }
  const token = answer?.value;
  if (status !== 200 || typeof token !== 'string' || token === '') {
    const said = typeof answer?.message === 'string' ? answer.message : text;
    const message = `Requesting the GitHub OIDC token failed: HTTP ${status}${said.trim() === '' ? '' : `: ${limitText(oneLine(redact(said)))}`}${status === 200 ? ' (the answer holds no token)' : ''}`;
    const hint =
      status === 401 || status === 403 || status === 404
        ? "GitHub's OIDC token service did not accept the request: its URL or request token is not the job's. The runner sets both for the job; a step before this one may have changed them (in env: or GITHUB_ENV), or a proxy answered in the service's place. Leave ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN as the runner sets them, and check https_proxy and no_proxy."
        : "GitHub's OIDC token service answered with an error. Run the job again; if it persists, check https://www.githubstatus.com.";
    // Throttling and a server error are tried again, as connect-retries allows (requestToken).
    throw new GitHubTokenError(message, hint, status, retryAfterMs);
  }
  maskSecret(token);
  return token;
}

/** Text a server wrote, short enough for an annotation and the job summary (GitHub takes 1 MiB of summary). */
function limitText(text: string, limit = 2000): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length - limit} more characters)`;
}

/** A token request's errors: before PowerShell starts, for one workload. */
function tokenContext(settings: Settings, target: Target): HintContext {
  return { phase: 'token', targets: [target], auth: settings.auth };
}

/** The authority (or GitHub's token service) was not reached: DNS, a proxy, a firewall or TLS. */
function unreachedError(unreached: Unreached, context: HintContext): TokenError {
  if (unreached.answered === true)
    return new TokenError(`${unreached.host} answered, but not as Entra ID does: ${unreached.reason}`, NOT_ENTRA_HINT);
  const message = `Could not reach ${unreached.host}: ${unreached.reason}`;
  return new TokenError(message, findHint(message, context)?.hint ?? null);
}

/** A secret's Secret ID is a GUID and its Value is not: the ID pasted by mistake fails as AADSTS7000215. */
function warnIfSecretId(secret: string): void {
  if (!GUID.test(secret)) return;
  core.warning(
    "Input 'client-secret' has the form of a GUID, which is what a client secret's Secret ID looks like. " +
      'Entra ID expects the Value (shown once, when the secret is created under Certificates & secrets); secret values are not GUIDs.',
  );
}

/** Refuses a token for another API or cloud before PowerShell starts; warns about an unknown one. */
function checkAudience(token: string, settings: Settings): void {
  const aud = decodeClaims(token)?.aud;
  // Entra ID issues a single string; a token without one is left to Exchange to judge.
  if (typeof aud !== 'string') return;
  const verdict = judgeAudience(aud, settings.environment, settings.target);
  if (verdict.action === 'accept') return;
  const accepted = acceptedAudiences(settings.environment, settings.target);
  const hint = audienceHint(settings.environment, settings.target);
  if (verdict.action === 'refuse')
    throw new TokenError(`Input 'access-token': ${verdict.problem}. Accepted: ${accepted}.`, hint);
  core.warning(`Input 'access-token': ${verdict.problem}. Expected: ${accepted}. If the connect fails: ${hint}`);
}

export const ID_TOKEN_PERMISSION_HINT = [
  'Give the job permission to request an OIDC token:',
  OIDC_PERMISSIONS,
  'Pull requests from forks never receive one.',
].join('\n');

/** An app-only token (no `scp`) must carry Exchange.ManageAsApp, or Exchange refuses it. */
export function checkAppToken(token: string, context: HintContext): void {
  const claims = decodeClaims(token);
  if (claims === null || claims.scp !== undefined) return;
  const roles = Array.isArray(claims.roles) ? (claims.roles as unknown[]) : [];
  if (!roles.includes(MANAGE_AS_APP)) {
    throw new TokenError(
      `The access token has no ${MANAGE_AS_APP} role (roles: ${roles.length === 0 ? 'none' : roles.join(', ')}).`,
      findHint(MANAGE_AS_APP, context)?.hint ?? null,
    );
  }
}

function explainEntraError(
  error: unknown,
  assertion: string | null,
  context: HintContext,
  answered: string | null = null,
  answer: { status: number | null; text: string | null } | null = null,
): TokenError {
  const e = error as { errorCode?: string; errorMessage?: string; message?: string };
  // Redacted before the first line is taken and before the cut: a secret wrapped onto the next
  // line, or cut through, would leave a piece that no mask matches.
  let full = redact(e.errorMessage || e.message || String(error))
    .split('\n')[0]!
    .trim();
  // MSAL reports a failed metadata request (an unknown tenant: AADSTS90002) as
  // endpoints_resolution_error, without Entra ID's words; the network client kept them.
  if (!full.includes('AADSTS') && answered !== null && answered.includes('AADSTS'))
    full = redact(answered).split('\n')[0]!.trim();
  // An error without Entra ID's codes ({"error":"invalid_client"} alone, a gateway's JSON): MSAL
  // words it as "Error(s): Not Available"; the answer itself says more.
  if (!full.includes('AADSTS') && answer !== null && answer.text !== null)
    return new TokenError(
      `Entra ID refused the token request: HTTP ${answer.status ?? '?'}: ${limitText(oneLine(redact(answer.text)), 500)}`,
      NOT_ENTRA_HINT,
    );
  full = limitText(oneLine(full));
  // MSAL prefixes Entra's text with "Error(s): … - Description:"; the AADSTS part is what people search for.
  const message = full.includes('AADSTS') ? full.slice(full.indexOf('AADSTS')) : full;
  let hint = findHint(message, context)?.hint ?? null;
  if (assertion !== null && /AADSTS(70021|700213|7002138|700212|700211)\b/.test(message)) {
    const claims = decodeClaims(assertion) ?? {};
    hint = [
      hint,
      'The GitHub token presented:',
      `  issuer:   ${String(claims.iss)}`,
      `  subject:  ${String(claims.sub)}`,
      `  audience: ${String(claims.aud)}`,
      'Add a federated credential on the app registration with exactly this issuer, subject and audience',
      '(Entra ID > App registrations > your app > Certificates & secrets > Federated credentials).',
    ]
      .filter((line) => line !== null)
      .join('\n');
  }
  return new TokenError(`Entra ID refused the token request: ${message}`, hint);
}

/**
 * When an issued token expires: its own exp claim, which Entra ID writes in every access token.
 * MSAL's expiresOn comes from the answer's expires_in, which it takes for 0 when a gateway in
 * front of Entra ID leaves the field out.
 */
function tokenExpiry(token: string, expiresOn: Date | null): Date | null {
  const exp = decodeClaims(token)?.exp;
  return typeof exp === 'number' ? new Date(exp * 1000) : expiresOn;
}

function describeLifetime(expiresAt: Date | null, scriptTimeoutMs: number | null): void {
  if (expiresAt === null) return;
  const remainingMs = expiresAt.getTime() - Date.now();
  const minutes = Math.round(remainingMs / 60_000);
  core.info(`Access token expires at ${expiresAt.toISOString()} (in ${minutes} minutes).`);
  const advice =
    'Exchange refuses calls after that; certificate authentication, which the module refreshes itself, has no such limit.';
  if (scriptTimeoutMs !== null && scriptTimeoutMs > remainingMs) {
    core.warning(
      `script-timeout allows the script to run longer than the access token lives (${minutes} minutes). ${advice}`,
    );
  } else if (minutes < 15) {
    core.warning(`The access token lives only ${minutes} more minutes. ${advice}`);
  }
}
