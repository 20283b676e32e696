// Turns a session's outcome into the step's verdict, outputs, annotations and job summary.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from './actions-core.js';
import { connectionUriOf, type Settings, type Target } from './inputs.js';
import { hostOf } from './endpoints.js';
import { describeAuth, isoSeconds, TOKEN_FLOWS, type CertificateFacts } from './auth.js';
import { connectionLeft, type ErrorFact, type SessionOutcome } from './outcome.js';
import { findHint, hintById, hintPhaseOf, type HintContext } from './hints.js';
import { RESULT_OBJECT_LIMIT, STOP_GRACE_MS } from './session.js';
import { counted, oneLine, spaceControls } from './log-text.js';
import { escapeHtml, redact, redactJson } from './secrets.js';
import type { ResultFile } from './result-file.js';
import { isInside } from './run-directory.js';

export { escapeHtml };

/** GitHub refuses a single output above 1 MiB; stay under it. */
export const MAX_OUTPUT_BYTES = 1_000_000;
const SUMMARY_ROWS = 50;
const SUMMARY_COLUMNS = 8;
/** Characters of one value in the summary's table of returned objects; the result output has it whole. */
const SUMMARY_CELL_CHARS = 500;
/**
 * GitHub refuses a step summary over 1 MiB, and then shows none of it
 * (https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#step-isolation-and-limits).
 */
const MAX_SUMMARY_BYTES = 1024 * 1024;

export interface Verdict {
  ok: boolean;
  exitCode: number;
  message: string | null;
  hint: string | null;
}

/** Facts found before the connect that sharpen a hint. */
export interface JudgeContext {
  /** The directory roles the access token carried, by name. */
  directoryRoles?: string[] | null;
}

export function judge(settings: Settings, outcome: SessionOutcome, context: JudgeContext = {}): Verdict {
  const fail = (exitCode: number, message: string, error?: ErrorFact): Verdict => ({
    ok: false,
    exitCode,
    message,
    hint: hintFor(error?.message ?? message, error, context, hintContext(settings, outcome, error)),
  });
  const firstError = outcome.errors.find((e) => e.terminating) ?? outcome.errors[0];
  // A stop's hint is found from its words (hints.ts): what it left (stopFate), or the download it cut short.
  if (outcome.stopReason === 'timeout') {
    // A PowerShell killed mid-phase reports no stop: the phase it had started tells where.
    const phase = outcome.stoppedPhase || outcome.runningPhase;
    // No phase started, ended or reported anything: the time ran out while PowerShell started.
    const starting =
      !outcome.connecting &&
      !outcome.connected &&
      !outcome.disconnected &&
      outcome.module === null &&
      Object.keys(outcome.phases).length === 0;
    return withRetryCause(
      fail(
        1,
        `The run${inTenant(settings)} timed out after ${formatDuration(settings.scriptTimeoutMs ?? 0)} (script-timeout)${phase ? ` in its ${phase} phase` : starting ? ' while PowerShell was starting, before its first phase' : ''}; ${stopFate(outcome, settings.target)}.${unfinishedDownload(settings, outcome)}`,
      ),
      outcome,
    );
  }
  if (outcome.stopReason === 'cancelled') {
    return withRetryCause(
      fail(
        1,
        `The run${inTenant(settings)} was cancelled; ${stopFate(outcome, settings.target)}.${unfinishedDownload(settings, outcome)}`,
      ),
      outcome,
    );
  }
  // PowerShell hung before the runner's first event, and was killed (START_LIMIT_MS, session.ts).
  const startUnanswered = outcome.startUnansweredAfterMs ?? null;
  if (startUnanswered !== null) {
    return {
      ok: false,
      exitCode: 1,
      message: `PowerShell${inTenant(settings)} had not begun the run ${startUnanswered / 1000} s after it was given its configuration, so it was killed; nothing had connected.`,
      hint: START_HUNG_HINT,
    };
  }
  // The runner refused its configuration or the script's parameters before connecting; the
  // message names the input and what is accepted.
  const refused = outcome.errors.find((e) => e.phase === 'config' || e.phase === 'parameters');
  if (refused !== undefined) return fail(1, refused.message, refused);
  if (outcome.failedPhase === 'module' || outcome.failedPhase === 'connect') {
    const error = outcome.errors.find((e) => e.phase === outcome.failedPhase);
    const what =
      outcome.failedPhase === 'module'
        ? `Loading ExchangeOnlineManagement${inTenant(settings)}`
        : connectingTo(settings, outcome);
    return fail(1, `${what} failed: ${error ? errorText(error.message) : 'no error was recorded'}`, error);
  }
  // A teardown cut short at its limit is a cleanup problem, warned about (noDisconnectWarning):
  // the run is judged by what the script did.
  const teardownCutShort = (outcome.teardownCutShortAfterMs ?? null) !== null;
  if (outcome.connectAttempted && outcome.teardown !== 'ended' && !teardownCutShort) {
    // The script may have ended PowerShell itself, or something outside killed it.
    const how =
      outcome.signal !== null ? `was ended by ${outcome.signal}` : `exited with code ${outcome.processExitCode}`;
    const when = outcome.script === null ? 'before the script finished and before its teardown' : 'during its teardown';
    const message = `PowerShell${inTenant(settings)} ${how} ${when}, so the runner could not disconnect; the post step removes what is left.`;
    return {
      ok: false,
      exitCode: outcome.processExitCode || 1,
      message,
      // An abort has a cause of its own; otherwise the likeliest one is the script.
      hint: aborted(outcome) ? ABORT_HINT : SCRIPT_ENDED_POWERSHELL,
    };
  }
  const script = outcome.script;
  if (script === null) {
    const how =
      outcome.signal !== null ? `was ended by ${outcome.signal}` : `exited with code ${outcome.processExitCode}`;
    const verdict = fail(
      outcome.processExitCode || 1,
      `PowerShell${inTenant(settings)} ${how} before the script finished.`,
      firstError,
    );
    return aborted(outcome) ? { ...verdict, hint: ABORT_HINT } : verdict;
  }
  // The runner always ends by itself. A signal that the action did not send (it sends one only to
  // a PowerShell that lingers after its teardown) came from outside, or from the script
  // (Stop-Process -Id $PID), whatever the events say: a script can reach the runner's event writer.
  if (outcome.signal !== null && (outcome.forced ?? null) === null) {
    return {
      ok: false,
      exitCode: 1,
      message: `PowerShell${inTenant(settings)} was ended by ${outcome.signal} after the script; the post step makes sure nothing is left.`,
      hint: aborted(outcome) ? ABORT_HINT : SCRIPT_ENDED_POWERSHELL,
    };
  }
  if (script.terminated) {
    return fail(
      script.exitCode || 1,
      `The script${inTenant(settings)} failed: ${firstError ? errorText(firstError.message) : 'terminating error'}`,
      firstError,
    );
  }
  if (script.exitCode !== 0 && script.setShouldExit === true) {
    const code = script.exitCode;
    return {
      ok: false,
      exitCode: code,
      message: `The script${inTenant(settings)} ended with exit code ${code}: the script called $host.SetShouldExit(${code}) and ended with no exit N other than 0 after it, so the step takes ${code}, as a plain pwsh -File does for a script that ends without an exit (an exit 0 after it looks the same to the step).`,
      hint: SET_SHOULD_EXIT_HINT,
    };
  }
  if (script.exitCode !== 0 && script.exited === true) {
    const code = script.exitCode;
    return {
      ok: false,
      exitCode: code,
      message:
        code >= 1 && code <= 255
          ? `The script${inTenant(settings)} ended with exit ${code}, so the step fails with exit code ${code}, as under GitHub's shell: pwsh.`
          : // Linux and macOS keep a process exit code's low 8 bits: there pwsh -File of exit 256 ends with 0.
            `The script${inTenant(settings)} ended with exit ${code}, so the step fails (exit-code ${code}). A process exit code outside 0-255 is cut to its low 8 bits on Linux and macOS, where a shell: pwsh step would end with ${code & 255} instead; exit with a code from 1 to 255.`,
      hint: SCRIPT_EXIT_HINT,
    };
  }
  if (script.exitCode !== 0) {
    // A native command's exit code, left in $LASTEXITCODE: the runner takes it at the script's
    // end, as GitHub's `shell: pwsh` wrapper does (an exit N of the script's own is `exited`). A
    // script it called or dot-sourced that ended with exit N sets $LASTEXITCODE too.
    const code = script.exitCode;
    return {
      ok: false,
      exitCode: code,
      message: `The script${inTenant(settings)} ended with exit code ${code}: the last native command it ran, or a script it called that ended with exit ${code}, left $LASTEXITCODE at ${code} ($LASTEXITCODE at the script's end is the step's exit code, as under GitHub's shell: pwsh).`,
      hint: NATIVE_EXIT_HINT,
    };
  }
  if (settings.failOnError && script.errors > 0) {
    return fail(
      1,
      `The script${inTenant(settings)} wrote ${counted(script.errors, 'error record', 'error records')} and fail-on-error is true.`,
      firstError,
    );
  }
  return { ok: true, exitCode: 0, message: null, hint: null };
}

