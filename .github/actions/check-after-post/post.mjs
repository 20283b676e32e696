// Runs after the post steps of the actions used after this one, and fails when any run of
// exo-connect-action left its run directory or its PowerShell behind.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const problems = [];
const left = fs.readdirSync(process.env.RUNNER_TEMP).filter((name) => name.startsWith('exo-connect-'));
if (left.length > 0) problems.push(`run directories left in RUNNER_TEMP: ${left.join(', ')}`);

const query =
  process.platform === 'win32'
    ? // The pattern is built, so that this query's own command line does not match it.
      ['powershell', ['-NoProfile', '-Command', "@(Get-CimInstance Win32_Process | Where-Object CommandLine -like ('*runner' + '.ps1*')).Count"]]
    : ['sh', ['-c', "ps -eo args | grep -c '[r]unner\\.ps1' || true"]];
const running = Number(execFileSync(query[0], query[1], { encoding: 'utf8' }).trim());
if (running > 0) problems.push(`${running} PowerShell process(es) still running runner.ps1`);

const state = process.env['INPUT_SANDBOX-STATE'] ?? '';
const table = state === '' ? '' : path.join(state, 'server-sessions.json');
if (table !== '' && fs.existsSync(table)) {
  const text = fs.readFileSync(table, 'utf8').replace(/^\uFEFF/, '').trim();
  const open = text === '' ? [] : [JSON.parse(text)].flat();
  if (open.length > 0) problems.push(`${open.length} session(s) still open on the sandbox server`);
}

if (problems.length > 0) {
  for (const problem of problems) console.log(`::error::After the post steps: ${problem}`);
  process.exitCode = 1;
} else {
  console.log('After the post steps: no run directory and no runner.ps1 process left.');
}
