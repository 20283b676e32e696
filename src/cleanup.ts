// The post step's work: remove whatever main left. A problem here is a warning, never a failure.
// The state main saved is a file the user's script could have found and written to (it runs as the
// same user), so nothing in it is trusted to name a target on its own: the process must be exactly
// main's PowerShell running this action's runner.ps1, the directory must be one of this action's
// run directories under RUNNER_TEMP, and a server-side session is removed only by its InstanceId,
// on the configured server, with the configured account.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from './actions-core.js';
import * as io from '@actions/io';
import { hostOf } from './endpoints.js';
import { findHint } from './hints.js';
import { readActionSettings, readResultFileAlone, type Settings } from './inputs.js';
import { endLeftovers, endMarkedLeftovers } from './leftovers.js';
import { counted, oneLine } from './log-text.js';
import { provision, runnerScriptPath } from './provisioning.js';
import { runnerArgv, runnerMismatch } from './runner-identity.js';
import { createRunDirectory, isRunDirectory, namesRunDirectory } from './run-directory.js';
import { removeLeftSession, signalRunner, STOP_GRACE_MS } from './session.js';
import { readState, type PostState } from './state.js';
import { redact } from './secrets.js';

const KILL_GRACE_MS = 3000;
/**
 * How long a process gets to vanish after SIGKILL, which it cannot ignore: on a loaded runner its
 * exit can take seconds to be scheduled (3 s once, in this project's CI). Only one stuck in the
 * kernel outlasts this; the wait ends as soon as the process is gone.
 */
const KILLED_EXIT_MS = 10_000;

export async function cleanup(): Promise<void> {
  const state = readState();
  const { workspace, runnerPid: pid, serverSession } = state;
  if (workspace === '' && !pid) {
    core.info('The main step started no session; nothing to clean up.');
    return;
  }
  if (state.runnerExited) {
    core.info('The main step saw its PowerShell exit; there is no process to end.');
  } else if (pid) {
    await attempt('End the PowerShell process', () => endRunner(state));
  }
  if (serverSession !== '' && state.serverSessionClosed !== serverSession) {
    await attempt('Remove the server-side session', () =>
      removeServerSession(serverSession, state.serverUri, state.runnerShell),
    );
  }
  const organization = state.connectedTo;
  if (organization !== '' && serverSession === '') {
    // Exchange Online and S&C (REST) hold no server-side session: the connection lived only in
    // the PowerShell process, which has ended.
    core.info(`The connection to ${oneLine(organization)} ended with its PowerShell process.`);
  } else if (organization === '' && pid) {
    core.info(unrecordedConnection(core.getInput('target'), state.runnerExited));
  }
  if (workspace !== '') await attempt('Remove the run directory', () => removeRunDirectory(workspace));
  await attempt('Take secrets out of result-file', redactLeftResultFile);
}

/**
 * Main takes every secret out of result-file once PowerShell has exited (report.ts); a main that
 * was killed before that did not, and what the script returned may hold one. Its PowerShell has
 * been ended by now, so the file no longer grows.
 */
async function redactLeftResultFile(): Promise<void> {
  const resultFile = readResultFileAlone();
  if (resultFile === null) return;
  // Reading the inputs masks the secrets, and so names the ones to look for.
  cleanupSettings();
  const { redactResultFile } = await import('./result-file-redaction.js');
  const lines = await redactResultFile(resultFile);
  if (lines > 0)
    core.warning(
      `result-file held a secret on ${counted(lines, 'line', 'lines')}, which the main step ended before it could take out; it is replaced with ***, as in the result output.`,
    );
}

/**
 * What became of a connection main did not record: main saves one as soon as the runner reports
 * it, so main or PowerShell ended before a connect reported, or nothing connected at all.
 */
