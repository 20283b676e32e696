import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  cell,
  escapeHtml,
  planOutput,
  fitResult,
  formatDuration,
  judge,
  logSettings,
  noDisconnectWarning,
  objectTable,
  reportRefused,
  reportRun,
} from '../../src/report.js';
import { hintById } from '../../src/hints.js';
import { maskSecret } from '../../src/secrets.js';
import { actionYml, parseFileCommand } from '../support/action.js';
import { captureStdout, captureStdoutAsync } from '../support/stdout.js';
import { noSession, type SessionOutcome } from '../../src/outcome.js';
import { readSettings, type Settings } from '../../src/inputs.js';

const settings = {
  target: 'exchange-online',
  targets: ['exchange-online'],
  auth: 'certificate',
  failOnError: true,
  scriptTimeoutMs: 90_000,
} as Settings;
const script = (over: Partial<NonNullable<SessionOutcome['script']>> = {}) =>
  ({ event: 'script', exitCode: 0, errors: 0, terminated: false, objects: 0, truncated: false, ...over }) as const;
const outcome = (over: Partial<SessionOutcome> = {}): SessionOutcome => ({
  processExitCode: 0,
  signal: null,
  stopReason: null,
  phases: {},
  failedPhase: null,
  module: null,
  organization: 'contoso.onmicrosoft.com',
  connected: true,
  connections: [],
  connecting: false,
  disconnected: true,
  serverSessionClosed: null,
  connectAttempted: true,
  teardown: 'ended',
  errors: [],
  script: script(),
  resultJson: '[]',
  plan: null,
  resultFile: null,
  ...over,
});

