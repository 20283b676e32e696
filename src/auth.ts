// Chooses the authentication method and checks its inputs before PowerShell starts.
// Secrets are validated in memory; nothing here writes them anywhere.

import * as tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type * as net from 'node:net';
import { OIDC_PERMISSIONS, quoted, SettingsError } from './errors.js';
import type { Target } from './inputs.js';
import { counted, oneLine } from './log-text.js';

export const AUTH_METHODS = [
  'auto',
  'certificate',
  'oidc',
  'client-secret',
  'access-token',
  'managed-identity',
  'credential',
  'integrated',
] as const;
export type AuthMethod = Exclude<(typeof AUTH_METHODS)[number], 'auto'>;

/** The GitHub OIDC token's audience that Entra ID's federated credentials expect by default (action.yml's default). */
export const DEFAULT_AUDIENCE = 'api://AzureADTokenExchange';

/** Methods that request a token from Entra ID themselves: the only users of tenant-id and authority-host. */
export const TOKEN_FLOWS: readonly AuthMethod[] = ['oidc', 'client-secret'];

/** The certificate in a PFX, as the settings log shows it. Nothing here is secret. */
export interface CertificateFacts {
  /** SHA-1, upper-case hex without separators: how Entra ID's "Certificates & secrets" page lists it. */
  thumbprint: string;
  /** The subject's attributes, comma-separated (CN=…, O=…). */
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

/** What the settings log says about the credential beyond its kind; never a secret. */
export interface AuthDetails {
  /** Why auth auto chose the method; null when auth named it. */
  autoReason: string | null;
  /** The certificate in `certificate`; null for other methods, and for a legacy PFX only PowerShell opens. */
  certificate: CertificateFacts | null;
}

export type Credentials =
  | { kind: 'certificate'; clientId: string; pfxBase64: string; password: string }
  | { kind: 'certificate-thumbprint'; clientId: string; thumbprint: string }
  | { kind: 'client-secret'; clientId: string; secret: string }
  | { kind: 'oidc'; clientId: string; audience: string }
  | { kind: 'access-token'; token: string; expiresAt: Date | null }
  | { kind: 'managed-identity'; accountId: string | null }
  | { kind: 'credential'; username: string; password: string }
  | { kind: 'integrated' };

export interface AuthInputs {
  requested: string;
  /** Every workload the step connects; the credential must suit each one. */
  targets: readonly Target[];
  platform: NodeJS.Platform;
  oidcAvailable: boolean;
  clientId: string;
  certificate: string;
  certificatePassword: string;
  certificateThumbprint: string;
  clientSecret: string;
  accessToken: string;
  /** The audience input, action.yml's default applied. */
  audience: string;
  /** tenant-id and authority-host as given (empty when not set): only token flows use them. */
  tenantId: string;
  authorityHost: string;
  managedIdentityClientId: string;
  username: string;
  password: string;
  /** The clock certificates and tokens are judged by; the real one outside tests. */
  now?: Date;
}

/** A GUID as Entra ID writes application and tenant IDs. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Why a secret a workflow passes arrives empty: the runner gives no error, only an empty string. */
export const EMPTY_SECRET_REASONS =
  'A secret arrives empty, without an error, when the run is for a pull request from a fork (secrets are not passed to it), when Dependabot starts it (it reads only Dependabot secrets), or when the secret is an environment secret and the job has no `environment:`';

const CHOICES =
  'access-token; certificate (+ client-id); certificate-thumbprint (+ client-id, Windows); client-secret (+ client-id); username + password; client-id with `permissions: id-token: write` for OIDC; or set auth explicitly, as auth: managed-identity must be (self-hosted runners on Azure)';

/** A certificate this close to its end is announced, so that it is replaced before sign-ins fail. */
const CERTIFICATE_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

export function resolveAuth(inputs: AuthInputs): {
  method: AuthMethod;
  credentials: Credentials;
  warnings: string[];
  details: AuthDetails;
} {
  const requested = inputs.requested.toLowerCase();
  if (!(AUTH_METHODS as readonly string[]).includes(requested)) {
    throw new SettingsError(
      'auth',
      `${quoted(inputs.requested)} is not an authentication method`,
      AUTH_METHODS.join(', '),
    );
  }
  const i = { ...inputs, clientId: unbraceGuid(inputs.clientId) };
  checkPartners(requested, i);
  const { method, reason } =
    requested === 'auto' ? pickAutomatically(i) : { method: requested as AuthMethod, reason: null };
  const warnings: string[] = [];
  const { credentials, certificate } = buildCredentials(method, i, warnings);
  for (const target of i.targets) checkTargetFits(method, target);
  if (i.targets.length > 1 && method === 'access-token') {
    throw new SettingsError(
      'auth',
      `an access token is issued for one resource, and ${i.targets.join(' and ')} each need their own`,
      'certificate, oidc or client-secret when target is a list (the action then requests a token for each workload)',
    );
  }
  return {
    method,
    credentials,
    warnings: [...unusedInputs(method, credentials, i), ...warnings],
    details: { autoReason: reason, certificate },
  };
}

/**
 * The settings log's lines for the credential: its kind, why auto chose it, and the certificate's
 * identity, so that it can be compared with the thumbprints the app registration lists.
 */
export function describeAuth(credentials: Credentials, details: AuthDetails): string[] {
  const lines = [`auth: ${credentials.kind}${details.autoReason === null ? '' : ` (auto: ${details.autoReason})`}`];
  const c = details.certificate;
  if (c !== null) {
    lines.push(`certificate: thumbprint ${c.thumbprint}, ${c.subject}, valid until ${isoSeconds(c.notAfter)}`);
  }
  return lines;
}

export const isoSeconds = (date: Date): string =>
  Number.isNaN(date.getTime()) ? 'an unreadable date' : date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * A GUID as .NET's "B" format and the registry write it, `{…}`, is the same GUID: accepted without
 * the braces, which an authority URL or a parameter would not take.
 */
export function unbraceGuid(value: string): string {
  const inner = /^\{(.*)\}$/.exec(value)?.[1];
  return inner !== undefined && GUID.test(inner) ? inner : value;
}

/**
 * A credential input that is set while the input it goes with is empty: the empty one is named,
 * with the usual reasons, rather than a fallback to another method (OIDC above all) being chosen.
 */
function checkPartners(requested: string, i: AuthInputs): void {
  const emptyPartner = (empty: string, given: string, accepted: string): never => {
    throw new SettingsError(empty, `is empty while ${given} is set. ${EMPTY_SECRET_REASONS}`, accepted);
  };
  const applies = (method: AuthMethod): boolean => requested === 'auto' || requested === method;
  if (applies('certificate') && i.certificatePassword !== '' && !i.certificate && !i.certificateThumbprint) {
    emptyPartner('certificate', 'certificate-password', 'a base64-encoded PFX, from a secret this run can read');
  }
  if (requested === 'client-secret' && i.clientId && !i.clientSecret) {
    const other = otherCredential('client-secret', i);
    if (other !== null) {
      throw new SettingsError(
        'client-secret',
        `is empty, and auth is client-secret while ${other} is given. If client-secret is meant: ${EMPTY_SECRET_REASONS}`,
        `the app registration's client secret for auth client-secret, or auth set to the method that uses ${other}`,
      );
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

function pickAutomatically(inputs: AuthInputs): { method: AuthMethod; reason: string } {
  const given: Array<[string, AuthMethod]> = [];
  if (inputs.accessToken) given.push(['access-token', 'access-token']);
  if (inputs.certificate) given.push(['certificate', 'certificate']);
  if (inputs.certificateThumbprint) given.push(['certificate-thumbprint', 'certificate']);
  if (inputs.clientSecret) given.push(['client-secret', 'client-secret']);
  if (inputs.username || inputs.password) given.push(['username/password', 'credential']);
  if (given.length > 1) {
    throw new SettingsError(
      'auth',
      `auto found several credentials (${given.map(([n]) => n).join(', ')}) and will not guess`,
      `one credential, or auth set to the method you mean (${AUTH_METHODS.slice(1).join(', ')})`,
    );
  }
  if (given.length === 1) {
    const [name, method] = given[0]!;
    return { method, reason: `${name} ${name.includes('/') ? 'were' : 'was'} given` };
  }
  // Said in the log: a certificate whose secrets arrived empty is why OIDC was chosen, or why auto refuses.
  const none =
    'no access-token, certificate, certificate-thumbprint, client-secret or username/password was given (a secret that arrives empty counts as not given)';
  if (inputs.clientId && inputs.oidcAvailable) {
    // OIDC only when nothing else was meant: a managed identity's id points elsewhere.
    if (inputs.managedIdentityClientId) {
      throw new SettingsError(
        'auth',
        'auto does not choose OIDC while managed-identity-client-id is set',
        'auth: managed-identity for the managed identity, or no managed-identity-client-id for OIDC',
      );
    }
    return {
      method: 'oidc',
      reason: `${none}; client-id and the job's OIDC token request URL (id-token: write) are set`,
    };
  }
  if (inputs.targets.includes('exchange-server')) {
    // Never the runner's own account unasked: a password secret that arrives empty (a pull request
    // from a fork) would otherwise sign in as whatever account the runner service runs as.
    throw new SettingsError(
      'auth',
      `auto found no credential: ${none}`,
      'username + password (auth: credential), or auth: integrated to sign in to the server as the account the runner runs as',
    );
  }
  if (inputs.managedIdentityClientId) {
    // A managed identity needs no input at all, so nothing given can say that one is meant.
    throw new SettingsError(
      'auth',
      'managed-identity-client-id is set, and auto never picks managed identity (it needs no credential input, so auto cannot tell it is meant)',
      'auth: managed-identity, with managed-identity-client-id for a user-assigned identity (self-hosted runners on Azure)',
    );
  }
  if (inputs.clientId) {
    throw new SettingsError(
      'auth',
      'auto found a client-id but no credential, and ACTIONS_ID_TOKEN_REQUEST_URL is not set, so OIDC is not available',
      `${CHOICES}. For OIDC, add to the job`,
      OIDC_PERMISSIONS,
    );
  }
  throw new SettingsError('auth', 'auto found no credential', CHOICES);
}

/** A credential input of another method that is set: the likely reason `method`'s own input is empty. */
function otherCredential(method: AuthMethod, i: AuthInputs): string | null {
  const others: Array<[string, AuthMethod, string]> = [
    ['certificate', 'certificate', i.certificate],
    ['certificate-thumbprint', 'certificate', i.certificateThumbprint],
    ['client-secret', 'client-secret', i.clientSecret],
    ['access-token', 'access-token', i.accessToken],
    ['username/password', 'credential', i.username || i.password],
  ];
  return others.find(([, m, value]) => m !== method && value !== '')?.[0] ?? null;
}

function buildCredentials(
  method: AuthMethod,
  i: AuthInputs,
  warnings: string[],
): { credentials: Credentials; certificate: CertificateFacts | null } {
  if (method !== 'certificate') return { credentials: otherCredentials(method, i), certificate: null };
  const clientId = requireClientId(i, method);
  if (i.certificate && i.certificateThumbprint) {
    throw new SettingsError(
      'certificate-thumbprint',
      'is set together with certificate',
      'either certificate (base64 PFX) or certificate-thumbprint, not both',
    );
  }
  if (i.certificateThumbprint) {
    const thumbprint = checkThumbprint(i.certificateThumbprint, i.platform);
    return { credentials: { kind: 'certificate-thumbprint', clientId, thumbprint }, certificate: null };
  }
  if (!i.certificate) {
    const other = otherCredential('certificate', i);
    throw new SettingsError(
      'certificate',
      other === null
        ? `is required for auth certificate, and it is empty. ${EMPTY_SECRET_REASONS}`
        : `is empty, and auth is certificate while ${other} is given. If a certificate is meant: ${EMPTY_SECRET_REASONS}`,
      other === null
        ? 'a base64-encoded PFX (or certificate-thumbprint on Windows)'
        : `a base64-encoded PFX for auth certificate, or auth set to the method that uses ${other}`,
    );
  }
  const certificate = checkPfx(i.certificate, i.certificatePassword);
  if (certificate !== null) checkValidity(certificate, i.now ?? new Date(), warnings);
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

function otherCredentials(method: Exclude<AuthMethod, 'certificate'>, i: AuthInputs): Credentials {
  switch (method) {
    case 'client-secret':
      if (!i.clientSecret)
        throw new SettingsError(
          'client-secret',
          'is required for auth client-secret',
          "the app registration's client secret",
        );
      return { kind: 'client-secret', clientId: requireClientId(i, method), secret: i.clientSecret };
    case 'oidc':
      if (!i.audience)
        throw new SettingsError(
          'audience',
          'is empty',
          'the federated credential audience, default api://AzureADTokenExchange',
        );
      return { kind: 'oidc', clientId: requireClientId(i, method), audience: i.audience };
    case 'access-token':
      return {
        kind: 'access-token',
        // A token from an earlier step's output is no secret, but one passed from secrets can arrive empty.
        token:
          i.accessToken ||
          (() => {
            throw new SettingsError(
              'access-token',
              `is required for auth access-token, and it is empty. If it comes from an earlier step's output, that step did not set it; if from a secret: ${EMPTY_SECRET_REASONS}`,
              "a token for the Exchange Online resource, from an earlier step's output (as azure/login and az account get-access-token give one) or a secret",
            );
          })(),
        expiresAt: checkJwt(i.accessToken, i.now),
      };
    case 'managed-identity': {
      const accountId = unbraceGuid(i.managedIdentityClientId);
      if (accountId && !GUID.test(accountId)) {
        throw new SettingsError(
          'managed-identity-client-id',
          `${quoted(accountId)} is not a GUID`,
          'the client ID (GUID) of a user-assigned managed identity, or empty for the system-assigned one',
        );
      }
      return { kind: 'managed-identity', accountId: accountId || null };
    }
    case 'credential':
      if (!i.username) missing('username', method);
      if (!i.password) missing('password', method);
      return { kind: 'credential', username: i.username, password: i.password };
    case 'integrated':
      return { kind: 'integrated' };
  }
}

function checkTargetFits(method: AuthMethod, target: Target): void {
  const serverOnly = method === 'credential' || method === 'integrated';
  if (serverOnly && target !== 'exchange-server') {
    const why =
      method === 'integrated'
        ? "it signs in as the runner's own Windows account (Kerberos or Negotiate), which only an on-premises Exchange server accepts; Exchange Online and Security & Compliance take app-only sign-in"
        : 'it signs in as a user with a password, which multifactor authentication and Conditional Access policies refuse; for unattended scripts, Microsoft documents app-only sign-in to Exchange Online and Security & Compliance (https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2)';
    throw new SettingsError(
      'auth',
      `${quoted(method)} is for exchange-server; ${why}`,
      'certificate, oidc, client-secret, access-token or managed-identity for exchange-online and security-compliance',
    );
  }
  if (method === 'managed-identity' && target === 'security-compliance') {
    throw new SettingsError(
      'auth',
      'Connect-IPPSSession has no managed identity sign-in',
      'certificate (a PFX in certificate, or certificate-thumbprint on Windows), oidc, client-secret or access-token for security-compliance',
    );
  }
  if (!serverOnly && target === 'exchange-server') {
    throw new SettingsError(
      'auth',
      `${quoted(method)} does not apply to exchange-server`,
      "credential (username + password) or integrated (the runner's own identity)",
    );
  }
}

function unusedInputs(method: AuthMethod, credentials: Credentials, i: AuthInputs): string[] {
  const used = new Set<string>();
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
  const present: Array<[string, string]> = [
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
  // Only a token request of the action's own reads these; Connect-* is given none of them.
  const tokenFlow = TOKEN_FLOWS.includes(method);
  const tokenOnly: Array<[string, boolean, string]> = [
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

function requireClientId(i: AuthInputs, method: string): string {
  if (!i.clientId) missing('client-id', method);
  if (!GUID.test(i.clientId)) {
    throw new SettingsError(
      'client-id',
      `${quoted(i.clientId)} is not a GUID`,
      'the application (client) ID of the app registration, a GUID',
    );
  }
  return i.clientId;
}

function missing(input: string, method: string): never {
  throw new SettingsError(input, `is required for auth ${method}`, `a value for ${input}`);
}

function checkThumbprint(value: string, platform: NodeJS.Platform): string {
  // Copied from the certificate dialog, a thumbprint starts with an invisible left-to-right mark.
  const thumbprint = value.replace(/[\s:\u200e\u200f]/g, '').toUpperCase();
  if (!/^[0-9A-F]{40}$/.test(thumbprint)) {
    throw new SettingsError('certificate-thumbprint', 'is not a SHA-1 thumbprint', '40 hexadecimal characters');
  }
  if (platform !== 'win32') {
    throw new SettingsError(
      'certificate-thumbprint',
      `needs a Windows certificate store, and this runner is ${platform}`,
      'certificate (base64 PFX) on Linux and macOS',
    );
  }
  return thumbprint;
}

/**
 * The PFX opened with this password, or why it does not open. Parsed in memory by OpenSSL; the
 * value is never quoted. `ca: []`: opening the file needs no trust store, and without it Node
 * loads its whole root certificate bundle into the context first (some 6 ms).
 */
function openPfx(der: Buffer, password: string): tls.SecureContext | string {
  try {
    return tls.createSecureContext({ pfx: der, passphrase: password, ca: [] });
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The certificate OpenSSL paired with the PFX's private key, through a socket that never connects:
 * tlsSocket.getX509Certificate() returns the local certificate
 * (https://nodejs.org/api/tls.html#tlssocketgetx509certificate).
 */
function certificateOf(context: tls.SecureContext): CertificateFacts | null {
  const socket = new tls.TLSSocket(null as unknown as net.Socket, { secureContext: context });
  try {
    const x509 = socket.getX509Certificate();
    if (x509 === undefined) return null;
    return {
      thumbprint: x509.fingerprint.replace(/:/g, '').toUpperCase(),
      subject: x509.subject.split('\n').map(oneLine).join(', ') || '(no subject)',
      notBefore: x509.validFromDate,
      notAfter: x509.validToDate,
    };
  } finally {
    socket.destroy();
  }
}

/**
 * An expired certificate, or one not valid yet, is refused: Entra ID signs in with a certificate
 * only within its validity. One near its end is announced while there is time to replace it
 * (https://learn.microsoft.com/entra/identity-platform/certificate-credentials).
 */
function checkValidity(c: CertificateFacts, now: Date, warnings: string[]): void {
  if (Number.isNaN(c.notAfter.getTime()) || Number.isNaN(c.notBefore.getTime())) return;
  const which = `thumbprint ${c.thumbprint}, ${c.subject}`;
  const renew =
    'create a new certificate, upload its public key (.cer) to the app registration under Certificates & secrets, and store the new PFX, base64-encoded, in this secret';
  if (c.notAfter.getTime() <= now.getTime()) {
    throw new SettingsError(
      'certificate',
      `the certificate expired on ${isoSeconds(c.notAfter)} (${which})`,
      `a certificate that is valid now: ${renew}`,
    );
  }
  // A certificate made a moment ago on a machine whose clock runs a little ahead is not refused.
  if (c.notBefore.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new SettingsError(
      'certificate',
      `the certificate is not valid before ${isoSeconds(c.notBefore)} (${which}), and the runner's clock says ${isoSeconds(now)}`,
      "a certificate whose validity has begun: one made valid from now, or this one once its time has come (check the runner's clock if it should have)",
    );
  }
  const days = Math.floor((c.notAfter.getTime() - now.getTime()) / DAY_MS);
  if (days < CERTIFICATE_WARNING_DAYS) {
    const when = days === 0 ? 'within a day' : `in ${counted(days, 'day', 'days')}`;
    warnings.push(
      `The certificate in 'certificate' (${which}) expires on ${isoSeconds(c.notAfter)}, ${when}; Entra ID refuses it after that. Before then, ${renew}.`,
    );
  }
}

/** How far a certificate's start may lie ahead of the runner's clock (clocks of two machines differ). */
const CLOCK_SKEW_MS = 5 * 60_000;

/** How to write a PFX file as the one line of base64 the certificate input takes. */
const PFX_TO_BASE64 =
  "[Convert]::ToBase64String([IO.File]::ReadAllBytes('app.pfx')) in PowerShell, base64 -w0 app.pfx on Linux or base64 -i app.pfx on macOS";

const PFX_EXPORT = `a base64-encoded PFX with the certificate and its private key, e.g. from ${PFX_TO_BASE64}`;

/** Whether DER bytes begin as a PFX does: a SEQUENCE whose first element is the version, INTEGER 3 (RFC 7292, 4). */
function looksLikePkcs12(der: Buffer): boolean {
  if (der.length < 8 || der[0] !== 0x30) return false;
  const at = 2 + (der[1]! & 0x80 ? der[1]! & 0x7f : 0);
  return der[at] === 0x02 && der[at + 1] === 0x01 && der[at + 2] === 0x03;
}

function isX509(der: Buffer): boolean {
  try {
    new X509Certificate(der);
    return true;
  } catch {
    return false;
  }
}

/**
 * PEM text where base64 of a PFX belongs: files from openssl, or `certutil -encode`, which wraps the
 * PFX's own base64 in -----BEGIN CERTIFICATE----- lines
 * (https://learn.microsoft.com/windows-server/administration/windows-commands/certutil#-encode).
 */
function pemError(text: string, decoded: boolean): SettingsError | null {
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text)) return null;
  const is = decoded ? 'decodes to' : 'is';
  const hasKey = /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/.test(text);
  const block = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*)-----END CERTIFICATE-----/.exec(text);
  if (!hasKey && block !== null) {
    const body = Buffer.from(block[1]!.replace(/\s+/g, ''), 'base64');
    const certutil = looksLikePkcs12(body);
    body.fill(0);
    if (certutil) {
      return new SettingsError(
        'certificate',
        `${is} certutil -encode output: the PFX's base64 between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines, which are not part of it`,
        `the bare base64 of the PFX, without those lines: ${PFX_TO_BASE64}`,
      );
    }
  }
  const holds = hasKey
    ? block !== null
      ? 'a certificate and a private key'
      : 'a private key'
    : 'a certificate without its private key';
  return new SettingsError(
    'certificate',
    `${is} PEM text (${holds}), not a PFX`,
    'a base64-encoded PFX with the certificate and its private key. From PEM files: openssl pkcs12 -export -in cert.pem -inkey key.pem -out app.pfx, then the output of base64 -w0 app.pfx (on macOS base64 -i app.pfx) as the secret',
  );
}

/** A secret stored with the quotes of the text it was copied from. */
const QUOTED = /^["'`]|["'`]$/;
const QUOTES_PROBLEM = 'which are not part of it: store the secret without them';

/** Checks the PFX and its password in memory; returns its certificate, or null when only PowerShell can open it. */
export function checkPfx(base64: string, password: string): CertificateFacts | null {
  const pem = pemError(base64, false);
  if (pem !== null) throw pem;
  const compact = base64.replace(/\s+/g, '');
  if (QUOTED.test(compact)) {
    throw new SettingsError('certificate', `is in quotes, ${QUOTES_PROBLEM}`, PFX_EXPORT);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new SettingsError('certificate', 'is not base64', PFX_EXPORT);
  }
  const der = Buffer.from(compact, 'base64');
  try {
    if (der.subarray(0, 10).toString('latin1').startsWith('-----BEGIN')) {
      throw pemError(der.toString('latin1'), true)!;
    }
    if (!looksLikePkcs12(der) && isX509(der)) {
      throw new SettingsError(
        'certificate',
        'is a certificate without its private key (a .cer file), not a PFX',
        'a PFX with the certificate and its private key, base64-encoded: Export-PfxCertificate (or the export wizard\'s "Yes, export the private key"), or openssl pkcs12 -export with -inkey. The .cer is what the app registration gets under Certificates & secrets',
      );
    }
    if (der.length < 64 || der[0] !== 0x30) {
      throw new SettingsError(
        'certificate',
        'decodes to something that is not a PFX (PKCS#12) file',
        'a base64-encoded PFX with the certificate and its private key (not a .cer or PEM)',
      );
    }
    const opened = openPfx(der, password);
    if (typeof opened !== 'string') return certificateOf(opened);
    if (/mac verify|invalid password/i.test(opened)) {
      // The password is used exactly as given; say so when the given one only fails for its edges.
      if (password !== password.trim() && typeof openPfx(der, password.trim()) !== 'string') {
        throw new SettingsError(
          'certificate-password',
          'does not open the PFX in certificate, but it does without the whitespace at its start or end (a secret saved with a trailing newline?)',
          'the password exactly as the PFX was exported with it: re-save the secret without the extra whitespace',
        );
      }
      throw new SettingsError(
        'certificate-password',
        'does not open the PFX in certificate',
        'the password the PFX was exported with',
      );
    }
    // OpenSSL 3 refuses legacy PFX ciphers (RC2) that .NET still opens: leave those to PowerShell.
    if (/unsupported/i.test(opened)) return null;
    if (/private key|key values mismatch/i.test(opened)) {
      throw new SettingsError('certificate', 'has no usable private key', 'a PFX exported with its private key');
    }
    throw new SettingsError(
      'certificate',
      `is not a readable PFX (${opened})`,
      'a base64-encoded PFX with the certificate and its private key',
    );
  } finally {
    der.fill(0);
  }
}

/** Returns the token's expiry, or null when it carries none; an expired token is refused. Never quotes the token. */
export function checkJwt(token: string, now: Date = new Date()): Date | null {
  if (/^bearer\s/i.test(token)) {
    throw new SettingsError(
      'access-token',
      "starts with 'Bearer ', the scheme of an HTTP Authorization header, which is not part of the token",
      "the token alone: remove the 'Bearer ' prefix",
    );
  }
  if (QUOTED.test(token)) {
    throw new SettingsError(
      'access-token',
      `is in quotes, ${QUOTES_PROBLEM}`,
      'an OAuth access token for Exchange Online (three base64url parts separated by dots)',
    );
  }
  const parts = token.split('.');
  if (/\s/.test(token) || parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    throw new SettingsError(
      'access-token',
      'is not a JWT',
      'an OAuth access token for Exchange Online (three base64url parts separated by dots)',
    );
  }
  const claims = decodeClaims(token);
  if (claims === null) {
    throw new SettingsError(
      'access-token',
      'has a payload that is not a JSON object of claims',
      'an OAuth access token for Exchange Online',
    );
  }
  if (typeof claims.exp !== 'number') return null;
  const expiresAt = new Date(claims.exp * 1000);
  if (expiresAt.getTime() <= now.getTime()) {
    const minutes = Math.floor((now.getTime() - expiresAt.getTime()) / 60_000);
    const ago = minutes < 1 ? 'less than a minute ago' : `${counted(minutes, 'minute', 'minutes')} ago`;
    throw new SettingsError(
      'access-token',
      `the token expired at ${isoSeconds(expiresAt)} (${ago}), and Exchange refuses an expired token`,
      'a token that is still valid: request it in the same job, in a step right before this one (access tokens last about an hour), or use auth: oidc or certificate, which need no token from another step',
    );
  }
  return expiresAt;
}

/** JWT claims, decoded without verification: only for messages and checks, never trusted. */
export function decodeClaims(jwt: string): Record<string, unknown> | null {
  const part = jwt.split('.')[1];
  if (part === undefined) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
