// The main step: read settings, provision, connect and run, report.
import * as core from './actions-core.js';
import * as io from '@actions/io';
import * as os from 'node:os';
import { HintedError } from './errors.js';
import { readActionSettings, SettingsError, type Settings } from './inputs.js';
import { provision } from './provisioning.js';
import { Cancellation } from './cancellation.js';
import { createWorkspace, noSession, runSession, startRunner, type SessionOutcome, type Workspace } from './session.js';
import {
  annotate,
  errorText,
  formatDuration,
  judge,
  setOutputs,
  writeRefusedSummary,
  writeSummary,
  type Verdict,
} from './report.js';
import { oneLine } from './log-text.js';
import { saveState } from './state.js';
import { redactResultFile } from './result-file.js';
import { mark } from './timings.js';
import type { Credentials } from './auth.js';
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
    core.setOutput('exit-code', '1');
    // summary is one of the inputs that may have been refused: read here as the runner passed it.
    if (core.getInput('summary').toLowerCase() !== 'false') {
      await writeRefusedSummary(error instanceof Error ? error.message : String(error)).catch((e) =>
        core.warning(`Job summary not written: ${oneLine((e as Error).message)}`),
      );
    }
    return fail(error);
  }
  describe(settings, Date.now() - started);
  mark('settings');

  let reported = false;
  try {
    const tools = await provision(settings, process.env);
    const { perTarget, directoryRoles } = await credentialsFor(settings);
    if (cancellation.requested)
      throw new Error('The run was cancelled before PowerShell started; nothing was connected.');
    const workspace = createWorkspace(process.env.RUNNER_TEMP || os.tmpdir());
    saveState.workspace(workspace.dir);
    // PowerShell starts now and waits for its configuration, so its start overlaps the cache restore.
    mark('pwsh-spawn');
    const runner = startRunner(tools, settings.workingDirectory, workspace);
    saveState.runnerStarted(runner.child.pid, runner.argv[0]!, runner.startedAt);
    // Once PowerShell has exited, post has no process to end, whatever happens to main after.
    void runner.exited.then(saveState.runnerExited).catch(() => undefined);
    const cache = await moduleCache(settings, tools.moduleDirectory);

    const outcome = await runSession(
      { ...settings, credentials: perTarget[0]!, connectionCredentials: perTarget },
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
      },
      cancellation,
    );
    mark('pwsh-exit', workspace.events);

    await cache?.save();
    const verdict = judge(settings, outcome, { directoryRoles });
    reported = true;
    await report(settings, outcome, verdict);
    annotate(settings, outcome, process.env.GITHUB_WORKSPACE || settings.workingDirectory, workspace.script);
    await finish(settings, workspace, outcome);
    if (!verdict.ok)
      core.setFailed(verdict.hint === null ? verdict.message! : `${verdict.message}\nHint: ${verdict.hint}`);
  } catch (error) {
    // A failure before PowerShell ran (the module, a token request) gets the outputs and the
    // summary, with its hint, as a failed connect does.
    if (!reported) {
      const hint = error instanceof HintedError ? error.hint : null;
      const message = error instanceof Error ? error.message : String(error);
      await report(settings, noSession(), { ok: false, exitCode: 1, message, hint }).catch(() => undefined);
    } else {
      core.setOutput('exit-code', '1');
    }
    fail(error);
  }
}

async function report(settings: Settings, outcome: SessionOutcome, verdict: Verdict): Promise<void> {
  if (settings.resultFile !== null && outcome.resultFile !== null) {
    try {
      const lines = await redactResultFile(settings.resultFile);
      if (lines > 0)
        core.warning(
          `result-file held a secret on ${lines} line(s); it is replaced with ***, as in the result output.`,
        );
    } catch (error) {
      core.warning(
        `result-file could not be checked for secrets (${oneLine((error as Error).message)}); check it before you publish it.`,
      );
    }
  }
  setOutputs(settings, outcome, verdict);
  if (settings.summary)
    await writeSummary(settings, outcome, verdict).catch((e) =>
      core.warning(`Job summary not written: ${oneLine((e as Error).message)}`),
    );
}

