// Runs the one PowerShell process that imports, connects, runs the user's script
// and disconnects. Configuration (secrets included) goes in as one JSON line on
// stdin; facts come back through the events file; output is inherited, so it
// streams live and never passes through this process's memory.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Settings, Target } from './inputs.js';
import type { Credentials } from './auth.js';
import type { Cancellation } from './cancellation.js';
import type { Provision } from './provisioning.js';

/** The ExchangeOnlineManagement version this release is tested with: action.yml's module-version default. */
export const TESTED_MODULE_VERSION = '3.9.0';
/** How many returned objects are kept for `result` and the summary. */
export const RESULT_OBJECT_LIMIT = 1000;
/** How long PowerShell gets to tear down after it was asked to stop. */
export const STOP_GRACE_MS = 6000;

export interface Workspace {
  dir: string;
  events: string;
  result: string;
  /** The "What if: …" lines of a what-if run, one a line. */
  plan: string;
  script: string;
  tmp: string;
}

export interface ErrorFact {
  phase: string;
  message: string;
  category?: string;
  errorId?: string;
  type?: string;
  file?: string;
  line?: number;
  terminating?: boolean;
}

export type RunnerEvent =
  | { event: 'phase'; name: string; status: 'start' | 'end' | 'failed'; ms?: number }
  | { event: 'module'; name: string; version: string; path: string }
  | { event: 'retry'; attempt: number; delayMs: number; cause: string }
  | {
      event: 'connected';
      /** The workload; absent from runners that connect one target only. */
      target?: string;
      command: string;
      organization: string | null;
      connectionId: string | null;
      instanceId?: string;
      connectionUri?: string;
    }
  | { event: 'disconnected'; ms: number; instanceId?: string }
  | { event: 'removed'; instanceId: string; count: number }
  | { event: 'commands'; requested: number | 'all'; reason?: string; names?: string[] }
  | ({ event: 'error' } & ErrorFact)
  | { event: 'result-file'; path: string; count: number; leftOut: string[] }
  | { event: 'plan'; lines: number }
  | { event: 'shared-commands'; from: string; names: string[] }
  | {
      event: 'script';
      exitCode: number;
      errors: number;
      terminated: boolean;
      /** Every object the script returned (Format-* output aside), not only those kept for `result`. */
      objects: number;
      /** `result` holds fewer objects than the script returned. */
      truncated: boolean;
    };

export type Connection = Omit<Extract<RunnerEvent, { event: 'connected' }>, 'event'>;

export interface SessionOutcome {
  processExitCode: number | null;
  signal: NodeJS.Signals | null;
  stopReason: 'timeout' | 'cancelled' | null;
  phases: Record<string, number>;
  failedPhase: string | null;
  module: { version: string; path: string } | null;
  organization: string | null;
  connected: boolean;
  /** Each connection made, in order (two for exchange-online, security-compliance). */
  connections: Connection[];
  disconnected: boolean;
  errors: ErrorFact[];
  script: Extract<RunnerEvent, { event: 'script' }> | null;
  resultJson: string | null;
  /** The what-if plan's lines; null when the run was no what-if or the script never ran. */
  plan: string[] | null;
  /** What the runner wrote to result-file; null when the input is empty or the script never ran. */
  resultFile: Omit<Extract<RunnerEvent, { event: 'result-file' }>, 'event'> | null;
}

/** A private directory for this run only; nothing in it is secret except the inline script the user wrote. */
export function createWorkspace(runnerTemp: string): Workspace {
  fs.mkdirSync(runnerTemp, { recursive: true });
  const dir = fs.mkdtempSync(path.join(runnerTemp, 'exo-connect-'));
  fs.chmodSync(dir, 0o700);
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  return {
    dir,
    tmp,
    events: path.join(dir, 'events.jsonl'),
    result: path.join(dir, 'result.json'),
    plan: path.join(dir, 'plan.txt'),
    script: path.join(dir, 'inline-script.ps1'),
  };
}

/** Settings as the runner gets them: with the credential for each workload (a token is for one). */
export type RunSettings = Settings & { connectionCredentials?: Credentials[] };

