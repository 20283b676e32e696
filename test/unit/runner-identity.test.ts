// Post ends a process only when it is exactly the runner main started, started when main started it.
import {
  elapsedTimeMs,
  runnerArgv,
  runnerMismatch,
  windowsCommandLine,
  windowsProcessQuery,
  type ProcessQueries,
  type RunnerStart,
} from '../../src/runner-identity.js';

const expected = runnerArgv('/usr/bin/pwsh', '/a/_actions/exo/v1/dist/ps/runner.ps1');
const none: ProcessQueries = {
  linuxArgv: () => null,
  linuxStartTicks: () => null,
  unixProcess: () => null,
  windowsProcess: () => null,
};
const TICKS = 4_815_162;
const linux = (argv: string[] | null, ticks: number | null = TICKS): ProcessQueries => ({
  ...none,
  linuxArgv: () => argv,
  linuxStartTicks: () => ticks,
});
const recorded: RunnerStart = { startedAt: null, startTicks: TICKS };
const ours = (pid: number, start: RunnerStart, platform: NodeJS.Platform, queries: ProcessQueries): boolean =>
  runnerMismatch(pid, expected, start, platform, queries) === null;

test('Linux: the exact argv, or the same argv behind one #! interpreter, started at the clock tick main recorded', () => {
  expect(ours(42, recorded, 'linux', linux(expected))).toBe(true);
  expect(ours(42, recorded, 'linux', linux(['/usr/bin/node', ...expected]))).toBe(true);
});

test("Linux: PowerShell a wrapper exec'd, whose command line names the pwsh it started (a .NET tool's shim: dotnet pwsh.dll; a snap's pwsh)", () => {
  expect(
    ours(
      42,
      recorded,
      'linux',
      linux(['dotnet', '/root/.dotnet/tools/.store/powershell/pwsh.dll', ...expected.slice(1)]),
    ),
  ).toBe(true);
  expect(ours(42, recorded, 'linux', linux(['/snap/powershell/300/opt/powershell/pwsh', ...expected.slice(1)]))).toBe(
    true,
  );
  // Still the start main recorded, and still the runner's own flags and path.
  expect(ours(42, recorded, 'linux', linux(['dotnet', '/x/pwsh.dll', ...expected.slice(1)], TICKS + 1))).toBe(false);
  expect(
    ours(42, recorded, 'linux', linux(['dotnet', '/x/pwsh.dll', ...runnerArgv('x', '/tmp/evil/runner.ps1').slice(1)])),
  ).toBe(false);
  expect(ours(42, recorded, 'linux', linux(['dotnet', '/x/other.dll', ...expected.slice(1)]))).toBe(false);
  expect(ours(42, recorded, 'linux', linux(['/usr/bin/pwsh-lookalike', ...expected.slice(1)]))).toBe(false);
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
    expect(runnerMismatch(42, expected, recorded, 'linux', linux(argv))).toBe('its command line differs');
  }
  expect(ours(Number.NaN, recorded, 'linux', linux(expected))).toBe(false);
  expect(ours(-1, recorded, 'linux', linux(expected))).toBe(false);
});

test("Linux: the same command line with another start time is another job's PowerShell under a reused pid", () => {
  expect(runnerMismatch(42, expected, recorded, 'linux', linux(expected, TICKS + 250))).toBe(
    "it started at another time than main's PowerShell: the pid now belongs to another process",
  );
  expect(ours(42, recorded, 'linux', linux(expected, null))).toBe(false); // gone since
  expect(runnerMismatch(42, expected, { startedAt: Date.now(), startTicks: null }, 'linux', linux(expected))).toBe(
    'main recorded no start time to compare with',
  );
});

test('macOS: the command line ps shows, exactly, started within seconds of when main started it', () => {
  const startedAt = Date.now() - 60_000;
  const mac = (command: string, elapsedMs = 59_000): ProcessQueries => ({
    ...none,
    unixProcess: () => ({ command, elapsedMs }),
  });
  const start = { startedAt, startTicks: null };
  expect(ours(7, start, 'darwin', mac(expected.join(' ')))).toBe(true);
  expect(ours(7, start, 'darwin', mac(`/usr/bin/env ${expected.join(' ')}`))).toBe(true);
  expect(ours(7, start, 'darwin', mac(`sleep 1 ${expected.join(' ')}`))).toBe(false);
  expect(
    ours(7, start, 'darwin', mac(`dotnet /Users/r/.dotnet/tools/.store/pwsh.dll ${expected.slice(1).join(' ')}`)),
  ).toBe(true);
  expect(ours(7, start, 'darwin', mac(`sleep 600 ${expected.slice(1).join(' ')}`))).toBe(false);
  expect(ours(7, start, 'darwin', mac(`${expected.join(' ')} x`))).toBe(false);
  // The same command line, started 50 s after main's PowerShell: a reused pid.
  expect(runnerMismatch(7, expected, start, 'darwin', mac(expected.join(' '), 10_000))).toMatch(
    /^it started at another time/,
  );
  expect(ours(7, { startedAt: null, startTicks: null }, 'darwin', mac(expected.join(' ')))).toBe(false);
});

test("ps's elapsed time, [[dd-]hh:]mm:ss", () => {
  expect(elapsedTimeMs('00:07')).toBe(7_000);
  expect(elapsedTimeMs('12:34')).toBe((12 * 60 + 34) * 1000);
  expect(elapsedTimeMs('01:02:03')).toBe((3600 + 2 * 60 + 3) * 1000);
  expect(elapsedTimeMs('2-01:02:03')).toBe(((2 * 24 + 1) * 3600 + 2 * 60 + 3) * 1000);
  for (const text of ['', '7', 'x:07', '1-02:03', '00:07 ']) expect(elapsedTimeMs(text)).toBeNull();
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

  const at = (time: number | null): RunnerStart => ({ startedAt: time, startTicks: null });
  const isOurs = (start: RunnerStart, queries: ProcessQueries): boolean =>
    runnerMismatch(9, argv, start, 'win32', queries) === null;

  test('ours: that command line, started when main started it', () => {
    expect(isOurs(at(startedAt), win(line, startedAt + 40))).toBe(true);
  });

  test('not ours: another command line, another start time, or no start time saved', () => {
    expect(isOurs(at(startedAt), win(line.replace('runner.ps1', 'other.ps1'), startedAt))).toBe(false);
    expect(isOurs(at(startedAt), win(line, startedAt + 3_600_000))).toBe(false); // pid reused later
    expect(isOurs(at(null), win(line, startedAt))).toBe(false);
    expect(isOurs(at(startedAt), none)).toBe(false);
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