/** What a stop did to the session, as the runner's events tell it (never more than they say). */
export function stopFate(outcome: SessionOutcome, target: Target = 'exchange-online'): string {
  const late = forcedNote(outcome.forced ?? null);
  if (outcome.disconnected) return `it was stopped and the session torn down${late}`;
  if (outcome.connected) {
    // Exited with a code of its own, with no signal from the action and before its teardown: the
    // script ended PowerShell itself, in a finally block the stop ran, say. Not a PowerShell that
    // aborted (the same test as judge's for a run without a stop).
    if (
      outcome.teardown === 'none' &&
      outcome.signal === null &&
      (outcome.forced ?? null) === null &&
      outcome.processExitCode !== null &&
      !aborted(outcome)
    ) {
      return `PowerShell ended itself (exit code ${outcome.processExitCode}) before it disconnected, so the session was not torn down in this step; the post step makes sure nothing is left`;
    }
    // A stop that came while the teardown ran: the script had finished, the disconnect had not.
    const when = outcome.teardown === 'started' ? ' during its teardown' : '';
    return `PowerShell ended${when} before it disconnected${late}, so the session was not torn down in this step; the post step makes sure nothing is left`;
  }
  if (outcome.connecting) {
    const server = target === 'exchange-server';
    // A stopped New-PSSession hands over no session, so no InstanceId reaches post; the teardown
    // removes the sessions this PowerShell holds (Get-PSSession) instead.
    if (outcome.teardown === 'ended') {
      const failed = outcome.errors.some((e) => e.phase === 'teardown');
      return server && !failed
        ? `it was stopped while connecting${late}, and its teardown removed any session this PowerShell held`
        : `it was stopped while connecting${late}, and its teardown reported no disconnect`;
    }
    return server
      ? `PowerShell ended while it was connecting${late}, before its teardown reported; with no InstanceId recorded, the post step cannot remove a session the connect may have opened`
      : `PowerShell ended while it was connecting${late}, before its teardown reported; the post step makes sure nothing is left`;
  }
  return `it was stopped before anything was connected${late}`;
}

/** The module's download a stop cut short, as a sentence of its own; '' when none was under way. */
function unfinishedDownload(settings: Settings, outcome: SessionOutcome): string {
  if (outcome.moduleSaving !== true) return '';
  return ` ExchangeOnlineManagement's download from ${settings.module.repository} (module-repository) had not finished.`;
}

/**
 * A stop that came while the runner waited to retry (a throttled connect, say): what it was
 * retrying after, so the time is not all put down to a slow script. Added after the hint is
 * chosen: the hint is the stop's.
 */
function withRetryCause(verdict: Verdict, outcome: SessionOutcome): Verdict {
  if (!outcome.retryPending || verdict.message === null) return verdict;
  return {
    ...verdict,
    message: `${verdict.message} It was retrying after a transient failure: ${oneLine(redact(outcome.retryPending))}`,
  };
}

/** Whether Node had to fall back to signals after asking PowerShell to stop (session.ts). */
function forcedNote(forced: NodeJS.Signals | null): string {
  if (forced === null) return '';
  if (forced === 'SIGKILL') return ' (it did not stop when asked, and was killed)';
  return ` (it did not stop within ${formatDuration(STOP_GRACE_MS)} when asked, and was interrupted with ${forced})`;
}

/** An error's text as the log and the summary show it: without secrets, on one line. */
export function errorText(message: string): string {
  return oneLine(redact(message));
}