describe('verdict', () => {
  /** An Exchange Server run: its failures name the server's host. */
  const server = {
    ...settings,
    target: 'exchange-server',
    targets: ['exchange-server'],
    organization: null,
    connectionUri: 'http://mail01.contoso.com/PowerShell/',
  } as Settings;
  test('success', () =>
    expect(judge(settings, outcome())).toEqual({ ok: true, exitCode: 0, message: null, hint: null }));
  test('a PowerShell ended by a signal is a failure, whatever its events claim (a script can sign them)', () =>
    expect(judge(settings, outcome({ processExitCode: null, signal: 'SIGKILL' }))).toMatchObject({
      ok: false,
      exitCode: 1,
      message: 'PowerShell was ended by SIGKILL after the script; the post step makes sure nothing is left.',
      hint: expect.stringMatching(/Stop-Process -Id \$PID ends PowerShell itself/),
    }));
  test('exit 3 keeps its code', () =>
    expect(judge(settings, outcome({ script: script({ exitCode: 3 }) }))).toMatchObject({ ok: false, exitCode: 3 }));
  test("the script's own exit N is named as such, with no advice about native commands", () =>
    expect(judge(settings, outcome({ script: script({ exitCode: 3, exited: true }) }))).toEqual({
      ok: false,
      exitCode: 3,
      message: "The script ended with exit 3, so the step fails with exit code 3, as under GitHub's shell: pwsh.",
      hint: 'The script chose this exit code itself. If the run did not fail, end the script with exit 0 or without exit; to fail with a message, throw one, which the step shows and annotates at its line.',
    }));
  test('a non-zero exit code without an exit of the script names the last native command, and how to avoid it', () =>
    expect(judge(settings, outcome({ script: script({ exitCode: 1 }) }))).toEqual({
      ok: false,
      exitCode: 1,
      message:
        "The script ended with exit code 1: the last native command it ran, or a script it called that ended with exit 1, left $LASTEXITCODE at 1 ($LASTEXITCODE at the script's end is the step's exit code, as under GitHub's shell: pwsh).",
      hint: "When a native command's failure is expected (git diff --exit-code, ping), set $global:LASTEXITCODE = 0 after it (the script runs in a scope of its own, so a plain $LASTEXITCODE = 0 sets only a script variable), or end the script with exit 0. A script called with & or . that ends with exit N sets $LASTEXITCODE to N as well.",
    }));
  test('a terminating error fails with its message', () => {
    const v = judge(
      settings,
      outcome({
        script: script({ terminated: true, exitCode: 1 }),
        errors: [{ phase: 'script', message: 'boom', terminating: true }],
      }),
    );
    expect(v).toMatchObject({ ok: false, exitCode: 1, message: 'The script failed: boom' });
  });

  test('an exit N outside 0-255 fails the step, and the message does not claim the exit code a shell: pwsh step would end with', () => {
    for (const [code, low] of [
      [256, 0],
      [-1, 255],
      [300, 44],
    ])
      expect(judge(settings, outcome({ script: script({ exitCode: code, exited: true }) }))).toMatchObject({
        ok: false,
        exitCode: code,
        message: `The script ended with exit ${code}, so the step fails (exit-code ${code}). A process exit code outside 0-255 is cut to its low 8 bits on Linux and macOS, where a shell: pwsh step would end with ${low} instead; exit with a code from 1 to 255.`,
      });
  });
  test('error records fail only with fail-on-error', () => {
    const o = outcome({ script: script({ errors: 2 }) });
    expect(judge(settings, o).ok).toBe(false);
    expect(judge({ ...settings, failOnError: false }, o).ok).toBe(true);
  });
  test('a cmdlet "not recognized" that the session has gets the hint about other runspaces; one it lacks, the usual', () => {
    const failed = (commandInSession?: boolean) =>
      judge(
        settings,
        outcome({
          script: script({ terminated: true, exitCode: 1 }),
          errors: [
            {
              phase: 'script',
              message: "The term 'Get-Mailbox' is not recognized as a name of a cmdlet",
              terminating: true,
              ...(commandInSession === undefined ? {} : { commandInSession }),
            },
          ],
        }),
      ).hint;
    expect(failed(true)).toMatch(
      /^The script's session has this command \(the connection's cmdlets among them\), but the call ran elsewhere: ForEach-Object -Parallel/,
    );
    expect(failed(false)).toMatch(
      /^The cmdlet is not in this session\. Check its spelling.* Only Exchange Online is connected/,
    );
    expect(failed()).toBe(failed(false));
  });
  test('a connect failure carries its hint', () => {
    const v = judge(
      { ...settings, auth: 'client-secret' },
      outcome({
        failedPhase: 'connect',
        script: null,
        connected: false,
        errors: [{ phase: 'connect', message: 'AADSTS7000215: Invalid client secret' }],
      }),
    );
    expect(v.message).toBe('Connecting to exchange-online failed: AADSTS7000215: Invalid client secret');
    expect(v.hint).toMatch(/client secret is wrong/);
  });
  test("a script's error gets the hint for the script phase of its target and auth, not the connect's", () => {
    const failed = (message: string, over: Partial<Settings> = {}) =>
      judge(
        { ...settings, ...over },
        outcome({
          script: script({ terminated: true, exitCode: 1 }),
          errors: [{ phase: 'script', message, terminating: true }],
        }),
      );
    // The script phase ends, not fails, when the script throws: the error's own phase says where it was.
    expect(failed('Name or service not known (intranet.contoso.invalid:443)')).toMatchObject({
      message: 'The script failed: Name or service not known (intranet.contoso.invalid:443)',
      hint: null,
    });
    expect(failed('Response status code does not indicate success: 401 (Unauthorized).').hint).toBeNull();
    expect(failed('Access is denied. The user has insufficient access rights.').hint).toMatch(
      /^When an Exchange cmdlet says this, the app's roles do not grant/,
    );
    expect(failed('The remote server returned an error: (429) Too Many Requests.').hint).toMatch(
      /connect-retries retries only the connect, not the script/,
    );
    // Error records under fail-on-error are the script's too.
    const records = judge(
      settings,
      outcome({
        script: script({ errors: 1 }),
        errors: [{ phase: 'script', message: 'The remote server returned an error: (429) Too Many Requests.' }],
      }),
    );
    expect(records.hint).toMatch(/retries only the connect/);
  });
  test('a connect failure gets the advice of the workload whose connect failed', () => {
    const connectFailed = (message: string, over: Partial<Settings>, connections: SessionOutcome['connections'] = []) =>
      judge(
        { ...settings, ...over },
        outcome({
          failedPhase: 'connect',
          script: null,
          connected: connections.length > 0,
          connections,
          errors: [{ phase: 'connect', message }],
        }),
      ).hint;
    const server: Partial<Settings> = { target: 'exchange-server', targets: ['exchange-server'], auth: 'integrated' };
    expect(connectFailed('Connecting to remote server mail01 failed: Access is denied.', server)).toMatch(
      /RemotePowerShellEnabled \$true/,
    );
    expect(connectFailed('No such host is known. (mail01.contoso.com:80)', server)).toMatch(/proxy-access-type/);
    // Exchange Online connected; Security & Compliance's connect found no host: the cloud's advice.
    const both = { targets: ['exchange-online', 'security-compliance'] } as Partial<Settings>;
    const exo = {
      target: 'exchange-online',
      command: 'Connect-ExchangeOnline',
      organization: null,
      connectionId: null,
    };
    const hint = connectFailed('Name or service not known (ps.compliance.protection.outlook.com:443)', both, [exo]);
    expect(hint).toMatch(/https_proxy/);
    expect(hint).not.toMatch(/proxy-access-type/);
  });
  test('a failed connect names the tenant: the organization, delegated-organization when set, the server for exchange-server', () => {
    const failed = outcome({
      failedPhase: 'connect',
      script: null,
      connected: false,
      errors: [{ phase: 'connect', message: 'AADSTS700027: not registered' }],
    });
    const named = (over: Partial<Settings>) => judge({ ...settings, ...over } as Settings, failed).message;
    expect(named({ organization: 'northwind.onmicrosoft.com', delegatedOrganization: null })).toBe(
      'Connecting to exchange-online (northwind.onmicrosoft.com) failed: AADSTS700027: not registered',
    );
    expect(
      named({ organization: 'contoso.onmicrosoft.com', delegatedOrganization: 'fabrikam.onmicrosoft.com' }),
    ).toMatch(/^Connecting to exchange-online \(fabrikam\.onmicrosoft\.com\) failed: /);
    expect(
      named({
        target: 'exchange-server',
        targets: ['exchange-server'],
        organization: null,
        connectionUri: 'http://mail01.contoso.com/PowerShell/',
      }),
    ).toMatch(/^Connecting to exchange-server \(mail01\.contoso\.com\) failed: /);
    // Two workloads, the first connected: the tenant, and which one had connected.
    const second = outcome({
      ...failed,
      connections: [
        { target: 'exchange-online', command: 'Connect-ExchangeOnline', organization: null, connectionId: null },
      ],
    });
    const both = {
      ...settings,
      targets: ['exchange-online', 'security-compliance'],
      organization: 'northwind.onmicrosoft.com',
      delegatedOrganization: null,
    } as Settings;
    expect(judge(both, second).message).toMatch(
      /^Connecting to security-compliance \(northwind\.onmicrosoft\.com, after exchange-online connected\) failed: /,
    );
    // The first of two failed: only it was tried.
    expect(judge(both, outcome(failed)).message).toMatch(
      /^Connecting to exchange-online \(northwind\.onmicrosoft\.com\) failed: /,
    );
    // Exchange Server: New-PSSession opened the session (its event came), and Import-PSSession failed.
    const server = {
      ...settings,
      target: 'exchange-server',
      targets: ['exchange-server'],
      organization: null,
      connectionUri: 'http://mail01.contoso.com/PowerShell/',
    } as Settings;
    const imported = outcome({
      ...failed,
      connections: [
        { target: 'exchange-server', command: 'New-PSSession', organization: 'mail01.contoso.com', connectionId: 'x' },
      ],
    });
    expect(judge(server, imported).message).toMatch(/^Connecting to exchange-server \(mail01\.contoso\.com\) failed: /);
  });
  test('a failed module load and a failed script name the tenant as a failed connect does (a matrix runs one script in many)', () => {
    const named = { ...settings, organization: 'northwind.onmicrosoft.com', delegatedOrganization: null } as Settings;
    const module = outcome({
      failedPhase: 'module',
      script: null,
      connected: false,
      errors: [{ phase: 'module', message: 'No such host is known' }],
    });
    expect(judge(named, module).message).toBe(
      'Loading ExchangeOnlineManagement (northwind.onmicrosoft.com) failed: No such host is known',
    );
    const delegated = { ...named, delegatedOrganization: 'fabrikam.onmicrosoft.com' } as Settings;
    const thrown = outcome({
      script: script({ terminated: true, exitCode: 1 }),
      errors: [{ phase: 'script', message: 'boom', terminating: true }],
    });
    expect(judge(delegated, thrown).message).toBe('The script (fabrikam.onmicrosoft.com) failed: boom');
    expect(judge(named, outcome({ script: script({ exitCode: 3 }) })).message).toMatch(
      /^The script \(northwind\.onmicrosoft\.com\) ended with exit code 3: /,
    );
    expect(judge(named, outcome({ script: script({ errors: 2 }) })).message).toBe(
      'The script (northwind.onmicrosoft.com) wrote 2 error records and fail-on-error is true.',
    );
    expect(judge(server, thrown).message).toBe('The script (mail01.contoso.com) failed: boom');
  });
  test('a stop, and a PowerShell that ended before the script or the teardown did, name the tenant too', () => {
    const named = { ...settings, organization: 'northwind.onmicrosoft.com', delegatedOrganization: null } as Settings;
    const timedOut = judge(
      named,
      outcome({ stopReason: 'timeout', script: null, connected: false, disconnected: false }),
    );
    expect(timedOut.message).toBe(
      'The run (northwind.onmicrosoft.com) timed out after 1m30s (script-timeout) while PowerShell was starting, before its first phase; it was stopped before anything was connected.',
    );
    expect(timedOut.hint).toBe(hintById('timed-out'));
    const cancelled = judge(named, outcome({ stopReason: 'cancelled', script: null }));
    expect(cancelled.message).toBe(
      'The run (northwind.onmicrosoft.com) was cancelled; it was stopped and the session torn down.',
    );
    expect(cancelled.hint).toBe(hintById('cancelled'));
    expect(judge(named, outcome({ script: null, processExitCode: 3 })).message).toBe(
      'PowerShell (northwind.onmicrosoft.com) exited with code 3 before the script finished.',
    );
    const aborted = judge(named, outcome({ script: null, processExitCode: null, signal: 'SIGABRT' }));
    expect(aborted.message).toBe(
      'PowerShell (northwind.onmicrosoft.com) was ended by SIGABRT before the script finished.',
    );
    expect(aborted.hint).toBe(hintById('powershell-aborted'));
    expect(judge(named, outcome({ teardown: 'started', signal: 'SIGKILL', processExitCode: null })).message).toBe(
      'PowerShell (northwind.onmicrosoft.com) was ended by SIGKILL during its teardown, so the runner could not disconnect; the post step removes what is left.',
    );
    expect(judge(named, outcome({ processExitCode: null, signal: 'SIGKILL' })).message).toBe(
      'PowerShell (northwind.onmicrosoft.com) was ended by SIGKILL after the script; the post step makes sure nothing is left.',
    );
    expect(judge(server, outcome({ script: null, processExitCode: 127 })).message).toBe(
      'PowerShell (mail01.contoso.com) exited with code 127 before the script finished.',
    );
  });
  test('a timeout says how long', () =>
    expect(judge(settings, outcome({ stopReason: 'timeout', script: null })).message).toMatch(/timed out after 1m30s/));
  test("a refused configuration or parameters fail with the runner's message, which names the input", () => {
    const message =
      "Input 'parameters': 'Dayz' is not a parameter of the script. Accepted: the parameters its param() block declares: Days.";
    const v = judge(
      settings,
      outcome({
        script: null,
        connected: false,
        connectAttempted: false,
        processExitCode: 1,
        errors: [{ phase: 'parameters', message, terminating: true }],
      }),
    );
    expect(v).toMatchObject({ ok: false, exitCode: 1, message });
  });
  test('PowerShell ending before its teardown fails the step and says why it may have', () => {
    const v = judge(settings, outcome({ script: null, processExitCode: 0, teardown: 'none', disconnected: false }));
    expect(v).toMatchObject({
      ok: false,
      exitCode: 1,
      message:
        'PowerShell exited with code 0 before the script finished and before its teardown, so the runner could not disconnect; the post step removes what is left.',
    });
    expect(v.hint).toMatch(/\[Environment\]::Exit or Stop-Process -Id \$PID/);
    expect(judge(settings, outcome({ teardown: 'started', signal: 'SIGKILL', processExitCode: null })).message).toMatch(
      /^PowerShell was ended by SIGKILL during its teardown/,
    );
  });
  test('a crash before the script says how PowerShell ended', () => {
    expect(judge(settings, outcome({ script: null, processExitCode: 127 })).message).toBe(
      'PowerShell exited with code 127 before the script finished.',
    );
    expect(judge(settings, outcome({ script: null, processExitCode: null, signal: 'SIGKILL' })).message).toBe(
      'PowerShell was ended by SIGKILL before the script finished.',
    );
  });
  test("an abort points at PowerShell's start-up profile, before the script and during it; an exit code does not", () => {
    const error = { event: 'error', phase: 'module', message: 'something went wrong', terminating: false } as const;
    const early = judge(
      settings,
      outcome({ script: null, processExitCode: null, signal: 'SIGABRT', connectAttempted: false, errors: [error] }),
    );
    expect(early.message).toBe('PowerShell was ended by SIGABRT before the script finished.');
    expect(early.hint).toMatch(/Delete StartupProfileData-NonInteractive/);
    // Windows: STATUS_STACK_OVERFLOW, as Node reports it.
    const late = judge(
      settings,
      outcome({ script: null, processExitCode: 0xc00000fd, teardown: 'none', disconnected: false }),
    );
    expect(late.message).toMatch(
      /^PowerShell exited with code 3221225725 before the script finished and before its teardown/,
    );
    expect(late.hint).toMatch(/StartupProfileData-NonInteractive/);
    // A script's own exit codes are not aborts: their hint is the one about exit codes.
    expect(judge(settings, outcome({ script: script({ exitCode: 134 }) })).hint).toBe(
      "When a native command's failure is expected (git diff --exit-code, ping), set $global:LASTEXITCODE = 0 after it (the script runs in a scope of its own, so a plain $LASTEXITCODE = 0 sets only a script variable), or end the script with exit 0. A script called with & or . that ends with exit N sets $LASTEXITCODE to N as well.",
    );
    const exited = judge(
      settings,
      outcome({ script: null, processExitCode: 429, teardown: 'none', disconnected: false }),
    );
    expect(exited.hint).toMatch(/\[Environment\]::Exit or Stop-Process -Id \$PID/);
  });
});

