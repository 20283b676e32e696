// Hostile scripts and hostile servers, through the built action on real PowerShell. Each case is
// an attack a red-team review ran, or one that already held and must keep holding. Runs are
// batched: one main step carries several attacks where they do not interfere. Every case reports
// leaks (a secret, in any form or as a long fragment, where it must never be; or a workflow
// command injected into the log) and teardown bypasses (a process, session or directory left,
// or one the action touched that was not its own, or a claim of a teardown that did not happen).
// The last test prints "N hostile cases: 0 leaks, 0 teardown bypasses" and fails otherwise.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  findLeaks,
  Job,
  CHECKED_DISCONNECT,
  realPwsh,
  ROOT,
  runMain,
  runPost,
  type StepResult,
  EXCHANGE_SERVER_ENV,
} from '../support/action.js';
import { validInputs } from '../support/invalid-inputs.js';
import { makePfx } from '../support/pfx.js';
import { isAlive, processesWithArgument } from '../support/processes.js';

realPwsh(); // every case needs the real PowerShell: without it, this throws with the reason

/** The runner's PowerShell files as the action ships them. */
function runnerFiles(): string[] {
  const folder = path.join(ROOT, 'dist', 'ps');
  return fs
    .readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.ps[m1]?1$/.test(name))
    .map((name) => path.join(folder, name));
}

/** Every case this file runs; the tally test checks that each one reported. */
const CASES = [
  'a server error quotes the password (exchange-server): masked in every form, on one line',
  'a server error quotes the password upper-cased (exchange-server): masked',
  'a WinRM fault quotes the password case-folded and escaped (exchange-server): masked',
  'a server error quotes a 2 KB access token: masked, never split across lines',
  'a server error wraps the certificate at 76 columns and splits its password across lines: redacted in the retry line, the error and the summary',
  'a server error in the teardown splits the password across lines: not printed by PowerShell, redacted by the action',
  'a password with " \\ & \' < > echoed into result and the summary: redacted before encoding',
  'a transient server error carries workflow commands into the retry line',
  'a server error in the script stream carries workflow commands',
  'a connection-uri with a line break and a workflow command',
  'a script-file name with a line break and a workflow command',
  'summary cells with blank lines and markup',
  'tenant data the script returns carries workflow commands into the log',
  'Start-Process sleep holds the output pipe',
  'setsid sleep leaves the process group and session',
  'setsid sleep with its output closed leaves the session and the step output',
  'a background job outlives PowerShell',
  'the script looks for GITHUB_STATE in its environment',
  "the script digs GITHUB_STATE out of its parent's environment and points post at a directory and a process",
  'the script forges a disconnected event and kills its PowerShell',
  'the script hunts for the event key in every variable it can reach and signs a forgery',
  'the script forges the server session (exchange-server) and kills its PowerShell',
  "the script replaces the disconnect and its check inside the Exchange module's own scope",
  'a finally block that never ends keeps the runner from tearing down on timeout',
  'a parameter binding error of an inline script',
  'a 50 MB string returned as result',
  'argv is fixed and holds no secret',
  "the script's environment holds no input, state or runner token",
  'no secret on disk while the script runs',
  'script-timeout tears down',
  'cancellation tears down',
  'the script leaves a file the run directory cannot lose',
  "constant global aliases named like the runner's own functions",
  'the script writes result.json and plan.txt itself and ends its PowerShell',
  'a process the script started rewrites result.json and plan.txt after the runner wrote them',
  'the script sends ::set-output for the outputs the action leaves empty',
  "the script's type data stands in for members of PowerShell's objects that the teardown reads",
] as const;
type CaseName = (typeof CASES)[number];

const tally = new Map<CaseName, { leaks: string[]; bypasses: string[] }>();
function record(name: CaseName, found: { leaks?: string[]; bypasses?: string[] }): void {
  tally.set(name, { leaks: found.leaks ?? [], bypasses: found.bypasses ?? [] });
  expect({ case: name, leaks: found.leaks ?? [], bypasses: found.bypasses ?? [] }).toEqual({
    case: name,
    leaks: [],
    bypasses: [],
  });
}

/** Workflow commands a hostile text tries to issue; the log must never carry one as a command. */
const INJECTION = '\n::warning title=INJECTED::hostile\n##[warning]INJECTED-V1\n  ::add-mask::INJECTED-MASK\n';

/** Lines of a step's log that the runner would read as one of the injected commands. */
function injections(step: StepResult): string[] {
  return step.log
    .split('\n')
    .filter(
      (line) =>
        /^\s*::[a-z-]+[^:]*INJECTED/.test(line) || /^\s*::add-mask::INJECTED/.test(line) || line.includes('##['),
    )
    .map((line) => `log line: ${line.slice(0, 80)}`);
}

/** Forms of a secret (escaped, encoded) and, for long ones, every 24-character fragment. */
function secretTraces(secret: string): string[] {
  const forms = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    secret
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;'),
    encodeURIComponent(secret),
    Buffer.from(secret).toString('base64'),
  ];
  const fragments: string[] = [];
  if (secret.length > 48) for (let i = 0; i + 24 <= secret.length; i += 8) fragments.push(secret.slice(i, i + 24));
  return [...new Set([...forms, ...fragments])];
}

/** Whether a secret shows once whitespace is taken out: wrapped, spaced out, or split across lines. */
function spreadOut(text: string, secret: string): boolean {
  const compact = secret.replace(/\s+/g, '');
  return compact.length >= 6 && text.replace(/\s+/g, '').includes(compact);
}

/** Where any trace of the secrets shows, in what a reader of the job can see. */
function leaksOf(job: Job, secrets: string[]): string[] {
  const found = findLeaks(job, job.steps, secrets);
  const traces = secrets.flatMap(secretTraces);
  job.steps.forEach((step, i) => {
    const places: Array<[string, string]> = [
      [`step ${i} log`, step.log],
      [`step ${i} summary`, step.summary],
      ...Object.entries(step.outputs).map(([name, value]): [string, string] => [`step ${i} output ${name}`, value]),
    ];
    for (const [where, text] of places) {
      for (const trace of traces) if (text.includes(trace)) found.push(`${where}: ${trace.slice(0, 12)}…`);
      for (const secret of secrets)
        if (spreadOut(text, secret)) found.push(`${where}: spread out ${secret.slice(0, 6)}…`);
    }
    found.push(...injections(step));
  });
  return [...new Set(found)];
}

/** A process started by the test, as a stand-in for something the action must never touch. */
function stranger(): number {
  const child = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}

const serverEnv = { ...EXCHANGE_SERVER_ENV };
const serverInputs = {
  target: 'exchange-server',
  'connection-uri': 'https://mail01.contoso.com/PowerShell/',
  auth: 'credential',
  authentication: 'Negotiate',
  username: 'CONTOSO\\svc-exo',
  password: 'unused',
};

