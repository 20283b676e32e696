// Runs the one PowerShell process that imports, connects, runs the user's script
// and disconnects. Configuration (secrets included) goes in as framed JSON on
// stdin; facts come back through the events file; output is inherited, so it
// streams live and never passes through this process's memory.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
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
 * runner gives a cancelled step before its second signal.
 */
export const STOP_GRACE_MS = 5000;
export const INTERRUPT_GRACE_MS = 1500;
/**
 * How long PowerShell gets to exit once its teardown has ended; it takes well under a second. A
 * script's PowerShell.Exiting handler, say, could otherwise hold the step until the job times out.
 */
export const EXIT_GRACE_MS = 5000;

const UTF8_BOM = '\uFEFF';

/** Settings as the runner gets them: with the credential for each workload (a token is for one). */
export type RunSettings = Settings & { connectionCredentials?: Credentials[] };

/** The runner's configuration. It holds secrets: it only ever travels over stdin. */
export function buildRunnerConfig(
  settings: RunSettings,
  provision: Provision,
  workspace: RunDirectory,
  eventKey: string | null = null,
): RunConfig {
  let scriptPath: string;
  if (settings.script.kind === 'inline') {
    // A file, not a ScriptBlock: `exit N` then ends the user's script, not the runner. With a
    // UTF-8 byte-order mark, because Windows PowerShell 5.1 reads a file without one in the
    // system's ANSI code page (about_Character_Encoding), and 'Müller' would reach Exchange changed.
    fs.writeFileSync(workspace.script, UTF8_BOM + settings.script.text, { mode: 0o600 });
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
  const authority = `https://${settings.endpoints.authorityHost}/organizations`;
  const overridesEndpoints = target === 'security-compliance' || settings.connectionUriOverridden;
  const connectionUri = connectionUriOf(settings, target);
  return {
    target,
    authMethod: settings.auth,
    environment: settings.environment,
    connectionUri: overridesEndpoints ? connectionUri : null,
    authorizationEndpointUri: overridesEndpoints && settings.environment !== 'O365Default' ? authority : null,
    organization: settings.organization,
    delegatedOrganization: settings.delegatedOrganization,
    prefix: settings.prefix,
    commandNames: settings.module.commandNames === 'all' ? null : settings.module.commandNames,
    server: settings.exchangeServer,
  };
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

/**
 * Read once, as PowerShell and .NET start, and only for a faster start: no telemetry and no update
 * check (about_Telemetry, about_Update_Notifications), and a first garbage-collection budget of
 * 64 MB, so that the run's start-up objects are not copied between generations three or four
 * times (docs/decisions/0006). The runner removes those it was given (the configuration's
 * unsetVariables) before the user's script runs, so the script and what it starts see the job's
 * environment.
 */
const STARTUP_VARIABLES: Readonly<Record<string, string>> = {
  POWERSHELL_TELEMETRY_OPTOUT: '1',
  POWERSHELL_UPDATECHECK: 'Off',
  DOTNET_GCgen0size: '0x4000000',
};

/**
 * The action's own tests have the runner import the sandbox module, whose New-PSSession & co.
 * stand in for the remoting cmdlets (EXO_CONNECT_ACTION_TEST_PRELOAD). The user's script can set
 * that variable for later steps, the post step included, through GITHUB_ENV. So it is honoured
 * only in a checkout the project's bootstrap set up (a .tools folder beside dist/, which a release
 * checkout does not have), and only for an absolute path inside its sandbox folder, passed on as
 * resolved; otherwise it is dropped, with a warning.
 */
export function keepOwnTestPreload(env: NodeJS.ProcessEnv, runnerPath: string): void {
  const root = path.resolve(runnerPath, '..', '..', '..');
  const sandbox = fs.existsSync(path.join(root, '.tools')) ? realPath(path.join(root, 'sandbox')) : null;
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

function realPath(file: string): string | null {
  try {
    return fs.realpathSync(file);
  } catch {
    return null;
  }
}

/** The startup variables the job does not set itself; a value the job chose stays as it is. */
export function startupVariables(parent: NodeJS.ProcessEnv): string[] {
  return Object.keys(STARTUP_VARIABLES).filter((name) => parent[name] === undefined);
}

export interface RunHooks {
  /** Called as soon as the runner reports the connection, while the script may still run. */
  onConnected: (event: Extract<RunnerEvent, { event: 'connected' }>) => void;
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
  /** Settles when PowerShell itself exits; processes it left behind are ended by then (see endLeftovers). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts runner.ps1, which waits for its configuration on stdin. Starting it before the
 * configuration is ready lets PowerShell's start overlap the module cache restore.
 */
export function startRunner(provision: Provision, cwd: string, workspace: RunDirectory): Runner {
  const args = [...RUNNER_ARGS, provision.runnerPath];
  const startedAt = Date.now();
  // One list for both: the variables added are the ones the runner removes.
  const added = startupVariables(process.env);
  const env = childEnvironment(process.env, workspace, added);
  keepOwnTestPreload(env, provision.runnerPath);
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
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (start !== null) warnLeftovers(endLeftovers(start));
      resolve({ code, signal });
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
    exited,
  };
}

/** Processes the script started outlive PowerShell and would hold the step's output open; say how many were ended. */
function warnLeftovers(count: number): void {
  if (count === 0) return;
  core.warning(
    `PowerShell exited and left ${count} process${count === 1 ? '' : 'es'} it had started still running; ${count === 1 ? 'it was' : 'they were'} ended, so the step does not wait for ${count === 1 ? 'it' : 'them'}. Wait for background work (Wait-Process, Receive-Job -Wait) before the script ends.`,
  );
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
  let stopReason: SessionOutcome['stopReason'] = null;
  let forced: NodeJS.Signals | null = null;
  const escalations: NodeJS.Timeout[] = [];
  const stopWatching = events.watch((e) => {
    if (e.event === 'connected') hooks.onConnected(e);
    if (e.event === 'teardown' && e.status === 'end') {
      // The script is over and torn down: no timeout from here on, only the exit.
      if (timer !== null) clearTimeout(timer);
      escalations.push(
        setTimeout(() => {
          core.warning(
            `PowerShell had not exited ${EXIT_GRACE_MS / 1000} s after its teardown (a PowerShell.Exiting handler of the script's, or a foreground thread it started, can hold it), so it was ended.`,
          );
          signal('SIGKILL');
        }, EXIT_GRACE_MS),
      );
    }
  });

  const signal = (name: NodeJS.Signals): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    forced = name;
    signalRunner(child.pid, name);
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
    escalations.push(
      setTimeout(() => {
        if (process.platform === 'win32') return signal('SIGKILL');
        signal('SIGINT');
        escalations.push(setTimeout(() => signal('SIGKILL'), INTERRUPT_GRACE_MS));
      }, STOP_GRACE_MS),
    );
  };
  cancellation.onRequest(() => stop('cancelled'));
  if (stopReason === null) {
    sendConfig(runner, buildRunnerConfig(settings, provision, workspace, eventKey), true);
    configured = true;
  }
  const timer = settings.scriptTimeoutMs === null ? null : setTimeout(() => stop('timeout'), settings.scriptTimeoutMs);

  try {
    const { code, signal: endedBy } = await exited;
    stopWatching();
    return readOutcome(workspace, code, endedBy, stopReason, events.all, forced);
  } finally {
    stopWatching();
    if (timer !== null) clearTimeout(timer);
    escalations.forEach(clearTimeout);
    child.stdin!.destroy();
  }
}

/** Post step: find the server-side session a killed main left, by InstanceId, and remove it. */
export async function removeLeftSession(
  settings: Settings,
  provision: Provision,
  workspace: RunDirectory,
  instanceId: string,
): Promise<{ removed: number | null; error: string | null }> {
  const eventKey = newEventKey();
  const config = buildRemoveSessionConfig(settings, workspace, instanceId, eventKey);
  const runner = startRunner(provision, workspace.dir, workspace);
  sendConfig(runner, config, false);
  const { code, signal } = await runner.exited;
  const events = readEvents(workspace.events, eventKey);
  const removed = events.find((e): e is Extract<RunnerEvent, { event: 'removed' }> => e.event === 'removed');
  const error = events.find((e): e is Extract<RunnerEvent, { event: 'error' }> => e.event === 'error');
  if (removed !== undefined) return { removed: removed.count, error: null };
  return {
    removed: null,
    error:
      error?.message ??
      `PowerShell ${signal !== null ? `was ended by ${signal}` : `exited with code ${code}`} before it reported`,
  };
}

/** Signals the runner and whatever it started: off Windows it leads its own process group. */
export function signalRunner(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