describe('summary table', () => {
  test('first 50 rows and 8 properties, with notes', () => {
    const rows = Array.from({ length: 60 }, (_, i) =>
      Object.fromEntries(Array.from({ length: 10 }, (_, j) => [`P${j}`, `${i}-${j}`])),
    );
    const table = objectTable(JSON.stringify(rows))!;
    expect(table.rows).toHaveLength(51);
    expect(table.rows[0]).toHaveLength(8);
    expect(table.notes).toEqual(['10 more rows (60 in all)', '2 more properties']);
  });
  test('one row or property more is named in the singular', () => {
    const rows = Array.from({ length: 51 }, (_, i) =>
      Object.fromEntries(Array.from({ length: 9 }, (_, j) => [`P${j}`, `${i}-${j}`])),
    );
    expect(objectTable(JSON.stringify(rows))!.notes).toEqual(['1 more row (51 in all)', '1 more property']);
  });
  test('the row count is the true count, not the count of the objects kept for result', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ Name: `mailbox-${i}` }));
    expect(objectTable(JSON.stringify(rows), 20_000)!.notes).toEqual(['19,950 more rows (20,000 in all)']);
  });
  test("columns keep the order the script's objects have, also for names such as 2024", () => {
    // As ConvertTo-Json writes [pscustomobject]@{ Mailbox = ...; '2024' = ...; '2025' = ... }:
    // JSON.parse alone would list 2024 and 2025 first.
    const json =
      '[1, {"Mailbox":"a@contoso.com","2024":5,"Note":"x\\",\\"y","2025":{"2":1}},\n {"Mailbox" : "b", "10":1, "2024":6}]';
    const table = objectTable(json)!;
    expect(table.rows[0]!.map((c) => (c as { data: string }).data)).toEqual([
      'Value',
      'Mailbox',
      '2024',
      'Note',
      '2025',
      '10',
    ]);
    expect(table.rows[2]).toEqual(['', 'a@contoso.com', '5', 'x&quot;,&quot;y', '{&quot;2&quot;:1}', '']);
    expect(table.rows[3]).toEqual(['', 'b', '6', '', '', '1']);
  });
  test('scalars become a Value column; HTML is escaped', () => {
    const table = objectTable(JSON.stringify(['<script>alert(1)</script>', 5]))!;
    expect(table.rows).toEqual([[{ data: 'Value', header: true }], ['&lt;script&gt;alert(1)&lt;/script&gt;'], ['5']]);
  });
  test('nothing returned, no table', () => {
    expect(objectTable('[]')).toBeNull();
    // A long value is cut for the table (the result output keeps it whole).
    const long = objectTable(JSON.stringify([{ Text: 'x'.repeat(2000) }]))!;
    expect(long.rows[1]).toEqual([`${'x'.repeat(500)}\u2026 (1,500 more characters)`]);
    expect(objectTable(null)).toBeNull();
  });
  test('integers beyond 2^53 and numbers as written show exactly as result holds them, nested ones too', () => {
    const json = '[{"Id":9007199254740993,"Size":1.50,"Nested":{"Big":-9007199254740995}},12345678901234567890]';
    const table = objectTable(json)!;
    expect(table.rows).toEqual([
      [
        { data: 'Id', header: true },
        { data: 'Size', header: true },
        { data: 'Nested', header: true },
        { data: 'Value', header: true },
      ],
      ['9007199254740993', '1.50', '{&quot;Big&quot;:-9007199254740995}', ''],
      ['', '', '', '12345678901234567890'],
    ]);
  });
  test('helpers', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect([formatDuration(250), formatDuration(1500), formatDuration(120_000)]).toEqual(['250 ms', '1.5 s', '2m']);
  });
});

