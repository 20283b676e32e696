export const id = 835;
export const ids = [835];
export const modules = {

/***/ 7950:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   C1: () => (/* binding */ setFailed),
/* harmony export */   LZ: () => (/* binding */ saveState),
/* harmony export */   N4: () => (/* binding */ endGroup),
/* harmony export */   Oh: () => (/* binding */ startGroup),
/* harmony export */   Pq: () => (/* binding */ setSecret),
/* harmony export */   V4: () => (/* binding */ getInput),
/* harmony export */   lm: () => (/* binding */ notice),
/* harmony export */   pq: () => (/* binding */ info),
/* harmony export */   uH: () => (/* binding */ setOutput),
/* harmony export */   z: () => (/* binding */ summary),
/* harmony export */   z3: () => (/* binding */ error)
/* harmony export */ });
/* unused harmony export getState */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);



function getInput(name, options = {}) {
    const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    return options.trimWhitespace === false ? value : value.trim();
}
function setOutput(name, value) {
    if (process.env.GITHUB_OUTPUT)
        return appendEnvironmentFile('OUTPUT', keyValue(name, value));
    process.stdout.write(node_os__WEBPACK_IMPORTED_MODULE_2__.EOL);
    command('set-output', { name }, value);
}
function saveState(name, value) {
    if (process.env.GITHUB_STATE)
        return appendEnvironmentFile('STATE', keyValue(name, value));
    command('save-state', { name }, value);
}
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}
function setSecret(secret) {
    command('add-mask', {}, secret);
}
function info(message) {
    process.stdout.write(message + node_os__WEBPACK_IMPORTED_MODULE_2__.EOL);
}
function error(message, properties = {}) {
    command('error', annotation(properties), message);
}
function warning(message, properties = {}) {
    command('warning', annotation(properties), message);
}
function notice(message, properties = {}) {
    command('notice', annotation(properties), message);
}
function startGroup(name) {
    command('group', {}, name);
}
function endGroup() {
    command('endgroup', {}, '');
}
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}
function command(name, properties, message) {
    const entries = Object.entries(properties);
    const props = entries
        .filter((entry) => Boolean(entry[1]))
        .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
        .join(',');
    process.stdout.write(`::${name}${entries.length === 0 ? '' : ` ${props}`}::${escapeData(message)}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}`);
}
function annotation(properties) {
    if (Object.keys(properties).length === 0)
        return {};
    return { title: properties.title, file: properties.file, line: properties.startLine };
}
function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text) {
    return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
function appendEnvironmentFile(kind, text) {
    const file = process.env[`GITHUB_${kind}`];
    if (!node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync(file))
        throw new Error(`Missing file at path: ${file}`);
    node_fs__WEBPACK_IMPORTED_MODULE_1__.appendFileSync(file, `${text}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}`, { encoding: 'utf8' });
}
function keyValue(name, value) {
    const delimiter = `ghadelimiter_${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)()}`;
    if (name.includes(delimiter))
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    if (value.includes(delimiter))
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    return `${name}<<${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}${value}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}${delimiter}`;
}
class Summary {
    buffer = '';
    addRaw(text, addEOL = false) {
        this.buffer += text;
        if (addEOL)
            this.buffer += node_os__WEBPACK_IMPORTED_MODULE_2__.EOL;
        return this;
    }
    addHeading(text, level) {
        return this.addRaw(wrap(`h${level}`, text), true);
    }
    addTable(rows) {
        const cell = (c) => typeof c === 'string' ? wrap('td', c) : wrap(c.header ? 'th' : 'td', c.data);
        return this.addRaw(wrap('table', rows.map((row) => wrap('tr', row.map(cell).join(''))).join('')), true);
    }
    stringify() {
        return this.buffer;
    }
    emptyBuffer() {
        this.buffer = '';
        return this;
    }
    async write() {
        const file = process.env.GITHUB_STEP_SUMMARY;
        if (!file) {
            throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.');
        }
        try {
            await node_fs__WEBPACK_IMPORTED_MODULE_1__.promises.access(file, node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.R_OK | node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.W_OK);
        }
        catch {
            throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
        }
        await node_fs__WEBPACK_IMPORTED_MODULE_1__.promises.appendFile(file, this.buffer, { encoding: 'utf8' });
        return this.emptyBuffer();
    }
}
function wrap(tag, content) {
    return content ? `<${tag}>${content}</${tag}>` : `<${tag}>`;
}
const summary = new Summary();


/***/ }),

/***/ 5953:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ar: () => (/* binding */ TOKEN_FLOWS),
/* harmony export */   Sm: () => (/* binding */ GUID),
/* harmony export */   Wc: () => (/* binding */ unbraceGuid),
/* harmony export */   Yq: () => (/* binding */ decodeClaims),
/* harmony export */   Z4: () => (/* binding */ DEFAULT_AUDIENCE),
/* harmony export */   hi: () => (/* binding */ resolveAuth),
/* harmony export */   nE: () => (/* binding */ isoSeconds),
/* harmony export */   uf: () => (/* binding */ describeAuth)
/* harmony export */ });
/* unused harmony exports AUTH_METHODS, EMPTY_SECRET_REASONS, checkPfx, checkJwt */
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1692);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7598);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(452);
/* harmony import */ var _log_text_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(673);




const AUTH_METHODS = [
    'auto',
    'certificate',
    'oidc',
    'client-secret',
    'access-token',
    'managed-identity',
    'credential',
    'integrated',
];
const DEFAULT_AUDIENCE = 'api://AzureADTokenExchange';
const TOKEN_FLOWS = ['oidc', 'client-secret'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMPTY_SECRET_REASONS = 'A secret arrives empty, without an error, when the run is for a pull request from a fork (secrets are not passed to it), when Dependabot starts it (it reads only Dependabot secrets), or when the secret is an environment secret and the job has no `environment:`';
const CHOICES = 'access-token; certificate (+ client-id); certificate-thumbprint (+ client-id, Windows); client-secret (+ client-id); username + password; client-id with `permissions: id-token: write` for OIDC; or set auth explicitly, as auth: managed-identity must be (self-hosted runners on Azure)';
const CERTIFICATE_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;
function resolveAuth(inputs) {
    const requested = inputs.requested.toLowerCase();
    if (!AUTH_METHODS.includes(requested)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('auth', `${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .quoted */ .TL)(inputs.requested)} is not an authentication method`, AUTH_METHODS.join(', '));
    }
    const i = { ...inputs, clientId: unbraceGuid(inputs.clientId) };
    checkPartners(requested, i);
    const { method, reason } = requested === 'auto' ? pickAutomatically(i) : { method: requested, reason: null };
    const warnings = [];
    const { credentials, certificate } = buildCredentials(method, i, warnings);
    for (const target of i.targets)
        checkTargetFits(method, target);
    if (i.targets.length > 1 && method === 'access-token') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('auth', `an access token is issued for one resource, and ${i.targets.join(' and ')} each need their own`, 'certificate, oidc or client-secret when target is a list (the action then requests a token for each workload)');
    }
    return {
        method,
        credentials,
        warnings: [...unusedInputs(method, credentials, i), ...warnings],
        details: { autoReason: reason, certificate },
    };
}
function describeAuth(credentials, details) {
    const lines = [`auth: ${credentials.kind}${details.autoReason === null ? '' : ` (auto: ${details.autoReason})`}`];
    const c = details.certificate;
    if (c !== null) {
        lines.push(`certificate: thumbprint ${c.thumbprint}, ${c.subject}, valid until ${isoSeconds(c.notAfter)}`);
    }
    return lines;
}
const isoSeconds = (date) => Number.isNaN(date.getTime()) ? 'an unreadable date' : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
function unbraceGuid(value) {
    const inner = /^\{(.*)\}$/.exec(value)?.[1];
    return inner !== undefined && GUID.test(inner) ? inner : value;
}
function checkPartners(requested, i) {
    const emptyPartner = (empty, given, accepted) => {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN(empty, `is empty while ${given} is set. ${EMPTY_SECRET_REASONS}`, accepted);
    };
    const applies = (method) => requested === 'auto' || requested === method;
    if (applies('certificate') && i.certificatePassword !== '' && !i.certificate && !i.certificateThumbprint) {
        emptyPartner('certificate', 'certificate-password', 'a base64-encoded PFX, from a secret this run can read');
    }
    if (requested === 'client-secret' && i.clientId && !i.clientSecret) {
        const other = otherCredential('client-secret', i);
        if (other !== null) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('client-secret', `is empty, and auth is client-secret while ${other} is given. If client-secret is meant: ${EMPTY_SECRET_REASONS}`, `the app registration's client secret for auth client-secret, or auth set to the method that uses ${other}`);
        }
        emptyPartner('client-secret', 'client-id', "the app registration's client secret, from a secret this run can read");
    }
    if (applies('credential') && i.username && !i.password) {
        emptyPartner('password', 'username', 'the password of username, from a secret this run can read');
    }
    if (applies('credential') && i.password !== '' && !i.username) {
        emptyPartner('username', 'password', 'the user name (UPN or DOMAIN\\user) that goes with password');
    }
}
function pickAutomatically(inputs) {
    const given = [];
    if (inputs.accessToken)
        given.push(['access-token', 'access-token']);
    if (inputs.certificate)
        given.push(['certificate', 'certificate']);
    if (inputs.certificateThumbprint)
        given.push(['certificate-thumbprint', 'certificate']);
    if (inputs.clientSecret)
        given.push(['client-secret', 'client-secret']);
    if (inputs.username || inputs.password)
        given.push(['username/password', 'credential']);
    if (given.length > 1) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('auth', `auto found several credentials (${given.map(([n]) => n).join(', ')}) and will not guess`, `one credential, or auth set to the method you mean (${AUTH_METHODS.slice(1).join(', ')})`);
    }
    if (given.length === 1) {
        const [name, method] = given[0];
        return { method, reason: `${name} ${name.includes('/') ? 'were' : 'was'} given` };
    }
    const none = 'no access-token, certificate, certificate-thumbprint, client-secret or username/password was given (a secret that arrives empty counts as not given)';
    if (inputs.clientId && inputs.oidcAvailable) {
        if (inputs.managedIdentityClientId) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('auth', 'auto does not choose OIDC while managed-identity-client-id is set', 'auth: managed-identity for the managed identity, or no managed-identity-client-id for OIDC');
        }
        return {
            method: 'oidc',
            reason: `${none}; client-id and the job's OIDC token request URL (id-token: write) are set`,
        };
    }
    if (inputs.targets.includes('exchange-server')) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('auth', `auto found no credential: ${none}`, 'username + password (auth: credential), or auth: integrated to sign in to the server as the account the runner runs as');
    }
    if (inputs.managedIdentityClientId) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('auth', 'managed-identity-client-id is set, and auto never picks managed identity (it needs no credential input, so auto cannot tell it is meant)', 'auth: managed-identity, with managed-identity-client-id for a user-assigned identity (self-hosted runners on Azure)');
    }
    if (inputs.clientId) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('auth', 'auto found a client-id but no credential, and ACTIONS_ID_TOKEN_REQUEST_URL is not set, so OIDC is not available', `${CHOICES}. For OIDC, add to the job`, _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .OIDC_PERMISSIONS */ .RH);
    }
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('auth', 'auto found no credential', CHOICES);
}
function otherCredential(method, i) {
    const others = [
        ['certificate', 'certificate', i.certificate],
        ['certificate-thumbprint', 'certificate', i.certificateThumbprint],
        ['client-secret', 'client-secret', i.clientSecret],
        ['access-token', 'access-token', i.accessToken],
        ['username/password', 'credential', i.username || i.password],
    ];
    return others.find(([, m, value]) => m !== method && value !== '')?.[0] ?? null;
}
function buildCredentials(method, i, warnings) {
    if (method !== 'certificate')
        return { credentials: otherCredentials(method, i), certificate: null };
    const clientId = requireClientId(i, method);
    if (i.certificate && i.certificateThumbprint) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate-thumbprint', 'is set together with certificate', 'either certificate (base64 PFX) or certificate-thumbprint, not both');
    }
    if (i.certificateThumbprint) {
        const thumbprint = checkThumbprint(i.certificateThumbprint, i.platform);
        return { credentials: { kind: 'certificate-thumbprint', clientId, thumbprint }, certificate: null };
    }
    if (!i.certificate) {
        const other = otherCredential('certificate', i);
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate', other === null
            ? `is required for auth certificate, and it is empty. ${EMPTY_SECRET_REASONS}`
            : `is empty, and auth is certificate while ${other} is given. If a certificate is meant: ${EMPTY_SECRET_REASONS}`, other === null
            ? 'a base64-encoded PFX (or certificate-thumbprint on Windows)'
            : `a base64-encoded PFX for auth certificate, or auth set to the method that uses ${other}`);
    }
    const certificate = checkPfx(i.certificate, i.certificatePassword);
    if (certificate !== null)
        checkValidity(certificate, i.now ?? new Date(), warnings);
    return {
        credentials: {
            kind: 'certificate',
            clientId,
            pfxBase64: i.certificate.replace(/\s+/g, ''),
            password: i.certificatePassword,
        },
        certificate,
    };
}
function otherCredentials(method, i) {
    switch (method) {
        case 'client-secret':
            if (!i.clientSecret)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('client-secret', 'is required for auth client-secret', "the app registration's client secret");
            return { kind: 'client-secret', clientId: requireClientId(i, method), secret: i.clientSecret };
        case 'oidc':
            if (!i.audience)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('audience', 'is empty', 'the federated credential audience, default api://AzureADTokenExchange');
            return { kind: 'oidc', clientId: requireClientId(i, method), audience: i.audience };
        case 'access-token':
            return {
                kind: 'access-token',
                token: i.accessToken ||
                    (() => {
                        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('access-token', `is required for auth access-token, and it is empty. If it comes from an earlier step's output, that step did not set it; if from a secret: ${EMPTY_SECRET_REASONS}`, "a token for the Exchange Online resource, from an earlier step's output (as azure/login and az account get-access-token give one) or a secret");
                    })(),
                expiresAt: checkJwt(i.accessToken, i.now),
            };
        case 'managed-identity': {
            const accountId = unbraceGuid(i.managedIdentityClientId);
            if (accountId && !GUID.test(accountId)) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('managed-identity-client-id', `${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .quoted */ .TL)(accountId)} is not a GUID`, 'the client ID (GUID) of a user-assigned managed identity, or empty for the system-assigned one');
            }
            return { kind: 'managed-identity', accountId: accountId || null };
        }
        case 'credential':
            if (!i.username)
                missing('username', method);
            if (!i.password)
                missing('password', method);
            return { kind: 'credential', username: i.username, password: i.password };
        case 'integrated':
            return { kind: 'integrated' };
    }
}
function checkTargetFits(method, target) {
    const serverOnly = method === 'credential' || method === 'integrated';
    if (serverOnly && target !== 'exchange-server') {
        const why = method === 'integrated'
            ? "it signs in as the runner's own Windows account (Kerberos or Negotiate), which only an on-premises Exchange server accepts; Exchange Online and Security & Compliance take app-only sign-in"
            : 'it signs in as a user with a password, which multifactor authentication and Conditional Access policies refuse; for unattended scripts, Microsoft documents app-only sign-in to Exchange Online and Security & Compliance (https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2)';
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('auth', `${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .quoted */ .TL)(method)} is for exchange-server; ${why}`, 'certificate, oidc, client-secret, access-token or managed-identity for exchange-online and security-compliance');
    }
    if (method === 'managed-identity' && target === 'security-compliance') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('auth', 'Connect-IPPSSession has no managed identity sign-in', 'certificate (a PFX in certificate, or certificate-thumbprint on Windows), oidc, client-secret or access-token for security-compliance');
    }
    if (!serverOnly && target === 'exchange-server') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('auth', `${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .quoted */ .TL)(method)} does not apply to exchange-server`, "credential (username + password) or integrated (the runner's own identity)");
    }
}
function unusedInputs(method, credentials, i) {
    const used = new Set();
    switch (credentials.kind) {
        case 'certificate':
            used.add('certificate').add('certificate-password').add('client-id');
            break;
        case 'certificate-thumbprint':
            used.add('certificate-thumbprint').add('client-id');
            break;
        case 'client-secret':
            used.add('client-secret').add('client-id');
            break;
        case 'oidc':
            used.add('client-id');
            break;
        case 'access-token':
            used.add('access-token');
            break;
        case 'managed-identity':
            used.add('managed-identity-client-id');
            break;
        case 'credential':
            used.add('username').add('password');
            break;
        case 'integrated':
            break;
    }
    const present = [
        ['client-id', i.clientId],
        ['certificate', i.certificate],
        ['certificate-password', i.certificatePassword],
        ['certificate-thumbprint', i.certificateThumbprint],
        ['client-secret', i.clientSecret],
        ['access-token', i.accessToken],
        ['managed-identity-client-id', i.managedIdentityClientId],
        ['username', i.username],
        ['password', i.password],
    ];
    const unused = present
        .filter(([name, value]) => value !== '' && !used.has(name))
        .map(([name]) => `Input '${name}' is set but not used by auth ${credentials.kind}.`);
    const tokenFlow = TOKEN_FLOWS.includes(method);
    const tokenOnly = [
        ['tenant-id', i.tenantId !== '' && !tokenFlow, 'only oidc and client-secret, which request a token, use it'],
        [
            'authority-host',
            i.authorityHost !== '' && !tokenFlow,
            'only oidc and client-secret, which request a token, use it',
        ],
        ['audience', i.audience !== DEFAULT_AUDIENCE && method !== 'oidc', 'only oidc uses it, for the GitHub OIDC token'],
    ];
    for (const [name, , why] of tokenOnly.filter(([, set]) => set)) {
        unused.push(`Input '${name}' is set but not used by auth ${credentials.kind}: ${why}.`);
    }
    return unused;
}
function requireClientId(i, method) {
    if (!i.clientId)
        missing('client-id', method);
    if (!GUID.test(i.clientId)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('client-id', `${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .quoted */ .TL)(i.clientId)} is not a GUID`, 'the application (client) ID of the app registration, a GUID');
    }
    return i.clientId;
}
function missing(input, method) {
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN(input, `is required for auth ${method}`, `a value for ${input}`);
}
function checkThumbprint(value, platform) {
    const thumbprint = value.replace(/[\s:\u200e\u200f]/g, '').toUpperCase();
    if (!/^[0-9A-F]{40}$/.test(thumbprint)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate-thumbprint', 'is not a SHA-1 thumbprint', '40 hexadecimal characters');
    }
    if (platform !== 'win32') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate-thumbprint', `needs a Windows certificate store, and this runner is ${platform}`, 'certificate (base64 PFX) on Linux and macOS');
    }
    return thumbprint;
}
function openPfx(der, password) {
    try {
        return node_tls__WEBPACK_IMPORTED_MODULE_0__.createSecureContext({ pfx: der, passphrase: password, ca: [] });
    }
    catch (error) {
        return error.message;
    }
}
function certificateOf(context) {
    const socket = new node_tls__WEBPACK_IMPORTED_MODULE_0__.TLSSocket(null, { secureContext: context });
    try {
        const x509 = socket.getX509Certificate();
        if (x509 === undefined)
            return null;
        return {
            thumbprint: x509.fingerprint.replace(/:/g, '').toUpperCase(),
            subject: x509.subject.split('\n').map(_log_text_js__WEBPACK_IMPORTED_MODULE_3__/* .oneLine */ .TN).join(', ') || '(no subject)',
            notBefore: x509.validFromDate,
            notAfter: x509.validToDate,
        };
    }
    finally {
        socket.destroy();
    }
}
function checkValidity(c, now, warnings) {
    if (Number.isNaN(c.notAfter.getTime()) || Number.isNaN(c.notBefore.getTime()))
        return;
    const which = `thumbprint ${c.thumbprint}, ${c.subject}`;
    const renew = 'create a new certificate, upload its public key (.cer) to the app registration under Certificates & secrets, and store the new PFX, base64-encoded, in this secret';
    if (c.notAfter.getTime() <= now.getTime()) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate', `the certificate expired on ${isoSeconds(c.notAfter)} (${which})`, `a certificate that is valid now: ${renew}`);
    }
    if (c.notBefore.getTime() > now.getTime() + CLOCK_SKEW_MS) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate', `the certificate is not valid before ${isoSeconds(c.notBefore)} (${which}), and the runner's clock says ${isoSeconds(now)}`, "a certificate whose validity has begun: one made valid from now, or this one once its time has come (check the runner's clock if it should have)");
    }
    const days = Math.floor((c.notAfter.getTime() - now.getTime()) / DAY_MS);
    if (days < CERTIFICATE_WARNING_DAYS) {
        const when = days === 0 ? 'within a day' : `in ${(0,_log_text_js__WEBPACK_IMPORTED_MODULE_3__/* .counted */ .hS)(days, 'day', 'days')}`;
        warnings.push(`The certificate in 'certificate' (${which}) expires on ${isoSeconds(c.notAfter)}, ${when}; Entra ID refuses it after that. Before then, ${renew}.`);
    }
}
const CLOCK_SKEW_MS = 5 * 60_000;
const PFX_TO_BASE64 = "[Convert]::ToBase64String([IO.File]::ReadAllBytes('app.pfx')) in PowerShell, base64 -w0 app.pfx on Linux or base64 -i app.pfx on macOS";
const PFX_EXPORT = `a base64-encoded PFX with the certificate and its private key, e.g. from ${PFX_TO_BASE64}`;
function looksLikePkcs12(der) {
    if (der.length < 8 || der[0] !== 0x30)
        return false;
    const at = 2 + (der[1] & 0x80 ? der[1] & 0x7f : 0);
    return der[at] === 0x02 && der[at + 1] === 0x01 && der[at + 2] === 0x03;
}
function isX509(der) {
    try {
        new node_crypto__WEBPACK_IMPORTED_MODULE_1__.X509Certificate(der);
        return true;
    }
    catch {
        return false;
    }
}
function pemError(text, decoded) {
    if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text))
        return null;
    const is = decoded ? 'decodes to' : 'is';
    const hasKey = /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/.test(text);
    const block = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*)-----END CERTIFICATE-----/.exec(text);
    if (!hasKey && block !== null) {
        const body = Buffer.from(block[1].replace(/\s+/g, ''), 'base64');
        const certutil = looksLikePkcs12(body);
        body.fill(0);
        if (certutil) {
            return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate', `${is} certutil -encode output: the PFX's base64 between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines, which are not part of it`, `the bare base64 of the PFX, without those lines: ${PFX_TO_BASE64}`);
        }
    }
    const holds = hasKey
        ? block !== null
            ? 'a certificate and a private key'
            : 'a private key'
        : 'a certificate without its private key';
    return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate', `${is} PEM text (${holds}), not a PFX`, 'a base64-encoded PFX with the certificate and its private key. From PEM files: openssl pkcs12 -export -in cert.pem -inkey key.pem -out app.pfx, then the output of base64 -w0 app.pfx (on macOS base64 -i app.pfx) as the secret');
}
const QUOTED = /^["'`]|["'`]$/;
const QUOTES_PROBLEM = 'which are not part of it: store the secret without them';
function checkPfx(base64, password) {
    const pem = pemError(base64, false);
    if (pem !== null)
        throw pem;
    const compact = base64.replace(/\s+/g, '');
    if (QUOTED.test(compact)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate', `is in quotes, ${QUOTES_PROBLEM}`, PFX_EXPORT);
    }
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate', 'is not base64', PFX_EXPORT);
    }
    const der = Buffer.from(compact, 'base64');
    try {
        if (der.subarray(0, 10).toString('latin1').startsWith('-----BEGIN')) {
            throw pemError(der.toString('latin1'), true);
        }
        if (!looksLikePkcs12(der) && isX509(der)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate', 'is a certificate without its private key (a .cer file), not a PFX', 'a PFX with the certificate and its private key, base64-encoded: Export-PfxCertificate (or the export wizard\'s "Yes, export the private key"), or openssl pkcs12 -export with -inkey. The .cer is what the app registration gets under Certificates & secrets');
        }
        if (der.length < 64 || der[0] !== 0x30) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate', 'decodes to something that is not a PFX (PKCS#12) file', 'a base64-encoded PFX with the certificate and its private key (not a .cer or PEM)');
        }
        const opened = openPfx(der, password);
        if (typeof opened !== 'string')
            return certificateOf(opened);
        if (/mac verify|invalid password/i.test(opened)) {
            if (password !== password.trim() && typeof openPfx(der, password.trim()) !== 'string') {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate-password', 'does not open the PFX in certificate, but it does without the whitespace at its start or end (a secret saved with a trailing newline?)', 'the password exactly as the PFX was exported with it: re-save the secret without the extra whitespace');
            }
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate-password', 'does not open the PFX in certificate', 'the password the PFX was exported with');
        }
        if (/unsupported/i.test(opened))
            return null;
        if (/private key|key values mismatch/i.test(opened)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate', 'has no usable private key', 'a PFX exported with its private key');
        }
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('certificate', `is not a readable PFX (${opened})`, 'a base64-encoded PFX with the certificate and its private key');
    }
    finally {
        der.fill(0);
    }
}
function checkJwt(token, now = new Date()) {
    if (/^bearer\s/i.test(token)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('access-token', "starts with 'Bearer ', the scheme of an HTTP Authorization header, which is not part of the token", "the token alone: remove the 'Bearer ' prefix");
    }
    if (QUOTED.test(token)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('access-token', `is in quotes, ${QUOTES_PROBLEM}`, 'an OAuth access token for Exchange Online (three base64url parts separated by dots)');
    }
    const parts = token.split('.');
    if (/\s/.test(token) || parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('access-token', 'is not a JWT', 'an OAuth access token for Exchange Online (three base64url parts separated by dots)');
    }
    const claims = decodeClaims(token);
    if (claims === null) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('access-token', 'has a payload that is not a JSON object of claims', 'an OAuth access token for Exchange Online');
    }
    if (typeof claims.exp !== 'number')
        return null;
    const expiresAt = new Date(claims.exp * 1000);
    if (expiresAt.getTime() <= now.getTime()) {
        const minutes = Math.floor((now.getTime() - expiresAt.getTime()) / 60_000);
        const ago = minutes < 1 ? 'less than a minute ago' : `${(0,_log_text_js__WEBPACK_IMPORTED_MODULE_3__/* .counted */ .hS)(minutes, 'minute', 'minutes')} ago`;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN('access-token', `the token expired at ${isoSeconds(expiresAt)} (${ago}), and Exchange refuses an expired token`, 'a token that is still valid: request it in the same job, in a step right before this one (access tokens last about an hour), or use auth: oidc or certificate, which need no token from another step');
    }
    return expiresAt;
}
function decodeClaims(jwt) {
    const part = jwt.split('.')[1];
    if (part === undefined)
        return null;
    try {
        const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
        return claims !== null && typeof claims === 'object' && !Array.isArray(claims)
            ? claims
            : null;
    }
    catch {
        return null;
    }
}


/***/ }),

/***/ 7489:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Av: () => (/* binding */ isMicrosoftExchangeHost),
/* harmony export */   E6: () => (/* binding */ likelyCloud),
/* harmony export */   FX: () => (/* binding */ workloadOfHost),
/* harmony export */   HN: () => (/* binding */ cloudOfHost),
/* harmony export */   Hr: () => (/* binding */ ENDPOINTS),
/* harmony export */   JJ: () => (/* binding */ CLOUDS),
/* harmony export */   PO: () => (/* binding */ isRetiredRemotePowerShellHost),
/* harmony export */   _9: () => (/* binding */ hostKey),
/* harmony export */   rA: () => (/* binding */ exchangeResourceHosts),
/* harmony export */   re: () => (/* binding */ retiredCloud),
/* harmony export */   tJ: () => (/* binding */ isAuthorityOf),
/* harmony export */   tX: () => (/* binding */ isKnownAuthorityHost),
/* harmony export */   w4: () => (/* binding */ hostOf),
/* harmony export */   x3: () => (/* binding */ isRetiredExchangeOnlineRemotePowerShell)
/* harmony export */ });
/* unused harmony exports RETIRED_CLOUDS, CLOUD_ALIASES */
const CLOUDS = ['O365Default', 'O365USGovGCCHigh', 'O365USGovDoD', 'O365China'];
const ENDPOINTS = {
    O365Default: {
        authorityHost: 'login.microsoftonline.com',
        authorityAliases: ['login.windows.net', 'login.microsoft.com'],
        exchangeScope: 'https://outlook.office365.com/.default',
        exchangeConnectionUri: 'https://outlook.office365.com/powershell-liveid/',
        complianceConnectionUri: 'https://ps.compliance.protection.outlook.com/powershell-liveid/',
        complianceScope: 'https://ps.compliance.protection.outlook.com/.default',
        source: 'Learn: Connect-ExchangeOnline, Connect-IPPSSession',
    },
    O365USGovGCCHigh: {
        authorityHost: 'login.microsoftonline.us',
        authorityAliases: ['login.usgovcloudapi.net'],
        exchangeScope: 'https://outlook.office365.us/.default',
        exchangeConnectionUri: 'https://outlook.office365.us/powershell-liveID',
        complianceConnectionUri: 'https://ps.compliance.protection.office365.us/powershell-liveid/',
        complianceScope: 'https://ps.compliance.protection.office365.us/.default',
        source: 'Learn: Connect-ExchangeOnline and Connect-IPPSSession examples for GCC High',
    },
    O365USGovDoD: {
        authorityHost: 'login.microsoftonline.us',
        authorityAliases: ['login.usgovcloudapi.net'],
        exchangeScope: 'https://outlook-dod.office365.us/.default',
        exchangeConnectionUri: 'https://webmail.apps.mil/powershell-liveID',
        complianceConnectionUri: 'https://l5.ps.compliance.protection.office365.us/powershell-liveid/',
        complianceScope: 'https://l5.ps.compliance.protection.office365.us/.default',
        source: 'Learn: Connect-ExchangeOnline and Connect-IPPSSession examples for DoD; scope to verify',
    },
    O365China: {
        authorityHost: 'login.chinacloudapi.cn',
        authorityAliases: ['login.partner.microsoftonline.cn'],
        exchangeScope: 'https://partner.outlook.cn/.default',
        exchangeConnectionUri: 'https://partner.outlook.cn/PowerShell',
        complianceConnectionUri: 'https://ps.compliance.protection.partner.outlook.cn/powershell-liveid',
        complianceScope: 'https://ps.compliance.protection.partner.outlook.cn/.default',
        source: 'Learn: Connect-ExchangeOnline and Connect-IPPSSession examples for 21Vianet',
    },
};
const RETIRED_CLOUDS = {
    O365GermanyCloud: {
        why: 'Microsoft closed Office 365 Germany in October 2021 and moved its tenants to the worldwide service',
        instead: 'O365Default',
        hosts: ['outlook.office.de'],
        aliases: ['germany', 'azuregermancloud', 'office365germany', 'microsoftcloudgermany'],
    },
};
const aliasKey = (name) => name.toLowerCase().replace(/[\s_-]/g, '');
function retiredCloud(name) {
    const key = aliasKey(name);
    return (Object.entries(RETIRED_CLOUDS).find(([retired, row]) => aliasKey(retired) === key || row.aliases.includes(key)) ??
        null);
}
const CLOUD_ALIASES = {
    gcc: 'O365Default (GCC uses the worldwide endpoints)',
    usgovgcc: 'O365Default (GCC uses the worldwide endpoints)',
    o365usgovgcc: 'O365Default (GCC uses the worldwide endpoints)',
    gcchigh: 'O365USGovGCCHigh',
    usgovgcchigh: 'O365USGovGCCHigh',
    dod: 'O365USGovDoD',
    usgovdod: 'O365USGovDoD',
    azureusgovernment: 'O365USGovGCCHigh (or O365USGovDoD for a DoD tenant)',
    usgov: 'O365USGovGCCHigh (or O365USGovDoD for a DoD tenant)',
    china: 'O365China',
    azurechinacloud: 'O365China',
    '21vianet': 'O365China',
    azurecloud: 'O365Default',
    worldwide: 'O365Default',
    commercial: 'O365Default',
    global: 'O365Default',
};
function likelyCloud(name) {
    const key = aliasKey(name);
    return CLOUDS.find((cloud) => aliasKey(cloud) === key) ?? CLOUD_ALIASES[key] ?? null;
}
const OTHER_MICROSOFT_REMOTE_POWERSHELL_HOSTS = [
    'ps.outlook.com',
    'ps.protection.outlook.com',
    'ps.protection.office365.us',
];
function hostKey(host) {
    return host.toLowerCase().replace(/\.+$/, '');
}
function isRetiredExchangeOnlineRemotePowerShell(uri) {
    const host = hostKey(uri.hostname);
    return isRetiredRemotePowerShellHost(host) || cloudOfHost(host) !== null;
}
function isRetiredRemotePowerShellHost(host) {
    const wanted = hostKey(host);
    return (OTHER_MICROSOFT_REMOTE_POWERSHELL_HOSTS.includes(wanted) ||
        Object.values(RETIRED_CLOUDS).some((cloud) => cloud.hosts.includes(wanted)));
}
function workloadOfHost(host) {
    const wanted = hostKey(host);
    const rows = Object.values(ENDPOINTS);
    if (rows.some((row) => new URL(row.exchangeConnectionUri).hostname === wanted))
        return 'exchange-online';
    if (rows.some((row) => row.complianceConnectionUri !== null && new URL(row.complianceConnectionUri).hostname === wanted))
        return 'security-compliance';
    return null;
}
function cloudOfHost(host) {
    const wanted = hostKey(host);
    const found = Object.entries(ENDPOINTS).find(([, row]) => [row.exchangeConnectionUri, row.complianceConnectionUri].some((uri) => uri !== null && new URL(uri).hostname === wanted));
    return found?.[0] ?? null;
}
function isMicrosoftExchangeHost(host) {
    const wanted = hostKey(host);
    return Object.values(ENDPOINTS).some((row) => [row.exchangeConnectionUri, row.complianceConnectionUri].some((uri) => {
        if (uri === null)
            return false;
        const domain = new URL(uri).hostname.split('.').slice(-2).join('.');
        return wanted === domain || wanted.endsWith(`.${domain}`);
    }));
}
function isKnownAuthorityHost(host) {
    return Object.values(ENDPOINTS).some((row) => isAuthorityOf(row, host));
}
function isAuthorityOf(row, host) {
    const wanted = hostKey(host);
    return row.authorityHost === wanted || row.authorityAliases.includes(wanted);
}
function hostOf(uri) {
    try {
        return new URL(uri).hostname || null;
    }
    catch {
        return null;
    }
}
function exchangeResourceHosts(cloud) {
    const row = ENDPOINTS[cloud];
    const hosts = [row.exchangeScope, row.exchangeConnectionUri].map((uri) => new URL(uri).hostname);
    if (cloud === 'O365Default')
        hosts.push('outlook.office.com');
    return [...new Set(hosts)];
}


