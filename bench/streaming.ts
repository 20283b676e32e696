// Streaming output: a script printing LINES lines, through the action and in a bare pwsh.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { actionYml, Job, ROOT } from '../test/support/action.js';
import {
  certificateInputs,
  installedModule,
  label,
  LINES,
  mb,
  ms,
  ownCache,
  median,
  pwsh,
  PWSH_ARGS,
  realFirst,
  RUNS,
  type Run,
  say,
  stepEnv,
  timed,
} from './support.js';

export async function streaming(): Promise<void> {
  say(`## 5. Streaming ${LINES.toLocaleString('en')} lines (${label})`);
  const job = new Job();
  try {
    const script = path.join(job.root, 'lines.ps1');
    // Pipeline output, the way scripts print: it passes through the action's output handling.
    fs.writeFileSync(script, `foreach ($i in 1..${LINES}) { "line $i" }\n`);
    const pair = async (): Promise<[Run, Run]> => [
      await timed(pwsh, [...PWSH_ARGS, script], { ...job.env(), ...ownCache('streaming-bare') }, 'line 1\n'),
      await timed(
        process.execPath,
        [path.join(ROOT, actionYml.runs.main)],
        stepEnv(
          job,
          { ...certificateInputs, 'script-file': script, summary: 'false' },
          { ...realFirst(), ...installedModule(), ...ownCache('streaming-action') },
        ),
        'line 1\n',
      ),
    ];
    report(await repeat(pair), 'bare pwsh', 'the action');
  } finally {
    job.cleanup();
  }
}

/** Runs both sides RUNS times, alternating, and keeps the median of each figure. */
async function repeat(pair: () => Promise<[Run, Run]>): Promise<[Run, Run]> {
  const runs: Array<[Run, Run]> = [];
  for (let i = 0; i < RUNS; i++) runs.push(await pair());
  const mid = (side: 0 | 1): Run => ({
    ms: median(runs.map((r) => r[side].ms)),
    firstLineMs: median(runs.map((r) => r[side].firstLineMs ?? NaN)),
    firstLineAfterScriptMs:
      runs[0]![side].firstLineAfterScriptMs === null
        ? null
        : median(runs.map((r) => r[side].firstLineAfterScriptMs ?? NaN)),
    peakKb: Math.max(...runs.map((r) => r[side].peakKb)),
    childPeakKb: Math.max(...runs.map((r) => r[side].childPeakKb)),
  });
  return [mid(0), mid(1)];
}

function report([bare, action]: [Run, Run], bareName: string, actionName: string): void {
  say(
    `- medians of ${RUNS} runs each, each side with a PowerShell cache folder of its own; peak memory is the highest seen`,
  );
  say(`- ${bareName}: ${ms(bare.ms)}, first line after ${ms(bare.firstLineMs ?? NaN)}`);
  say(
    `- ${actionName}: ${ms(action.ms)}, first line after ${ms(action.firstLineMs ?? NaN)} from the step's start (module, connect and all)`,
  );
  if (action.firstLineAfterScriptMs !== null)
    say(`- **the action's first line after its script started: ${ms(action.firstLineAfterScriptMs)}** (goal < 100 ms)`);
  // Throughput counts from the first line to the end; the action's start-up is the first-line figure.
  const rate = (r: Run): number => LINES / ((r.ms - (r.firstLineMs ?? 0)) / 1000);
  say(
    `- lines per second after the first line: ${bareName} ${rate(bare).toFixed(0)}, ${actionName} ${rate(action).toFixed(0)}`,
  );
  say(`- **throughput ratio (action / bare): ${(rate(action) / rate(bare)).toFixed(2)}** (goal ≥ 0.95)`);
  say(
    `- **peak memory of the action's Node process: ${mb(action.peakKb)}** (goal ≤ 150 MB; VmHWM of that process alone)\n`,
  );
}
