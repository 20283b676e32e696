import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
/**
 * Whether a process with this pid exists (signal 0 tests without sending anything) and is not a
 * zombie: an ended process whose parent is gone waits there until init reaps it, which a
 * container's init may never do.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Polls check every 100 ms until it holds or ms have passed; whether it holds. */
export async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return check();
}

/** Linux: the living processes whose command line has this argument. */
export function processesWithArgument(argument: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes(argument);
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(isAlive);
}

/**
 * Makes `dir`'s entries impossible to remove, as a file held open by antivirus is on Windows:
 * read-only for a normal user, and immutable for root (whom permissions do not stop).
 */
export function lockDirectory(dir: string, file: string): () => void {
  if (process.getuid?.() === 0) {
    execFileSync('chattr', ['+i', file]);
    return () => execFileSync('chattr', ['-i', file]);
  }
  fs.chmodSync(dir, 0o500);
  return () => fs.chmodSync(dir, 0o700);
}