/***/ }),

/***/ 452:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GN: () => (/* binding */ SettingsError),
/* harmony export */   J_: () => (/* binding */ HintedError),
/* harmony export */   Mu: () => (/* binding */ quotedUrl),
/* harmony export */   RH: () => (/* binding */ OIDC_PERMISSIONS),
/* harmony export */   RN: () => (/* binding */ shellNotation),
/* harmony export */   TL: () => (/* binding */ quoted),
/* harmony export */   bj: () => (/* binding */ AS_WRITTEN)
/* harmony export */ });
/* unused harmony exports invisibleCharacterNote, lookalikeNote */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);

class SettingsError extends Error {
    input;
    constructor(input, problem, accepted, example) {
        const said = `${problem}${invisibleCharacterNote(problem)}${lookalikeNote(problem)}`;
        const end = /[.?!]$/.test(said) ? '' : '.';
        super(`Input '${input}': ${said}${end} Accepted: ${accepted}.${example === undefined ? '' : `\n${example}`}`);
        this.input = input;
        this.name = 'SettingsError';
    }
}
const INVISIBLE = /[\p{Cf}\u00A0\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/gu;
const INVISIBLE_NAMES = {
    '00A0': 'NO-BREAK SPACE',
    '00AD': 'SOFT HYPHEN',
    '200B': 'ZERO WIDTH SPACE',
    '200C': 'ZERO WIDTH NON-JOINER',
    '200D': 'ZERO WIDTH JOINER',
    '200E': 'LEFT-TO-RIGHT MARK',
    '200F': 'RIGHT-TO-LEFT MARK',
    '202A': 'LEFT-TO-RIGHT EMBEDDING',
    '202B': 'RIGHT-TO-LEFT EMBEDDING',
    '202C': 'POP DIRECTIONAL FORMATTING',
    '202D': 'LEFT-TO-RIGHT OVERRIDE',
    '202E': 'RIGHT-TO-LEFT OVERRIDE',
    '2060': 'WORD JOINER',
    '2066': 'LEFT-TO-RIGHT ISOLATE',
    '2067': 'RIGHT-TO-LEFT ISOLATE',
    '2068': 'FIRST STRONG ISOLATE',
    '2069': 'POP DIRECTIONAL ISOLATE',
    FEFF: 'ZERO WIDTH NO-BREAK SPACE (a byte order mark)',
};
function invisibleCharacterNote(text) {
    const named = namedCharacters(text, INVISIBLE, INVISIBLE_NAMES);
    if (named === '')
        return '';
    return ` (it holds ${named}: invisible, or a plain space to the eye; text copied from a web page or a document often brings such characters along)`;
}
function namedCharacters(text, pattern, names) {
    const codes = [...new Set(Array.from(text.matchAll(pattern), (m) => m[0].codePointAt(0)))];
    return codes
        .map((code) => {
        const hex = code.toString(16).toUpperCase().padStart(4, '0');
        return `U+${hex} ${names[hex] ?? '(a formatting character)'}`;
    })
        .join(', ');
}
const QUOTED_LENGTH = 160;
function quoted(value) {
    const length = Array.from(value).length;
    if (length <= QUOTED_LENGTH)
        return `'${value}'`;
    return `the value (${length.toLocaleString('en-US')} characters, too long to quote)`;
}
function quotedUrl(value) {
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/)?/.exec(value)?.[0] ?? '';
    let rest = value.slice(scheme.length);
    const at = rest.lastIndexOf('@');
    const query = rest.search(/[?#]/);
    if (at >= 0 && query >= 0 && query < at)
        return quoted(`${scheme}…`);
    if (query >= 0)
        rest = `${rest.slice(0, query)}${rest[query]}…`;
    if (at >= 0)
        rest = `…${rest.slice(at)}`;
    return quoted(scheme + rest);
}
const LOOKALIKE = /[\u2010-\u2015\u2212\u2018\u2019\u201C\u201D]/gu;
const LOOKALIKE_NAMES = {
    '2010': 'HYPHEN',
    '2011': 'NON-BREAKING HYPHEN',
    '2012': 'FIGURE DASH',
    '2013': 'EN DASH',
    '2014': 'EM DASH',
    '2015': 'HORIZONTAL BAR',
    '2212': 'MINUS SIGN',
    '2018': 'LEFT SINGLE QUOTATION MARK',
    '2019': 'RIGHT SINGLE QUOTATION MARK',
    '201C': 'LEFT DOUBLE QUOTATION MARK',
    '201D': 'RIGHT DOUBLE QUOTATION MARK',
};
function lookalikeNote(text) {
    const named = namedCharacters(text, LOOKALIKE, LOOKALIKE_NAMES);
    if (named === '')
        return '';
    return ` (it holds ${named}, which looks like - ' or " and is another character: a word processor or a web page types it in their place; type the plain one)`;
}
function shellNotation(value) {
    if (/^~(?:[\\/]|$)/.test(value))
        return 'it starts with ~, which only a shell reads as a home folder';
    const variable = /\$env:\w+|\$\{?[A-Za-z_]\w*\}?|%[A-Za-z_]\w*%/.exec(value);
    if (variable !== null)
        return `it holds ${variable[0]}, which only a shell expands`;
    if (node_path__WEBPACK_IMPORTED_MODULE_0__.sep === '/' && value.includes('\\'))
        return "it separates folders with \\, which only Windows does: on this runner a \\ is part of a file's name";
    return null;
}
const AS_WRITTEN = 'an input reaches the action as written: use / between folders, and ${{ github.workspace }}, ${{ runner.temp }} or ${{ env.NAME }} in the workflow for a folder or a variable';
const OIDC_PERMISSIONS = ['  permissions:', '    id-token: write', '    contents: read'].join('\n');
class HintedError extends Error {
    hint;
    constructor(message, hint) {
        super(message);
        this.hint = hint;
        this.name = new.target.name;
    }
}


/***/ }),

/***/ 2537:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   So: () => (/* binding */ hintById),
/* harmony export */   WH: () => (/* binding */ hintPhaseOf),
/* harmony export */   hn: () => (/* binding */ findHint)
/* harmony export */ });
/* unused harmony exports HINT_PHASES, HINTS, holds, describeScope */
/* harmony import */ var _auth_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5953);

const HINT_PHASES = ['settings', 'token', 'module', 'connect', 'script', 'teardown'];
const UNREACHABLE = 'No such host is known|Name or service not known|connection (was )?refused';
const SIGN_IN = ['token', 'connect'];
const SESSION = ['connect', 'teardown'];
const CLOUD = ['exchange-online', 'security-compliance'];
const SERVER = ['exchange-server'];
const APP_ONLY = ['certificate', 'oidc', 'client-secret', 'access-token', 'managed-identity'];
const APP_REGISTRATION = ['certificate', 'oidc', 'client-secret'];
const HINTS = [
    {
        id: 'aadsts700016',
        symptom: "AADSTS700016: Application with identifier '…' was not found",
        pattern: /AADSTS700016/,
        advice: [
            {
                where: { phases: SIGN_IN, auths: APP_REGISTRATION },
                hint: "Entra ID does not know this client-id in the tenant of the sign-in. Check client-id, the tenant inputs (organization and delegated-organization; tenant-id, when set, for the action's own token requests), and that environment names the cloud the app is registered in. A partner's app must be multitenant and consented to in the customer's tenant.",
            },
        ],
    },
    {
        id: 'aadsts7000215',
        symptom: 'AADSTS7000215 / AADSTS7000222: Invalid client secret provided / the client secret keys are expired',
        pattern: /AADSTS7000215|AADSTS7000222/,
        advice: [
            {
                where: { phases: SIGN_IN, auths: ['client-secret'] },
                hint: 'The client secret is wrong or expired. Store the secret\'s Value, not its Secret ID (a GUID): Entra ID shows the Value once, when the secret is created. If the Value is lost or expired, create a new secret under the app registration\'s "Certificates & secrets" and update the repository secret with its Value.',
            },
        ],
    },
    {
        id: 'token-host-silent',
        symptom: 'Could not reach login.microsoftonline.com: no answer within 30 s / socket hang up',
        pattern: /^Could not reach \S+: (no (whole )?answer within \d+ s|socket hang up|read ECONNRESET)/,
        advice: [
            {
                where: { phases: ['token'] },
                hint: "The host took the token request and did not answer it, or broke the connection off (connect-retries tries it again): a proxy or gateway on the way that holds requests (https_proxy, or the host in authority-host), or a service problem at Entra ID or GitHub's OIDC token service. Run the job again; if it persists, check the proxy and authority-host, and https://www.githubstatus.com for the OIDC token service.",
            },
        ],
    },
    {
        id: 'token-host-unreachable',
        symptom: 'Could not reach login.microsoftonline.com: getaddrinfo ENOTFOUND / connect ECONNREFUSED / tunneling socket could not be established',
        pattern: /^Could not reach \S+: /,
        advice: [
            {
                where: { phases: ['token'] },
                hint: "The runner could not reach the host a token is requested from: the environment's Entra ID authority (or authority-host), or GitHub's OIDC token service. Check that the runner resolves its name (DNS) and may connect to it on port 443 (firewall). Behind a proxy, set https_proxy (and no_proxy for hosts reached directly) in the runner's environment: token requests follow them (https://docs.github.com/actions/hosting-your-own-runners/managing-self-hosted-runners/using-a-proxy-server-with-self-hosted-runners). A proxy that inspects TLS needs its CA certificate in NODE_EXTRA_CA_CERTS.",
            },
        ],
    },
    {
        id: 'aadsts700027',
        symptom: 'AADSTS700027: The certificate with identifier used to sign the client assertion is not registered',
        pattern: /AADSTS700027|AADSTS700024/,
        advice: [
            {
                where: { phases: SIGN_IN, auths: ['certificate'] },
                hint: "Entra ID rejected the certificate assertion: upload the certificate's public key (.cer) to the app registration, and check that the runner's clock is right.",
            },
        ],
    },
    {
        id: 'aadsts700024',
        symptom: 'AADSTS700024: Client assertion is not within its valid time range',
        pattern: /AADSTS700024/,
        advice: [
            {
                where: { phases: ['token'], auths: ['oidc'] },
                hint: 'Entra ID read the GitHub token outside the minutes it is valid for: the clock of a self-hosted runner is off (sync it, with NTP), or the token request came long after GitHub issued the token. Run the job again.',
            },
        ],
    },
    {
        id: 'aadsts90002',
        symptom: "AADSTS90002: Tenant '…' not found",
        pattern: /AADSTS90002|AADSTS900023/,
        advice: [
            {
                where: { phases: SIGN_IN, auths: ['oidc', 'client-secret'] },
                hint: "The tenant was not found. The token is requested from tenant-id, else delegated-organization, else organization: each must be the tenant's initial domain in the cloud selected by environment (*.onmicrosoft.com; *.onmicrosoft.us in O365USGovGCCHigh and O365USGovDoD, *.partner.onmschina.cn in O365China), or set tenant-id to the tenant's GUID.",
            },
            {
                where: { phases: SIGN_IN },
                hint: "The tenant was not found. organization must be the tenant's initial domain in the cloud selected by environment (*.onmicrosoft.com; *.onmicrosoft.us in O365USGovGCCHigh and O365USGovDoD, *.partner.onmschina.cn in O365China).",
            },
        ],
    },
    {
        id: 'entra-transient',
        symptom: 'AADSTS90033 / AADSTS90055: a transient error has occurred / too many requests (HTTP 429 or 5xx from Entra ID)',
        pattern: /AADSTS(90033|90055)\b|temporarily_unavailable|Entra ID answered the token request with a transient error/,
        advice: [
            {
                where: { phases: ['token'] },
                hint: "Entra ID could not answer the token request for now, or is throttling the tenant's requests. connect-retries retries the token request too (with backoff, or after the Retry-After Entra ID asks for): raise it, run fewer jobs at once (max-parallel), or run the job again later.",
            },
        ],
    },
    {
        id: 'aadsts500011',
        symptom: 'AADSTS500011: The resource principal named … was not found in the tenant',
        pattern: /AADSTS500011/,
        advice: [
            {
                where: { phases: SIGN_IN, targets: ['security-compliance'] },
                hint: "The tenant has no such resource: the token was asked for another cloud's Security & Compliance PowerShell, or the tenant has no Microsoft Purview compliance service. Check that environment names the tenant's cloud (GCC High, DoD and 21Vianet tenants have clouds of their own) and that the tenant has licences that include Purview.",
            },
            {
                where: { phases: SIGN_IN },
                hint: "The tenant has no such resource: the token was asked for another cloud's Exchange Online, or the tenant has no Exchange Online. Check that environment names the tenant's cloud (GCC High, DoD and 21Vianet tenants have clouds of their own) and that the tenant has Exchange Online licences.",
            },
        ],
    },
    {
        id: 'conditional-access',
        symptom: 'AADSTS53003: Access has been blocked by Conditional Access policies',
        pattern: /AADSTS53003|AADSTS53000|AADSTS530003/,
        advice: [
            {
                where: { phases: SIGN_IN },
                hint: "A Conditional Access policy blocked the sign-in (from this runner's location, or for this app). An administrator can see which policy in the Entra sign-in logs, and exclude the app's workload identity or the runner's network from it.",
            },
        ],
    },
    {
        id: 'app-disabled',
        symptom: 'AADSTS7000112: Application is disabled',
        pattern: /AADSTS7000112/,
        advice: [
            {
                where: { phases: SIGN_IN },
                hint: "The app's enterprise application (service principal) is disabled in this tenant. An administrator can enable it under Enterprise applications, Properties, Enabled for users to sign-in.",
            },
        ],
    },
    {
        id: 'federated-credential',
        symptom: 'AADSTS70021 / AADSTS700211 / AADSTS700212 / AADSTS700213 / AADSTS7002138: No matching federated identity record found',
        pattern: /AADSTS70021\b|AADSTS70021[123]\b|AADSTS7002138/,
        advice: [
            {
                where: { phases: ['token'], auths: ['oidc'] },
                hint: "No federated credential on the app matches this workflow's token. Add one whose issuer is https://token.actions.githubusercontent.com, whose subject matches the branch, pull request or environment, and whose audience matches the audience input.",
            },
        ],
    },
    {
        id: 'role-not-supported',
        symptom: "The role assigned to application … isn't supported in this scenario",
        pattern: /role assigned to (the )?application .* isn'?t supported|isn't supported in this scenario/i,
        advice: [
            {
                where: { phases: ['connect', 'script'], targets: ['exchange-online'] },
                hint: 'The app has no Entra role for Exchange Online. In Entra ID > Roles and administrators, assign it "Exchange Administrator" (or a narrower Exchange role).',
            },
            {
                where: { phases: ['connect', 'script'], targets: ['security-compliance'] },
                hint: 'The app has no Entra role for Security & Compliance. In Entra ID > Roles and administrators, assign it "Compliance Administrator" (or another Security & Compliance role).',
            },
            {
                where: { phases: ['connect', 'script'], targets: CLOUD },
                hint: 'The app has no Entra role for this workload. In Entra ID > Roles and administrators, assign it "Exchange Administrator" (or a narrower Exchange role) for Exchange Online, "Compliance Administrator" (or another Security & Compliance role) for Security & Compliance.',
            },
        ],
    },
    {
        id: 'manage-as-app',
        symptom: 'UnAuthorized, (401), or no Exchange.ManageAsApp role in the token',
        pattern: /\bUnAuthorized\b|\(401\)|Exchange\.ManageAsApp/i,
        advice: [
            {
                where: { phases: SIGN_IN, targets: ['exchange-online'], auths: ['managed-identity'] },
                hint: "The service refused the managed identity. A managed identity has no API permissions page and no admin consent: assign it Office 365 Exchange Online's app role Exchange.ManageAsApp with Microsoft Graph PowerShell (New-MgServicePrincipalAppRoleAssignment, as the README's managed identity section shows), and the Entra role Exchange Administrator (or a narrower Exchange role).",
            },
            {
                where: { phases: SIGN_IN, targets: ['exchange-online'], auths: APP_ONLY },
                hint: 'The service refused the app. Give the app registration the Office 365 Exchange Online API permission Exchange.ManageAsApp (Application), grant admin consent, and assign it the Entra role Exchange Administrator (or a narrower Exchange role).',
            },
            {
                where: { phases: SIGN_IN, targets: ['security-compliance'], auths: APP_ONLY },
                hint: 'Security & Compliance refused the app. It needs the Office 365 Exchange Online API permission Exchange.ManageAsApp (Application) with admin consent, as Exchange Online does, and an Entra role for Security & Compliance: Compliance Administrator (or another Security & Compliance role). With target exchange-online, security-compliance, an Exchange Online connect that worked shows the permission is there: the role is what is missing.',
            },
            {
                where: { phases: SIGN_IN, targets: CLOUD, auths: APP_ONLY },
                hint: 'The service refused the app. Give the app registration the Office 365 Exchange Online API permission Exchange.ManageAsApp (Application), which Security & Compliance uses too, grant admin consent, and assign it an Entra role: Exchange Administrator for Exchange Online, Compliance Administrator for Security & Compliance.',
            },
        ],
    },
    {
        id: 'not-connected',
        symptom: 'You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets',
        pattern: /must call the Connect-ExchangeOnline cmdlet/i,
        advice: [
            {
                where: { phases: ['script'], targets: ['security-compliance'] },
                hint: "Only Security & Compliance PowerShell is connected (target: security-compliance), and Exchange Online's cmdlets (Get-EXOMailbox, Get-Mailbox and the like) need a connection to Exchange Online: set target to exchange-online, or to exchange-online, security-compliance for both in one session. Otherwise the script disconnected the session, or ran the cmdlet in a runspace of its own (Start-Job, Start-ThreadJob, ForEach-Object -Parallel), which does not share the script's connection.",
            },
            {
                where: { phases: ['script'], targets: CLOUD },
                hint: "The connection the action made before the script started was not there for this cmdlet: the script disconnected it (Disconnect-ExchangeOnline), or ran the cmdlet in a runspace of its own (Start-Job, Start-ThreadJob, ForEach-Object -Parallel), which does not share the script's connection. Call Exchange cmdlets in the script itself, or connect inside each runspace.",
            },
            {
                where: { phases: ['connect'] },
                hint: 'The session was not connected when the cmdlet ran. Read the connect phase above for the first error.',
            },
        ],
    },
    {
        id: 'prompt',
        symptom: 'PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.',
        pattern: /NonInteractive mode\. Read and Prompt functionality is not available/i,
        advice: [
            {
                where: { phases: ['script'] },
                hint: 'The script asked for an answer that no one can give in a workflow: a confirmation (Remove-* and other high-impact cmdlets ask by default; add -Confirm:$false to the cmdlet), Read-Host or Get-Credential (give the script the value instead: a plain one through the parameters input, a secret through an environment variable set from the secret).',
            },
        ],
    },
    {
        id: 'command-not-found',
        symptom: "The term 'Get-Mailbox' is not recognized",
        pattern: /The term '([^']+)' is not recognized/i,
        advice: [
            {
                where: { phases: ['script'], targets: ['exchange-online'] },
                hint: 'The cmdlet is not in this session. Check its spelling, that command-names includes it (a list), or that the script names it as a command (auto reads the names the script writes: one it builds, or runs from a string, is not loaded), that it carries the prefix when prefix is set, that the Exchange role of the app or account grants it, and that the script did not call Disconnect-ExchangeOnline before it. Only Exchange Online is connected: a Security & Compliance cmdlet (Get-Label, Get-ComplianceSearch, Get-DlpCompliancePolicy and the like) needs target security-compliance, or exchange-online, security-compliance for both.',
            },
            {
                where: { phases: ['script'], targets: ['security-compliance'] },
                hint: 'The cmdlet is not in this session. Check its spelling, that command-names includes it (a list), or that the script names it as a command (auto reads the names the script writes: one it builds, or runs from a string, is not loaded), that it carries the prefix when prefix is set, that the role of the app or account grants it, and that the script did not call Disconnect-ExchangeOnline before it. Only Security & Compliance is connected: an Exchange Online cmdlet (Get-Mailbox, Get-EXOMailbox and the like) needs target exchange-online, or exchange-online, security-compliance for both.',
            },
            {
                where: { phases: ['script'] },
                hint: 'The cmdlet is not in this session. Check its spelling, that command-names includes it (a list), or that the script names it as a command (auto reads the names the script writes: one it builds, or runs from a string, is not loaded), that it carries the prefix when prefix is set, that the Exchange role of the app or account grants it, and that the script did not call Disconnect-ExchangeOnline before it.',
            },
        ],
    },
    {
        id: 'command-in-another-runspace',
        symptom: "The term 'Get-Mailbox' is not recognized, for a command the script's session has",
        pattern: /The term '([^']+)' is not recognized/i,
        byIdOnly: true,
        advice: [
            {
                where: { phases: ['script'] },
                hint: "The script's session has this command (the connection's cmdlets among them), but the call ran elsewhere: ForEach-Object -Parallel, Start-ThreadJob and Start-Job run their blocks in runspaces (or processes) of their own, without the session's functions and connections. Call Exchange cmdlets in the script itself, or connect inside each block (Connect-ExchangeOnline is not shared between runspaces).",
            },
        ],
    },
    {
        id: 'token-expired',
        symptom: 'The access token is expired (AADSTS700082)',
        pattern: /token (is )?expired|AADSTS700082|Lifetime validation failed/i,
        advice: [
            {
                where: { phases: ['connect', 'script'], targets: CLOUD, auths: ['access-token'] },
                hint: 'The access token expired. The module cannot renew a token it was given: request it closer to this step, or use certificate authentication, which the module refreshes itself.',
            },
            {
                where: { phases: ['connect', 'script'], targets: CLOUD, auths: _auth_js__WEBPACK_IMPORTED_MODULE_0__/* .TOKEN_FLOWS */ .Ar },
                hint: 'The access token expired. The action requested it before the connect (the log\'s "Access token expires at" line says until when it lives), and the module cannot renew it: keep the script within that time, split the work across jobs, or use certificate authentication, which the module refreshes itself.',
            },
        ],
    },
    {
        id: 'certificate-private-key',
        symptom: 'Keyset does not exist / does not have a private key',
        pattern: /Keyset does not exist|does not have a private key|no private key/i,
        advice: [
            {
                where: { phases: ['connect'], auths: ['certificate'] },
                hint: 'The certificate has no usable private key. Export the PFX with its private key (Export-PfxCertificate, or openssl pkcs12 -export).',
            },
        ],
    },
    {
        id: 'certificate-not-in-store',
        symptom: 'Certificate with thumbprint … was not found',
        pattern: /certificate with thumbprint .* (was )?not found|Cannot find certificate/i,
        advice: [
            {
                where: { phases: ['connect'], auths: ['certificate'] },
                hint: "certificate-thumbprint names no certificate in the user certificate store (CurrentUser\\My) of the runner's account, where Connect-ExchangeOnline looks it up. Import it there for that account, or pass the PFX in certificate.",
            },
        ],
    },
    {
        id: 'execution-policy',
        symptom: 'Files cannot be loaded because running scripts is disabled on this system (or: is not digitally signed)',
        pattern: /running scripts is disabled on this system|is not digitally signed/i,
        advice: [
            {
                hint: "An execution policy set by Group Policy blocked a script: the action starts PowerShell with -ExecutionPolicy Bypass, which a policy of the MachinePolicy or UserPolicy scope overrides. Restricted disables every script (running scripts is disabled); AllSigned refuses unsigned ones (is not digitally signed), the action's own included. Get-ExecutionPolicy -List on the runner shows the scope that sets it: have it set to RemoteSigned or Bypass for the runner's account. Signing your scripts does not help under Restricted.",
            },
        ],
    },
    {
        id: 'winrm-basic-disabled',
        symptom: 'Basic authentication is currently disabled in the client configuration',
        pattern: /Basic authentication is currently disabled in the client configuration/i,
        advice: [
            {
                where: { phases: SESSION, targets: SERVER },
                hint: 'The WinRM client does not allow Basic. On the runner, in an elevated Command Prompt: winrm set winrm/config/client/auth @{Basic="true"}',
            },
        ],
    },
    {
        id: 'session-limit',
        symptom: 'exceeded the maximum number of concurrent connections',
        pattern: /maximum number of concurrent|exceeded the maximum number|too many (open )?(sessions|connections)/i,
        advice: [
            {
                where: { phases: SESSION },
                hint: "The account already holds as many remote PowerShell sessions as it may: three in Exchange Online; on an Exchange server, the PowerShellMaxConcurrency of the account's throttling policy (Get-ThrottlingPolicy). Abandoned sessions hold their slot until they expire; wait, or remove them. The post step of this action removes the sessions it opened.",
            },
        ],
    },
    {
        id: 'throttled',
        symptom: 'The remote server returned an error: (429) Too Many Requests',
        pattern: /\(429\)|\b429 Too Many|throttl/i,
        advice: [
            {
                where: { phases: ['connect'] },
                hint: 'The service is throttling this tenant. Raise connect-retries, run fewer jobs at once (max-parallel), or retry later.',
            },
            {
                where: { phases: ['script'] },
                hint: 'A service the script called is throttling it. connect-retries retries only the connect, not the script: run the job again later, run fewer jobs at once (max-parallel), or have the script wait and retry the call.',
            },
        ],
    },
    {
        id: 'access-denied',
        symptom: 'Access is denied / not enabled for remote PowerShell',
        pattern: /Access is denied|not enabled for remote PowerShell|RemotePowerShellEnabled/i,
        advice: [
            {
                where: { phases: SESSION, targets: SERVER, auths: ['credential'] },
                hint: 'The server refused the account: check the username (DOMAIN\\user or user@domain) and password secrets first, as WinRM reports a wrong password this way too. If they are right, the account is not allowed to use remote PowerShell: an administrator can enable it with Set-User <account> -RemotePowerShellEnabled $true.',
            },
            {
                where: { phases: SESSION, targets: SERVER },
                hint: 'The account is not allowed to use remote PowerShell. An administrator can enable it with Set-User <account> -RemotePowerShellEnabled $true. With auth: integrated the account is the one the runner runs as: a self-hosted runner service runs as NETWORK SERVICE unless configured otherwise, which signs in to the server as the computer account (DOMAIN\\RUNNER$). Run the service as an account with an Exchange role, or use auth: credential.',
            },
            {
                where: { phases: ['script'], targets: CLOUD, auths: APP_ONLY },
                hint: "When an Exchange cmdlet says this, the app's roles do not grant that cmdlet, one of its parameters, or the object it names. An app's permissions come from the Entra role assigned to it (Exchange Administrator for Exchange Online, Compliance Administrator for Security & Compliance) or, in Exchange Online, from the role groups its service principal is a member of: https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2. Get-ManagementRole -Cmdlet <name> lists the roles that hold a cmdlet.",
            },
        ],
    },
    {
        id: 'logon-failure',
        symptom: 'The user name or password is incorrect',
        pattern: /logon failure|user name or password is incorrect|unknown user name or bad password/i,
        advice: [
            {
                where: { phases: SESSION, targets: SERVER, auths: ['credential'] },
                hint: 'The user name or password is wrong. Check the username and password secrets (DOMAIN\\user or user@domain, for example CONTOSO\\svc-exchange).',
            },
            {
                where: { phases: SESSION, targets: SERVER, auths: ['integrated'] },
                hint: "The server did not accept the runner's own account. With auth: integrated the step signs in as the account the runner runs as: a self-hosted runner service runs as NETWORK SERVICE unless configured otherwise, which signs in as the computer account (DOMAIN\\RUNNER$), and a runner outside the server's domain has no account the server knows. Run the runner service as a domain account with an Exchange role, or use auth: credential.",
            },
        ],
    },
    {
        id: 'module-version-missing',
        symptom: 'Loading ExchangeOnlineManagement failed: ExchangeOnlineManagement 3.8.1 is not in <feed> (it has: …)',
        pattern: /\bis not in .* \(it has[: ]/,
        advice: [
            {
                where: { phases: ['module'] },
                hint: 'module-repository answered, but does not hold that version. Set module-version to one it has, or publish that version to the feed (a mirror may need to fetch it from PSGallery first).',
            },
        ],
    },
    {
        id: 'package-damaged',
        symptom: 'Loading ExchangeOnlineManagement failed: … End of Central Directory record could not be found',
        pattern: /End of Central Directory record could not be found|Central Directory corrupt|Number of entries expected in End Of Central Directory/i,
        advice: [
            {
                where: { phases: ['module'] },
                hint: "The package the installer got from module-repository is damaged: a .nupkg is a zip file, and this one is cut short or is not a zip at all (a download that broke off, a proxy's error page saved in its place). Replace ExchangeOnlineManagement's .nupkg in the feed with a whole copy (Save-PSResource -AsNupkg from PSGallery), then run the job again; with cache: true a run after a fixed feed saves a good copy.",
            },
        ],
    },
    {
        id: 'repository-store',
        symptom: "Loading ExchangeOnlineManagement failed: PSResourceGet cannot read the repository store of the runner's account, …/PSResourceRepository.xml: Root element is missing",
        pattern: /repository store/i,
        advice: [
            {
                where: { phases: ['module'] },
                hint: "PSResourceGet keeps the repositories registered for the runner's account in that one file, and the file is damaged: empty or cut short, as two programs that rewrite it at the same moment can leave it (earlier releases of this action could, with several runs at once on one machine). Reset-PSResourceRepository repairs it by writing a new file that registers PSGallery only: every other repository registered for the account is gone. So first copy the file aside and note the repositories it still names; then, as the runner's account, run Reset-PSResourceRepository and register the others again with Register-PSResourceRepository.",
            },
        ],
    },
    {
        id: 'repository-not-registered',
        symptom: "Loading ExchangeOnlineManagement failed: Unable to find repository 'PSGallery' / Cannot resolve -Repository name",
        pattern: /Unable to find repository|Cannot resolve -Repository name/i,
        advice: [
            {
                where: { phases: ['module'] },
                hint: "The installer did not find the repository among those registered for the runner's account. With module-repository PSGallery, PSGallery has been unregistered for that account: register it again, as the runner's account, with Register-PSResourceRepository -PSGallery (PowerShellGet 2: Register-PSRepository -Default). A feed is registered by the step for its save only; if another program changed the account's repositories meanwhile, run the job again.",
            },
        ],
    },
    {
        id: 'feed-registered-twice',
        symptom: "Loading ExchangeOnlineManagement failed: The repository could not be registered because there exists a registered repository with Name 'contoso-mirror' and SourceLocation '…'",
        pattern: /could not be registered because there exists a registered repository/i,
        advice: [
            {
                where: { phases: ['module'] },
                hint: "PowerShellGet 2, the installer of Windows PowerShell 5.1 and of PowerShell before 7.4, registers a feed under one name only, and the runner's account has module-repository registered already, under the name the message gives; the step registers the feed for its save under a name of its own. Run the step on PowerShell 7.4 or later (shell: pwsh), whose PSResourceGet has no such limit; or install ExchangeOnlineManagement from that repository in an earlier step (Save-Module or Install-Module -Repository with that name) and set module-version: installed.",
            },
        ],
    },
    {
        id: 'module-save-wait',
        symptom: 'Loading ExchangeOnlineManagement failed: ExchangeOnlineManagement 3.9.0 was not saved: another run on this runner, as the same account, has held …/module-save.lock for 15 minutes',
        pattern: /was not saved: another run on this runner/,
        advice: [
            {
                where: { phases: ['module'] },
                hint: "The runs of one account on a runner save modules one at a time, and another run's save has not finished. Find the run on this runner whose Module phase is still going (a feed or proxy that does not answer) and cancel it; script-timeout ends such a run by itself. The lock ends with the process that holds it: there is no file to delete.",
            },
        ],
    },
    {
        id: 'module-download-stopped',
        symptom: "The run timed out … in its module phase; … ExchangeOnlineManagement's download from <feed> (module-repository) had not finished.",
        pattern: /^The run(?: \([^)]*\))? timed out .* ExchangeOnlineManagement's download from .* \(module-repository\) had not finished\.$/,
        advice: [
            {
                hint: "The run was stopped while the module was being downloaded, and a feed that does not answer holds the download until a cancel or script-timeout ends it. Check that module-repository is the feed's URL (PSGallery, a NuGet v3 feed's …/index.json, or a folder) and that the runner reaches it: DNS, a firewall on the way and, behind a proxy, https_proxy and no_proxy in the runner's environment, from which PowerShell 7 takes its proxy (https://learn.microsoft.com/dotnet/api/system.net.http.httpclient.defaultproxy); Windows PowerShell 5.1 takes the user's proxy settings. A feed that is only slow needs a longer script-timeout, which counts the download. With cache: true, later runs restore the module from the Actions cache once one run has saved it.",
            },
        ],
    },
    {
        id: 'module-download-cancelled',
        symptom: "The run was cancelled … ExchangeOnlineManagement's download from <feed> (module-repository) had not finished.",
        pattern: /^The run(?: \([^)]*\))? was cancelled.* ExchangeOnlineManagement's download from .* \(module-repository\) had not finished\.$/,
        advice: [
            {
                hint: "The run was cancelled while the module was being downloaded. The installer does not stop when asked, so PowerShell was ended: nothing was connected, and a later run does not take the unfinished download for the module (its next save removes what this one left and downloads it again). If the download was what held the run up, check that module-repository is the feed's URL and that the runner reaches it (DNS, a firewall on the way, https_proxy and no_proxy behind a proxy); with cache: true, later runs restore the module from the Actions cache once one run has saved it.",
            },
        ],
    },
    {
        id: 'module-incomplete',
        symptom: 'Loading ExchangeOnlineManagement failed: … no valid module was found in any module directory / Could not load file or assembly / Bad IL format',
        pattern: /no valid module was found in any module directory|Could not load file or assembly|Bad IL format|The format of the file .* is invalid/i,
        advice: [
            {
                where: { phases: ['module'] },
                hint: "A file the module needs is missing or damaged, so the copy is incomplete: a cache restore or a save cut short (a job cancelled while it ran, a full disk). Delete the copy's folder, the one in the message (a copy this action saved is under RUNNER_TOOL_CACHE/exo-connect-action), and run the job again: the module is then downloaded again.",
            },
        ],
    },
    {
        id: 'module-save-folder',
        symptom: "Loading ExchangeOnlineManagement failed: … Access to the path '…/exo-connect-action' is denied",
        pattern: /Access to the path .* is denied|Read-only file system/i,
        advice: [
            {
                where: { phases: ['module'] },
                hint: "Saving the module writes to two folders of the runner's account: the tool cache (RUNNER_TOOL_CACHE, where the copy goes) and its local data folder (XDG_DATA_HOME, else ~/.local/share; on Windows LOCALAPPDATA), where the save's lock and PSResourceGet's repository list live. The path in the message is the one the account may not write: give the account write access to it, point that variable at a folder it may write (in a container whose home is read-only, XDG_DATA_HOME: ${{ runner.temp }}), or install ExchangeOnlineManagement in the image and set module-version: installed.",
            },
        ],
    },
    {
        id: 'feed-certificate',
        symptom: 'Loading ExchangeOnlineManagement failed: The SSL connection could not be established … PartialChain / UntrustedRoot / Could not establish trust relationship',
        pattern: /PartialChain|UntrustedRoot|Could not establish trust relationship/i,
        advice: [
            {
                where: { phases: ['module'] },
                hint: "The feed's TLS certificate is not one the runner trusts: a private CA's, or that of a proxy that inspects TLS. Add the CA certificate to the runner's trust store, from which PowerShell checks it (Linux: the distribution's CA store, such as /usr/local/share/ca-certificates and update-ca-certificates; Windows: Trusted Root Certification Authorities of the machine or the runner's account); NODE_EXTRA_CA_CERTS reaches Node's requests only.",
            },
        ],
    },
    {
        id: 'module-source',
        symptom: 'Loading ExchangeOnlineManagement failed: No such host is known / Unable to resolve package source',
        pattern: new RegExp(`${UNREACHABLE}|Unable to resolve package source|No match was found for the specified search criteria|could not be installed from repository|Response status code does not indicate success|Unable to load the service index|SSL connection could not be established|Unable to download|HttpClient\\.Timeout|operation has timed out|is not a known repository type`, 'i'),
        advice: [
            {
                where: { phases: ['module'] },
                hint: "The module could not be downloaded from module-repository. Check that the runner reaches it (PSGallery, or your feed's URL or folder), that the feed holds ExchangeOnlineManagement at module-version, and the proxy settings of the runner; or install the module on a self-hosted runner and use module-version: installed.",
            },
        ],
    },
    {
        id: 'network',
        symptom: 'WinRM cannot complete the operation / connection refused',
        pattern: new RegExp(`WinRM cannot complete the operation|cannot connect to the destination|${UNREACHABLE}`, 'i'),
        advice: [
            {
                where: { phases: SESSION, targets: SERVER },
                hint: 'The server could not be reached. Check connection-uri, DNS, proxy-access-type and that TCP 80/443 is open from the runner to the server.',
            },
            {
                where: { phases: ['connect'], targets: CLOUD },
                hint: "The runner could not reach the service. Check that it resolves (DNS) and may connect on port 443 (firewall) to the host of connection-uri in the Settings group and the other Exchange Online and Entra ID endpoints that Microsoft lists at https://learn.microsoft.com/microsoft-365/enterprise/urls-and-ip-address-ranges. Behind a proxy, set https_proxy (and no_proxy for hosts reached directly) in the runner's environment: PowerShell 7 takes its proxy from them, and on Windows, when they are unset, from the user's proxy settings (https://learn.microsoft.com/dotnet/api/system.net.http.httpclient.defaultproxy); Windows PowerShell 5.1 from the user's proxy settings only.",
            },
        ],
    },
    {
        id: 'kerberos',
        symptom: 'WinRM cannot process the request: Kerberos authentication error 0x80090311 / the domain is not available',
        pattern: /0x80090311|0x8009030e|Kerberos authentication error|domain (is not|isn't) available|no authority could be contacted/i,
        advice: [
            {
                where: { phases: SESSION, targets: SERVER },
                hint: "Kerberos could not be used: the runner is not in the server's domain, or connection-uri is not the server's fully qualified name. Use the FQDN in connection-uri on a domain-joined self-hosted runner, or authentication: Negotiate with auth: credential.",
            },
        ],
    },
    {
        id: 'trusted-hosts',
        symptom: 'The WinRM client cannot process the request … TrustedHosts configuration setting',
        pattern: /TrustedHosts/i,
        advice: [
            {
                where: { phases: SESSION, targets: SERVER },
                hint: "WinRM trusts only domain names it can check with Kerberos. Use the server's FQDN in connection-uri; for a server outside the domain, add it to the runner's WinRM TrustedHosts (Set-Item WSMan:\\localhost\\Client\\TrustedHosts) and use HTTPS with authentication: Negotiate or Basic.",
            },
        ],
    },
    {
        id: 'certificate-untrusted',
        symptom: 'The SSL certificate is signed by an unknown certificate authority / the CN does not match',
        pattern: /unknown certificate authority|certificate (is )?not trusted|SSL certificate (could not be checked|contains a common name)|CN .*does not match|revocation (server was offline|check)/i,
        advice: [
            {
                where: { phases: SESSION, targets: SERVER },
                hint: "The runner does not trust the server's HTTPS certificate: its authority is not in the runner's store, its name does not match connection-uri, or its revocation cannot be checked. Install the authority's certificate on the runner or use the name on the certificate; for a lab server only, insecure-skip-certificate-check: true.",
            },
        ],
    },
    {
        id: 'powershellget-version',
        symptom: 'saving ExchangeOnlineManagement needs PowerShellGet 2.0.0 or later',
        pattern: /needs PowerShellGet \d/,
        advice: [
            {
                where: { phases: ['module'] },
                hint: 'Windows PowerShell 5.1 ships with PowerShellGet 1.0.0.1. Install a newer one once on the runner, in Windows PowerShell as the account the runner runs as (PowerShell Gallery takes TLS 1.2 only, which Windows PowerShell may not offer by default): [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12; Install-PackageProvider -Name NuGet -Scope CurrentUser -Force; Install-Module -Name PowerShellGet -Scope CurrentUser -Force -AllowClobber. Or use shell: pwsh.',
            },
        ],
    },
    {
        id: 'nuget-provider',
        symptom: "NoMatchFoundForProvider / FailedProviderBootstrap: Unable to find package provider 'NuGet'",
        pattern: /NoMatchFoundForProvider|FailedProviderBootstrap|find package provider 'NuGet'/i,
        advice: [
            {
                where: { phases: ['module'] },
                hint: "Windows PowerShell could not install the NuGet package provider that PowerShellGet 2 saves with: it downloads it from Microsoft's provider service, which was unreachable or refused (its certificate has lapsed before, for every runner at once). Install the provider once on the runner, as the account the runner runs as (Install-PackageProvider -Name NuGet -MinimumVersion 2.8.5.201 -Scope CurrentUser -Force, or copy its folder from a machine that has it to %LOCALAPPDATA%\\PackageManagement\\ProviderAssemblies), or use shell: pwsh, whose PSResourceGet needs no provider.",
            },
        ],
    },
    {
        id: 'module-version',
        symptom: 'This module requires a minimum PowerShell version',
        pattern: /requires? (a )?minimum PowerShell version|PowerShell version .* (is )?required|not supported on PowerShell/i,
        advice: [
            {
                where: { phases: ['module'] },
                hint: 'This ExchangeOnlineManagement version does not run on this PowerShell. Pin module-version to a release that supports it (3.9.x runs on PowerShell 7.4 and later), or use a newer PowerShell.',
            },
        ],
    },
    {
        id: 'powershell-aborted',
        symptom: 'PowerShell was ended by SIGABRT ("Stack overflow." in the log; on Windows, exit code 0xC00000FD or 0xC0000409)',
        pattern: /^PowerShell(?: \([^)]*\))? (was ended by SIGABRT|exited with code (3221225725|3221226505)) /,
        advice: [
            {
                hint: "PowerShell aborted; .NET's own message just before this one says why. \"Couldn't find a valid ICU package\": the runner (a slim container, often) lacks the ICU library: install it (libicu) or set DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 (https://learn.microsoft.com/dotnet/core/runtime-config/globalization). A culture that is not supported: set LANG and LC_ALL to one the runner has, such as C.UTF-8. \"Startup hook assembly ... failed to load\": DOTNET_STARTUP_HOOKS, set by the job or the runner, names a library this .NET cannot load; correct it or remove it from the job's env (https://github.com/dotnet/runtime/blob/main/docs/design/features/host-startup-hook.md). With no such message, when every PowerShell of the runner's account now aborts like this, the JIT start-up profile in PowerShell's cache folder is damaged, which happens after several of them ran at once (https://github.com/PowerShell/PowerShell/issues/26528). Delete StartupProfileData-NonInteractive from PowerShell's cache folder on the runner ($XDG_CACHE_HOME/powershell or ~/.cache/powershell; on Windows %LOCALAPPDATA%\\Microsoft\\PowerShell, or %LOCALAPPDATA%\\Microsoft\\Windows\\PowerShell for Windows PowerShell) and run the job again.",
            },
        ],
    },
    {
        id: 'powershell-start-hung',
        symptom: 'PowerShell had not begun the run 120 s after it was given its configuration, and was killed',
        pattern: /^PowerShell(?: \([^)]*\))? had not begun the run /,
        advice: [
            {
                hint: "PowerShell hung as it started, before it read the script; nothing had connected. When every PowerShell of the runner's account now hangs or aborts as it starts, the JIT start-up profile in PowerShell's cache folder is damaged, which happens after several of them ran at once (https://github.com/PowerShell/PowerShell/issues/26528): delete StartupProfileData-NonInteractive from PowerShell's cache folder on the runner ($XDG_CACHE_HOME/powershell or ~/.cache/powershell; on Windows %LOCALAPPDATA%\\Microsoft\\PowerShell, or %LOCALAPPDATA%\\Microsoft\\Windows\\PowerShell for Windows PowerShell) and run the job again. Otherwise run the job again: a runner short of memory or CPU can stall a start this long too.",
            },
        ],
    },
    {
        id: 'stopped-script-ended-powershell',
        symptom: 'The run was cancelled (or timed out after …); PowerShell ended itself (exit code N) before it disconnected …',
        pattern: /^The run(?: \([^)]*\))? (was cancelled|timed out after)[^;]*; PowerShell ended itself/,
        advice: [
            {
                hint: "The stop ran the script's finally blocks, and one of them (or something it called) ended PowerShell: [Environment]::Exit or Stop-Process -Id $PID end the process, and the teardown with it; exit N ends only the script. Leave the process to the runner, and the post step has nothing to remove.",
            },
        ],
    },
    {
        id: 'stopped-before-teardown',
        symptom: 'The run was cancelled (or timed out after …); PowerShell ended before it disconnected / while it was connecting …',
        pattern: /^The run(?: \([^)]*\))? (was cancelled|timed out after)[^;]*; (PowerShell ended|it was stopped while connecting)/,
        advice: [
            {
                hint: "The session may outlive this step: the warning about the disconnect says what may be left and what the post step does about it, and the post step's log what it removed. When PowerShell did not stop when asked, it was in a call that does not end at a stop: in the script, a .NET method such as [System.Threading.Thread]::Sleep or a native command that ignores Ctrl+C (give such a call a time limit of its own, so that a stop leaves time for the teardown); during its teardown, a disconnect that waited on a service that did not answer.",
            },
        ],
    },
    {
        id: 'cancelled',
        symptom: 'The run was cancelled; it was stopped and the session torn down / before anything was connected',
        pattern: /^The run(?: \([^)]*\))? was cancelled(; it was stopped (and the session torn down|before anything was connected)| before its configuration reached PowerShell)/,
        advice: [
            {
                hint: 'Nothing is left to clean up. A cancel comes from outside the step: someone cancelled the workflow run, a newer run of the same concurrency group replaced it (cancel-in-progress), or the job ran past its timeout-minutes. Run the job again if the cancel was not meant, or raise timeout-minutes if the job needs longer.',
            },
        ],
    },
    {
        id: 'timed-out',
        symptom: 'The run timed out after 30m (script-timeout) in its script phase; it was stopped and the session torn down',
        pattern: /^The run(?: \([^)]*\))? timed out after [^;]*\(script-timeout\)[^;]*; it was stopped (and the session torn down|before anything was connected)/,
        advice: [
            {
                hint: "Nothing is left to clean up. script-timeout counts PowerShell's start, the token request, the module's download and the connect as well as the script, not the teardown: raise it if the work needs longer. The message names the phase the time ran out in.",
            },
        ],
    },
    {
        id: 'aadsts-other',
        symptom: 'AADSTS50013: Assertion failed signature validation (or any other AADSTS code)',
        pattern: /\bAADSTS\d{5,}/,
        advice: [
            {
                where: { phases: SIGN_IN },
                hint: "Entra ID refused the sign-in, and the AADSTS code in the message says why. Microsoft explains the codes at https://learn.microsoft.com/entra/identity-platform/reference-error-codes, and https://login.microsoftonline.com/error?code=<number> explains one (the digits after AADSTS). Check the inputs the code names: organization or tenant-id, client-id, environment, and the app registration's credentials and permissions.",
            },
        ],
    },
];
function holds(where, context) {
    if (where === undefined)
        return true;
    if (where.phases !== undefined && (context.phase === null || !where.phases.includes(context.phase)))
        return false;
    if (where.targets !== undefined && !context.targets.every((t) => where.targets.includes(t)))
        return false;
    return where.auths === undefined || where.auths.includes(context.auth);
}
function findHint(message, context) {
    for (const entry of HINTS) {
        if (entry.byIdOnly === true || !entry.pattern.test(message))
            continue;
        const advice = entry.advice.find((a) => holds(a.where, context));
        if (advice !== undefined)
            return { id: entry.id, hint: advice.hint };
    }
    return undefined;
}
function hintById(id) {
    const entry = HINTS.find((h) => h.id === id);
    const advice = entry?.advice.find((a) => a.where === undefined || entry.byIdOnly === true);
    if (advice === undefined)
        throw new Error(`No unscoped hint '${id}'`);
    return advice.hint;
}
const PHASE_WORDS = {
    settings: 'settings',
    token: 'token request',
    module: 'module',
    connect: 'connect',
    script: 'script',
    teardown: 'teardown',
};
function describeScope(where) {
    const parts = [
        where?.phases?.map((p) => PHASE_WORDS[p]).join(' or '),
        where?.targets?.join(' or '),
        where?.auths === undefined ? undefined : `auth: ${where.auths.join(', ')}`,
    ].filter((part) => part !== undefined);
    return parts.length === 0 ? 'anywhere' : parts.join('; ');
}
function hintPhaseOf(runnerPhase) {
    if (runnerPhase === 'config' || runnerPhase === 'parameters')
        return 'settings';
    return HINT_PHASES.find((p) => p === runnerPhase) ?? null;
}


