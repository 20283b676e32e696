// Is this pid the PowerShell the main step started? The post step runs long after main, the pid
// may belong to another process by then, and the state that names it could have been written by
// the user's script. So post ends a process only when its command line is exactly the one main
// used (the fixed flags, and this action's own runner.ps1), and it started when main started it:
// another job's PowerShell from the same action checkout has the same command line.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { startTicksOf } from './leftovers.js';
import { system32 } from './private-dir.js';

/** PowerShell's flags before the runner's path: the command line is always exactly this. */
export const RUNNER_ARGS = ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File'];
/** How far apart main's clock at spawn and the start time the system reports may be (Windows, macOS). */
const START_TOLERANCE_MS = 10_000;

export function runnerArgv(shellPath: string, runnerPath: string): string[] {
  return [shellPath, ...RUNNER_ARGS, runnerPath];
}

/** When main started its PowerShell, as main recorded it at the spawn. */
export interface RunnerStart {
  /** ms since the epoch by main's clock; null when not recorded. */
  startedAt: number | null;
  /** Linux: clock ticks since boot (/proc/<pid>/stat field 22), exact for one process; null elsewhere. */
  startTicks: number | null;
}

/** What the operating system says about a process; each returns null when there is no such process. */
export interface ProcessQueries {
  /** Linux: /proc/<pid>/cmdline as its arguments. */
  linuxArgv(pid: number): string[] | null;
  /** Linux: its start in clock ticks since boot (/proc/<pid>/stat field 22). */
  linuxStartTicks(pid: number): number | null;
  /** macOS and other Unix: the command line from ps (arguments joined by spaces) and how long it has run. */
  unixProcess(pid: number): { command: string; elapsedMs: number } | null;
  /** Windows: Win32_Process's CommandLine and CreationDate (ms since the epoch), through CIM. */
  windowsProcess(pid: number): { commandLine: string; createdAt: number } | null;
}

const OTHER_COMMAND = 'its command line differs';
const OTHER_START = "it started at another time than main's PowerShell: the pid now belongs to another process";
const NO_START = 'main recorded no start time to compare with';

/** Why the process under this pid is not main's PowerShell; null when it is. */
export function runnerMismatch(
  pid: number,
  expected: string[],
  started: RunnerStart,
  platform: NodeJS.Platform = process.platform,
  queries: ProcessQueries = systemQueries,
): string | null {
  if (!Number.isSafeInteger(pid) || pid <= 0) return 'it is not a process id';
  try {
    if (platform === 'linux') {
      const argv = queries.linuxArgv(pid);
      if (argv === null || !isRunnerArgv(argv, expected)) return OTHER_COMMAND;
      if (started.startTicks === null) return NO_START;
      return queries.linuxStartTicks(pid) === started.startTicks ? null : OTHER_START;
    }
    if (platform === 'win32') {
      const found = queries.windowsProcess(pid);
      if (found === null || found.commandLine !== windowsCommandLine(expected)) return OTHER_COMMAND;
      return startMismatch(found.createdAt, started.startedAt);
    }
    const found = queries.unixProcess(pid);
    if (found === null || !sameUnixCommand(found.command, expected)) return OTHER_COMMAND;
    return startMismatch(Date.now() - found.elapsedMs, started.startedAt);
  } catch (error) {
    return `it could not be inspected (${(error as Error).message})`;
  }
}

/** A start time the system reports in whole seconds or by its own clock: close to main's record is the same start. */
function startMismatch(startedAt: number, recorded: number | null): string | null {
  if (recorded === null) return NO_START;
  return Math.abs(startedAt - recorded) <= START_TOLERANCE_MS ? null : OTHER_START;
}

/**
 * The runner's flags and path, behind what started PowerShell: the shell main named; that shell
 * behind one #! interpreter (a wrapper script named pwsh); or, where a wrapper exec'd PowerShell
 * itself (a .NET tool's shim, a snap's launcher), the pwsh executable, or the dotnet host with
 * pwsh.dll.
 */
function isRunnerArgv(argv: string[], expected: string[]): boolean {
  const tail = expected.slice(1);
  if (argv.length < tail.length || !sameArgv(argv.slice(argv.length - tail.length), tail)) return false;
  const host = argv.slice(0, argv.length - tail.length);
  const shell = expected[0]!;
  if (host.length === 1) return host[0] === shell || /(^|[\\/])pwsh(\.exe)?$/i.test(host[0]!);
  if (host.length === 2) return host[1] === shell || /(^|[\\/])pwsh\.dll$/i.test(host[1]!);
  return false;
}

