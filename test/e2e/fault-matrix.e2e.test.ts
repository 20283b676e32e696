// The fault matrix: every fault against every target, end to end through dist/.
// Each case asserts the outcome and its message, that the connection was torn down (a
// disconnect or session removal in main or post; for the REST targets, after a kill, the
// process that held the connection is gone, as Exchange Online keeps no server session),
// that the run's temporary directory is gone, and that no PowerShell process is left.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Job, runMain, runPost, type StepResult, type StepOptions, EXCHANGE_SERVER_ENV } from '../support/action.js';
import { isAlive } from '../support/processes.js';
import { validInputs } from '../support/invalid-inputs.js';

const SLEEP = 'Start-Sleep -Seconds 120';

interface Target {
  name: string;
  inputs: Record<string, string>;
  env: Record<string, string>;
  connectFault: string;
  teardown: string;
}

const TARGETS: Target[] = [
  {
    name: 'exchange-online',
    inputs: validInputs(),
    env: {},
    connectFault: 'connect-auth',
    teardown: 'Disconnect-ExchangeOnline',
  },
  {
    name: 'security-compliance',
    inputs: { ...validInputs(), target: 'security-compliance' },
    env: {},
    connectFault: 'connect-auth',
    teardown: 'Disconnect-ExchangeOnline',
  },
  {
    name: 'exchange-server',
    inputs: {
      target: 'exchange-server',
      auth: 'integrated',
      'connection-uri': 'http://mail01.contoso.com/PowerShell/',
    },
    env: { ...EXCHANGE_SERVER_ENV },
    connectFault: 'server-logon',
    teardown: 'Remove-PSSession',
  },
];

interface Fault {
  id: number;
  name: string;
  /** How main ends: it fails on its own, succeeds with a warning, or the test kills it (the runner crashed). */
  ends: 'fails' | 'succeeds' | 'killed';
  run(job: Job, target: Target): Promise<{ main: StepResult; post: StepResult }>;
  expect(main: StepResult, post: StepResult, job: Job): void;
}

async function mainThenPost(
  job: Job,
  target: Target,
  inputs: Record<string, string>,
  options: StepOptions = {},
  env: Record<string, string> = {},
) {
  const main = await runMain(job, {
    ...options,
    inputs: { ...target.inputs, ...inputs },
    env: { ...target.env, ...env },
  });
  const post = await runPost(job, { env: target.env });
  return { main, post };
}

/** Kills the PowerShell process group with -9 once the session is connected. */
async function killPowerShellWhenConnected(job: Job): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const connected = job.calls().some((c) => /^(Connect-|New-PSSession$)/.test(c.command));
    const start = job.pwshStarts()[0];
    if (start !== undefined && connected) {
      await new Promise((r) => setTimeout(r, 500));
      process.kill(-start.pid, 'SIGKILL');
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('PowerShell never connected within 20 s, so there was nothing to kill mid-script');
}

const FAULTS: Fault[] = [
  {
    id: 1,
    name: 'script throws',
    ends: 'fails',
    run: (job, t) => mainThenPost(job, t, { script: 'throw "fault one"' }),
    // The tenant: the organization, or the server's host for exchange-server.
    expect: (m) =>
      expect(m.errors.join('\n')).toMatch(
        /The script \((contoso\.onmicrosoft\.com|mail01\.contoso\.com)\) failed: fault one/,
      ),
  },
  {
    id: 2,
    name: 'script exits 4',
    ends: 'fails',
    run: (job, t) => mainThenPost(job, t, { script: 'exit 4' }),
    expect: (m) => {
      expect(m.outputs['exit-code']).toBe('4');
      expect(m.errors.join('\n')).toMatch(/ended with exit 4, so the step fails with exit code 4/);
    },
  },
  {
    id: 3,
    name: 'errors under Continue',
    ends: 'fails',
    run: (job, t) =>
      mainThenPost(job, t, { script: 'Write-Error "fault three"; "after"', 'error-action-preference': 'Continue' }),
    expect: (m) => expect(m.errors.join('\n')).toMatch(/wrote 1 error record/),
  },
  {
    id: 4,
    name: 'connect fails',
    ends: 'fails',
    run: (job, t) =>
      mainThenPost(
        job,
        t,
        { script: 'Get-Mailbox', 'connect-retries': '0' },
        {},
        { EXO_SANDBOX_FAULTS: t.connectFault },
      ),
    expect: (m) => expect(m.errors.join('\n')).toMatch(/^Connecting to .* failed: .*\nHint: /s),
  },
  {
    id: 5,
    name: 'connect hangs past script-timeout',
    ends: 'fails',
    run: (job, t) =>
      mainThenPost(
        job,
        t,
        { script: 'Get-Mailbox', 'script-timeout': '3s', 'connect-retries': '0' },
        {},
        { EXO_SANDBOX_FAULTS: 'connect-slow:60000' },
      ),
    expect: (m) =>
      expect(m.errors.join('\n')).toMatch(
        /The run \((contoso\.onmicrosoft\.com|mail01\.contoso\.com)\) timed out after 3\.0 s/,
      ),
  },
  {
    id: 6,
    name: 'PowerShell killed -9 mid-script',
    ends: 'fails',
    run: async (job, t) => {
      const running = mainThenPost(job, t, { script: SLEEP });
      await killPowerShellWhenConnected(job);
      return running;
    },
    expect: (m) =>
      expect(m.errors.join('\n')).toMatch(
        /PowerShell \((contoso\.onmicrosoft\.com|mail01\.contoso\.com)\) was ended by SIGKILL before the script finished/,
      ),
  },
  {
    id: 7,
    name: 'main receives SIGINT (cancel)',
    ends: 'fails',
    run: (job, t) => mainThenPost(job, t, { script: SLEEP }, { cancelAfterMs: 5000 }),
    expect: (m) => {
      expect(m.signal).toBeNull();
      expect(m.errors.join('\n')).toMatch(/The run \((contoso\.onmicrosoft\.com|mail01\.contoso\.com)\) was cancelled/);
    },
  },
  {
    id: 8,
    name: 'main killed -9, then post',
    ends: 'killed',
    // Once the script runs, so the session is connected whatever the machine's load (a fixed delay
    // could land before the connect).
    run: (job, t) => mainThenPost(job, t, { script: SLEEP }, { killOnOutput: /::group::Script/ }),
    // Main could not stop its PowerShell, but PowerShell saw its stdin end (the action was gone),
    // stopped the script and tore down by itself: post has no process to stop or to mistake.
    expect: (_m, post, job) => {
      expect(Number(job.state['runner-pid'])).toBe(job.pwshStarts()[0]!.pid);
      expect(job.calls().some((c) => /^(Disconnect-ExchangeOnline|Remove-PSSession)$/.test(c.command))).toBe(true);
      expect(post.log).not.toMatch(/Stopping PowerShell process|is not the PowerShell the main step started/);
    },
  },
  {
    id: 9,
    name: 'teardown never returns',
    ends: 'succeeds',
    // Disconnect-ExchangeOnline and Remove-PSSession hang, as against a service that does not
    // answer; the tests' teardown limit is 3 s (session.ts, teardownLimitMs). Post's own removal of
    // the server session works.
    run: (job, t) =>
      mainThenPost(
        job,
        t,
        { script: "'work done'" },
        {},
        {
          EXO_SANDBOX_FAULTS: 'disconnect-slow:600000,remove-slow:600000',
          EXO_CONNECT_ACTION_TEST_TEARDOWN_LIMIT_MS: '3000',
        },
      ),
    expect: (m, post) => {
      expect(m.outputs['exit-code']).toBe('0');
      expect(m.errors).toEqual([]);
      expect(m.warnings).toContainEqual(
        expect.stringMatching(
          /^The teardown \((contoso\.onmicrosoft\.com|mail01\.contoso\.com)\) did not return within 3 s: /,
        ),
      );
      expect(post.warnings.filter((w) => !/EXO_CONNECT_ACTION_TEST_PLATFORM/.test(w))).toEqual([]);
    },
  },
];