/***/ }),

/***/ 673:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fd: () => (/* binding */ hasControlCharacter),
/* harmony export */   TN: () => (/* binding */ oneLine),
/* harmony export */   hS: () => (/* binding */ counted),
/* harmony export */   x1: () => (/* binding */ spaceControls)
/* harmony export */ });
/* unused harmony export neutralise */
function counted(count, one, many) {
    return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
function oneLine(text) {
    return neutralise(text.replace(CONTROL, ' ').trim());
}
function neutralise(line) {
    return line.replace(/##\[/g, '# #[').replace(/^(\s*)::/, '$1: :');
}
function hasControlCharacter(value) {
    CONTROL.lastIndex = 0;
    return CONTROL.test(value);
}
function spaceControls(text) {
    return text.replace(CONTROL, (run) => ' '.repeat(run.length));
}


/***/ }),

/***/ 9835:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CACHE_SAVE_LIMIT_MS: () => (/* binding */ CACHE_SAVE_LIMIT_MS),
  abandonedRequests: () => (/* binding */ abandonedRequests),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./lib/actions-core.js
var actions_core = __webpack_require__(7950);
// EXTERNAL MODULE: ./node_modules/@actions/io/lib/io.js
var io = __webpack_require__(8701);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./lib/errors.js
var errors = __webpack_require__(452);
// EXTERNAL MODULE: ./lib/hints.js
var hints = __webpack_require__(2537);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./lib/secrets.js
var secrets = __webpack_require__(150);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: ./lib/endpoints.js
var lib_endpoints = __webpack_require__(7489);
// EXTERNAL MODULE: ./lib/auth.js
var lib_auth = __webpack_require__(5953);
// EXTERNAL MODULE: ./lib/log-text.js
var log_text = __webpack_require__(673);
;// CONCATENATED MODULE: ./lib/result-file.js





const RESULT_FORMATS = { '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.json': 'json', '.csv': 'csv' };
const ACCEPTED = 'a file path ending in .jsonl or .ndjson (one JSON object a line), .json (one array) or .csv';
const MAX_NAME_BYTES = 255;
function readResultFile(value, workingDirectory) {
    if (value === '')
        return null;
    const notation = (0,errors/* shellNotation */.RN)(value);
    if (notation !== null)
        throw new errors/* SettingsError */.GN('result-file', `${(0,errors/* quoted */.TL)(value)}: ${notation}`, `${ACCEPTED}; ${errors/* AS_WRITTEN */.bj}`);
    const resolved = external_node_path_.resolve(workingDirectory, value);
    if (/[\\/]$/.test(value) || isDirectory(resolved)) {
        throw new errors/* SettingsError */.GN('result-file', `${(0,errors/* quoted */.TL)(resolved)} is a directory`, ACCEPTED);
    }
    const extension = external_node_path_.extname(resolved).toLowerCase();
    const format = RESULT_FORMATS[extension];
    if (format === undefined) {
        const what = extension === '' ? 'has no extension' : `has the extension ${extension}`;
        throw new errors/* SettingsError */.GN('result-file', `${(0,errors/* quoted */.TL)(value)} ${what}, which names no format`, ACCEPTED);
    }
    checkWritable(resolved);
    return { path: resolved, format };
}
function isDirectory(p) {
    try {
        return external_node_fs_.statSync(p).isDirectory();
    }
    catch {
        return false;
    }
}
function checkWritable(file) {
    const cannot = (why) => {
        throw new errors/* SettingsError */.GN('result-file', `${(0,errors/* quoted */.TL)(file)} cannot be created: ${why}`, `${ACCEPTED}, in a folder this job can write`);
    };
    const long = file.split(/[\\/]/).find((name) => Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES);
    if (long !== undefined)
        cannot(`the name '${long.slice(0, 40)}…' is longer than ${MAX_NAME_BYTES} bytes`);
    if (external_node_fs_.existsSync(file)) {
        if (!writable(file))
            cannot('the file exists and is not writable');
        return;
    }
    let dir = external_node_path_.dirname(file);
    while (!external_node_fs_.existsSync(dir)) {
        const parent = external_node_path_.dirname(dir);
        if (parent === dir)
            break;
        dir = parent;
    }
    if (!isDirectory(dir))
        cannot(`${(0,errors/* quoted */.TL)(dir)} is a file, not a folder`);
    if (!writable(dir))
        cannot(`the folder '${dir}' is not writable`);
}
function writable(p) {
    try {
        external_node_fs_.accessSync(p, external_node_fs_.constants.W_OK);
        return true;
    }
    catch {
        return false;
    }
}
class ResultFileError extends errors/* HintedError */.J_ {
}
function removeEarlierResultFile(file) {
    if (file === null)
        return;
    const entry = entryAt(file.path);
    if (entry === null || !(entry.isFile() || entry.isSymbolicLink()))
        return;
    let done = 'removed';
    try {
        external_node_fs_.unlinkSync(file.path);
    }
    catch (error) {
        if (!entry.isFile() || !emptied(file.path)) {
            throw new ResultFileError(`result-file '${file.path}' holds an earlier run's objects and could not be removed before the run: ${(0,log_text/* oneLine */.TN)(error.message)}`, 'Close the program that has the file open (on Windows, Excel locks a .csv it shows) and make sure this job may write to its folder, or give this step a result-file path of its own.');
        }
        done = 'emptied';
    }
    actions_core/* info */.pq(`result-file: ${done} ${file.path}, left by an earlier run; this run writes it when its script starts.`);
}
function entryAt(file) {
    try {
        return external_node_fs_.lstatSync(file, { throwIfNoEntry: false }) ?? null;
    }
    catch {
        return null;
    }
}
function emptied(file) {
    try {
        if (!external_node_fs_.lstatSync(file).isFile())
            return false;
        external_node_fs_.truncateSync(file, 0);
        return true;
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./lib/parameters.js

const MAX_PARAMETER_DEPTH = 100;
const PARAMETER_NAME = /^[\p{L}_][\p{L}\p{Nd}_]{0,127}$/u;
const EXAMPLE = 'a JSON object such as {"Identity": "alice@contoso.com", "Days": 30}';
const COMMON_PARAMETERS = new Map([
    ['Verbose', 'vb'],
    ['Debug', 'db'],
    ['ErrorAction', 'ea'],
    ['WarningAction', 'wa'],
    ['InformationAction', 'infa'],
    ['ProgressAction', 'proga'],
    ['ErrorVariable', 'ev'],
    ['WarningVariable', 'wv'],
    ['InformationVariable', 'iv'],
    ['OutVariable', 'ov'],
    ['OutBuffer', 'ob'],
    ['PipelineVariable', 'pv'],
    ['WhatIf', 'wi'],
    ['Confirm', 'cf'],
].flatMap(([name, alias]) => [
    [name.toLowerCase(), name],
    [alias, name],
]));
function readParameters(value) {
    if (value.trim() === '')
        return { json: '{}', names: [] };
    const depth = nestingDepth(value);
    if (depth > MAX_PARAMETER_DEPTH) {
        throw new errors/* SettingsError */.GN('parameters', `nests objects and arrays ${depth} levels deep`, `${EXAMPLE}, nested at most ${MAX_PARAMETER_DEPTH} levels`);
    }
    let parsed;
    let outOfRange = null;
    try {
        parsed = JSON.parse(value, (_key, item, context) => {
            const integer = context?.source !== undefined && /^-?\d+$/.test(context.source);
            if (typeof item === 'number' && !Number.isFinite(item) && !integer)
                outOfRange ??= context?.source ?? String(item);
            return item;
        });
    }
    catch (error) {
        throw new errors/* SettingsError */.GN('parameters', `is not valid JSON (${error.message})`, EXAMPLE);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new errors/* SettingsError */.GN('parameters', 'is JSON but not an object', EXAMPLE);
    }
    if (outOfRange !== null) {
        throw new errors/* SettingsError */.GN('parameters', `holds the number ${outOfRange}, beyond the range of a double`, EXAMPLE);
    }
    const names = checkKeys(value);
    for (const name of names) {
        if (!PARAMETER_NAME.test(name)) {
            throw new errors/* SettingsError */.GN('parameters', `key '${name}' is not a PowerShell parameter name`, "keys of letters, digits and _ that match the names in the script's param() block");
        }
        const common = COMMON_PARAMETERS.get(name.toLowerCase());
        if (common !== undefined) {
            throw new errors/* SettingsError */.GN('parameters', `key '${name}' is PowerShell's common parameter ${common}, which the action sets itself`, "the script's own parameters; the error-action-preference and what-if inputs set those preferences");
        }
    }
    return { json: value, names };
}
function nestingDepth(text) {
    let depth = 0;
    let deepest = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inString) {
            if (c === '\\')
                i++;
            else if (c === '"')
                inString = false;
        }
        else if (c === '"')
            inString = true;
        else if (c === '{' || c === '[')
            deepest = Math.max(deepest, ++depth);
        else if (c === '}' || c === ']')
            depth--;
    }
    return deepest;
}
function checkKeys(text) {
    const objects = [];
    const topLevel = [];
    let expectKey = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"') {
            const start = i;
            for (i++; text[i] !== '"'; i++)
                if (text[i] === '\\')
                    i++;
            const top = objects.at(-1);
            if (!expectKey || top === undefined)
                continue;
            const key = JSON.parse(text.slice(start, i + 1));
            const earlier = top.keys.get(key.toLowerCase());
            if (earlier !== undefined) {
                const where = top.path === '' ? '' : ` in ${top.path}`;
                const problem = earlier === key
                    ? `key '${key}' appears twice${where}`
                    : `keys '${earlier}' and '${key}'${where} differ only in case, and PowerShell's names are case-insensitive`;
                throw new errors/* SettingsError */.GN('parameters', problem, 'each key once, in one spelling');
            }
            top.keys.set(key.toLowerCase(), key);
            top.lastKey = key;
            if (objects.length === 1)
                topLevel.push(key);
            expectKey = false;
        }
        else if (c === '{' || c === '[') {
            const parent = objects.at(-1);
            const path = parent === undefined
                ? ''
                : parent.isObject
                    ? [parent.path, parent.lastKey].filter((p) => p !== '').join('.')
                    : `${parent.path}[]`;
            objects.push({ keys: new Map(), isObject: c === '{', path, lastKey: '' });
            expectKey = c === '{';
        }
        else if (c === '}' || c === ']') {
            objects.pop();
        }
        else if (c === ',') {
            expectKey = objects.at(-1)?.isObject ?? false;
        }
    }
    return topLevel;
}

;// CONCATENATED MODULE: ./lib/script-encoding.js

const BOMS = [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])];
function scriptEncodingWarning(file, shell) {
    const bytes = external_node_fs_.readFileSync(file);
    if (BOMS.some((bom) => bytes.subarray(0, bom.length).equals(bom)))
        return null;
    if (bytes.every((b) => b < 0x80))
        return null;
    let utf8 = true;
    try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    }
    catch {
        utf8 = false;
    }
    if (shell === 'pwsh') {
        return utf8
            ? null
            : `script-file '${file}' is not UTF-8 and has no byte-order mark: it was likely saved in an ANSI code page, such as Windows-1252. PowerShell 7 (shell: pwsh) reads such a file as UTF-8, so its characters outside ASCII arrive changed ('Müller' as 'M\uFFFDller'), in what the script writes to Exchange too. Save the file as UTF-8.`;
    }
    return utf8
        ? `script-file '${file}' is UTF-8 with non-ASCII characters and no byte-order mark. Windows PowerShell 5.1 (shell: powershell) reads such a file in the system's ANSI code page, so text like 'Müller' arrives as 'MÃ¼ller'. Save the file as UTF-8 with BOM, or use shell: pwsh.`
        : null;
}

;// CONCATENATED MODULE: ./lib/inputs.js













