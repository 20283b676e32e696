// What a run came to, read back from the runner: its signed events (phases, connection, errors),
// the returned objects (result.json) and the what-if plan, all bounded, none trusted beyond what
// the contract says.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from './actions-core.js';
import { EventReader, openRegularFile } from './events.js';
import { isRunnerEvent, type ErrorFact, type RunnerEvent, type StopReason } from './runner-contract.js';
import { counted } from './log-text.js';
import type { RunDirectory } from './run-directory.js';

/** The runner stops collecting `result` near GitHub's 1 MB output limit; a result.json far above it is not read. */
export const RESULT_JSON_READ_LIMIT = 4_000_000;

export type { ErrorFact, RunnerEvent } from './runner-contract.js';

export type Connection = Omit<Extract<RunnerEvent, { event: 'connected' }>, 'event'>;

export interface SessionOutcome {
  processExitCode: number | null;
  signal: NodeJS.Signals | null;
  stopReason: 'timeout' | 'cancelled' | null;
  /** The runner heard a stop and acted on it (its 'stopped' event), with the reason it heard. */
  stopped?: StopReason | null;
  /** The last signal Node sent because PowerShell had not ended within the grace period. */
  forced?: NodeJS.Signals | null;
  phases: Record<string, number>;
  /** The phase a stop ended (module, connect, script); null when none was running. */
  stoppedPhase?: string | null;
  /** The phase that had started and not ended when PowerShell exited (one killed mid-phase reports no stop). */
  runningPhase?: string | null;
  failedPhase: string | null;
  module: { version: string; path: string } | null;
  /** A module save (the download from module-repository) had started and not ended. */
  moduleSaving?: boolean;
  /** The cause of the last retry the runner announced (a throttled connect, say), until what it retried succeeded. */
  retryPending?: string | null;
  organization: string | null;
  connected: boolean;
  /** Each connection made, in order (two for exchange-online, security-compliance). */
  connections: Connection[];
  /** The connect had started and neither finished nor failed when PowerShell ended. */
  connecting: boolean;
  disconnected: boolean;
  /** exchange-server: the InstanceId of the session the runner reported removed. */
  serverSessionClosed: string | null;
  /** A connect was started, so a teardown has something to do. */
  connectAttempted: boolean;
  /** How far the runner's teardown got: it writes 'teardown' start and end events. */
  teardown: 'none' | 'started' | 'ended';
  /**
   * The teardown had not ended after this many ms (its limit, TEARDOWN_LIMIT_MS in session.ts), so
   * Node ended PowerShell; null or absent otherwise.
   */
  teardownCutShortAfterMs?: number | null;
  /**
   * The runner had written no event this many ms after it was given its configuration (its limit,
   * START_LIMIT_MS in session.ts), so Node killed PowerShell; null or absent otherwise.
   */
  startUnansweredAfterMs?: number | null;
  errors: ErrorFact[];
  script: Extract<RunnerEvent, { event: 'script' }> | null;
  /** The script phase had started: with no `script` event, how many objects it returned is unknown. */
  scriptStarted?: boolean;
  resultJson: string | null;
  /** The what-if plan's lines; null when the run was no what-if or the script never ran. */
  plan: string[] | null;
  /** The script stopped the transcript the plan is read from: the plan lacks what came after. */
  planCaptureStopped?: boolean;
  /** What the runner wrote to result-file; null when the input is empty or the script never ran. */
  resultFile: Omit<Extract<RunnerEvent, { event: 'result-file' }>, 'event'> | null;
  /** Why `result` could not be read, when it could not. */
  resultNote?: string;
  /** Why the plan could not be read, when it could not. */
  planNote?: string;
}

/**
 * The events of one runner, read as the file grows. Lines that fail verification are ignored,
 * with one warning that says how many.
 */
export class EventLog {
  readonly all: RunnerEvent[] = [];
  private readonly reader: EventReader<RunnerEvent>;
  private warned = false;
  private warnedInvalid = false;

  constructor(
    private readonly file: string,
    private readonly key: string | null,
  ) {
    this.reader = new EventReader<RunnerEvent>(file, key, isRunnerEvent);
  }

  close(): void {
    this.reader.close();
  }

