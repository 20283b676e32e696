import * as path from 'node:path';

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
    const said = `${problem}${invisibleCharacterNote(problem)}${lookalikeNote(problem)}`;
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
  const named = namedCharacters(text, INVISIBLE, INVISIBLE_NAMES);
  if (named === '') return '';
  return ` (it holds ${named}: invisible, or a plain space to the eye; text copied from a web page or a document often brings such characters along)`;
}

/** Each character of `text` that `pattern` finds, once, by its code point and name: "U+00A0 NO-BREAK SPACE, …". */
function namedCharacters(text: string, pattern: RegExp, names: Readonly<Record<string, string>>): string {
  const codes = [...new Set(Array.from(text.matchAll(pattern), (m) => m[0].codePointAt(0)!))];
  return codes
    .map((code) => {
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      return `U+${hex} ${names[hex] ?? '(a formatting character)'}`;
    })
    .join(', ');
}

/** The longest value a message quotes: a certificate or a script pasted into the wrong input stays out of the log. */
const QUOTED_LENGTH = 160;

/**
 * An input's value as a message quotes it: in single quotes; a longer one than 160 characters only
 * by its length, since a part of a secret is no longer the value the runner masks.
 */
export function quoted(value: string): string {
  const length = Array.from(value).length;
  if (length <= QUOTED_LENGTH) return `'${value}'`;
  return `the value (${length.toLocaleString('en-US')} characters, too long to quote)`;
}

/**
 * A URL input as a message quotes it: what comes before an @ (a user name and password), a query
 * and a fragment (a token) left out, also where the rest does not parse, since the message says
 * why. Where an @ comes after a ? or # (a password with a ?, or an address in the query), it is
 * not known which is which: only the scheme is quoted.
 */
export function quotedUrl(value: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/)?/.exec(value)?.[0] ?? '';
  let rest = value.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  const query = rest.search(/[?#]/);
  if (at >= 0 && query >= 0 && query < at) return quoted(`${scheme}…`);
  if (query >= 0) rest = `${rest.slice(0, query)}${rest[query]}…`;
  if (at >= 0) rest = `…${rest.slice(at)}`;
  return quoted(scheme + rest);
}

/** Typographic dashes and quotes: a word processor or a web page types them for - ' and ". */
const LOOKALIKE = /[\u2010-\u2015\u2212\u2018\u2019\u201C\u201D]/gu;

const LOOKALIKE_NAMES: Readonly<Record<string, string>> = {
  '2010': 'HYPHEN',
  '2011': 'NON-BREAKING HYPHEN',
  '2012': 'FIGURE DASH',
  '2013': 'EN DASH',
  '2014': 'EM DASH',
  '2015': 'HORIZONTAL BAR',
  '2212': 'MINUS SIGN',
  '2018': 'LEFT SINGLE QUOTATION MARK',
  '2019': 'RIGHT SINGLE QUOTATION MARK',
  '201C': 'LEFT DOUBLE QUOTATION MARK',
  '201D': 'RIGHT DOUBLE QUOTATION MARK',
};

/** The dashes and quotes of a message that look like - ' and " and are not, named. */
export function lookalikeNote(text: string): string {
  const named = namedCharacters(text, LOOKALIKE, LOOKALIKE_NAMES);
  if (named === '') return '';
  return ` (it holds ${named}, which looks like - ' or " and is another character: a word processor or a web page types it in their place; type the plain one)`;
}

/**
 * What a path input holds that only a shell reads: the runner hands inputs over as written, so
 * ~ and $HOME stay those characters, and off Windows a \\ is part of a file's name.
 */
export function shellNotation(value: string): string | null {
  if (/^~(?:[\\/]|$)/.test(value)) return 'it starts with ~, which only a shell reads as a home folder';
  const variable = /\$env:\w+|\$\{?[A-Za-z_]\w*\}?|%[A-Za-z_]\w*%/.exec(value);
  if (variable !== null) return `it holds ${variable[0]}, which only a shell expands`;
  if (path.sep === '/' && value.includes('\\'))
    return "it separates folders with \\, which only Windows does: on this runner a \\ is part of a file's name";
  return null;
}

/** What to write instead of what shellNotation finds. */
export const AS_WRITTEN =
  'an input reaches the action as written: use / between folders, and ${{ github.workspace }}, ${{ runner.temp }} or ${{ env.NAME }} in the workflow for a folder or a variable';

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