const TESTED_MODULE_VERSION = '3.9.0';
const TARGETS = ['exchange-online', 'security-compliance', 'exchange-server'];
const SHELLS = ['pwsh', 'powershell'];
const ERROR_ACTIONS = ['Stop', 'Continue', 'SilentlyContinue'];
const SERVER_AUTHENTICATIONS = ['Kerberos', 'Negotiate', 'Basic', 'Default'];
const PROXY_ACCESS_TYPES = ['None', 'IEConfig', 'WinHttpConfig', 'AutoDetect', 'NoProxyServer'];
const SECRET_INPUTS = [
    'certificate',
    'certificate-password',
    'client-secret',
    'access-token',
    'password',
];
const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;
const INITIAL_DOMAIN = /\.(onmicrosoft\.com|onmicrosoft\.us|onmschina\.cn)$/i;
const CMDLET_NAME = /^[A-Za-z]+-[A-Za-z0-9]+$/;
const MODULE_VERSION = /^(?:\d+\.\d+\.\d+(?:\.\d+)?|\d+\.\d+\.\d+-[0-9A-Za-z][0-9A-Za-z-]*)$/;
const MAX_TIMEOUT_MS = 5 * 24 * 3600 * 1000;
const ONE_LINE_INPUTS = [
    'connection-uri',
    'authority-host',
    'module-repository',
    'working-directory',
    'script-file',
    'result-file',
    'audience',
    'username',
];
function refuseControlCharacters(input, value) {
    const at = [...value].findIndex((c) => (0,log_text/* hasControlCharacter */.Fd)(c));
    if (at === -1)
        return;
    const code = [...value][at].codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new errors/* SettingsError */.GN(input, `contains a control character (U+${code}${code === '000A' || code === '000D' ? ', a line break' : ''}) at character ${at + 1}`, 'a value on one line, without line breaks, tabs or other control characters');
}
function readActionSettings(forCleanup = false) {
    const { platform, overridden } = platformForChecks(process.env);
    if (overridden)
        actions_core/* warning */.$e(`EXO_CONNECT_ACTION_TEST_PLATFORM is set: platform checks assume ${platform}. It exists for the action's own tests.`);
    const getInput = (name) => actions_core/* getInput */.V4(name, { trimWhitespace: false });
    return readSettings({ getInput, maskSecret: secrets/* maskSecret */.$l, platform, env: process.env, forCleanup });
}
function readResultFileAlone(env = process.env) {
    const raw = (name) => actions_core/* getInput */.V4(name);
    try {
        refuseControlCharacters('working-directory', raw('working-directory'));
        refuseControlCharacters('result-file', raw('result-file'));
        return readResultFile(raw('result-file'), readWorkingDirectory(raw('working-directory'), env));
    }
    catch {
        return null;
    }
}
function readSettings(ctx) {
    const raw = (name) => ctx.getInput(name).trim();
    for (const name of SECRET_INPUTS) {
        const value = ctx.getInput(name);
        if (value.trim() !== '')
            ctx.maskSecret(value.trim());
    }
    for (const name of ONE_LINE_INPUTS)
        refuseControlCharacters(name, raw(name));
    const warnings = [];
    const targets = readTargets(raw('target'));
    const target = targets[0];
    const environment = readEnvironment(raw('environment') || 'O365Default');
    const endpoints = lib_endpoints/* ENDPOINTS */.Hr[environment];
    const authorityWarnings = [];
    const authorityHost = readAuthorityHost(raw('authority-host'), endpoints, environment, authorityWarnings);
    const organization = optionalDomain('organization', raw('organization'));
    const delegatedOrganization = optionalDomain('delegated-organization', raw('delegated-organization'));
    const tenantId = readTenantId((0,lib_auth/* unbraceGuid */.Wc)(raw('tenant-id')), delegatedOrganization ?? organization);
    const prefix = readPrefix(raw('prefix'), target);
    const connectionUriInput = raw('connection-uri');
    const connectionUri = readConnectionUri(connectionUriInput, targets, environment, authorityHost, warnings);
    const exchangeServer = {
        authentication: oneOfCaseInsensitive('authentication', raw('authentication') || 'Kerberos', SERVER_AUTHENTICATIONS),
        allowRedirection: bool('allow-redirection', raw('allow-redirection'), false),
        proxyAccessType: oneOfCaseInsensitive('proxy-access-type', raw('proxy-access-type') || 'None', PROXY_ACCESS_TYPES),
        skipCertificateChecks: bool('insecure-skip-certificate-check', raw('insecure-skip-certificate-check'), false),
    };
    const { method: auth, credentials, warnings: authWarnings, details: authDetails, } = (0,lib_auth/* resolveAuth */.hi)({
        requested: raw('auth') || 'auto',
        targets,
        platform: ctx.platform,
        oidcAvailable: Boolean(ctx.env.ACTIONS_ID_TOKEN_REQUEST_URL),
        clientId: raw('client-id'),
        certificate: raw('certificate'),
        certificatePassword: ctx.getInput('certificate-password'),
        certificateThumbprint: raw('certificate-thumbprint'),
        clientSecret: raw('client-secret'),
        accessToken: raw('access-token'),
        audience: raw('audience') || lib_auth/* DEFAULT_AUDIENCE */.Z4,
        tenantId: raw('tenant-id'),
        authorityHost: raw('authority-host'),
        managedIdentityClientId: raw('managed-identity-client-id'),
        username: raw('username'),
        password: ctx.getInput('password'),
    });
    if (lib_auth/* TOKEN_FLOWS */.Ar.includes(auth))
        warnings.push(...authorityWarnings);
    warnings.push(...authWarnings);
    if (target !== 'exchange-server')
        warnServerOnlyInputs(exchangeServer, targets, warnings);
    else
        warnCloudOnlyInputs({
            organization,
            'delegated-organization': delegatedOrganization,
            environment: environment === 'O365Default' ? null : environment,
        }, warnings);
    if (auth === 'oidc' && !ctx.env.ACTIONS_ID_TOKEN_REQUEST_URL) {
        throw new errors/* SettingsError */.GN('auth', "oidc needs the job's OIDC token, and ACTIONS_ID_TOKEN_REQUEST_URL is not set", 'oidc in a job with id-token: write (pull requests from forks never get one), or another auth method. Add to the job', errors/* OIDC_PERMISSIONS */.RH);
    }
    if (target !== 'exchange-server' && auth !== 'credential' && auth !== 'integrated') {
        checkAppOnlyOrganization(organization, targets, auth, environment, warnings);
    }
    const workingDirectory = ctx.forCleanup ? process.cwd() : readWorkingDirectory(raw('working-directory'), ctx.env);
    const script = ctx.forCleanup
        ? { kind: 'inline', text: '' }
        : readScript(ctx.getInput('script'), raw('script-file'), workingDirectory);
    const parameters = ctx.forCleanup ? readParameters('') : readParameters(ctx.getInput('parameters'));
    const shell = readShell(raw('shell'), ctx.platform, script, warnings);
    const moduleVersion = readModuleVersion(raw('module-version'));
    const settings = {
        target,
        targets,
        environment,
        endpoints,
        connectionUri,
        connectionUriOverridden: connectionUriInput !== '',
        authorityHost,
        organization: target === 'exchange-server' ? null : organization,
        tenantId,
        delegatedOrganization: target === 'exchange-server' ? null : delegatedOrganization,
        prefix,
        auth,
        credentials,
        authDetails,
        exchangeServer,
        script,
        workingDirectory,
        parameters,
        shell,
        errorActionPreference: oneOfCaseInsensitive('error-action-preference', raw('error-action-preference') || 'Stop', ERROR_ACTIONS),
        failOnError: bool('fail-on-error', raw('fail-on-error'), true),
        whatIf: bool('what-if', raw('what-if'), false),
        scriptTimeoutMs: readDuration('script-timeout', raw('script-timeout')),
        resultFile: ctx.forCleanup ? null : readResultFile(raw('result-file'), workingDirectory),
        resultDepth: readInteger('result-depth', raw('result-depth'), 4, 1, 20),
        module: {
            version: moduleVersion,
            repository: readRepository(raw('module-repository'), !ctx.forCleanup && target !== 'exchange-server' && moduleVersion !== 'installed', ctx.maskSecret),
            cache: bool('cache', raw('cache'), true),
            commandNames: readCommandNames(raw('command-names')),
        },
        connectRetries: readInteger('connect-retries', raw('connect-retries'), 2, 0, 10),
        summary: bool('summary', raw('summary'), true),
        warnings,
    };
    if (target === 'exchange-server')
        warnModuleInputs(settings.module, warnings);
    else if (moduleVersion === 'installed' && settings.module.repository !== 'PSGallery') {
        warnings.push("Input 'module-repository' is not used with module-version installed: the action installs nothing, and imports the newest ExchangeOnlineManagement on PSModulePath.");
    }
    checkConnectionSafety(settings);
    if (target === 'exchange-server')
        warnServerConnection(settings.connectionUri, exchangeServer, warnings);
    if (target !== 'exchange-server' && shell === 'pwsh') {
        warnNoProxyDifferences((0,lib_endpoints/* hostOf */.w4)(`https://${settings.authorityHost}`), targets.flatMap((t) => (0,lib_endpoints/* hostOf */.w4)(connectionUriOf(settings, t) ?? '') ?? []), ctx.env, warnings);
    }
    checkPlatform(settings, ctx.platform);
    if (settings.failOnError && settings.errorActionPreference === 'SilentlyContinue') {
        warnings.push("Input 'fail-on-error' cannot see errors under error-action-preference SilentlyContinue: PowerShell writes no error record to the error stream, so the step passes after errors. Use Continue to go on after errors and still fail the step.");
    }
    if (!settings.failOnError && settings.errorActionPreference === 'Stop') {
        warnings.push("Input 'fail-on-error' is false, but under error-action-preference Stop (the default) the first error the script does not catch still ends it and fails the step. Set error-action-preference: Continue to let the script go on past errors and the step pass.");
    }
    return settings;
}
function readTenantId(written, organization) {
    const value = withoutRootDot(written);
    if (value !== '' && !lib_auth/* GUID */.Sm.test(value) && !DOMAIN.test(value)) {
        throw new errors/* SettingsError */.GN('tenant-id', `${(0,errors/* quoted */.TL)(written)} is neither a GUID nor a domain`, 'a tenant GUID or a domain such as contoso.onmicrosoft.com');
    }
    return value || organization;
}
function readPrefix(value, target) {
    if (value !== '' && !/^[A-Za-z][A-Za-z0-9]{0,31}$/.test(value)) {
        throw new errors/* SettingsError */.GN('prefix', `${(0,errors/* quoted */.TL)(value)} is not a valid noun prefix`, 'letters and digits, starting with a letter, at most 32 characters');
    }
    if (value.toUpperCase() === 'EXO' && target !== 'exchange-server') {
        throw new errors/* SettingsError */.GN('prefix', "'EXO' is reserved: the module's own Get-EXO* cmdlets use it (Learn: Connect-ExchangeOnline, -Prefix)", 'another prefix, such as Contoso');
    }
    return value || null;
}
function readConnectionUri(value, targets, environment, authorityHost, warnings) {
    const target = targets[0];
    const endpoints = lib_endpoints/* ENDPOINTS */.Hr[environment];
    const url = value === '' ? null : parseHttpUrl('connection-uri', value);
    const uriCloud = url !== null && target !== 'exchange-server' ? (0,lib_endpoints/* cloudOfHost */.HN)(url.hostname) : null;
    if (uriCloud !== null && uriCloud !== environment) {
        warnings.push(`connection-uri is an ${uriCloud} endpoint, and environment is ${environment}: the sign-in and the token still go to ${authorityHost}. Set environment: ${uriCloud} for that cloud.`);
    }
    if (url !== null && target !== 'exchange-server' && targets.length === 1) {
        const workload = (0,lib_endpoints/* workloadOfHost */.FX)(url.hostname);
        if (workload !== null && workload !== target) {
            warnings.push(`connection-uri ${url.host} belongs to ${WORKLOAD_NAMES[workload]}, and target is ${target}: ${CONNECT_CMDLETS[target]} would be sent to the other workload. Set target: ${workload}, or leave connection-uri empty for ${target}'s own endpoint.`);
        }
        else if ((0,lib_endpoints/* isRetiredRemotePowerShellHost */.PO)(url.hostname)) {
            warnings.push(`connection-uri ${url.host} is a host of the retired remote PowerShell (WinRM) connection: the first Office 365 endpoint, standalone Exchange Online Protection's, or a closed cloud's. ${CONNECT_CMDLETS[target]} connects to the endpoint that environment selects; leave connection-uri empty. A standalone Exchange Online Protection organization connects as Exchange Online does, with target exchange-online (https://learn.microsoft.com/powershell/exchange/connect-to-exchange-online-protection-powershell).`);
        }
        else if (!(0,lib_endpoints/* isMicrosoftExchangeHost */.Av)(url.hostname)) {
            warnings.push(`connection-uri ${url.host} is not a Microsoft endpoint in this action's table: ${CONNECT_CMDLETS[target]} sends the session's access token to it. Set connection-uri only to a host you trust, or leave it empty for the endpoint that environment selects.`);
        }
    }
    if (value !== '' && targets.length > 1) {
        throw new errors/* SettingsError */.GN('connection-uri', `overrides one endpoint, and target names ${targets.length} workloads`, 'empty when target is a list (environment selects both endpoints), or one target with its connection-uri');
    }
    if (targets.includes('security-compliance') && endpoints.complianceConnectionUri === null && value === '') {
        throw new errors/* SettingsError */.GN('environment', `${environment} has no Security & Compliance endpoint`, 'a cloud with one, or an explicit connection-uri');
    }
    if (target === 'exchange-server' && value === '') {
        throw new errors/* SettingsError */.GN('connection-uri', 'is required for target exchange-server', "the server's remote PowerShell URL, such as http://mail01.contoso.com/PowerShell/");
    }
    if (value !== '')
        return value;
    if (target === 'exchange-online')
        return endpoints.exchangeConnectionUri;
    return target === 'security-compliance' ? endpoints.complianceConnectionUri : null;
}
const WORKLOAD_NAMES = {
    'exchange-online': 'Exchange Online',
    'security-compliance': 'Security & Compliance',
};
const CONNECT_CMDLETS = {
    'exchange-online': 'Connect-ExchangeOnline',
    'security-compliance': 'Connect-IPPSSession',
};
function connectionUriOf(settings, target) {
    if (settings.connectionUriOverridden || target === 'exchange-server')
        return settings.connectionUri;
    return target === 'security-compliance'
        ? settings.endpoints.complianceConnectionUri
        : settings.endpoints.exchangeConnectionUri;
}
function warnNoProxyDifferences(authority, endpoints, env, warnings) {
    if (!(env.https_proxy || env.HTTPS_PROXY))
        return;
    const entries = (env.no_proxy || env.NO_PROXY || '')
        .split(',')
        .map((entry) => entry.trim().toLowerCase())
        .filter((entry) => entry !== '');
    for (const entry of entries) {
        if (entry === '*') {
            warnings.push(`no_proxy '*' sends the action's token requests around the proxy, but PowerShell 7's .NET does not read '*' and sends its connections through it. List the hosts to reach directly instead, each with a leading dot for the hosts under it (.microsoftonline.com).`);
            continue;
        }
        if (entry.startsWith('.'))
            continue;
        const port = entry.includes(':');
        const misses = (host) => (port ? entry === `${host}:443` : host.endsWith(`.${entry}`));
        const both = misses(authority) ? [authority] : [];
        const powershellOnly = [...new Set(endpoints.filter((host) => host !== authority && misses(host)))];
        if (both.length + powershellOnly.length === 0)
            continue;
        const hosts = [...both, ...powershellOnly].join(', ');
        const tokens = both.length > 0 ? ", while the action's own token requests go around it" : '';
        const why = port
            ? 'which reads no port in no_proxy'
            : 'which matches an entry without a leading dot to that host alone';
        const instead = port ? `'${entry.replace(/:\d+$/, '')}'` : `'.${entry}' for the hosts under it`;
        warnings.push(`no_proxy '${entry}' does not cover ${hosts} for PowerShell 7's .NET, ${why}: PowerShell's connections there go through the proxy${tokens}. Write ${instead} to go around the proxy from both.`);
    }
}
function warnServerOnlyInputs(server, targets, warnings) {
    const serverOnly = [
        ['authentication', server.authentication !== 'Kerberos'],
        ['allow-redirection', server.allowRedirection],
        ['proxy-access-type', server.proxyAccessType !== 'None'],
        ['insecure-skip-certificate-check', server.skipCertificateChecks],
    ];
    for (const [name] of serverOnly.filter(([, set]) => set)) {
        warnings.push(`Input '${name}' is for target exchange-server; ${targets.join(', ')} does not use it.`);
    }
}
function warnServerConnection(connectionUri, server, warnings) {
    const host = new URL(connectionUri).hostname;
    if (server.skipCertificateChecks && new URL(connectionUri).protocol === 'http:') {
        warnings.push(`Input 'insecure-skip-certificate-check' has no effect with an http:// connection-uri: there is no certificate to check. Remove it, or use https:// with the server's certificate trusted on the runner.`);
    }
    else if (server.skipCertificateChecks) {
        warnings.push(`insecure-skip-certificate-check is true: certificate checks of ${host} are off (SkipCACheck, SkipCNCheck, SkipRevocationCheck), so the session accepts any certificate that answers for it: for lab servers only (Learn: "New-PSSessionOption"). For any other server, install the authority of its certificate on the runner and remove the input.`);
    }
    const address = host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(host);
    if (server.authentication === 'Kerberos' && (address || !host.includes('.'))) {
        warnings.push(`connection-uri names the server as ${host}, ${address ? 'an IP address' : 'a name without its domain'}, and authentication is Kerberos, which needs the server's fully qualified domain name, such as http://mail01.contoso.com/PowerShell/ (Learn: "Connect to Exchange servers using remote PowerShell"). Use the server's FQDN in connection-uri.`);
    }
}
function warnCloudOnlyInputs(values, warnings) {
    for (const [name, value] of Object.entries(values)) {
        if (value === null)
            continue;
        const why = name === 'environment'
            ? 'an on-premises server is in no Microsoft cloud; connection-uri names it'
            : "New-PSSession opens the server's own organization";
        warnings.push(`Input '${name}' is for exchange-online and security-compliance; exchange-server does not use it (${why}).`);
    }
}
function warnModuleInputs(module, warnings) {
    const set = [
        module.version !== TESTED_MODULE_VERSION ? 'module-version' : null,
        module.repository !== 'PSGallery' ? 'module-repository' : null,
        module.cache ? null : 'cache',
    ].filter((name) => name !== null);
    if (set.length === 0)
        return;
    warnings.push(`${set.length === 1 ? 'Input' : 'Inputs'} ${set.map((name) => `'${name}'`).join(', ')} ${set.length === 1 ? 'is' : 'are'} not used with exchange-server: its cmdlets come from the server's session (Import-PSSession), so no module is installed, loaded or cached.`);
}
function checkAppOnlyOrganization(organization, targets, auth, environment, warnings) {
    if (organization === null) {
        throw new errors/* SettingsError */.GN('organization', `is required for ${targets.join(' and ')} with auth ${auth}`, "the tenant's initial domain, such as contoso.onmicrosoft.com");
    }
    if (!INITIAL_DOMAIN.test(organization)) {
        warnings.push(`organization '${organization}' is not the tenant's initial domain (*.onmicrosoft.com; *.onmicrosoft.us or *.partner.onmschina.cn in the national clouds). Microsoft documents app-only sign-in with that domain in -Organization (Learn: "App-only authentication in Exchange Online PowerShell"); another accepted domain may fail to connect.`);
        return;
    }
    const suffix = INITIAL_DOMAIN_SUFFIXES[environment];
    if (!organization.endsWith(suffix)) {
        const cloud = lib_endpoints/* CLOUDS */.JJ.find((c) => organization.endsWith(INITIAL_DOMAIN_SUFFIXES[c]));
        warnings.push(`organization '${organization}' is an initial domain of ${cloud === 'O365USGovGCCHigh' ? 'the US government clouds (GCC High, DoD)' : cloud}, and environment is ${environment}, whose tenants' initial domains end in ${suffix}. Set environment to the tenant's cloud; the sign-in would otherwise go to the wrong Entra ID.`);
    }
}
const INITIAL_DOMAIN_SUFFIXES = {
    O365Default: '.onmicrosoft.com',
    O365USGovGCCHigh: '.onmicrosoft.us',
    O365USGovDoD: '.onmicrosoft.us',
    O365China: '.onmschina.cn',
};
function readShell(value, platform, script, warnings) {
    const shell = oneOfCaseInsensitive('shell', value || 'pwsh', SHELLS);
    if (shell === 'powershell' && platform !== 'win32') {
        throw new errors/* SettingsError */.GN('shell', `'powershell' (Windows PowerShell 5.1) exists only on Windows, and this runner is ${platform}`, 'pwsh on Linux and macOS');
    }
    if (script.kind === 'file') {
        const warning = scriptEncodingWarning(script.path, shell);
        if (warning !== null)
            warnings.push(warning);
    }
    return shell;
}
function checkConnectionSafety(settings) {
    if (settings.connectionUri === null)
        return;
    const uri = new URL(settings.connectionUri);
    if (settings.target !== 'exchange-server') {
        if (uri.protocol !== 'https:') {
            throw new errors/* SettingsError */.GN('connection-uri', `${settings.target} endpoints are https; over http:// the access token would cross the network in clear`, 'an https:// URL');
        }
        return;
    }
    if ((0,lib_endpoints/* isRetiredExchangeOnlineRemotePowerShell */.x3)(uri)) {
        const basic = settings.exchangeServer.authentication === 'Basic' ? ' with Basic authentication' : '';
        const workload = (0,lib_endpoints/* workloadOfHost */.FX)(uri.hostname) ?? 'exchange-online';
        throw new errors/* SettingsError */.GN('connection-uri', `${uri.host} is Microsoft's host of ${WORKLOAD_NAMES[workload]}'s remote PowerShell (WinRM) connection, which Microsoft retired${basic}`, `target: ${workload} with auth: certificate or oidc, where the same script runs through ${CONNECT_CMDLETS[workload]}; exchange-server is for on-premises servers`);
    }
    if (settings.exchangeServer.authentication === 'Basic' && uri.protocol === 'http:') {
        throw new errors/* SettingsError */.GN('authentication', 'Basic over http:// would send the password across the network in clear', 'Basic only with an https:// connection-uri, or Kerberos/Negotiate (what http://server/PowerShell/ uses by default)');
    }
    if (settings.exchangeServer.authentication === 'Basic' && settings.credentials.kind !== 'credential') {
        throw new errors/* SettingsError */.GN('authentication', `Basic sends a user name and password, and auth ${settings.credentials.kind} gives none`, 'auth: credential (username and password) with Basic, or Kerberos or Negotiate with auth: integrated');
    }
}
function platformForChecks(env) {
    const forced = env.EXO_CONNECT_ACTION_TEST_PLATFORM;
    return forced
        ? { platform: forced, overridden: true }
        : { platform: process.platform, overridden: false };
}
function checkPlatform(settings, platform) {
    if (settings.target === 'exchange-server' && platform !== 'win32') {
        throw new errors/* SettingsError */.GN('target', `exchange-server needs WSMan remoting, which PowerShell on ${platform} does not have`, 'a Windows runner (usually self-hosted and domain-joined, to reach the server) for exchange-server');
    }
    if (settings.targets.includes('security-compliance') && platform !== 'win32') {
        settings.warnings.push(`Microsoft documents Connect-IPPSSession as unavailable in PowerShell 7 on ${platform}; it is known to work there with app-only authentication. If it fails, run this job on windows-latest.`);
    }
    if (settings.targets.includes('security-compliance') &&
        settings.credentials.kind !== 'certificate' &&
        settings.credentials.kind !== 'certificate-thumbprint' &&
        olderThan(settings.module.version, '3.8.0')) {
        throw new errors/* SettingsError */.GN('module-version', `${settings.module.version} cannot connect to Security & Compliance with an access token (auth ${settings.auth}); Connect-IPPSSession -AccessToken arrived in 3.8.0`, 'module-version 3.8.0 or later, or certificate authentication');
    }
}
function olderThan(version, minimum) {
    if (!/^\d/.test(version))
        return false;
    const a = version.split(/[.-]/).map(Number);
    const b = minimum.split('.').map(Number);
    for (let i = 0; i < b.length; i++) {
        if ((a[i] ?? 0) !== b[i])
            return (a[i] ?? 0) < b[i];
    }
    return false;
}
function caseInsensitive(value, choices) {
    return choices.find((c) => c.toLowerCase() === value.toLowerCase());
}
function oneOfCaseInsensitive(input, value, choices) {
    const found = caseInsensitive(value, choices);
    if (found !== undefined)
        return found;
    throw new errors/* SettingsError */.GN(input, `${(0,errors/* quoted */.TL)(value)} is not one of the accepted values`, choices.join(', '));
}
function bool(input, value, fallback) {
    if (value === '')
        return fallback;
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    throw new errors/* SettingsError */.GN(input, `${(0,errors/* quoted */.TL)(value)} is not a boolean`, 'true or false');
}
const listItems = (value) => value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
function readTargets(value) {
    const names = listItems(value || 'exchange-online');
    const accepted = `${TARGETS.join(', ')}, or the list exchange-online, security-compliance`;
    const targets = names.map((name) => {
        const target = caseInsensitive(name, TARGETS);
        if (target !== undefined)
            return target;
        throw new errors/* SettingsError */.GN('target', `${(0,errors/* quoted */.TL)(name)} is not one of the accepted values`, accepted);
    });
    if (targets.length === 0)
        throw new errors/* SettingsError */.GN('target', 'names no workload', accepted);
    const twice = targets.find((t, i) => targets.indexOf(t) !== i);
    if (twice !== undefined)
        throw new errors/* SettingsError */.GN('target', `names ${twice} twice`, accepted);
    if (targets.length > 1 && targets.includes('exchange-server')) {
        throw new errors/* SettingsError */.GN('target', "exchange-server combines with nothing: it opens a remote session to an on-premises server with the server's own credential, while the other targets connect to Microsoft 365 with an app registration", 'exchange-server alone (in a step of its own), or exchange-online, security-compliance');
    }
    return targets;
}
function readEnvironment(value) {
    const found = caseInsensitive(value, lib_endpoints/* CLOUDS */.JJ);
    if (found !== undefined)
        return found;
    const retired = (0,lib_endpoints/* retiredCloud */.re)(value);
    if (retired !== null) {
        const [name, { why, instead }] = retired;
        throw new errors/* SettingsError */.GN('environment', `${name} is retired: ${why}`, `${instead}, where those tenants are now; or ${lib_endpoints/* CLOUDS */.JJ.filter((cloud) => cloud !== instead).join(', ')}`);
    }
    const likely = (0,lib_endpoints/* likelyCloud */.E6)(value);
    const guess = likely === null ? '' : `; did you mean ${likely}?`;
    throw new errors/* SettingsError */.GN('environment', `${(0,errors/* quoted */.TL)(value)} is not a known Microsoft cloud${guess}`, lib_endpoints/* CLOUDS */.JJ.join(', '));
}
function withoutRootDot(value) {
    return value.length > 1 && value.endsWith('.') && !value.endsWith('..') ? value.slice(0, -1) : value;
}
function optionalDomain(input, written) {
    if (written === '')
        return null;
    const value = withoutRootDot(written);
    if (input === 'delegated-organization' && lib_auth/* GUID */.Sm.test((0,lib_auth/* unbraceGuid */.Wc)(value)))
        return (0,lib_auth/* unbraceGuid */.Wc)(value).toLowerCase();
    if (input === 'organization' && lib_auth/* GUID */.Sm.test((0,lib_auth/* unbraceGuid */.Wc)(value))) {
        throw new errors/* SettingsError */.GN(input, `${(0,errors/* quoted */.TL)(written)} is a tenant ID (a GUID), not a domain`, "the tenant's initial domain, such as contoso.onmicrosoft.com; a tenant GUID belongs in tenant-id");
    }
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) {
        throw new errors/* SettingsError */.GN(input, `${(0,errors/* quotedUrl */.Mu)(written)} is a URL, not a domain name`, 'the domain alone, without https:// and a path, such as contoso.onmicrosoft.com');
    }
    if (!DOMAIN.test(value)) {
        throw new errors/* SettingsError */.GN(input, `${(0,errors/* quoted */.TL)(written)} is not a domain name${input === 'delegated-organization' ? ' or a tenant ID' : ''}`, input === 'delegated-organization'
            ? "the customer tenant's initial domain, such as fabrikam.onmicrosoft.com, or its tenant ID (a GUID)"
            : 'a domain such as contoso.onmicrosoft.com');
    }
    return value.toLowerCase();
}
function parseHttpUrl(input, value) {
    let url;
    try {
        url = new URL(absoluteUrlText(input, value, 'an absolute http:// or https:// URL'));
    }
    catch (error) {
        if (error instanceof errors/* SettingsError */.GN)
            throw error;
        throw new errors/* SettingsError */.GN(input, `${(0,errors/* quotedUrl */.Mu)(value)} is not an absolute URL`, 'an absolute http:// or https:// URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new errors/* SettingsError */.GN(input, `scheme '${url.protocol}' is not allowed`, 'an absolute http:// or https:// URL');
    }
    if (url.username !== '' || url.password !== '') {
        throw new errors/* SettingsError */.GN(input, 'must not carry a user name or password', 'a URL without credentials; use the username/password inputs');
    }
    return url;
}
function absoluteUrlText(input, value, accepted) {
    if (value.includes('\\'))
        throw new errors/* SettingsError */.GN(input, `${(0,errors/* quotedUrl */.Mu)(value)} has a \\ in it, which a URL does not take (its parts are separated by /)`, accepted);
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value))
        throw new errors/* SettingsError */.GN(input, `${(0,errors/* quotedUrl */.Mu)(value)} is not an absolute URL`, accepted);
    return value;
}
function readAuthorityHost(value, endpoints, cloud, warnings) {
    const cloudHost = endpoints.authorityHost;
    if (value === '')
        return cloudHost;
    const url = parseHttpUrl('authority-host', value.includes('://') ? value : `https://${value}`);
    if (url.protocol !== 'https:' ||
        (url.pathname !== '/' && url.pathname !== '') ||
        url.search !== '' ||
        url.hash !== '') {
        const tenantPath = url.pathname !== '/' && url.pathname !== ''
            ? ": the tenant and the endpoint's path are not part of it; a tenant belongs in tenant-id"
            : '';
        throw new errors/* SettingsError */.GN('authority-host', `${(0,errors/* quotedUrl */.Mu)(value)} is not an https host${tenantPath}`, 'an https host name with an optional port, such as login.microsoftonline.us or https://login.contoso-proxy.example:8443');
    }
    if (url.hostname.startsWith('[')) {
        throw new errors/* SettingsError */.GN('authority-host', `${(0,errors/* quotedUrl */.Mu)(value)} is an IPv6 address, which the token request cannot connect to`, 'a host name (one that resolves to that address), such as login.contoso-proxy.example:8443');
    }
    if (!(0,lib_endpoints/* isKnownAuthorityHost */.tX)(url.hostname)) {
        warnings.push(`authority-host overrides ${cloud}'s Entra ID host ${cloudHost}: client secrets and GitHub OIDC tokens are sent to ${url.host}, which is not a Microsoft authority in this action's table.`);
    }
    else if (!(0,lib_endpoints/* isAuthorityOf */.tJ)(endpoints, url.hostname)) {
        warnings.push(`authority-host ${url.host} is the Entra ID of another cloud than environment ${cloud} (${cloudHost}): the token for ${cloud}'s Exchange would be requested where the tenant does not exist. Set environment to the tenant's cloud and leave authority-host empty.`);
    }
    return url.host;
}
function lookUp(file, mode = external_node_fs_.constants.R_OK) {
    try {
        const stats = external_node_fs_.statSync(file);
        external_node_fs_.accessSync(file, mode);
        return stats;
    }
    catch (error) {
        const code = error.code;
        return code === 'EACCES' || code === 'EPERM' ? 'denied' : 'missing';
    }
}
const OTHER_OWNER = "a job in a container runs as the container's user, which may not be the account that checked the repository out: run the container as that account (options: --user), or give the workspace to the container's user";
function notationNote(value) {
    const notation = (0,errors/* shellNotation */.RN)(value);
    return notation === null ? '' : ` (${notation}; ${errors/* AS_WRITTEN */.bj})`;
}
function readWorkingDirectory(value, env, look = lookUp) {
    const base = env.GITHUB_WORKSPACE || process.cwd();
    const dir = value === '' ? base : external_node_path_.resolve(base, value);
    const found = look(dir, external_node_fs_.constants.R_OK | external_node_fs_.constants.X_OK);
    if (found === 'denied') {
        throw new errors/* SettingsError */.GN('working-directory', `${(0,errors/* quoted */.TL)(dir)} cannot be opened by the account this step runs as (permission denied), and PowerShell starts there`, `a directory that account may read and enter: ${OTHER_OWNER}`);
    }
    if (found === 'missing' || !found.isDirectory()) {
        throw new errors/* SettingsError */.GN('working-directory', notationNote(value) === ''
            ? `${(0,errors/* quoted */.TL)(dir)} is not an existing directory (is the repository checked out with actions/checkout before this step?)`
            : `${(0,errors/* quoted */.TL)(dir)} is not an existing directory${notationNote(value)}`, 'a directory in the workspace (relative paths start at GITHUB_WORKSPACE)');
    }
    return dir;
}
function readScript(inline, file, workingDirectory, look = lookUp) {
    const hasInline = inline.trim() !== '';
    if (hasInline && file !== '') {
        throw new errors/* SettingsError */.GN('script', 'script and script-file are both set', 'exactly one of script (inline) or script-file (path)');
    }
    if (!hasInline && file === '') {
        throw new errors/* SettingsError */.GN('script', 'neither script nor script-file is set', 'exactly one of script (inline) or script-file (path)');
    }
    if (hasInline)
        return { kind: 'inline', text: inline };
    const resolved = external_node_path_.resolve(workingDirectory, file);
    if (external_node_path_.extname(resolved).toLowerCase() !== '.ps1') {
        throw new errors/* SettingsError */.GN('script-file', `${(0,errors/* quoted */.TL)(file)} does not end in .ps1`, 'a PowerShell script file ending in .ps1');
    }
    const found = look(resolved);
    if (found === 'denied') {
        throw new errors/* SettingsError */.GN('script-file', `${(0,errors/* quoted */.TL)(resolved)} cannot be read by the account this step runs as (permission denied)`, `a .ps1 file that account may read: ${OTHER_OWNER}`);
    }
    if (found === 'missing' || !found.isFile()) {
        throw new errors/* SettingsError */.GN('script-file', notationNote(file) === ''
            ? `${(0,errors/* quoted */.TL)(resolved)} does not exist. Is the repository checked out? A job starts with an empty workspace until a step such as \`- uses: actions/checkout@v4\` fetches it`
            : `${(0,errors/* quoted */.TL)(resolved)} does not exist${notationNote(file)}`, 'a .ps1 file in the checked-out repository, relative to working-directory');
    }
    return { kind: 'file', path: resolved };
}
const DURATION_UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
function readDuration(input, value) {
    if (value === '')
        return null;
    const accepted = 'a number with a unit, such as 90s, 30m, 2h or 1h30m; empty for no limit';
    if (/^0+$/.test(value))
        throw new errors/* SettingsError */.GN(input, `${(0,errors/* quoted */.TL)(value)} is no time at all`, accepted);
    if (/^\d+$/.test(value)) {
        throw new errors/* SettingsError */.GN(input, `${(0,errors/* quoted */.TL)(value)} has no unit; add a unit: ${value.slice(0, 20)}s, ${value.slice(0, 20)}m`, accepted);
    }
    const match = /^(?:\d+(?:ms|s|m|h|d))+$/.test(value) ? value.match(/\d+(?:ms|s|m|h|d)/g) : null;
    if (match === null) {
        const written = value.replace(/\s+/g, '').toLowerCase();
        const near = written !== value && /^(?:\d+(?:ms|s|m|h|d))+$/.test(written) ? `; did you mean ${written}?` : '';
        throw new errors/* SettingsError */.GN(input, `${(0,errors/* quoted */.TL)(value)} is not a duration${near}`, `${accepted} (units in lower case, with no spaces)`);
    }
    let total = 0;
    for (const part of match) {
        const [, digits, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(part);
        total += Number(digits) * DURATION_UNITS[unit];
    }
    if (total === 0)
        throw new errors/* SettingsError */.GN(input, `${(0,errors/* quoted */.TL)(value)} is no time at all`, accepted);
    if (total > MAX_TIMEOUT_MS) {
        throw new errors/* SettingsError */.GN(input, `${(0,errors/* quoted */.TL)(value)} is out of range`, 'a duration above zero and at most 5d; empty for no limit');
    }
    return total;
}
function normalizedVersion(version) {
    const dash = version.indexOf('-');
    const numbers = (dash < 0 ? version : version.slice(0, dash)).split('.').map((n) => n.replace(/^0+(?=\d)/, ''));
    if (numbers.length === 4 && numbers[3] === '0')
        numbers.pop();
    return numbers.join('.') + (dash < 0 ? '' : version.slice(dash));
}
function readModuleVersion(value) {
    const v = value || TESTED_MODULE_VERSION;
    const keyword = caseInsensitive(v, ['installed', 'latest']);
    if (keyword !== undefined)
        return keyword;
    if (MODULE_VERSION.test(v)) {
        if (olderThan(v, '3.0.0'))
            throw new errors/* SettingsError */.GN('module-version', `${v} is ExchangeOnlineManagement ${v.split('.')[0]}, before the REST-based version 3 that this action connects with`, `version 3.0.0 or later (the default, ${TESTED_MODULE_VERSION}, is tested with this release), latest, or installed`);
        const tooLarge = v
            .split('-')[0]
            .split('.')
            .find((part) => Number(part) > 2147483647);
        if (tooLarge !== undefined)
            throw new errors/* SettingsError */.GN('module-version', `${(0,errors/* quoted */.TL)(v)} has the part ${tooLarge}, larger than a version part can be (2147483647)`, 'an exact version such as 3.9.0, latest, or installed');
        return normalizedVersion(v);
    }
    throw new errors/* SettingsError */.GN('module-version', `${(0,errors/* quoted */.TL)(v)} is not a version`, 'an exact version such as 3.9.0 or 3.10.0-Preview1 (a prerelease label of letters, digits and hyphens), latest, or installed');
}
const REPOSITORY_ACCEPTED = 'PSGallery, an https:// NuGet v2 or v3 feed URL without credentials (such as https://pkgs.contoso.example/nuget/v3/index.json), a file:// URL or an absolute folder path';
function readRepository(value, checkFolder, maskValue) {
    if (value === '' || value.toLowerCase() === 'psgallery')
        return 'PSGallery';
    if (external_node_path_.isAbsolute(value))
        return checkFolder ? existingFolder(value, value) : value;
    let url;
    try {
        url =
            /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) && !/^[A-Za-z]:[\\/]/.test(value)
                ? new URL(absoluteUrlText('module-repository', value, REPOSITORY_ACCEPTED))
                : null;
    }
    catch (error) {
        if (error instanceof errors/* SettingsError */.GN)
            throw error;
        url = null;
    }
    if (url === null) {
        const host = /^[^/\\]+/.exec(value)?.[0] ?? '';
        if (!host.startsWith('.') && DOMAIN.test(host)) {
            throw new errors/* SettingsError */.GN('module-repository', `${(0,errors/* quotedUrl */.Mu)(value)} has no scheme; a feed URL starts with https://`, REPOSITORY_ACCEPTED);
        }
        if (/^[A-Za-z][\w-]*$/.test(value)) {
            throw new errors/* SettingsError */.GN('module-repository', `${(0,errors/* quoted */.TL)(value)} looks like the name of a repository registered on the runner; the step registers the feed itself for its save, and takes it by its location`, `the feed's URL or folder, as Get-PSResourceRepository -Name ${value} shows it (Uri); or ${REPOSITORY_ACCEPTED}`);
        }
        throw new errors/* SettingsError */.GN('module-repository', `${(0,errors/* quotedUrl */.Mu)(value)} is a relative path, and a folder feed is taken only as an absolute path`, `an absolute path, such as \${{ github.workspace }}/feed; or ${REPOSITORY_ACCEPTED}`);
    }
    if (url.username !== '' || url.password !== '') {
        if (url.password !== '')
            for (const form of new Set([url.password, decodeURIComponentSafe(url.password)]))
                maskValue(form);
        throw new errors/* SettingsError */.GN('module-repository', "holds a user name or password (not repeated here), and credentials in the URL are not accepted: the installers quote the feed's URL in their messages, and the runner masks only values that come from secrets. A password written in the workflow file is in the repository: change it", `${REPOSITORY_ACCEPTED}. For a feed that needs authentication, install ExchangeOnlineManagement from it in an earlier step (Install-PSResource or Install-Module with -Credential, the password from a secret) and set module-version: installed`);
    }
    if (url.protocol === 'http:') {
        throw new errors/* SettingsError */.GN('module-repository', `${(0,errors/* quotedUrl */.Mu)(value)}: http:// is not accepted: a feed is reached over https, so that no one on the way can change the module`, `the feed's https:// URL; or ${REPOSITORY_ACCEPTED}`);
    }
    if (url.search !== '') {
        for (const form of new Set([url.search.slice(1), decodeURIComponentSafe(url.search.slice(1))]))
            maskValue(form);
        throw new errors/* SettingsError */.GN('module-repository', "has a query string (not repeated here), which a feed URL does not take: a token in it would be quoted by the installers' messages, and the runner masks only values that come from secrets", `${REPOSITORY_ACCEPTED}. For a feed that needs a token, install ExchangeOnlineManagement from it in an earlier step and set module-version: installed`);
    }
    if (url.hash !== '') {
        for (const form of new Set([url.hash.slice(1), decodeURIComponentSafe(url.hash.slice(1))]))
            maskValue(form);
        throw new errors/* SettingsError */.GN('module-repository', "has a fragment (#..., not repeated here), which a feed URL does not take: a token in it would be quoted by the installers' messages, and the runner masks only values that come from secrets", REPOSITORY_ACCEPTED);
    }
    if (url.protocol === 'https:' || url.protocol === 'file:') {
        if (url.protocol === 'file:') {
            let folder;
            try {
                folder = (0,external_node_url_.fileURLToPath)(url);
            }
            catch (error) {
                throw new errors/* SettingsError */.GN('module-repository', `${(0,errors/* quotedUrl */.Mu)(value)} is not a folder of this machine (${error.message})`, `file:///path/to/feed for a local folder, an absolute folder path, or ${REPOSITORY_ACCEPTED}`);
            }
            if (checkFolder)
                existingFolder(value, folder);
        }
        return value;
    }
    throw new errors/* SettingsError */.GN('module-repository', `${(0,errors/* quotedUrl */.Mu)(value)} has scheme '${url.protocol}', which is not a feed's`, REPOSITORY_ACCEPTED);
}
function decodeURIComponentSafe(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}
function existingFolder(value, folder) {
    if (!external_node_fs_.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
        throw new errors/* SettingsError */.GN('module-repository', `${(0,errors/* quoted */.TL)(value)} is no folder on this runner`, 'PSGallery, an https:// feed URL, or a file:// URL or absolute path of a folder that holds the module package (.nupkg)');
    }
    return value;
}
function readCommandNames(value) {
    if (value === '' || value.toLowerCase() === 'all')
        return 'all';
    if (value.toLowerCase() === 'auto')
        return 'auto';
    const names = listItems(value);
    const bad = names.find((n) => !CMDLET_NAME.test(n));
    if (names.length === 0 || bad !== undefined) {
        throw new errors/* SettingsError */.GN('command-names', `${(0,errors/* quoted */.TL)(bad ?? value)} is not a cmdlet name`, 'all, auto, or a list of cmdlet names, comma-separated or one per line, such as Get-EXOMailbox, Set-Mailbox');
    }
    return names;
}
function readInteger(input, value, fallback, min, max) {
    if (value === '')
        return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
        throw new errors/* SettingsError */.GN(input, `${(0,errors/* quoted */.TL)(value)} is not a whole number from ${min} to ${max}`, `a whole number from ${min} to ${max}`);
    }
    return Number(value);
}

