// The harness's leak guard finds a masked value wherever it must never be.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Job, maskLikeTheRunner, type StepResult } from '../support/action.js';

const SECRET = 'SeCrEt-Value-0123456789';
const step = (over: Partial<StepResult> = {}): StepResult => ({
  code: 0,
  signal: null,
  ms: 0,
  log: '',
  raw: '',
  outputs: {},
  summary: '',
  errors: [],
  warnings: [],
  outputClosed: true,
  ...over,
});

function guarded(setup: (job: Job) => void): () => void {
  return () => {
    const job = new Job();
    try {
      job.masks.add(SECRET);
      setup(job);
      job.assertNoLeaks();
    } finally {
      job.masks.clear();
      job.cleanup();
    }
  };
}

test('a clean job passes', () => expect(guarded((job) => job.steps.push(step({ log: 'nothing here' })))).not.toThrow());
test('a masked value in a summary is caught', () =>
  expect(guarded((job) => job.steps.push(step({ summary: `<td>${SECRET}</td>` })))).toThrow(/step 0 summary/));
test('in an output', () =>
  expect(guarded((job) => job.steps.push(step({ outputs: { result: `["${SECRET}"]` } })))).toThrow(/step 0 outputs/));
test('in the state', () => expect(guarded((job) => (job.state = { x: SECRET }))).toThrow(/state/));
test('in a file left under the runner temp', () =>
  expect(guarded((job) => fs.writeFileSync(path.join(job.runnerTemp, 'left.ps1'), `$p = '${SECRET}'`))).toThrow(
    /file .*left\.ps1/,
  ));
test("in PowerShell's environment", () =>
  expect(
    guarded((job) => fs.writeFileSync(job.pwshLog, JSON.stringify({ pid: 1, argv: [], env: { X: SECRET } }) + '\n')),
  ).toThrow(/PowerShell environment/));

test('the runner-like log hides masked values after their mask, not before', () => {
  const masks = new Set<string>();
  const { log } = maskLikeTheRunner(`early ${SECRET}\n::add-mask::${SECRET}\nlate ${SECRET}`, masks);
  expect(log).toBe(`early ${SECRET}\nlate ***`);
});
