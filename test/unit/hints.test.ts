import { AUTH_METHODS, type AuthMethod } from '../../src/auth.js';
import { TARGETS, type Target } from '../../src/inputs.js';
import {
  describeScope,
  findHint,
  HINT_PHASES,
  hintPhaseOf,
  HINTS,
  holds,
  type HintContext,
  type HintPhase,
} from '../../src/hints.js';

/** An error's context: Exchange Online with a certificate unless said otherwise. */
const at = (
  phase: HintPhase | null,
  targets: Target[] = ['exchange-online'],
  auth: AuthMethod = 'certificate',
): HintContext => ({ phase, targets, auth });
const SERVER = ['exchange-server'] as Target[];
const EXO = ['exchange-online'] as Target[];

describe('hint catalogue', () => {
  test.each([
    ["AADSTS700016: Application with identifier 'x' was not found in the directory", 'aadsts700016', at('connect')],
    ['AADSTS7000215: Invalid client secret provided.', 'aadsts7000215', at('token', EXO, 'client-secret')],
    [
      'AADSTS700027: The certificate with identifier used to sign the client assertion is not registered',
      'aadsts700027',
      at('connect'),
    ],
    ["AADSTS90002: Tenant 'contoso.onmicrosoft.com' not found.", 'aadsts90002', at('connect')],
    [
      'Temporary folder for installation could not be created or set due to: End of Central Directory record could not be found.',
      'package-damaged',
      at('module'),
    ],
    [
      'AADSTS70021: No matching federated identity record found for presented assertion.',
      'federated-credential',
      at('token', EXO, 'oidc'),
    ],
    ['AADSTS700213: No matching federated identity record found', 'federated-credential', at('token', EXO, 'oidc')],
    ['AADSTS7002138: audience mismatch', 'federated-credential', at('token', EXO, 'oidc')],
    ["The role assigned to application 1234 isn't supported in this scenario.", 'role-not-supported', at('connect')],
    ['UnAuthorized', 'manage-as-app', at('connect')],
    [
      'You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets.',
      'not-connected',
      at('script'),
    ],
    [
      'Exception calling "ShouldProcess" with "2" argument(s): "PowerShell is in NonInteractive mode. Read and Prompt functionality is not available."',
      'prompt',
      at('script'),
    ],
    ["The term 'Get-Mailbox' is not recognized as a name of a cmdlet", 'command-not-found', at('script')],
    ['Files cannot be loaded because running scripts is disabled on this system.', 'execution-policy', at('module')],
    [
      'The WinRM client cannot process the request. Basic authentication is currently disabled in the client configuration.',
      'winrm-basic-disabled',
      at('connect', SERVER, 'credential'),
    ],
    [
      'Fail to create a runspace because you have exceeded the maximum number of connections allowed : 3',
      'session-limit',
      at('connect', SERVER, 'integrated'),
    ],
    ['The remote server returned an error: (429) Too Many Requests.', 'throttled', at('connect')],
    ['Access is denied.', 'access-denied', at('connect', SERVER, 'integrated')],
    ['The user name or password is incorrect.', 'logon-failure', at('connect', SERVER, 'credential')],
    [
      'Connecting to remote server mail01 failed: WinRM cannot complete the operation.',
      'network',
      at('connect', SERVER, 'integrated'),
    ],
    ['Keyset does not exist', 'certificate-private-key', at('connect')],
    [
      'AADSTS700212: No matching federated identity record found for presented assertion audience api://Other.',
      'federated-credential',
      at('token', EXO, 'oidc'),
    ],
    [
      "AADSTS700211: No matching federated identity record found for presented assertion issuer 'https://token.actions.githubusercontent.com'.",
      'federated-credential',
      at('token', EXO, 'oidc'),
    ],
    [
      'File C:\\a\\report.ps1 cannot be loaded because running scripts is disabled on this system.',
      'execution-policy',
      at('script'),
    ],
    [
      'File C:\\a\\report.ps1 cannot be loaded. The file C:\\a\\report.ps1 is not digitally signed. You cannot run this script on the current system.',
      'execution-policy',
      at('script'),
    ],
    ['Certificate with thumbprint ABC was not found in CurrentUser\\My.', 'certificate-not-in-store', at('connect')],
    ['The access token is expired', 'token-expired', at('connect', EXO, 'access-token')],
    [
      'Windows PowerShell 5.1 on this runner has PowerShellGet 1.0.0.1; saving ExchangeOnlineManagement needs PowerShellGet 2.0.0 or later.',
      'powershellget-version',
      at('module'),
    ],
  ])('%s -> %s', (message, id, context) => {
    expect(findHint(message, context)?.id).toBe(id);
  });

  test('the session limit names both limits: Exchange Online and the on-premises throttling policy', () => {
    const hint = findHint('exceeded the maximum number of connections allowed : 3', at('connect'))!.hint;
    expect(hint).toMatch(/three in Exchange Online/);
    expect(hint).toMatch(/PowerShellMaxConcurrency/);
  });

  test('access denied explains auth: integrated under a runner service as NETWORK SERVICE', () => {
    expect(findHint('Access is denied.', at('connect', SERVER, 'integrated'))!.hint).toMatch(
      /NETWORK SERVICE.*computer account/,
    );
  });

  test('not connected with only Security & Compliance connected: the hint names the target that Exchange Online cmdlets need', () => {
    const message = 'You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets.';
    expect(findHint(message, at('script', ['security-compliance']))!.hint).toMatch(
      /^Only Security & Compliance PowerShell is connected \(target: security-compliance\).*set target to exchange-online, or to exchange-online, security-compliance/,
    );
    for (const targets of [EXO, ['exchange-online', 'security-compliance'] as Target[]])
      expect(findHint(message, at('script', targets))!.hint).toMatch(
        /^The connection the action made before the script started/,
      );
  });

  test("a feed whose TLS certificate the runner does not trust gets the trust-store hint, not the network's", () => {
    const message =
      'Loading ExchangeOnlineManagement failed: The SSL connection could not be established, see inner exception. The remote certificate is invalid because of errors in the certificate chain: PartialChain';
    expect(findHint(message, at('module'))!.id).toBe('feed-certificate');
  });

  test("an unknown resource for the Security & Compliance token names that workload, not Exchange Online's", () => {
    const message =
      'AADSTS500011: The resource principal named https://ps.compliance.protection.outlook.com was not found in the tenant';
    expect(findHint(message, at('token', ['security-compliance']))!.hint).toMatch(
      /another cloud's Security & Compliance PowerShell/,
    );
    expect(findHint(message, at('token', EXO))!.hint).toMatch(/another cloud's Exchange Online/);
  });

  test('a cmdlet not recognized in a run of one workload: the hint names the target the other workload needs', () => {
    const message =
      "The term 'Get-Label' is not recognized as a name of a cmdlet, function, script file, or executable program.";
    expect(findHint(message, at('script', EXO))!.hint).toMatch(
      /^The cmdlet is not in this session\. Check its spelling.* Only Exchange Online is connected: a Security & Compliance cmdlet .* needs target security-compliance/,
    );
    expect(findHint(message, at('script', ['security-compliance']))!.hint).toMatch(
      /^The cmdlet is not in this session\. Check its spelling.* Only Security & Compliance is connected: an Exchange Online cmdlet .* needs target exchange-online/,
    );
    expect(findHint(message, at('script', ['exchange-online', 'security-compliance']))!.hint).toMatch(
      /^The cmdlet is not in this session\. Check its spelling/,
    );
    // Outside the script (a module's own call, say) it gets no hint: the runspace hint is picked by id only.
    for (const phase of ['module', 'connect', 'teardown'] as const)
      expect(findHint(message, at(phase))).toBeUndefined();
  });

  test("Exchange Server with auth: credential: 'Access is denied' says to check the secrets first, and a wrong password names the DOMAIN\\user form", () => {
    const credential = at('connect', SERVER, 'credential');
    expect(findHint('Connecting to remote server mail01 failed: Access is denied.', credential)!.hint).toMatch(
      /^The server refused the account: check the username/,
    );
    expect(findHint('Access is denied.', at('connect', SERVER, 'integrated'))!.hint).toMatch(/NETWORK SERVICE/);
    expect(findHint('The user name or password is incorrect.', credential)!.hint).toMatch(/DOMAIN\\user/);
    // auth: credential is refused for Exchange Online before anything runs (auth.ts): no hint for it there.
    expect(findHint('The user name or password is incorrect.', at('connect', EXO, 'credential'))).toBeUndefined();
  });

  test('an unknown error has no hint', () =>
    expect(findHint('Something nobody has seen before', at('script'))).toBeUndefined());

  test("a token request that got no answer gets the network hint; the script's own 'Could not reach' does not", () => {
    const unreached =
      'Could not reach login.microsoftonline.com: getaddrinfo ENOTFOUND login.microsoftonline.com (sent directly: https_proxy is not set)';
    expect(findHint(unreached, at('token', EXO, 'oidc'))?.id).toBe('token-host-unreachable');
    expect(findHint('Could not reach smtp01: timeout', at('script'))).toBeUndefined();
    expect(findHint('Could not reach smtp01: timeout', at(null))).toBeUndefined();
  });

  test.each([
    ['AADSTS7000222: The provided client secret keys for app are expired.', 'client-secret', 'aadsts7000215'],
    [
      'AADSTS500011: The resource principal named https://outlook.office365.us was not found in the tenant named Contoso.',
      'certificate',
      'aadsts500011',
    ],
    ['AADSTS53003: Access has been blocked by Conditional Access policies.', 'certificate', 'conditional-access'],
    ['AADSTS7000112: Application is disabled.', 'certificate', 'app-disabled'],
  ] as const)('%s, signing in with auth %s, gets the %s hint', (message, auth, id) => {
    const phase = auth === 'client-secret' ? 'token' : 'connect';
    expect(findHint(message, at(phase, EXO, auth))!.id).toBe(id);
  });

  test.each([
    [
      'WinRM cannot process the request. The following error with errorcode 0x80090311 occurred while using Kerberos authentication.',
      'kerberos',
    ],
    [
      'The WinRM client cannot process the request. Default authentication may be used with an IP address under the following conditions: the transport is HTTPS or the destination is in the TrustedHosts list',
      'trusted-hosts',
    ],
    ['The SSL certificate is signed by an unknown certificate authority.', 'certificate-untrusted'],
  ])("%s, in an Exchange Server connect, gets the %s hint; in Exchange Online's, none", (message, id) => {
    expect(findHint(message, at('connect', SERVER, 'integrated'))!.id).toBe(id);
    expect(findHint(message, at('teardown', SERVER, 'credential'))!.id).toBe(id);
    expect(findHint(message, at('connect'))).toBeUndefined();
  });

  test('a download error while loading the module gets the module-repository hint, not the server one', () => {
    expect(findHint('No such host is known. (www.powershellgallery.com:443)', at('module'))!.id).toBe('module-source');
    expect(findHint('No such host is known. (mail01.contoso.com:443)', at('connect', SERVER, 'integrated'))!.id).toBe(
      'network',
    );
  });

  test('a feed that answered without the pinned version gets no network or proxy hint', () => {
    const message =
      'ExchangeOnlineManagement 3.8.1 is not in https://nexus.contoso.com/repository/psgallery/ (it has: 3.9.0).';
    expect(findHint(message, at('module'))!.id).toBe('module-version-missing');
    expect(findHint(message, at('module'))!.hint).not.toMatch(/reaches|proxy/);
    expect(
      findHint(
        'A release of ExchangeOnlineManagement is not in PSGallery (it has no version of ExchangeOnlineManagement).',
        at('module'),
      )!.id,
    ).toBe('module-version-missing');
  });

  test('a repository store PSResourceGet cannot read: the hint says that resetting it drops every other repository, and how to keep them', () => {
    for (const message of [
      "PSResourceGet cannot read the repository store of the runner's account, /home/runner/.local/share/PSResourceGet/PSResourceRepository.xml: Loading repository store failed: Root element is missing.",
      "Repository store may be corrupted, file reading failed with error: Root element is missing.. Try running 'Reset-PSResourceRepository' to reset the repository store.",
    ]) {
      const hint = findHint(message, at('module'))!;
      expect(hint.id).toBe('repository-store');
      expect(hint.hint).toMatch(/registers PSGallery only: every other repository registered for the account is gone/);
      expect(hint.hint).toMatch(/copy the file aside/);
      expect(hint.hint).not.toMatch(/proxy|reaches it/);
    }
  });

  test('a repository that is not registered is no network error', () => {
    for (const message of [
      "Unable to find repository 'file:///srv/feed'.  Use Get-PSResourceRepository to see all available repositories.",
      "Cannot resolve -Repository name. Run 'Get-PSResourceRepository' to view all registered repositories.",
    ]) {
      expect(findHint(message, at('module'))!.id).toBe('repository-not-registered');
      expect(findHint(message, at('module'))!.hint).not.toMatch(/proxy/);
    }
  });

  test("a feed PowerShellGet 2 has registered under the user's name says what to do instead of unregistering it", () => {
    const message =
      "The repository could not be registered because there exists a registered repository with Name 'contoso-mirror' and SourceLocation 'https://nexus.contoso.com/repository/psgallery/'. To register another repository with Name 'exo-connect-1a2b3c4d', please unregister the existing repository using the Unregister-PSRepository cmdlet.";
    const hint = findHint(message, at('module'))!;
    expect(hint.id).toBe('feed-registered-twice');
    expect(hint.hint).toMatch(/PowerShell 7\.4 or later \(shell: pwsh\).*module-version: installed/);
  });

  test("errors of the save's own files get no network hint", () => {
    for (const message of [
      "Unable to successfully install package 'ExchangeOnlineManagement': 'The file '/opt/tool-cache/ExchangeOnlineManagement.psd1' already exists.'",
      "Could not find a part of the path '/opt/tool-cache/exo-connect-action/modules/pwsh/3.9.0'.",
      'ExchangeOnlineManagement 3.9.0 is not in /opt/tool-cache/exo-connect-action/modules/pwsh/3.9.0 after the install.',
      'NuGet.Versioning could not parse the version.',
    ])
      expect(findHint(message, at('module'))?.hint ?? '').not.toMatch(/proxy/);
  });

  test('network errors of a save keep the module-repository hint', () => {
    for (const message of [
      "'Connection refused (127.0.0.1:9)' Request sent: 'https://127.0.0.1:9/nuget/v3/index.json' Inner exception: 'Connection refused'",
      "'Name or service not known (nohost.invalid:443)' Request sent: 'https://nohost.invalid/api/v2/FindPackagesById()'",
      "'Response status code does not indicate success: 407 (Proxy Authentication Required).' Request sent: 'https://pkgs.contoso.example/v3/index.json'",
      "Unable to resolve package source 'https://www.powershellgallery.com/api/v2'.",
      'Unable to load the service index for source https://pkgs.contoso.example/v3/index.json.',
      'The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.',
      // PSResourceGet 1.2.0, of a v2 feed it cannot reach (no such host, refused, no answer).
      "Repository 'https://nuget.feed.invalid/api/nuget/psgallery' is not a known repository type that is supported. Please file an issue for support at https://github.com/PowerShell/PSResourceGet/issues",
    ])
      expect(findHint(message, at('module'))!.id).toBe('module-source');
  });

  test("a run that waited too long for another run's save is told to find that run, not to check the network", () => {
    const hint = findHint(
      'ExchangeOnlineManagement 3.9.0 was not saved: another run on this runner, as the same account, has held /home/runner/.local/share/exo-connect-action/module-save.lock for 15 minutes, saving a module.',
      at('module'),
    )!;
    expect(hint.id).toBe('module-save-wait');
    expect(hint.hint).not.toMatch(/proxy settings/);
  });

  test("PowerShell's abort, in the step's own words, and nothing else that names a code", () => {
    expect(findHint('PowerShell was ended by SIGABRT before the script finished.', at(null))?.id).toBe(
      'powershell-aborted',
    );
    expect(findHint('PowerShell exited with code 3221225725 before the script finished.', at(null))?.id).toBe(
      'powershell-aborted',
    );
    expect(findHint('The script exited with code 134.', at(null))).toBeUndefined();
    expect(findHint('PowerShell exited with code 134 before the script finished.', at(null))).toBeUndefined();
    expect(findHint('Get-Thing: the remote side was ended by SIGABRT', at('script'))).toBeUndefined();
  });

  test('a stop or an end of PowerShell that names the tenant after its subject still finds its hint', () => {
    for (const [message, id] of [
      ['PowerShell (contoso.onmicrosoft.com) was ended by SIGABRT before the script finished.', 'powershell-aborted'],
      ['PowerShell (mail01.contoso.com) exited with code 3221226505 before the script finished.', 'powershell-aborted'],
      [
        'The run (contoso.onmicrosoft.com) timed out after 30m (script-timeout) in its script phase; it was stopped and the session torn down.',
        'timed-out',
      ],
      ['The run (contoso.onmicrosoft.com) was cancelled; it was stopped before anything was connected.', 'cancelled'],
      [
        'The run (contoso.onmicrosoft.com) was cancelled before its configuration reached PowerShell; nothing was connected.',
        'cancelled',
      ],
      [
        'The run (contoso.onmicrosoft.com) was cancelled; PowerShell ended before it disconnected, so the session was not torn down in this step; the post step makes sure nothing is left.',
        'stopped-before-teardown',
      ],
      [
        "The run (contoso.onmicrosoft.com) timed out after 8.0 s (script-timeout) in its module phase; it was stopped before anything was connected. ExchangeOnlineManagement's download from PSGallery (module-repository) had not finished.",
        'module-download-stopped',
      ],
    ] as const) {
      expect(findHint(message, at(null))?.id).toBe(id);
    }
  });

  test('ids are unique and every hint says what to do', () => {
    expect(new Set(HINTS.map((h) => h.id)).size).toBe(HINTS.length);
    for (const h of HINTS) {
      expect(h.advice.length).toBeGreaterThan(0);
      for (const a of h.advice) expect(a.hint.length).toBeGreaterThan(40);
    }
  });
});

describe('each hint only where it is true', () => {
  // Errors of a script's own work in an Exchange Online run whose connect had worked.
  test.each([
    ['Name or service not known (intranet.contoso.invalid:443)'],
    ['Response status code does not indicate success: 401 (Unauthorized).'],
    ['No such host is known. (intranet.contoso.com:443)'],
    ['Connecting to remote server mail01 failed: WinRM cannot complete the operation.'],
    ['Logon failure: unknown user name or bad password.'],
    ['AADSTS700016: Application with identifier x was not found'],
    ['The SSL certificate is signed by an unknown certificate authority.'],
    ['You have exceeded the maximum number of recipients for this message.'],
    ['Import-Module: The module requires a minimum PowerShell version of 7.5.'],
  ])("a script's own error with no hint that could be known right: %s", (message) => {
    for (const auth of ['certificate', 'oidc', 'client-secret', 'access-token'] as const) {
      expect(findHint(message, at('script', EXO, auth))).toBeUndefined();
    }
  });

  test("an Exchange Online connect that reached no host: DNS, the runner's https_proxy and no_proxy, port 443; no Exchange Server input", () => {
    for (const target of ['exchange-online', 'security-compliance'] as const) {
      const hint = findHint('Name or service not known (outlook.office365.com:443)', at('connect', [target]))!;
      expect(hint.id).toBe('network');
      expect(hint.hint).toMatch(/DNS.*443.*firewall.*https_proxy.*no_proxy/s);
      expect(hint.hint).toMatch(/learn\.microsoft\.com\/microsoft-365\/enterprise\/urls-and-ip-address-ranges/);
      expect(hint.hint).not.toMatch(/proxy-access-type|TCP 80/);
    }
    const server = findHint('No such host is known.', at('connect', SERVER, 'credential'))!.hint;
    expect(server).toBe(
      'The server could not be reached. Check connection-uri, DNS, proxy-access-type and that TCP 80/443 is open from the runner to the server.',
    );
  });

  test("a connect's refusal names the roles of the workload whose connect failed, and both when the error concerns both", () => {
    const SC = ['security-compliance'] as Target[];
    const BOTH = ['exchange-online', 'security-compliance'] as Target[];
    const refused = (targets: Target[]) => findHint('UnAuthorized', at('connect', targets))!.hint;
    expect(refused(SC)).toMatch(/Compliance Administrator/);
    expect(refused(SC)).not.toMatch(/Exchange Administrator/);
    expect(refused(EXO)).toMatch(/Exchange Administrator/);
    expect(refused(EXO)).not.toMatch(/Compliance/);
    expect(refused(BOTH)).toMatch(
      /Exchange Administrator for Exchange Online, Compliance Administrator for Security & Compliance/,
    );
    const noRole = "The role assigned to application 1234 isn't supported in this scenario.";
    expect(findHint(noRole, at('connect', SC))!.hint).toMatch(/no Entra role for Security & Compliance/);
    expect(findHint(noRole, at('connect', EXO))!.hint).toMatch(/no Entra role for Exchange Online/);
    expect(findHint(noRole, at('script', BOTH))!.hint).toMatch(/for Exchange Online, "Compliance Administrator"/);
  });

  test('Exchange.ManageAsApp advice belongs to the sign-in of an app, not to a script that had connected', () => {
    expect(findHint('UnAuthorized', at('connect', ['security-compliance']))!.id).toBe('manage-as-app');
    expect(findHint('Exchange.ManageAsApp', at('token', EXO, 'access-token'))!.id).toBe('manage-as-app');
    expect(findHint('401 (Unauthorized)', at('script'))).toBeUndefined();
    expect(findHint('(401) Unauthorized', at('connect', SERVER, 'credential'))).toBeUndefined();
    expect(findHint('UnAuthorized', at('connect', EXO, 'credential'))).toBeUndefined();
  });

  test("'Access is denied' in an Exchange Online script is about the app's roles, citing Microsoft Learn; Exchange Server's is about remote PowerShell", () => {
    const message = 'Access is denied. The user has insufficient access rights.';
    for (const target of ['exchange-online', 'security-compliance'] as const) {
      const app = findHint(message, at('script', [target], 'oidc'))!;
      expect(app.id).toBe('access-denied');
      expect(app.hint).toMatch(/app's roles do not grant/);
      expect(app.hint).toContain('https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2');
      expect(app.hint).not.toMatch(/RemotePowerShellEnabled|NETWORK SERVICE|auth: integrated/);
    }
    expect(findHint(message, at('connect', SERVER, 'credential'))!.hint).toMatch(/RemotePowerShellEnabled \$true/);
    expect(findHint(message, at('teardown', SERVER, 'integrated'))!.hint).toMatch(/RemotePowerShellEnabled \$true/);
    // A Windows error of the script's own on a server run, or a connect that Exchange Online refused: no guess.
    expect(findHint(message, at('script', SERVER, 'integrated'))).toBeUndefined();
    expect(findHint(message, at('connect'))).toBeUndefined();
  });

  test('throttling outside the connect does not say to raise connect-retries, which retries only the connect', () => {
    const message = 'The remote server returned an error: (429) Too Many Requests.';
    expect(findHint(message, at('connect'))!.hint).toMatch(
      /^The service is throttling this tenant\. Raise connect-retries/,
    );
    const script = findHint(message, at('script'))!;
    expect(script.id).toBe('throttled');
    expect(script.hint).toMatch(/connect-retries retries only the connect, not the script: run the job again later/);
    expect(script.hint).not.toMatch(/Raise connect-retries/);
    expect(findHint(message, at('teardown'))).toBeUndefined();
  });

  test('an expired token: never "use certificate authentication" when auth already is certificate', () => {
    const message = 'Lifetime validation failed, the token is expired.';
    expect(findHint(message, at('connect', EXO, 'access-token'))!.hint).toMatch(
      /request it closer to this step, or use certificate authentication/,
    );
    for (const auth of ['oidc', 'client-secret'] as const) {
      const hint = findHint(message, at('script', EXO, auth))!.hint;
      expect(hint).toMatch(/The action requested it before the connect.*Access token expires at/);
      expect(hint).not.toMatch(/request it closer/);
    }
    for (const auth of ['certificate', 'managed-identity', 'credential'] as const) {
      expect(findHint(message, at('connect', EXO, auth))).toBeUndefined();
    }
    // The report's case: a certificate connect refused as throttled, whose text also says "expired".
    expect(
      findHint(`The remote server returned an error: (429) Too Many Requests. ${message}`, at('connect'))!.id,
    ).toBe('throttled');
  });

  test("a logon failure under auth: integrated names the runner's account, not the username and password secrets", () => {
    const message = 'Connecting to remote server mail01 failed: The user name or password is incorrect.';
    const integrated = findHint(message, at('connect', SERVER, 'integrated'))!;
    expect(integrated.id).toBe('logon-failure');
    expect(integrated.hint).toMatch(/runner's own account.*NETWORK SERVICE.*use auth: credential/s);
    expect(integrated.hint).not.toMatch(/username and password secrets/);
    expect(findHint(message, at('connect', SERVER, 'credential'))!.hint).toMatch(
      /^The user name or password is wrong\. Check the username and password secrets/,
    );
  });

  test("'must call Connect-ExchangeOnline' in the script: the connect had worked, so the connection was lost in the script", () => {
    const message = 'You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets.';
    const hint = findHint(message, at('script'))!.hint;
    expect(hint).toMatch(/Disconnect-ExchangeOnline.*ForEach-Object -Parallel/s);
    expect(hint).not.toMatch(/Read the connect phase/);
  });

  test('advice that names an Exchange Server input or WinRM holds only for exchange-server', () => {
    for (const h of HINTS) {
      for (const a of h.advice) {
        if (
          !/proxy-access-type|insecure-skip-certificate-check|TrustedHosts|winrm|RemotePowerShellEnabled/i.test(a.hint)
        )
          continue;
        expect([h.id, a.where?.targets]).toEqual([h.id, ['exchange-server']]);
      }
    }
  });

  test('advice that says to raise connect-retries holds only where it retries (the connect, the token request); none says to use certificates where auth is certificate', () => {
    for (const h of HINTS) {
      for (const a of h.advice) {
        if (/connect-retries/.test(a.hint) && !/retries only the connect/.test(a.hint)) {
          expect([h.id, a.where?.phases?.length]).toEqual([h.id, 1]);
          expect([h.id, ['token', 'connect']]).toEqual([h.id, expect.arrayContaining(a.where!.phases!)]);
        }
        if (/use certificate authentication/.test(a.hint)) {
          expect(a.where?.auths).toBeDefined();
          expect([h.id, a.where!.auths!.includes('certificate')]).toEqual([h.id, false]);
        }
      }
    }
  });

  test('advice scoped to phases never holds where the phase is unknown', () => {
    expect(holds({ phases: ['connect'] }, at(null))).toBe(false);
    expect(holds(undefined, at(null))).toBe(true);
    expect(
      holds(
        { targets: ['exchange-online', 'security-compliance'] },
        at('script', ['exchange-online', 'security-compliance']),
      ),
    ).toBe(true);
    expect(holds({ targets: ['exchange-online'] }, at('script', ['exchange-online', 'security-compliance']))).toBe(
      false,
    );
  });

  test("the runner's phases: config and parameters are the settings; an unknown name is no phase", () => {
    expect(HINT_PHASES.map((p) => hintPhaseOf(p))).toEqual([...HINT_PHASES]);
    expect([hintPhaseOf('config'), hintPhaseOf('parameters'), hintPhaseOf('other'), hintPhaseOf(null)]).toEqual([
      'settings',
      'settings',
      null,
      null,
    ]);
  });

  test('every target, auth method and phase a scope names is one the action has', () => {
    for (const h of HINTS) {
      for (const a of h.advice) {
        for (const t of a.where?.targets ?? []) expect(TARGETS).toContain(t);
        for (const m of a.where?.auths ?? []) expect(AUTH_METHODS).toContain(m);
      }
    }
    expect(describeScope(undefined)).toBe('anywhere');
    expect(
      describeScope({ phases: ['connect', 'teardown'], targets: ['exchange-server'], auths: ['integrated'] }),
    ).toBe('connect or teardown; exchange-server; auth: integrated');
  });
});

test('every symptom shown in the README is one its own pattern recognises', () => {
  for (const h of HINTS) expect([h.id, h.pattern.test(h.symptom)]).toEqual([h.id, true]);
});

test('AADSTS90002 suggests tenant-id only to the token flows, the only ones that read it', () => {
  const message = "AADSTS90002: Tenant 'contoso.com' not found.";
  expect(findHint(message, at('token', ['exchange-online'], 'client-secret'))!.hint).toMatch(/set tenant-id/);
  expect(findHint(message, at('connect', ['exchange-online'], 'oidc'))!.hint).toMatch(/set tenant-id/);
  expect(findHint(message, at('connect', ['exchange-online'], 'certificate'))!.hint).not.toMatch(/tenant-id/);
  expect(findHint(message, at('connect', ['exchange-online'], 'access-token'))!.hint).not.toMatch(/tenant-id/);
});

test('AADSTS700024 is the certificate assertion under certificate auth, and the GitHub token under oidc', () => {
  const message = 'AADSTS700024: Client assertion is not within its valid time range.';
  expect(findHint(message, at('connect', ['exchange-online'], 'certificate'))!.id).toBe('aadsts700027');
  expect(findHint(message, at('token', ['exchange-online'], 'oidc'))!.hint).toMatch(/GitHub token outside the minutes/);
});

test("an AADSTS code without advice of its own still gets Microsoft's lookup, at sign-in only; a code with its own keeps it", () => {
  const other = 'AADSTS1002012: The provided value for scope https://webmail.apps.mil/.default is not valid.';
  for (const phase of ['token', 'connect'] as const) {
    const found = findHint(other, at(phase, EXO, 'client-secret'))!;
    expect(found.id).toBe('aadsts-other');
    expect(found.hint).toContain('https://login.microsoftonline.com/error?code=<number>');
  }
  expect(findHint(other, at('script'))).toBeUndefined();
  expect(findHint("AADSTS700016: Application with identifier 'x' was not found", at('connect'))!.id).toBe(
    'aadsts700016',
  );
  // Not an AADSTS code: a word that merely starts so, or too few digits.
  expect(findHint('AADSTSX happened', at('connect'))).toBeUndefined();
  expect(findHint('AADSTS12: short', at('connect'))).toBeUndefined();
});

test("an abort's hint names the causes .NET writes a message for (no ICU library, an unsupported culture, a startup hook it cannot load) before the damaged start-up profile", () => {
  const hint = findHint(
    'PowerShell (contoso.onmicrosoft.com) was ended by SIGABRT before the script finished.',
    at(null),
  )!;
  expect(hint.id).toBe('powershell-aborted');
  expect(hint.hint).toMatch(
    /valid ICU package.*DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1.*LANG and LC_ALL.*Startup hook assembly .* failed to load.*DOTNET_STARTUP_HOOKS.*Delete StartupProfileData-NonInteractive/s,
  );
});

test('a folder the module save may not write gets the folders and variables to change, in the module phase only', () => {
  const message =
    'ExchangeOnlineManagement 3.9.0 was not saved: Exception calling "CreateDirectory" with "1" argument(s): "Access to the path \'/home/runner/.local/share/exo-connect-action\' is denied."';
  const found = findHint(message, at('module'))!;
  expect(found.id).toBe('module-save-folder');
  expect(found.hint).toMatch(/XDG_DATA_HOME.*module-version: installed/s);
  expect(findHint(message, at('script'))).toBeUndefined();
});

test('a module copy with a file missing or cut short gets the advice to delete it, in the module phase', () => {
  for (const message of [
    "The module to process 'ExchangeOnlineManagement.psm1', listed in field 'ModuleToProcess/RootModule' of module manifest '/opt/hostedtoolcache/exo-connect-action/modules/pwsh/3.9.0/ExchangeOnlineManagement/3.9.0/ExchangeOnlineManagement.psd1' was not processed because no valid module was found in any module directory.",
    "Could not load file or assembly 'Microsoft.Exchange.Management.RestApiClient, Culture=neutral, PublicKeyToken=null'. The system cannot find the file specified.",
    "Bad IL format. The format of the file '/x/netCore/Microsoft.Exchange.Management.RestApiClient.dll' is invalid.",
  ]) {
    expect(findHint(message, at('module'))?.id).toBe('module-incomplete');
    expect(findHint(message, at('script'))?.id).not.toBe('module-incomplete');
  }
});

test("Windows PowerShell's NuGet provider that could not be installed gets its own advice, in the module phase", () => {
  const message =
    "Unable to find package provider 'NuGet'. It may not be imported yet. Try 'Get-PackageProvider -ListAvailable'. (NoMatchFoundForProvider,Microsoft.PowerShell.PackageManagement.Cmdlets.InstallPackageProvider)";
  expect(findHint(message, at('module'))?.id).toBe('nuget-provider');
  expect(findHint(message, at('module'))!.hint).toMatch(/Install-PackageProvider -Name NuGet.*shell: pwsh/s);
});
