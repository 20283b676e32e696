// The contract between Node and the PowerShell runner (src/runner-contract.ts): what Node builds,
// and, with real PowerShell, that every event the runner writes for Node's configuration is one
// the contract defines. (Config.Tests.ps1 checks the other direction: the runner reads what Node builds.)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSettings } from '../../src/inputs.js';
import {
  encodeRunnerConfig,
  isRunnerEvent,
  RUNNER_CONFIG_MAX_BYTES,
  RUNNER_CONTRACT_VERSION,
  runnerCredentials,
  type RunnerConfig,
  type StopRequest,
} from '../../src/runner-contract.js';
import { folderDigest } from '../../src/module-cache.js';
import { createRunDirectory } from '../../src/run-directory.js';
import { buildRemoveSessionConfig, buildRunnerConfig } from '../../src/session.js';
import { realPwsh, ROOT, SANDBOX_MODULES } from '../support/action.js';
import { validInputs } from '../support/invalid-inputs.js';

let root: string;
beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-contract-'))));
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const settingsFor = (inputs: Record<string, string>, platform: NodeJS.Platform = 'linux') =>
  readSettings({
    getInput: (name) => inputs[name] ?? '',
    maskSecret: () => undefined,
    platform,
    env: { GITHUB_WORKSPACE: root },
  });
const provision = () => ({ shellPath: 'pwsh', runnerPath: 'runner.ps1', moduleDirectory: null });

