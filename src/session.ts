// Runs the one PowerShell process that imports, connects, runs the user's script
// and disconnects. Configuration (secrets included) goes in as framed JSON on
// stdin; facts come back through the events file; output is inherited, so it
// streams live and never passes through this process's memory.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from './actions-core.js';
import { connectionUriOf, TESTED_MODULE_VERSION, type Settings, type Target } from './inputs.js';
import type { Credentials } from './auth.js';
import type { Cancellation } from './cancellation.js';
import type { Provision } from './provisioning.js';
import { newEventKey } from './events.js';
import { EventLog, readEvents, readOutcome, type SessionOutcome } from './outcome.js';
import { isInside, type RunDirectory } from './run-directory.js';
import { endLeftovers, markStart, type StartMark } from './leftovers.js';
import { counted } from './log-text.js';
import { runTool, system32, type RunTool } from './private-dir.js';
import { RUNNER_ARGS } from './runner-identity.js';
import {
  encodeRunnerConfig,
  runnerCredentials,
  RUNNER_CONTRACT_VERSION,
  type ConnectionConfig,
  type RemoveSessionConfig,
  type RunConfig,
  type RunnerConfig,
  type RunnerEvent,
  type StopRequest,
} from './runner-contract.js';

/** How many returned objects are kept for `result` and the summary. */
export const RESULT_OBJECT_LIMIT = 1000;
/**
 * How long PowerShell gets, once asked on stdin, to stop the script and tear down. After it, a
 * Ctrl+C (SIGINT), and INTERRUPT_GRACE_MS later a kill. Both together stay under the 7.5 s the
 * runner gives a cancelled step before its second signal. After script-timeout, a teardown that
 * starts within it has TEARDOWN_LIMIT_MS instead, as without a stop.
 */
export const STOP_GRACE_MS = 5000;
export const INTERRUPT_GRACE_MS = 1500;
/**
 * How long PowerShell gets to exit once its teardown has ended; it takes well under a second. A
 * script's PowerShell.Exiting handler, say, could otherwise hold the step until the job times out.
 */
export const EXIT_GRACE_MS = 5000;
/**
 * How long the teardown (the disconnect or Remove-PSSession, and the check after it) may take once
 * the script phase has ended, and how long the post step's removal of a server session may take.
 * Both take well under a second. 60 s is WinRM's default longest wait for one operation
 * (MaxTimeoutms, https://learn.microsoft.com/openspecs/windows_protocols/ms-wsmv/932240de-3943-4ed3-a162-8b3c4de5a286):
 * a server that has not answered by then is not going to. After it, PowerShell is ended as one
 * that ignores a stop is (interruptThenKill), since no stop reaches the teardown.
 */
export const TEARDOWN_LIMIT_MS = 60_000;
/**
 * How long the runner may take, once given its configuration, to write its first event: PowerShell's
 * start, the runner's module, reading the configuration and the script's parameters, which take
 * seconds. A PowerShell that hangs as it starts (a damaged JIT start-up profile in its cache folder,
 * https://github.com/PowerShell/PowerShell/issues/26528) would otherwise hold the job until the job
 * times out when no script-timeout is set. Nothing has connected before that event, so PowerShell
 * is killed.
 */
export const START_LIMIT_MS = 120_000;

const UTF8_BOM = '\uFEFF';

/** Settings as the runner gets them: with the credential for each workload (a token is for one). */
export type RunSettings = Settings & { connectionCredentials?: Credentials[] };

/** The runner's configuration. It holds secrets: it only ever travels over stdin. */
export function buildRunnerConfig(
  settings: RunSettings,
  provision: Provision,
  workspace: RunDirectory,
  eventKey: string | null = null,
  moduleDigest = false,
): RunConfig {
  let scriptPath: string;
  if (settings.script.kind === 'inline') {
    // A file, not a ScriptBlock: `exit N` then ends the user's script, not the runner. With a
    // UTF-8 byte-order mark, because Windows PowerShell 5.1 reads a file without one in the
    // system's ANSI code page (about_Character_Encoding), and 'Müller' would reach Exchange changed.
    // 'wx': a file that is already there is not this run's (createRunDirectory).
    fs.writeFileSync(workspace.script, UTF8_BOM + settings.script.text, { mode: 0o600, flag: 'wx' });
    scriptPath = workspace.script;
  } else {
    scriptPath = settings.script.path;
  }
  return {
    version: RUNNER_CONTRACT_VERSION,
    mode: 'run',
    paths: { events: workspace.events, result: workspace.result, plan: workspace.plan },
    eventKey,
    module: {
      name: 'ExchangeOnlineManagement',
      version: settings.module.version,
      repository: settings.module.repository,
      path: provision.moduleDirectory,
      testedVersion: TESTED_MODULE_VERSION,
      digest: moduleDigest,
    },
    connection: connectionConfig(settings),
    credentials: runnerCredentials(settings.credentials),
    connections: settings.targets.map((target, i) => ({
      connection: connectionConfig(settings, target),
      credentials: runnerCredentials(settings.connectionCredentials?.[i] ?? settings.credentials),
    })),
    connectRetries: settings.connectRetries,
    resultLimit: RESULT_OBJECT_LIMIT,
    resultDepth: settings.resultDepth,
    resultFile: settings.resultFile,
    script: {
      path: scriptPath,
      input: settings.script.kind === 'file' ? 'script-file' : 'script',
      workingDirectory: settings.workingDirectory,
      parameters: settings.parameters.json,
      errorActionPreference: settings.errorActionPreference,
      whatIf: settings.whatIf,
    },
  };
}

