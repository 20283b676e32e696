// The action's own cost against a hand-written `pwsh -File` step, and where its time goes.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Job, ROOT, runMain, runPost } from '../test/support/action.js';
import { startEntra, testTls } from '../test/support/identity.js';
import { phaseRows, readTimings, type PhaseRow } from './phases.js';
import {
  APP_ID,
  bare,
  certificateInputs,
  installedManifest,
  installedModule,
  label,
  list,
  median,
  ms,
  pfx,
  pwsh,
  PWSH_ARGS,
  realFirst,
  RUNS,
  type Run,
  say,
  timed,
} from './support.js';

interface Pair {
  baseline: number;
  action: number;
  nodeStarts: [number, number];
  phases: PhaseRow[];
}

/**
 * Where each side's PowerShell keeps its cache, and what ran just before it. .NET compiles ahead,
 * on a second core, the methods that a profile from an earlier run lists
 * (https://learn.microsoft.com/dotnet/api/system.runtime.profileoptimization), and PowerShell keeps
 * its profiles in its cache folder: which PowerShell ran last changes how fast the next one starts.
 * - own-cache: each side has a cache folder of its own, so each replays its own previous round
 *   (a job that runs again on the same runner, with nothing else in between);
 * - after-other-step: one cache folder for both, and another PowerShell step (bench/other-step.ps1)
 *   runs just before each side, started with the same flags as the hand-written step;
 * - after-shell-pwsh-step: the same, the other step started as the Actions runner starts a
 *   `shell: pwsh` step, `pwsh -command ". '{0}'"`
 *   (https://docs.github.com/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idstepsshell).
 *   Without a console to read keys from, that PowerShell writes the same profile as the action's
 *   (StartupProfileData-NonInteractive), so the two differ only in the other step's flags;
 * - empty-cache: each side starts with an empty cache folder every round (a fresh hosted runner).
 */
type Scenario = 'own-cache' | 'after-other-step' | 'after-shell-pwsh-step' | 'empty-cache';

/** How both sides sign in: the hand-written step's script and settings, and the action's inputs. */
interface SignIn {
  baseline: string;
  baselineEnv: Record<string, string>;
  inputs: Record<string, string>;
  actionEnv: Record<string, string>;
}

const withCertificate: SignIn = {
  baseline: 'baseline.ps1',
  baselineEnv: { BENCH_PFX: pfx.base64, BENCH_PFX_PASSWORD: pfx.password },
  inputs: certificateInputs,
  actionEnv: {},
};

/** The hand-written step (bench/baseline.ps1, or the sign-in's own) once. */
const handWritten = (job: Job, cache: Record<string, string>, signIn = withCertificate): Promise<Run> =>
  bare(job, path.join(ROOT, 'bench', signIn.baseline), {
    ...signIn.baselineEnv,
    BENCH_APP_ID: APP_ID,
    BENCH_SCRIPT: path.join(ROOT, 'bench', 'report.ps1'),
    ...installedModule(),
    ...cache,
  });

/** One round: the hand-written step, the action (main + post) with timing marks, and two `node -e 0`. */
async function pair(scenario: Scenario, caches: string, signIn = withCertificate): Promise<Pair> {
  const job = new Job();
  const cache = (side: string): Record<string, string> => {
    if (scenario === 'after-other-step' || scenario === 'after-shell-pwsh-step') {
      return { XDG_CACHE_HOME: path.join(caches, 'shared') };
    }
    const folder = path.join(caches, side);
    if (scenario === 'empty-cache') fs.rmSync(folder, { recursive: true, force: true });
    return { XDG_CACHE_HOME: folder };
  };
  const otherStep = async (side: string): Promise<void> => {
    const script = path.join(ROOT, 'bench', 'other-step.ps1');
    if (scenario === 'after-other-step') await bare(job, script, cache(side));
    if (scenario === 'after-shell-pwsh-step')
      await timed(pwsh, ['-command', `. '${script.replaceAll("'", "''")}'`], { ...job.env(), ...cache(side) });
  };
  try {
    await otherStep('baseline');
    const baseline = await handWritten(job, cache('baseline'), signIn);
    // In the runner temp directory, so the leak guard reads it too.
    const timings = path.join(job.runnerTemp, 'bench-timings.jsonl');
    const env = {
      ...realFirst(),
      ...installedModule(),
      ...signIn.actionEnv,
      EXO_CONNECT_ACTION_BENCH_TIMINGS: timings,
      ...cache('action'),
    };
    await otherStep('action');
    // Both steps timed as processes (spawn to exit), like the baseline.
    const main = await runMain(job, {
      inputs: {
        ...signIn.inputs,
        'script-file': 'report.ps1',
        'working-directory': path.join(ROOT, 'bench'),
        summary: 'false',
      },
      env,
    });
    const post = await runPost(job, { env });
    if (main.code !== 0 || post.code !== 0) throw new Error(`the action failed:\n${main.log}\n${post.log}`);
    const node = async (): Promise<number> => (await timed(process.execPath, ['-e', '0'], process.env)).ms;
    const nodeStarts: [number, number] = [await node(), await node()];
    const phases = phaseRows(readTimings(timings), main, post);
    fs.rmSync(timings);
    return { baseline: baseline.ms, action: main.ms + post.ms, nodeStarts, phases };
  } finally {
    job.cleanup();
  }
}

