// Stopping a run: script-timeout, cancellation (SIGINT, then SIGTERM 7.5 s later, then a kill),
// a runner that ignores Ctrl+C, and a main that is killed outright. Every case ends with no
// process left and no files left. The script sleeps in real PowerShell; only the runner that
// ignores Ctrl+C, which PowerShell never is, is the test shim standing in.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKED_DISCONNECT, Job, POWERSHELL_MISSING, runMain, runPost } from '../support/action.js';
import { STOP_GRACE_MS } from '../../src/session.js';
import { isAlive, waitFor } from '../support/processes.js';
import { validInputs } from '../support/invalid-inputs.js';
import { makePfx } from '../support/pfx.js';

const SLEEP = 'Start-Sleep -Seconds 120';
/** A script that sleeps, with a `finally` that leaves a mark in the workspace. */
const FINALLY = (name: string): string =>
  `try { 'the script runs'; Start-Sleep -Seconds 120 } finally { Set-Content -LiteralPath (Join-Path $env:GITHUB_WORKSPACE '${name}.finally') -Value 'ran' }`;

/** A script that waits on a native command (sleep, or `command`), with the same `finally` mark. */
const NATIVE = (name: string, command = 'sleep 120'): string =>
  `try { Write-Host 'the script runs'; & ${command} } finally { Set-Content -LiteralPath (Join-Path $env:GITHUB_WORKSPACE '${name}.finally') -Value 'ran' }`;

let job: Job;
beforeEach(() => (job = new Job()));
afterEach(() => job.cleanup());

function finallyRan(name: string): boolean {
  return fs.existsSync(path.join(job.workspace, `${name}.finally`));
}

function endsWithin(pid: number, ms: number): Promise<boolean> {
  return waitFor(() => !isAlive(pid), ms);
}

/** The runner's events, read past each line's MAC (the per-run key stays with main). */
function runnerEvents(file: string): Array<{ event: string; reason?: string }> {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line.slice(line.indexOf(' ') + 1)) as { event: string; reason?: string });
}

/** The sandbox saw a Disconnect-ExchangeOnline after the last connect. */
function disconnectedLast(): boolean {
  const commands = job.commands();
  return commands.lastIndexOf('Disconnect-ExchangeOnline') > commands.lastIndexOf('Connect-ExchangeOnline');
}

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
    /The run \(contoso\.onmicrosoft\.com\) timed out after 10\.0 s \(script-timeout\) in its script phase; it was stopped and the session torn down\./,
  );
  expect(step.outputs['exit-code']).toBe('1');
  expectNothingLeft();
  expect(job.commands()).toEqual(['Connect-ExchangeOnline', 'Get-ConnectionInformation', ...CHECKED_DISCONNECT]);
});

test('a stopped script keeps what it returned: result, result-count, result-file and the script time', async () => {
  const step = await runMain(job, {
    inputs: {
      ...validInputs(),
      script: '1..3 | ForEach-Object { [pscustomobject]@{ N = $_ } }\nStart-Sleep -Seconds 120',
      'script-timeout': '10s',
      'result-file': 'objects.jsonl',
    },
  });
  expect(step.code).toBe(1);
  expect(step.outputs['result-count']).toBe('3');
  expect(JSON.parse(step.outputs.result!)).toEqual([{ N: 1 }, { N: 2 }, { N: 3 }]);
  expect(fs.readFileSync(step.outputs['result-file']!, 'utf8').trim().split('\n')).toHaveLength(3);
  expect(step.summary).toMatch(/Time: script/);
  expect(step.summary).toMatch(/Returned objects/);
  expect(step.log).toMatch(/script stopped after \d+ ms/);
});

test('a stop leaves the runner time to write everything the script returned, thousands of objects included', async () => {
  // Stopped once the script says it returned them all: a script-timeout of a few seconds, which
  // counts from PowerShell's start, came before the last of them on a loaded machine.
  const step = await runMain(job, {
    inputs: {
      ...validInputs(),
      script:
        '1..5000 | ForEach-Object { [pscustomobject]@{ N = $_; Name = "mailbox $_" } }\nWrite-Host \'all returned\'\nStart-Sleep -Seconds 120',
      'result-file': 'objects.jsonl',
    },
    cancelOnOutput: /all returned/,
  });
  expect(step.code).toBe(1);
  expect(step.errors.join('\n')).toMatch(/was cancelled/);
  expect(step.outputs['result-count']).toBe('5000');
  expect(JSON.parse(step.outputs.result!)).toHaveLength(1000); // the result output's limit
  expect(fs.readFileSync(step.outputs['result-file']!, 'utf8').trim().split('\n')).toHaveLength(5000);
  expect(step.log).toMatch(/script stopped after \d+ ms/);
  expect(step.log).toMatch(/Disconnect-ExchangeOnline|disconnected|teardown took/);
});