/** The post step's configuration: find the server session by InstanceId and remove it. */
export function buildRemoveSessionConfig(
  settings: Settings,
  workspace: RunDirectory,
  instanceId: string,
  eventKey: string | null = null,
): RemoveSessionConfig {
  return {
    version: RUNNER_CONTRACT_VERSION,
    mode: 'remove-session',
    paths: { events: workspace.events },
    eventKey,
    connection: connectionConfig(settings),
    credentials: runnerCredentials(settings.credentials),
    instanceId,
  };
}

function connectionConfig(settings: Settings, target: Target = settings.target): ConnectionConfig {
  const overridesEndpoints = target === 'security-compliance' || settings.connectionUriOverridden;
  const connectionUri = connectionUriOf(settings, target);
  return {
    target,
    authMethod: settings.auth,
    environment: settings.environment,
    connectionUri: overridesEndpoints ? connectionUri : null,
    authorizationEndpointUri: authorizationEndpointUri(settings, target, overridesEndpoints),
    organization: settings.organization,
    delegatedOrganization: settings.delegatedOrganization,
    prefix: settings.prefix,
    commandNames: settings.module.commandNames === 'all' ? null : settings.module.commandNames,
    server: settings.exchangeServer,
  };
}

/**
 * -AzureADAuthorizationEndpointUri: Security & Compliance with delegated access signs in at the
 * customer's tenant, which Connect-IPPSSession needs named with DelegatedOrganization
 * (https://learn.microsoft.com/powershell/exchange/connect-to-scc-powershell); a national cloud's
 * endpoints otherwise sign in at its authority's /organizations. Null for the module's default.
 */
function authorizationEndpointUri(settings: Settings, target: Target, overridesEndpoints: boolean): string | null {
  const host = settings.endpoints.authorityHost;
  // Only where the module signs in itself (a certificate): a token flow's token comes from tenant-id.
  if (target === 'security-compliance' && settings.delegatedOrganization !== null && settings.auth === 'certificate')
    return `https://${host}/${settings.delegatedOrganization}`;
  return overridesEndpoints && settings.environment !== 'O365Default' ? `https://${host}/organizations` : null;
}

/**
 * Variables the user's script must not see: the action's inputs, the runner's own tokens, and the
 * state file, through which the script could steer the post step. GITHUB_OUTPUT, GITHUB_ENV and
 * GITHUB_STEP_SUMMARY stay: scripts rely on them.
 */
const HIDDEN_VARIABLE = /^(INPUT_|STATE_|ACTIONS_ID_TOKEN_REQUEST_|ACTIONS_RUNTIME_TOKEN$|GITHUB_STATE$)/i;

export function childEnvironment(
  parent: NodeJS.ProcessEnv,
  workspace: RunDirectory,
  added: readonly string[] = startupVariables(parent),
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(parent)) {
    if (!HIDDEN_VARIABLE.test(name)) env[name] = value;
  }
  // The module's tmpEXO_* folders then land in this run's directory and leave with it.
  env.TMPDIR = workspace.tmp;
  env.TEMP = workspace.tmp;
  env.TMP = workspace.tmp;
  for (const name of added) env[name] = STARTUP_VARIABLES[name];
  return env;
}

/** One of the runtime's own settings: play a JIT profile back, record none (hasOwnJitProfile). */
const NO_PROFILE_GATHER = 'DOTNET_MultiCoreJitNoProfileGather';
/** A profile of the action's own younger than this is played back as it is; an older one is recorded anew. */
const JIT_PROFILE_FRESH_MS = 24 * 60 * 60 * 1000;