describe('the configuration Node builds', () => {
  test('is versioned, names the credentials as such, and carries the parameters as written', () => {
    const parameters = '{"Id": 12345678901234567890}';
    const config = buildRunnerConfig(
      settingsFor({ ...validInputs(), parameters, script: 'param($Id) $Id' }),
      provision(),
      createRunDirectory(root),
    );
    expect(config.version).toBe(RUNNER_CONTRACT_VERSION);
    expect(config.credentials.kind).toBe('certificate');
    expect(config.connection.authMethod).toBe('certificate');
    expect(Object.keys(config)).not.toContain('auth');
    expect(config.script.parameters).toBe(parameters);
    expect(JSON.stringify(config)).toContain('"parameters":"{\\"Id\\": 12345678901234567890}"');
  });

  test("security-compliance with delegated-organization signs in at the customer's tenant only where the module signs in (a certificate)", () => {
    const delegated = {
      ...validInputs(),
      target: 'security-compliance',
      'delegated-organization': 'fabrikam.onmicrosoft.com',
    };
    const endpoint = (inputs: Record<string, string>, environment = 'O365Default') =>
      buildRunnerConfig(settingsFor({ ...inputs, environment }), provision(), createRunDirectory(root)).connection
        .authorizationEndpointUri;
    expect(endpoint(delegated)).toBe('https://login.microsoftonline.com/fabrikam.onmicrosoft.com');
    expect(endpoint({ ...delegated, organization: 'contoso.onmicrosoft.us' }, 'O365USGovGCCHigh')).toBe(
      'https://login.microsoftonline.us/fabrikam.onmicrosoft.com',
    );
    // A token flow's token comes from tenant-id: the national cloud's default, as without delegation.
    const token = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ aud: 'https://ps.compliance.protection.outlook.com', exp: Math.floor(Date.now() / 1000) + 3600, roles: ['Exchange.ManageAsApp'] })).toString('base64url')}.c2ln`;
    const byToken = {
      ...delegated,
      certificate: '',
      'certificate-password': '',
      'client-id': '',
      'access-token': token,
    };
    expect(endpoint(byToken)).toBeNull();
    expect(endpoint({ ...validInputs(), target: 'security-compliance' })).toBeNull();
  });

  test('is framed by its length in UTF-8 bytes, not characters, and refused past the limit', () => {
    const config = buildRunnerConfig(
      settingsFor({ ...validInputs(), script: '"Zoë ✓"' }),
      provision(),
      createRunDirectory(root),
    );
    config.script.workingDirectory = '/home/zoë/✓';
    const framed = encodeRunnerConfig(config, ['POWERSHELL_UPDATECHECK']);
    const newline = framed.indexOf(0x0a);
    const json = framed.subarray(newline + 1);
    expect(framed.subarray(0, newline).toString('ascii')).toBe(String(json.length));
    const sent = { ...config, unsetVariables: ['POWERSHELL_UPDATECHECK'] };
    expect(json.length).toBeGreaterThan(JSON.stringify(sent).length);
    expect(JSON.parse(json.toString('utf8'))).toEqual(sent);
    config.script.workingDirectory = 'x'.repeat(RUNNER_CONFIG_MAX_BYTES);
    expect(() => encodeRunnerConfig(config, [])).toThrow(/more than the 67108864 it reads/);
  });

  test('gives PowerShell an access token without its expiry, and never a token flow itself', () => {
    expect(runnerCredentials({ kind: 'access-token', token: 't', expiresAt: new Date(0) })).toEqual({
      kind: 'access-token',
      token: 't',
    });
    expect(() => runnerCredentials({ kind: 'oidc', clientId: 'c', audience: 'a' })).toThrow(/only as an access token/);
  });
});

describe('isRunnerEvent', () => {
  test.each([
    [{ event: 'phase', name: 'connect', status: 'end', ms: 5, at: '2026-01-01T00:00:00Z' }],
    [{ event: 'connected', command: 'Connect-ExchangeOnline', organization: null, connectionId: '' }],
    [{ event: 'commands', requested: 'all', reason: 'r' }],
    [{ event: 'error', phase: 'script', message: 'm', line: 3, terminating: false }],
    [{ event: 'teardown', status: 'end' }],
  ])('accepts %j', (event) => expect(isRunnerEvent(event)).toBe(true));

  test.each([
    [null],
    [[]],
    [{ event: 'phase', name: 'connect' }],
    [{ event: 'phase', name: 'connect', status: 'paused' }],
    [{ event: 'script', exitCode: '0', errors: 0, terminated: false, objects: 0, truncated: false }],
    [{ event: 'error', phase: 'script', message: 'm', line: 'three' }],
    [{ event: 'toString' }],
    [{ event: 'something-new' }],
  ])('refuses %j', (event) => expect(isRunnerEvent(event)).toBe(false));
});

const pwsh = realPwsh();
describe('with real PowerShell: what the runner writes for it', () => {
  // As main does: the configuration line, then stdin stays open until the runner exits (its end
  // would be a stop); the post step's removal gets the end of stdin right after its line.
  const read = (file: string): unknown[] =>
    fs.existsSync(file)
      ? fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as unknown)
      : [];
  const run = async (
    config: object,
    env: Record<string, string> = {},
    stop?: { once: (events: unknown[]) => boolean; request: StopRequest },
  ): Promise<unknown[]> => {
    const events = (config as { paths: { events: string } }).paths.events;
    const child = spawn(
      pwsh,
      ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', path.join(ROOT, 'src', 'ps', 'runner.ps1')],
      {
        stdio: ['pipe', 'ignore', 'ignore'],
        env: {
          ...process.env,
          PSModulePath: SANDBOX_MODULES,
          EXO_SANDBOX_STATE: root,
          EXO_SANDBOX_ORG: path.join(ROOT, 'sandbox', 'organization.json'),
          ...env,
        },
      },
    );
    const exited = new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', () => resolve());
    });
    const framed = encodeRunnerConfig(config as RunnerConfig, []);
    if ((config as { mode: string }).mode === 'run') child.stdin.write(framed);
    else child.stdin.end(framed);
    const watching =
      stop === undefined
        ? null
        : setInterval(() => {
            if (!stop.once(read(events))) return;
            clearInterval(watching!);
            child.stdin.write(JSON.stringify(stop.request) + '\n');
          }, 100);
    await exited;
    if (watching !== null) clearInterval(watching);
    child.stdin.destroy();
    return read(events);
  };
  const kinds = (events: unknown[]): string[] => [...new Set(events.map((e) => (e as { event: string }).event))];

  test('a run with a retry, an error and a disconnect: every event is in the contract', async () => {
    const settings = settingsFor({
      ...validInputs(),
      'connect-retries': '1',
      'command-names': 'auto',
      parameters: '{"Days": 30}',
      script: 'param([int] $Days)\nGet-Mailbox -ResultSize 1 | Out-Null\nWrite-Error "soft"\n"days=$Days"',
    });
    const events = await run(buildRunnerConfig(settings, provision(), createRunDirectory(root)), {
      EXO_SANDBOX_FAULTS: 'connect-throttle:1',
    });
    expect(events.filter((e) => !isRunnerEvent(e))).toEqual([]);
    expect(kinds(events).sort()).toEqual(
      ['commands', 'connected', 'disconnected', 'error', 'module', 'phase', 'retry', 'script', 'teardown'].sort(),
    );
  });

  test('a configuration from another build: the runner refuses it in an error event of the config phase, and connects nothing', async () => {
    const settings = settingsFor({ ...validInputs(), script: '"never runs"' });
    const config = { ...buildRunnerConfig(settings, provision(), createRunDirectory(root)), version: 3 };
    const events = await run(config);
    expect(events.filter((e) => !isRunnerEvent(e))).toEqual([]);
    expect(events).toEqual([
      expect.objectContaining({
        event: 'error',
        phase: 'config',
        terminating: true,
        message: expect.stringContaining('reads configuration version 4 and was given version 3') as string,
      }),
    ]);
  });

  test('a stop request on stdin: the runner reports it in the contract, then tears down', async () => {
    const settings = settingsFor({ ...validInputs(), script: 'Start-Sleep -Seconds 60' });
    const events = await run(
      buildRunnerConfig(settings, provision(), createRunDirectory(root)),
      {},
      {
        once: (seen) => seen.some((e) => (e as { event: string }).event === 'connected'),
        request: { type: 'stop', reason: 'timeout' },
      },
    );
    expect(events.filter((e) => !isRunnerEvent(e))).toEqual([]);
    const names = events.map((e) => (e as { event: string }).event);
    expect(events).toContainEqual(expect.objectContaining({ event: 'stopped', reason: 'timeout' }));
    expect(names.indexOf('stopped')).toBeLessThan(names.indexOf('disconnected'));
    // A stop that lands in the script still reports what it returned, before the stop (the stop may
    // also land before the script starts; stop.e2e checks the objects themselves).
    if (names.includes('script')) expect(names.indexOf('script')).toBeLessThan(names.indexOf('stopped'));
  });

  test("a run whose module the action caches after it: the runner reports the folder's digest before the script, as folderDigest computes it", async () => {
    // A saved copy, with names whose ordinal order differs from a culture's, and a subfolder.
    const modules = path.join(root, 'modules');
    const copy = path.join(modules, 'ExchangeOnlineManagement', '3.9.0');
    fs.mkdirSync(path.join(copy, 'sub', 'Ünter'), { recursive: true });
    for (const file of ['ExchangeOnlineManagement.psd1', 'ExchangeOnlineManagement.psm1'])
      fs.copyFileSync(path.join(SANDBOX_MODULES, 'ExchangeOnlineManagement', file), path.join(copy, file));
    for (const name of ['a.txt', 'B.txt', '_x', 'é.txt', path.join('sub', 'Z'), path.join('sub', 'Ünter', 'a b')])
      fs.writeFileSync(path.join(copy, name), `bytes of ${name}\n`);
    const before = folderDigest(modules);
    const planted = path.join(copy, 'ExchangeOnlineManagement.psm1');
    const settings = settingsFor({
      ...validInputs(),
      script: `Add-Content -LiteralPath '${planted}' -Value '# planted'`,
    });
    const withModules = { ...provision(), moduleDirectory: modules };

    const events = await run(buildRunnerConfig(settings, withModules, createRunDirectory(root), null, true));
    expect(events.filter((e) => !isRunnerEvent(e))).toEqual([]);
    const names = events.map((e) => (e as { event: string }).event);
    // A copy found, not downloaded by this run: reported, and marked as such.
    expect(events).toContainEqual({ event: 'module-digest', digest: before, saved: false, at: expect.any(String) });
    expect(names.indexOf('module-digest')).toBeLessThan(names.indexOf('script'));
    expect(fs.readFileSync(planted, 'utf8')).toContain('# planted');
    expect(folderDigest(modules)).not.toBe(before);

    // Not asked for (a cache hit, no cache service): not reported.
    const unasked = await run(buildRunnerConfig(settings, withModules, createRunDirectory(root)));
    expect(unasked.map((e) => (e as { event: string }).event)).not.toContain('module-digest');
    expect(unasked).toContainEqual(expect.objectContaining({ event: 'script' }));
  });

  test('a refused configuration, and the post step removing a server session', async () => {
    const refused = await run(
      buildRunnerConfig(
        settingsFor({ ...validInputs(), parameters: '{"Dayz": 30}', script: 'param([int] $Days)' }),
        provision(),
        createRunDirectory(root),
      ),
    );
    expect(refused.filter((e) => !isRunnerEvent(e))).toEqual([]);
    expect(refused).toContainEqual(expect.objectContaining({ event: 'error', phase: 'parameters' }));

    const server = settingsFor(
      {
        target: 'exchange-server',
        auth: 'integrated',
        'connection-uri': 'https://mail01.contoso.com/PowerShell/',
        script: '"x"',
      },
      'win32',
    );
    const removed = await run(
      buildRemoveSessionConfig(server, createRunDirectory(root), '00000000-0000-0000-0000-000000000001'),
      {
        EXO_CONNECT_ACTION_TEST_PRELOAD: path.join(
          SANDBOX_MODULES,
          'ExchangeOnlineManagement',
          'ExchangeOnlineManagement.psd1',
        ),
      },
    );
    expect(removed).toEqual([expect.objectContaining({ event: 'removed', count: 0 })]);
    expect(removed.filter((e) => !isRunnerEvent(e))).toEqual([]);
  });
});
