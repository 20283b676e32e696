export const id = 146;
export const ids = [146];
export const modules = {

/***/ 3146:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  connectCredentials: () => (/* binding */ connectCredentials)
});

// UNUSED EXPORTS: ID_TOKEN_PERMISSION_HINT, MANAGE_AS_APP, TokenError, checkAppToken, isTransientTokenFailure, retryDelayMs, tokenScope

// EXTERNAL MODULE: ./lib/actions-core.js
var actions_core = __webpack_require__(7950);
// EXTERNAL MODULE: ./node_modules/@azure/msal-node/dist/index.mjs + 115 modules
var dist = __webpack_require__(2669);
// EXTERNAL MODULE: ./lib/auth.js
var auth = __webpack_require__(5953);
;// CONCATENATED MODULE: ./lib/directory-roles.js
const ROLES = {
    '17315797-102d-40b4-93e0-432062caca18': {
        name: 'Compliance Administrator',
        workloads: ['exchange-online', 'security-compliance'],
    },
    '29232cdf-9323-42fd-ade2-1d097af3e4de': { name: 'Exchange Administrator', workloads: ['exchange-online'] },
    '31392ffb-586c-42d1-9346-e59415a2cc4e': { name: 'Exchange Recipient Administrator', workloads: ['exchange-online'] },
    '62e90394-69f5-4237-9190-012177145e10': {
        name: 'Global Administrator',
        workloads: ['exchange-online', 'security-compliance'],
    },
    'f2ef992c-3afb-46b9-b7cf-a126ee74c451': {
        name: 'Global Reader',
        workloads: ['exchange-online', 'security-compliance'],
    },
    '729827e3-9c14-49f7-bb1b-9608f156bbb8': { name: 'Helpdesk Administrator', workloads: ['exchange-online'] },
    '194ae4cb-b126-40b2-bd5b-6091b380977d': {
        name: 'Security Administrator',
        workloads: ['exchange-online', 'security-compliance'],
    },
    '5d6b6bb7-de71-4623-b4af-96380a352509': {
        name: 'Security Reader',
        workloads: ['exchange-online', 'security-compliance'],
    },
    '88d8e3e3-8f55-4a1e-953a-9b9898b8876b': { name: 'Directory Readers', workloads: [] },
    '9360feb5-f418-4baa-8175-e2a00bac4301': { name: 'Directory Writers', workloads: [] },
    'fe930be7-5e62-47db-91af-98c3a49a38b1': { name: 'User Administrator', workloads: [] },
    '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3': { name: 'Application Administrator', workloads: [] },
    '158c047a-c907-4556-b7ef-446551a6b5f7': { name: 'Cloud Application Administrator', workloads: [] },
    'f28a1f50-f6e7-4571-818b-6a12f2af6b6c': { name: 'SharePoint Administrator', workloads: [] },
    '69091246-20e8-4a56-aa4d-066075b2a7a8': { name: 'Teams Administrator', workloads: [] },
    'e6d1a23a-da11-4be4-9570-befc86d067a7': { name: 'Compliance Data Administrator', workloads: [] },
    '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f': { name: 'Security Operator', workloads: [] },
    '4a5d8f65-41da-4de4-8968-e035b65339cf': { name: 'Reports Reader', workloads: [] },
};
const TO_ASSIGN = {
    'exchange-online': 'Exchange Administrator (or Exchange Recipient Administrator for recipient tasks only)',
    'security-compliance': 'Compliance Administrator',
    'exchange-server': '',
};
function directoryRoles(claims) {
    if (claims === null)
        return null;
    const wids = claims.wids;
    if (!Array.isArray(wids))
        return [];
    return wids.map((id) => ROLES[String(id).toLowerCase()]?.name ?? String(id));
}
function directoryRoleWarning(claims, target) {
    const wids = claims?.wids;
    if (!Array.isArray(wids) || wids.length === 0 || target === 'exchange-server')
        return null;
    const fits = wids.some((id) => ROLES[String(id).toLowerCase()]?.workloads.includes(target));
    if (fits)
        return null;
    return (`The access token for ${target} carries the directory roles ${directoryRoles(claims).join(', ')}, and none of them lets an app administer ${target}; ` +
        `Exchange is likely to answer "The role assigned to application … isn't supported in this scenario". ` +
        `Assign the app ${TO_ASSIGN[target]} in Entra ID > Roles and administrators. ` +
        'If the app holds an Exchange role group through a service principal instead, this warning does not apply.');
}

