// Errors from a script file become annotations at their file and line (they show on the PR diff).
import { annotate } from '../../src/report.js';
import type { Settings } from '../../src/inputs.js';
import type { SessionOutcome } from '../../src/session.js';
import { captureStdout } from '../support/stdout.js';

function annotations(settings: Partial<Settings>, errors: SessionOutcome['errors']): string[] {
  const out = captureStdout(() => annotate(settings as Settings, { errors } as SessionOutcome, '/repo'));
  return out.trim().split('\n').filter(Boolean);
}

test('an error in the script file is annotated at its path relative to the workspace', () => {
  expect(
    annotations({ script: { kind: 'file', path: '/repo/scripts/apply.ps1' } }, [
      { phase: 'script', message: "object 'nobody' couldn't be found", file: '/repo/scripts/apply.ps1', line: 12 },
    ]),
  ).toEqual(["::error file=scripts/apply.ps1,line=12::object 'nobody' couldn't be found"]);
});

test('an inline script gets a titled annotation; errors outside the script, none', () => {
  expect(
    annotations({ script: { kind: 'inline', text: 'x' } }, [
      { phase: 'script', message: 'boom', file: '/tmp/run/inline-script.ps1', line: 3 },
      { phase: 'connect', message: 'AADSTS700016', file: '/x/runner.ps1', line: 200 },
    ]),
  ).toEqual(['::error title=Inline script%2C line 3::boom']);
});
