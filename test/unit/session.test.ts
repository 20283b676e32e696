// The Node side of the runner protocol: the events file, the outcome, the child's environment.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Cancellation } from '../../src/cancellation.js';
import { readSettings } from '../../src/inputs.js';
import { PLAN_FILE_LIMIT, RESULT_JSON_READ_LIMIT, readEvents, readOutcome } from '../../src/outcome.js';
import { judge } from '../../src/report.js';
import { createRunDirectory, isRunDirectory, type RunDirectory } from '../../src/run-directory.js';
import {
  addStartupHook,
  childEnvironment,
  endUnconfigured,
  hasOwnJitProfile,
  noteOwnJitProfile,
  keepOwnTestPreload,
  removeLeftSession,
  runSession,
  signalRunner,
  startRunner,
  startupVariables,
  teardownLimitMs,
  startLimitMs,
  START_LIMIT_MS,
  TEARDOWN_LIMIT_MS,
} from '../../src/session.js';
import { actionYml } from '../support/action.js';
import { isAlive, waitFor } from '../support/processes.js';
import { captureStdout, captureStdoutAsync } from '../support/stdout.js';
import { validInputs } from '../support/invalid-inputs.js';

let root: string;
let workspace: RunDirectory;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-session-'));
  workspace = createRunDirectory(root);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test('a relative RUNNER_TEMP (a local runner such as act) gives an absolute run directory, which post can recognise', () => {
  const relative = createRunDirectory(path.relative(process.cwd(), root));
  expect(path.isAbsolute(relative.dir)).toBe(true);
  expect(path.dirname(relative.dir)).toBe(root);
  expect(isRunDirectory(relative.dir, root)).toBe(true);
});

test('the run directory is private and has its own temp directory', () => {
  if (process.platform !== 'win32') expect(fs.statSync(workspace.dir).mode & 0o777).toBe(0o700); // Windows has no POSIX modes
  expect(fs.existsSync(workspace.tmp)).toBe(true);
  expect(path.dirname(workspace.dir)).toBe(root);
});

test('events are read line by line; a line cut short by a kill is ignored', () => {
  fs.writeFileSync(
    workspace.events,
    [
      JSON.stringify({ event: 'phase', name: 'connect', status: 'end', ms: 120 }),
      JSON.stringify({
        event: 'connected',
        command: 'Connect-ExchangeOnline',
        organization: 'contoso.onmicrosoft.com',
        connectionId: 'c1',
      }),
      '{"event":"script","exitCode":0,"err',
    ].join('\n'),
  );
  expect(readEvents(workspace.events).map((e) => e.event)).toEqual(['phase', 'connected']);
});

test('the outcome gathers phases, connection, errors, the script and the result', () => {
  fs.writeFileSync(
    workspace.events,
    [
      { event: 'phase', name: 'module', status: 'end', ms: 300 },
      { event: 'phase', name: 'connect', status: 'end', ms: 900 },
      { event: 'module', name: 'ExchangeOnlineManagement', version: '3.9.0', path: '/m' },
      {
        event: 'connected',
        command: 'New-PSSession',
        organization: 'mail01.contoso.com',
        connectionId: 'i1',
        instanceId: 'i1',
        connectionUri: 'http://mail01.contoso.com/PowerShell/',
      },
      { event: 'error', phase: 'script', message: 'first', terminating: false },
      {
        event: 'script',
        exitCode: 0,
        errors: 1,
        terminated: false,
        objects: 2,
        truncated: false,
        resultSha256: sha256('["a","b"]'),
      },
      { event: 'disconnected', ms: 40, instanceId: 'i1' },
    ]
      .map((e) => JSON.stringify(e))
      .join('\n') + '\n',
  );
  fs.writeFileSync(workspace.result, '["a","b"]');
  const outcome = readOutcome(workspace, 0, null, null);
  expect(outcome).toMatchObject({
    phases: { module: 300, connect: 900, teardown: 40 },
    module: { version: '3.9.0', path: '/m' },
    organization: 'mail01.contoso.com',
    connected: true,
    disconnected: true,
    errors: [{ phase: 'script', message: 'first', terminating: false }],
    script: { exitCode: 0, errors: 1 },
    resultJson: '["a","b"]',
    failedPhase: null,
  });
});

