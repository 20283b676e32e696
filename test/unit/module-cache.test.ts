// The module cache's key and its restore/save/skip logic, against a fake cache service.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Settings } from '../../src/inputs.js';
import {
  actionsCache,
  actionsCacheService,
  folderDigest,
  RESTORE_SEGMENT_TIMEOUT_MS,
  moduleCacheKey,
  removingTempFolders,
  restoreModule,
  saveModule,
  wholeCopy,
  type CacheService,
  type CacheState,
} from '../../src/module-cache.js';
import { captureStdoutAsync } from '../support/stdout.js';

const settings = (module: Partial<Settings['module']> = {}, shell: Settings['shell'] = 'pwsh') =>
  ({
    shell,
    module: { version: '3.9.0', repository: 'PSGallery', cache: true, commandNames: 'all', ...module },
  }) as Settings;

class FakeCache implements CacheService {
  entries = new Map<string, string>();
  saves: string[] = [];
  failure: Error | null = null;
  /** As @actions/cache does when the service refuses a save: it warns, and returns -1. */
  refuses = false;
  /** Files a restore extracts before it fails, which @actions/cache reports as a miss. */
  extractsThenFails: ((paths: string[]) => void) | null = null;
  constructor(private readonly up = true) {}
  async available(): Promise<boolean> {
    return this.up;
  }
  async restore(_paths: string[], key: string): Promise<string | undefined> {
    if (this.failure) throw this.failure;
    if (this.extractsThenFails) {
      this.extractsThenFails(_paths);
      return undefined;
    }
    return this.entries.has(key) ? key : undefined;
  }
  async save(_paths: string[], key: string): Promise<boolean> {
    if (this.failure) throw this.failure;
    if (this.refuses) return false;
    this.saves.push(key);
    this.entries.set(key, 'saved');
    return true;
  }
}

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-cache-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
/** The module's folder with its version folder and nothing in it: what a failed save leaves. */
const emptyModuleFolder = () => fs.mkdirSync(path.join(dir, 'ExchangeOnlineManagement', '3.9.0'), { recursive: true });
/** A copy as the runner saves it, with its manifest. */
const moduleSaved = () => {
  emptyModuleFolder();
  fs.writeFileSync(path.join(dir, 'ExchangeOnlineManagement', '3.9.0', 'ExchangeOnlineManagement.psd1'), '@{}');
};
const today = new Date('2026-11-22T10:00:00Z');

