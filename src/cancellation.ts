/**
 * Cancellation as the runner delivers it: SIGINT, then SIGTERM 7.5 s later, then a kill.
 * Listening starts with the step, before the rest of the action loads, so a cancel that arrives
 * early is not lost (Node's default would end the process with nothing torn down).
 */
export class Cancellation {
  requested = false;
  private readonly listeners: Array<() => void> = [];

  constructor() {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => this.request());
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
