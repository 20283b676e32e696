// The main and post steps end to end, through dist/, against the sandbox module.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CHECKED_DISCONNECT,
  findLeaks,
  Job,
  POWERSHELL_MISSING,
  ROOT,
  runMain,
  runPost,
  type StepResult,
} from '../support/action.js';
import { validInputs } from '../support/invalid-inputs.js';
import { makePfx } from '../support/pfx.js';
import { isAlive } from '../support/processes.js';

const pfx = makePfx();
const RUNTIME_TOKEN = 'runtime-token-that-scripts-must-not-see';
const REQUEST_TOKEN = 'oidc-request-token-that-scripts-must-not-see';
const SECRETS = [pfx.base64, pfx.password, RUNTIME_TOKEN, REQUEST_TOKEN];

let job: Job;
beforeEach(() => (job = new Job()));
afterEach(() => job.cleanup());

const runnerEnv = { ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN };

function expectNoLeaks(steps: StepResult[]): void {
  expect(findLeaks(job, steps, SECRETS)).toEqual([]);
  expect(job.leftoverFiles().filter((f) => !f.startsWith(job.workspace))).toEqual([]);
}

describe('what PowerShell is given', () => {
  test('one start, a static argv without secrets, and an environment without inputs or runner tokens', async () => {
    const main = await runMain(job, { inputs: validInputs(), env: runnerEnv });
    const starts = job.pwshStarts();
    expect(starts).toHaveLength(1);
    expect(starts[0]!.argv).toEqual([
      '-NoLogo',
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-File',
      path.join(ROOT, 'dist', 'ps', 'runner.ps1'),
    ]);
    expect(main.log).toMatch(/^::group::Settings\n(.*\n)*settings took \d+ ms\n::endgroup::/);
    // The certificate as the app registration lists it, so a person can match the two.
    const { thumbprint } = pfx;
    expect(main.log).toMatch(
      new RegExp(
        `^certificate: thumbprint ${thumbprint}, CN=[^,]+, valid until \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`,
        'm',
      ),
    );
    expect(main.summary).toMatch(new RegExp(`<td>Certificate</td><td>thumbprint ${thumbprint}, valid until `));
    const names = Object.keys(starts[0]!.env);
    expect(names.filter((n) => /^(INPUT_|STATE_)/i.test(n))).toEqual([]);
    expect(names).not.toContain('ACTIONS_RUNTIME_TOKEN');
    expect(names).not.toContain('ACTIONS_ID_TOKEN_REQUEST_TOKEN');
    // The module's tmpEXO_* folders go to this run's private directory.
    expect(starts[0]!.env.TMPDIR).toMatch(new RegExp(`^${job.runnerTemp}/exo-connect-[^/]+/tmp$`));
    expectNoLeaks([main]);
    expect(main.code).toBe(0);
    expect(job.state.clean).toBe('true');
    const post = await runPost(job);
    expect(post.code).toBe(0);
    expect(job.pwshStarts()).toHaveLength(1);
  });

  test('no PowerShell on PATH: the step fails before starting one, naming the shell input, with a hint', async () => {
    const main = await runMain(job, { inputs: validInputs(), env: { PATH: path.join(job.root, 'no-such-folder') } });
    expect(main.code).toBe(1);
    expect(main.errors.join('\n')).toMatch(
      /The PowerShell that input 'shell' names, 'pwsh', was not found on PATH\.\nHint: GitHub-hosted runners include PowerShell 7/,
    );
    expect(main.outputs['exit-code']).toBe('1');
    expect(job.pwshStarts()).toHaveLength(0);
    expect(main.summary).toMatch(/was not found on PATH/);
  });

  test('a PowerShell that cannot start fails the step with its exit code, and post has nothing to clean', async () => {
    const main = await runMain(job, { inputs: validInputs(), env: POWERSHELL_MISSING });
    expect(main.code).toBe(1);
    expect(main.errors).toEqual([
      'PowerShell (contoso.onmicrosoft.com) exited with code 127 before the script finished.',
    ]);
    expect(main.outputs['exit-code']).toBe('127');
    expect(job.pwshStarts()).toHaveLength(1);
    expect(job.state.clean).toBe('true');
    expectNoLeaks([main]);
    const post = await runPost(job);
    expect(post.code).toBe(0);
    expect(post.log).toMatch(/nothing to clean up/);
    expect(job.pwshStarts()).toHaveLength(1);
  });

  test("a job's DOTNET_STARTUP_HOOKS naming a library .NET cannot load: PowerShell aborts before the runner starts, and the hint names the variable", async () => {
    const missing = path.join(job.root, 'no-such-hook.dll');
    const main = await runMain(job, { inputs: validInputs(), env: { DOTNET_STARTUP_HOOKS: missing } });
    expect(main.code).not.toBe(0);
    // .NET's own message, then the step's, then the hint that reads it.
    expect(main.log).toMatch(/Startup hook assembly '[^']*no-such-hook\.dll' failed to load/);
    expect(main.errors[0]).toMatch(/^PowerShell \(contoso\.onmicrosoft\.com\) was ended by SIGABRT /);
    expect(main.errors[0]).toMatch(
      /Startup hook assembly \.\.\. failed to load": DOTNET_STARTUP_HOOKS, set by the job or the runner/,
    );
    expectNoLeaks([main]);
    // Main never heard from its runner: post checks, and finds nothing left.
    const post = await runPost(job);
    expect(post.code).toBe(0);
    expect(post.log).toMatch(/there is no process to end/);
    expect(job.leftoverFiles()).toEqual([]);
  });

  test("a PowerShell that hangs before the runner's first event is killed at the start limit: the step fails with the hint, and post finds nothing left", async () => {
    // The sandbox module, preloaded as the runner starts (before its first event), never finishes its import.
    const env = {
      EXO_CONNECT_ACTION_TEST_PRELOAD: path.join(
        ROOT,
        'sandbox',
        'modules',
        'ExchangeOnlineManagement',
        'ExchangeOnlineManagement.psd1',
      ),
      EXO_SANDBOX_FAULTS: 'import-hang',
      EXO_CONNECT_ACTION_TEST_START_LIMIT_MS: '4000',
    };
    const main = await runMain(job, { inputs: validInputs(), env });
    expect(main.code).toBe(1);
    expect(main.ms).toBeLessThan(60_000);
    expect(main.errors[0]).toMatch(
      /^PowerShell \(contoso\.onmicrosoft\.com\) had not begun the run 4 s after it was given its configuration, so it was killed; nothing had connected\.\s.*StartupProfileData-NonInteractive/s,
    );
    expect(main.outputs['exit-code']).toBe('1');
    expect(job.calls()).toEqual([]);
    expect(job.pwshStarts()).toHaveLength(1);
    expect(isAlive(job.pwshStarts()[0]!.pid)).toBe(false);
    expectNoLeaks([main]);
    const post = await runPost(job);
    expect(post.code).toBe(0);
    expect(post.errors).toEqual([]);
    expect(job.leftoverFiles()).toEqual([]);
  }, 60_000);
});

