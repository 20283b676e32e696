// Benchmarks for the action, each measured side by side in one run (`npm run bench`; BENCH_QUICK=1
// for a smoke run, written to bench/RESULTS.quick.md). Writes bench/RESULTS.md with the machine,
// the date and the raw numbers.
// Nothing here is a test: no figure is asserted.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../test/support/action.js';
import { cmdletSubsets } from './command-names.js';
import { install } from './install.js';
import { overhead } from './overhead.js';
import { resultFile } from './result-file.js';
import { postFastPath, starts } from './steps.js';
import { streaming } from './streaming.js';
import { fullLabel, LINES, OBJECTS, ONLY, position, RUNS, say, sayAt, SLOW_RUNS, written } from './support.js';

const sections: Array<[string, () => Promise<void>]> = [
  ['overhead', overhead],
  ['starts', starts],
  ['post', postFastPath],
  ['streaming', streaming],
  ['result-file', resultFile],
  ['install', install],
  ['command-names', cmdletSubsets],
];

const [load1] = os.loadavg();
say('# Benchmark results');
say();
say(`- date: ${new Date().toISOString()}`);
say(`- measured with: ${fullLabel}`);
say(
  `- code: ${execFileSync('git', ['log', '-1', '--format=%h %s'], { cwd: ROOT, encoding: 'utf8' }).trim().slice(0, 100)}`,
);
say(
  `- machine: ${os.arch()}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; 1-minute load average at the start: ${load1!.toFixed(2)}`,
);
say(
  `- runs per figure: ${RUNS} (module install and result-file: ${SLOW_RUNS}); streaming: ${LINES.toLocaleString('en')} lines; result-file: ${OBJECTS.toLocaleString('en')} objects`,
);
if (load1! >= 1)
  say(
    `- **the machine was loaded when the run started (1-minute load average ${load1!.toFixed(2)} on ${os.cpus().length} cores, other work running): figures are noisier and slower than on a quiet machine**`,
  );
if (ONLY.length > 0) say(`- sections run: ${ONLY.join(', ')} (BENCH_ONLY)`);
const notes = position();
say();
for (const [name, section] of sections) if (ONLY.length === 0 || ONLY.includes(name)) await section();
const [loadAtEnd] = os.loadavg();
if (load1! < 1 && loadAtEnd! >= 1)
  sayAt(
    notes,
    `- **the machine became loaded during the run (1-minute load average ${loadAtEnd!.toFixed(2)} at the end, other work running): later rounds and sections are noisier and slower than on a quiet machine**`,
  );
say(`1-minute load average at the end: ${loadAtEnd!.toFixed(2)}.`);
// A smoke run's small sizes and single rounds are not figures to keep: they go beside the
// committed results, which the README quotes, not over them.
const results = process.env.BENCH_QUICK === '1' ? 'RESULTS.quick.md' : 'RESULTS.md';
fs.writeFileSync(path.join(ROOT, 'bench', results), written());
console.log(`Written to bench/${results}.`);
