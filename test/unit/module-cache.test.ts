// The module cache's key and its restore/save/skip logic, against a fake cache service.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Settings } from '../../src/inputs.js';
import { moduleCacheKey, restoreModule, saveModule, type CacheService } from '../../src/module-cache.js';

const settings = (module: Partial<Settings['module']> = {}, shell: Settings['shell'] = 'pwsh') =>
  ({
    shell,
    module: { version: '3.9.0', repository: 'PSGallery', cache: true, commandNames: 'all', ...module },
  }) as Settings;

class FakeCache implements CacheService {
  entries = new Map<string, string>();
  saves: string[] = [];
  failure: Error | null = null;
  constructor(private readonly up = true) {}
  available(): boolean {
    return this.up;
  }
  async restore(_paths: string[], key: string): Promise<string | undefined> {
    if (this.failure) throw this.failure;
    return this.entries.has(key) ? key : undefined;
  }
  async save(_paths: string[], key: string): Promise<void> {
    if (this.failure) throw this.failure;
    this.saves.push(key);
    this.entries.set(key, 'saved');
  }
}

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-cache-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
const moduleSaved = () => fs.mkdirSync(path.join(dir, 'ExchangeOnlineManagement', '3.9.0'), { recursive: true });
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
  test('a miss restores nothing, then saves once the module is there', async () => {
    const fake = new FakeCache();
    const state = await restoreModule(settings(), dir, fake, today);
    expect(state.hit).toBe(false);
    expect(await saveModule(state, dir, fake)).toBe('skipped'); // the runner saved nothing
    moduleSaved();
    expect(await saveModule(state, dir, fake)).toBe('saved');
    expect(fake.saves).toEqual([state.key]);
  });
  test('a hit skips the save', async () => {
    const fake = new FakeCache();
    const key = moduleCacheKey(settings(), process.platform, process.arch, today)!;
    fake.entries.set(key, 'cached');
    const state = await restoreModule(settings(), dir, fake, today);
    expect(state).toEqual({ key, hit: true });
    moduleSaved();
    expect(await saveModule(state, dir, fake)).toBe('skipped');
    expect(fake.saves).toEqual([]);
  });
  test('a cache service error is a warning, not a failure', async () => {
    const fake = new FakeCache();
    fake.failure = new Error('cache service unavailable (503)');
    const state = await restoreModule(settings(), dir, fake, today);
    expect(state.hit).toBe(false);
    moduleSaved();
    expect(await saveModule(state, dir, fake)).toBe('skipped');
  });
  test('no cache service: nothing is restored or saved', async () => {
    const fake = new FakeCache(false);
    const state = await restoreModule(settings(), dir, fake, today);
    expect(state).toEqual({ key: null, hit: false });
    moduleSaved();
    expect(await saveModule(state, dir, fake)).toBe('skipped');
  });
  test('module-version installed never touches the cache', async () => {
    const fake = new FakeCache();
    expect(await restoreModule(settings({ version: 'installed' }), dir, fake, today)).toEqual({
      key: null,
      hit: false,
    });
  });
});