/**
 * The JIT start-up profile of PowerShell's start, in PowerShell's cache folder:
 * $XDG_CACHE_HOME/powershell (~/.cache/powershell), on Windows %LOCALAPPDATA%\Microsoft\PowerShell;
 * named after -NonInteractive, which the runner uses. Beside it, the size and time of the last one
 * the action's own PowerShell wrote.
 */
function jitProfile(env: NodeJS.ProcessEnv): { profile: string; mark: string } | null {
  const folder =
    process.platform === 'win32'
      ? env.LOCALAPPDATA && path.join(env.LOCALAPPDATA, 'Microsoft', 'PowerShell')
      : path.join(env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache'), 'powershell');
  if (!folder) return null;
  const profile = path.join(folder, 'StartupProfileData-NonInteractive');
  return { profile, mark: `${profile}.exo-connect-action` };
}

/**
 * Whether PowerShell's cache folder holds a JIT start-up profile that the action's own PowerShell
 * wrote less than a day ago. PowerShell has .NET record which methods its start compiles, and .NET
 * writes that profile as the process exits, for the next start to compile them ahead on another
 * core (https://learn.microsoft.com/dotnet/api/system.runtime.profileoptimization). The write costs
 * every run about 20 ms at its end; with its own recent profile there, the runner's PowerShell plays
 * it back and writes none. A profile another PowerShell wrote (a step before this one) is recorded
 * anew: played back, one made by other work left the runner's start about 150 ms slower.
 */
export function hasOwnJitProfile(env: NodeJS.ProcessEnv, now = Date.now()): boolean {
  const files = jitProfile(env);
  if (files === null) return false;
  try {
    const profile = fs.statSync(files.profile);
    const fresh = profile.isFile() && profile.size > 0 && now - profile.mtimeMs < JIT_PROFILE_FRESH_MS;
    return fresh && readMark(files.mark) === profileMark(profile);
  } catch {
    return false;
  }
}

/**
 * After a runner that was let record its profile and exited by itself: marks the profile PowerShell
 * wrote since `startedAt` as the action's own. Best effort: without the mark, the next run records
 * one again. The mark is a new file renamed into place: whatever the script left at its path (a
 * named pipe, a link to another file) is replaced, never written through.
 */
export function noteOwnJitProfile(env: NodeJS.ProcessEnv, startedAt: number): void {
  const files = jitProfile(env);
  if (files === null) return;
  const temporary = `${files.mark}.${process.pid}`;
  try {
    const profile = fs.statSync(files.profile);
    if (!profile.isFile() || profile.mtimeMs < startedAt) return;
    fs.writeFileSync(temporary, profileMark(profile), { flag: 'wx' });
    fs.renameSync(temporary, files.mark);
  } catch {
    // No profile (the cache folder is not writable, say): nothing to mark.
    fs.rmSync(temporary, { force: true });
  }
}

/** The mark's text, or null for anything but a small regular file: a named pipe there must not block the read. */
function readMark(mark: string): string | null {
  const flags = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0);
  const fd = fs.openSync(mark, flags);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size > 256) return null;
    const buffer = Buffer.alloc(stat.size);
    return buffer.subarray(0, fs.readSync(fd, buffer, 0, stat.size, 0)).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether the runner's shell is PowerShell 7 (pwsh), whose .NET reads DOTNET_ variables; Windows PowerShell's does not. */
export function isPwsh(shellPath: string): boolean {
  return /^pwsh(\.exe)?$/i.test(path.basename(shellPath));
}

const profileMark = (profile: fs.Stats): string => `${profile.size} ${profile.mtimeMs}\n`;

/**
 * Read once, as PowerShell and .NET start, and only for a faster start: no telemetry and no update
 * check (about_Telemetry, about_Update_Notifications) and, where the action's own recent JIT
 * profile is there to use, no new one (hasOwnJitProfile; docs/decisions/0006). The garbage
 * collector keeps its own first budget: a larger one made the start faster and the script's own
 * work slower (docs/decisions/0006). The runner removes those it was given (the configuration's
 * unsetVariables) before the user's script runs, so the script and what it starts see the job's
 * environment.
 */
const STARTUP_VARIABLES: Readonly<Record<string, string>> = {
  POWERSHELL_TELEMETRY_OPTOUT: '1',
  POWERSHELL_UPDATECHECK: 'Off',
  [NO_PROFILE_GATHER]: '1',
};

const STARTUP_HOOKS = 'DOTNET_STARTUP_HOOKS';