// MSAL and the cache client are large; they load only for runs that use them.
async function credentialsFor(
  settings: Settings,
): Promise<{ perTarget: Credentials[]; directoryRoles: string[] | null }> {
  const kind = settings.credentials.kind;
  if (kind !== 'oidc' && kind !== 'client-secret' && kind !== 'access-token')
    return { perTarget: settings.targets.map(() => settings.credentials), directoryRoles: null };
  const { connectCredentials } = await import('./tokens.js');
  return connectCredentials(settings);
}

async function moduleCache(
  settings: Settings,
  directory: string | null,
): Promise<{ save: () => Promise<unknown> } | null> {
  if (directory === null || !settings.module.cache || settings.module.version === 'installed') return null;
  const { actionsCache, restoreModule, saveModule } = await import('./module-cache.js');
  const state: CacheState = await restoreModule(settings, directory, actionsCache);
  return { save: () => saveModule(state, directory, actionsCache) };
}

function describe(settings: Settings, ms: number): void {
  core.startGroup('Settings');
  core.info(`target: ${settings.targets.join(', ')}`);
  core.info(`environment: ${settings.environment}`);
  core.info(`connection-uri: ${settings.connectionUri ?? '(none)'}`);
  core.info(`organization: ${settings.organization ?? '(none)'}`);
  core.info(`auth: ${settings.credentials.kind}`);
  core.info(`script: ${settings.script.kind === 'file' ? settings.script.path : 'inline'}`);
  core.info(`parameters: ${settings.parameters.names.join(', ') || '(none)'}`);
  core.info(`script-timeout: ${settings.scriptTimeoutMs === null ? 'none' : formatDuration(settings.scriptTimeoutMs)}`);
  core.info(
    `result-file: ${settings.resultFile === null ? '(none)' : `${settings.resultFile.path} (${settings.resultFile.format})`}`,
  );
  core.info(`result-depth: ${settings.resultDepth}`);
  core.info(`module-version: ${settings.module.version}`);
  core.info(`settings took ${ms} ms`);
  core.endGroup();
  for (const warning of settings.warnings) core.warning(warning);
  if (settings.whatIf)
    core.notice('What-if run: $WhatIfPreference is $true, so cmdlets that support -WhatIf change nothing.');
}

/** Removes this run's directory; records a clean teardown so post can skip PowerShell. */
async function finish(settings: Settings, workspace: Workspace, outcome: SessionOutcome): Promise<void> {
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
  const connectionLeft = (outcome.connected || outcome.connecting) && !outcome.disconnected;
  if (connectionLeft) core.warning(noDisconnectWarning(settings, outcome));
  // A PowerShell ended by a signal did not end by the runner's own path: post checks, whatever
  // its events say (the verdict says why).
  else if (removed && outcome.signal === null) saveState.clean();
}

/** What a teardown that did not report its disconnect means, and what the post step does about it. */
function noDisconnectWarning(settings: Settings, outcome: SessionOutcome): string {
  const error = outcome.errors.find((e) => e.phase === 'teardown');
  const why =
    error === undefined
      ? 'The session reported no disconnect'
      : `The disconnect failed: ${errorText(error.message).replace(/\.$/, '')}`;
  if (settings.target === 'exchange-server') {
    return `${why}. The post step removes the server session by its InstanceId.`;
  }
  // Exchange Online's REST connection lives in the PowerShell process, which has exited.
  if (settings.targets.every((t) => t === 'exchange-online')) {
    return `${why}. Exchange Online keeps no session for a REST connection: it ended with the PowerShell process, and the post step removes the run's files.`;
  }
  return `${why}. The connections ended with the PowerShell process; a remote PowerShell session the server still holds for Security & Compliance ends when it times out. The post step removes the run's files.`;
}

function fail(error: unknown): void {
  if (error instanceof SettingsError) return core.setFailed(error.message);
  if (error instanceof HintedError && error.hint !== null)
    return core.setFailed(`${error.message}\nHint: ${error.hint}`);
  core.setFailed(error instanceof Error ? error.message : String(error));
}
