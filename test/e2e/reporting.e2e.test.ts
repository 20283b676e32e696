// result-file, true counts, the what-if plan and two workloads, through dist/ against the sandbox.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKED_DISCONNECT, Job, ROOT, runMain, runPost } from '../support/action.js';
import { validInputs } from '../support/invalid-inputs.js';

let job: Job;
beforeEach(() => (job = new Job()));
afterEach(() => job.cleanup());

const MANY = `1..2500 | ForEach-Object { [pscustomobject]@{ Id = $_; Name = "mailbox $_"; Note = 'a, "quoted" value'; Tags = @('x', $_) } }`;

describe('result-file and result-count', () => {
  test('csv: every object, RFC 4180, nested values as JSON, parent folders made, no BOM; result holds 1,000 and says so once', async () => {
    const step = await runMain(job, { inputs: { ...validInputs(), script: MANY, 'result-file': 'out/deep/all.csv' } });
    expect(step.code).toBe(0);
    const file = path.join(job.workspace, 'out', 'deep', 'all.csv');
    expect(step.outputs['result-file']).toBe(file);
    expect(step.outputs['result-count']).toBe('2500');
    expect(JSON.parse(step.outputs.result!)).toHaveLength(1000);
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 3).toString('hex')).not.toBe('efbbbf');
    const lines = bytes.toString('utf8').split('\r\n');
    expect(lines[0]).toBe('Id,Name,Note,Tags');
    expect(lines[1]).toBe('1,mailbox 1,"a, ""quoted"" value","[""x"",1]"');
    expect(lines).toHaveLength(2502); // header, 2,500 rows, and the final line end
    // The file holds every object: a line in the log, not a warning annotation on every run.
    expect(step.warnings.filter((w) => /result holds/.test(w))).toEqual([]);
    expect(step.log.split('\n').filter((l) => /result holds/.test(l))).toEqual([
      'result holds 1,000 of 2,500 objects: it keeps at most the first 1,000. Every object is in result-file (' +
        file +
        '); result-count has the full count.',
    ]);
    expect(step.summary).toMatch(/2,450 more rows \(2,500 in all\)/);
  });

  test('without result-file the warning names the input', async () => {
    const step = await runMain(job, { inputs: { ...validInputs(), script: MANY } });
    expect(step.outputs['result-count']).toBe('2500');
    expect(step.outputs['result-file']).toBe('');
    expect(step.warnings.filter((w) => /result holds/.test(w))).toHaveLength(1);
    expect(step.warnings.join('\n')).toMatch(/result holds 1,000 of 2,500 objects.*Set the result-file input/);
  });

  test("objects too large for one output: the warning gives GitHub's size limit as the reason", async () => {
    const script = `1..300 | ForEach-Object { [pscustomobject]@{ Id = $_; Text = 'x' * 5000 } }`;
    const step = await runMain(job, { inputs: { ...validInputs(), script } });
    expect(step.outputs['result-count']).toBe('300');
    const kept = (JSON.parse(step.outputs.result!) as unknown[]).length;
    expect(kept).toBeGreaterThan(150);
    expect(kept).toBeLessThan(300);
    expect(step.warnings.filter((w) => /result holds/.test(w))).toEqual([
      expect.stringMatching(new RegExp(`^result holds ${kept} of 300 objects: its JSON would exceed GitHub's limit`)),
    ]);
  });

  test('jsonl and json: one compact object a line, or one array; an existing file is replaced; Format-Table output is not data', async () => {
    fs.writeFileSync(path.join(job.workspace, 'all.jsonl'), 'old content that must go\n');
    const script = `1..3 | ForEach-Object { [pscustomobject]@{ Id = $_; Deep = @{ a = @{ b = $_ } } } }; Get-Process -Id $PID | Format-Table Id`;
    const jsonl = await runMain(job, { inputs: { ...validInputs(), script, 'result-file': 'all.jsonl' } });
    expect(jsonl.outputs['result-count']).toBe('3');
    const lines = fs.readFileSync(path.join(job.workspace, 'all.jsonl'), 'utf8').split('\n');
    expect(lines).toEqual([
      '{"Id":1,"Deep":{"a":{"b":1}}}',
      '{"Id":2,"Deep":{"a":{"b":2}}}',
      '{"Id":3,"Deep":{"a":{"b":3}}}',
      '',
    ]);
    const json = await runMain(job, {
      inputs: { ...validInputs(), script, 'result-file': 'all.json', 'result-depth': '1' },
    });
    const parsed = JSON.parse(fs.readFileSync(path.join(job.workspace, 'all.json'), 'utf8')) as Array<{
      Deep: unknown;
    }>;
    expect(parsed).toHaveLength(3);
    expect(typeof parsed[0]!.Deep).toBe('object'); // depth 1: the nested level is flattened to text below it
    expect(json.outputs['result-count']).toBe('3');
  });

  test('result-depth nests values as deep in result, .jsonl and .csv', async () => {
    const script = `[pscustomobject]@{ Id = 1; Deep = [ordered]@{ a = [ordered]@{ b = [ordered]@{ c = 1 } } } }`;
    const cut = '{"a":{"b":"System.Collections.Specialized.OrderedDictionary"}}';
    const inputs = { ...validInputs(), script, 'result-depth': '2' };
    const jsonl = await runMain(job, { inputs: { ...inputs, 'result-file': 'deep.jsonl' } });
    expect(fs.readFileSync(path.join(job.workspace, 'deep.jsonl'), 'utf8')).toBe(`{"Id":1,"Deep":${cut}}\n`);
    expect(jsonl.outputs.result).toBe(`[{"Id":1,"Deep":${cut}}]`);
    await runMain(job, { inputs: { ...inputs, 'result-file': 'deep.csv' } });
    expect(fs.readFileSync(path.join(job.workspace, 'deep.csv'), 'utf8')).toBe(
      `Id,Deep\r\n1,"${cut.replace(/"/g, '""')}"\r\n`,
    );
  });

  test('the log shows the first 20 objects and one line for the rest; host, native, warning and error output all still reach it', async () => {
    const native = `& '${process.execPath}' -e "process.stderr.write('native on stderr\\n'); console.log('native on stdout')"`;
    const script = [
      `Write-Host 'host line before'`,
      `1..2500 | ForEach-Object { "row $_" }`,
      native,
      `Write-Warning 'a warning after the rows'`,
      `Write-Host 'host line after'`,
      `Write-Error 'an error after the rows'`,
    ].join('\n');
    const step = await runMain(job, { inputs: { ...validInputs(), script, 'result-file': 'rows.jsonl' } });
    // The default error-action-preference, Stop, ends the script at its error, and the step fails.
    expect(step.code).toBe(1);
    expect(step.errors).toContain('an error after the rows');
    const file = path.join(job.workspace, 'rows.jsonl');
    const log = step.log.split('\n');
    expect(log.filter((l) => /^row \d+$/.test(l))).toEqual(Array.from({ length: 20 }, (_, i) => `row ${i + 1}`));
    expect(log).toContain(`… and 2,480 more objects, written to ${file} (result-file)`);
    for (const line of ['host line before', 'native on stderr', 'native on stdout', 'host line after'])
      expect(log).toContain(line);
    expect(step.log).toMatch(/a warning after the rows/);
    // Nothing lost in the file.
    const rows = fs.readFileSync(file, 'utf8').split('\n');
    expect(rows).toHaveLength(2501);
    expect(rows[0]).toBe('"row 1"');
    expect(rows[2499]).toBe('"row 2500"');
    expect(step.outputs['result-count']).toBe('2500');
  });

  test('a string longer than result keeps is cut there with a marker, and a warning says so; result-file holds it whole', async () => {
    const script = `"short"; 'x' * 5MB`;
    const alone = await runMain(job, { inputs: { ...validInputs(), script } });
    expect(alone.code).toBe(0);
    const kept = JSON.parse(alone.outputs.result!) as string[];
    expect(kept[1]).toBe(`${'x'.repeat(100000)} [cut: ${5 * 1024 * 1024 - 100000} more characters]`);
    expect(alone.warnings).toContainEqual(
      expect.stringMatching(
        /^result holds 1 string that the script returned cut at 100,000 characters, .*Set the result-file input/,
      ),
    );
    const withFile = await runMain(job, { inputs: { ...validInputs(), script, 'result-file': 'long.jsonl' } });
    expect(withFile.warnings.join('\n')).not.toMatch(/cut at/);
    expect(withFile.log).toMatch(/^result holds 1 string .* holds every string whole\.$/m);
    const lines = fs.readFileSync(path.join(job.workspace, 'long.jsonl'), 'utf8').split('\n');
    expect(lines[1]).toBe(JSON.stringify('x'.repeat(5 * 1024 * 1024)));
  });

  test('a value nested deeper than result-depth is written as its type name, and a warning says so', async () => {
    const script = '@{ A = @{ B = @{ C = 1 } } }';
    const shallow = await runMain(job, { inputs: { ...validInputs(), script, 'result-depth': '1' } });
    expect(JSON.parse(shallow.outputs.result!)).toEqual([{ A: { B: 'System.Collections.Hashtable' } }]);
    expect(shallow.warnings).toContainEqual(
      expect.stringMatching(/^result holds objects nested deeper than result-depth \(1\)/),
    );
    const deep = await runMain(job, { inputs: { ...validInputs(), script, 'result-depth': '3' } });
    expect(JSON.parse(deep.outputs.result!)).toEqual([{ A: { B: { C: 1 } } }]);
    expect(deep.warnings.join('\n')).not.toMatch(/nested deeper/);
  });

  test('without result-file every object is in the log, as before', async () => {
    const step = await runMain(job, { inputs: { ...validInputs(), script: `1..30 | ForEach-Object { "row $_" }` } });
    expect(step.log.split('\n').filter((l) => /^row \d+$/.test(l))).toHaveLength(30);
    expect(step.log).not.toMatch(/more objects/);
  });

  test('an object JSON cannot hold (Group-Object -AsHashTable) stops nothing: the script runs on; result leaves it out and result-file holds its text, each with a warning that says why', async () => {
    const script = [
      '$byHidden = Get-Mailbox -ResultSize 5 | Group-Object HiddenFromAddressListsEnabled -AsHashTable',
      '$byHidden',
      "Set-Mailbox -Identity adele -Department 'Reviewed'",
      "'finished'",
    ].join('\n');
    for (const resultFile of [null, 'groups.jsonl']) {
      const step = await runMain(job, {
        inputs: { ...validInputs(), script, ...(resultFile === null ? {} : { 'result-file': resultFile }) },
      });
      expect(step.code).toBe(0);
      expect(step.errors).toEqual([]);
      expect(
        job
          .calls()
          .filter((c) => c.command === 'Set-Mailbox')
          .pop()?.applied,
      ).toBe(true);
      expect(step.outputs).toMatchObject({ result: '["finished"]', 'result-count': '2' });
      expect(step.warnings).toContain(
        "result leaves out 1 of the 2 objects: JSON cannot represent it (The type 'System.Collections.Hashtable' is not supported for serialization or deserialization of a dictionary. Keys must be strings.). ConvertTo-Json refuses them too: return such objects converted (a hashtable's keys as strings; Group-Object -AsHashTable -AsString does that), or select the properties you need.",
      );
      if (resultFile !== null) {
        expect(fs.readFileSync(path.join(job.workspace, resultFile), 'utf8')).toBe(
          '"System.Collections.Hashtable"\n"finished"\n',
        );
        expect(step.warnings.join('\n')).toMatch(
          /^result-file holds 1 object as its text: JSON cannot represent it \(.*Keys must be strings\.\)/m,
        );
      }
    }
  });

  test("mixed shapes into csv: the first object's columns and one warning naming what was left out; nothing dropped", async () => {
    const script = `[pscustomobject]@{ A = 1; B = 2 }; [pscustomobject]@{ A = 3; C = 4 }; [pscustomobject]@{ D = 5 }`;
    const step = await runMain(job, { inputs: { ...validInputs(), script, 'result-file': 'mixed.csv' } });
    expect(fs.readFileSync(path.join(job.workspace, 'mixed.csv'), 'utf8')).toBe('A,B\r\n1,2\r\n3,\r\n,\r\n');
    expect(step.warnings.filter((w) => /left out/.test(w))).toEqual([
      expect.stringMatching(/later objects had other properties, left out of the file: C, D\./),
    ]);
    expect(step.outputs['result-count']).toBe('3');
  });
});

