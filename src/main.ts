// The main step: read settings, provision, connect and run, report.
import * as core from './actions-core.js';
import * as io from '@actions/io';
import * as os from 'node:os';
import { HintedError } from './errors.js';
import { findHint, hintById } from './hints.js';
import { readActionSettings, readResultFileAlone, type Settings } from './inputs.js';
import { provision, type Provision } from './provisioning.js';
import { Cancellation } from './cancellation.js';
import { connectionLeft, noSession, type SessionOutcome } from './outcome.js';
import { createRunDirectory, type RunDirectory } from './run-directory.js';
import { endUnconfigured, runSession, startRunner, type ModuleDigest, type Runner } from './session.js';
import {
  annotate,
  formatDuration,
  inTenant,
  judge,
  logSettings,
  noDisconnectWarning,
  reportRun,
  reportRefused,
} from './report.js';
import { oneLine } from './log-text.js';
import { redact } from './secrets.js';
import { removeEarlierResultFile } from './result-file.js';
import { saveState } from './state.js';
import { mark } from './timings.js';
import { TOKEN_FLOWS, type Credentials } from './auth.js';
import type { CacheState } from './module-cache.js';

// The default lets a caller that passes nothing (npx @github/local-action) run the step too.
export async function run(cancellation: Cancellation = new Cancellation()): Promise<void> {
  saveState.begin();
  try {
    await runStep(cancellation);
  } finally {
    saveState.seal();
  }
}

async function runStep(cancellation: Cancellation): Promise<void> {
  const started = Date.now();
  let settings: Settings;
  try {
    settings = readActionSettings();
  } catch (error) {
    removeRefusedRunsResultFile();
    await reportRefused(error);
    return fail(error);
  }
  logSettings(settings, Date.now() - started);
  mark('settings');

  let reported = false;
  try {
    // First, so that a run that ends before its script leaves no earlier run's objects there.
    removeEarlierResultFile(settings.resultFile);
    // One moment for the module directory and the cache key: `latest` names the day in both.
    const now = new Date();
    const tools = await provision(settings, process.env, undefined, now);
    const workspace = createRunDirectory(process.env.RUNNER_TEMP || os.tmpdir());
    saveState.workspace(workspace.dir);
    const { runner, perTarget, directoryRoles, scriptTimeoutMs, cache } = await prepareRun(
      settings,
      tools,
      workspace,
      now,
      cancellation,
    );
    let moduleDigest: ModuleDigest | null = null;

    const outcome = await runSession(
      { ...settings, scriptTimeoutMs, credentials: perTarget[0]!, connectionCredentials: perTarget },
      tools,
      workspace,
      runner,
      {
        onConnected: (event) =>
          saveState.connected(
            event.organization ?? settings.organization ?? '',
            event.instanceId === undefined
              ? undefined
              : { instanceId: event.instanceId, connectionUri: event.connectionUri ?? '' },
          ),
        onModuleDigest: cache?.pending ? (digest) => (moduleDigest = digest) : undefined,
      },
      cancellation,
    );
    mark('pwsh-exit', workspace.events);

    // A cancelled run saves nothing: the runner ends the step 7.5 s after its cancel, and the outputs come first.
    if (cache !== null && !cancellation.requested) await saveWithinLimit(cache.save(moduleDigest), cancellation);
    const verdict = judge(settings, outcome, { directoryRoles });
    reported = true;
    await reportRun(settings, outcome, verdict);
    annotate(
      settings,
      outcome,
      process.env.GITHUB_WORKSPACE || settings.workingDirectory,
      workspace.script,
      !verdict.ok,
    );
    await finish(settings, workspace, outcome);
    if (!verdict.ok)
      core.setFailed(verdict.hint === null ? verdict.message! : `${verdict.message}\nHint: ${verdict.hint}`);
  } catch (error) {
    // A failure before PowerShell ran (the module, a token request) gets the outputs and the
    // summary, with its hint, as a failed connect does.
    if (!reported) {
      const hint = error instanceof HintedError ? error.hint : null;
      const message = error instanceof Error ? error.message : String(error);
      await reportRun(settings, noSession(), { ok: false, exitCode: 1, message, hint }).catch(() => undefined);
    } else {
      core.setOutput('exit-code', '1');
    }
    fail(error);
  }
}

