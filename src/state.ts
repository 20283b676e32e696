// What main hands to the post step (GITHUB_STATE). Never a secret. The user's script does not get
// GITHUB_STATE, but it runs as the job's user and could find the file: post treats every value as
// a claim to check, never as an order (see cleanup.ts).
export const State = {
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
