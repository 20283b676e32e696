// The one definition of what Node and the PowerShell runner say to each other: the configuration
// (framed JSON on stdin, secrets included) and the events (JSON lines in the events file, never
// a secret). The runner refuses a configuration whose `version` is not RUNNER_CONTRACT_VERSION
// (src/ps/ExoConnectRunner/Private/Config.ps1), so a dist/ and a dist/ps from different builds
// fail with a clear message instead of misreading each other.

import type { Credentials } from './auth.js';
import type { ResultFile } from './result-file.js';

/**
 * Raised whenever a field's name or meaning changes on either side. 2: stdin stays open for a
 * stop. 3: the configuration is framed by its length (encodeRunnerConfig).
 */
export const RUNNER_CONTRACT_VERSION = 4;

/** What PowerShell signs in with. Token flows (oidc, client-secret) arrive as an access token. */
export type RunnerCredentials =
  | { kind: 'certificate'; clientId: string; pfxBase64: string; password: string }
  | { kind: 'certificate-thumbprint'; clientId: string; thumbprint: string }
  | { kind: 'access-token'; token: string }
  | { kind: 'managed-identity'; accountId: string | null }
  | { kind: 'credential'; username: string; password: string }
  | { kind: 'integrated' };

export interface ServerOptions {
  authentication: 'Kerberos' | 'Negotiate' | 'Basic' | 'Default';
  allowRedirection: boolean;
  proxyAccessType: 'None' | 'IEConfig' | 'WinHttpConfig' | 'AutoDetect' | 'NoProxyServer';
  skipCertificateChecks: boolean;
}

export interface ConnectionConfig {
  target: 'exchange-online' | 'security-compliance' | 'exchange-server';
  /** The method the user chose (oidc, client-secret…), for the log; what signs in is `credentials`. */
  authMethod: string;
  environment: string;
  connectionUri: string | null;
  authorizationEndpointUri: string | null;
  organization: string | null;
  delegatedOrganization: string | null;
  prefix: string | null;
  /** null: all cmdlets; 'auto': read from the script; otherwise the list. */
  commandNames: null | 'auto' | string[];
  server: ServerOptions;
}

export interface RunConfig {
  version: typeof RUNNER_CONTRACT_VERSION;
  mode: 'run';
  /** plan: where a what-if run's "What if:" lines go. */
  paths: { events: string; result: string; plan: string };
  /** Base64 key the runner signs each event line with (HMAC-SHA256); null: unsigned. */
  eventKey: string | null;
  module: {
    name: string;
    version: string;
    repository: string;
    path: string | null;
    testedVersion: string;
    /** Report the digest of the folder at `path` once imported (the action caches it after the script). */
    digest: boolean;
  };
  /** The first workload; exchange-server's session. */
  connection: ConnectionConfig;
  credentials: RunnerCredentials;
  /** Each workload in the order it connects, with its own credentials (a token is for one workload). */
  connections: Array<{ connection: ConnectionConfig; credentials: RunnerCredentials }>;
  connectRetries: number;
  resultLimit: number;
  resultDepth: number;
  resultFile: ResultFile | null;
  script: {
    path: string;
    /** The input the script came from, for messages about it: the inline one is a file the action wrote. */
    input: 'script' | 'script-file';
    workingDirectory: string;
    /** The `parameters` input exactly as written: a JSON object, as text, parsed only by PowerShell. */
    parameters: string;
    errorActionPreference: 'Stop' | 'Continue' | 'SilentlyContinue';
    whatIf: boolean;
  };
}

/** The post step's one use of PowerShell: remove the server session a stopped main left open. */
export interface RemoveSessionConfig {
  version: typeof RUNNER_CONTRACT_VERSION;
  mode: 'remove-session';
  paths: { events: string };
  eventKey: string | null;
  connection: ConnectionConfig;
  credentials: RunnerCredentials;
  instanceId: string;
}

export type RunnerConfig = RunConfig | RemoveSessionConfig;