export function setOutputs(settings: Settings, outcome: SessionOutcome, verdict: Verdict): void {
  // Redacted while still data, before it is JSON again: escaping cannot hide a secret from it.
  // With the count unknown and no result written, result stays a JSON array (a later step's
  // fromJSON must not fail), and the empty result-count and the warning say it is not the whole.
  const { json, kept, note } = fitResult(redactJson(outcome.resultJson ?? '[]'), MAX_OUTPUT_BYTES);
  if (outcome.resultNote !== undefined) core.warning(outcome.resultNote);
  if (outcome.planNote !== undefined) core.warning(outcome.planNote);
  const total = returnedCount(outcome, kept);
  if (countUnknown(outcome)) core.warning(unknownCountWarning(settings, outcome));
  // A result the action could not read (too large, or changed after the runner wrote it) has its
  // own warning above: no limit of the output's is why it is short.
  else if (total !== null && kept < total && outcome.resultNote === undefined)
    reportShortfall(settings, outcome, kept, total, note);
  if ((outcome.script?.cutStrings ?? 0) > 0) reportCutStrings(settings, outcome);
  if (outcome.script?.depthCut === true) core.warning(depthCutWarning(settings));
  if ((outcome.script?.returnedErrors ?? 0) > 0)
    core.warning(returnedErrorsWarning(settings, outcome.script!.returnedErrors!));
  core.setOutput('result', json);
  core.setOutput('result-count', total === null ? '' : String(total));
  // A file PowerShell did not close is named too: it holds what the script returned until then.
  const resultFilePath = outcome.resultFile?.path ?? (countUnknown(outcome) ? settings.resultFile?.path : undefined);
  // Every output is written, empty where there is none: the file's values are the step's last
  // word, over a ::set-output the script may have sent with Write-Host (which the runner still reads).
  core.setOutput('result-file', resultFilePath ?? '');
  if (outcome.resultFile !== null) {
    const { leftOut, unwritable, unwritableReason } = outcome.resultFile;
    if (leftOut.length > 0)
      core.warning(
        `result-file has the columns of the first object; later objects had other properties, left out of the file: ${errorText(leftOut.join(', '))}. Select the same properties for every object (Select-Object), or use a .jsonl result-file, which keeps each object whole.`,
      );
    if (unwritable !== undefined && unwritable > 0)
      core.warning(
        `result-file holds ${unwritable} ${unwritable === 1 ? 'object' : 'objects'} as ${unwritable === 1 ? 'its' : 'their'} text: JSON cannot represent ${unwritable === 1 ? 'it' : 'them'} (${errorText(unwritableReason ?? 'no reason given')}). ${UNCONVERTIBLE_ADVICE}`,
      );
  }
  if (settings.whatIf) {
    // A step that passes says so where people look: a pull request would show the plan as complete.
    if (outcome.script?.whatIfOff === true)
      core.warning(
        `The what-if run may have made changes: ${WHAT_IF_OFF}. The plan output leaves them out. Leave $WhatIfPreference as the action sets it; pass -WhatIf:$false only to commands that must act in a what-if run (writing a report file, say).`,
      );
    if (outcome.planCaptureStopped === true)
      core.warning(
        `The plan output is incomplete: ${PLAN_CAPTURE_STOPPED}. The log shows every "What if" line; stop only a transcript the script started.`,
      );
    core.setOutput('plan', planOutput(outcome.plan ?? []));
  } else core.setOutput('plan', '');
  core.setOutput('exit-code', String(verdict.exitCode));
  // Empty unless a session connected: a matrix job may test it to see which tenants were reached.
  core.setOutput('organization', outcome.organization ?? '');
}

/**
 * How many objects the script returned in all: the runner counts them; `result` may hold fewer.
 * null without the runner's count, which it reports at the script's end: PowerShell ended before
 * then (unknown), or the script never started (a failed module load or connect, a cancel before
 * it): 0 would read as a script that ran and found nothing.
 */
export function returnedCount(outcome: SessionOutcome, kept: number): number | null {
  if (outcome.script === null) return null;
  return Math.max(outcome.script.objects, kept, outcome.resultFile?.count ?? 0);
}

/** The runner reports the count only once the script has ended (its `script` event). */
export function countUnknown(outcome: SessionOutcome): boolean {
  return outcome.script === null && outcome.scriptStarted === true;
}

/** Why result-count is empty, and where some of the objects may still be. */
function unknownCountWarning(settings: Settings, outcome: SessionOutcome): string {
  const result =
    outcome.resultJson === null
      ? 'result is [], which here does not mean that the script returned nothing: what it had returned is not known.'
      : 'result holds the objects the runner had kept.';
  const file = settings.resultFile === null ? '' : ` ${unfinishedResultFile(settings.resultFile)}`;
  return `result-count is empty: PowerShell ended before the script finished, so the runner never reported how many objects the script returned; ${result}${file}`;
}

/**
 * What a result-file that PowerShell never closed holds. The runner writes it out about every
 * 0.2 s and as PowerShell exits (src/ps/ExoConnectRunner/Private/ResultFile.ps1): the objects
 * returned until the end, or until shortly before it when PowerShell was killed, without what
 * closes the format.
 */
function unfinishedResultFile(file: ResultFile): string {
  const size = fs.statSync(file.path, { throwIfNoEntry: false })?.size ?? 0;
  // A .json file starts with its opening bracket.
  if (size <= (file.format === 'json' ? 1 : 0))
    return `result-file (${file.path}) holds no object: PowerShell ended before any reached it.`;
  const end =
    file.format === 'json'
      ? 'the JSON array lacks its closing ], and its last object may be cut short'
      : 'its last line may be cut short';
  return `result-file (${file.path}) holds the objects returned until PowerShell ended (until about 0.2 s before, when it was killed); ${end}.`;
}

/**
 * Error records the script returned as output rather than wrote to the error stream: on PowerShell 7
 * neither errors (a plain `pwsh -File` exits 0 after them) nor data.
 */
function returnedErrorsWarning(settings: Settings, count: number): string {
  const records = counted(count, 'error record', 'error records');
  const where = settings.resultFile === null ? 'result' : 'result or result-file';
  return `The script returned ${records} as output (as catch { $_ } does): the log shows ${count === 1 ? 'it' : 'each'} on one line. ${count === 1 ? 'It is' : 'They are'} not in ${where}, and fail-on-error counts only the errors written to the error stream. To keep an error as data, return its message ($_.Exception.Message) or an object of your own; to fail the step, write it with Write-Error or throw it.`;
}

/**
 * The one line for a `result` that holds fewer objects than the script returned: a plain log line
 * when result-file holds every object (the README's own pattern for a large report, run after run),
 * a warning when `result` is the only copy.
 */
function reportShortfall(
  settings: Settings,
  outcome: SessionOutcome,
  kept: number,
  total: number,
  sizeNote: string | null,
): void {
  const count = (n: number): string => n.toLocaleString('en-US');
  const unconvertible = outcome.script?.unconvertible ?? 0;
  // The runner stops collecting near the size limit too, so fewer than the count limit means size.
  // Objects JSON cannot hold are left out whatever the limits: said on their own, and the rest
  // of the shortfall, if any, as for any run.
  if (unconvertible > 0) {
    core.warning(
      `result leaves out ${count(unconvertible)} of the ${count(total)} objects: JSON cannot represent ${unconvertible === 1 ? 'it' : 'them'} (${errorText(outcome.script?.unconvertibleReason ?? 'no reason given')}). ${UNCONVERTIBLE_ADVICE}`,
    );
    if (kept + unconvertible >= total) return;
  }
  const why =
    sizeNote !== null || kept < RESULT_OBJECT_LIMIT
      ? `its JSON would exceed GitHub's limit of ${count(MAX_OUTPUT_BYTES)} bytes for one output`
      : `it keeps at most the first ${count(RESULT_OBJECT_LIMIT)}`;
  const line = `result holds ${count(kept)} of ${count(total)} objects: ${why}.`;
  const written = outcome.resultFile;
  if (written !== null && written.count >= total) {
    core.info(`${line} Every object is in result-file (${written.path}); result-count has the full count.`);
    return;
  }
  const where =
    settings.resultFile === null
      ? 'Set the result-file input (for example mailboxes.csv) to write every object to a file, and upload it with actions/upload-artifact.'
      : `result-file (${settings.resultFile.path}) holds ${written === null ? 'not all of them either' : `${count(written.count)} of them`}; result-count has the full count.`;
  core.warning(`${line} ${where}`);
}

/** What to do about objects JSON cannot hold: the usual one is Group-Object -AsHashTable's. */
const UNCONVERTIBLE_ADVICE =
  "ConvertTo-Json refuses them too: return such objects converted (a hashtable's keys as strings; Group-Object -AsHashTable -AsString does that), or select the properties you need.";