describe('result-file when PowerShell is ended by a signal', () => {
  test('SIGTERM, which PowerShell does not turn into an exit of its own: the file holds every object returned before it', async () => {
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        script:
          '1..3 | ForEach-Object { [pscustomobject]@{ N = $_ } }; & /bin/kill -TERM $PID; Start-Sleep -Seconds 30',
        'result-file': 'objects.jsonl',
      },
    });
    expect(step.errors.join('\n')).toMatch(
      /PowerShell \(contoso\.onmicrosoft\.com\) was ended by SIGTERM before the script finished/,
    );
    const file = path.join(job.workspace, 'objects.jsonl');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"N":1}\n{"N":2}\n{"N":3}\n');
    expect(step.warnings.join('\n')).toMatch(/holds the objects returned until PowerShell ended/);
    expect(step.outputs['result-file']).toBe(file);
  });
});

describe("an earlier run's result-file", () => {
  const STALE = 'DisplayName,Tenant\r\nAdele Vance,fabrikam.onmicrosoft.com\r\n';
  const inputs = {
    ...validInputs(),
    script: 'Get-EXOMailbox -ResultSize 2 | Select-Object DisplayName, PrimarySmtpAddress',
    'result-file': 'reports/mailboxes.csv',
  };
  function earlierRun(): string {
    const file = path.join(job.workspace, 'reports', 'mailboxes.csv');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, STALE);
    return file;
  }

  test('is removed before the connect: a run that fails there leaves no file, and an empty result-file output', async () => {
    const file = earlierRun();
    const step = await runMain(job, { inputs, env: { EXO_SANDBOX_FAULTS: 'connect-auth' } });
    expect(step.code).toBe(1);
    expect(fs.existsSync(file)).toBe(false);
    expect(step.outputs['result-file']).toBe('');
    expect(step.log).toContain(
      `result-file: removed ${file}, left by an earlier run; this run writes it when its script starts.`,
    );
    // Removed before anything connected: the log line comes before the Connect group.
    expect(step.log.indexOf('result-file: removed')).toBeLessThan(step.log.indexOf('::group::Connect'));
  });

  test('is removed when the module fails to load, before PowerShell connects anything', async () => {
    const file = earlierRun();
    const empty = path.join(job.root, 'no-modules');
    fs.mkdirSync(empty);
    const step = await runMain(job, {
      inputs: { ...inputs, 'module-version': 'installed' },
      env: { PSModulePath: empty },
    });
    expect(step.code).toBe(1);
    expect(fs.existsSync(file)).toBe(false);
    expect(step.outputs).toMatchObject({ result: '[]', 'result-count': '' });
  });

  // Windows lets only an administrator or developer mode make symbolic links.
  (process.platform === 'win32' ? test.skip : test)(
    'a symbolic link at the path is removed itself; the file it points to, outside the workspace, is left as it was',
    async () => {
      const outside = path.join(job.root, 'outside.csv');
      fs.writeFileSync(outside, STALE);
      fs.mkdirSync(path.join(job.workspace, 'reports'));
      const link = path.join(job.workspace, 'reports', 'mailboxes.csv');
      fs.symlinkSync(outside, link);
      const step = await runMain(job, { inputs });
      expect(step.code).toBe(0);
      expect(fs.readFileSync(outside, 'utf8')).toBe(STALE);
      // This run's objects, in a file of its own where the link was.
      expect(fs.lstatSync(link).isFile()).toBe(true);
      expect(fs.readFileSync(link, 'utf8')).toMatch(/^DisplayName,/);
      expect(step.outputs['result-file']).toBe(link);
    },
  );
});

