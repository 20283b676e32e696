export const id = 104;
export const ids = [104];
export const modules = {

/***/ 1104:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   connectCredentials: () => (/* binding */ connectCredentials)
/* harmony export */ });
/* unused harmony exports MANAGE_AS_APP, TokenError, tokenScope, ID_TOKEN_PERMISSION_HINT, decodeClaims, checkAppToken */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7864);
/* harmony import */ var _azure_msal_node__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9723);
/* harmony import */ var _hints_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8058);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2409);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(137);
// Token flows: GitHub OIDC (workload identity federation) and client secret, exchanged
// with Entra ID through MSAL for the cloud's Exchange scope. Every token is masked
// before anything else touches it, and is passed to PowerShell only as data.





const MANAGE_AS_APP = 'Exchange.ManageAsApp';
class TokenError extends _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .HintedError */ .J {
}
/** The credentials the runner receives: token flows become an access token here. */
async function connectCredentials(settings) {
    const { credentials } = settings;
    if (credentials.kind !== 'oidc' && credentials.kind !== 'client-secret') {
        if (credentials.kind === 'access-token') {
            checkAppToken(credentials.token);
            describeLifetime(credentials.expiresAt, settings.scriptTimeoutMs);
        }
        return credentials;
    }
    const issued = await requestToken(settings);
    describeLifetime(issued.expiresAt, settings.scriptTimeoutMs);
    return { kind: 'access-token', token: issued.token, expiresAt: issued.expiresAt };
}
function tokenScope(settings) {
    return settings.target === 'security-compliance' && settings.endpoints.complianceScope !== null
        ? settings.endpoints.complianceScope
        : settings.endpoints.exchangeScope;
}
async function requestToken(settings) {
    const credentials = settings.credentials;
    const authority = `https://${settings.authorityHost}/${settings.tenantId}`;
    const scope = tokenScope(settings);
    let assertion = null;
    if (credentials.kind === 'oidc') {
        assertion = await githubToken(credentials.audience);
    }
    const app = new _azure_msal_node__WEBPACK_IMPORTED_MODULE_1__/* .ConfidentialClientApplication */ .WR({
        auth: {
            clientId: credentials.clientId,
            authority,
            knownAuthorities: [settings.authorityHost],
            ...(assertion !== null
                ? { clientAssertion: assertion }
                : { clientSecret: credentials.kind === 'client-secret' ? credentials.secret : '' }),
        },
        system: { loggerOptions: { piiLoggingEnabled: false, logLevel: _azure_msal_node__WEBPACK_IMPORTED_MODULE_1__/* .LogLevel */ .$b.Error, loggerCallback: () => undefined } },
    });
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Requesting a token for ${scope} from ${authority} (${credentials.kind}).`);
    let result;
    try {
        result = await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: true });
    }
    catch (error) {
        throw explainEntraError(error, assertion);
    }
    if (result === null || !result.accessToken)
        throw new TokenError('Entra ID returned no access token.', null);
    (0,_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .maskSecret */ .$)(result.accessToken);
    checkAppToken(result.accessToken);
    return { token: result.accessToken, expiresAt: result.expiresOn ?? null };
}
async function githubToken(audience) {
    if (!process.env.ACTIONS_ID_TOKEN_REQUEST_URL || !process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
        throw new TokenError('GitHub did not give this job an OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set).', ID_TOKEN_PERMISSION_HINT);
    }
    try {
        const token = await _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getIDToken */ .V9(audience);
        (0,_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .maskSecret */ .$)(token);
        return token;
    }
    catch (error) {
        throw new TokenError(`Requesting the GitHub OIDC token failed: ${error.message}`, ID_TOKEN_PERMISSION_HINT);
    }
}
const ID_TOKEN_PERMISSION_HINT = [
    'Give the job permission to request an OIDC token:',
    '  permissions:',
    '    id-token: write',
    '    contents: read',
    'Pull requests from forks never receive one.',
].join('\n');
/** JWT claims, decoded without verification: only for messages and checks, never trusted. */
function decodeClaims(jwt) {
    const part = jwt.split('.')[1];
    if (part === undefined)
        return null;
    try {
        return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    }
    catch {
        return null;
    }
}
/** An app-only token (no `scp`) must carry Exchange.ManageAsApp, or Exchange refuses it. */
function checkAppToken(token) {
    const claims = decodeClaims(token);
    if (claims === null || claims.scp !== undefined)
        return;
    const roles = Array.isArray(claims.roles) ? claims.roles : [];
    if (!roles.includes(MANAGE_AS_APP)) {
        throw new TokenError(`The access token has no ${MANAGE_AS_APP} role (roles: ${roles.length === 0 ? 'none' : roles.join(', ')}).`, (0,_hints_js__WEBPACK_IMPORTED_MODULE_2__/* .findHint */ .h)('Exchange.ManageAsApp')?.hint ?? null);
    }
}
function explainEntraError(error, assertion) {
    const e = error;
    const full = (e.errorMessage || e.message || String(error)).split('\n')[0].trim();
    // MSAL prefixes Entra's text with "Error(s): … - Description:"; the AADSTS part is what people search for.
    const message = full.includes('AADSTS') ? full.slice(full.indexOf('AADSTS')) : full;
    let hint = (0,_hints_js__WEBPACK_IMPORTED_MODULE_2__/* .findHint */ .h)(message)?.hint ?? null;
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
function describeLifetime(expiresAt, scriptTimeoutMs) {
    if (expiresAt === null)
        return;
    const remainingMs = expiresAt.getTime() - Date.now();
    const minutes = Math.round(remainingMs / 60_000);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Access token expires at ${expiresAt.toISOString()} (in ${minutes} minutes).`);
    const advice = 'Exchange refuses calls after that; certificate authentication, which the module refreshes itself, has no such limit.';
    if (scriptTimeoutMs !== null && scriptTimeoutMs > remainingMs) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`script-timeout allows the script to run longer than the access token lives (${minutes} minutes). ${advice}`);
    }
    else if (minutes < 15) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`The access token lives only ${minutes} more minutes. ${advice}`);
    }
}


/***/ })

};