/** What ConvertTo-Json does past result-depth, which `result` shows without a word of its own. */
function depthCutWarning(settings: Settings): string {
  const file = settings.resultFile === null ? '' : '; result-file is written to the same depth';
  return `result holds objects nested deeper than result-depth (${settings.resultDepth}): past that depth ConvertTo-Json writes a value as its string (for a hashtable, System.Collections.Hashtable)${file}. Raise result-depth (up to 20), or select the properties you need (Select-Object) before the script returns them.`;
}

/**
 * The line for strings that `result` holds cut (the runner cuts one longer than its limit, with a
 * marker at the end that says how many characters went): a plain log line when result-file holds
 * them whole, a warning when `result` is the only copy.
 */
function reportCutStrings(settings: Settings, outcome: SessionOutcome): void {
  const { cutStrings = 0, stringLimit = 0 } = outcome.script ?? {};
  const strings = counted(cutStrings, 'string', 'strings');
  const marker = cutStrings === 1 ? 'it ends' : 'each ends';
  const line = `result holds ${strings} that the script returned cut at ${stringLimit.toLocaleString('en-US')} characters, the most it keeps of one string; ${marker} with [cut: … more characters].`;
  if (outcome.resultFile !== null) {
    core.info(`${line} result-file (${outcome.resultFile.path}) holds every string whole.`);
    return;
  }
  const where =
    settings.resultFile === null
      ? ' Set the result-file input (for example mailboxes.csv) to keep every string whole.'
      : '';
  core.warning(`${line}${where}`);
}

/**
 * Exit statuses of a process that aborted: SIGABRT on Linux and macOS; on Windows a stack overflow
 * (STATUS_STACK_OVERFLOW) or a fail-fast exit (STATUS_STACK_BUFFER_OVERRUN), as listed in
 * https://learn.microsoft.com/openspecs/windows_protocols/ms-erref/596a1078-e883-4972-9bbc-49e60bebca55
 */
const WINDOWS_ABORTS: readonly number[] = [0xc00000fd, 0xc0000409];
const ABORT_HINT = hintById('powershell-aborted');
const START_HUNG_HINT = hintById('powershell-start-hung');
const NATIVE_EXIT_HINT =
  "When a native command's failure is expected (git diff --exit-code, ping), set $global:LASTEXITCODE = 0 after it (the script runs in a scope of its own, so a plain $LASTEXITCODE = 0 sets only a script variable), or end the script with exit 0. A script called with & or . that ends with exit N sets $LASTEXITCODE to N as well.";
const SCRIPT_EXIT_HINT =
  'The script chose this exit code itself. If the run did not fail, end the script with exit 0 or without exit; to fail with a message, throw one, which the step shows and annotates at its line.';
const SET_SHOULD_EXIT_HINT =
  'If the script did not fail, call $host.SetShouldExit(0) before it ends (the last call counts), or remove the call that set this code. An exit 0 after it does not replace it here, as the step cannot tell it from no exit at all.';
const SCRIPT_ENDED_POWERSHELL =
  'A script that calls [Environment]::Exit or Stop-Process -Id $PID ends PowerShell itself, and the teardown with it; exit N ends only the script.';

function aborted(outcome: SessionOutcome): boolean {
  if (outcome.signal === 'SIGABRT') return true;
  return outcome.processExitCode !== null && WINDOWS_ABORTS.includes(outcome.processExitCode >>> 0);
}

/**
 * Where an error arose, for picking its hint: the phase the runner reported it in (a script's error
 * leaves the script phase ended, not failed), the workloads it concerns and the auth method.
 */
function hintContext(settings: Settings, outcome: SessionOutcome, error: ErrorFact | undefined): HintContext {
  const phase = hintPhaseOf(error?.phase ?? outcome.failedPhase);
  // Workloads connect in order: the first one not connected is the one whose connect failed.
  const failing = phase === 'connect' ? unconnected(settings, outcome).slice(0, 1) : [];
  return { phase, targets: failing.length > 0 ? failing : settings.targets, auth: settings.auth };
}

function hintFor(
  message: string,
  error: ErrorFact | undefined,
  context: JudgeContext,
  where: HintContext,
): string | null {
  const hint = findHint(message, where);
  if (hint === undefined) return null;
  if (hint.id === 'command-not-found' && error?.commandInSession === true)
    return hintById('command-in-another-runspace');
  const roles = context.directoryRoles;
  if (hint.id === 'role-not-supported' && roles !== undefined && roles !== null) {
    const carried = roles.length === 0 ? 'no directory role' : `these directory roles: ${roles.join(', ')}`;
    return `${hint.hint} The access token carried ${carried}.`;
  }
  return hint.hint;
}

/** The plan's lines, redacted, as many as fit in one output. */
export function planOutput(lines: string[]): string {
  const kept: string[] = [];
  let bytes = 0;
  for (const line of lines.map(redact)) {
    bytes += Buffer.byteLength(line, 'utf8') + 1;
    if (bytes > MAX_OUTPUT_BYTES) {
      core.warning(
        `The plan output holds the first ${kept.length} of ${lines.length} lines: GitHub takes at most ${MAX_OUTPUT_BYTES} bytes in one output. The step's log shows every line.`,
      );
      break;
    }
    kept.push(line);
  }
  return kept.join('\n');
}

/** A number as its JSON source text (JSON.rawJSON); JSON.stringify writes that text back unchanged. */
interface RawJson {
  readonly rawJSON: string;
}
const RawJSON = JSON as JSON & { rawJSON(text: string): RawJson; isRawJSON(value: unknown): value is RawJson };

/**
 * Parses the runner's result JSON keeping every number's source text, so what is shown or written
 * again is exactly what `result` holds: a double would turn 9007199254740993 into 9007199254740992.
 * Node 22 and later hand the reviver the source (TC39 JSON.parse source text access,
 * https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/JSON/rawJSON).
 */
export function parseExact(json: string): unknown {
  return JSON.parse(json, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && context?.source !== undefined ? RawJSON.rawJSON(context.source) : value,
  );
}

/** The longest prefix of the returned objects whose JSON fits in `limit` bytes, and how many it holds. */
export function fitResult(json: string, limit: number): { json: string; kept: number; note: string | null } {
  let items: unknown[];
  try {
    const parsed: unknown = parseExact(json);
    items = Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    items = [];
  }
  const size = Buffer.byteLength(json, 'utf8');
  if (size <= limit) return { json, kept: items.length, note: null };
  const fits = (n: number): boolean => Buffer.byteLength(JSON.stringify(items.slice(0, n)), 'utf8') <= limit;
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return {
    json: JSON.stringify(items.slice(0, low)),
    kept: low,
    note: `The result output was ${size} bytes, above GitHub's limit of ${limit} for one output; it holds the first ${low} of ${items.length} objects. Write large data to a file in the workspace and upload it as an artifact.`,
  };
}

/**
 * Errors in the user's own script become annotations at its file and line, so they show on the diff;
 * one raised in another script of the workspace that it called, at that script's file and line. An
 * error raised elsewhere (the runner binding parameters, a module) is placed at the script's calling
 * line, or not at all: its own position would point at files outside the repository.
 */