describe('the summary shows what result holds', () => {
  test('integers beyond 2^53 exactly as in result, not rounded to the nearest double', async () => {
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: `9007199254740995, 9007199254740997, 9007199254740999 | ForEach-Object { [pscustomobject]@{ Id = [long]$_ } }`,
      },
    });
    expect(step.code).toBe(0);
    expect(step.outputs.result).toBe('[{"Id":9007199254740995},{"Id":9007199254740997},{"Id":9007199254740999}]');
    const cells = [...step.summary.matchAll(/<td>(900719925474\d+)<\/td>/g)].map((m) => m[1]);
    expect(cells).toEqual(['9007199254740995', '9007199254740997', '9007199254740999']);
  });

  test('a script that ran to its end and returned nothing says so; result is [] and result-count 0', async () => {
    const step = await runMain(job, { inputs: { ...validInputs(), script: "Write-Host 'nothing matched'" } });
    expect(step.code).toBe(0);
    expect(step.outputs).toMatchObject({ result: '[]', 'result-count': '0' });
    expect(step.summary).toContain('<p>The script returned no objects.</p>');
    expect(step.summary).not.toContain('Returned objects');
  });
});

test('a result.json left empty or cut short (PowerShell ended while it was written) is no result: result stays a JSON array', async () => {
  // The script stands in for a PowerShell killed halfway through writing the file: it leaves one
  // empty where the runner writes it, then ends PowerShell before the runner gets there.
  const step = await runMain(job, {
    inputs: {
      ...validInputs(),
      script:
        '"a"; [IO.File]::WriteAllText((Join-Path $env:TMPDIR ../result.json), \'[{"cut":\'); [Environment]::Exit(0)',
    },
  });
  expect(step.code).toBe(1);
  expect(JSON.parse(step.outputs.result!)).toEqual([]);
  expect(step.outputs['result-count']).toBe('');
  expect(step.warnings).toContainEqual(expect.stringMatching(/^result-count is empty: PowerShell ended/));
});

