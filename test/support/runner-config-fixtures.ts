// Writes runner configurations built by the action's own code (readSettings, buildRunnerConfig,
// buildRemoveSessionConfig), each framed as main sends it on stdin, for the PowerShell side's
// tests (Config.Tests.ps1) to read. Run by them as:
//   node --experimental-transform-types --no-warnings test/support/runner-config-fixtures.ts <dir>
import * as fs from 'node:fs';
import { registerHooks } from 'node:module';
import * as path from 'node:path';

// src/ names its siblings by their compiled .js names; here the .ts sources answer for them.
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!specifier.startsWith('.') || !specifier.endsWith('.js')) throw error;
      return nextResolve(specifier.slice(0, -3) + '.ts', context);
    }
  },
});

const { readSettings } = await import('../../src/inputs.js');
const { buildRemoveSessionConfig, buildRunnerConfig, startupVariables } = await import('../../src/session.js');
const { createRunDirectory } = await import('../../src/run-directory.js');
const { validInputs } = await import('./invalid-inputs.js');
const { encodeRunnerConfig } = await import('../../src/runner-contract.js');

/** Values that PowerShell 7's ConvertFrom-Json would change: a long integer, ISO dates. */
export const FIXTURE_PARAMETERS = '{"Id": 12345678901234567890, "When": "2026-01-02T03:04:05Z", "Names": ["one"]}';
export const FIXTURE_PASSWORD = '2026-01-02T03:04:05Z';

const target = process.argv[2];
if (target === undefined) throw new Error('usage: runner-config-fixtures.ts <directory>');
fs.mkdirSync(target, { recursive: true });
const provision = { shellPath: 'pwsh', runnerPath: 'runner.ps1', moduleDirectory: path.join(target, 'modules') };

const settingsFor = (inputs: Record<string, string>, platform: NodeJS.Platform = 'linux') =>
  readSettings({
    getInput: (name) => inputs[name] ?? '',
    maskSecret: () => undefined,
    platform,
    env: { GITHUB_WORKSPACE: target },
  });
const server = {
  target: 'exchange-server',
  'connection-uri': 'https://mail01.contoso.com/PowerShell/',
  auth: 'credential',
  authentication: 'Basic',
  username: 'CONTOSO\\svc-exo',
  password: FIXTURE_PASSWORD,
  script: '"on-prem"',
};
const token = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ exp: 4102444800, roles: ['Exchange.ManageAsApp'] })).toString('base64url')}.c2ln`;
const workspace = (): ReturnType<typeof createRunDirectory> => createRunDirectory(target);
const write = (name: string, config: Parameters<typeof encodeRunnerConfig>[0]): void =>
  fs.writeFileSync(path.join(target, `${name}.config`), encodeRunnerConfig(config, startupVariables({})));

write(
  'certificate',
  buildRunnerConfig(
    settingsFor({
      ...validInputs(),
      parameters: FIXTURE_PARAMETERS,
      script: 'param([decimal] $Id, [string] $When, [string[]] $Names) $Id',
      'command-names': 'auto',
    }),
    provision,
    workspace(),
  ),
);
write(
  'access-token',
  buildRunnerConfig(
    settingsFor({ organization: 'contoso.onmicrosoft.com', 'access-token': token, script: '"in"' }),
    provision,
    workspace(),
  ),
);
write('server', buildRunnerConfig(settingsFor(server, 'win32'), provision, workspace()));
write('remove-session', buildRemoveSessionConfig(settingsFor(server, 'win32'), workspace(), 'a1b2c3d4'));