export function annotate(
  settings: Settings,
  outcome: SessionOutcome,
  workspace: string,
  inlineScriptPath: string | null = null,
  stepFailed = true,
): void {
  // A matrix runs one script in many tenants: each annotation's title says which.
  const tenant = inTenant(settings);
  // Errors a step passes with (fail-on-error: false) are warnings: an error annotation reads as a failure.
  const annotation = stepFailed ? core.error : core.warning;
  // GitHub shows at most 10 error and 10 warning annotations of a step: room is left for the
  // verdict of a failed step (an error), and for the step's own warnings of one that passed.
  const room = stepFailed ? 9 : 7;
  // And a script that does not parse, refused before anything connected, at the line it names.
  const placed = outcome.errors.filter(
    (e) => e.phase === 'script' || (e.phase === 'parameters' && e.line !== undefined),
  );
  for (const error of placed.slice(0, room)) {
    const placeAt = (file: string, line: number): void =>
      annotation(errorText(error.message), {
        ...(tenant === '' ? {} : { title: `Script error${tenant}` }),
        file: path.relative(workspace, file).split(path.sep).join('/'),
        startLine: line,
      });
    if (error.originFile !== undefined && error.originLine !== undefined && isInside(error.originFile, workspace)) {
      placeAt(error.originFile, error.originLine);
      continue;
    }
    if (error.file === undefined || error.line === undefined) continue;
    // A file outside the workspace is not in the repository, where an annotation points.
    if (settings.script.kind === 'file' && samePath(error.file, settings.script.path)) {
      if (isInside(error.file, workspace)) placeAt(error.file, error.line);
      else annotation(errorText(error.message), { title: `${path.basename(error.file)}, line ${error.line}${tenant}` });
    } else if (
      settings.script.kind === 'inline' &&
      inlineScriptPath !== null &&
      samePath(error.file, inlineScriptPath)
    ) {
      annotation(errorText(error.message), { title: `Inline script, line ${error.line}${tenant}` });
    }
  }
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a).toLowerCase() === path.resolve(b).toLowerCase();
}

/**
 * Which workload's connect failed, and to which tenant (two steps in one job, or a matrix by index,
 * are told apart by it): with two workloads, the first may have connected already.
 */
function connectingTo(settings: Settings, outcome: SessionOutcome): string {
  const connected = outcome.connections.map((c) => c.target);
  const failed = unconnected(settings, outcome);
  const tenant = tenantOf(settings);
  const partly = connected.length > 0 && failed.length > 0;
  const notes = [tenant, partly ? `after ${connected.join(', ')} connected` : null].filter((n) => n !== null);
  // Workloads connect in order, and the first failure ends the run: the first not connected is the
  // one that failed. An Exchange Server session that opened, and whose import failed, is its own.
  const workloads = failed.length > 0 ? failed.slice(0, 1) : settings.targets;
  return `Connecting to ${workloads.join(', ')}${notes.length === 0 ? '' : ` (${notes.join(', ')})`}`;
}

/**
 * The tenant a run works in, as failure messages, script annotations and the summary's heading
 * name it: the server's host for exchange-server; otherwise delegated-organization when set (the
 * customer's tenant a partner's app works in), or organization.
 */
function tenantOf(settings: Settings): string | null {
  if (settings.target === 'exchange-server') return hostOf(settings.connectionUri ?? '');
  return settings.delegatedOrganization ?? settings.organization ?? null;
}

/** " (northwind.onmicrosoft.com)", to follow what failed in a message; '' when the run names no tenant. */
export function inTenant(settings: Settings): string {
  const tenant = tenantOf(settings);
  return tenant === null ? '' : ` (${tenant})`;
}

/** "Exchange PowerShell (northwind.onmicrosoft.com): failed", as HTML. */
function headingOf(tenant: string | null, outcome: 'succeeded' | 'failed'): string {
  return `Exchange PowerShell${tenant === null ? '' : ` (${cell(tenant)})`}: ${outcome}`;
}

/** The workloads not connected yet: the one whose connect failed, and those after it. */
function unconnected(settings: Settings, outcome: SessionOutcome): Target[] {
  const connected = outcome.connections.map((c) => c.target);
  return settings.targets.filter((t) => !connected.includes(t));
}

/** The Settings log group: what this run will do, read back from the one settings object. */
export function logSettings(settings: Settings, ms: number): void {
  core.startGroup('Settings');
  core.info(`target: ${settings.targets.join(', ')}`);
  // An on-premises server is in no Microsoft cloud: environment selects nothing for it.
  if (settings.target !== 'exchange-server') core.info(`environment: ${settings.environment}`);
  for (const target of settings.targets) {
    const label = settings.targets.length > 1 ? `connection-uri (${target})` : 'connection-uri';
    core.info(`${label}: ${connectionUriOf(settings, target) ?? '(none)'}`);
  }
  core.info(`organization: ${settings.organization ?? '(none)'}`);
  // Only token flows sign in to Entra ID from the action; the module does its own sign-in otherwise.
  if (TOKEN_FLOWS.includes(settings.auth)) {
    core.info(`tenant-id: ${settings.tenantId ?? '(none)'}`);
    core.info(`authority-host: ${settings.authorityHost}`);
  }
  if (settings.delegatedOrganization !== null) core.info(`delegated-organization: ${settings.delegatedOrganization}`);
  for (const line of describeAuth(settings.credentials, settings.authDetails)) core.info(line);
  if (settings.target === 'exchange-server') {
    const server = settings.exchangeServer;
    core.info(`authentication: ${server.authentication}`);
    core.info(`proxy-access-type: ${server.proxyAccessType}`);
    core.info(`allow-redirection: ${server.allowRedirection}`);
    core.info(`insecure-skip-certificate-check: ${server.skipCertificateChecks}`);
  }
  core.info(`prefix: ${settings.prefix ?? '(none)'}`);
  core.info(`script: ${settings.script.kind === 'file' ? settings.script.path : 'inline'}`);
  core.info(`parameters: ${settings.parameters.names.join(', ') || '(none)'}`);
  core.info(`script-timeout: ${settings.scriptTimeoutMs === null ? 'none' : formatDuration(settings.scriptTimeoutMs)}`);
  core.info(
    `result-file: ${settings.resultFile === null ? '(none)' : `${settings.resultFile.path} (${settings.resultFile.format})`}`,
  );
  core.info(`result-depth: ${settings.resultDepth}`);
  // exchange-server loads no module: its cmdlets come from the server's session.
  if (settings.target !== 'exchange-server') core.info(`module-version: ${settings.module.version}`);
  core.info(`settings took ${ms} ms`);
  core.endGroup();
  for (const warning of settings.warnings) core.warning(warning);
  if (settings.whatIf)
    core.notice('What-if run: $WhatIfPreference is $true, so cmdlets that support -WhatIf change nothing.');
}

