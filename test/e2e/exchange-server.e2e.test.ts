// target: exchange-server through dist/. The Windows-only path runs here with
// EXO_CONNECT_ACTION_TEST_PLATFORM=win32, and the sandbox module preloaded so that its
// New-PSSession & co. shadow the real cmdlets and keep a server-side session table on disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CHECKED_REMOVAL,
  findLeaks,
  Job,
  POWERSHELL_MISSING,
  ROOT,
  runMain,
  runPost,
  EXCHANGE_SERVER_ENV,
} from '../support/action.js';

const PASSWORD = 'Server pa$$word; `"$(whoami)';
/** How many cmdlets the sandbox server's session exports. */
const REMOTE_COMMANDS = 10;
const SERVER = 'http://mail01.contoso.com/PowerShell/';
const windowsPath = { ...EXCHANGE_SERVER_ENV };

let job: Job;
beforeEach(() => (job = new Job()));
afterEach(() => job.cleanup());

const serverSessions = (): Array<{ InstanceId: string; State: string; User: string }> => {
  const file = path.join(job.sandboxState, 'server-sessions.json');
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8').trim();
  return text === '' ? [] : [JSON.parse(text)].flat();
};

const inputs = (extra: Record<string, string> = {}) => ({
  target: 'exchange-server',
  auth: 'integrated',
  'connection-uri': SERVER,
  script: 'Get-Mailbox -ResultSize 2 | Select-Object DisplayName',
  ...extra,
});

// The end-to-end tests run on Linux and macOS (they signal process groups), never on Windows.
test('off Windows, with no override, the step refuses before PowerShell starts', async () => {
  const step = await runMain(job, { inputs: inputs() });
  expect(step.code).toBe(1);
  expect(step.errors[0]).toMatch(/^Input 'target': exchange-server needs WSMan remoting/);
  expect(job.pwshStarts()).toHaveLength(0);
});

test('the password reaches PowerShell only over stdin: never argv, environment, log or disk', async () => {
  const step = await runMain(job, {
    inputs: inputs({
      auth: 'credential',
      username: 'CONTOSO\\svc-exo',
      password: PASSWORD,
      authentication: 'Negotiate',
    }),
    env: windowsPath,
  });
  expect(job.pwshStarts()).toHaveLength(1);
  expect(step.warnings.join('\n')).toMatch(/EXO_CONNECT_ACTION_TEST_PLATFORM is set/);
  expect(findLeaks(job, [step], [PASSWORD])).toEqual([]);
  expect(JSON.stringify(job.calls())).not.toContain(PASSWORD);
});