test('a stop nobody asked for (a PipelineStoppedException from the script or a remote session) fails the step', async () => {
  const step = await runMain(job, {
    inputs: {
      ...validInputs(),
      script: "'first'\nthrow [System.Management.Automation.PipelineStoppedException]::new()\n'never'",
    },
  });
  expect(step.code).toBe(1);
  expect(step.outputs['exit-code']).toBe('1');
  expect(step.errors.join('\n')).toMatch(/The script was stopped before it finished \(PipelineStoppedException\)/);
  expect(step.errors.join('\n')).toMatch(
    /at a Ctrl\+C \(SIGINT, which kill -INT \$PID sends too\).*To end the script early, use exit N\./,
  );
  expect(JSON.parse(step.outputs.result!)).toEqual(['first']);
  expect(step.log).not.toMatch(/never/);
});

test('a connect that is stopped may have connected: a failed disconnect after it is warned about, and post checks', async () => {
  const step = await runMain(job, {
    inputs: { ...validInputs(), script: SLEEP, 'script-timeout': '10s' },
    env: { EXO_SANDBOX_FAULTS: 'connect-slow:60000,disconnect-fail' },
  });
  expect(step.code).toBe(1);
  expect(step.errors.join('\n')).toMatch(
    /The run \(contoso\.onmicrosoft\.com\) timed out after 10\.0 s \(script-timeout\) in its connect phase/,
  );
  expect(step.errors.join('\n')).not.toMatch(/stopped before anything was connected/);
  expect(step.warnings.join('\n')).toMatch(/The disconnect \(contoso\.onmicrosoft\.com\) failed/);
  expect(job.state.clean).toBe('false');
});