/** What a teardown that did not report its disconnect means, and what the post step does about it. */
export function noDisconnectWarning(settings: Settings, outcome: SessionOutcome): string {
  const server = settings.target === 'exchange-server';
  const error = outcome.errors.find((e) => e.phase === 'teardown');
  const cutShortAfterMs = outcome.teardownCutShortAfterMs ?? null;
  // A run whose script succeeded has this warning as its only annotation: it names the tenant too.
  const tenant = inTenant(settings);
  let why: string;
  if (cutShortAfterMs !== null) {
    const call = server
      ? 'Remove-PSSession or its check (Get-PSSession)'
      : 'Disconnect-ExchangeOnline or its check (Get-ConnectionInformation)';
    why = `The teardown${tenant} did not return within ${cutShortAfterMs / 1000} s: ${call} did not answer, so PowerShell was ${endedHow(outcome.forced ?? null)}`;
  } else if (error !== undefined) {
    why = `The disconnect${tenant} failed: ${errorText(error.message).replace(/\.$/, '')}`;
  } else if (server && outcome.connecting && outcome.teardown === 'ended') {
    why = `The connect${tenant} was stopped before New-PSSession returned a session`;
  } else {
    why = `The session${tenant} reported no disconnect`;
  }
  if (server) return `${why}. ${serverSessionFate(outcome)}`;
  // A REST connection lives in the PowerShell process, which has exited; its access token lasts
  // 60 to 90 minutes (https://learn.microsoft.com/entra/identity-platform/access-tokens#token-lifetime).
  if (settings.targets.every((t) => t === 'exchange-online')) {
    return `${why}. Exchange Online keeps no session for a REST connection: it ended with the PowerShell process, and the access token it used expires on its own within 60 to 90 minutes.`;
  }
  return `${why}. The connections ended with the PowerShell process; a remote PowerShell session the server still holds for Security & Compliance ends when it times out.`;
}

/** What becomes of an Exchange Server session the teardown did not report removed. */
function serverSessionFate(outcome: SessionOutcome): string {
  const instanceId = outcome.connections.find((c) => c.instanceId !== undefined)?.instanceId;
  if (instanceId !== undefined && outcome.serverSessionClosed !== instanceId) {
    return `The post step removes the server session ${errorText(instanceId)} by its InstanceId.`;
  }
  return "No InstanceId was recorded, so the post step cannot remove a session the server may have opened: it holds one of the account's sessions (its throttling policy's PowerShellMaxConcurrency) until the server's idle timeout ends it.";
}

function endedHow(forced: NodeJS.Signals | null): string {
  if (forced === 'SIGKILL') return 'killed';
  return forced === null ? 'ended' : `interrupted with ${forced}`;
}

/** Everything a finished run reports: result-file checked for secrets, the outputs, the job summary. */
export async function reportRun(settings: Settings, outcome: SessionOutcome, verdict: Verdict): Promise<void> {
  // A file PowerShell did not close holds what was written until it ended: checked all the same.
  if (settings.resultFile !== null && (outcome.resultFile !== null || countUnknown(outcome))) {
    try {
      const { redactResultFile } = await import('./result-file-redaction.js');
      const lines = await redactResultFile(settings.resultFile);
      if (lines > 0)
        core.warning(
          `result-file held a secret on ${counted(lines, 'line', 'lines')}; it is replaced with ***, as in the result output.`,
        );
    } catch (error) {
      core.warning(
        `result-file could not be checked for secrets (${oneLine((error as Error).message)}); check it before you publish it.`,
      );
    }
  }
  setOutputs(settings, outcome, verdict);
  if (settings.summary) await writeSummary(settings, outcome, verdict);
}

/**
 * A step whose inputs were refused: the outputs every failure sets (nothing ran, nothing connected),
 * and a summary with the error, naming the tenant from the inputs as given. There is no settings
 * object: any input, these among them, may be the one refused, so each is read as the runner
 * passed it, on one line and redacted.
 */
export async function reportRefused(error: unknown): Promise<void> {
  core.setOutput('result', '[]');
  core.setOutput('result-count', '');
  if (core.getInput('what-if').toLowerCase() === 'true') core.setOutput('plan', '');
  core.setOutput('exit-code', '1');
  core.setOutput('organization', '');
  if (core.getInput('summary').toLowerCase() === 'false') return;
  const message = error instanceof Error ? error.message : String(error);
  const given = givenTenant();
  await publishSummary(() => {
    const summary = core.summary.emptyBuffer().addHeading(headingOf(given.tenant, 'failed'), 3);
    if (given.facts.length > 0) {
      summary.addTable([
        [
          { data: 'Fact', header: true },
          { data: 'Value', header: true },
        ],
        ...given.facts.map(([k, v]) => [cell(k), cell(v)]),
      ]);
    }
    const html = summary.addRaw(`<p><strong>Error:</strong> ${cell(message)}</p>`, true).stringify();
    summary.emptyBuffer();
    return redact(html);
  });
}

/** Characters of an input shown in a refused step's summary: a domain is at most 253. */
const GIVEN_CHARS = 253;

/** The target, the organization and the server as the inputs give them, for a refused step. */
function givenTenant(): { tenant: string | null; facts: Array<[string, string]> } {
  const given = (name: string): string => {
    // Redacted before it is cut: a cut secret could no longer be found.
    const chars = Array.from(oneLine(redact(core.getInput(name))));
    return chars.length <= GIVEN_CHARS ? chars.join('') : `${chars.slice(0, GIVEN_CHARS).join('')}\u2026`;
  };
  const target = given('target');
  const organization = given('organization');
  const delegated = given('delegated-organization');
  const onServer = /\bexchange-server\b/i.test(target);
  const server = onServer ? hostOf(core.getInput('connection-uri').trim()) : null;
  const facts: Array<[string, string]> = [];
  if (target !== '') facts.push(['Target', target]);
  if (server !== null) facts.push(['Server', server]);
  if (organization !== '') facts.push(['Organization', organization]);
  if (delegated !== '') facts.push(['Delegated organization', delegated]);
  return { tenant: onServer ? server : delegated || organization || null, facts };
}

function writeSummary(settings: Settings, outcome: SessionOutcome, verdict: Verdict): Promise<void> {
  return publishSummary(() => {
    const html = summaryHtml(settings, outcome, verdict, true);
    return Buffer.byteLength(html) > MAX_SUMMARY_BYTES ? summaryHtml(settings, outcome, verdict, false) : html;
  });
}

/** Writes the job summary that `build` makes; one that cannot be made or written is a warning, never a failure. */
async function publishSummary(build: () => string): Promise<void> {
  try {
    const html = build();
    await core.summary.emptyBuffer().addRaw(html).write();
  } catch (error) {
    core.warning(`Job summary not written: ${oneLine((error as Error).message)}`);
  }
}

