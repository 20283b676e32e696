// MSAL's network client, on @actions/http-client so that token requests follow the runner's
// https_proxy and no_proxy as the toolkit's own requests do. MSAL Node 5 and later send with Node's
// fetch, which ignores those variables, and ask for a network client of one's own instead
// (https://learn.microsoft.com/entra/msal/javascript/node/v5-migration). GitHub documents the
// variables for self-hosted runners behind a proxy:
// https://docs.github.com/actions/hosting-your-own-runners/managing-self-hosted-runners/using-a-proxy-server-with-self-hosted-runners

import type { IncomingMessage } from 'node:http';
import { HttpClient, getProxyUrl } from '@actions/http-client';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/**
 * How long a token request may go without a byte of its answer. MSAL gives a timeout to some GET
 * requests only, and @actions/http-client then waits three minutes for the headers, and for the
 * body without limit (its readBody resolves only at the body's end).
 */
export const TOKEN_REQUEST_TIMEOUT_MS = 30_000;

/** The words of a request that went quiet: the host took it, and then said nothing for that long. */
const noAnswerWithin = (ms: number): string => `no answer within ${ms / 1000} s`;

/**
 * An answer's body, or an error when it stops coming for `ms`, is not whole within twice that, or
 * the connection breaks off. The
 * toolkit's readBody waits for the body's end alone, so a server that stalls after the headers,
 * or resets the connection, would leave the step waiting for ever.
 */
export async function readBodyWithin(message: IncomingMessage, ms: number): Promise<string> {
  message.setTimeout(ms, () => message.destroy(new Error(noAnswerWithin(ms))));
  // A server that sends a byte now and then never goes quiet for `ms`: the whole body gets twice that.
  const whole = setTimeout(() => message.destroy(new Error(`no whole answer within ${(2 * ms) / 1000} s`)), 2 * ms);
  message.setEncoding('utf8');
  let body = '';
  try {
    for await (const chunk of message) {
      body += chunk as string;
      // A token answer is a few kilobytes; one far larger is no service's, and would fill memory.
      if (body.length > MAX_ANSWER_CHARS)
        message.destroy(new Error(`an answer longer than ${MAX_ANSWER_CHARS / 1_000_000} million characters`));
    }
  } finally {
    clearTimeout(whole);
  }
  return body;
}

/** The longest answer read from Entra ID or GitHub's token service. */
export const MAX_ANSWER_CHARS = 1_000_000;

/** A request that got no answer from its host, or an answer that is not JSON. */
export interface Unreached {
  host: string;
  reason: string;
  /** The host answered, with something that is not JSON (a proxy's page, a redirect). */
  answered?: boolean;
  /** Worth another try, as connect-retries allows: the host went quiet, or broke the connection off. */
  transient?: boolean;
}

export class ProxyAwareNetworkClient implements INetworkModule {
  /** @param host The only host requests may go to (host and port): the authority's. */
  constructor(private readonly host: string) {}

