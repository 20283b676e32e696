// Runs the built action (dist/) the way the GitHub Actions runner does: INPUT_* variables
// with action.yml defaults applied, GITHUB_OUTPUT/GITHUB_STATE/GITHUB_STEP_SUMMARY files,
// the post step started with STATE_* values, and the log masked as the runner masks it.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository root: the nearest directory above this file that holds action.yml. */
export const ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'action.yml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('action.yml not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
})();
export const SANDBOX_MODULES = path.join(ROOT, 'sandbox', 'modules');
/**
 * Exchange Server on this Linux machine: the action's platform checks pass for Windows, and the
 * sandbox module's New-PSSession & co. stand in for the remoting cmdlets.
 */
export const EXCHANGE_SERVER_ENV: Readonly<Record<string, string>> = {
  EXO_CONNECT_ACTION_TEST_PLATFORM: 'win32',
  EXO_CONNECT_ACTION_TEST_PRELOAD: path.join(
    SANDBOX_MODULES,
    'ExchangeOnlineManagement',
    'ExchangeOnlineManagement.psd1',
  ),
};
const SHIM_DIR = path.join(ROOT, 'test', 'support', 'bin');

interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string; post: string; 'post-if': string };
}
export const actionYml = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionYml;

/** The sandbox calls that end a run: the disconnect, then the check that nothing is left. */
export const CHECKED_DISCONNECT = ['Disconnect-ExchangeOnline', 'Get-ConnectionInformation'];
export const CHECKED_REMOVAL = ['Remove-PSSession', 'Get-PSSession'];

/**
 * The PowerShell script/bootstrap installed. Every test runs on it: a machine without it stops
 * here with the bootstrap's reason, instead of skipping the tests that need it.
 */
export function realPwsh(): string {
  const found = path.join(ROOT, '.tools', 'pwsh-path');
  if (fs.existsSync(found)) return fs.readFileSync(found, 'utf8').trim();
  const why = path.join(ROOT, '.tools', 'pwsh-unavailable.txt');
  throw new Error(
    'The tests need the PowerShell that script/bootstrap installs. ' +
      (fs.existsSync(why) ? fs.readFileSync(why, 'utf8') : 'Run script/bootstrap (or script/test) first.'),
  );
}

/**
 * A step's environment on a machine where PowerShell cannot start: the pwsh shim finds no real
 * PowerShell and exits 127, as a shell does for a command that is not installed. Together with
 * EXO_TEST_SHIM_HANG=stubborn the shim stands in for a runner that ignores Ctrl+C instead.
 */
export const POWERSHELL_MISSING: Readonly<Record<string, string>> = { EXO_TEST_REAL_PWSH: '' };

/** One job's runner directories, kept until the test ends. */
export class Job {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-job-'));
  readonly workspace = path.join(this.root, 'workspace');
  readonly runnerTemp = path.join(this.root, 'runner-temp');
  readonly sandboxState = path.join(this.root, 'sandbox-state');
  readonly callLog = path.join(this.sandboxState, 'calls.jsonl');
  readonly pwshLog = path.join(this.root, 'pwsh-starts.jsonl');
  /** Masked values the runner has been told about, across main and post. */
  readonly masks = new Set<string>();
  state: Record<string, string> = {};
  /** Variables the steps wrote to GITHUB_ENV: the runner gives them to every later step, post included. */
  exported: Record<string, string> = {};
  /** Every step run in this job, for the leak guard. */
  readonly steps: StepResult[] = [];
  /** The INPUT_* variables of the last main step: the runner gives post the same inputs. */
  inputs: Record<string, string> = {};