/** The summary's HTML; without `whole`, the facts, the error and the hint only, with a note of what was left out. */
function summaryHtml(settings: Settings, outcome: SessionOutcome, verdict: Verdict, whole: boolean): string {
  const summary = core.summary.emptyBuffer();
  summary.addHeading(headingOf(tenantOf(settings), verdict.ok ? 'succeeded' : 'failed'), 3);
  if (settings.whatIf && outcome.script !== null) {
    summary.addRaw(
      '<p><strong>What-if run:</strong> cmdlets that support -WhatIf described their changes instead of making them. Whatever else the script ran (commands without -WhatIf, REST calls) ran as usual.</p>',
      true,
    );
  }
  const facts: Array<[string, string]> = [
    ['Target', settings.targets.join(', ')],
    // An on-premises server belongs to no Microsoft cloud.
    ...(settings.target === 'exchange-server' ? [] : [['Cloud', settings.environment] as [string, string]]),
    // With delegated access the session works in the customer's tenant, which is what it reports.
    ...(settings.delegatedOrganization === null
      ? [['Organization', outcome.organization ?? settings.organization ?? ''] as [string, string]]
      : [
          ['Organization', settings.organization ?? ''] as [string, string],
          ['Delegated organization', outcome.organization ?? settings.delegatedOrganization] as [string, string],
        ]),
    // For Exchange Server, with the WinRM mechanism and the connection options, as the Settings group shows them.
    ...(settings.target === 'exchange-server'
      ? serverFacts(settings)
      : [['Authentication', settings.credentials.kind] as [string, string]]),
    // The thumbprint, as the app registration's "Certificates & secrets" page lists it.
    ...(settings.authDetails.certificate === null
      ? []
      : [['Certificate', certificateFact(settings.authDetails.certificate)] as [string, string]]),
    [
      'Module',
      settings.target === 'exchange-server'
        ? "none: the cmdlets come from the server's session"
        : outcome.module
          ? `ExchangeOnlineManagement ${outcome.module.version}`
          : 'not loaded',
    ],
    ...outcome.connections.map((c): [string, string] => [
      `Connection: ${c.target ?? settings.target}`,
      `${c.command} to ${c.organization ?? settings.organization ?? ''}`,
    ]),
    ['Outcome', verdict.ok ? 'success' : `failure (exit code ${verdict.exitCode})`],
    // A disconnect that failed or never came is a warning, not the run's verdict: said here too,
    // where a reader of a run that "succeeded" looks.
    ...(connectionLeft(outcome) ? [['Teardown', noDisconnectWarning(settings, outcome)] as [string, string]] : []),
    // A step that passed with errors (fail-on-error: false) says how many, as its annotations do.
    ...(outcome.script !== null && outcome.script.errors > 0
      ? [
          [
            'Errors',
            `${counted(outcome.script.errors, 'error record', 'error records')} written by the script${settings.failOnError || !verdict.ok ? '' : ', which fail-on-error: false lets pass'}`,
          ] as [string, string],
        ]
      : []),
    ...Object.entries(outcome.phases).map(([phase, ms]): [string, string] => [`Time: ${phase}`, formatDuration(ms)]),
  ];
  summary.addTable([
    [
      { data: 'Fact', header: true },
      { data: 'Value', header: true },
    ],
    ...facts.map(([k, v]) => [cell(k), cell(v)]),
  ]);
  if (!verdict.ok && verdict.message !== null) {
    summary.addRaw(`<p><strong>Error:</strong> ${cell(verdict.message)}</p>`, true);
    if (verdict.hint !== null) summary.addRaw(`<p><strong>Hint:</strong> ${cell(verdict.hint)}</p>`, true);
  }
  const table = objectTable(outcome.resultJson, outcome.script?.objects);
  const plan = settings.whatIf ? outcome.plan : null;
  // Without a table, one line says why: a report that ran empty, or a count that never came.
  const noTable =
    table !== null
      ? null
      : countUnknown(outcome)
        ? 'Returned objects: unknown. PowerShell ended before the script finished, so the runner never reported what the script returned; result-count is empty.'
        : finishedEmpty(outcome)
          ? 'The script returned no objects.'
          : null;
  const planGap = plan === null ? null : planIncomplete(settings, outcome);
  if (whole) {
    if (plan !== null) addPlan(summary, plan, planGap, settings.target);
    if (table !== null) {
      summary.addHeading('Returned objects', 4);
      summary.addTable(table.rows);
      if (table.notes.length > 0) summary.addRaw(`<p>${cell(table.notes.join('; '))}</p>`, true);
    }
    if (noTable !== null) summary.addRaw(`<p>${cell(noTable)}</p>`, true);
  } else {
    const left = [plan !== null ? 'the plan' : null, table !== null ? 'the returned objects' : null].filter(Boolean);
    if (plan !== null) {
      summary.addHeading('Plan', 4);
      if (planGap !== null) summary.addRaw(planGapHtml(planGap), true);
      summary.addRaw(`<p>${planCount(plan.length, planGap)}.</p>`, true);
    }
    if (noTable !== null) summary.addRaw(`<p>${cell(noTable)}</p>`, true);
    summary.addRaw(
      `<p>This summary leaves out ${left.join(' and ')}: with them it would pass GitHub's limit of 1 MiB for a step summary. The step's log has every plan line and the returned objects (the first 20 when result-file is set, which holds them all); the plan and result outputs hold as much as fits in one output.</p>`,
      true,
    );
  }
  // Every value was redacted before it was escaped; this second pass catches a secret that only
  // the assembled text holds (split across two values, say).
  const html = redact(summary.stringify());
  summary.emptyBuffer();
  return html;
}

/** The script ran to its end (or failed), was not stopped, and returned nothing. */
function finishedEmpty(outcome: SessionOutcome): boolean {
  const script = outcome.script;
  if (script === null || script.objects > 0) return false;
  return outcome.stopReason === null && (outcome.stopped ?? null) === null;
}

/** Exchange Server's authentication and the remoting options that differ from New-PSSession's defaults. */
function serverFacts(settings: Settings): Array<[string, string]> {
  const { authentication, proxyAccessType, allowRedirection, skipCertificateChecks } = settings.exchangeServer;
  return [
    ['Authentication', `${settings.credentials.kind} (${authentication})`],
    ...(proxyAccessType === 'None' ? [] : [['Proxy', `${proxyAccessType} (proxy-access-type)`] as [string, string]]),
    ...(allowRedirection ? [['Redirection', 'allowed (allow-redirection)'] as [string, string]] : []),
    // A lab-only setting copied into production must show where people look first.
    ...(skipCertificateChecks && settings.connectionUri?.startsWith('https:') === true
      ? [
          [
            'Certificate checks',
            'off (insecure-skip-certificate-check): SkipCACheck, SkipCNCheck, SkipRevocationCheck',
          ] as [string, string],
        ]
      : []),
  ];
}

/** Why a what-if run's plan may not hold everything the script would change; null when it ran to its end. */
interface PlanGap {
  /** The script did not reach its end (stopped, a terminating error, PowerShell gone), or may not have (exit N). */
  certain: boolean;
  why: string;
}

const WHAT_IF_OFF =
  'the script turned what-if off ($WhatIfPreference was $false when it ended), so the cmdlets it ran after that may have made their changes instead of describing them';

const PLAN_CAPTURE_STOPPED =
  'the script stopped the transcript that the action reads the "What if" lines from (Stop-Transcript, once more than it started one)';