/** ps shows the arguments joined by spaces: read back as Linux's argv, for paths without spaces in front. */
function sameUnixCommand(command: string, expected: string[]): boolean {
  const joined = expected.slice(1).join(' ');
  if (command === expected.join(' ')) return true;
  if (!command.endsWith(` ${joined}`)) return false;
  return isRunnerArgv([...command.slice(0, -joined.length - 1).split(' '), ...expected.slice(1)], expected);
}

function sameArgv(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * The command line Windows records for a process Node spawned with this argv: each argument quoted
 * the way libuv quotes it (the rules CommandLineToArgvW reads back), joined by spaces.
 */
export function windowsCommandLine(argv: string[]): string {
  return argv.map(quoteWindowsArgument).join(' ');
}

function quoteWindowsArgument(arg: string): string {
  if (arg === '') return '""';
  if (!/[ \t"]/.test(arg)) return arg;
  if (!/["\\]/.test(arg)) return `"${arg}"`;
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    // Backslashes are literal unless a quote follows them: then each is doubled, and the quote escaped.
    out += ch === '"' ? '\\'.repeat(backslashes * 2 + 1) + '"' : '\\'.repeat(backslashes) + ch;
    backslashes = 0;
  }
  return out + '\\'.repeat(backslashes * 2) + '"';
}

export const systemQueries: ProcessQueries = {
  linuxArgv(pid) {
    try {
      const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return raw.endsWith('\0') ? raw.slice(0, -1).split('\0') : raw.split('\0');
    } catch {
      return null;
    }
  },
  linuxStartTicks: startTicksOf,
  unixProcess(pid) {
    try {
      // etime first: [[dd-]hh:]mm:ss has no space, and the command after it may have many.
      const out = execFileSync('ps', ['-ww', '-o', 'etime=,command=', '-p', String(pid)], {
        encoding: 'utf8',
      }).trim();
      const match = /^(\S+)\s+(.*)$/s.exec(out);
      const elapsedMs = match === null ? null : elapsedTimeMs(match[1]!);
      return match === null || elapsedMs === null ? null : { command: match[2]!, elapsedMs };
    } catch {
      return null;
    }
  },
  windowsProcess(pid) {
    const { file, args, env } = windowsProcessQuery(pid);
    const out = execFileSync(file, args, { encoding: 'utf8', windowsHide: true, timeout: 60_000, env }).trim();
    if (out === '') return null;
    const found = JSON.parse(out) as { commandLine: string; created: string };
    return { commandLine: found.commandLine, createdAt: Date.parse(found.created) };
  },
};

/** ps's etime, [[dd-]hh:]mm:ss (POSIX ps), in ms; null for anything else. */
export function elapsedTimeMs(etime: string): number | null {
  const match = /^(?:(?:(\d+)-)?(\d+):)?(\d+):(\d+)$/.exec(etime);
  if (match === null) return null;
  const [, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return (((days! * 24 + hours!) * 60 + minutes!) * 60 + seconds!) * 1000;
}

/**
 * How post asks Windows about a process: Windows PowerShell, which every Windows machine has, by
 * its full path (a bare name is looked up in the working directory and on PATH first, and the
 * script can change PATH for later steps), with none of the step's variables (its inputs hold the
 * secrets), and the pid as data in a variable. It prints UTF-8, so a path with any letter matches.
 */
export function windowsProcessQuery(
  pid: number,
  parent: NodeJS.ProcessEnv = process.env,
): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { EXO_CONNECT_ACTION_PID: String(Math.trunc(pid)) };
  for (const name of ['SystemRoot', 'SystemDrive', 'windir', 'TEMP', 'TMP', 'USERPROFILE', 'LOCALAPPDATA']) {
    if (parent[name] !== undefined) env[name] = parent[name];
  }
  return { file: system32('WindowsPowerShell\\v1.0\\powershell.exe', parent), args: [...WINDOWS_QUERY_ARGS], env };
}

const WINDOWS_QUERY_ARGS = [
  '-NoLogo',
  '-NoProfile',
  '-NonInteractive',
  '-Command',
  [
    '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
    "$p = Get-CimInstance -ClassName Win32_Process -Filter ('ProcessId = {0}' -f [int]$env:EXO_CONNECT_ACTION_PID)",
    "if ($p) { @{ commandLine = [string]$p.CommandLine; created = $p.CreationDate.ToUniversalTime().ToString('o') } | ConvertTo-Json -Compress }",
  ].join('; '),
];