/** The runner's configuration. It holds secrets: it only ever travels over stdin. */
export function buildRunnerConfig(settings: RunSettings, provision: Provision, workspace: Workspace): object {
  let scriptPath: string;
  if (settings.script.kind === 'inline') {
    // A file, not a ScriptBlock: `exit N` then ends the user's script, not the runner.
    fs.writeFileSync(workspace.script, settings.script.text, { mode: 0o600 });
    scriptPath = workspace.script;
  } else {
    scriptPath = settings.script.path;
  }
  return {
    mode: 'run',
    paths: { events: workspace.events, result: workspace.result, plan: workspace.plan },
    module: {
      name: 'ExchangeOnlineManagement',
      version: settings.module.version,
      repository: settings.module.repository,
      path: provision.moduleDirectory,
      testedVersion: TESTED_MODULE_VERSION,
    },
    connection: connectionConfig(settings),
    auth: settings.credentials,
    connections: settings.targets.map((target, i) => ({
      connection: connectionConfig(settings, target),
      auth: settings.connectionCredentials?.[i] ?? settings.credentials,
    })),
    connectRetries: settings.connectRetries,
    resultLimit: RESULT_OBJECT_LIMIT,
    resultDepth: settings.resultDepth,
    resultFile: settings.resultFile,
    script: {
      path: scriptPath,
      workingDirectory: settings.workingDirectory,
      parameters: settings.parameters,
      errorActionPreference: settings.errorActionPreference,
      whatIf: settings.whatIf,
    },
  };
}

function connectionConfig(settings: Settings, target: Target = settings.target): object {
  const authority = `https://${settings.endpoints.authorityHost}/organizations`;
  const overridesEndpoints = target === 'security-compliance' || settings.connectionUriOverridden;
  const connectionUri = settings.connectionUriOverridden
    ? settings.connectionUri
    : target === 'security-compliance'
      ? settings.endpoints.complianceConnectionUri
      : settings.connectionUri;
  return {
    target,
    /** The method the user chose (oidc, client-secret…), for the log; the credential is in `auth`. */
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

/** Variables the user's script must not see: the action's inputs and the runner's own tokens. */
const HIDDEN_VARIABLE = /^(INPUT_|STATE_|ACTIONS_ID_TOKEN_REQUEST_|ACTIONS_RUNTIME_TOKEN$)/i;

export function childEnvironment(parent: NodeJS.ProcessEnv, workspace: Workspace): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(parent)) {
    if (!HIDDEN_VARIABLE.test(name)) env[name] = value;
  }
  // The module's tmpEXO_* folders then land in this run's directory and leave with it.
  env.TMPDIR = workspace.tmp;
  env.TEMP = workspace.tmp;
  env.TMP = workspace.tmp;
  env.POWERSHELL_TELEMETRY_OPTOUT = '1';
  env.POWERSHELL_UPDATECHECK = 'Off';
  return env;
}

export interface RunHooks {
  /** Called as soon as the runner reports the connection, while the script may still run. */
  onConnected: (event: Extract<RunnerEvent, { event: 'connected' }>) => void;
}

/** A started runner.ps1. Until it reads its configuration from stdin it does nothing. */
export interface Runner {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts runner.ps1, which waits for its configuration on stdin. Starting it before the
 * configuration is ready lets PowerShell's start overlap the module cache restore.
 */
export function startRunner(provision: Provision, cwd: string, workspace: Workspace): Runner {
  const args = [
    '-NoLogo',
    '-NoProfile',
    '-NonInteractive',
    '-ExecutionPolicy',
    'Bypass',
    '-File',
    provision.runnerPath,
  ];
  const child = spawn(provision.shellPath, args, {
    cwd,
    env: childEnvironment(process.env, workspace),
    stdio: ['pipe', 'inherit', 'inherit'],
    // Its own process group, so that a stop reaches whatever the script started.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  exited.catch(() => undefined); // awaited later; a spawn error must not go unhandled meanwhile
  child.stdin!.on('error', () => undefined); // a runner that died early closes the pipe
  return { child, exited };
}

/** Hands the runner its configuration (secrets included) as one line on stdin, then EOF. */
function sendConfig(runner: Runner, config: object): void {
  runner.child.stdin!.end(JSON.stringify(config) + '\n');
}

export async function runSession(
  settings: RunSettings,
  provision: Provision,
  workspace: Workspace,
  runner: Runner,
  hooks: RunHooks,
  cancellation: Cancellation,
): Promise<SessionOutcome> {
  const { child, exited } = runner;
  let configured = false;
  const stopWatching = watchEvents(workspace.events, (e) => {
    if (e.event === 'connected') hooks.onConnected(e);
  });

  let stopReason: SessionOutcome['stopReason'] = null;
  const stop = (reason: 'timeout' | 'cancelled'): void => {
    if (stopReason !== null) return;
    stopReason = reason;
    // SIGINT is PowerShell's Ctrl+C: the script stops and `finally` disconnects.
    const signal = (name: NodeJS.Signals): void => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null)
        signalRunner(child.pid, name);
    };
    // A runner still waiting for its configuration has done nothing and needs no teardown.
    if (!configured) return signal('SIGKILL');
    signal('SIGINT');
    setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS).unref();
  };
  cancellation.onRequest(() => stop('cancelled'));
  if (stopReason === null) {
    sendConfig(runner, buildRunnerConfig(settings, provision, workspace));
    configured = true;
  }
  const timer = settings.scriptTimeoutMs === null ? null : setTimeout(() => stop('timeout'), settings.scriptTimeoutMs);

