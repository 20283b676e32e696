// Module provisioning through dist/: a pinned version installed from a real (file-based)
// PowerShell repository that the test publishes the sandbox module to, `installed`, a
// PowerShell version the module does not support, and command-names (list and auto).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Job, realPwsh, ROOT, runMain, SANDBOX_MODULES } from '../support/action.js';
import { validInputs } from '../support/invalid-inputs.js';

const pwsh = realPwsh();
const SANDBOX = path.join(SANDBOX_MODULES, 'ExchangeOnlineManagement');

let job: Job;
beforeEach(() => (job = new Job()));
afterEach(() => job.cleanup());

/** Packs a module directory into a .nupkg in a folder that serves as a file-based repository. */
function pack(modulePath: string, repository: string): void {
  execFileSync(pwsh, [
    '-NoLogo',
    '-NoProfile',
    '-NonInteractive',
    '-File',
    path.join(ROOT, 'test', 'support', 'pack-module.ps1'),
    '-ModulePath',
    modulePath,
    '-Repository',
    repository,
  ]);
}

/** Where the action saves a module-version (one directory each; a prerelease saves under the same folder name). */
const savedModule = (moduleVersion: string, folder: string): string =>
  path.join(
    job.root,
    'tool-cache',
    'exo-connect-action',
    'modules',
    'pwsh',
    moduleVersion,
    'ExchangeOnlineManagement',
    folder,
  );

/** A copy of the sandbox module that says it is `version`, to publish as a newer release. */
function sandboxAs(version: string): string {
  const copy = path.join(job.root, `sandbox-${version}`, 'ExchangeOnlineManagement');
  fs.cpSync(SANDBOX, copy, { recursive: true });
  const manifest = path.join(copy, 'ExchangeOnlineManagement.psd1');
  const text = fs.readFileSync(manifest, 'utf8');
  expect(text).toContain("ModuleVersion     = '3.9.0'");
  fs.writeFileSync(manifest, text.replace("ModuleVersion     = '3.9.0'", `ModuleVersion     = '${version}'`));
  return copy;
}

/** Today by UTC, as the action names the day of a latest save. */
const utcDay = (): string => new Date().toISOString().slice(0, 10);