describe("the action's own lines after PowerShell", () => {
  test('a script that leaves a line unfinished and ends PowerShell itself: every annotation of the action still starts a line', async () => {
    const step = await runMain(job, {
      inputs: { ...validInputs(), script: "[Console]::Out.Write('no newline here'); [Environment]::Exit(3)" },
    });
    expect(step.code).toBe(1);
    expect(step.outputs['exit-code']).toBe('3');
    // The runner reads a workflow command only at the start of a line.
    expect(step.log).toMatch(/^no newline here$/m);
    expect(step.errors.join('\n')).toMatch(
      /^PowerShell \(contoso\.onmicrosoft\.com\) exited with code 3 before the script finished/,
    );
    expect(step.warnings).toContainEqual(expect.stringMatching(/^result-count is empty: PowerShell ended/));
    expect(step.log).not.toMatch(/no newline here::/);
    // The Script group PowerShell opened, and never closed, is closed before the action's own lines.
    const afterScript = step.raw.slice(step.raw.indexOf('::group::Script'));
    expect(afterScript.indexOf('::endgroup::')).toBeGreaterThan(-1);
    expect(afterScript.indexOf('::endgroup::')).toBeLessThan(afterScript.indexOf('::error'));
  });

  test('the same with a process it started left running: the warning about that process starts a line too', async () => {
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: "sh -c 'sleep 120 >/dev/null 2>&1 &'; [Console]::Out.Write('no newline here'); [Environment]::Exit(3)",
      },
    });
    expect(step.outputs['exit-code']).toBe('3');
    expect(step.log).toMatch(/^no newline here$/m);
    expect(step.warnings).toContainEqual(
      expect.stringMatching(/^PowerShell exited and left 1 process it had started still running; it was ended/),
    );
    expect(step.log).not.toMatch(/no newline here::/);
  });
});