describe('key', () => {
  test('names OS, architecture, shell, version and repository', () => {
    expect(moduleCacheKey(settings(), 'linux', 'x64', today)).toMatch(
      /^exo-connect-module-linux-x64-pwsh-ExchangeOnlineManagement-3\.9\.0-[0-9a-f]{12}$/,
    );
  });
  test('differs by each of them', () => {
    const keys = [
      moduleCacheKey(settings(), 'linux', 'x64', today),
      moduleCacheKey(settings(), 'win32', 'x64', today),
      moduleCacheKey(settings(), 'linux', 'arm64', today),
      moduleCacheKey(settings({}, 'powershell'), 'linux', 'x64', today),
      moduleCacheKey(settings({ version: '3.8.0' }), 'linux', 'x64', today),
      moduleCacheKey(settings({ repository: 'https://pkgs.contoso.example/nuget/v2' }), 'linux', 'x64', today),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
  test('latest is re-resolved each day', () => {
    expect(moduleCacheKey(settings({ version: 'latest' }), 'linux', 'x64', today)).toContain('-latest-2026-11-22-');
  });
  test('nothing is cached for installed, or with cache: false', () => {
    expect(moduleCacheKey(settings({ version: 'installed' }), 'linux', 'x64', today)).toBeNull();
    expect(moduleCacheKey(settings({ cache: false }), 'linux', 'x64', today)).toBeNull();
  });
});

describe('restore and save', () => {
  // What restore and save write to the log, captured: these are the lines a run shows.
  const restore = (fake: FakeCache, s = settings()) => captureStdoutAsync(() => restoreModule(s, dir, fake, today));
  // digest: what the runner reported before the script, of a copy it downloaded; by default, the
  // folder as it is now.
  const save = (state: CacheState, fake: FakeCache, digest?: string | null, saved = true) =>
    captureStdoutAsync(() => {
      const imported = digest === undefined && fs.existsSync(dir) ? folderDigest(dir) : (digest ?? null);
      return saveModule(state, dir, fake, imported === null ? null : { digest: imported, saved });
    });

  test('a copy another job on the runner saved, whose script ran meanwhile, is not cached from this run', async () => {
    const fake = new FakeCache();
    const { value: state } = await restore(fake);
    moduleSaved();
    expect(await save(state, fake, folderDigest(dir), false)).toEqual({
      value: 'skipped',
      stdout: `The module was not saved to the cache (${state.key}): another job on this runner saved the copy this run used, and a run caches only a copy it downloaded itself.\n`,
    });
    expect(fake.saves).toEqual([]);
  });
  test('a folder that cannot be read is a warning and no save, never a failed run', async () => {
    const fake = new FakeCache();
    const { value: state } = await restore(fake);
    moduleSaved();
    const imported = folderDigest(dir)!;
    // A file name that is not UTF-8: read back as text, it names no file.
    const version = path.join(dir, 'ExchangeOnlineManagement', '3.9.0');
    fs.writeFileSync(Buffer.concat([Buffer.from(version + path.sep), Buffer.from([0xff, 0x66])]), 'x');
    const { value, stdout } = await save(state, fake, imported);
    expect(value).toBe('skipped');
    expect(stdout).toMatch(/^::warning::Saving the module to the cache failed: .*ENOENT/);
    expect(fake.saves).toEqual([]);
  });
  test('a copy the script changed after the import is not saved: every job that restored it would run the change', async () => {
    const fake = new FakeCache();
    const { value: state } = await restore(fake);
    moduleSaved();
    const imported = folderDigest(dir);
    const manifest = path.join(dir, 'ExchangeOnlineManagement', '3.9.0', 'ExchangeOnlineManagement.psd1');
    fs.appendFileSync(manifest, '\n# planted');
    const changed = await save(state, fake, imported);
    expect(changed).toEqual({
      value: 'skipped',
      stdout: `::warning::The module was not saved to the Actions cache: its files in ${dir} changed after PowerShell imported them (the script, or another job on this runner, wrote to them), and every job that restored the cache would run what is there now. The next run downloads the module again.\n`,
    });
    // A file added, and a link in place of a file, are changes too.
    fs.writeFileSync(manifest, '@{}');
    expect(folderDigest(dir)).toBe(imported);
    fs.writeFileSync(path.join(dir, 'ExchangeOnlineManagement', 'extra.ps1'), '');
    expect((await save(state, fake, imported)).value).toBe('skipped');
    fs.rmSync(path.join(dir, 'ExchangeOnlineManagement', 'extra.ps1'));
    // A link to a file of the same bytes: the digest the runner reported would still match.
    const elsewhere = path.join(dir, 'elsewhere.psd1');
    fs.renameSync(manifest, elsewhere);
    fs.symlinkSync(elsewhere, manifest);
    expect(folderDigest(dir)).toBeNull();
    expect(await save(state, fake, imported)).toEqual({ value: 'skipped', stdout: changed.stdout });
    expect(fake.saves).toEqual([]);
  });
  test('a run that ended before it imported the module saves nothing', async () => {
    const fake = new FakeCache();
    const { value: state } = await restore(fake);
    moduleSaved();
    expect(await save(state, fake, null)).toEqual({
      value: 'skipped',
      stdout: `The module was not saved to the cache (${state.key}): the run ended before it imported the module.\n`,
    });
    expect(fake.saves).toEqual([]);
  });

  test('a miss restores nothing, then saves once the module is there', async () => {
    const fake = new FakeCache();
    const { value: state, stdout: restored } = await restore(fake);
    expect(state.hit).toBe(false);
    expect(restored).toBe(`No cached module for ${state.key}.\n`);
    expect(await save(state, fake)).toEqual({ value: 'skipped', stdout: '' }); // the runner saved nothing
    moduleSaved();
    expect(await save(state, fake)).toEqual({ value: 'saved', stdout: `Module saved to the cache (${state.key}).\n` });
    expect(fake.saves).toEqual([state.key]);
  });
  test('a hit skips the save', async () => {
    const fake = new FakeCache();
    const key = moduleCacheKey(settings(), process.platform, process.arch, today)!;
    fake.entries.set(key, 'cached');
    const { value: state, stdout } = await restore(fake);
    expect(state).toEqual({ key, hit: true });
    expect(stdout).toBe(`Module restored from the cache (${key}).\n`);
    moduleSaved();
    expect(await save(state, fake)).toEqual({ value: 'skipped', stdout: '' });
    expect(fake.saves).toEqual([]);
  });
  test("a hit leaves no file or folder of the copy, nor the action's folders above it, writable by other accounts, whatever the umask made them", async () => {
    if (process.platform === 'win32') return;
    // As tar leaves a restore under a umask of 000: rwx for every account.
    const action = path.join(dir, 'exo-connect-action');
    const directory = path.join(action, 'modules', 'pwsh', '3.9.0');
    const copy = path.join(directory, 'ExchangeOnlineManagement', '3.9.0');
    const fake = new FakeCache();
    const key = moduleCacheKey(settings(), process.platform, process.arch, today)!;
    fake.entries.set(key, 'cached');
    fake.restore = async (_paths, asked) => {
      fs.mkdirSync(path.join(copy, 'bin'), { recursive: true });
      fs.writeFileSync(path.join(copy, 'ExchangeOnlineManagement.psd1'), '@{}');
      fs.writeFileSync(path.join(copy, 'bin', 'lib.dll'), 'x');
      for (const entry of [dir, action, path.dirname(path.dirname(directory)), path.dirname(directory), directory])
        fs.chmodSync(entry, 0o777);
      for (const entry of fs.readdirSync(directory, { recursive: true, withFileTypes: true }))
        fs.chmodSync(path.join(entry.parentPath, entry.name), 0o777);
      return asked;
    };
    const { value: state } = await captureStdoutAsync(() => restoreModule(settings(), directory, fake, today));
    expect(state.hit).toBe(true);
    const modes = (entries: string[]) => entries.map((entry) => (fs.statSync(entry).mode & 0o777).toString(8));
    const below = fs
      .readdirSync(directory, { recursive: true, withFileTypes: true })
      .map((e) => path.join(e.parentPath, e.name));
    expect(below).toHaveLength(5);
    expect(
      modes([action, path.dirname(path.dirname(directory)), path.dirname(directory), directory, ...below]),
    ).toEqual(Array(9).fill('755'));
    // Above the action's own folder nothing changes: the tool cache is the runner's.
    expect(modes([dir])).toEqual(['777']);
  });

  test('after a hit, a link in the copy is not followed, and a folder shared with a group on purpose (setgid) keeps group write', async () => {
    if (process.platform === 'win32') return;
    const action = path.join(dir, 'exo-connect-action');
    const directory = path.join(action, 'modules', 'pwsh', '3.9.0');
    const copy = path.join(directory, 'ExchangeOnlineManagement', '3.9.0');
    const outside = path.join(dir, 'outside');
    const fake = new FakeCache();
    const key = moduleCacheKey(settings(), process.platform, process.arch, today)!;
    fake.entries.set(key, 'cached');
    fake.restore = async (_paths, asked) => {
      fs.mkdirSync(copy, { recursive: true });
      fs.mkdirSync(outside);
      fs.writeFileSync(path.join(copy, 'ExchangeOnlineManagement.psd1'), '@{}');
      fs.symlinkSync(outside, path.join(copy, 'linked'));
      for (const entry of [outside, directory, copy]) fs.chmodSync(entry, 0o777);
      fs.chmodSync(path.join(action, 'modules'), 0o2777);
      return asked;
    };
    await captureStdoutAsync(() => restoreModule(settings(), directory, fake, today));
    const mode = (entry: string) => (fs.statSync(entry).mode & 0o7777).toString(8);
    expect([mode(directory), mode(copy), mode(path.join(action, 'modules')), mode(outside)]).toEqual([
      '755',
      '755',
      '2775',
      '777',
    ]);
  });

  test('a cache service error is a warning, not a failure', async () => {
    const fake = new FakeCache();
    fake.failure = new Error('cache service unavailable (503)');
    const { value: state, stdout: restored } = await restore(fake);
    expect(state.hit).toBe(false);
    expect(restored).toBe(
      '::warning::Restoring the module from the cache failed: cache service unavailable (503). It will be downloaded.\n',
    );
    moduleSaved();
    expect(await save(state, fake)).toEqual({
      value: 'skipped',
      stdout: '::warning::Saving the module to the cache failed: cache service unavailable (503).\n',
    });
  });
  test('a save the service refuses is not reported as saved', async () => {
    const fake = new FakeCache();
    const { value: state } = await restore(fake);
    moduleSaved();
    fake.refuses = true;
    expect(await save(state, fake)).toEqual({
      value: 'skipped',
      stdout: `The module was not saved to the cache (${state.key}): the cache service's message above says why (another job saving the same key at once is one reason).\n`,
    });
    expect(fake.saves).toEqual([]);
  });
  test('no cache service: nothing is restored or saved', async () => {
    const fake = new FakeCache(false);
    const { value: state, stdout } = await restore(fake);
    expect(state).toEqual({ key: null, hit: false });
    expect(stdout).toBe(
      'The Actions cache is not available here: a module this run downloads is not cached for the next.\n',
    );
    moduleSaved();
    expect(await save(state, fake)).toEqual({ value: 'skipped', stdout: '' });
  });
  test("a copy already saved in the runner's tool cache (self-hosted) is neither restored over nor saved again", async () => {
    const fake = new FakeCache();
    fake.failure = new Error('the cache must not be asked');
    moduleSaved();
    const { value: state, stdout } = await restore(fake);
    expect(state).toEqual({ key: null, hit: false });
    expect(stdout).toBe(`The module is already saved on this runner (${dir}); the Actions cache is not used.\n`);
    expect(await save(state, fake)).toEqual({ value: 'skipped', stdout: '' });
  });
  test('a folder without its manifest is no saved copy: the cache restores over it', async () => {
    const fake = new FakeCache();
    const key = moduleCacheKey(settings(), process.platform, process.arch, today)!;
    fake.entries.set(key, 'cached');
    emptyModuleFolder();
    expect((await restore(fake)).value).toEqual({ key, hit: true });
  });
  test('a restore that fails part-way (reported as a miss) leaves no copy behind for a later run to take', async () => {
    const fake = new FakeCache();
    fake.extractsThenFails = ([directory]) => {
      fs.mkdirSync(path.join(directory!, 'ExchangeOnlineManagement', '3.9.0'), { recursive: true });
      fs.writeFileSync(
        path.join(directory!, 'ExchangeOnlineManagement', '3.9.0', 'ExchangeOnlineManagement.psd1'),
        '@{}',
      );
    };
    const { value: state, stdout } = await restore(fake);
    expect(state.hit).toBe(false);
    expect(stdout).toContain(
      `::warning::The cache restore left part of a module in ${dir} and did not finish; it is removed`,
    );
    expect(fs.existsSync(path.join(dir, 'ExchangeOnlineManagement'))).toBe(false);
  });
  test("a whole copy another run published while this run's restore failed stays: it may be in use", async () => {
    const fake = new FakeCache();
    const version = path.join(dir, 'ExchangeOnlineManagement', '3.9.0');
    const manifest = '@{ ModuleVersion = "3.9.0" }';
    // A copy as ConcurrentSave.ps1 publishes it, with its mark; `dll: false` leaves out a file, as a
    // restore cut short does.
    const publish = (dll: boolean): void => {
      fs.mkdirSync(path.join(version, 'bin'), { recursive: true });
      fs.writeFileSync(path.join(version, 'ExchangeOnlineManagement.psd1'), manifest);
      if (dll) fs.writeFileSync(path.join(version, 'bin', 'Exchange.dll'), 'x'.repeat(1000));
      fs.writeFileSync(path.join(version, '.exo-connect-action-whole'), `2 ${1000 + Buffer.byteLength(manifest)}`);
    };
    fake.extractsThenFails = () => publish(true);
    const { value: state, stdout } = await restore(fake);
    expect(state.hit).toBe(false);
    expect(stdout).not.toContain('::warning::');
    expect(wholeCopy(version)).toBe(true);
    expect(fs.existsSync(path.join(version, 'bin', 'Exchange.dll'))).toBe(true);

    fs.rmSync(path.join(dir, 'ExchangeOnlineManagement'), { recursive: true });
    fake.extractsThenFails = () => publish(false);
    const cut = await restore(fake);
    expect(cut.stdout).toContain('::warning::The cache restore left part of a module');
    expect(fs.existsSync(version)).toBe(false);
  });
  test("a save that failed and left the module's folder without a copy is not cached", async () => {
    const fake = new FakeCache();
    const { value: state } = await restore(fake);
    emptyModuleFolder();
    expect(await save(state, fake)).toEqual({ value: 'skipped', stdout: '' });
    expect(fake.saves).toEqual([]);
  });
  test('module-version installed never touches the cache', async () => {
    const fake = new FakeCache();
    fake.failure = new Error('the cache must not be asked');
    expect(await restore(fake, settings({ version: 'installed' }))).toEqual({
      value: { key: null, hit: false },
      stdout: '',
    });
  });
});

describe('the Actions cache service', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    for (const name of ['ACTIONS_CACHE_URL', 'ACTIONS_RESULTS_URL', 'ACTIONS_CACHE_SERVICE_V2', 'GITHUB_SERVER_URL'])
      delete process.env[name];
  });
  afterEach(() => (process.env = { ...saved }));

  test('is not available without the variables the runner sets for it', async () => {
    expect(await actionsCache.available()).toBe(false);
  });
  test('with one of them set, the cache client decides, by service version', async () => {
    process.env.ACTIONS_RESULTS_URL = 'http://127.0.0.1:9/';
    expect(await actionsCache.available()).toBe(false); // version 1 reads ACTIONS_CACHE_URL
    process.env.ACTIONS_CACHE_SERVICE_V2 = 'true';
    expect(await actionsCache.available()).toBe(true);
    delete process.env.ACTIONS_CACHE_SERVICE_V2;
    process.env.ACTIONS_CACHE_URL = 'http://127.0.0.1:9/';
    expect(await actionsCache.available()).toBe(true);
  });
});

