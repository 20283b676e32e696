// The words for a timeout or a cancel come from what happened: whether the runner tore down, and
// whether Node had to fall back to signals after asking it to stop.
import { judge, noDisconnectWarning } from '../../src/report.js';
import type { Settings } from '../../src/inputs.js';
import type { SessionOutcome } from '../../src/outcome.js';

const settings = {
  target: 'exchange-online',
  targets: ['exchange-online'],
  failOnError: true,
  scriptTimeoutMs: 10_000,
} as Settings;
const stoppedRun = (over: Partial<SessionOutcome>): SessionOutcome =>
  ({
    processExitCode: 0,
    signal: null,
    stopReason: 'timeout',
    stopped: 'timeout',
    forced: null,
    phases: {},
    failedPhase: null,
    module: null,
    organization: 'contoso.onmicrosoft.com',
    connected: true,
    connections: [],
    connecting: false,
    disconnected: true,
    serverSessionClosed: null,
    errors: [],
    script: null,
    resultFile: null,
    resultJson: null,
    plan: null,
    ...over,
  }) as SessionOutcome;
const message = (over: Partial<SessionOutcome>): string | null => judge(settings, stoppedRun(over)).message;

test('stopped when asked: no word about signals', () => {
  expect(message({})).toBe(
    'The run timed out after 10.0 s (script-timeout); it was stopped and the session torn down.',
  );
});

test('killed after the grace period, before its teardown: it says so', () => {
  expect(message({ disconnected: false, forced: 'SIGKILL', stopped: null, processExitCode: 1 })).toBe(
    'The run timed out after 10.0 s (script-timeout); PowerShell ended before it disconnected (it did not stop when asked, and was killed), so the session was not torn down in this step; the post step makes sure nothing is left.',
  );
});

test('interrupted with SIGINT after the grace period, and torn down by its Ctrl+C handling', () => {
  expect(message({ stopReason: 'cancelled', forced: 'SIGINT', stopped: null })).toBe(
    'The run was cancelled; it was stopped and the session torn down (it did not stop within 5.0 s when asked, and was interrupted with SIGINT).',
  );
});

test('ended by the script itself during the stop (a finally block that calls [Environment]::Exit): it says so, and the hint names the call', () => {
  const verdict = judge(
    settings,
    stoppedRun({ disconnected: false, stopped: null, processExitCode: 0, teardown: 'none' } as Partial<SessionOutcome>),
  );
  expect(verdict.message).toBe(
    'The run timed out after 10.0 s (script-timeout); PowerShell ended itself (exit code 0) before it disconnected, so the session was not torn down in this step; the post step makes sure nothing is left.',
  );
  expect(verdict.hint).toMatch(
    /^The stop ran the script's finally blocks, and one of them .* ended PowerShell: \[Environment\]::Exit or Stop-Process -Id \$PID/,
  );
  // A PowerShell that aborted (a Windows stack overrun) did not end itself.
  expect(
    message({
      disconnected: false,
      stopped: null,
      processExitCode: 0xc0000409,
      teardown: 'none',
    } as Partial<SessionOutcome>),
  ).toMatch(/PowerShell ended before it disconnected, so the session was not torn down/);
  // Ended by a signal of the action's, it is not the script's doing.
  expect(
    message({
      disconnected: false,
      stopped: null,
      processExitCode: 1,
      forced: 'SIGKILL',
      teardown: 'none',
    } as Partial<SessionOutcome>),
  ).toMatch(/PowerShell ended before it disconnected \(it did not stop when asked, and was killed\)/);
});

test('killed while connecting', () => {
  expect(message({ connected: false, connecting: true, disconnected: false, forced: 'SIGKILL' })).toBe(
    'The run timed out after 10.0 s (script-timeout); PowerShell ended while it was connecting (it did not stop when asked, and was killed), before its teardown reported; the post step makes sure nothing is left.',
  );
});

