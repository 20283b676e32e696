// Chooses the authentication method and checks its inputs before PowerShell starts.
// Secrets are validated in memory; nothing here writes them anywhere.

import * as tls from 'node:tls';
import { OIDC_PERMISSIONS, SettingsError } from './errors.js';
import type { Target } from './inputs.js';

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
  audience: string;
  managedIdentityClientId: string;
  username: string;
  password: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Why a secret a workflow passes arrives empty: the runner gives no error, only an empty string. */
export const EMPTY_SECRET_REASONS =
  'A secret arrives empty, without an error, when the run is for a pull request from a fork (secrets are not passed to it), when Dependabot starts it (it reads only Dependabot secrets), or when the secret is an environment secret and the job has no `environment:`';

const CHOICES =
  'access-token; certificate (+ client-id); certificate-thumbprint (+ client-id, Windows); client-secret (+ client-id); username + password; client-id with `permissions: id-token: write` for OIDC; or set auth explicitly';

export function resolveAuth(inputs: AuthInputs): {
  method: AuthMethod;
  credentials: Credentials;
  warnings: string[];
} {
  const requested = inputs.requested.toLowerCase();
  if (!(AUTH_METHODS as readonly string[]).includes(requested)) {
    throw new SettingsError('auth', `'${inputs.requested}' is not an authentication method`, AUTH_METHODS.join(', '));
  }
  checkPartners(requested, inputs);
  const method = requested === 'auto' ? pickAutomatically(inputs) : (requested as AuthMethod);
  const credentials = buildCredentials(method, inputs);
  for (const target of inputs.targets) checkTargetFits(method, target);
  if (inputs.targets.length > 1 && method === 'access-token') {
    throw new SettingsError(
      'auth',
      `an access token is issued for one resource, and ${inputs.targets.join(' and ')} each need their own`,
      'certificate, oidc or client-secret when target is a list (the action then requests a token for each workload)',
    );
  }
  return { method, credentials, warnings: unusedInputs(credentials, inputs) };
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
    emptyPartner('client-secret', 'client-id', "the app registration's client secret, from a secret this run can read");
  }
  if (applies('credential') && i.username && !i.password) {
    emptyPartner('password', 'username', 'the password of username, from a secret this run can read');
  }
  if (applies('credential') && i.password !== '' && !i.username) {
    emptyPartner('username', 'password', 'the user name (UPN or DOMAIN\\user) that goes with password');
  }
}

