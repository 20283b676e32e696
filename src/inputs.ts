// Reads every action input once into one typed Settings object and validates it
// before PowerShell starts. Each error names the input, what was wrong and what
// is accepted. Secret values are never quoted in a message.

import * as fs from 'node:fs';
import * as core from './actions-core.js';
import { maskSecret } from './secrets.js';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CLOUDS,
  cloudOfHost,
  isMicrosoftExchangeHost,
  ENDPOINTS,
  hostOf,
  isAuthorityOf,
  isKnownAuthorityHost,
  isRetiredExchangeOnlineRemotePowerShell,
  isRetiredRemotePowerShellHost,
  likelyCloud,
  retiredCloud,
  workloadOfHost,
  type Cloud,
  type CloudEndpoints,
} from './endpoints.js';
import {
  DEFAULT_AUDIENCE,
  GUID,
  resolveAuth,
  TOKEN_FLOWS,
  unbraceGuid,
  type AuthDetails,
  type AuthMethod,
  type Credentials,
} from './auth.js';
import { AS_WRITTEN, OIDC_PERMISSIONS, quoted, quotedUrl, SettingsError, shellNotation } from './errors.js';
import { readResultFile, type ResultFile } from './result-file.js';
import { hasControlCharacter } from './log-text.js';
import { readParameters, type ScriptParameters } from './parameters.js';
import { scriptEncodingWarning } from './script-encoding.js';

export { SettingsError };

/** The ExchangeOnlineManagement version this release is tested with: action.yml's module-version default. */
export const TESTED_MODULE_VERSION = '3.9.0';

export const TARGETS = ['exchange-online', 'security-compliance', 'exchange-server'] as const;
export type Target = (typeof TARGETS)[number];
export const SHELLS = ['pwsh', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];
export const ERROR_ACTIONS = ['Stop', 'Continue', 'SilentlyContinue'] as const;
export type ErrorAction = (typeof ERROR_ACTIONS)[number];
export const SERVER_AUTHENTICATIONS = ['Kerberos', 'Negotiate', 'Basic', 'Default'] as const;
export const PROXY_ACCESS_TYPES = ['None', 'IEConfig', 'WinHttpConfig', 'AutoDetect', 'NoProxyServer'] as const;

/** Inputs whose values are secret: masked as soon as they are read. */
export const SECRET_INPUTS = [
  'certificate',
  'certificate-password',
  'client-secret',
  'access-token',
  'password',
] as const;

export type ScriptSource = { kind: 'inline'; text: string } | { kind: 'file'; path: string };

export interface Settings {
  /** The first (or only) workload; `targets` holds all of them, in the order they connect. */
  target: Target;
  targets: Target[];
  environment: Cloud;
  endpoints: CloudEndpoints;
  /** The ConnectionUri in use: the override, or the cloud's for the target. */
  connectionUri: string | null;
  connectionUriOverridden: boolean;
  /** Entra ID host for token flows: the cloud's, or the authority-host override. */
  authorityHost: string;
  organization: string | null;
  tenantId: string | null;
  delegatedOrganization: string | null;
  prefix: string | null;
  auth: AuthMethod;
  credentials: Credentials;
  /** Why auto chose `auth`, and the certificate's thumbprint, subject and dates, for the settings log. */
  authDetails: AuthDetails;
  exchangeServer: {
    authentication: (typeof SERVER_AUTHENTICATIONS)[number];
    allowRedirection: boolean;
    proxyAccessType: (typeof PROXY_ACCESS_TYPES)[number];
    skipCertificateChecks: boolean;
  };
  script: ScriptSource;
  workingDirectory: string;
  parameters: ScriptParameters;
  shell: Shell;
  errorActionPreference: ErrorAction;
  failOnError: boolean;
  whatIf: boolean;
  scriptTimeoutMs: number | null;
  /** Where every returned object is written as it arrives; null when the input is empty. */
  resultFile: ResultFile | null;
  /** JSON depth for `result` and `result-file`. */
  resultDepth: number;
  module: {
    version: string;
    repository: string;
    cache: boolean;
    commandNames: 'all' | 'auto' | string[];
  };
  connectRetries: number;
  summary: boolean;
  /** Non-fatal remarks found while reading (unused inputs and the like). */
  warnings: string[];
}

export type InputReader = (name: string) => string;

export interface ReadContext {
  getInput: InputReader;
  /** Called with every secret value before anything else uses it. */
  maskSecret: (value: string) => void;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** The post step needs only the connection and its credentials, not the script inputs. */
  forCleanup?: boolean;
}

const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;
/** A tenant's initial domain, in the worldwide, US government and 21Vianet clouds. */
const INITIAL_DOMAIN = /\.(onmicrosoft\.com|onmicrosoft\.us|onmschina\.cn)$/i;
const CMDLET_NAME = /^[A-Za-z]+-[A-Za-z0-9]+$/;
/**
 * A release (three or four parts), or a three-part version with a prerelease label of ASCII letters,
 * digits and hyphens, as PowerShellGet and the PowerShell Gallery accept one
 * (https://learn.microsoft.com/powershell/gallery/concepts/module-prerelease-support).
 */
const MODULE_VERSION = /^(?:\d+\.\d+\.\d+(?:\.\d+)?|\d+\.\d+\.\d+-[0-9A-Za-z][0-9A-Za-z-]*)$/;
const MAX_TIMEOUT_MS = 5 * 24 * 3600 * 1000; // a self-hosted job's limit

/**
 * URIs, paths and names: logged and passed on as they are, so a line break in one could start a
 * workflow command in the log (`new URL()` would silently drop it, hiding it from the checks).
 */
const ONE_LINE_INPUTS = [
  'connection-uri',
  'authority-host',
  'module-repository',
  'working-directory',
  'script-file',
  'result-file',
  'audience',
  'username',
] as const;

function refuseControlCharacters(input: string, value: string): void {
  const at = [...value].findIndex((c) => hasControlCharacter(c));
  if (at === -1) return;
  const code = [...value][at]!.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  throw new SettingsError(
    input,
    `contains a control character (U+${code}${code === '000A' || code === '000D' ? ', a line break' : ''}) at character ${at + 1}`,
    'a value on one line, without line breaks, tabs or other control characters',
  );
}

/** The action's inputs, read and validated once; the post step reads them the same way. */
export function readActionSettings(forCleanup = false): Settings {
  const { platform, overridden } = platformForChecks(process.env);
  if (overridden)
    core.warning(
      `EXO_CONNECT_ACTION_TEST_PLATFORM is set: platform checks assume ${platform}. It exists for the action's own tests.`,
    );
  // Untrimmed: a password may begin or end with a space. Non-secret inputs are trimmed by raw().
  const getInput = (name: string): string => core.getInput(name, { trimWhitespace: false });
  return readSettings({ getInput, maskSecret, platform, env: process.env, forCleanup });
}