test('killed at its timeout mid-phase, with no stop reported: the message still names the phase', () => {
  expect(
    message({ disconnected: false, forced: 'SIGKILL', stopped: null, processExitCode: null, runningPhase: 'script' }),
  ).toBe(
    'The run timed out after 10.0 s (script-timeout) in its script phase; PowerShell ended before it disconnected (it did not stop when asked, and was killed), so the session was not torn down in this step; the post step makes sure nothing is left.',
  );
});

test("stopped while a throttled connect waited to retry: the cause follows the message, and the hint stays the stop's", () => {
  const throttled = stoppedRun({
    connected: false,
    connecting: true,
    disconnected: false,
    stoppedPhase: 'connect',
    teardown: 'ended',
    retryPending: 'The remote server returned an error: (429) Too Many Requests.',
  });
  const verdict = judge(settings, throttled);
  expect(verdict.message).toMatch(
    / in its connect phase; .*\. It was retrying after a transient failure: The remote server returned an error: \(429\) Too Many Requests\.$/,
  );
  expect(verdict.hint).toBe(judge(settings, { ...throttled, retryPending: null }).hint);
  expect(judge(settings, { ...throttled, stopReason: 'cancelled', stopped: 'cancel' }).message).toMatch(
    /^The run was cancelled; .* It was retrying after a transient failure: The remote server/,
  );
});

describe('exchange-server: a connect stopped before New-PSSession returned', () => {
  const server = { ...settings, target: 'exchange-server', targets: ['exchange-server'] } as Settings;
  // As the runner reports it: the connect stopped, then a teardown that removed the sessions this
  // PowerShell held (Get-PSSession), and no 'connected' event, so no InstanceId.
  const stoppedConnect = stoppedRun({
    connected: false,
    connecting: true,
    disconnected: false,
    organization: null,
    stoppedPhase: 'connect',
    teardown: 'ended',
    processExitCode: 1,
  });

  test('the error says the teardown ran, and the warning that post has no InstanceId: no word contradicts another', () => {
    expect(judge(server, stoppedConnect).message).toBe(
      'The run timed out after 10.0 s (script-timeout) in its connect phase; it was stopped while connecting, and its teardown removed any session this PowerShell held.',
    );
    const warning = noDisconnectWarning(server, stoppedConnect);
    expect(warning).toBe(
      "The connect was stopped before New-PSSession returned a session. No InstanceId was recorded, so the post step cannot remove a session the server may have opened: it holds one of the account's sessions (its throttling policy's PowerShellMaxConcurrency) until the server's idle timeout ends it.",
    );
    expect(`${judge(server, stoppedConnect).message} ${warning}`).not.toMatch(
      /removes the server session by its InstanceId|makes sure nothing is left|before its teardown reported/,
    );
  });

  test('killed while connecting: post cannot remove a session it has no InstanceId for, and the message says so', () => {
    expect(judge(server, { ...stoppedConnect, teardown: 'none', forced: 'SIGKILL', stopped: null }).message).toBe(
      'The run timed out after 10.0 s (script-timeout) in its connect phase; PowerShell ended while it was connecting (it did not stop when asked, and was killed), before its teardown reported; with no InstanceId recorded, the post step cannot remove a session the connect may have opened.',
    );
  });
});

test('exchange-online: a connect stopped and a disconnect after it that failed', () => {
  const failed = stoppedRun({
    connected: false,
    connecting: true,
    disconnected: false,
    stoppedPhase: 'connect',
    teardown: 'ended',
    errors: [{ phase: 'teardown', message: 'Disconnect failed (injected).', terminating: false }],
  });
  expect(judge(settings, failed).message).toBe(
    'The run timed out after 10.0 s (script-timeout) in its connect phase; it was stopped while connecting, and its teardown reported no disconnect.',
  );
});

