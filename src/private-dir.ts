// A directory that only the account this step runs as can open. On Linux and macOS that is mode
// 0700. On Windows chmod changes nothing on NTFS, so the directory would keep RUNNER_TEMP's
// inherited ACL, which on a self-hosted runner often lets every local user read it. There the
// inherited entries are removed and one entry grants the account itself full control (icacls).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Runs a Windows tool and returns its output: the one call the tests stand in for. */
export type RunTool = (file: string, args: string[]) => string;

export const runTool: RunTool = (file, args) =>
  execFileSync(file, args, { encoding: 'utf8', windowsHide: true, timeout: 30_000 });

export function makePrivate(dir: string, platform: NodeJS.Platform = process.platform, run: RunTool = runTool): void {
  if (platform !== 'win32') {
    fs.chmodSync(dir, 0o700);
    return;
  }
  const sid = currentUserSid(run);
  // (OI)(CI): files and folders created inside later get the same single entry.
  run(system32('icacls.exe'), [dir, '/inheritance:r', '/grant:r', `*${sid}:(OI)(CI)F`, '/q']);
}

/**
 * The SID of the account this process runs as: for a runner service as NETWORK SERVICE that is
 * S-1-5-20, which no user name in the environment names.
 */
export function currentUserSid(run: RunTool): string {
  // whoami /user /fo csv /nh prints: "contoso\runner","S-1-5-21-…"
  const output = run(system32('whoami.exe'), ['/user', '/fo', 'csv', '/nh']);
  const sid = /"(S-1-[0-9-]+)"\s*$/.exec(output.trim())?.[1];
  if (sid === undefined) throw new Error(`whoami /user printed no SID: ${output.trim()}`);
  return sid;
}

/**
 * Tools from the Windows directory itself, never from whatever PATH puts first. SystemRoot is
 * taken only in its usual shape (a drive's Windows folder): a step can set any variable for the
 * steps after it through GITHUB_ENV, the post step included.
 */
export function system32(tool: string, env: NodeJS.ProcessEnv = process.env): string {
  const root = env.SystemRoot;
  const windows = root !== undefined && /^[A-Za-z]:\\Windows$/i.test(root) ? root : 'C:\\Windows';
  return path.win32.join(windows, 'System32', tool);
}
