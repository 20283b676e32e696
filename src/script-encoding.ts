// Windows PowerShell 5.1 reads a script file that has no byte-order mark in the system's ANSI
// code page, not as UTF-8 (about_Character_Encoding). A UTF-8 file with non-ASCII text then runs
// changed: 'Müller' becomes 'MÃ¼ller', and a dash in a string can end it early.
import * as fs from 'node:fs';

const BOMS = [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])];

/**
 * A warning for a script-file that Windows PowerShell 5.1 would misread: UTF-8 with non-ASCII
 * characters and no byte-order mark. The file still runs from where it is, so $PSScriptRoot,
 * `exit` and error positions stay the user's; a file in an ANSI code page (not valid UTF-8) is
 * read by 5.1 as it was written, and gets no warning.
 */
export function scriptEncodingWarning(file: string): string | null {
  const bytes = fs.readFileSync(file);
  if (BOMS.some((bom) => bytes.subarray(0, bom.length).equals(bom))) return null;
  if (bytes.every((b) => b < 0x80)) return null;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  return `script-file '${file}' is UTF-8 with non-ASCII characters and no byte-order mark. Windows PowerShell 5.1 (shell: powershell) reads such a file in the system's ANSI code page, so text like 'Müller' arrives as 'MÃ¼ller'. Save the file as UTF-8 with BOM, or use shell: pwsh.`;
}