describe('the teardown, after the script phase: a limit of its own, and no script-timeout', () => {
  // The tests' shorter teardown limit (session.ts, teardownLimitMs); a release checkout ignores it.
  const shortLimit = { EXO_CONNECT_ACTION_TEST_TEARDOWN_LIMIT_MS: '3000' };

  test('a disconnect that never returns is cut short at the limit: a warning, and the script that succeeded stays a success', async () => {
    const started = Date.now();
    const step = await runMain(job, {
      inputs: { ...validInputs(), script: "'work done'" },
      env: { ...shortLimit, EXO_SANDBOX_FAULTS: 'disconnect-slow:600000' },
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect([step.code, step.signal]).toEqual([0, null]);
    expect(step.errors).toEqual([]);
    expect(step.outputs['exit-code']).toBe('0');
    expect(JSON.parse(step.outputs.result!)).toEqual(['work done']);
    expect(step.warnings).toContainEqual(
      expect.stringMatching(
        /^The teardown \(contoso\.onmicrosoft\.com\) did not return within 3 s: Disconnect-ExchangeOnline or its check \(Get-ConnectionInformation\) did not answer, so PowerShell was (killed|interrupted with SIGINT)\. Exchange Online keeps no session for a REST connection: it ended with the PowerShell process, and the access token it used expires on its own within 60 to 90 minutes\.$/,
      ),
    );
    expect(step.summary).toMatch(/Exchange PowerShell \(contoso\.onmicrosoft\.com\): succeeded/);
    expect(job.commands()).toEqual([
      'Connect-ExchangeOnline',
      'Get-ConnectionInformation',
      'Disconnect-ExchangeOnline',
    ]);
    expect(job.state.clean).toBe('false'); // post looks for itself
    expectNothingLeft();
    const post = await runPost(job);
    expect(post.code).toBe(0);
    expect(post.warnings).toEqual([]);
    expect(post.log).toMatch(/The connection to contoso\.onmicrosoft\.com ended with its PowerShell process/);
  });

  test('a slow teardown that ends after script-timeout is no timeout: the run stays a success', async () => {
    // The script ends by itself well before its 10 s; the disconnect then takes 10 s, past them.
    const step = await runMain(job, {
      inputs: { ...validInputs(), script: "Start-Sleep -Seconds 2; 'done'", 'script-timeout': '10s' },
      env: { EXO_SANDBOX_FAULTS: 'disconnect-slow:10000' },
    });
    expect([step.code, step.signal]).toEqual([0, null]);
    expect(step.errors).toEqual([]);
    expect(step.outputs['exit-code']).toBe('0');
    expect(step.log).not.toMatch(/Stopped: /);
    const teardownMs = Number(/teardown took (\d+) ms/.exec(step.log)?.[1]);
    expect(teardownMs).toBeGreaterThanOrEqual(10_000);
    expect(disconnectedLast()).toBe(true);
    expect(job.state.clean).toBe('true');
    expectNothingLeft();
  });

  test('a teardown that starts after script-timeout stopped the script has its own limit, not the stop grace: a slow disconnect ends', async () => {
    // The stop ends the script at once; the disconnect then takes 8 s, more than the 5 s a stop
    // gives PowerShell before a Ctrl+C.
    const step = await runMain(job, {
      inputs: { ...validInputs(), script: "'in'; Start-Sleep -Seconds 120", 'script-timeout': '10s' },
      env: { EXO_SANDBOX_FAULTS: 'disconnect-slow:8000' },
    });
    expect(step.code).toBe(1);
    expect(step.signal).toBeNull();
    expect(step.errors.join('\n')).toMatch(
      /timed out after 10\.0 s \(script-timeout\) in its script phase; it was stopped and the session torn down\./,
    );
    expect(step.errors.join('\n')).not.toMatch(/interrupted with SIG/);
    const teardownMs = Number(/teardown took (\d+) ms/.exec(step.log)?.[1]);
    expect(teardownMs).toBeGreaterThanOrEqual(8_000);
    expect(disconnectedLast()).toBe(true);
    expect(job.state.clean).toBe('true');
    expectNothingLeft();
  });
});

test('script-timeout, and a finally block that ends PowerShell itself: the step says the script ended it, and post removes what is left', async () => {
  const step = await runMain(job, {
    inputs: {
      ...validInputs(),
      script: "try { 'in'; Start-Sleep -Seconds 120 } finally { [Environment]::Exit(0) }",
      'script-timeout': '10s',
    },
  });
  expect(step.code).toBe(1);
  expect(step.errors.join('\n')).toMatch(
    /timed out after 10\.0 s \(script-timeout\) in its script phase; PowerShell ended itself \(exit code 0\) before it disconnected, so the session was not torn down in this step; the post step makes sure nothing is left\.\nHint: The stop ran the script's finally blocks/,
  );
  const post = await runPost(job);
  expect(post.code).toBe(0);
  expect(post.warnings).toEqual([]);
  expect(job.leftoverFiles()).toEqual([]);
});

test('a cancel during a teardown that does not return: the Teardown group is closed before the failure, which names the teardown, not the script', async () => {
  const step = await runMain(job, {
    inputs: { ...validInputs(), script: '"done"' },
    env: { EXO_SANDBOX_FAULTS: 'disconnect-slow:30000' },
    cancelOnOutput: /::group::Teardown/,
  });
  expect(step.code).toBe(1);
  const log = step.log;
  const opened = log.indexOf('::group::Teardown');
  const failure = log.indexOf('::error::');
  expect(opened).toBeGreaterThan(-1);
  expect(log.slice(opened, failure)).toContain('::endgroup::');
  expect(step.errors.join('\n')).toMatch(
    /The run \(contoso\.onmicrosoft\.com\) was cancelled; PowerShell ended during its teardown before it disconnected/,
  );
  expect(step.errors.join('\n')).toMatch(
    /during its teardown, a disconnect that waited on a service that did not answer/,
  );
  const post = await runPost(job);
  expect(post.code).toBe(0);
  expectNothingLeft();
});

test('cancellation: SIGINT to main stops PowerShell before the runner escalates', async () => {
  const step = await runMain(job, { inputs: { ...validInputs(), script: SLEEP }, cancelAfterMs: 3000 });
  expect(step.signal).toBeNull(); // main finished on its own, before SIGTERM at +7.5 s
  expect(step.code).toBe(1);
  expect(step.errors.join('\n')).toMatch(/The run \(contoso\.onmicrosoft\.com\) was cancelled/);
  expect(step.errors.join('\n')).toMatch(/\nHint: /);
  expectNothingLeft();
  const post = await runPost(job);
  expect(post.code).toBe(0);
  expect(post.log).toMatch(/nothing to clean up/);
});

test('a cancel while the script is in a call PowerShell cannot stop: PowerShell is killed, and the hint says where to look and what held it', async () => {
  const step = await runMain(job, {
    inputs: { ...validInputs(), script: "Write-Host 'stuck now'; [System.Threading.Thread]::Sleep(120000)" },
    cancelOnOutput: /stuck now/,
  });
  expect(step.signal).toBeNull();
  expect(step.code).toBe(1);
  expect(step.errors).toEqual([
    expect.stringMatching(
      /^The run \(contoso\.onmicrosoft\.com\) was cancelled; PowerShell ended before it disconnected \(it did not stop when asked, and was killed\), so the session was not torn down in this step; the post step makes sure nothing is left\.\nHint: The session may outlive this step: the warning about the disconnect says what may be left .*\[System\.Threading\.Thread\]::Sleep.*give such a call a time limit of its own/,
    ),
  ]);
  expect(step.warnings).toContainEqual(
    expect.stringMatching(/^The session \(contoso\.onmicrosoft\.com\) reported no disconnect\./),
  );
  const post = await runPost(job);
  expect(post.code).toBe(0);
  expectNothingLeft();
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
  expect(step.errors.join('\n')).toMatch(/The run \(contoso\.onmicrosoft\.com\) was cancelled/);
  // Its events say nothing was connected.
  expect(step.errors.join('\n')).toMatch(/\nHint: Nothing is left to clean up\. A cancel comes from outside the step/);
  const [start, ...more] = job.pwshStarts();
  expect(more).toEqual([]);
  expect(start!.env.EXO_TEST_SHIM_HANG).toBe('stubborn'); // the stand-in really was the runner
  expectNothingLeft();
});

test('main killed with -9: PowerShell sees its stdin end, stops the script, tears down on its own; post removes the files', async () => {
  const main = await runMain(job, {
    inputs: { ...validInputs(), script: FINALLY('parent-gone') },
    killOnOutput: /^the script runs$/m,
  });
  expect(main.signal).toBe('SIGKILL');
  const pid = Number(job.state['runner-pid']);
  expect(await endsWithin(pid, 20_000)).toBe(true);
  const events = runnerEvents(path.join(job.state.workspace!, 'events.jsonl'));
  expect(events.filter((e) => e.event === 'stopped')).toEqual([expect.objectContaining({ reason: 'parent-gone' })]);
  expect(events.some((e) => e.event === 'disconnected')).toBe(true);
  expect(disconnectedLast()).toBe(true);
  expect(finallyRan('parent-gone')).toBe(true);
  const workspace = job.state.workspace!;
  const post = await runPost(job);
  expect(post.code).toBe(0);
  expect(post.warnings).toEqual([]);
  expect(post.log).not.toMatch(/Stopping PowerShell process/);
  // Post says what it found and did, though there was nothing left to end.
  expect(post.log).toContain(
    `The main step ended before it saw its PowerShell (process ${pid}) exit; that process has exited.`,
  );
  expect(post.log).toContain(`Removed the run directory ${workspace}.`);
  expectNothingLeft();
});

test('main killed with -9: what the script started in the background and left running is ended by post, once its PowerShell has exited on its own', async () => {
  // One in PowerShell's process group, one that left it for a session of its own (setsid): both
  // still carry the run's TMPDIR. Durations of their own, so that no other test's sleep is counted.
  const seconds = 3000 + Math.floor(Math.random() * 5000);
  const main = await runMain(job, {
    inputs: {
      ...validInputs(),
      script: [
        `$grouped = Start-Process sleep -ArgumentList ${seconds} -PassThru`,
        `$own = Start-Process setsid -ArgumentList 'sleep', '${seconds + 1}' -PassThru`,
        "'started ' + $grouped.Id",
        "'the script runs'",
        'Start-Sleep -Seconds 120',
      ].join('\n'),
    },
    killOnOutput: /^the script runs$/m,
  });
  expect(main.signal).toBe('SIGKILL');
  const pid = Number(job.state['runner-pid']);
  expect(await endsWithin(pid, 20_000)).toBe(true);
  const background = (): number[] =>
    fs
      .readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((name) => {
        try {
          const argv = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
          return /(^|\/)sleep$/.test(argv[0]!) && [String(seconds), String(seconds + 1)].includes(argv[1]!);
        } catch {
          return false;
        }
      })
      .map(Number);
  try {
    expect(background()).toHaveLength(2);
    const post = await runPost(job);
    expect(post.code).toBe(0);
    expect(post.warnings).toEqual([
      'The main step ended while its script ran (it was killed, or cancelled without its end), and the script had started 2 processes that were still running after its PowerShell; post ended them.',
    ]);
    expect(await waitFor(() => background().length === 0, 10_000)).toBe(true);
    expectNothingLeft();
  } finally {
    for (const left of background()) process.kill(left, 'SIGKILL');
  }
});

test('main killed with -9 while the script is in a call PowerShell cannot stop: post ends the PowerShell it left', async () => {
  const main = await runMain(job, {
    inputs: { ...validInputs(), script: "'the script runs'; [System.Threading.Thread]::Sleep(120000)" },
    killOnOutput: /^the script runs$/m,
  });
  expect(main.signal).toBe('SIGKILL');
  const pid = Number(job.state['runner-pid']);
  expect(isAlive(pid)).toBe(true);
  expect(job.state.workspace).toBeDefined();
  expect(fs.existsSync(job.state.workspace!)).toBe(true);
  const post = await runPost(job);
  expect(post.code).toBe(0);
  expect(post.warnings).toEqual([]);
  expect(post.log).toMatch(new RegExp(`Stopping PowerShell process ${pid}`));
  expect(post.log).toContain(`The main step ended and left its PowerShell (process ${pid}) running`);
  expect(post.log).toContain(`Removed the run directory ${job.state.workspace}.`);
  expectNothingLeft();
});

test('main killed after the script returned a secret into result-file: post takes it out', async () => {
  const password = 'Kill3d-Main-Pw-2024';
  const pfx = makePfx(password);
  const main = await runMain(job, {
    inputs: {
      ...validInputs(),
      certificate: pfx.base64,
      'certificate-password': pfx.password,
      parameters: JSON.stringify({ Echo: password }),
      'result-file': 'left.jsonl',
      script:
        'param([string] $Echo)\n[pscustomobject]@{ Value = "pw=$Echo" }\nWrite-Host \'the script runs\'\n[System.Threading.Thread]::Sleep(120000)',
    },
    killOnOutput: /^the script runs$/m,
  });
  expect(main.signal).toBe('SIGKILL');
  const file = path.join(job.workspace, 'left.jsonl');
  expect(fs.readFileSync(file, 'utf8')).toContain(password);
  const post = await runPost(job);
  expect(post.code).toBe(0);
  expect(fs.readFileSync(file, 'utf8')).toBe('{"Value":"pw=***"}\n');
  expect(post.warnings).toEqual([
    'result-file held a secret on 1 line, which the main step ended before it could take out; it is replaced with ***, as in the result output.',
  ]);
  expectNothingLeft();
});

test('a script PowerShell cannot stop, killed at its timeout: result-count and result are empty (unknown), not 0 and [], and the summary says so', async () => {
  const step = await runMain(job, {
    inputs: {
      ...validInputs(),
      script: "[pscustomobject]@{ N = 1 }; Write-Host 'stuck now'; [System.Threading.Thread]::Sleep(120000)",
      'script-timeout': '10s',
    },
  });
  expect(step.code).toBe(1);
  expect(step.errors.join('\n')).toMatch(/timed out after 10\.0 s .*PowerShell ended before it disconnected/);
  // Killed, it reported no stop: the phase it was in is still named.
  expect(step.errors.join('\n')).toMatch(
    /timed out after 10\.0 s \(script-timeout\) in its script phase; PowerShell ended/,
  );
  // The script had returned an object when it was killed: a count of 0 would not be true.
  expect(step.outputs['result-count']).toBe('');
  expect(step.outputs.result).toBe('[]');
  expect(step.warnings).toContain(
    'result-count is empty: PowerShell ended before the script finished, so the runner never reported how many objects the script returned; result is [], which here does not mean that the script returned nothing: what it had returned is not known.',
  );
  expect(step.summary).toContain('Returned objects: unknown. PowerShell ended before the script finished');
  expect(step.summary).not.toContain('The script returned no objects.');
  const post = await runPost(job);
  expect(post.code).toBe(0);
  expectNothingLeft();
});

test('a script PowerShell cannot stop, killed at its timeout, leaves in result-file the objects it returned, and the warning says what the file holds', async () => {
  const script =
    "1..3 | ForEach-Object { [pscustomobject]@{ N = $_ } }; Write-Host 'stuck now'; [System.Threading.Thread]::Sleep(120000)";
  const jsonl = await runMain(job, {
    inputs: { ...validInputs(), script, 'script-timeout': '10s', 'result-file': 'objects.jsonl' },
  });
  expect(jsonl.errors.join('\n')).toMatch(/timed out after 10\.0 s .*PowerShell ended before it disconnected/);
  const jsonlFile = path.join(job.workspace, 'objects.jsonl');
  expect(fs.readFileSync(jsonlFile, 'utf8')).toBe('{"N":1}\n{"N":2}\n{"N":3}\n');
  expect(jsonl.outputs['result-file']).toBe(jsonlFile);
  expect(jsonl.warnings).toContainEqual(
    expect.stringMatching(
      new RegExp(
        `result-file \\(${jsonlFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) holds the objects returned until PowerShell ended \\(until about 0\\.2 s before, when it was killed\\); its last line may be cut short\\.$`,
      ),
    ),
  );
  const json = await runMain(job, {
    inputs: { ...validInputs(), script, 'script-timeout': '10s', 'result-file': 'objects.json' },
  });
  expect(fs.readFileSync(path.join(job.workspace, 'objects.json'), 'utf8')).toBe('[{"N":1},{"N":2},{"N":3}');
  expect(json.warnings.join('\n')).toMatch(
    /the JSON array lacks its closing \], and its last object may be cut short\./,
  );
});

test('a native command the script waits on is ended by a stop: the finally block and the teardown run, without signals', async () => {
  const started = Date.now();
  const step = await runMain(job, {
    inputs: { ...validInputs(), script: NATIVE('linux'), 'script-timeout': '10s' },
  });
  expect(step.code).toBe(1);
  // Not "(it did not stop within 5.0 s when asked, and was interrupted with SIGINT)": the stop line did it.
  expect(step.errors.join('\n')).toMatch(
    /The run \(contoso\.onmicrosoft\.com\) timed out after 10\.0 s \(script-timeout\) in its script phase; it was stopped and the session torn down\.$/m,
  );
  expect(step.log).toMatch(
    /The work had not stopped 2 s after it was asked to, so the stop ended the 1 process this PowerShell had started: sleep \(process \d+\)\./,
  );
  expect(finallyRan('linux')).toBe(true);
  expect(disconnectedLast()).toBe(true);
  // PowerShell starts after Node has read its settings; the timeout counts from there.
  expect(Date.now() - started).toBeLessThan(10_000 + STOP_GRACE_MS + 5_000);
  expectNothingLeft();
});

test('a cancel that arrives while the step is still starting is not lost: main ends cleanly, nothing is left', async () => {
  const step = await runMain(job, { inputs: { ...validInputs(), script: SLEEP }, cancelAfterMs: 500 });
  expect(step.signal).toBeNull();
  expect(step.code).toBe(1);
  expect(step.errors.join('\n')).toMatch(/The run \(contoso\.onmicrosoft\.com\) was cancelled/);
  expect(step.errors.join('\n')).toMatch(/\nHint: Nothing is left to clean up\. A cancel comes from outside the step/);
  const pid = Number(job.state['runner-pid']);
  if (pid > 0) expect(isAlive(pid)).toBe(false);
  expect(job.leftoverFiles().filter((f) => !f.startsWith(job.workspace))).toEqual([]);
});

// On Windows, Node's process.kill is TerminateProcess whatever the signal. Here PowerShell runs
// behind a launcher that turns any signal into an immediate SIGKILL of PowerShell, so a stop that
// leaned on a signal would lose the teardown. The stop on stdin must still get both.
describe('the Windows stop path: any signal would kill PowerShell at once', () => {
  const windowsLike = { EXO_TEST_SHIM_SIGNALS: 'kill' };

  test('script-timeout: the finally block and Disconnect-ExchangeOnline still run', async () => {
    const step = await runMain(job, {
      inputs: { ...validInputs(), script: FINALLY('timeout'), 'script-timeout': '10s' },
      env: windowsLike,
    });
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(
      /The run \(contoso\.onmicrosoft\.com\) timed out after 10\.0 s \(script-timeout\) in its script phase; it was stopped and the session torn down\./,
    );
    expect(finallyRan('timeout')).toBe(true);
    expect(job.commands()).toEqual(['Connect-ExchangeOnline', 'Get-ConnectionInformation', ...CHECKED_DISCONNECT]);
    expect(step.log).toMatch(/Stopped: script-timeout expired; the teardown follows\./);
    expectNothingLeft();
  });

  test('cancel: the finally block and Disconnect-ExchangeOnline still run, before the runner escalates', async () => {
    const step = await runMain(job, {
      inputs: { ...validInputs(), script: FINALLY('cancel') },
      env: windowsLike,
      cancelOnOutput: /the script runs/,
    });
    expect(step.signal).toBeNull();
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(
      /The run \(contoso\.onmicrosoft\.com\) was cancelled; it was stopped and the session torn down\.\nHint: Nothing is left to clean up\. A cancel comes from outside the step: someone cancelled the workflow run, a newer run of the same concurrency group replaced it \(cancel-in-progress\), or the job ran past its timeout-minutes\./,
    );
    expect(finallyRan('cancel')).toBe(true);
    expect(disconnectedLast()).toBe(true);
    expectNothingLeft();
    const post = await runPost(job);
    expect(post.log).toMatch(/nothing to clean up/);
  });

  test('script-timeout while the script waits on a native command: the command is ended, the finally block and Disconnect-ExchangeOnline run', async () => {
    const step = await runMain(job, {
      inputs: { ...validInputs(), script: NATIVE('native-timeout'), 'script-timeout': '10s' },
      env: windowsLike,
    });
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(
      /The run \(contoso\.onmicrosoft\.com\) timed out after 10\.0 s \(script-timeout\) in its script phase; it was stopped and the session torn down\./,
    );
    expect(finallyRan('native-timeout')).toBe(true);
    expect(job.commands()).toEqual(['Connect-ExchangeOnline', 'Get-ConnectionInformation', ...CHECKED_DISCONNECT]);
    expectNothingLeft();
  });

  test('cancel while the script waits on a native command that started one of its own: both are ended, and the teardown runs', async () => {
    const step = await runMain(job, {
      inputs: { ...validInputs(), script: NATIVE('native-cancel', "sh -c 'sleep 120; true'") },
      env: windowsLike,
      cancelOnOutput: /the script runs/,
    });
    expect(step.signal).toBeNull();
    expect(step.errors.join('\n')).toMatch(
      /The run \(contoso\.onmicrosoft\.com\) was cancelled; it was stopped and the session torn down\./,
    );
    expect(step.log).toMatch(
      /ended the 2 processes this PowerShell had started: sh \(process \d+\), sleep \(process \d+\)/,
    );
    expect(finallyRan('native-cancel')).toBe(true);
    expect(disconnectedLast()).toBe(true);
    expectNothingLeft();
  });

  test('a connect in progress is stopped and disconnected', async () => {
    const step = await runMain(job, {
      // The timeout counts from PowerShell's start; the connect takes a minute, so it lands there.
      inputs: { ...validInputs(), script: SLEEP, 'script-timeout': '10s' },
      env: { ...windowsLike, EXO_SANDBOX_FAULTS: 'connect-slow:60000' },
    });
    expect(step.code).toBe(1);
    expect(step.log).toMatch(/The connect was stopped before it finished; disconnecting/);
    expect(step.errors.join('\n')).toMatch(
      /timed out after 10\.0 s \(script-timeout\) in its connect phase; it was stopped and the session torn down\./,
    );
    expect(disconnectedLast()).toBe(true);
    expectNothingLeft();
  });
});

describe("native commands and the action's stdin", () => {
  test('a native command that reads stdin gets an empty one: it ends at once and cannot swallow the stop request', async () => {
    const reader = `& '${process.execPath}' -e "let n=0; process.stdin.on('data', (d) => n += d.length); process.stdin.on('end', () => console.log('stdin gave ' + n + ' bytes'))"`;
    const step = await runMain(job, {
      inputs: { ...validInputs(), script: `${reader}\n${FINALLY('after-reader')}`, 'script-timeout': '10s' },
      env: { EXO_TEST_SHIM_SIGNALS: 'kill' },
    });
    expect(step.log).toMatch(/stdin gave 0 bytes/);
    expect(step.errors.join('\n')).toMatch(
      /timed out after 10\.0 s \(script-timeout\) in its script phase; it was stopped and the session torn down/,
    );
    expect(finallyRan('after-reader')).toBe(true);
  });
});
