// Shared by the bench's sections: the run settings, the output, statistics, and timing a process.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { addFileCommands, Job, mainEnvironment, realPwsh, ROOT } from '../test/support/action.js';
import { makePfx } from '../test/support/pfx.js';

/** BENCH_QUICK=1: a smoke run (well under two minutes) with the same sections and smaller sizes. */
const QUICK = process.env.BENCH_QUICK === '1';
const setting = (name: string, full: number, quick: number): number =>
  Number(process.env[name] ?? (QUICK ? quick : full));
export const RUNS = setting('BENCH_RUNS', 7, 1);
export const LINES = setting('BENCH_LINES', 1_000_000, 20_000);
export const OBJECTS = setting('BENCH_OBJECTS', 100_000, 2_000);
/** Runs of the slow sections (result-file, module install): at most this many. */
export const SLOW_RUNS = Math.min(RUNS, setting('BENCH_SLOW_RUNS', 3, 1));
/** BENCH_ONLY=overhead,install…: run only these sections (a comma-separated list of section names). */
export const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);

export const APP_ID = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
export const pwsh = realPwsh();
export const pfx = makePfx('bench-password');
export const PWSH_ARGS = ['-NoLogo', '-NoProfile', '-NonInteractive', '-File'];

const out: string[] = [];
export const say = (line = ''): void => {
  out.push(line);
  console.log(line);
};
export const written = (): string => out.join('\n') + '\n';
/** Where the next line would go, and a line put there later (a note for the header). */
export const position = (): number => out.length;
export const sayAt = (at: number, line: string): void => void out.splice(at, 0, line);

const release = ((): Record<string, string> => {
  try {
    const fields = fs.readFileSync('/etc/os-release', 'utf8').matchAll(/^(\w+)="?([^"\n]*)"?$/gm);
    return Object.fromEntries([...fields].map((m) => [m[1]!, m[2]!]));
  } catch {
    return {}; // not Linux
  }
})();
const shell = `PowerShell ${fs.readFileSync(path.join(ROOT, '.tools', 'pwsh-version'), 'utf8').trim()}`;
/** The OS, PowerShell and Node every figure was measured with, for each section's heading. */
export const label = `${release.NAME?.split(' ')[0] ?? os.type()} ${release.VERSION_ID ?? os.release()} ${os.arch()}, ${shell}, Node ${process.version}`;
/** The same, in full, for the header. */
export const fullLabel = `${release.PRETTY_NAME ?? os.type()} (kernel ${os.release()}, ${os.arch()}), ${shell} (the .NET tool's ${buildOf()}), Node ${process.version}`;
/** Which build script/bootstrap installed: the tool's own, or compiled ahead (docs/decisions/0012). */
function buildOf(): string {
  const file = path.join(ROOT, '.tools', 'pwsh-build');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : 'build';
}

export const median = (xs: number[]): number => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
export const ms = (x: number): string => `${x.toFixed(0)} ms`;
export const list = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');
export const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;

export interface Run {
  ms: number;
  /** Peak RSS (VmHWM) of the process itself. */
  peakKb: number;
  /** Peak RSS of its PowerShell child, when it started one (the action's main step does). */
  childPeakKb: number;
  firstLineMs: number | null;
  /** From the opening of the action's Script log group to the first line (null for bare pwsh). */
  firstLineAfterScriptMs: number | null;
}

const vmHwm = (pid: number): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
};

/** Runs a command; reports wall time, peak RSS of it and of its children, and when its first output line arrived. */
export function timed(
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
    const childPeaks = new Map<number, number>();
    // VmHWM only grows, so a late sample holds the peak; children are found through /proc.
    const sample = (): void => {
      try {
        peakKb = Math.max(peakKb, vmHwm(child.pid!));
        const kids = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim();
        for (const kid of kids.split(/\s+/).filter(Boolean).map(Number)) {
          childPeaks.set(kid, Math.max(childPeaks.get(kid) ?? 0, vmHwm(kid)));
        }
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
    child.on('exit', (code) => {
      clearInterval(sampler);
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited with ${code}`));
      const firstLineAfterScriptMs =
        firstLineMs === null || scriptStartMs === null ? null : firstLineMs - scriptStartMs;
      resolve({
        ms: Number(process.hrtime.bigint() - start) / 1e6,
        peakKb,
        childPeakKb: Math.max(0, ...childPeaks.values()),
        firstLineMs,
        firstLineAfterScriptMs,
      });
    });
  });
}

/** A bare PowerShell running a script, the way a hand-written `shell: pwsh` step does. */
export const bare = (job: Job, script: string, extra: Record<string, string> = {}): Promise<Run> =>
  timed(pwsh, [...PWSH_ARGS, script], { ...job.env(), ...extra });

export function stepEnv(
  job: Job,
  inputs: Record<string, string>,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env = mainEnvironment(job, inputs, extra);
  addFileCommands(job, env);
  return env;
}

/**
 * A PowerShell cache folder for one side of a comparison, kept for the whole bench run. .NET replays
 * the JIT start-up profile that the last PowerShell left in its cache folder (see overhead.ts), so
 * with one folder each side would start with the other's profile; with its own, each side replays
 * its own previous run, as a job that runs again on the same runner does.
 */
export const ownCache = (side: string): Record<string, string> => ({ XDG_CACHE_HOME: path.join(sideCaches, side) });
const sideCaches = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-bench-sides-'));
process.on('exit', () => fs.rmSync(sideCaches, { recursive: true, force: true }));

/**
 * The sandbox's stand-in module as Install-Module, Save-PSResource and the action's own cache leave a
 * release: <folder>/ExchangeOnlineManagement/<version>/. The sandbox keeps it unversioned, which
 * sends the action's import of the pinned version down its slower path (every copy's manifest
 * read); a runner that has the module has it in this layout. Every section imports it from here.
 */
export const installedModule = (): Record<string, string> => ({
  PSModulePath: installedModules().root,
  EXO_SANDBOX_ORG: path.join(ROOT, 'sandbox', 'organization.json'),
});
/** The manifest of that copy, for a step that imports it by path. */
export const installedManifest = (): string => installedModules().manifest;
let installed: { root: string; manifest: string } | null = null;
function installedModules(): { root: string; manifest: string } {
  if (installed !== null) return installed;
  const source = path.join(ROOT, 'sandbox', 'modules', 'ExchangeOnlineManagement');
  const manifest = fs.readFileSync(path.join(source, 'ExchangeOnlineManagement.psd1'), 'utf8');
  const version = /ModuleVersion\s*=\s*'([^']+)'/.exec(manifest)?.[1];
  if (version === undefined) throw new Error(`no ModuleVersion in ${source}/ExchangeOnlineManagement.psd1`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-bench-modules-'));
  process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  const folder = path.join(root, 'ExchangeOnlineManagement', version);
  fs.mkdirSync(folder, { recursive: true });
  for (const file of ['ExchangeOnlineManagement.psd1', 'ExchangeOnlineManagement.psm1']) {
    fs.copyFileSync(path.join(source, file), path.join(folder, file));
  }
  installed = { root, manifest: path.join(folder, 'ExchangeOnlineManagement.psd1') };
  return installed;
}

/** The action finds the real pwsh first on PATH, not the tests' counting shim, so both sides start the same PowerShell. */
export const realFirst = (): Record<string, string> => ({
  PATH: `${path.dirname(pwsh)}${path.delimiter}${process.env.PATH ?? ''}`,
});

export const certificateInputs = {
  organization: 'contoso.onmicrosoft.com',
  'client-id': APP_ID,
  certificate: pfx.base64,
  'certificate-password': pfx.password,
};
