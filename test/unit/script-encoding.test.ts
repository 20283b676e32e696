// A script-file that the shell would misread gets a warning: UTF-8 without a BOM under shell: powershell,
// a file that is not UTF-8 (an ANSI code page) without a BOM under shell: pwsh.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSettings } from '../../src/inputs.js';
import { actionYml } from '../support/action.js';
import { validInputs } from '../support/invalid-inputs.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-encoding-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const text = "Set-User -Identity 'mueller' -DisplayName 'Müller – EMEA'\n";
const files = {
  'utf8-no-bom.ps1': Buffer.from(text, 'utf8'),
  'utf8-bom.ps1': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
  'utf16le-bom.ps1': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
  'ansi.ps1': Buffer.from("Set-User -Identity 'mueller' -DisplayName 'M\xfcller'\n", 'latin1'),
  'ascii.ps1': Buffer.from('Get-EXOMailbox -ResultSize 3\n', 'utf8'),
};
for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);

function warnings(file: string, shell: string, platform: NodeJS.Platform = 'win32'): string[] {
  const inputs: Record<string, string> = {
    ...Object.fromEntries(Object.entries(actionYml.inputs).map(([n, d]) => [n, d.default ?? ''])),
    ...validInputs(),
    script: '',
    'script-file': file,
    shell,
  };
  return readSettings({
    getInput: (name) => inputs[name] ?? '',
    maskSecret: () => undefined,
    platform,
    env: { GITHUB_WORKSPACE: dir },
  }).warnings;
}

test('UTF-8 with non-ASCII text and no BOM, under shell: powershell: a warning that says what to do', () => {
  expect(warnings('utf8-no-bom.ps1', 'powershell')).toEqual([
    expect.stringMatching(
      /^script-file '.*utf8-no-bom\.ps1' is UTF-8 with non-ASCII characters and no byte-order mark\. Windows PowerShell 5\.1 .* ANSI code page.*Save the file as UTF-8 with BOM, or use shell: pwsh\.$/,
    ),
  ]);
});

test('with a BOM, in an ANSI code page, or plain ASCII: 5.1 reads it as written, no warning', () => {
  for (const file of ['utf8-bom.ps1', 'utf16le-bom.ps1', 'ansi.ps1', 'ascii.ps1'])
    expect([file, warnings(file, 'powershell')]).toEqual([file, []]);
});

test('PowerShell 7 reads UTF-8 without a BOM: no warning under shell: pwsh', () => {
  expect(warnings('utf8-no-bom.ps1', 'pwsh')).toEqual([]);
  expect(warnings('utf8-no-bom.ps1', 'pwsh', 'linux')).toEqual([]);
});

test('not UTF-8 and no BOM, under shell: pwsh: a warning naming script-file that says to save it as UTF-8', () => {
  for (const platform of ['win32', 'linux'] as const)
    expect(warnings('ansi.ps1', 'pwsh', platform)).toEqual([
      expect.stringMatching(
        /^script-file '.*ansi\.ps1' is not UTF-8 and has no byte-order mark: it was likely saved in an ANSI code page, such as Windows-1252\. PowerShell 7 \(shell: pwsh\) reads such a file as UTF-8, .*Save the file as UTF-8\.$/,
      ),
    ]);
});

test('with a BOM, or plain ASCII, under shell: pwsh: no warning', () => {
  for (const file of ['utf8-bom.ps1', 'utf16le-bom.ps1', 'ascii.ps1'])
    expect([file, warnings(file, 'pwsh')]).toEqual([file, []]);
});
