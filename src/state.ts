// Everything main hands to the post step (GITHUB_STATE), in one place, like actions/checkout's
// state-helper: main records facts as they happen, post reads them back typed. Never a secret.
// The user's script does not get GITHUB_STATE, but it runs as the job's user and could find the
// file: post treats every value as a claim to check, never as an order (see cleanup.ts).
import * as core from '@actions/core';

const Key = {
  /** This run's private directory. */
  workspace: 'workspace',
  /** PowerShell's pid, so post can end a process main could not. */
  runnerPid: 'runner-pid',
  /** The shell main started (argv[0]); with the fixed flags and post's own runner.ps1, its exact argv. */
  runnerShell: 'runner-shell',
  /** When main started it (ms since the epoch): Windows checks the process's creation time. */
  runnerStarted: 'runner-started',
  /** "true" once main saw PowerShell exit: post then ends no process at all. */
  runnerExited: 'runner-exited',
  /** The organization the session connected to, for post's message. */
  connectedTo: 'connected-to',
  /** exchange-server: the remote session's InstanceId and ConnectionUri (never the credential). */
  serverSession: 'server-session',
  serverUri: 'server-uri',
  /** exchange-server: the InstanceId main saw removed, so post need not ask the server again. */
  serverSessionClosed: 'server-session-closed',
  /** "true" once main has disconnected and removed everything itself. */
  clean: 'clean',
} as const;

/** The post step's fast path reads this one variable before loading anything else. */
export const CLEAN_STATE_VARIABLE = `STATE_${Key.clean}`;

/** What main records, each when it becomes true. */
export const saveState = {
  workspace: (dir: string): void => core.saveState(Key.workspace, dir),
  runnerStarted: (pid: number | undefined, shell: string, startedAt: number): void => {
    core.saveState(Key.runnerPid, String(pid ?? ''));
    core.saveState(Key.runnerShell, shell);
    core.saveState(Key.runnerStarted, String(startedAt));
  },
  runnerExited: (): void => core.saveState(Key.runnerExited, 'true'),
  connected: (organization: string, serverSession?: { instanceId: string; connectionUri: string }): void => {
    core.saveState(Key.connectedTo, organization);
    if (serverSession === undefined) return;
    core.saveState(Key.serverSession, serverSession.instanceId);
    core.saveState(Key.serverUri, serverSession.connectionUri);
  },
  serverSessionClosed: (instanceId: string): void => core.saveState(Key.serverSessionClosed, instanceId),
  clean: (): void => core.saveState(Key.clean, 'true'),
};

export interface PostState {
  workspace: string;
  /** 0 when main started no PowerShell. */
  runnerPid: number;
  runnerShell: string;
  /** null when main did not record it. */
  runnerStarted: number | null;
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
  return {
    workspace: core.getState(Key.workspace),
    runnerPid: number(Key.runnerPid),
    runnerShell: core.getState(Key.runnerShell),
    runnerStarted: started === 0 ? null : started,
    runnerExited: core.getState(Key.runnerExited) === 'true',
    connectedTo: core.getState(Key.connectedTo),
    serverSession: core.getState(Key.serverSession),
    serverUri: core.getState(Key.serverUri),
    serverSessionClosed: core.getState(Key.serverSessionClosed),
  };
}
