// Stopping a run: script-timeout, cancellation (SIGINT, then SIGTERM 7.5 s later, then a kill),
// a runner that ignores Ctrl+C, and a main that is killed outright. Every case ends with no
// process left and no files left. The script sleeps in real PowerShell; only the runner that
// ignores Ctrl+C, which PowerShell never is, is the test shim standing in.
import * as fs from 'node:fs';
import { CHECKED_DISCONNECT, Job, POWERSHELL_MISSING, runMain, runPost } from '../support/action.js';
import { isAlive } from '../support/processes.js';
import { validInputs } from '../support/invalid-inputs.js';

const SLEEP = 'Start-Sleep -Seconds 120';

let job: Job;
beforeEach(() => (job = new Job()));
afterEach(() => job.cleanup());

function expectNothingLeft(): void {
  const pid = Number(job.state['runner-pid']);
  expect(pid).toBeGreaterThan(0);
  expect(isAlive(pid)).toBe(false);
  expect(job.leftoverFiles().filter((f) => !f.startsWith(job.workspace))).toEqual([]);
}

test('script-timeout stops the script, tears down and fails with "timed out after"', async () => {
  const started = Date.now();
  // The timeout counts from PowerShell's start; 10 s leaves a loaded machine time to connect first.
  const step = await runMain(job, {
    inputs: { ...validInputs(), script: SLEEP, 'script-timeout': '10s' },
  });
  expect(Date.now() - started).toBeLessThan(40_000);
  expect(step.code).toBe(1);
  expect(step.errors.join('\n')).toMatch(
    /The script timed out after 10\.0 s; it was stopped and the session torn down\./,
  );
  expect(step.outputs['exit-code']).toBe('1');
  expectNothingLeft();
  expect(job.calls().map((c) => c.command)).toEqual([
    'Connect-ExchangeOnline',
    'Get-ConnectionInformation',
    ...CHECKED_DISCONNECT,
  ]);
});

test('cancellation: SIGINT to main stops PowerShell before the runner escalates', async () => {
  const step = await runMain(job, { inputs: { ...validInputs(), script: SLEEP }, cancelAfterMs: 3000 });
  expect(step.signal).toBeNull(); // main finished on its own, before SIGTERM at +7.5 s
  expect(step.code).toBe(1);
  expect(step.errors.join('\n')).toMatch(/The run was cancelled/);
  expectNothingLeft();
  const post = await runPost(job);
  expect(post.code).toBe(0);
  expect(post.log).toMatch(/nothing to clean up/);
});

test("a runner that ignores Ctrl+C is killed within the runner's grace period", async () => {
  const step = await runMain(job, {
    inputs: { ...validInputs(), script: SLEEP },
    // The shim in PowerShell's place: a runner that never ends and ignores SIGINT.
    env: { ...POWERSHELL_MISSING, EXO_TEST_SHIM_HANG: 'stubborn' },
    cancelAfterMs: 1000,
  });
  expect(step.signal).toBeNull(); // main ended on its own, before the runner's SIGTERM at +7.5 s
  expect(step.code).toBe(1);
  expect(step.errors.join('\n')).toMatch(/The run was cancelled/);
  const [start, ...more] = job.pwshStarts();
  expect(more).toEqual([]);
  expect(start!.env.EXO_TEST_SHIM_HANG).toBe('stubborn'); // the stand-in really was the runner
  expectNothingLeft();
});

test('main killed with -9: post ends the PowerShell it left and removes its files', async () => {
  const main = await runMain(job, { inputs: { ...validInputs(), script: SLEEP }, killAfterMs: 4000 });
  expect(main.signal).toBe('SIGKILL');
  const pid = Number(job.state['runner-pid']);
  expect(isAlive(pid)).toBe(true);
  expect(job.state.workspace).toBeDefined();
  expect(fs.existsSync(job.state.workspace!)).toBe(true);
  const post = await runPost(job);
  expect(post.code).toBe(0);
  expect(post.warnings).toEqual([]);
  expect(post.log).toMatch(new RegExp(`Stopping PowerShell process ${pid}`));
  expectNothingLeft();
});

test('a cancel that arrives while the step is still starting is not lost: main ends cleanly, nothing is left', async () => {
  const step = await runMain(job, { inputs: { ...validInputs(), script: SLEEP }, cancelAfterMs: 500 });
  expect(step.signal).toBeNull();
  expect(step.code).toBe(1);
  expect(step.errors.join('\n')).toMatch(/cancelled/);
  const pid = Number(job.state['runner-pid']);
  if (pid > 0) expect(isAlive(pid)).toBe(false);
  expect(job.leftoverFiles().filter((f) => !f.startsWith(job.workspace))).toEqual([]);
});