describe('with real PowerShell and the sandbox server', () => {
  test('what-if with the sandbox stand-ins (local functions, which read the preference themselves; the forwarding to a real server is ServerSession.Tests.ps1): nothing is applied', async () => {
    const step = await runMain(job, {
      inputs: inputs({ 'what-if': 'true', script: 'Set-Mailbox -Identity adele -Department Sales' }),
      env: windowsPath,
    });
    expect(step.errors).toEqual([]);
    expect(step.code).toBe(0);
    expect(step.warnings.join('\n')).not.toMatch(/what-if/);
    expect(step.outputs.plan).toBe('What if: Performing the operation "Set-Mailbox" on target "adele".');
    expect(job.calls().filter((c) => c.command === 'Set-Mailbox')).toHaveLength(1);
    expect(job.calls().filter((c) => c.applied === true)).toEqual([]);
  });

  test('integrated Kerberos: session, import, script, removal; state keeps the InstanceId, never a credential', async () => {
    const step = await runMain(job, { inputs: inputs(), env: windowsPath });
    expect(step.errors).toEqual([]);
    expect(step.code).toBe(0);
    expect(JSON.parse(step.outputs.result!)).toEqual([{ DisplayName: 'Adele Vance' }, { DisplayName: 'Alex Wilber' }]);
    const calls = job.calls();
    expect(calls.map((c) => c.command).filter((c) => /PSSession/.test(c))).toEqual([
      'New-PSSessionOption',
      'New-PSSession',
      'Import-PSSession',
      ...CHECKED_REMOVAL,
      // Then the teardown looks for sessions the script opened and left.
      'Get-PSSession',
    ]);
    const created = calls.find((c) => c.command === 'New-PSSession')!;
    expect(created.parameters).toMatchObject({ ConfigurationName: 'Microsoft.Exchange', Authentication: 'Kerberos' });
    expect(created.parameters.Credential).toBeUndefined();
    expect(created.parameters.AllowRedirection).toBeUndefined();
    expect(calls.find((c) => c.command === 'Import-PSSession')!.parameters).toMatchObject({
      DisableNameChecking: true,
    });
    expect(job.state['server-session']).toMatch(/^[0-9a-f-]{36}$/);
    expect(job.state['server-uri']).toBe(SERVER);
    expect(job.state.clean).toBe('true');
    expect(serverSessions()).toEqual([]);
    // It says it connected, as an Exchange Online run does, with what an admin checks first.
    expect(step.log).toContain(
      `Connected to mail01.contoso.com (New-PSSession, Kerberos, session ${job.state['server-session']}); ${REMOTE_COMMANDS} cmdlets imported.`,
    );
    expect(step.outputs.organization).toBe('mail01.contoso.com');
    const post = await runPost(job, { env: windowsPath });
    expect(post.code).toBe(0);
    expect(job.pwshStarts()).toHaveLength(1);
  });

  test('the Settings group shows the server options and no cloud; skipped certificate checks are a warning before the connect and a summary row', async () => {
    const step = await runMain(job, {
      env: windowsPath,
      inputs: inputs({
        'connection-uri': 'https://mail01.contoso.com/PowerShell/',
        authentication: 'Negotiate',
        'proxy-access-type': 'IEConfig',
        'allow-redirection': 'true',
        prefix: 'OnPrem',
        'insecure-skip-certificate-check': 'true',
        script: '(Get-OnPremMailbox -ResultSize 1).DisplayName',
      }),
    });
    expect(step.code).toBe(0);
    const settingsGroup = step.log.slice(step.log.indexOf('::group::Settings'), step.log.indexOf('::endgroup::'));
    for (const line of [
      'authentication: Negotiate',
      'proxy-access-type: IEConfig',
      'allow-redirection: true',
      'prefix: OnPrem',
      'insecure-skip-certificate-check: true',
    ])
      expect(settingsGroup).toContain(`\n${line}\n`);
    expect(settingsGroup).not.toMatch(/^environment:/m);
    const warning =
      '::warning::insecure-skip-certificate-check is true: certificate checks of mail01.contoso.com are off (SkipCACheck, SkipCNCheck, SkipRevocationCheck), so the session accepts any certificate that answers for it: for lab servers only (Learn: "New-PSSessionOption").';
    expect(step.log).toContain(warning);
    expect(step.log.indexOf(warning)).toBeLessThan(step.log.indexOf('::group::Connect'));
    expect(step.log).toMatch(/Connected to mail01\.contoso\.com \(New-PSSession, Negotiate, session [0-9a-f-]{36}\)/);
    expect(step.summary).toContain(
      '<tr><td>Certificate checks</td><td>off (insecure-skip-certificate-check): SkipCACheck, SkipCNCheck, SkipRevocationCheck</td></tr>',
    );
    // The summary names the WinRM mechanism and the options that differ from the defaults, too.
    expect(step.summary).toMatch(/<tr><td>Authentication<\/td><td>[a-z-]+ \(Negotiate\)<\/td><\/tr>/);
    expect(step.summary).toContain('<tr><td>Proxy</td><td>IEConfig (proxy-access-type)</td></tr>');
    expect(step.summary).toContain('<tr><td>Redirection</td><td>allowed (allow-redirection)</td></tr>');
  });

  test('a server named without its domain under Kerberos is warned about before the connect: Kerberos needs the FQDN', async () => {
    const step = await runMain(job, {
      env: windowsPath,
      inputs: inputs({ 'connection-uri': 'http://mail01/PowerShell/' }),
    });
    const warning = step.warnings.find((w) => w.startsWith('connection-uri names the server as mail01'));
    expect(warning).toMatch(
      /a name without its domain, and authentication is Kerberos, which needs the server's fully qualified domain name.*Learn: "Connect to Exchange servers using remote PowerShell"/,
    );
    expect(step.log.indexOf('connection-uri names the server as mail01')).toBeLessThan(
      step.log.indexOf('::group::Connect'),
    );
  });

  test('credential with Basic over https, proxy options, redirection and skipped certificate checks', async () => {
    const step = await runMain(job, {
      env: windowsPath,
      inputs: inputs({
        'connection-uri': 'https://mail01.contoso.com/PowerShell/',
        auth: 'credential',
        username: 'CONTOSO\\svc-exo',
        password: PASSWORD,
        authentication: 'Basic',
        'proxy-access-type': 'IEConfig',
        'allow-redirection': 'true',
        'insecure-skip-certificate-check': 'true',
      }),
    });
    expect(step.code).toBe(0);
    const calls = job.calls();
    expect(calls.find((c) => c.command === 'New-PSSessionOption')!.parameters).toMatchObject({
      ProxyAccessType: 'IEConfig',
      SkipCACheck: true,
      SkipCNCheck: true,
      SkipRevocationCheck: true,
    });
    expect(calls.find((c) => c.command === 'New-PSSession')!.parameters).toMatchObject({
      Authentication: 'Basic',
      AllowRedirection: true,
      Credential: { userName: 'CONTOSO\\svc-exo' },
    });
    expect(findLeaks(job, [step], [PASSWORD])).toEqual([]);
    expect(serverSessions()).toEqual([]);
  });

  test('a prefix renames the imported cmdlets', async () => {
    const step = await runMain(job, {
      env: windowsPath,
      inputs: inputs({ prefix: 'OnPrem', script: '(Get-OnPremMailbox -ResultSize 1).DisplayName' }),
    });
    expect(step.code).toBe(0);
    expect(JSON.parse(step.outputs.result!)).toEqual(['Adele Vance']);
  });

  test('module inputs it never uses are warned about, not checked, not shown, and no module cache is restored or saved; command-names is used', async () => {
    const step = await runMain(job, {
      env: windowsPath,
      inputs: inputs({
        'module-version': 'latest',
        'module-repository': path.join(job.root, 'no-such-feed'),
        cache: 'true',
        'command-names': 'Get-Mailbox',
      }),
    });
    expect(step.errors).toEqual([]);
    expect(step.code).toBe(0);
    expect(step.warnings).toContain(
      "Inputs 'module-version', 'module-repository' are not used with exchange-server: its cmdlets come from the server's session (Import-PSSession), so no module is installed, loaded or cached.",
    );
    expect(step.warnings.join('\n')).not.toMatch(/command-names/);
    expect(job.calls().find((c) => c.command === 'Import-PSSession')!.parameters.CommandName).toEqual(['Get-Mailbox']);
    const settingsGroup = step.log.slice(step.log.indexOf('::group::Settings'), step.log.indexOf('::endgroup::'));
    expect(settingsGroup).toMatch(/^target: exchange-server$/m);
    expect(settingsGroup).not.toMatch(/module-version/);
    expect(step.log).not.toMatch(/Actions cache|cached module|Module restored/);
    expect(fs.existsSync(path.join(job.root, 'tool-cache'))).toBe(false);
    expect(step.summary).not.toMatch(/<td>Cloud<\/td>/);
    expect(step.summary).toMatch(/<td>Module<\/td><td>none: the cmdlets come from the server&#39;s session<\/td>/);
  });

  test('a failing script still removes the session', async () => {
    const step = await runMain(job, { env: windowsPath, inputs: inputs({ script: 'throw "on-prem report failed"' }) });
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(/on-prem report failed/);
    expect(
      job
        .calls()
        .slice(-3)
        .map((c) => c.command),
    ).toEqual([...CHECKED_REMOVAL, 'Get-PSSession']);
    expect(serverSessions()).toEqual([]);
  });

  test('a session the script opened itself and left is removed too, and the log says so', async () => {
    const step = await runMain(job, {
      env: windowsPath,
      inputs: inputs({
        script: `$second = New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri ${SERVER} -Authentication Kerberos\n'two sessions'`,
      }),
    });
    expect(step.errors).toEqual([]);
    expect(step.code).toBe(0);
    expect(step.log).toMatch(
      /^1 PSSession was still open after the action's own connection was closed, as a script's New-PSSession leaves them: mail01\.contoso\.com \(Microsoft\.Exchange\); removing it\.$/m,
    );
    expect(serverSessions()).toEqual([]);
    expect(job.state.clean).toBe('true');
  });

  test('main and PowerShell killed mid-script: post reconnects, finds the session by InstanceId and removes it', async () => {
    const main = await runMain(job, {
      env: windowsPath,
      inputs: inputs({ script: "'the script runs'; Start-Sleep -Seconds 60" }),
      killOnOutput: /^the script runs$/m,
      killOnceSaved: 'server-session',
      killPowerShellToo: true, // the crash takes PowerShell down too: nothing runs its finally
    });
    expect(main.signal).toBe('SIGKILL');
    expect(serverSessions()).toHaveLength(1);
    expect(serverSessions()[0]!.InstanceId).toBe(job.state['server-session']);
    const post = await runPost(job, { env: windowsPath });
    expect(post.code).toBe(0);
    expect(post.log).toMatch(/Removed 1 server-side session/);
    // Said once, by the runner, with the InstanceId.
    expect(post.log.match(/Removed \d+ server-side session/g)).toHaveLength(1);
    expect(serverSessions()).toEqual([]);
    expect(job.pwshStarts()).toHaveLength(2);
  });

  test('when post cannot reach the server either, it warns with the hint and does not fail', async () => {
    const main = await runMain(job, {
      env: windowsPath,
      inputs: inputs({ script: "'the script runs'; Start-Sleep -Seconds 60" }),
      killOnOutput: /^the script runs$/m,
      killOnceSaved: 'server-session',
      killPowerShellToo: true,
    });
    expect(main.signal).toBe('SIGKILL');
    const post = await runPost(job, { env: { ...windowsPath, EXO_SANDBOX_FAULTS: 'server-access-denied' } });
    expect(post.code).toBe(0);
    expect(post.warnings.join('\n')).toMatch(
      /could not be removed: .*Access is denied.*\nHint: .*RemotePowerShellEnabled/s,
    );
    expect(serverSessions()).toHaveLength(1); // it really is still there, and the warning says so
  });

  const credential = { auth: 'credential', username: 'svc', password: PASSWORD };
  test.each([
    // auth: integrated (inputs()) signs in as the runner's own account.
    [
      'server-logon',
      'integrated',
      {},
      /user name or password is incorrect.*\nHint: The server did not accept the runner's own account\. With auth: integrated/s,
    ],
    [
      'server-logon',
      'credential',
      credential,
      /user name or password is incorrect.*\nHint: The user name or password is wrong\. Check the username and password secrets/s,
    ],
    [
      'server-basic-disabled',
      'credential',
      { ...credential, 'connection-uri': 'https://mail01.contoso.com/PowerShell/', authentication: 'Basic' },
      /Basic authentication is currently disabled.*\nHint: .*winrm set winrm\/config\/client\/auth @\{Basic="true"\}/s,
    ],
    ['server-access-denied', 'integrated', {}, /Access is denied.*\nHint: .*RemotePowerShellEnabled/s],
    [
      'server-unreachable',
      'integrated',
      {},
      /WinRM cannot complete the operation.*\nHint: The server could not be reached/s,
    ],
  ] as Array<[string, string, Record<string, string>, RegExp]>)(
    '%s with auth %s ends with its hint',
    async (fault, _auth, extra, says) => {
      const step = await runMain(job, {
        env: { ...windowsPath, EXO_SANDBOX_FAULTS: fault },
        inputs: inputs({ 'connect-retries': '0', ...extra }),
      });
      expect(step.code).toBe(1);
      expect(step.errors.join('\n')).toMatch(says);
    },
  );

  test('the session limit is reported with its hint, which names the on-premises limit', async () => {
    const table = [1, 2, 3].map((n) => ({
      InstanceId: `00000000-0000-4000-8000-00000000000${n}`,
      ConnectionUri: SERVER,
      User: `integrated:${process.env.USER ?? 'root'}`,
      State: 'Opened',
      Pid: 1,
    }));
    fs.writeFileSync(path.join(job.sandboxState, 'server-sessions.json'), JSON.stringify(table));
    const step = await runMain(job, { env: windowsPath, inputs: inputs({ 'connect-retries': '0' }) });
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(
      /maximum number of connections allowed : 3.*\nHint: The account already holds as many remote PowerShell sessions as it may: .*PowerShellMaxConcurrency/s,
    );
  });
});

test('post whose PowerShell cannot start warns that the left server session stays, and does not fail', async () => {
  const workspace = path.join(job.runnerTemp, 'exo-connect-left');
  fs.mkdirSync(workspace, { recursive: true });
  job.state = {
    workspace,
    'server-session': '11111111-2222-4333-8444-555555555555',
    'server-uri': SERVER,
    // The PowerShell main ran, which post starts again: here the tests' shim, which then fails to start.
    'runner-shell': path.join(ROOT, 'test', 'support', 'bin', 'pwsh'),
  };
  // The post step receives the step's inputs too; the script file is gone by now, which must not matter.
  const post = await runPost(job, {
    env: {
      ...windowsPath,
      ...POWERSHELL_MISSING,
      INPUT_TARGET: 'exchange-server',
      INPUT_AUTH: 'integrated',
      'INPUT_CONNECTION-URI': SERVER,
      'INPUT_SCRIPT-FILE': 'deleted-by-a-later-step.ps1',
    },
  });
  expect(post.code).toBe(0);
  expect(post.warnings.join('\n')).toMatch(
    /server-side session 11111111-2222-4333-8444-555555555555 could not be removed: PowerShell exited with code 127 before it reported\. It holds one of the account's sessions \(its throttling policy's PowerShellMaxConcurrency\) until it expires\./,
  );
  expect(job.pwshStarts()).toHaveLength(1);
  expect(fs.existsSync(workspace)).toBe(false);
});

