// How each PowerShell reads a script file without a byte-order mark (about_Character_Encoding,
// https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_character_encoding):
// Windows PowerShell 5.1 in the system's ANSI code page, PowerShell 7 as UTF-8. A file saved the
// other way runs changed: under 5.1 UTF-8 'Müller' becomes 'MÃ¼ller', and a dash in a string can
// end it early; under PowerShell 7 an ANSI 'ü' is not UTF-8 and becomes U+FFFD.
import * as fs from 'node:fs';
import type { Shell } from './inputs.js';

const BOMS = [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])];

/**
 * A warning for a script-file the shell would misread: under shell: powershell, UTF-8 with
 * non-ASCII characters and no byte-order mark; under shell: pwsh, bytes that are not UTF-8 and no
 * byte-order mark. The file still runs from where it is, so $PSScriptRoot, `exit` and error
 * positions stay the user's.
 */
export function scriptEncodingWarning(file: string, shell: Shell): string | null {
  const bytes = fs.readFileSync(file);
  if (BOMS.some((bom) => bytes.subarray(0, bom.length).equals(bom))) return null;
  if (bytes.every((b) => b < 0x80)) return null;
  let utf8 = true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    utf8 = false;
  }
  if (shell === 'pwsh') {
    return utf8
      ? null
      : `script-file '${file}' is not UTF-8 and has no byte-order mark: it was likely saved in an ANSI code page, such as Windows-1252. PowerShell 7 (shell: pwsh) reads such a file as UTF-8, so its characters outside ASCII arrive changed ('Müller' as 'M\uFFFDller'), in what the script writes to Exchange too. Save the file as UTF-8.`;
  }
  return utf8
    ? `script-file '${file}' is UTF-8 with non-ASCII characters and no byte-order mark. Windows PowerShell 5.1 (shell: powershell) reads such a file in the system's ANSI code page, so text like 'Müller' arrives as 'MÃ¼ller'. Save the file as UTF-8 with BOM, or use shell: pwsh.`
    : null;
}