/** One unmeasured round that fills the cache folders, then RUNS rounds; says the own cost. */
async function rounds(scenario: Scenario, title: string, signIn = withCertificate): Promise<Pair[]> {
  const caches = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-bench-cache-'));
  try {
    await pair(scenario, caches, signIn);
    const pairs: Pair[] = [];
    for (let i = 0; i < RUNS; i++) pairs.push(await pair(scenario, caches, signIn));
    const own = pairs.map((p) => p.action - p.baseline - p.nodeStarts[0] - p.nodeStarts[1]);
    const baseline = pairs.map((p) => p.baseline);
    const action = pairs.map((p) => p.action);
    const nodes = pairs.map((p) => p.nodeStarts[0] + p.nodeStarts[1]);
    say(`### ${title}`);
    say(`- hand-written step: ${list(baseline)} (median ${ms(median(baseline))})`);
    say(`- action (main + post): ${list(action)} (median ${ms(median(action))})`);
    say(
      `- two \`node -e 0\` starts, the floor of any JavaScript action with a post step: ${list(nodes)} (median ${ms(median(nodes))})`,
    );
    say(`- own cost per round (action − hand-written − two Node starts): ${list(own)}`);
    say(`- **own cost above the floor: ${ms(median(own))}** (median of the rounds; goal ≤ 100 ms)`);
    say(
      `- **median ratio (action / hand-written): ${(median(action) / median(baseline)).toFixed(3)}**; the two Node starts alone make it ${((median(baseline) + median(nodes)) / median(baseline)).toFixed(2)}\n`,
    );
    return pairs;
  } finally {
    fs.rmSync(caches, { recursive: true, force: true });
  }
}

export async function overhead(): Promise<void> {
  say(`## 1. Own cost: main + post of the action against a hand-written \`pwsh -File\` (${label})`);
  say(
    '- each round runs, one after the other: the hand-written step (bench/baseline.ps1: import, certificate, connect, the same script, disconnect), the action (main, then post) and `node -e 0` twice; an unmeasured round comes first',
  );
  say(
    '- .NET compiles ahead, on the second core, what a JIT profile from an earlier run lists, and PowerShell keeps its profiles in its cache folder: how fast a PowerShell starts depends on which one ran last. Four scenarios with a certificate, then two with a client secret, where the hand-written step is bench/baseline-client-secret.ps1 (it requests its token with `Invoke-RestMethod`, then imports and connects with it):\n',
  );
  const own = await rounds(
    'own-cache',
    'Each side with a cache folder of its own (a job run again on the same runner)',
  );
  await rounds(
    'after-other-step',
    'One cache folder, and another PowerShell step (bench/other-step.ps1) started with -NoProfile -NonInteractive -File, just before each side (a job with more than one PowerShell step)',
  );
  await rounds(
    'after-shell-pwsh-step',
    "One cache folder, and a `shell: pwsh` step (bench/other-step.ps1, started as the Actions runner starts one: `pwsh -command \". '{0}'\"`, which writes the same JIT profile as the action's PowerShell) just before each side",
  );
  await rounds('empty-cache', 'Each side with an empty cache folder every round (the first run on a fresh runner)');
  await withClientSecret(0);
  await withClientSecret(TOKEN_DELAY_MS);
  breakdown(own, await barePwshStart(), await minimalRunner());
}

/** How long the second client-secret scenario's authority holds each token answer. */
const TOKEN_DELAY_MS = 300;

/**
 * The same rounds with a client secret, against an Entra ID-like token endpoint on 127.0.0.1
 * (test/support/identity.ts) that answers after `delay` ms. The hand-written step requests its
 * token with Invoke-RestMethod before it connects; the action requests it from Node while its
 * PowerShell starts (docs/decisions/0016). Each makes one request.
 */
async function withClientSecret(delay: number): Promise<void> {
  const secret = randomBytes(24).toString('base64url');
  const entra = await startEntra({
    tenant: certificateInputs.organization,
    clientId: APP_ID,
    scope: 'https://outlook.office365.com/.default',
    clientSecret: secret,
    ...(delay > 0 ? { holdAnswer: () => new Promise<void>((resolve) => setTimeout(resolve, delay)) } : {}),
  });
  try {
    const { caFile } = testTls();
    await rounds(
      'own-cache',
      delay > 0
        ? `A client secret, the token endpoint answering after ${delay} ms (each side with a cache folder of its own)`
        : 'A client secret, the token endpoint on 127.0.0.1 answering at once (each side with a cache folder of its own)',
      {
        baseline: 'baseline-client-secret.ps1',
        // .NET on Linux checks TLS against OpenSSL's store, which SSL_CERT_FILE replaces.
        baselineEnv: { BENCH_CLIENT_SECRET: secret, BENCH_AUTHORITY: entra.host, SSL_CERT_FILE: caFile },
        inputs: {
          organization: certificateInputs.organization,
          'client-id': APP_ID,
          'client-secret': secret,
          'authority-host': entra.host,
        },
        actionEnv: { NODE_EXTRA_CA_CERTS: caFile },
      },
    );
  } finally {
    await entra.close();
  }
}

