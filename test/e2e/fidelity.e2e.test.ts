// The runner keeps the user's data exact and its own promises, whatever the script does, through
// dist/ against the sandbox module: parameters arrive as written, the script runs in the scope a
// plain `pwsh -File` gives it, no secret is left for it to find, and the teardown holds.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CHECKED_DISCONNECT,
  CHECKED_REMOVAL,
  Job,
  realPwsh,
  ROOT,
  runMain,
  runPost,
  EXCHANGE_SERVER_ENV,
} from '../support/action.js';
import { validInputs } from '../support/invalid-inputs.js';

const pwsh = realPwsh();
const server = {
  inputs: { target: 'exchange-server', auth: 'integrated', 'connection-uri': 'http://mail01.contoso.com/PowerShell/' },
  env: { ...EXCHANGE_SERVER_ENV },
};

let job: Job;
beforeEach(() => (job = new Job()));
afterEach(() => job.cleanup());

const serverSessions = (): unknown[] => {
  const file = path.join(job.sandboxState, 'server-sessions.json');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '';
  return text === '' ? [] : [JSON.parse(text)].flat();
};

describe('parameters arrive exactly as written', () => {
  test('long integers keep every digit, strings stay strings, and only a [datetime] parameter makes a date', async () => {
    const main = await runMain(job, {
      inputs: {
        ...validInputs(),
        parameters: '{"Id": 12345678901234567890, "When": "2026-01-02T03:04:05Z", "At": "2026-01-02T03:04:05Z"}',
        script: [
          'param($Id, [string] $When, [datetime] $At)',
          '$Id.GetType().Name',
          '$Id.ToString()',
          '$When',
          '$At.ToUniversalTime().ToString("o")',
        ].join('\n'),
      },
    });
    expect(main.errors).toEqual([]);
    expect(JSON.parse(main.outputs.result!)).toEqual([
      'Decimal',
      '12345678901234567890',
      '2026-01-02T03:04:05Z',
      '2026-01-02T03:04:05.0000000Z',
    ]);
  });

  test('a [hashtable] parameter gets a hashtable, nested objects included, as an @{} literal would give it; a digit string of 400 digits is a BigInteger', async () => {
    const huge = `1${'0'.repeat(400)}`;
    const main = await runMain(job, {
      inputs: {
        ...validInputs(),
        parameters: `{"Changes": {"Add": "sales@contoso.com", "Extra": {"Deep": 1}}, "Big": ${huge}}`,
        script: [
          'param([hashtable] $Changes, $Big)',
          '$Changes.GetType().Name',
          '$Changes.Extra.GetType().Name',
          '$Changes.Add',
          '$Big.GetType().Name',
          '$Big.ToString().Length',
        ].join('\n'),
      },
    });
    expect(main.errors).toEqual([]);
    expect(JSON.parse(main.outputs.result!)).toEqual([
      'Hashtable',
      'Hashtable',
      'sales@contoso.com',
      'BigInteger',
      401,
    ]);
  });

  test('a key the param() block does not declare is refused before anything connects', async () => {
    fs.writeFileSync(
      path.join(job.workspace, 'report.ps1'),
      'param([int] $Days = 7, [string] $Identity)\n"days=$Days"\n',
    );
    const main = await runMain(job, {
      inputs: { ...validInputs(), script: '', 'script-file': 'report.ps1', parameters: '{"Dayz": 30}' },
    });
    expect(main.code).toBe(1);
    expect(main.errors).toEqual([
      "Input 'parameters': 'Dayz' is not a parameter of the script. Accepted: the parameters its param() block declares: Days, Identity.",
    ]);
    expect(main.outputs['exit-code']).toBe('1');
    expect(job.commands()).toEqual([]);
    expect(main.log).not.toMatch(/::group::Module/);
    expect(job.state.clean).toBe('true');
  });

  test('a script that does not parse, or leaves a mandatory parameter unset, is refused before anything connects', async () => {
    fs.writeFileSync(path.join(job.workspace, 'broken.ps1'), '"start"\nif ($true {\n"after"\n');
    const broken = await runMain(job, { inputs: { ...validInputs(), script: '', 'script-file': 'broken.ps1' } });
    expect(broken.code).toBe(1);
    // Annotated at the line, where a pull request shows it, and the step's verdict after it.
    const parse = /^Input 'script-file': the script does not parse, so nothing was connected: line 2, column \d+: /;
    expect(broken.errors).toEqual([expect.stringMatching(parse), expect.stringMatching(parse)]);
    expect(broken.raw).toMatch(
      /^::error title=Script error \(contoso\.onmicrosoft\.com\),file=broken\.ps1,line=2::Input 'script-file': the script does not parse/m,
    );
    const inline = await runMain(job, { inputs: { ...validInputs(), script: 'if ($true {' } });
    expect(inline.errors).toEqual([
      expect.stringMatching(/^Input 'script': the script does not parse/),
      expect.stringMatching(/^Input 'script': the script does not parse/),
    ]);
    expect(inline.raw).toMatch(
      /^::error title=Inline script%2C line 1 \(contoso\.onmicrosoft\.com\)::Input 'script': the script does not parse/m,
    );
    expect(inline.log).not.toMatch(/inline-script\.ps1/);

    fs.writeFileSync(
      path.join(job.workspace, 'needs.ps1'),
      'param([Parameter(Mandatory)][string] $Identity)\n$Identity\n',
    );
    const unset = await runMain(job, { inputs: { ...validInputs(), script: '', 'script-file': 'needs.ps1' } });
    expect(unset.code).toBe(1);
    expect(unset.errors).toEqual([
      "Input 'parameters': the script's mandatory parameter Identity is not set, so nothing was connected. Accepted: a JSON object that sets each mandatory parameter, such as {\"Identity\": ...}.",
    ]);
    expect(job.commands()).toEqual([]);
    expect(unset.log).not.toMatch(/::group::Module/);
  });

  test("parameters that PowerShell's binder refuses (a ValidateSet, an empty mandatory value) are refused before anything connects, and no default value runs", async () => {
    fs.writeFileSync(
      path.join(job.workspace, 'set.ps1'),
      [
        "param([Parameter(Mandatory)][ValidateSet('User', 'Shared')][string] $Type,",
        '  [string] $Org = $(Get-EXOMailbox -ResultSize 1))',
        '$Type',
      ].join('\n'),
    );
    const outside = await runMain(job, {
      inputs: { ...validInputs(), script: '', 'script-file': 'set.ps1', parameters: '{"Type": "Shard"}' },
    });
    expect(outside.code).toBe(1);
    expect(outside.errors).toEqual([
      expect.stringMatching(
        /^Input 'parameters': PowerShell would not bind them to the script's param\(\) block, so nothing was connected: Cannot validate argument on parameter 'Type'\. The argument "Shard" does not belong to the set "User,Shared"/,
      ),
    ]);
    const empty = await runMain(job, {
      inputs: { ...validInputs(), script: '', 'script-file': 'set.ps1', parameters: '{"Type": ""}' },
    });
    expect(empty.errors).toEqual([
      expect.stringMatching(
        /^Input 'parameters': PowerShell would not bind them .*The argument "" does not belong to the set/,
      ),
    ]);
    // The default value would have called the module before the connect; nothing ran.
    expect(job.commands()).toEqual([]);
    expect(empty.log).not.toMatch(/::group::Module/);
    const inside = await runMain(job, {
      inputs: { ...validInputs(), script: '', 'script-file': 'set.ps1', parameters: '{"Type": "shared"}' },
    });
    expect(inside.code).toBe(0);
    expect(JSON.parse(inside.outputs.result!)).toEqual(['shared']);
  });

  test('a #Requires the PowerShell does not meet (-PSEdition Desktop under pwsh) is refused before anything connects, whatever the preference', async () => {
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: '#Requires -PSEdition Desktop\n"ran"',
        'error-action-preference': 'SilentlyContinue',
      },
    });
    expect(step.code).toBe(1);
    expect(step.errors).toEqual([
      expect.stringMatching(
        /^Input 'script': the script has #Requires -PSEdition Desktop, and this PowerShell is the Core edition, so nothing was connected\./,
      ),
    ]);
    expect(job.commands()).toEqual([]);
    expect(step.log).not.toMatch(/^ran$/m);
  });

  test('a module the script requires besides the Exchange module, missing from the runner, is refused before anything connects, at its line', async () => {
    const step = await runMain(job, {
      inputs: { ...validInputs(), script: '"first"\n#Requires -Modules NotThereModule\n"ran"' },
    });
    expect(step.code).toBe(1);
    expect(step.errors).toContainEqual(
      expect.stringMatching(
        /^Input 'script': line 2 requires the module NotThereModule \(#Requires -Modules\), which is not installed on this runner .*so nothing was connected\. Accepted: install it in an earlier step/,
      ),
    );
    expect(step.errors.join('\n')).not.toMatch(/inline-script\.ps1|runner-temp/);
    expect(job.commands()).toEqual([]);
    expect(step.log).not.toMatch(/^ran$/m);
  });

  test.each([
    [
      "@{ ModuleName = 'ExchangeOnlineManagement'; ModuleVersion = '3.10.0' }",
      'ModuleVersion 3.10.0, the least',
      '3.10.0 or later, or latest',
    ],
    ["@{ ModuleName = 'ExchangeOnlineManagement'; RequiredVersion = '3.8.0' }", 'RequiredVersion 3.8.0', '3.8.0'],
    [
      "@{ ModuleName = 'ExchangeOnlineManagement'; MaximumVersion = '3.5.0' }",
      'MaximumVersion 3.5.0, the most',
      '3.5.0 or earlier',
    ],
    [
      "@{ ModuleName = 'ExchangeOnlineManagement'; MaximumVersion = '2.*' }",
      'MaximumVersion 2.*, the most',
      '2.* or earlier',
    ],
  ])(
    'a #Requires -Modules %s the imported module does not meet is refused before anything connects, at its line, naming module-version',
    async (spec, unmet, wanted) => {
      fs.writeFileSync(path.join(job.workspace, 'requires.ps1'), `param()\n#Requires -Modules ${spec}\n"ran"\n`);
      const step = await runMain(job, { inputs: { ...validInputs(), script: '', 'script-file': 'requires.ps1' } });
      expect(step.code).toBe(1);
      // Annotated at the line, where a pull request shows it, and the step's verdict after it.
      const refusal = `Input 'script-file': line 2 requires ExchangeOnlineManagement ${unmet} (#Requires -Modules), and module-version gave 3.9.0, so nothing was connected. Accepted: module-version ${wanted}; or a #Requires that this version meets.`;
      expect(step.errors).toEqual([refusal, refusal]);
      expect(step.raw).toMatch(
        /^::error title=Script error \(contoso\.onmicrosoft\.com\),file=requires\.ps1,line=2::Input 'script-file'/m,
      );
      expect(job.commands()).toEqual([]);
      expect(step.log).not.toMatch(/^ran$/m);
    },
  );

  test.each([
    ['Import-Module ExchangeOnlineManagement -RequiredVersion 3.8.0', '-RequiredVersion 3.8.0', '3.8.0'],
    [
      "ipmo -Name 'ExchangeOnlineManagement' -MinimumVersion 4.0.0",
      '-MinimumVersion 4.0.0',
      '4.0.0 or later, or latest',
    ],
    [
      'Microsoft.PowerShell.Core\\Import-Module -MaximumVersion 3.5.* ExchangeOnlineManagement',
      '-MaximumVersion 3.5.*',
      '3.5.* or earlier',
    ],
  ])(
    "the script's own %s, a version the imported module is not, is refused before anything connects, at its line",
    async (line, unmet, wanted) => {
      fs.writeFileSync(path.join(job.workspace, 'imports.ps1'), `"start"\n${line}\n"ran"\n`);
      const step = await runMain(job, { inputs: { ...validInputs(), script: '', 'script-file': 'imports.ps1' } });
      expect(step.code).toBe(1);
      const refusal = `Input 'script-file': line 2 imports ExchangeOnlineManagement with ${unmet}, and module-version gave 3.9.0, which the action has imported and connected with, so nothing was connected. Accepted: module-version ${wanted}; or an Import-Module without a version, or none: the module is imported before the script runs.`;
      expect(step.errors).toEqual([refusal, refusal]);
      expect(step.raw).toMatch(
        /^::error title=Script error \(contoso\.onmicrosoft\.com\),file=imports\.ps1,line=2::Input 'script-file'/m,
      );
      expect(job.commands()).toEqual([]);
      expect(step.log).not.toMatch(/^(start|ran)$/m);
    },
  );

  test("the script's own Import-Module of the module runs when the imported version meets it, or names none", async () => {
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        script:
          "Import-Module ExchangeOnlineManagement -MinimumVersion 3.0.0\nImport-Module ExchangeOnlineManagement\n'ran'",
      },
    });
    expect(step.errors).toEqual([]);
    expect(step.log).toMatch(/^ran$/m);
  });

  test('a #Requires -Modules that the imported module meets runs the script', async () => {
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        script:
          "#Requires -Modules @{ ModuleName = 'ExchangeOnlineManagement'; ModuleVersion = '3.0.0' }\n#Requires -Modules @{ ModuleName = 'ExchangeOnlineManagement'; MaximumVersion = '3.*' }\n'ran'",
      },
    });
    expect(step.errors).toEqual([]);
    expect(step.log).toMatch(/^ran$/m);
  });

  test("a script's own transcript holds what it returned, as under pwsh -File, and the log still has it all, in order", async () => {
    const transcript = path.join(job.root, 'own-transcript.txt');
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: [
          `Start-Transcript -LiteralPath '${transcript}' | Out-Null`,
          "'returned line'",
          "'::warning::not a command'",
          'Get-EXOMailbox -ResultSize 1 | Select-Object DisplayName',
          'Stop-Transcript | Out-Null',
          "'after'",
        ].join('\n'),
      },
    });
    expect(step.code).toBe(0);
    expect(step.warnings).toEqual([]);
    const recorded = fs.readFileSync(transcript, 'utf8');
    expect(recorded).toMatch(/^returned line\r?$/m);
    expect(recorded).toMatch(/^: :warning::not a command\r?$/m);
    const log = step.log.split('\n');
    const first = log.indexOf('returned line');
    expect(first).toBeGreaterThan(0);
    expect(log.slice(first, first + 2)).toEqual(['returned line', ': :warning::not a command']);
    expect(log).toContain('Adele Vance');
    expect(log.indexOf('after')).toBeGreaterThan(log.indexOf('Adele Vance'));
  });

  test('a script without a param() block takes no parameters', async () => {
    const main = await runMain(job, { inputs: { ...validInputs(), parameters: '{"Days": 30}' } });
    expect(main.code).toBe(1);
    expect(main.errors[0]).toMatch(/^Input 'parameters': the script has no param\(\) block, so it takes no parameters/);
    expect(job.commands()).toEqual([]);
  });
});