describe('result output limit', () => {
  test('a result that fits is left alone', () => {
    expect(fitResult('[1,2,3]', 100)).toEqual({ json: '[1,2,3]', kept: 3, note: null });
  });
  test('a result over the limit keeps the longest prefix that fits, and says so', () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ Name: `mailbox-${i}`, Data: 'x'.repeat(100) }));
    const json = JSON.stringify(items);
    const { json: fitted, note, kept: count } = fitResult(json, 5000);
    const kept = JSON.parse(fitted) as unknown[];
    expect(count).toBe(kept.length);
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(5000);
    expect(Buffer.byteLength(JSON.stringify(items.slice(0, kept.length + 1)))).toBeGreaterThan(5000);
    expect(kept).toEqual(items.slice(0, kept.length));
    expect(note).toMatch(new RegExp(`holds the first ${kept.length} of 100 objects`));
  });
});

describe('outputs and summary of a run', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const reportSettings = {
    ...settings,
    environment: 'O365Default',
    organization: 'contoso.onmicrosoft.com',
    delegatedOrganization: null,
    credentials: { kind: 'certificate' },
    authDetails: { autoReason: null, certificate: null },
    whatIf: false,
    resultFile: null,
    resultDepth: 4,
    summary: true,
  } as unknown as Settings;
  /** reportRun against GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, as the runner gives them. */
  async function report(o: SessionOutcome, s: Settings = reportSettings) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-report-'));
    process.env.GITHUB_OUTPUT = path.join(dir, 'output');
    process.env.GITHUB_STEP_SUMMARY = path.join(dir, 'summary');
    fs.writeFileSync(process.env.GITHUB_OUTPUT, '');
    fs.writeFileSync(process.env.GITHUB_STEP_SUMMARY, '');
    try {
      const { stdout } = await captureStdoutAsync(() => reportRun(s, o, judge(s, o)));
      return {
        outputs: parseFileCommand(fs.readFileSync(process.env.GITHUB_OUTPUT, 'utf8')),
        summary: fs.readFileSync(process.env.GITHUB_STEP_SUMMARY, 'utf8'),
        warnings: stdout.split('\n').filter((l) => l.startsWith('::warning::')),
        lines: stdout.split('\n'),
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  /** PowerShell killed in the script phase: the script started, its `script` event never came. */
  const killed = (over: Partial<SessionOutcome> = {}): SessionOutcome =>
    outcome({
      processExitCode: null,
      signal: 'SIGKILL',
      forced: 'SIGKILL',
      stopReason: 'timeout',
      stoppedPhase: null,
      scriptStarted: true,
      script: null,
      resultJson: null,
      disconnected: false,
      teardown: 'started',
      ...over,
    });

  test('a result the action would not read (changed after the runner wrote it): its own warning, and no word of output limits', async () => {
    const note =
      "The run directory's result.json is not the file the runner wrote (it is gone, or its SHA-256 is not the one in the runner's signed events): a process the script started changed it after the runner wrote it, so the action does not use it. End what the script starts before the script ends.";
    const { outputs, warnings } = await report(
      outcome({ script: script({ objects: 3 }), resultJson: null, resultNote: note }),
    );
    expect(outputs).toMatchObject({ result: '[]', 'result-count': '3' });
    expect(warnings).toEqual([`::warning::${note}`]);
  });

  test('exchange-server with insecure-skip-certificate-check: a summary row says the certificate checks were off', async () => {
    const skipped = serverSettings({ 'insecure-skip-certificate-check': 'true' });
    const { summary } = await report(outcome({ organization: 'mail01.contoso.com' }), { ...skipped, summary: true });
    expect(summary).toContain(
      '<tr><td>Certificate checks</td><td>off (insecure-skip-certificate-check): SkipCACheck, SkipCNCheck, SkipRevocationCheck</td></tr>',
    );
    const checked = await report(outcome({ organization: 'mail01.contoso.com' }), serverSettings());
    expect(checked.summary).not.toMatch(/Certificate checks/);
  });

  test('a disconnect that failed is a summary row of a run that succeeded, as it is a warning; a clean one is none', async () => {
    const failed = await report(
      outcome({ disconnected: false, errors: [{ phase: 'teardown', message: 'the service did not answer' }] }),
    );
    expect(failed.summary).toContain('<td>Outcome</td><td>success</td>');
    expect(failed.summary).toMatch(
      /<tr><td>Teardown<\/td><td>The disconnect[^<]* failed: the service did not answer\. Exchange Online keeps no session/,
    );
    expect((await report(outcome())).summary).not.toContain('<td>Teardown</td>');
  });

  test('a summary row counts the error records the script wrote, and says when fail-on-error let them pass', async () => {
    const passed = await report(outcome({ script: script({ errors: 2 }) }), { ...reportSettings, failOnError: false });
    expect(passed.summary).toContain('<td>Outcome</td><td>success</td>');
    expect(passed.summary).toContain(
      '<tr><td>Errors</td><td>2 error records written by the script, which fail-on-error: false lets pass</td></tr>',
    );
    const failed = await report(outcome({ script: script({ errors: 1 }) }));
    expect(failed.summary).toContain('<tr><td>Errors</td><td>1 error record written by the script</td></tr>');
    expect((await report(outcome())).summary).not.toContain('<td>Errors</td>');
    // A step that failed for another reason (exit 3) let nothing pass.
    const exited = await report(outcome({ script: script({ errors: 2, exitCode: 3 }) }), {
      ...reportSettings,
      failOnError: false,
    });
    expect(exited.summary).toContain('<tr><td>Errors</td><td>2 error records written by the script</td></tr>');
  });

  describe('a what-if plan', () => {
    const whatIf = { ...reportSettings, whatIf: true, script: { kind: 'inline', text: '' } } as unknown as Settings;
    const failedAt = (line: number, plan: string[]) =>
      outcome({
        script: script({ terminated: true, exitCode: 1 }),
        errors: [{ phase: 'script', message: 'not found', line, terminating: true }],
        plan,
      });

    test('complete: how many changes would be made, and nothing about a gap', async () => {
      const { summary, outputs } = await report(outcome({ plan: ['What if: one'] }), whatIf);
      expect(summary).toContain('<p>1 change would be made:</p>');
      expect(summary).not.toMatch(/incomplete/);
      expect(outputs.plan).toBe('What if: one');
    });
    test('a script that failed half way: the plan says it is incomplete, where the script failed, and counts what came before; the plan output keeps its lines', async () => {
      const { summary, outputs } = await report(failedAt(2, ['What if: one']), whatIf);
      expect(summary).toContain(
        '<p><strong>The plan is incomplete:</strong> the script failed at line 2 of the inline script, so it leaves out what the rest of the script would change.</p>',
      );
      expect(summary).toContain('<p>1 change reported before then:</p>');
      expect(summary).not.toContain('would be made');
      expect(outputs.plan).toBe('What if: one');
      const file = { ...whatIf, script: { kind: 'file', path: '/w/exchange/apply.ps1' } } as unknown as Settings;
      expect((await report(failedAt(7, ['What if: one']), file)).summary).toContain(
        'the script failed at line 7 of apply.ps1, so it leaves out',
      );
    });
    test("exchange-server: the plan says that the server's own What if lines are in the log only, and claims no 'no change'", async () => {
      const server = serverSettings({ 'what-if': 'true' });
      const { summary } = await report(outcome({ plan: [] }), server);
      expect(summary).toContain("through the remote session's host");
      expect(summary).toContain('<p>No command that ran on the runner reported a change.</p>');
      expect(summary).not.toContain('reported no change');
      expect((await report(outcome({ plan: [] }), whatIf)).summary).not.toContain('remote session');
    });
    test('a script that failed before any change: not "reported no change"', async () => {
      const { summary } = await report(failedAt(1, []), whatIf);
      expect(summary).toContain('<strong>The plan is incomplete:</strong> the script failed at line 1');
      expect(summary).toContain('<p>No cmdlet reported a change before then.</p>');
      expect(summary).not.toContain('reported no change');
    });
    test('stopped by script-timeout, or PowerShell gone: incomplete, saying why', async () => {
      expect((await report(killed({ plan: ['What if: one', 'What if: two'] }), whatIf)).summary).toMatch(
        /<strong>The plan is incomplete:<\/strong> the run was stopped by script-timeout before the script&#39;s end, so it leaves out .*<p>2 changes reported before then:<\/p>/s,
      );
      expect(
        (await report(killed({ stopReason: null, forced: null, plan: ['What if: one'] }), whatIf)).summary,
      ).toContain('<strong>The plan is incomplete:</strong> PowerShell ended before the script finished');
    });
    test('exit N or error records: the plan may be incomplete', async () => {
      expect(
        (await report(outcome({ script: script({ exitCode: 3 }), plan: ['What if: one'] }), whatIf)).summary,
      ).toContain('<p><strong>The plan may be incomplete:</strong> the script ended with exit code 3.</p>');
      expect((await report(outcome({ script: script({ errors: 2 }), plan: [] }), whatIf)).summary).toMatch(
        /<strong>The plan may be incomplete:<\/strong> the script wrote 2 error records, and a command that failed reports no change it would make\.<\/p>.*No cmdlet reported a change before then/s,
      );
    });
  });

  test('a count that never came is empty, not 0, and result stays a JSON array; a warning and the summary say so', async () => {
    const { outputs, summary, warnings } = await report(killed());
    expect(outputs['result-count']).toBe('');
    expect(outputs.result).toBe('[]');
    expect(warnings).toEqual([
      '::warning::result-count is empty: PowerShell ended before the script finished, so the runner never reported how many objects the script returned; result is [], which here does not mean that the script returned nothing: what it had returned is not known.',
    ]);
    expect(summary).toContain(
      '<p>Returned objects: unknown. PowerShell ended before the script finished, so the runner never reported what the script returned; result-count is empty.</p>',
    );
    expect(summary).not.toContain('The script returned no objects.');
  });
  test.each([
    [
      'out.jsonl',
      'jsonl',
      '{"N":1}\n{"N":',
      'holds the objects returned until PowerShell ended (until about 0.2 s before, when it was killed); its last line may be cut short.',
    ],
    [
      'out.csv',
      'csv',
      'N\r\n1\r\n',
      'holds the objects returned until PowerShell ended (until about 0.2 s before, when it was killed); its last line may be cut short.',
    ],
    [
      'out.json',
      'json',
      '[{"N":1},{"N":2}',
      'holds the objects returned until PowerShell ended (until about 0.2 s before, when it was killed); the JSON array lacks its closing ], and its last object may be cut short.',
    ],
    ['empty.jsonl', 'jsonl', '', 'holds no object: PowerShell ended before any reached it.'],
    ['empty.json', 'json', '[', 'holds no object: PowerShell ended before any reached it.'],
  ])('with result-file set, the warning says what the unclosed %s holds', async (name, format, text, says) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-unclosed-'));
    try {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      const s = { ...reportSettings, resultFile: { path: file, format } } as unknown as Settings;
      const { warnings, outputs } = await report(killed(), s);
      expect(warnings[0]!.endsWith(` result-file (${file}) ${says}`)).toBe(true);
      // The output names it all the same: a later step uploads what it holds.
      expect(outputs['result-file']).toBe(file);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  test('a result-file that PowerShell did not close is checked for secrets too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-unclosed-'));
    try {
      const file = path.join(dir, 'out.jsonl');
      fs.writeFileSync(file, '{"Echo":"Unclosed-Secret-0777"}\n{"N":');
      captureStdout(() => maskSecret('Unclosed-Secret-0777'));
      const s = { ...reportSettings, resultFile: { path: file, format: 'jsonl' } } as unknown as Settings;
      const { warnings } = await report(killed(), s);
      expect(warnings).toContain(
        '::warning::result-file held a secret on 1 line; it is replaced with ***, as in the result output.',
      );
      expect(fs.readFileSync(file, 'utf8')).not.toContain('Unclosed-Secret-0777');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  test('a script that never started has no count: result-count empty (not applicable), result [], and no warning about a lost count', async () => {
    const { outputs, warnings, summary } = await report(
      killed({ scriptStarted: false, stoppedPhase: 'connect', connected: false, connecting: true }),
    );
    expect(outputs).toMatchObject({ result: '[]', 'result-count': '' });
    expect(warnings).toEqual([]);
    expect(summary).not.toContain('Returned objects');
    // Nor a result-file: the runner opens it only for a script that starts. The output is written
    // empty all the same, over any ::set-output the script could have sent.
    const withFile = {
      ...reportSettings,
      resultFile: { path: '/nonexistent/out.jsonl', format: 'jsonl' },
    } as unknown as Settings;
    const notStarted = await report(
      killed({ scriptStarted: false, stoppedPhase: 'connect', connected: false, connecting: true }),
      withFile,
    );
    expect(notStarted.outputs['result-file']).toBe('');
    // A failed connect, and a failure before PowerShell had its configuration (the module, a token request, a cancel).
    const connectFailed = outcome({
      failedPhase: 'connect',
      connected: false,
      disconnected: false,
      script: null,
      resultJson: null,
      errors: [{ phase: 'connect', message: 'AADSTS700027: not registered' }],
    });
    expect((await report(connectFailed)).outputs).toMatchObject({ result: '[]', 'result-count': '', 'exit-code': '1' });
    expect((await report(noSession())).outputs).toMatchObject({
      result: '[]',
      'result-count': '',
      organization: '',
    });
  });
  test('the heading names the tenant: the organization, or the server for exchange-server', async () => {
    expect((await report(outcome())).summary).toContain(
      '<h3>Exchange PowerShell (contoso.onmicrosoft.com): succeeded</h3>',
    );
    const server = serverSettings({ 'connection-uri': 'http://mail01.contoso.com/PowerShell/' });
    expect((await report(outcome({ script: script({ exitCode: 2 }) }), server)).summary).toContain(
      '<h3>Exchange PowerShell (mail01.contoso.com): failed</h3>',
    );
  });
  describe('strings that result holds cut', () => {
    const cut = (over: Partial<SessionOutcome> = {}) =>
      outcome({
        resultJson: JSON.stringify(['short', `${'x'.repeat(100000)} [cut: 5142880 more characters]`]),
        script: script({ objects: 2, cutStrings: 1, stringLimit: 100000 }),
        ...over,
      });
    test('result is the only copy: a warning that names the limit and the result-file input', async () => {
      const { warnings, outputs } = await report(cut());
      expect(warnings).toEqual([
        '::warning::result holds 1 string that the script returned cut at 100,000 characters, the most it keeps of one string; it ends with [cut: … more characters]. Set the result-file input (for example mailboxes.csv) to keep every string whole.',
      ]);
      expect(outputs['result-count']).toBe('2');
    });
    test('result-file holds them whole: a plain log line, not a warning', async () => {
      const withFile = {
        ...reportSettings,
        resultFile: { path: '/w/all.jsonl', format: 'jsonl' },
      } as unknown as Settings;
      const { warnings, lines } = await report(
        cut({
          script: script({ objects: 3, cutStrings: 2, stringLimit: 100000 }),
          resultFile: { path: '/w/all.jsonl', count: 3, leftOut: [] },
        }),
        withFile,
      );
      expect(warnings).toEqual([]);
      expect(lines).toContain(
        'result holds 2 strings that the script returned cut at 100,000 characters, the most it keeps of one string; each ends with [cut: … more characters]. result-file (/w/all.jsonl) holds every string whole.',
      );
    });
    test('no string cut: nothing said', async () => {
      const { warnings, lines } = await report(outcome({ resultJson: '["short"]', script: script({ objects: 1 }) }));
      expect(warnings).toEqual([]);
      expect(lines.filter((l) => l.includes('cut at'))).toEqual([]);
    });
  });
  test('a value nested deeper than result-depth: a warning that names the depth and the way out', async () => {
    const { warnings } = await report(
      outcome({
        resultJson: '[{"A":{"B":"System.Collections.Hashtable"}}]',
        script: script({ objects: 1, depthCut: true }),
      }),
    );
    expect(warnings).toEqual([
      '::warning::result holds objects nested deeper than result-depth (4): past that depth ConvertTo-Json writes a value as its string (for a hashtable, System.Collections.Hashtable). Raise result-depth (up to 20), or select the properties you need (Select-Object) before the script returns them.',
    ]);
  });
  describe('a result that holds fewer objects than the script returned', () => {
    const many = (over: Partial<SessionOutcome> = {}) =>
      outcome({
        resultJson: JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ Id: i }))),
        script: script({ objects: 1500, truncated: true }),
        ...over,
      });
    const withFile = {
      ...reportSettings,
      resultFile: { path: '/w/all.jsonl', format: 'jsonl' },
    } as unknown as Settings;
    test('result-file holds every object: a plain log line, not a warning', async () => {
      const { warnings, lines, outputs } = await report(
        many({ resultFile: { path: '/w/all.jsonl', count: 1500, leftOut: [] } }),
        withFile,
      );
      expect(warnings).toEqual([]);
      expect(lines.filter((l) => l.includes('result holds'))).toEqual([
        'result holds 1,000 of 1,500 objects: it keeps at most the first 1,000. Every object is in result-file (/w/all.jsonl); result-count has the full count.',
      ]);
      expect(outputs['result-count']).toBe('1500');
    });
    test('result is the only copy: a warning that names the result-file input', async () => {
      const { warnings } = await report(many());
      expect(warnings).toEqual([
        '::warning::result holds 1,000 of 1,500 objects: it keeps at most the first 1,000. Set the result-file input (for example mailboxes.csv) to write every object to a file, and upload it with actions/upload-artifact.',
      ]);
    });
    test('objects JSON cannot hold are said on their own, beside the count limit, which still gets its line', async () => {
      const unconvertible = { unconvertible: 10, unconvertibleReason: 'Keys must be strings.' };
      const { warnings, lines } = await report(
        many({
          script: script({ objects: 1500, truncated: true, ...unconvertible }),
          resultFile: { path: '/w/all.jsonl', count: 1500, leftOut: [] },
        }),
        withFile,
      );
      expect(warnings).toEqual([
        expect.stringMatching(
          /^::warning::result leaves out 10 of the 1,500 objects: JSON cannot represent them \(Keys must be strings\.\)\. /,
        ),
      ]);
      expect(lines.filter((l) => l.includes('result holds'))).toEqual([
        'result holds 1,000 of 1,500 objects: it keeps at most the first 1,000. Every object is in result-file (/w/all.jsonl); result-count has the full count.',
      ]);
      // When they are all that is missing, nothing more is said.
      const few = await report(
        outcome({
          resultJson: '[1]',
          script: script({ objects: 2, truncated: true, unconvertible: 1, unconvertibleReason: 'x' }),
        }),
      );
      expect(few.warnings).toEqual([
        expect.stringMatching(/^::warning::result leaves out 1 of the 2 objects: JSON cannot represent it \(x\)/),
      ]);
    });
  });
  test('a script that finished and returned nothing says so in the summary; a stopped one does not', async () => {
    const empty = await report(outcome());
    expect(empty.outputs).toMatchObject({ result: '[]', 'result-count': '0' });
    expect(empty.summary).toContain('<p>The script returned no objects.</p>');
    const stopped = await report(
      outcome({ stopReason: 'timeout', stopped: 'timeout', script: script({ terminated: true, exitCode: 1 }) }),
    );
    expect(stopped.summary).not.toContain('returned no objects');
    const returned = await report(outcome({ resultJson: '[{"N":1}]', script: script({ objects: 1 }) }));
    expect(returned.summary).not.toContain('returned no objects');
    expect(returned.summary).toContain('Returned objects');
  });
  test('a result cut to fit one output keeps every number exactly as written', async () => {
    const items = Array.from(
      { length: 30 },
      (_, i) => `{"Id":${9007199254740993n + BigInt(2 * i)},"Pad":"${'x'.repeat(40_000)}"}`,
    );
    const { json, kept } = fitResult(`[${items.join(',')}]`, 1_000_000);
    expect(kept).toBeLessThan(30);
    expect(json).toBe(`[${items.slice(0, kept).join(',')}]`);
  });
});

