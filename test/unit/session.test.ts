// The Node side of the runner protocol: the events file, the outcome, the child's environment.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Cancellation } from '../../src/cancellation.js';
import { readSettings } from '../../src/inputs.js';
import { RESULT_JSON_READ_LIMIT, readEvents, readOutcome } from '../../src/outcome.js';
import { createRunDirectory, isRunDirectory, type RunDirectory } from '../../src/run-directory.js';
import { childEnvironment, keepOwnTestPreload, runSession, startRunner, startupVariables } from '../../src/session.js';
import { actionYml } from '../support/action.js';
import { captureStdout } from '../support/stdout.js';
import { validInputs } from '../support/invalid-inputs.js';

let root: string;
let workspace: RunDirectory;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-session-'));
  workspace = createRunDirectory(root);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

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
      { event: 'script', exitCode: 0, errors: 1, terminated: false, objects: 2, truncated: false },
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
    DOTNET_GCgen0size: '0x4000000',
  });
});

test('startup variables the job sets itself keep its values, and the runner is told to remove only the others', () => {
  const parent = { PATH: '/bin', POWERSHELL_UPDATECHECK: 'LTS', DOTNET_GCgen0size: '0x1000000' };
  const env = childEnvironment(parent, workspace);
  expect(env.POWERSHELL_UPDATECHECK).toBe('LTS');
  expect(env.DOTNET_GCgen0size).toBe('0x1000000');
  expect(env.POWERSHELL_TELEMETRY_OPTOUT).toBe('1');
  expect(startupVariables(parent)).toEqual(['POWERSHELL_TELEMETRY_OPTOUT']);
  expect(startupVariables({})).toEqual(['POWERSHELL_TELEMETRY_OPTOUT', 'POWERSHELL_UPDATECHECK', 'DOTNET_GCgen0size']);
});

test('a cancel before the runner has its configuration ends it at once, and no configuration (no secret) is sent', async () => {
  // A stand-in for PowerShell that records what arrives on stdin and otherwise waits forever.
  const received = path.join(root, 'stdin.txt');
  const shell = path.join(root, 'stand-in');
  fs.writeFileSync(
    shell,
    `#!${process.execPath}\nconst fs = require('fs');\nfs.writeFileSync(${JSON.stringify(received)}, '');\nprocess.stdin.on('data', (d) => fs.appendFileSync(${JSON.stringify(received)}, d));\nsetInterval(() => undefined, 1000);\n`,
    { mode: 0o755 },
  );
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
