// The run directory is private on every OS. On Windows only the tool calls are stood in for.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { currentUserSid, makePrivate, type RunTool } from '../../src/private-dir.js';
import { createRunDirectory } from '../../src/run-directory.js';

let root: string;
beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-private-'))));
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Windows' whoami and icacls, as far as these tests need them; records each call. */
function windowsTools(whoami = '"NT AUTHORITY\\NETWORK SERVICE","S-1-5-20"\r\n') {
  const calls: Array<{ file: string; tool: string; args: string[]; filesInDir: string[] | null }> = [];
  const run: RunTool = (file, args) => {
    const tool = path.win32.basename(file).toLowerCase();
    const dir = tool === 'icacls.exe' ? args[0]! : null;
    calls.push({ file, tool, args, filesInDir: dir === null ? null : fs.readdirSync(dir) });
    return tool === 'whoami.exe' ? whoami : 'Successfully processed 1 files; Failed processing 0 files\r\n';
  };
  return { run, calls };
}

test('Windows: inherited entries removed, one entry for this account (its SID), before anything is written', () => {
  const { run, calls } = windowsTools();
  const workspace = createRunDirectory(root, 'win32', run);
  expect(calls.map((c) => c.tool)).toEqual(['whoami.exe', 'icacls.exe']);
  expect(calls[0]!.args).toEqual(['/user', '/fo', 'csv', '/nh']);
  expect(calls[1]!.args).toEqual([workspace.dir, '/inheritance:r', '/grant:r', '*S-1-5-20:(OI)(CI)F', '/q']);
  expect(calls[1]!.filesInDir).toEqual([]); // the temp folder and every file come after
  expect(fs.existsSync(workspace.tmp)).toBe(true);
});

test('Windows: the tools come from System32, not from PATH', () => {
  const { run, calls } = windowsTools();
  makePrivate(root, 'win32', run);
  expect(calls.map((c) => c.file)).toEqual([
    expect.stringMatching(/\\System32\\whoami\.exe$/),
    expect.stringMatching(/\\System32\\icacls\.exe$/),
  ]);
});

test('a domain user: the SID is the last field, whatever the name holds', () => {
  const { run } = windowsTools('"contoso\\svc, runner","S-1-5-21-1004336348-1177238915-682003330-512"\n');
  expect(currentUserSid(run)).toBe('S-1-5-21-1004336348-1177238915-682003330-512');
});

test('Windows: when the ACL cannot be set, the run fails and the directory is gone', () => {
  const run: RunTool = (file) => {
    if (file.toLowerCase().endsWith('icacls.exe')) throw new Error('icacls: Access is denied.');
    return '"runner","S-1-5-21-1-2-3-1001"';
  };
  expect(() => createRunDirectory(root, 'win32', run)).toThrow(
    /run directory could not be made private to this account: icacls: Access is denied/,
  );
  expect(fs.readdirSync(root)).toEqual([]);
});

test('whoami output without a SID is refused, not guessed', () => {
  const { run } = windowsTools('ERROR: Access denied\r\n');
  expect(() => currentUserSid(run)).toThrow(/printed no SID/);
});

(process.platform === 'win32' ? test.skip : test)('Linux and macOS: mode 0700, and no Windows tool runs', () => {
  const { run, calls } = windowsTools();
  const workspace = createRunDirectory(root, process.platform, run);
  expect(fs.statSync(workspace.dir).mode & 0o777).toBe(0o700);
  expect(calls).toEqual([]);
});

test('Windows: a run directory that holds anything once it is private (another account wrote into it first) is refused and removed', () => {
  const { run: tools } = windowsTools();
  const run: RunTool = (file, args) => {
    // Another account's file, made while the directory still had RUNNER_TEMP's permissions.
    if (path.win32.basename(file).toLowerCase() === 'icacls.exe')
      fs.writeFileSync(path.join(args[0]!, 'inline-script.ps1'), 'evil');
    return tools(file, args);
  };
  expect(() => createRunDirectory(root, 'win32', run)).toThrow(
    /held "inline-script\.ps1" before this run wrote anything to it: another account on this runner can write to RUNNER_TEMP/,
  );
  expect(fs.readdirSync(root)).toEqual([]);
});