describe('a refused step', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  /** reportRefused with these inputs, as the runner passes them (INPUT_*). */
  async function refused(inputs: Record<string, string>, message = "Input 'certificate': is not base64.") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-refused-'));
    process.env.GITHUB_OUTPUT = path.join(dir, 'output');
    process.env.GITHUB_STEP_SUMMARY = path.join(dir, 'summary');
    fs.writeFileSync(process.env.GITHUB_OUTPUT, '');
    fs.writeFileSync(process.env.GITHUB_STEP_SUMMARY, '');
    for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
    for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
    try {
      await captureStdoutAsync(() => reportRefused(new Error(message)));
      return {
        outputs: parseFileCommand(fs.readFileSync(process.env.GITHUB_OUTPUT, 'utf8')),
        summary: fs.readFileSync(process.env.GITHUB_STEP_SUMMARY, 'utf8'),
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('sets every output a failure sets: result [], result-count empty, organization empty, exit-code 1', async () => {
    const { outputs } = await refused({ target: 'exchange-online', organization: 'northwind.onmicrosoft.com' });
    expect(outputs).toEqual({ result: '[]', 'result-count': '', 'exit-code': '1', organization: '' });
    expect((await refused({ 'what-if': 'true' })).outputs.plan).toBe('');
  });
  test('the summary names the tenant as given, the refused input too, and never a secret', async () => {
    captureStdout(() => maskSecret('Refused-Secret-0451'));
    const { summary } = await refused({
      target: 'exchange-online',
      organization: 'northwind corp',
      'delegated-organization': 'Refused-Secret-0451.onmicrosoft.com',
    });
    expect(summary).toMatch(/^<h3>Exchange PowerShell \(\*\*\*\.onmicrosoft\.com\): failed<\/h3>/);
    expect(summary).toContain('<tr><td>Target</td><td>exchange-online</td></tr>');
    expect(summary).toContain('<tr><td>Organization</td><td>northwind corp</td></tr>');
    expect(summary).toContain('<tr><td>Delegated organization</td><td>***.onmicrosoft.com</td></tr>');
    expect(summary).toContain('<strong>Error:</strong> Input &#39;certificate&#39;: is not base64.');
    expect(summary).not.toContain('Refused-Secret-0451');
    const plain = await refused({ target: 'exchange-online', organization: 'northwind.onmicrosoft.com' });
    expect(plain.summary).toContain('<h3>Exchange PowerShell (northwind.onmicrosoft.com): failed</h3>');
  });
  test('exchange-server: the server host, not the URL (which may carry a user name)', async () => {
    const { summary } = await refused({
      target: 'exchange-server',
      'connection-uri': 'https://admin@mail01.contoso.com/PowerShell/',
      organization: '',
    });
    expect(summary).toContain('<h3>Exchange PowerShell (mail01.contoso.com): failed</h3>');
    expect(summary).toContain('<tr><td>Server</td><td>mail01.contoso.com</td></tr>');
    expect(summary).not.toContain('admin');
  });
  test('without an organization the heading names none; a long or multi-line value is one line, cut, and escaped', async () => {
    expect((await refused({ target: 'exchange-online', organization: '' })).summary).toMatch(
      /^<h3>Exchange PowerShell: failed<\/h3>/,
    );
    const { summary } = await refused({ target: 'exchange-online', organization: `<b>x</b>\n${'a'.repeat(400)}` });
    expect(summary).toContain(`<h3>Exchange PowerShell (&lt;b&gt;x&lt;/b&gt; ${'a'.repeat(244)}\u2026): failed</h3>`);
  });
  test('summary: false writes no summary, but the outputs still', async () => {
    const { summary, outputs } = await refused({ summary: 'false', organization: 'northwind.onmicrosoft.com' });
    expect(summary).toBe('');
    expect(outputs.result).toBe('[]');
  });
});

describe('what a stop did, as the events tell it', () => {
  const stopped = (over: Partial<SessionOutcome>) => judge(settings, outcome({ script: null, ...over })).message;
  test('torn down only when the runner reported the disconnect', () => {
    expect(stopped({ stopReason: 'timeout', connected: true, disconnected: true })).toMatch(
      /timed out after 1m30s \(script-timeout\); it was stopped and the session torn down\.$/,
    );
    expect(stopped({ stopReason: 'timeout', connected: true, disconnected: false })).toMatch(
      /timed out after 1m30s \(script-timeout\); PowerShell ended before it disconnected, so the session was not torn down in this step; the post step makes sure nothing is left\.$/,
    );
    expect(
      stopped({ stopReason: 'cancelled', connected: false, disconnected: false, connecting: true, teardown: 'none' }),
    ).toBe(
      'The run was cancelled; PowerShell ended while it was connecting, before its teardown reported; the post step makes sure nothing is left.',
    );
    // Its teardown did report: no word of one that did not.
    expect(
      stopped({ stopReason: 'cancelled', connected: false, disconnected: false, connecting: true, teardown: 'ended' }),
    ).toBe('The run was cancelled; it was stopped while connecting, and its teardown reported no disconnect.');
    expect(stopped({ stopReason: 'cancelled', connected: false, disconnected: false })).toBe(
      'The run was cancelled; it was stopped before anything was connected.',
    );
  });
});

describe('a teardown that did not return within its limit', () => {
  // As runSession reports it: the script ended well, the teardown started, Node ended PowerShell.
  const cutShort = (over: Partial<SessionOutcome> = {}): SessionOutcome =>
    outcome({
      processExitCode: null,
      signal: 'SIGKILL',
      forced: 'SIGKILL',
      disconnected: false,
      teardown: 'started',
      teardownCutShortAfterMs: 60_000,
      ...over,
    });

  test('is a cleanup problem, not a failure: a script that succeeded stays a success', () => {
    expect(judge(settings, cutShort())).toEqual({ ok: true, exitCode: 0, message: null, hint: null });
    // The script's own verdict still counts.
    expect(judge(settings, cutShort({ script: script({ exitCode: 3 }) }))).toMatchObject({ ok: false, exitCode: 3 });
  });

  test('the warning says what did not return and what that means, for each target', () => {
    expect(noDisconnectWarning(settings, cutShort())).toBe(
      'The teardown did not return within 60 s: Disconnect-ExchangeOnline or its check (Get-ConnectionInformation) did not answer, so PowerShell was killed. Exchange Online keeps no session for a REST connection: it ended with the PowerShell process, and the access token it used expires on its own within 60 to 90 minutes.',
    );
    const server = { ...settings, target: 'exchange-server', targets: ['exchange-server'] } as Settings;
    const session = {
      target: 'exchange-server',
      command: 'New-PSSession',
      organization: 'mail01.contoso.com',
      connectionId: null,
      instanceId: '6f1c7f0e-3a55-4e8e-9d7e-0b4a3c2d1e0f',
      connectionUri: 'http://mail01.contoso.com/PowerShell/',
    };
    expect(noDisconnectWarning(server, cutShort({ connections: [session], forced: 'SIGINT' }))).toBe(
      'The teardown did not return within 60 s: Remove-PSSession or its check (Get-PSSession) did not answer, so PowerShell was interrupted with SIGINT. The post step removes the server session 6f1c7f0e-3a55-4e8e-9d7e-0b4a3c2d1e0f by its InstanceId.',
    );
    expect(noDisconnectWarning(server, cutShort())).toMatch(
      /Remove-PSSession or its check \(Get-PSSession\) did not answer, so PowerShell was killed\. No InstanceId was recorded, so the post step cannot remove a session the server may have opened: it holds one of the account's sessions \(its throttling policy's PowerShellMaxConcurrency\) until the server's idle timeout ends it\.$/,
    );
    const both = {
      ...settings,
      target: 'exchange-online',
      targets: ['exchange-online', 'security-compliance'],
    } as Settings;
    expect(
      noDisconnectWarning({ ...settings, organization: 'northwind.onmicrosoft.com' } as Settings, cutShort()),
    ).toMatch(/^The teardown \(northwind\.onmicrosoft\.com\) did not return within 60 s: Disconnect-ExchangeOnline /);
    expect(noDisconnectWarning(both, cutShort())).toMatch(
      /did not answer, so PowerShell was killed\. The connections ended with the PowerShell process; a remote PowerShell session the server still holds for Security & Compliance ends when it times out\.$/,
    );
  });
});