  read(): RunnerEvent[] {
    const fresh = this.reader.read();
    this.all.push(...fresh);
    if (!this.warned && this.key !== null && this.reader.rejected > 0) {
      this.warned = true;
      core.warning(
        `The events file had ${counted(this.reader.rejected, 'line', 'lines')} the runner did not write (no valid signature); they were ignored. Something else, such as the script, wrote to it.`,
      );
    }
    if (!this.warnedInvalid && this.reader.invalid > 0) {
      this.warnedInvalid = true;
      core.warning(
        `The events file had ${counted(this.reader.invalid, 'signed line', 'signed lines')} that are not events this action reads; they were ignored. The action's JavaScript (dist/) and its PowerShell (dist/ps) may come from different builds.`,
      );
    }
    if (this.reader.overflowed && !this.warned) {
      this.warned = true;
      core.warning('The events file grew past its size limit; events after that point were not read.');
    }
    return fresh;
  }

  /**
   * Calls back for each new event as soon as the file changes, and every 200 ms in any case; the
   * returned function stops and reads what is left. Reading on the change itself puts a server
   * session's InstanceId in the step's state while the script is only starting, so a main killed
   * right after the connect still leaves post what it needs to remove the session.
   */
  watch(onEvent: (event: RunnerEvent) => void): () => void {
    let stopped = false;
    const poll = (): void => {
      if (!stopped) this.read().forEach(onEvent);
    };
    const timer = setInterval(poll, 200);
    let changes: fs.FSWatcher | null = null;
    try {
      // The folder, since the runner makes the file. Not persistent: it never holds the step open.
      // Where change notification is unavailable, the 200 ms read remains.
      const name = path.basename(this.file);
      changes = fs.watch(path.dirname(this.file), { persistent: false }, (_change, changed) => {
        if (changed === null || changed === name) poll();
      });
      changes.on('error', () => changes?.close());
    } catch {
      changes = null;
    }
    return () => {
      if (stopped) return;
      clearInterval(timer);
      changes?.close();
      poll();
      stopped = true;
      this.close();
    };
  }
}

/** A connection was made, or may have been, and was not reported disconnected: post checks. */
export function connectionLeft(outcome: SessionOutcome): boolean {
  return (outcome.connected || outcome.connecting) && !outcome.disconnected;
}

/** Every event in a file, read once (bounded; see EventReader). */
export function readEvents(file: string, key: string | null = null): RunnerEvent[] {
  const log = new EventLog(file, key);
  log.read();
  log.close();
  return log.all;
}

/** How much of the what-if plan is read: the summary and the plan output show far less. */
export const PLAN_FILE_LIMIT = 4_000_000;

/**
 * What the script, or a process it started, can change after the runner wrote it: the runner's
 * signed events carry the SHA-256 of result.json and plan.txt as it wrote them, and a file that
 * no longer has it is not read as the runner's.
 */
function changedNote(file: string): string {
  return `The run directory's ${file} is not the file the runner wrote (it is gone, or its SHA-256 is not the one in the runner's signed events): a process the script started changed it after the runner wrote it, so the action does not use it. End what the script starts before the script ends.`;
}

/**
 * The plan's lines (the first PLAN_FILE_LIMIT bytes of them) when the file is the one the runner
 * wrote (sha256 from its plan event); null without a plan file, or with one it did not vouch for.
 */
