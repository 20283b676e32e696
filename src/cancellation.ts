/**
 * Cancellation as the runner delivers it. On Linux and macOS: SIGINT, then SIGTERM 7.5 s later,
 * then a kill. On Windows: CTRL_C, then CTRL_BREAK, then a kill; Node reports them as SIGINT and
 * SIGBREAK. Listening starts with the step, before the rest of the action loads, so a cancel that
 * arrives early is not lost (Node's default would end the process with nothing torn down).
 *
 * A signal here only asks the session to stop; it never ends PowerShell itself. On Windows the
 * console's CTRL_C also reaches PowerShell, which stops its pipeline as it does for Ctrl+C.
 */
export class Cancellation {
  requested = false;
  private readonly listeners: Array<() => void> = [];

  constructor(platform: NodeJS.Platform = process.platform, signals: NodeJS.EventEmitter = process) {
    for (const signal of cancelSignals(platform)) signals.on(signal, () => this.request());
  }

  onRequest(listener: () => void): void {
    if (this.requested) listener();
    else this.listeners.push(listener);
  }

  private request(): void {
    if (this.requested) return;
    this.requested = true;
    this.listeners.splice(0).forEach((listener) => listener());
  }
}

/** The signals through which the runner cancels a step on this platform. */
export function cancelSignals(platform: NodeJS.Platform): NodeJS.Signals[] {
  return platform === 'win32' ? ['SIGINT', 'SIGBREAK'] : ['SIGINT', 'SIGTERM'];
}
