// Processes the user's script started and left running when PowerShell exited. A background
// process that inherited the step's output keeps the runner waiting for that output to end, so
// the step would wait for it; and it would outlive the step. PowerShell is started as the leader
// of its own process group and session (Node's `detached`), so whatever it started is found there;
// on Linux, so is a process that left both (setsid) but still holds the step's output, or still
// has the run's own TMPDIR in its environment.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

/** What identifies PowerShell's process tree after PowerShell itself is gone. */
export interface StartMark {
  pid: number;
  /** Linux: the start time in clock ticks since boot (/proc/<pid>/stat field 22); null elsewhere. */
  startTicks: number | null;
  /** Linux: the pipes or sockets this step's stdout and stderr write to ("pipe:[123]"). */
  outputs: string[];
  /** Linux: an environment entry only this run's processes have (the run's TMPDIR), or null. */
  environment: string | null;
}

export function markStart(pid: number, environment: string | null = null): StartMark {
  if (process.platform !== 'linux') return { pid, startTicks: null, outputs: [], environment: null };
  const outputs = [1, 2].flatMap((fd) => {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      return /^(pipe|socket):/.test(target) ? [target] : [];
    } catch {
      return [];
    }
  });
  return { pid, startTicks: startTicksOf(pid), outputs, environment };
}

/**
 * Ends what PowerShell left behind (SIGKILL) and returns how many processes that was, leaving out
 * of the count those `uncounted` names (read before the kill).
 */
export function endLeftovers(mark: StartMark, uncounted: (pid: number) => boolean = () => false): number {
  if (process.platform === 'win32') return 0;
  const pids = process.platform === 'linux' ? linuxLeftovers(mark) : groupMembers(mark.pid);
  const counted = killEach(pids, uncounted);
  try {
    process.kill(-mark.pid, 'SIGKILL'); // anything that started between the scan and now
  } catch {
    // the group is empty
  }
  return counted;
}

/** SIGKILLs each process; returns how many of them `uncounted` does not name (asked before the kill). */
function killEach(pids: number[], uncounted: (pid: number) => boolean): number {
  const counted = pids.filter((pid) => !uncounted(pid)).length;
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  return counted;
}

/**
 * Post's sweep once PowerShell is gone, when its pid may already be another process's (pids get
 * reused): only processes that carry the run's own environment entry (Linux; elsewhere there is
 * no way to read another process's environment, and nothing is ended). Returns how many.
 */
export function endMarkedLeftovers(
  environment: string,
  startTicks: number | null,
  uncounted: (pid: number) => boolean = () => false,
): number {
  if (process.platform !== 'linux') return 0;
  return killEach(
    processesSince(startTicks, (pid) => hasEnvironment(pid, environment)),
    uncounted,
  );
}

interface ProcStat {
  state: string;
  pgrp: number;
  session: number;
  startTicks: number;
}

/** Linux: when the process started, in clock ticks since boot (/proc/<pid>/stat field 22); null when it is gone. */
export function startTicksOf(pid: number): number | null {
  return procStat(pid)?.startTicks ?? null;
}

function procStat(pid: number): ProcStat | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      state: fields[0]!,
      pgrp: Number(fields[2]),
      session: Number(fields[3]),
      startTicks: Number(fields[19]),
    };
  } catch {
    return null;
  }
}

function linuxLeftovers(mark: StartMark): number[] {
  return processesSince(
    mark.startTicks,
    (pid, stat) =>
      pid !== mark.pid &&
      (stat.pgrp === mark.pid ||
        stat.session === mark.pid ||
        holdsOutput(pid, mark.outputs) ||
        hasEnvironment(pid, mark.environment)),
  );
}

/**
 * Linux: the live processes (not this one, no zombie) that started no earlier than `startTicks`,
 * so never one of this step's ancestors or the runner's, and that `matches`.
 */
function processesSince(startTicks: number | null, matches: (pid: number, stat: ProcStat) => boolean): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    const stat = procStat(pid);
    if (stat === null || stat.state === 'Z') continue;
    if (startTicks !== null && stat.startTicks < startTicks) continue;
    if (matches(pid, stat)) found.push(pid);
  }
  return found;
}

function holdsOutput(pid: number, outputs: string[]): boolean {
  if (outputs.length === 0) return false;
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return outputs.includes(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
  } catch {
    return false; // not ours to read
  }
}

/** A process that detached itself and closed its output still carries the environment it was given. */
function hasEnvironment(pid: number, entry: string | null): boolean {
  if (entry === null) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry);
  } catch {
    return false; // not ours to read
  }
}

/** macOS and other Unix: the members of PowerShell's process group, from ps. */
function groupMembers(leader: number): number[] {
  try {
    return execFileSync('ps', ['-A', '-o', 'pid=,pgid='], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number))
      .filter(([pid, pgid]) => pgid === leader && pid !== leader && pid !== process.pid)
      .map(([pid]) => pid!);
  } catch {
    return [];
  }
}
