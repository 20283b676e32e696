// action.yml declares every input and output the product fixes, and runs as the layout says.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { actionYml, ROOT } from '../support/action.js';
import { TESTED_MODULE_VERSION } from '../../src/session.js';

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

test('dist/ships the same PowerShell files as src/ps, without the Pester tests', () => {
  const shipped = tree(path.join(ROOT, 'dist/ps'));
  const sources = tree(path.join(ROOT, 'src/ps'));
  expect(shipped).toEqual(sources.filter((file) => !file.endsWith('.Tests.ps1')));
  expect(shipped).toContain(path.join('ExoConnectRunner', 'ExoConnectRunner.psm1'));
  for (const file of shipped) {
    expect(fs.readFileSync(path.join(ROOT, 'dist/ps', file), 'utf8')).toBe(
      fs.readFileSync(path.join(ROOT, 'src/ps', file), 'utf8'),
    );
  }
});

test('the module-version default is the version this release is tested with', () => {
  expect(actionYml.inputs['module-version']!.default).toBe(TESTED_MODULE_VERSION);
  expect(
    fs.readFileSync(path.join(ROOT, 'sandbox/modules/ExchangeOnlineManagement/ExchangeOnlineManagement.psd1'), 'utf8'),
  ).toContain(`ModuleVersion     = '${TESTED_MODULE_VERSION}'`);
});