describe('the what-if plan', () => {
  test("every What if line, in order, in the log, the summary and the plan output, from module cmdlets and the script's own functions", async () => {
    const script = [
      'function Set-Thing { [CmdletBinding(SupportsShouldProcess)] param([string] $Name) if ($PSCmdlet.ShouldProcess($Name, "Set-Thing")) { "changed $Name" } }',
      "New-TransportRule -Name 'External sender banner' -PrependSubject '[EXTERNAL] '",
      'Set-Thing -Name widget',
      'Set-Mailbox -Identity adele -Department Sales',
    ].join('\n');
    const step = await runMain(job, { inputs: { ...validInputs(), script, 'what-if': 'true' } });
    expect(step.code).toBe(0);
    const plan = [
      'What if: Performing the operation "New-TransportRule" on target "External sender banner".',
      'What if: Performing the operation "Set-Thing" on target "widget".',
      'What if: Performing the operation "Set-Mailbox" on target "adele".',
    ];
    expect(step.outputs.plan).toBe(plan.join('\n'));
    for (const line of plan) expect(step.log).toContain(line);
    expect(step.summary).toContain('<h4>Plan</h4>');
    expect(step.summary).toContain('3 changes would be made:');
    expect(step.summary).toContain(
      'What if: Performing the operation &quot;Set-Thing&quot; on target &quot;widget&quot;.',
    );
    expect(job.calls().filter((c) => c.applied === true)).toEqual([]);
  });

  test('a what-if run that changes nothing has an empty plan and says so', async () => {
    const step = await runMain(job, {
      inputs: { ...validInputs(), script: 'Get-EXOMailbox -ResultSize 1', 'what-if': 'true' },
    });
    expect(step.outputs.plan).toBe('');
    expect(step.summary).toContain('The what-if run reported no change');
  });

  test('a what-if plan holds only the changes: not a "What if:" string the script returns, also when the script names Start-Transcript', async () => {
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: [
          '# Start-Transcript is named here, in a comment only.',
          '\'What if: Performing the operation "Remove-Mailbox" on target "returned-string".\'',
          'Set-Mailbox -Identity adele -Department Sales',
        ].join('\n'),
        'what-if': 'true',
      },
    });
    expect(step.code).toBe(0);
    expect(step.outputs.plan).toBe('What if: Performing the operation "Set-Mailbox" on target "adele".');
    expect(step.log).toContain('What if: Performing the operation "Remove-Mailbox" on target "returned-string".');
  });

  test("a script's own Stop-Transcript: the plan stays whole when it stops one it never started; stopping the plan's own is said, never 'no change'", async () => {
    const changes = ['Set-Mailbox -Identity adele -Department Sales', 'Set-Mailbox -Identity alex -Department Sales'];
    const defensive = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: ['try { Stop-Transcript -WhatIf:$false | Out-Null } catch { }', ...changes].join('\n'),
        'what-if': 'true',
      },
    });
    expect(defensive.code).toBe(0);
    expect(defensive.outputs.plan).toBe(
      [
        'What if: Performing the operation "Set-Mailbox" on target "adele".',
        'What if: Performing the operation "Set-Mailbox" on target "alex".',
      ].join('\n'),
    );
    expect(defensive.warnings.join('\n')).not.toMatch(/plan output is incomplete/);
    const twice = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: [
          changes[0],
          'Stop-Transcript -WhatIf:$false | Out-Null',
          'Stop-Transcript -WhatIf:$false | Out-Null',
          changes[1],
        ].join('\n'),
        'what-if': 'true',
      },
    });
    expect(twice.code).toBe(0);
    expect(twice.outputs.plan).toBe('What if: Performing the operation "Set-Mailbox" on target "adele".');
    expect(twice.warnings).toContainEqual(
      expect.stringMatching(/^The plan output is incomplete: the script stopped the transcript/),
    );
    expect(twice.summary).toContain('<p><strong>The plan is incomplete:</strong> the script stopped the transcript');
    expect(twice.summary).not.toContain('would be made');
    expect(job.calls().filter((c) => c.applied === true)).toEqual([]);
  });

  test('a what-if run whose script turns what-if off: a warning that changes were made, and the plan is incomplete', async () => {
    const script = [
      'Set-Mailbox -Identity adele -Department Sales',
      '$global:WhatIfPreference = $false',
      'Set-Mailbox -Identity alex -Department Sales',
    ].join('\n');
    const step = await runMain(job, { inputs: { ...validInputs(), script, 'what-if': 'true' } });
    expect(step.code).toBe(0);
    expect(job.calls().filter((c) => c.applied === true)).toHaveLength(1);
    expect(step.outputs.plan).toBe('What if: Performing the operation "Set-Mailbox" on target "adele".');
    expect(step.warnings).toContainEqual(
      expect.stringMatching(/^The what-if run may have made changes: the script turned what-if off/),
    );
    expect(step.summary).toContain('<p><strong>The plan is incomplete:</strong> the script turned what-if off');
    const kept = await runMain(job, {
      inputs: { ...validInputs(), script: 'Set-Mailbox -Identity adele -Department Sales', 'what-if': 'true' },
    });
    expect(kept.warnings.join('\n')).not.toMatch(/made changes/);
  });

  test('a what-if run whose script fails half way: the summary says the plan is incomplete and where the script failed; the plan output keeps the lines', async () => {
    const script = [
      'Set-Mailbox -Identity adele -Department Sales',
      'Get-Mailbox -Identity nobody-here',
      'Set-Mailbox -Identity alex -Department Sales',
    ].join('\n');
    const step = await runMain(job, { inputs: { ...validInputs(), script, 'what-if': 'true' } });
    expect(step.code).toBe(1);
    expect(step.outputs.plan).toBe('What if: Performing the operation "Set-Mailbox" on target "adele".');
    expect(step.summary).toContain(
      '<p><strong>The plan is incomplete:</strong> the script failed at line 2 of the inline script, so it leaves out what the rest of the script would change.</p>',
    );
    expect(step.summary).toContain('<p>1 change reported before then:</p>');
    expect(step.summary).not.toContain('would be made');
  });

  test("README example 2: its script's plan passes on the pull request and its apply passes on merge, a rule that asks for confirmation removed without a prompt", async () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const example = readme.slice(readme.indexOf('### 2. Plan on the pull request'), readme.indexOf('### 3. '));
    expect(example).toMatch(/pass `-Confirm:\$false` to it/);
    const script = /```powershell\n([\s\S]*?)```/.exec(example)![1]!;
    fs.mkdirSync(path.join(job.workspace, 'exchange'));
    fs.writeFileSync(path.join(job.workspace, 'exchange', 'apply.ps1'), script);
    // The sandbox organization, with a rule the script removes.
    const organization = JSON.parse(fs.readFileSync(path.join(ROOT, 'sandbox', 'organization.json'), 'utf8'));
    organization.transportRules.push({
      ...organization.transportRules[1],
      Name: 'Old external banner',
      Priority: 2,
      Guid: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    });
    const org = path.join(job.root, 'organization.json');
    fs.writeFileSync(org, JSON.stringify(organization));
    const inputs = { ...validInputs(), script: '', 'script-file': 'exchange/apply.ps1' };

    const plan = await runMain(job, { inputs: { ...inputs, 'what-if': 'true' }, env: { EXO_SANDBOX_ORG: org } });
    expect(plan.errors).toEqual([]);
    expect(plan.outputs.plan).toContain(
      'What if: Performing the operation "Remove-TransportRule" on target "Old external banner".',
    );
    expect(job.calls().filter((c) => c.applied === true)).toEqual([]);

    const apply = await runMain(job, { inputs, env: { EXO_SANDBOX_ORG: org } });
    expect(apply.errors).toEqual([]);
    expect(apply.code).toBe(0);
    expect(job.calls().filter((c) => c.command === 'Remove-TransportRule' && c.applied === true)).toHaveLength(1);
  });

  test('delegated-organization is passed to the connect and shown in the settings, the connect title and the summary', async () => {
    const step = await runMain(job, {
      inputs: { ...validInputs(), 'delegated-organization': 'fabrikam.onmicrosoft.com', script: '"ok"' },
    });
    expect(step.code).toBe(0);
    const connect = job.calls().find((c) => c.command === 'Connect-ExchangeOnline')!;
    expect(connect.parameters.DelegatedOrganization).toBe('fabrikam.onmicrosoft.com');
    expect(step.log).toMatch(/^delegated-organization: fabrikam\.onmicrosoft\.com$/m);
    expect(step.log).toMatch(/::group::Connect: .* for fabrikam\.onmicrosoft\.com \(delegated-organization\)/);
    expect(step.summary).toMatch(/<td>Delegated organization<\/td><td>fabrikam\.onmicrosoft\.com<\/td>/);
    // The session works in the customer's tenant: a matrix over customers tells its legs apart by it.
    expect(step.log).toMatch(
      /^Connected to exchange-online with Connect-ExchangeOnline: fabrikam\.onmicrosoft\.com \(connection /m,
    );
    expect(step.outputs.organization).toBe('fabrikam.onmicrosoft.com');
    // The summary keeps the partner's tenant beside the customer's.
    expect(step.summary).toMatch(/<td>Organization<\/td><td>contoso\.onmicrosoft\.com<\/td>/);
  });

  test("a summary that would pass GitHub's 1 MiB limit keeps the facts and the outcome, and says what it left out", async () => {
    const script = [
      'function Set-Thing { [CmdletBinding(SupportsShouldProcess)] param([string] $Name) if ($PSCmdlet.ShouldProcess($Name, "Set-Thing")) { "changed $Name" } }',
      "1..12000 | ForEach-Object { Set-Thing -Name ('R&D mailbox ' + $_ + ' ' + ('&' * 120)) }",
      "[pscustomobject]@{ Id = 1; Note = 'kept' }",
    ].join('\n');
    const step = await runMain(job, { inputs: { ...validInputs(), script, 'what-if': 'true' } });
    expect(step.code).toBe(0);
    expect(Buffer.byteLength(step.summary)).toBeLessThan(1024 * 1024);
    expect(step.summary).toContain('<h3>Exchange PowerShell (contoso.onmicrosoft.com): succeeded</h3>');
    expect(step.summary).toMatch(/<td>Outcome<\/td><td>success<\/td>/);
    expect(step.summary).toContain('This summary leaves out the plan and the returned objects');
    // The count of changes stays; their lines are in the log and, as many as fit, the plan output.
    expect(step.summary).toContain('<h4>Plan</h4>');
    expect(step.summary).toContain('<p>12000 changes would be made.</p>');
    expect(step.summary).not.toContain('R&amp;D mailbox 1 ');
    expect(step.summary).toContain("The step's log has every plan line");
    expect(step.outputs.plan!.split('\n')[0]).toMatch(
      /^What if: Performing the operation "Set-Thing" on target "R&D mailbox 1 &&&/,
    );
  });

  test('an empty plan output without what-if', async () => {
    const step = await runMain(job, { inputs: { ...validInputs(), script: 'Get-EXOMailbox -ResultSize 1' } });
    expect(step.outputs.plan).toBe('');
    expect(step.summary).not.toContain('<h4>Plan</h4>');
  });
});

