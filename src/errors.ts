/** Bad input, found before PowerShell starts. The message names the input. */
export class SettingsError extends Error {
  constructor(
    readonly input: string,
    problem: string,
    accepted: string,
    /** Lines to copy into the workflow, after the sentence. */
    example?: string,
  ) {
    // A problem that ends in a question ("did you mean …?") keeps its own mark.
    const said = `${problem}${invisibleCharacterNote(problem)}`;
    const end = /[.?!]$/.test(said) ? '' : '.';
    super(`Input '${input}': ${said}${end} Accepted: ${accepted}.${example === undefined ? '' : `\n${example}`}`);
    this.name = 'SettingsError';
  }
}

const INVISIBLE = /[\p{Cf}\u00A0\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/gu;

/** Names of the characters that text copied from a web page or a document most often brings along. */
const INVISIBLE_NAMES: Readonly<Record<string, string>> = {
  '00A0': 'NO-BREAK SPACE',
  '00AD': 'SOFT HYPHEN',
  '200B': 'ZERO WIDTH SPACE',
  '200C': 'ZERO WIDTH NON-JOINER',
  '200D': 'ZERO WIDTH JOINER',
  '200E': 'LEFT-TO-RIGHT MARK',
  '200F': 'RIGHT-TO-LEFT MARK',
  '202A': 'LEFT-TO-RIGHT EMBEDDING',
  '202B': 'RIGHT-TO-LEFT EMBEDDING',
  '202C': 'POP DIRECTIONAL FORMATTING',
  '202D': 'LEFT-TO-RIGHT OVERRIDE',
  '202E': 'RIGHT-TO-LEFT OVERRIDE',
  '2060': 'WORD JOINER',
  '2066': 'LEFT-TO-RIGHT ISOLATE',
  '2067': 'RIGHT-TO-LEFT ISOLATE',
  '2068': 'FIRST STRONG ISOLATE',
  '2069': 'POP DIRECTIONAL ISOLATE',
  FEFF: 'ZERO WIDTH NO-BREAK SPACE (a byte order mark)',
};

/**
 * The characters of a message that do not show, or show as a plain space, named: the value the
 * message quotes looks right and is not.
 */
export function invisibleCharacterNote(text: string): string {
  const codes = [...new Set(Array.from(text.matchAll(INVISIBLE), (m) => m[0].codePointAt(0)!))];
  if (codes.length === 0) return '';
  const named = codes.map((code) => {
    const hex = code.toString(16).toUpperCase().padStart(4, '0');
    return `U+${hex} ${INVISIBLE_NAMES[hex] ?? '(a formatting character)'}`;
  });
  return ` (it holds ${named.join(', ')}: invisible, or a plain space to the eye; text copied from a web page or a document often brings such characters along)`;
}

/** What a job needs for a GitHub OIDC token, as workflow YAML. */
export const OIDC_PERMISSIONS = ['  permissions:', '    id-token: write', '    contents: read'].join('\n');

/** A known failure that comes with a hint a person can act on. */
export class HintedError extends Error {
  constructor(
    message: string,
    readonly hint: string | null,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