/** The longest configuration the runner reads (Config.ps1 refuses a longer one). */
export const RUNNER_CONFIG_MAX_BYTES = 64 * 1024 * 1024;

/**
 * The configuration as it goes to stdin: its length in bytes and a newline, then that many bytes of
 * UTF-8 JSON. The runner reads the JSON in one call, to the exact length, so what follows on stdin
 * (a stop request) stays for its stdin watcher; a line would have to be read byte by byte.
 * The JSON also holds `unsetVariables`: the environment variables this PowerShell was started with
 * only for its start (session.ts, startupVariables), which the runner removes before the script runs.
 */
export function encodeRunnerConfig(config: RunnerConfig, unsetVariables: readonly string[]): Buffer {
  const json = Buffer.from(JSON.stringify({ ...config, unsetVariables }), 'utf8');
  if (json.length > RUNNER_CONFIG_MAX_BYTES) {
    throw new Error(
      `The runner's configuration is ${json.length} bytes, more than the ${RUNNER_CONFIG_MAX_BYTES} it reads.`,
    );
  }
  return Buffer.concat([Buffer.from(`${json.length}\n`, 'ascii'), json]);
}

/**
 * After a run's configuration stdin stays open. One more line asks the runner to stop: it
 * stops the script as Ctrl+C would, tears down, exits, and reports a `stopped` event. The end of
 * stdin (the action is gone) is a stop too, reason `parent-gone`. A remove-session runner gets
 * its configuration and then the end of stdin, and watches for nothing.
 */
export interface StopRequest {
  type: 'stop';
  reason: 'timeout' | 'cancel';
}

export type StopReason = StopRequest['reason'] | 'parent-gone';

/** The credentials as PowerShell takes them; token flows must have been exchanged first. */
export function runnerCredentials(credentials: Credentials): RunnerCredentials {
  switch (credentials.kind) {
    case 'oidc':
    case 'client-secret':
      throw new Error(`auth ${credentials.kind} reaches PowerShell only as an access token`);
    case 'access-token':
      return { kind: 'access-token', token: credentials.token };
    default:
      return credentials;
  }
}

export interface ErrorFact {
  phase: string;
  message: string;
  category?: string;
  errorId?: string;
  type?: string;
  file?: string;
  line?: number;
  /** Where an error raised outside the user's script (another script, a module) was raised; file and line are then the script's calling line. */
  originFile?: string;
  originLine?: number;
  terminating?: boolean;
  /** For a command "not recognized": whether the script's own session has it when the error is seen. */
  commandInSession?: boolean;
}

export type RunnerEvent =
  | { event: 'phase'; name: string; status: 'start' | 'end' | 'failed' | 'stopped'; ms?: number }
  | { event: 'module'; name: string; version: string; path: string }
  /** A save (the download from module-repository) starts; 'module-saved' follows when it ends. */
  | { event: 'module-saving' }
  | { event: 'module-saved'; installer: string; ms: number }
  /**
   * The module's folder as imported, before the script (module-cache.ts, folderDigest); saved: this
   * run downloaded the copy itself, rather than taking one another job saved meanwhile.
   */
  | { event: 'module-digest'; digest: string; saved: boolean }
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
  | {
      event: 'result-file';
      path: string;
      count: number;
      leftOut: string[];
      /** Objects JSON could not hold, written as their text; absent for none. */
      unwritable?: number;
      unwritableReason?: string;
    }
  | {
      event: 'plan';
      lines: number;
      /** The script stopped the transcript the plan is read from (Stop-Transcript): lines after that are missing. */
      captureStopped?: boolean;
      /** SHA-256 (lower-case hex) of plan.txt as the runner wrote it: the action reads no other. */
      sha256?: string;
    }
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
      /** exitCode is what $host.SetShouldExit asked for: the script ended with no exit N other than 0 after it. */
      setShouldExit?: boolean;
      /** The script ended itself with exit N (N not 0), rather than after a native command that exited N. */
      exited?: boolean;
      /** How many strings `result` holds cut at stringLimit characters (with a marker that says how many went); absent for none. */
      cutStrings?: number;
      stringLimit?: number;
      /** `result` holds a value nested deeper than result-depth, written as its type name; absent for none. */
      depthCut?: boolean;
      /** A what-if run's script ended with $WhatIfPreference off: cmdlets after that made their changes. */
      whatIfOff?: boolean;
      /** Error records the script returned as output (`catch { $_ }`), shown in the log only; absent for none. */
      returnedErrors?: number;
      /** Objects left out of `result` because JSON cannot hold them, with the first reason; absent for none. */
      unconvertible?: number;
      unconvertibleReason?: string;
      /** SHA-256 (lower-case hex) of result.json as the runner wrote it: the action reads no other. */
      resultSha256?: string;
    }
  | { event: 'teardown'; status: 'start' | 'end' }
  | { event: 'stopped'; reason: StopReason };

