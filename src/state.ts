// Everything main hands to the post step (GITHUB_STATE), in one place, like actions/checkout's
// state-helper: main records facts as they happen, post reads them back typed. Never a secret.
// The key names live in state-keys.ts, which imports nothing, for the post step's clean path.
// The user's script does not get GITHUB_STATE, but it runs as the job's user and could find the
// file: post treats every value as a claim to check, never as an order (see cleanup.ts).
import * as core from './actions-core.js';
import { StateKey as Key } from './state-keys.js';
import type { RunnerStart } from './runner-identity.js';

export { CLEAN_STATE_VARIABLE, recordedConnection } from './state-keys.js';

/** The last value main saved for each key, for seal(). */
const saved = new Map<string, string>();

function save(key: string, value: string): void {
  saved.set(key, value);
  core.saveState(key, value);
}

/** What main records, each when it becomes true. */
export const saveState = {
  /**
   * First of all, a value for every key post reads. The runner gives post the variables that
   * earlier steps, or the script, wrote to GITHUB_ENV, and puts only the keys main saved over them:
   * an unsaved key could arrive as STATE_clean=true from there.
   */
  begin: (): void => {
    for (const key of Object.values(Key)) {
      save(key, key === Key.clean || key === Key.runnerExited ? 'false' : '');
    }
  },
  workspace: (dir: string): void => save(Key.workspace, dir),
  runnerStarted: (pid: number | undefined, shell: string, started: RunnerStart): void => {
    save(Key.runnerPid, String(pid ?? ''));
    save(Key.runnerShell, shell);
    save(Key.runnerStarted, String(started.startedAt ?? ''));
    save(Key.runnerStartTicks, String(started.startTicks ?? ''));
  },
  runnerExited: (): void => save(Key.runnerExited, 'true'),
  connected: (organization: string, serverSession?: { instanceId: string; connectionUri: string }): void => {
    save(Key.connectedTo, organization);
    if (serverSession === undefined) return;
    save(Key.serverSession, serverSession.instanceId);
    save(Key.serverUri, serverSession.connectionUri);
  },
  serverSessionClosed: (instanceId: string): void => save(Key.serverSessionClosed, instanceId),
  clean: (): void => save(Key.clean, 'true'),
  /**
   * Last of all, once PowerShell has exited: every key again, as main last saved it. The runner
   * takes the last line for a key, so a line the script appended to the state file (clean=true,
   * another shell) does not reach post, as long as main itself lives to its end.
   */
  seal: (): void => {
    for (const [key, value] of saved) core.saveState(key, value);
  },
};

export interface PostState {
  workspace: string;
  /** 0 when main started no PowerShell. */
  runnerPid: number;
  runnerShell: string;
  /** null when main did not record it. */
  runnerStarted: number | null;
  /** Linux: clock ticks since boot; null elsewhere, or when main did not record it. */
  runnerStartTicks: number | null;
  runnerExited: boolean;
  connectedTo: string;
  serverSession: string;
  serverUri: string;
  serverSessionClosed: string;
}

/** What the post step reads: main's claims, typed, still to be checked. */
export function readState(): PostState {
  const number = (key: string): number => {
    const value = Number(core.getState(key));
    return Number.isFinite(value) && value > 0 ? value : 0;
  };
  const started = number(Key.runnerStarted);
  const ticks = number(Key.runnerStartTicks);
  return {
    workspace: core.getState(Key.workspace),
    runnerPid: number(Key.runnerPid),
    runnerShell: core.getState(Key.runnerShell),
    runnerStarted: started === 0 ? null : started,
    runnerStartTicks: ticks === 0 ? null : ticks,
    runnerExited: core.getState(Key.runnerExited) === 'true',
    connectedTo: core.getState(Key.connectedTo),
    serverSession: core.getState(Key.serverSession),
    serverUri: core.getState(Key.serverUri),
    serverSessionClosed: core.getState(Key.serverSessionClosed),
  };
}
