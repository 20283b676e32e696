import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  lookUp,
  readActionSettings,
  readScript,
  readSettings,
  readWorkingDirectory,
  SettingsError,
  TESTED_MODULE_VERSION,
  type Settings,
} from '../../src/inputs.js';
import { ENDPOINTS } from '../../src/endpoints.js';
import { tokenScope } from '../../src/tokens.js';
import { actionYml } from '../support/action.js';
import { invalidCases, validInputs } from '../support/invalid-inputs.js';
import { makePfx } from '../support/pfx.js';
import { captureStdout } from '../support/stdout.js';

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-inputs-'));
fs.writeFileSync(path.join(workspace, 'report.ps1'), 'param($Days) Get-EXOMailbox');
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

function settings(
  inputs: Record<string, string>,
  options: { platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv } = {},
) {
  const masked: string[] = [];
  const all: Record<string, string> = {};
  for (const [name, def] of Object.entries(actionYml.inputs)) all[name] = def.default ?? '';
  Object.assign(all, inputs);
  const result = readSettings({
    getInput: (name) => all[name] ?? '',
    maskSecret: (v) => masked.push(v),
    platform: options.platform ?? 'linux',
    env: { GITHUB_WORKSPACE: workspace, ...options.env },
  });
  return { settings: result, masked };
}

