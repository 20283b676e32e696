// result-file at tenant scale: the action writing every object against a hand-written step.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { actionYml, Job, ROOT } from '../test/support/action.js';
import { readTimings } from './phases.js';
import {
  bare,
  certificateInputs,
  installedModule,
  label,
  mb,
  median,
  ms,
  OBJECTS,
  ownCache,
  realFirst,
  type Run,
  say,
  SLOW_RUNS,
  stepEnv,
  timed,
} from './support.js';

interface Measured {
  /** The writing itself: the action's Script phase, or the hand-written step's own stopwatch. */
  scriptMs: number;
  run: Run;
}

/** The action with result-file (or without, for the log-only figure), timed as a process. */
async function viaAction(job: Job, objects: number, file: string | null): Promise<Measured> {
  const timings = path.join(job.runnerTemp, 'bench-timings.jsonl');
  fs.rmSync(timings, { force: true });
  const inputs: Record<string, string> = {
    ...certificateInputs,
    'script-file': path.join(ROOT, 'bench', 'objects.ps1'),
    summary: 'false',
  };
  if (file !== null) inputs['result-file'] = file;
  const env = stepEnv(job, inputs, {
    ...realFirst(),
    ...installedModule(),
    ...ownCache('result-file-action'),
    BENCH_OBJECTS: String(objects),
    EXO_CONNECT_ACTION_BENCH_TIMINGS: timings,
  });
  const run = await timed(process.execPath, [path.join(ROOT, actionYml.runs.main)], env);
  const script = readTimings(timings).events.find(
    (e) => e.event === 'phase' && e.name === 'script' && e.status === 'end',
  );
  if (script?.ms === undefined) throw new Error('the action reported no Script phase');
  return { scriptMs: script.ms, run };
}

/** bench/write-by-hand.ps1 in a bare pwsh; it writes how long the writing took beside the result. */
async function byHand(job: Job, format: string, file: string): Promise<Measured> {
  const took = `${file}.took`;
  const run = await bare(job, path.join(ROOT, 'bench', 'write-by-hand.ps1'), {
    BENCH_OBJECTS: String(OBJECTS),
    BENCH_FORMAT: format,
    BENCH_OUT: file,
    BENCH_TOOK: took,
    ...ownCache('result-file-by-hand'),
  });
  return { scriptMs: Number(fs.readFileSync(took, 'utf8')), run };
}

const lines = (file: string): number => {
  let count = 0;
  const buffer = fs.readFileSync(file);
  for (const byte of buffer) if (byte === 10) count++;
  return count;
};

export async function resultFile(): Promise<void> {
  say(`## 6. result-file: ${OBJECTS.toLocaleString('en')} objects of ten properties (${label})`);
  say(
    `Both sides run bench/objects.ps1, which makes the objects itself. The hand-written step (bench/write-by-hand.ps1) pipes them to \`ForEach-Object { $writer.WriteLine((ConvertTo-Json -InputObject $_ -Compress -Depth 4)) }\` on a StreamWriter for .jsonl and to \`Export-Csv -NoTypeInformation\` for .csv; the action's script only returns them; with result-file set, the action's log shows the first 20 and a count of the rest, and without it (the log-only row) the action prints every object to the log, as it does for any script. Throughput is objects per second of writing: the action's Script phase (from its events) against the step's own stopwatch around the pipeline. Medians of ${SLOW_RUNS} round(s), each side with a PowerShell cache folder of its own; peak memory is the highest seen (VmHWM).`,
  );
  say();
  const job = new Job();
  try {
    const out = path.join(job.root, 'out');
    fs.mkdirSync(out);
    const rounds: Record<string, Measured[]> = {};
    const add = (name: string, m: Measured): void => void (rounds[name] ??= []).push(m);
    for (let i = 0; i < SLOW_RUNS; i++) {
      for (const format of ['jsonl', 'csv']) {
        const handFile = path.join(out, `by-hand.${format}`);
        const actionFile = path.join(out, `action.${format}`);
        add(`hand ${format}`, await byHand(job, format, handFile));
        add(`action ${format}`, await viaAction(job, OBJECTS, actionFile));
        // Header line for CSV; both sides wrote every object.
        const expected = OBJECTS + (format === 'csv' ? 1 : 0);
        for (const f of [handFile, actionFile])
          if (lines(f) !== expected) throw new Error(`${f} has ${lines(f)} lines, not ${expected}`);
      }
      add('action log only', await viaAction(job, OBJECTS, null));
      add('action 1,000 jsonl', await viaAction(job, 1000, path.join(out, 'small.jsonl')));
    }
    const scriptMs = (name: string): number => median(rounds[name]!.map((m) => m.scriptMs));
    const wallMs = (name: string): number => median(rounds[name]!.map((m) => m.run.ms));
    const peak = (name: string, which: 'peakKb' | 'childPeakKb'): number =>
      Math.max(...rounds[name]!.map((m) => m.run[which]));
    const rate = (name: string): string => `${(OBJECTS / (scriptMs(name) / 1000)).toFixed(0)} objects/s`;
    say('| run | writing | objects/s | whole process | Node peak | PowerShell peak |');
    say('|---|---:|---:|---:|---:|---:|');
    for (const format of ['jsonl', 'csv']) {
      const hand = `hand ${format}`;
      const action = `action ${format}`;
      say(
        `| hand-written .${format} | ${ms(scriptMs(hand))} | ${rate(hand)} | ${ms(wallMs(hand))} | – | ${mb(peak(hand, 'peakKb'))} |`,
      );
      say(
        `| action .${format} | ${ms(scriptMs(action))} | ${rate(action)} | ${ms(wallMs(action))} | ${mb(peak(action, 'peakKb'))} | ${mb(peak(action, 'childPeakKb'))} |`,
      );
    }
    say(
      `| action, no result-file (log only) | ${ms(scriptMs('action log only'))} | ${rate('action log only')} | ${ms(wallMs('action log only'))} | ${mb(peak('action log only', 'peakKb'))} | ${mb(peak('action log only', 'childPeakKb'))} |`,
    );
    const small = 'action 1,000 jsonl';
    say(
      `| action .jsonl, 1,000 objects | ${ms(scriptMs(small))} | – | ${ms(wallMs(small))} | ${mb(peak(small, 'peakKb'))} | ${mb(peak(small, 'childPeakKb'))} |`,
    );
    say();
    for (const format of ['jsonl', 'csv'])
      say(
        `- **throughput ratio .${format} (action / hand-written): ${(scriptMs(`hand ${format}`) / scriptMs(`action ${format}`)).toFixed(2)}** (goal ≥ 0.9)`,
      );
    const nodePeak = Math.max(peak('action jsonl', 'peakKb'), peak('action csv', 'peakKb'));
    say(`- **Node peak RSS of the action: ${mb(nodePeak)}** (goal ≤ 150 MB)`);
    const psPeak = Math.max(peak('action jsonl', 'childPeakKb'), peak('action csv', 'childPeakKb'));
    say(
      `- **PowerShell peak RSS: ${mb(psPeak)} for ${OBJECTS.toLocaleString('en')} objects against ${mb(peak(small, 'childPeakKb'))} for 1,000: +${mb(psPeak - peak(small, 'childPeakKb'))}** (goal ≤ +50 MB)\n`,
    );
  } finally {
    job.cleanup();
  }
}
