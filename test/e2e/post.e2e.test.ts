// The post step, run as the runner runs it: STATE_* from main, never a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTicksOf } from '../../src/leftovers.js';
import { Job, ROOT, runMain, runPost, EXCHANGE_SERVER_ENV } from '../support/action.js';
import { isAlive, lockDirectory } from '../support/processes.js';

/** The runner.ps1 the built post step finds beside itself. */
const RUNNER = path.join(ROOT, 'dist', 'ps', 'runner.ps1');
const FLAGS = ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File'];

/**
 * A stand-in for PowerShell that ignores SIGINT, started the way main starts PowerShell (own
 * process group), with the argv given. It is a #! script, as the test's pwsh shim is.
 */
function stubbornProcess(job: Job, args: string[]): { child: ChildProcess; shell: string } {
  const shell = path.join(job.root, 'stubborn-pwsh');
  // Written once per job: rewritten while an earlier process still reads it, it would hand that
  // process an empty script, and the process would end at once.
  if (!fs.existsSync(shell)) {
    fs.writeFileSync(shell, `#!${process.execPath}\nprocess.on('SIGINT', () => {});\nsetInterval(() => {}, 1000);\n`, {
      mode: 0o755,
    });
  }
  const child = spawn(shell, args, { detached: true, stdio: 'ignore' });
  child.unref();
  return { child, shell };
}

/** The start main records for the process it just spawned: its clock, and on Linux the process's start tick. */
function startState(pid: number): Record<string, string> {
  return { 'runner-started': String(Date.now()), 'runner-start-ticks': String(startTicksOf(pid) ?? '') };
}

test('after a clean main, post starts no PowerShell and touches nothing', async () => {
  const job = new Job();
  try {
    job.state = { clean: 'true', workspace: path.join(job.runnerTemp, 'exo-connect-gone'), 'runner-pid': '999999' };
    const step = await runPost(job);
    expect(step.code).toBe(0);
    expect(step.log).toMatch(/nothing to clean up/);
    expect(job.pwshStarts()).toHaveLength(0);
  } finally {
    job.cleanup();
  }
});

test('after a clean main, post says "disconnected" only when main recorded a connection', async () => {
  const job = new Job();
  try {
    job.state = { clean: 'true', workspace: path.join(job.runnerTemp, 'exo-connect-gone') };
    // A connect that failed, a module that did not load, a cancel before the connect: nothing connected.
    const nothing = await runPost(job);
    expect(nothing.log).toBe('The main step recorded no connection and removed its files; nothing to clean up.\n');
    job.state = { ...job.state, 'connected-to': 'contoso.onmicrosoft.com' };
    const connected = await runPost(job);
    expect(connected.log).toBe('The main step disconnected and removed its files; nothing to clean up.\n');
    expect(job.pwshStarts()).toHaveLength(0);
  } finally {
    job.cleanup();
  }
});

const windowsPath = { ...EXCHANGE_SERVER_ENV };

/** A main step killed with its PowerShell while connected to Exchange Server: it leaves a server session for post. */
async function mainLeavesServerSession(job: Job): Promise<string> {
  const main = await runMain(job, {
    env: windowsPath,
    inputs: {
      target: 'exchange-server',
      auth: 'integrated',
      'connection-uri': 'http://mail01.contoso.com/PowerShell/',
      script: "'the script runs'; Start-Sleep -Seconds 60",
    },
    killOnOutput: /^the script runs$/m,
    killOnceSaved: 'server-session',
    killPowerShellToo: true, // a runner crash: nothing runs its teardown
  });
  expect(main.signal).toBe('SIGKILL');
  const instanceId = job.state['server-session']!;
  expect(instanceId).toMatch(/^[0-9a-f-]{36}$/);
  return instanceId;
}

