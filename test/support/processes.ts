import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
/** Whether a process with this pid exists (signal 0 tests without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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