describe('result.json and plan.txt are read only as the runner wrote them (the digests in its signed events)', () => {
  const events = (...list: object[]): void =>
    fs.writeFileSync(workspace.events, list.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const script = (resultSha256?: string): object => ({
    event: 'script',
    exitCode: 0,
    errors: 0,
    terminated: false,
    objects: 1,
    truncated: false,
    ...(resultSha256 === undefined ? {} : { resultSha256 }),
  });

  test('the same bytes: read', () => {
    fs.writeFileSync(workspace.result, '["Zoë"]');
    fs.writeFileSync(workspace.plan, 'What if: one\nWhat if: two\n');
    events(script(sha256('["Zoë"]')), { event: 'plan', lines: 2, sha256: sha256('What if: one\nWhat if: two\n') });
    const outcome = readOutcome(workspace, 0, null, null);
    expect(outcome.resultJson).toBe('["Zoë"]');
    expect(outcome.plan).toEqual(['What if: one', 'What if: two']);
    expect(outcome.resultNote).toBeUndefined();
    expect(outcome.planNote).toBeUndefined();
  });

  test('changed after the runner wrote them: not read, and the outcome says why', () => {
    fs.writeFileSync(workspace.result, '[{"forged":1}]');
    fs.writeFileSync(workspace.plan, 'What if: Forged\n');
    events(script(sha256('["real"]')), { event: 'plan', lines: 1, sha256: sha256('What if: real\n') });
    const outcome = readOutcome(workspace, 0, null, null);
    expect(outcome.resultJson).toBeNull();
    expect(outcome.plan).toBeNull();
    expect(outcome.resultNote).toMatch(/^The run directory's result\.json is not the file the runner wrote/);
    expect(outcome.planNote).toMatch(/^The run directory's plan\.txt is not the file the runner wrote/);
    // Removed, or put back as something other than a regular file: the same.
    fs.rmSync(workspace.result);
    fs.rmSync(workspace.plan);
    fs.mkdirSync(workspace.plan);
    const gone = readOutcome(workspace, 0, null, null);
    expect(gone).toMatchObject({ resultJson: null, plan: null });
    expect(gone.resultNote).toMatch(/^The run directory's result\.json is not the file the runner wrote \(it is gone/);
    expect(gone.planNote).toMatch(/^The run directory's plan\.txt is not the file the runner wrote/);
  });

  test('with no event that vouches for them (PowerShell ended first, or a runner without digests): not read', () => {
    fs.writeFileSync(workspace.result, '["unvouched"]');
    fs.writeFileSync(workspace.plan, 'What if: unvouched\n');
    events(script(), { event: 'plan', lines: 1 });
    expect(readOutcome(workspace, 0, null, null)).toMatchObject({ resultJson: null, plan: null });
    events({ event: 'phase', name: 'script', status: 'start' });
    expect(readOutcome(workspace, 1, null, null)).toMatchObject({ resultJson: null, plan: null });
  });

  test('a plan above what is read: the whole file is checked, its first part kept', () => {
    const line = 'What if: ' + 'x'.repeat(990) + '\n';
    const text = line.repeat(Math.ceil((PLAN_FILE_LIMIT * 1.5) / line.length));
    fs.writeFileSync(workspace.plan, text);
    events({ event: 'plan', lines: 1, sha256: sha256(text) });
    const lines = readOutcome(workspace, 0, null, null).plan!;
    expect(lines).toEqual(
      text
        .slice(0, PLAN_FILE_LIMIT)
        .split('\n')
        .filter((l) => l !== ''),
    );
    events({ event: 'plan', lines: 1, sha256: sha256(text.slice(0, PLAN_FILE_LIMIT)) });
    expect(readOutcome(workspace, 0, null, null).plan).toBeNull();
  });
});

test('a result file far above the output limit is not read into memory; the outcome says why', () => {
  const fd = fs.openSync(workspace.result, 'w');
  fs.ftruncateSync(fd, RESULT_JSON_READ_LIMIT + 1); // sparse: no real disk used
  fs.closeSync(fd);
  const outcome = readOutcome(workspace, 0, null, null);
  expect(outcome.resultJson).toBeNull();
  expect(outcome.resultNote).toMatch(/^The result file was 4000001 bytes, far above GitHub's limit/);
});

test('only a directory named exo-connect-* directly in RUNNER_TEMP counts as a run directory', () => {
  expect(isRunDirectory(workspace.dir, root)).toBe(true);
  expect(isRunDirectory(workspace.dir + path.sep, root)).toBe(true);
  expect(isRunDirectory(workspace.tmp, root)).toBe(false); // not directly in RUNNER_TEMP
  expect(isRunDirectory(path.join(workspace.dir, '..', '..'), root)).toBe(false);
  expect(isRunDirectory(os.homedir(), root)).toBe(false);
  expect(isRunDirectory(root, root)).toBe(false);
  expect(isRunDirectory('exo-connect-x', root)).toBe(false); // relative
  const other = path.join(root, 'not-ours');
  fs.mkdirSync(other);
  expect(isRunDirectory(other, root)).toBe(false);
  const link = path.join(root, 'exo-connect-link');
  fs.symlinkSync(os.homedir(), link);
  expect(isRunDirectory(link, root)).toBe(false);
  expect(isRunDirectory(path.join(root, 'exo-connect-missing'), root)).toBe(false);
});

test('a stop that came while a connect waited to retry keeps what it was retrying after; a connect that then ended or failed does not', () => {
  const write = (...events: object[]): void =>
    fs.writeFileSync(workspace.events, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const retry = {
    event: 'retry',
    attempt: 1,
    delayMs: 1000,
    cause: 'The remote server returned an error: (429) Too Many Requests.',
  };
  write(
    { event: 'phase', name: 'connect', status: 'start' },
    retry,
    { event: 'stopped', reason: 'timeout' },
    { event: 'phase', name: 'connect', status: 'stopped', ms: 6000 },
  );
  expect(readOutcome(workspace, 1, null, 'timeout').retryPending).toBe(retry.cause);
  for (const status of ['end', 'failed']) {
    write({ event: 'phase', name: 'connect', status: 'start' }, retry, {
      event: 'phase',
      name: 'connect',
      status,
      ms: 3000,
    });
    expect(readOutcome(workspace, 0, null, null).retryPending).toBeNull();
  }
});

test('the phase under way when PowerShell ended is known, for a PowerShell killed mid-phase that reported no stop', () => {
  const write = (...events: object[]): void =>
    fs.writeFileSync(workspace.events, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  write(
    { event: 'phase', name: 'connect', status: 'start' },
    { event: 'phase', name: 'connect', status: 'end', ms: 5 },
    { event: 'phase', name: 'script', status: 'start' },
  );
  expect(readOutcome(workspace, null, 'SIGKILL', 'timeout')).toMatchObject({
    runningPhase: 'script',
    stoppedPhase: null,
  });
  write(
    { event: 'phase', name: 'script', status: 'start' },
    { event: 'phase', name: 'script', status: 'stopped', ms: 5 },
  );
  expect(readOutcome(workspace, 1, null, 'timeout')).toMatchObject({ runningPhase: null, stoppedPhase: 'script' });
});

test('a run with no events (PowerShell never started the runner) has an empty outcome', () => {
  expect(readOutcome(workspace, 127, null, null)).toMatchObject({
    connected: false,
    script: null,
    resultJson: null,
    errors: [],
  });
});

test("the child environment keeps the runner's and drops inputs, state, the state file and runner tokens", () => {
  const env = childEnvironment(
    {
      PATH: '/bin',
      HOME: '/home/r',
      GITHUB_WORKSPACE: '/w',
      GITHUB_STATE: '/rt/_runner_file_commands/save_state_1',
      GITHUB_OUTPUT: '/rt/_runner_file_commands/set_output_1',
      GITHUB_ENV: '/rt/_runner_file_commands/set_env_1',
      GITHUB_STEP_SUMMARY: '/rt/_runner_file_commands/step_summary_1',
      'INPUT_CERTIFICATE-PASSWORD': 'x',
      input_lower: 'x',
      STATE_clean: 'true',
      ACTIONS_RUNTIME_TOKEN: 't',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'u',
      ACTIONS_CACHE_URL: 'c',
    },
    workspace,
  );
  expect(env).toEqual({
    PATH: '/bin',
    HOME: '/home/r',
    GITHUB_WORKSPACE: '/w',
    GITHUB_OUTPUT: '/rt/_runner_file_commands/set_output_1',
    GITHUB_ENV: '/rt/_runner_file_commands/set_env_1',
    GITHUB_STEP_SUMMARY: '/rt/_runner_file_commands/step_summary_1',
    ACTIONS_CACHE_URL: 'c',
    TMPDIR: workspace.tmp,
    TEMP: workspace.tmp,
    TMP: workspace.tmp,
    POWERSHELL_TELEMETRY_OPTOUT: '1',
    POWERSHELL_UPDATECHECK: 'Off',
  });
});

test('startup variables the job sets itself keep its values, and the runner is told to remove only the others', () => {
  // A cache folder without a JIT profile: see the next test for one with.
  const noProfile = { XDG_CACHE_HOME: root, LOCALAPPDATA: root };
  // DOTNET_GCgen0size is not one of the action's (docs/decisions/0006): the job's passes through untouched.
  const parent = { PATH: '/bin', POWERSHELL_UPDATECHECK: 'LTS', DOTNET_GCgen0size: '0x1000000', ...noProfile };
  const env = childEnvironment(parent, workspace);
  expect(env.POWERSHELL_UPDATECHECK).toBe('LTS');
  expect(env.DOTNET_GCgen0size).toBe('0x1000000');
  expect(env.POWERSHELL_TELEMETRY_OPTOUT).toBe('1');
  expect(startupVariables(parent)).toEqual(['POWERSHELL_TELEMETRY_OPTOUT']);
  expect(startupVariables(noProfile)).toEqual(['POWERSHELL_TELEMETRY_OPTOUT', 'POWERSHELL_UPDATECHECK']);
});

test("the runner's library is PowerShell 7's startup hook, unless the job names hooks of its own", () => {
  const runner = path.join(root, 'ps', 'runner.ps1');
  const library = path.join(root, 'ps', 'ExoConnectRunner', 'bin', 'ExoConnectRunner.Native.dll');
  // No library beside the runner: nothing to name.
  const env: NodeJS.ProcessEnv = { PATH: '/bin' };
  expect(addStartupHook(env, runner)).toBeNull();
  expect(env).toEqual({ PATH: '/bin' });
  fs.mkdirSync(path.dirname(library), { recursive: true });
  fs.writeFileSync(library, '');
  expect(addStartupHook(env, runner)).toBe('DOTNET_STARTUP_HOOKS');
  expect(env).toEqual({ PATH: '/bin', DOTNET_STARTUP_HOOKS: library });
  // A folder whose name holds the path delimiter: .NET would split the path there.
  const split = path.join(root, `a${path.delimiter}b`, 'ps', 'runner.ps1');
  fs.mkdirSync(path.join(path.dirname(split), 'ExoConnectRunner', 'bin'), { recursive: true });
  fs.writeFileSync(path.join(path.dirname(split), 'ExoConnectRunner', 'bin', 'ExoConnectRunner.Native.dll'), '');
  const unsplit: NodeJS.ProcessEnv = {};
  expect(addStartupHook(unsplit, split)).toBeNull();
  expect(unsplit).toEqual({});
  // The job's own, in any case: left as it is, and not for the runner to remove.
  for (const name of ['DOTNET_STARTUP_HOOKS', 'dotnet_startup_hooks']) {
    const own: NodeJS.ProcessEnv = { [name]: '/opt/profiler/Hook.dll' };
    expect(addStartupHook(own, runner)).toBeNull();
    expect(own).toEqual({ [name]: '/opt/profiler/Hook.dll' });
  }
});

test("PowerShell records no new JIT profile where the action's own, younger than a day, is in its cache folder", () => {
  const cache = { XDG_CACHE_HOME: root, LOCALAPPDATA: root };
  const folder =
    process.platform === 'win32' ? path.join(root, 'Microsoft', 'PowerShell') : path.join(root, 'powershell');
  const profile = path.join(folder, 'StartupProfileData-NonInteractive');
  const own = (): boolean =>
    hasOwnJitProfile(cache) && startupVariables(cache).includes('DOTNET_MultiCoreJitNoProfileGather');
  expect(own()).toBe(false); // none: PowerShell records one
  fs.mkdirSync(folder, { recursive: true });
  // Another PowerShell's (a step before this one): recorded anew, and marked once written.
  const startedAt = Date.now() - 1000;
  fs.writeFileSync(profile, 'profile of other work');
  expect(own()).toBe(false);
  noteOwnJitProfile(cache, startedAt);
  expect(own()).toBe(true);
  expect(childEnvironment(cache, workspace).DOTNET_MultiCoreJitNoProfileGather).toBe('1');
  // Written over by another PowerShell: no longer the action's own.
  fs.writeFileSync(profile, 'profile of still other work');
  expect(own()).toBe(false);
  // Written before the run started: not this run's, not marked.
  const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
  fs.utimesSync(profile, hourAgo, hourAgo);
  noteOwnJitProfile(cache, startedAt);
  expect(own()).toBe(false);
  // Marked, then older than a day: recorded anew.
  noteOwnJitProfile(cache, hourAgo.getTime());
  expect(own()).toBe(true);
  const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
  fs.utimesSync(profile, twoDaysAgo, twoDaysAgo);
  noteOwnJitProfile(cache, twoDaysAgo.getTime());
  expect(own()).toBe(false);
  // An empty one is never the action's.
  fs.writeFileSync(profile, '');
  noteOwnJitProfile(cache, startedAt);
  expect(own()).toBe(false);
  // The job's own value stays, and is not the runner's to remove.
  fs.writeFileSync(profile, 'profile');
  noteOwnJitProfile(cache, startedAt);
  expect(own()).toBe(true);
  expect(startupVariables({ ...cache, DOTNET_MultiCoreJitNoProfileGather: '0' })).not.toContain(
    'DOTNET_MultiCoreJitNoProfileGather',
  );
});

test("what a script leaves at the JIT profile's mark (a named pipe, a link) neither blocks nor is written through", () => {
  if (process.platform === 'win32') return; // mkfifo and symbolic links: POSIX
  const cache = { XDG_CACHE_HOME: root };
  const folder = path.join(root, 'powershell');
  const profile = path.join(folder, 'StartupProfileData-NonInteractive');
  const mark = `${profile}.exo-connect-action`;
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(profile, 'profile');
  const startedAt = Date.now() - 1000;
  // A named pipe: reading it would wait for a writer for good.
  execFileSync('mkfifo', [mark]);
  expect(hasOwnJitProfile(cache)).toBe(false);
  noteOwnJitProfile(cache, startedAt);
  expect(fs.lstatSync(mark).isFile()).toBe(true);
  expect(hasOwnJitProfile(cache)).toBe(true);
  // A link to another file: never written through, and not taken for a mark.
  const victim = path.join(root, 'victim.txt');
  fs.writeFileSync(victim, 'keep me');
  fs.rmSync(mark);
  fs.symlinkSync(victim, mark);
  expect(hasOwnJitProfile(cache)).toBe(false);
  noteOwnJitProfile(cache, startedAt);
  expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
  expect(fs.lstatSync(mark).isSymbolicLink()).toBe(false);
  expect(hasOwnJitProfile(cache)).toBe(true);
});

/** A stand-in for PowerShell that records what arrives on stdin and otherwise waits forever. */
function waitingStandIn(): { shell: string; received: string } {
  const received = path.join(root, 'stdin.txt');
  const shell = path.join(root, 'stand-in');
  fs.writeFileSync(
    shell,
    `#!${process.execPath}\nconst fs = require('fs');\nfs.writeFileSync(${JSON.stringify(received)}, '');\nprocess.stdin.on('data', (d) => fs.appendFileSync(${JSON.stringify(received)}, d));\nsetInterval(() => undefined, 1000);\n`,
    { mode: 0o755 },
  );
  return { shell, received };
}

test('a cancel before the runner has its configuration ends it at once, and no configuration (no secret) is sent', async () => {
  const { shell, received } = waitingStandIn();
  const inputs: Record<string, string> = {
    ...Object.fromEntries(Object.entries(actionYml.inputs).map(([n, d]) => [n, d.default ?? ''])),
    ...validInputs(),
  };
  const settings = readSettings({
    getInput: (name) => inputs[name] ?? '',
    maskSecret: () => undefined,
    platform: 'linux',
    env: { GITHUB_WORKSPACE: root },
  });
  const provision = { shellPath: shell, runnerPath: path.join(root, 'runner.ps1'), moduleDirectory: null };
  const runner = startRunner(provision, root, workspace);
  const cancellation = new Cancellation();
  try {
    await new Promise((resolve) => setTimeout(resolve, 300)); // the stand-in is up and listening
    process.emit('SIGINT');
    const outcome = await runSession(
      settings,
      provision,
      workspace,
      runner,
      { onConnected: () => undefined },
      cancellation,
    );
    expect(outcome.stopReason).toBe('cancelled');
    expect(outcome.signal).toBe('SIGKILL');
    expect(fs.readFileSync(received, 'utf8')).toBe('');
    expect(runner.child.stdin!.writableEnded).toBe(false); // nothing was even written to the pipe
  } finally {
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
  }
});

test('endUnconfigured ends a runner still waiting for its configuration, and removes the run directory', async () => {
  const { shell, received } = waitingStandIn();
  const provision = { shellPath: shell, runnerPath: path.join(root, 'runner.ps1'), moduleDirectory: null };
  const runner = startRunner(provision, root, workspace);
  await waitFor(() => fs.existsSync(received), 10_000); // the stand-in is up and listening
  expect(isAlive(runner.child.pid!)).toBe(true);
  await endUnconfigured(runner, workspace);
  expect(isAlive(runner.child.pid!)).toBe(false);
  expect((await runner.exited).signal).toBe('SIGKILL');
  expect(fs.readFileSync(received, 'utf8')).toBe('');
  expect(fs.existsSync(workspace.dir)).toBe(false);
  // No runner yet (a token given as an input, refused before PowerShell starts): the directory only.
  const next = createRunDirectory(root);
  await endUnconfigured(null, next);
  expect(fs.existsSync(next.dir)).toBe(false);
});

/** A stand-in for PowerShell: records stdin, and acts on the stop line as `onStop` says. */
function standIn(onStop: 'stop' | 'ignore'): { shell: string; received: string } {
  const received = path.join(root, 'stdin.txt');
  const shell = path.join(root, 'stand-in');
  const body = `
const fs = require('fs');
const received = ${JSON.stringify(received)};
fs.writeFileSync(received, '');
let buffer = Buffer.alloc(0);
let config = null;
process.on('SIGINT', () => fs.appendFileSync(received, '<SIGINT>'));
process.stdin.on('data', (d) => {
  fs.appendFileSync(received, d);
  buffer = Buffer.concat([buffer, d]);
  // The configuration is framed by its length (encodeRunnerConfig); stop requests are lines.
  if (config === null) {
    const newline = buffer.indexOf(10);
    if (newline < 0) return;
    const length = Number(buffer.subarray(0, newline).toString('ascii'));
    if (buffer.length < newline + 1 + length) return;
    config = JSON.parse(buffer.subarray(newline + 1, newline + 1 + length).toString('utf8'));
    buffer = buffer.subarray(newline + 1 + length);
  }
  let at;
  while ((at = buffer.indexOf(10)) >= 0) {
    const message = JSON.parse(buffer.subarray(0, at).toString('utf8'));
    buffer = buffer.subarray(at + 1);
    if (message.type === 'stop' && ${JSON.stringify(onStop)} === 'stop') {
      const json = JSON.stringify({ event: 'stopped', reason: message.reason });
      const mac = require('crypto').createHmac('sha256', Buffer.from(config.eventKey, 'base64')).update(json).digest('hex');
      fs.appendFileSync(config.paths.events, mac + ' ' + json + '\\n');
      process.exit(0);
    }
  }
});
setInterval(() => undefined, 1000);
`;
  fs.writeFileSync(shell, `#!${process.execPath}\n${body}`, { mode: 0o755 });
  return { shell, received };
}

/** What the runner got on stdin: the framed configuration, and the text after it. */
function splitFramed(stdin: Buffer): { config: unknown; after: string } {
  const newline = stdin.indexOf(10);
  const length = Number(stdin.subarray(0, newline).toString('ascii'));
  expect(String(length)).toBe(stdin.subarray(0, newline).toString('ascii'));
  const end = newline + 1 + length;
  return {
    config: JSON.parse(stdin.subarray(newline + 1, end).toString('utf8')),
    after: stdin.subarray(end).toString('utf8'),
  };
}

async function runWithTimeout(shell: string) {
  const inputs: Record<string, string> = {
    ...Object.fromEntries(Object.entries(actionYml.inputs).map(([n, d]) => [n, d.default ?? ''])),
    ...validInputs(),
    script: "Write-Output 'Müller'",
    'script-timeout': '1s',
  };
  const settings = readSettings({
    getInput: (name) => inputs[name] ?? '',
    maskSecret: () => undefined,
    platform: 'linux',
    env: { GITHUB_WORKSPACE: root },
  });
  const provision = { shellPath: shell, runnerPath: path.join(root, 'runner.ps1'), moduleDirectory: null };
  const runner = startRunner(provision, root, workspace);
  const cancellation = new Cancellation('linux', new (await import('node:events')).EventEmitter());
  const outcome = await runSession(
    settings,
    provision,
    workspace,
    runner,
    { onConnected: () => undefined },
    cancellation,
  );
  return { outcome, runner };
}

test('a timeout is a stop line on stdin after the configuration; a runner that stops gets no signal', async () => {
  const { shell, received } = standIn('stop');
  const { outcome, runner } = await runWithTimeout(shell);
  const { config, after } = splitFramed(fs.readFileSync(received));
  expect(config).toMatchObject({ mode: 'run' }); // the configuration comes first
  expect(after).toBe('{"type":"stop","reason":"timeout"}\n');
  expect(outcome).toMatchObject({ stopReason: 'timeout', stopped: 'timeout', forced: null, signal: null });
  expect(outcome.processExitCode).toBe(0);
  expect(runner.child.stdin!.destroyed).toBe(true); // closed once the runner is gone, so main can end
});

test('the inline script is written as UTF-8 with a byte-order mark, for Windows PowerShell 5.1', async () => {
  const { shell } = standIn('stop');
  await runWithTimeout(shell);
  const bytes = fs.readFileSync(workspace.script);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.subarray(3).toString('utf8')).toBe("Write-Output 'Müller'");
});

test('a runner that does not stop when asked gets Ctrl+C after the grace period, then a kill', async () => {
  const { shell, received } = standIn('ignore');
  const { outcome } = await runWithTimeout(shell);
  expect(splitFramed(fs.readFileSync(received)).after).toBe('{"type":"stop","reason":"timeout"}\n<SIGINT>');
  expect(outcome).toMatchObject({ stopReason: 'timeout', stopped: null, forced: 'SIGKILL', signal: 'SIGKILL' });
});

describe("keepOwnTestPreload: the tests' hook, which the script could set for post through GITHUB_ENV", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-preload-'));
  const runner = path.join(root, 'dist', 'ps', 'runner.ps1');
  const module = path.join(root, 'sandbox', 'modules', 'Fake', 'Fake.psd1');
  fs.mkdirSync(path.dirname(runner), { recursive: true });
  fs.mkdirSync(path.dirname(module), { recursive: true });
  fs.writeFileSync(module, '@{}');
  const outside = path.join(root, 'Evil.psm1');
  fs.writeFileSync(outside, '');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const kept = (value: string): string | undefined => {
    const env: NodeJS.ProcessEnv = { EXO_CONNECT_ACTION_TEST_PRELOAD: value };
    // Captured, not printed: a refused value is warned about, and the warning is checked here.
    const out = captureStdout(() => keepOwnTestPreload(env, runner));
    const left = env.EXO_CONNECT_ACTION_TEST_PRELOAD;
    if (left === undefined) expect(out).toMatch(/^::warning::EXO_CONNECT_ACTION_TEST_PRELOAD is ignored/);
    else expect(out).toBe('');
    return left;
  };

  test('a release checkout (no .tools folder) honours none, its own sandbox included', () => {
    expect(kept(module)).toBeUndefined();
  });

  test('a bootstrapped checkout honours an absolute path into its sandbox, and nothing else', () => {
    fs.mkdirSync(path.join(root, '.tools'), { recursive: true });
    expect(kept(module)).toBe(fs.realpathSync(module));
    expect(kept(outside)).toBeUndefined();
    expect(kept(path.join(root, 'sandbox', '..', 'Evil.psm1'))).toBeUndefined();
    // Relative paths resolve differently in Node and in PowerShell (its working directory).
    expect(kept(path.relative(process.cwd(), module))).toBeUndefined();
  });
});

/** A copy of the runner's path in a checkout the bootstrap set up (a .tools folder), where the test knobs count. */
function ownCheckoutRunner(): string {
  fs.mkdirSync(path.join(root, '.tools'), { recursive: true });
  return path.join(root, 'dist', 'ps', 'runner.ps1');
}

/** Sets the tests' teardown limit for the duration of `work`. */
async function withTeardownLimit<T>(ms: number, work: () => Promise<T>): Promise<T> {
  process.env.EXO_CONNECT_ACTION_TEST_TEARDOWN_LIMIT_MS = String(ms);
  try {
    return await work();
  } finally {
    delete process.env.EXO_CONNECT_ACTION_TEST_TEARDOWN_LIMIT_MS;
  }
}

/**
 * A stand-in for PowerShell whose script succeeds at once and whose teardown then takes
 * `teardownMs`, or never ends (null; it ignores Ctrl+C then, as a teardown in a hung call may).
 */
function teardownStandIn(teardownMs: number | null): { shell: string; received: string } {
  const received = path.join(root, 'stdin.txt');
  const shell = path.join(root, 'teardown-stand-in');
  const body = `
const fs = require('fs');
const crypto = require('crypto');
const received = ${JSON.stringify(received)};
fs.writeFileSync(received, '');
process.on('SIGINT', () => fs.appendFileSync(received, '<SIGINT>'));
let buffer = Buffer.alloc(0);
let config = null;
const write = (event) => {
  const json = JSON.stringify(event);
  const mac = crypto.createHmac('sha256', Buffer.from(config.eventKey, 'base64')).update(json).digest('hex');
  fs.appendFileSync(config.paths.events, mac + ' ' + json + '\\n');
};
process.stdin.on('data', (d) => {
  fs.appendFileSync(received, d);
  if (config !== null) return;
  buffer = Buffer.concat([buffer, d]);
  const newline = buffer.indexOf(10);
  if (newline < 0) return;
  const length = Number(buffer.subarray(0, newline).toString('ascii'));
  if (buffer.length < newline + 1 + length) return;
  config = JSON.parse(buffer.subarray(newline + 1, newline + 1 + length).toString('utf8'));
  write({ event: 'phase', name: 'script', status: 'start' });
  write({ event: 'script', exitCode: 0, errors: 0, terminated: false, objects: 0, truncated: false });
  write({ event: 'phase', name: 'script', status: 'end', ms: 1 });
  write({ event: 'teardown', status: 'start' });
  const teardownMs = ${JSON.stringify(teardownMs)};
  if (teardownMs !== null) setTimeout(() => { write({ event: 'teardown', status: 'end' }); process.exit(0); }, teardownMs);
});
setInterval(() => undefined, 1000);
`;
  fs.writeFileSync(shell, `#!${process.execPath}\n${body}`, { mode: 0o755 });
  return { shell, received };
}

async function runTeardown(shell: string, scriptTimeout = '') {
  const inputs: Record<string, string> = {
    ...Object.fromEntries(Object.entries(actionYml.inputs).map(([n, d]) => [n, d.default ?? ''])),
    ...validInputs(),
    'script-timeout': scriptTimeout,
  };
  const settings = readSettings({
    getInput: (name) => inputs[name] ?? '',
    maskSecret: () => undefined,
    platform: 'linux',
    env: { GITHUB_WORKSPACE: root },
  });
  const provision = { shellPath: shell, runnerPath: ownCheckoutRunner(), moduleDirectory: null };
  const runner = startRunner(provision, root, workspace);
  const cancellation = new Cancellation('linux', new (await import('node:events')).EventEmitter());
  const started = Date.now();
  try {
    const { value: outcome, stdout } = await captureStdoutAsync(() =>
      withinSeconds(
        15,
        runSession(settings, provision, workspace, runner, { onConnected: () => undefined }, cancellation),
      ),
    );
    return { outcome, stdout, settings, ms: Date.now() - started };
  } finally {
    if (runner.child.exitCode === null && runner.child.signalCode === null) process.kill(-runner.child.pid!, 'SIGKILL');
  }
}

/** `work`, or a failure once it has taken `seconds`: a run that never ends must fail the test, not hang it. */
function withinSeconds<T>(seconds: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

describe('the teardown has a limit of its own; script-timeout ends with the script phase', () => {
  test('a teardown that does not return within its limit: PowerShell is interrupted, then killed; the run is judged by its script', async () => {
    const { shell, received } = teardownStandIn(null);
    const { outcome, stdout, settings, ms } = await withTeardownLimit(1000, () => runTeardown(shell));
    expect(ms).toBeLessThan(10_000);
    expect(outcome).toMatchObject({
      stopReason: null,
      teardown: 'started',
      teardownCutShortAfterMs: 1000,
      forced: 'SIGKILL',
      signal: 'SIGKILL',
    });
    expect(splitFramed(fs.readFileSync(received)).after).toBe('<SIGINT>'); // no stop line: no stop reaches a teardown
    expect(stdout).toContain('::endgroup::'); // PowerShell never closed its Teardown group
    expect(judge(settings, outcome)).toEqual({ ok: true, exitCode: 0, message: null, hint: null });
  });

  test('a teardown that ends after script-timeout is no timeout: script-timeout stopped counting when the script phase ended', async () => {
    const { shell, received } = teardownStandIn(2000);
    const { outcome, settings } = await runTeardown(shell, '1s');
    expect(outcome).toMatchObject({ stopReason: null, forced: null, signal: null, teardown: 'ended' });
    expect(outcome.teardownCutShortAfterMs ?? null).toBeNull();
    expect(splitFramed(fs.readFileSync(received)).after).toBe(''); // no stop line was sent
    expect(judge(settings, outcome).ok).toBe(true);
  });
});

test('a runner ended after it ignored a stop, which left a process running: the warning is about a command that ignored the stop', async () => {
  // The stand-in ignores the stop and Ctrl+C, and has started a process in a session of its own
  // (setsid), which a kill of PowerShell's process group does not reach.
  const { shell } = standIn('ignore');
  const pidFile = path.join(root, 'left.pid');
  const spawnLeft = `const left = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { detached: true, stdio: 'ignore' }); left.unref(); require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(left.pid));`;
  const original = fs.readFileSync(shell, 'utf8').split('\n');
  fs.writeFileSync(shell, [original[0], spawnLeft, ...original.slice(1)].join('\n'), { mode: 0o755 });
  const { stdout } = await captureStdoutAsync(() => runWithTimeout(shell));
  expect(stdout).toMatch(
    /::warning::PowerShell did not stop when asked and was ended; it left 1 process it had started still running, and it was ended, so the step does not wait for it\. A native command the script is waiting on does not end when the run is stopped if it ignores Ctrl\+C \(SIGINT\) or the stop does not reach it: give a long command a time limit of its own/,
  );
  expect(stdout).not.toMatch(/PowerShell exited and left/);
  // Ended with SIGKILL as PowerShell exited; the kill takes a moment to land.
  const left = Number(fs.readFileSync(pidFile, 'utf8'));
  for (let i = 0; i < 20 && isAlive(left); i++) await new Promise((r) => setTimeout(r, 100));
  expect(isAlive(left)).toBe(false);
});

describe("teardownLimitMs: the tests' shorter limit, which the script could set for post through GITHUB_ENV", () => {
  const limit = (value: string | undefined, runner: string): { ms: number; out: string } => {
    const env: NodeJS.ProcessEnv = value === undefined ? {} : { EXO_CONNECT_ACTION_TEST_TEARDOWN_LIMIT_MS: value };
    let ms = 0;
    const out = captureStdout(() => (ms = teardownLimitMs(env, runner)));
    return { ms, out };
  };

  test('unset, it is the real limit, without a word', () => {
    expect(limit(undefined, path.join(root, 'dist', 'ps', 'runner.ps1'))).toEqual({ ms: TEARDOWN_LIMIT_MS, out: '' });
    expect(TEARDOWN_LIMIT_MS).toBe(60_000);
  });

  test('a release checkout (no .tools folder) ignores it, with a warning', () => {
    const { ms, out } = limit('1000', path.join(root, 'dist', 'ps', 'runner.ps1'));
    expect(ms).toBe(TEARDOWN_LIMIT_MS);
    expect(out).toMatch(/^::warning::EXO_CONNECT_ACTION_TEST_TEARDOWN_LIMIT_MS is ignored/);
  });

  test('a bootstrapped checkout takes a shorter whole number of milliseconds, and nothing else', () => {
    const runner = ownCheckoutRunner();
    expect(limit('1000', runner)).toEqual({ ms: 1000, out: '' });
    for (const value of ['60000', '600000', '0', '-5', '1.5', '2s', ' 100']) {
      const { ms, out } = limit(value, runner);
      expect(ms).toBe(TEARDOWN_LIMIT_MS);
      expect(out).toMatch(/^::warning::EXO_CONNECT_ACTION_TEST_TEARDOWN_LIMIT_MS is ignored/);
    }
  });
});

test("startLimitMs: two minutes, and the tests' shorter limit only in a bootstrapped checkout", () => {
  const limit = (value: string, runner: string): { ms: number; out: string } => {
    let ms = 0;
    const out = captureStdout(() => (ms = startLimitMs({ EXO_CONNECT_ACTION_TEST_START_LIMIT_MS: value }, runner)));
    return { ms, out };
  };
  expect(START_LIMIT_MS).toBe(120_000);
  // A release checkout first: ownCheckoutRunner makes this one a bootstrapped checkout.
  const ignored = limit('4000', path.join(root, 'dist', 'ps', 'runner.ps1'));
  expect(ignored.ms).toBe(START_LIMIT_MS);
  expect(ignored.out).toMatch(
    /^::warning::EXO_CONNECT_ACTION_TEST_START_LIMIT_MS is ignored: .*PowerShell's limit to begin the run/,
  );
  expect(captureStdout(() => expect(startLimitMs({}, ownCheckoutRunner())).toBe(START_LIMIT_MS))).toBe('');
  expect(limit('4000', ownCheckoutRunner())).toEqual({ ms: 4000, out: '' });
});

test("post's removal of a server session does not wait past its limit for a server that does not answer", async () => {
  // Reads its configuration (stdin then ends, as for post's runner), never reports, ignores Ctrl+C.
  const shell = path.join(root, 'silent-server');
  const pidFile = path.join(root, 'silent-server.pid');
  fs.writeFileSync(
    shell,
    `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nprocess.on('SIGINT', () => undefined);\nprocess.stdin.resume();\nsetInterval(() => undefined, 1000);\n`,
    { mode: 0o755 },
  );
  const inputs: Record<string, string> = {
    ...Object.fromEntries(Object.entries(actionYml.inputs).map(([n, d]) => [n, d.default ?? ''])),
    target: 'exchange-server',
    auth: 'integrated',
    'connection-uri': 'http://mail01.contoso.com/PowerShell/',
  };
  const settings = readSettings({
    getInput: (name) => inputs[name] ?? '',
    maskSecret: () => undefined,
    platform: 'win32',
    env: { GITHUB_WORKSPACE: root },
    forCleanup: true, // as post reads them
  });
  const provision = { shellPath: shell, runnerPath: ownCheckoutRunner(), moduleDirectory: null };
  const started = Date.now();
  let removal: Awaited<ReturnType<typeof removeLeftSession>>;
  try {
    removal = await withTeardownLimit(1000, () =>
      withinSeconds(15, removeLeftSession(settings, provision, workspace, '11111111-2222-4333-8444-555555555555')),
    );
  } finally {
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : 0;
    if (pid > 0 && isAlive(pid)) process.kill(-pid, 'SIGKILL');
  }
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(isAlive(Number(fs.readFileSync(pidFile, 'utf8')))).toBe(false);
  expect(removal).toEqual({
    removed: null,
    error:
      'Get-PSSession or Remove-PSSession did not return within 1 s (the server did not answer), so post ended its PowerShell',
    unansweredAfterMs: 1000,
  });
});

test('Windows: ending PowerShell ends the tree under it (taskkill /T from System32), whatever the signal; the process alone if taskkill fails', async () => {
  const calls: Array<{ file: string; args: string[] }> = [];
  signalRunner(4242, 'SIGINT', 'win32', (file, args) => {
    calls.push({ file, args });
    return 'SUCCESS';
  });
  expect(calls).toEqual([
    { file: expect.stringMatching(/^C:\\Windows\\System32\\taskkill\.exe$/i), args: ['/PID', '4242', '/T', '/F'] },
  ]);
  // taskkill refused: Node's own kill of the one process still comes.
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  signalRunner(child.pid!, 'SIGKILL', 'win32', () => {
    throw new Error('ERROR: The process with PID 1 could not be terminated.');
  });
  await exited;
  expect(isAlive(child.pid!)).toBe(false);
});
