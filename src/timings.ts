// Opt-in timing marks for the benchmark (bench/), off unless EXO_CONNECT_ACTION_BENCH_TIMINGS names
// a file: then each mark appends one line {"mark", "t"} (t: ms since the epoch), and `mark(name,
// events)` also appends the runner's event lines as written (phase facts, never a secret) before main
// removes them.
// Unset, it does nothing: no file is touched and nothing else changes.
import * as fs from 'node:fs';

export function mark(name: string, events?: string): void {
  const file = process.env.EXO_CONNECT_ACTION_BENCH_TIMINGS;
  if (!file) return;
  let lines = JSON.stringify({ mark: name, t: performance.timeOrigin + performance.now() }) + '\n';
  if (events !== undefined && fs.existsSync(events)) lines += fs.readFileSync(events, 'utf8');
  fs.appendFileSync(file, lines);
}