type Check = (value: unknown) => boolean;
const text: Check = (v) => typeof v === 'string';
const number: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const flag: Check = (v) => typeof v === 'boolean';
const textOrNull: Check = (v) => v === null || typeof v === 'string';
const oneOf =
  (...values: unknown[]): Check =>
  (v) =>
    values.includes(v);
const texts: Check = (v) => Array.isArray(v) && v.every(text);
const sha256: Check = (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

/** Each event's fields: required ones, and optional ones (`?`), with what they hold. */
const EVENT_FIELDS: Record<RunnerEvent['event'], Record<string, Check>> = {
  phase: { name: text, status: oneOf('start', 'end', 'failed', 'stopped'), 'ms?': number },
  module: { name: text, version: text, path: text },
  'module-saving': {},
  'module-saved': { installer: text, ms: number },
  'module-digest': { digest: text, saved: flag },
  retry: { attempt: number, delayMs: number, cause: text },
  connected: {
    'target?': text,
    command: text,
    organization: textOrNull,
    connectionId: textOrNull,
    'instanceId?': text,
    'connectionUri?': text,
  },
  disconnected: { ms: number, 'instanceId?': text },
  removed: { instanceId: text, count: number },
  commands: { requested: (v) => v === 'all' || number(v), 'reason?': text, 'names?': texts },
  error: {
    phase: text,
    message: text,
    'category?': text,
    'errorId?': text,
    'type?': text,
    'file?': text,
    'line?': number,
    'originFile?': text,
    'originLine?': number,
    'terminating?': flag,
    'commandInSession?': flag,
  },
  'result-file': { path: text, count: number, leftOut: texts, 'unwritable?': number, 'unwritableReason?': text },
  plan: { lines: number, 'captureStopped?': flag, 'sha256?': sha256 },
  'shared-commands': { from: text, names: texts },
  script: {
    exitCode: number,
    errors: number,
    terminated: flag,
    objects: number,
    truncated: flag,
    'setShouldExit?': flag,
    'exited?': flag,
    'cutStrings?': number,
    'stringLimit?': number,
    'depthCut?': flag,
    'whatIfOff?': flag,
    'returnedErrors?': number,
    'unconvertible?': number,
    'unconvertibleReason?': text,
    'resultSha256?': sha256,
  },
  teardown: { status: oneOf('start', 'end') },
  stopped: { reason: oneOf('timeout', 'cancel', 'parent-gone') },
};

/**
 * True when `value` is an event this contract defines, with every field it must have. Node reads
 * only such events: a new event is added to RunnerEvent and EVENT_FIELDS before the runner writes it.
 */
export function isRunnerEvent(value: unknown): value is RunnerEvent {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  const fields = Object.hasOwn(EVENT_FIELDS, String(record.event))
    ? EVENT_FIELDS[record.event as RunnerEvent['event']]
    : undefined;
  if (fields === undefined) return false;
  return Object.entries(fields).every(([key, check]) => {
    const optional = key.endsWith('?');
    const name = optional ? key.slice(0, -1) : key;
    const present = Object.hasOwn(record, name) && record[name] !== undefined;
    return present ? check(record[name]) : optional;
  });
}
