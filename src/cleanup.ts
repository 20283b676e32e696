// The post step's work: remove whatever main left. A problem here is a warning, never a failure.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from '@actions/core';
import * as io from '@actions/io';
import { findHint } from './hints.js';
import { readActionSettings } from './inputs.js';
import { provision } from './provisioning.js';
import { createWorkspace, readEvents, removeLeftSession, signalRunner } from './session.js';
import { State } from './state.js';

const KILL_GRACE_MS = 3000;

export async function cleanup(): Promise<void> {
  const workspace = core.getState(State.workspace);
  const pid = Number(core.getState(State.runnerPid));
  const runnerPath = core.getState(State.runnerPath);
  if (workspace === '' && !pid) {
    core.info('The main step started no session; nothing to clean up.');
    return;
  }
  await attempt('End the PowerShell process', () => endRunner(pid, runnerPath));
  const serverSession = core.getState(State.serverSession);
  if (serverSession !== '' && !removedInMain(workspace, serverSession)) {
    await attempt('Remove the server-side session', () =>
      removeServerSession(serverSession, core.getState(State.serverUri)),
    );
  }
  if (workspace !== '') {
    await attempt('Report the connection', () => reportConnection(workspace));
    await attempt('Remove the run directory', () => io.rmRF(workspace));
  }
}

async function attempt(what: string, work: () => unknown): Promise<void> {
  try {
    await work();
  } catch (error) {
    core.warning(`${what} failed during cleanup: ${(error as Error).message}`);
  }
}

/** Ends the runner main started, if it is still alive and still ours (pids get reused). */
async function endRunner(pid: number, runnerPath: string): Promise<void> {
  if (!pid || !isAlive(pid) || !isOurRunner(pid, runnerPath)) return;
  core.info(`Stopping PowerShell process ${pid} that the main step left running.`);
  signalRunner(pid, 'SIGINT');
  const deadline = Date.now() + KILL_GRACE_MS;
  while (Date.now() < deadline && isAlive(pid)) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) signalRunner(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isOurRunner(pid: number, runnerPath: string): boolean {
  if (runnerPath === '') return false;
  try {
    const commandLine =
      process.platform === 'linux'
        ? fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
        : process.platform === 'win32'
          ? runnerPath // no cheap look-up without PowerShell; the pid was saved seconds ago
          : execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
    return commandLine.includes(path.basename(runnerPath)) && commandLine.includes(path.dirname(runnerPath));
  } catch {
    return false;
  }
}

function reportConnection(workspace: string): void {
  const events = readEvents(path.join(workspace, 'events.jsonl'));
  const connected = events.find((e) => e.event === 'connected');
  const disconnected = events.some((e) => e.event === 'disconnected');
  if (connected !== undefined && !disconnected) {
    // Exchange Online and S&C (REST) hold no server-side session: the connection
    // lived only in the PowerShell process that has now ended.
    core.info(`The connection to ${connected.organization ?? 'the organization'} ended with its PowerShell process.`);
  }
}

function removedInMain(workspace: string, instanceId: string): boolean {
  if (workspace === '') return false;
  return readEvents(path.join(workspace, 'events.jsonl')).some(
    (e) => e.event === 'disconnected' && e.instanceId === instanceId,
  );
}

/** The one case where post starts PowerShell: an Exchange Server session main could not remove. */
async function removeServerSession(instanceId: string, connectionUri: string): Promise<void> {
  core.info(`Removing the server-side session ${instanceId} on ${connectionUri} that the main step could not remove.`);
  const settings = readActionSettings(true);
  const tools = await provision(settings, process.env);
  const workspace = createWorkspace(process.env.RUNNER_TEMP || os.tmpdir());
  try {
    const { removed, error } = await removeLeftSession(settings, tools, workspace, instanceId);
    if (error !== null) {
      const hint = findHint(error)?.hint;
      core.warning(
        `The server-side session ${instanceId} could not be removed: ${error}. It holds one of the account's three sessions until it expires.${hint ? `\nHint: ${hint}` : ''}`,
      );
    } else core.info(`Removed ${removed ?? 0} server-side session(s).`);
  } finally {
    await io.rmRF(workspace.dir);
  }
}
