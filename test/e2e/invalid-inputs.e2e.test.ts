// Bad input fails in the built action before PowerShell starts, naming the input; what only the
// script's param() block can judge fails in PowerShell, before anything connects, named the same way.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findLeaks, Job, runMain } from '../support/action.js';
import { invalidCases, validInputs } from '../support/invalid-inputs.js';
import { makePfx } from '../support/pfx.js';
import { escapeHtml } from '../../src/secrets.js';

const cases = invalidCases().filter((c) => !(c.nonWindowsOnly && process.platform === 'win32'));

/** The tenant a refused step's summary names, from the inputs as given: the server's host for exchange-server. */
function givenTenant(given: Record<string, string>): string | null {
  if (/exchange-server/i.test(given.target!)) {
    try {
      return new URL(given['connection-uri'] ?? '').hostname;
    } catch {
      return null;
    }
  }
  return given['delegated-organization'] || given.organization || null;
}

test.each(cases.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
  const job = new Job();
  try {
    const step = await runMain(job, { inputs: { ...validInputs(), ...c.inputs }, env: c.env });
    expect(step.code).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toMatch(new RegExp(`^Input '${c.input}': .*Accepted: `, 's'));
    expect(step.errors[0]).toMatch(c.says);
    // The outputs every failure sets: a later step's fromJSON(result) still parses, and
    // result-count is empty because the script never started.
    expect(step.outputs).toEqual({ 'exit-code': '1', result: '[]', 'result-count': '', organization: '' });
    // The job summary says why too: in a matrix of tenants it is where people look first. It names
    // the tenant and the target as given, the refused one among them.
    expect(step.summary).toMatch(/Exchange PowerShell.*: failed.*Error:.*Input &#39;/s);
    expect(step.summary).toContain(c.input);
    const given: Record<string, string> = { target: 'exchange-online', ...validInputs(), ...c.inputs };
    const tenant = givenTenant(given);
    expect(step.summary).toContain(`<h3>Exchange PowerShell${tenant ? ` (${escapeHtml(tenant)})` : ''}: failed</h3>`);
    if (given.target !== '') expect(step.summary).toContain(`<tr><td>Target</td><td>${escapeHtml(given.target!)}</td>`);
    if (given.organization !== '')
      expect(step.summary).toContain(`<tr><td>Organization</td><td>${escapeHtml(given.organization!)}</td>`);
    expect(job.pwshStarts()).toHaveLength(0);
    expect(job.leftoverFiles()).toEqual([]);
    const pfx = makePfx();
    expect(findLeaks(job, [step], [pfx.base64, pfx.password, ...(c.hides ?? [])])).toEqual([]);
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
    expect(step.summary).toMatch(
      /Exchange PowerShell \(contoso\.onmicrosoft\.com\): failed.*Error:.*Input &#39;parameters&#39;: &quot;Days&quot;/s,
    );
    expect(job.pwshStarts()).toHaveLength(1);
    expect(job.calls()).toEqual([]);
    expect(step.log).not.toMatch(/::group::Module|::group::Connect/);
  } finally {
    job.cleanup();
  }
});

describe("a refused step and an earlier run's result-file", () => {
  let job: Job;
  beforeEach(() => (job = new Job()));
  afterEach(() => job.cleanup());
  const STALE = '{"Tenant":"fabrikam.onmicrosoft.com"}\n';
  function earlierRun(name: string, folder = job.workspace): string {
    const file = path.join(folder, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, STALE);
    return file;
  }

  test('removed when result-file itself is valid, whichever input was refused', async () => {
    const file = earlierRun('reports/mailboxes.jsonl');
    const step = await runMain(job, {
      inputs: { ...validInputs(), certificate: 'not-a-pfx!!', 'result-file': 'reports/mailboxes.jsonl' },
    });
    expect(step.errors[0]).toMatch(/^Input 'certificate': /);
    expect(fs.existsSync(file)).toBe(false);
    expect(step.outputs['result-file']).toBeUndefined();
  });

  test('found from working-directory, as the run would have written it', async () => {
    const file = earlierRun('reports/mailboxes.jsonl', path.join(job.workspace, 'ops'));
    await runMain(job, {
      inputs: {
        ...validInputs(),
        'connect-retries': '11',
        'working-directory': 'ops',
        'result-file': 'reports/mailboxes.jsonl',
      },
    });
    expect(fs.existsSync(file)).toBe(false);
  });

  test('left alone when result-file or working-directory is the refused input: a path not valid is not touched', async () => {
    const file = earlierRun('reports/mailboxes.jsonl');
    const text = earlierRun('reports/mailboxes.txt');
    const refusedFile = await runMain(job, { inputs: { ...validInputs(), 'result-file': 'reports/mailboxes.txt' } });
    expect(refusedFile.errors[0]).toMatch(/^Input 'result-file': .*has the extension \.txt/);
    expect(fs.readFileSync(text, 'utf8')).toBe(STALE);
    const refusedFolder = await runMain(job, {
      inputs: { ...validInputs(), 'working-directory': 'missing', 'result-file': '../reports/mailboxes.jsonl' },
    });
    expect(refusedFolder.errors[0]).toMatch(/^Input 'working-directory': /);
    expect(fs.readFileSync(file, 'utf8')).toBe(STALE);
  });
});
