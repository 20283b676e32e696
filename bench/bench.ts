// Benchmarks for the action, each a ratio measured side by side in one run (`npm run bench`).
// Writes bench/RESULTS.md with the machine, the date and the raw numbers. Nothing here is a test:
// no figure is asserted. Figures that need PowerShell 7 say so when this machine has none.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  actionYml,
  addFileCommands,
  Job,
  mainEnvironment,
  realPwsh,
  ROOT,
  runMain,
  runPost,
} from '../test/support/action.js';
import { makePfx } from '../test/support/pfx.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const APP_ID = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const pwsh = realPwsh();
const pfx = makePfx('bench-password');
const out: string[] = [];
const say = (line = ''): void => {
  out.push(line);
  console.log(line);
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (x: number): string => `${x.toFixed(0)} ms`;
const list = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');

interface Run {
  ms: number;
  peakKb: number;
  firstLineMs: number | null;
  /** From the opening of the action's Script log group to the first line (null for bare pwsh). */
  firstLineAfterScriptMs: number | null;
}

/** Runs a command; reports wall time, the peak RSS of that process itself (VmHWM), and when its first output line arrived. */
function timed(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  firstLineMarker: string | null = null,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let firstLineMs: number | null = null;
    let scriptStartMs: number | null = null;
    let peakKb = 0;
    const sample = (): void => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // gone, or not Linux
      }
    };
    const sampler = setInterval(sample, 20);
    // Markers are searched in the output so far, not per chunk: a line may arrive in pieces.
    let head = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (firstLineMs === null) {
        head += chunk.toString('utf8');
        const now = Number(process.hrtime.bigint() - start) / 1e6;
        if (scriptStartMs === null && head.includes('::group::Script')) scriptStartMs = now;
        if (firstLineMarker === null || head.includes(firstLineMarker)) {
          firstLineMs = now;
          head = '';
        }
      }
      sample();
    });
    child.on('error', reject);
    child.on('exit', () => {
      clearInterval(sampler);
      const firstLineAfterScriptMs =
        firstLineMs === null || scriptStartMs === null ? null : firstLineMs - scriptStartMs;
      resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, peakKb, firstLineMs, firstLineAfterScriptMs });
    });
  });
}

function stepEnv(job: Job, inputs: Record<string, string>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = mainEnvironment(job, inputs, extra);
  addFileCommands(job, env);
  return env;
}

/** The action finds the real pwsh first on PATH, not the tests' counting shim, so both sides start the same PowerShell. */
const realFirst = (): Record<string, string> => ({
  PATH: `${path.dirname(pwsh)}${path.delimiter}${process.env.PATH ?? ''}`,
});

const certificateInputs = {
  organization: 'contoso.onmicrosoft.com',
  'client-id': APP_ID,
  certificate: pfx.base64,
  'certificate-password': pfx.password,
};

async function overhead(): Promise<void> {
  say('## 1. Overhead: main + post of the action against a hand-written `pwsh -File`');
  const action: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const job = new Job();
    try {
      const b = await timed(
        pwsh,
        ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', path.join(ROOT, 'bench', 'baseline.ps1')],
        {
          ...job.env(),
          BENCH_PFX: pfx.base64,
          BENCH_PFX_PASSWORD: pfx.password,
          BENCH_APP_ID: APP_ID,
          BENCH_SCRIPT: path.join(ROOT, 'bench', 'report.ps1'),
        },
      );
      baseline.push(b.ms);
      // Both steps timed as processes (spawn to exit), like the baseline.
      const main = await runMain(job, {
        inputs: {
          ...certificateInputs,
          'script-file': 'report.ps1',
          'working-directory': path.join(ROOT, 'bench'),
          summary: 'false',
        },
        env: realFirst(),
      });
      const post = await runPost(job, { env: realFirst() });
      action.push(main.ms + post.ms);
    } finally {
      job.cleanup();
    }
  }
  say(`- baseline runs: ${list(baseline)} (median ${ms(median(baseline))})`);
  say(`- action runs (main + post): ${list(action)} (median ${ms(median(action))})`);
  say(`- **median ratio: ${(median(action) / median(baseline)).toFixed(3)}** (goal ≤ 1.10)`);
  // Two Node processes start before any work is done; this is the floor a JavaScript action adds.
  const nodeStarts: number[] = [];
  for (let i = 0; i < RUNS; i++) nodeStarts.push((await timed(process.execPath, ['-e', '0'], process.env)).ms);
  const floor = 2 * median(nodeStarts);
  say(
    `- of the difference, starting Node twice (main and post, \`node -e 0\` each) takes ${ms(floor)}: the action's ratio cannot go below ${((median(baseline) + floor) / median(baseline)).toFixed(2)} against this baseline\n`,
  );
}

async function starts(): Promise<void> {
  say('## 2. PowerShell starts per run');
  const job = new Job();
  try {
    await runMain(job, { inputs: { ...certificateInputs, script: '"hello"' } });
    const inMain = job.pwshStarts().length;
    await runPost(job);
    const inPost = job.pwshStarts().length - inMain;
    say(
      `- main: ${inMain} (goal 1); post after a ${job.state.clean === 'true' ? 'clean' : 'failed'} main: ${inPost} (goal 0)`,
    );
    say();
  } finally {
    job.cleanup();
  }
}

