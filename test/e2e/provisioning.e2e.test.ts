// Module provisioning through dist/: a pinned version installed from a real (file-based)
// PowerShell repository that the test publishes the sandbox module to, `installed`, a
// PowerShell version the module does not support, and command-names (list and auto).
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { Job, realPwsh, ROOT, runMain, runPost, SANDBOX_MODULES } from '../support/action.js';
import { validInputs } from '../support/invalid-inputs.js';
import { hintById } from '../../src/hints.js';

const pwsh = realPwsh();
const SANDBOX = path.join(SANDBOX_MODULES, 'ExchangeOnlineManagement');

let job: Job;
beforeEach(() => (job = new Job()));
afterEach(() => job.cleanup());
/** This worker's umask, read by setting one and putting it back (reading alone is deprecated). */
const WORKER_UMASK = ((mask) => (process.umask(mask), mask))(process.umask(0o022));
afterEach(() => process.umask(WORKER_UMASK));

/**
 * The account's local data folder of every PowerShell these tests start (the module-save lock,
 * PSResourceGet's repository store): one of the job's, removed with it, so that a test run leaves
 * nothing in the home folder. Job.env() and the helpers below pass process.env on.
 */
const dataHome = (): string => path.join(job.root, 'data');
let accountDataHome: string | undefined;
beforeEach(() => {
  accountDataHome = process.env.XDG_DATA_HOME;
  fs.mkdirSync(dataHome());
  process.env.XDG_DATA_HOME = dataHome();
});
afterEach(() => {
  if (accountDataHome === undefined) delete process.env.XDG_DATA_HOME;
  else process.env.XDG_DATA_HOME = accountDataHome;
});

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

/** A file feed holding the sandbox module as 3.9.0, and an empty folder to be the whole PSModulePath. */
function sandboxFeed(): { repository: string; empty: string } {
  const repository = path.join(job.root, 'psrepo');
  fs.mkdirSync(repository);
  pack(SANDBOX, repository);
  const empty = path.join(job.root, 'no-modules');
  fs.mkdirSync(empty);
  return { repository, empty };
}