  /**
   * The last request that did not reach its host. MSAL drops the cause of some failures (the
   * authority's metadata request ends as "endpoints_resolution_error"), so it is kept here.
   */
  unreached: Unreached | null = null;
  /** The HTTP status of the last answer, and its Retry-After in ms (null without one): a transient failure is retried. */
  lastStatus: number | null = null;
  retryAfterMs: number | null = null;
  /** Entra ID's error_description in the last answer that was an error: MSAL drops it from a metadata request's failure. */
  lastErrorDescription: string | null = null;
  /** The last answer's text, for a failure MSAL words without it (an answer that is not Entra ID's). */
  lastAnswer: string | null = null;

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeoutMs?: number,
  ): Promise<NetworkResponse<T>> {
    // No redirects: a redirected POST would carry the client secret or assertion to another host.
    // MSAL passes a timeout only with some GET requests; the toolkit applies it to the socket.
    const client = new HttpClient('exo-connect-action', [], {
      allowRedirects: false,
      socketTimeout: timeoutMs || TOKEN_REQUEST_TIMEOUT_MS,
    });
    const host = new URL(url).host;
    this.unreached = null;
    this.lastStatus = null;
    this.retryAfterMs = null;
    this.lastErrorDescription = null;
    this.lastAnswer = null;
    // The secret or the assertion goes to the authority only, whatever an answer names.
    if (host.toLowerCase() !== this.host.toLowerCase()) {
      client.dispose();
      throw new Error(`a request to ${host} was refused: token requests go to ${this.host} only`);
    }
    let status: number;
    let headers: Record<string, string>;
    let text: string;
    try {
      const response = await client.request(method, url, method === 'POST' ? (options?.body ?? '') : null, {
        ...options?.headers,
      });
      status = response.message.statusCode ?? 0;
      headers = Object.fromEntries(
        Object.entries(response.message.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(', ') : (value ?? ''),
        ]),
      );
      text = await readBodyWithin(response.message, timeoutMs || TOKEN_REQUEST_TIMEOUT_MS);
      this.lastStatus = status;
      this.lastAnswer = text;
      this.retryAfterMs = retryAfter(headers['retry-after']);
    } catch (error) {
      this.unreached = unreachedBy(error, url, timeoutMs || TOKEN_REQUEST_TIMEOUT_MS);
      throw error;
    } finally {
      client.dispose();
    }
    // Entra ID does not redirect a token request; what does is something in between.
    if (status >= 300 && status < 400) {
      this.unreached = {
        host,
        reason: `the answer is HTTP ${status}, a redirect to ${headers.location ?? 'no location'}, which is not followed: something in between answered (${describeRoute(url)})`,
        answered: true,
      };
      throw new Error(`${host} answered HTTP ${status}, a redirect`);
    }
    try {
      const body = JSON.parse(text) as T;
      const description = (body as { error_description?: unknown } | null)?.error_description;
      if (status > 299 && typeof description === 'string') this.lastErrorDescription = description;
      return { headers, body, status };
    } catch {
      const type = headers['content-type'] ?? 'no content type';
      this.unreached = {
        host,
        reason: `the answer (HTTP ${status}, ${type}) is not JSON, so not Entra ID's: something in between answered (${describeRoute(url)})`,
        answered: true,
      };
      throw new Error(`${host} answered HTTP ${status} with something other than JSON`);
    }
  }
}

/** Retry-After in ms: delta-seconds or an HTTP date (RFC 9110, section 10.2.3); null when absent or unreadable. */
export function retryAfter(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  // Only an HTTP date (IMF-fixdate, in GMT): V8 reads "1.5" or "-1" as dates too.
  if (!/GMT$/.test(value.trim())) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/**
 * A request that got no whole answer (DNS, a proxy, a firewall, TLS, or silence for longer than
 * `ms`): its host, and why, with the way the request went.
 */
export function unreachedBy(error: unknown, url: string, ms: number): Unreached {
  const message = (error as Error).message;
  const reason = /^Request timeout/.test(message) ? noAnswerWithin(ms) : message;
  const code = (error as NodeJS.ErrnoException).code;
  // Not a name that does not resolve, a refused connection, a proxy that refuses the tunnel (which
  // the toolkit reports as ECONNRESET too) or TLS: those are the setup's.
  const transient =
    /^(Request timeout|no answer within|no whole answer within)/.test(message) ||
    ((code === 'ECONNRESET' || code === 'EPIPE') && !/^tunneling socket/.test(message));
  return { host: new URL(url).host, reason: `${reason} (${describeRoute(url)})`, transient };
}

/** How the request went: through which proxy (its origin, without user name and password), or directly. */
export function describeRoute(url: string): string {
  const proxy = getProxyUrl(url);
  if (!proxy) {
    return process.env.https_proxy || process.env.HTTPS_PROXY
      ? 'sent directly: no_proxy lists this host, or it is a loopback address'
      : 'sent directly: https_proxy is not set';
  }
  // A value without a scheme (proxy.corp:8080) parses as a URL of scheme "proxy.corp:": the
  // toolkit then sends nowhere. Its text is not repeated: user:password@ would be in it.
  let parsed: URL | null;
  try {
    parsed = new URL(proxy);
  } catch {
    parsed = null;
  }
  if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '')
    return 'through https_proxy, which is not an http:// URL: write it as http://host:port';
  return `through the proxy ${parsed.origin}`;
}