// EXTERNAL MODULE: ./lib/provisioning.js
var provisioning = __webpack_require__(298);
// EXTERNAL MODULE: ./lib/cancellation.js
var lib_cancellation = __webpack_require__(1848);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./lib/events.js


const MAX_EVENT_LINE_BYTES = 256 * 1024;
const MAX_EVENTS_BYTES = 16 * 1024 * 1024;
const CHUNK = 64 * 1024;
function events_newEventKey() {
    return (0,external_node_crypto_.randomBytes)(32).toString('base64');
}
function eventMac(key, json) {
    return (0,external_node_crypto_.createHmac)('sha256', Buffer.from(key, 'base64')).update(json, 'utf8').digest('hex');
}
function openRegularFile(file) {
    const flags = external_node_fs_.constants.O_RDONLY | (external_node_fs_.constants.O_NONBLOCK ?? 0) | (external_node_fs_.constants.O_NOFOLLOW ?? 0);
    let fd;
    try {
        fd = external_node_fs_.openSync(file, flags);
    }
    catch {
        return null;
    }
    if (external_node_fs_.fstatSync(fd).isFile())
        return fd;
    external_node_fs_.closeSync(fd);
    return null;
}
class EventReader {
    file;
    key;
    accept;
    rejected = 0;
    invalid = 0;
    overflowed = false;
    offset = 0;
    fd = null;
    partial = Buffer.alloc(0);
    skippingLongLine = false;
    constructor(file, key, accept) {
        this.file = file;
        this.key = key;
        this.accept = accept;
    }
    read() {
        const events = [];
        this.fd ??= openRegularFile(this.file);
        if (this.fd === null)
            return events;
        const buffer = Buffer.alloc(CHUNK);
        for (;;) {
            if (this.offset >= MAX_EVENTS_BYTES) {
                this.overflowed = true;
                break;
            }
            const n = external_node_fs_.readSync(this.fd, buffer, 0, Math.min(CHUNK, MAX_EVENTS_BYTES - this.offset), this.offset);
            if (n === 0)
                break;
            this.offset += n;
            this.take(buffer.subarray(0, n), events);
        }
        return events;
    }
    close() {
        if (this.fd !== null)
            external_node_fs_.closeSync(this.fd);
        this.fd = null;
    }
    take(chunk, events) {
        let data = this.partial.length > 0 ? Buffer.concat([this.partial, chunk]) : chunk;
        for (let newline = data.indexOf(0x0a); newline !== -1; newline = data.indexOf(0x0a)) {
            const line = data.subarray(0, newline);
            data = data.subarray(newline + 1);
            if (this.skippingLongLine) {
                this.skippingLongLine = false;
                continue;
            }
            const event = this.parse(line.toString('utf8'));
            if (event !== null)
                events.push(event);
        }
        if (data.length > MAX_EVENT_LINE_BYTES) {
            if (!this.skippingLongLine)
                this.rejected++;
            this.skippingLongLine = true;
            data = Buffer.alloc(0);
        }
        this.partial = Buffer.from(data);
    }
    parse(line) {
        const text = line.replace(/\r$/, '');
        if (text.trim() === '')
            return null;
        let json = text;
        if (this.key !== null) {
            const space = text.indexOf(' ');
            const mac = Buffer.from(text.slice(0, Math.max(space, 0)), 'utf8');
            json = text.slice(space + 1);
            const expected = Buffer.from(eventMac(this.key, json), 'utf8');
            if (space < 0 || mac.length !== expected.length || !(0,external_node_crypto_.timingSafeEqual)(mac, expected)) {
                this.rejected++;
                return null;
            }
        }
        try {
            const value = JSON.parse(json);
            if (this.accept(value))
                return value;
            this.invalid++;
            return null;
        }
        catch {
        }
        this.rejected++;
        return null;
    }
}

;// CONCATENATED MODULE: ./lib/runner-contract.js
const runner_contract_RUNNER_CONTRACT_VERSION = 4;
const RUNNER_CONFIG_MAX_BYTES = 64 * 1024 * 1024;
function encodeRunnerConfig(config, unsetVariables) {
    const json = Buffer.from(JSON.stringify({ ...config, unsetVariables }), 'utf8');
    if (json.length > RUNNER_CONFIG_MAX_BYTES) {
        throw new Error(`The runner's configuration is ${json.length} bytes, more than the ${RUNNER_CONFIG_MAX_BYTES} it reads.`);
    }
    return Buffer.concat([Buffer.from(`${json.length}\n`, 'ascii'), json]);
}
function runner_contract_runnerCredentials(credentials) {
    switch (credentials.kind) {
        case 'oidc':
        case 'client-secret':
            throw new Error(`auth ${credentials.kind} reaches PowerShell only as an access token`);
        case 'access-token':
            return { kind: 'access-token', token: credentials.token };
        default:
            return credentials;
    }
}
const runner_contract_text = (v) => typeof v === 'string';
const number = (v) => typeof v === 'number' && Number.isFinite(v);
const flag = (v) => typeof v === 'boolean';
const textOrNull = (v) => v === null || typeof v === 'string';
const oneOf = (...values) => (v) => values.includes(v);
const texts = (v) => Array.isArray(v) && v.every(runner_contract_text);
const sha256 = (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
const EVENT_FIELDS = {
    phase: { name: runner_contract_text, status: oneOf('start', 'end', 'failed', 'stopped'), 'ms?': number },
    module: { name: runner_contract_text, version: runner_contract_text, path: runner_contract_text },
    'module-saving': {},
    'module-saved': { installer: runner_contract_text, ms: number },
    'module-digest': { digest: runner_contract_text, saved: flag },
    retry: { attempt: number, delayMs: number, cause: runner_contract_text },
    connected: {
        'target?': runner_contract_text,
        command: runner_contract_text,
        organization: textOrNull,
        connectionId: textOrNull,
        'instanceId?': runner_contract_text,
        'connectionUri?': runner_contract_text,
    },
    disconnected: { ms: number, 'instanceId?': runner_contract_text },
    removed: { instanceId: runner_contract_text, count: number },
    commands: { requested: (v) => v === 'all' || number(v), 'reason?': runner_contract_text, 'names?': texts },
    error: {
        phase: runner_contract_text,
        message: runner_contract_text,
        'category?': runner_contract_text,
        'errorId?': runner_contract_text,
        'type?': runner_contract_text,
        'file?': runner_contract_text,
        'line?': number,
        'originFile?': runner_contract_text,
        'originLine?': number,
        'terminating?': flag,
        'commandInSession?': flag,
    },
    'result-file': { path: runner_contract_text, count: number, leftOut: texts, 'unwritable?': number, 'unwritableReason?': runner_contract_text },
    plan: { lines: number, 'captureStopped?': flag, 'sha256?': sha256 },
    'shared-commands': { from: runner_contract_text, names: texts },
    script: {
        exitCode: number,
        errors: number,
        terminated: flag,
        objects: number,
        truncated: flag,
        'setShouldExit?': flag,
        'exited?': flag,
        'cutStrings?': number,
        'stringLimit?': number,
        'depthCut?': flag,
        'whatIfOff?': flag,
        'returnedErrors?': number,
        'unconvertible?': number,
        'unconvertibleReason?': runner_contract_text,
        'resultSha256?': sha256,
    },
    teardown: { status: oneOf('start', 'end') },
    stopped: { reason: oneOf('timeout', 'cancel', 'parent-gone') },
};
function isRunnerEvent(value) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        return false;
    const record = value;
    const fields = Object.hasOwn(EVENT_FIELDS, String(record.event))
        ? EVENT_FIELDS[record.event]
        : undefined;
    if (fields === undefined)
        return false;
    return Object.entries(fields).every(([key, check]) => {
        const optional = key.endsWith('?');
        const name = optional ? key.slice(0, -1) : key;
        const present = Object.hasOwn(record, name) && record[name] !== undefined;
        return present ? check(record[name]) : optional;
    });
}

;// CONCATENATED MODULE: ./lib/outcome.js