const rows: string[][] = [];
afterAll(() => {
  if (rows.length === 0) return;
  const header = ['fault', 'target', 'outcome', 'torn down', 'temp dir', 'processes'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(['Fault matrix', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
});

const cases = FAULTS.flatMap((fault) =>
  TARGETS.map((target) => [`${fault.id}. ${fault.name} × ${target.name}`, fault, target] as const),
);

test.each(cases)(
  '%s',
  async (_title, fault, target) => {
    const job = new Job();
    const row = [`${fault.id}. ${fault.name}`, target.name, '', '', '', ''];
    rows.push(row);
    try {
      const { main, post } = await fault.run(job, target);
      if (fault.ends === 'fails') {
        // Main ended on its own and failed the step; only the killed-main fault ends by the test's SIGKILL.
        expect([main.code, main.signal]).toEqual([1, null]);
        row[2] = `failed: ${(main.errors[0] ?? '').split('\n')[0]!.slice(0, 40)}`;
      } else if (fault.ends === 'succeeds') {
        expect([main.code, main.signal]).toEqual([0, null]);
        row[2] = `succeeded: ${(main.warnings.find((w) => /teardown/.test(w)) ?? '').slice(0, 40)}`;
      } else {
        expect([main.code, main.signal]).toEqual([null, 'SIGKILL']);
        row[2] = 'main killed';
      }
      fault.expect(main, post, job);
      expect(post.code).toBe(0);

      // Torn down: a disconnect or removal in main or post, or (REST, after a kill) no process holding the connection.
      const pids = job.pwshStarts().map((s) => s.pid);
      // A server session exists once New-PSSession has returned (Import-PSSession follows); a stopped
      // New-PSSession leaves none, which the server's session table below proves.
      const connected =
        job.calls().some((c) => /^(Connect-ExchangeOnline|Connect-IPPSSession|Import-PSSession)$/.test(c.command)) &&
        fault.id !== 4;
      const tornDown = job.calls().some((c) => c.command === target.teardown);
      const serverTable = path.join(job.sandboxState, 'server-sessions.json');
      const openServerSessions = fs.existsSync(serverTable)
        ? [JSON.parse(fs.readFileSync(serverTable, 'utf8') || '[]')].flat().length
        : 0;
      expect(openServerSessions).toBe(0);
      if (connected && target.name !== 'exchange-server' && (fault.id === 6 || fault.id === 8)) {
        row[3] = tornDown ? target.teardown : 'process gone (REST)';
      } else if (connected) {
        expect(tornDown).toBe(true);
        row[3] = target.teardown;
      } else {
        row[3] = 'never connected';
      }
      expect(job.leftoverFiles().filter((f) => !f.startsWith(job.workspace))).toEqual([]);
      row[4] = 'empty';
      for (const pid of pids) expect(isAlive(pid)).toBe(false);
      row[5] = `none left (${pids.length} started)`;
    } finally {
      for (const { pid } of job.pwshStarts()) if (isAlive(pid)) process.kill(-pid, 'SIGKILL');
      job.cleanup();
    }
  },
  90_000,
);