function pickAutomatically(inputs: AuthInputs): AuthMethod {
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
  if (given.length === 1) return given[0]![1];
  if (inputs.clientId && inputs.oidcAvailable) {
    // OIDC only when nothing else was meant: a managed identity's id points elsewhere.
    if (inputs.managedIdentityClientId) {
      throw new SettingsError(
        'auth',
        'auto does not choose OIDC while managed-identity-client-id is set',
        'auth: managed-identity for the managed identity, or no managed-identity-client-id for OIDC',
      );
    }
    return 'oidc';
  }
  if (inputs.targets.includes('exchange-server')) return 'integrated';
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

function buildCredentials(method: AuthMethod, i: AuthInputs): Credentials {
  switch (method) {
    case 'certificate': {
      const clientId = requireClientId(i, method);
      if (i.certificate && i.certificateThumbprint) {
        throw new SettingsError(
          'certificate-thumbprint',
          'is set together with certificate',
          'either certificate (base64 PFX) or certificate-thumbprint, not both',
        );
      }
      if (i.certificateThumbprint) {
        return {
          kind: 'certificate-thumbprint',
          clientId,
          thumbprint: checkThumbprint(i.certificateThumbprint, i.platform),
        };
      }
      if (!i.certificate) {
        throw new SettingsError(
          'certificate',
          `is required for auth certificate, and it is empty. ${EMPTY_SECRET_REASONS}`,
          'a base64-encoded PFX (or certificate-thumbprint on Windows)',
        );
      }
      checkPfx(i.certificate, i.certificatePassword);
      return {
        kind: 'certificate',
        clientId,
        pfxBase64: i.certificate.replace(/\s+/g, ''),
        password: i.certificatePassword,
      };
    }
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
        token: i.accessToken || missing('access-token', method),
        expiresAt: checkJwt(i.accessToken),
      };
    case 'managed-identity':
      if (i.managedIdentityClientId && !GUID.test(i.managedIdentityClientId)) {
        throw new SettingsError(
          'managed-identity-client-id',
          `'${i.managedIdentityClientId}' is not a GUID`,
          'the client ID (GUID) of a user-assigned managed identity, or empty for the system-assigned one',
        );
      }
      return { kind: 'managed-identity', accountId: i.managedIdentityClientId || null };
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
    throw new SettingsError(
      'auth',
      `'${method}' is for exchange-server; Exchange Online retired user name/password remote PowerShell`,
      'certificate, oidc, client-secret, access-token or managed-identity for exchange-online and security-compliance',
    );
  }
  if (method === 'managed-identity' && target === 'security-compliance') {
    throw new SettingsError(
      'auth',
      'Connect-IPPSSession has no managed identity sign-in',
      'certificate, certificate-thumbprint, oidc, client-secret or access-token for security-compliance',
    );
  }
  if (!serverOnly && target === 'exchange-server') {
    throw new SettingsError(
      'auth',
      `'${method}' does not apply to exchange-server`,
      "credential (username + password) or integrated (the runner's own identity)",
    );
  }
}

function unusedInputs(credentials: Credentials, i: AuthInputs): string[] {
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
  return present
    .filter(([name, value]) => value !== '' && !used.has(name))
    .map(([name]) => `Input '${name}' is set but not used by auth ${credentials.kind}.`);
}

function requireClientId(i: AuthInputs, method: string): string {
  if (!i.clientId) missing('client-id', method);
  if (!GUID.test(i.clientId)) {
    throw new SettingsError(
      'client-id',
      `'${i.clientId}' is not a GUID`,
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
 * Why the PFX does not open with this password, or null when it opens. Parses it in memory with
 * OpenSSL and never quotes the value. `ca: []`: opening the file needs no trust store, and without
 * it Node loads its whole root certificate bundle into the context first (some 6 ms).
 */
function pfxError(der: Buffer, password: string): string | null {
  try {
    tls.createSecureContext({ pfx: der, passphrase: password, ca: [] });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export function checkPfx(base64: string, password: string): void {
  const compact = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new SettingsError(
      'certificate',
      'is not base64',
      'a base64-encoded PFX, e.g. from [Convert]::ToBase64String([IO.File]::ReadAllBytes("app.pfx"))',
    );
  }
  const der = Buffer.from(compact, 'base64');
  if (der.length < 64 || der[0] !== 0x30) {
    throw new SettingsError(
      'certificate',
      'decodes to something that is not a PFX (PKCS#12) file',
      'a base64-encoded PFX with the certificate and its private key (not a .cer or PEM)',
    );
  }
  try {
    const message = pfxError(der, password);
    if (message === null) return;
    if (/mac verify|invalid password/i.test(message)) {
      // The password is used exactly as given; say so when the given one only fails for its edges.
      if (password !== password.trim() && pfxError(der, password.trim()) === null) {
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
    if (/unsupported/i.test(message)) return;
    if (/private key|key values mismatch/i.test(message)) {
      throw new SettingsError('certificate', 'has no usable private key', 'a PFX exported with its private key');
    }
    throw new SettingsError(
      'certificate',
      `is not a readable PFX (${message})`,
      'a base64-encoded PFX with the certificate and its private key',
    );
  } finally {
    der.fill(0);
  }
}

/** Returns the token's expiry, or null when it carries none. Never quotes the token. */
export function checkJwt(token: string): Date | null {
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
  return typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null;
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