describe('every stop ends with a hint that fits what it left', () => {
  const hintOf = (over: Partial<SessionOutcome>, s: Settings = settings): string | null =>
    judge(s, stoppedRun(over)).hint;
  const killed = { forced: 'SIGKILL', stopped: null, processExitCode: null, signal: 'SIGKILL' } as const;

  test('a cancel that tore down, or came before anything connected: nothing to clean up, and where a cancel comes from', () => {
    for (const over of [
      { stopReason: 'cancelled' },
      { stopReason: 'cancelled', forced: 'SIGINT' },
      { stopReason: 'cancelled', connected: false, disconnected: false, organization: null },
      { stopReason: 'cancelled', connected: false, disconnected: false, organization: null, ...killed },
    ] as Array<Partial<SessionOutcome>>) {
      expect(hintOf(over)).toMatch(
        /^Nothing is left to clean up\. A cancel comes from outside the step: .*cancel-in-progress.*timeout-minutes/,
      );
    }
  });

  test('a timeout that tore down: nothing to clean up, and what script-timeout counts', () => {
    expect(hintOf({})).toMatch(
      /^Nothing is left to clean up\. script-timeout counts PowerShell's start, the token request, the module's download and the connect/,
    );
  });

  test('a stop that may have left the session: where to read what is left, and what keeps PowerShell from stopping', () => {
    const server = { ...settings, target: 'exchange-server', targets: ['exchange-server'] } as Settings;
    const connecting = { connected: false, connecting: true, disconnected: false, stoppedPhase: 'connect' };
    for (const [over, s] of [
      [{ stopReason: 'cancelled', disconnected: false, ...killed }, settings],
      [{ stopReason: 'timeout', disconnected: false, ...killed }, settings],
      [{ stopReason: 'cancelled', ...connecting, teardown: 'ended' }, settings],
      [{ stopReason: 'cancelled', ...connecting, teardown: 'none', ...killed }, settings],
      [{ stopReason: 'timeout', ...connecting, teardown: 'ended' }, server],
    ] as Array<[Partial<SessionOutcome>, Settings]>) {
      expect(hintOf(over, s)).toMatch(
        /^The session may outlive this step: the warning about the disconnect says what may be left .*post step's log .*give such a call a time limit of its own/,
      );
    }
  });

  describe('a stop while the module was being downloaded', () => {
    const feed = { ...settings, module: { repository: 'https://nuget.contoso.com/v3/index.json' } } as Settings;
    const inDownload = stoppedRun({
      connected: false,
      disconnected: false,
      organization: null,
      runningPhase: 'module',
      moduleSaving: true,
      ...killed,
    });

    test.each([
      [
        'cancelled',
        'The run was cancelled',
        // Someone asked for it: the download may only have been under way.
        /^The run was cancelled while the module was being downloaded\..*nothing was connected.*If the download was what held the run up, check that module-repository is the feed's URL.*https_proxy and no_proxy/,
      ],
      [
        'timeout',
        'The run timed out after 10.0 s (script-timeout) in its module phase',
        /^The run was stopped while the module was being downloaded.*Check that module-repository is the feed's URL.*https_proxy and no_proxy.*longer script-timeout/,
      ],
    ] as const)(
      '%s: the message names the feed that did not deliver, the hint what to check',
      (stopReason, start, hint) => {
        const verdict = judge(feed, { ...inDownload, stopReason });
        expect(verdict.message).toBe(
          `${start}; it was stopped before anything was connected (it did not stop when asked, and was killed). ExchangeOnlineManagement's download from https://nuget.contoso.com/v3/index.json (module-repository) had not finished.`,
        );
        expect(verdict.hint).toMatch(hint);
      },
    );

    test('a save that had ended, or none begun (a wait for another run): no word of a download', () => {
      for (const moduleSaving of [false, undefined]) {
        const verdict = judge(feed, { ...inDownload, stopReason: 'cancelled', moduleSaving });
        expect(verdict.message).not.toMatch(/download/);
        expect(verdict.hint).toMatch(/^Nothing is left to clean up\. A cancel/);
      }
    });
  });
});
