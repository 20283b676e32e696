export const id = 17;
export const ids = [17];
export const modules = {

/***/ 7017:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ProxyAwareNetworkClient: () => (/* binding */ ProxyAwareNetworkClient),
/* harmony export */   TOKEN_REQUEST_TIMEOUT_MS: () => (/* binding */ TOKEN_REQUEST_TIMEOUT_MS),
/* harmony export */   readBodyWithin: () => (/* binding */ readBodyWithin),
/* harmony export */   unreachedBy: () => (/* binding */ unreachedBy)
/* harmony export */ });
/* unused harmony exports MAX_ANSWER_CHARS, retryAfter, describeRoute */
/* harmony import */ var _actions_http_client__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4942);
// MSAL's network client, on @actions/http-client so that token requests follow the runner's
// https_proxy and no_proxy as the toolkit's own requests do. MSAL Node 5 and later send with Node's
// fetch, which ignores those variables, and ask for a network client of one's own instead
// (https://learn.microsoft.com/entra/msal/javascript/node/v5-migration). GitHub documents the
// variables for self-hosted runners behind a proxy:
// https://docs.github.com/actions/hosting-your-own-runners/managing-self-hosted-runners/using-a-proxy-server-with-self-hosted-runners

/**
 * How long a token request may go without a byte of its answer. MSAL gives a timeout to some GET
 * requests only, and @actions/http-client then waits three minutes for the headers, and for the
 * body without limit (its readBody resolves only at the body's end).
 */
const TOKEN_REQUEST_TIMEOUT_MS = 30_000;
/** The words of a request that went quiet: the host took it, and then said nothing for that long. */
const noAnswerWithin = (ms) => `no answer within ${ms / 1000} s`;
/**
 * An answer's body, or an error when it stops coming for `ms`, is not whole within twice that, or
 * the connection breaks off. The
 * toolkit's readBody waits for the body's end alone, so a server that stalls after the headers,
 * or resets the connection, would leave the step waiting for ever.
 */
async function readBodyWithin(message, ms) {
    message.setTimeout(ms, () => message.destroy(new Error(noAnswerWithin(ms))));
    // A server that sends a byte now and then never goes quiet for `ms`: the whole body gets twice that.
    const whole = setTimeout(() => message.destroy(new Error(`no whole answer within ${(2 * ms) / 1000} s`)), 2 * ms);
    message.setEncoding('utf8');
    let body = '';
    try {
        for await (const chunk of message) {
            body += chunk;
            // A token answer is a few kilobytes; one far larger is no service's, and would fill memory.
            if (body.length > MAX_ANSWER_CHARS)
                message.destroy(new Error(`an answer longer than ${MAX_ANSWER_CHARS / 1_000_000} million characters`));
        }
    }
    finally {
        clearTimeout(whole);
    }
    return body;
}
/** The longest answer read from Entra ID or GitHub's token service. */
const MAX_ANSWER_CHARS = 1_000_000;
class ProxyAwareNetworkClient {
    host;
    /** @param host The only host requests may go to (host and port): the authority's. */
    constructor(host) {
        this.host = host;
    }
    /**
     * The last request that did not reach its host. MSAL drops the cause of some failures (the
     * authority's metadata request ends as "endpoints_resolution_error"), so it is kept here.
     */
    unreached = null;
    /** The HTTP status of the last answer, and its Retry-After in ms (null without one): a transient failure is retried. */
    lastStatus = null;
    retryAfterMs = null;
    /** Entra ID's error_description in the last answer that was an error: MSAL drops it from a metadata request's failure. */
    lastErrorDescription = null;
    /** The last answer's text, for a failure MSAL words without it (an answer that is not Entra ID's). */
    lastAnswer = null;
    sendGetRequestAsync(url, options, timeout) {
        return this.send('GET', url, options, timeout);
    }
    sendPostRequestAsync(url, options) {
        return this.send('POST', url, options);
    }
    async send(method, url, options, timeoutMs) {
        // No redirects: a redirected POST would carry the client secret or assertion to another host.
        // MSAL passes a timeout only with some GET requests; the toolkit applies it to the socket.
        const client = new _actions_http_client__WEBPACK_IMPORTED_MODULE_0__.HttpClient('exo-connect-action', [], {
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
        let status;
        let headers;
        let text;
        try {
            const response = await client.request(method, url, method === 'POST' ? (options?.body ?? '') : null, {
                ...options?.headers,
            });
            status = response.message.statusCode ?? 0;
            headers = Object.fromEntries(Object.entries(response.message.headers).map(([name, value]) => [
                name,
                Array.isArray(value) ? value.join(', ') : (value ?? ''),
            ]));
            text = await readBodyWithin(response.message, timeoutMs || TOKEN_REQUEST_TIMEOUT_MS);
            this.lastStatus = status;
            this.lastAnswer = text;
            this.retryAfterMs = retryAfter(headers['retry-after']);
        }
        catch (error) {
            this.unreached = unreachedBy(error, url, timeoutMs || TOKEN_REQUEST_TIMEOUT_MS);
            throw error;
        }
        finally {
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
            const body = JSON.parse(text);
            const description = body?.error_description;
            if (status > 299 && typeof description === 'string')
                this.lastErrorDescription = description;
            return { headers, body, status };
        }
        catch {
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
function retryAfter(value) {
    if (value === undefined || value.trim() === '')
        return null;
    if (/^\d+$/.test(value.trim()))
        return Number(value.trim()) * 1000;
    // Only an HTTP date (IMF-fixdate, in GMT): V8 reads "1.5" or "-1" as dates too.
    if (!/GMT$/.test(value.trim()))
        return null;
    const at = Date.parse(value);
    return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}
/**
 * A request that got no whole answer (DNS, a proxy, a firewall, TLS, or silence for longer than
 * `ms`): its host, and why, with the way the request went.
 */
function unreachedBy(error, url, ms) {
    const message = error.message;
    const reason = /^Request timeout/.test(message) ? noAnswerWithin(ms) : message;
    return { host: new URL(url).host, reason: `${reason} (${describeRoute(url)})` };
}
/** How the request went: through which proxy (its origin, without user name and password), or directly. */
function describeRoute(url) {
    const proxy = (0,_actions_http_client__WEBPACK_IMPORTED_MODULE_0__/* .getProxyUrl */ .s_)(url);
    if (!proxy) {
        return process.env.https_proxy || process.env.HTTPS_PROXY
            ? 'sent directly: no_proxy lists this host, or it is a loopback address'
            : 'sent directly: https_proxy is not set';
    }
    // A value without a scheme (proxy.corp:8080) parses as a URL of scheme "proxy.corp:": the
    // toolkit then sends nowhere. Its text is not repeated: user:password@ would be in it.
    let parsed;
    try {
        parsed = new URL(proxy);
    }
    catch {
        parsed = null;
    }
    if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '')
        return 'through https_proxy, which is not an http:// URL: write it as http://host:port';
    return `through the proxy ${parsed.origin}`;
}


/***/ })

};
