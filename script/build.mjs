// Builds dist/: type-checks and compiles src/ with tsc, bundles each entry with ncc,
// and ships the static PowerShell files beside the bundles.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

// The runner's compiled part (src/ps/ExoConnectRunner/Native), deterministic: the same source
// builds to the same bytes, which CI compares with the committed dist. Built into the source
// module's bin/ (not committed), where the Pester tests load it from, and copied into dist.
// `node script/build.mjs --native` builds this part alone (test/pester.ps1 does, when it is missing).
const nativeDir = path.join(root, 'src', 'ps', 'ExoConnectRunner', 'Native');
const nativeBin = path.join(root, 'src', 'ps', 'ExoConnectRunner', 'bin');
function buildNative() {
  execFileSync(
    'dotnet',
    [
      'build',
      path.join(nativeDir, 'ExoConnectRunner.Native.csproj'),
      '-c',
      'Release',
      '-nologo',
      '-v',
      'q',
      '-clp:NoSummary',
      '--artifacts-path',
      path.join(root, '.tools', 'native'),
      '-o',
      nativeBin,
    ],
    { cwd: root, stdio: 'inherit' },
  );
}
buildNative();
if (process.argv.includes('--native')) process.exit(0);

fs.rmSync(path.join(root, 'lib'), { recursive: true, force: true });
run(bin('tsc'), ['-p', 'tsconfig.json']);
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
for (const [entry, out] of [
  ['lib/main-entry.js', 'dist/main'],
  ['lib/post-entry.js', 'dist/post'],
]) {
  run(bin('ncc'), ['build', entry, '-o', out, '--license', 'licenses.txt', '--quiet']);
}
// ncc's license list misses a package whose modules webpack concatenates into one of our chunks,
// and writes no file when that leaves none: post's @actions/io. Main bundles every package post
// does, so post ships main's list rather than none.
if (!fs.existsSync(path.join(root, 'dist/post/licenses.txt'))) {
  fs.copyFileSync(path.join(root, 'dist/main/licenses.txt'), path.join(root, 'dist/post/licenses.txt'));
}
// The entry script and the ExoConnectRunner module; the Pester tests beside them stay out. The
// module's source files are inlined into its .psm1, as its source-files region lists them, the way
// Pester builds its own module: PowerShell loads one file faster than many, at every run. Those it
// loads when needed ship beside it.
const psSource = path.join(root, 'src', 'ps');
const psDist = path.join(root, 'dist', 'ps');
fs.mkdirSync(path.join(psDist, 'ExoConnectRunner'), { recursive: true });
fs.mkdirSync(path.join(psDist, 'ExoConnectRunner', 'bin'));
fs.copyFileSync(
  path.join(nativeBin, 'ExoConnectRunner.Native.dll'),
  path.join(psDist, 'ExoConnectRunner', 'bin', 'ExoConnectRunner.Native.dll'),
);
for (const file of ['runner.ps1', 'ExoConnectRunner/ExoConnectRunner.psd1']) {
  fs.copyFileSync(path.join(psSource, file), path.join(psDist, file));
}
const BOM = '\uFEFF';
const readText = (file) => fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
const moduleDir = path.join(psSource, 'ExoConnectRunner');
const loader = readText(path.join(moduleDir, 'ExoConnectRunner.psm1'));
const region = /^#region source files\n(?:#.*\n)*((?:\. \(Join-Path \$PSScriptRoot '[^']+'\)\n)+)#endregion\n/m;
const found = region.exec(loader);
if (found === null) throw new Error('ExoConnectRunner.psm1 has no source-files region to inline');
const inlined = [...found[1].matchAll(/'([^']+)'/g)]
  .map(([, file]) => `#region ${file}\n${readText(path.join(moduleDir, file)).trimEnd()}\n#endregion\n`)
  .join('\n');
// What a typical run never calls stays out of the .psm1 and ships beside it, each file as it is:
// Import-RunnerFile (RunnerFiles.ps1) loads one from there when a run first needs it.
const onDemand =
  /^#region source files loaded when needed\n(?:#.*\n)*((?:Import-RunnerFile -Path '[^']+'\n)+)#endregion\n/m;
const lazy = onDemand.exec(loader);
if (lazy === null) throw new Error('ExoConnectRunner.psm1 has no region of source files loaded when needed');
for (const [, file] of lazy[1].matchAll(/'([^']+)'/g)) {
  fs.mkdirSync(path.dirname(path.join(psDist, 'ExoConnectRunner', file)), { recursive: true });
  fs.copyFileSync(path.join(moduleDir, file), path.join(psDist, 'ExoConnectRunner', file));
}
// A function, so that `$` in the PowerShell text is not read as a replacement pattern.
const built = loader.replace(region, () => inlined).replace(onDemand, '');
// Windows PowerShell 5.1 reads a file without a byte order mark in the ANSI code page.
fs.writeFileSync(
  path.join(psDist, 'ExoConnectRunner', 'ExoConnectRunner.psm1'),
  /[^\t\n\r\x20-\x7E]/.test(built) ? BOM + built : built,
);