// EXTERNAL MODULE: ./lib/endpoints.js
var endpoints = __webpack_require__(7489);
// EXTERNAL MODULE: ./lib/hints.js
var hints = __webpack_require__(2537);
// EXTERNAL MODULE: ./lib/errors.js
var errors = __webpack_require__(452);
// EXTERNAL MODULE: ./lib/log-text.js
var log_text = __webpack_require__(673);
// EXTERNAL MODULE: ./lib/secrets.js
var secrets = __webpack_require__(150);
;// CONCATENATED MODULE: ./lib/token-audience.js


const EXCHANGE_ONLINE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
const OTHER_APIS = [
    {
        name: 'Microsoft Graph',
        appIds: ['00000003-0000-0000-c000-000000000000'],
        hosts: ['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'],
    },
    { name: 'Azure AD Graph', appIds: ['00000002-0000-0000-c000-000000000000'], hosts: ['graph.windows.net'] },
    {
        name: 'Azure Resource Manager',
        appIds: ['797f4846-ba00-4fd7-ba43-dac1f8f63013'],
        hosts: [
            'management.azure.com',
            'management.core.windows.net',
            'management.usgovcloudapi.net',
            'management.core.usgovcloudapi.net',
            'management.chinacloudapi.cn',
            'management.core.chinacloudapi.cn',
        ],
    },
];
const AZURE_CLOUD_NAME = {
    O365Default: 'AzureCloud',
    O365USGovGCCHigh: 'AzureUSGovernment',
    O365USGovDoD: 'AzureUSGovernment',
    O365China: 'AzureChinaCloud',
};
function expectedResource(cloud, target) {
    const row = endpoints/* ENDPOINTS */.Hr[cloud];
    const scope = target === 'security-compliance' && row.complianceScope !== null ? row.complianceScope : row.exchangeScope;
    return scope.replace(/\/\.default$/, '');
}
function complianceHost(cloud) {
    const scope = endpoints/* ENDPOINTS */.Hr[cloud].complianceScope;
    return scope === null ? null : new URL(scope).hostname;
}
function audienceHost(aud) {
    try {
        const url = new URL(aud);
        return url.protocol === 'https:' || url.protocol === 'http:' ? url.hostname.toLowerCase() : null;
    }
    catch {
        return null;
    }
}
function judgeAudience(aud, cloud, target) {
    const accept = { action: 'accept', problem: '' };
    const workload = target === 'security-compliance' ? 'Security & Compliance' : 'Exchange Online';
    const unknown = {
        action: 'warn',
        problem: `the token is for a resource this action does not know (aud ${aud})`,
    };
    if (auth/* GUID */.Sm.test(aud)) {
        if (aud.toLowerCase() === EXCHANGE_ONLINE_APP_ID)
            return target === 'security-compliance' ? exchangeForCompliance(aud, cloud) : accept;
        const api = OTHER_APIS.find((a) => a.appIds.includes(aud.toLowerCase()));
        return api !== undefined
            ? { action: 'refuse', problem: `the token is for ${api.name} (aud ${aud}), not for ${workload}` }
            : unknown;
    }
    const host = audienceHost(aud);
    if (host === null)
        return unknown;
    const api = OTHER_APIS.find((a) => a.hosts.includes(host));
    if (api !== undefined)
        return { action: 'refuse', problem: `the token is for ${api.name} (aud ${aud}), not for ${workload}` };
    const compliance = complianceHost(cloud);
    if (target === 'security-compliance') {
        if (host === compliance)
            return accept;
        if ((0,endpoints/* exchangeResourceHosts */.rA)(cloud).includes(host))
            return exchangeForCompliance(aud, cloud);
    }
    else {
        if ((0,endpoints/* exchangeResourceHosts */.rA)(cloud).includes(host))
            return accept;
        if (host === compliance)
            return {
                action: 'warn',
                problem: `the token is for Security & Compliance (aud ${aud}), not for Exchange Online`,
            };
    }
    const owner = endpoints/* CLOUDS */.JJ.find((c) => c !== cloud && ((0,endpoints/* exchangeResourceHosts */.rA)(c).includes(host) || complianceHost(c) === host));
    if (owner !== undefined) {
        const problem = `the token is for ${owner}'s Exchange (aud ${aud}), but environment is ${cloud}`;
        const sameAuthority = endpoints/* ENDPOINTS */.Hr[owner].authorityHost === endpoints/* ENDPOINTS */.Hr[cloud].authorityHost;
        return { action: sameAuthority ? 'warn' : 'refuse', problem };
    }
    return unknown;
}
function exchangeForCompliance(aud, cloud) {
    return {
        action: 'warn',
        problem: `the token is for Exchange Online (aud ${aud}); for Security & Compliance this action requests tokens for ${expectedResource(cloud, 'security-compliance')}`,
    };
}
function acceptedAudiences(cloud, target) {
    const byId = target === 'security-compliance' ? '' : ` or ${EXCHANGE_ONLINE_APP_ID}`;
    return `a token for ${expectedResource(cloud, target)} (aud ${expectedResource(cloud, target)}${byId})`;
}
function audienceHint(cloud, target) {
    const resource = expectedResource(cloud, target);
    const azureCloud = AZURE_CLOUD_NAME[cloud];
    const inCloud = azureCloud === 'AzureCloud' ? '' : ` (after az cloud set --name ${azureCloud})`;
    const azEnvironment = azureCloud === 'AzureCloud' ? '' : ` (after Connect-AzAccount -Environment ${azureCloud})`;
    return [
        `Request the token for ${resource}:`,
        `  az account get-access-token --resource ${resource}${inCloud}`,
        `  Get-AzAccessToken -ResourceUrl ${resource}${azEnvironment}`,
        'Or let the action request it: auth oidc or client-secret with client-id.',
    ].join('\n');
}