/**
 * The runner's compiled library is also a .NET startup hook (Native/StartupHook.cs): named in
 * DOTNET_STARTUP_HOOKS, it parses the runner's module while PowerShell 7 starts rather than after
 * (https://github.com/dotnet/runtime/blob/main/docs/design/features/host-startup-hook.md). Not for
 * Windows PowerShell, whose .NET Framework reads no such variable, and not where the job names
 * hooks of its own: theirs stay as they are. Returns the variable's name when it was added, for
 * the runner to remove before the user's script runs, so that no process the script starts runs
 * the hook too.
 */
export function addStartupHook(env: NodeJS.ProcessEnv, runnerPath: string): string | null {
  // Any case: Windows reads environment variable names without it.
  if (Object.keys(env).some((name) => name.toUpperCase() === STARTUP_HOOKS)) return null;
  const library = path.resolve(path.dirname(runnerPath), 'ExoConnectRunner', 'bin', 'ExoConnectRunner.Native.dll');
  // .NET splits the variable at the path delimiter, and a piece that is not a full path stops the
  // process before PowerShell starts.
  if (library.includes(path.delimiter) || !fs.existsSync(library)) return null;
  env[STARTUP_HOOKS] = library;
  return STARTUP_HOOKS;
}

/**
 * The action's own tests have the runner import the sandbox module, whose New-PSSession & co.
 * stand in for the remoting cmdlets (EXO_CONNECT_ACTION_TEST_PRELOAD). The user's script can set
 * that variable for later steps, the post step included, through GITHUB_ENV. So it is honoured
 * only in a checkout the project's bootstrap set up (a .tools folder beside dist/, which a release
 * checkout does not have), and only for an absolute path inside its sandbox folder, passed on as
 * resolved; otherwise it is dropped, with a warning.
 */
export function keepOwnTestPreload(env: NodeJS.ProcessEnv, runnerPath: string): void {
  const root = checkoutRoot(runnerPath);
  const sandbox = isOwnTestCheckout(runnerPath) ? realPath(path.join(root, 'sandbox')) : null;
  // Any case: Windows reads environment variable names without it.
  for (const name of Object.keys(env).filter((n) => n.toUpperCase() === TEST_PRELOAD)) {
    const preload = env[name];
    if (!preload) continue;
    const module = path.isAbsolute(preload) ? realPath(preload) : null;
    if (sandbox !== null && module !== null && isInside(module, sandbox)) {
      env[name] = module;
      continue;
    }
    delete env[name];
    core.warning(
      `${TEST_PRELOAD} is ignored: it is for the action's own tests, and names a module in its sandbox folder by absolute path, in a checkout its bootstrap set up.`,
    );
  }
}

const TEST_PRELOAD = 'EXO_CONNECT_ACTION_TEST_PRELOAD';
const TEST_TEARDOWN_LIMIT = 'EXO_CONNECT_ACTION_TEST_TEARDOWN_LIMIT_MS';
const TEST_START_LIMIT = 'EXO_CONNECT_ACTION_TEST_START_LIMIT_MS';

/** The checkout dist/ps/runner.ps1 (or src/ps/runner.ps1) belongs to. */
function checkoutRoot(runnerPath: string): string {
  return path.resolve(runnerPath, '..', '..', '..');
}

/** A checkout the project's bootstrap set up (a .tools folder beside dist/), which a release checkout does not have. */
function isOwnTestCheckout(runnerPath: string): boolean {
  return fs.existsSync(path.join(checkoutRoot(runnerPath), '.tools'));
}

/**
 * TEARDOWN_LIMIT_MS, or, for the action's own tests, a shorter limit in
 * EXO_CONNECT_ACTION_TEST_TEARDOWN_LIMIT_MS, so that a hung teardown takes seconds there.
 */
export function teardownLimitMs(env: NodeJS.ProcessEnv, runnerPath: string): number {
  return testLimitMs(env, runnerPath, TEST_TEARDOWN_LIMIT, TEARDOWN_LIMIT_MS, "the teardown's limit");
}

/** START_LIMIT_MS, or, for the action's own tests, a shorter limit in EXO_CONNECT_ACTION_TEST_START_LIMIT_MS. */
export function startLimitMs(env: NodeJS.ProcessEnv, runnerPath: string): number {
  return testLimitMs(env, runnerPath, TEST_START_LIMIT, START_LIMIT_MS, "PowerShell's limit to begin the run");
}