describe("@actions/cache's temporary folders", () => {
  test('a folder a cache call made in RUNNER_TEMP, named by a UUID, is removed after it; others stay', async () => {
    const earlier = path.join(dir, '0f0e0d0c-1111-4222-8333-444455556666');
    fs.mkdirSync(earlier);
    const made = path.join(dir, crypto.randomUUID());
    const mine = path.join(dir, 'not-a-uuid');
    const value = await removingTempFolders(async () => {
      fs.mkdirSync(made);
      fs.writeFileSync(path.join(made, 'manifest.txt'), 'ExchangeOnlineManagement\n');
      fs.mkdirSync(mine);
      return 42;
    }, dir);
    expect(value).toBe(42);
    expect(fs.existsSync(made)).toBe(false);
    expect(fs.existsSync(earlier)).toBe(true);
    expect(fs.existsSync(mine)).toBe(true);
    // Also when the call fails.
    const failed = path.join(dir, crypto.randomUUID());
    await expect(
      removingTempFolders(async () => {
        fs.mkdirSync(failed);
        throw new Error('reserveCache failed');
      }, dir),
    ).rejects.toThrow('reserveCache failed');
    expect(fs.existsSync(failed)).toBe(false);
  });
});

test("a restore waits at most RESTORE_SEGMENT_TIMEOUT_MS for a stalled download, not @actions/cache's 10 minutes", async () => {
  const calls: unknown[][] = [];
  const service = actionsCacheService(
    async () =>
      ({
        isFeatureAvailable: () => true,
        restoreCache: async (...args: unknown[]) => {
          calls.push(args);
          return undefined;
        },
        saveCache: async () => 1,
      }) as never,
  );
  await service.restore(['/tool-cache/exo'], 'key-1');
  expect(calls).toEqual([[['/tool-cache/exo'], 'key-1', [], { segmentTimeoutInMs: RESTORE_SEGMENT_TIMEOUT_MS }]]);
  expect(RESTORE_SEGMENT_TIMEOUT_MS).toBeLessThan(10 * 60_000);
});
