// The words for a timeout or a cancel come from what happened: whether the runner tore down, and
// whether Node had to fall back to signals after asking it to stop.
import { judge } from '../../src/report.js';
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

test('killed while connecting', () => {
  expect(message({ connected: false, connecting: true, disconnected: false, forced: 'SIGKILL' })).toBe(
    'The run timed out after 10.0 s (script-timeout); PowerShell ended while it was connecting (it did not stop when asked, and was killed), before its teardown reported; the post step makes sure nothing is left.',
  );
});