/**
 * A limit the action's tests shorten with the variable named. Like the preload, the script could
 * set it for post through GITHUB_ENV: it is honoured only in a checkout the bootstrap set up, and
 * only below the real limit; otherwise it is ignored, with a warning.
 */
function testLimitMs(
  env: NodeJS.ProcessEnv,
  runnerPath: string,
  variable: string,
  limit: number,
  what: string,
): number {
  const name = Object.keys(env).find((n) => n.toUpperCase() === variable);
  const value = name === undefined ? '' : (env[name] ?? '');
  if (value === '') return limit;
  const ms = /^[1-9][0-9]*$/.test(value) ? Number(value) : NaN;
  if (isOwnTestCheckout(runnerPath) && ms < limit) return ms;
  core.warning(
    `${variable} is ignored: it is for the action's own tests, and shortens ${what} (a whole number of milliseconds below ${limit}) in a checkout its bootstrap set up.`,
  );
  return limit;
}

function realPath(file: string): string | null {
  try {
    return fs.realpathSync(file);
  } catch {
    return null;
  }
}

/**
 * The startup variables the job does not set itself; a value the job chose stays as it is.
 * ownJitProfile: whether the action's own recent JIT profile is there for this PowerShell to play back.
 */
export function startupVariables(parent: NodeJS.ProcessEnv, ownJitProfile = hasOwnJitProfile(parent)): string[] {
  return Object.keys(STARTUP_VARIABLES).filter(
    (name) => parent[name] === undefined && (name !== NO_PROFILE_GATHER || ownJitProfile),
  );
}

/** The module folder as the runner imported it, before the script (module-cache.ts, folderDigest). */
export interface ModuleDigest {
  digest: string;
  /** This run downloaded the copy itself. */
  saved: boolean;
}

export interface RunHooks {
  /** Called as soon as the runner reports the connection, while the script may still run. */
  onConnected: (event: Extract<RunnerEvent, { event: 'connected' }>) => void;
  /** Given: the runner reports the module folder's digest once imported, and this gets the first one. */
  onModuleDigest?: (event: ModuleDigest) => void;
}

/** A started runner.ps1. Until it reads its configuration from stdin it does nothing. */
export interface Runner {
  child: ChildProcess;
  /** The exact argv it was started with, so that the post step can recognise it. */
  argv: string[];
  /** When it was started (ms since the epoch), for the same purpose on Windows and macOS. */
  startedAt: number;
  /** Linux: its start in clock ticks since boot, for the same purpose; null elsewhere. */
  startTicks: number | null;
  /** The startup variables it was started with, which it removes before the script runs. */
  startupVariables: string[];
  /** PowerShell 7 started without DOTNET_MultiCoreJitNoProfileGather: it writes a JIT profile at its exit. */
  recordsJitProfile: boolean;
  /**
   * Settles when PowerShell itself exits; processes it left behind are ended by then (see
   * endLeftovers), and `leftovers` says how many there were.
   */
  exited: Promise<RunnerExit>;
}

export interface RunnerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  leftovers: number;
}

/**
 * Starts runner.ps1, which waits for its configuration on stdin. Starting it before the
 * configuration is ready lets PowerShell's start overlap the module cache restore.
 */
export function startRunner(provision: Provision, cwd: string, workspace: RunDirectory): Runner {
  const args = [...RUNNER_ARGS, provision.runnerPath];
  const startedAt = Date.now();
  // One list for both: the variables added are the ones the runner removes.
  const pwsh7 = isPwsh(provision.shellPath);
  const added = startupVariables(process.env, pwsh7 && hasOwnJitProfile(process.env));
  const env = childEnvironment(process.env, workspace, added);
  keepOwnTestPreload(env, provision.runnerPath);
  const hook = pwsh7 ? addStartupHook(env, provision.runnerPath) : null;
  if (hook !== null) added.push(hook);
  const child = spawn(provision.shellPath, args, {
    cwd,
    env,
    stdio: ['pipe', 'inherit', 'inherit'],
    // Its own process group, so that a stop reaches whatever the script started.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  const start: StartMark | null = child.pid === undefined ? null : markStart(child.pid, `TMPDIR=${workspace.tmp}`);
  // 'exit', not 'close': a process the script started may hold a pipe open for as long as it likes.
  const exited = new Promise<RunnerExit>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      resolve({ code, signal, leftovers: start === null ? 0 : endLeftovers(start) });
    });
  });
  exited.catch(() => undefined); // awaited later; a spawn error must not go unhandled meanwhile
  child.stdin!.on('error', () => undefined); // a runner that died early closes the pipe
  return {
    child,
    argv: [provision.shellPath, ...args],
    startedAt,
    startTicks: start?.startTicks ?? null,
    startupVariables: added,
    recordsJitProfile: pwsh7 && !added.includes(NO_PROFILE_GATHER),
    exited,
  };
}