describe('a script-file in an ANSI code page under shell: pwsh', () => {
  test('is warned about before PowerShell starts, naming script-file and saying to save it as UTF-8; UTF-8 without a BOM is not', async () => {
    // Windows-1252 bytes, as an editor that saves in the ANSI code page writes them: 0xFC is 'ü'.
    fs.writeFileSync(path.join(job.workspace, 'ansi.ps1'), Buffer.from("'M\xfcller'\n", 'latin1'));
    fs.writeFileSync(path.join(job.workspace, 'utf8.ps1'), Buffer.from("'M\u00fcller'\n", 'utf8'));
    const ansi = await runMain(job, { inputs: { ...validInputs(), script: '', 'script-file': 'ansi.ps1' } });
    expect(ansi.code).toBe(0);
    const warning = ansi.warnings.find((w) => /not UTF-8/.test(w));
    expect(warning).toMatch(
      /^script-file '.*ansi\.ps1' is not UTF-8 and has no byte-order mark: .*PowerShell 7 \(shell: pwsh\) reads such a file as UTF-8.*Save the file as UTF-8\.$/,
    );
    // Before PowerShell starts: ahead of its first log group.
    expect(ansi.log.indexOf('is not UTF-8')).toBeLessThan(ansi.log.indexOf('::group::Module'));
    // What PowerShell 7 makes of the file, unchanged by the action: the reason for the warning.
    expect(JSON.parse(ansi.outputs.result!)).toEqual(['M\ufffdller']);

    const utf8 = await runMain(job, { inputs: { ...validInputs(), script: '', 'script-file': 'utf8.ps1' } });
    expect(utf8.code).toBe(0);
    expect(utf8.warnings.filter((w) => /UTF-8/.test(w))).toEqual([]);
    expect(JSON.parse(utf8.outputs.result!)).toEqual(['M\u00fcller']);
  });
});