/**
 * result-file alone, read as readSettings reads it, for a step whose other inputs were refused:
 * a file an earlier run left there is still removed. null when result-file is empty, or it or
 * working-directory is itself not valid.
 */
export function readResultFileAlone(env: NodeJS.ProcessEnv = process.env): ResultFile | null {
  const raw = (name: string): string => core.getInput(name);
  try {
    refuseControlCharacters('working-directory', raw('working-directory'));
    refuseControlCharacters('result-file', raw('result-file'));
    return readResultFile(raw('result-file'), readWorkingDirectory(raw('working-directory'), env));
  } catch {
    return null;
  }
}

export function readSettings(ctx: ReadContext): Settings {
  const raw = (name: string): string => ctx.getInput(name).trim();
  for (const name of SECRET_INPUTS) {
    const value = ctx.getInput(name);
    if (value.trim() !== '') ctx.maskSecret(value.trim());
  }
  for (const name of ONE_LINE_INPUTS) refuseControlCharacters(name, raw(name));
  const warnings: string[] = [];

  const targets = readTargets(raw('target'));
  const target = targets[0]!;
  const environment = readEnvironment(raw('environment') || 'O365Default');
  const endpoints = ENDPOINTS[environment];

  // Announced only once the auth method is known to send tokens there.
  const authorityWarnings: string[] = [];
  const authorityHost = readAuthorityHost(raw('authority-host'), endpoints, environment, authorityWarnings);
  const organization = optionalDomain('organization', raw('organization'));
  const delegatedOrganization = optionalDomain('delegated-organization', raw('delegated-organization'));
  // A partner's app signs in at the customer's tenant, where it is consented and holds its role:
  // Connect-IPPSSession's DelegatedOrganization wants that tenant's authorization endpoint
  // (https://learn.microsoft.com/powershell/exchange/connect-to-scc-powershell).
  const tenantId = readTenantId(unbraceGuid(raw('tenant-id')), delegatedOrganization ?? organization);
  const prefix = readPrefix(raw('prefix'), target);
  const connectionUriInput = raw('connection-uri');
  const connectionUri = readConnectionUri(connectionUriInput, targets, environment, authorityHost, warnings);

  const exchangeServer = {
    authentication: oneOfCaseInsensitive('authentication', raw('authentication') || 'Kerberos', SERVER_AUTHENTICATIONS),
    allowRedirection: bool('allow-redirection', raw('allow-redirection'), false),
    proxyAccessType: oneOfCaseInsensitive('proxy-access-type', raw('proxy-access-type') || 'None', PROXY_ACCESS_TYPES),
    skipCertificateChecks: bool('insecure-skip-certificate-check', raw('insecure-skip-certificate-check'), false),
  };

  const {
    method: auth,
    credentials,
    warnings: authWarnings,
    details: authDetails,
  } = resolveAuth({
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
    audience: raw('audience') || DEFAULT_AUDIENCE,
    tenantId: raw('tenant-id'),
    authorityHost: raw('authority-host'),
    managedIdentityClientId: raw('managed-identity-client-id'),
    username: raw('username'),
    password: ctx.getInput('password'),
  });
  if (TOKEN_FLOWS.includes(auth)) warnings.push(...authorityWarnings);
  warnings.push(...authWarnings);
  if (target !== 'exchange-server') warnServerOnlyInputs(exchangeServer, targets, warnings);
  else
    warnCloudOnlyInputs(
      {
        organization,
        'delegated-organization': delegatedOrganization,
        // An on-premises server is in no Microsoft cloud; the default says nothing.
        environment: environment === 'O365Default' ? null : environment,
      },
      warnings,
    );
  if (auth === 'oidc' && !ctx.env.ACTIONS_ID_TOKEN_REQUEST_URL) {
    throw new SettingsError(
      'auth',
      "oidc needs the job's OIDC token, and ACTIONS_ID_TOKEN_REQUEST_URL is not set",
      'oidc in a job with id-token: write (pull requests from forks never get one), or another auth method. Add to the job',
      OIDC_PERMISSIONS,
    );
  }
  if (target !== 'exchange-server' && auth !== 'credential' && auth !== 'integrated') {
    checkAppOnlyOrganization(organization, targets, auth, environment, warnings);
  }

  // A later step may have removed the script; cleaning up must not depend on it.
  const workingDirectory = ctx.forCleanup ? process.cwd() : readWorkingDirectory(raw('working-directory'), ctx.env);
  const script: ScriptSource = ctx.forCleanup
    ? { kind: 'inline', text: '' }
    : readScript(ctx.getInput('script'), raw('script-file'), workingDirectory);
  const parameters = ctx.forCleanup ? readParameters('') : readParameters(ctx.getInput('parameters'));

  const shell = readShell(raw('shell'), ctx.platform, script, warnings);
  const moduleVersion = readModuleVersion(raw('module-version'));

  const settings: Settings = {
    target,
    targets,
    environment,
    endpoints,
    connectionUri,
    connectionUriOverridden: connectionUriInput !== '',
    authorityHost,
    // A server session is opened to the server's own organization (warned above when set).
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
    errorActionPreference: oneOfCaseInsensitive(
      'error-action-preference',
      raw('error-action-preference') || 'Stop',
      ERROR_ACTIONS,
    ),
    failOnError: bool('fail-on-error', raw('fail-on-error'), true),
    whatIf: bool('what-if', raw('what-if'), false),
    scriptTimeoutMs: readDuration('script-timeout', raw('script-timeout')),
    resultFile: ctx.forCleanup ? null : readResultFile(raw('result-file'), workingDirectory),
    resultDepth: readInteger('result-depth', raw('result-depth'), 4, 1, 20),
    module: {
      version: moduleVersion,
      // exchange-server and module-version installed install nothing: a feed folder never read need not be there.
      repository: readRepository(
        raw('module-repository'),
        !ctx.forCleanup && target !== 'exchange-server' && moduleVersion !== 'installed',
        ctx.maskSecret,
      ),
      cache: bool('cache', raw('cache'), true),
      commandNames: readCommandNames(raw('command-names')),
    },
    connectRetries: readInteger('connect-retries', raw('connect-retries'), 2, 0, 10),
    summary: bool('summary', raw('summary'), true),
    warnings,
  };
  if (target === 'exchange-server') warnModuleInputs(settings.module, warnings);
  else if (moduleVersion === 'installed' && settings.module.repository !== 'PSGallery') {
    warnings.push(
      "Input 'module-repository' is not used with module-version installed: the action installs nothing, and imports the newest ExchangeOnlineManagement on PSModulePath.",
    );
  }
  checkConnectionSafety(settings);
  if (target === 'exchange-server') warnServerConnection(settings.connectionUri!, exchangeServer, warnings);
  // Exchange Server's WinRM session and Windows PowerShell 5.1 take no proxy from these variables.
  if (target !== 'exchange-server' && shell === 'pwsh') {
    warnNoProxyDifferences(
      hostOf(`https://${settings.authorityHost}`)!,
      targets.flatMap((t) => hostOf(connectionUriOf(settings, t) ?? '') ?? []),
      ctx.env,
      warnings,
    );
  }
  checkPlatform(settings, ctx.platform);
  if (settings.failOnError && settings.errorActionPreference === 'SilentlyContinue') {
    warnings.push(
      "Input 'fail-on-error' cannot see errors under error-action-preference SilentlyContinue: PowerShell writes no error record to the error stream, so the step passes after errors. Use Continue to go on after errors and still fail the step.",
    );
  }
  if (!settings.failOnError && settings.errorActionPreference === 'Stop') {
    warnings.push(
      "Input 'fail-on-error' is false, but under error-action-preference Stop (the default) the first error the script does not catch still ends it and fails the step. Set error-action-preference: Continue to let the script go on past errors and the step pass.",
    );
  }
  return settings;
}