/**
 * Ends a runner that never got its configuration, when the run ends before it is sent (a token
 * refused, a cancel): it has read nothing and run nothing, so it needs no teardown. The run
 * directory, which holds nothing yet, goes with it (also when no runner was started yet).
 */
export async function endUnconfigured(runner: Runner | null, workspace: RunDirectory): Promise<void> {
  if (runner !== null) {
    signalIfRunning(runner.child, 'SIGKILL');
    await runner.exited.catch(() => undefined);
  }
  try {
    fs.rmSync(workspace.dir, { recursive: true, force: true });
  } catch {
    // A file still held (antivirus on Windows): post removes the directory, which the state names.
    // The run's own error is the one to report.
  }
}

/**
 * Processes the script started outlive PowerShell and would hold the step's output open; say how
 * many were ended, and why they may have been left. `forcedStop`: PowerShell did not stop when
 * asked and Node ended it, so what was left is likely the command the script was waiting on.
 */
function warnLeftovers(count: number, forcedStop = false): void {
  if (count === 0) return;
  const processes = `${counted(count, 'process', 'processes')} it had started`;
  const ended = `${count === 1 ? 'it was' : 'they were'} ended, so the step does not wait for ${count === 1 ? 'it' : 'them'}.`;
  core.warning(
    forcedStop
      ? `PowerShell did not stop when asked and was ended; it left ${processes} still running, and ${ended} A native command the script is waiting on does not end when the run is stopped if it ignores Ctrl+C (SIGINT) or the stop does not reach it: give a long command a time limit of its own (for example timeout 300 <command>, or Start-Process -PassThru and Wait-Process -Timeout), and wait for background work (Wait-Process, Receive-Job -Wait) before the script ends.`
      : `PowerShell exited and left ${processes} still running; ${ended} Wait for background work (Wait-Process, Receive-Job -Wait) before the script ends.`,
  );
}

/**
 * Ends a PowerShell that does not (or no longer) listens to its stdin: Ctrl+C (SIGINT), and
 * INTERRUPT_GRACE_MS later a kill. Windows has no Ctrl+C for another process group, so it is the
 * kill at once (signalRunner ends the whole tree there).
 */
function interruptThenKill(signal: (name: NodeJS.Signals) => void, timers: NodeJS.Timeout[]): void {
  if (process.platform === 'win32') return signal('SIGKILL');
  signal('SIGINT');
  timers.push(setTimeout(() => signal('SIGKILL'), INTERRUPT_GRACE_MS));
}

/** Signals the runner's process group, unless it has exited. */
function signalIfRunning(child: ChildProcess, name: NodeJS.Signals): boolean {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return false;
  signalRunner(child.pid, name);
  return true;
}

/**
 * Hands the runner its configuration (secrets included) on stdin. A run keeps stdin open: it is
 * how the runner is asked to stop, and its end tells the runner the action is gone.
 */
function sendConfig(runner: Runner, config: RunnerConfig, keepOpen: boolean): void {
  const framed = encodeRunnerConfig(config, runner.startupVariables);
  if (keepOpen) runner.child.stdin!.write(framed);
  else runner.child.stdin!.end(framed);
}

/** The one stop path on every OS: a line on stdin that the runner watches for. */
function askToStop(runner: Runner, reason: StopRequest['reason']): void {
  const stdin = runner.child.stdin!;
  const request: StopRequest = { type: 'stop', reason };
  if (!stdin.writableEnded && !stdin.destroyed) stdin.write(JSON.stringify(request) + '\n');
}

