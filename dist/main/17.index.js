export const id = 17;
export const ids = [17];
export const modules = {

/***/ 7017:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ProxyAwareNetworkClient: () => (/* binding */ ProxyAwareNetworkClient),
/* harmony export */   TOKEN_REQUEST_TIMEOUT_MS: () => (/* binding */ TOKEN_REQUEST_TIMEOUT_MS),
/* harmony export */   readBodyWithin: () => (/* binding */ readBodyWithin),
/* harmony export */   retryAfter: () => (/* binding */ retryAfter),
/* harmony export */   unreachedBy: () => (/* binding */ unreachedBy)
/* harmony export */ });
/* unused harmony exports MAX_ANSWER_CHARS, describeRoute */
/* harmony import */ var _actions_http_client__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4942);

const TOKEN_REQUEST_TIMEOUT_MS = 30_000;
const noAnswerWithin = (ms) => `no answer within ${ms / 1000} s`;
async function readBodyWithin(message, ms) {
    message.setTimeout(ms, () => message.destroy(new Error(noAnswerWithin(ms))));
    const whole = setTimeout(() => message.destroy(new Error(`no whole answer within ${(2 * ms) / 1000} s`)), 2 * ms);
    message.setEncoding('utf8');
    let body = '';
    try {
        for await (const chunk of message) {
            body += chunk;
            if (body.length > MAX_ANSWER_CHARS)
                message.destroy(new Error(`an answer longer than ${MAX_ANSWER_CHARS / 1_000_000} million characters`));
        }
    }
    finally {
        clearTimeout(whole);
    }
    return body;
}
const MAX_ANSWER_CHARS = 1_000_000;
class ProxyAwareNetworkClient {
    host;
    constructor(host) {
        this.host = host;
    }
    unreached = null;
    lastStatus = null;
    retryAfterMs = null;
    lastErrorDescription = null;
    lastAnswer = null;
    sendGetRequestAsync(url, options, timeout) {
        return this.send('GET', url, options, timeout);
    }
    sendPostRequestAsync(url, options) {
        return this.send('POST', url, options);
    }
    async send(method, url, options, timeoutMs) {
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
function retryAfter(value) {
    if (value === undefined || value.trim() === '')
        return null;
    if (/^\d+$/.test(value.trim()))
        return Number(value.trim()) * 1000;
    if (!/GMT$/.test(value.trim()))
        return null;
    const at = Date.parse(value);
    return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}
function unreachedBy(error, url, ms) {
    const message = error.message;
    const reason = /^Request timeout/.test(message) ? noAnswerWithin(ms) : message;
    const code = error.code;
    const transient = /^(Request timeout|no answer within|no whole answer within)/.test(message) ||
        ((code === 'ECONNRESET' || code === 'EPIPE') && !/^tunneling socket/.test(message));
    return { host: new URL(url).host, reason: `${reason} (${describeRoute(url)})`, transient };
}
function describeRoute(url) {
    const proxy = (0,_actions_http_client__WEBPACK_IMPORTED_MODULE_0__/* .getProxyUrl */ .s_)(url);
    if (!proxy) {
        return process.env.https_proxy || process.env.HTTPS_PROXY
            ? 'sent directly: no_proxy lists this host, or it is a loopback address'
            : 'sent directly: https_proxy is not set';
    }
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
