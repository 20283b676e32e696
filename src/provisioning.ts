// Finds the PowerShell to run and decides where the module comes from.
// Installing a pinned module happens inside the one PowerShell process (runner.ps1),
// so that a run starts PowerShell exactly once.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as io from '@actions/io';
import * as core from './actions-core.js';
import type { Settings } from './inputs.js';
import { HintedError } from './errors.js';
import { isInside } from './run-directory.js';
import { oneLine } from './log-text.js';

export interface Provision {
  shellPath: string;
  runnerPath: string;
  /** Private directory the module is saved into; null for module-version: installed. */
  moduleDirectory: string | null;
}

export class ProvisionError extends HintedError {}

/** dist/ps/runner.ps1 beside the bundle that is running; src/ps/runner.ps1 when run from source (local-action). */
export function runnerScriptPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const fromSource = path.join(here, 'ps', 'runner.ps1');
  return fs.existsSync(fromSource) ? fromSource : path.join(here, '..', 'ps', 'runner.ps1');
}

/**
 * shellPath: the PowerShell the post step must use, the one main ran (PATH is not asked again:
 * the script can change it for later steps through GITHUB_ENV).
 */
export async function provision(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  shellPath?: string,
  now = new Date(),
): Promise<Provision> {
  if (shellPath !== undefined)
    return { shellPath: mainShell(shellPath), runnerPath: runnerScriptPath(), moduleDirectory: null };
  shellPath = await io.which(settings.shell, false);
  if (shellPath === '') {
    throw new ProvisionError(
      `The PowerShell that input 'shell' names, '${settings.shell}', was not found on PATH.`,
      settings.shell === 'pwsh'
        ? 'GitHub-hosted runners include PowerShell 7. On a self-hosted runner, install PowerShell 7 and put pwsh on PATH.'
        : 'Windows PowerShell 5.1 ships with Windows; check that powershell.exe is on PATH.',
    );
  }
  const toolCache = env.RUNNER_TOOL_CACHE || env.RUNNER_TEMP || path.join(process.cwd(), '.exo-connect');
  return { shellPath, runnerPath: runnerScriptPath(), moduleDirectory: moduleDirectory(settings, toolCache, now) };
}

/**
 * The private directory the module is saved into, one per module-version: a prerelease and the
 * release of the same version are saved under the same folder name (the version without its
 * label), and the cache saves and restores the directory whole, under the key of one version.
 * null for module-version installed, and for exchange-server, whose cmdlets come from the server.
 *
 * `latest` gets a directory per UTC day, the day its cache key names: a runner whose tool cache
 * persists (self-hosted) asks the feed for the newest release once a day, not once ever. Earlier
 * days' saves are removed; the day before today's is kept, for a job that started before midnight.
 * A feed other than the PowerShell Gallery adds its own key to the name: the newest release of an
 * internal feed is not the Gallery's, and jobs on one runner may name either.
 */
export function moduleDirectory(settings: Settings, toolCache: string, now: Date): string | null {
  if (settings.module.version === 'installed' || settings.target === 'exchange-server') return null;
  // Absolute: PowerShell, which saves the module there, runs in working-directory (a relative
  // RUNNER_TOOL_CACHE comes from a local runner such as act, never from GitHub's).
  const shellDirectory = path.resolve(toolCache, 'exo-connect-action', 'modules', settings.shell);
  if (settings.module.version !== 'latest') return path.join(shellDirectory, settings.module.version);
  removeEarlierLatest(shellDirectory, now);
  const feed = settings.module.repository === 'PSGallery' ? '' : `-${repositoryKey(settings.module.repository)}`;
  return path.join(shellDirectory, latestFolder(now) + feed);
}

/** `latest-YYYY-MM-DD`, by UTC date: the same day moduleCacheKey names. */
export function latestFolder(date: Date): string {
  return `latest-${date.toISOString().slice(0, 10)}`;
}

/** A short key of module-repository, for names: the cache key's, and a `latest` save's directory. */
export function repositoryKey(repository: string): string {
  return createHash('sha256').update(repository).digest('hex').slice(0, 12);
}

/** Removes `latest` saves older than yesterday, and the undated `latest` of earlier releases. A failure is no reason to fail the run. */
function removeEarlierLatest(shellDirectory: string, now: Date): void {
  const keep = [latestFolder(now), latestFolder(new Date(now.getTime() - 86_400_000))];
  let names: string[];
  try {
    names = fs.readdirSync(shellDirectory);
  } catch {
    return;
  }
  for (const name of names) {
    const dated = /^latest-(\d{4}-\d{2}-\d{2})(?:-[0-9a-f]{12})?$/.exec(name);
    const earlier = name === 'latest' || (dated !== null && `latest-${dated[1]!}` < keep[1]!);
    if (!earlier) continue;
    try {
      fs.rmSync(path.join(shellDirectory, name), { recursive: true, force: true });
    } catch (error) {
      core.info(`An earlier day's module-version latest save was not removed (${oneLine((error as Error).message)}).`);
    }
  }
}

/**
 * The PowerShell main recorded, if it still looks like one: its name is pwsh or powershell, and it
 * is not in a folder of the job's own (RUNNER_TEMP, the workspace), where a script could have put
 * a program of that name and the record pointing to it, had main died before its last save.
 */
function mainShell(shellPath: string, env: NodeJS.ProcessEnv = process.env): string {
  const name = path.basename(shellPath).toLowerCase();
  const jobFolders = [env.RUNNER_TEMP, env.GITHUB_WORKSPACE].filter((f): f is string => Boolean(f));
  const inJobFolder = jobFolders.some((folder) => isInside(shellPath, folder));
  if (!path.isAbsolute(shellPath) || !SHELL_NAMES.includes(name) || inJobFolder) {
    throw new ProvisionError(`the recorded PowerShell '${shellPath}' is not one this action starts.`, null);
  }
  if (!fs.existsSync(shellPath)) {
    throw new ProvisionError(`the PowerShell the main step ran ('${shellPath}') is not there any more.`, null);
  }
  return shellPath;
}

const SHELL_NAMES = ['pwsh', 'pwsh.exe', 'powershell', 'powershell.exe'];