interface Floor {
  minimal: number;
  baseline: number;
  differences: number[];
}

/**
 * The floor of a runner written in PowerShell (bench/minimal-runner.ps1) against the hand-written
 * step, in the same rounds, each with a cache folder of its own (docs/decisions/0010).
 */
async function minimalRunner(): Promise<Floor> {
  const job = new Job();
  const caches = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-bench-floor-'));
  try {
    const round = async (): Promise<[number, number]> => [
      (await handWritten(job, { XDG_CACHE_HOME: path.join(caches, 'baseline') })).ms,
      await runMinimal(job, path.join(caches, 'minimal')),
    ];
    await round();
    const rounds: Array<[number, number]> = [];
    for (let i = 0; i < RUNS; i++) rounds.push(await round());
    return {
      baseline: median(rounds.map((r) => r[0])),
      minimal: median(rounds.map((r) => r[1])),
      differences: rounds.map((r) => r[1] - r[0]),
    };
  } finally {
    job.cleanup();
    fs.rmSync(caches, { recursive: true, force: true });
  }
}

/** bench/minimal-runner.ps1 once, its configuration framed on stdin as the action frames its own: spawn to exit in ms. */
function runMinimal(job: Job, cacheFolder: string): Promise<number> {
  const run = fs.mkdtempSync(path.join(job.runnerTemp, 'minimal-'));
  const config = JSON.stringify({
    eventKey: randomBytes(32).toString('base64'),
    events: path.join(run, 'events.jsonl'),
    result: path.join(run, 'result.json'),
    modulePath: installedManifest(),
    pfx: pfx.base64,
    password: pfx.password,
    appId: APP_ID,
    organization: certificateInputs.organization,
    script: path.join(ROOT, 'bench', 'report.ps1'),
  });
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(pwsh, [...PWSH_ARGS, path.join(ROOT, 'bench', 'minimal-runner.ps1')], {
      env: { ...job.env(), ...installedModule(), XDG_CACHE_HOME: cacheFolder },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    child.stdout.resume();
    child.stdin.on('error', () => undefined);
    child.stdin.write(`${Buffer.byteLength(config)}\n${config}`);
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      child.stdin.destroy();
      const file = path.join(run, 'events.jsonl');
      const events = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').length : 0;
      fs.rmSync(run, { recursive: true, force: true });
      if (code !== 0 || events !== 8)
        reject(new Error(`bench/minimal-runner.ps1 exited with ${code} after ${events} events`));
      else resolve(ms);
    });
  });
}

/** A bare PowerShell that starts and runs an empty script: the reference for the action's pwsh start. */
async function barePwshStart(): Promise<number> {
  const job = new Job();
  try {
    const empty = path.join(job.root, 'empty.ps1');
    fs.writeFileSync(empty, '\n');
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push((await timed(pwsh, [...PWSH_ARGS, empty], job.env())).ms);
    return median(runs);
  } finally {
    job.cleanup();
  }
}

function breakdown(pairs: Pair[], pwshStart: number, floor: Floor): void {
  say(`## 2. Where the action's time goes, phase by phase (${label})`);
  say(
    "Medians over the rounds of section 1 in which each side has its own cache folder. Node-side boundaries are the action's opt-in timing marks (src/timings.ts, on only when EXO_CONNECT_ACTION_BENCH_TIMINGS names a file); PowerShell-side ones are the `at` times of the runner's own events (phase start and end, disconnected). Each row is the time from the previous boundary to its own, so the rows add up to the whole run (medians need not add up exactly).",
  );
  say();
  say('| phase | from → to | median | runs |');
  say('|---|---|---:|---|');
  const names = pairs[0]!.phases.map((p) => p.name);
  for (const [i, name] of names.entries()) {
    const values = pairs.map((p) => p.phases[i]!.ms);
    say(`| ${name} | ${pairs[0]!.phases[i]!.span} | ${ms(median(values))} | ${list(values)} |`);
  }
  const totals = pairs.map((p) => p.phases.reduce((sum, row) => sum + row.ms, 0));
  say(`| **total** (main + post) | | **${ms(median(totals))}** | ${list(totals)} |`);
  say();
  say(
    `- for reference: a bare \`pwsh -NoProfile -File empty.ps1\` takes ${ms(pwshStart)} from spawn to exit (median of ${RUNS}); the action's "pwsh start" row also imports ExoConnectRunner and reads the configuration`,
  );
  say(
    `- the floor of a runner written in PowerShell: bench/minimal-runner.ps1 (the configuration on stdin, eight signed events, a stop watcher, import by path, connect, script, result.json, disconnect; none of the action's checks) takes ${ms(floor.minimal)} against the hand-written step's ${ms(floor.baseline)} in the same rounds, each with a cache folder of its own; difference per round: ${list(floor.differences)} (median ${ms(median(floor.differences))}); the rest of the action's own cost is its runner's own PowerShell (docs/decisions/0010)\n`,
  );
}