function failure(
  inputs: Record<string, string>,
  platform: NodeJS.Platform = 'linux',
  env: NodeJS.ProcessEnv = {},
): SettingsError {
  try {
    settings(inputs, { platform, env });
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error('expected a SettingsError');
}

/** An Exchange Server step with the runner's own account (auth integrated), and no cloud inputs. */
const exchangeServerInputs = (): Record<string, string> => ({
  certificate: '',
  'certificate-password': '',
  'client-id': '',
  organization: '',
  auth: 'integrated',
  target: 'exchange-server',
  'connection-uri': 'http://mail01.contoso.com/PowerShell/',
});
describe('valid settings', () => {
  test('certificate auth with defaults from action.yml', () => {
    const { settings: s, masked } = settings(validInputs());
    expect(s.target).toBe('exchange-online');
    expect(s.environment).toBe('O365Default');
    expect(s.connectionUri).toBe('https://outlook.office365.com/powershell-liveid/');
    expect(s.auth).toBe('certificate');
    expect(s.credentials.kind).toBe('certificate');
    expect(s.tenantId).toBe('contoso.onmicrosoft.com');
    expect(s.errorActionPreference).toBe('Stop');
    expect(s.failOnError).toBe(true);
    expect(s.whatIf).toBe(false);
    expect(s.scriptTimeoutMs).toBeNull();
    expect(s.connectRetries).toBe(2);
    expect(s.module.version).toBe(actionYml.inputs['module-version']!.default);
    expect(s.workingDirectory).toBe(workspace);
    expect(s.script).toEqual({ kind: 'inline', text: 'Get-EXOMailbox -ResultSize 3' });
    // Every secret is handed to the masker before anything else sees it.
    expect(masked).toEqual(expect.arrayContaining([validInputs().certificate, validInputs()['certificate-password']]));
  });

  test('script-file resolves against working-directory and parameters parse as data', () => {
    const { settings: s } = settings({
      ...validInputs(),
      script: '',
      'script-file': 'report.ps1',
      parameters: '{"Days": 30, "Filter": "$(Remove-Item /)"}',
    });
    expect(s.script).toEqual({ kind: 'file', path: path.join(workspace, 'report.ps1') });
    // The text itself goes to PowerShell, which parses it; Node only reads the keys.
    expect(s.parameters).toEqual({ json: '{"Days": 30, "Filter": "$(Remove-Item /)"}', names: ['Days', 'Filter'] });
  });

  test.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
  ])('script-timeout %s is %d ms', (value, ms) => {
    expect(settings({ ...validInputs(), 'script-timeout': value }).settings.scriptTimeoutMs).toBe(ms);
  });

  test('environment selects every endpoint at once, case-insensitively', () => {
    const { settings: s } = settings({
      ...validInputs(),
      environment: 'o365usgovgcchigh',
      target: 'security-compliance',
    });
    expect(s.environment).toBe('O365USGovGCCHigh');
    expect(s.endpoints.authorityHost).toBe('login.microsoftonline.us');
    expect(s.connectionUri).toBe('https://ps.compliance.protection.office365.us/powershell-liveid/');
  });

  test("a connection-uri of another cloud's endpoint is warned about: the sign-in follows environment", () => {
    const s = settings({
      ...validInputs(),
      'connection-uri': 'https://outlook.office365.us/powershell-liveID',
    }).settings;
    expect(s.warnings).toContain(
      'connection-uri is an O365USGovGCCHigh endpoint, and environment is O365Default: the sign-in and the token still go to login.microsoftonline.com. Set environment: O365USGovGCCHigh for that cloud.',
    );
    const same = settings({
      ...validInputs(),
      environment: 'O365USGovGCCHigh',
      organization: 'contoso.onmicrosoft.us',
      'connection-uri': 'https://outlook.office365.us/powershell-liveID',
    }).settings;
    expect(same.warnings.filter((w) => /connection-uri is an/.test(w))).toEqual([]);
  });

  test('connection-uri overrides the table', () => {
    const { settings: s } = settings({
      ...validInputs(),
      'connection-uri': 'https://outlook.contoso-proxy.example/powershell-liveid/',
    });
    expect(s.connectionUri).toBe('https://outlook.contoso-proxy.example/powershell-liveid/');
    expect(s.connectionUriOverridden).toBe(true);
  });

  test('auto picks an access token and reads its expiry', () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const token = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.c2ln`;
    const { settings: s, masked } = settings({
      ...validInputs(),
      certificate: '',
      'certificate-password': '',
      'client-id': '',
      'access-token': token,
    });
    expect(s.credentials).toEqual({ kind: 'access-token', token, expiresAt: new Date(exp * 1000) });
    expect(masked).toContain(token);
  });

  test('auto picks OIDC when only client-id is given and the OIDC request URL is present', () => {
    const { settings: s } = settings(
      { ...validInputs(), certificate: '', 'certificate-password': '' },
      { env: { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/' } },
    );
    expect(s.credentials).toEqual({
      kind: 'oidc',
      clientId: validInputs()['client-id'],
      audience: 'api://AzureADTokenExchange',
    });
    expect(s.authorityHost).toBe('login.microsoftonline.com');
  });

  test("a partner's token flow signs in at the customer's tenant (delegated-organization), unless tenant-id names one", () => {
    const partner = { ...validInputs(), 'delegated-organization': 'fabrikam.onmicrosoft.com' };
    expect(settings(partner).settings.tenantId).toBe('fabrikam.onmicrosoft.com');
    const tenant = '00000000-0000-0000-0000-00000000000a';
    expect(settings({ ...partner, 'tenant-id': tenant }).settings.tenantId).toBe(tenant);
    expect(settings(validInputs()).settings.tenantId).toBe('contoso.onmicrosoft.com');
  });

  test("a domain written with the root's trailing dot is the same domain, without it", () => {
    const { settings: s } = settings({
      ...validInputs(),
      organization: 'Contoso.onmicrosoft.com.',
      'delegated-organization': 'fabrikam.onmicrosoft.com.',
    });
    expect([s.organization, s.tenantId, s.delegatedOrganization]).toEqual([
      'contoso.onmicrosoft.com',
      'fabrikam.onmicrosoft.com',
      'fabrikam.onmicrosoft.com',
    ]);
    expect(settings({ ...validInputs(), 'tenant-id': 'contoso.onmicrosoft.com.' }).settings.tenantId).toBe(
      'contoso.onmicrosoft.com',
    );
    // Only the one dot of the root: two are not a domain, and the message repeats what was written.
    expect(() => settings({ ...validInputs(), organization: 'contoso.onmicrosoft.com..' })).toThrow(
      "Input 'organization': 'contoso.onmicrosoft.com..' is not a domain name.",
    );
  });

  test("authority-host is an explicit override, announced when it is not a Microsoft host or another cloud's", () => {
    // A token flow: the only auth methods that send anything to authority-host.
    const clientSecret = { ...validInputs(), certificate: '', 'certificate-password': '', 'client-secret': 'cs~value' };
    const known = settings({
      ...clientSecret,
      environment: 'O365China',
      organization: 'contoso.partner.onmschina.cn',
      'authority-host': 'login.chinacloudapi.cn',
    }).settings;
    expect(known.authorityHost).toBe('login.chinacloudapi.cn');
    expect(known.warnings).toEqual([]);
    // The same host with the root's trailing dot is the same cloud.
    const dotted = settings({
      ...clientSecret,
      environment: 'O365China',
      organization: 'contoso.partner.onmschina.cn',
      'authority-host': 'login.chinacloudapi.cn.',
    }).settings;
    expect(dotted.warnings).toEqual([]);
    // Other names of the same Entra ID (its instance discovery's aliases) are that cloud's too.
    const aliases: Array<[string, string, string]> = [
      ['O365Default', 'contoso.onmicrosoft.com', 'login.windows.net'],
      ['O365Default', 'contoso.onmicrosoft.com', 'login.microsoft.com'],
      ['O365USGovGCCHigh', 'contoso.onmicrosoft.us', 'login.usgovcloudapi.net'],
      ['O365China', 'contoso.partner.onmschina.cn', 'login.partner.microsoftonline.cn'],
    ];
    for (const [environment, organization, alias] of aliases) {
      const aliased = settings({ ...clientSecret, environment, organization, 'authority-host': alias }).settings;
      expect([alias, aliased.authorityHost, aliased.warnings]).toEqual([alias, alias, []]);
    }
    const aliasOfAnother = settings({ ...clientSecret, 'authority-host': 'login.usgovcloudapi.net' }).settings;
    expect(aliasOfAnother.warnings.join('\n')).toMatch(/is the Entra ID of another cloud than environment O365Default/);
    const otherCloud = settings({
      ...clientSecret,
      environment: 'O365China',
      organization: 'contoso.partner.onmschina.cn',
      'authority-host': 'login.microsoftonline.us',
    }).settings;
    expect(otherCloud.authorityHost).toBe('login.microsoftonline.us');
    expect(otherCloud.warnings).toEqual([
      "authority-host login.microsoftonline.us is the Entra ID of another cloud than environment O365China (login.chinacloudapi.cn): the token for O365China's Exchange would be requested where the tenant does not exist. Set environment to the tenant's cloud and leave authority-host empty.",
    ]);
    const proxy = settings({ ...clientSecret, 'authority-host': 'https://login.contoso-proxy.example:8443' }).settings;
    expect(proxy.authorityHost).toBe('login.contoso-proxy.example:8443');
    expect(proxy.warnings.join('\n')).toMatch(
      /sent to login\.contoso-proxy\.example:8443, which is not a Microsoft authority/,
    );
  });

  test('managed identity needs no secret', () => {
    const { settings: s } = settings({
      ...validInputs(),
      certificate: '',
      'certificate-password': '',
      'client-id': '',
      auth: 'managed-identity',
      'managed-identity-client-id': '9a8b7c6d-1111-2222-3333-444455556666',
    });
    expect(s.credentials).toEqual({ kind: 'managed-identity', accountId: '9a8b7c6d-1111-2222-3333-444455556666' });
  });

  test('an explicit auth warns about inputs it does not use', () => {
    const { settings: s } = settings({ ...validInputs(), auth: 'certificate', 'client-secret': 'unused-secret' });
    expect(s.warnings).toEqual(["Input 'client-secret' is set but not used by auth certificate."]);
  });

  test('fail-on-error under SilentlyContinue is warned about: no error record would reach it', () => {
    const quiet = settings({ ...validInputs(), 'error-action-preference': 'SilentlyContinue' }).settings;
    expect(quiet.warnings.join('\n')).toMatch(
      /^Input 'fail-on-error' cannot see errors under error-action-preference SilentlyContinue/m,
    );
    const accepted = settings({
      ...validInputs(),
      'error-action-preference': 'SilentlyContinue',
      'fail-on-error': 'false',
    });
    expect(accepted.settings.warnings.join('\n')).not.toMatch(/fail-on-error/);
  });

  test('fail-on-error false under Stop is warned about: the first error still ends the script and fails the step', () => {
    const stopped = settings({ ...validInputs(), 'fail-on-error': 'false' }).settings;
    expect(stopped.warnings).toEqual([
      "Input 'fail-on-error' is false, but under error-action-preference Stop (the default) the first error the script does not catch still ends it and fails the step. Set error-action-preference: Continue to let the script go on past errors and the step pass.",
    ]);
    for (const preference of ['Continue', 'SilentlyContinue'])
      expect(
        settings({ ...validInputs(), 'fail-on-error': 'false', 'error-action-preference': preference }).settings
          .warnings,
      ).toEqual([]);
    expect(settings({ ...validInputs() }).settings.warnings).toEqual([]);
  });

  test('certificate-thumbprint is accepted on Windows', () => {
    const { settings: s } = settings(
      {
        ...validInputs(),
        certificate: '',
        'certificate-password': '',
        'certificate-thumbprint': 'ab:'.repeat(19) + 'ab',
      },
      { platform: 'win32' },
    );
    expect(s.credentials).toEqual({
      kind: 'certificate-thumbprint',
      clientId: validInputs()['client-id'],
      thumbprint: 'AB'.repeat(20),
    });
  });

  test('certificate-thumbprint copied from the Windows certificate dialog, with its invisible mark, is accepted', () => {
    const { settings: s } = settings(
      {
        ...validInputs(),
        certificate: '',
        'certificate-password': '',
        'certificate-thumbprint': '\u200e' + 'ab '.repeat(19) + 'ab',
      },
      { platform: 'win32' },
    );
    expect(s.credentials).toMatchObject({ kind: 'certificate-thumbprint', thumbprint: 'AB'.repeat(20) });
  });
});

describe('invalid settings name the input and what is accepted', () => {
  test('there are at least 40 cases', () => expect(invalidCases().length).toBeGreaterThanOrEqual(40));

  test.each(invalidCases().map((c) => [c.title, c] as const))('%s', (_title, c) => {
    const error = failure({ ...validInputs(), ...c.inputs }, 'linux', c.env);
    expect(error.input).toBe(c.input);
    expect(error.message).toMatch(new RegExp(`^Input '${c.input}': `));
    expect(error.message).toMatch(/Accepted: /);
    expect(error.message).toMatch(c.says);
  });

  test('no message quotes a secret value', () => {
    const pfx = makePfx();
    for (const c of invalidCases()) {
      const message = failure({ ...validInputs(), ...c.inputs }, 'linux', c.env).message;
      expect(message).not.toContain(pfx.base64.slice(0, 40));
      expect(message).not.toContain(pfx.password);
      if (c.inputs['client-secret']) expect(message).not.toContain(c.inputs['client-secret']);
      for (const hidden of c.hides ?? []) expect(message).not.toContain(hidden);
    }
  });
});

describe('targets, modules and platforms', () => {
  test('command-names: auto and a list; a private feed for the module', () => {
    expect(settings({ ...validInputs(), 'command-names': 'auto' }).settings.module.commandNames).toBe('auto');
    expect(
      settings({ ...validInputs(), 'command-names': 'Get-Mailbox, Set-Mailbox' }).settings.module.commandNames,
    ).toEqual(['Get-Mailbox', 'Set-Mailbox']);
    expect(
      settings({ ...validInputs(), 'module-repository': 'https://pkgs.contoso.example/nuget/v2' }).settings.module
        .repository,
    ).toBe('https://pkgs.contoso.example/nuget/v2');
    const feed = pathToFileURL(workspace).href;
    expect(settings({ ...validInputs(), 'module-repository': feed }).settings.module.repository).toBe(feed);
    const v3 = 'https://pkgs.contoso.example/nuget/v3/index.json';
    expect(settings({ ...validInputs(), 'module-repository': v3 }).settings.module.repository).toBe(v3);
    expect(settings({ ...validInputs(), 'module-repository': workspace }).settings.module.repository).toBe(workspace);
    // A feed folder that is not there is refused before PowerShell would try to install from it.
    for (const missing of [path.join(workspace, 'no-feed'), pathToFileURL(path.join(workspace, 'no-feed')).href]) {
      expect(failure({ ...validInputs(), 'module-repository': missing }).message).toMatch(
        /^Input 'module-repository': '.*no-feed' is no folder on this runner/,
      );
    }
  });

  test('module-repository with credentials in the URL: refused without repeating the value or any part of it; the password is masked', () => {
    for (const feed of [
      'https://svc-feed:S3cret%21FeedPw@nexus.contoso.example/repository/psgallery/',
      'http://svc-feed:S3cret%21FeedPw@nexus.contoso.example/repository/psgallery/',
      'https://svc-feed@nexus.contoso.example/repository/psgallery/',
    ]) {
      const masked: string[] = [];
      let message = '';
      try {
        readSettings({
          getInput: (name) => ({ ...validInputs(), 'module-repository': feed })[name] ?? '',
          maskSecret: (v) => masked.push(v),
          platform: 'linux',
          env: { GITHUB_WORKSPACE: workspace },
        });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^Input 'module-repository': holds a user name or password \(not repeated here\)/);
      for (const part of ['svc-feed', 'S3cret', 'FeedPw', 'nexus', 'psgallery/']) expect(message).not.toContain(part);
      expect(message).not.toContain(feed);
      if (feed.includes(':S3cret'))
        expect(masked).toEqual(expect.arrayContaining(['S3cret%21FeedPw', 'S3cret!FeedPw']));
    }
  });

  test('keywords are read in any letter case, and lists may be written one item per line (a YAML block)', () => {
    const s = settings({
      ...validInputs(),
      target: 'Exchange-Online\nSecurity-Compliance\n',
      shell: 'PWSH',
      'module-version': 'Latest',
      'command-names': 'Get-EXOMailbox\nSet-Mailbox,\n Get-Recipient',
    }).settings;
    expect(s.targets).toEqual(['exchange-online', 'security-compliance']);
    expect(s.shell).toBe('pwsh');
    expect(s.module.version).toBe('latest');
    expect(s.module.commandNames).toEqual(['Get-EXOMailbox', 'Set-Mailbox', 'Get-Recipient']);
    expect(settings({ ...validInputs(), 'module-version': 'INSTALLED' }).settings.module.version).toBe('installed');
    // Set, but to nothing (an unset variable): the tested version, as when it is not set at all.
    expect(settings({ ...validInputs(), 'module-version': '' }).settings.module.version).toBe(TESTED_MODULE_VERSION);
  });

  test('a script-timeout of zero is no time at all, and the message says how to have no limit', () => {
    for (const zero of ['0', '0s', '0h0m']) {
      expect(failure({ ...validInputs(), 'script-timeout': zero }).message).toMatch(
        /Input 'script-timeout'.*is no time at all.*empty for no limit/s,
      );
    }
  });

  test("a retired cloud's message names the way forward once", () => {
    const message = failure({ ...validInputs(), environment: 'O365GermanyCloud' }).message;
    expect(message.match(/O365Default/g)).toHaveLength(1);
  });

  test.each(['3.9.0', '3.9.0.1', '3.10.0-Preview1', '3.10.0-rc-2', 'latest', 'installed'])(
    'module-version %s is accepted as written',
    (version) => {
      expect(settings({ ...validInputs(), 'module-version': version }).settings.module.version).toBe(version);
    },
  );

  test.each([
    ['3.9.0.0', '3.9.0'],
    ['03.9.0', '3.9.0'],
    ['3.09.01', '3.9.1'],
    ['3.10.0.0-Preview1', null],
    ['03.10.0-Preview1', '3.10.0-Preview1'],
    ['3.0.0.10', '3.0.0.10'],
  ])('module-version %s is the version NuGet saves it as (%s)', (version, normalized) => {
    if (normalized === null) {
      expect(() => settings({ ...validInputs(), 'module-version': version })).toThrow(/module-version/);
      return;
    }
    expect(settings({ ...validInputs(), 'module-version': version }).settings.module.version).toBe(normalized);
  });

  test('exchange-server off Windows fails for the WSMan reason; on Windows it is accepted', () => {
    const server = {
      ...validInputs(),
      certificate: '',
      'certificate-password': '',
      'client-id': '',
      target: 'exchange-server',
      auth: 'integrated',
      'connection-uri': 'http://mail01.contoso.com/PowerShell/',
    };
    expect(failure(server, 'linux').message).toMatch(/WSMan/);
    expect(failure(server, 'darwin').message).toMatch(/WSMan/);
    const { settings: s } = settings(server, { platform: 'win32' });
    expect(s.credentials).toEqual({ kind: 'integrated' });
    expect(s.exchangeServer).toEqual({
      authentication: 'Kerberos',
      allowRedirection: false,
      proxyAccessType: 'None',
      skipCertificateChecks: false,
    });
    expect(s.connectionUri).toBe('http://mail01.contoso.com/PowerShell/');
  });

  test('what-if with exchange-server is a run like any other: the runner passes -WhatIf on to the server (ServerSession.Tests.ps1)', () => {
    const { settings: s } = settings(
      { ...validInputs(), ...exchangeServerInputs(), 'what-if': 'true' },
      { platform: 'win32' },
    );
    expect(s.whatIf).toBe(true);
    expect(s.warnings.join('\n')).not.toMatch(/what-if/);
  });

  test('exchange-server with credentials, Basic over https and proxy options', () => {
    const server = {
      ...validInputs(),
      certificate: '',
      'certificate-password': '',
      'client-id': '',
      target: 'exchange-server',
      'connection-uri': 'https://mail01.contoso.com/PowerShell/',
      authentication: 'basic',
      username: 'CONTOSO\\svc-exo',
      password: 'pa$$w0rd;`"',
      'proxy-access-type': 'winhttpconfig',
      'allow-redirection': 'true',
      'insecure-skip-certificate-check': 'true',
    };
    const { settings: s, masked } = settings(server, { platform: 'win32' });
    expect(s.credentials).toEqual({ kind: 'credential', username: 'CONTOSO\\svc-exo', password: 'pa$$w0rd;`"' });
    expect(s.exchangeServer).toEqual({
      authentication: 'Basic',
      allowRedirection: true,
      proxyAccessType: 'WinHttpConfig',
      skipCertificateChecks: true,
    });
    expect(masked).toContain('pa$$w0rd;`"');
  });

  test('exchange-server: skipped certificate checks are warned about, naming the server, the three checks and Learn', () => {
    const server = {
      ...validInputs(),
      certificate: '',
      'certificate-password': '',
      'client-id': '',
      organization: '',
      target: 'exchange-server',
      auth: 'integrated',
      'connection-uri': 'https://mail01.contoso.com/PowerShell/',
    };
    const skipped = settings({ ...server, 'insecure-skip-certificate-check': 'true' }, { platform: 'win32' }).settings;
    expect(skipped.warnings).toContain(
      'insecure-skip-certificate-check is true: certificate checks of mail01.contoso.com are off (SkipCACheck, SkipCNCheck, SkipRevocationCheck), so the session accepts any certificate that answers for it: for lab servers only (Learn: "New-PSSessionOption"). For any other server, install the authority of its certificate on the runner and remove the input.',
    );
    expect(settings(server, { platform: 'win32' }).settings.warnings).toEqual([]);
    // Over http there is no certificate: the input changes nothing, and is said to.
    const plain = settings(
      {
        ...server,
        'connection-uri': 'http://mail01.contoso.com/PowerShell/',
        'insecure-skip-certificate-check': 'true',
      },
      { platform: 'win32' },
    ).settings;
    expect(plain.warnings).toEqual([
      "Input 'insecure-skip-certificate-check' has no effect with an http:// connection-uri: there is no certificate to check. Remove it, or use https:// with the server's certificate trusted on the runner.",
    ]);
  });

  test("exchange-server under Kerberos: a server named without its domain, or by IP address, is warned about: Kerberos needs the server's FQDN", () => {
    const server = (uri: string, more: Record<string, string> = {}) =>
      settings(
        {
          ...validInputs(),
          certificate: '',
          'certificate-password': '',
          'client-id': '',
          organization: '',
          target: 'exchange-server',
          auth: 'integrated',
          'connection-uri': uri,
          ...more,
        },
        { platform: 'win32' },
      ).settings.warnings;
    expect(server('http://mail01/PowerShell/')).toEqual([
      'connection-uri names the server as mail01, a name without its domain, and authentication is Kerberos, which needs the server\'s fully qualified domain name, such as http://mail01.contoso.com/PowerShell/ (Learn: "Connect to Exchange servers using remote PowerShell"). Use the server\'s FQDN in connection-uri.',
    ]);
    expect(server('http://10.0.0.5/PowerShell/')).toEqual([
      expect.stringMatching(
        /^connection-uri names the server as 10\.0\.0\.5, an IP address, and authentication is Kerberos/,
      ),
    ]);
    expect(server('http://[fd00::5]/PowerShell/')).toEqual([expect.stringMatching(/as \[fd00::5\], an IP address/)]);
    // Kerberos is the default; another authentication, or the FQDN, is not warned about.
    expect(server('http://mail01/PowerShell/', { authentication: 'Negotiate' })).toEqual([]);
    expect(server('http://mail01.contoso.com/PowerShell/')).toEqual([]);
  });

  test('exchange-server: Basic needs a user name and password; its inputs set for another target are warned about', () => {
    const server = {
      ...validInputs(),
      certificate: '',
      'certificate-password': '',
      'client-id': '',
      target: 'exchange-server',
      'connection-uri': 'https://mail01.contoso.com/PowerShell/',
      authentication: 'Basic',
      auth: 'integrated',
    };
    expect(failure(server, 'win32').message).toMatch(
      /^Input 'authentication': Basic sends a user name and password, and auth integrated gives none.*Accepted: auth: credential/s,
    );
    const online = settings({
      ...validInputs(),
      authentication: 'Basic',
      'allow-redirection': 'true',
      'proxy-access-type': 'IEConfig',
    }).settings;
    expect(online.warnings).toEqual(
      expect.arrayContaining([
        "Input 'authentication' is for target exchange-server; exchange-online does not use it.",
        "Input 'allow-redirection' is for target exchange-server; exchange-online does not use it.",
        "Input 'proxy-access-type' is for target exchange-server; exchange-online does not use it.",
      ]),
    );
    expect(settings(validInputs()).settings.warnings.filter((w) => /exchange-server/.test(w))).toEqual([]);
  });

  test('for cleanup, the script inputs are not read (a later step may have removed the file)', () => {
    const read = (forCleanup: boolean) =>
      readSettings({
        getInput: (name) =>
          ({
            ...Object.fromEntries(Object.entries(actionYml.inputs).map(([n, d]) => [n, d.default ?? ''])),
            ...validInputs(),
            script: '',
            'script-file': 'gone.ps1',
          })[name] ?? '',
        maskSecret: () => undefined,
        platform: 'linux',
        env: { GITHUB_WORKSPACE: workspace },
        forCleanup,
      });
    expect(() => read(false)).toThrow(/Input 'script-file'/);
    expect(read(true).credentials.kind).toBe('certificate');
  });

  test('as the runner gives them (INPUT_*), passwords keep their spaces and other inputs are trimmed', () => {
    const inputs: Record<string, string> = {
      ...Object.fromEntries(Object.entries(actionYml.inputs).map(([n, d]) => [n, d.default ?? ''])),
      ...validInputs(),
      certificate: '',
      'certificate-password': '',
      'client-id': '',
      target: ' exchange-server ',
      'connection-uri': 'https://mail01.contoso.com/PowerShell/\n',
      auth: 'credential',
      username: ' CONTOSO\\svc-exo ',
      password: ' pa ss\t',
    };
    const saved = { ...process.env };
    try {
      for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
      process.env.EXO_CONNECT_ACTION_TEST_PLATFORM = 'win32';
      process.env.GITHUB_WORKSPACE = workspace;
      let s: Settings | undefined;
      const stdout = captureStdout(() => (s = readActionSettings()));
      // The password is masked before anything else reads it, with its encoded forms; the platform
      // override is announced.
      const lines = stdout.split('\n').filter(Boolean);
      expect(lines.slice(0, 3)).toEqual([
        "::warning::EXO_CONNECT_ACTION_TEST_PLATFORM is set: platform checks assume win32. It exists for the action's own tests.",
        '::add-mask::pa ss',
        '::add-mask::pass',
      ]);
      expect(lines.slice(3).every((l) => l.startsWith('::add-mask::'))).toBe(true);
      expect(lines).toEqual(expect.arrayContaining(['::add-mask::pa%2520ss', '::add-mask::cGEgc3M=']));
      s = s!;
      expect(s.target).toBe('exchange-server');
      expect(s.connectionUri).toBe('https://mail01.contoso.com/PowerShell/');
      expect(s.credentials).toEqual({ kind: 'credential', username: 'CONTOSO\\svc-exo', password: ' pa ss\t' });
    } finally {
      process.env = saved;
    }
  });

  test('security-compliance off Windows warns but is not refused', () => {
    const { settings: s } = settings({ ...validInputs(), target: 'security-compliance' }, { platform: 'linux' });
    expect(s.warnings.join('\n')).toMatch(/Connect-IPPSSession as unavailable in PowerShell 7 on linux/);
    expect(
      settings({ ...validInputs(), target: 'security-compliance' }, { platform: 'win32' }).settings.warnings,
    ).toEqual([]);
  });
});