test("a failed disconnect's warning promises nothing the post step does not do", () => {
  const failed = outcome({
    disconnected: false,
    errors: [{ phase: 'teardown', message: 'Disconnect failed (injected).', terminating: false }],
  });
  expect(noDisconnectWarning(settings, failed)).toBe(
    'The disconnect failed: Disconnect failed (injected). Exchange Online keeps no session for a REST connection: it ended with the PowerShell process, and the access token it used expires on its own within 60 to 90 minutes.',
  );
  // A run whose script succeeded has this warning alone: it names the tenant as a failure does.
  const named = { ...settings, organization: 'northwind.onmicrosoft.com', delegatedOrganization: null } as Settings;
  expect(noDisconnectWarning(named, failed)).toMatch(
    /^The disconnect \(northwind\.onmicrosoft\.com\) failed: Disconnect failed \(injected\)\. Exchange Online keeps no session /,
  );
  expect(noDisconnectWarning(named, outcome({ disconnected: false }))).toMatch(
    /^The session \(northwind\.onmicrosoft\.com\) reported no disconnect\. Exchange Online keeps no session /,
  );
});

describe('summary cells', () => {
  test('line breaks become <br>, so a blank line cannot end the HTML table', () => {
    const table = objectTable(JSON.stringify([{ Note: 'a\n\n# heading\r\n| x |\u2028b' }]))!;
    expect(table.rows[1]).toEqual(['a<br><br># heading<br>| x |<br>b']);
    expect(cell('tab\there\u0007bell')).toBe('tab here bell');
  });
  test('a secret is redacted before it is HTML-escaped, so escaping cannot hide it', () => {
    captureStdout(() => maskSecret(`Pw"'&<x>-0042`));
    expect(cell(`password: Pw"'&<x>-0042.`)).toBe('password: ***.');
    const table = objectTable(JSON.stringify([{ Pw: `Pw"'&<x>-0042` }]))!;
    expect(table.rows[1]).toEqual(['***']);
  });
});

