// What main hands to the post step (GITHUB_STATE). Never a secret.
export const State = {
  /** This run's private directory. */
  workspace: 'workspace',
  /** PowerShell's pid, so post can end a process main could not. */
  runnerPid: 'runner-pid',
  /** The runner script path, to recognise that pid as ours. */
  runnerPath: 'runner-path',
  /** exchange-server: the remote session's InstanceId and ConnectionUri (never the credential). */
  serverSession: 'server-session',
  serverUri: 'server-uri',
  /** "true" once main has disconnected and removed everything itself. */
  clean: 'clean',
} as const;
