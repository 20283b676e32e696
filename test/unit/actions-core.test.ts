// src/actions-core.ts against @actions/core itself: each call made through both must write the
// same stdout, the same GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY lines (delimiters
// aside, which are random), return the same value and fail the same way.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pkg from '@actions/core';
import * as local from '../../src/actions-core.js';
import { captureStdoutAsync } from '../support/stdout.js';

type Core = typeof local;
const FILES = ['OUTPUT', 'STATE', 'STEP_SUMMARY'] as const;

const saved = { ...process.env };
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-core-'));
  for (const name of Object.keys(process.env)) if (/^(INPUT_|STATE_|GITHUB_)/.test(name)) delete process.env[name];
});
afterEach(() => {
  process.env = { ...saved };
  process.exitCode = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Effects {
  value: unknown;
  thrown: string | null;
  stdout: string;
  files: Record<string, string | null>;
  exitCode: typeof process.exitCode;
}

/** Runs `work` against one implementation with fresh environment files (unless `files` is false). */
async function effects(core: Core, work: (core: Core) => unknown, files: boolean): Promise<Effects> {
  const paths: Record<string, string> = {};
  for (const name of FILES) {
    paths[name] = path.join(dir, name);
    fs.rmSync(paths[name], { force: true });
    if (files) {
      fs.writeFileSync(paths[name], '');
      process.env[`GITHUB_${name}`] = paths[name];
    } else delete process.env[`GITHUB_${name}`];
  }
  process.exitCode = undefined;
  let thrown: string | null = null;
  const { value, stdout } = await captureStdoutAsync(async () => {
    try {
      return await work(core);
    } catch (error) {
      thrown = (error as Error).message;
      return undefined;
    }
  });
  const read = (name: string): string | null =>
    fs.existsSync(paths[name]!)
      ? fs.readFileSync(paths[name]!, 'utf8').replace(/ghadelimiter_[0-9a-f-]{36}/g, 'D')
      : null;
  return {
    value,
    thrown,
    stdout,
    files: Object.fromEntries(FILES.map((n) => [n, read(n)])),
    exitCode: process.exitCode,
  };
}

/** Both implementations, one after the other; returns the local one's effects once they agree. */
async function same(work: (core: Core) => unknown, { files = true } = {}): Promise<Effects> {
  const expected = await effects(pkg as unknown as Core, work, files);
  const actual = await effects(local, work, files);
  expect(actual).toEqual(expected);
  return actual;
}

test('inputs: the name as the runner spells the variable, trimmed unless asked not to', async () => {
  process.env['INPUT_SCRIPT FILE'] = 'wrong';
  process.env.INPUT_SCRIPT_FILE = '  report.ps1 \n';
  const got = await same((core) => [
    core.getInput('script file'),
    core.getInput('Script_File', { trimWhitespace: false }),
    core.getInput('missing'),
  ]);
  expect(got.value).toEqual(['report.ps1', '  report.ps1 \n', '']);
});

test('outputs and state: environment-file lines, whatever the value holds', async () => {
  const values = ['one', '', 'two\nlines\r\n', '100% done', '::warning::not a command', 'name<<EOF'];
  const got = await same((core) => {
    values.forEach((value, i) => {
      core.setOutput(`output-${i}`, value);
      core.saveState(`state-${i}`, value);
    });
  });
  expect(got.stdout).toBe('');
  expect(got.files.OUTPUT).toContain(`output-2<<D${os.EOL}two\nlines\r\n${os.EOL}D${os.EOL}`);
});

test('outputs and state without environment files: the older workflow commands', async () => {
  const got = await same(
    (core) => {
      core.setOutput('result', '[1,\n2]');
      core.saveState('clean', 'true');
    },
    { files: false },
  );
  expect(got.stdout).toBe(`${os.EOL}::set-output name=result::[1,%0A2]${os.EOL}::save-state name=clean::true${os.EOL}`);
});

test('an environment file that is gone fails the same way', async () => {
  const got = await same((core) => {
    fs.rmSync(process.env.GITHUB_OUTPUT!);
    core.setOutput('result', 'x');
  });
  expect(got.thrown).toMatch(/^Missing file at path: /);
});

test('state reads back the STATE_ variable', async () => {
  process.env.STATE_workspace = '/runner/temp/exo-connect-abc';
  expect((await same((core) => [core.getState('workspace'), core.getState('clean')])).value).toEqual([
    '/runner/temp/exo-connect-abc',
    '',
  ]);
});

test('log lines, masks, groups and annotations, with every character the commands escape', async () => {
  const text = 'a%b\r\nc: d, e';
  const got = await same((core) => {
    core.setSecret(text);
    core.info(text);
    core.startGroup(text);
    core.endGroup();
    core.warning(text);
    core.notice(text);
    core.error(text);
    core.error(text, { file: 'scripts/a,b:c%.ps1', startLine: 12 });
    core.error(text, { title: 'Inline script, line 3' });
    core.warning(text, { title: '', startLine: 0 });
  });
  expect(got.stdout).toContain(`::error file=scripts/a%2Cb%3Ac%25.ps1,line=12::a%25b%0D%0Ac: d, e${os.EOL}`);
  expect(got.stdout).toContain(`::warning ::a%25b`); // properties given, none set: the space stays
});

test('a failure is an error annotation and exit code 1', async () => {
  const got = await same((core) => core.setFailed("Input 'auth': not one of the accepted values.\nHint: x"));
  expect(got.exitCode).toBe(1);
});

test('the job summary: headings, raw HTML, tables with empty cells, and the buffer', async () => {
  const got = await same(async (core) => {
    const summary = core.summary.emptyBuffer();
    summary.addHeading('Exchange PowerShell: succeeded', 3).addHeading('', 4);
    summary.addRaw('<p>raw</p>', true).addRaw('no line end');
    summary.addTable([
      [
        { data: 'Fact', header: true },
        { data: '', header: true },
      ],
      ['Target', ''],
      [],
    ]);
    const html = summary.stringify();
    await summary.emptyBuffer().addRaw(html.toUpperCase()).write();
    await summary.addRaw('second write').write();
    return summary.stringify();
  });
  expect(got.value).toBe('');
  expect(got.files.STEP_SUMMARY).toContain('<TABLE><TR><TH>FACT</TH><TH></TR><TR><TD>TARGET</TD><TD></TR><TR></TABLE>');
});

// @actions/core's summary keeps the first path it wrote to for the life of the process, so a
// fresh error can only be seen from this side: the same words.
test('a job summary with nowhere to go is an error that says why', async () => {
  delete process.env.GITHUB_STEP_SUMMARY;
  await expect(local.summary.emptyBuffer().addRaw('x').write()).rejects.toThrow(
    'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
  );
  const absent = path.join(dir, 'absent', 'summary');
  process.env.GITHUB_STEP_SUMMARY = absent;
  await expect(local.summary.emptyBuffer().addRaw('x').write()).rejects.toThrow(
    `Unable to access summary file: '${absent}'. Check if the file has correct read/write permissions.`,
  );
});