function readTenantId(written: string, organization: string | null): string | null {
  const value = withoutRootDot(written);
  if (value !== '' && !GUID.test(value) && !DOMAIN.test(value)) {
    throw new SettingsError(
      'tenant-id',
      `${quoted(written)} is neither a GUID nor a domain`,
      'a tenant GUID or a domain such as contoso.onmicrosoft.com',
    );
  }
  return value || organization;
}

function readPrefix(value: string, target: Target): string | null {
  if (value !== '' && !/^[A-Za-z][A-Za-z0-9]{0,31}$/.test(value)) {
    throw new SettingsError(
      'prefix',
      `${quoted(value)} is not a valid noun prefix`,
      'letters and digits, starting with a letter, at most 32 characters',
    );
  }
  // Import-PSSession (exchange-server) reserves nothing.
  if (value.toUpperCase() === 'EXO' && target !== 'exchange-server') {
    throw new SettingsError(
      'prefix',
      "'EXO' is reserved: the module's own Get-EXO* cmdlets use it (Learn: Connect-ExchangeOnline, -Prefix)",
      'another prefix, such as Contoso',
    );
  }
  return value || null;
}

/** The ConnectionUri to open: connection-uri as given, else the cloud's for the first target (null for none). */
function readConnectionUri(
  value: string,
  targets: Target[],
  environment: Cloud,
  authorityHost: string,
  warnings: string[],
): string | null {
  const target = targets[0]!;
  const endpoints = ENDPOINTS[environment];
  const url = value === '' ? null : parseHttpUrl('connection-uri', value);
  const uriCloud = url !== null && target !== 'exchange-server' ? cloudOfHost(url.hostname) : null;
  if (uriCloud !== null && uriCloud !== environment) {
    warnings.push(
      `connection-uri is an ${uriCloud} endpoint, and environment is ${environment}: the sign-in and the token still go to ${authorityHost}. Set environment: ${uriCloud} for that cloud.`,
    );
  }
  if (url !== null && target !== 'exchange-server' && targets.length === 1) {
    const workload = workloadOfHost(url.hostname);
    if (workload !== null && workload !== target) {
      warnings.push(
        `connection-uri ${url.host} belongs to ${WORKLOAD_NAMES[workload]}, and target is ${target}: ${CONNECT_CMDLETS[target]} would be sent to the other workload. Set target: ${workload}, or leave connection-uri empty for ${target}'s own endpoint.`,
      );
    } else if (isRetiredRemotePowerShellHost(url.hostname)) {
      warnings.push(
        `connection-uri ${url.host} is a host of the retired remote PowerShell (WinRM) connection: the first Office 365 endpoint, standalone Exchange Online Protection's, or a closed cloud's. ${CONNECT_CMDLETS[target]} connects to the endpoint that environment selects; leave connection-uri empty. A standalone Exchange Online Protection organization connects as Exchange Online does, with target exchange-online (https://learn.microsoft.com/powershell/exchange/connect-to-exchange-online-protection-powershell).`,
      );
    } else if (!isMicrosoftExchangeHost(url.hostname)) {
      warnings.push(
        `connection-uri ${url.host} is not a Microsoft endpoint in this action's table: ${CONNECT_CMDLETS[target]} sends the session's access token to it. Set connection-uri only to a host you trust, or leave it empty for the endpoint that environment selects.`,
      );
    }
  }
  if (value !== '' && targets.length > 1) {
    throw new SettingsError(
      'connection-uri',
      `overrides one endpoint, and target names ${targets.length} workloads`,
      'empty when target is a list (environment selects both endpoints), or one target with its connection-uri',
    );
  }
  if (targets.includes('security-compliance') && endpoints.complianceConnectionUri === null && value === '') {
    throw new SettingsError(
      'environment',
      `${environment} has no Security & Compliance endpoint`,
      'a cloud with one, or an explicit connection-uri',
    );
  }
  if (target === 'exchange-server' && value === '') {
    throw new SettingsError(
      'connection-uri',
      'is required for target exchange-server',
      "the server's remote PowerShell URL, such as http://mail01.contoso.com/PowerShell/",
    );
  }
  if (value !== '') return value;
  if (target === 'exchange-online') return endpoints.exchangeConnectionUri;
  return target === 'security-compliance' ? endpoints.complianceConnectionUri : null;
}

const WORKLOAD_NAMES = {
  'exchange-online': 'Exchange Online',
  'security-compliance': 'Security & Compliance',
} as const;
const CONNECT_CMDLETS = {
  'exchange-online': 'Connect-ExchangeOnline',
  'security-compliance': 'Connect-IPPSSession',
} as const;

/** The ConnectionUri a target opens: connection-uri when given, else the cloud's endpoint for it. */
export function connectionUriOf(settings: Settings, target: Target): string | null {
  if (settings.connectionUriOverridden || target === 'exchange-server') return settings.connectionUri;
  return target === 'security-compliance'
    ? settings.endpoints.complianceConnectionUri
    : settings.endpoints.exchangeConnectionUri;
}

/**
 * no_proxy entries that the action's own token requests and PowerShell read differently for the
 * hosts this run reaches. The requests follow the Actions toolkit, where an entry also matches the
 * hosts under it, `host:port` matches that host at that port, and `*` matches every host;
 * PowerShell 7's .NET matches an entry without a leading dot to that host alone, and reads neither
 * a port nor `*` (https://learn.microsoft.com/dotnet/api/system.net.http.httpclient.defaultproxy).
 * The authority gets requests from both; the Exchange endpoints from PowerShell only.
 */