function unrecordedConnection(target: string, runnerExited: boolean): string {
  const head = runnerExited
    ? 'The main step recorded no connection before its PowerShell exited'
    : 'The main step ended before it recorded a connection';
  if (/exchange-server/i.test(target)) {
    // A remote PSSession is a session on the server; post removes one only by the InstanceId main
    // recorded, never by searching the account's sessions, which other jobs may be using.
    return `${head}, so there is no server-side session for post to remove: it removes one only by the InstanceId main recorded. A session the connect may have opened holds one of the account's sessions (its throttling policy's PowerShellMaxConcurrency) until the server's idle timeout ends it.`;
  }
  return `${head}; a connection it may have opened ended with its PowerShell process.`;
}

async function attempt(what: string, work: () => unknown): Promise<void> {
  try {
    await work();
  } catch (error) {
    core.warning(`${what} failed during cleanup: ${oneLine(redact((error as Error).message))}`);
  }
}

/**
 * Ends the runner main started, if it is still alive and still exactly that process (pids get
 * reused), and says what it found and did: main ended without seeing PowerShell exit.
 */
async function endRunner(state: PostState): Promise<void> {
  const pid = state.runnerPid;
  if (!isAlive(pid)) {
    core.info(`The main step ended before it saw its PowerShell (process ${pid}) exit; that process has exited.`);
    return endLeftoversOf(state, null);
  }
  const expected = runnerArgv(state.runnerShell, runnerScriptPath());
  const mismatch = runnerMismatch(pid, expected, {
    startedAt: state.runnerStarted,
    startTicks: state.runnerStartTicks,
  });
  if (mismatch !== null) {
    core.info(`Process ${pid} is not the PowerShell the main step started (${oneLine(mismatch)}); it was left alone.`);
    return endLeftoversOf(state, null);
  }
  try {
    await endVerifiedRunner(pid);
  } finally {
    endLeftoversOf(state, pid);
  }
}

/**
 * Ends what the script started and left running once its PowerShell is gone: main does so when it
 * sees PowerShell exit, and post when main did not (main was killed). By PowerShell's process
 * group only while `group` is still known to be that PowerShell's; else by the run's TMPDIR in
 * the process's environment (Linux).
 */
function endLeftoversOf(state: PostState, group: number | null): void {
  // The state is the script's to write: only a path this action's run directories can have.
  const runnerTemp = path.resolve(process.env.RUNNER_TEMP || os.tmpdir());
  const environment = namesRunDirectory(state.workspace, runnerTemp)
    ? `TMPDIR=${path.join(path.resolve(state.workspace), 'tmp')}`
    : null;
  let ended = 0;
  if (group !== null)
    ended = endLeftovers({ pid: group, startTicks: state.runnerStartTicks, outputs: [], environment }, notLeftByScript);
  else if (environment !== null) ended = endMarkedLeftovers(environment, state.runnerStartTicks, notLeftByScript);
  if (ended > 0)
    core.warning(
      `The main step ended while its script ran (it was killed, or cancelled without its end), and the script had started ${counted(ended, 'process', 'processes')} that ${ended === 1 ? 'was' : 'were'} still running after its PowerShell; post ended ${ended === 1 ? 'it' : 'them'}.`,
    );
}

/**
 * Linux: whether a process is not one the script left running: one that runs this action's
 * runner.ps1 (a wrapper that starts PowerShell as its child rather than exec'ing it leaves that
 * child behind it, dying with it), or one already gone or exiting, whose command line is empty
 * (a zombie, or a process whose memory is released as it ends).
 */
function notLeftByScript(pid: number): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return argv === '' || argv.split('\0').includes(runnerScriptPath());
  } catch {
    return true;
  }
}

async function endVerifiedRunner(pid: number): Promise<void> {
  // Main's end closed the runner's stdin, which asks it to stop the script and tear down; give
  // it the time for that first. On Windows any signal is TerminateProcess: no teardown at all.
  core.info(
    `The main step ended and left its PowerShell (process ${pid}) running; waiting up to ${STOP_GRACE_MS / 1000} s for it to stop the script and tear down, as main's end asked it to.`,
  );
  if (await exitsWithin(pid, STOP_GRACE_MS)) return core.info(`PowerShell process ${pid} ended on its own.`);
  core.info(`Stopping PowerShell process ${pid} that the main step left running.`);
  signalRunner(pid, 'SIGINT');
  if (await exitsWithin(pid, KILL_GRACE_MS))
    return core.info(
      process.platform === 'win32'
        ? `PowerShell process ${pid} was terminated with what it had started (taskkill /T), without a teardown: Windows has no SIGINT for another process.`
        : `PowerShell process ${pid} ended after SIGINT.`,
    );
  signalRunner(pid, 'SIGKILL');
  if (await exitsWithin(pid, KILLED_EXIT_MS))
    return core.info(
      `PowerShell process ${pid} did not end within ${KILL_GRACE_MS / 1000} s of SIGINT and was killed (SIGKILL), without a teardown.`,
    );
  core.warning(`PowerShell process ${pid} was still running ${KILLED_EXIT_MS / 1000} s after SIGKILL.`);
}