  constructor() {
    for (const dir of [this.workspace, this.runnerTemp, this.sandboxState]) fs.mkdirSync(dir, { recursive: true });
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v !== undefined && !/^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_)/.test(k)) base[k] = v;
    }
    return {
      ...base,
      PATH: `${SHIM_DIR}${path.delimiter}${process.env.PATH ?? ''}`,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: this.workspace,
      RUNNER_TEMP: this.runnerTemp,
      RUNNER_TOOL_CACHE: path.join(this.root, 'tool-cache'),
      RUNNER_OS: 'Linux',
      PSModulePath: SANDBOX_MODULES,
      // A copy of the module saved elsewhere (the provisioning tests) still finds the organization.
      EXO_SANDBOX_ORG: path.join(ROOT, 'sandbox', 'organization.json'),
      EXO_SANDBOX_LOG: this.callLog,
      EXO_SANDBOX_STATE: this.sandboxState,
      EXO_TEST_PWSH_LOG: this.pwshLog,
      EXO_TEST_REAL_PWSH: realPwsh(),
      ...extra,
    };
  }

  /** Every PowerShell start the shim saw, main and post together. */
  pwshStarts(): Array<{ pid: number; argv: string[]; env: Record<string, string> }> {
    return jsonLines(this.pwshLog);
  }

  calls(): Array<{ command: string; parameters: Record<string, unknown>; applied?: boolean }> {
    return jsonLines(this.callLog);
  }

  /** The names of the sandbox commands called so far, in order. */
  commands(): string[] {
    return this.calls().map((c) => c.command);
  }

  /** Files left anywhere under the runner temp directory and the workspace. */
  leftoverFiles(): string[] {
    const walk = (dir: string): string[] =>
      fs.existsSync(dir)
        ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
            const p = path.join(dir, e.name);
            return e.isDirectory() ? [p + path.sep, ...walk(p)] : [p];
          })
        : [];
    return [...walk(this.runnerTemp), ...walk(this.workspace)];
  }

  /**
   * The leak guard every end-to-end test passes through: no value the action masked (secrets
   * and every token it derived) may appear in a masked log, an output, the summary, the state,
   * a file under the runner temp or workspace, or a PowerShell process's argv or environment.
   */
  assertNoLeaks(): void {
    const leaks = findLeaks(this, this.steps, [...this.masks]);
    if (leaks.length > 0) throw new Error(`Leak guard: a masked value was found in ${leaks.join(', ')}`);
  }

  cleanup(): void {
    try {
      this.assertNoLeaks();
    } finally {
      fs.rmSync(this.root, { recursive: true, force: true });
    }
  }
}

export interface StepResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Wall time of the step's process, from spawn to exit. */
  ms: number;
  /** When the step's process was spawned, in ms since the epoch (the bench lines it up with the action's timing marks). */
  startedAt?: number;
  /** stdout+stderr as the runner would show it: masked, without ::add-mask:: lines. */
  log: string;
  /** Raw stdout+stderr, with the values still unmasked: only for leak checks. */
  raw: string;
  outputs: Record<string, string>;
  summary: string;
  errors: string[];
  warnings: string[];
  /**
   * Whether the step's stdout and stderr had closed shortly after it exited. The runner waits for
   * them to close, so a process that still holds them makes the step wait.
   */
  outputClosed: boolean;
}

export interface StepOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  /** Send SIGINT after this many ms, then SIGTERM 7.5 s later, then SIGKILL, as the runner cancels. */
  cancelAfterMs?: number;
  /** Cancel as cancelAfterMs does, as soon as the step's output matches (say, once the script runs). */
  cancelOnOutput?: RegExp;
  /** Cancel as cancelAfterMs does, once this settles (say, when a test's server is first reached). */
  cancelWhen?: Promise<unknown>;
  /** Kill main with SIGKILL (a runner crash) as soon as the step's output matches (say, once the script runs). */
  killOnOutput?: RegExp;
  /** With killOnOutput: wait too until main has saved this state key (it saves some from the events it reads). */
  killOnceSaved?: string;
  /** With killOnOutput: the crash takes every PowerShell of the job down first, so none can tear down. */
  killPowerShellToo?: boolean;
}

/**
 * A log of one JSON object a line, as the shims and the sandbox append it. Read while a process
 * may still be appending (a test that polls): a last line not yet ended by its line break is not
 * read, as it may be written only in part (a reader can see a page of it before the next).
 */