const RESULT_JSON_READ_LIMIT = 4_000_000;
class EventLog {
    file;
    key;
    all = [];
    reader;
    warned = false;
    warnedInvalid = false;
    constructor(file, key) {
        this.file = file;
        this.key = key;
        this.reader = new EventReader(file, key, isRunnerEvent);
    }
    close() {
        this.reader.close();
    }
    read() {
        const fresh = this.reader.read();
        this.all.push(...fresh);
        if (!this.warned && this.key !== null && this.reader.rejected > 0) {
            this.warned = true;
            actions_core/* warning */.$e(`The events file had ${(0,log_text/* counted */.hS)(this.reader.rejected, 'line', 'lines')} the runner did not write (no valid signature); they were ignored. Something else, such as the script, wrote to it.`);
        }
        if (!this.warnedInvalid && this.reader.invalid > 0) {
            this.warnedInvalid = true;
            actions_core/* warning */.$e(`The events file had ${(0,log_text/* counted */.hS)(this.reader.invalid, 'signed line', 'signed lines')} that are not events this action reads; they were ignored. The action's JavaScript (dist/) and its PowerShell (dist/ps) may come from different builds.`);
        }
        if (this.reader.overflowed && !this.warned) {
            this.warned = true;
            actions_core/* warning */.$e('The events file grew past its size limit; events after that point were not read.');
        }
        return fresh;
    }
    watch(onEvent) {
        let stopped = false;
        const poll = () => {
            if (!stopped)
                this.read().forEach(onEvent);
        };
        const timer = setInterval(poll, 200);
        let changes = null;
        try {
            const name = external_node_path_.basename(this.file);
            changes = external_node_fs_.watch(external_node_path_.dirname(this.file), { persistent: false }, (_change, changed) => {
                if (changed === null || changed === name)
                    poll();
            });
            changes.on('error', () => changes?.close());
        }
        catch {
            changes = null;
        }
        return () => {
            if (stopped)
                return;
            clearInterval(timer);
            changes?.close();
            poll();
            stopped = true;
            this.close();
        };
    }
}
function connectionLeft(outcome) {
    return (outcome.connected || outcome.connecting) && !outcome.disconnected;
}
function outcome_readEvents(file, key = null) {
    const log = new EventLog(file, key);
    log.read();
    log.close();
    return log.all;
}
const PLAN_FILE_LIMIT = 4_000_000;
function changedNote(file) {
    return `The run directory's ${file} is not the file the runner wrote (it is gone, or its SHA-256 is not the one in the runner's signed events): a process the script started changed it after the runner wrote it, so the action does not use it. End what the script starts before the script ends.`;
}
function readPlan(file, sha256) {
    const fd = openRegularFile(file);
    if (fd === null)
        return sha256 === undefined ? { lines: null } : { lines: null, note: changedNote('plan.txt') };
    try {
        if (sha256 === undefined)
            return { lines: null };
        const hash = (0,external_node_crypto_.createHash)('sha256');
        const kept = Buffer.alloc(Math.min(external_node_fs_.fstatSync(fd).size, PLAN_FILE_LIMIT));
        const chunk = Buffer.alloc(1 << 16);
        let keptLength = 0;
        for (let n = external_node_fs_.readSync(fd, chunk, 0, chunk.length, null); n > 0; n = external_node_fs_.readSync(fd, chunk, 0, chunk.length, null)) {
            hash.update(chunk.subarray(0, n));
            keptLength += chunk.copy(kept, keptLength, 0, Math.min(n, kept.length - keptLength));
        }
        if (hash.digest('hex') !== sha256)
            return { lines: null, note: changedNote('plan.txt') };
        return {
            lines: kept
                .subarray(0, keptLength)
                .toString('utf8')
                .split(/\r?\n/)
                .filter((line) => line !== ''),
        };
    }
    finally {
        external_node_fs_.closeSync(fd);
    }
}
function readResult(file, sha256) {
    const fd = openRegularFile(file);
    if (fd === null)
        return sha256 === undefined ? { json: null } : { json: null, note: changedNote('result.json') };
    try {
        const size = external_node_fs_.fstatSync(fd).size;
        if (size > RESULT_JSON_READ_LIMIT) {
            return {
                json: null,
                note: `The result file was ${size} bytes, far above GitHub's limit for one output, so result is empty. Write large data to a file in the workspace and upload it as an artifact.`,
            };
        }
        if (sha256 === undefined)
            return { json: null };
        const bytes = external_node_fs_.readFileSync(fd);
        if ((0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex') !== sha256)
            return { json: null, note: changedNote('result.json') };
        const json = bytes.toString('utf8');
        return isJsonArray(json) ? { json } : { json: null };
    }
    finally {
        external_node_fs_.closeSync(fd);
    }
}
function isJsonArray(text) {
    try {
        return Array.isArray(JSON.parse(text));
    }
    catch {
        return false;
    }
}
function noSession() {
    return {
        processExitCode: null,
        signal: null,
        stopReason: null,
        stopped: null,
        forced: null,
        phases: {},
        stoppedPhase: null,
        runningPhase: null,
        failedPhase: null,
        module: null,
        moduleSaving: false,
        retryPending: null,
        organization: null,
        connected: false,
        connections: [],
        connecting: false,
        disconnected: false,
        serverSessionClosed: null,
        connectAttempted: false,
        teardown: 'none',
        teardownCutShortAfterMs: null,
        startUnansweredAfterMs: null,
        errors: [],
        script: null,
        scriptStarted: false,
        resultFile: null,
        resultJson: null,
        plan: null,
    };
}
function readOutcome(workspace, processExitCode, signal, stopReason, events = outcome_readEvents(workspace.events), forced = null) {
    const outcome = { ...noSession(), processExitCode, signal, stopReason, forced };
    let planSha256;
    for (const e of events) {
        switch (e.event) {
            case 'phase':
                if (e.ms !== undefined)
                    outcome.phases[e.name] = e.ms;
                if (e.status === 'end' || e.status === 'failed')
                    outcome.retryPending = null;
                if (e.status === 'start')
                    outcome.runningPhase = e.name;
                else if (outcome.runningPhase === e.name)
                    outcome.runningPhase = null;
                if (e.status === 'stopped')
                    outcome.stoppedPhase = e.name;
                if (e.status === 'failed')
                    outcome.failedPhase = e.name;
                if (e.name === 'connect' && e.status !== 'stopped')
                    outcome.connecting = e.status === 'start';
                if (e.name === 'connect')
                    outcome.connectAttempted = true;
                if (e.name === 'script')
                    outcome.scriptStarted = true;
                break;
            case 'teardown':
                outcome.teardown = e.status === 'end' ? 'ended' : 'started';
                break;
            case 'module':
                outcome.module = { version: e.version, path: e.path };
                break;
            case 'connected': {
                outcome.retryPending = null;
                outcome.connected = true;
                outcome.connecting = false;
                outcome.organization ??= e.organization;
                const { event: _, ...connection } = e;
                outcome.connections.push(connection);
                break;
            }
            case 'disconnected':
                outcome.disconnected = true;
                if (e.instanceId !== undefined)
                    outcome.serverSessionClosed = e.instanceId;
                outcome.phases.teardown = e.ms;
                break;
            case 'error': {
                const { event: _, ...fact } = e;
                outcome.errors.push(fact);
                break;
            }
            case 'script':
                outcome.script = e;
                break;
            case 'stopped':
                outcome.stopped = e.reason;
                break;
            case 'result-file': {
                const { event: _, ...written } = e;
                outcome.resultFile = written;
                break;
            }
            case 'module-saving':
                outcome.moduleSaving = true;
                break;
            case 'module-saved':
                outcome.moduleSaving = false;
                break;
            case 'plan':
                if (e.captureStopped === true)
                    outcome.planCaptureStopped = true;
                planSha256 = e.sha256;
                break;
            case 'retry':
                outcome.retryPending = e.cause;
                break;
            case 'removed':
            case 'commands':
            case 'shared-commands':
                break;
        }
    }
    const result = readResult(workspace.result, outcome.script?.resultSha256);
    outcome.resultJson = result.json;
    if (result.note !== undefined)
        outcome.resultNote = result.note;
    const plan = readPlan(workspace.plan, planSha256);
    outcome.plan = plan.lines;
    if (plan.note !== undefined)
        outcome.planNote = plan.note;
    return outcome;
}

// EXTERNAL MODULE: ./lib/run-directory.js
var run_directory = __webpack_require__(4232);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./lib/leftovers.js


function markStart(pid, environment = null) {
    if (process.platform !== 'linux')
        return { pid, startTicks: null, outputs: [], environment: null };
    const outputs = [1, 2].flatMap((fd) => {
        try {
            const target = external_node_fs_.readlinkSync(`/proc/self/fd/${fd}`);
            return /^(pipe|socket):/.test(target) ? [target] : [];
        }
        catch {
            return [];
        }
    });
    return { pid, startTicks: startTicksOf(pid), outputs, environment };
}
function endLeftovers(mark, uncounted = () => false) {
    if (process.platform === 'win32')
        return 0;
    const pids = process.platform === 'linux' ? linuxLeftovers(mark) : groupMembers(mark.pid);
    const counted = killEach(pids, uncounted);
    try {
        process.kill(-mark.pid, 'SIGKILL');
    }
    catch {
    }
    return counted;
}
function killEach(pids, uncounted) {
    const counted = pids.filter((pid) => !uncounted(pid)).length;
    for (const pid of pids) {
        try {
            process.kill(pid, 'SIGKILL');
        }
        catch {
        }
    }
    return counted;
}
function endMarkedLeftovers(environment, startTicks, uncounted = () => false) {
    if (process.platform !== 'linux')
        return 0;
    return killEach(processesSince(startTicks, (pid) => hasEnvironment(pid, environment)), uncounted);
}
function startTicksOf(pid) {
    return procStat(pid)?.startTicks ?? null;
}
function procStat(pid) {
    try {
        const text = external_node_fs_.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
        return {
            state: fields[0],
            pgrp: Number(fields[2]),
            session: Number(fields[3]),
            startTicks: Number(fields[19]),
        };
    }
    catch {
        return null;
    }
}
function linuxLeftovers(mark) {
    return processesSince(mark.startTicks, (pid, stat) => pid !== mark.pid &&
        (stat.pgrp === mark.pid ||
            stat.session === mark.pid ||
            holdsOutput(pid, mark.outputs) ||
            hasEnvironment(pid, mark.environment)));
}
function processesSince(startTicks, matches) {
    const found = [];
    for (const name of external_node_fs_.readdirSync('/proc')) {
        if (!/^\d+$/.test(name))
            continue;
        const pid = Number(name);
        if (pid === process.pid)
            continue;
        const stat = procStat(pid);
        if (stat === null || stat.state === 'Z')
            continue;
        if (startTicks !== null && stat.startTicks < startTicks)
            continue;
        if (matches(pid, stat))
            found.push(pid);
    }
    return found;
}
function holdsOutput(pid, outputs) {
    if (outputs.length === 0)
        return false;
    try {
        return external_node_fs_.readdirSync(`/proc/${pid}/fd`).some((fd) => {
            try {
                return outputs.includes(external_node_fs_.readlinkSync(`/proc/${pid}/fd/${fd}`));
            }
            catch {
                return false;
            }
        });
    }
    catch {
        return false;
    }
}
function hasEnvironment(pid, entry) {
    if (entry === null)
        return false;
    try {
        return external_node_fs_.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry);
    }
    catch {
        return false;
    }
}
function groupMembers(leader) {
    try {
        return (0,external_node_child_process_.execFileSync)('ps', ['-A', '-o', 'pid=,pgid='], { encoding: 'utf8' })
            .split('\n')
            .map((line) => line.trim().split(/\s+/).map(Number))
            .filter(([pid, pgid]) => pgid === leader && pid !== leader && pid !== process.pid)
            .map(([pid]) => pid);
    }
    catch {
        return [];
    }
}

// EXTERNAL MODULE: ./lib/private-dir.js
var private_dir = __webpack_require__(1162);
;// CONCATENATED MODULE: ./lib/runner-identity.js




const RUNNER_ARGS = ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File'];
const START_TOLERANCE_MS = 10_000;
function runnerArgv(shellPath, runnerPath) {
    return [shellPath, ...RUNNER_ARGS, runnerPath];
}
const OTHER_COMMAND = 'its command line differs';
const OTHER_START = "it started at another time than main's PowerShell: the pid now belongs to another process";
const NO_START = 'main recorded no start time to compare with';
function runnerMismatch(pid, expected, started, platform = process.platform, queries = systemQueries) {
    if (!Number.isSafeInteger(pid) || pid <= 0)
        return 'it is not a process id';
    try {
        if (platform === 'linux') {
            const argv = queries.linuxArgv(pid);
            if (argv === null || !isRunnerArgv(argv, expected))
                return OTHER_COMMAND;
            if (started.startTicks === null)
                return NO_START;
            return queries.linuxStartTicks(pid) === started.startTicks ? null : OTHER_START;
        }
        if (platform === 'win32') {
            const found = queries.windowsProcess(pid);
            if (found === null || found.commandLine !== windowsCommandLine(expected))
                return OTHER_COMMAND;
            return startMismatch(found.createdAt, started.startedAt);
        }
        const found = queries.unixProcess(pid);
        if (found === null || !sameUnixCommand(found.command, expected))
            return OTHER_COMMAND;
        return startMismatch(Date.now() - found.elapsedMs, started.startedAt);
    }
    catch (error) {
        return `it could not be inspected (${error.message})`;
    }
}
function startMismatch(startedAt, recorded) {
    if (recorded === null)
        return NO_START;
    return Math.abs(startedAt - recorded) <= START_TOLERANCE_MS ? null : OTHER_START;
}
function isRunnerArgv(argv, expected) {
    const tail = expected.slice(1);
    if (argv.length < tail.length || !sameArgv(argv.slice(argv.length - tail.length), tail))
        return false;
    const host = argv.slice(0, argv.length - tail.length);
    const shell = expected[0];
    if (host.length === 1)
        return host[0] === shell || /(^|[\\/])pwsh(\.exe)?$/i.test(host[0]);
    if (host.length === 2)
        return host[1] === shell || /(^|[\\/])pwsh\.dll$/i.test(host[1]);
    return false;
}
function sameUnixCommand(command, expected) {
    const joined = expected.slice(1).join(' ');
    if (command === expected.join(' '))
        return true;
    if (!command.endsWith(` ${joined}`))
        return false;
    return isRunnerArgv([...command.slice(0, -joined.length - 1).split(' '), ...expected.slice(1)], expected);
}
function sameArgv(a, b) {
    return a.length === b.length && a.every((value, i) => value === b[i]);
}
function windowsCommandLine(argv) {
    return argv.map(quoteWindowsArgument).join(' ');
}
function quoteWindowsArgument(arg) {
    if (arg === '')
        return '""';
    if (!/[ \t"]/.test(arg))
        return arg;
    if (!/["\\]/.test(arg))
        return `"${arg}"`;
    let out = '"';
    let backslashes = 0;
    for (const ch of arg) {
        if (ch === '\\') {
            backslashes++;
            continue;
        }
        out += ch === '"' ? '\\'.repeat(backslashes * 2 + 1) + '"' : '\\'.repeat(backslashes) + ch;
        backslashes = 0;
    }
    return out + '\\'.repeat(backslashes * 2) + '"';
}
const systemQueries = {
    linuxArgv(pid) {
        try {
            const raw = external_node_fs_.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
            return raw.endsWith('\0') ? raw.slice(0, -1).split('\0') : raw.split('\0');
        }
        catch {
            return null;
        }
    },
    linuxStartTicks: startTicksOf,
    unixProcess(pid) {
        try {
            const out = (0,external_node_child_process_.execFileSync)('ps', ['-ww', '-o', 'etime=,command=', '-p', String(pid)], {
                encoding: 'utf8',
            }).trim();
            const match = /^(\S+)\s+(.*)$/s.exec(out);
            const elapsedMs = match === null ? null : elapsedTimeMs(match[1]);
            return match === null || elapsedMs === null ? null : { command: match[2], elapsedMs };
        }
        catch {
            return null;
        }
    },
    windowsProcess(pid) {
        const { file, args, env } = windowsProcessQuery(pid);
        const out = (0,external_node_child_process_.execFileSync)(file, args, { encoding: 'utf8', windowsHide: true, timeout: 60_000, env }).trim();
        if (out === '')
            return null;
        const found = JSON.parse(out);
        return { commandLine: found.commandLine, createdAt: Date.parse(found.created) };
    },
};
function elapsedTimeMs(etime) {
    const match = /^(?:(?:(\d+)-)?(\d+):)?(\d+):(\d+)$/.exec(etime);
    if (match === null)
        return null;
    const [, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
    return (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
}
function windowsProcessQuery(pid, parent = process.env) {
    const env = { EXO_CONNECT_ACTION_PID: String(Math.trunc(pid)) };
    for (const name of ['SystemRoot', 'SystemDrive', 'windir', 'TEMP', 'TMP', 'USERPROFILE', 'LOCALAPPDATA']) {
        if (parent[name] !== undefined)
            env[name] = parent[name];
    }
    return { file: (0,private_dir/* system32 */.nF)('WindowsPowerShell\\v1.0\\powershell.exe', parent), args: [...WINDOWS_QUERY_ARGS], env };
}
const WINDOWS_QUERY_ARGS = [
    '-NoLogo',
    '-NoProfile',
    '-NonInteractive',
    '-Command',
    [
        '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
        "$p = Get-CimInstance -ClassName Win32_Process -Filter ('ProcessId = {0}' -f [int]$env:EXO_CONNECT_ACTION_PID)",
        "if ($p) { @{ commandLine = [string]$p.CommandLine; created = $p.CreationDate.ToUniversalTime().ToString('o') } | ConvertTo-Json -Compress }",
    ].join('; '),
];

;// CONCATENATED MODULE: ./lib/session.js














const RESULT_OBJECT_LIMIT = 1000;
const STOP_GRACE_MS = 5000;
const INTERRUPT_GRACE_MS = 1500;
const EXIT_GRACE_MS = 5000;
const TEARDOWN_LIMIT_MS = 60_000;
const START_LIMIT_MS = 120_000;
const UTF8_BOM = '\uFEFF';
function buildRunnerConfig(settings, provision, workspace, eventKey = null, moduleDigest = false) {
    let scriptPath;
    if (settings.script.kind === 'inline') {
        external_node_fs_.writeFileSync(workspace.script, UTF8_BOM + settings.script.text, { mode: 0o600, flag: 'wx' });
        scriptPath = workspace.script;
    }
    else {
        scriptPath = settings.script.path;
    }
    return {
        version: runner_contract_RUNNER_CONTRACT_VERSION,
        mode: 'run',
        paths: { events: workspace.events, result: workspace.result, plan: workspace.plan },
        eventKey,
        module: {
            name: 'ExchangeOnlineManagement',
            version: settings.module.version,
            repository: settings.module.repository,
            path: provision.moduleDirectory,
            testedVersion: TESTED_MODULE_VERSION,
            digest: moduleDigest,
        },
        connection: connectionConfig(settings),
        credentials: runner_contract_runnerCredentials(settings.credentials),
        connections: settings.targets.map((target, i) => ({
            connection: connectionConfig(settings, target),
            credentials: runner_contract_runnerCredentials(settings.connectionCredentials?.[i] ?? settings.credentials),
        })),
        connectRetries: settings.connectRetries,
        resultLimit: RESULT_OBJECT_LIMIT,
        resultDepth: settings.resultDepth,
        resultFile: settings.resultFile,
        script: {
            path: scriptPath,
            input: settings.script.kind === 'file' ? 'script-file' : 'script',
            workingDirectory: settings.workingDirectory,
            parameters: settings.parameters.json,
            errorActionPreference: settings.errorActionPreference,
            whatIf: settings.whatIf,
        },
    };
}
function buildRemoveSessionConfig(settings, workspace, instanceId, eventKey = null) {
    return {
        version: RUNNER_CONTRACT_VERSION,
        mode: 'remove-session',
        paths: { events: workspace.events },
        eventKey,
        connection: connectionConfig(settings),
        credentials: runnerCredentials(settings.credentials),
        instanceId,
    };
}
function connectionConfig(settings, target = settings.target) {
    const overridesEndpoints = target === 'security-compliance' || settings.connectionUriOverridden;
    const connectionUri = connectionUriOf(settings, target);
    return {
        target,
        authMethod: settings.auth,
        environment: settings.environment,
        connectionUri: overridesEndpoints ? connectionUri : null,
        authorizationEndpointUri: authorizationEndpointUri(settings, target, overridesEndpoints),
        organization: settings.organization,
        delegatedOrganization: settings.delegatedOrganization,
        prefix: settings.prefix,
        commandNames: settings.module.commandNames === 'all' ? null : settings.module.commandNames,
        server: settings.exchangeServer,
    };
}
function authorizationEndpointUri(settings, target, overridesEndpoints) {
    const host = settings.endpoints.authorityHost;
    if (target === 'security-compliance' && settings.delegatedOrganization !== null && settings.auth === 'certificate')
        return `https://${host}/${settings.delegatedOrganization}`;
    return overridesEndpoints && settings.environment !== 'O365Default' ? `https://${host}/organizations` : null;
}
const HIDDEN_VARIABLE = /^(INPUT_|STATE_|ACTIONS_ID_TOKEN_REQUEST_|ACTIONS_RUNTIME_TOKEN$|GITHUB_STATE$)/i;
function childEnvironment(parent, workspace, added = startupVariables(parent)) {
    const env = {};
    for (const [name, value] of Object.entries(parent)) {
        if (!HIDDEN_VARIABLE.test(name))
            env[name] = value;
    }
    env.TMPDIR = workspace.tmp;
    env.TEMP = workspace.tmp;
    env.TMP = workspace.tmp;
    for (const name of added)
        env[name] = STARTUP_VARIABLES[name];
    return env;
}
const NO_PROFILE_GATHER = 'DOTNET_MultiCoreJitNoProfileGather';
const JIT_PROFILE_FRESH_MS = 24 * 60 * 60 * 1000;
function jitProfile(env) {
    const folder = process.platform === 'win32'
        ? env.LOCALAPPDATA && external_node_path_.join(env.LOCALAPPDATA, 'Microsoft', 'PowerShell')
        : external_node_path_.join(env.XDG_CACHE_HOME || external_node_path_.join(env.HOME || external_node_os_.homedir(), '.cache'), 'powershell');
    if (!folder)
        return null;
    const profile = external_node_path_.join(folder, 'StartupProfileData-NonInteractive');
    return { profile, mark: `${profile}.exo-connect-action` };
}
function hasOwnJitProfile(env, now = Date.now()) {
    const files = jitProfile(env);
    if (files === null)
        return false;
    try {
        const profile = external_node_fs_.statSync(files.profile);
        const fresh = profile.isFile() && profile.size > 0 && now - profile.mtimeMs < JIT_PROFILE_FRESH_MS;
        return fresh && readMark(files.mark) === profileMark(profile);
    }
    catch {
        return false;
    }
}
function noteOwnJitProfile(env, startedAt) {
    const files = jitProfile(env);
    if (files === null)
        return;
    const temporary = `${files.mark}.${process.pid}`;
    try {
        const profile = external_node_fs_.statSync(files.profile);
        if (!profile.isFile() || profile.mtimeMs < startedAt)
            return;
        external_node_fs_.writeFileSync(temporary, profileMark(profile), { flag: 'wx' });
        external_node_fs_.renameSync(temporary, files.mark);
    }
    catch {
        external_node_fs_.rmSync(temporary, { force: true });
    }
}
function readMark(mark) {
    const flags = external_node_fs_.constants.O_RDONLY | (external_node_fs_.constants.O_NONBLOCK ?? 0) | (external_node_fs_.constants.O_NOFOLLOW ?? 0);
    const fd = external_node_fs_.openSync(mark, flags);
    try {
        const stat = external_node_fs_.fstatSync(fd);
        if (!stat.isFile() || stat.size > 256)
            return null;
        const buffer = Buffer.alloc(stat.size);
        return buffer.subarray(0, external_node_fs_.readSync(fd, buffer, 0, stat.size, 0)).toString('utf8');
    }
    finally {
        external_node_fs_.closeSync(fd);
    }
}
function isPwsh(shellPath) {
    return /^pwsh(\.exe)?$/i.test(external_node_path_.basename(shellPath));
}
const profileMark = (profile) => `${profile.size} ${profile.mtimeMs}\n`;
const STARTUP_VARIABLES = {
    POWERSHELL_TELEMETRY_OPTOUT: '1',
    POWERSHELL_UPDATECHECK: 'Off',
    [NO_PROFILE_GATHER]: '1',
};
const STARTUP_HOOKS = 'DOTNET_STARTUP_HOOKS';
function addStartupHook(env, runnerPath) {
    if (Object.keys(env).some((name) => name.toUpperCase() === STARTUP_HOOKS))
        return null;
    const library = external_node_path_.resolve(external_node_path_.dirname(runnerPath), 'ExoConnectRunner', 'bin', 'ExoConnectRunner.Native.dll');
    if (library.includes(external_node_path_.delimiter) || !external_node_fs_.existsSync(library))
        return null;
    env[STARTUP_HOOKS] = library;
    return STARTUP_HOOKS;
}
function keepOwnTestPreload(env, runnerPath) {
    const root = checkoutRoot(runnerPath);
    const sandbox = isOwnTestCheckout(runnerPath) ? realPath(external_node_path_.join(root, 'sandbox')) : null;
    for (const name of Object.keys(env).filter((n) => n.toUpperCase() === TEST_PRELOAD)) {
        const preload = env[name];
        if (!preload)
            continue;
        const module = external_node_path_.isAbsolute(preload) ? realPath(preload) : null;
        if (sandbox !== null && module !== null && (0,run_directory/* isInside */.FK)(module, sandbox)) {
            env[name] = module;
            continue;
        }
        delete env[name];
        actions_core/* warning */.$e(`${TEST_PRELOAD} is ignored: it is for the action's own tests, and names a module in its sandbox folder by absolute path, in a checkout its bootstrap set up.`);
    }
}
const TEST_PRELOAD = 'EXO_CONNECT_ACTION_TEST_PRELOAD';
const TEST_TEARDOWN_LIMIT = 'EXO_CONNECT_ACTION_TEST_TEARDOWN_LIMIT_MS';
const TEST_START_LIMIT = 'EXO_CONNECT_ACTION_TEST_START_LIMIT_MS';
function checkoutRoot(runnerPath) {
    return external_node_path_.resolve(runnerPath, '..', '..', '..');
}
function isOwnTestCheckout(runnerPath) {
    return external_node_fs_.existsSync(external_node_path_.join(checkoutRoot(runnerPath), '.tools'));
}
function teardownLimitMs(env, runnerPath) {
    return testLimitMs(env, runnerPath, TEST_TEARDOWN_LIMIT, TEARDOWN_LIMIT_MS, "the teardown's limit");
}
function startLimitMs(env, runnerPath) {
    return testLimitMs(env, runnerPath, TEST_START_LIMIT, START_LIMIT_MS, "PowerShell's limit to begin the run");
}
function testLimitMs(env, runnerPath, variable, limit, what) {
    const name = Object.keys(env).find((n) => n.toUpperCase() === variable);
    const value = name === undefined ? '' : (env[name] ?? '');
    if (value === '')
        return limit;
    const ms = /^[1-9][0-9]*$/.test(value) ? Number(value) : NaN;
    if (isOwnTestCheckout(runnerPath) && ms < limit)
        return ms;
    actions_core/* warning */.$e(`${variable} is ignored: it is for the action's own tests, and shortens ${what} (a whole number of milliseconds below ${limit}) in a checkout its bootstrap set up.`);
    return limit;
}
function realPath(file) {
    try {
        return external_node_fs_.realpathSync(file);
    }
    catch {
        return null;
    }
}
function startupVariables(parent, ownJitProfile = hasOwnJitProfile(parent)) {
    return Object.keys(STARTUP_VARIABLES).filter((name) => parent[name] === undefined && (name !== NO_PROFILE_GATHER || ownJitProfile));
}
function startRunner(provision, cwd, workspace) {
    const args = [...RUNNER_ARGS, provision.runnerPath];
    const startedAt = Date.now();
    const pwsh7 = isPwsh(provision.shellPath);
    const added = startupVariables(process.env, pwsh7 && hasOwnJitProfile(process.env));
    const env = childEnvironment(process.env, workspace, added);
    keepOwnTestPreload(env, provision.runnerPath);
    const hook = pwsh7 ? addStartupHook(env, provision.runnerPath) : null;
    if (hook !== null)
        added.push(hook);
    const child = (0,external_node_child_process_.spawn)(provision.shellPath, args, {
        cwd,
        env,
        stdio: ['pipe', 'inherit', 'inherit'],
        detached: process.platform !== 'win32',
        windowsHide: true,
    });
    const start = child.pid === undefined ? null : markStart(child.pid, `TMPDIR=${workspace.tmp}`);
    const exited = new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code, signal) => {
            resolve({ code, signal, leftovers: start === null ? 0 : endLeftovers(start) });
        });
    });
    exited.catch(() => undefined);
    child.stdin.on('error', () => undefined);
    return {
        child,
        argv: [provision.shellPath, ...args],
        startedAt,
        startTicks: start?.startTicks ?? null,
        startupVariables: added,
        recordsJitProfile: pwsh7 && !added.includes(NO_PROFILE_GATHER),
        exited,
    };
}
async function endUnconfigured(runner, workspace) {
    if (runner !== null) {
        signalIfRunning(runner.child, 'SIGKILL');
        await runner.exited.catch(() => undefined);
    }
    try {
        external_node_fs_.rmSync(workspace.dir, { recursive: true, force: true });
    }
    catch {
    }
}
function warnLeftovers(count, forcedStop = false) {
    if (count === 0)
        return;
    const processes = `${(0,log_text/* counted */.hS)(count, 'process', 'processes')} it had started`;
    const ended = `${count === 1 ? 'it was' : 'they were'} ended, so the step does not wait for ${count === 1 ? 'it' : 'them'}.`;
    actions_core/* warning */.$e(forcedStop
        ? `PowerShell did not stop when asked and was ended; it left ${processes} still running, and ${ended} A native command the script is waiting on does not end when the run is stopped if it ignores Ctrl+C (SIGINT) or the stop does not reach it: give a long command a time limit of its own (for example timeout 300 <command>, or Start-Process -PassThru and Wait-Process -Timeout), and wait for background work (Wait-Process, Receive-Job -Wait) before the script ends.`
        : `PowerShell exited and left ${processes} still running; ${ended} Wait for background work (Wait-Process, Receive-Job -Wait) before the script ends.`);
}
function interruptThenKill(signal, timers) {
    if (process.platform === 'win32')
        return signal('SIGKILL');
    signal('SIGINT');
    timers.push(setTimeout(() => signal('SIGKILL'), INTERRUPT_GRACE_MS));
}
function signalIfRunning(child, name) {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null)
        return false;
    signalRunner(child.pid, name);
    return true;
}
function sendConfig(runner, config, keepOpen) {
    const framed = encodeRunnerConfig(config, runner.startupVariables);
    if (keepOpen)
        runner.child.stdin.write(framed);
    else
        runner.child.stdin.end(framed);
}
function askToStop(runner, reason) {
    const stdin = runner.child.stdin;
    const request = { type: 'stop', reason };
    if (!stdin.writableEnded && !stdin.destroyed)
        stdin.write(JSON.stringify(request) + '\n');
}
async function runSession(settings, provision, workspace, runner, hooks, cancellation) {
    const { child, exited } = runner;
    let configured = false;
    const eventKey = events_newEventKey();
    const events = new EventLog(workspace.events, eventKey);
    const teardownLimit = teardownLimitMs(process.env, provision.runnerPath);
    const startLimit = startLimitMs(process.env, provision.runnerPath);
    let stopReason = null;
    let forced = null;
    let teardownCutShortAfterMs = null;
    let startUnansweredAfterMs = null;
    let startTimer = null;
    let teardownTimer = null;
    let stopGrace = null;
    const escalations = [];
    let digestSeen = false;
    const onEvent = (e) => {
        if (startTimer !== null) {
            clearTimeout(startTimer);
            startTimer = null;
        }
        if (e.event === 'connected')
            hooks.onConnected(e);
        if (e.event === 'module-digest' && !digestSeen) {
            digestSeen = true;
            hooks.onModuleDigest?.({ digest: e.digest, saved: e.saved });
        }
        if (e.event === 'teardown' && e.status === 'start') {
            if (timer !== null)
                clearTimeout(timer);
            if (stopReason === 'timeout' && stopGrace !== null)
                clearTimeout(stopGrace);
            teardownTimer = setTimeout(() => {
                teardownCutShortAfterMs = teardownLimit;
                interruptThenKill(signal, escalations);
            }, teardownLimit);
        }
        if (e.event === 'teardown' && e.status === 'end') {
            if (timer !== null)
                clearTimeout(timer);
            if (teardownTimer !== null)
                clearTimeout(teardownTimer);
            escalations.push(setTimeout(() => {
                actions_core/* warning */.$e(`PowerShell had not exited ${EXIT_GRACE_MS / 1000} s after its teardown (a PowerShell.Exiting handler of the script's, or a foreground thread it started, can hold it), so it was ended.`);
                signal('SIGKILL');
            }, EXIT_GRACE_MS));
        }
    };
    const stopWatching = events.watch(onEvent);
    const signal = (name) => {
        if (signalIfRunning(child, name))
            forced = name;
    };
    const stop = (reason) => {
        if (stopReason !== null)
            return;
        stopReason = reason;
        if (!configured)
            return signal('SIGKILL');
        askToStop(runner, reason === 'timeout' ? 'timeout' : 'cancel');
        stopGrace = setTimeout(() => {
            stopGrace = null;
            interruptThenKill(signal, escalations);
        }, STOP_GRACE_MS);
        escalations.push(stopGrace);
    };
    cancellation.onRequest(() => stop('cancelled'));
    if (stopReason === null) {
        sendConfig(runner, buildRunnerConfig(settings, provision, workspace, eventKey, hooks.onModuleDigest !== undefined), true);
        configured = true;
        startTimer = setTimeout(() => {
            startTimer = null;
            events.read().forEach(onEvent);
            if (events.all.length > 0 || stopReason !== null)
                return;
            startUnansweredAfterMs = startLimit;
            signal('SIGKILL');
        }, startLimit);
    }
    const timer = settings.scriptTimeoutMs === null
        ? null
        : setTimeout(() => {
            events.read().forEach(onEvent);
            if (teardownTimer === null)
                stop('timeout');
        }, settings.scriptTimeoutMs);
    try {
        const { code, signal: endedBy, leftovers } = await exited;
        stopWatching();
        if (runner.recordsJitProfile && endedBy === null && forced === null)
            noteOwnJitProfile(process.env, runner.startedAt);
        const outcome = readOutcome(workspace, code, endedBy, stopReason, events.all, forced);
        if (outcome.teardown !== 'ended' || leftovers > 0)
            actions_core/* info */.pq('');
        if (teardownCutShortAfterMs !== null || outcome.teardown === 'started')
            actions_core/* endGroup */.N4();
        else if (outcome.teardown === 'none' && outcome.runningPhase)
            actions_core/* endGroup */.N4();
        warnLeftovers(leftovers, stopReason !== null && forced !== null);
        return { ...outcome, teardownCutShortAfterMs, startUnansweredAfterMs };
    }
    finally {
        stopWatching();
        if (timer !== null)
            clearTimeout(timer);
        if (startTimer !== null)
            clearTimeout(startTimer);
        if (teardownTimer !== null)
            clearTimeout(teardownTimer);
        escalations.forEach(clearTimeout);
        child.stdin.destroy();
    }
}
async function removeLeftSession(settings, provision, workspace, instanceId) {
    const eventKey = newEventKey();
    const config = buildRemoveSessionConfig(settings, workspace, instanceId, eventKey);
    const limit = teardownLimitMs(process.env, provision.runnerPath);
    const runner = startRunner(provision, workspace.dir, workspace);
    sendConfig(runner, config, false);
    let unansweredAfterMs = null;
    const timers = [];
    const limitTimer = setTimeout(() => {
        unansweredAfterMs = limit;
        interruptThenKill((name) => signalIfRunning(runner.child, name), timers);
    }, limit);
    let exit;
    try {
        exit = await runner.exited;
    }
    finally {
        clearTimeout(limitTimer);
        timers.forEach(clearTimeout);
    }
    const events = readEvents(workspace.events, eventKey);
    const removed = events.find((e) => e.event === 'removed');
    const error = events.find((e) => e.event === 'error');
    if (removed === undefined || exit.leftovers > 0)
        core.info('');
    warnLeftovers(exit.leftovers);
    if (removed !== undefined)
        return { removed: removed.count, error: null, unansweredAfterMs: null };
    if (unansweredAfterMs !== null) {
        return {
            removed: null,
            error: `Get-PSSession or Remove-PSSession did not return within ${unansweredAfterMs / 1000} s (the server did not answer), so post ended its PowerShell`,
            unansweredAfterMs,
        };
    }
    return {
        removed: null,
        error: error?.message ??
            `PowerShell ${exit.signal !== null ? `was ended by ${exit.signal}` : `exited with code ${exit.code}`} before it reported`,
        unansweredAfterMs: null,
    };
}
function signalRunner(pid, signal, platform = process.platform, run = private_dir/* runTool */.qI) {
    if (platform === 'win32')
        return endWindowsTree(pid, run);
    try {
        process.kill(-pid, signal);
    }
    catch {
        try {
            process.kill(pid, signal);
        }
        catch {
        }
    }
}
function endWindowsTree(pid, run) {
    try {
        run((0,private_dir/* system32 */.nF)('taskkill.exe'), ['/PID', String(pid), '/T', '/F']);
        return;
    }
    catch {
    }
    try {
        process.kill(pid, 'SIGKILL');
    }
    catch {
    }
}

;// CONCATENATED MODULE: ./lib/report.js













const MAX_OUTPUT_BYTES = 1_000_000;
const SUMMARY_ROWS = 50;
const SUMMARY_COLUMNS = 8;
const SUMMARY_CELL_CHARS = 500;
const MAX_SUMMARY_BYTES = 1024 * 1024;
function judge(settings, outcome, context = {}) {
    const fail = (exitCode, message, error) => ({
        ok: false,
        exitCode,
        message,
        hint: hintFor(error?.message ?? message, error, context, hintContext(settings, outcome, error)),
    });
    const firstError = outcome.errors.find((e) => e.terminating) ?? outcome.errors[0];
    if (outcome.stopReason === 'timeout') {
        const phase = outcome.stoppedPhase || outcome.runningPhase;
        const starting = !outcome.connecting &&
            !outcome.connected &&
            !outcome.disconnected &&
            outcome.module === null &&
            Object.keys(outcome.phases).length === 0;
        return withRetryCause(fail(1, `The run${inTenant(settings)} timed out after ${formatDuration(settings.scriptTimeoutMs ?? 0)} (script-timeout)${phase ? ` in its ${phase} phase` : starting ? ' while PowerShell was starting, before its first phase' : ''}; ${stopFate(outcome, settings.target)}.${unfinishedDownload(settings, outcome)}`), outcome);
    }
    if (outcome.stopReason === 'cancelled') {
        return withRetryCause(fail(1, `The run${inTenant(settings)} was cancelled; ${stopFate(outcome, settings.target)}.${unfinishedDownload(settings, outcome)}`), outcome);
    }
    const startUnanswered = outcome.startUnansweredAfterMs ?? null;
    if (startUnanswered !== null) {
        return {
            ok: false,
            exitCode: 1,
            message: `PowerShell${inTenant(settings)} had not begun the run ${startUnanswered / 1000} s after it was given its configuration, so it was killed; nothing had connected.`,
            hint: START_HUNG_HINT,
        };
    }
    const refused = outcome.errors.find((e) => e.phase === 'config' || e.phase === 'parameters');
    if (refused !== undefined)
        return fail(1, refused.message, refused);
    if (outcome.failedPhase === 'module' || outcome.failedPhase === 'connect') {
        const error = outcome.errors.find((e) => e.phase === outcome.failedPhase);
        const what = outcome.failedPhase === 'module'
            ? `Loading ExchangeOnlineManagement${inTenant(settings)}`
            : connectingTo(settings, outcome);
        return fail(1, `${what} failed: ${error ? errorText(error.message) : 'no error was recorded'}`, error);
    }
    const teardownCutShort = (outcome.teardownCutShortAfterMs ?? null) !== null;
    if (outcome.connectAttempted && outcome.teardown !== 'ended' && !teardownCutShort) {
        const how = outcome.signal !== null ? `was ended by ${outcome.signal}` : `exited with code ${outcome.processExitCode}`;
        const when = outcome.script === null ? 'before the script finished and before its teardown' : 'during its teardown';
        const message = `PowerShell${inTenant(settings)} ${how} ${when}, so the runner could not disconnect; the post step removes what is left.`;
        return {
            ok: false,
            exitCode: outcome.processExitCode || 1,
            message,
            hint: aborted(outcome) ? ABORT_HINT : SCRIPT_ENDED_POWERSHELL,
        };
    }
    const script = outcome.script;
    if (script === null) {
        const how = outcome.signal !== null ? `was ended by ${outcome.signal}` : `exited with code ${outcome.processExitCode}`;
        const verdict = fail(outcome.processExitCode || 1, `PowerShell${inTenant(settings)} ${how} before the script finished.`, firstError);
        return aborted(outcome) ? { ...verdict, hint: ABORT_HINT } : verdict;
    }
    if (outcome.signal !== null && (outcome.forced ?? null) === null) {
        return {
            ok: false,
            exitCode: 1,
            message: `PowerShell${inTenant(settings)} was ended by ${outcome.signal} after the script; the post step makes sure nothing is left.`,
            hint: aborted(outcome) ? ABORT_HINT : SCRIPT_ENDED_POWERSHELL,
        };
    }
    if (script.terminated) {
        return fail(script.exitCode || 1, `The script${inTenant(settings)} failed: ${firstError ? errorText(firstError.message) : 'terminating error'}`, firstError);
    }
    if (script.exitCode !== 0 && script.setShouldExit === true) {
        const code = script.exitCode;
        return {
            ok: false,
            exitCode: code,
            message: `The script${inTenant(settings)} ended with exit code ${code}: the script called $host.SetShouldExit(${code}) and ended with no exit N other than 0 after it, so the step takes ${code}, as a plain pwsh -File does for a script that ends without an exit (an exit 0 after it looks the same to the step).`,
            hint: SET_SHOULD_EXIT_HINT,
        };
    }
    if (script.exitCode !== 0 && script.exited === true) {
        const code = script.exitCode;
        return {
            ok: false,
            exitCode: code,
            message: code >= 1 && code <= 255
                ? `The script${inTenant(settings)} ended with exit ${code}, so the step fails with exit code ${code}, as under GitHub's shell: pwsh.`
                :
                    `The script${inTenant(settings)} ended with exit ${code}, so the step fails (exit-code ${code}). A process exit code outside 0-255 is cut to its low 8 bits on Linux and macOS, where a shell: pwsh step would end with ${code & 255} instead; exit with a code from 1 to 255.`,
            hint: SCRIPT_EXIT_HINT,
        };
    }
    if (script.exitCode !== 0) {
        const code = script.exitCode;
        return {
            ok: false,
            exitCode: code,
            message: `The script${inTenant(settings)} ended with exit code ${code}: the last native command it ran, or a script it called that ended with exit ${code}, left $LASTEXITCODE at ${code} ($LASTEXITCODE at the script's end is the step's exit code, as under GitHub's shell: pwsh).`,
            hint: NATIVE_EXIT_HINT,
        };
    }
    if (settings.failOnError && script.errors > 0) {
        return fail(1, `The script${inTenant(settings)} wrote ${(0,log_text/* counted */.hS)(script.errors, 'error record', 'error records')} and fail-on-error is true.`, firstError);
    }
    return { ok: true, exitCode: 0, message: null, hint: null };
}
function stopFate(outcome, target = 'exchange-online') {
    const late = forcedNote(outcome.forced ?? null);
    if (outcome.disconnected)
        return `it was stopped and the session torn down${late}`;
    if (outcome.connected) {
        if (outcome.teardown === 'none' &&
            outcome.signal === null &&
            (outcome.forced ?? null) === null &&
            outcome.processExitCode !== null &&
            !aborted(outcome)) {
            return `PowerShell ended itself (exit code ${outcome.processExitCode}) before it disconnected, so the session was not torn down in this step; the post step makes sure nothing is left`;
        }
        const when = outcome.teardown === 'started' ? ' during its teardown' : '';
        return `PowerShell ended${when} before it disconnected${late}, so the session was not torn down in this step; the post step makes sure nothing is left`;
    }
    if (outcome.connecting) {
        const server = target === 'exchange-server';
        if (outcome.teardown === 'ended') {
            const failed = outcome.errors.some((e) => e.phase === 'teardown');
            return server && !failed
                ? `it was stopped while connecting${late}, and its teardown removed any session this PowerShell held`
                : `it was stopped while connecting${late}, and its teardown reported no disconnect`;
        }
        return server
            ? `PowerShell ended while it was connecting${late}, before its teardown reported; with no InstanceId recorded, the post step cannot remove a session the connect may have opened`
            : `PowerShell ended while it was connecting${late}, before its teardown reported; the post step makes sure nothing is left`;
    }
    return `it was stopped before anything was connected${late}`;
}
function unfinishedDownload(settings, outcome) {
    if (outcome.moduleSaving !== true)
        return '';
    return ` ExchangeOnlineManagement's download from ${settings.module.repository} (module-repository) had not finished.`;
}
function withRetryCause(verdict, outcome) {
    if (!outcome.retryPending || verdict.message === null)
        return verdict;
    return {
        ...verdict,
        message: `${verdict.message} It was retrying after a transient failure: ${(0,log_text/* oneLine */.TN)((0,secrets/* redact */.E$)(outcome.retryPending))}`,
    };
}
function forcedNote(forced) {
    if (forced === null)
        return '';
    if (forced === 'SIGKILL')
        return ' (it did not stop when asked, and was killed)';
    return ` (it did not stop within ${formatDuration(STOP_GRACE_MS)} when asked, and was interrupted with ${forced})`;
}
function errorText(message) {
    return (0,log_text/* oneLine */.TN)((0,secrets/* redact */.E$)(message));
}
function setOutputs(settings, outcome, verdict) {
    const { json, kept, note } = fitResult((0,secrets/* redactJson */.Kp)(outcome.resultJson ?? '[]'), MAX_OUTPUT_BYTES);
    if (outcome.resultNote !== undefined)
        actions_core/* warning */.$e(outcome.resultNote);
    if (outcome.planNote !== undefined)
        actions_core/* warning */.$e(outcome.planNote);
    const total = returnedCount(outcome, kept);
    if (countUnknown(outcome))
        actions_core/* warning */.$e(unknownCountWarning(settings, outcome));
    else if (total !== null && kept < total && outcome.resultNote === undefined)
        reportShortfall(settings, outcome, kept, total, note);
    if ((outcome.script?.cutStrings ?? 0) > 0)
        reportCutStrings(settings, outcome);
    if (outcome.script?.depthCut === true)
        actions_core/* warning */.$e(depthCutWarning(settings));
    if ((outcome.script?.returnedErrors ?? 0) > 0)
        actions_core/* warning */.$e(returnedErrorsWarning(settings, outcome.script.returnedErrors));
    actions_core/* setOutput */.uH('result', json);
    actions_core/* setOutput */.uH('result-count', total === null ? '' : String(total));
    const resultFilePath = outcome.resultFile?.path ?? (countUnknown(outcome) ? settings.resultFile?.path : undefined);
    actions_core/* setOutput */.uH('result-file', resultFilePath ?? '');
    if (outcome.resultFile !== null) {
        const { leftOut, unwritable, unwritableReason } = outcome.resultFile;
        if (leftOut.length > 0)
            actions_core/* warning */.$e(`result-file has the columns of the first object; later objects had other properties, left out of the file: ${errorText(leftOut.join(', '))}. Select the same properties for every object (Select-Object), or use a .jsonl result-file, which keeps each object whole.`);
        if (unwritable !== undefined && unwritable > 0)
            actions_core/* warning */.$e(`result-file holds ${unwritable} ${unwritable === 1 ? 'object' : 'objects'} as ${unwritable === 1 ? 'its' : 'their'} text: JSON cannot represent ${unwritable === 1 ? 'it' : 'them'} (${errorText(unwritableReason ?? 'no reason given')}). ${UNCONVERTIBLE_ADVICE}`);
    }
    if (settings.whatIf) {
        if (outcome.script?.whatIfOff === true)
            actions_core/* warning */.$e(`The what-if run may have made changes: ${WHAT_IF_OFF}. The plan output leaves them out. Leave $WhatIfPreference as the action sets it; pass -WhatIf:$false only to commands that must act in a what-if run (writing a report file, say).`);
        if (outcome.planCaptureStopped === true)
            actions_core/* warning */.$e(`The plan output is incomplete: ${PLAN_CAPTURE_STOPPED}. The log shows every "What if" line; stop only a transcript the script started.`);
        actions_core/* setOutput */.uH('plan', planOutput(outcome.plan ?? []));
    }
    else
        actions_core/* setOutput */.uH('plan', '');
    actions_core/* setOutput */.uH('exit-code', String(verdict.exitCode));
    actions_core/* setOutput */.uH('organization', outcome.organization ?? '');
}
function returnedCount(outcome, kept) {
    if (outcome.script === null)
        return null;
    return Math.max(outcome.script.objects, kept, outcome.resultFile?.count ?? 0);
}
function countUnknown(outcome) {
    return outcome.script === null && outcome.scriptStarted === true;
}
function unknownCountWarning(settings, outcome) {
    const result = outcome.resultJson === null
        ? 'result is [], which here does not mean that the script returned nothing: what it had returned is not known.'
        : 'result holds the objects the runner had kept.';
    const file = settings.resultFile === null ? '' : ` ${unfinishedResultFile(settings.resultFile)}`;
    return `result-count is empty: PowerShell ended before the script finished, so the runner never reported how many objects the script returned; ${result}${file}`;
}
function unfinishedResultFile(file) {
    const size = external_node_fs_.statSync(file.path, { throwIfNoEntry: false })?.size ?? 0;
    if (size <= (file.format === 'json' ? 1 : 0))
        return `result-file (${file.path}) holds no object: PowerShell ended before any reached it.`;
    const end = file.format === 'json'
        ? 'the JSON array lacks its closing ], and its last object may be cut short'
        : 'its last line may be cut short';
    return `result-file (${file.path}) holds the objects returned until PowerShell ended (until about 0.2 s before, when it was killed); ${end}.`;
}
function returnedErrorsWarning(settings, count) {
    const records = (0,log_text/* counted */.hS)(count, 'error record', 'error records');
    const where = settings.resultFile === null ? 'result' : 'result or result-file';
    return `The script returned ${records} as output (as catch { $_ } does): the log shows ${count === 1 ? 'it' : 'each'} on one line. ${count === 1 ? 'It is' : 'They are'} not in ${where}, and fail-on-error counts only the errors written to the error stream. To keep an error as data, return its message ($_.Exception.Message) or an object of your own; to fail the step, write it with Write-Error or throw it.`;
}
function reportShortfall(settings, outcome, kept, total, sizeNote) {
    const count = (n) => n.toLocaleString('en-US');
    const unconvertible = outcome.script?.unconvertible ?? 0;
    if (unconvertible > 0) {
        actions_core/* warning */.$e(`result leaves out ${count(unconvertible)} of the ${count(total)} objects: JSON cannot represent ${unconvertible === 1 ? 'it' : 'them'} (${errorText(outcome.script?.unconvertibleReason ?? 'no reason given')}). ${UNCONVERTIBLE_ADVICE}`);
        if (kept + unconvertible >= total)
            return;
    }
    const why = sizeNote !== null || kept < RESULT_OBJECT_LIMIT
        ? `its JSON would exceed GitHub's limit of ${count(MAX_OUTPUT_BYTES)} bytes for one output`
        : `it keeps at most the first ${count(RESULT_OBJECT_LIMIT)}`;
    const line = `result holds ${count(kept)} of ${count(total)} objects: ${why}.`;
    const written = outcome.resultFile;
    if (written !== null && written.count >= total) {
        actions_core/* info */.pq(`${line} Every object is in result-file (${written.path}); result-count has the full count.`);
        return;
    }
    const where = settings.resultFile === null
        ? 'Set the result-file input (for example mailboxes.csv) to write every object to a file, and upload it with actions/upload-artifact.'
        : `result-file (${settings.resultFile.path}) holds ${written === null ? 'not all of them either' : `${count(written.count)} of them`}; result-count has the full count.`;
    actions_core/* warning */.$e(`${line} ${where}`);
}
const UNCONVERTIBLE_ADVICE = "ConvertTo-Json refuses them too: return such objects converted (a hashtable's keys as strings; Group-Object -AsHashTable -AsString does that), or select the properties you need.";
function depthCutWarning(settings) {
    const file = settings.resultFile === null ? '' : '; result-file is written to the same depth';
    return `result holds objects nested deeper than result-depth (${settings.resultDepth}): past that depth ConvertTo-Json writes a value as its string (for a hashtable, System.Collections.Hashtable)${file}. Raise result-depth (up to 20), or select the properties you need (Select-Object) before the script returns them.`;
}
function reportCutStrings(settings, outcome) {
    const { cutStrings = 0, stringLimit = 0 } = outcome.script ?? {};
    const strings = (0,log_text/* counted */.hS)(cutStrings, 'string', 'strings');
    const marker = cutStrings === 1 ? 'it ends' : 'each ends';
    const line = `result holds ${strings} that the script returned cut at ${stringLimit.toLocaleString('en-US')} characters, the most it keeps of one string; ${marker} with [cut: … more characters].`;
    if (outcome.resultFile !== null) {
        actions_core/* info */.pq(`${line} result-file (${outcome.resultFile.path}) holds every string whole.`);
        return;
    }
    const where = settings.resultFile === null
        ? ' Set the result-file input (for example mailboxes.csv) to keep every string whole.'
        : '';
    actions_core/* warning */.$e(`${line}${where}`);
}
const WINDOWS_ABORTS = [0xc00000fd, 0xc0000409];
const ABORT_HINT = (0,hints/* hintById */.So)('powershell-aborted');
const START_HUNG_HINT = (0,hints/* hintById */.So)('powershell-start-hung');
const NATIVE_EXIT_HINT = "When a native command's failure is expected (git diff --exit-code, ping), set $global:LASTEXITCODE = 0 after it (the script runs in a scope of its own, so a plain $LASTEXITCODE = 0 sets only a script variable), or end the script with exit 0. A script called with & or . that ends with exit N sets $LASTEXITCODE to N as well.";
const SCRIPT_EXIT_HINT = 'The script chose this exit code itself. If the run did not fail, end the script with exit 0 or without exit; to fail with a message, throw one, which the step shows and annotates at its line.';
const SET_SHOULD_EXIT_HINT = 'If the script did not fail, call $host.SetShouldExit(0) before it ends (the last call counts), or remove the call that set this code. An exit 0 after it does not replace it here, as the step cannot tell it from no exit at all.';
const SCRIPT_ENDED_POWERSHELL = 'A script that calls [Environment]::Exit or Stop-Process -Id $PID ends PowerShell itself, and the teardown with it; exit N ends only the script.';
function aborted(outcome) {
    if (outcome.signal === 'SIGABRT')
        return true;
    return outcome.processExitCode !== null && WINDOWS_ABORTS.includes(outcome.processExitCode >>> 0);
}
function hintContext(settings, outcome, error) {
    const phase = (0,hints/* hintPhaseOf */.WH)(error?.phase ?? outcome.failedPhase);
    const failing = phase === 'connect' ? unconnected(settings, outcome).slice(0, 1) : [];
    return { phase, targets: failing.length > 0 ? failing : settings.targets, auth: settings.auth };
}
function hintFor(message, error, context, where) {
    const hint = (0,hints/* findHint */.hn)(message, where);
    if (hint === undefined)
        return null;
    if (hint.id === 'command-not-found' && error?.commandInSession === true)
        return (0,hints/* hintById */.So)('command-in-another-runspace');
    const roles = context.directoryRoles;
    if (hint.id === 'role-not-supported' && roles !== undefined && roles !== null) {
        const carried = roles.length === 0 ? 'no directory role' : `these directory roles: ${roles.join(', ')}`;
        return `${hint.hint} The access token carried ${carried}.`;
    }
    return hint.hint;
}
function planOutput(lines) {
    const kept = [];
    let bytes = 0;
    for (const line of lines.map(secrets/* redact */.E$)) {
        bytes += Buffer.byteLength(line, 'utf8') + 1;
        if (bytes > MAX_OUTPUT_BYTES) {
            actions_core/* warning */.$e(`The plan output holds the first ${kept.length} of ${lines.length} lines: GitHub takes at most ${MAX_OUTPUT_BYTES} bytes in one output. The step's log shows every line.`);
            break;
        }
        kept.push(line);
    }
    return kept.join('\n');
}
const RawJSON = JSON;
function parseExact(json) {
    return JSON.parse(json, (_key, value, context) => typeof value === 'number' && context?.source !== undefined ? RawJSON.rawJSON(context.source) : value);
}
function fitResult(json, limit) {
    let items;
    try {
        const parsed = parseExact(json);
        items = Array.isArray(parsed) ? parsed : [parsed];
    }
    catch {
        items = [];
    }
    const size = Buffer.byteLength(json, 'utf8');
    if (size <= limit)
        return { json, kept: items.length, note: null };
    const fits = (n) => Buffer.byteLength(JSON.stringify(items.slice(0, n)), 'utf8') <= limit;
    let low = 0;
    let high = items.length;
    while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (fits(mid))
            low = mid;
        else
            high = mid - 1;
    }
    return {
        json: JSON.stringify(items.slice(0, low)),
        kept: low,
        note: `The result output was ${size} bytes, above GitHub's limit of ${limit} for one output; it holds the first ${low} of ${items.length} objects. Write large data to a file in the workspace and upload it as an artifact.`,
    };
}
function annotate(settings, outcome, workspace, inlineScriptPath = null, stepFailed = true) {
    const tenant = inTenant(settings);
    const annotation = stepFailed ? actions_core/* error */.z3 : actions_core/* warning */.$e;
    const room = stepFailed ? 9 : 7;
    const placed = outcome.errors.filter((e) => e.phase === 'script' || (e.phase === 'parameters' && e.line !== undefined));
    for (const error of placed.slice(0, room)) {
        const placeAt = (file, line) => annotation(errorText(error.message), {
            ...(tenant === '' ? {} : { title: `Script error${tenant}` }),
            file: external_node_path_.relative(workspace, file).split(external_node_path_.sep).join('/'),
            startLine: line,
        });
        if (error.originFile !== undefined && error.originLine !== undefined && (0,run_directory/* isInside */.FK)(error.originFile, workspace)) {
            placeAt(error.originFile, error.originLine);
            continue;
        }
        if (error.file === undefined || error.line === undefined)
            continue;
        if (settings.script.kind === 'file' && samePath(error.file, settings.script.path)) {
            if ((0,run_directory/* isInside */.FK)(error.file, workspace))
                placeAt(error.file, error.line);
            else
                annotation(errorText(error.message), { title: `${external_node_path_.basename(error.file)}, line ${error.line}${tenant}` });
        }
        else if (settings.script.kind === 'inline' &&
            inlineScriptPath !== null &&
            samePath(error.file, inlineScriptPath)) {
            annotation(errorText(error.message), { title: `Inline script, line ${error.line}${tenant}` });
        }
    }
}
function samePath(a, b) {
    return external_node_path_.resolve(a).toLowerCase() === external_node_path_.resolve(b).toLowerCase();
}
function connectingTo(settings, outcome) {
    const connected = outcome.connections.map((c) => c.target);
    const failed = unconnected(settings, outcome);
    const tenant = tenantOf(settings);
    const partly = connected.length > 0 && failed.length > 0;
    const notes = [tenant, partly ? `after ${connected.join(', ')} connected` : null].filter((n) => n !== null);
    const workloads = failed.length > 0 ? failed.slice(0, 1) : settings.targets;
    return `Connecting to ${workloads.join(', ')}${notes.length === 0 ? '' : ` (${notes.join(', ')})`}`;
}
function tenantOf(settings) {
    if (settings.target === 'exchange-server')
        return (0,lib_endpoints/* hostOf */.w4)(settings.connectionUri ?? '');
    return settings.delegatedOrganization ?? settings.organization ?? null;
}
function inTenant(settings) {
    const tenant = tenantOf(settings);
    return tenant === null ? '' : ` (${tenant})`;
}
function headingOf(tenant, outcome) {
    return `Exchange PowerShell${tenant === null ? '' : ` (${cell(tenant)})`}: ${outcome}`;
}
function unconnected(settings, outcome) {
    const connected = outcome.connections.map((c) => c.target);
    return settings.targets.filter((t) => !connected.includes(t));
}
function logSettings(settings, ms) {
    actions_core/* startGroup */.Oh('Settings');
    actions_core/* info */.pq(`target: ${settings.targets.join(', ')}`);
    if (settings.target !== 'exchange-server')
        actions_core/* info */.pq(`environment: ${settings.environment}`);
    for (const target of settings.targets) {
        const label = settings.targets.length > 1 ? `connection-uri (${target})` : 'connection-uri';
        actions_core/* info */.pq(`${label}: ${connectionUriOf(settings, target) ?? '(none)'}`);
    }
    actions_core/* info */.pq(`organization: ${settings.organization ?? '(none)'}`);
    if (lib_auth/* TOKEN_FLOWS */.Ar.includes(settings.auth)) {
        actions_core/* info */.pq(`tenant-id: ${settings.tenantId ?? '(none)'}`);
        actions_core/* info */.pq(`authority-host: ${settings.authorityHost}`);
    }
    if (settings.delegatedOrganization !== null)
        actions_core/* info */.pq(`delegated-organization: ${settings.delegatedOrganization}`);
    for (const line of (0,lib_auth/* describeAuth */.uf)(settings.credentials, settings.authDetails))
        actions_core/* info */.pq(line);
    if (settings.target === 'exchange-server') {
        const server = settings.exchangeServer;
        actions_core/* info */.pq(`authentication: ${server.authentication}`);
        actions_core/* info */.pq(`proxy-access-type: ${server.proxyAccessType}`);
        actions_core/* info */.pq(`allow-redirection: ${server.allowRedirection}`);
        actions_core/* info */.pq(`insecure-skip-certificate-check: ${server.skipCertificateChecks}`);
    }
    actions_core/* info */.pq(`prefix: ${settings.prefix ?? '(none)'}`);
    actions_core/* info */.pq(`script: ${settings.script.kind === 'file' ? settings.script.path : 'inline'}`);
    actions_core/* info */.pq(`parameters: ${settings.parameters.names.join(', ') || '(none)'}`);
    actions_core/* info */.pq(`script-timeout: ${settings.scriptTimeoutMs === null ? 'none' : formatDuration(settings.scriptTimeoutMs)}`);
    actions_core/* info */.pq(`result-file: ${settings.resultFile === null ? '(none)' : `${settings.resultFile.path} (${settings.resultFile.format})`}`);
    actions_core/* info */.pq(`result-depth: ${settings.resultDepth}`);
    if (settings.target !== 'exchange-server')
        actions_core/* info */.pq(`module-version: ${settings.module.version}`);
    actions_core/* info */.pq(`settings took ${ms} ms`);
    actions_core/* endGroup */.N4();
    for (const warning of settings.warnings)
        actions_core/* warning */.$e(warning);
    if (settings.whatIf)
        actions_core/* notice */.lm('What-if run: $WhatIfPreference is $true, so cmdlets that support -WhatIf change nothing.');
}
function noDisconnectWarning(settings, outcome) {
    const server = settings.target === 'exchange-server';
    const error = outcome.errors.find((e) => e.phase === 'teardown');
    const cutShortAfterMs = outcome.teardownCutShortAfterMs ?? null;
    const tenant = inTenant(settings);
    let why;
    if (cutShortAfterMs !== null) {
        const call = server
            ? 'Remove-PSSession or its check (Get-PSSession)'
            : 'Disconnect-ExchangeOnline or its check (Get-ConnectionInformation)';
        why = `The teardown${tenant} did not return within ${cutShortAfterMs / 1000} s: ${call} did not answer, so PowerShell was ${endedHow(outcome.forced ?? null)}`;
    }
    else if (error !== undefined) {
        why = `The disconnect${tenant} failed: ${errorText(error.message).replace(/\.$/, '')}`;
    }
    else if (server && outcome.connecting && outcome.teardown === 'ended') {
        why = `The connect${tenant} was stopped before New-PSSession returned a session`;
    }
    else {
        why = `The session${tenant} reported no disconnect`;
    }
    if (server)
        return `${why}. ${serverSessionFate(outcome)}`;
    if (settings.targets.every((t) => t === 'exchange-online')) {
        return `${why}. Exchange Online keeps no session for a REST connection: it ended with the PowerShell process, and the access token it used expires on its own within 60 to 90 minutes.`;
    }
    return `${why}. The connections ended with the PowerShell process; a remote PowerShell session the server still holds for Security & Compliance ends when it times out.`;
}
function serverSessionFate(outcome) {
    const instanceId = outcome.connections.find((c) => c.instanceId !== undefined)?.instanceId;
    if (instanceId !== undefined && outcome.serverSessionClosed !== instanceId) {
        return `The post step removes the server session ${errorText(instanceId)} by its InstanceId.`;
    }
    return "No InstanceId was recorded, so the post step cannot remove a session the server may have opened: it holds one of the account's sessions (its throttling policy's PowerShellMaxConcurrency) until the server's idle timeout ends it.";
}
function endedHow(forced) {
    if (forced === 'SIGKILL')
        return 'killed';
    return forced === null ? 'ended' : `interrupted with ${forced}`;
}
async function reportRun(settings, outcome, verdict) {
    if (settings.resultFile !== null && (outcome.resultFile !== null || countUnknown(outcome))) {
        try {
            const { redactResultFile } = await __webpack_require__.e(/* import() */ 345).then(__webpack_require__.bind(__webpack_require__, 345));
            const lines = await redactResultFile(settings.resultFile);
            if (lines > 0)
                actions_core/* warning */.$e(`result-file held a secret on ${(0,log_text/* counted */.hS)(lines, 'line', 'lines')}; it is replaced with ***, as in the result output.`);
        }
        catch (error) {
            actions_core/* warning */.$e(`result-file could not be checked for secrets (${(0,log_text/* oneLine */.TN)(error.message)}); check it before you publish it.`);
        }
    }
    setOutputs(settings, outcome, verdict);
    if (settings.summary)
        await writeSummary(settings, outcome, verdict);
}
async function reportRefused(error) {
    actions_core/* setOutput */.uH('result', '[]');
    actions_core/* setOutput */.uH('result-count', '');
    if (actions_core/* getInput */.V4('what-if').toLowerCase() === 'true')
        actions_core/* setOutput */.uH('plan', '');
    actions_core/* setOutput */.uH('exit-code', '1');
    actions_core/* setOutput */.uH('organization', '');
    if (actions_core/* getInput */.V4('summary').toLowerCase() === 'false')
        return;
    const message = error instanceof Error ? error.message : String(error);
    const given = givenTenant();
    await publishSummary(() => {
        const summary = actions_core/* summary */.z.emptyBuffer().addHeading(headingOf(given.tenant, 'failed'), 3);
        if (given.facts.length > 0) {
            summary.addTable([
                [
                    { data: 'Fact', header: true },
                    { data: 'Value', header: true },
                ],
                ...given.facts.map(([k, v]) => [cell(k), cell(v)]),
            ]);
        }
        const html = summary.addRaw(`<p><strong>Error:</strong> ${cell(message)}</p>`, true).stringify();
        summary.emptyBuffer();
        return (0,secrets/* redact */.E$)(html);
    });
}
const GIVEN_CHARS = 253;
function givenTenant() {
    const given = (name) => {
        const chars = Array.from((0,log_text/* oneLine */.TN)((0,secrets/* redact */.E$)(actions_core/* getInput */.V4(name))));
        return chars.length <= GIVEN_CHARS ? chars.join('') : `${chars.slice(0, GIVEN_CHARS).join('')}\u2026`;
    };
    const target = given('target');
    const organization = given('organization');
    const delegated = given('delegated-organization');
    const onServer = /\bexchange-server\b/i.test(target);
    const server = onServer ? (0,lib_endpoints/* hostOf */.w4)(actions_core/* getInput */.V4('connection-uri').trim()) : null;
    const facts = [];
    if (target !== '')
        facts.push(['Target', target]);
    if (server !== null)
        facts.push(['Server', server]);
    if (organization !== '')
        facts.push(['Organization', organization]);
    if (delegated !== '')
        facts.push(['Delegated organization', delegated]);
    return { tenant: onServer ? server : delegated || organization || null, facts };
}
function writeSummary(settings, outcome, verdict) {
    return publishSummary(() => {
        const html = summaryHtml(settings, outcome, verdict, true);
        return Buffer.byteLength(html) > MAX_SUMMARY_BYTES ? summaryHtml(settings, outcome, verdict, false) : html;
    });
}
async function publishSummary(build) {
    try {
        const html = build();
        await actions_core/* summary */.z.emptyBuffer().addRaw(html).write();
    }
    catch (error) {
        actions_core/* warning */.$e(`Job summary not written: ${(0,log_text/* oneLine */.TN)(error.message)}`);
    }
}
function summaryHtml(settings, outcome, verdict, whole) {
    const summary = actions_core/* summary */.z.emptyBuffer();
    summary.addHeading(headingOf(tenantOf(settings), verdict.ok ? 'succeeded' : 'failed'), 3);
    if (settings.whatIf && outcome.script !== null) {
        summary.addRaw('<p><strong>What-if run:</strong> cmdlets that support -WhatIf described their changes instead of making them. Whatever else the script ran (commands without -WhatIf, REST calls) ran as usual.</p>', true);
    }
    const facts = [
        ['Target', settings.targets.join(', ')],
        ...(settings.target === 'exchange-server' ? [] : [['Cloud', settings.environment]]),
        ...(settings.delegatedOrganization === null
            ? [['Organization', outcome.organization ?? settings.organization ?? '']]
            : [
                ['Organization', settings.organization ?? ''],
                ['Delegated organization', outcome.organization ?? settings.delegatedOrganization],
            ]),
        ...(settings.target === 'exchange-server'
            ? serverFacts(settings)
            : [['Authentication', settings.credentials.kind]]),
        ...(settings.authDetails.certificate === null
            ? []
            : [['Certificate', certificateFact(settings.authDetails.certificate)]]),
        [
            'Module',
            settings.target === 'exchange-server'
                ? "none: the cmdlets come from the server's session"
                : outcome.module
                    ? `ExchangeOnlineManagement ${outcome.module.version}`
                    : 'not loaded',
        ],
        ...outcome.connections.map((c) => [
            `Connection: ${c.target ?? settings.target}`,
            `${c.command} to ${c.organization ?? settings.organization ?? ''}`,
        ]),
        ['Outcome', verdict.ok ? 'success' : `failure (exit code ${verdict.exitCode})`],
        ...(connectionLeft(outcome) ? [['Teardown', noDisconnectWarning(settings, outcome)]] : []),
        ...(outcome.script !== null && outcome.script.errors > 0
            ? [
                [
                    'Errors',
                    `${(0,log_text/* counted */.hS)(outcome.script.errors, 'error record', 'error records')} written by the script${settings.failOnError || !verdict.ok ? '' : ', which fail-on-error: false lets pass'}`,
                ],
            ]
            : []),
        ...Object.entries(outcome.phases).map(([phase, ms]) => [`Time: ${phase}`, formatDuration(ms)]),
    ];
    summary.addTable([
        [
            { data: 'Fact', header: true },
            { data: 'Value', header: true },
        ],
        ...facts.map(([k, v]) => [cell(k), cell(v)]),
    ]);
    if (!verdict.ok && verdict.message !== null) {
        summary.addRaw(`<p><strong>Error:</strong> ${cell(verdict.message)}</p>`, true);
        if (verdict.hint !== null)
            summary.addRaw(`<p><strong>Hint:</strong> ${cell(verdict.hint)}</p>`, true);
    }
    const table = objectTable(outcome.resultJson, outcome.script?.objects);
    const plan = settings.whatIf ? outcome.plan : null;
    const noTable = table !== null
        ? null
        : countUnknown(outcome)
            ? 'Returned objects: unknown. PowerShell ended before the script finished, so the runner never reported what the script returned; result-count is empty.'
            : finishedEmpty(outcome)
                ? 'The script returned no objects.'
                : null;
    const planGap = plan === null ? null : planIncomplete(settings, outcome);
    if (whole) {
        if (plan !== null)
            addPlan(summary, plan, planGap, settings.target);
        if (table !== null) {
            summary.addHeading('Returned objects', 4);
            summary.addTable(table.rows);
            if (table.notes.length > 0)
                summary.addRaw(`<p>${cell(table.notes.join('; '))}</p>`, true);
        }
        if (noTable !== null)
            summary.addRaw(`<p>${cell(noTable)}</p>`, true);
    }
    else {
        const left = [plan !== null ? 'the plan' : null, table !== null ? 'the returned objects' : null].filter(Boolean);
        if (plan !== null) {
            summary.addHeading('Plan', 4);
            if (planGap !== null)
                summary.addRaw(planGapHtml(planGap), true);
            summary.addRaw(`<p>${planCount(plan.length, planGap)}.</p>`, true);
        }
        if (noTable !== null)
            summary.addRaw(`<p>${cell(noTable)}</p>`, true);
        summary.addRaw(`<p>This summary leaves out ${left.join(' and ')}: with them it would pass GitHub's limit of 1 MiB for a step summary. The step's log has every plan line and the returned objects (the first 20 when result-file is set, which holds them all); the plan and result outputs hold as much as fits in one output.</p>`, true);
    }
    const html = (0,secrets/* redact */.E$)(summary.stringify());
    summary.emptyBuffer();
    return html;
}
function finishedEmpty(outcome) {
    const script = outcome.script;
    if (script === null || script.objects > 0)
        return false;
    return outcome.stopReason === null && (outcome.stopped ?? null) === null;
}
function serverFacts(settings) {
    const { authentication, proxyAccessType, allowRedirection, skipCertificateChecks } = settings.exchangeServer;
    return [
        ['Authentication', `${settings.credentials.kind} (${authentication})`],
        ...(proxyAccessType === 'None' ? [] : [['Proxy', `${proxyAccessType} (proxy-access-type)`]]),
        ...(allowRedirection ? [['Redirection', 'allowed (allow-redirection)']] : []),
        ...(skipCertificateChecks && settings.connectionUri?.startsWith('https:') === true
            ? [
                [
                    'Certificate checks',
                    'off (insecure-skip-certificate-check): SkipCACheck, SkipCNCheck, SkipRevocationCheck',
                ],
            ]
            : []),
    ];
}
const WHAT_IF_OFF = 'the script turned what-if off ($WhatIfPreference was $false when it ended), so the cmdlets it ran after that may have made their changes instead of describing them';
const PLAN_CAPTURE_STOPPED = 'the script stopped the transcript that the action reads the "What if" lines from (Stop-Transcript, once more than it started one)';
function planIncomplete(settings, outcome) {
    if (outcome.stopReason !== null) {
        const how = outcome.stopReason === 'timeout' ? 'stopped by script-timeout' : 'cancelled';
        return { certain: true, why: `the run was ${how} before the script's end` };
    }
    const script = outcome.script;
    if (script === null)
        return { certain: true, why: 'PowerShell ended before the script finished' };
    if (script.terminated) {
        const error = outcome.errors.find((e) => e.phase === 'script' && e.terminating);
        const where = error?.line === undefined
            ? ''
            : ` at line ${error.line} of ${settings.script.kind === 'file' ? external_node_path_.basename(settings.script.path) : 'the inline script'}`;
        return { certain: true, why: `the script failed${where}` };
    }
    if (script.whatIfOff === true)
        return { certain: true, why: WHAT_IF_OFF };
    if (outcome.planCaptureStopped === true)
        return { certain: true, why: PLAN_CAPTURE_STOPPED };
    if (script.exitCode !== 0)
        return { certain: false, why: `the script ended with exit code ${script.exitCode}` };
    if (settings.failOnError && script.errors > 0) {
        return {
            certain: false,
            why: `the script wrote ${(0,log_text/* counted */.hS)(script.errors, 'error record', 'error records')}, and a command that failed reports no change it would make`,
        };
    }
    return null;
}
const SERVER_PLAN = 'The Exchange server writes the "What if" lines of its cmdlets through the remote session\'s host, and the plan cannot read them there: they are in the step\'s log. The plan holds the lines of commands that ran on the runner.';
function planGapHtml(gap) {
    return gap.certain
        ? `<p><strong>The plan is incomplete:</strong> ${cell(gap.why)}, so it leaves out what the rest of the script would change.</p>`
        : `<p><strong>The plan may be incomplete:</strong> ${cell(gap.why)}.</p>`;
}
function planCount(count, gap) {
    const changes = `${count} ${count === 1 ? 'change' : 'changes'}`;
    return gap === null ? `${changes} would be made` : `${changes} reported before then`;
}
function addPlan(summary, plan, gap, target) {
    summary.addHeading('Plan', 4);
    if (gap !== null)
        summary.addRaw(planGapHtml(gap), true);
    const server = target === 'exchange-server';
    if (server)
        summary.addRaw(`<p>${SERVER_PLAN}</p>`, true);
    if (plan.length === 0) {
        summary.addRaw(gap !== null
            ? '<p>No cmdlet reported a change before then.</p>'
            : server
                ? '<p>No command that ran on the runner reported a change.</p>'
                : '<p>The what-if run reported no change: no cmdlet said it would change anything.</p>', true);
        return;
    }
    summary.addRaw(`<p>${planCount(plan.length, gap)}:</p>`, true);
    summary.addRaw(`<pre>${(0,secrets/* escapeHtml */.ZD)((0,secrets/* redact */.E$)(plan.join('\n')))}</pre>`, true);
}
function objectTable(resultJson, total) {
    if (resultJson === null)
        return null;
    let items;
    const redacted = (0,secrets/* redactJson */.Kp)(resultJson);
    try {
        items = parseExact(redacted);
    }
    catch {
        return null;
    }
    if (!Array.isArray(items) || items.length === 0)
        return null;
    const records = items.map((item) => item !== null && typeof item === 'object' && !Array.isArray(item) && !RawJSON.isRawJSON(item)
        ? item
        : { Value: item });
    const columns = [];
    const written = records.some((record) => Object.keys(record).some(isIndexKey))
        ? keysAsWritten(redacted, SUMMARY_ROWS)
        : [];
    records.forEach((record, i) => {
        for (const key of written[i] ?? Object.keys(record))
            if (!columns.includes(key))
                columns.push(key);
    });
    const shown = columns.slice(0, SUMMARY_COLUMNS);
    const rows = [shown.map((c) => ({ data: cell(c), header: true }))];
    for (const record of records.slice(0, SUMMARY_ROWS)) {
        rows.push(shown.map((c) => cell(cutCell((0,secrets/* redact */.E$)(cellText(record[c]))))));
    }
    const notes = [];
    const all = Math.max(total ?? 0, records.length);
    const shownRows = Math.min(records.length, SUMMARY_ROWS);
    if (all > shownRows)
        notes.push(`${(0,log_text/* counted */.hS)(all - shownRows, 'more row', 'more rows')} (${all.toLocaleString('en-US')} in all)`);
    if (columns.length > SUMMARY_COLUMNS)
        notes.push((0,log_text/* counted */.hS)(columns.length - SUMMARY_COLUMNS, 'more property', 'more properties'));
    return { rows, notes };
}
function isIndexKey(key) {
    return /^(0|[1-9]\d{0,9})$/.test(key) && Number(key) < 2 ** 32 - 1;
}
function keysAsWritten(json, count) {
    const keys = [];
    let depth = 0;
    let element = 0;
    for (let i = 0; i < json.length && element < count; i++) {
        const c = json[i];
        if (c === '"') {
            const start = i;
            for (i++; json[i] !== '"'; i++)
                if (json[i] === '\\')
                    i++;
            if (depth !== 2 || keys[element] === undefined)
                continue;
            let next = i + 1;
            while (json[next] === ' ' || json[next] === '\n' || json[next] === '\r' || json[next] === '\t')
                next++;
            if (json[next] === ':')
                keys[element].push(JSON.parse(json.slice(start, i + 1)));
        }
        else if (c === '{' || c === '[') {
            depth++;
            if (depth === 2 && c === '{')
                keys[element] = [];
        }
        else if (c === '}' || c === ']') {
            depth--;
        }
        else if (c === ',' && depth === 1) {
            element++;
        }
    }
    return keys;
}
function cutCell(text) {
    const chars = Array.from(text);
    if (chars.length <= SUMMARY_CELL_CHARS)
        return text;
    return `${chars.slice(0, SUMMARY_CELL_CHARS).join('')}\u2026 (${(chars.length - SUMMARY_CELL_CHARS).toLocaleString('en-US')} more characters)`;
}
function cellText(value) {
    if (value === null || value === undefined)
        return '';
    if (RawJSON.isRawJSON(value))
        return value.rawJSON;
    if (typeof value === 'object')
        return JSON.stringify(value);
    return String(value);
}
function cell(text) {
    return (0,log_text/* spaceControls */.x1)((0,secrets/* escapeHtml */.ZD)((0,secrets/* redact */.E$)(text)).replace(/\r\n|\r|\n|\u2028|\u2029/g, '<br>'));
}
function formatDuration(ms) {
    if (ms < 1000)
        return `${ms} ms`;
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)} s`;
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.round((ms % 60_000) / 1000);
    return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`;
}
function certificateFact(certificate) {
    return `thumbprint ${certificate.thumbprint}, valid until ${(0,lib_auth/* isoSeconds */.nE)(certificate.notAfter)}`;
}