describe('two workloads in one step', () => {
  const both = { ...validInputs(), target: 'exchange-online, security-compliance' };

  test('both connect with the one certificate, the script sees both sets of cmdlets, each connection is shown, teardown disconnects both', async () => {
    const script =
      '(Get-EXOMailbox -ResultSize 1).DisplayName; (Get-Label | Select-Object -First 1).DisplayName; (Get-RoleGroup | Select-Object -First 1).WorkloadSource';
    const step = await runMain(job, { inputs: { ...both, script } });
    expect(step.code).toBe(0);
    expect(JSON.parse(step.outputs.result!)).toEqual(['Adele Vance', 'Public', 'Security & Compliance']);
    const connects = job.calls().filter((c) => /^Connect-/.test(c.command));
    expect(connects.map((c) => c.command)).toEqual(['Connect-ExchangeOnline', 'Connect-IPPSSession']);
    expect(connects[0]!.parameters.Certificate).toEqual(connects[1]!.parameters.Certificate);
    expect(step.log).toMatch(
      /^connection-uri \(exchange-online\): https:\/\/outlook\.office365\.com\/powershell-liveid\/\nconnection-uri \(security-compliance\): https:\/\/ps\.compliance\.protection\.outlook\.com\/powershell-liveid\/$/m,
    );
    expect(step.log).toMatch(/Connected to exchange-online with Connect-ExchangeOnline: contoso\.onmicrosoft\.com/);
    expect(step.log).toMatch(/Connected to security-compliance with Connect-IPPSSession: contoso\.onmicrosoft\.com/);
    expect(step.log).toMatch(
      /1 cmdlet exists in both exchange-online and security-compliance; the script gets security-compliance's, connected last: Get-RoleGroup\./,
    );
    expect(step.summary).toMatch(
      /<td>Connection: exchange-online<\/td><td>Connect-ExchangeOnline to contoso\.onmicrosoft\.com<\/td>/,
    );
    expect(step.summary).toMatch(
      /<td>Connection: security-compliance<\/td><td>Connect-IPPSSession to contoso\.onmicrosoft\.com<\/td>/,
    );
    expect(job.calls().filter((c) => c.command === 'Disconnect-ExchangeOnline')).toHaveLength(1);
    expect(job.state.clean).toBe('true');
    const post = await runPost(job);
    expect(post.code).toBe(0);
    expect(job.pwshStarts()).toHaveLength(1);
  });

  test('when the second connect fails, teardown still disconnects the first', async () => {
    const step = await runMain(job, {
      inputs: { ...both, 'connect-retries': '0', script: 'Get-EXOMailbox -ResultSize 1' },
      env: { EXO_SANDBOX_FAULTS: 'ipps-fail' },
    });
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(
      /Connecting to security-compliance \(contoso\.onmicrosoft\.com, after exchange-online connected\) failed: UnAuthorized/,
    );
    // The hint is Security & Compliance's: Exchange Online accepted the app.
    expect(step.errors.join('\n')).toMatch(
      /\nHint: Security & Compliance refused the app\..*Compliance Administrator/s,
    );
    expect(step.errors.join('\n')).not.toMatch(/Exchange Administrator/);
    expect(job.commands()).toEqual(
      expect.arrayContaining(['Connect-ExchangeOnline', 'Connect-IPPSSession', 'Disconnect-ExchangeOnline']),
    );
    expect(
      job
        .calls()
        .slice(-2)
        .map((c) => c.command),
    ).toEqual(CHECKED_DISCONNECT);
    expect(job.state.clean).toBe('true');
  });
});