;// CONCATENATED MODULE: ./lib/tokens.js










const MANAGE_AS_APP = 'Exchange.ManageAsApp';
class TokenError extends errors/* HintedError */.J_ {
}
class GitHubTokenError extends TokenError {
    status;
    retryAfterMs;
    transient;
    constructor(message, hint, status, retryAfterMs, transient = false) {
        super(message, hint);
        this.status = status;
        this.retryAfterMs = retryAfterMs;
        this.transient = transient;
    }
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function connectCredentials(settings, wait = sleep) {
    const { credentials } = settings;
    if (credentials.kind !== 'oidc' && credentials.kind !== 'client-secret') {
        if (credentials.kind !== 'access-token')
            return { perTarget: settings.targets.map(() => credentials), directoryRoles: null };
        checkAudience(credentials.token, settings);
        checkAppToken(credentials.token, tokenContext(settings, settings.target));
        describeLifetime(credentials.expiresAt, settings.scriptTimeoutMs);
        return { perTarget: [credentials], directoryRoles: checkDirectoryRoles(credentials.token, settings.target) };
    }
    if (credentials.kind === 'client-secret')
        warnIfSecretId(credentials.secret);
    const perTarget = [];
    let roles = null;
    for (const target of settings.targets) {
        const issued = await requestToken(settings, target, wait);
        describeLifetime(issued.expiresAt, settings.scriptTimeoutMs);
        roles = checkDirectoryRoles(issued.token, target) ?? roles;
        perTarget.push({ kind: 'access-token', token: issued.token, expiresAt: issued.expiresAt });
    }
    return { perTarget, directoryRoles: roles };
}
function checkDirectoryRoles(token, target) {
    const claims = (0,auth/* decodeClaims */.Yq)(token);
    const warning = directoryRoleWarning(claims, target);
    if (warning !== null)
        actions_core/* warning */.$e(warning);
    return directoryRoles(claims);
}
function tokenScope(settings, target = settings.target) {
    if (target === 'security-compliance' && settings.endpoints.complianceScope !== null)
        return settings.endpoints.complianceScope;
    if (settings.connectionUriOverridden && settings.connectionUri !== null) {
        const host = (0,endpoints/* hostKey */._9)(new URL(settings.connectionUri).hostname);
        if (host === (0,endpoints/* hostKey */._9)(new URL(settings.endpoints.exchangeConnectionUri).hostname))
            return `https://${host}/.default`;
    }
    return settings.endpoints.exchangeScope;
}
function isTransientTokenFailure(status, message) {
    return (status === 429 ||
        (status !== null && status >= 500) ||
        /\bAADSTS(90033|90055)\b|temporarily_unavailable/.test(message));
}
function retryDelayMs(attempt, retryAfterMs, random = Math.random) {
    if (retryAfterMs !== null)
        return Math.min(retryAfterMs, 60_000);
    return 2 ** attempt * 1000 + Math.floor(random() * 500);
}
async function requestToken(settings, target, wait) {
    const retries = settings.connectRetries;
    for (let attempt = 0;; attempt++) {
        const tried = await tryTokenRequest(settings, target);
        if (!('failure' in tried))
            return tried;
        const { failure, status, retryAfterMs } = tried;
        const transient = tried.transient === true || isTransientTokenFailure(status, failure.message);
        if (attempt >= retries || !transient)
            throw transient ? transientError(failure, status, attempt, tokenContext(settings, target)) : failure;
        const delay = retryDelayMs(attempt, retryAfterMs);
        actions_core/* info */.pq((0,log_text/* oneLine */.TN)((0,secrets/* redact */.E$)(`The token request failed with a transient error${status === null ? '' : ` (HTTP ${status})`}; retry ${attempt + 1} of ${retries} in ${delay} ms: ${failure.message}`)));
        await wait(delay);
    }
}
function transientError(failure, status, retries, context) {
    const after = retries === 0 ? '' : ` (${(0,log_text/* counted */.hS)(retries, 'retry', 'retries')} made)`;
    const refused = 'Entra ID refused the token request: ';
    if (!failure.message.startsWith(refused))
        return new TokenError(`${failure.message}${after}`, failure.hint);
    const message = `Entra ID answered the token request with a transient error${status === null ? '' : ` (HTTP ${status})`}${after}: ${failure.message.slice(refused.length)}`;
    return new TokenError(message, (0,hints/* findHint */.hn)(message, context)?.hint ?? failure.hint);
}
function authorityMetadata(authority) {
    return JSON.stringify({
        token_endpoint: `${authority}/oauth2/v2.0/token`,
        authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
        issuer: `${authority}/v2.0`,
        jwks_uri: `${authority}/discovery/v2.0/keys`,
    });
}
const NOT_ENTRA_HINT = "The answer is not Entra ID's (it has no AADSTS code): a proxy, gateway or firewall between the runner and the authority answered in its place. Check authority-host (empty for the environment's own Entra ID), and https_proxy and no_proxy in the runner's environment.";
async function tryTokenRequest(settings, target) {
    const credentials = settings.credentials;
    const context = tokenContext(settings, target);
    const authority = `https://${settings.authorityHost}/${settings.tenantId}`;
    const scope = tokenScope(settings, target);
    let assertion = null;
    if (credentials.kind === 'oidc') {
        try {
            assertion = await githubToken(credentials.audience, context);
        }
        catch (error) {
            if (!(error instanceof GitHubTokenError))
                throw error;
            return { failure: error, status: error.status, retryAfterMs: error.retryAfterMs, transient: error.transient };
        }
    }
    const { ProxyAwareNetworkClient } = await Promise.all(/* import() */[__webpack_require__.e(942), __webpack_require__.e(17)]).then(__webpack_require__.bind(__webpack_require__, 7017));
    const network = new ProxyAwareNetworkClient(settings.authorityHost);
    const app = new dist/* ConfidentialClientApplication */.WR({
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
            loggerOptions: { piiLoggingEnabled: false, logLevel: dist/* LogLevel */.$b.Error, loggerCallback: () => undefined },
        },
    });
    actions_core/* info */.pq(`Requesting a token for ${scope} from ${authority} (${credentials.kind}).`);
    let result;
    try {
        result = await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: true });
    }
    catch (error) {
        const failure = network.unreached !== null
            ? unreachedError(network.unreached, context)
            : explainEntraError(error, assertion, context, network.lastErrorDescription, {
                status: network.lastStatus,
                text: network.lastAnswer,
            });
        const transient = network.unreached?.transient === true;
        return { failure, status: network.lastStatus, retryAfterMs: network.retryAfterMs, transient };
    }
    if (result === null || !result.accessToken) {
        const answer = network.lastAnswer === null ? '' : `: ${limitText((0,log_text/* oneLine */.TN)((0,secrets/* redact */.E$)(network.lastAnswer)), 500)}`;
        throw new TokenError(`Entra ID returned no access token: HTTP ${network.lastStatus ?? '?'} from ${settings.authorityHost}${answer}`, NOT_ENTRA_HINT);
    }
    (0,secrets/* maskSecret */.$l)(result.accessToken);
    checkAppToken(result.accessToken, context);
    return { token: result.accessToken, expiresAt: tokenExpiry(result.accessToken, result.expiresOn ?? null) };
}
async function githubToken(audience, context) {
    const requestUrl = process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const requestToken = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!requestUrl) {
        throw new TokenError('GitHub did not give this job an OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set).', ID_TOKEN_PERMISSION_HINT);
    }
    if (!requestToken) {
        throw new TokenError("GitHub gave this job the OIDC token's request URL but not its request token (ACTIONS_ID_TOKEN_REQUEST_TOKEN is empty).", 'The runner sets both when the job has id-token: write. A step before this one may have changed or cleared ACTIONS_ID_TOKEN_REQUEST_TOKEN (in env: or GITHUB_ENV): leave it as the runner sets it.');
    }
    (0,secrets/* maskSecret */.$l)(requestToken);
    const { HttpClient } = await __webpack_require__.e(/* import() */ 942).then(__webpack_require__.bind(__webpack_require__, 4942));
    const { readBodyWithin, retryAfter, TOKEN_REQUEST_TIMEOUT_MS, unreachedBy } = await Promise.all(/* import() */[__webpack_require__.e(942), __webpack_require__.e(17)]).then(__webpack_require__.bind(__webpack_require__, 7017));
    const url = new URL(requestUrl);
    url.searchParams.set('audience', audience);
    const client = new HttpClient('exo-connect-action', [], {
        allowRedirects: false,
        socketTimeout: TOKEN_REQUEST_TIMEOUT_MS,
    });
    let status;
    let text;
    let retryAfterMs;
    try {
        const response = await client.get(url.href, {
            Authorization: `Bearer ${requestToken}`,
            Accept: 'application/json',
        });
        status = response.message.statusCode ?? 0;
        const header = response.message.headers['retry-after'];
        retryAfterMs = retryAfter(Array.isArray(header) ? header[0] : header);
        text = await readBodyWithin(response.message, TOKEN_REQUEST_TIMEOUT_MS);
    }
    catch (error) {
        const unreached = unreachedBy(error, url.href, TOKEN_REQUEST_TIMEOUT_MS);
        const failure = unreachedError(unreached, context);
        throw new GitHubTokenError(failure.message, failure.hint, null, null, unreached.transient === true);
    }
    finally {
        client.dispose();
    }
    let answer = null;
    try {
        answer = JSON.parse(text);
    }
    catch {
    }
    if (status >= 300 && status < 400) {
        throw new TokenError(`Requesting the GitHub OIDC token failed: HTTP ${status}, a redirect, which is not followed.`, "ACTIONS_ID_TOKEN_REQUEST_URL answered with a redirect, which GitHub's token service does not do: a step before this one changed it (in env: or GITHUB_ENV), or a proxy answered in its place. Leave ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN as the runner sets them, and check https_proxy and no_proxy.");
    }
    const token = answer?.value;
    if (status !== 200 || typeof token !== 'string' || token === '') {
        const said = typeof answer?.message === 'string' ? answer.message : text;
        const message = `Requesting the GitHub OIDC token failed: HTTP ${status}${said.trim() === '' ? '' : `: ${limitText((0,log_text/* oneLine */.TN)((0,secrets/* redact */.E$)(said)))}`}${status === 200 ? ' (the answer holds no token)' : ''}`;
        const hint = status === 401 || status === 403 || status === 404
            ? "GitHub's OIDC token service did not accept the request: its URL or request token is not the job's. The runner sets both for the job; a step before this one may have changed them (in env: or GITHUB_ENV), or a proxy answered in the service's place. Leave ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN as the runner sets them, and check https_proxy and no_proxy."
            : "GitHub's OIDC token service answered with an error. Run the job again; if it persists, check https://www.githubstatus.com.";
        throw new GitHubTokenError(message, hint, status, retryAfterMs);
    }
    (0,secrets/* maskSecret */.$l)(token);
    return token;
}
function limitText(text, limit = 2000) {
    return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length - limit} more characters)`;
}
function tokenContext(settings, target) {
    return { phase: 'token', targets: [target], auth: settings.auth };
}
function unreachedError(unreached, context) {
    if (unreached.answered === true)
        return new TokenError(`${unreached.host} answered, but not as Entra ID does: ${unreached.reason}`, NOT_ENTRA_HINT);
    const message = `Could not reach ${unreached.host}: ${unreached.reason}`;
    return new TokenError(message, (0,hints/* findHint */.hn)(message, context)?.hint ?? null);
}
function warnIfSecretId(secret) {
    if (!auth/* GUID */.Sm.test(secret))
        return;
    actions_core/* warning */.$e("Input 'client-secret' has the form of a GUID, which is what a client secret's Secret ID looks like. " +
        'Entra ID expects the Value (shown once, when the secret is created under Certificates & secrets); secret values are not GUIDs.');
}
function checkAudience(token, settings) {
    const aud = (0,auth/* decodeClaims */.Yq)(token)?.aud;
    if (typeof aud !== 'string')
        return;
    const verdict = judgeAudience(aud, settings.environment, settings.target);
    if (verdict.action === 'accept')
        return;
    const accepted = acceptedAudiences(settings.environment, settings.target);
    const hint = audienceHint(settings.environment, settings.target);
    if (verdict.action === 'refuse')
        throw new TokenError(`Input 'access-token': ${verdict.problem}. Accepted: ${accepted}.`, hint);
    actions_core/* warning */.$e(`Input 'access-token': ${verdict.problem}. Expected: ${accepted}. If the connect fails: ${hint}`);
}
const ID_TOKEN_PERMISSION_HINT = [
    'Give the job permission to request an OIDC token:',
    errors/* OIDC_PERMISSIONS */.RH,
    'Pull requests from forks never receive one.',
].join('\n');
function checkAppToken(token, context) {
    const claims = (0,auth/* decodeClaims */.Yq)(token);
    if (claims === null || claims.scp !== undefined)
        return;
    const roles = Array.isArray(claims.roles) ? claims.roles : [];
    if (!roles.includes(MANAGE_AS_APP)) {
        throw new TokenError(`The access token has no ${MANAGE_AS_APP} role (roles: ${roles.length === 0 ? 'none' : roles.join(', ')}).`, (0,hints/* findHint */.hn)(MANAGE_AS_APP, context)?.hint ?? null);
    }
}
function explainEntraError(error, assertion, context, answered = null, answer = null) {
    const e = error;
    let full = (0,secrets/* redact */.E$)(e.errorMessage || e.message || String(error))
        .split('\n')[0]
        .trim();
    if (!full.includes('AADSTS') && answered !== null && answered.includes('AADSTS'))
        full = (0,secrets/* redact */.E$)(answered).split('\n')[0].trim();
    if (!full.includes('AADSTS') && answer !== null && answer.text !== null)
        return new TokenError(`Entra ID refused the token request: HTTP ${answer.status ?? '?'}: ${limitText((0,log_text/* oneLine */.TN)((0,secrets/* redact */.E$)(answer.text)), 500)}`, NOT_ENTRA_HINT);
    full = limitText((0,log_text/* oneLine */.TN)(full));
    const message = full.includes('AADSTS') ? full.slice(full.indexOf('AADSTS')) : full;
    let hint = (0,hints/* findHint */.hn)(message, context)?.hint ?? null;
    if (assertion !== null && /AADSTS(70021|700213|7002138|700212|700211)\b/.test(message)) {
        const claims = (0,auth/* decodeClaims */.Yq)(assertion) ?? {};
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
function tokenExpiry(token, expiresOn) {
    const exp = (0,auth/* decodeClaims */.Yq)(token)?.exp;
    return typeof exp === 'number' ? new Date(exp * 1000) : expiresOn;
}
function describeLifetime(expiresAt, scriptTimeoutMs) {
    if (expiresAt === null)
        return;
    const remainingMs = expiresAt.getTime() - Date.now();
    const minutes = Math.round(remainingMs / 60_000);
    actions_core/* info */.pq(`Access token expires at ${expiresAt.toISOString()} (in ${minutes} minutes).`);
    const advice = 'Exchange refuses calls after that; certificate authentication, which the module refreshes itself, has no such limit.';
    if (scriptTimeoutMs !== null && scriptTimeoutMs > remainingMs) {
        actions_core/* warning */.$e(`script-timeout allows the script to run longer than the access token lives (${minutes} minutes). ${advice}`);
    }
    else if (minutes < 15) {
        actions_core/* warning */.$e(`The access token lives only ${minutes} more minutes. ${advice}`);
    }
}


/***/ })

};
