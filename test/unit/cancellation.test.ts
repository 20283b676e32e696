// Which signals count as a cancel: the runner's on each OS. None of them ends PowerShell here.
import { EventEmitter } from 'node:events';
import { Cancellation } from '../../src/cancellation.js';

function cancelledBy(platform: NodeJS.Platform, signal: string): boolean {
  const signals = new EventEmitter();
  const cancellation = new Cancellation(platform, signals);
  let heard = false;
  cancellation.onRequest(() => (heard = true));
  signals.emit(signal);
  return heard && cancellation.requested;
}

test("Windows: the console's CTRL_C and CTRL_BREAK (SIGINT, SIGBREAK) are a cancel", () => {
  expect(cancelledBy('win32', 'SIGINT')).toBe(true);
  expect(cancelledBy('win32', 'SIGBREAK')).toBe(true);
});

test('Linux and macOS: SIGINT, then SIGTERM', () => {
  for (const platform of ['linux', 'darwin'] as const) {
    expect(cancelledBy(platform, 'SIGINT')).toBe(true);
    expect(cancelledBy(platform, 'SIGTERM')).toBe(true);
    expect(cancelledBy(platform, 'SIGBREAK')).toBe(false);
  }
});

test('a listener that comes after the cancel still hears it, once', () => {
  const signals = new EventEmitter();
  const cancellation = new Cancellation('win32', signals);
  signals.emit('SIGBREAK');
  signals.emit('SIGINT');
  let count = 0;
  cancellation.onRequest(() => count++);
  expect(count).toBe(1);
});