function warnNoProxyDifferences(
  authority: string,
  endpoints: string[],
  env: NodeJS.ProcessEnv,
  warnings: string[],
): void {
  if (!(env.https_proxy || env.HTTPS_PROXY)) return;
  const entries = (env.no_proxy || env.NO_PROXY || '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    if (entry === '*') {
      warnings.push(
        `no_proxy '*' sends the action's token requests around the proxy, but PowerShell 7's .NET does not read '*' and sends its connections through it. List the hosts to reach directly instead, each with a leading dot for the hosts under it (.microsoftonline.com).`,
      );
      continue;
    }
    if (entry.startsWith('.')) continue;
    // What .NET misses: the hosts under an entry without a dot, or a host named with a port.
    const port = entry.includes(':');
    const misses = (host: string): boolean => (port ? entry === `${host}:443` : host.endsWith(`.${entry}`));
    const both = misses(authority) ? [authority] : [];
    const powershellOnly = [...new Set(endpoints.filter((host) => host !== authority && misses(host)))];
    if (both.length + powershellOnly.length === 0) continue;
    const hosts = [...both, ...powershellOnly].join(', ');
    const tokens = both.length > 0 ? ", while the action's own token requests go around it" : '';
    const why = port
      ? 'which reads no port in no_proxy'
      : 'which matches an entry without a leading dot to that host alone';
    const instead = port ? `'${entry.replace(/:\d+$/, '')}'` : `'.${entry}' for the hosts under it`;
    warnings.push(
      `no_proxy '${entry}' does not cover ${hosts} for PowerShell 7's .NET, ${why}: PowerShell's connections there go through the proxy${tokens}. Write ${instead} to go around the proxy from both.`,
    );
  }
}

/** Inputs set to something other than action.yml's default for a remote session this run does not open. */
function warnServerOnlyInputs(server: Settings['exchangeServer'], targets: Target[], warnings: string[]): void {
  const serverOnly: Array<[string, boolean]> = [
    ['authentication', server.authentication !== 'Kerberos'],
    ['allow-redirection', server.allowRedirection],
    ['proxy-access-type', server.proxyAccessType !== 'None'],
    ['insecure-skip-certificate-check', server.skipCertificateChecks],
  ];
  for (const [name] of serverOnly.filter(([, set]) => set)) {
    warnings.push(`Input '${name}' is for target exchange-server; ${targets.join(', ')} does not use it.`);
  }
}

/**
 * What the remote session to the server is about to do that it had better not: trust any
 * certificate, or ask Kerberos for a server by a name it cannot know.
 */
function warnServerConnection(connectionUri: string, server: Settings['exchangeServer'], warnings: string[]): void {
  const host = new URL(connectionUri).hostname;
  if (server.skipCertificateChecks && new URL(connectionUri).protocol === 'http:') {
    // No TLS, no certificate: the option changes nothing, and says nothing of a downgrade.
    warnings.push(
      `Input 'insecure-skip-certificate-check' has no effect with an http:// connection-uri: there is no certificate to check. Remove it, or use https:// with the server's certificate trusted on the runner.`,
    );
  } else if (server.skipCertificateChecks) {
    // New-PSSessionOption: "Use only when the remote computer is trusted by other means", such as
    // a network that is physically secure and isolated.
    warnings.push(
      `insecure-skip-certificate-check is true: certificate checks of ${host} are off (SkipCACheck, SkipCNCheck, SkipRevocationCheck), so the session accepts any certificate that answers for it: for lab servers only (Learn: "New-PSSessionOption"). For any other server, install the authority of its certificate on the runner and remove the input.`,
    );
  }
  // Kerberos finds the server's account by the name in the URL: Learn's remote PowerShell page asks
  // for the FQDN. An IP address or a short name gets no Kerberos ticket.
  // The URL parser writes an IPv4 address as four decimal numbers and an IPv6 one in brackets; node:net's
  // isIP would load the network stack in every run (test/e2e/startup).
  const address = host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(host);
  if (server.authentication === 'Kerberos' && (address || !host.includes('.'))) {
    warnings.push(
      `connection-uri names the server as ${host}, ${address ? 'an IP address' : 'a name without its domain'}, and authentication is Kerberos, which needs the server's fully qualified domain name, such as http://mail01.contoso.com/PowerShell/ (Learn: "Connect to Exchange servers using remote PowerShell"). Use the server's FQDN in connection-uri.`,
    );
  }
}

/** Inputs of the Microsoft 365 connects that a remote session to an on-premises server does not use. */
function warnCloudOnlyInputs(values: Record<string, string | null>, warnings: string[]): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === null) continue;
    const why =
      name === 'environment'
        ? 'an on-premises server is in no Microsoft cloud; connection-uri names it'
        : "New-PSSession opens the server's own organization";
    warnings.push(
      `Input '${name}' is for exchange-online and security-compliance; exchange-server does not use it (${why}).`,
    );
  }
}

/**
 * Module inputs set to something other than action.yml's default, which exchange-server never
 * uses: its cmdlets come from the server through Import-PSSession, and no module is loaded.
 * command-names is used (Import-PSSession -CommandName).
 */
function warnModuleInputs(module: Settings['module'], warnings: string[]): void {
  const set = [
    module.version !== TESTED_MODULE_VERSION ? 'module-version' : null,
    module.repository !== 'PSGallery' ? 'module-repository' : null,
    module.cache ? null : 'cache',
  ].filter((name): name is string => name !== null);
  if (set.length === 0) return;
  warnings.push(
    `${set.length === 1 ? 'Input' : 'Inputs'} ${set.map((name) => `'${name}'`).join(', ')} ${set.length === 1 ? 'is' : 'are'} not used with exchange-server: its cmdlets come from the server's session (Import-PSSession), so no module is installed, loaded or cached.`,
  );
}

/** App-only sign-in to Exchange Online or S&C names the tenant, best by its initial domain. */
function checkAppOnlyOrganization(
  organization: string | null,
  targets: Target[],
  auth: AuthMethod,
  environment: Cloud,
  warnings: string[],
): void {
  if (organization === null) {
    throw new SettingsError(
      'organization',
      `is required for ${targets.join(' and ')} with auth ${auth}`,
      "the tenant's initial domain, such as contoso.onmicrosoft.com",
    );
  }
  if (!INITIAL_DOMAIN.test(organization)) {
    warnings.push(
      `organization '${organization}' is not the tenant's initial domain (*.onmicrosoft.com; *.onmicrosoft.us or *.partner.onmschina.cn in the national clouds). Microsoft documents app-only sign-in with that domain in -Organization (Learn: "App-only authentication in Exchange Online PowerShell"); another accepted domain may fail to connect.`,
    );
    return;
  }
  const suffix = INITIAL_DOMAIN_SUFFIXES[environment];
  if (!organization.endsWith(suffix)) {
    const cloud = CLOUDS.find((c) => organization.endsWith(INITIAL_DOMAIN_SUFFIXES[c]))!;
    warnings.push(
      `organization '${organization}' is an initial domain of ${cloud === 'O365USGovGCCHigh' ? 'the US government clouds (GCC High, DoD)' : cloud}, and environment is ${environment}, whose tenants' initial domains end in ${suffix}. Set environment to the tenant's cloud; the sign-in would otherwise go to the wrong Entra ID.`,
    );
  }
}