async function exitsWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && isAlive(pid)) await new Promise((r) => setTimeout(r, 100));
  return !isAlive(pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** A process that has ended and waits to be reaped (Linux): it runs nothing and holds nothing. */
function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
  } catch {
    return false;
  }
}

async function removeRunDirectory(dir: string): Promise<void> {
  const runnerTemp = path.resolve(process.env.RUNNER_TEMP || os.tmpdir());
  const leftAlone = (): void =>
    core.warning(
      `The saved run directory '${oneLine(dir)}' is not one this action creates (a directory named exo-connect-* directly in RUNNER_TEMP); it was left alone.`,
    );
  // Judged by its path first: a forged path through a folder that does not exist is not "removed".
  if (!namesRunDirectory(dir, runnerTemp)) return leftAlone();
  if (!pathExists(dir)) return core.info(`The run directory ${oneLine(dir)} was already removed.`);
  if (!isRunDirectory(dir, runnerTemp)) return leftAlone();
  await io.rmRF(dir);
  core.info(`Removed the run directory ${oneLine(dir)}.`);
}

/** Whether anything is at the path, a link included, even one whose target is gone. */
function pathExists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

let settingsRead: Settings | undefined;

/** The inputs, read (and their secrets masked) once however many of post's tasks need them. */
function cleanupSettings(): Settings {
  return (settingsRead ??= readActionSettings(true));
}

/** The one case where post starts PowerShell: an Exchange Server session main did not see removed. */
async function removeServerSession(instanceId: string, connectionUri: string, shell: string): Promise<void> {
  core.info(
    `Removing the server-side session ${oneLine(instanceId)} on ${oneLine(connectionUri)} that the main step could not remove.`,
  );
  const settings = cleanupSettings();
  const tools = await provision(settings, process.env, shell);
  const workspace = createRunDirectory(process.env.RUNNER_TEMP || os.tmpdir());
  try {
    const { removed, error, unansweredAfterMs } = await removeLeftSession(settings, tools, workspace, instanceId);
    if (unansweredAfterMs !== null) {
      core.warning(
        `The server-side session ${oneLine(instanceId)} on ${oneLine(connectionUri)} may be left open: Get-PSSession or Remove-PSSession did not return within ${unansweredAfterMs / 1000} s (the server did not answer), so post ended its PowerShell. Such a session holds one of the account's sessions (its throttling policy's PowerShellMaxConcurrency) until the server's idle timeout ends it.\nHint: Check that the runner reaches the server (Test-WSMan -ComputerName ${oneLine(hostOf(connectionUri) ?? connectionUri)}); later runs can open one session fewer until that one ends.`,
      );
    } else if (error !== null) {
      const hint = findHint(error, { phase: 'teardown', targets: settings.targets, auth: settings.auth })?.hint;
      core.warning(
        `The server-side session ${oneLine(instanceId)} could not be removed: ${oneLine(redact(error))}. It holds one of the account's sessions (its throttling policy's PowerShellMaxConcurrency) until it expires.${hint ? `\nHint: ${hint}` : ''}`,
      );
    } else if (removed === 0) core.info('The server has no such session any more: it is closed.');
    // Otherwise the runner's own line said what it removed, with the InstanceId.
  } finally {
    await io
      .rmRF(workspace.dir)
      .catch((e: Error) => core.warning(`Removing ${workspace.dir} failed: ${oneLine(e.message)}`));
  }
}
