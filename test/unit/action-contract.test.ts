// action.yml declares every input and output the product fixes, and runs as the layout says.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { actionYml, ROOT } from '../support/action.js';
import { TESTED_MODULE_VERSION } from '../../src/inputs.js';

const FIXED_INPUTS = [
  'target',
  'environment',
  'organization',
  'tenant-id',
  'connection-uri',
  'delegated-organization',
  'prefix',
  'auth',
  'client-id',
  'certificate',
  'certificate-password',
  'certificate-thumbprint',
  'client-secret',
  'access-token',
  'audience',
  'managed-identity-client-id',
  'username',
  'password',
  'authentication',
  'allow-redirection',
  'proxy-access-type',
  'insecure-skip-certificate-check',
  'script',
  'script-file',
  'working-directory',
  'parameters',
  'shell',
  'error-action-preference',
  'fail-on-error',
  'what-if',
  'script-timeout',
  'result-file',
  'result-depth',
  'module-version',
  'module-repository',
  'cache',
  'command-names',
  'connect-retries',
  'summary',
];

/** Inputs the team added beyond the fixed ones, each documented in the README. */
const EXTRA_INPUTS = ['authority-host'];

test('every fixed input is declared with a description, plus the documented extras', () => {
  expect(Object.keys(actionYml.inputs).sort()).toEqual([...FIXED_INPUTS, ...EXTRA_INPUTS].sort());
  for (const [name, input] of Object.entries(actionYml.inputs)) {
    expect([name, typeof (input as { description?: string }).description]).toEqual([name, 'string']);
  }
});

test('defaults are the documented ones', () => {
  const d = (name: string) => actionYml.inputs[name]!.default;
  expect([
    d('target'),
    d('environment'),
    d('auth'),
    d('audience'),
    d('authentication'),
    d('shell'),
    d('error-action-preference'),
    d('fail-on-error'),
    d('cache'),
    d('command-names'),
    d('connect-retries'),
    d('summary'),
    d('module-repository'),
    d('result-depth'),
  ]).toEqual([
    'exchange-online',
    'O365Default',
    'auto',
    'api://AzureADTokenExchange',
    'Kerberos',
    'pwsh',
    'Stop',
    'true',
    'true',
    'all',
    '2',
    'true',
    'PSGallery',
    '4',
  ]);
  expect(d('module-version')).toMatch(/^\d+\.\d+\.\d+$/);
});

test('outputs are the documented ones', () => {
  expect(Object.keys(actionYml.outputs).sort()).toEqual([
    'exit-code',
    'organization',
    'plan',
    'result',
    'result-count',
    'result-file',
  ]);
});

test('runs on node24 with a post step that always runs, from files that exist', () => {
  expect(actionYml.runs.using).toBe('node24');
  expect(actionYml.runs['post-if']).toBe('always()');
  for (const file of [actionYml.runs.main, actionYml.runs.post, 'dist/ps/runner.ps1']) {
    expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
  }
});

/** Files under a directory, relative to it, sorted. */
function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((file) => fs.statSync(path.join(dir, file)).isFile())
    .sort();
}

test('dist/ps ships the entry script, the module with its source files inlined, and beside it those it loads when needed and its compiled part; no Pester test', () => {
  const shipped = tree(path.join(ROOT, 'dist/ps'));
  const module = path.join('ExoConnectRunner', 'ExoConnectRunner.psm1');
  const loader = fs.readFileSync(path.join(ROOT, 'src/ps', module), 'utf8');
  // The files the module loads when needed (Import-RunnerFile), as its region lists them.
  const onDemand = [...loader.matchAll(/^Import-RunnerFile -Path '([^']+)'$/gm)].map(([, file]) => file!);
  expect(onDemand).toContain('Private/ModuleSave.ps1');
  const separate = ['runner.ps1', path.join('ExoConnectRunner', 'ExoConnectRunner.psd1')].concat(
    onDemand.map((file) => path.join('ExoConnectRunner', ...file.split('/'))),
  );
  // The compiled part, which script/build.mjs builds from Native/ (CI's rebuild checks its bytes).
  const compiled = path.join('ExoConnectRunner', 'bin', 'ExoConnectRunner.Native.dll');
  expect(fs.existsSync(path.join(ROOT, 'src/ps/ExoConnectRunner/Native/ExoConnectRunner.Native.csproj'))).toBe(true);
  expect(shipped).toEqual([module, compiled, ...separate].sort());
  for (const file of separate) {
    expect(fs.readFileSync(path.join(ROOT, 'dist/ps', file), 'utf8')).toBe(
      fs.readFileSync(path.join(ROOT, 'src/ps', file), 'utf8'),
    );
  }
  // Every other source file of the module, whole and in the loader's order; no dot-sourcing left,
  // and none of the files loaded when needed.
  const built = fs.readFileSync(path.join(ROOT, 'dist/ps', module), 'utf8');
  const sources = tree(path.join(ROOT, 'src/ps/ExoConnectRunner')).filter(
    (file) => file.endsWith('.ps1') && !file.endsWith('.Tests.ps1'),
  );
  expect(sources.length).toBeGreaterThan(10);
  for (const file of sources) {
    const name = file.split(path.sep).join('/');
    const text = fs.readFileSync(path.join(ROOT, 'src/ps/ExoConnectRunner', file), 'utf8').replace(/^\uFEFF/, '');
    if (onDemand.includes(name)) {
      expect(built).not.toContain(text.trimEnd());
      expect(built).not.toContain(`#region ${name}`);
    } else {
      expect(built).toContain(`#region ${name}\n${text.trimEnd()}\n#endregion`);
    }
  }
  expect(built).not.toMatch(/^\. \(Join-Path/m);
  expect(built).not.toMatch(/^Import-RunnerFile/m);
  expect(built.indexOf('#region Private/SafeCommands.ps1')).toBeLessThan(built.indexOf('#region Private/Json.ps1'));
});

test('the module-version default is the version this release is tested with', () => {
  expect(actionYml.inputs['module-version']!.default).toBe(TESTED_MODULE_VERSION);
  expect(
    fs.readFileSync(path.join(ROOT, 'sandbox/modules/ExchangeOnlineManagement/ExchangeOnlineManagement.psd1'), 'utf8'),
  ).toContain(`ModuleVersion     = '${TESTED_MODULE_VERSION}'`);
});