describe('the script runs in a clean scope', () => {
  // Plain, it writes what it saw to EXO_TEST_PROBE_OUT; through the action, it returns it.
  const PROBE = [
    '$probe = [pscustomobject]@{',
    '  Variables = @(Get-Variable | ForEach-Object Name | Sort-Object)',
    '  Functions = @(Get-ChildItem function: | Where-Object { -not $_.ModuleName } | ForEach-Object Name | Sort-Object)',
    '  Modules = @(Get-ChildItem function: | Where-Object { $_.ModuleName } | ForEach-Object ModuleName | Sort-Object -Unique)',
    '  Loaded = @(Get-Module -All | ForEach-Object Name | Sort-Object -Unique)',
    '  Strict = $(try { $null = $notSetAnywhere.Length; "off" } catch { "on" })',
    '  Module = [string]$ExecutionContext.SessionState.Module',
    '  Errors = $Error.Count',
    '  Args = "null: $($null -eq $args), count: $($args.Count)"',
    '}',
    'if ($env:EXO_TEST_PROBE_OUT) { ConvertTo-Json -InputObject $probe -Depth 3 -Compress | Set-Content -LiteralPath $env:EXO_TEST_PROBE_OUT } else { $probe }',
  ].join('\n');

  // An advanced script has no $args of its own: it sees its caller's, as under pwsh -File.
  test.each([
    ['a script', ''],
    ['an advanced script', '[CmdletBinding()]\nparam()\n'],
  ])(
    "%s sees what a plain pwsh -File sees, plus the Exchange module's commands, and nothing of the runner",
    async (_kind, head) => {
      const file = path.join(job.root, 'probe.ps1');
      const out = path.join(job.root, 'probe.json');
      const probe = head + PROBE;
      fs.writeFileSync(file, probe);
      const plain = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', file], {
        encoding: 'utf8',
        env: { ...process.env, EXO_TEST_PROBE_OUT: out },
      });
      expect(plain.stderr).toBe('');
      expect(plain.status).toBe(0);
      const expected = JSON.parse(fs.readFileSync(out, 'utf8')) as { Variables: string[]; Functions: string[] };
      expect(expected.Variables).toContain('PSVersionTable');

      const main = await runMain(job, { inputs: { ...validInputs(), script: probe } });
      expect(main.errors).toEqual([]);
      const [seen] = JSON.parse(main.outputs.result!) as Array<{
        Args: string;
        Variables: string[];
        Functions: string[];
        Modules: string[];
        Loaded: string[];
        Strict: string;
        Module: string;
        Errors: number;
      }>;
      // The launcher's scope has an automatic $args, which PowerShell does not let a script remove:
      // an advanced script lists it, empty ($null), where pwsh -File's global scope has none.
      expect(seen!.Variables.filter((name) => head === '' || name !== 'args')).toEqual(expected.Variables);
      expect(seen!.Args).toBe((expected as unknown as { Args: string }).Args);
      expect(seen!.Functions).toEqual(expected.Functions);
      expect(seen!.Modules.filter((m) => m !== 'ExchangeOnlineManagement' && !m.startsWith('tmpEXO_'))).toEqual([]);
      // Not even listed: a script's Get-Module | Remove-Module cannot reach the runner's module.
      expect(
        seen!.Loaded.filter(
          (m) => m !== 'ExchangeOnlineManagement' && !m.startsWith('tmpEXO_') && !m.startsWith('Microsoft.PowerShell.'),
        ),
      ).toEqual([]);
      // Of PowerShell's own modules, only the two whose cmdlets every run of the runner calls: the
      // others (the transcript's Microsoft.PowerShell.Host, Microsoft.PowerShell.Security) load only
      // in the runs that call them, or when the script does.
      expect(
        seen!.Loaded.filter(
          (m) => m.startsWith('Microsoft.PowerShell.') && !m.startsWith('Microsoft.PowerShell.Commands.'),
        ),
      ).toEqual(['Microsoft.PowerShell.Management', 'Microsoft.PowerShell.Utility']);
      expect(seen!.Strict).toBe('off');
      expect(seen!.Module).toBe('');
      expect(seen!.Errors).toBe(0);
    },
  );

  // PowerShell hands a terminating error to the nearest try in any calling scope: the runner's own
  // must not be one, or Continue and SilentlyContinue would end scripts that a plain pwsh -File runs on.
  test.each([
    ['Continue', '[int]::Parse("x")', ['start', 'after']],
    ['SilentlyContinue', 'throw "boom"', ['start', 'after']],
    ['Continue', 'throw "boom"', ['start']],
    ['Stop', '[int]::Parse("x")', ['start']],
  ])(
    'error-action-preference %s: after %s the script goes on or ends as under a plain pwsh -File',
    async (preference, failing, reached) => {
      const body = ['"start"', failing, '"after"'];
      const file = path.join(job.root, 'terminating.ps1');
      fs.writeFileSync(file, [`$ErrorActionPreference = '${preference}'`, ...body].join('\n'));
      const plain = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', file], { encoding: 'utf8' });
      expect(plain.stdout.split('\n').filter((line) => /^(start|after)$/.test(line.trim()))).toEqual(reached);

      const main = await runMain(job, {
        inputs: {
          ...validInputs(),
          script: body.join('\n'),
          'error-action-preference': preference,
          'fail-on-error': 'false',
        },
      });
      expect(JSON.parse(main.outputs.result!)).toEqual(reached);
      expect(main.code).toBe(reached.length === 2 ? 0 : 1);
    },
  );

  test("variables set only for PowerShell's start reach its start, and are gone before the script runs; the job's own stay", async () => {
    const names = [
      'POWERSHELL_TELEMETRY_OPTOUT',
      'POWERSHELL_UPDATECHECK',
      'DOTNET_GCgen0size',
      'DOTNET_STARTUP_HOOKS',
    ];
    const script = [
      `@(${names.map((n) => `'${n}'`).join(', ')}) | ForEach-Object { if ([Environment]::GetEnvironmentVariables().Contains($_)) { "$_=" + [Environment]::GetEnvironmentVariable($_) } else { "$_ unset" } }`,
      // What the process was started with (Linux keeps it in /proc, whatever changed since).
      '([IO.File]::ReadAllText("/proc/$PID/environ") -split [char]0) -match \'^(POWERSHELL_(TELEMETRY_OPTOUT|UPDATECHECK)|DOTNET_(GCgen0size|STARTUP_HOOKS))=\' | Sort-Object',
      // And what a process the script starts gets.
      "\"child: \" + ((sh -c env) -match '^(POWERSHELL_(TELEMETRY_OPTOUT|UPDATECHECK)|DOTNET_(GCgen0size|STARTUP_HOOKS))=' -join ',')",
    ].join('\n');
    const main = await runMain(job, { inputs: { ...validInputs(), script }, env: { POWERSHELL_UPDATECHECK: 'LTS' } });
    expect(main.errors).toEqual([]);
    expect(JSON.parse(main.outputs.result!)).toEqual([
      'POWERSHELL_TELEMETRY_OPTOUT unset',
      'POWERSHELL_UPDATECHECK=LTS',
      'DOTNET_GCgen0size unset',
      'DOTNET_STARTUP_HOOKS unset',
      // /proc: what PowerShell was started with. No DOTNET_GCgen0size: the collector keeps its own budget.
      // The runner's library as .NET's startup hook, which parses the runner's module as PowerShell starts.
      `DOTNET_STARTUP_HOOKS=${path.join(ROOT, 'dist', 'ps', 'ExoConnectRunner', 'bin', 'ExoConnectRunner.Native.dll')}`,
      'POWERSHELL_TELEMETRY_OPTOUT=1',
      'POWERSHELL_UPDATECHECK=LTS',
      'child: POWERSHELL_UPDATECHECK=LTS',
    ]);
  });

  test("PowerShell's JIT start-up profile: the action's own is played back and not written again; another's is recorded anew", async () => {
    const cache = path.join(job.root, 'cache');
    const profile = path.join(cache, 'powershell', 'StartupProfileData-NonInteractive');
    const script = [
      // What the process was started with (Linux keeps it in /proc), and what the script sees.
      '"started: " + (@(([IO.File]::ReadAllText("/proc/$PID/environ") -split [char]0) -match \'^DOTNET_MultiCoreJitNoProfileGather=\') -join \',\')',
      '"script: " + [Environment]::GetEnvironmentVariable("DOTNET_MultiCoreJitNoProfileGather")',
    ].join('\n');
    const run = async (): Promise<unknown> => {
      const step = await runMain(job, { inputs: { ...validInputs(), script }, env: { XDG_CACHE_HOME: cache } });
      expect(step.errors).toEqual([]);
      return JSON.parse(step.outputs.result!);
    };
    const recorded = ['started: ', 'script: '];
    // None there: PowerShell records one as it exits.
    expect(await run()).toEqual(recorded);
    const own = fs.readFileSync(profile);
    expect(own.length).toBeGreaterThan(1000);
    const ownAt = fs.statSync(profile).mtimeMs;
    // The action's own: played back, not written again.
    expect(await run()).toEqual(['started: DOTNET_MultiCoreJitNoProfileGather=1', 'script: ']);
    expect(fs.statSync(profile).mtimeMs).toBe(ownAt);
    expect(fs.readFileSync(profile).equals(own)).toBe(true);
    // Another PowerShell step wrote its own: the action records its own again.
    const other = spawnSync(
      pwsh,
      ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', 'Get-ChildItem -LiteralPath $PSHOME | Out-Null'],
      {
        env: { ...process.env, XDG_CACHE_HOME: cache },
      },
    );
    expect(other.status).toBe(0);
    const others = fs.readFileSync(profile);
    expect(others.equals(own)).toBe(false);
    expect(await run()).toEqual(recorded);
    expect(fs.readFileSync(profile).equals(others)).toBe(false);
    expect(await run()).toEqual(['started: DOTNET_MultiCoreJitNoProfileGather=1', 'script: ']);
  });

  test('no secret is left in the variables or error records the script can reach, after a retried connect too', async () => {
    const token = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ exp: 4102444800, roles: ['Exchange.ManageAsApp'] })).toString('base64url')}.c2VjcmV0LXNpZ25hdHVyZQ`;
    const main = await runMain(job, {
      inputs: {
        organization: 'contoso.onmicrosoft.com',
        'access-token': token,
        'connect-retries': '1',
        script: [
          '$seen = @($Error | ForEach-Object { $_; $_.InvocationInfo.BoundParameters.Values; $_.InvocationInfo.BoundParameters.Values | Where-Object { $_ -is [hashtable] } | ForEach-Object { $_.Values } })',
          '$seen += Get-Variable | ForEach-Object { $_.Value }',
          '($seen | Out-String -Width 100000) -replace "\\s+", ""',
        ].join('\n'),
      },
      env: { EXO_SANDBOX_FAULTS: 'connect-throttle:1' },
    });
    expect(main.errors).toEqual([]);
    expect(job.commands().filter((c) => c === 'Connect-ExchangeOnline')).toHaveLength(2);
    const [dump] = JSON.parse(main.outputs.result!) as string[];
    expect(dump!.length).toBeGreaterThan(1000);
    expect(dump).not.toContain(token);
    expect(dump).not.toContain('c2VjcmV0LXNpZ25hdHVyZQ');
  });
});

describe('$host.SetShouldExit sets the exit code as under a plain pwsh -File', () => {
  test.each([
    ['and ends without an exit of its own: the step ends with what it asked for', '', 7],
    ['and then calls exit 2: the exit wins', '\nexit 2', 2],
  ])('a script that calls it %s, and the teardown runs', async (_what, after, code) => {
    const script = `$host.SetShouldExit(7)\n"after"${after}`;
    const file = path.join(job.root, 'should-exit.ps1');
    fs.writeFileSync(file, script);
    const plain = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', file], { encoding: 'utf8' });
    expect([plain.status, plain.stdout.trim()]).toEqual([code, 'after']);

    const main = await runMain(job, { inputs: { ...validInputs(), script } });
    expect(main.code).toBe(1); // the step failed; exit-code has the script's
    expect(main.outputs['exit-code']).toBe(String(code));
    expect(JSON.parse(main.outputs.result!)).toEqual(['after']);
    expect(main.errors).toEqual([
      code === 7
        ? 'The script (contoso.onmicrosoft.com) ended with exit code 7: the script called $host.SetShouldExit(7) and ended with no exit N other than 0 after it, so the step takes 7, as a plain pwsh -File does for a script that ends without an exit (an exit 0 after it looks the same to the step).\nHint: If the script did not fail, call $host.SetShouldExit(0) before it ends (the last call counts), or remove the call that set this code. An exit 0 after it does not replace it here, as the step cannot tell it from no exit at all.'
        : expect.stringMatching(
            /^The script \(contoso\.onmicrosoft\.com\) ended with exit 2, so the step fails with exit code 2, as under GitHub's shell: pwsh\.\nHint: The script chose this exit code itself\./,
          ),
    ]);
    expect(job.commands().slice(-2)).toEqual(CHECKED_DISCONNECT);
    expect(job.state.clean).toBe('true');
  });
});

describe('a teardown the script cannot break', () => {
  test.each([
    [
      'redefines the commands the teardown uses',
      'function global:Disconnect-ExchangeOnline { "fake" }\nfunction global:Get-ConnectionInformation { }',
    ],
    ['removes the module', 'Remove-Module ExchangeOnlineManagement'],
    [
      'sets the global preferences and strict mode',
      '$global:ErrorActionPreference = "SilentlyContinue"\n$global:WhatIfPreference = $true\n$global:ConfirmPreference = "Low"\n$global:VerbosePreference = "Inquire"\nSet-StrictMode -Version Latest',
    ],
    ['changes the location to another provider', 'Set-Location Env:'],
    [
      "sets a default for the disconnect's ConnectionId",
      "$PSDefaultParameterValues['Disconnect-ExchangeOnline:ConnectionId'] = 'wrong'",
    ],
    ['calls exit', 'exit 0'],
  ])('when the script %s', async (_what, script) => {
    const main = await runMain(job, {
      inputs: { ...validInputs(), script: `Get-Mailbox -ResultSize 1 | Out-Null\n${script}\n"after"` },
    });
    expect(main.errors).toEqual([]);
    expect(main.code).toBe(0);
    expect(job.commands().slice(-2)).toEqual(CHECKED_DISCONNECT);
    // The runner's own parameters only: ErrorAction Stop (1), the other preferences at their defaults
    // (WarningAction Continue, 2; InformationAction and ProgressAction SilentlyContinue, 0), and no
    // ConnectionId from the script's defaults.
    expect(job.calls().at(-2)!.parameters).toEqual({
      Confirm: false,
      WhatIf: false,
      ErrorAction: 1,
      Verbose: false,
      Debug: false,
      WarningAction: 2,
      InformationAction: 0,
      ProgressAction: 0,
    });
    expect(main.log).toMatch(/::group::Teardown\nteardown took \d+ ms\n::endgroup::/);
    expect(job.state.clean).toBe('true');
  });

  test('exchange-server: a global Remove-PSSession does not keep the session open', async () => {
    const main = await runMain(job, {
      inputs: {
        ...server.inputs,
        script: 'function global:Remove-PSSession { "fake" }\nfunction global:Get-PSSession { }',
      },
      env: server.env,
    });
    expect(main.errors).toEqual([]);
    // The checked removal, then the teardown's look for sessions the script left.
    expect(job.commands().slice(-3)).toEqual([...CHECKED_REMOVAL, 'Get-PSSession']);
    expect(serverSessions()).toEqual([]);
    expect(job.state.clean).toBe('true');
  });

  test('a disconnect that leaves the connection is not recorded as one, and post steps in', async () => {
    const main = await runMain(job, {
      inputs: { ...validInputs(), script: '"work"' },
      env: { EXO_SANDBOX_FAULTS: 'disconnect-noop' },
    });
    expect(main.code).toBe(0);
    expect(main.log).toContain("WARNING: Disconnect failed; the action's warning after the run says why.");
    expect(main.warnings).toEqual([
      expect.stringMatching(
        /^The disconnect \(contoso\.onmicrosoft\.com\) failed: Disconnect-ExchangeOnline returned, yet Get-ConnectionInformation still lists these connections: [0-9a-f-]{36}\. Exchange Online keeps no session for a REST connection: it ended with the PowerShell process, and the access token it used expires on its own within 60 to 90 minutes\.$/,
      ),
    ]);
    expect(job.state.clean).toBe('false');
    const post = await runPost(job);
    expect(post.code).toBe(0);
    expect(post.log).toMatch(/The connection to contoso.onmicrosoft.com ended with its PowerShell process/);
  });

  test.each([
    ['[Environment]::Exit(0)', 'exited with code 0'],
    ['Stop-Process -Id $PID', 'was ended by SIGKILL'],
  ])(
    'a script that ends PowerShell with %s fails the step, and post removes the server session',
    async (ender, how) => {
      const main = await runMain(job, { inputs: { ...server.inputs, script: `"started"\n${ender}` }, env: server.env });
      expect(main.code).toBe(1);
      expect(main.errors).toEqual([
        `PowerShell (mail01.contoso.com) ${how} before the script finished and before its teardown, so the runner could not disconnect; the post step removes what is left.\nHint: A script that calls [Environment]::Exit or Stop-Process -Id $PID ends PowerShell itself, and the teardown with it; exit N ends only the script.`,
      ]);
      expect(serverSessions()).toHaveLength(1);
      expect(job.state.clean).toBe('false');
      const post = await runPost(job, { env: server.env });
      expect(post.code).toBe(0);
      expect(post.warnings.filter((w) => !w.startsWith('EXO_CONNECT_ACTION_TEST_PLATFORM is set'))).toEqual([]);
      expect(post.log).toMatch(/Removed 1 server-side session with InstanceId/);
      expect(serverSessions()).toEqual([]);
    },
  );
});