/**
 * Starts PowerShell, gets the credentials and restores the module cache. PowerShell waits for its
 * configuration meanwhile. With oidc and client-secret it starts first, so that its start overlaps
 * the token requests, which take hundreds of milliseconds against Entra ID (docs/decisions/0016);
 * a token given as an input is checked first, as any input is. Until its configuration is sent,
 * PowerShell has read nothing and run nothing of the user's: a run that ends before then (a token
 * refused, a cancel) ends it and removes the run directory.
 */
async function prepareRun(
  settings: Settings,
  tools: Provision,
  workspace: RunDirectory,
  now: Date,
  cancellation: Cancellation,
): Promise<{
  runner: Runner;
  perTarget: Credentials[];
  directoryRoles: string[] | null;
  scriptTimeoutMs: number | null;
  cache: Awaited<ReturnType<typeof moduleCache>>;
}> {
  let runner: Runner | null = null;
  const start = (): Runner => {
    mark('pwsh-spawn');
    const started = startRunner(tools, settings.workingDirectory, workspace);
    saveState.runnerStarted(started.child.pid, started.argv[0]!, started);
    // Once PowerShell has exited, post has no process to end, whatever happens to main after.
    void started.exited.then(saveState.runnerExited).catch(() => undefined);
    return started;
  };
  const cancelled = (): HintedError =>
    new HintedError(
      `The run${inTenant(settings)} was cancelled before its configuration reached PowerShell; nothing was connected.`,
      hintById('cancelled'),
    );
  try {
    if (TOKEN_FLOWS.includes(settings.auth)) runner = start();
    const tokensStarted = Date.now();
    const { perTarget, directoryRoles } = await credentialsFor(settings, cancellation).catch((error: unknown) => {
      throw cancellation.requested ? cancelled() : error;
    });
    if (cancellation.requested) throw cancelled();
    // script-timeout counts the token requests too: PowerShell gets what is left of it.
    const scriptTimeoutMs =
      settings.scriptTimeoutMs === null ? null : Math.max(1, settings.scriptTimeoutMs - (Date.now() - tokensStarted));
    runner ??= start();
    // The cache restore overlaps PowerShell's start in every run. A cancel ends the wait for a
    // cache service that does not answer; the request is left behind (main-entry.ts ends the process).
    const cancelledFirst = new Promise<'cancelled'>((resolve) => cancellation.onRequest(() => resolve('cancelled')));
    const cache = await Promise.race([moduleCache(settings, tools.moduleDirectory, now), cancelledFirst]);
    if (cache === 'cancelled') {
      abandonedRequests = true;
      throw cancelled();
    }
    return { runner, perTarget, directoryRoles, scriptTimeoutMs, cache };
  } catch (error) {
    await endUnconfigured(runner, workspace);
    throw error;
  }
}

// MSAL and the cache client are large; they load only for runs that use them.
async function credentialsFor(
  settings: Settings,
  cancellation: Cancellation,
): Promise<{ perTarget: Credentials[]; directoryRoles: string[] | null }> {
  const kind = settings.credentials.kind;
  if (kind !== 'oidc' && kind !== 'client-secret' && kind !== 'access-token')
    return { perTarget: settings.targets.map(() => settings.credentials), directoryRoles: null };
  const { connectCredentials } = await import('./tokens.js');
  if (cancellation.requested) throw new Error('cancelled');
  // A cancel or script-timeout ends the token requests where they are: a request still waiting
  // for its answer, or a retry's wait. The request is left behind (main-entry.ts ends the process).
  let timer: NodeJS.Timeout | undefined;
  let stoppedFirst = false;
  const stopped = new Promise<never>((_, reject) => {
    const stop = (error: Error): void => {
      stoppedFirst = true;
      reject(error);
    };
    cancellation.onRequest(() => stop(new Error('cancelled')));
    if (settings.scriptTimeoutMs !== null)
      timer = setTimeout(() => stop(tokenTimeout(settings)), settings.scriptTimeoutMs);
  });
  stopped.catch(() => undefined);
  const wait = (ms: number): Promise<void> =>
    Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms)), stopped]);
  try {
    return await Promise.race([connectCredentials(settings, wait), stopped]);
  } finally {
    clearTimeout(timer);
    // Settled by the stop, not by the requests: one may still be waiting.
    if (stoppedFirst) abandonedRequests = true;
  }
}

