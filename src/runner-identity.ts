// Is this pid the PowerShell the main step started? The post step runs long after main, the pid
// may belong to another process by then, and the state that names it could have been written by
// the user's script. So post ends a process only when its command line is exactly the one main
// used (the fixed flags, and this action's own runner.ps1), and on Windows only when it also
// started when main started it.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { system32 } from './private-dir.js';

/** PowerShell's flags before the runner's path: the command line is always exactly this. */
export const RUNNER_ARGS = ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File'];
/** How far apart main's clock at spawn and Windows' creation time may be. */
const START_TOLERANCE_MS = 10_000;

export function runnerArgv(shellPath: string, runnerPath: string): string[] {
  return [shellPath, ...RUNNER_ARGS, runnerPath];
}

/** What the operating system says about a process; each returns null when there is no such process. */
export interface ProcessQueries {
  /** Linux: /proc/<pid>/cmdline as its arguments. */
  linuxArgv(pid: number): string[] | null;
  /** macOS and other Unix: the command line from ps (arguments joined by spaces). */
  unixCommand(pid: number): string | null;
  /** Windows: Win32_Process's CommandLine and CreationDate (ms since the epoch), through CIM. */
  windowsProcess(pid: number): { commandLine: string; createdAt: number } | null;
}

export function isOurRunner(
  pid: number,
  expected: string[],
  startedAt: number | null,
  platform: NodeJS.Platform = process.platform,
  queries: ProcessQueries = systemQueries,
): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    if (platform === 'linux') {
      const argv = queries.linuxArgv(pid);
      // A #! script (a wrapper named pwsh) runs with its interpreter before it: allow exactly that one.
      return argv !== null && (sameArgv(argv, expected) || sameArgv(argv.slice(1), expected));
    }
    if (platform === 'win32') {
      const found = queries.windowsProcess(pid);
      return (
        found !== null &&
        startedAt !== null &&
        found.commandLine === windowsCommandLine(expected) &&
        Math.abs(found.createdAt - startedAt) <= START_TOLERANCE_MS
      );
    }
    const command = queries.unixCommand(pid);
    const joined = expected.join(' ');
    return (
      command !== null &&
      (command === joined || (command.endsWith(` ${joined}`) && !command.slice(0, -joined.length - 1).includes(' ')))
    );
  } catch {
    return false;
  }
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
  unixCommand(pid) {
    try {
      const out = execFileSync('ps', ['-ww', '-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
      return out === '' ? null : out;
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