function jsonLines<T>(file: string): T[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** The main step's environment: the job's, with every input set as the runner sets it (action.yml defaults first). */
export function mainEnvironment(
  job: Job,
  inputs: Record<string, string> = {},
  extra: Record<string, string> = {},
): Record<string, string> {
  const env = job.env(extra);
  for (const [name, def] of Object.entries(actionYml.inputs)) env[`INPUT_${name.toUpperCase()}`] = def.default ?? '';
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

/** Empty GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV and GITHUB_STEP_SUMMARY files for one step, set in `env`. */
export function addFileCommands(
  job: Job,
  env: Record<string, string>,
): { output: string; state: string; env: string; summary: string } {
  const dir = fs.mkdtempSync(path.join(job.root, 'step-'));
  const paths = {
    output: path.join(dir, 'output'),
    state: path.join(dir, 'state'),
    env: path.join(dir, 'env'),
    summary: path.join(dir, 'summary'),
  };
  for (const p of Object.values(paths)) fs.writeFileSync(p, '');
  env.GITHUB_OUTPUT = paths.output;
  env.GITHUB_STATE = paths.state;
  env.GITHUB_ENV = paths.env;
  env.GITHUB_STEP_SUMMARY = paths.summary;
  return paths;
}

export async function runMain(job: Job, options: StepOptions = {}): Promise<StepResult> {
  const env = mainEnvironment(job, options.inputs, options.env);
  job.inputs = Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('INPUT_')));
  return runStep(job, path.join(ROOT, actionYml.runs.main), env, options);
}

export async function runPost(job: Job, options: StepOptions = {}): Promise<StepResult> {
  // As the runner builds it: the job's environment, what earlier steps exported, then main's state.
  const env = { ...job.inputs, ...job.env(options.env), ...job.exported };
  for (const [name, value] of Object.entries(job.state)) env[`STATE_${name}`] = value;
  return runStep(job, path.join(ROOT, actionYml.runs.post), env, options);
}

async function runStep(
  job: Job,
  script: string,
  env: Record<string, string>,
  options: StepOptions,
): Promise<StepResult> {
  const paths = addFileCommands(job, env);

  const startedAt = performance.timeOrigin + performance.now();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [script], { env, cwd: job.workspace, stdio: ['ignore', 'pipe', 'pipe'] });
  let raw = '';
  child.stdout.on('data', (d: Buffer) => (raw += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (raw += d.toString('utf8')));
  const timers: NodeJS.Timeout[] = [];
  const cancelIn = (ms: number): void => {
    timers.push(setTimeout(() => child.kill('SIGINT'), ms));
    timers.push(setTimeout(() => child.kill('SIGTERM'), ms + 7500));
    timers.push(setTimeout(() => child.kill('SIGKILL'), ms + 10000));
  };
  if (options.cancelAfterMs !== undefined) cancelIn(options.cancelAfterMs);
  /** Runs `act` once, as soon as the step's output matches `pattern`. */
  const onceOutputMatches = (pattern: RegExp, act: () => void): void => {
    const watch = (): void => {
      if (!pattern.test(raw)) return;
      child.stdout.off('data', watch);
      act();
    };
    child.stdout.on('data', watch);
  };
  if (options.cancelOnOutput !== undefined) onceOutputMatches(options.cancelOnOutput, () => cancelIn(0));
  if (options.cancelWhen !== undefined) void options.cancelWhen.then(() => cancelIn(0));
  /** A runner crash: main killed, and with killPowerShellToo every PowerShell of the job first. */
  const crash = (): void => {
    if (options.killPowerShellToo) {
      for (const { pid } of job.pwshStarts()) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    child.kill('SIGKILL');
  };
  /** Crashes once main has saved `key` to GITHUB_STATE, or after 15 s, when the test's expectation says what was missed. */
  const crashOnceSaved = (key: string): void => {
    const until = Date.now() + 15_000;
    const poll = (): void => {
      const saved = parseFileCommand(fs.readFileSync(paths.state, 'utf8'));
      if (saved[key] || Date.now() > until) crash();
      else timers.push(setTimeout(poll, 50));
    };
    poll();
  };
  if (options.killOnOutput !== undefined)
    onceOutputMatches(options.killOnOutput, () =>
      options.killOnceSaved === undefined ? crash() : crashOnceSaved(options.killOnceSaved),
    );
  // 'exit', not 'close': a PowerShell that outlives a killed main still holds the step's pipes.
  // 'close' (every holder of the pipes gone) may come in the same tick as 'exit', so listen now.
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (c, s) => resolve([c, s])),
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let outputClosed = false;
  await Promise.race([closed.then(() => (outputClosed = true)), new Promise((resolve) => setTimeout(resolve, 300))]);
  child.stdout.destroy();
  child.stderr.destroy();
  timers.forEach(clearTimeout);

  // As the runner orders them: ::save-state lines as they were printed, then the GITHUB_STATE file.
  for (const [, name, value] of raw.matchAll(/^::save-state name=([^:\r\n]+)::(.*)$/gm)) job.state[name!] = value!;
  Object.assign(job.state, parseFileCommand(fs.readFileSync(paths.state, 'utf8')));
  Object.assign(job.exported, parseFileCommand(fs.readFileSync(paths.env, 'utf8')));
  const { log, errors, warnings } = maskLikeTheRunner(raw, job.masks);
  const result: StepResult = {
    code,
    signal,
    ms,
    startedAt,
    log,
    raw,
    outputs: parseFileCommand(fs.readFileSync(paths.output, 'utf8')),
    summary: fs.readFileSync(paths.summary, 'utf8'),
    errors,
    warnings,
    outputClosed,
  };
  job.steps.push(result);
  return result;
}