describe('result-file, two workloads and set-up mistakes', () => {
  test("no_proxy entries PowerShell's .NET reads otherwise than the toolkit are warned about, for the hosts this run reaches", () => {
    const warned = (env: NodeJS.ProcessEnv, inputs: Record<string, string> = {}) =>
      settings({ ...validInputs(), ...inputs }, { env }).settings.warnings.filter((w) => w.startsWith('no_proxy'));
    const proxy = { https_proxy: 'http://proxy.contoso.example:3128' };
    expect(
      warned({ ...proxy, no_proxy: 'localhost,127.0.0.1,microsoftonline.com,.office365.com,contoso.example' }),
    ).toEqual([
      "no_proxy 'microsoftonline.com' does not cover login.microsoftonline.com for PowerShell 7's .NET, which matches an entry without a leading dot to that host alone: PowerShell's connections there go through the proxy, while the action's own token requests go around it. Write '.microsoftonline.com' for the hosts under it to go around the proxy from both.",
    ]);
    // Both workloads' hosts, which only PowerShell reaches; upper-case variables; a port.
    expect(
      warned(
        { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'OUTLOOK.COM, office365.com, login.microsoftonline.com:443' },
        { target: 'exchange-online,security-compliance' },
      ),
    ).toEqual([
      "no_proxy 'outlook.com' does not cover ps.compliance.protection.outlook.com for PowerShell 7's .NET, which matches an entry without a leading dot to that host alone: PowerShell's connections there go through the proxy. Write '.outlook.com' for the hosts under it to go around the proxy from both.",
      "no_proxy 'office365.com' does not cover outlook.office365.com for PowerShell 7's .NET, which matches an entry without a leading dot to that host alone: PowerShell's connections there go through the proxy. Write '.office365.com' for the hosts under it to go around the proxy from both.",
      "no_proxy 'login.microsoftonline.com:443' does not cover login.microsoftonline.com for PowerShell 7's .NET, which reads no port in no_proxy: PowerShell's connections there go through the proxy, while the action's own token requests go around it. Write 'login.microsoftonline.com' to go around the proxy from both.",
    ]);
    expect(warned({ ...proxy, no_proxy: '*' })).toEqual([
      expect.stringMatching(
        /^no_proxy '\*' sends the action's token requests around the proxy, but PowerShell 7's \.NET does not read '\*'/,
      ),
    ]);
    // Without a proxy, no_proxy changes nothing; a leading dot, or a host by its name, means the same to both.
    expect(warned({ no_proxy: 'microsoftonline.com,*' })).toEqual([]);
    expect(
      warned({ ...proxy, no_proxy: '.microsoftonline.com,login.microsoftonline.com,outlook.office365.com:8443' }),
    ).toEqual([]);
    // Windows PowerShell 5.1 and Exchange Server's WinRM session take no proxy from these variables.
    const windowsPowerShell = settings(
      { ...validInputs(), shell: 'powershell' },
      { env: { ...proxy, no_proxy: 'microsoftonline.com,*' }, platform: 'win32' },
    ).settings.warnings;
    expect(windowsPowerShell.filter((w) => w.startsWith('no_proxy'))).toEqual([]);
  });

  test('result-file resolves against working-directory; the extension picks the format; result-depth defaults to 4', () => {
    const read = (file: string) => settings({ ...validInputs(), 'result-file': file }).settings;
    expect(read('out/mailboxes.csv').resultFile).toEqual({
      path: path.join(workspace, 'out', 'mailboxes.csv'),
      format: 'csv',
    });
    expect(read('a.JSONL').resultFile!.format).toBe('jsonl');
    expect(read('a.ndjson').resultFile!.format).toBe('jsonl');
    expect(read(path.join(workspace, 'all.json')).resultFile).toEqual({
      path: path.join(workspace, 'all.json'),
      format: 'json',
    });
    expect(read('a.csv').resultDepth).toBe(4);
    expect(settings(validInputs()).settings.resultFile).toBeNull();
    expect(settings({ ...validInputs(), 'result-depth': '20' }).settings.resultDepth).toBe(20);
  });

  test('result-file below an existing file cannot be created, and says which one is in the way', () => {
    expect(failure({ ...validInputs(), 'result-file': 'report.ps1/out.csv' }).message).toMatch(
      /cannot be created: '.*report\.ps1' is a file, not a folder/,
    );
  });

  test('target as a list connects both, in the order given', () => {
    const s = settings({ ...validInputs(), target: 'security-compliance, exchange-online' }).settings;
    expect(s.targets).toEqual(['security-compliance', 'exchange-online']);
    expect(s.target).toBe('security-compliance');
  });

  test('a domain that is not the initial one is warned about for app-only sign-in, before any connect', () => {
    const warned = settings({ ...validInputs(), organization: 'contoso.com' }).settings.warnings.join('\n');
    expect(warned).toMatch(/organization 'contoso\.com' is not the tenant's initial domain/);
    for (const [organization, environment] of <Array<[string, string]>>[
      ['contoso.onmicrosoft.com', 'O365Default'],
      ['tailspin.onmicrosoft.us', 'O365USGovGCCHigh'],
      ['tailspin.onmicrosoft.us', 'O365USGovDoD'],
      ['contoso.partner.onmschina.cn', 'O365China'],
    ]) {
      expect(settings({ ...validInputs(), organization, environment }).settings.warnings).toEqual([]);
    }
  });

  test('an initial domain of another cloud than environment is warned about: the sign-in would go to the wrong Entra ID', () => {
    const warned = (organization: string, environment: string) =>
      settings({ ...validInputs(), organization, environment }).settings.warnings.join('\n');
    expect(warned('contoso.onmicrosoft.com', 'O365USGovGCCHigh')).toMatch(
      /organization 'contoso\.onmicrosoft\.com' is an initial domain of O365Default, and environment is O365USGovGCCHigh, whose tenants' initial domains end in \.onmicrosoft\.us/,
    );
    expect(warned('contoso.onmicrosoft.com', 'O365China')).toMatch(
      /environment is O365China, whose tenants' initial domains end in \.onmschina\.cn/,
    );
    expect(warned('tailspin.onmicrosoft.us', 'O365Default')).toMatch(
      /is an initial domain of the US government clouds \(GCC High, DoD\), and environment is O365Default/,
    );
    expect(warned('contoso.partner.onmschina.cn', 'O365USGovDoD')).toMatch(/is an initial domain of O365China/);
  });

  test('a connection-uri of the other workload, or of a retired remote PowerShell host, is warned about', () => {
    const warned = (inputs: Record<string, string>) =>
      settings({ ...validInputs(), ...inputs })
        .settings.warnings.filter((w) => w.startsWith('connection-uri'))
        .join('\n');
    expect(
      warned({ target: 'security-compliance', 'connection-uri': 'https://outlook.office365.com/powershell-liveid/' }),
    ).toMatch(
      /connection-uri outlook\.office365\.com belongs to Exchange Online, and target is security-compliance: Connect-IPPSSession would be sent to the other workload\. Set target: exchange-online/,
    );
    expect(warned({ 'connection-uri': 'https://ps.compliance.protection.outlook.com/powershell-liveid/' })).toMatch(
      /belongs to Security & Compliance, and target is exchange-online: Connect-ExchangeOnline/,
    );
    for (const uri of ['https://ps.outlook.com/powershell/', 'https://ps.protection.outlook.com/powershell-liveid/']) {
      expect(warned({ 'connection-uri': uri })).toMatch(
        /is a host of the retired remote PowerShell \(WinRM\) connection: .*Connect-ExchangeOnline connects to the endpoint that environment selects; leave connection-uri empty\. A standalone Exchange Online Protection organization connects as Exchange Online does, with target exchange-online/,
      );
    }
    expect(warned({ 'connection-uri': 'https://outlook.office365.com/powershell-liveid/' })).toBe('');
    // The module sends its access token to the ConnectionUri's host: one outside Microsoft's is announced.
    expect(warned({ 'connection-uri': 'https://outlook.contoso-proxy.example/powershell-liveid/' })).toBe(
      "connection-uri outlook.contoso-proxy.example is not a Microsoft endpoint in this action's table: Connect-ExchangeOnline sends the session's access token to it. Set connection-uri only to a host you trust, or leave it empty for the endpoint that environment selects.",
    );
    expect(warned({ 'connection-uri': 'https://outlook.office365.com.evil.example/powershell-liveid/' })).toMatch(
      /is not a Microsoft endpoint/,
    );
    for (const uri of [
      'https://outlook.office365.com/powershell-liveid?DelegatedOrg=fabrikam.onmicrosoft.com',
      'https://eur02.ps.compliance.protection.outlook.com/powershell-liveid/',
      'https://webmail.apps.mil/powershell-liveID',
      'https://partner.outlook.cn/PowerShell',
    ]) {
      expect(
        warned({
          'connection-uri': uri,
          target: uri.includes('compliance') ? 'security-compliance' : 'exchange-online',
        }),
      ).not.toMatch(/is not a Microsoft endpoint/);
    }
    expect(
      warned({
        target: 'security-compliance',
        'connection-uri': 'https://ps.compliance.protection.outlook.com/powershell-liveid/',
      }),
    ).toBe('');
  });

  test('exchange-server warns about organization and delegated-organization, and drops them from the settings', () => {
    const s = settings(
      {
        certificate: '',
        'certificate-password': '',
        'client-id': '',
        auth: 'integrated',
        target: 'exchange-server',
        'connection-uri': 'http://mail01.contoso.com/PowerShell/',
        organization: 'contoso.onmicrosoft.com',
        'delegated-organization': 'fabrikam.onmicrosoft.com',
        environment: 'O365USGovGCCHigh',
        script: 'Get-Mailbox',
      },
      { platform: 'win32' },
    ).settings;
    expect(s.warnings).toEqual(
      expect.arrayContaining([
        "Input 'organization' is for exchange-online and security-compliance; exchange-server does not use it (New-PSSession opens the server's own organization).",
        "Input 'delegated-organization' is for exchange-online and security-compliance; exchange-server does not use it (New-PSSession opens the server's own organization).",
        "Input 'environment' is for exchange-online and security-compliance; exchange-server does not use it (an on-premises server is in no Microsoft cloud; connection-uri names it).",
      ]),
    );
    expect(s.organization).toBeNull();
    expect(s.delegatedOrganization).toBeNull();
  });

  test('prefix EXO is reserved by the module for Exchange Online and S&C, not by Import-PSSession for exchange-server', () => {
    const server = { ...exchangeServerInputs(), script: 'Get-EXOMailbox', prefix: 'EXO' };
    expect(settings(server, { platform: 'win32' }).settings.prefix).toBe('EXO');
    expect(() => settings({ ...validInputs(), prefix: 'Exo' })).toThrow(/'EXO' is reserved/);
  });

  test('module-version installed: a module-repository is warned about as unused, and a feed folder is not checked', () => {
    const unused = (extra: Record<string, string>) =>
      settings({ ...validInputs(), ...extra }).settings.warnings.filter((w) => /not used with/.test(w));
    expect(unused({ 'module-version': 'installed', 'module-repository': path.join(workspace, 'no-feed') })).toEqual([
      "Input 'module-repository' is not used with module-version installed: the action installs nothing, and imports the newest ExchangeOnlineManagement on PSModulePath.",
    ]);
    expect(
      unused({ 'module-version': 'Installed', 'module-repository': 'https://feed.contoso.com/v3/index.json' }),
    ).toHaveLength(1);
    expect(unused({ 'module-version': 'installed' })).toEqual([]);
    // Any other version installs from it, and a missing folder is still refused.
    expect(
      unused({ 'module-version': 'latest', 'module-repository': 'https://feed.contoso.com/v3/index.json' }),
    ).toEqual([]);
    expect(() => settings({ ...validInputs(), 'module-repository': path.join(workspace, 'no-feed') })).toThrow(
      /module-repository/,
    );
  });

  test('exchange-server: module-version, module-repository and cache set to other than their defaults are warned about as unused, and a feed folder is not checked; command-names is not', () => {
    const server = { ...exchangeServerInputs(), script: 'Get-Mailbox' };
    const unused = (extra: Record<string, string>) =>
      settings({ ...server, ...extra }, { platform: 'win32' }).settings.warnings.filter((w) => /not used with/.test(w));
    expect(
      unused({
        'module-version': 'latest',
        'module-repository': path.join(workspace, 'no-feed'),
        cache: 'false',
        'command-names': 'Get-Mailbox',
      }),
    ).toEqual([
      "Inputs 'module-version', 'module-repository', 'cache' are not used with exchange-server: its cmdlets come from the server's session (Import-PSSession), so no module is installed, loaded or cached.",
    ]);
    expect(unused({ cache: 'false' })).toEqual([
      "Input 'cache' is not used with exchange-server: its cmdlets come from the server's session (Import-PSSession), so no module is installed, loaded or cached.",
    ]);
    expect(unused({ 'command-names': 'auto' })).toEqual([]);
    expect(unused({})).toEqual([]);
    // Other targets use them, and are not told otherwise.
    expect(
      settings({ ...validInputs(), 'module-version': 'latest', cache: 'false' }).settings.warnings.filter((w) =>
        /not used with/.test(w),
      ),
    ).toEqual([]);
  });

  test('auto chooses OIDC only when no other credential input is set', () => {
    const oidc = { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/' };
    const noCert = { ...validInputs(), certificate: '', 'certificate-password': '' };
    expect(settings(noCert, { env: oidc }).settings.auth).toBe('oidc');
    for (const extra of <Array<Record<string, string>>>[
      { 'certificate-password': 'x' },
      { username: 'admin@contoso.com' },
      { password: 'pw-value' },
      { 'managed-identity-client-id': '9a8b7c6d-1111-2222-3333-444455556666' },
    ]) {
      expect(() => settings({ ...noCert, ...extra }, { env: oidc })).toThrow(SettingsError);
    }
  });
});

export type { Settings };

describe('paths the account cannot open (a container that runs as another user than the checkout)', () => {
  const denied = (): 'denied' => 'denied';
  test('working-directory and script-file say permission denied, not missing, and what to change', () => {
    expect(() => readWorkingDirectory('scripts', { GITHUB_WORKSPACE: '/w' }, denied)).toThrow(
      /^Input 'working-directory': '\/w\/scripts' cannot be opened by the account this step runs as \(permission denied\).*options: --user/s,
    );
    expect(() => readScript('', 'report.ps1', '/w', denied)).toThrow(
      /^Input 'script-file': '\/w\/report\.ps1' cannot be read by the account this step runs as \(permission denied\)/,
    );
  });
  test('lookUp tells a path that is there from one that is not', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-look-'));
    try {
      const found = lookUp(dir, fs.constants.R_OK | fs.constants.X_OK);
      expect(found !== 'missing' && found !== 'denied' && found.isDirectory()).toBe(true);
      expect(lookUp(path.join(dir, 'none.ps1'))).toBe('missing');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the token scope the settings ask for', () => {
  test("DoD's ConnectionUri host asks for a token for that host, compared as DNS compares names", () => {
    for (const uri of ['https://webmail.apps.mil/powershell-liveID', 'https://WEBMAIL.apps.mil./powershell-liveID']) {
      const { settings: s } = settings({
        ...validInputs(),
        environment: 'O365USGovDoD',
        'connection-uri': uri,
      });
      expect(tokenScope(s)).toBe('https://webmail.apps.mil/.default');
    }
    const { settings: worldwide } = settings({
      ...validInputs(),
      'connection-uri': 'https://outlook.office365.com./powershell-liveid/',
    });
    expect(tokenScope(worldwide)).toBe(ENDPOINTS.O365Default.exchangeScope);
  });
});