async function postFastPath(): Promise<void> {
  say('## 3. Post fast path against `node -e 0`');
  const post: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS * 3; i++) {
    bare.push((await timed(process.execPath, ['-e', '0'], process.env)).ms);
    post.push(
      (await timed(process.execPath, [path.join(ROOT, actionYml.runs.post)], { ...process.env, STATE_clean: 'true' }))
        .ms,
    );
  }
  say(`- node -e 0: ${list(bare)} (median ${ms(median(bare))})`);
  say(`- post after a clean main: ${list(post)} (median ${ms(median(post))})`);
  say(`- **median ratio: ${(median(post) / median(bare)).toFixed(2)}** (goal ≤ 1.5)\n`);
}

async function streaming(): Promise<void> {
  say(`## 4. Streaming ${LINES.toLocaleString('en')} lines`);
  const job = new Job();
  try {
    const script = path.join(job.root, 'lines.ps1');
    // Pipeline output, the way scripts print: it passes through the action's output handling.
    fs.writeFileSync(script, `foreach ($i in 1..${LINES}) { "line $i" }\n`);
    const pair = async (): Promise<[Run, Run]> => [
      await timed(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', script], job.env(), 'line 1\n'),
      await timed(
        process.execPath,
        [path.join(ROOT, actionYml.runs.main)],
        stepEnv(job, { ...certificateInputs, 'script-file': script, summary: 'false' }, realFirst()),
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
  });
  return [mid(0), mid(1)];
}

function report([bare, action]: [Run, Run], bareName: string, actionName: string): void {
  say(`- medians of ${RUNS} runs each; peak memory is the highest seen`);
  say(`- ${bareName}: ${ms(bare.ms)}, first line after ${ms(bare.firstLineMs ?? NaN)}`);
  say(
    `- ${actionName}: ${ms(action.ms)}, first line after ${ms(action.firstLineMs ?? NaN)} from the step's start (module, connect and all)`,
  );
  if (action.firstLineAfterScriptMs !== null)
    say(
      `- **the action's first line after its script started: ${ms(action.firstLineAfterScriptMs)}** (goal < 1000 ms)`,
    );
  // Throughput counts from the first line to the end; the action's start-up is the first-line figure.
  const rate = (r: Run): number => LINES / ((r.ms - (r.firstLineMs ?? 0)) / 1000);
  say(
    `- lines per second after the first line: ${bareName} ${rate(bare).toFixed(0)}, ${actionName} ${rate(action).toFixed(0)}`,
  );
  say(`- **throughput ratio (action / bare): ${(rate(action) / rate(bare)).toFixed(2)}** (goal ≥ 0.9)`);
  say(
    `- **peak memory of the action's Node process: ${(action.peakKb / 1024).toFixed(0)} MB** (goal ≤ 150 MB; VmHWM of that process alone)\n`,
  );
}

async function cmdletSubsets(): Promise<void> {
  say('## 5. Cmdlet subsets: `command-names: all` against `auto` for a script that uses three cmdlets');
  say(
    "This is a model of the real module's cost, not a measurement of it: the sandbox generates and imports a proxy module of 900 functions (about 5 KB each, sized like implicit-remoting proxies) at connect, as ExchangeOnlineManagement does.",
  );
  const results: Record<string, number[]> = { all: [], auto: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const mode of ['all', 'auto']) {
      const job = new Job();
      try {
        const started = Date.now();
        await runMain(job, {
          inputs: {
            ...certificateInputs,
            'script-file': 'three-cmdlets.ps1',
            'working-directory': path.join(ROOT, 'bench'),
            'command-names': mode,
            summary: 'false',
          },
          env: { EXO_SANDBOX_PROXY_FUNCTIONS: '900', ...realFirst() },
        });
        results[mode]!.push(Date.now() - started);
      } finally {
        job.cleanup();
      }
    }
  }
  say(`- all: ${list(results.all!)} (median ${ms(median(results.all!))})`);
  say(`- auto: ${list(results.auto!)} (median ${ms(median(results.auto!))})`);
  say(`- **auto / all: ${(median(results.auto!) / median(results.all!)).toFixed(2)}**\n`);
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
say('# Benchmark results');
say();
say(`- date: ${new Date().toISOString()}`);
say(
  `- machine: ${os.type()} ${os.release()} ${os.arch()}, ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
);
say(
  `- node: ${process.version}; PowerShell: ${fs.readFileSync(path.join(ROOT, '.tools', 'pwsh-version'), 'utf8').trim()}`,
);
say(`- runs per figure: ${RUNS}`);
say();
await overhead();
await starts();
await postFastPath();
await streaming();
await cmdletSubsets();
fs.writeFileSync(path.join(ROOT, 'bench', 'RESULTS.md'), out.join('\n') + '\n');
