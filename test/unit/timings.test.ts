// The bench's opt-in timing marks: nothing at all unless the variable names a file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mark } from '../../src/timings.js';

const VARIABLE = 'EXO_CONNECT_ACTION_BENCH_TIMINGS';
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'timings-'))));
afterEach(() => {
  delete process.env[VARIABLE];
  fs.rmSync(dir, { recursive: true, force: true });
});

test('unset, a mark writes nothing anywhere', () => {
  const events = path.join(dir, 'events.jsonl');
  fs.writeFileSync(events, '{"event":"phase"}\n');
  mark('main-start');
  mark('pwsh-exit', events);
  expect(fs.readdirSync(dir)).toEqual(['events.jsonl']);
});

test('set, each mark appends its name and time, and the events file when one is given', () => {
  const file = path.join(dir, 'timings.jsonl');
  const events = path.join(dir, 'events.jsonl');
  fs.writeFileSync(events, '{"event":"phase","name":"module","status":"start","at":"2026-11-25T15:00:00.1234567Z"}\n');
  process.env[VARIABLE] = file;
  const before = Date.now();
  mark('main-start');
  mark('pwsh-exit', events);
  mark('missing-events', path.join(dir, 'absent.jsonl'));
  const lines = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines.map((l) => l.mark ?? l.event)).toEqual(['main-start', 'pwsh-exit', 'phase', 'missing-events']);
  expect(lines[0].t).toBeGreaterThanOrEqual(before - 1);
  expect(lines[1].t).toBeGreaterThanOrEqual(lines[0].t);
  expect(lines[2]).toEqual(JSON.parse(fs.readFileSync(events, 'utf8')));
});
