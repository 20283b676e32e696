// The bench's timing marks through dist/: in order, with the runner's phase events between them.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Job, ROOT, realPwsh, runMain, runPost, SANDBOX_MODULES } from '../support/action.js';
import { validInputs } from '../support/invalid-inputs.js';

const pwsh = realPwsh();

let job: Job;
beforeEach(() => (job = new Job()));
afterEach(() => job.cleanup());

describe('EXO_CONNECT_ACTION_BENCH_TIMINGS', () => {
  test('main and post mark each step boundary in order, and main keeps the runner phase events', async () => {
    // In the runner temp directory, so the leak guard in cleanup() reads it too.
    const file = path.join(job.runnerTemp, 'timings.jsonl');
    const env = {
      PATH: `${path.dirname(pwsh)}${path.delimiter}${process.env.PATH ?? ''}`,
      EXO_CONNECT_ACTION_BENCH_TIMINGS: file,
    };
    const main = await runMain(job, { inputs: validInputs(), env });
    const post = await runPost(job, { env });
    expect([main.code, post.code]).toEqual([0, 0]);

    const lines = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l.replace(/^[0-9a-f]{64} /, '')) as {
            mark?: string;
            t?: number;
            event?: string;
            name?: string;
            status?: string;
          },
      );
    const marks = lines.filter((l) => l.mark !== undefined);
    expect(marks.map((l) => l.mark)).toEqual([
      'main-start',
      'main-loaded',
      'settings',
      'pwsh-spawn',
      'pwsh-exit',
      'main-end',
      'post-start',
      'post-end',
    ]);
    const times = marks.map((l) => l.t!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(main.startedAt!);
    // The runner's events (each line after its MAC) follow the pwsh-exit mark, before main removes them.
    const afterExit = lines.slice(
      lines.findIndex((l) => l.mark === 'pwsh-exit') + 1,
      lines.findIndex((l) => l.mark === 'main-end'),
    );
    const phases = afterExit.filter((l) => l.event === 'phase').map((l) => `${l.name} ${l.status}`);
    expect(phases).toEqual([
      'module start',
      'module end',
      'connect start',
      'connect end',
      'script start',
      'script end',
    ]);
    expect(afterExit.some((l) => l.event === 'disconnected')).toBe(true);
  });
});

describe('bench/install.ps1', () => {
  test("saves the module from a folder feed with the runner's own installer, and imports it, through dist/", () => {
    const run = (args: string[], env: NodeJS.ProcessEnv = {}): void => {
      execFileSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', ...args], {
        // As bench/install.ts runs it: no sandbox on PSModulePath; feed registrations and
        // PowerShell's caches in this job's folders, not the account's.
        env: {
          ...job.env(),
          PSModulePath: '',
          XDG_DATA_HOME: path.join(job.root, 'data'),
          XDG_CACHE_HOME: path.join(job.root, 'cache'),
          ...env,
        },
        stdio: 'pipe',
      });
    };
    const feed = path.join(job.root, 'feed');
    fs.mkdirSync(feed);
    const sandbox = path.join(SANDBOX_MODULES, 'ExchangeOnlineManagement');
    run([path.join(ROOT, 'test', 'support', 'pack-module.ps1'), '-ModulePath', sandbox, '-Repository', feed]);
    const target = path.join(job.root, 'saved');
    const events = path.join(job.root, 'events.jsonl');
    const install = path.join(ROOT, 'bench', 'install.ps1');
    const runner = path.join(ROOT, 'dist', 'ps', 'ExoConnectRunner', 'ExoConnectRunner.psd1');
    run([
      install,
      '-Runner',
      runner,
      '-Target',
      target,
      '-Events',
      events,
      '-Feed',
      feed,
      '-Installer',
      'PSResourceGet',
    ]);
    const saved = JSON.parse(fs.readFileSync(events, 'utf8').trim().split('\n').pop()!) as Record<string, unknown>;
    expect(saved).toMatchObject({ event: 'module-saved', installer: 'PSResourceGet' });
    expect(fs.existsSync(path.join(target, 'ExchangeOnlineManagement', '3.9.0', 'ExchangeOnlineManagement.psd1'))).toBe(
      true,
    );
    const took = path.join(job.root, 'took.txt');
    run([install, '-Runner', runner, '-Target', target, '-Events', events, '-Import'], { BENCH_TOOK: took });
    expect(Number(fs.readFileSync(took, 'utf8'))).toBeGreaterThan(0);
  }, 120_000);
});