describe('plan output', () => {
  test('redacted, and cut to the lines that fit in one output, with a warning', () => {
    captureStdout(() => maskSecret('Plan-Secret-0099'));
    expect(planOutput(['What if: Set-Mailbox pw=Plan-Secret-0099', 'What if: two'])).toBe(
      'What if: Set-Mailbox pw=***\nWhat if: two',
    );
    const lines = Array.from({ length: 30 }, (_, i) => `What if: ${i} ${'x'.repeat(50_000)}`);
    let kept = '';
    const out = captureStdout(() => (kept = planOutput(lines)));
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(1_000_000);
    expect(kept.split('\n')).toHaveLength(19);
    expect(out).toMatch(
      /^::warning::The plan output holds the first 19 of 30 lines.*The step's log shows every line\./,
    );
  });
});

/** Settings for exchange-server as readSettings makes them from action.yml's defaults and these inputs, on Windows. */
function serverSettings(inputs: Record<string, string> = {}): Settings {
  const all: Record<string, string> = {};
  for (const [name, def] of Object.entries(actionYml.inputs)) all[name] = def.default ?? '';
  Object.assign(all, {
    target: 'exchange-server',
    auth: 'integrated',
    'connection-uri': 'https://mail01.contoso.com/PowerShell/',
    script: 'Get-Mailbox',
    ...inputs,
  });
  return readSettings({
    getInput: (name) => all[name] ?? '',
    maskSecret: () => undefined,
    platform: 'win32',
    env: { GITHUB_WORKSPACE: os.tmpdir() },
  });
}