function readPlan(file: string, sha256: string | undefined): { lines: string[] | null; note?: string } {
  const fd = openRegularFile(file);
  if (fd === null) return sha256 === undefined ? { lines: null } : { lines: null, note: changedNote('plan.txt') };
  try {
    if (sha256 === undefined) return { lines: null };
    // The whole file is hashed, a chunk at a time; only its first PLAN_FILE_LIMIT bytes are kept.
    const hash = createHash('sha256');
    const kept = Buffer.alloc(Math.min(fs.fstatSync(fd).size, PLAN_FILE_LIMIT));
    const chunk = Buffer.alloc(1 << 16);
    let keptLength = 0;
    for (
      let n = fs.readSync(fd, chunk, 0, chunk.length, null);
      n > 0;
      n = fs.readSync(fd, chunk, 0, chunk.length, null)
    ) {
      hash.update(chunk.subarray(0, n));
      keptLength += chunk.copy(kept, keptLength, 0, Math.min(n, kept.length - keptLength));
    }
    if (hash.digest('hex') !== sha256) return { lines: null, note: changedNote('plan.txt') };
    return {
      lines: kept
        .subarray(0, keptLength)
        .toString('utf8')
        .split(/\r?\n/)
        .filter((line) => line !== ''),
    };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The result file's text, when it is the one the runner wrote (sha256 from its script event) and
 * not too large to be its bounded output.
 */
function readResult(file: string, sha256: string | undefined): { json: string | null; note?: string } {
  const fd = openRegularFile(file);
  if (fd === null) return sha256 === undefined ? { json: null } : { json: null, note: changedNote('result.json') };
  try {
    const size = fs.fstatSync(fd).size;
    if (size > RESULT_JSON_READ_LIMIT) {
      return {
        json: null,
        note: `The result file was ${size} bytes, far above GitHub's limit for one output, so result is empty. Write large data to a file in the workspace and upload it as an artifact.`,
      };
    }
    // The runner writes it whole after the script, then its script event. A PowerShell ended
    // before that event (a stop's kill, the script's own [Environment]::Exit from a thread) may
    // leave the file empty, cut short or written by the script: no result at all.
    if (sha256 === undefined) return { json: null };
    const bytes = fs.readFileSync(fd);
    if (createHash('sha256').update(bytes).digest('hex') !== sha256)
      return { json: null, note: changedNote('result.json') };
    const json = bytes.toString('utf8');
    // result is always a JSON array (action.yml).
    return isJsonArray(json) ? { json } : { json: null };
  } finally {
    fs.closeSync(fd);
  }
}

function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

/** The outcome of a run in which PowerShell never started: nothing connected, nothing returned. */
export function noSession(): SessionOutcome {
  return {
    processExitCode: null,
    signal: null,
    stopReason: null,
    stopped: null,
    forced: null,
    phases: {},
    stoppedPhase: null,
    runningPhase: null,
    failedPhase: null,
    module: null,
    moduleSaving: false,
    retryPending: null,
    organization: null,
    connected: false,
    connections: [],
    connecting: false,
    disconnected: false,
    serverSessionClosed: null,
    connectAttempted: false,
    teardown: 'none',
    teardownCutShortAfterMs: null,
    startUnansweredAfterMs: null,
    errors: [],
    script: null,
    scriptStarted: false,
    resultFile: null,
    resultJson: null,
    plan: null,
  };
}

export function readOutcome(
  workspace: RunDirectory,
  processExitCode: number | null,
  signal: NodeJS.Signals | null,
  stopReason: SessionOutcome['stopReason'],
  events: RunnerEvent[] = readEvents(workspace.events),
  forced: NodeJS.Signals | null = null,
): SessionOutcome {
  const outcome: SessionOutcome = { ...noSession(), processExitCode, signal, stopReason, forced };
  let planSha256: string | undefined;
  for (const e of events) {
    switch (e.event) {
      case 'phase':
        if (e.ms !== undefined) outcome.phases[e.name] = e.ms;
        // A retry is pending only inside the phase that announced it: a phase that ended or failed
        // is past it, one stopped meanwhile was still waiting on it (the verdict says so).
        if (e.status === 'end' || e.status === 'failed') outcome.retryPending = null;
        if (e.status === 'start') outcome.runningPhase = e.name;
        else if (outcome.runningPhase === e.name) outcome.runningPhase = null;
        if (e.status === 'stopped') outcome.stoppedPhase = e.name;
        if (e.status === 'failed') outcome.failedPhase = e.name;
        // A stopped connect may have connected: the teardown disconnects it, or post checks.
        if (e.name === 'connect' && e.status !== 'stopped') outcome.connecting = e.status === 'start';

        if (e.name === 'connect') outcome.connectAttempted = true;
        if (e.name === 'script') outcome.scriptStarted = true;
        break;
      case 'teardown':
        outcome.teardown = e.status === 'end' ? 'ended' : 'started';
        break;
      case 'module':
        outcome.module = { version: e.version, path: e.path };
        break;
      case 'connected': {
        outcome.retryPending = null;
        outcome.connected = true;
        outcome.connecting = false;
        outcome.organization ??= e.organization;
        const { event: _, ...connection } = e;
        outcome.connections.push(connection);
        break;
      }
      case 'disconnected':
        outcome.disconnected = true;
        if (e.instanceId !== undefined) outcome.serverSessionClosed = e.instanceId;
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
      case 'stopped':
        outcome.stopped = e.reason;
        break;
      case 'result-file': {
        const { event: _, ...written } = e;
        outcome.resultFile = written;
        break;
      }
      case 'module-saving':
        outcome.moduleSaving = true;
        break;
      case 'module-saved':
        outcome.moduleSaving = false;
        break;
      case 'plan':
        if (e.captureStopped === true) outcome.planCaptureStopped = true;
        planSha256 = e.sha256;
        break;
      case 'retry':
        outcome.retryPending = e.cause;
        break;
      case 'removed':
      case 'commands':
      case 'shared-commands':
        break;
    }
  }
  const result = readResult(workspace.result, outcome.script?.resultSha256);
  outcome.resultJson = result.json;
  if (result.note !== undefined) outcome.resultNote = result.note;
  const plan = readPlan(workspace.plan, planSha256);
  outcome.plan = plan.lines;
  if (plan.note !== undefined) outcome.planNote = plan.note;
  return outcome;
}
