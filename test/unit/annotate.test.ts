// Errors from a script file become annotations at their file and line (they show on the PR diff).
import { annotate } from '../../src/report.js';
import type { Settings } from '../../src/inputs.js';
import type { SessionOutcome } from '../../src/outcome.js';
import { captureStdout } from '../support/stdout.js';
import { maskSecret } from '../../src/secrets.js';

const INLINE = '/tmp/run/inline-script.ps1';

function annotations(settings: Partial<Settings>, errors: SessionOutcome['errors']): string[] {
  const out = captureStdout(() => annotate(settings as Settings, { errors } as SessionOutcome, '/repo', INLINE));
  return out.trim().split('\n').filter(Boolean);
}

test('an error in the script file is annotated at its path relative to the workspace', () => {
  expect(
    annotations({ script: { kind: 'file', path: '/repo/scripts/apply.ps1' } }, [
      { phase: 'script', message: "object 'nobody' couldn't be found", file: '/repo/scripts/apply.ps1', line: 12 },
    ]),
  ).toEqual(["::error file=scripts/apply.ps1,line=12::object 'nobody' couldn't be found"]);
});

test('a step that passes with its errors (fail-on-error: false) annotates them as warnings', () => {
  const settings = { script: { kind: 'file', path: '/repo/scripts/apply.ps1' } } as Settings;
  const errors = [{ phase: 'script', message: 'soft', file: '/repo/scripts/apply.ps1', line: 4 }];
  const out = captureStdout(() => annotate(settings, { errors } as SessionOutcome, '/repo', INLINE, false));
  expect(out.trim().split('\n')).toEqual(['::warning file=scripts/apply.ps1,line=4::soft']);
});

test('an inline script gets a titled annotation; errors outside the script, none', () => {
  expect(
    annotations({ script: { kind: 'inline', text: 'x' } }, [
      { phase: 'script', message: 'boom', file: '/tmp/run/inline-script.ps1', line: 3 },
      { phase: 'connect', message: 'AADSTS700016', file: '/x/runner.ps1', line: 200 },
    ]),
  ).toEqual(['::error title=Inline script%2C line 3::boom']);
});

test("with a tenant, each annotation's title names it: a matrix runs one script in many tenants", () => {
  const errors = [{ phase: 'script', message: 'boom', file: '/repo/scripts/apply.ps1', line: 12 }];
  const file = { script: { kind: 'file', path: '/repo/scripts/apply.ps1' } } as Partial<Settings>;
  expect(
    annotations({ ...file, organization: 'northwind.onmicrosoft.com', delegatedOrganization: null }, errors),
  ).toEqual(['::error title=Script error (northwind.onmicrosoft.com),file=scripts/apply.ps1,line=12::boom']);
  const inline = {
    script: { kind: 'inline', text: 'x' },
    organization: 'contoso.onmicrosoft.com',
  } as Partial<Settings>;
  expect(
    annotations({ ...inline, delegatedOrganization: 'fabrikam.onmicrosoft.com' }, [
      { ...errors[0]!, file: INLINE, line: 3 },
    ]),
  ).toEqual(['::error title=Inline script%2C line 3 (fabrikam.onmicrosoft.com)::boom']);
});

test('an error the runner raised around the script (parameter binding) points at no runner file and line', () => {
  const binding = {
    phase: 'script',
    message: "A parameter cannot be found that matches parameter name 'Nope'.",
    file: '/action/dist/ps/runner.ps1',
    line: 377,
  };
  expect(annotations({ script: { kind: 'inline', text: 'x' } }, [binding])).toEqual([]);
  expect(annotations({ script: { kind: 'file', path: '/repo/a.ps1' } }, [binding])).toEqual([]);
});

test('an annotation is one line without secrets or workflow commands, whatever the error said', () => {
  captureStdout(() => maskSecret('Annotated-Secret-42'));
  const message = '::warning::first\n::add-mask::x\r\nand ##[error]three Annotated-Secret-42';
  expect(
    annotations({ script: { kind: 'inline', text: 'x' } }, [{ phase: 'script', message, file: INLINE, line: 2 }]),
  ).toEqual(['::error title=Inline script%2C line 2::: :warning::first ::add-mask::x and # #[error]three ***']);
});

test("at most 9 errors are annotated for a failed step and 7 for one that passes: GitHub shows 10 of a kind, and the verdict and the step's own warnings come after", () => {
  const file = { script: { kind: 'file', path: '/repo/scripts/apply.ps1' } } as Settings;
  const errors = Array.from({ length: 15 }, (_, i) => ({
    phase: 'script',
    message: `error ${i + 1}`,
    file: '/repo/scripts/apply.ps1',
    line: i + 1,
  }));
  const failed = captureStdout(() => annotate(file, { errors } as SessionOutcome, '/repo', INLINE, true));
  expect(failed.trim().split('\n')).toHaveLength(9);
  const passed = captureStdout(() => annotate(file, { errors } as SessionOutcome, '/repo', INLINE, false));
  expect(passed.trim().split('\n')).toHaveLength(7);
});

test('a script file outside the workspace (working-directory under runner.temp) is named in the title, not given as a path the repository lacks', () => {
  expect(
    annotations({ script: { kind: 'file', path: '/tmp/elsewhere/apply.ps1' } }, [
      { phase: 'script', message: 'boom', file: '/tmp/elsewhere/apply.ps1', line: 5 },
    ]),
  ).toEqual(['::error title=apply.ps1%2C line 5::boom']);
});

test('a script that does not parse, refused before anything connected, is annotated at the line the parser names', () => {
  expect(
    annotations({ script: { kind: 'file', path: '/repo/scripts/apply.ps1' } }, [
      {
        phase: 'parameters',
        message: "Input 'script-file': the script does not parse, so nothing was connected: line 2, column 11: x",
        file: '/repo/scripts/apply.ps1',
        line: 2,
      },
      { phase: 'parameters', message: "Input 'parameters': the key 'X' is not a parameter of the script" },
    ]),
  ).toEqual([
    "::error file=scripts/apply.ps1,line=2::Input 'script-file': the script does not parse, so nothing was connected: line 2, column 11: x",
  ]);
});
