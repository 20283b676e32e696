// The module on a cache miss (PSResourceGet against PowerShellGet 2, from one local feed) and on a
// cache hit (the cache's archive extracted, then the runner's import of that copy).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Job, ROOT } from '../test/support/action.js';
import { label, list, median, ms, ownCache, pwsh, PWSH_ARGS, say, SLOW_RUNS, timed } from './support.js';

const RUNNER_MODULE = path.join(ROOT, 'dist', 'ps', 'ExoConnectRunner', 'ExoConnectRunner.psd1');
const SCRIPT = path.join(ROOT, 'bench', 'install.ps1');

/** Files and bytes under a directory. */
function size(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}
const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** The copy of the saved module must come from the target folder, not from a module path. */
function installEnv(job: Job, took: string, side: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...job.env(), BENCH_TOOK: took, ...ownCache(`install-${side}`) };
  delete env.PSModulePath;
  return env;
}

const wall = async (command: string, args: string[]): Promise<number> => (await timed(command, args, process.env)).ms;

export async function install(): Promise<void> {
  say(`## 7. The module: install on a cache miss, restore and import on a hit (${label})`);
  const job = new Job();
  try {
    execFileSync(pwsh, [...PWSH_ARGS, path.join(ROOT, 'bench', 'make-module.ps1'), '-Root', job.root], {
      stdio: 'inherit',
    });
    const made = size(path.join(job.root, 'src'));
    const nupkg = fs.readdirSync(path.join(job.root, 'feed'))[0]!;
    const packed = fs.statSync(path.join(job.root, 'feed', nupkg)).size;
    say(
      `A stand-in for ExchangeOnlineManagement 3.9.0, made at run time (bench/make-module.ps1): ${made.files} files, ${megabytes(made.bytes)} unpacked, a ${megabytes(packed)} package in a local folder feed (test/support/pack-module.ps1). Its assemblies are bytes sized like the real ones (the largest ${megabytes(5 * 2 ** 20)}; sizes in MB of 10⁶ bytes), not code, so its import loads no assembly: the import figure is a lower bound for the real module.`,
    );
    const saved: Record<string, number[]> = { PSResourceGet: [], PowerShellGet: [] };
    const whole: Record<string, number[]> = { PSResourceGet: [], PowerShellGet: [] };
    const extract: number[] = [];
    const imports: number[] = [];
    const importProcess: number[] = [];
    let archived = 0;
    let archiveMs = 0;
    const took = path.join(job.root, 'took');
    for (let i = 0; i < SLOW_RUNS; i++) {
      // A miss: each installer saves into an empty folder, in a fresh PowerShell, as the runner does.
      for (const installer of ['PSResourceGet', 'PowerShellGet']) {
        const target = path.join(job.root, `saved-${installer}`);
        const events = path.join(job.root, `events-${installer}.jsonl`);
        fs.rmSync(target, { recursive: true, force: true });
        fs.rmSync(events, { force: true });
        const run = await timed(
          pwsh,
          [
            ...PWSH_ARGS,
            SCRIPT,
            '-Runner',
            RUNNER_MODULE,
            '-Target',
            target,
            '-Events',
            events,
            '-Feed',
            path.join(job.root, 'feed'),
            '-Installer',
            installer,
          ],
          installEnv(job, took, installer),
        );
        const event = JSON.parse(fs.readFileSync(events, 'utf8').trim().split('\n').pop()!) as {
          ms: number;
          installer: string;
        };
        if (event.installer !== installer)
          throw new Error(`asked for ${installer}, the runner used ${event.installer}`);
        const got = size(target);
        if (got.files < made.files) throw new Error(`${installer} saved ${got.files} of ${made.files} files`);
        saved[installer]!.push(event.ms);
        whole[installer]!.push(run.ms);
      }
      // A hit: the cache holds the saved folder as a zstd tar (what @actions/cache makes on Linux).
      const source = path.join(job.root, 'saved-PSResourceGet');
      const archive = path.join(job.root, 'cache.tzst');
      fs.rmSync(archive, { force: true });
      archiveMs = await wall('tar', [
        '--posix',
        '-cf',
        archive,
        '-P',
        '-C',
        source,
        '--use-compress-program',
        'zstdmt',
        '.',
      ]);
      archived = fs.statSync(archive).size;
      const restored = path.join(job.root, 'restored');
      fs.rmSync(restored, { recursive: true, force: true });
      fs.mkdirSync(restored);
      extract.push(await wall('tar', ['-xf', archive, '-P', '-C', restored, '--use-compress-program', 'unzstd']));
      const events = path.join(job.root, 'events-import.jsonl');
      const run = await timed(
        pwsh,
        [...PWSH_ARGS, SCRIPT, '-Runner', RUNNER_MODULE, '-Target', restored, '-Events', events, '-Import'],
        installEnv(job, took, 'import'),
      );
      const imported = JSON.parse(fs.readFileSync(events, 'utf8').trim().split('\n').pop()!) as { path: string };
      if (!imported.path.startsWith(restored)) throw new Error(`imported ${imported.path}, not the restored copy`);
      imports.push(Number(fs.readFileSync(took, 'utf8')));
      importProcess.push(run.ms);
    }
    say(
      `Medians of ${SLOW_RUNS} round(s), the installers alternating, each with a PowerShell cache folder of its own; "installer" is the runner's own Save-ExchangeModule -Installer … (its module-saved event: repository registered, saved, unregistered), "process" the whole fresh \`pwsh -File\` around it.`,
    );
    say();
    say('| path | step | median | runs |');
    say('|---|---|---:|---|');
    for (const installer of ['PSResourceGet', 'PowerShellGet']) {
      const name =
        installer === 'PSResourceGet' ? 'Save-PSResource (PSResourceGet 1.2.0)' : 'Save-Module (PowerShellGet 2.2.5)';
      say(`| miss | ${name}: installer | ${ms(median(saved[installer]!))} | ${list(saved[installer]!)} |`);
      say(`| miss | ${name}: process | ${ms(median(whole[installer]!))} | ${list(whole[installer]!)} |`);
    }
    say(
      `| hit | restore: \`tar -x\` of the cache's zstd archive (${megabytes(archived)}) | ${ms(median(extract))} | ${list(extract)} |`,
    );
    say(
      `| hit | import: the runner's Import-ExchangeModule (pinned version found, imported) | ${ms(median(imports))} | ${list(imports)} |`,
    );
    say(`| hit | import: process | ${ms(median(importProcess))} | ${list(importProcess)} |`);
    say();
    say(
      `- **PowerShellGet 2 / PSResourceGet (installer): ${(median(saved.PowerShellGet!) / median(saved.PSResourceGet!)).toFixed(1)}×**`,
    );
    say(
      `- **cache hit (restore + import): ${ms(median(extract) + median(imports))}** against a miss with PSResourceGet of ${ms(median(saved.PSResourceGet!))}; the cache service's download of the archive is not in it (it cannot run here)`,
    );
    say(`- after a miss, the cache save packs the folder in ${ms(archiveMs)} (tar + zstdmt, last round)\n`);
  } finally {
    job.cleanup();
  }
}