/** The initial domain's suffix in each cloud (Learn: "Microsoft 365 US Government", "Microsoft 365 operated by 21Vianet"). */
const INITIAL_DOMAIN_SUFFIXES: Readonly<Record<Cloud, string>> = {
  O365Default: '.onmicrosoft.com',
  O365USGovGCCHigh: '.onmicrosoft.us',
  O365USGovDoD: '.onmicrosoft.us',
  O365China: '.onmschina.cn',
};

function readShell(value: string, platform: NodeJS.Platform, script: ScriptSource, warnings: string[]): Shell {
  const shell = oneOfCaseInsensitive('shell', value || 'pwsh', SHELLS);
  if (shell === 'powershell' && platform !== 'win32') {
    throw new SettingsError(
      'shell',
      `'powershell' (Windows PowerShell 5.1) exists only on Windows, and this runner is ${platform}`,
      'pwsh on Linux and macOS',
    );
  }
  if (script.kind === 'file') {
    const warning = scriptEncodingWarning(script.path, shell);
    if (warning !== null) warnings.push(warning);
  }
  return shell;
}

/** Refusals that keep credentials off the wire in clear and steer away from retired endpoints. */
function checkConnectionSafety(settings: Settings): void {
  if (settings.connectionUri === null) return;
  const uri = new URL(settings.connectionUri);
  if (settings.target !== 'exchange-server') {
    if (uri.protocol !== 'https:') {
      throw new SettingsError(
        'connection-uri',
        `${settings.target} endpoints are https; over http:// the access token would cross the network in clear`,
        'an https:// URL',
      );
    }
    return;
  }
  if (isRetiredExchangeOnlineRemotePowerShell(uri)) {
    const basic = settings.exchangeServer.authentication === 'Basic' ? ' with Basic authentication' : '';
    const workload = workloadOfHost(uri.hostname) ?? 'exchange-online';
    throw new SettingsError(
      'connection-uri',
      `${uri.host} is Microsoft's host of ${WORKLOAD_NAMES[workload]}'s remote PowerShell (WinRM) connection, which Microsoft retired${basic}`,
      `target: ${workload} with auth: certificate or oidc, where the same script runs through ${CONNECT_CMDLETS[workload]}; exchange-server is for on-premises servers`,
    );
  }
  if (settings.exchangeServer.authentication === 'Basic' && uri.protocol === 'http:') {
    throw new SettingsError(
      'authentication',
      'Basic over http:// would send the password across the network in clear',
      'Basic only with an https:// connection-uri, or Kerberos/Negotiate (what http://server/PowerShell/ uses by default)',
    );
  }
  if (settings.exchangeServer.authentication === 'Basic' && settings.credentials.kind !== 'credential') {
    throw new SettingsError(
      'authentication',
      `Basic sends a user name and password, and auth ${settings.credentials.kind} gives none`,
      'auth: credential (username and password) with Basic, or Kerberos or Negotiate with auth: integrated',
    );
  }
}

/** The platform the checks assume: the real one, unless the action's own tests say otherwise. */
export function platformForChecks(env: NodeJS.ProcessEnv): { platform: NodeJS.Platform; overridden: boolean } {
  const forced = env.EXO_CONNECT_ACTION_TEST_PLATFORM;
  return forced
    ? { platform: forced as NodeJS.Platform, overridden: true }
    : { platform: process.platform, overridden: false };
}

/** What the runner's operating system allows. Separate, so the Windows path can be exercised anywhere. */
export function checkPlatform(settings: Settings, platform: NodeJS.Platform): void {
  if (settings.target === 'exchange-server' && platform !== 'win32') {
    throw new SettingsError(
      'target',
      `exchange-server needs WSMan remoting, which PowerShell on ${platform} does not have`,
      'a Windows runner (usually self-hosted and domain-joined, to reach the server) for exchange-server',
    );
  }
  if (settings.targets.includes('security-compliance') && platform !== 'win32') {
    settings.warnings.push(
      `Microsoft documents Connect-IPPSSession as unavailable in PowerShell 7 on ${platform}; it is known to work there with app-only authentication. If it fails, run this job on windows-latest.`,
    );
  }
  if (
    settings.targets.includes('security-compliance') &&
    settings.credentials.kind !== 'certificate' &&
    settings.credentials.kind !== 'certificate-thumbprint' &&
    olderThan(settings.module.version, '3.8.0')
  ) {
    throw new SettingsError(
      'module-version',
      `${settings.module.version} cannot connect to Security & Compliance with an access token (auth ${settings.auth}); Connect-IPPSSession -AccessToken arrived in 3.8.0`,
      'module-version 3.8.0 or later, or certificate authentication',
    );
  }
}

function olderThan(version: string, minimum: string): boolean {
  if (!/^\d/.test(version)) return false;
  const a = version.split(/[.-]/).map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < b.length; i++) {
    if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) < b[i]!;
  }
  return false;
}

function caseInsensitive<T extends string>(value: string, choices: readonly T[]): T | undefined {
  return choices.find((c) => c.toLowerCase() === value.toLowerCase());
}

function oneOfCaseInsensitive<T extends string>(input: string, value: string, choices: readonly T[]): T {
  const found = caseInsensitive(value, choices);
  if (found !== undefined) return found;
  throw new SettingsError(input, `${quoted(value)} is not one of the accepted values`, choices.join(', '));
}

// YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts.
function bool(input: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new SettingsError(input, `${quoted(value)} is not a boolean`, 'true or false');
}

/** A list written with commas, one item per line (a YAML block), or both. */
const listItems = (value: string): string[] =>
  value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** One workload, or the list exchange-online, security-compliance; exchange-server stands alone. */