/** Runs a PowerShell command for the test's own set-up, with values passed as environment data. */
function powershell(command: string, env: Record<string, string>): string {
  return execFileSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', command], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

describe('with real PowerShell', () => {
  test('a pinned version is saved from a file repository registered for the install only, into a private directory', async () => {
    const repository = path.join(job.root, 'psrepo');
    fs.mkdirSync(repository);
    pack(SANDBOX, repository);
    expect(fs.readdirSync(repository)).toEqual(['ExchangeOnlineManagement.3.9.0.nupkg']);

    const empty = path.join(job.root, 'no-modules');
    fs.mkdirSync(empty);
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        'module-version': '3.9.0',
        'module-repository': `file://${repository}`,
        cache: 'false',
        script: '(Get-Module ExchangeOnlineManagement).ModuleBase',
      },
      env: { PSModulePath: empty },
    });
    expect(step.errors).toEqual([]);
    expect(step.code).toBe(0);
    const base = JSON.parse(step.outputs.result!)[0] as string;
    expect(base).toBe(savedModule('3.9.0', '3.9.0'));
    const repositories = powershell('(Get-PSRepository).Name -join ","', {});
    expect(repositories).not.toMatch(/exo-connect-/);
  }, 180_000);

  test('a pinned version the feed does not hold fails naming the feed as given, with a hint', async () => {
    const repository = path.join(job.root, 'psrepo');
    fs.mkdirSync(repository);
    pack(SANDBOX, repository);
    const empty = path.join(job.root, 'no-modules');
    fs.mkdirSync(empty);
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        'module-version': '3.7.2',
        'module-repository': `file://${repository}`,
        cache: 'false',
      },
      env: { PSModulePath: empty },
    });
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toContain(`could not be installed from repository 'file://${repository}'`);
    expect(step.errors.join('\n')).not.toMatch(/exo-connect-[0-9a-f]{8}/);
    expect(step.errors.join('\n')).toMatch(/Hint: The module could not be downloaded from module-repository/);
  }, 180_000);

  test('latest installs the newest release, even when an older copy is on PSModulePath', async () => {
    const repository = path.join(job.root, 'psrepo');
    fs.mkdirSync(repository);
    for (const module of [SANDBOX, sandboxAs('3.9.1')]) pack(module, repository);
    const day = utcDay();
    // The harness's PSModulePath holds the sandbox 3.9.0, like a copy on the runner image.
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        'module-version': 'latest',
        'module-repository': `file://${repository}`,
        cache: 'false',
        script: '$m = Get-Module ExchangeOnlineManagement; "$($m.Version)"; $m.ModuleBase',
      },
    });
    expect(step.errors).toEqual([]);
    const [version, base] = JSON.parse(step.outputs.result!) as string[];
    expect(version).toBe('3.9.1');
    expect([savedModule(`latest-${day}`, '3.9.1'), savedModule(`latest-${utcDay()}`, '3.9.1')]).toContain(base);
  }, 180_000);

  test("latest on a runner whose tool cache persists (self-hosted): an earlier day's save is not reused, the feed is asked again, and the old saves are removed", async () => {
    const modules = path.join(job.root, 'tool-cache', 'exo-connect-action', 'modules', 'pwsh');
    // What earlier jobs left: this release's save from an earlier day, and an earlier release's undated one.
    for (const old of ['latest-2020-01-01', 'latest'])
      fs.cpSync(SANDBOX, path.join(modules, old, 'ExchangeOnlineManagement', '3.9.0'), { recursive: true });
    const repository = path.join(job.root, 'psrepo');
    fs.mkdirSync(repository);
    for (const module of [SANDBOX, sandboxAs('3.9.1')]) pack(module, repository);
    const day = utcDay();
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        'module-version': 'latest',
        'module-repository': `file://${repository}`,
        cache: 'false',
        script: '$m = Get-Module ExchangeOnlineManagement; "$($m.Version)"; $m.ModuleBase',
      },
    });
    expect(step.errors).toEqual([]);
    const [version, base] = JSON.parse(step.outputs.result!) as string[];
    expect(version).toBe('3.9.1');
    const saved = path.relative(modules, base!).split(path.sep)[0]!;
    expect([`latest-${day}`, `latest-${utcDay()}`]).toContain(saved);
    expect(fs.readdirSync(modules)).toEqual([saved]);
  }, 180_000);

  test('module-version installed uses PSModulePath and installs nothing', async () => {
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        'module-version': 'installed',
        script: '(Get-Module ExchangeOnlineManagement).ModuleBase',
      },
    });
    expect(step.code).toBe(0);
    expect(JSON.parse(step.outputs.result!)[0]).toBe(SANDBOX);
    expect(fs.existsSync(path.join(job.root, 'tool-cache'))).toBe(false);
  });

  test('a module that needs a newer PowerShell fails with the version to pin', async () => {
    const modules = path.join(job.root, 'future-modules');
    const future = path.join(modules, 'ExchangeOnlineManagement');
    fs.cpSync(SANDBOX, future, { recursive: true });
    const manifest = path.join(future, 'ExchangeOnlineManagement.psd1');
    fs.writeFileSync(
      manifest,
      fs
        .readFileSync(manifest, 'utf8')
        .replace("ModuleVersion     = '3.9.0'", "ModuleVersion     = '3.99.0'")
        .replace("PowerShellVersion = '5.1'", "PowerShellVersion = '99.0'"),
    );
    const step = await runMain(job, {
      inputs: { ...validInputs(), 'module-version': '3.99.0' },
      env: { PSModulePath: modules },
    });
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(
      /ExchangeOnlineManagement 3\.99\.0 requires a minimum PowerShell version of 99\.0.*Pin module-version .* such as 3\.9\.0.*\nHint: This ExchangeOnlineManagement version does not run on this PowerShell/s,
    );
  });

  test('a command-names list loads exactly those cmdlets; one left out is "not recognized", with its hint', async () => {
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        'command-names': 'Get-Mailbox',
        script: 'Get-Mailbox -ResultSize 1 | Out-Null\nGet-DistributionGroup',
      },
    });
    expect(step.code).toBe(1);
    expect(job.calls().find((c) => c.command === 'Connect-ExchangeOnline')!.parameters.CommandName).toEqual([
      'Get-Mailbox',
    ]);
    expect(step.log).toMatch(/command-names: 1 cmdlets requested/);
    expect(step.errors.join('\n')).toMatch(
      /'Get-DistributionGroup' is not recognized.*\nHint: The cmdlet is not in this session/s,
    );
  });

  test('command-names auto requests the cmdlets a static script names', async () => {
    const script = [
      'function Format-Row { param($m) "$($m.DisplayName)" }',
      'Get-EXOMailbox -ResultSize 1 | ForEach-Object { Format-Row $_ }',
      'Get-Mailbox -Identity adele | Select-Object DisplayName',
      'Set-Mailbox -Identity adele -Department Sales -WhatIf',
    ].join('\n');
    const step = await runMain(job, { inputs: { ...validInputs(), 'command-names': 'auto', script } });
    expect(step.code).toBe(0);
    expect(job.calls().find((c) => c.command === 'Connect-ExchangeOnline')!.parameters.CommandName).toEqual([
      'Get-Mailbox',
      'Set-Mailbox',
    ]);
    expect(step.log).toMatch(/command-names auto: 2 cmdlets requested: Get-Mailbox, Set-Mailbox\./);
  });

  test('command-names auto with a prefix requests the cmdlets by their own names, and the script calls them prefixed', async () => {
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        prefix: 'Contoso',
        'command-names': 'auto',
        script: 'Get-ContosoMailbox -Identity adele | Select-Object DisplayName',
      },
    });
    expect(step.code).toBe(0);
    expect(job.calls().find((c) => c.command === 'Connect-ExchangeOnline')!.parameters).toMatchObject({
      CommandName: ['Get-Mailbox'],
      Prefix: 'Contoso',
    });
    expect(JSON.parse(step.outputs.result!)).toEqual([{ DisplayName: 'Adele Vance' }]);
  });

  test.each([
    ['$name = "Get-Mailbox"\n& $name -ResultSize 1', /line 2 invokes a command whose name is computed/],
    ['Invoke-Expression "Get-Mailbox -ResultSize 1"', /line 1 uses Invoke-Expression/],
    ['. ./helpers.ps1\nGet-Mailbox -ResultSize 1', /line 1 dot-sources/],
  ])('command-names auto falls back to all for %j', async (script, reason) => {
    fs.writeFileSync(path.join(job.workspace, 'helpers.ps1'), '# helpers\n');
    const step = await runMain(job, { inputs: { ...validInputs(), 'command-names': 'auto', script } });
    expect(step.code).toBe(0);
    expect(job.calls().find((c) => c.command === 'Connect-ExchangeOnline')!.parameters.CommandName).toBeUndefined();
    expect(step.log).toMatch(reason);
  });
});