export async function runSession(
  settings: RunSettings,
  provision: Provision,
  workspace: RunDirectory,
  runner: Runner,
  hooks: RunHooks,
  cancellation: Cancellation,
): Promise<SessionOutcome> {
  const { child, exited } = runner;
  let configured = false;
  const eventKey = newEventKey();
  const events = new EventLog(workspace.events, eventKey);
  const teardownLimit = teardownLimitMs(process.env, provision.runnerPath);
  const startLimit = startLimitMs(process.env, provision.runnerPath);
  let stopReason: SessionOutcome['stopReason'] = null;
  let forced: NodeJS.Signals | null = null;
  let teardownCutShortAfterMs: number | null = null;
  let startUnansweredAfterMs: number | null = null;
  let startTimer: NodeJS.Timeout | null = null;
  let teardownTimer: NodeJS.Timeout | null = null;
  // The stop's grace, until it runs out (then interruptThenKill's timers are in escalations).
  let stopGrace: NodeJS.Timeout | null = null;
  const escalations: NodeJS.Timeout[] = [];
  let digestSeen = false;
  const onEvent = (e: RunnerEvent): void => {
    if (startTimer !== null) {
      clearTimeout(startTimer);
      startTimer = null;
    }
    if (e.event === 'connected') hooks.onConnected(e);
    if (e.event === 'module-digest' && !digestSeen) {
      digestSeen = true;
      hooks.onModuleDigest?.({ digest: e.digest, saved: e.saved });
    }
    if (e.event === 'teardown' && e.status === 'start') {
      // The module import, the connect and the script are over: script-timeout counts no further
      // (action.yml), and the teardown, which no stop reaches, gets a limit of its own. After a
      // timeout that limit replaces the stop's grace, which was for the work the stop ended; a
      // cancel keeps its grace, as the Actions runner escalates 7.5 s after it anyway.
      if (timer !== null) clearTimeout(timer);
      if (stopReason === 'timeout' && stopGrace !== null) clearTimeout(stopGrace);
      teardownTimer = setTimeout(() => {
        teardownCutShortAfterMs = teardownLimit;
        interruptThenKill(signal, escalations);
      }, teardownLimit);
    }
    if (e.event === 'teardown' && e.status === 'end') {
      // The script is over and torn down: no limit from here on, only the exit.
      if (timer !== null) clearTimeout(timer);
      if (teardownTimer !== null) clearTimeout(teardownTimer);
      escalations.push(
        setTimeout(() => {
          core.warning(
            `PowerShell had not exited ${EXIT_GRACE_MS / 1000} s after its teardown (a PowerShell.Exiting handler of the script's, or a foreground thread it started, can hold it), so it was ended.`,
          );
          signal('SIGKILL');
        }, EXIT_GRACE_MS),
      );
    }
  };
  const stopWatching = events.watch(onEvent);

  const signal = (name: NodeJS.Signals): void => {
    if (signalIfRunning(child, name)) forced = name;
  };
  const stop = (reason: 'timeout' | 'cancelled'): void => {
    if (stopReason !== null) return;
    stopReason = reason;
    // A runner still waiting for its configuration has done nothing and needs no teardown.
    if (!configured) return signal('SIGKILL');
    // PowerShell stops the script as Ctrl+C does (its `finally` blocks run), tears down and
    // exits. Signals are the last resort: on Windows, Node's process.kill is TerminateProcess
    // whatever the signal, which would end PowerShell with no teardown at all.
    askToStop(runner, reason === 'timeout' ? 'timeout' : 'cancel');
    stopGrace = setTimeout(() => {
      stopGrace = null;
      interruptThenKill(signal, escalations);
    }, STOP_GRACE_MS);
    escalations.push(stopGrace);
  };
  cancellation.onRequest(() => stop('cancelled'));
  if (stopReason === null) {
    sendConfig(
      runner,
      buildRunnerConfig(settings, provision, workspace, eventKey, hooks.onModuleDigest !== undefined),
      true,
    );
    configured = true;
    startTimer = setTimeout(() => {
      startTimer = null;
      // An event written just now, not read yet, ends the wait.
      events.read().forEach(onEvent);
      if (events.all.length > 0 || stopReason !== null) return;
      startUnansweredAfterMs = startLimit;
      signal('SIGKILL');
    }, startLimit);
  }
  const timer =
    settings.scriptTimeoutMs === null
      ? null
      : setTimeout(() => {
          // A teardown that began just now, its event not read yet, is past script-timeout's reach.
          events.read().forEach(onEvent);
          if (teardownTimer === null) stop('timeout');
        }, settings.scriptTimeoutMs);

  try {
    const { code, signal: endedBy, leftovers } = await exited;
    stopWatching();
    // Its own profile only if PowerShell 7 ended by itself, as the last to write it (a pwsh the script
    // started writes one too).
    if (runner.recordsJitProfile && endedBy === null && forced === null)
      noteOwnJitProfile(process.env, runner.startedAt);
    const outcome = readOutcome(workspace, code, endedBy, stopReason, events.all, forced);
    // PowerShell and what it started share this step's stdout. Ended before its teardown reported
    // (killed, or ended by the script), or with processes left that were just ended, it may have
    // left a line unfinished, and the runner reads a workflow command only at the start of a line:
    // the action's own output, from the first line on, starts on a fresh one.
    if (outcome.teardown !== 'ended' || leftovers > 0) core.info('');
    // PowerShell never got to close its Teardown group (cut short at its limit, or ended by a stop in it).
    if (teardownCutShortAfterMs !== null || outcome.teardown === 'started') core.endGroup();
    // Nor, ended in a phase before any teardown ([Environment]::Exit, a kill), that phase's group:
    // what the action says next would be folded into it.
    else if (outcome.teardown === 'none' && outcome.runningPhase) core.endGroup();
    warnLeftovers(leftovers, stopReason !== null && forced !== null);
    return { ...outcome, teardownCutShortAfterMs, startUnansweredAfterMs };
  } finally {
    stopWatching();
    if (timer !== null) clearTimeout(timer);
    if (startTimer !== null) clearTimeout(startTimer);
    if (teardownTimer !== null) clearTimeout(teardownTimer);
    escalations.forEach(clearTimeout);
    child.stdin!.destroy();
  }
}