function readTargets(value: string): Target[] {
  const names = listItems(value || 'exchange-online');
  const accepted = `${TARGETS.join(', ')}, or the list exchange-online, security-compliance`;
  const targets = names.map((name) => {
    const target = caseInsensitive(name, TARGETS);
    if (target !== undefined) return target;
    throw new SettingsError('target', `${quoted(name)} is not one of the accepted values`, accepted);
  });
  if (targets.length === 0) throw new SettingsError('target', 'names no workload', accepted);
  const twice = targets.find((t, i) => targets.indexOf(t) !== i);
  if (twice !== undefined) throw new SettingsError('target', `names ${twice} twice`, accepted);
  if (targets.length > 1 && targets.includes('exchange-server')) {
    throw new SettingsError(
      'target',
      "exchange-server combines with nothing: it opens a remote session to an on-premises server with the server's own credential, while the other targets connect to Microsoft 365 with an app registration",
      'exchange-server alone (in a step of its own), or exchange-online, security-compliance',
    );
  }
  return targets;
}

/** A cloud from the table; retired clouds and likely other names for one are answered with the way forward. */
function readEnvironment(value: string): Cloud {
  const found = caseInsensitive(value, CLOUDS);
  if (found !== undefined) return found;
  const retired = retiredCloud(value);
  if (retired !== null) {
    const [name, { why, instead }] = retired;
    throw new SettingsError(
      'environment',
      `${name} is retired: ${why}`,
      `${instead}, where those tenants are now; or ${CLOUDS.filter((cloud) => cloud !== instead).join(', ')}`,
    );
  }
  const likely = likelyCloud(value);
  const guess = likely === null ? '' : `; did you mean ${likely}?`;
  throw new SettingsError('environment', `${quoted(value)} is not a known Microsoft cloud${guess}`, CLOUDS.join(', '));
}

/**
 * A domain written as a fully qualified name, with the root's trailing dot (contoso.onmicrosoft.com.),
 * is the same domain; Entra ID and Exchange know tenants by the name without it.
 */
function withoutRootDot(value: string): string {
  return value.length > 1 && value.endsWith('.') && !value.endsWith('..') ? value.slice(0, -1) : value;
}

function optionalDomain(input: string, written: string): string | null {
  if (written === '') return null;
  const value = withoutRootDot(written);
  // Connect-ExchangeOnline takes the customer's initial domain or tenant ID (Learn: Connect-ExchangeOnline, -DelegatedOrganization).
  if (input === 'delegated-organization' && GUID.test(unbraceGuid(value))) return unbraceGuid(value).toLowerCase();
  if (input === 'organization' && GUID.test(unbraceGuid(value))) {
    throw new SettingsError(
      input,
      `${quoted(written)} is a tenant ID (a GUID), not a domain`,
      "the tenant's initial domain, such as contoso.onmicrosoft.com; a tenant GUID belongs in tenant-id",
    );
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) {
    throw new SettingsError(
      input,
      `${quotedUrl(written)} is a URL, not a domain name`,
      'the domain alone, without https:// and a path, such as contoso.onmicrosoft.com',
    );
  }
  if (!DOMAIN.test(value)) {
    throw new SettingsError(
      input,
      `${quoted(written)} is not a domain name${input === 'delegated-organization' ? ' or a tenant ID' : ''}`,
      input === 'delegated-organization'
        ? "the customer tenant's initial domain, such as fabrikam.onmicrosoft.com, or its tenant ID (a GUID)"
        : 'a domain such as contoso.onmicrosoft.com',
    );
  }
  return value.toLowerCase();
}

export function parseHttpUrl(input: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(absoluteUrlText(input, value, 'an absolute http:// or https:// URL'));
  } catch (error) {
    if (error instanceof SettingsError) throw error;
    throw new SettingsError(input, `${quotedUrl(value)} is not an absolute URL`, 'an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SettingsError(input, `scheme '${url.protocol}' is not allowed`, 'an absolute http:// or https:// URL');
  }
  if (url.username !== '' || url.password !== '') {
    throw new SettingsError(
      input,
      'must not carry a user name or password',
      'a URL without credentials; use the username/password inputs',
    );
  }
  return url;
}

/**
 * The text of a URL as .NET's Uri reads it too: WHATWG's parser, Node's, reads \ as / and takes
 * https:host without //, where [uri] refuses the one and reads the other as a relative URI.
 */
function absoluteUrlText(input: string, value: string, accepted: string): string {
  if (value.includes('\\'))
    throw new SettingsError(
      input,
      `${quotedUrl(value)} has a \\ in it, which a URL does not take (its parts are separated by /)`,
      accepted,
    );
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value))
    throw new SettingsError(input, `${quotedUrl(value)} is not an absolute URL`, accepted);
  return value;
}

/** An explicit, announced override of where tokens are requested (proxies, national clouds, tests). */
function readAuthorityHost(value: string, endpoints: CloudEndpoints, cloud: Cloud, warnings: string[]): string {
  const cloudHost = endpoints.authorityHost;
  if (value === '') return cloudHost;
  const url = parseHttpUrl('authority-host', value.includes('://') ? value : `https://${value}`);
  if (
    url.protocol !== 'https:' ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    // Entra ID's endpoint as documented, https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token.
    const tenantPath =
      url.pathname !== '/' && url.pathname !== ''
        ? ": the tenant and the endpoint's path are not part of it; a tenant belongs in tenant-id"
        : '';
    throw new SettingsError(
      'authority-host',
      `${quotedUrl(value)} is not an https host${tenantPath}`,
      'an https host name with an optional port, such as login.microsoftonline.us or https://login.contoso-proxy.example:8443',
    );
  }
  // @actions/http-client, which sends the token request, connects to the URL's hostname with its
  // brackets ([::1]), which no resolver knows.
  if (url.hostname.startsWith('[')) {
    throw new SettingsError(
      'authority-host',
      `${quotedUrl(value)} is an IPv6 address, which the token request cannot connect to`,
      'a host name (one that resolves to that address), such as login.contoso-proxy.example:8443',
    );
  }
  if (!isKnownAuthorityHost(url.hostname)) {
    warnings.push(
      `authority-host overrides ${cloud}'s Entra ID host ${cloudHost}: client secrets and GitHub OIDC tokens are sent to ${url.host}, which is not a Microsoft authority in this action's table.`,
    );
  } else if (!isAuthorityOf(endpoints, url.hostname)) {
    // Each national cloud has its own Entra ID; a tenant exists in one of them only
    // (Learn: "National clouds", authentication-national-cloud).
    warnings.push(
      `authority-host ${url.host} is the Entra ID of another cloud than environment ${cloud} (${cloudHost}): the token for ${cloud}'s Exchange would be requested where the tenant does not exist. Set environment to the tenant's cloud and leave authority-host empty.`,
    );
  }
  return url.host;
}

/** What the runner's account finds at a path, used as `mode` asks (fs.constants): its kind, or why it finds none. */
export type Found = fs.Stats | 'missing' | 'denied';

