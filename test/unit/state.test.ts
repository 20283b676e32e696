// The state helper: what main saves reaches post, typed, the way the runner hands it over
// (GITHUB_STATE file in main, STATE_* variables in post).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLEAN_STATE_VARIABLE, readState, recordedConnection, saveState } from '../../src/state.js';
import { parseFileCommand } from '../support/action.js';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

/** Runs main's saves against a GITHUB_STATE file, then gives post the STATE_* variables. */
function handOver(saves: () => void): void {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'exo-state-')), 'state');
  fs.writeFileSync(file, '');
  process.env.GITHUB_STATE = file;
  saves();
  for (const [name, value] of Object.entries(parseFileCommand(fs.readFileSync(file, 'utf8')))) {
    process.env[`STATE_${name}`] = value;
  }
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

test('what main records is what post reads', () => {
  handOver(() => {
    saveState.workspace('/runner/temp/exo-connect-abc');
    saveState.runnerStarted(4321, '/usr/bin/pwsh', { startedAt: 1764000000000, startTicks: 98765 });
    saveState.connected('contoso.onmicrosoft.com', {
      instanceId: 'a1b2',
      connectionUri: 'https://mail.contoso.com/PowerShell/',
    });
    saveState.serverSessionClosed('a1b2');
    saveState.runnerExited();
    saveState.clean();
  });
  expect(readState()).toEqual({
    workspace: '/runner/temp/exo-connect-abc',
    runnerPid: 4321,
    runnerShell: '/usr/bin/pwsh',
    runnerStarted: 1764000000000,
    runnerStartTicks: 98765,
    runnerExited: true,
    connectedTo: 'contoso.onmicrosoft.com',
    serverSession: 'a1b2',
    serverUri: 'https://mail.contoso.com/PowerShell/',
    serverSessionClosed: 'a1b2',
  });
  expect(process.env[CLEAN_STATE_VARIABLE]).toBe('true');
});

test('post reads a main that recorded nothing as no run, no process and no connection', () => {
  handOver(() => saveState.connected('contoso.onmicrosoft.com'));
  expect(readState()).toEqual({
    workspace: '',
    runnerPid: 0,
    runnerShell: '',
    runnerStarted: null,
    runnerStartTicks: null,
    runnerExited: false,
    connectedTo: 'contoso.onmicrosoft.com',
    serverSession: '',
    serverUri: '',
    serverSessionClosed: '',
  });
  expect(process.env[CLEAN_STATE_VARIABLE]).toBeUndefined();
});

test('a pid or start time that is not a positive number is no pid', () => {
  handOver(() => saveState.runnerStarted(undefined, 'pwsh', { startedAt: Number.NaN, startTicks: -3 }));
  expect(readState()).toMatchObject({ runnerPid: 0, runnerStarted: null, runnerStartTicks: null });
  handOver(() => saveState.runnerStarted(7, 'pwsh', { startedAt: 1764000000000, startTicks: null }));
  expect(readState()).toMatchObject({ runnerPid: 7, runnerStarted: 1764000000000, runnerStartTicks: null });
});

test("post's fast path says 'disconnected' only when main recorded a connection", () => {
  handOver(() => saveState.begin());
  expect(recordedConnection(process.env)).toBe(false); // a clean main that connected nothing
  handOver(() => saveState.connected('contoso.onmicrosoft.com'));
  expect(recordedConnection(process.env)).toBe(true);
  process.env = { ...saved };
  handOver(() =>
    saveState.connected('', { instanceId: 'a1b2', connectionUri: 'https://mail.contoso.com/PowerShell/' }),
  );
  expect(recordedConnection(process.env)).toBe(true);
});
