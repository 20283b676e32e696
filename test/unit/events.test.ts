// The events file is read defensively: signed lines only, in bounded pieces.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { eventMac, EventReader, MAX_EVENT_LINE_BYTES, newEventKey } from '../../src/events.js';
import { isRunnerEvent } from '../../src/runner-contract.js';
import { EventLog } from '../../src/outcome.js';
import { jest } from '@jest/globals';

/** Any JSON object: these tests are about the file, not the contract. */
const anyObject = <T>(value: unknown): value is T =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

let file: string;
beforeEach(() => (file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'exo-events-')), 'events.jsonl')));
afterEach(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));

const signed = (key: string, event: object): string => {
  const json = JSON.stringify(event);
  return `${eventMac(key, json)} ${json}\n`;
};

test('with a key, only lines signed with it count; the rest are ignored and counted', () => {
  const key = newEventKey();
  fs.writeFileSync(
    file,
    signed(key, { event: 'connected', organization: 'contoso.onmicrosoft.com' }) +
      JSON.stringify({ event: 'disconnected', ms: 1 }) + // unsigned: a forgery
      '\n' +
      signed(newEventKey(), { event: 'disconnected', ms: 2 }) + // another key
      `${eventMac(key, '{"event":"phase"}')} {"event":"disconnected","ms":3}\n` + // MAC of other text
      signed(key, { event: 'phase', name: 'script', status: 'end' }),
  );
  const reader = new EventReader<{ event: string }>(file, key, anyObject);
  expect(reader.read().map((e) => e.event)).toEqual(['connected', 'phase']);
  expect(reader.rejected).toBe(3);
});

test('lines are read as the file grows; a last line without its newline waits', () => {
  const key = newEventKey();
  const reader = new EventReader<{ event: string; n: number }>(file, key, anyObject);
  expect(reader.read()).toEqual([]); // no file yet
  const line = signed(key, { event: 'phase', n: 1 });
  fs.writeFileSync(file, line.slice(0, 20));
  expect(reader.read()).toEqual([]);
  fs.appendFileSync(file, line.slice(20) + signed(key, { event: 'phase', n: 2 }));
  expect(reader.read().map((e) => e.n)).toEqual([1, 2]);
  expect(reader.read()).toEqual([]);
});

test('a line longer than any the runner writes is skipped without being held in memory', () => {
  const key = newEventKey();
  fs.writeFileSync(file, 'x'.repeat(MAX_EVENT_LINE_BYTES * 3) + '\n' + signed(key, { event: 'after' }));
  const reader = new EventReader<{ event: string }>(file, key, anyObject);
  expect(reader.read().map((e) => e.event)).toEqual(['after']);
  expect(reader.rejected).toBe(1);
});

test('a signed line that is not an event of the contract (a field missing, of the wrong type) is ignored and counted apart from forgeries', () => {
  const key = newEventKey();
  fs.writeFileSync(
    file,
    signed(key, { event: 'phase', name: 'script' }) + // no status
      signed(key, { event: 'script', exitCode: '0', errors: 0, terminated: false, objects: 0, truncated: false }) +
      signed(key, { event: 'phase', name: 'script', status: 'end', ms: 5 }),
  );
  const reader = new EventReader(file, key, isRunnerEvent);
  expect(reader.read()).toEqual([{ event: 'phase', name: 'script', status: 'end', ms: 5 }]);
  expect(reader.invalid).toBe(2);
  expect(reader.rejected).toBe(0);
});

describe('watching the events file', () => {
  afterEach(() => jest.useRealTimers());

  test('an event is read when the file changes, without waiting for the 200 ms read', async () => {
    // The interval is held back: only the change notification can deliver the event.
    jest.useFakeTimers({ doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] });
    const key = newEventKey();
    const log = new EventLog(file, key);
    const seen: string[] = [];
    let arrived: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (arrived = resolve));
    const stop = log.watch((e) => {
      seen.push(e.event);
      arrived();
    });
    try {
      fs.writeFileSync(file, signed(key, { event: 'teardown', status: 'start' }));
      await Promise.race([first, new Promise((resolve) => setTimeout(resolve, 5000))]);
      expect(seen).toEqual(['teardown']);
    } finally {
      stop();
    }
  });
});