export function lookUp(file: string, mode: number = fs.constants.R_OK): Found {
  try {
    const stats = fs.statSync(file);
    fs.accessSync(file, mode);
    return stats;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' ? 'denied' : 'missing';
  }
}

/** A container job's user is often not the one that checked the repository out. */
const OTHER_OWNER =
  "a job in a container runs as the container's user, which may not be the account that checked the repository out: run the container as that account (options: --user), or give the workspace to the container's user";

/** The note for a path that was not found, when shellNotation explains why. */
function notationNote(value: string): string {
  const notation = shellNotation(value);
  return notation === null ? '' : ` (${notation}; ${AS_WRITTEN})`;
}

export function readWorkingDirectory(value: string, env: NodeJS.ProcessEnv, look = lookUp): string {
  const base = env.GITHUB_WORKSPACE || process.cwd();
  const dir = value === '' ? base : path.resolve(base, value);
  const found = look(dir, fs.constants.R_OK | fs.constants.X_OK);
  if (found === 'denied') {
    throw new SettingsError(
      'working-directory',
      `${quoted(dir)} cannot be opened by the account this step runs as (permission denied), and PowerShell starts there`,
      `a directory that account may read and enter: ${OTHER_OWNER}`,
    );
  }
  if (found === 'missing' || !found.isDirectory()) {
    throw new SettingsError(
      'working-directory',
      notationNote(value) === ''
        ? `${quoted(dir)} is not an existing directory (is the repository checked out with actions/checkout before this step?)`
        : `${quoted(dir)} is not an existing directory${notationNote(value)}`,
      'a directory in the workspace (relative paths start at GITHUB_WORKSPACE)',
    );
  }
  return dir;
}