interface SessionRecord {
  InstanceId: string;
  User: string;
  State: string;
  ConnectionUri: string;
}
function serverSessions(job: Job): SessionRecord[] {
  const file = path.join(job.sandboxState, 'server-sessions.json');
  if (!fs.existsSync(file)) return [];
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as SessionRecord | SessionRecord[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** A JWT-shaped access token of about 2 KB, as Entra issues them, with the role Exchange needs. */
function longAccessToken(): string {
  const payload = {
    aud: 'https://outlook.office365.com',
    roles: ['Exchange.ManageAsApp'],
    exp: 4102444800,
    xms_pad: 'q'.repeat(1400),
  };
  return `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${'s'.repeat(342)}`;
}

/** A hostile user script from test/support/hostile-scripts, as inline script text. */
function hostileScript(name: string): string {
  return fs.readFileSync(path.join(ROOT, 'test', 'support', 'hostile-scripts', name), 'utf8');
}

let job: Job;
beforeEach(() => (job = new Job()));
afterEach(() => job.cleanup());

describe('hostile servers: secrets they echo', () => {
  test('a server error that quotes the password', async () => {
    // Long, with spaces (PowerShell wraps at spaces) and every character an escaper changes.
    const password = `Sup3r"Secret\\Pw & 'quoted' <tag> ${'word '.repeat(30)}end`;
    const step = await runMain(job, {
      env: { ...serverEnv, EXO_SANDBOX_FAULTS: 'server-echo-password', EXO_SANDBOX_ERROR_TEXT: INJECTION },
      inputs: { ...serverInputs, password, script: '"never runs"' },
    });
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(
      /Connecting to exchange-server \(mail01\.contoso\.com\) failed: .*user name or password is incorrect/,
    );
    record('a server error quotes the password (exchange-server): masked in every form, on one line', {
      leaks: leaksOf(job, [password]),
    });
  }, 60_000);

  test('a server error that quotes the password upper-cased', async () => {
    const password = `Mixed-Case p4ss & 'Quoted' ${'Word '.repeat(20)}end`;
    const step = await runMain(job, {
      env: { ...serverEnv, EXO_SANDBOX_FAULTS: 'server-echo-password:upper' },
      inputs: { ...serverInputs, password, script: '"never runs"' },
    });
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(
      /user name or password is incorrect\. The server was given the password '\*\*\*'/,
    );
    record('a server error quotes the password upper-cased (exchange-server): masked', {
      leaks: leaksOf(job, [password.toUpperCase()]),
    });
  }, 60_000);

  test('a WinRM fault that quotes the password upper- and lower-cased inside its XML, and upper-cased in JSON', async () => {
    const password = `Summer&2024!"Secure'`;
    // As the sandbox writes them: SecurityElement.Escape, and ConvertTo-Json (& as \u0026).
    const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
    const quoted = [
      xml(password.toUpperCase()),
      xml(password.toLowerCase()),
      JSON.stringify(password.toUpperCase())
        .slice(1, -1)
        .replace(/[&']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    ];
    const step = await runMain(job, {
      env: { ...serverEnv, EXO_SANDBOX_FAULTS: 'server-echo-password:folded-escaped' },
      inputs: { ...serverInputs, password, script: '"never runs"' },
    });
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(/<f:Message>\*\*\* \/ \*\*\* \/ \*\*\*<\/f:Message>/);
    record('a WinRM fault quotes the password case-folded and escaped (exchange-server): masked', {
      leaks: leaksOf(job, quoted),
    });
  }, 60_000);

  test('a server error in the teardown that splits the password across lines', async () => {
    // After the script has started, the runner holds no secret to take out of text: the teardown's
    // failure is printed by the action, from the event.
    const password = 'Tr0ub4dor&3-horse';
    const step = await runMain(job, {
      env: {
        ...serverEnv,
        EXO_SANDBOX_FAULTS: 'remove-fail',
        EXO_SANDBOX_ERROR_TEXT: ` The session's credential ${password.slice(0, 6)}\r\n${password.slice(6)} was refused.`,
      },
      inputs: { ...serverInputs, password, script: '"ran"' },
    });
    expect(step.log).toContain("WARNING: Remove-PSSession failed; the action's warning after the run says why.");
    expect(step.warnings.join('\n')).toMatch(/Access is denied\. The session's credential \*\*\* was refused\./);
    record(
      'a server error in the teardown splits the password across lines: not printed by PowerShell, redacted by the action',
      {
        leaks: leaksOf(job, [password]),
      },
    );
  }, 60_000);

  test('a server error that wraps the certificate and splits its password, in a retry and in the failure', async () => {
    const inputs = validInputs();
    const wrapped = inputs.certificate!.match(/.{1,76}/g)!.join('\r\n');
    const password = inputs['certificate-password']!;
    const split = `${password.slice(0, 5)}\n${password.slice(5)}`;
    const echo = ` The server could not decrypt the blob sent with password ${split} (PKCS#12 follows)\r\n${wrapped}\r\n`;
    const step = await runMain(job, {
      env: { EXO_SANDBOX_FAULTS: 'connect-throttle:2', EXO_SANDBOX_ERROR_TEXT: echo },
      inputs: { ...inputs, 'connect-retries': '1', script: '"never runs"' },
    });
    expect(step.code).toBe(1);
    // The retry line, printed by PowerShell, and the failure, printed by the action.
    expect(step.log).toMatch(/retry 1 of 1 in \d+ ms: .*sent with password \*\*\* \(PKCS#12 follows\) \*\*\*/);
    expect(step.errors.join('\n')).toMatch(/sent with password \*\*\* \(PKCS#12 follows\) \*\*\*/);
    record(
      'a server error wraps the certificate at 76 columns and splits its password across lines: redacted in the retry line, the error and the summary',
      { leaks: leaksOf(job, [inputs.certificate!, password]) },
    );
  }, 60_000);

  test('a server error that quotes a 2 KB access token', async () => {
    const token = longAccessToken();
    const step = await runMain(job, {
      env: { EXO_SANDBOX_FAULTS: 'connect-echo-token' },
      inputs: { organization: 'contoso.onmicrosoft.com', auth: 'access-token', 'access-token': token, script: '"x"' },
    });
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(/AADSTS50013/);
    record('a server error quotes a 2 KB access token: masked, never split across lines', {
      leaks: leaksOf(job, [token]),
    });
  }, 60_000);

  test('a long secret the script returns is neither cut nor wrapped in the log, which is masked line by line', async () => {
    const token = longAccessToken();
    const step = await runMain(job, {
      inputs: {
        organization: 'contoso.onmicrosoft.com',
        auth: 'access-token',
        'access-token': token,
        // As if a server had handed it back: in a list view (five properties) and in a table.
        parameters: JSON.stringify({ Echo: token }),
        script: [
          'param([string] $Echo)',
          '[pscustomobject]@{ Name = "list"; A = 1; B = 2; C = 3; Value = $Echo }',
          '[pscustomobject]@{ Name = "table"; Value = $Echo } | Format-Table',
        ].join('\n'),
      },
    });
    expect(step.code).toBe(0);
    expect(step.log).toMatch(/^Value : \*\*\*$/m);
    expect(leaksOf(job, [token])).toEqual([]);
  }, 60_000);

  test.each(['echo.jsonl', 'echo.csv'])(
    'a secret the script returns is taken out of result-file (%s) too, which is often uploaded',
    async (file) => {
      const password = `Sup3r"Secret\\Pw&'<x>`;
      const pfx = makePfx(password);
      const step = await runMain(job, {
        inputs: {
          ...validInputs(),
          certificate: pfx.base64,
          'certificate-password': pfx.password,
          parameters: JSON.stringify({ Echo: password }),
          'result-file': file,
          script: [
            'param([string] $Echo)',
            '1..3 | ForEach-Object { [pscustomobject]@{ Id = $_; Value = "pw=$Echo" } }',
            '[pscustomobject]@{ Id = 4; Value = "line1`nline2" }',
            '[pscustomobject]@{ Id = 5; Value = "a`rb" }',
            // Split after its quote, which a .csv value doubles, by a line break inside the value.
            '[pscustomobject]@{ Id = 6; Value = "split: $($Echo.Substring(0, 6))`n$($Echo.Substring(6))" }',
          ].join('\n'),
        },
      });
      expect(step.code).toBe(0);
      const text = fs.readFileSync(path.join(job.workspace, file), 'utf8');
      expect(text).not.toContain('Secret');
      expect(text.split(/\r?\n/)[file.endsWith('.csv') ? 1 : 0]).toBe(
        file.endsWith('.csv') ? '1,"pw=***"' : '{"Id":1,"Value":"pw=***"}',
      );
      // The rows without a secret are written again byte for byte: line breaks inside a value too.
      expect(text).toMatch(
        file.endsWith('.csv')
          ? /\r\n4,"line1\nline2"\r\n5,"a\rb"\r\n6,"split: \*\*\*"\r\n$/
          : /\n\{"Id":4,"Value":"line1\\nline2"\}\n\{"Id":5,"Value":"a\\rb"\}\n\{"Id":6,"Value":"split: \*\*\*"\}\n$/,
      );
      expect(step.warnings).toContain(
        'result-file held a secret on 4 lines; it is replaced with ***, as in the result output.',
      );
    },
    60_000,
  );

  test('a secret the script returns reaches neither result nor the summary, whatever escaping it wears', async () => {
    const password = `Sup3r"Secret\\Pw&'<x>`;
    const pfx = makePfx(password);
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        certificate: pfx.base64,
        'certificate-password': pfx.password,
        // As if a server had handed back what it was given.
        parameters: JSON.stringify({ Echo: password }),
        script:
          'param([string] $Echo)\n[pscustomobject]@{ Name = "echo"; Value = $Echo; Nested = @{ Deep = "pw=$Echo" } }',
      },
    });
    expect(step.code).toBe(0);
    expect(JSON.parse(step.outputs.result!)).toEqual([{ Name: 'echo', Value: '***', Nested: { Deep: 'pw=***' } }]);
    record('a password with " \\ & \' < > echoed into result and the summary: redacted before encoding', {
      leaks: leaksOf(job, [password, pfx.base64]),
    });
  }, 60_000);
});

describe('workflow commands in text the action prints', () => {
  test('a transient error with commands in it, retried', async () => {
    const step = await runMain(job, {
      env: { EXO_SANDBOX_FAULTS: 'connect-throttle:1', EXO_SANDBOX_ERROR_TEXT: INJECTION },
      inputs: validInputs(),
    });
    expect(step.code).toBe(0);
    expect(step.log).toMatch(
      /retry 1 of 2 in \d+ ms: The remote server returned an error: \(429\) Too Many Requests\. ::warning title=INJECTED::hostile # #\[warning\]INJECTED-V1 +::add-mask::INJECTED-MASK$/m,
    );
    record('a transient server error carries workflow commands into the retry line', { leaks: injections(step) });
  }, 60_000);

  test('an error record with commands in it; summary cells with blank lines', async () => {
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        'fail-on-error': 'false',
        parameters: JSON.stringify({ Text: `Server said:${INJECTION}done` }),
        script: [
          'param([string] $Text)',
          'Write-Error -Message $Text -ErrorAction Continue',
          '[pscustomobject]@{ Name = "a`n`n# Heading`n`n<script>x</script>"; Value = "| x |`r`n`r`nafter" }',
        ].join('\n'),
      },
    });
    expect(step.code).toBe(0);
    const table = /<h4>Returned objects<\/h4>\n(.*)\n/.exec(step.summary)?.[1] ?? '';
    const cellsIntact =
      table.startsWith('<table>') &&
      table.endsWith('</table>') &&
      !/\n\s*\n/.test(step.summary.split('<h4>Returned objects</h4>')[1]!.trim());
    record('a server error in the script stream carries workflow commands', { leaks: injections(step) });
    record('summary cells with blank lines and markup', {
      leaks: cellsIntact && !step.summary.includes('<script>') ? [] : [`summary table broken: ${table.slice(0, 120)}`],
    });
  }, 60_000);

  test('objects and strings the script returns, with commands in them, are printed as data; its own Write-Host is not', async () => {
    // As Get-MessageTrace would return them: subjects chosen by whoever sent the mail.
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        parameters: JSON.stringify({ Text: INJECTION }),
        script: [
          'param([string] $Text)',
          'foreach ($subject in ($Text -split "`n" | Where-Object { $_ })) { [pscustomobject]@{ Subject = $subject; Status = \'Delivered\' } }',
          "[pscustomobject]@{ Subject = '::stop-commands::INJECTED-STOP'; Status = 'Delivered' }",
          '$Text',
          '"Subject`r::stop-commands::INJECTED-CR"',
          "Write-Host '::notice::from the script itself'",
        ].join('\n'),
      },
    });
    expect(step.code).toBe(0);
    expect(step.log).toMatch(/^: :stop-commands::INJECTED-STOP +Delivered$/m);
    expect(step.log).toMatch(/^ +: :add-mask::INJECTED-MASK$/m);
    expect(step.log).toMatch(/^# #\[warning\]INJECTED-V1$/m);
    expect(step.log).toContain('Subject\r: :stop-commands::INJECTED-CR');
    // The data reached result as it was.
    expect(JSON.parse(step.outputs.result!)).toContainEqual({
      Subject: '::stop-commands::INJECTED-STOP',
      Status: 'Delivered',
    });
    expect(step.log).toMatch(/^::notice::from the script itself$/m);
    record('tenant data the script returns carries workflow commands into the log', {
      leaks: [
        ...injections(step),
        ...step.log
          .split('\n')
          .flatMap((line) => line.split('\r'))
          .filter((line) => /^\s*::stop-commands::/.test(line))
          .map((line) => `log line: ${line.slice(0, 80)}`),
      ],
    });
  }, 60_000);

  test('inputs with line breaks are refused before PowerShell starts, naming the input', async () => {
    const uri = await runMain(job, {
      inputs: { ...validInputs(), 'connection-uri': `https://outlook.office365.com/${INJECTION}` },
    });
    const file = await runMain(job, { inputs: { ...validInputs(), script: '', 'script-file': `a${INJECTION}.ps1` } });
    expect(uri.errors).toEqual([
      expect.stringMatching(/^Input 'connection-uri': contains a control character \(U\+000A, a line break\)/),
    ]);
    expect(file.errors).toEqual([expect.stringMatching(/^Input 'script-file': contains a control character/)]);
    expect(job.pwshStarts()).toHaveLength(0);
    record('a connection-uri with a line break and a workflow command', { leaks: injections(uri) });
    record('a script-file name with a line break and a workflow command', { leaks: injections(file) });
  }, 60_000);
});

describe('a script that attacks from inside', () => {
  test('processes left behind, the state file, the environment, the disk', async () => {
    const out = path.join(job.root, 'hostile-out');
    fs.mkdirSync(out);
    const precious = path.join(job.workspace, 'precious');
    fs.mkdirSync(precious);
    const victim = stranger();
    const pfx = makePfx();
    const script = hostileScript('inside-attack.ps1');
    const nonce = String(process.pid * 1000 + Math.floor(Math.random() * 1000));
    const main = await runMain(job, {
      env: { HOSTILE_OUT: out, PRECIOUS: precious, VICTIM: String(victim), HOSTILE_NONCE: nonce },
      inputs: { ...validInputs(), script },
    });
    try {
      expect(main.code).toBe(0);
      const pids = fs.readFileSync(path.join(out, 'pids.txt'), 'utf8').trim().split('\n').map(Number);
      expect(pids.length).toBeGreaterThanOrEqual(3);
      const alive = pids.filter(isAlive);
      const warning = main.warnings.find((w) => /^PowerShell exited and left \d+ process/.test(w));
      const processBypasses = (what: string, pid: number): string[] =>
        isAlive(pid) ? [`${what} (pid ${pid}) still alive`] : [];
      record('Start-Process sleep holds the output pipe', {
        bypasses: [
          ...processBypasses('sleep 600', pids[0]!),
          ...(main.outputClosed ? [] : ["the step's output stayed open after main exited"]),
          ...(warning === undefined ? ['no warning named the processes left'] : []),
        ],
      });
      record('setsid sleep leaves the process group and session', {
        bypasses: processBypasses('setsid sleep 601', pids[1]!),
      });
      record('setsid sleep with its output closed leaves the session and the step output', {
        bypasses: processesWithArgument(`603.${nonce}`).map((pid) => `setsid sleep 603 (pid ${pid}) still alive`),
      });
      record('a background job outlives PowerShell', { bypasses: alive.map((pid) => `pid ${pid} still alive`) });

      const names = fs.readFileSync(path.join(out, 'env.txt'), 'utf8').trim().split('\n');
      record('the script looks for GITHUB_STATE in its environment', {
        leaks: fs.existsSync(path.join(out, 'state-visible.txt')) ? ['GITHUB_STATE is in the environment'] : [],
      });
      record("the script's environment holds no input, state or runner token", {
        leaks: names.filter((n) =>
          /^(INPUT_|STATE_|GITHUB_STATE$|ACTIONS_ID_TOKEN_REQUEST_|ACTIONS_RUNTIME_TOKEN$)/i.test(n),
        ),
      });
      const copies = (function walk(dir: string): string[] {
        return fs
          .readdirSync(dir, { withFileTypes: true })
          .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
      })(path.join(out, 'run-copy'));
      expect(copies.some((f) => f.endsWith('inline-script.ps1'))).toBe(true);
      record('no secret on disk while the script runs', {
        leaks: copies.filter((f) => {
          const text = fs.readFileSync(f, 'latin1');
          return text.includes(pfx.password) || text.includes(pfx.base64.slice(0, 64));
        }),
      });
      const starts = job.pwshStarts();
      record('argv is fixed and holds no secret', {
        leaks:
          JSON.stringify(starts.map((s) => s.argv)) ===
          JSON.stringify([
            [
              '-NoLogo',
              '-NoProfile',
              '-NonInteractive',
              '-ExecutionPolicy',
              'Bypass',
              '-File',
              path.join(ROOT, 'dist', 'ps', 'runner.ps1'),
            ],
          ])
            ? []
            : [`argv: ${JSON.stringify(starts.map((s) => s.argv))}`],
      });

      // Main outlived the script and saved its state again, last: the forged lines do not reach post.
      expect(fs.existsSync(path.join(out, 'state-forged.txt'))).toBe(true);
      expect(job.state.workspace).not.toBe(precious);
      // A main that died before that would leave them last: post must still neither remove that
      // directory nor end that process.
      Object.assign(job.state, { workspace: precious, 'runner-pid': String(victim), 'runner-shell': '/usr/bin/sleep' });
      const post = await runPost(job);
      expect(post.code).toBe(0);
      record(
        "the script digs GITHUB_STATE out of its parent's environment and points post at a directory and a process",
        {
          bypasses: [
            ...(fs.existsSync(precious) ? [] : ['post removed a directory named in the forged state']),
            ...(isAlive(victim) ? [] : ['post ended a process named in the forged state']),
          ],
          leaks: leaksOf(job, [pfx.password, pfx.base64]),
        },
      );
    } finally {
      process.kill(victim, 'SIGKILL');
      // Whatever the outcome, nothing the hostile script started outlives the test.
      const file = path.join(out, 'pids.txt');
      const pids = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').map(Number) : [];
      for (const pid of pids.filter((p) => p > 0 && isAlive(p))) process.kill(pid, 'SIGKILL');
      for (const pid of processesWithArgument(`603.${nonce}`)) process.kill(pid, 'SIGKILL');
    }
  }, 120_000);
});

describe('a script that shadows the runner', () => {
  test("constant global aliases named like each of the runner's own functions: the teardown, the events, the result and result-file still happen", async () => {
    // An alias comes before a function in PowerShell's command lookup, also inside a module. Every
    // function the shipped runner defines, nested ones included, and the ones loaded when needed.
    const names = [
      ...new Set(
        runnerFiles().flatMap((file) =>
          [
            ...fs
              .readFileSync(file, 'utf8')
              .matchAll(/^\s*(?:function|filter)\s+(?:script:|global:)?([A-Za-z]+-[A-Za-z]+)\b/gm),
          ].map((m) => m[1]),
        ),
      ),
    ];
    expect(names.length).toBeGreaterThan(100);
    expect(names).toEqual(
      expect.arrayContaining(['Invoke-Teardown', 'ConvertTo-ResultJson', 'Write-CsvRow', 'Limit-Text']),
    );
    const long = 200_000;
    const script = [
      // What a hijacked call returns would reach the log, the result or the file.
      "function global:Skip { 'hi' + 'jacked' }",
      ...names.map((n) => `Set-Alias -Name ${n} -Value Skip -Scope Global -Option Constant`),
      "Write-Error 'after the aliases'",
      // More than a batch of the result, and text longer than the result keeps whole.
      '1..150 | ForEach-Object { [pscustomobject]@{ Id = $_ } }',
      `'x' * ${long}`,
      "[pscustomobject]@{ Id = 'still here' }",
    ].join('\n');
    const bypasses: string[] = [];
    for (const file of ['', 'shadowed.csv', 'shadowed.jsonl']) {
      const main = await runMain(job, {
        inputs: {
          ...validInputs(),
          script,
          'error-action-preference': 'Continue',
          'fail-on-error': 'false',
          ...(file === '' ? {} : { 'result-file': file }),
        },
      });
      const where = file === '' ? 'without result-file' : file;
      const calls = job.commands();
      if (calls.slice(-2).join(',') !== 'Disconnect-ExchangeOnline,Get-ConnectionInformation') {
        bypasses.push(`${where}: no checked disconnect: ${calls.join(',')}`);
      }
      if (job.state.clean !== 'true') bypasses.push(`${where}: main did not record its teardown`);
      if (main.code !== 0) bypasses.push(`${where}: the step failed: ${main.errors.join(' | ')}`);
      // The runner's own line for the error (Format-ErrorLine), not the action's annotation of it.
      if (!/^Write-Error: after the aliases \(line \d+\)$/m.test(main.log)) {
        bypasses.push(`${where}: the runner's error line is missing from the log`);
      }
      if (main.log.includes('hijacked')) bypasses.push(`${where}: a shadowed function ran: ${main.log.slice(0, 400)}`);
      const result = JSON.parse(main.outputs.result ?? 'null') as unknown[] | null;
      const ids = result?.map((o) => (typeof o === 'object' && o !== null ? (o as { Id: unknown }).Id : o)) ?? [];
      if (ids.length !== 152 || ids.slice(0, 150).some((id, i) => id !== i + 1) || ids[151] !== 'still here') {
        bypasses.push(`${where}: result: ${String(main.outputs.result).slice(0, 200)}`);
      } else if (
        typeof ids[150] !== 'string' ||
        !/^x+ \[cut: .* more characters\]$/.test(ids[150]) ||
        ids[150].length >= long
      ) {
        // Text longer than the result keeps whole is cut, with a marker (Limit-Text).
        bypasses.push(`${where}: the long text was not cut: ${String(ids[150]).slice(-80)}`);
      }
      if (file !== '') {
        const lines = fs.existsSync(path.join(job.workspace, file))
          ? fs
              .readFileSync(path.join(job.workspace, file), 'utf8')
              .replace(/\r?\n$/, '')
              .split(/\r?\n/)
          : [];
        const rows = file.endsWith('.csv') ? lines.slice(1) : lines;
        const last = file.endsWith('.csv') ? 'still here' : '{"Id":"still here"}';
        if (rows.length !== 152 || rows[151] !== last || lines.some((l) => l.includes('hijacked'))) {
          bypasses.push(`${where}: ${lines.length} lines, the last ${String(lines.at(-1)).slice(0, 80)}`);
        }
        if (main.outputs['result-file'] === undefined) bypasses.push(`${where}: no result-file output`);
      }
    }
    // The stop path too: script-timeout stops the script while it waits, then the teardown runs.
    // It counts PowerShell's start and the connect too: 10 s leaves a loaded runner time to reach the script.
    const timedOut = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: `${script}\nStart-Sleep 600`,
        'script-timeout': '10s',
        'error-action-preference': 'Continue',
      },
    });
    const stopCalls = job.commands();
    if (stopCalls.slice(-2).join(',') !== 'Disconnect-ExchangeOnline,Get-ConnectionInformation') {
      bypasses.push(`script-timeout: no checked disconnect: ${stopCalls.join(',')}`);
    }
    if (!timedOut.errors.some((e) => /timed out after 10\.0 s \(script-timeout\).*torn down\./.test(e))) {
      bypasses.push(`script-timeout: no honest verdict: ${timedOut.errors.join(' | ')}`);
    }
    if (timedOut.log.includes('hijacked')) bypasses.push('script-timeout: a shadowed function ran');
    // The script had got past the aliases, and the stop still kept what it returned.
    if (JSON.parse(timedOut.outputs.result ?? '[]').length !== 152) {
      bypasses.push(`script-timeout: result: ${String(timedOut.outputs.result).slice(0, 200)}`);
    }
    if (isAlive(Number(job.state['runner-pid']))) bypasses.push('script-timeout: PowerShell still alive');
    record("constant global aliases named like the runner's own functions", { bypasses });
  }, 150_000);

  test('preferences made read-only, and made anew as constants: the result, its count and the verdict stand, and the teardown disconnects', async () => {
    const script = [
      "Set-Variable -Name ErrorActionPreference -Value 'Continue' -Scope Global -Option ReadOnly -Force",
      'Set-Variable -Name WhatIfPreference -Value $false -Scope Global -Option ReadOnly -Force',
      // A constant cannot change at all: the runner leaves these as the script made them.
      'Remove-Variable -Name WarningPreference -Scope Global -Force',
      "New-Variable -Name WarningPreference -Value 'SilentlyContinue' -Scope Global -Option Constant",
      'Remove-Variable -Name ConfirmPreference -Scope Global -Force',
      "New-Variable -Name ConfirmPreference -Value 'Low' -Scope Global -Option Constant -Confirm:$false",
      '[pscustomobject]@{ Done = 1 }',
    ].join('\n');
    const main = await runMain(job, { inputs: { ...validInputs(), script } });
    expect(main.errors).toEqual([]);
    expect(main.code).toBe(0);
    expect(main.outputs['exit-code']).toBe('0');
    expect(main.outputs.result).toBe('[{"Done":1}]');
    expect(main.outputs['result-count']).toBe('1');
    expect(job.commands().slice(-2)).toEqual(['Disconnect-ExchangeOnline', 'Get-ConnectionInformation']);
    expect(job.state.clean).toBe('true');
  }, 60_000);

  test('a script that leaves ConstrainedLanguage behind, and returns an object whose property getter sets it again: the result, its count and the verdict stand, and the teardown disconnects', async () => {
    // Under pwsh -File this script prints its object and exits 0. The getter sets the mode only
    // once the script has ended: as the result is written, after the script.
    const script = [
      "$row = [pscustomobject]@{ Name = 'done' }",
      "$row | Add-Member -MemberType ScriptProperty -Name Mode -Value { if ($global:scriptEnded) { $ExecutionContext.SessionState.LanguageMode = 'ConstrainedLanguage' }; 'read' }",
      '$row',
      '$global:scriptEnded = $true',
      "$ExecutionContext.SessionState.LanguageMode = 'ConstrainedLanguage'",
    ].join('\n');
    const main = await runMain(job, { inputs: { ...validInputs(), script } });
    expect(main.errors).toEqual([]);
    expect(main.warnings).toEqual([]);
    expect(main.code).toBe(0);
    expect(main.outputs['exit-code']).toBe('0');
    expect(main.outputs.result).toBe('[{"Name":"done","Mode":"read"}]');
    expect(main.outputs['result-count']).toBe('1');
    expect(job.commands().slice(-2)).toEqual(['Disconnect-ExchangeOnline', 'Get-ConnectionInformation']);
    expect(job.state.clean).toBe('true');
  }, 60_000);

  test.each([
    [
      'made constant',
      [
        'Remove-Variable -Name VerbosePreference -Scope Global -Force',
        "New-Variable -Name VerbosePreference -Value 'Stop' -Scope Global -Option Constant",
      ],
    ],
    [
      'set again by a variable breakpoint',
      [
        "$global:VerbosePreference = 'Stop'",
        "Set-PSBreakpoint -Variable VerbosePreference -Mode ReadWrite -Action { $global:VerbosePreference = 'Stop' } | Out-Null",
      ],
    ],
    [
      'a variable that ignores every write (a PSVariable subclass)',
      [
        'Add-Type -TypeDefinition \'public class Pinned : System.Management.Automation.PSVariable { public Pinned() : base("VerbosePreference") {} public override object Value { get { return System.Management.Automation.ActionPreference.Stop; } set { } } }\'',
        // Put in the global scope itself, which no public API does from the script's scope.
        "$flags = [Reflection.BindingFlags]'NonPublic,Instance'",
        "$internal = [System.Management.Automation.SessionState].GetProperty('Internal', $flags).GetValue($ExecutionContext.SessionState)",
        "$globalScope = $internal.GetType().GetProperty('GlobalScope', $flags).GetValue($internal)",
        'Remove-Variable -Name VerbosePreference -Scope Global -Force',
        "[void]$globalScope.GetType().GetMethod('NewVariable', $flags).Invoke($globalScope, @([Pinned]::new(), $true, $internal))",
      ],
    ],
  ])(
    "$VerbosePreference 'Stop' %s: the module's functions in the teardown run with the defaults, and the disconnect is checked",
    async (_how, lines) => {
      const script = [...lines, "'done'"].join('\n');
      const main = await runMain(job, { inputs: { ...validInputs(), script } });
      expect(main.errors).toEqual([]);
      expect(main.warnings).toEqual([]);
      expect(main.outputs.result).toBe('["done"]');
      expect(job.commands().slice(-2)).toEqual(['Disconnect-ExchangeOnline', 'Get-ConnectionInformation']);
      expect(job.state.clean).toBe('true');
    },
    60_000,
  );

  test("global functions and aliases named like the cmdlets the module's disconnect calls, and breakpoints on the disconnect and the runner's own functions: set aside for the teardown, which disconnects; back for the exit handler", async () => {
    // The sandbox's Disconnect-ExchangeOnline picks the connections to close with Where-Object,
    // and its Get-ConnectionInformation lists them with Select-Object: shadowed, the disconnect
    // closes nothing and its check finds nothing.
    const seen = path.join(job.root, 'after-teardown.txt');
    const ran = path.join(job.root, 'breakpoint-ran.txt');
    const script = [
      `Register-EngineEvent -SourceIdentifier PowerShell.Exiting -Action { Set-Content -LiteralPath '${seen}' -Value @((& (Microsoft.PowerShell.Core\\Get-Module ExchangeOnlineManagement) { $script:Connections.Count }), (Microsoft.PowerShell.Management\\Test-Path function:global:Where-Object)) } | Out-Null`,
      'function global:Nothing { }',
      'function global:Where-Object { }',
      'Set-Alias -Name Select-Object -Value Nothing -Scope Global -Option ReadOnly',
      // AllScope: a copy in every scope made from here on, the runner's own among them.
      'Set-Item -Path function:global:Write-Verbose -Value { } -Options AllScope',
      `Set-PSBreakpoint -Command Disconnect-ExchangeOnline, Invoke-Teardown, Write-RunnerEvent -Action { Add-Content -LiteralPath '${ran}' -Value $_.Command } | Out-Null`,
      "'done'",
    ].join('\n');
    const main = await runMain(job, { inputs: { ...validInputs(), script } });
    expect([main.code, main.errors, main.warnings]).toEqual([0, [], []]);
    expect(main.outputs.result).toBe('["done"]');
    expect(main.log).toMatch(
      /^Set aside the script's 4 global functions and aliases \((?=.*\bNothing\b)(?=.*\bWhere-Object\b)(?=.*\bSelect-Object\b)(?=.*\bWrite-Verbose\b)[^)]*\) while the teardown runs/m,
    );
    expect(job.commands().slice(-2)).toEqual(CHECKED_DISCONNECT);
    // No connection left after the teardown, and the script's function back for its exit handler.
    expect(fs.readFileSync(seen, 'utf8').trim().split(/\r?\n/)).toEqual(['0', 'True']);
    // The debugger is off from the script's end: no breakpoint action ran.
    expect(fs.existsSync(ran) ? fs.readFileSync(ran, 'utf8') : '').toBe('');
    expect(job.state.clean).toBe('true');
  }, 60_000);

  test('a constant global alias named like a cmdlet the disconnect calls: a warning names it, and the others are still set aside', async () => {
    const script = [
      'function global:Where-Object { }',
      'Set-Alias -Name Select-Object -Value Get-Date -Scope Global -Option Constant',
      "'done'",
    ].join('\n');
    const main = await runMain(job, { inputs: { ...validInputs(), script } });
    expect(main.warnings).toEqual([
      expect.stringMatching(
        /^The teardown could not set aside these global functions or aliases the script defined, which the Exchange module's own calls may reach: Select-Object\. /,
      ),
    ]);
    expect(main.log).toMatch(/^Set aside the script's 1 global function or alias \(Where-Object\)/m);
    // Where-Object was set aside, so the disconnect found the connection and closed it.
    expect(job.commands().slice(-2)).toEqual(CHECKED_DISCONNECT);
    expect([main.code, main.outputs.result, job.state.clean]).toEqual([0, '["done"]', 'true']);
  }, 60_000);

  test('a module the script imports that exports functions named like the cmdlets the disconnect calls: set aside for the teardown, which closes the connection; its other exports stay', async () => {
    const seen = path.join(job.root, 'after-teardown.txt');
    const script = [
      `Register-EngineEvent -SourceIdentifier PowerShell.Exiting -Action { Set-Content -LiteralPath '${seen}' -Value @((& (Microsoft.PowerShell.Core\\Get-Module ExchangeOnlineManagement) { $script:Connections.Count }), (Microsoft.PowerShell.Core\\Get-Command Where-Object).CommandType) } | Out-Null`,
      'New-Module -Name Shadows -ScriptBlock { function Where-Object { }; function Select-Object { }; function Get-ShadowReport { } } | Import-Module -DisableNameChecking',
      "'done'",
    ].join('\n');
    const main = await runMain(job, { inputs: { ...validInputs(), script } });
    expect([main.code, main.errors, main.warnings]).toEqual([0, [], []]);
    expect(main.log).toMatch(
      /^Set aside the script's 2 global functions and aliases \((?=[^)]*\bWhere-Object\b)(?=[^)]*\bSelect-Object\b)[^)]*\) while the teardown runs/m,
    );
    expect(job.commands().slice(-2)).toEqual(CHECKED_DISCONNECT);
    // The disconnect found the connection and closed it; the module's function is back afterwards.
    expect(fs.readFileSync(seen, 'utf8').trim().split(/\r?\n/)).toEqual(['0', 'Function']);
    expect([main.outputs.result, job.state.clean]).toEqual(['["done"]', 'true']);
  }, 60_000);

  test('a script that removes the run directory: its result is still reported, and the run is a success', async () => {
    const script = [
      '$run = Split-Path -Parent $env:TMPDIR',
      'Set-Location /',
      'Remove-Item -LiteralPath $run -Recurse -Force',
      "'done'",
    ].join('\n');
    const main = await runMain(job, { inputs: { ...validInputs(), script } });
    expect([main.code, main.errors]).toEqual([0, []]);
    expect(main.outputs.result).toBe('["done"]');
    expect(main.outputs['result-count']).toBe('1');
    expect(job.commands().slice(-2)).toEqual(CHECKED_DISCONNECT);
    expect(fs.existsSync(job.state.workspace!)).toBe(false);
  }, 60_000);

  test("a timer's event action that would hold the teardown: unregistered as the script ends, and the teardown disconnects at once", async () => {
    // The action sleeps once it finds the runner's teardown under way (its log group written).
    const script = [
      '$timer = [System.Timers.Timer]::new(50)',
      "Register-ObjectEvent -InputObject $timer -EventName Elapsed -SourceIdentifier Ticks -Action { if (@(Get-PSCallStack | Where-Object Command -EQ 'Invoke-Teardown').Count -gt 0) { Start-Sleep -Seconds 120 } } | Out-Null",
      '$timer.Start()',
      "'done'",
    ].join('\n');
    const main = await runMain(job, { inputs: { ...validInputs(), script } });
    expect(main.code).toBe(0);
    expect(main.outputs.result).toBe('["done"]');
    expect(main.log).toMatch(/^Unregistered the script's 1 event subscription \(Ticks\) as it ended/m);
    expect(job.commands().slice(-2)).toEqual(CHECKED_DISCONNECT);
    expect(job.state.clean).toBe('true');
    expect(main.warnings).toEqual([]);
    // The teardown's own limit is 60 s: a held teardown would reach it.
    expect(main.ms).toBeLessThan(45_000);
  }, 90_000);

  test('an exit handler that never returns: PowerShell is ended a few seconds after its teardown, and the run is judged by what it did', async () => {
    const main = await runMain(job, {
      inputs: {
        ...validInputs(),
        script:
          "Register-EngineEvent -SourceIdentifier PowerShell.Exiting -Action { Start-Sleep -Seconds 600 } | Out-Null\n'done'",
        'script-timeout': '2m',
      },
    });
    expect(main.code).toBe(0);
    expect(main.outputs.result).toBe('["done"]');
    expect(job.commands().slice(-2)).toEqual(['Disconnect-ExchangeOnline', 'Get-ConnectionInformation']);
    expect(main.warnings).toContainEqual(expect.stringMatching(/^PowerShell had not exited 5 s after its teardown/));
    expect(main.ms).toBeLessThan(60_000);
  }, 90_000);

  test('engine hooks, a replaced and closed [Console]::Out and no module auto-loading: the teardown still disconnects and says so', async () => {
    const script = [
      "$ExecutionContext.InvokeCommand.LocationChangedAction = { throw 'no moving' }",
      // Every command looked up by name from here on is swallowed: the module's own calls included.
      '$ExecutionContext.InvokeCommand.PreCommandLookupAction = { param($name, $e) $e.CommandScriptBlock = {}.GetNewClosure(); $e.StopSearch = $true }',
      "$global:PSModuleAutoLoadingPreference = 'None'",
      '$captured = [System.IO.StringWriter]::new(); [Console]::SetOut($captured); $captured.Dispose()',
    ].join('\n');
    const main = await runMain(job, { inputs: { ...validInputs(), script } });
    const calls = job.commands();
    expect(calls.slice(-2)).toEqual(['Disconnect-ExchangeOnline', 'Get-ConnectionInformation']);
    expect(job.state.clean).toBe('true');
    expect(main.errors).toEqual([]);
    expect(main.code).toBe(0);
    expect(main.log).toMatch(/^teardown took \d+ ms$/m);
  }, 60_000);
});

describe('forged facts', () => {
  test('a forged disconnected event, and one signed with every key-like value the script can find', async () => {
    const main = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: hostileScript('forge-disconnected.ps1'),
      },
      env: { HOSTILE_OUT: path.join(job.root, 'keys-found.txt') },
    });
    expect(main.code).not.toBe(0);
    // The hostile script got as far as signing its forgeries with whatever it found.
    expect(fs.readFileSync(path.join(job.root, 'keys-found.txt'), 'utf8')).toMatch(/^\d+$/);
    const post = await runPost(job);
    expect(post.code).toBe(0);
    const bypasses = [
      ...(job.state.clean === 'true' ? ['main recorded a clean teardown that never ran'] : []),
      ...(main.errors.some((e) => /torn down/.test(e)) ? ['the verdict claims a teardown'] : []),
      ...(/nothing to clean up/.test(post.log) ? ['post skipped its safety net'] : []),
    ];
    record('the script forges a disconnected event and kills its PowerShell', { bypasses });
    record('the script hunts for the event key in every variable it can reach and signs a forgery', {
      bypasses: main.warnings.some((w) => /events file had \d+ lines? the runner did not write/.test(w))
        ? bypasses
        : [...bypasses, 'no warning about the forged lines'],
    });
  }, 60_000);

  test("result.json and plan.txt written by the script, which then ends its PowerShell: neither is read as the runner's", async () => {
    const script = [
      '$run = Split-Path -Parent $env:TMPDIR',
      '[IO.File]::WriteAllText((Join-Path $run result.json), \'[{"forged":true}]\')',
      '[IO.File]::WriteAllText((Join-Path $run plan.txt), "What if: Performing the operation `"Forged`" on target `"everyone`".`n")',
      '[Environment]::Exit(0)',
    ].join('\n');
    const main = await runMain(job, { inputs: { ...validInputs(), 'what-if': 'true', script } });
    expect(main.code).toBe(1);
    record('the script writes result.json and plan.txt itself and ends its PowerShell', {
      bypasses: [
        ...(/forged/i.test(main.outputs.result ?? '') ? ['result holds the forged objects'] : []),
        ...(/Forged/.test(main.outputs.plan ?? '') ? ['plan holds the forged line'] : []),
        ...(/forged/i.test(main.summary) ? ['the summary shows the forgery'] : []),
      ],
    });
    expect(main.outputs.result).toBe('[]');
  }, 60_000);

  test('a process the script started rewrites result.json and plan.txt after the runner wrote them: the action reads neither, and says why', async () => {
    // Replaces each file as soon as the runner has written it, until the action ends the process.
    const loop = path.join(job.root, 'rewrite.sh');
    fs.writeFileSync(
      loop,
      'while :; do\n' +
        '  if [ -s result.json ] && ! grep -q forged result.json; then printf \'[{"forged":1}]\' > r.tmp && mv -f r.tmp result.json; fi\n' +
        "  if [ -s plan.txt ] && ! grep -q Forged plan.txt; then printf 'What if: Forged\\n' > p.tmp && mv -f p.tmp plan.txt; fi\n" +
        '  sleep 0.002\n' +
        'done\n',
    );
    const script = [
      `$null = Start-Process -FilePath sh -ArgumentList '${loop}' -WorkingDirectory (Split-Path -Parent $env:TMPDIR) -WhatIf:$false`,
      'Start-Sleep -Milliseconds 300',
      '"real"',
      'Set-Mailbox -Identity adele@contoso.onmicrosoft.com -Department X',
    ].join('\n');
    const main = await runMain(job, { inputs: { ...validInputs(), 'what-if': 'true', script } });
    const rewritten = (file: string): boolean =>
      main.warnings.some((w) => w.includes(`${file} is not the file the runner wrote`));
    record('a process the script started rewrites result.json and plan.txt after the runner wrote them', {
      bypasses: [
        ...(/forged/i.test(main.outputs.result ?? '') ? ['result holds the forged objects'] : []),
        ...(/Forged/.test(main.outputs.plan ?? '') ? ['plan holds the forged line'] : []),
        ...(/forged/i.test(main.summary) ? ['the summary shows the forgery'] : []),
        ...(main.outputs.result === '["real"]' || rewritten('result.json')
          ? []
          : ['result is neither the real one nor refused with a warning']),
        ...(/Set-Mailbox|Forged/.test(main.outputs.plan ?? '') || rewritten('plan.txt')
          ? []
          : ['plan is neither the real one nor refused with a warning']),
      ],
    });
  }, 60_000);

  test('::set-output sent with Write-Host for result-file and plan, which this run does not produce: the action writes both, empty', async () => {
    const script = [
      'Write-Host "::set-output name=result-file::/home/runner/.ssh/id_rsa"',
      'Write-Host "::set-output name=plan::What if: nothing to change (forged)"',
      '"data"',
    ].join('\n');
    const main = await runMain(job, { inputs: { ...validInputs(), script } });
    expect(main.code).toBe(0);
    // The runner reads ::set-output from the log as the step runs, and the output file after the
    // step: the file's values are the ones that stand.
    record('the script sends ::set-output for the outputs the action leaves empty', {
      bypasses: [
        ...(main.outputs['result-file'] === ''
          ? []
          : [`result-file is ${JSON.stringify(main.outputs['result-file'])}`]),
        ...(main.outputs.plan === '' ? [] : [`plan is ${JSON.stringify(main.outputs.plan)}`]),
      ],
    });
  }, 60_000);

  test("Disconnect-ExchangeOnline and Get-ConnectionInformation replaced inside the module's own scope: the teardown runs the module's", async () => {
    const script = [
      '& (Get-Module ExchangeOnlineManagement) {',
      "  Set-Item function:Disconnect-ExchangeOnline { [CmdletBinding(SupportsShouldProcess = $true)] param() Write-Host 'FORGED DISCONNECT' }",
      '  Set-Item function:Get-ConnectionInformation { [CmdletBinding()] param() }',
      '}',
      "'returned'",
    ].join('\n');
    const main = await runMain(job, { inputs: { ...validInputs(), script } });
    const calls = job.commands();
    record("the script replaces the disconnect and its check inside the Exchange module's own scope", {
      bypasses: [
        ...(/FORGED DISCONNECT/.test(main.log) ? ['the forged disconnect ran'] : []),
        ...(calls.includes('Disconnect-ExchangeOnline') ? [] : ["the module's disconnect never ran"]),
      ],
    });
    expect(main.code).toBe(0);
    expect(job.state.clean).toBe('true');
  }, 60_000);

  test("type data over the members of PowerShell's own objects that the runner reads ($ExecutionContext's SessionState, InvokeCommand, Events; a list's and an array's Count, an array's Length, a stopwatch's ElapsedMilliseconds), and methods of its own objects made to throw: the teardown still disconnects", async () => {
    const members = [
      ['System.Management.Automation.EngineIntrinsics', 'SessionState'],
      ['System.Management.Automation.EngineIntrinsics', 'InvokeCommand'],
      ['System.Management.Automation.EngineIntrinsics', 'Events'],
      ['System.Management.Automation.SessionState', 'PSVariable'],
      ['System.Collections.ArrayList', 'Count'],
      ['System.Object[]', 'Count'],
      ['System.Object[]', 'Length'],
      ['System.Diagnostics.Stopwatch', 'ElapsedMilliseconds'],
    ];
    // And methods the runner calls on its own objects before the teardown, made to throw.
    const methods = [
      ['System.Threading.CancellationTokenSource', 'Cancel'],
      ['ExoConnectRunner.Native.HeldSecrets', 'Clear'],
    ];
    const script = [
      ...members.map(
        ([type, member]) =>
          `Update-TypeData -TypeName ${type} -MemberType ScriptProperty -MemberName ${member} -Value { 'hijacked' } -Force`,
      ),
      ...methods.map(
        ([type, member]) =>
          `Update-TypeData -TypeName ${type} -MemberType ScriptMethod -MemberName ${member} -Value { throw 'hijacked' } -Force`,
      ),
      "'returned'",
    ].join('\n');
    const main = await runMain(job, { inputs: { ...validInputs(), script } });
    const calls = job.commands();
    record("the script's type data stands in for members of PowerShell's objects that the teardown reads", {
      bypasses: [
        ...(calls.includes('Disconnect-ExchangeOnline') ? [] : ["the module's disconnect never ran"]),
        ...(/teardown took \d+ ms/.test(main.log) ? [] : ['the teardown did not end']),
        ...(main.warnings.length === 0 ? [] : [`warnings: ${main.warnings.join(' | ')}`]),
      ],
    });
    expect(main.code).toBe(0);
    expect(job.state.clean).toBe('true');
  }, 60_000);

  test('STATE_clean exported through GITHUB_ENV and printed as ::save-state, then PowerShell killed: post still cleans up', async () => {
    const main = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: [
          "Add-Content -LiteralPath $env:GITHUB_ENV -Value 'STATE_clean=true'",
          "Add-Content -LiteralPath $env:GITHUB_ENV -Value 'STATE_runner-exited=true'",
          "Write-Output '::save-state name=clean::true'",
          'Stop-Process -Id $PID -Force',
        ].join('\n'),
      },
    });
    expect(main.code).not.toBe(0);
    // The attack reached the job: a later step, post included, would get these variables...
    expect(job.exported).toMatchObject({ STATE_clean: 'true', 'STATE_runner-exited': 'true' });
    // ...but main saved every key post reads, and the runner puts main's state over them.
    expect(job.state).toMatchObject({ clean: 'false', 'runner-exited': 'true' });
    const post = await runPost(job);
    expect(post.code).toBe(0);
    // Not the fast path: post checked what main left, and removed it.
    expect(post.log).not.toMatch(/nothing to clean up/);
    expect(post.log).toMatch(/The connection to contoso\.onmicrosoft\.com ended with its PowerShell process/);
    expect(job.leftoverFiles()).toEqual([]);
  }, 60_000);

  test("clean=true appended to the state file and a pwsh of its own on PATH for later steps, then PowerShell killed (exchange-server): post removes the session with main's PowerShell", async () => {
    const evil = path.join(job.root, 'evil');
    const loot = path.join(job.root, 'loot.txt');
    fs.mkdirSync(evil);
    fs.writeFileSync(path.join(evil, 'pwsh'), `#!/bin/sh\ncat > '${loot}'\n`, { mode: 0o755 });
    const main = await runMain(job, {
      env: { ...serverEnv, EVIL: evil },
      inputs: {
        ...serverInputs,
        script: [
          "Add-Content -LiteralPath (Join-Path (Split-Path -Parent $env:GITHUB_OUTPUT) 'state') -Value 'clean=true'",
          'Add-Content -LiteralPath $env:GITHUB_ENV -Value "PATH=$($env:EVIL)$([IO.Path]::PathSeparator)$($env:PATH)"',
          'Stop-Process -Id $PID -Force',
        ].join('\n'),
      },
    });
    expect(main.code).not.toBe(0);
    // The script's line is in the state file; main's own lines come after it.
    expect(job.state.clean).toBe('false');
    expect(job.exported.PATH!.startsWith(evil)).toBe(true);
    const session = job.state['server-session']!;
    expect(session).not.toBe('');
    const post = await runPost(job, { env: serverEnv });
    expect(post.code).toBe(0);
    expect(post.log).not.toMatch(/nothing to clean up/);
    expect(fs.existsSync(loot)).toBe(false);
    expect(post.log).toMatch(new RegExp(`Removed 1 server-side session with InstanceId ${session}`));
    expect(serverSessions(job).filter((s) => s.InstanceId === session && s.State === 'Opened')).toEqual([]);
  }, 90_000);

  test('a test module of its own exported for later steps: post does not import it, and says so', async () => {
    const loot = path.join(job.root, 'loot.txt');
    const module = path.join(job.root, 'Evil.psm1');
    fs.writeFileSync(
      module,
      `function New-PSSession { param($Credential) Set-Content -LiteralPath '${loot}' -Value $Credential.UserName }\n`,
    );
    const main = await runMain(job, {
      env: { ...serverEnv, EVIL_MODULE: module },
      inputs: {
        ...serverInputs,
        script: [
          'Add-Content -LiteralPath $env:GITHUB_ENV -Value "EXO_CONNECT_ACTION_TEST_PRELOAD=$($env:EVIL_MODULE)"',
          'Stop-Process -Id $PID -Force',
        ].join('\n'),
      },
    });
    expect(main.code).not.toBe(0);
    expect(job.exported.EXO_CONNECT_ACTION_TEST_PRELOAD).toBe(module);
    const post = await runPost(job, { env: serverEnv });
    expect(post.code).toBe(0);
    expect(post.warnings.join('\n')).toMatch(/EXO_CONNECT_ACTION_TEST_PRELOAD is ignored/);
    expect(fs.existsSync(loot)).toBe(false);
  }, 90_000);

  test('a forged server session (exchange-server): post removes the real one by InstanceId and never the forged one', async () => {
    const victim = {
      InstanceId: '0f0f0f0f-1111-2222-3333-444444444444',
      ConnectionUri: 'https://mail01.contoso.com/PowerShell/',
      User: 'CONTOSO\\svc-exo',
      State: 'Opened',
      Pid: 1,
      Authentication: 'Negotiate',
    };
    fs.writeFileSync(path.join(job.sandboxState, 'server-sessions.json'), JSON.stringify([victim]));
    const main = await runMain(job, {
      env: { ...serverEnv, VICTIM_ID: victim.InstanceId, VICTIM_URI: victim.ConnectionUri },
      inputs: { ...serverInputs, script: hostileScript('forge-server-session.ps1') },
    });
    expect(main.code).not.toBe(0);
    const real = serverSessions(job).find((s) => s.InstanceId !== victim.InstanceId)!;
    expect(real).toBeDefined();
    expect(job.state['server-session']).toBe(real.InstanceId);
    const post = await runPost(job, { env: serverEnv });
    expect(post.code).toBe(0);
    const after = serverSessions(job);
    record('the script forges the server session (exchange-server) and kills its PowerShell', {
      bypasses: [
        ...(after.find((s) => s.InstanceId === real.InstanceId)?.State === 'Opened'
          ? ['the real session is still open']
          : []),
        ...(after.find((s) => s.InstanceId === victim.InstanceId)?.State !== 'Opened'
          ? ['post removed the forged session']
          : []),
        ...(job.state.clean === 'true' ? ['main recorded a clean teardown'] : []),
      ],
    });
  }, 90_000);
});