/** What the post step's removal came to: how many sessions it removed, or why it could not. */
export interface LeftSessionRemoval {
  removed: number | null;
  error: string | null;
  /** The removal had not ended after this many ms (TEARDOWN_LIMIT_MS), and its PowerShell was ended; otherwise null. */
  unansweredAfterMs: number | null;
}

/**
 * Post step: find the server-side session a killed main left, by InstanceId, and remove it, within
 * TEARDOWN_LIMIT_MS: a server that does not answer must not hold the job until it times out.
 */
export async function removeLeftSession(
  settings: Settings,
  provision: Provision,
  workspace: RunDirectory,
  instanceId: string,
): Promise<LeftSessionRemoval> {
  const eventKey = newEventKey();
  const config = buildRemoveSessionConfig(settings, workspace, instanceId, eventKey);
  const limit = teardownLimitMs(process.env, provision.runnerPath);
  const runner = startRunner(provision, workspace.dir, workspace);
  sendConfig(runner, config, false);
  let unansweredAfterMs: number | null = null;
  const timers: NodeJS.Timeout[] = [];
  // Its stdin has ended already: it hears no stop, so a signal is the only way.
  const limitTimer = setTimeout(() => {
    unansweredAfterMs = limit;
    interruptThenKill((name) => signalIfRunning(runner.child, name), timers);
  }, limit);
  let exit: RunnerExit;
  try {
    exit = await runner.exited;
  } finally {
    clearTimeout(limitTimer);
    timers.forEach(clearTimeout);
  }
  const events = readEvents(workspace.events, eventKey);
  const removed = events.find((e): e is Extract<RunnerEvent, { event: 'removed' }> => e.event === 'removed');
  const error = events.find((e): e is Extract<RunnerEvent, { event: 'error' }> => e.event === 'error');
  // As after main's PowerShell (runSession): one that did not remove the session (it failed, or was
  // ended before it reported) or left processes may have left a line unfinished (the error itself
  // goes to the events file only), and post's own output must start on a fresh one.
  if (removed === undefined || exit.leftovers > 0) core.info('');
  warnLeftovers(exit.leftovers);
  if (removed !== undefined) return { removed: removed.count, error: null, unansweredAfterMs: null };
  if (unansweredAfterMs !== null) {
    return {
      removed: null,
      error: `Get-PSSession or Remove-PSSession did not return within ${unansweredAfterMs / 1000} s (the server did not answer), so post ended its PowerShell`,
      unansweredAfterMs,
    };
  }
  return {
    removed: null,
    error:
      error?.message ??
      `PowerShell ${exit.signal !== null ? `was ended by ${exit.signal}` : `exited with code ${exit.code}`} before it reported`,
    unansweredAfterMs: null,
  };
}

/** Signals the runner and whatever it started: off Windows it leads its own process group. */
export function signalRunner(
  pid: number,
  signal: NodeJS.Signals,
  platform: NodeJS.Platform = process.platform,
  run: RunTool = runTool,
): void {
  if (platform === 'win32') return endWindowsTree(pid, run);
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Windows: every signal is TerminateProcess of the one process (Node's process.kill), which
 * leaves what PowerShell started running, holding the step's output, with nothing to find it by
 * once its parent is gone. taskkill /T ends the process and the tree under it, while the parent
 * still names it. https://learn.microsoft.com/windows-server/administration/windows-commands/taskkill
 */
function endWindowsTree(pid: number, run: RunTool): void {
  try {
    run(system32('taskkill.exe'), ['/PID', String(pid), '/T', '/F']);
    return;
  } catch {
    // taskkill refused or is missing: the process itself, at least.
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