export function readScript(inline: string, file: string, workingDirectory: string, look = lookUp): ScriptSource {
  const hasInline = inline.trim() !== '';
  if (hasInline && file !== '') {
    throw new SettingsError(
      'script',
      'script and script-file are both set',
      'exactly one of script (inline) or script-file (path)',
    );
  }
  if (!hasInline && file === '') {
    throw new SettingsError(
      'script',
      'neither script nor script-file is set',
      'exactly one of script (inline) or script-file (path)',
    );
  }
  if (hasInline) return { kind: 'inline', text: inline };
  const resolved = path.resolve(workingDirectory, file);
  if (path.extname(resolved).toLowerCase() !== '.ps1') {
    throw new SettingsError(
      'script-file',
      `${quoted(file)} does not end in .ps1`,
      'a PowerShell script file ending in .ps1',
    );
  }
  const found = look(resolved);
  if (found === 'denied') {
    throw new SettingsError(
      'script-file',
      `${quoted(resolved)} cannot be read by the account this step runs as (permission denied)`,
      `a .ps1 file that account may read: ${OTHER_OWNER}`,
    );
  }
  if (found === 'missing' || !found.isFile()) {
    throw new SettingsError(
      'script-file',
      notationNote(file) === ''
        ? `${quoted(resolved)} does not exist. Is the repository checked out? A job starts with an empty workspace until a step such as \`- uses: actions/checkout@v4\` fetches it`
        : `${quoted(resolved)} does not exist${notationNote(file)}`,
      'a .ps1 file in the checked-out repository, relative to working-directory',
    );
  }
  return { kind: 'file', path: resolved };
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function readDuration(input: string, value: string): number | null {
  if (value === '') return null;
  const accepted = 'a number with a unit, such as 90s, 30m, 2h or 1h30m; empty for no limit';
  if (/^0+$/.test(value)) throw new SettingsError(input, `${quoted(value)} is no time at all`, accepted);
  // A bare number would have to mean a unit, and people mean different ones: it is refused.
  if (/^\d+$/.test(value)) {
    throw new SettingsError(
      input,
      `${quoted(value)} has no unit; add a unit: ${value.slice(0, 20)}s, ${value.slice(0, 20)}m`,
      accepted,
    );
  }
  const match = /^(?:\d+(?:ms|s|m|h|d))+$/.test(value) ? value.match(/\d+(?:ms|s|m|h|d)/g) : null;
  if (match === null) {
    // Say what would have made it one: lower-case units, written together.
    const written = value.replace(/\s+/g, '').toLowerCase();
    const near = written !== value && /^(?:\d+(?:ms|s|m|h|d))+$/.test(written) ? `; did you mean ${written}?` : '';
    throw new SettingsError(
      input,
      `${quoted(value)} is not a duration${near}`,
      `${accepted} (units in lower case, with no spaces)`,
    );
  }
  let total = 0;
  for (const part of match) {
    const [, digits, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(part)!;
    total += Number(digits) * DURATION_UNITS[unit!]!;
  }
  if (total === 0) throw new SettingsError(input, `${quoted(value)} is no time at all`, accepted);
  if (total > MAX_TIMEOUT_MS) {
    throw new SettingsError(
      input,
      `${quoted(value)} is out of range`,
      'a duration above zero and at most 5d; empty for no limit',
    );
  }
  return total;
}

/**
 * A version as NuGet normalizes it, which is the folder the installers save it in: no leading
 * zeros, and no fourth part that is 0 (3.9.0.0 is 3.9.0).
 * https://learn.microsoft.com/nuget/concepts/package-versioning#normalized-version-numbers
 */
function normalizedVersion(version: string): string {
  const dash = version.indexOf('-');
  const numbers = (dash < 0 ? version : version.slice(0, dash)).split('.').map((n) => n.replace(/^0+(?=\d)/, ''));
  if (numbers.length === 4 && numbers[3] === '0') numbers.pop();
  return numbers.join('.') + (dash < 0 ? '' : version.slice(dash));
}

function readModuleVersion(value: string): string {
  // An input set to an empty value (an unset variable, say) gets no default from the runner.
  const v = value || TESTED_MODULE_VERSION;
  const keyword = caseInsensitive(v, ['installed', 'latest'] as const);
  if (keyword !== undefined) return keyword;
  if (MODULE_VERSION.test(v)) {
    // Version 2 had no Get-ConnectionInformation, which the connect and the teardown use, and
    // signed in through remote PowerShell, which Microsoft has retired for Exchange Online.
    // https://learn.microsoft.com/powershell/exchange/exchange-online-powershell-v2
    if (olderThan(v, '3.0.0'))
      throw new SettingsError(
        'module-version',
        `${v} is ExchangeOnlineManagement ${v.split('.')[0]!}, before the REST-based version 3 that this action connects with`,
        `version 3.0.0 or later (the default, ${TESTED_MODULE_VERSION}, is tested with this release), latest, or installed`,
      );
    const tooLarge = v
      .split('-')[0]!
      .split('.')
      .find((part) => Number(part) > 2147483647);
    if (tooLarge !== undefined)
      throw new SettingsError(
        'module-version',
        `${quoted(v)} has the part ${tooLarge}, larger than a version part can be (2147483647)`,
        'an exact version such as 3.9.0, latest, or installed',
      );
    return normalizedVersion(v);
  }
  throw new SettingsError(
    'module-version',
    `${quoted(v)} is not a version`,
    'an exact version such as 3.9.0 or 3.10.0-Preview1 (a prerelease label of letters, digits and hyphens), latest, or installed',
  );
}

const REPOSITORY_ACCEPTED =
  'PSGallery, an https:// NuGet v2 or v3 feed URL without credentials (such as https://pkgs.contoso.example/nuget/v3/index.json), a file:// URL or an absolute folder path';

function readRepository(value: string, checkFolder: boolean, maskValue: (value: string) => void): string {
  if (value === '' || value.toLowerCase() === 'psgallery') return 'PSGallery';
  // A local folder of .nupkg files, as PSResourceGet and PowerShellGet both read one.
  if (path.isAbsolute(value)) return checkFolder ? existingFolder(value, value) : value;
  let url: URL | null;
  try {
    url =
      /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) && !/^[A-Za-z]:[\\/]/.test(value)
        ? new URL(absoluteUrlText('module-repository', value, REPOSITORY_ACCEPTED))
        : null;
  } catch (error) {
    if (error instanceof SettingsError) throw error;
    url = null;
  }
  if (url === null) {
    // No scheme: a host name written without https://, or a folder relative to somewhere.
    const host = /^[^/\\]+/.exec(value)?.[0] ?? '';
    if (!host.startsWith('.') && DOMAIN.test(host)) {
      throw new SettingsError(
        'module-repository',
        `${quotedUrl(value)} has no scheme; a feed URL starts with https://`,
        REPOSITORY_ACCEPTED,
      );
    }
    // A bare word is most likely a repository registered on the runner (Register-PSResourceRepository).
    if (/^[A-Za-z][\w-]*$/.test(value)) {
      throw new SettingsError(
        'module-repository',
        `${quoted(value)} looks like the name of a repository registered on the runner; the step registers the feed itself for its save, and takes it by its location`,
        `the feed's URL or folder, as Get-PSResourceRepository -Name ${value} shows it (Uri); or ${REPOSITORY_ACCEPTED}`,
      );
    }
    // script-file and working-directory start at the workspace; a feed folder does not.
    throw new SettingsError(
      'module-repository',
      `${quotedUrl(value)} is a relative path, and a folder feed is taken only as an absolute path`,
      `an absolute path, such as \${{ github.workspace }}/feed; or ${REPOSITORY_ACCEPTED}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    // Never repeated, and the password masked: one written into the workflow is no secret to the runner.
    if (url.password !== '')
      for (const form of new Set([url.password, decodeURIComponentSafe(url.password)])) maskValue(form);
    throw new SettingsError(
      'module-repository',
      "holds a user name or password (not repeated here), and credentials in the URL are not accepted: the installers quote the feed's URL in their messages, and the runner masks only values that come from secrets. A password written in the workflow file is in the repository: change it",
      `${REPOSITORY_ACCEPTED}. For a feed that needs authentication, install ExchangeOnlineManagement from it in an earlier step (Install-PSResource or Install-Module with -Credential, the password from a secret) and set module-version: installed`,
    );
  }
  if (url.protocol === 'http:') {
    throw new SettingsError(
      'module-repository',
      `${quotedUrl(value)}: http:// is not accepted: a feed is reached over https, so that no one on the way can change the module`,
      `the feed's https:// URL; or ${REPOSITORY_ACCEPTED}`,
    );
  }
  if (url.search !== '') {
    // A feed takes no query; one here is most likely a token (a SAS signature), never repeated.
    for (const form of new Set([url.search.slice(1), decodeURIComponentSafe(url.search.slice(1))])) maskValue(form);
    throw new SettingsError(
      'module-repository',
      "has a query string (not repeated here), which a feed URL does not take: a token in it would be quoted by the installers' messages, and the runner masks only values that come from secrets",
      `${REPOSITORY_ACCEPTED}. For a feed that needs a token, install ExchangeOnlineManagement from it in an earlier step and set module-version: installed`,
    );
  }
  if (url.hash !== '') {
    // A feed takes no fragment either; one may hold a token as a query does, never repeated.
    for (const form of new Set([url.hash.slice(1), decodeURIComponentSafe(url.hash.slice(1))])) maskValue(form);
    throw new SettingsError(
      'module-repository',
      "has a fragment (#..., not repeated here), which a feed URL does not take: a token in it would be quoted by the installers' messages, and the runner masks only values that come from secrets",
      REPOSITORY_ACCEPTED,
    );
  }
  if (url.protocol === 'https:' || url.protocol === 'file:') {
    if (url.protocol === 'file:') {
      let folder: string;
      try {
        folder = fileURLToPath(url);
      } catch (error) {
        throw new SettingsError(
          'module-repository',
          `${quotedUrl(value)} is not a folder of this machine (${(error as Error).message})`,
          `file:///path/to/feed for a local folder, an absolute folder path, or ${REPOSITORY_ACCEPTED}`,
        );
      }
      if (checkFolder) existingFolder(value, folder);
    }
    return value;
  }
  throw new SettingsError(
    'module-repository',
    `${quotedUrl(value)} has scheme '${url.protocol}', which is not a feed's`,
    REPOSITORY_ACCEPTED,
  );
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A feed folder that is not there would only fail once PowerShell tries to install from it. */
function existingFolder(value: string, folder: string): string {
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new SettingsError(
      'module-repository',
      `${quoted(value)} is no folder on this runner`,
      'PSGallery, an https:// feed URL, or a file:// URL or absolute path of a folder that holds the module package (.nupkg)',
    );
  }
  return value;
}

function readCommandNames(value: string): 'all' | 'auto' | string[] {
  if (value === '' || value.toLowerCase() === 'all') return 'all';
  if (value.toLowerCase() === 'auto') return 'auto';
  const names = listItems(value);
  const bad = names.find((n) => !CMDLET_NAME.test(n));
  if (names.length === 0 || bad !== undefined) {
    throw new SettingsError(
      'command-names',
      `${quoted(bad ?? value)} is not a cmdlet name`,
      'all, auto, or a list of cmdlet names, comma-separated or one per line, such as Get-EXOMailbox, Set-Mailbox',
    );
  }
  return names;
}

function readInteger(input: string, value: string, fallback: number, min: number, max: number): number {
  if (value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new SettingsError(
      input,
      `${quoted(value)} is not a whole number from ${min} to ${max}`,
      `a whole number from ${min} to ${max}`,
    );
  }
  return Number(value);
}
