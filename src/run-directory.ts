// The run directory: this run's own folder in RUNNER_TEMP, private to the account, holding the
// inline script, the events, the returned objects and the plan. Nothing in it is a secret; main
// removes it, and post only ever removes a directory of this shape.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makePrivate, type RunTool } from './private-dir.js';

/** Every run directory is a direct child of RUNNER_TEMP named with this prefix; post removes nothing else. */
export const RUN_DIRECTORY_PREFIX = 'exo-connect-';

/** This run's private directory (in RUNNER_TEMP) and the files in it; not GITHUB_WORKSPACE. */
export interface RunDirectory {
  dir: string;
  events: string;
  result: string;
  /** The "What if: …" lines of a what-if run, one a line. */
  plan: string;
  script: string;
  tmp: string;
}

/**
 * A directory for this run only, that only this account can open: it holds the inline script,
 * the events and the objects the script returned. Nothing in it is a secret.
 */
export function createRunDirectory(
  runnerTemp: string,
  platform: NodeJS.Platform = process.platform,
  run?: RunTool,
): RunDirectory {
  // Absolute: PowerShell runs in working-directory, and post checks the path it saved (a relative
  // RUNNER_TEMP comes from a local runner such as act, never from GitHub's).
  runnerTemp = path.resolve(runnerTemp);
  fs.mkdirSync(runnerTemp, { recursive: true });
  const dir = fs.mkdtempSync(path.join(runnerTemp, RUN_DIRECTORY_PREFIX));
  try {
    makePrivate(dir, platform, run);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`The run directory could not be made private to this account: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // On Windows the directory has RUNNER_TEMP's permissions until icacls has run: what another
  // account put in it then would stay its own, so nothing may be in it now.
  const planted = fs.readdirSync(dir);
  if (planted.length > 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `The run directory ${dir} held ${planted.map((name) => JSON.stringify(name)).join(', ')} before this run wrote anything to it: another account on this runner can write to RUNNER_TEMP (${runnerTemp}). Give only the runner's account access to that folder.`,
    );
  }
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  return {
    dir,
    tmp,
    events: path.join(dir, 'events.jsonl'),
    result: path.join(dir, 'result.json'),
    plan: path.join(dir, 'plan.txt'),
    script: path.join(dir, 'inline-script.ps1'),
  };
}

/** Whether `file` lies inside `folder`, not the folder itself (on Windows, without regard to case). */
export function isInside(file: string, folder: string): boolean {
  const relative = path.relative(path.resolve(folder), path.resolve(file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Whether `dir` names a run directory this action makes under `runnerTemp`, by its path alone: an
 * exo-connect-* folder directly in it.
 */
export function namesRunDirectory(dir: string, runnerTemp: string): boolean {
  if (dir === '' || !path.isAbsolute(dir)) return false;
  const fold = (p: string): string => (process.platform === 'win32' ? p.toLowerCase() : p);
  const resolved = path.resolve(dir);
  if (fold(path.dirname(resolved)) !== fold(path.resolve(runnerTemp))) return false;
  return path.basename(resolved).startsWith(RUN_DIRECTORY_PREFIX);
}

/**
 * Whether `dir` can be a run directory this action made under `runnerTemp`: so named, and a
 * directory, not a link. The post step gets the path from the state, which the script could
 * reach, so it removes nothing else.
 */
export function isRunDirectory(dir: string, runnerTemp: string): boolean {
  if (!namesRunDirectory(dir, runnerTemp)) return false;
  try {
    const stat = fs.lstatSync(path.resolve(dir));
    return stat.isDirectory() && !stat.isSymbolicLink();
  } catch {
    return false;
  }
}