test('exchange-server: a server that does not answer post is given up on at the limit, with a warning; post ends its PowerShell and removes the run directories', async () => {
  const job = new Job();
  try {
    const instanceId = await mainLeavesServerSession(job);
    const started = Date.now();
    const post = await runPost(job, {
      // Remove-PSSession never returns, as against a server that does not answer; a 3 s limit.
      env: {
        ...windowsPath,
        // It wrote half a line first: post's warning must still start a line of its own.
        EXO_SANDBOX_FAULTS: 'remove-slow:600000,remove-partial-line',
        EXO_CONNECT_ACTION_TEST_TEARDOWN_LIMIT_MS: '3000',
      },
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(post.code).toBe(0);
    expect(post.errors).toEqual([]);
    expect(post.warnings).toContainEqual(
      `The server-side session ${instanceId} on http://mail01.contoso.com/PowerShell/ may be left open: Get-PSSession or Remove-PSSession did not return within 3 s (the server did not answer), so post ended its PowerShell. Such a session holds one of the account's sessions (its throttling policy's PowerShellMaxConcurrency) until the server's idle timeout ends it.\nHint: Check that the runner reaches the server (Test-WSMan -ComputerName mail01.contoso.com); later runs can open one session fewer until that one ends.`,
    );
    const [, postPowerShell, ...more] = job.pwshStarts();
    expect(more).toEqual([]);
    expect(isAlive(postPowerShell!.pid)).toBe(false);
    expect(job.leftoverFiles().filter((f) => !f.startsWith(job.workspace))).toEqual([]);
  } finally {
    for (const { pid } of job.pwshStarts()) if (isAlive(pid)) process.kill(-pid, 'SIGKILL');
    job.cleanup();
  }
});

test('exchange-server: a removal the server refuses after half a line of output still ends with a warning of its own', async () => {
  const job = new Job();
  try {
    const instanceId = await mainLeavesServerSession(job);
    const post = await runPost(job, { env: { ...windowsPath, EXO_SANDBOX_FAULTS: 'remove-partial-line,remove-fail' } });
    expect(post.code).toBe(0);
    // The runner read the warning as a command: it starts a line of its own.
    expect(post.warnings).toContainEqual(
      expect.stringMatching(
        new RegExp(`^The server-side session ${instanceId} could not be removed: .*Access is denied`),
      ),
    );
  } finally {
    for (const { pid } of job.pwshStarts()) if (isAlive(pid)) process.kill(-pid, 'SIGKILL');
    job.cleanup();
  }
});

test('when main never started a session, post says so and succeeds', async () => {
  const job = new Job();
  try {
    const step = await runPost(job);
    expect(step.code).toBe(0);
    expect(step.log).toMatch(/started no session/);
    expect(job.pwshStarts()).toHaveLength(0);
  } finally {
    job.cleanup();
  }
});

test('post ends a runner main left behind, removes its directory and reports the connection', async () => {
  const job = new Job();
  const workspace = path.join(job.runnerTemp, 'exo-connect-left');
  fs.mkdirSync(path.join(workspace, 'tmp', 'tmpEXO_abcd'), { recursive: true });
  const { child: runner, shell } = stubbornProcess(job, [...FLAGS, RUNNER]);
  try {
    job.state = {
      workspace,
      'runner-pid': String(runner.pid),
      'runner-shell': shell,
      ...startState(runner.pid!),
      'connected-to': 'contoso.onmicrosoft.com',
    };
    const step = await runPost(job);
    expect(step.code).toBe(0);
    expect(step.warnings).toEqual([]);
    expect(step.log).toMatch(new RegExp(`Stopping PowerShell process ${runner.pid}`));
    expect(step.log).toMatch(/connection to contoso.onmicrosoft.com ended with its PowerShell process/);
    expect(isAlive(runner.pid!)).toBe(false);
    expect(fs.existsSync(workspace)).toBe(false);
    expect(job.pwshStarts()).toHaveLength(0);
  } finally {
    if (isAlive(runner.pid!)) process.kill(runner.pid!, 'SIGKILL');
    job.cleanup();
  }
});

test('after main was killed before it recorded a connection, post says what it found, what it ended and removed, and what became of the connection', async () => {
  const job = new Job();
  const workspace = path.join(job.runnerTemp, 'exo-connect-killed');
  fs.mkdirSync(path.join(workspace, 'tmp'), { recursive: true });
  // Stands in for a PowerShell that ignores both main's end and SIGINT: post must kill it.
  const { child: runner, shell } = stubbornProcess(job, [...FLAGS, RUNNER]);
  try {
    // As main saves it before it is killed: no runner-exited, no clean, no connected-to.
    job.state = {
      workspace,
      'runner-pid': String(runner.pid),
      'runner-shell': shell,
      ...startState(runner.pid!),
      'runner-exited': 'false',
    };
    const step = await runPost(job);
    expect(step.code).toBe(0);
    expect(step.warnings).toEqual([]);
    const pid = runner.pid!;
    expect(step.log).toContain(
      `The main step ended and left its PowerShell (process ${pid}) running; waiting up to 5 s for it to stop the script and tear down, as main's end asked it to.`,
    );
    expect(step.log).toContain(
      `PowerShell process ${pid} did not end within 3 s of SIGINT and was killed (SIGKILL), without a teardown.`,
    );
    expect(step.log).toContain(
      'The main step ended before it recorded a connection; a connection it may have opened ended with its PowerShell process.',
    );
    expect(step.log).toContain(`Removed the run directory ${workspace}.`);
    expect(isAlive(pid)).toBe(false);
    expect(fs.existsSync(workspace)).toBe(false);
    expect(job.pwshStarts()).toHaveLength(0);
  } finally {
    if (isAlive(runner.pid!)) process.kill(runner.pid!, 'SIGKILL');
    job.cleanup();
  }
});

test('a PowerShell that had already exited is reported; for exchange-server post says it cannot find a session main never recorded', async () => {
  const job = new Job();
  const workspace = path.join(job.runnerTemp, 'exo-connect-gone');
  fs.mkdirSync(workspace, { recursive: true });
  // A pid that was main's PowerShell and has exited.
  const gone = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => gone.on('exit', resolve));
  try {
    job.inputs = { INPUT_TARGET: 'exchange-server', INPUT_AUTH: 'integrated' };
    job.state = { workspace, 'runner-pid': String(gone.pid), 'runner-shell': 'pwsh' };
    const step = await runPost(job);
    expect(step.code).toBe(0);
    expect(step.warnings).toEqual([]);
    expect(step.log).toContain(
      `The main step ended before it saw its PowerShell (process ${gone.pid}) exit; that process has exited.`,
    );
    expect(step.log).toContain(
      "The main step ended before it recorded a connection, so there is no server-side session for post to remove: it removes one only by the InstanceId main recorded. A session the connect may have opened holds one of the account's sessions (its throttling policy's PowerShellMaxConcurrency) until the server's idle timeout ends it.",
    );
    expect(step.log).toContain(`Removed the run directory ${workspace}.`);
    expect(fs.existsSync(workspace)).toBe(false);
    // Without an InstanceId there is nothing to ask the server: post starts no PowerShell.
    expect(job.pwshStarts()).toHaveLength(0);
  } finally {
    job.cleanup();
  }
});

test('post never kills a process that is not its runner (pid reuse, or a forged state)', async () => {
  const job = new Job();
  // Each differs from main's argv in one way: other work, another runner.ps1, one more argument.
  const strangers = [
    stubbornProcess(job, ['unrelated-work']).child,
    stubbornProcess(job, [...FLAGS, path.join(job.root, 'dist', 'ps', 'runner.ps1')]).child,
    stubbornProcess(job, [...FLAGS, RUNNER, '-Extra']).child,
  ];
  const shell = path.join(job.root, 'stubborn-pwsh');
  try {
    for (const stranger of strangers) {
      job.state = {
        workspace: path.join(job.runnerTemp, 'exo-connect-x'),
        'runner-pid': String(stranger.pid),
        'runner-shell': shell,
      };
      const step = await runPost(job);
      expect(step.code).toBe(0);
      expect(step.log).toMatch(new RegExp(`Process ${stranger.pid} is not the PowerShell the main step started`));
      expect(isAlive(stranger.pid!)).toBe(true);
    }
  } finally {
    // Only the living: a failed assertion above must not be hidden by an error here.
    for (const stranger of strangers) if (isAlive(stranger.pid!)) process.kill(stranger.pid!, 'SIGKILL');
    job.cleanup();
  }
});

test("post leaves alone another job's PowerShell that got the pid main's had: same command line, another start", async () => {
  const job = new Job();
  // Another job's PowerShell from the same action checkout: exactly main's command line.
  const { child: other, shell } = stubbornProcess(job, [...FLAGS, RUNNER]);
  try {
    // Main's PowerShell had this pid before, started an hour earlier (a crashed job's state).
    const earlier = startState(other.pid!);
    job.state = {
      workspace: path.join(job.runnerTemp, 'exo-connect-crashed'),
      'runner-pid': String(other.pid),
      'runner-shell': shell,
      'runner-started': String(Number(earlier['runner-started']) - 3_600_000),
      // Clock ticks since boot: on a machine up for less than an hour, the earliest one there is.
      'runner-start-ticks':
        earlier['runner-start-ticks'] === ''
          ? ''
          : String(Math.max(1, Number(earlier['runner-start-ticks']) - 360_000)),
    };
    const step = await runPost(job);
    expect(step.code).toBe(0);
    expect(step.warnings).toEqual([]);
    expect(step.log).toContain(
      `Process ${other.pid} is not the PowerShell the main step started (it started at another time than main's PowerShell: the pid now belongs to another process); it was left alone.`,
    );
    expect(step.log).not.toMatch(/Stopping PowerShell process/);
    expect(isAlive(other.pid!)).toBe(true);
  } finally {
    if (isAlive(other.pid!)) process.kill(other.pid!, 'SIGKILL');
    job.cleanup();
  }
});

test('when main saw PowerShell exit, post ends no process, even one that is exactly the runner', async () => {
  const job = new Job();
  const { child: runner, shell } = stubbornProcess(job, [...FLAGS, RUNNER]);
  try {
    job.state = {
      workspace: path.join(job.runnerTemp, 'exo-connect-y'),
      'runner-pid': String(runner.pid),
      'runner-shell': shell,
      'runner-exited': 'true',
    };
    const step = await runPost(job);
    expect(step.code).toBe(0);
    expect(step.log).toMatch(/saw its PowerShell exit; there is no process to end/);
    expect(isAlive(runner.pid!)).toBe(true);
  } finally {
    process.kill(runner.pid!, 'SIGKILL');
    job.cleanup();
  }
});

test('post removes only a run directory of its own: a forged workspace is left alone, with a warning', async () => {
  const job = new Job();
  const precious = path.join(job.workspace, 'precious');
  const nested = path.join(job.runnerTemp, 'exo-connect-a', 'exo-connect-b');
  const outside = path.join(job.root, 'exo-connect-outside');
  for (const dir of [precious, nested, outside]) fs.mkdirSync(dir, { recursive: true });
  try {
    // The last one leads through a folder that does not exist to one that does.
    const through = `${job.runnerTemp}/exo-connect-gone/../../${path.relative(path.dirname(job.runnerTemp), precious)}`;
    for (const dir of [precious, nested, outside, job.runnerTemp, `${job.runnerTemp}/exo-connect-a/..`, through]) {
      job.state = { workspace: dir };
      const step = await runPost(job);
      expect(step.code).toBe(0);
      expect(step.warnings.join('\n')).toMatch(/is not one this action creates .* it was left alone/);
    }
    for (const dir of [precious, nested, outside]) expect(fs.existsSync(dir)).toBe(true);
  } finally {
    job.cleanup();
  }
});

test('a run directory that cannot be removed is a warning, never a failure', async () => {
  const job = new Job();
  const workspace = path.join(job.runnerTemp, 'exo-connect-locked');
  fs.mkdirSync(path.join(workspace, 'tmp'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'tmp', 'held'), '');
  const unlock = lockDirectory(path.join(workspace, 'tmp'), path.join(workspace, 'tmp', 'held'));
  try {
    job.state = { workspace };
    const step = await runPost(job);
    expect(step.code).toBe(0);
    expect(step.errors).toEqual([]);
    expect(step.warnings.join('\n')).toMatch(/Remove the run directory failed during cleanup/);
  } finally {
    unlock();
    job.cleanup();
  }
});