  try {
    const { code, signal } = await exited;
    return readOutcome(workspace, code, signal, stopReason);
  } finally {
    stopWatching();
    if (timer !== null) clearTimeout(timer);
  }
}

/** Post step: find the server-side session a killed main left, by InstanceId, and remove it. */
export async function removeLeftSession(
  settings: Settings,
  provision: Provision,
  workspace: Workspace,
  instanceId: string,
): Promise<{ removed: number | null; error: string | null }> {
  const config = {
    mode: 'remove-session',
    paths: { events: workspace.events },
    connection: connectionConfig(settings),
    auth: settings.credentials,
    instanceId,
  };
  const runner = startRunner(provision, workspace.dir, workspace);
  sendConfig(runner, config);
  const { code, signal } = await runner.exited;
  const events = readEvents(workspace.events);
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

/** Calls back for each new event while the runner runs (the file only grows). */
function watchEvents(file: string, onEvent: (event: RunnerEvent) => void): () => void {
  let seen = 0;
  const poll = (): void => {
    const events = readEvents(file);
    events.slice(seen).forEach(onEvent);
    seen = events.length;
  };
  const timer = setInterval(poll, 200);
  return () => {
    clearInterval(timer);
    poll();
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

export function readEvents(file: string): RunnerEvent[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as RunnerEvent];
      } catch {
        return []; // a line cut short by a kill
      }
    });
}

export function readOutcome(
  workspace: Workspace,
  processExitCode: number | null,
  signal: NodeJS.Signals | null,
  stopReason: SessionOutcome['stopReason'],
): SessionOutcome {
  const outcome: SessionOutcome = {
    processExitCode,
    signal,
    stopReason,
    phases: {},
    failedPhase: null,
    module: null,
    organization: null,
    connected: false,
    connections: [],
    disconnected: false,
    errors: [],
    script: null,
    resultFile: null,
    resultJson: fs.existsSync(workspace.result) ? fs.readFileSync(workspace.result, 'utf8') : null,
    plan: fs.existsSync(workspace.plan)
      ? fs
          .readFileSync(workspace.plan, 'utf8')
          .split(/\r?\n/)
          .filter((line) => line !== '')
      : null,
  };
  for (const e of readEvents(workspace.events)) {
    switch (e.event) {
      case 'phase':
        if (e.ms !== undefined) outcome.phases[e.name] = e.ms;
        if (e.status === 'failed') outcome.failedPhase = e.name;
        break;
      case 'module':
        outcome.module = { version: e.version, path: e.path };
        break;
      case 'connected': {
        outcome.connected = true;
        outcome.organization ??= e.organization;
        const { event: _, ...connection } = e;
        outcome.connections.push(connection);
        break;
      }
      case 'disconnected':
        outcome.disconnected = true;
        outcome.phases.teardown = e.ms;
        break;
      case 'error': {
        const { event: _, ...fact } = e;
        outcome.errors.push(fact);
        break;
      }
      case 'script':
        outcome.script = e;
        break;
      case 'result-file': {
        const { event: _, ...written } = e;
        outcome.resultFile = written;
        break;
      }
      case 'retry':
      case 'removed':
      case 'commands':
      case 'plan':
      case 'shared-commands':
        break;
    }
  }
  return outcome;
}