/** Parses GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV: name<<DELIMITER\nvalue\nDELIMITER, or name=value. */
export function parseFileCommand(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const single = /^([^<=]+)=(.*)$/.exec(lines[i]!);
    if (single !== null) {
      values[single[1]!] = single[2]!;
      continue;
    }
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (match === null) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
    values[name!] = value.join('\n');
  }
  return values;
}

/** The runner hides every ::add-mask:: value from the lines that follow it. */
export function maskLikeTheRunner(
  raw: string,
  masks: Set<string>,
): { log: string; errors: string[]; warnings: string[] } {
  const shown: string[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const line of raw.split('\n')) {
    const mask = /^::add-mask::(.*)$/.exec(line);
    if (mask !== null) {
      const value = mask[1]!.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
      if (value !== '') masks.add(value);
      continue;
    }
    let masked = line;
    for (const m of masks) masked = masked.split(m).join('***');
    const decoded = masked.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
    const annotation = /^::(error|warning)[^:]*::(.*)$/s.exec(decoded);
    if (annotation?.[1] === 'error') errors.push(annotation[2]!);
    if (annotation?.[1] === 'warning') warnings.push(annotation[2]!);
    shown.push(masked);
  }
  return { log: shown.join('\n'), errors, warnings };
}

/** Forms a secret can take: as given, without whitespace, and base64-decoded where that is text. */
export function secretForms(secret: string): string[] {
  const forms = new Set([secret, secret.replace(/\s+/g, '')]);
  return [...forms].filter((f) => f.length >= 6);
}

/** Every place a secret must never reach after a step. Returns where it was found. */
export function findLeaks(job: Job, steps: StepResult[], secrets: string[]): string[] {
  const found: string[] = [];
  const forms = secrets.flatMap(secretForms);
  const check = (where: string, text: string): void => {
    for (const f of forms) if (text.includes(f)) found.push(where);
  };
  steps.forEach((s, i) => {
    check(`step ${i} masked log`, s.log);
    check(`step ${i} outputs`, JSON.stringify(s.outputs));
    check(`step ${i} summary`, s.summary);
  });
  check('state', JSON.stringify(job.state));
  for (const file of job.leftoverFiles()) {
    if (!file.endsWith(path.sep)) check(`file ${file}`, fs.readFileSync(file, 'latin1'));
  }
  for (const start of job.pwshStarts()) {
    check('PowerShell argv', JSON.stringify(start.argv));
    check('PowerShell environment', JSON.stringify(start.env));
  }
  return [...new Set(found)];
}