describe('the job summary', () => {
  test('a failed run: facts, outcome and the error', async () => {
    // Fails before the module loads: no module is installed on this PSModulePath.
    const empty = path.join(job.root, 'no-modules');
    fs.mkdirSync(empty);
    const main = await runMain(job, {
      inputs: { ...validInputs(), 'what-if': 'true', 'module-version': 'installed' },
      env: { PSModulePath: empty },
    });
    expect(main.code).toBe(1);
    // The heading names the tenant: two steps in one job, or a matrix by index, are told apart by it.
    expect(main.summary).toContain('<h3>Exchange PowerShell (contoso.onmicrosoft.com): failed</h3>');
    // The script never ran: there is nothing to say about what it changed, and no count to give.
    expect(main.summary).not.toContain('What-if run');
    expect(main.outputs).toMatchObject({ result: '[]', 'result-count': '', plan: '', organization: '' });
    for (const [fact, value] of [
      ['Target', 'exchange-online'],
      ['Cloud', 'O365Default'],
      ['Organization', 'contoso.onmicrosoft.com'],
      ['Authentication', 'certificate'],
      ['Module', 'not loaded'],
    ]) {
      expect(main.summary).toMatch(new RegExp(`<td>${fact}</td><td>${value}</td>`));
    }
    expect(main.summary).toMatch(/<td>Outcome<\/td><td>failure \(exit code 1\)<\/td>/);
    expect(main.summary).toMatch(/<strong>Error:<\/strong> .*ExchangeOnlineManagement/);
  });

  test('summary: false writes none', async () => {
    const main = await runMain(job, { inputs: { ...validInputs(), summary: 'false' } });
    expect(main.summary).toBe('');
  });
});

