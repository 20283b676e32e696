// What must read the same from Windows PowerShell 5.1 and PowerShell 7, checked here on
// PowerShell 7: native stderr is log text, never an error record; `result` dates are ISO 8601 and
// enums are names; non-ASCII text in the inline script arrives as written. The Windows jobs of
// the e2e workflow run the same scripts under shell: powershell.
import { Job, runMain } from '../support/action.js';
import { validInputs } from '../support/invalid-inputs.js';

let job: Job;
beforeEach(() => (job = new Job()));
afterEach(() => job.cleanup());

describe('the same on both shells', () => {
  // Native commands run as under a plain `pwsh -File`: their output is not captured, so
  // Windows PowerShell 5.1 makes no error records of their stderr that could stop the script.
  test("a native command's stderr and stdout go straight to the log: no error record, the script goes on, the step succeeds", async () => {
    const native = `& '${process.execPath}' -e "process.stderr.write('native progress on stderr\\n'); console.log('native line on stdout')"`;
    const step = await runMain(job, {
      inputs: { ...validInputs(), script: `${native}\n[pscustomobject]@{ After = 'the native command' }` },
    });
    expect(step.errors).toEqual([]);
    expect(step.code).toBe(0);
    expect(step.outputs['exit-code']).toBe('0');
    expect(step.log).toMatch(/native progress on stderr/);
    expect(step.log).toMatch(/native line on stdout/);
    expect(JSON.parse(step.outputs.result!)).toEqual([{ After: 'the native command' }]);
  });

  test('result: dates as ISO 8601 strings, enums by name', async () => {
    const script = [
      "[pscustomobject]@{ When = [datetime]::SpecifyKind([datetime]'2026-01-02T03:04:05', 'Utc')",
      '  Offset = [datetimeoffset]::new(2026, 1, 2, 3, 4, 5, [timespan]::FromHours(2))',
      '  Day = [DayOfWeek]::Friday; Attributes = [System.IO.FileAttributes]::ReadOnly }',
    ].join('\n');
    const step = await runMain(job, { inputs: { ...validInputs(), script } });
    expect(step.code).toBe(0);
    expect(step.outputs.result).toBe(
      '[{"When":"2026-01-02T03:04:05Z","Offset":"2026-01-02T03:04:05+02:00","Day":"Friday","Attributes":"ReadOnly"}]',
    );
  });

  test('non-ASCII text in the inline script and in parameters arrives as written', async () => {
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        // A parameter's name may be non-ASCII too, as PowerShell reads variable names.
        parameters: JSON.stringify({ City: 'Zürich', Größe: 3 }),
        script:
          "param([string] $City, [int] $Größe)\n[pscustomobject]@{ Name = 'Müller – EMEA ✓'; City = $City; Größe = $Größe }",
      },
    });
    expect(step.code).toBe(0);
    expect(JSON.parse(step.outputs.result!)).toEqual([{ Name: 'Müller – EMEA ✓', City: 'Zürich', Größe: 3 }]);
  });
});