;// CONCATENATED MODULE: ./lib/state-keys.js
const StateKey = {
    workspace: 'workspace',
    runnerPid: 'runner-pid',
    runnerShell: 'runner-shell',
    runnerStarted: 'runner-started',
    runnerStartTicks: 'runner-start-ticks',
    runnerExited: 'runner-exited',
    connectedTo: 'connected-to',
    serverSession: 'server-session',
    serverUri: 'server-uri',
    serverSessionClosed: 'server-session-closed',
    clean: 'clean',
};
const CLEAN_STATE_VARIABLE = (/* unused pure expression or super */ null && (`STATE_${StateKey.clean}`));
function recordedConnection(env) {
    return (env[`STATE_${StateKey.connectedTo}`] ?? '') !== '' || (env[`STATE_${StateKey.serverSession}`] ?? '') !== '';
}

;// CONCATENATED MODULE: ./lib/state.js



const saved = new Map();
function save(key, value) {
    saved.set(key, value);
    actions_core/* saveState */.LZ(key, value);
}
const saveState = {
    begin: () => {
        for (const key of Object.values(StateKey)) {
            save(key, key === StateKey.clean || key === StateKey.runnerExited ? 'false' : '');
        }
    },
    workspace: (dir) => save(StateKey.workspace, dir),
    runnerStarted: (pid, shell, started) => {
        save(StateKey.runnerPid, String(pid ?? ''));
        save(StateKey.runnerShell, shell);
        save(StateKey.runnerStarted, String(started.startedAt ?? ''));
        save(StateKey.runnerStartTicks, String(started.startTicks ?? ''));
    },
    runnerExited: () => save(StateKey.runnerExited, 'true'),
    connected: (organization, serverSession) => {
        save(StateKey.connectedTo, organization);
        if (serverSession === undefined)
            return;
        save(StateKey.serverSession, serverSession.instanceId);
        save(StateKey.serverUri, serverSession.connectionUri);
    },
    serverSessionClosed: (instanceId) => save(StateKey.serverSessionClosed, instanceId),
    clean: () => save(StateKey.clean, 'true'),
    seal: () => {
        for (const [key, value] of saved)
            actions_core/* saveState */.LZ(key, value);
    },
};
function readState() {
    const number = (key) => {
        const value = Number(core.getState(key));
        return Number.isFinite(value) && value > 0 ? value : 0;
    };
    const started = number(Key.runnerStarted);
    const ticks = number(Key.runnerStartTicks);
    return {
        workspace: core.getState(Key.workspace),
        runnerPid: number(Key.runnerPid),
        runnerShell: core.getState(Key.runnerShell),
        runnerStarted: started === 0 ? null : started,
        runnerStartTicks: ticks === 0 ? null : ticks,
        runnerExited: core.getState(Key.runnerExited) === 'true',
        connectedTo: core.getState(Key.connectedTo),
        serverSession: core.getState(Key.serverSession),
        serverUri: core.getState(Key.serverUri),
        serverSessionClosed: core.getState(Key.serverSessionClosed),
    };
}

// EXTERNAL MODULE: ./lib/timings.js
var timings = __webpack_require__(1168);
;// CONCATENATED MODULE: ./lib/main.js


















async function run(cancellation = new lib_cancellation/* Cancellation */.m()) {
    saveState.begin();
    try {
        await runStep(cancellation);
    }
    finally {
        saveState.seal();
    }
}
async function runStep(cancellation) {
    const started = Date.now();
    let settings;
    try {
        settings = readActionSettings();
    }
    catch (error) {
        removeRefusedRunsResultFile();
        await reportRefused(error);
        return fail(error);
    }
    logSettings(settings, Date.now() - started);
    (0,timings/* mark */.G)('settings');
    let reported = false;
    try {
        removeEarlierResultFile(settings.resultFile);
        const now = new Date();
        const tools = await (0,provisioning/* provision */.mg)(settings, process.env, undefined, now);
        const workspace = (0,run_directory/* createRunDirectory */.HZ)(process.env.RUNNER_TEMP || external_node_os_.tmpdir());
        saveState.workspace(workspace.dir);
        const { runner, perTarget, directoryRoles, scriptTimeoutMs, cache } = await prepareRun(settings, tools, workspace, now, cancellation);
        let moduleDigest = null;
        const outcome = await runSession({ ...settings, scriptTimeoutMs, credentials: perTarget[0], connectionCredentials: perTarget }, tools, workspace, runner, {
            onConnected: (event) => saveState.connected(event.organization ?? settings.organization ?? '', event.instanceId === undefined
                ? undefined
                : { instanceId: event.instanceId, connectionUri: event.connectionUri ?? '' }),
            onModuleDigest: cache?.pending ? (digest) => (moduleDigest = digest) : undefined,
        }, cancellation);
        (0,timings/* mark */.G)('pwsh-exit', workspace.events);
        if (cache !== null && !cancellation.requested)
            await saveWithinLimit(cache.save(moduleDigest), cancellation);
        const verdict = judge(settings, outcome, { directoryRoles });
        reported = true;
        await reportRun(settings, outcome, verdict);
        annotate(settings, outcome, process.env.GITHUB_WORKSPACE || settings.workingDirectory, workspace.script, !verdict.ok);
        await finish(settings, workspace, outcome);
        if (!verdict.ok)
            actions_core/* setFailed */.C1(verdict.hint === null ? verdict.message : `${verdict.message}\nHint: ${verdict.hint}`);
    }
    catch (error) {
        if (!reported) {
            const hint = error instanceof errors/* HintedError */.J_ ? error.hint : null;
            const message = error instanceof Error ? error.message : String(error);
            await reportRun(settings, noSession(), { ok: false, exitCode: 1, message, hint }).catch(() => undefined);
        }
        else {
            actions_core/* setOutput */.uH('exit-code', '1');
        }
        fail(error);
    }
}
async function prepareRun(settings, tools, workspace, now, cancellation) {
    let runner = null;
    const start = () => {
        (0,timings/* mark */.G)('pwsh-spawn');
        const started = startRunner(tools, settings.workingDirectory, workspace);
        saveState.runnerStarted(started.child.pid, started.argv[0], started);
        void started.exited.then(saveState.runnerExited).catch(() => undefined);
        return started;
    };
    const cancelled = () => new errors/* HintedError */.J_(`The run${inTenant(settings)} was cancelled before its configuration reached PowerShell; nothing was connected.`, (0,hints/* hintById */.So)('cancelled'));
    try {
        if (lib_auth/* TOKEN_FLOWS */.Ar.includes(settings.auth))
            runner = start();
        const tokensStarted = Date.now();
        const { perTarget, directoryRoles } = await credentialsFor(settings, cancellation).catch((error) => {
            throw cancellation.requested ? cancelled() : error;
        });
        if (cancellation.requested)
            throw cancelled();
        const scriptTimeoutMs = settings.scriptTimeoutMs === null ? null : Math.max(1, settings.scriptTimeoutMs - (Date.now() - tokensStarted));
        runner ??= start();
        const cancelledFirst = new Promise((resolve) => cancellation.onRequest(() => resolve('cancelled')));
        const cache = await Promise.race([moduleCache(settings, tools.moduleDirectory, now), cancelledFirst]);
        if (cache === 'cancelled') {
            abandonedRequests = true;
            throw cancelled();
        }
        return { runner, perTarget, directoryRoles, scriptTimeoutMs, cache };
    }
    catch (error) {
        await endUnconfigured(runner, workspace);
        throw error;
    }
}
async function credentialsFor(settings, cancellation) {
    const kind = settings.credentials.kind;
    if (kind !== 'oidc' && kind !== 'client-secret' && kind !== 'access-token')
        return { perTarget: settings.targets.map(() => settings.credentials), directoryRoles: null };
    const { connectCredentials } = await Promise.all(/* import() */[__webpack_require__.e(273), __webpack_require__.e(669), __webpack_require__.e(146)]).then(__webpack_require__.bind(__webpack_require__, 3146));
    if (cancellation.requested)
        throw new Error('cancelled');
    let timer;
    let stoppedFirst = false;
    const stopped = new Promise((_, reject) => {
        const stop = (error) => {
            stoppedFirst = true;
            reject(error);
        };
        cancellation.onRequest(() => stop(new Error('cancelled')));
        if (settings.scriptTimeoutMs !== null)
            timer = setTimeout(() => stop(tokenTimeout(settings)), settings.scriptTimeoutMs);
    });
    stopped.catch(() => undefined);
    const wait = (ms) => Promise.race([new Promise((resolve) => setTimeout(resolve, ms)), stopped]);
    try {
        return await Promise.race([connectCredentials(settings, wait), stopped]);
    }
    finally {
        clearTimeout(timer);
        if (stoppedFirst)
            abandonedRequests = true;
    }
}
let abandonedRequests = false;
const CACHE_SAVE_LIMIT_MS = 120_000;
async function saveWithinLimit(save, cancellation) {
    let timer;
    const gaveUp = new Promise((resolve) => {
        timer = setTimeout(() => resolve(`did not finish within ${CACHE_SAVE_LIMIT_MS / 1000} s`), CACHE_SAVE_LIMIT_MS);
        cancellation.onRequest(() => resolve('was given up at the cancel'));
    });
    try {
        const why = await Promise.race([
            save.then(() => null, () => null),
            gaveUp,
        ]);
        if (why === null)
            return;
        abandonedRequests = true;
        actions_core/* warning */.$e(`Saving ExchangeOnlineManagement to the Actions cache ${why}: a run on a fresh runner installs it again. The cache service took the request and did not answer; on a self-hosted runner, check the proxy (https_proxy, no_proxy) between it and the cache service.`);
    }
    finally {
        clearTimeout(timer);
    }
}
function tokenTimeout(settings) {
    const message = `The run${inTenant(settings)} timed out after ${formatDuration(settings.scriptTimeoutMs ?? 0)} (script-timeout) in its token request; it was stopped before anything was connected.`;
    return new errors/* HintedError */.J_(message, (0,hints/* findHint */.hn)(message, { phase: null, targets: settings.targets, auth: settings.auth })?.hint ?? null);
}
async function moduleCache(settings, directory, now) {
    const unused = settings.target === 'exchange-server' || settings.module.version === 'installed';
    if (directory === null || unused || !settings.module.cache)
        return null;
    const { actionsCache, restoreModule, saveModule, savePending } = await __webpack_require__.e(/* import() */ 848).then(__webpack_require__.bind(__webpack_require__, 2848));
    const state = await restoreModule(settings, directory, actionsCache, now);
    return { pending: savePending(state), save: (imported) => saveModule(state, directory, actionsCache, imported) };
}
async function finish(settings, workspace, outcome) {
    if (outcome.serverSessionClosed !== null)
        saveState.serverSessionClosed(outcome.serverSessionClosed);
    let removed = true;
    try {
        await io/* rmRF */.Yz(workspace.dir);
    }
    catch (error) {
        removed = false;
        actions_core/* warning */.$e(`The run directory could not be removed yet (${(0,log_text/* oneLine */.TN)(error.message)}); the post step tries again.`);
    }
    if (connectionLeft(outcome))
        actions_core/* warning */.$e(noDisconnectWarning(settings, outcome));
    else if (removed && outcome.signal === null)
        saveState.clean();
}
function removeRefusedRunsResultFile() {
    try {
        removeEarlierResultFile(readResultFileAlone());
    }
    catch (error) {
        actions_core/* warning */.$e(withHint(error));
    }
}
function fail(error) {
    actions_core/* setFailed */.C1(withHint(error));
}
function withHint(error) {
    if (error instanceof errors/* HintedError */.J_ && error.hint !== null)
        return (0,secrets/* redact */.E$)(`${error.message}\nHint: ${error.hint}`);
    return (0,secrets/* redact */.E$)(error instanceof Error ? error.message : String(error));
}


/***/ }),

/***/ 1162:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   nF: () => (/* binding */ system32),
/* harmony export */   qI: () => (/* binding */ runTool),
/* harmony export */   ux: () => (/* binding */ makePrivate)
/* harmony export */ });
/* unused harmony export currentUserSid */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);



const runTool = (file, args) => (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFileSync)(file, args, { encoding: 'utf8', windowsHide: true, timeout: 30_000 });
function makePrivate(dir, platform = process.platform, run = runTool) {
    if (platform !== 'win32') {
        node_fs__WEBPACK_IMPORTED_MODULE_1__.chmodSync(dir, 0o700);
        return;
    }
    const sid = currentUserSid(run);
    run(system32('icacls.exe'), [dir, '/inheritance:r', '/grant:r', `*${sid}:(OI)(CI)F`, '/q']);
}
function currentUserSid(run) {
    const output = run(system32('whoami.exe'), ['/user', '/fo', 'csv', '/nh']);
    const sid = /"(S-1-[0-9-]+)"\s*$/.exec(output.trim())?.[1];
    if (sid === undefined)
        throw new Error(`whoami /user printed no SID: ${output.trim()}`);
    return sid;
}
function system32(tool, env = process.env) {
    const root = env.SystemRoot;
    const windows = root !== undefined && /^[A-Za-z]:\\Windows$/i.test(root) ? root : 'C:\\Windows';
    return node_path__WEBPACK_IMPORTED_MODULE_2__.win32.join(windows, 'System32', tool);
}


/***/ }),

