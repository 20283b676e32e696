// Where the module is saved: one directory per module-version, and one per UTC day for latest.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Settings } from '../../src/inputs.js';
import { moduleCacheKey } from '../../src/module-cache.js';
import { moduleDirectory } from '../../src/provisioning.js';

const settings = (version: string, repository = 'PSGallery') =>
  ({
    target: 'exchange-online',
    shell: 'pwsh',
    module: { version, repository, cache: true, commandNames: 'all' },
  }) as Settings;

let toolCache: string;
beforeEach(() => (toolCache = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-provision-'))));
afterEach(() => fs.rmSync(toolCache, { recursive: true, force: true }));
const modules = () => path.join(toolCache, 'exo-connect-action', 'modules', 'pwsh');

test('a pinned version has one directory, whatever the day', () => {
  const day1 = moduleDirectory(settings('3.9.0'), toolCache, new Date('2026-11-22T10:00:00Z'));
  const day2 = moduleDirectory(settings('3.9.0'), toolCache, new Date('2026-11-23T10:00:00Z'));
  expect(day1).toBe(path.join(modules(), '3.9.0'));
  expect(day2).toBe(day1);
  expect(moduleDirectory(settings('installed'), toolCache, new Date())).toBeNull();
});

test('latest: a directory per UTC day, the day its cache key names, so a persistent tool cache asks the feed again the next day', () => {
  const morning = new Date('2026-11-22T00:00:01Z');
  const evening = new Date('2026-11-22T23:59:59Z');
  const nextDay = new Date('2026-11-23T00:00:01Z');
  const today = moduleDirectory(settings('latest'), toolCache, morning);
  expect(today).toBe(path.join(modules(), 'latest-2026-11-22'));
  expect(moduleDirectory(settings('latest'), toolCache, evening)).toBe(today);
  expect(moduleDirectory(settings('latest'), toolCache, nextDay)).toBe(path.join(modules(), 'latest-2026-11-23'));
  expect(moduleCacheKey(settings('latest'), 'linux', 'x64', morning)).toContain(`-${path.basename(today!)}-`);
});

test("latest: earlier days' saves and the undated save of earlier releases are removed; yesterday's, pinned versions and other files stay", () => {
  const saved = (name: string) => {
    fs.mkdirSync(path.join(modules(), name, 'ExchangeOnlineManagement', '3.9.0'), { recursive: true });
    return name;
  };
  const feed = '0123456789ab';
  for (const name of [
    'latest',
    'latest-2026-11-01',
    `latest-2026-11-01-${feed}`,
    'latest-2026-11-20',
    'latest-2026-11-21',
    `latest-2026-11-21-${feed}`,
    '3.9.0',
    'latest-x',
  ])
    saved(name);
  moduleDirectory(settings('latest'), toolCache, new Date('2026-11-22T08:00:00Z'));
  expect(fs.readdirSync(modules()).sort()).toEqual([
    '3.9.0',
    'latest-2026-11-21',
    `latest-2026-11-21-${feed}`,
    'latest-x',
  ]);
});

test("latest from a feed other than the Gallery: a directory of the feed's own, so jobs on one runner that name different feeds the same day do not share a save", () => {
  const now = new Date('2026-11-22T08:00:00Z');
  const gallery = moduleDirectory(settings('latest'), toolCache, now)!;
  const internal = moduleDirectory(settings('latest', 'https://nuget.contoso.example/v3/index.json'), toolCache, now)!;
  const folder = moduleDirectory(settings('latest', '/srv/feed'), toolCache, now)!;
  expect(path.basename(gallery)).toBe('latest-2026-11-22');
  expect(path.basename(internal)).toMatch(/^latest-2026-11-22-[0-9a-f]{12}$/);
  expect(path.basename(folder)).toMatch(/^latest-2026-11-22-[0-9a-f]{12}$/);
  expect(new Set([gallery, internal, folder]).size).toBe(3);
  // The same feed, the same directory.
  expect(moduleDirectory(settings('latest', '/srv/feed'), toolCache, now)).toBe(folder);
  // A pinned version is the same package from any feed.
  expect(moduleDirectory(settings('3.9.0', '/srv/feed'), toolCache, now)).toBe(path.join(modules(), '3.9.0'));
});

test('a pinned version removes nothing', () => {
  fs.mkdirSync(path.join(modules(), 'latest-2020-01-01'), { recursive: true });
  moduleDirectory(settings('3.9.0'), toolCache, new Date('2026-11-22T08:00:00Z'));
  expect(fs.readdirSync(modules())).toEqual(['latest-2020-01-01']);
});

test('a relative tool cache (a local runner such as act) is made absolute, as PowerShell runs in working-directory', () => {
  const relative = path.relative(process.cwd(), toolCache);
  expect(moduleDirectory(settings('3.9.0'), relative, new Date())).toBe(path.join(modules(), '3.9.0'));
});
