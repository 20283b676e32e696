// The post step, run as the runner runs it: STATE_* from main, never a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Job, runPost } from '../support/action.js';
import { isAlive } from '../support/processes.js';

/** A process that ignores SIGINT, started the way main starts PowerShell (own process group). */
function stubbornProcess(argvTail: string[]): ChildProcess {
  const child = spawn(
    process.execPath,
    ['-e', "process.on('SIGINT', () => {}); setInterval(() => {}, 1000)", '--', ...argvTail],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  child.unref();
  return child;
}

test('after a clean main, post starts no PowerShell and touches nothing', async () => {
  const job = new Job();
  try {
    job.state = { clean: 'true', workspace: path.join(job.runnerTemp, 'exo-connect-gone'), 'runner-pid': '999999' };
    const step = await runPost(job);
    expect(step.code).toBe(0);
    expect(step.log).toMatch(/nothing to clean up/);
    expect(job.pwshStarts()).toHaveLength(0);
  } finally {
    job.cleanup();
  }
});

test('when main never started a session, post says so and succeeds', async () => {
  const job = new Job();
  try {
    const step = await runPost(job);
    expect(step.code).toBe(0);
    expect(step.log).toMatch(/started no session/);
    expect(job.pwshStarts()).toHaveLength(0);
  } finally {
    job.cleanup();
  }
});

test('post ends a runner main left behind, removes its directory and reports the connection', async () => {
  const job = new Job();
  const runnerPath = path.join(job.root, 'dist', 'ps', 'runner.ps1');
  const workspace = path.join(job.runnerTemp, 'exo-connect-left');
  fs.mkdirSync(path.join(workspace, 'tmp', 'tmpEXO_abcd'), { recursive: true });
  fs.writeFileSync(
    path.join(workspace, 'events.jsonl'),
    JSON.stringify({ event: 'connected', organization: 'contoso.onmicrosoft.com' }) + '\n',
  );
  const runner = stubbornProcess(['-File', runnerPath]);
  try {
    job.state = { workspace, 'runner-pid': String(runner.pid), 'runner-path': runnerPath };
    const step = await runPost(job);
    expect(step.code).toBe(0);
    expect(step.warnings).toEqual([]);
    expect(step.log).toMatch(new RegExp(`Stopping PowerShell process ${runner.pid}`));
    expect(step.log).toMatch(/connection to contoso.onmicrosoft.com ended with its PowerShell process/);
    expect(isAlive(runner.pid!)).toBe(false);
    expect(fs.existsSync(workspace)).toBe(false);
    expect(job.pwshStarts()).toHaveLength(0);
  } finally {
    if (isAlive(runner.pid!)) process.kill(runner.pid!, 'SIGKILL');
    job.cleanup();
  }
});

test('post never kills a process that is not its runner (pid reuse)', async () => {
  const job = new Job();
  const stranger = stubbornProcess(['unrelated-work']);
  try {
    job.state = {
      workspace: path.join(job.runnerTemp, 'exo-connect-x'),
      'runner-pid': String(stranger.pid),
      'runner-path': path.join(job.root, 'dist', 'ps', 'runner.ps1'),
    };
    const step = await runPost(job);
    expect(step.code).toBe(0);
    expect(isAlive(stranger.pid!)).toBe(true);
  } finally {
    process.kill(stranger.pid!, 'SIGKILL');
    job.cleanup();
  }
});