/** The main step saving module-version from that feed, with nothing on PSModulePath and no cache. */
function runFromFeed(
  feed: { repository: string; empty: string },
  moduleVersion: string,
  inputs: Record<string, string> = {},
): ReturnType<typeof runMain> {
  return runMain(job, {
    inputs: {
      ...validInputs(),
      'module-version': moduleVersion,
      'module-repository': `file://${feed.repository}`,
      cache: 'false',
      ...inputs,
    },
    env: { PSModulePath: feed.empty },
  });
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

describe('with real PowerShell', () => {
  test('a pinned version is saved from a file repository registered for the install only, into a private directory', async () => {
    const feed = sandboxFeed();
    expect(fs.readdirSync(feed.repository)).toEqual(['ExchangeOnlineManagement.3.9.0.nupkg']);
    const step = await runFromFeed(feed, '3.9.0', { script: '(Get-Module ExchangeOnlineManagement).ModuleBase' });
    expect(step.errors).toEqual([]);
    expect(step.code).toBe(0);
    const base = JSON.parse(step.outputs.result!)[0] as string;
    expect(base).toBe(savedModule('3.9.0', '3.9.0'));
    // The save lock and the repository store are in the job's data folder, and the feed is no
    // longer registered there.
    expect(fs.existsSync(path.join(dataHome(), 'exo-connect-action', 'module-save.lock'))).toBe(true);
    const store = fs.readFileSync(path.join(dataHome(), 'PSResourceGet', 'PSResourceRepository.xml'), 'utf8');
    expect(store).toContain('PSGallery');
    expect(store).not.toMatch(/exo-connect-/);
  }, 180_000);

  test("under a umask of 000, the saved copy and the action's folders above it are writable by this account only", async () => {
    if (process.platform === 'win32') return;
    const feed = sandboxFeed();
    // The step's processes inherit the umask, as they would from a runner service started with it
    // (put back after each test too, should this one time out with the step still running).
    process.umask(0);
    let step: Awaited<ReturnType<typeof runMain>>;
    try {
      step = await runFromFeed(feed, '3.9.0', { script: "'saved'" });
    } finally {
      process.umask(WORKER_UMASK);
    }
    expect([step.code, step.errors]).toEqual([0, []]);
    const action = path.join(job.root, 'tool-cache', 'exo-connect-action');
    const copy = savedModule('3.9.0', '3.9.0');
    const entries = [
      action,
      ...fs.readdirSync(action, { recursive: true }).map((name) => path.join(action, String(name))),
    ];
    expect(entries).toContain(path.join(copy, 'ExchangeOnlineManagement.psd1'));
    const shared = entries.filter((entry) => (fs.lstatSync(entry).mode & 0o022) !== 0);
    expect(shared).toEqual([]);
  }, 180_000);

  test('a pinned version the feed does not hold fails naming the version, the feed as given and what it has, without a network hint', async () => {
    const feed = sandboxFeed();
    const step = await runFromFeed(feed, '3.7.2');
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toContain(
      `Loading ExchangeOnlineManagement (contoso.onmicrosoft.com) failed: ExchangeOnlineManagement 3.7.2 is not in file://${feed.repository} (it has: 3.9.0).`,
    );
    expect(step.errors.join('\n')).not.toMatch(/exo-connect-[0-9a-f]{8}/);
    expect(step.errors.join('\n')).toMatch(/Hint: module-repository answered, but does not hold that version/);
    expect(step.errors.join('\n')).not.toMatch(/proxy|reaches it/);
  }, 180_000);

  test('a damaged package in the feed (a .nupkg cut short) fails the module phase with a hint that names the package, not a temporary folder', async () => {
    const feed = sandboxFeed();
    const nupkg = path.join(feed.repository, 'ExchangeOnlineManagement.3.9.0.nupkg');
    fs.truncateSync(nupkg, Math.floor(fs.statSync(nupkg).size / 2));
    const step = await runFromFeed(feed, '3.9.0');
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(/Loading ExchangeOnlineManagement \(contoso\.onmicrosoft\.com\) failed: /);
    expect(step.errors.join('\n')).toMatch(
      /End of Central Directory.*\nHint: The package the installer got from module-repository is damaged/s,
    );
  }, 180_000);

  test('a prerelease is named with its label in the log, the summary and the module line, which says where it came from', async () => {
    const repository = path.join(job.root, 'psrepo');
    fs.mkdirSync(repository);
    const preview = path.join(job.root, 'preview', 'ExchangeOnlineManagement');
    fs.cpSync(SANDBOX, preview, { recursive: true });
    const manifest = path.join(preview, 'ExchangeOnlineManagement.psd1');
    const text = fs.readFileSync(manifest, 'utf8');
    const labelled = text
      .replace("ModuleVersion     = '3.9.0'", "ModuleVersion     = '3.10.0'")
      .replace(
        'PrivateData       = @{ Sandbox = $true }',
        "PrivateData = @{ Sandbox = $true; PSData = @{ Prerelease = 'Preview1' } }",
      );
    expect(labelled).toContain("Prerelease = 'Preview1'");
    fs.writeFileSync(manifest, labelled);
    pack(preview, repository);
    const empty = path.join(job.root, 'no-modules');
    fs.mkdirSync(empty);
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        'module-version': '3.10.0-Preview1',
        'module-repository': `file://${repository}`,
        cache: 'false',
      },
      env: { PSModulePath: empty },
    });
    expect(step.errors).toEqual([]);
    expect(step.log).toMatch(/::group::Connect: .*, ExchangeOnlineManagement 3\.10\.0-Preview1$/m);
    const saved = savedModule('3.10.0-Preview1', '3.10.0');
    expect(step.log).toContain(
      `ExchangeOnlineManagement 3.10.0-Preview1 from ${saved} (saved from file://${repository} with PSResourceGet in `,
    );
    expect(step.summary).toContain('ExchangeOnlineManagement 3.10.0-Preview1');
  }, 180_000);

  test('module-version installed names the copy it found, with a notice when it is older than the tested release', async () => {
    const modules = path.join(job.root, 'image-modules');
    const old = path.join(modules, 'ExchangeOnlineManagement', '3.5.0');
    fs.cpSync(SANDBOX, old, { recursive: true });
    const manifest = path.join(old, 'ExchangeOnlineManagement.psd1');
    fs.writeFileSync(
      manifest,
      fs.readFileSync(manifest, 'utf8').replace("ModuleVersion     = '3.9.0'", "ModuleVersion     = '3.5.0'"),
    );
    const step = await runMain(job, {
      inputs: { ...validInputs(), 'module-version': 'installed' },
      env: { PSModulePath: modules },
    });
    expect(step.code).toBe(0);
    expect(step.log).toContain(
      `ExchangeOnlineManagement 3.5.0 from ${old} (found on PSModulePath, module-version installed)`,
    );
    expect(step.log).toMatch(
      /^::notice::module-version installed runs ExchangeOnlineManagement 3\.5\.0, older than 3\.9\.0, the version this release of the action is tested with\./m,
    );
  });

  /** module-version latest from a feed of 3.9.0 and 3.9.1: the UTC day it ran, and the version and folder the script saw. */
  async function runLatestFrom3_9_1Feed(): Promise<{ day: string; version: string; base: string }> {
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
    return { day, version: version!, base: base! };
  }

  test('latest installs the newest release, even when an older copy is on PSModulePath', async () => {
    // The harness's PSModulePath holds the sandbox 3.9.0, like a copy on the runner image.
    const { day, version, base } = await runLatestFrom3_9_1Feed();
    expect(version).toBe('3.9.1');
    // latest-<UTC day>-<the feed's key>: this feed is not the Gallery.
    const folder = path.basename(path.dirname(path.dirname(base)));
    expect(folder).toMatch(new RegExp(`^latest-(${day}|${utcDay()})-[0-9a-f]{12}$`));
    expect(base).toBe(savedModule(folder, '3.9.1'));
  }, 180_000);

  test("latest on a runner whose tool cache persists (self-hosted): an earlier day's save is not reused, the feed is asked again, and the old saves are removed", async () => {
    const modules = path.join(job.root, 'tool-cache', 'exo-connect-action', 'modules', 'pwsh');
    // What earlier jobs left: this release's save from an earlier day, and an earlier release's undated one.
    for (const old of ['latest-2020-01-01', 'latest'])
      fs.cpSync(SANDBOX, path.join(modules, old, 'ExchangeOnlineManagement', '3.9.0'), { recursive: true });
    const { day, version, base } = await runLatestFrom3_9_1Feed();
    expect(version).toBe('3.9.1');
    const saved = path.relative(modules, base).split(path.sep)[0]!;
    expect(saved).toMatch(new RegExp(`^latest-(${day}|${utcDay()})-[0-9a-f]{12}$`));
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
    expect(step.log).toMatch(/command-names: 1 cmdlet requested: Get-Mailbox\./);
    // Said before the script runs, and then the failure it foretold.
    expect(step.warnings).toContain(
      'command-names leaves out Get-DistributionGroup, which the script calls and this session does not have: it fails as not recognized, unless the script installs or imports a module that has it. Add the Exchange cmdlets among them to command-names, or set it to auto, which requests the cmdlets the script names.',
    );
    expect(step.errors.join('\n')).toMatch(
      /'Get-DistributionGroup' is not recognized.*\nHint: The cmdlet is not in this session/s,
    );
  });

  test('a name in a command-names list that the connection did not import is warned about before the script runs', async () => {
    const step = await runMain(job, {
      inputs: {
        ...validInputs(),
        'command-names': 'Get-Mailbox, Get-MailboxTypo',
        script: 'Get-Mailbox -Identity adele | Select-Object DisplayName',
      },
    });
    expect(step.code).toBe(0);
    expect(job.calls().find((c) => c.command === 'Connect-ExchangeOnline')!.parameters.CommandName).toEqual([
      'Get-Mailbox',
      'Get-MailboxTypo',
    ]);
    expect(step.log).toMatch(/command-names: 2 cmdlets requested: Get-Mailbox, Get-MailboxTypo\./);
    // The script calls only Get-Mailbox, which the list holds: nothing it calls fails.
    expect(step.warnings).toEqual([
      'command-names lists Get-MailboxTypo, which the connection did not import: it is not a cmdlet of this connection (a typo?), or the Exchange role of the app or account does not grant it.',
    ]);
    // Before the script's group: the warning comes from the connect.
    expect(step.log.indexOf('::warning::command-names lists')).toBeLessThan(step.log.indexOf('::group::Script'));
  });

  test('a mistyped command-names list: the warning names the cmdlet the script calls and the list left out, not the typo, as what fails', async () => {
    const step = await runMain(job, {
      inputs: { ...validInputs(), 'command-names': 'Get-Mailbx', script: 'Get-Mailbox -ResultSize 1 | Out-Null' },
    });
    expect(step.code).toBe(1);
    expect(step.warnings).toEqual([
      'command-names lists Get-Mailbx, which the connection did not import: it is not a cmdlet of this connection (a typo?), or the Exchange role of the app or account does not grant it. Cmdlets the script calls that the list leaves out fail as not recognized: Get-Mailbox.',
    ]);
    expect(step.errors.join('\n')).toMatch(
      /The script \(contoso\.onmicrosoft\.com\) failed: The term 'Get-Mailbox' is not recognized/,
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

  test("command-names auto for a script of the module's own cmdlets only: the connection loads none of its own", async () => {
    const script =
      'Get-EXOMailbox -ResultSize 2 | ForEach-Object { Get-EXOMailboxStatistics -Identity $_.UserPrincipalName } | Select-Object -ExpandProperty DisplayName';
    const step = await runMain(job, { inputs: { ...validInputs(), 'command-names': 'auto', script } });
    expect(step.errors).toEqual([]);
    expect(step.code).toBe(0);
    expect(job.calls().find((c) => c.command === 'Connect-ExchangeOnline')!.parameters.CommandName).toEqual([
      'Get-EXOMailbox',
      'Get-EXOMailboxStatistics',
    ]);
    expect(step.log).toMatch(/the connection loads none of its other cmdlets\./);
    expect(JSON.parse(step.outputs.result!)).toHaveLength(2);
  });

  test('command-names auto requests a cmdlet the script checks for on the function: drive, or stubs only offline', async () => {
    const script = [
      'param([switch] $Offline)',
      'if ($Offline) { function Get-DistributionGroup { "stub" } }',
      "if (-not (Test-Path function:\\Get-Mailbox)) { throw 'Exchange cmdlets are not loaded' }",
      'Get-Mailbox -Identity adele | Select-Object -ExpandProperty DisplayName',
      'Get-DistributionGroup -ResultSize 1 | Out-Null',
    ].join('\n');
    const step = await runMain(job, { inputs: { ...validInputs(), 'command-names': 'auto', script } });
    expect(step.errors).toEqual([]);
    expect(step.code).toBe(0);
    expect(job.calls().find((c) => c.command === 'Connect-ExchangeOnline')!.parameters.CommandName).toEqual([
      'Get-Mailbox',
      'Get-DistributionGroup',
    ]);
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

  test.each([
    [
      'using module ./Helpers.psm1\nGet-MailboxReport',
      /command-names auto: loading all cmdlets, because line 1 imports the module \.\/Helpers\.psm1 with using module, whose cmdlets are not read\./,
    ],
    [
      '#Requires -Modules Contoso.Helpers\nGet-MailboxReport',
      /command-names auto: loading all cmdlets, because line 1 requires the module Contoso\.Helpers \(#Requires -Modules\), whose cmdlets are not read\./,
    ],
  ])('command-names auto falls back to all for a script whose module calls the cmdlets: %j', async (script, reason) => {
    // A helper module whose function calls an Exchange cmdlet the script itself never names.
    const helpers = 'function Get-MailboxReport { Get-Mailbox -Identity adele | Select-Object DisplayName }\n';
    fs.writeFileSync(path.join(job.workspace, 'Helpers.psm1'), helpers);
    const modules = path.join(job.root, 'helper-modules');
    fs.mkdirSync(path.join(modules, 'Contoso.Helpers'), { recursive: true });
    fs.writeFileSync(path.join(modules, 'Contoso.Helpers', 'Contoso.Helpers.psm1'), helpers);
    fs.writeFileSync(path.join(job.workspace, 'main.ps1'), script);
    const step = await runMain(job, {
      inputs: { ...validInputs(), 'command-names': 'auto', script: '', 'script-file': 'main.ps1' },
      env: { PSModulePath: [modules, SANDBOX_MODULES].join(path.delimiter) },
    });
    expect(step.errors).toEqual([]);
    expect(step.code).toBe(0);
    expect(job.calls().find((c) => c.command === 'Connect-ExchangeOnline')!.parameters.CommandName).toBeUndefined();
    expect(step.log).toMatch(reason);
    expect(JSON.parse(step.outputs.result!)).toEqual([{ DisplayName: 'Adele Vance' }]);
  });
});

/**
 * A feed at https://127.0.0.1:<port>/v3/index.json that takes connections and never answers, not
 * even the TLS handshake: a feed or proxy that does not answer, as the installer meets it.
 */
async function silentFeed(): Promise<{ url: string; reached: Promise<void>; close: () => void }> {
  const sockets: net.Socket[] = [];
  let onReached: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (onReached = resolve));
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    onReached();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/v3/index.json`,
    reached,
    close: () => {
      sockets.forEach((s) => s.destroy());
      server.close();
    },
  };
}

describe('a feed that never answers: the download does not end at a stop', () => {
  test.each([
    ['script-timeout', 'The run (contoso.onmicrosoft.com) timed out after 8.0 s (script-timeout) in its module phase'],
    ['a cancel', 'The run (contoso.onmicrosoft.com) was cancelled'],
  ])(
    '%s ends PowerShell; the message says the download from module-repository had not finished, the hint what to check',
    async (stop, start) => {
      const feed = await silentFeed();
      try {
        const empty = path.join(job.root, 'no-modules');
        fs.mkdirSync(empty);
        const timeout: Record<string, string> = stop === 'script-timeout' ? { 'script-timeout': '8s' } : {};
        const step = await runMain(job, {
          inputs: {
            ...validInputs(),
            'module-version': '3.9.0',
            'module-repository': feed.url,
            cache: 'false',
            ...timeout,
          },
          // The account's repository store in the job's folder: a killed save leaves its registration there.
          env: { PSModulePath: empty, XDG_DATA_HOME: path.join(job.root, 'data') },
          ...(stop === 'a cancel' ? { cancelWhen: feed.reached } : {}),
        });
        expect(step.signal).toBeNull();
        expect(step.code).toBe(1);
        expect(step.errors).toEqual([
          `${start}; it was stopped before anything was connected (it did not stop when asked, and was killed). ExchangeOnlineManagement's download from ${feed.url} (module-repository) had not finished.\nHint: ${hintById(stop === 'a cancel' ? 'module-download-cancelled' : 'module-download-stopped')}`,
        ]);
        expect(job.calls()).toEqual([]);
        const post = await runPost(job);
        expect(post.code).toBe(0);
      } finally {
        feed.close();
      }
    },
    60_000,
  );
});