describe('hints fit where the error arose', () => {
  /** The step's failure as the log ends it: the message, then its hint when there is one. */
  const failure = (step: { errors: string[] }): string =>
    step.errors.find((e) => /^The script \(contoso\.onmicrosoft\.com\) failed: /.test(e)) ?? '';

  test("an Exchange Online script's own errors get no Exchange Server or connect advice; a refused cmdlet gets the app's roles", async () => {
    // The connect worked in every run: these errors are the script's.
    const unreachable = await runMain(job, {
      inputs: { ...validInputs(), script: 'throw "Name or service not known (intranet.contoso.invalid:443)"' },
    });
    expect(unreachable.code).toBe(1);
    expect(failure(unreachable)).toBe(
      'The script (contoso.onmicrosoft.com) failed: Name or service not known (intranet.contoso.invalid:443)',
    );
    expect(unreachable.summary).not.toMatch(/<strong>Hint:/);

    const graph = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: 'throw "Response status code does not indicate success: 401 (Unauthorized)."',
      },
    });
    expect(failure(graph)).toBe(
      'The script (contoso.onmicrosoft.com) failed: Response status code does not indicate success: 401 (Unauthorized).',
    );

    const refused = await runMain(job, {
      inputs: {
        ...validInputs(),
        script: 'Write-Error "Access is denied. The user has insufficient access rights." -ErrorAction Stop',
      },
    });
    const hint = failure(refused).split('\nHint: ')[1] ?? '';
    expect(hint).toMatch(/^When an Exchange cmdlet says this, the app's roles do not grant that cmdlet/);
    expect(hint).toContain('https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2');
    expect(hint).not.toMatch(/RemotePowerShellEnabled|NETWORK SERVICE/);

    const throttled = await runMain(job, {
      inputs: { ...validInputs(), script: 'throw "The remote server returned an error: (429) Too Many Requests."' },
    });
    expect(failure(throttled)).toMatch(
      /\nHint: A service the script called is throttling it\. connect-retries retries only the connect/,
    );
    expect(failure(throttled)).not.toMatch(/Raise connect-retries/);
  });

  test('a certificate connect refused with an expired token is not told to use certificate authentication', async () => {
    const step = await runMain(job, {
      inputs: { ...validInputs(), 'connect-retries': '0', script: '1' },
      env: {
        EXO_SANDBOX_FAULTS: 'connect-throttle:5',
        EXO_SANDBOX_ERROR_TEXT: ' Lifetime validation failed, the token is expired.',
      },
    });
    expect(step.code).toBe(1);
    const error = step.errors.join('\n');
    expect(error).toMatch(
      /^Connecting to exchange-online \(contoso\.onmicrosoft\.com\) failed: .*\(429\).*the token is expired\.\nHint: The service is throttling this tenant\. Raise connect-retries/s,
    );
    expect(error).not.toMatch(/use certificate authentication/);
  });
});