test('post does not start a "PowerShell" the state names in the job\'s own folders (a main that died after the script wrote it)', async () => {
  const workspace = path.join(job.runnerTemp, 'exo-connect-left');
  fs.mkdirSync(workspace, { recursive: true });
  const planted = path.join(job.workspace, 'pwsh');
  const loot = path.join(job.root, 'loot.txt');
  fs.writeFileSync(planted, `#!/bin/sh\ncat > '${loot}'\n`, { mode: 0o755 });
  job.state = {
    workspace,
    'server-session': '11111111-2222-4333-8444-555555555555',
    'server-uri': SERVER,
    'runner-shell': planted,
  };
  const post = await runPost(job, {
    env: {
      ...windowsPath,
      INPUT_TARGET: 'exchange-server',
      'INPUT_CONNECTION-URI': SERVER,
      INPUT_AUTH: 'credential',
      INPUT_USERNAME: 'CONTOSO\\svc-exo',
      INPUT_PASSWORD: PASSWORD,
    },
  });
  expect(post.code).toBe(0);
  expect(post.warnings.join('\n')).toMatch(/the recorded PowerShell '.*pwsh' is not one this action starts/);
  expect(fs.existsSync(loot)).toBe(false);
  expect(job.pwshStarts()).toHaveLength(0);
});
