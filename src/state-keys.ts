// The names under which main hands facts to the post step (GITHUB_STATE); state.ts writes and
// reads them. No imports: the post step's clean path reads them before it loads anything.
export const StateKey = {
  /** This run's private directory. */
  workspace: 'workspace',
  /** PowerShell's pid, so post can end a process main could not. */
  runnerPid: 'runner-pid',
  /** The shell main started (argv[0]); with the fixed flags and post's own runner.ps1, its exact argv. */
  runnerShell: 'runner-shell',
  /** When main started it (ms since the epoch): Windows and macOS check the process's start time. */
  runnerStarted: 'runner-started',
  /** Linux: its start time in clock ticks since boot (/proc/<pid>/stat field 22); a reused pid has another. */
  runnerStartTicks: 'runner-start-ticks',
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

/** The runner gives the post step each saved value as STATE_<name>; the fast path reads this one. */
export const CLEAN_STATE_VARIABLE = `STATE_${StateKey.clean}`;

/**
 * Whether main recorded a connection, from the STATE_* variables post is given: the fast path says
 * "disconnected" only then.
 */
export function recordedConnection(env: NodeJS.ProcessEnv): boolean {
  return (env[`STATE_${StateKey.connectedTo}`] ?? '') !== '' || (env[`STATE_${StateKey.serverSession}`] ?? '') !== '';
}