/** Whether a token or cache request may still be waiting for its answer: main-entry.ts then ends the process. */
export let abandonedRequests = false;

/**
 * How long the module cache's save may take once the run is over. It takes seconds; a cache
 * service that takes the request and never answers would otherwise hold the step, its outputs
 * unreported, until the job is cancelled.
 */
export const CACHE_SAVE_LIMIT_MS = 120_000;

/** Waits for the module cache's save until it ends, a cancel, or CACHE_SAVE_LIMIT_MS; the cache is never a reason to fail. */
async function saveWithinLimit(save: Promise<unknown>, cancellation: Cancellation): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`did not finish within ${CACHE_SAVE_LIMIT_MS / 1000} s`), CACHE_SAVE_LIMIT_MS);
    cancellation.onRequest(() => resolve('was given up at the cancel'));
  });
  try {
    const why = await Promise.race([
      save.then(
        () => null,
        () => null,
      ),
      gaveUp,
    ]);
    if (why === null) return;
    abandonedRequests = true;
    core.warning(
      `Saving ExchangeOnlineManagement to the Actions cache ${why}: a run on a fresh runner installs it again. The cache service took the request and did not answer; on a self-hosted runner, check the proxy (https_proxy, no_proxy) between it and the cache service.`,
    );
  } finally {
    clearTimeout(timer);
  }
}

function tokenTimeout(settings: Settings): HintedError {
  const message = `The run${inTenant(settings)} timed out after ${formatDuration(settings.scriptTimeoutMs ?? 0)} (script-timeout) in its token request; it was stopped before anything was connected.`;
  return new HintedError(
    message,
    findHint(message, { phase: null, targets: settings.targets, auth: settings.auth })?.hint ?? null,
  );
}

// exchange-server loads no module (its cmdlets come from the server): nothing to restore or save.
async function moduleCache(
  settings: Settings,
  directory: string | null,
  now: Date,
): Promise<{ pending: boolean; save: (imported: ModuleDigest | null) => Promise<unknown> } | null> {
  const unused = settings.target === 'exchange-server' || settings.module.version === 'installed';
  if (directory === null || unused || !settings.module.cache) return null;
  const { actionsCache, restoreModule, saveModule, savePending } = await import('./module-cache.js');
  const state: CacheState = await restoreModule(settings, directory, actionsCache, now);
  return { pending: savePending(state), save: (imported) => saveModule(state, directory, actionsCache, imported) };
}

/** Removes this run's directory; records a clean teardown so post can skip PowerShell. */
async function finish(settings: Settings, workspace: RunDirectory, outcome: SessionOutcome): Promise<void> {
  if (outcome.serverSessionClosed !== null) saveState.serverSessionClosed(outcome.serverSessionClosed);
  let removed = true;
  try {
    await io.rmRF(workspace.dir);
  } catch (error) {
    // Antivirus or a process still holding a file; post tries again. Never a reason to fail the run.
    removed = false;
    core.warning(
      `The run directory could not be removed yet (${oneLine((error as Error).message)}); the post step tries again.`,
    );
  }
  if (connectionLeft(outcome)) core.warning(noDisconnectWarning(settings, outcome));
  // A PowerShell ended by a signal did not end by the runner's own path: post checks, whatever
  // its events say (the verdict says why).
  else if (removed && outcome.signal === null) saveState.clean();
}

/** A refused run leaves no earlier run's result-file either, when that input itself is valid. */
function removeRefusedRunsResultFile(): void {
  try {
    removeEarlierResultFile(readResultFileAlone());
  } catch (error) {
    core.warning(withHint(error));
  }
}

function fail(error: unknown): void {
  core.setFailed(withHint(error));
}

/** An error's message and hint, without any secret a server's words may carry in a form the log's masking misses. */
function withHint(error: unknown): string {
  if (error instanceof HintedError && error.hint !== null) return redact(`${error.message}\nHint: ${error.hint}`);
  return redact(error instanceof Error ? error.message : String(error));
}
