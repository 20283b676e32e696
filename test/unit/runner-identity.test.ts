// Post ends a process only when it is exactly the runner main started.
import {
  isOurRunner,
  runnerArgv,
  windowsCommandLine,
  windowsProcessQuery,
  type ProcessQueries,
} from '../../src/runner-identity.js';

const expected = runnerArgv('/usr/bin/pwsh', '/a/_actions/exo/v1/dist/ps/runner.ps1');
const none: ProcessQueries = { linuxArgv: () => null, unixCommand: () => null, windowsProcess: () => null };
const linux = (argv: string[] | null): ProcessQueries => ({ ...none, linuxArgv: () => argv });

test('Linux: the exact argv, or the same argv behind one #! interpreter', () => {
  expect(isOurRunner(42, expected, null, 'linux', linux(expected))).toBe(true);
  expect(isOurRunner(42, expected, null, 'linux', linux(['/usr/bin/node', ...expected]))).toBe(true);
});

test('Linux: anything else is not ours', () => {
  const other = runnerArgv('/usr/bin/pwsh', '/tmp/evil/dist/ps/runner.ps1');
  for (const argv of [
    null,
    other,
    [...expected, '-Extra'],
    expected.slice(0, -1),
    ['sh', '-c', expected.join(' ')],
    ['/usr/bin/node', '--x', ...expected],
    ['sleep', '600', ...expected.slice(1)],
  ]) {
    expect(isOurRunner(42, expected, null, 'linux', linux(argv))).toBe(false);
  }
  expect(isOurRunner(Number.NaN, expected, null, 'linux', linux(expected))).toBe(false);
  expect(isOurRunner(-1, expected, null, 'linux', linux(expected))).toBe(false);
});

test('macOS: the command line ps shows, exactly', () => {
  const mac = (command: string): ProcessQueries => ({ ...none, unixCommand: () => command });
  expect(isOurRunner(7, expected, null, 'darwin', mac(expected.join(' ')))).toBe(true);
  expect(isOurRunner(7, expected, null, 'darwin', mac(`/usr/bin/env ${expected.join(' ')}`))).toBe(true);
  expect(isOurRunner(7, expected, null, 'darwin', mac(`sleep 1 ${expected.join(' ')}`))).toBe(false);
  expect(isOurRunner(7, expected, null, 'darwin', mac(`${expected.join(' ')} x`))).toBe(false);
});

describe('Windows (the CIM query mocked; everything else real)', () => {
  const shell = 'C:\\Program Files\\PowerShell\\7\\pwsh.exe';
  const runner = 'D:\\a\\_actions\\org\\exo\\v1\\dist\\ps\\runner.ps1';
  const argv = runnerArgv(shell, runner);
  const line =
    '"C:\\Program Files\\PowerShell\\7\\pwsh.exe" -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -File D:\\a\\_actions\\org\\exo\\v1\\dist\\ps\\runner.ps1';
  const startedAt = Date.parse('2026-01-05T10:00:00Z');
  const win = (commandLine: string, createdAt: number): ProcessQueries => ({
    ...none,
    windowsProcess: () => ({ commandLine, createdAt }),
  });

  test('the command line as Node quotes it', () => {
    expect(windowsCommandLine(argv)).toBe(line);
    expect(windowsCommandLine(['a b\\', 'q"x', '', 'c:\\x\\"y', 'plain'])).toBe(
      '"a b\\\\" "q\\"x" "" "c:\\x\\\\\\"y" plain',
    );
  });

  test('ours: that command line, started when main started it', () => {
    expect(isOurRunner(9, argv, startedAt, 'win32', win(line, startedAt + 40))).toBe(true);
  });

  test('not ours: another command line, another start time, or no start time saved', () => {
    expect(isOurRunner(9, argv, startedAt, 'win32', win(line.replace('runner.ps1', 'other.ps1'), startedAt))).toBe(
      false,
    );
    expect(isOurRunner(9, argv, startedAt, 'win32', win(line, startedAt + 3_600_000))).toBe(false); // pid reused later
    expect(isOurRunner(9, argv, null, 'win32', win(line, startedAt))).toBe(false);
    expect(isOurRunner(9, argv, startedAt, 'win32', none)).toBe(false);
  });
});

test("Windows: post asks Windows PowerShell by its full path, with none of the step's variables, and the pid as data", () => {
  const { file, args, env } = windowsProcessQuery(4242, {
    SystemRoot: 'C:\\Windows',
    TEMP: 'C:\\Temp',
    PATH: 'D:\\a\\repo\\evil;C:\\Windows\\System32',
    'INPUT_CLIENT-SECRET': 'not for this process',
    STATE_clean: 'true',
  });
  expect(file).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
  expect(env).toEqual({ EXO_CONNECT_ACTION_PID: '4242', SystemRoot: 'C:\\Windows', TEMP: 'C:\\Temp' });
  // The command is the same text for every pid.
  expect(args).toEqual(windowsProcessQuery(7).args);
  expect(args.join(' ')).not.toMatch(/4242/);
});

test('Windows: a SystemRoot a step set to another folder is not where the tools come from', () => {
  expect(windowsProcessQuery(1, { SystemRoot: 'D:\\a\\repo\\Windows' }).file).toBe(
    'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  );
  expect(windowsProcessQuery(1, { SystemRoot: 'E:\\WINDOWS' }).file).toBe(
    'E:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  );
});