describe('the Settings log group', () => {
  const group = (s: Settings): string[] => {
    const out = captureStdout(() => logSettings(s, 3));
    return out
      .slice(out.indexOf('::group::Settings\n') + 18, out.indexOf('::endgroup::'))
      .trimEnd()
      .split('\n');
  };

  test("exchange-server: the server session's options, and no cloud, which a server is not in", () => {
    const lines = group(
      serverSettings({
        authentication: 'Negotiate',
        'proxy-access-type': 'IEConfig',
        'allow-redirection': 'true',
        prefix: 'OnPrem',
        'insecure-skip-certificate-check': 'true',
      }),
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        'target: exchange-server',
        'connection-uri: https://mail01.contoso.com/PowerShell/',
        'authentication: Negotiate',
        'proxy-access-type: IEConfig',
        'allow-redirection: true',
        'insecure-skip-certificate-check: true',
        'prefix: OnPrem',
      ]),
    );
    expect(lines.filter((l) => l.startsWith('environment:'))).toEqual([]);
    const defaults = group(serverSettings());
    expect(defaults).toEqual(
      expect.arrayContaining([
        'authentication: Kerberos',
        'proxy-access-type: None',
        'allow-redirection: false',
        'insecure-skip-certificate-check: false',
        'prefix: (none)',
      ]),
    );
  });

  test('exchange-server: skipped certificate checks are a warning, after the group, before anything connects', () => {
    const out = captureStdout(() => logSettings(serverSettings({ 'insecure-skip-certificate-check': 'true' }), 3));
    expect(out.slice(out.indexOf('::endgroup::'))).toContain(
      '::warning::insecure-skip-certificate-check is true: certificate checks of mail01.contoso.com are off (SkipCACheck, SkipCNCheck, SkipRevocationCheck), so the session accepts any certificate that answers for it: for lab servers only (Learn: "New-PSSessionOption").',
    );
  });

  test('Exchange Online keeps its environment line and shows no server option', () => {
    const lines = group({
      ...serverSettings(),
      target: 'exchange-online',
      targets: ['exchange-online'],
      connectionUriOverridden: false,
    } as Settings);
    expect(lines).toContain('environment: O365Default');
    expect(lines.filter((l) => /^(authentication|proxy-access-type|allow-redirection|insecure-skip)/.test(l))).toEqual(
      [],
    );
  });
});