/***/ 298:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kq: () => (/* binding */ repositoryKey),
/* harmony export */   mg: () => (/* binding */ provision),
/* harmony export */   o2: () => (/* binding */ latestFolder)
/* harmony export */ });
/* unused harmony exports ProvisionError, runnerScriptPath, moduleDirectory */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3136);
/* harmony import */ var _actions_io__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8701);
/* harmony import */ var _actions_core_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7950);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(452);
/* harmony import */ var _run_directory_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(4232);
/* harmony import */ var _log_text_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(673);









class ProvisionError extends _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .HintedError */ .J_ {
}
function runnerScriptPath() {
    const here = node_path__WEBPACK_IMPORTED_MODULE_2__.dirname((0,node_url__WEBPACK_IMPORTED_MODULE_3__.fileURLToPath)(import.meta.url));
    const fromSource = node_path__WEBPACK_IMPORTED_MODULE_2__.join(here, 'ps', 'runner.ps1');
    return node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync(fromSource) ? fromSource : node_path__WEBPACK_IMPORTED_MODULE_2__.join(here, '..', 'ps', 'runner.ps1');
}
async function provision(settings, env, shellPath, now = new Date()) {
    if (shellPath !== undefined)
        return { shellPath: mainShell(shellPath), runnerPath: runnerScriptPath(), moduleDirectory: null };
    shellPath = await _actions_io__WEBPACK_IMPORTED_MODULE_4__/* .which */ .K7(settings.shell, false);
    if (shellPath === '') {
        throw new ProvisionError(`The PowerShell that input 'shell' names, '${settings.shell}', was not found on PATH.`, settings.shell === 'pwsh'
            ? 'GitHub-hosted runners include PowerShell 7. On a self-hosted runner, install PowerShell 7 and put pwsh on PATH.'
            : 'Windows PowerShell 5.1 ships with Windows; check that powershell.exe is on PATH.');
    }
    const toolCache = env.RUNNER_TOOL_CACHE || env.RUNNER_TEMP || node_path__WEBPACK_IMPORTED_MODULE_2__.join(process.cwd(), '.exo-connect');
    return { shellPath, runnerPath: runnerScriptPath(), moduleDirectory: moduleDirectory(settings, toolCache, now) };
}
function moduleDirectory(settings, toolCache, now) {
    if (settings.module.version === 'installed' || settings.target === 'exchange-server')
        return null;
    const shellDirectory = node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(toolCache, 'exo-connect-action', 'modules', settings.shell);
    if (settings.module.version !== 'latest')
        return node_path__WEBPACK_IMPORTED_MODULE_2__.join(shellDirectory, settings.module.version);
    removeEarlierLatest(shellDirectory, now);
    const feed = settings.module.repository === 'PSGallery' ? '' : `-${repositoryKey(settings.module.repository)}`;
    return node_path__WEBPACK_IMPORTED_MODULE_2__.join(shellDirectory, latestFolder(now) + feed);
}
function latestFolder(date) {
    return `latest-${date.toISOString().slice(0, 10)}`;
}
function repositoryKey(repository) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(repository).digest('hex').slice(0, 12);
}
function removeEarlierLatest(shellDirectory, now) {
    const keep = [latestFolder(now), latestFolder(new Date(now.getTime() - 86_400_000))];
    let names;
    try {
        names = node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync(shellDirectory);
    }
    catch {
        return;
    }
    for (const name of names) {
        const dated = /^latest-(\d{4}-\d{2}-\d{2})(?:-[0-9a-f]{12})?$/.exec(name);
        const earlier = name === 'latest' || (dated !== null && `latest-${dated[1]}` < keep[1]);
        if (!earlier)
            continue;
        try {
            node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(shellDirectory, name), { recursive: true, force: true });
        }
        catch (error) {
            _actions_core_js__WEBPACK_IMPORTED_MODULE_5__/* .info */ .pq(`An earlier day's module-version latest save was not removed (${(0,_log_text_js__WEBPACK_IMPORTED_MODULE_8__/* .oneLine */ .TN)(error.message)}).`);
        }
    }
}
function mainShell(shellPath, env = process.env) {
    const name = node_path__WEBPACK_IMPORTED_MODULE_2__.basename(shellPath).toLowerCase();
    const jobFolders = [env.RUNNER_TEMP, env.GITHUB_WORKSPACE].filter((f) => Boolean(f));
    const inJobFolder = jobFolders.some((folder) => (0,_run_directory_js__WEBPACK_IMPORTED_MODULE_7__/* .isInside */ .FK)(shellPath, folder));
    if (!node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute(shellPath) || !SHELL_NAMES.includes(name) || inJobFolder) {
        throw new ProvisionError(`the recorded PowerShell '${shellPath}' is not one this action starts.`, null);
    }
    if (!node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync(shellPath)) {
        throw new ProvisionError(`the PowerShell the main step ran ('${shellPath}') is not there any more.`, null);
    }
    return shellPath;
}
const SHELL_NAMES = ['pwsh', 'pwsh.exe', 'powershell', 'powershell.exe'];


/***/ }),

/***/ 4232:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FK: () => (/* binding */ isInside),
/* harmony export */   HZ: () => (/* binding */ createRunDirectory)
/* harmony export */ });
/* unused harmony exports RUN_DIRECTORY_PREFIX, namesRunDirectory, isRunDirectory */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _private_dir_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1162);



const RUN_DIRECTORY_PREFIX = 'exo-connect-';
function createRunDirectory(runnerTemp, platform = process.platform, run) {
    runnerTemp = node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(runnerTemp);
    node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync(runnerTemp, { recursive: true });
    const dir = node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdtempSync(node_path__WEBPACK_IMPORTED_MODULE_1__.join(runnerTemp, RUN_DIRECTORY_PREFIX));
    try {
        (0,_private_dir_js__WEBPACK_IMPORTED_MODULE_2__/* .makePrivate */ .ux)(dir, platform, run);
    }
    catch (error) {
        node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync(dir, { recursive: true, force: true });
        throw new Error(`The run directory could not be made private to this account: ${error.message}`, {
            cause: error,
        });
    }
    const planted = node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync(dir);
    if (planted.length > 0) {
        node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync(dir, { recursive: true, force: true });
        throw new Error(`The run directory ${dir} held ${planted.map((name) => JSON.stringify(name)).join(', ')} before this run wrote anything to it: another account on this runner can write to RUNNER_TEMP (${runnerTemp}). Give only the runner's account access to that folder.`);
    }
    const tmp = node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, 'tmp');
    node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync(tmp);
    return {
        dir,
        tmp,
        events: node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, 'events.jsonl'),
        result: node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, 'result.json'),
        plan: node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, 'plan.txt'),
        script: node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, 'inline-script.ps1'),
    };
}
function isInside(file, folder) {
    const relative = node_path__WEBPACK_IMPORTED_MODULE_1__.relative(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(folder), node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(file));
    return relative !== '' && !relative.startsWith('..') && !node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute(relative);
}
function namesRunDirectory(dir, runnerTemp) {
    if (dir === '' || !path.isAbsolute(dir))
        return false;
    const fold = (p) => (process.platform === 'win32' ? p.toLowerCase() : p);
    const resolved = path.resolve(dir);
    if (fold(path.dirname(resolved)) !== fold(path.resolve(runnerTemp)))
        return false;
    return path.basename(resolved).startsWith(RUN_DIRECTORY_PREFIX);
}
function isRunDirectory(dir, runnerTemp) {
    if (!namesRunDirectory(dir, runnerTemp))
        return false;
    try {
        const stat = fs.lstatSync(path.resolve(dir));
        return stat.isDirectory() && !stat.isSymbolicLink();
    }
    catch {
        return false;
    }
}


/***/ }),

/***/ 150:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $l: () => (/* binding */ maskSecret),
/* harmony export */   A5: () => (/* binding */ redactCsv),
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   Kp: () => (/* binding */ redactJson),
/* harmony export */   ZD: () => (/* binding */ escapeHtml),
/* harmony export */   hK: () => (/* binding */ holdsSecret)
/* harmony export */ });
/* unused harmony exports encodedForms, base64Forms */
/* harmony import */ var _actions_core_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7950);

const known = new Set();
let longestFirst = [];
let csvForms = [];
const MIN_FRAGMENT = 4;
const FOLDED_LETTERS_MIN = 12;
const MIN_BASE64_FRAGMENT = 6;
const MIN_SPREAD = 6;
const MAX_SPREAD_ENCODED = 256;
const spread = [];
const GAPS = /(?:[\s\p{Cc}\p{Cf}]|\\[rnt]|\\u[0-9a-fA-F]{4})+/gu;
const GAP = /[\s\p{Cc}\p{Cf}]/u;
const PLAIN = /^[\x21-\x5b\x5d-\x7e]*$/;
const NOT_ASCII = /[^\p{ASCII}]/u;
const HEX_FORM = /^[0-9a-fA-F]{2}(?:-?[0-9a-fA-F]{2})*$/;
const LITERAL_GAPS = /[\s\p{Cc}\p{Cf}]+/gu;
function maskSecret(value) {
    const add = (form, minimum = 1) => {
        if (form.length < minimum || known.has(form))
            return;
        known.add(form);
        _actions_core_js__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(form);
    };
    const addSpread = (form, folded) => {
        const fold = (escapes) => {
            const compact = withoutGaps(form, escapes).compact;
            return [...compact].length < MIN_SPREAD ? '' : folded ? lowerEach(compact) : compact;
        };
        const compact = fold(true);
        const literal = form.includes('\\') ? fold(false) : compact;
        if (compact + literal === '' || spread.some((other) => other.compact === compact && other.literal === literal))
            return;
        const probe = (form) => (folded ? wholeLower(form) : form);
        spread.push({ compact, literal, folded, probe: probe(compact), literalProbe: probe(literal) });
    };
    add(value);
    const folded = /[^\p{L}]/u.test(value) || [...value].length >= FOLDED_LETTERS_MIN;
    addSpread(value, folded);
    const pieces = [
        value.replace(/\s+/g, ''),
        ...value
            .split(/\r?\n/)
            .map((line) => line.trim())
            .filter((line) => !/^-----(BEGIN|END) [A-Z0-9 ]+-----$/.test(line)),
    ];
    for (const piece of pieces)
        add(piece, MIN_FRAGMENT);
    for (const piece of folded ? new Set([value, pieces[0]]) : []) {
        const forms = [];
        for (const fold of [(c) => c.toUpperCase(), (c) => c.toLowerCase()]) {
            forms.push(fold(piece));
            if (NOT_ASCII.test(piece))
                forms.push([...piece].map((c) => (fold(c).length === c.length ? fold(c) : c)).join(''));
        }
        for (const form of forms)
            add(form, MIN_FRAGMENT);
        if (piece.length > MAX_SPREAD_ENCODED)
            continue;
        for (const fold of new Set(forms)) {
            if (fold !== piece)
                for (const form of encodedForms(fold))
                    if (!HEX_FORM.test(form))
                        add(form, MIN_FRAGMENT);
        }
    }
    for (const piece of new Set([value, pieces[0]].filter((p) => p !== ''))) {
        for (const form of encodedForms(piece))
            add(form, MIN_FRAGMENT);
        for (const form of base64Forms(piece)) {
            add(form, MIN_BASE64_FRAGMENT);
            if (piece.length <= MAX_SPREAD_ENCODED)
                addSpread(form, false);
        }
    }
    spread.sort((a, b) => b.literal.length - a.literal.length);
    longestFirst = [...known].sort((a, b) => b.length - a.length);
    csvForms = longestFirst.filter((s) => s.includes('"')).map((s) => s.replace(/"/g, '""'));
}
function encodedForms(value) {
    const json = JSON.stringify(value).slice(1, -1);
    const percent = (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
    const uri = encodeURIComponent(value);
    const rfc3986 = uri.replace(/[!'()*]/g, percent);
    const form = uri.replace(/['~]/g, percent).replace(/%20/g, '+');
    const lower = (text) => text.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    const hex = Buffer.from(value, 'utf8').toString('hex');
    const utf16Hex = Buffer.from(value, 'utf16le').toString('hex');
    const forms = [
        json,
        json.replace(/[<>&']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
        json.replace(/\//g, '\\/'),
        ...[false, true].flatMap((upper) => [
            jsonEscaped(value, /["&'<>]/, Infinity, upper),
            jsonEscaped(value, /(?!)/, 0x80, upper),
            jsonEscaped(value, /["&'+<>`]/, 0x7f, upper),
        ]),
        escapeHtml(value),
        escapeHtml(value).replace(/&#39;/g, '&#x27;'),
        escapeHtml(value).replace(/[\u00a0-\u00ff]/g, (c) => `&#${c.charCodeAt(0)};`),
        escapeHtml(value).replace(/&#39;/g, '&apos;'),
        escapeEntities(value, /[&<>]/g),
        escapeEntities(value, /[&<>"]/g),
        value.replace(/"/g, '""'),
        value.replace(/'/g, "''"),
        uri,
        uri.replace(/%20/g, '+'),
        rfc3986,
        form,
        ...[uri, rfc3986, form].map(lower),
        hex,
        hex.toUpperCase(),
        hex.toUpperCase().replace(/(..)(?!$)/g, '$1-'),
        utf16Hex,
        utf16Hex.toUpperCase(),
    ];
    return [...new Set(forms)].filter((f) => f !== value);
}
function jsonEscaped(value, escape, escapeFrom, upper) {
    const unicode = (code) => {
        const digits = code.toString(16).padStart(4, '0');
        return `\\u${upper ? digits.toUpperCase() : digits}`;
    };
    const from = Number.isFinite(escapeFrom) ? `|[\\u${escapeFrom.toString(16).padStart(4, '0')}-\\uffff]` : '';
    const visited = new RegExp(`[\\u0000-\\u001f"\\\\]|${escape.source}${from}`, 'g');
    return value.replace(visited, (c) => {
        const code = c.charCodeAt(0);
        if (escape.test(c) || code >= escapeFrom)
            return unicode(code);
        const escaped = JSON.stringify(c).slice(1, -1);
        return escaped.startsWith('\\u') ? unicode(code) : escaped;
    });
}
function base64Forms(value) {
    const forms = [];
    for (const bytes of [Buffer.from(value, 'utf8'), Buffer.from(value, 'utf16le')]) {
        forms.push(bytes.toString('base64'), bytes.toString('base64url'));
        for (const shift of [0, 1, 2]) {
            const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
            const first = Math.ceil((shift * 8) / 6);
            const last = Math.floor(((shift + bytes.length) * 8) / 6);
            const core64 = encoded.slice(first, last);
            forms.push(core64, core64.replace(/\+/g, '-').replace(/\//g, '_'));
        }
    }
    return forms;
}
function escapeHtml(text) {
    return escapeEntities(text, /[&<>"']/g);
}
const ENTITIES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
};
function escapeEntities(text, chars) {
    return text.replace(chars, (c) => ENTITIES[c]);
}
function spreadIn(text) {
    if (spread.length === 0)
        return [];
    const compact = text.replace(GAPS, '');
    const lower = wholeLower(compact);
    const literal = text.includes('\\') ? text.replace(LITERAL_GAPS, '') : null;
    const literalLower = literal === null ? null : wholeLower(literal);
    return spread.filter((secret) => (secret.compact !== '' && (secret.folded ? lower : compact).includes(secret.probe)) ||
        (secret.literal !== '' &&
            literal !== null &&
            (secret.folded ? literalLower : literal).includes(secret.literalProbe)));
}
function withoutGaps(text, escapes = true) {
    if (PLAIN.test(text))
        return { compact: text, at: Array.from({ length: text.length }, (_, i) => i) };
    const at = [];
    const kept = [];
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (escapes && code === 0x5c && 'rnt'.includes(text[i + 1] ?? '.')) {
            i++;
            continue;
        }
        if (escapes && code === 0x5c && text[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            if (GAP.test(String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)))) {
                i += 5;
                continue;
            }
        }
        const character = String.fromCodePoint(text.codePointAt(i));
        if ((code > 0x20 && code < 0x7f) || !GAP.test(character)) {
            for (let j = 0; j < character.length; j++) {
                at.push(i + j);
                kept.push(text[i + j]);
            }
        }
        i += character.length - 1;
    }
    return { compact: kept.join(''), at };
}
function wholeLower(text) {
    return text.toLowerCase().replace(/ς/g, 'σ');
}
function lowerEach(text) {
    if (!NOT_ASCII.test(text))
        return text.toLowerCase();
    return Array.from(text, (c) => (c.toLowerCase().length === c.length ? c.toLowerCase() : c))
        .join('')
        .replace(/ς/g, 'σ');
}
function hideSpread(text, secrets) {
    const spans = [];
    for (const escapes of text.includes('\\') ? [true, false] : [true]) {
        const { compact, at } = withoutGaps(text, escapes);
        const lower = secrets.some((secret) => secret.folded) ? lowerEach(compact) : compact;
        for (const secret of secrets) {
            const wanted = escapes ? secret.compact : secret.literal;
            if (wanted === '')
                continue;
            const within = secret.folded ? lower : compact;
            for (let from = within.indexOf(wanted); from >= 0; from = within.indexOf(wanted, from + 1)) {
                spans.push([at[from], at[from + wanted.length - 1] + 1]);
            }
        }
    }
    spans.sort((a, b) => a[0] - b[0]);
    let result = '';
    let end = 0;
    for (const [start, stop] of spans) {
        if (start >= end)
            result += `${text.slice(end, start)}***`;
        end = Math.max(end, stop);
    }
    return result + text.slice(end);
}
function redact(text) {
    let result = text;
    const spreadOut = spreadIn(result);
    if (spreadOut.length > 0)
        result = hideSpread(result, spreadOut);
    for (const secret of longestFirst)
        if (result.includes(secret))
            result = result.split(secret).join('***');
    if (result.includes(CUT_MARK))
        result = hideCutSecret(result);
    return result;
}
const CUT_MARK = ' [cut: ';
const CUT = / \[cut: \d+ more characters\]/g;
const MIN_CUT_PREFIX = 4;
function hideCutSecret(text) {
    if (spread.length === 0)
        return text;
    let result = '';
    let from = 0;
    for (const match of text.matchAll(CUT)) {
        const kept = text.slice(from, match.index);
        const { compact, at } = withoutGaps(kept);
        const lower = lowerEach(compact);
        let longest = 0;
        for (const secret of spread) {
            const within = secret.folded ? lower : compact;
            const last = within.charCodeAt(within.length - 1);
            for (let k = Math.min(secret.compact.length - 1, within.length); k > Math.max(longest, MIN_CUT_PREFIX - 1); k--) {
                if (secret.compact.charCodeAt(k - 1) === last && within.endsWith(secret.compact.slice(0, k))) {
                    longest = k;
                    break;
                }
            }
        }
        result += longest > 0 ? `${kept.slice(0, at[compact.length - longest])}***` : kept;
        from = match.index;
    }
    return result + text.slice(from);
}
function redactJson(json) {
    return json.replace(/"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*/g, (literal) => {
        if (!literal.startsWith('"')) {
            const redacted = redact(literal);
            return redacted === literal ? literal : JSON.stringify(redacted);
        }
        let value;
        try {
            value = JSON.parse(literal);
        }
        catch {
            return redact(literal);
        }
        const redacted = redact(value);
        return redacted === value ? literal : JSON.stringify(redacted);
    });
}
function redactCsv(record) {
    const values = record.replace(/"(?:[^"]|"")*"/g, (quoted) => {
        const value = quoted.slice(1, -1).split('""').join('"');
        const redacted = redact(value);
        return redacted === value ? quoted : `"${redacted.split('"').join('""')}"`;
    });
    let result = redact(values);
    for (const form of csvForms)
        result = result.split(form).join('***');
    return result;
}
function holdsSecret(text) {
    return (longestFirst.some((form) => text.includes(form)) ||
        csvForms.some((form) => text.includes(form)) ||
        spreadIn(text).length > 0);
}


/***/ }),

/***/ 90:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ck: () => (/* binding */ mkdir),
/* harmony export */   H8: () => (/* binding */ IS_WINDOWS),
/* harmony export */   Qh: () => (/* binding */ isRooted),
/* harmony export */   rm: () => (/* binding */ rm),
/* harmony export */   t2: () => (/* binding */ exists),
/* harmony export */   vr: () => (/* binding */ tryGetExecutablePath)
/* harmony export */ });
/* unused harmony exports chmod, copyFile, lstat, open, readdir, rename, rmdir, stat, symlink, unlink, readlink, UV_FS_O_EXLOCK, READONLY, isDirectory, getCmdPath */
/* harmony import */ var fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9896);
/* harmony import */ var path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6928);
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, symlink, unlink } = fs__WEBPACK_IMPORTED_MODULE_0__.promises;
// export const {open} = 'fs'
const IS_WINDOWS = process.platform === 'win32';
/**
 * Custom implementation of readlink to ensure Windows junctions
 * maintain trailing backslash for backward compatibility with Node.js < 24
 *
 * In Node.js 20, Windows junctions (directory symlinks) always returned paths
 * with trailing backslashes. Node.js 24 removed this behavior, which breaks
 * code that relied on this format for path operations.
 *
 * This implementation restores the Node 20 behavior by adding a trailing
 * backslash to all junction results on Windows.
 */
function readlink(fsPath) {
    return __awaiter(this, void 0, void 0, function* () {
        const result = yield fs.promises.readlink(fsPath);
        // On Windows, restore Node 20 behavior: add trailing backslash to all results
        // since junctions on Windows are always directory links
        if (IS_WINDOWS && !result.endsWith('\\')) {
            return `${result}\\`;
        }
        return result;
    });
}
// See https://github.com/nodejs/node/blob/d0153aee367422d0858105abec186da4dff0a0c5/deps/uv/include/uv/win.h#L691
const UV_FS_O_EXLOCK = 0x10000000;
const READONLY = fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDONLY;
function exists(fsPath) {
    return __awaiter(this, void 0, void 0, function* () {
        try {
            yield stat(fsPath);
        }
        catch (err) {
            if (err.code === 'ENOENT') {
                return false;
            }
            throw err;
        }
        return true;
    });
}
function isDirectory(fsPath_1) {
    return __awaiter(this, arguments, void 0, function* (fsPath, useStat = false) {
        const stats = useStat ? yield stat(fsPath) : yield lstat(fsPath);
        return stats.isDirectory();
    });
}
/**
 * On OSX/Linux, true if path starts with '/'. On Windows, true for paths like:
 * \, \hello, \\hello\share, C:, and C:\hello (and corresponding alternate separator cases).
 */
function isRooted(p) {
    p = normalizeSeparators(p);
    if (!p) {
        throw new Error('isRooted() parameter "p" cannot be empty');
    }
    if (IS_WINDOWS) {
        return (p.startsWith('\\') || /^[A-Z]:/i.test(p) // e.g. \ or \hello or \\hello
        ); // e.g. C: or C:\hello
    }
    return p.startsWith('/');
}
/**
 * Best effort attempt to determine whether a file exists and is executable.
 * @param filePath    file path to check
 * @param extensions  additional file extensions to try
 * @return if file exists and is executable, returns the file path. otherwise empty string.
 */
function tryGetExecutablePath(filePath, extensions) {
    return __awaiter(this, void 0, void 0, function* () {
        let stats = undefined;
        try {
            // test file exists
            stats = yield stat(filePath);
        }
        catch (err) {
            if (err.code !== 'ENOENT') {
                // eslint-disable-next-line no-console
                console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
            }
        }
        if (stats && stats.isFile()) {
            if (IS_WINDOWS) {
                // on Windows, test for valid extension
                const upperExt = path__WEBPACK_IMPORTED_MODULE_1__.extname(filePath).toUpperCase();
                if (extensions.some(validExt => validExt.toUpperCase() === upperExt)) {
                    return filePath;
                }
            }
            else {
                if (isUnixExecutable(stats)) {
                    return filePath;
                }
            }
        }
        // try each extension
        const originalFilePath = filePath;
        for (const extension of extensions) {
            filePath = originalFilePath + extension;
            stats = undefined;
            try {
                stats = yield stat(filePath);
            }
            catch (err) {
                if (err.code !== 'ENOENT') {
                    // eslint-disable-next-line no-console
                    console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
                }
            }
            if (stats && stats.isFile()) {
                if (IS_WINDOWS) {
                    // preserve the case of the actual file (since an extension was appended)
                    try {
                        const directory = path__WEBPACK_IMPORTED_MODULE_1__.dirname(filePath);
                        const upperName = path__WEBPACK_IMPORTED_MODULE_1__.basename(filePath).toUpperCase();
                        for (const actualName of yield readdir(directory)) {
                            if (upperName === actualName.toUpperCase()) {
                                filePath = path__WEBPACK_IMPORTED_MODULE_1__.join(directory, actualName);
                                break;
                            }
                        }
                    }
                    catch (err) {
                        // eslint-disable-next-line no-console
                        console.log(`Unexpected error attempting to determine the actual case of the file '${filePath}': ${err}`);
                    }
                    return filePath;
                }
                else {
                    if (isUnixExecutable(stats)) {
                        return filePath;
                    }
                }
            }
        }
        return '';
    });
}
function normalizeSeparators(p) {
    p = p || '';
    if (IS_WINDOWS) {
        // convert slashes on Windows
        p = p.replace(/\//g, '\\');
        // remove redundant slashes
        return p.replace(/\\\\+/g, '\\');
    }
    // remove redundant slashes
    return p.replace(/\/\/+/g, '/');
}
// on Mac/Linux, test the execute bit
//     R   W  X  R  W X R W X
//   256 128 64 32 16 8 4 2 1
function isUnixExecutable(stats) {
    return ((stats.mode & 1) > 0 ||
        ((stats.mode & 8) > 0 &&
            process.getgid !== undefined &&
            stats.gid === process.getgid()) ||
        ((stats.mode & 64) > 0 &&
            process.getuid !== undefined &&
            stats.uid === process.getuid()));
}
// Get the path of cmd.exe in windows
function getCmdPath() {
    var _a;
    return (_a = process.env['COMSPEC']) !== null && _a !== void 0 ? _a : `cmd.exe`;
}
//# sourceMappingURL=io-util.js.map

/***/ }),

/***/ 8701:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K7: () => (/* binding */ which),
/* harmony export */   U$: () => (/* binding */ mkdirP),
/* harmony export */   Yz: () => (/* binding */ rmRF)
/* harmony export */ });
/* unused harmony exports cp, mv, findInPath */
/* harmony import */ var assert__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2613);
/* harmony import */ var path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6928);
/* harmony import */ var _io_util_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(90);
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



/**
 * Copies a file or folder.
 * Based off of shelljs - https://github.com/shelljs/shelljs/blob/9237f66c52e5daa40458f94f9565e18e8132f5a6/src/cp.js
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See CopyOptions.
 */
function cp(source_1, dest_1) {
    return __awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        const { force, recursive, copySourceDirectory } = readCopyOptions(options);
        const destStat = (yield ioUtil.exists(dest)) ? yield ioUtil.stat(dest) : null;
        // Dest is an existing file, but not forcing
        if (destStat && destStat.isFile() && !force) {
            return;
        }
        // If dest is an existing directory, should copy inside.
        const newDest = destStat && destStat.isDirectory() && copySourceDirectory
            ? path.join(dest, path.basename(source))
            : dest;
        if (!(yield ioUtil.exists(source))) {
            throw new Error(`no such file or directory: ${source}`);
        }
        const sourceStat = yield ioUtil.stat(source);
        if (sourceStat.isDirectory()) {
            if (!recursive) {
                throw new Error(`Failed to copy. ${source} is a directory, but tried to copy without recursive flag.`);
            }
            else {
                yield cpDirRecursive(source, newDest, 0, force);
            }
        }
        else {
            if (path.relative(source, newDest) === '') {
                // a file cannot be copied to itself
                throw new Error(`'${newDest}' and '${source}' are the same file`);
            }
            yield copyFile(source, newDest, force);
        }
    });
}
/**
 * Moves a path.
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See MoveOptions.
 */
function mv(source_1, dest_1) {
    return __awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        if (yield ioUtil.exists(dest)) {
            let destExists = true;
            if (yield ioUtil.isDirectory(dest)) {
                // If dest is directory copy src into dest
                dest = path.join(dest, path.basename(source));
                destExists = yield ioUtil.exists(dest);
            }
            if (destExists) {
                if (options.force == null || options.force) {
                    yield rmRF(dest);
                }
                else {
                    throw new Error('Destination already exists');
                }
            }
        }
        yield mkdirP(path.dirname(dest));
        yield ioUtil.rename(source, dest);
    });
}
/**
 * Remove a path recursively with force
 *
 * @param inputPath path to remove
 */
function rmRF(inputPath) {
    return __awaiter(this, void 0, void 0, function* () {
        if (_io_util_js__WEBPACK_IMPORTED_MODULE_2__/* .IS_WINDOWS */ .H8) {
            // Check for invalid characters
            // https://docs.microsoft.com/en-us/windows/win32/fileio/naming-a-file
            if (/[*"<>|]/.test(inputPath)) {
                throw new Error('File path must not contain `*`, `"`, `<`, `>` or `|` on Windows');
            }
        }
        try {
            // note if path does not exist, error is silent
            yield _io_util_js__WEBPACK_IMPORTED_MODULE_2__.rm(inputPath, {
                force: true,
                maxRetries: 3,
                recursive: true,
                retryDelay: 300
            });
        }
        catch (err) {
            throw new Error(`File was unable to be removed ${err}`);
        }
    });
}
/**
 * Make a directory.  Creates the full path with folders in between
 * Will throw if it fails
 *
 * @param   fsPath        path to create
 * @returns Promise<void>
 */
function mkdirP(fsPath) {
    return __awaiter(this, void 0, void 0, function* () {
        (0,assert__WEBPACK_IMPORTED_MODULE_0__.ok)(fsPath, 'a path argument must be provided');
        yield _io_util_js__WEBPACK_IMPORTED_MODULE_2__/* .mkdir */ .Ck(fsPath, { recursive: true });
    });
}
/**
 * Returns path of a tool had the tool actually been invoked.  Resolves via paths.
 * If you check and the tool does not exist, it will throw.
 *
 * @param     tool              name of the tool
 * @param     check             whether to check if tool exists
 * @returns   Promise<string>   path to tool
 */
function which(tool, check) {
    return __awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // recursive when check=true
        if (check) {
            const result = yield which(tool, false);
            if (!result) {
                if (_io_util_js__WEBPACK_IMPORTED_MODULE_2__/* .IS_WINDOWS */ .H8) {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also verify the file has a valid extension for an executable file.`);
                }
                else {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also check the file mode to verify the file is executable.`);
                }
            }
            return result;
        }
        const matches = yield findInPath(tool);
        if (matches && matches.length > 0) {
            return matches[0];
        }
        return '';
    });
}
/**
 * Returns a list of all occurrences of the given tool on the system path.
 *
 * @returns   Promise<string[]>  the paths of the tool
 */
function findInPath(tool) {
    return __awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // build the list of extensions to try
        const extensions = [];
        if (_io_util_js__WEBPACK_IMPORTED_MODULE_2__/* .IS_WINDOWS */ .H8 && process.env['PATHEXT']) {
            for (const extension of process.env['PATHEXT'].split(path__WEBPACK_IMPORTED_MODULE_1__.delimiter)) {
                if (extension) {
                    extensions.push(extension);
                }
            }
        }
        // if it's rooted, return it if exists. otherwise return empty.
        if (_io_util_js__WEBPACK_IMPORTED_MODULE_2__/* .isRooted */ .Qh(tool)) {
            const filePath = yield _io_util_js__WEBPACK_IMPORTED_MODULE_2__/* .tryGetExecutablePath */ .vr(tool, extensions);
            if (filePath) {
                return [filePath];
            }
            return [];
        }
        // if any path separators, return empty
        if (tool.includes(path__WEBPACK_IMPORTED_MODULE_1__.sep)) {
            return [];
        }
        // build the list of directories
        //
        // Note, technically "where" checks the current directory on Windows. From a toolkit perspective,
        // it feels like we should not do this. Checking the current directory seems like more of a use
        // case of a shell, and the which() function exposed by the toolkit should strive for consistency
        // across platforms.
        const directories = [];
        if (process.env.PATH) {
            for (const p of process.env.PATH.split(path__WEBPACK_IMPORTED_MODULE_1__.delimiter)) {
                if (p) {
                    directories.push(p);
                }
            }
        }
        // find all matches
        const matches = [];
        for (const directory of directories) {
            const filePath = yield _io_util_js__WEBPACK_IMPORTED_MODULE_2__/* .tryGetExecutablePath */ .vr(path__WEBPACK_IMPORTED_MODULE_1__.join(directory, tool), extensions);
            if (filePath) {
                matches.push(filePath);
            }
        }
        return matches;
    });
}
function readCopyOptions(options) {
    const force = options.force == null ? true : options.force;
    const recursive = Boolean(options.recursive);
    const copySourceDirectory = options.copySourceDirectory == null
        ? true
        : Boolean(options.copySourceDirectory);
    return { force, recursive, copySourceDirectory };
}
function cpDirRecursive(sourceDir, destDir, currentDepth, force) {
    return __awaiter(this, void 0, void 0, function* () {
        // Ensure there is not a run away recursive copy
        if (currentDepth >= 255)
            return;
        currentDepth++;
        yield mkdirP(destDir);
        const files = yield ioUtil.readdir(sourceDir);
        for (const fileName of files) {
            const srcFile = `${sourceDir}/${fileName}`;
            const destFile = `${destDir}/${fileName}`;
            const srcFileStat = yield ioUtil.lstat(srcFile);
            if (srcFileStat.isDirectory()) {
                // Recurse
                yield cpDirRecursive(srcFile, destFile, currentDepth, force);
            }
            else {
                yield copyFile(srcFile, destFile, force);
            }
        }
        // Change the mode for the newly created directory
        yield ioUtil.chmod(destDir, (yield ioUtil.stat(sourceDir)).mode);
    });
}
// Buffered file copy
function copyFile(srcFile, destFile, force) {
    return __awaiter(this, void 0, void 0, function* () {
        if ((yield ioUtil.lstat(srcFile)).isSymbolicLink()) {
            // unlink/re-link it
            try {
                yield ioUtil.lstat(destFile);
                yield ioUtil.unlink(destFile);
            }
            catch (e) {
                // Try to override file permission
                if (e.code === 'EPERM') {
                    yield ioUtil.chmod(destFile, '0666');
                    yield ioUtil.unlink(destFile);
                }
                // other errors = it doesn't exist, no work to do
            }
            // Copy over symlink
            const symlinkFull = yield ioUtil.readlink(srcFile);
            yield ioUtil.symlink(symlinkFull, destFile, ioUtil.IS_WINDOWS ? 'junction' : null);
        }
        else if (!(yield ioUtil.exists(destFile)) || force) {
            yield ioUtil.copyFile(srcFile, destFile);
        }
    });
}
//# sourceMappingURL=io.js.map

/***/ })

};
