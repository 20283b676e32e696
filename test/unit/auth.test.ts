// How the credential is chosen and checked before PowerShell starts: the certificate's identity and
// validity, the wrong things people paste, expired tokens, and inputs the chosen method ignores.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkPfx, describeAuth, resolveAuth, type AuthInputs } from '../../src/auth.js';
import { readSettings, SettingsError } from '../../src/inputs.js';
import { actionYml } from '../support/action.js';
import { validInputs } from '../support/invalid-inputs.js';
import { makePfx } from '../support/pfx.js';

const GUID = '11111111-2222-3333-4444-555555555555';
const DAY = 86_400_000;
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-auth-'));
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

function settings(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const all: Record<string, string> = {};
  for (const [name, def] of Object.entries(actionYml.inputs)) all[name] = def.default ?? '';
  Object.assign(all, inputs);
  return readSettings({
    getInput: (name) => all[name] ?? '',
    maskSecret: () => undefined,
    platform: 'linux',
    env: { GITHUB_WORKSPACE: workspace, ...env },
  });
}

function refusal(run: () => unknown): SettingsError {
  try {
    run();
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error('expected a SettingsError');
}

/** AuthInputs as readSettings passes them for the valid certificate inputs. */
function authInputs(extra: Partial<AuthInputs> = {}): AuthInputs {
  const pfx = makePfx();
  return {
    requested: 'auto',
    targets: ['exchange-online'],
    platform: 'linux',
    oidcAvailable: false,
    clientId: GUID,
    certificate: pfx.base64,
    certificatePassword: pfx.password,
    certificateThumbprint: '',
    clientSecret: '',
    accessToken: '',
    audience: 'api://AzureADTokenExchange',
    tenantId: '',
    authorityHost: '',
    managedIdentityClientId: '',
    username: '',
    password: '',
    ...extra,
  };
}

const noCert = { certificate: '', 'certificate-password': '' };
const oidcJob = { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/' };
const token = (claims: object): string =>
  `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

describe("the certificate's identity and validity", () => {
  test('the thumbprint (as Entra ID lists it), subject and dates are read from the PFX, for the settings log', () => {
    const pfx = makePfx();
    const s = settings(validInputs());
    const c = s.authDetails.certificate!;
    expect(c.thumbprint).toBe(pfx.thumbprint);
    expect(c.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(c.subject).toBe('CN=exo-connect-action test');
    // makePfx's certificate is valid for 365 days from its making.
    expect(c.notAfter.getTime() - c.notBefore.getTime()).toBe(365 * DAY);
    expect(Math.abs(c.notBefore.getTime() - Date.now())).toBeLessThan(DAY);
    expect(describeAuth(s.credentials, s.authDetails)).toEqual([
      'auth: certificate (auto: certificate was given)',
      `certificate: thumbprint ${pfx.thumbprint}, CN=exo-connect-action test, valid until ${c.notAfter.toISOString().replace('.000Z', 'Z')}`,
    ]);
    // Nothing of the PFX or its password is in what the log is given.
    const described = JSON.stringify(s.authDetails) + describeAuth(s.credentials, s.authDetails).join('\n');
    expect(described).not.toContain(pfx.password);
    expect(described).not.toContain(pfx.base64.slice(0, 40));
  });

  test('dates are judged by the clock: expired and not yet valid are refused, near the end is warned about', () => {
    const facts = checkPfx(makePfx().base64, makePfx().password)!;
    const at = (date: Date) => resolveAuth(authInputs({ now: date }));

    const expired = refusal(() => at(new Date(facts.notAfter.getTime() + 1000)));
    expect(expired.input).toBe('certificate');
    const notAfter = facts.notAfter.toISOString().replace('.000Z', 'Z');
    expect(expired.message).toBe(
      `Input 'certificate': the certificate expired on ${notAfter} (thumbprint ${facts.thumbprint}, CN=exo-connect-action test). Accepted: a certificate that is valid now: create a new certificate, upload its public key (.cer) to the app registration under Certificates & secrets, and store the new PFX, base64-encoded, in this secret.`,
    );

    const early = refusal(() => at(new Date(facts.notBefore.getTime() - 10 * 60_000)));
    expect(early.input).toBe('certificate');
    // A clock a minute behind the machine that made the certificate is not a reason to refuse it.
    expect(at(new Date(facts.notBefore.getTime() - 60_000)).credentials.kind).toBe('certificate');
    expect(early.message).toMatch(/^Input 'certificate': the certificate is not valid before .*runner's clock/);

    const soon = at(new Date(facts.notAfter.getTime() - 10 * DAY - 60_000)).warnings;
    expect(soon).toEqual([
      `The certificate in 'certificate' (thumbprint ${facts.thumbprint}, CN=exo-connect-action test) expires on ${notAfter}, in 10 days; Entra ID refuses it after that. Before then, create a new certificate, upload its public key (.cer) to the app registration under Certificates & secrets, and store the new PFX, base64-encoded, in this secret.`,
    ]);
    expect(at(new Date(facts.notAfter.getTime() - 30 * DAY - 60_000)).warnings).toEqual([]);
  });

  test('a certificate with dates made in the past and the future is judged by the real clock too', () => {
    const today = Math.floor(Date.now() / DAY) * DAY;
    const expiring = makePfx('pw', { notBefore: new Date(today - 300 * DAY), notAfter: new Date(today + 5 * DAY) });
    const s = settings({ ...validInputs(), certificate: expiring.base64, 'certificate-password': 'pw' });
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toMatch(/expires on .*, in [45] days; Entra ID refuses it after that/);
    expect(s.authDetails.certificate!.notBefore).toEqual(new Date(today - 300 * DAY));
  });
});

describe('what people paste instead of a base64 PFX', () => {
  const pfx = makePfx();
  test.each([
    ['a .cer', pfx.cerBase64, /is a certificate without its private key \(a \.cer file\), not a PFX/],
    ['PEM certificate and key', pfx.pem, /is PEM text \(a certificate and a private key\), not a PFX/],
    [
      'a PEM certificate alone',
      pfx.pem.slice(0, pfx.pem.indexOf('-----BEGIN PRIVATE KEY')),
      /is PEM text \(a certificate without its private key\)/,
    ],
    ['base64 of PEM text', Buffer.from(pfx.pem).toString('base64'), /decodes to PEM text \(a certificate and a/],
    [
      'certutil -encode output',
      `-----BEGIN CERTIFICATE-----\r\n${pfx.base64.match(/.{1,64}/g)!.join('\r\n')}\r\n-----END CERTIFICATE-----\r\n`,
      /is certutil -encode output: the PFX's base64 between -----BEGIN CERTIFICATE----- and -----END/,
    ],
  ])('%s is named, and the message quotes none of it', (_name, value, says) => {
    const error = refusal(() => settings({ ...validInputs(), certificate: value.trim() }));
    expect(error.input).toBe('certificate');
    expect(error.message).toMatch(says);
    const compact = value.replace(/-----[A-Z ]+-----|\s/g, '');
    for (let at = 0; at + 24 <= compact.length; at += 24)
      expect(error.message).not.toContain(compact.slice(at, at + 24));
  });
});

describe('access tokens', () => {
  test('an expired token is refused with when it expired; a live one gives its expiry', () => {
    const exp = Math.floor(Date.now() / 1000) - 90 * 60;
    const inputs = { ...validInputs(), ...noCert, 'client-id': '' };
    const error = refusal(() => settings({ ...inputs, 'access-token': token({ exp }) }));
    expect(error.input).toBe('access-token');
    expect(error.message).toMatch(
      new RegExp(
        `^Input 'access-token': the token expired at ${new Date(exp * 1000).toISOString().replace('.000Z', 'Z')} \\(90 minutes ago\\)`,
      ),
    );
    const at = (now: Date) =>
      resolveAuth(
        authInputs({ ...{ certificate: '', certificatePassword: '', clientId: '' }, accessToken: token({ exp }), now }),
      );
    expect(refusal(() => at(new Date(exp * 1000 + 30_000))).message).toMatch(/\(less than a minute ago\)/);
    expect(refusal(() => at(new Date(exp * 1000 + 60_000))).message).toMatch(/\(1 minute ago\)/);
    expect(at(new Date(exp * 1000 - 1000)).credentials).toMatchObject({ expiresAt: new Date(exp * 1000) });
  });

  test("a 'Bearer ' prefix is named, in any letter case", () => {
    for (const prefix of ['Bearer ', 'bearer ']) {
      const error = refusal(() =>
        settings({ ...validInputs(), ...noCert, 'client-id': '', 'access-token': `${prefix}${token({})}` }),
      );
      expect(error.message).toMatch(/^Input 'access-token': starts with 'Bearer '.*remove the 'Bearer ' prefix/);
    }
  });
});

describe('inputs only token flows use', () => {
  const tokenOnly = { 'tenant-id': GUID, 'authority-host': 'login.contoso-proxy.example', audience: 'api://custom' };

  test.each([
    ['certificate', { ...validInputs() }, 'certificate'],
    [
      'managed-identity',
      { ...validInputs(), ...noCert, 'client-id': '', auth: 'managed-identity' },
      'managed-identity',
    ],
    ['access-token', { ...validInputs(), ...noCert, 'client-id': '', 'access-token': token({}) }, 'access-token'],
  ])('with auth %s, tenant-id, authority-host and audience are warned about as not used', (_name, inputs, kind) => {
    const s = settings({ ...inputs, ...tokenOnly });
    expect(s.warnings).toEqual([
      `Input 'tenant-id' is set but not used by auth ${kind}: only oidc and client-secret, which request a token, use it.`,
      `Input 'authority-host' is set but not used by auth ${kind}: only oidc and client-secret, which request a token, use it.`,
      `Input 'audience' is set but not used by auth ${kind}: only oidc uses it, for the GitHub OIDC token.`,
    ]);
    // Nothing is sent to authority-host, so the log must not say that secrets are.
    expect(s.warnings.join('\n')).not.toMatch(/sent to/);
  });

  test('token flows use them: only what they do not use is warned about', () => {
    const secret = settings({ ...validInputs(), ...noCert, 'client-secret': 'cs~value', ...tokenOnly });
    expect(secret.auth).toBe('client-secret');
    expect(secret.warnings).toEqual([
      "authority-host overrides O365Default's Entra ID host login.microsoftonline.com: client secrets and GitHub OIDC tokens are sent to login.contoso-proxy.example, which is not a Microsoft authority in this action's table.",
      "Input 'audience' is set but not used by auth client-secret: only oidc uses it, for the GitHub OIDC token.",
    ]);
    const oidc = settings({ ...validInputs(), ...noCert, ...tokenOnly }, oidcJob);
    expect(oidc.auth).toBe('oidc');
    expect(oidc.warnings).toEqual([expect.stringMatching(/^authority-host overrides .* are sent to login\.contoso/)]);
    // action.yml's default audience is not something the user set.
    expect(settings(validInputs()).warnings).toEqual([]);
  });
});

describe("auto's choice, and the choices it offers", () => {
  test('the log can say why auto chose what it chose; an explicit auth has no reason', () => {
    const oidc = settings({ ...validInputs(), ...noCert }, oidcJob);
    expect(oidc.authDetails.autoReason).toBe(
      "no access-token, certificate, certificate-thumbprint, client-secret or username/password was given (a secret that arrives empty counts as not given); client-id and the job's OIDC token request URL (id-token: write) are set",
    );
    expect(describeAuth(oidc.credentials, oidc.authDetails)).toEqual([
      expect.stringMatching(/^auth: oidc \(auto: no access-token, certificate,/),
    ]);
    expect(oidc.authDetails.certificate).toBeNull();
    const secret = settings({ ...validInputs(), ...noCert, 'client-secret': 'cs~value' });
    expect(secret.authDetails.autoReason).toBe('client-secret was given');
    const explicit = settings({ ...validInputs(), auth: 'certificate' });
    expect(explicit.authDetails.autoReason).toBeNull();
    expect(describeAuth(explicit.credentials, explicit.authDetails)[0]).toBe('auth: certificate');
  });

  test('managed-identity-client-id alone under auto points at auth: managed-identity, with or without client-id', () => {
    for (const clientId of ['', GUID]) {
      const error = refusal(() =>
        settings({ ...validInputs(), ...noCert, 'client-id': clientId, 'managed-identity-client-id': GUID }),
      );
      expect(error.input).toBe('auth');
      expect(error.message).toMatch(/auto never picks managed identity.*Accepted: auth: managed-identity/);
    }
  });
});

describe('values copied with their decorations', () => {
  test('a GUID in braces is the same GUID: client-id, tenant-id and managed-identity-client-id are read without them', () => {
    const s = settings({
      ...validInputs(),
      'client-id': `{${GUID}}`,
      ...noCert,
      'client-secret': 'cs~value',
      'tenant-id': `{${GUID.toUpperCase()}}`,
    });
    expect(s.credentials).toMatchObject({ kind: 'client-secret', clientId: GUID });
    expect(s.tenantId).toBe(GUID.toUpperCase());
    const mi = settings({
      ...validInputs(),
      ...noCert,
      'client-id': '',
      auth: 'managed-identity',
      'managed-identity-client-id': `{${GUID}}`,
    });
    expect(mi.credentials).toEqual({ kind: 'managed-identity', accountId: GUID });
    // Braces around something else are still not a GUID.
    expect(refusal(() => settings({ ...validInputs(), 'client-id': '{my-app}' })).message).toMatch(
      /'\{my-app\}' is not a GUID/,
    );
  });
});