describe('an Actions cache service that takes requests and never answers', () => {
  test.each(['restore', 'save'] as const)(
    'a cancel during its %s ends the wait: the step reports by itself, its outputs set',
    async (mode) => {
      const held: http.ServerResponse[] = [];
      let onReached: () => void = () => undefined;
      const reached = new Promise<void>((resolve) => (onReached = resolve));
      const server = http.createServer((request, response) => {
        request.resume();
        // save: the restore's look-up finds nothing, and the save's reservation gets no answer.
        if (mode === 'save' && request.method === 'GET') return void response.writeHead(204).end();
        held.push(response);
        onReached();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const feed = sandboxFeed();
      try {
        const step = await runMain(job, {
          inputs: {
            ...validInputs(),
            'module-repository': `file://${feed.repository}`,
            cache: 'true',
            script: "'script ran'",
          },
          env: {
            PSModulePath: feed.empty,
            ACTIONS_CACHE_URL: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`,
            ACTIONS_RUNTIME_TOKEN: 'runtime-token',
          },
          cancelWhen: reached,
        });
        expect(step.signal).toBeNull();
        expect(step.ms).toBeLessThan(30_000);
        expect(step.outputs['exit-code']).toBeDefined();
        if (mode === 'restore') {
          expect(step.code).toBe(1);
          expect(step.errors.join('\n')).toMatch(
            /was cancelled before its configuration reached PowerShell; nothing was connected/,
          );
          expect(step.outputs.result).toBe('[]');
          expect(job.calls()).toEqual([]);
        } else {
          expect(step.outputs.result).toBe('["script ran"]');
          expect(step.warnings).toContainEqual(
            expect.stringMatching(/^Saving ExchangeOnlineManagement to the Actions cache was given up at the cancel: /),
          );
          expect(job.state.clean).toBe('true');
        }
        const post = await runPost(job);
        expect(post.code).toBe(0);
      } finally {
        held.forEach((response) => response.destroy());
        server.closeAllConnections();
        server.close();
      }
    },
    60_000,
  );
});

/**
 * Runs on one self-hosted runner machine share its tool cache and the account's local data folder
 * (XDG_DATA_HOME): PSResourceGet's repository store, and the action's module-save lock.
 */
describe('several runs on one runner', () => {
  let toolCache: string;
  let data: string;
  let repository: string;
  let empty: string;
  beforeEach(() => {
    toolCache = path.join(job.root, 'shared-tool-cache');
    data = path.join(job.root, 'shared-data');
    repository = path.join(job.root, 'psrepo');
    empty = path.join(job.root, 'no-modules');
    for (const dir of [toolCache, data, repository, empty]) fs.mkdirSync(dir);
    pack(SANDBOX, repository);
  });

  const inputs = (): Record<string, string> => ({
    ...validInputs(),
    'module-version': '3.9.0',
    'module-repository': `file://${repository}`,
    cache: 'false',
    script: '(Get-Module ExchangeOnlineManagement).ModuleBase',
  });
  const machineEnv = (): Record<string, string> => ({
    RUNNER_TOOL_CACHE: toolCache,
    XDG_DATA_HOME: data,
    PSModulePath: empty,
  });
  const modules = (): string => path.join(toolCache, 'exo-connect-action', 'modules', 'pwsh');

  test.each(['3.9.0', 'latest'])(
    'two runs saving module-version %s from one feed at once both succeed: one saves, the other uses its copy, which is whole',
    async (version) => {
      const other = new Job();
      try {
        const steps = await Promise.all(
          [job, other].map((j) =>
            runMain(j, { inputs: { ...inputs(), 'module-version': version }, env: machineEnv() }),
          ),
        );
        for (const step of steps) {
          expect(step.errors).toEqual([]);
          expect(step.code).toBe(0);
        }
        const [base, otherBase] = steps.map((s) => JSON.parse(s.outputs.result!)[0] as string);
        expect(otherBase).toBe(base);
        // The version's directory: 3.9.0, or latest-<UTC day>-<the feed's key>.
        const folder = path.relative(modules(), base!).split(path.sep)[0]!;
        expect(folder).toMatch(version === 'latest' ? /^latest-\d{4}-\d{2}-\d{2}-[0-9a-f]{12}$/ : /^3\.9\.0$/);
        expect(base).toBe(path.join(modules(), folder, 'ExchangeOnlineManagement', '3.9.0'));
        // One save; the other run waited for it, or came after it.
        expect(
          steps.filter((s) => s.log.includes(`(saved from file://${repository} with PSResourceGet in `)),
        ).toHaveLength(1);
        for (const file of fs.readdirSync(SANDBOX))
          expect(fs.readFileSync(path.join(base!, file))).toEqual(fs.readFileSync(path.join(SANDBOX, file)));
        // No staging folder left beside the version's directory.
        expect(fs.readdirSync(modules())).toEqual([folder]);
        // The account's repository store: whole, and nothing left registered by either run.
        const store = fs.readFileSync(path.join(data, 'PSResourceGet', 'PSResourceRepository.xml'), 'utf8');
        expect(store).toContain('PSGallery');
        expect(store).not.toMatch(/exo-connect-/);
      } finally {
        other.cleanup();
      }
    },
    180_000,
  );

  test("a run waiting for another run's save stops on a cancel, saves nothing and tears down", async () => {
    // Another run's PowerShell in the middle of its save: it holds the account's module-save lock.
    const lock = path.join(data, 'exo-connect-action', 'module-save.lock');
    fs.mkdirSync(path.dirname(lock));
    const holder = spawn(
      pwsh,
      [
        '-NoLogo',
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        "$l = [IO.File]::Open($env:LOCK, 'OpenOrCreate', 'ReadWrite', 'None'); 'held'; [Console]::In.ReadToEnd() | Out-Null; $l.Dispose()",
      ],
      { env: { ...process.env, LOCK: lock }, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
        holder.on('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)));
      });
      const step = await runMain(job, { inputs: inputs(), env: machineEnv(), cancelOnOutput: /This run waits for it/ });
      expect(step.log).toContain(
        `Another run on this runner, as the same account, is saving a module (it holds ${lock}). This run waits for it, then uses its copy of ExchangeOnlineManagement 3.9.0 if it saved that.`,
      );
      expect(step.code).toBe(1);
      // No download had begun: nothing of a feed, and nothing left.
      expect(step.errors).toEqual([
        `The run (contoso.onmicrosoft.com) was cancelled; it was stopped before anything was connected.\nHint: ${hintById('cancelled')}`,
      ]);
      // Stopped before its save began: nothing saved, no staging folder.
      expect(fs.existsSync(modules())).toBe(false);
      const post = await runPost(job);
      expect(post.code).toBe(0);
      expect(post.log).toMatch(/nothing to clean up/);
    } finally {
      holder.stdin.end();
      holder.kill();
    }
  }, 180_000);

  test("a feed registration that a run killed during its save left is removed by the next save; the user's own registrations stay", async () => {
    // What the killed run left: its feed registered, and its owner file, which no process holds now.
    execFileSync(
      pwsh,
      [
        '-NoLogo',
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        'Register-PSResourceRepository -Name exo-connect-0badf00d -Uri $env:FEED -Trusted; Register-PSResourceRepository -Name contoso-mirror -Uri $env:FEED; Register-PSResourceRepository -Name exo-connect-0123abcd -Uri $env:FEED',
      ],
      { env: { ...process.env, ...machineEnv(), FEED: repository } },
    );
    const owners = path.join(data, 'exo-connect-action', 'repositories', 'PSResourceGet');
    fs.mkdirSync(owners, { recursive: true });
    fs.writeFileSync(path.join(owners, 'exo-connect-0badf00d.lock'), '');
    const step = await runMain(job, { inputs: inputs(), env: machineEnv() });
    expect(step.errors).toEqual([]);
    expect(step.code).toBe(0);
    const store = fs.readFileSync(path.join(data, 'PSResourceGet', 'PSResourceRepository.xml'), 'utf8');
    const names = [...store.matchAll(/<Repository Name="([^"]+)"/g)].map((m) => m[1]).sort();
    // exo-connect-0123abcd has no owner file: the user's, or not this action's to judge.
    expect(names).toEqual(['PSGallery', 'contoso-mirror', 'exo-connect-0123abcd']);
    expect(fs.readdirSync(owners)).toEqual([]);
  }, 180_000);

  test('with XDG_DATA_HOME naming a folder that does not exist, PSResourceGet keeps its repositories there, not in the workspace', async () => {
    const missing = path.join(job.root, 'not-yet', 'data');
    const step = await runMain(job, { inputs: inputs(), env: { ...machineEnv(), XDG_DATA_HOME: missing } });
    expect(step.errors).toEqual([]);
    expect(step.code).toBe(0);
    // PowerShell ran in the workspace: .NET names no data folder while it is missing, and
    // PSResourceGet would then write PSResourceGet/PSResourceRepository.xml there.
    expect(fs.readdirSync(job.workspace)).toEqual([]);
    const store = fs.readFileSync(path.join(missing, 'PSResourceGet', 'PSResourceRepository.xml'), 'utf8');
    expect(store).not.toMatch(/exo-connect-/);
  }, 180_000);

  test('a repository store that cannot be read fails naming the file; the hint says how to reset it without losing the other repositories, and nothing of the network', async () => {
    // As PSResourceGet leaves it when two programs rewrite it at once: empty.
    const store = path.join(data, 'PSResourceGet', 'PSResourceRepository.xml');
    fs.mkdirSync(path.dirname(store));
    fs.writeFileSync(store, '');
    const step = await runMain(job, { inputs: inputs(), env: machineEnv() });
    expect(step.code).toBe(1);
    const errors = step.errors.join('\n');
    expect(errors).toContain(
      `Loading ExchangeOnlineManagement (contoso.onmicrosoft.com) failed: PSResourceGet cannot read the repository store of the runner's account, ${store}: `,
    );
    expect(errors).not.toMatch(/Try running 'Reset-PSResourceRepository'/);
    expect(errors).toMatch(/\nHint: .*Reset-PSResourceRepository .*registers PSGallery only.*copy the file aside/);
    expect(errors).not.toMatch(/proxy|reaches it/);
    // Left as it was, for the administrator to look at.
    expect(fs.readFileSync(store, 'utf8')).toBe('');
  }, 180_000);
});