describe('stops, messages and limits', () => {
  (process.platform === 'win32' ? test.skip : test)(
    "named pipes in place of the run directory's files: nothing blocks, the run tears down and reports as usual",
    async () => {
      const script = [
        '$run = Split-Path -Parent $env:TMPDIR',
        "$names = @('events.jsonl', 'result.json', 'plan.txt') + @(Get-ChildItem -LiteralPath $run -Filter '*.transcript' | ForEach-Object { $_.Name })",
        'foreach ($name in $names) { $file = Join-Path $run $name; Remove-Item -LiteralPath $file -Force -ErrorAction Ignore -WhatIf:$false; & mkfifo $file }',
        "if (@($names).Count -ne 4 -or @(Get-ChildItem -LiteralPath $run | Where-Object { $_.Length -eq 0 }).Count -lt 4) { throw 'the pipes were not made' }",
        'Set-Mailbox -Identity adele -Department Sales',
        '[pscustomobject]@{ Id = 1 }',
      ].join('\n');
      const main = await runMain(job, { inputs: { ...validInputs(), script, 'what-if': 'true' } });
      expect(main.errors).toEqual([]);
      expect(main.code).toBe(0);
      expect(main.outputs.result).toBe('[{"Id":1}]');
      expect(main.outputs.plan).toBe('What if: Performing the operation "Set-Mailbox" on target "adele".');
      expect(job.commands()).toContain('Disconnect-ExchangeOnline');
      expect(job.state.clean).toBe('true');
      const post = await runPost(job);
      expect(post.code).toBe(0);
      expect(job.leftoverFiles()).toEqual([]);
    },
    60_000,
  );

  test('a run directory that cannot be deleted is a warning in main and in post, never a failure', async () => {
    // As antivirus or a file still held would on Windows: immutable for root, read-only otherwise.
    const lock =
      process.getuid?.() === 0
        ? "$f = Join-Path $env:TMPDIR 'held'; Set-Content $f 'x'; & chattr +i $f; $f"
        : "$f = Join-Path $env:TMPDIR 'held'; Set-Content $f 'x'; & chmod 500 $env:TMPDIR; $f";
    const main = await runMain(job, { inputs: { ...validInputs(), script: lock } });
    const held = (JSON.parse(main.outputs.result ?? '[]') as string[])[0]!;
    try {
      const post = await runPost(job);
      record('the script leaves a file the run directory cannot lose', {
        bypasses: [
          ...(main.code === 0 ? [] : [`main failed (${main.errors.join(' | ')})`]),
          ...(main.warnings.some((w) => /run directory could not be removed yet/.test(w))
            ? []
            : ['no warning in main']),
          ...(job.state.clean === 'true' ? ['main recorded a clean run with its directory still there'] : []),
          ...(post.code === 0 && post.errors.length === 0 ? [] : ['post failed']),
          ...(post.warnings.some((w) => /Remove the run directory failed during cleanup/.test(w))
            ? []
            : ['no warning in post']),
        ],
      });
    } finally {
      if (process.getuid?.() === 0) execFileSync('chattr', ['-i', held]);
      else fs.chmodSync(path.dirname(held), 0o700);
    }
  }, 60_000);

  test('a finally block that never ends: the verdict says the session was not torn down, and nothing is left', async () => {
    const main = await runMain(job, {
      inputs: {
        ...validInputs(),
        // 10 s from PowerShell's start: a loaded machine connects first, so the stop finds the script.
        'script-timeout': '10s',
        script: 'try { Start-Sleep 600 } finally { Start-Sleep 600 }',
      },
    });
    expect(main.code).toBe(1);
    const pid = Number(job.state['runner-pid']);
    const disconnected = job.calls().some((c) => c.command === 'Disconnect-ExchangeOnline');
    expect(disconnected).toBe(false);
    const post = await runPost(job);
    expect(post.code).toBe(0);
    record('a finally block that never ends keeps the runner from tearing down on timeout', {
      bypasses: [
        ...(main.errors.some((e) => /torn down\./.test(e)) ? [`claims a teardown: ${main.errors.join(' | ')}`] : []),
        ...(main.errors.some((e) => /PowerShell ended before it disconnected/.test(e))
          ? []
          : ['does not say what happened']),
        ...(job.state.clean === 'true' ? ['main recorded a clean teardown'] : []),
        ...(isAlive(pid) ? ['PowerShell still alive'] : []),
      ],
    });
  }, 90_000);

  test('a parameter binding error of an inline script is not annotated at a runner line', async () => {
    const main = await runMain(job, {
      inputs: { ...validInputs(), parameters: '{"Count":"many"}', script: 'param([int] $Count)\n$Count' },
    });
    expect(main.code).toBe(1);
    expect(main.errors.join('\n')).toMatch(/Count/);
    const placed = main.raw.split('\n').filter((l) => /^::error (title=Inline script|[^:]*file=)/.test(l));
    record('a parameter binding error of an inline script', {
      bypasses: placed.map((l) => `annotation placed: ${l.slice(0, 80)}`),
    });
  }, 60_000);

  test('a 50 MB string: result stays within the output limit, cut with a marker; no engine error', async () => {
    const main = await runMain(job, { inputs: { ...validInputs(), script: "'x' * 50MB" } });
    expect(main.code).toBe(0);
    const result = main.outputs.result!;
    const value = (JSON.parse(result) as string[])[0]!;
    record('a 50 MB string returned as result', {
      bypasses: [
        ...(Buffer.byteLength(result) <= 1_000_000 ? [] : [`result is ${Buffer.byteLength(result)} bytes`]),
        ...(/\[cut: \d+ more characters\]$/.test(value) ? [] : ['no marker at the cut']),
        ...(/0x1fffffe8|heap out of memory|RangeError/.test(main.log) ? ['an engine error reached the log'] : []),
      ],
    });
  }, 120_000);

  test('script-timeout and cancellation still tear down', async () => {
    const timeout = await runMain(job, {
      inputs: { ...validInputs(), 'script-timeout': '10s', script: 'Start-Sleep 600' },
    });
    const afterTimeout = job.calls().filter((c) => c.command === 'Disconnect-ExchangeOnline').length;
    const timeoutPid = Number(job.state['runner-pid']);
    const cancel = await runMain(job, {
      inputs: { ...validInputs(), script: "Write-Host 'sleeping now'; Start-Sleep 600" },
      cancelOnOutput: /sleeping now/,
    });
    const afterCancel = job.calls().filter((c) => c.command === 'Disconnect-ExchangeOnline').length;
    record('script-timeout tears down', {
      bypasses: [
        ...(timeout.errors.some((e) =>
          /timed out after 10\.0 s \(script-timeout\) in its script phase; it was stopped and the session torn down\./.test(
            e,
          ),
        )
          ? []
          : ['no honest timeout verdict']),
        ...(afterTimeout === 1 ? [] : [`${afterTimeout} disconnects`]),
        ...(isAlive(timeoutPid) ? ['PowerShell still alive'] : []),
      ],
    });
    record('cancellation tears down', {
      bypasses: [
        ...(cancel.errors.some((e) => /cancelled; it was stopped and the session torn down\./.test(e))
          ? []
          : ['no honest cancel verdict']),
        ...(afterCancel === 2 ? [] : [`${afterCancel - afterTimeout} disconnects`]),
        ...(isAlive(Number(job.state['runner-pid'])) ? ['PowerShell still alive'] : []),
      ],
    });
  }, 120_000);
});

test('the tally: every hostile case ran, with no leak and no teardown bypass', () => {
  const leaks = [...tally.values()].reduce((n, c) => n + c.leaks.length, 0);
  const bypasses = [...tally.values()].reduce((n, c) => n + c.bypasses.length, 0);
  console.log(`${tally.size} hostile cases: ${leaks} leaks, ${bypasses} teardown bypasses`);
  expect(CASES.filter((name) => !tally.has(name))).toEqual([]);
  expect({ leaks, bypasses }).toEqual({ leaks: 0, bypasses: 0 });
});