describe('with real PowerShell and the sandbox module', () => {
  test('a mailbox report: outputs, summary, one process, disconnect, post starts nothing', async () => {
    const main = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: 'Get-EXOMailbox -ResultSize 5 | Select-Object DisplayName, PrimarySmtpAddress',
      },
      env: runnerEnv,
    });
    expect(main.errors).toEqual([]);
    expect(main.code).toBe(0);
    expect(main.outputs['exit-code']).toBe('0');
    expect(main.outputs.organization).toBe('contoso.onmicrosoft.com');
    const result = JSON.parse(main.outputs.result!) as Array<{ DisplayName: string }>;
    expect(result.map((r) => r.DisplayName)).toEqual([
      'Adele Vance',
      'Alex Wilber',
      'Diego Siciliani',
      'Grady Archie',
      'Megan Bowen',
    ]);
    expect(main.log).toMatch(/Adele Vance/); // streamed to the log as well
    // One collapsible group per phase, each ending with its duration.
    expect(main.log).toMatch(/::group::Settings\n(.*\n)*settings took \d+ ms\n::endgroup::/);
    expect(main.log).toMatch(/::group::Module\n(.*\n)*module took \d+ ms\n::endgroup::/);
    expect(main.log).toContain(
      '::group::Connect: exchange-online, O365Default, contoso.onmicrosoft.com, auth certificate, ExchangeOnlineManagement 3.9.0',
    );
    expect(main.log).toMatch(/::group::Script\n(.*\n)*script took \d+ ms\n::endgroup::/);
    expect(main.log).toMatch(/::group::Teardown\n(.*\n)*teardown took \d+ ms\n::endgroup::/);
    expect(main.summary).toMatch(/Time: connect/);
    expect(main.summary).toMatch(/Returned objects/);
    expect(main.summary).toMatch(/Adele Vance/);

    const calls = job.calls();
    const connect = calls.find((c) => c.command === 'Connect-ExchangeOnline')!;
    expect(connect.parameters).toMatchObject({
      AppId: validInputs()['client-id'],
      Organization: 'contoso.onmicrosoft.com',
      ExchangeEnvironmentName: 'O365Default',
      ShowBanner: false,
      Certificate: { thumbprint: pfx.thumbprint, hasPrivateKey: true },
    });
    expect(calls.slice(-2).map((c) => c.command)).toEqual(CHECKED_DISCONNECT);
    expect(new Set(calls.map((c) => (c as unknown as { pid: number }).pid)).size).toBe(1);
    expect(job.state.clean).toBe('true');

    const post = await runPost(job);
    expect(post.code).toBe(0);
    expect(job.pwshStarts()).toHaveLength(1);
    expectNoLeaks([main, post]);
  });

  test('a script that throws fails the step, and the disconnect still happens', async () => {
    const main = await runMain(job, {
      inputs: { ...validInputs(), script: 'Get-EXOMailbox -ResultSize 1 | Out-Null\nthrow "mailbox report broke"' },
    });
    expect(main.code).toBe(1);
    expect(main.errors.join('\n')).toMatch(/The script \(contoso\.onmicrosoft\.com\) failed: mailbox report broke/);
    expect(main.outputs['exit-code']).toBe('1');
    expect(
      job
        .calls()
        .slice(-2)
        .map((c) => c.command),
    ).toEqual(CHECKED_DISCONNECT);
    expectNoLeaks([main]);
  });

  test('exit 3 gives exit-code 3, fails the step and still disconnects', async () => {
    const main = await runMain(job, { inputs: { ...validInputs(), script: 'Write-Output "before exit"\nexit 3' } });
    expect(main.code).toBe(1);
    expect(main.outputs['exit-code']).toBe('3');
    expect(JSON.parse(main.outputs.result!)).toEqual(['before exit']);
    expect(main.errors).toEqual([
      "The script (contoso.onmicrosoft.com) ended with exit 3, so the step fails with exit code 3, as under GitHub's shell: pwsh.\nHint: The script chose this exit code itself. If the run did not fail, end the script with exit 0 or without exit; to fail with a message, throw one, which the step shows and annotates at its line.",
    ]);
    expect(
      job
        .calls()
        .slice(-2)
        .map((c) => c.command),
    ).toEqual(CHECKED_DISCONNECT);
  });

  test('a native command that failed last fails the step as under shell: pwsh, and the message names the native command, not exit', async () => {
    // GitHub's shell: pwsh ends with `exit $LASTEXITCODE`; the script below never calls exit.
    const failing = `sh -c 'exit 7'\n'ran on, LASTEXITCODE=' + $LASTEXITCODE`;
    const main = await runMain(job, { inputs: { ...validInputs(), script: failing } });
    expect(main.code).toBe(1);
    expect(main.outputs['exit-code']).toBe('7');
    expect(JSON.parse(main.outputs.result!)).toEqual(['ran on, LASTEXITCODE=7']);
    expect(main.errors).toEqual([
      "The script (contoso.onmicrosoft.com) ended with exit code 7: the last native command it ran, or a script it called that ended with exit 7, left $LASTEXITCODE at 7 ($LASTEXITCODE at the script's end is the step's exit code, as under GitHub's shell: pwsh).\nHint: When a native command's failure is expected (git diff --exit-code, ping), set $global:LASTEXITCODE = 0 after it (the script runs in a scope of its own, so a plain $LASTEXITCODE = 0 sets only a script variable), or end the script with exit 0. A script called with & or . that ends with exit N sets $LASTEXITCODE to N as well.",
    ]);
    // The way out the hint gives: the same script with $LASTEXITCODE reset succeeds.
    const reset = await runMain(job, { inputs: { ...validInputs(), script: `${failing}\n$global:LASTEXITCODE = 0` } });
    expect(reset.code).toBe(0);
    expect(reset.outputs['exit-code']).toBe('0');
  });

  test('a failed connect fails with the hint, and nothing is left', async () => {
    const main = await runMain(job, { inputs: validInputs(), env: { EXO_SANDBOX_FAULTS: 'connect-auth' } });
    expect(main.code).toBe(1);
    expect(main.errors.join('\n')).toMatch(
      /^Connecting to exchange-online \(contoso\.onmicrosoft\.com\) failed: AADSTS700027.*\nHint: .*upload the certificate/s,
    );
    expect(main.outputs['exit-code']).toBe('1');
    // Nothing was connected: no organization, though the input names one. The script never
    // started: result-count is empty (not applicable), not 0, and result still a JSON array.
    expect(main.outputs.organization).toBe('');
    expect(main.outputs).toMatchObject({ result: '[]', 'result-count': '' });
    expect(job.commands()).toEqual(['Connect-ExchangeOnline']);
    expect(job.state.clean).toBe('true');
    expectNoLeaks([main]);
  });

  test('throttling is retried with backoff, each retry logged with its cause and delay', async () => {
    const main = await runMain(job, {
      inputs: { ...validInputs(), 'connect-retries': '2', script: '"in"' },
      env: { EXO_SANDBOX_FAULTS: 'connect-throttle:2' },
    });
    expect(main.code).toBe(0);
    expect(job.calls().filter((c) => c.command === 'Connect-ExchangeOnline')).toHaveLength(3);
    const retries =
      main.log.match(
        /Connect-ExchangeOnline failed with a transient error; retry \d of 2 in \d+ ms: .*\(429\) Too Many Requests/g,
      ) ?? [];
    expect(retries).toHaveLength(2);
  });

  test('an authentication failure is never retried', async () => {
    const main = await runMain(job, {
      inputs: { ...validInputs(), 'connect-retries': '5' },
      env: { EXO_SANDBOX_FAULTS: 'connect-auth' },
    });
    expect(main.code).toBe(1);
    expect(job.calls().filter((c) => c.command === 'Connect-ExchangeOnline')).toHaveLength(1);
    expect(main.log).not.toMatch(/retry 1 of 5/);
  });

  test('what-if: nothing changes, and the log and summary say so', async () => {
    const main = await runMain(job, {
      inputs: { ...validInputs(), 'what-if': 'true', script: 'Set-Mailbox -Identity adele -DisplayName "Adele V."' },
    });
    expect(main.code).toBe(0);
    const set = job.calls().find((c) => c.command === 'Set-Mailbox')!;
    expect(set.applied).toBe(false);
    // Teardown is never a what-if: the disconnect really happens.
    expect(
      job
        .calls()
        .slice(-2)
        .map((c) => c.command),
    ).toEqual(CHECKED_DISCONNECT);
    const disconnect = job.calls().at(-2)!;
    expect(disconnect.parameters.WhatIf).toBe(false);
    expect(main.log).toMatch(/What if: /);
    expect(main.log).toMatch(/What-if run/);
    expect(main.log).toContain('::group::Script (what-if)');
    expect(main.summary).toMatch(
      /What-if run:<\/strong> cmdlets that support -WhatIf described their changes instead of making them\. Whatever else the script ran/,
    );
  });

  test('hostile parameter values arrive byte for byte and never run', async () => {
    const canary = path.join(job.root, 'canary');
    const values = [
      `'; New-Item -ItemType File -Path '${canary}'; '`,
      `$(New-Item -ItemType File -Path '${canary}')`,
      '"; exit 7; "',
      '`$env:PATH`n`0',
      '${env:HOME} @(1,2) $null',
      'line one\nline two\r\nline three',
      'ünïcödé — 日本語 🚀',
      '\u0001\u0007\u001b[31mred',
      'x'.repeat(20000),
    ];
    const main = await runMain(job, {
      inputs: {
        ...validInputs(),
        parameters: JSON.stringify({ Values: values }),
        script:
          'param([string[]] $Values)\n$Values | ForEach-Object { [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($_)) }',
      },
    });
    expect(main.code).toBe(0);
    const received = (JSON.parse(main.outputs.result!) as string[]).map((b) =>
      Buffer.from(b, 'base64').toString('utf8'),
    );
    expect(received).toEqual(values);
    expect(fs.existsSync(canary)).toBe(false);
  });

  test('the user script sees no secret in its argv, environment or variables', async () => {
    const main = await runMain(job, {
      env: runnerEnv,
      inputs: {
        ...validInputs(),
        script: [
          '[pscustomobject]@{',
          '  Argv = [Environment]::GetCommandLineArgs() -join " "',
          '  Env  = (Get-ChildItem env: | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join "`n"',
          '  Vars = (Get-Variable | ForEach-Object { "$($_.Name)=$($_.Value | Out-String)" }) -join "`n"',
          '}',
        ].join('\n'),
      },
    });
    expect(main.code).toBe(0);
    const [seen] = JSON.parse(main.outputs.result!) as Array<{ Argv: string; Env: string; Vars: string }>;
    for (const secret of SECRETS) {
      expect(seen!.Argv).not.toContain(secret);
      expect(seen!.Env).not.toContain(secret);
      expect(seen!.Vars).not.toContain(secret);
    }
    expect(seen!.Env).not.toMatch(/^INPUT_/m);
    expectNoLeaks([main]);
  });

  test('a script-file with parameters bound by name; its errors are annotated at file and line', async () => {
    fs.mkdirSync(path.join(job.workspace, 'scripts'));
    fs.writeFileSync(
      path.join(job.workspace, 'scripts', 'report.ps1'),
      'param([int] $Days, [string] $Identity)\n"days=$Days"\nGet-EXOMailbox -Identity $Identity\n',
    );
    const ok = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: '',
        'script-file': 'scripts/report.ps1',
        parameters: '{"Days": 30, "Identity": "alex"}',
      },
    });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.outputs.result!)[0]).toBe('days=30');

    const bad = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: '',
        'script-file': 'scripts/report.ps1',
        parameters: '{"Identity": "nobody"}',
      },
    });
    expect(bad.code).toBe(1);
    expect(bad.raw).toMatch(
      /::error title=Script error \(contoso\.onmicrosoft\.com\),file=scripts\/report\.ps1,line=3::.*couldn't be found/,
    );
  });

  test("a Thai locale, where .NET's culture-aware search skips punctuation: cmdlet names, the annotation's line and the .csv are read as anywhere", async () => {
    fs.writeFileSync(
      path.join(job.workspace, 'report.ps1'),
      'Get-Mailbox -ResultSize 2 | Select-Object DisplayName\nGet-EXOMailbox -Identity nobody\n',
    );
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: '',
        'script-file': 'report.ps1',
        'command-names': 'auto',
        'result-file': 'mailboxes.csv',
      },
      env: { LANG: 'th_TH.UTF-8', LC_ALL: 'th_TH.UTF-8' },
    });
    // The script's own error at line 2, and nothing else.
    expect(step.code).toBe(1);
    expect(step.errors.at(-1)).toMatch(
      /^The script \(contoso\.onmicrosoft\.com\) failed: .*'nobody' couldn't be found/,
    );
    expect(step.log).toMatch(/Get-Mailbox/);
    expect(job.calls().find((c) => c.command === 'Connect-ExchangeOnline')!.parameters.CommandName).toEqual([
      'Get-Mailbox',
    ]);
    expect(step.raw).toMatch(/::error title=Script error \(contoso\.onmicrosoft\.com\),file=report\.ps1,line=2::/);
    expect(fs.readFileSync(path.join(job.workspace, 'mailboxes.csv'), 'utf8')).toBe(
      'DisplayName\r\nAdele Vance\r\nAlex Wilber\r\n',
    );
  });

  test('an error raised in another script of the workspace is annotated at that script, one from a module at the calling line', async () => {
    fs.mkdirSync(path.join(job.workspace, 'lib'));
    fs.writeFileSync(path.join(job.workspace, 'lib', 'child.ps1'), '"child"\n\nthrow "child failed"\n');
    fs.writeFileSync(path.join(job.workspace, 'main.ps1'), '"main"\n& "$PSScriptRoot/lib/child.ps1"\n');
    const child = await runMain(job, { inputs: { ...validInputs(), script: '', 'script-file': 'main.ps1' } });
    expect(child.code).toBe(1);
    expect(child.raw).toMatch(
      /::error title=Script error \(contoso\.onmicrosoft\.com\),file=lib\/child\.ps1,line=3::child failed/,
    );
    expect(child.raw).not.toMatch(/::error [^:]*file=main\.ps1/);

    fs.writeFileSync(path.join(job.workspace, 'main.ps1'), '"main"\nGet-EXOMailbox -Identity nobody\n');
    const module = await runMain(job, { inputs: { ...validInputs(), script: '', 'script-file': 'main.ps1' } });
    expect(module.raw).toMatch(
      /::error title=Script error \(contoso\.onmicrosoft\.com\),file=main\.ps1,line=2::.*couldn't be found/,
    );
  });

  test("security-compliance in GCC High: Connect-IPPSSession with the cloud's endpoints, then Disconnect-ExchangeOnline", async () => {
    const main = await runMain(job, {
      inputs: {
        ...validInputs(),
        target: 'security-compliance',
        environment: 'O365USGovGCCHigh',
        script: '"connected"',
      },
    });
    expect(main.code).toBe(0);
    const calls = job.calls();
    expect(calls.find((c) => c.command === 'Connect-IPPSSession')!.parameters).toMatchObject({
      ConnectionUri: 'https://ps.compliance.protection.office365.us/powershell-liveid/',
      AzureADAuthorizationEndpointUri: 'https://login.microsoftonline.us/organizations',
      AppId: validInputs()['client-id'],
      Organization: 'contoso.onmicrosoft.com',
    });
    expect(calls.slice(-2).map((c) => c.command)).toEqual(CHECKED_DISCONNECT);
    expect(main.warnings.join('\n')).toMatch(
      process.platform === 'win32' ? /^$/ : /Connect-IPPSSession as unavailable/,
    );
  });

  test("security-compliance with delegated-organization signs in at the customer's tenant, named by domain or tenant ID", async () => {
    for (const [customer, expected] of [
      ['Fabrikam.onmicrosoft.com', 'fabrikam.onmicrosoft.com'],
      ['{0A1B2C3D-1111-4222-8333-444455556666}', '0a1b2c3d-1111-4222-8333-444455556666'],
    ]) {
      const main = await runMain(job, {
        inputs: {
          ...validInputs(),
          target: 'security-compliance',
          'delegated-organization': customer!,
          script: '"connected"',
        },
      });
      expect(main.code).toBe(0);
      expect(
        job
          .calls()
          .filter((c) => c.command === 'Connect-IPPSSession')
          .pop()!.parameters,
      ).toMatchObject({
        DelegatedOrganization: expected,
        AzureADAuthorizationEndpointUri: `https://login.microsoftonline.com/${expected}`,
      });
    }
  });

  test('an error record the script caught and returns (catch { $_ }) is neither an error nor data, as pwsh -File exits 0 after it; one written to the error stream is an error', async () => {
    const script = [
      "foreach ($id in 'adele', 'nobody') { try { Get-EXOMailbox -Identity $id -ErrorAction Stop | Select-Object DisplayName } catch { $_ } }",
      "'done'",
    ].join('\n');
    const step = await runMain(job, { inputs: { ...validInputs(), script } });
    expect(step.code).toBe(0);
    expect(step.errors).toEqual([]);
    expect(step.outputs['result-count']).toBe('2');
    expect(JSON.parse(step.outputs.result!)).toEqual([{ DisplayName: 'Adele Vance' }, 'done']);
    expect(step.log.split('\n').filter((line) => line.includes("object 'nobody' couldn't be found"))).toHaveLength(1);
    expect(step.warnings).toEqual([
      expect.stringMatching(
        /^The script returned 1 error record as output \(as catch \{ \$_ \} does\): the log shows it on one line\. It is not in result, and fail-on-error counts only/,
      ),
    ]);
    // Written to the error stream, the same record is an error.
    const written = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: "try { Get-EXOMailbox -Identity nobody -ErrorAction Stop } catch { Write-Error $_ }\n'done'",
        'error-action-preference': 'Continue',
      },
    });
    expect(written.code).toBe(1);
    expect(written.errors.join('\n')).toMatch(/wrote 1 error record and fail-on-error is true/);
    expect(written.warnings.join('\n')).not.toMatch(/returned .* error record/);
  });

  test('error records under Continue fail only with fail-on-error', async () => {
    const script = 'Write-Error "first"\nWrite-Error "second"\n"done"';
    const strict = await runMain(job, { inputs: { ...validInputs(), 'error-action-preference': 'Continue', script } });
    expect(strict.code).toBe(1);
    expect(strict.errors.join('\n')).toMatch(/wrote 2 error records/);
    expect(JSON.parse(strict.outputs.result!)).toEqual(['done']);
    const lenient = await runMain(job, {
      inputs: { ...validInputs(), 'error-action-preference': 'Continue', 'fail-on-error': 'false', script },
    });
    expect(lenient.code).toBe(0);
    // A step that passes shows its errors as warnings, still at their line.
    expect(lenient.errors).toEqual([]);
    expect(lenient.log).toContain('::warning title=Inline script%2C line 1 (contoso.onmicrosoft.com)::first');
    expect(lenient.log).toContain('::warning title=Inline script%2C line 2 (contoso.onmicrosoft.com)::second');
  });
});