function planIncomplete(settings: Settings, outcome: SessionOutcome): PlanGap | null {
  if (outcome.stopReason !== null) {
    const how = outcome.stopReason === 'timeout' ? 'stopped by script-timeout' : 'cancelled';
    return { certain: true, why: `the run was ${how} before the script's end` };
  }
  const script = outcome.script;
  if (script === null) return { certain: true, why: 'PowerShell ended before the script finished' };
  if (script.terminated) {
    const error = outcome.errors.find((e) => e.phase === 'script' && e.terminating);
    const where =
      error?.line === undefined
        ? ''
        : ` at line ${error.line} of ${settings.script.kind === 'file' ? path.basename(settings.script.path) : 'the inline script'}`;
    return { certain: true, why: `the script failed${where}` };
  }
  if (script.whatIfOff === true) return { certain: true, why: WHAT_IF_OFF };
  if (outcome.planCaptureStopped === true) return { certain: true, why: PLAN_CAPTURE_STOPPED };
  if (script.exitCode !== 0) return { certain: false, why: `the script ended with exit code ${script.exitCode}` };
  if (settings.failOnError && script.errors > 0) {
    return {
      certain: false,
      why: `the script wrote ${counted(script.errors, 'error record', 'error records')}, and a command that failed reports no change it would make`,
    };
  }
  return null;
}

const SERVER_PLAN =
  'The Exchange server writes the "What if" lines of its cmdlets through the remote session\'s host, and the plan cannot read them there: they are in the step\'s log. The plan holds the lines of commands that ran on the runner.';

function planGapHtml(gap: PlanGap): string {
  return gap.certain
    ? `<p><strong>The plan is incomplete:</strong> ${cell(gap.why)}, so it leaves out what the rest of the script would change.</p>`
    : `<p><strong>The plan may be incomplete:</strong> ${cell(gap.why)}.</p>`;
}

function planCount(count: number, gap: PlanGap | null): string {
  const changes = `${count} ${count === 1 ? 'change' : 'changes'}`;
  return gap === null ? `${changes} would be made` : `${changes} reported before then`;
}

/** The "What if: …" lines a what-if run caused, and how many: what a reviewer of the pull request reads. */
function addPlan(summary: typeof core.summary, plan: string[], gap: PlanGap | null, target: Target): void {
  summary.addHeading('Plan', 4);
  if (gap !== null) summary.addRaw(planGapHtml(gap), true);
  const server = target === 'exchange-server';
  // The server's cmdlets say "What if" on the server, through the session's host: those lines
  // reach the log, and no transcript (shown with real implicit remoting).
  if (server) summary.addRaw(`<p>${SERVER_PLAN}</p>`, true);
  if (plan.length === 0) {
    summary.addRaw(
      gap !== null
        ? '<p>No cmdlet reported a change before then.</p>'
        : server
          ? '<p>No command that ran on the runner reported a change.</p>'
          : '<p>The what-if run reported no change: no cmdlet said it would change anything.</p>',
      true,
    );
    return;
  }
  summary.addRaw(`<p>${planCount(plan.length, gap)}:</p>`, true);
  summary.addRaw(`<pre>${escapeHtml(redact(plan.join('\n')))}</pre>`, true);
}

type SummaryRow = Array<string | { data: string; header: true }>;

/**
 * The first rows and columns of the returned objects, for the job summary. `total` is how many
 * the script returned in all, which may be more than the JSON holds.
 */
export function objectTable(resultJson: string | null, total?: number): { rows: SummaryRow[]; notes: string[] } | null {
  if (resultJson === null) return null;
  let items: unknown;
  const redacted = redactJson(resultJson);
  try {
    items = parseExact(redacted);
  } catch {
    return null;
  }
  if (!Array.isArray(items) || items.length === 0) return null;
  const records = items.map((item): Record<string, unknown> =>
    item !== null && typeof item === 'object' && !Array.isArray(item) && !RawJSON.isRawJSON(item)
      ? (item as Record<string, unknown>)
      : { Value: item },
  );
  const columns: string[] = [];
  const written = records.some((record) => Object.keys(record).some(isIndexKey))
    ? keysAsWritten(redacted, SUMMARY_ROWS)
    : [];
  records.forEach((record, i) => {
    for (const key of written[i] ?? Object.keys(record)) if (!columns.includes(key)) columns.push(key);
  });
  const shown = columns.slice(0, SUMMARY_COLUMNS);
  const rows: SummaryRow[] = [shown.map((c) => ({ data: cell(c), header: true as const }))];
  for (const record of records.slice(0, SUMMARY_ROWS)) {
    rows.push(shown.map((c) => cell(cutCell(redact(cellText(record[c]))))));
  }
  const notes: string[] = [];
  const all = Math.max(total ?? 0, records.length);
  const shownRows = Math.min(records.length, SUMMARY_ROWS);
  if (all > shownRows)
    notes.push(`${counted(all - shownRows, 'more row', 'more rows')} (${all.toLocaleString('en-US')} in all)`);
  if (columns.length > SUMMARY_COLUMNS)
    notes.push(counted(columns.length - SUMMARY_COLUMNS, 'more property', 'more properties'));
  return { rows, notes };
}

/** A key JavaScript lists before all others in an object, whatever the order it was written in. */
function isIndexKey(key: string): boolean {
  return /^(0|[1-9]\d{0,9})$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/**
 * The keys of the array's first `count` objects, in the order the JSON has them (an element that
 * is not an object has none). Objects list keys such as "2024" first, and a report's columns
 * should keep the script's order. The text is valid JSON: JSON.parse read it before.
 */
function keysAsWritten(json: string, count: number): Array<string[] | undefined> {
  const keys: Array<string[] | undefined> = [];
  let depth = 0;
  let element = 0;
  for (let i = 0; i < json.length && element < count; i++) {
    const c = json[i];
    if (c === '"') {
      const start = i;
      for (i++; json[i] !== '"'; i++) if (json[i] === '\\') i++;
      if (depth !== 2 || keys[element] === undefined) continue;
      let next = i + 1;
      while (json[next] === ' ' || json[next] === '\n' || json[next] === '\r' || json[next] === '\t') next++;
      if (json[next] === ':') keys[element]!.push(JSON.parse(json.slice(start, i + 1)) as string);
    } else if (c === '{' || c === '[') {
      depth++;
      if (depth === 2 && c === '{') keys[element] = [];
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',' && depth === 1) {
      element++;
    }
  }
  return keys;
}

/** A value cut to SUMMARY_CELL_CHARS, after redaction (a cut secret could no longer be found). */
function cutCell(text: string): string {
  const chars = Array.from(text);
  if (chars.length <= SUMMARY_CELL_CHARS) return text;
  return `${chars.slice(0, SUMMARY_CELL_CHARS).join('')}\u2026 (${(chars.length - SUMMARY_CELL_CHARS).toLocaleString('en-US')} more characters)`;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (RawJSON.isRawJSON(value)) return value.rawJSON;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Text for the job summary's HTML: secrets redacted first (before escaping could change their form),
 * then escaped, with line breaks as <br>: a blank line would end the HTML block and turn the rest of
 * the table into markdown.
 */
export function cell(text: string): string {
  return spaceControls(escapeHtml(redact(text)).replace(/\r\n|\r|\n|\u2028|\u2029/g, '<br>'));
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`;
}

/** A certificate in one cell: its thumbprint and when it expires. */
function certificateFact(certificate: CertificateFacts): string {
  return `thumbprint ${certificate.thumbprint}, valid until ${isoSeconds(certificate.notAfter)}`;
}
