import { findHint, HINTS } from '../../src/hints.js';

describe('hint catalogue', () => {
  test.each([
    ["AADSTS700016: Application with identifier 'x' was not found in the directory", 'aadsts700016'],
    ['AADSTS7000215: Invalid client secret provided.', 'aadsts7000215'],
    [
      'AADSTS700027: The certificate with identifier used to sign the client assertion is not registered',
      'aadsts700027',
    ],
    ["AADSTS90002: Tenant 'contoso.onmicrosoft.com' not found.", 'aadsts90002'],
    ['AADSTS70021: No matching federated identity record found for presented assertion.', 'federated-credential'],
    ['AADSTS700213: No matching federated identity record found', 'federated-credential'],
    ['AADSTS7002138: audience mismatch', 'federated-credential'],
    ["The role assigned to application 1234 isn't supported in this scenario.", 'role-not-supported'],
    ['UnAuthorized', 'manage-as-app'],
    ['You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets.', 'not-connected'],
    [
      'Exception calling "ShouldProcess" with "2" argument(s): "PowerShell is in NonInteractive mode. Read and Prompt functionality is not available."',
      'prompt',
    ],
    ["The term 'Get-Mailbox' is not recognized as a name of a cmdlet", 'command-not-found'],
    ['Files cannot be loaded because running scripts is disabled on this system.', 'execution-policy'],
    [
      'The WinRM client cannot process the request. Basic authentication is currently disabled in the client configuration.',
      'winrm-basic-disabled',
    ],
    [
      'Fail to create a runspace because you have exceeded the maximum number of connections allowed : 3',
      'session-limit',
    ],
    ['The remote server returned an error: (429) Too Many Requests.', 'throttled'],
    ['Access is denied.', 'access-denied'],
    ['The user name or password is incorrect.', 'logon-failure'],
    ['Connecting to remote server mail01 failed: WinRM cannot complete the operation.', 'network'],
    ['Keyset does not exist', 'certificate-private-key'],
    ['Certificate with thumbprint ABC was not found in CurrentUser\\My.', 'certificate-not-in-store'],
    ['The access token is expired', 'token-expired'],
    [
      'Windows PowerShell 5.1 on this runner has PowerShellGet 1.0.0.1; saving ExchangeOnlineManagement needs PowerShellGet 2.0.0 or later.',
      'powershellget-version',
    ],
  ])('%s -> %s', (message, id) => {
    expect(findHint(message)?.id).toBe(id);
  });

  test('the session limit names both limits: Exchange Online and the on-premises throttling policy', () => {
    const hint = findHint('exceeded the maximum number of connections allowed : 3')!.hint;
    expect(hint).toMatch(/three in Exchange Online/);
    expect(hint).toMatch(/PowerShellMaxConcurrency/);
  });

  test('access denied explains auth: integrated under a runner service as NETWORK SERVICE', () => {
    expect(findHint('Access is denied.')!.hint).toMatch(/NETWORK SERVICE.*computer account/);
  });

  test('an unknown error has no hint', () => expect(findHint('Something nobody has seen before')).toBeUndefined());

  test("a token request that got no answer gets the network hint; the script's own 'Could not reach' does not", () => {
    const unreached =
      'Could not reach login.microsoftonline.com: getaddrinfo ENOTFOUND login.microsoftonline.com (sent directly: https_proxy is not set)';
    expect(findHint(unreached, 'token')?.id).toBe('token-host-unreachable');
    expect(findHint('Could not reach smtp01: timeout', 'script')).toBeUndefined();
    expect(findHint('Could not reach smtp01: timeout')).toBeUndefined();
  });

  test.each([
    ['AADSTS50126: Error validating credentials due to invalid username or password.', 'logon-failure'],
    ['AADSTS7000222: The provided client secret keys for app are expired.', 'aadsts7000215'],
    [
      'AADSTS500011: The resource principal named https://outlook.office365.us was not found in the tenant named Contoso.',
      'aadsts500011',
    ],
    [
      'AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.',
      'mfa-required',
    ],
    ['AADSTS50079: The user is required to use multi-factor authentication.', 'mfa-required'],
    ['AADSTS53003: Access has been blocked by Conditional Access policies.', 'conditional-access'],
    ['AADSTS7000112: Application is disabled.', 'app-disabled'],
    ['AADSTS50053: The account is locked, you have tried to sign in too many times.', 'account-locked'],
    [
      'WinRM cannot process the request. The following error with errorcode 0x80090311 occurred while using Kerberos authentication.',
      'kerberos',
    ],
    [
      'The WinRM client cannot process the request. Default authentication may be used with an IP address under the following conditions: the transport is HTTPS or the destination is in the TrustedHosts list',
      'trusted-hosts',
    ],
    ['The SSL certificate is signed by an unknown certificate authority.', 'certificate-untrusted'],
  ])('%s gets the %s hint', (message, id) => {
    expect(findHint(message, 'connect')!.id).toBe(id);
  });

  test('a download error while loading the module gets the module-repository hint, not the server one', () => {
    expect(findHint('No such host is known. (www.powershellgallery.com:443)', 'module')!.id).toBe('module-source');
    expect(findHint('No such host is known. (mail01.contoso.com:443)', 'connect')!.id).toBe('network');
    expect(findHint('No such host is known.')!.id).toBe('network');
  });

  test('a feed that answered without the pinned version gets no network or proxy hint', () => {
    const message =
      'ExchangeOnlineManagement 3.8.1 is not in https://nexus.contoso.com/repository/psgallery/ (it has: 3.9.0).';
    expect(findHint(message, 'module')!.id).toBe('module-version-missing');
    expect(findHint(message, 'module')!.hint).not.toMatch(/reaches|proxy/);
    expect(
      findHint(
        'A release of ExchangeOnlineManagement is not in PSGallery (it has no version of ExchangeOnlineManagement).',
        'module',
      )!.id,
    ).toBe('module-version-missing');
  });

  test("PowerShell's abort, in the step's own words, and nothing else that names a code", () => {
    expect(findHint('PowerShell was ended by SIGABRT before the script finished.')?.id).toBe('powershell-aborted');
    expect(findHint('PowerShell exited with code 3221225725 before the script finished.')?.id).toBe(
      'powershell-aborted',
    );
    expect(findHint('The script exited with code 134.')).toBeUndefined();
    expect(findHint('PowerShell exited with code 134 before the script finished.')).toBeUndefined();
    expect(findHint('Get-Thing: the remote side was ended by SIGABRT')).toBeUndefined();
  });

  test('ids are unique and every hint says what to do', () => {
    expect(new Set(HINTS.map((h) => h.id)).size).toBe(HINTS.length);
    for (const h of HINTS) expect(h.hint.length).toBeGreaterThan(40);
  });
});

test('every symptom shown in the README is one its own pattern recognises', () => {
  for (const h of HINTS) expect([h.id, h.pattern.test(h.symptom)]).toEqual([h.id, true]);
});
