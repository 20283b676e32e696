// Builds dist/: type-checks and compiles src/ with tsc, bundles each entry with ncc,
// and ships the static PowerShell files beside the bundles.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

fs.rmSync(path.join(root, 'lib'), { recursive: true, force: true });
run(bin('tsc'), ['-p', 'tsconfig.json']);
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
for (const [entry, out] of [
  ['lib/main-entry.js', 'dist/main'],
  ['lib/post-entry.js', 'dist/post'],
]) {
  run(bin('ncc'), ['build', entry, '-o', out, '--license', 'licenses.txt', '--quiet']);
}
// The entry script and the ExoConnectRunner module tree; the Pester tests beside them stay out.
fs.cpSync(path.join(root, 'src', 'ps'), path.join(root, 'dist', 'ps'), {
  recursive: true,
  filter: (source) => !source.endsWith('.Tests.ps1'),
});
