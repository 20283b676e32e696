// Bad input fails in the built action before PowerShell starts, naming the input; what only the
// script's param() block can judge fails in PowerShell, before anything connects, named the same way.
import { findLeaks, Job, runMain } from '../support/action.js';
import { invalidCases, validInputs } from '../support/invalid-inputs.js';
import { makePfx } from '../support/pfx.js';

const cases = invalidCases().filter((c) => !(c.nonWindowsOnly && process.platform === 'win32'));

test.each(cases.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
  const job = new Job();
  try {
    const step = await runMain(job, { inputs: { ...validInputs(), ...c.inputs }, env: c.env });
    expect(step.code).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toMatch(new RegExp(`^Input '${c.input}': .*Accepted: `, 's'));
    expect(step.errors[0]).toMatch(c.says);
    expect(step.outputs).toEqual({ 'exit-code': '1' });
    // The job summary says why too: in a matrix of tenants it is where people look first.
    expect(step.summary).toMatch(/Exchange PowerShell: failed.*Error:.*Input &#39;/s);
    expect(step.summary).toContain(c.input);
    expect(job.pwshStarts()).toHaveLength(0);
    expect(job.leftoverFiles()).toEqual([]);
    const pfx = makePfx();
    expect(findLeaks(job, [step], [pfx.base64, pfx.password])).toEqual([]);
  } finally {
    job.cleanup();
  }
});

test('a parameters value its declared type refuses is refused before anything connects, naming the input', async () => {
  const job = new Job();
  try {
    const step = await runMain(job, {
      inputs: { ...validInputs(), script: 'param([int] $Days)\n"days=$Days"', parameters: '{"Days": "thirty"}' },
    });
    expect(step.code).toBe(1);
    expect(step.errors).toEqual([
      expect.stringMatching(
        /^Input 'parameters': "Days" is "thirty", which PowerShell cannot convert to \[int\], the type the script declares for \$Days \(.*thirty.*\), so nothing was connected\. Accepted: a value that converts to \[int\]\.$/,
      ),
    ]);
    expect(step.summary).toMatch(/Exchange PowerShell: failed.*Error:.*Input &#39;parameters&#39;: &quot;Days&quot;/s);
    expect(job.pwshStarts()).toHaveLength(1);
    expect(job.calls()).toEqual([]);
    expect(step.log).not.toMatch(/::group::Module|::group::Connect/);
  } finally {
    job.cleanup();
  }
});
