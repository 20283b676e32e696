// Every secret value this step knows: masked in the log before any use, and redacted from
// what the runner does not mask for us (the job summary, and outputs built from script data).
// A secret reaches text in more forms than the one it was given in: escaped inside JSON, HTML or
// XML, with its quotes doubled in a CSV field, URL-encoded in a query string, base64-encoded
// (from UTF-8 or UTF-16) inside a header or a larger blob, or case-folded. Each of those forms is
// masked and redacted too.
import * as core from './actions-core.js';

const known = new Set<string>();
/** The known forms, longest first (a longer form may hold a shorter one); rebuilt for each secret masked. */
let longestFirst: string[] = [];
/** Those forms as a CSV field writes them, with doubled quotes ("" for "), longest first. */
let csvForms: string[] = [];

/** Fragments shorter than this would mask ordinary words, so they are not registered on their own. */
const MIN_FRAGMENT = 4;
/** A secret of letters only is masked case-folded too from this many letters: no word of the log is as long. */
const FOLDED_LETTERS_MIN = 12;
/** A base64 fragment cut from a longer encoding is random-looking text; shorter ones would still match by chance. */
const MIN_BASE64_FRAGMENT = 6;
/**
 * From this many characters a secret is also looked for with gaps between its characters: six
 * covers the shortest passwords directories commonly allow (Active Directory's default minimum is
 * seven); shorter ones would match ordinary text spread over a few words.
 */
const MIN_SPREAD = 6;
/** Up to this many characters a secret's base64 forms are looked for spread out too. */
const MAX_SPREAD_ENCODED = 256;

/**
 * Each secret without its gaps, to be found with gaps between its characters, in any case: a
 * server may wrap what it echoes (a PFX at 76 columns, a password split by a line break), and the
 * log's one-line form turns each line break and control character into a space, where the runner's
 * masking, which compares whole values, no longer finds it. A gap is whitespace, a control
 * character, an invisible format character (a zero-width space, a soft hyphen), which a reader's
 * copy of the text drops, or a line break as JSON escapes it (\r, \n, \t). Found by a scan of the
 * text without its gaps, not by a regular expression of the secret: one for a PFX takes V8 over
 * 100 ms to build.
 */
const spread: Array<{ compact: string; literal: string; folded: boolean; probe: string; literalProbe: string }> = [];
// \uXXXX: any, for this first test only (see spreadIn); withoutGaps takes out those of a gap.
const GAPS = /(?:[\s\p{Cc}\p{Cf}]|\\[rnt]|\\u[0-9a-fA-F]{4})+/gu;
const GAP = /[\s\p{Cc}\p{Cf}]/u;
// Printable ASCII but the backslash: no gap (the space is one) and no escape in it.
const PLAIN = /^[\x21-\x5b\x5d-\x7e]*$/;
const NOT_ASCII = /[^\p{ASCII}]/u;
/** encodedForms' hex forms: the bytes, in either case, with or without dashes. */
const HEX_FORM = /^[0-9a-fA-F]{2}(?:-?[0-9a-fA-F]{2})*$/;
/** Gaps without JSON's escapes: a backslash may be the secret's own (C:\nightfall holds \n). */
const LITERAL_GAPS = /[\s\p{Cc}\p{Cf}]+/gu;

export function maskSecret(value: string): void {
  const add = (form: string, minimum = 1): void => {
    if (form.length < minimum || known.has(form)) return;
    known.add(form);
    core.setSecret(form);
  };
  // A form looked for with gaps between its characters (spread, sorted longest first at the end).
  // Each form once with JSON's escapes as gaps, once without (empty where that leaves too little).
  const addSpread = (form: string, folded: boolean): void => {
    const fold = (escapes: boolean): string => {
      const compact = withoutGaps(form, escapes).compact;
      return [...compact].length < MIN_SPREAD ? '' : folded ? lowerEach(compact) : compact;
    };
    const compact = fold(true);
    // Without a backslash the form reads the same both ways (as hideSpread reads a text).
    const literal = form.includes('\\') ? fold(false) : compact;
    if (compact + literal === '' || spread.some((other) => other.compact === compact && other.literal === literal))
      return;
    // For spreadIn's test of a whole text lower-cased, which writes İ as two code units.
    const probe = (form: string): string => (folded ? wholeLower(form) : form);
    spread.push({ compact, literal, folded, probe: probe(compact), literalProbe: probe(literal) });
  };
  add(value);
  // In upper and lower case: a server may quote what it was sent case-folded (a user name and
  // password in a Windows error text, say), and the log's masking compares ordinally. .NET's
  // ToUpperInvariant maps one character to one (ß stays ß); JavaScript's may not (ß to SS).
  // Not for a short secret of letters only: its folded forms are most likely words of the log's
  // own prose ("password", "exchange"), which masking would hide for the rest of the job. A long
  // one (a passphrase such as CorrectHorseBatteryStaple) is no word of it.
  const folded = /[^\p{L}]/u.test(value) || [...value].length >= FOLDED_LETTERS_MIN;
  addSpread(value, folded);
  // Derived forms: without whitespace, and line by line.
  // A PEM boundary line (-----BEGIN CERTIFICATE-----) is the same in every such file: no secret.
  const pieces = [
    value.replace(/\s+/g, ''),
    ...value
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => !/^-----(BEGIN|END) [A-Z0-9 ]+-----$/.test(line)),
  ];
  for (const piece of pieces) add(piece, MIN_FRAGMENT);
  for (const piece of folded ? new Set([value, pieces[0]!]) : []) {
    const forms: string[] = [];
    for (const fold of [(c: string) => c.toUpperCase(), (c: string) => c.toLowerCase()]) {
      forms.push(fold(piece));
      // ASCII folds one character to one, so character by character it is the same text: a PFX's
      // thousands of characters need not be folded one at a time.
      if (NOT_ASCII.test(piece))
        forms.push([...piece].map((c) => (fold(c).length === c.length ? fold(c) : c)).join(''));
    }
    for (const form of forms) add(form, MIN_FRAGMENT);
    // And escaped, for a password-sized secret: a Windows error text that quotes it upper-cased
    // may reach the log inside XML (a WinRM fault) or JSON. Not for a PFX or a token, whose folded
    // forms no server writes; and not as hex, which no server writes of a folded secret.
    if (piece.length > MAX_SPREAD_ENCODED) continue;
    for (const fold of new Set(forms)) {
      if (fold !== piece) for (const form of encodedForms(fold)) if (!HEX_FORM.test(form)) add(form, MIN_FRAGMENT);
    }
  }
  // Encoded forms of the whole value (a line of a multi-line secret is masked as it is).
  for (const piece of new Set([value, pieces[0]!].filter((p) => p !== ''))) {
    for (const form of encodedForms(piece)) add(form, MIN_FRAGMENT);
    for (const form of base64Forms(piece)) {
      add(form, MIN_BASE64_FRAGMENT);
      // Base64 is wrapped as often as a PFX is (at 76 columns in a MIME or WinRM header dump): the
      // encoded forms of a password-sized secret (Basic's user:password) are looked for spread out
      // too, in their own case. Not those of a PFX or a token, which no server encodes again, and
      // whose forms would lengthen every look through result-file.
      if (piece.length <= MAX_SPREAD_ENCODED) addSpread(form, false);
    }
  }
  spread.sort((a, b) => b.literal.length - a.literal.length);
  longestFirst = [...known].sort((a, b) => b.length - a.length);
  csvForms = longestFirst.filter((s) => s.includes('"')).map((s) => s.replace(/"/g, '""'));
}

/** The value as JSON, HTML, XML, CSV, PowerShell's single-quoted strings, URLs and hex write it. */
export function encodedForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const percent = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
  const uri = encodeURIComponent(value);
  // .NET's Uri.EscapeDataString (RFC 3986) also encodes ! ' ( ) *; WebUtility.UrlEncode keeps
  // ! ( ) * but encodes ' and ~, with + for a space; HttpUtility.UrlEncode writes that in lower case.
  const rfc3986 = uri.replace(/[!'()*]/g, percent);
  const form = uri.replace(/['~]/g, percent).replace(/%20/g, '+');
  const lower = (text: string): string => text.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  const hex = Buffer.from(value, 'utf8').toString('hex');
  const utf16Hex = Buffer.from(value, 'utf16le').toString('hex');
  const forms = [
    json,
    // PowerShell's ConvertTo-Json also escapes <, >, & and ' as \uXXXX.
    json.replace(/[<>&']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    // A / escaped as \/, as JSON allows and some servers' encoders write it (PHP's json_encode).
    json.replace(/\//g, '\\/'),
    // ConvertTo-Json -EscapeHandling EscapeHtml (" as well) and EscapeNonAscii (Newtonsoft.Json,
    // lower-case hex); System.Text.Json's default encoder, JavaScriptEncoder.Default, which escapes
    // the HTML-sensitive characters, + and ` and everything outside ASCII (upper-case hex).
    // https://learn.microsoft.com/dotnet/standard/serialization/system-text-json/character-encoding
    ...[false, true].flatMap((upper) => [
      jsonEscaped(value, /["&'<>]/, Infinity, upper),
      jsonEscaped(value, /(?!)/, 0x80, upper),
      jsonEscaped(value, /["&'+<>`]/, 0x7f, upper),
    ]),
    escapeHtml(value),
    escapeHtml(value).replace(/&#39;/g, '&#x27;'),
    // .NET's WebUtility.HtmlEncode (and HttpUtility's) also writes the characters U+00A0 to U+00FF
    // as decimal references: é is &#233;.
    escapeHtml(value).replace(/[\u00a0-\u00ff]/g, (c) => `&#${c.charCodeAt(0)};`),
    // System.Security.SecurityElement.Escape; XmlWriter escapes only &, < and > in element text,
    // and " too in a double-quoted attribute.
    escapeHtml(value).replace(/&#39;/g, '&apos;'),
    escapeEntities(value, /[&<>]/g),
    escapeEntities(value, /[&<>"]/g),
    // A CSV field (ConvertTo-Csv, Export-Csv) doubles ", a single-quoted PowerShell string doubles '.
    value.replace(/"/g, '""'),
    value.replace(/'/g, "''"),
    uri,
    uri.replace(/%20/g, '+'),
    rfc3986,
    form,
    ...[uri, rfc3986, form].map(lower),
    hex,
    hex.toUpperCase(),
    // [BitConverter]::ToString: upper case, a dash between bytes.
    hex.toUpperCase().replace(/(..)(?!$)/g, '$1-'),
    // The UTF-16 bytes ([Text.Encoding]::Unicode) as hex.
    utf16Hex,
    utf16Hex.toUpperCase(),
  ];
  return [...new Set(forms)].filter((f) => f !== value);
}

/**
 * The value inside a JSON string, with the characters `escape` matches and every one from
 * `escapeFrom` up written as \uXXXX, and control characters as JSON requires (\n, or \uXXXX), in
 * upper- or lower-case hex.
 */
function jsonEscaped(value: string, escape: RegExp, escapeFrom: number, upper: boolean): string {
  const unicode = (code: number): string => {
    const digits = code.toString(16).padStart(4, '0');
    return `\\u${upper ? digits.toUpperCase() : digits}`;
  };
  // Only the code units that may be escaped are visited: control characters, " and \, the one
  // character escape matches, and from escapeFrom up.
  const from = Number.isFinite(escapeFrom) ? `|[\\u${escapeFrom.toString(16).padStart(4, '0')}-\\uffff]` : '';
  const visited = new RegExp(`[\\u0000-\\u001f"\\\\]|${escape.source}${from}`, 'g');
  return value.replace(visited, (c) => {
    const code = c.charCodeAt(0);
    if (escape.test(c) || code >= escapeFrom) return unicode(code);
    const escaped = JSON.stringify(c).slice(1, -1);
    return escaped.startsWith('\\u') ? unicode(code) : escaped;
  });
}

/**
 * The value's UTF-8 and UTF-16 bytes (PowerShell's -EncodedCommand and [Text.Encoding]::Unicode
 * use the latter) base64-encoded, as a whole and as they appear inside a longer encoding: at each
 * of the three byte offsets, the characters that depend only on the value's own bytes.
 */
export function base64Forms(value: string): string[] {
  const forms: string[] = [];
  for (const bytes of [Buffer.from(value, 'utf8'), Buffer.from(value, 'utf16le')]) {
    forms.push(bytes.toString('base64'), bytes.toString('base64url'));
    for (const shift of [0, 1, 2]) {
      const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
      const first = Math.ceil((shift * 8) / 6);
      const last = Math.floor(((shift + bytes.length) * 8) / 6);
      const core64 = encoded.slice(first, last);
      forms.push(core64, core64.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return forms;
}

export function escapeHtml(text: string): string {
  return escapeEntities(text, /[&<>"']/g);
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** The characters `chars` matches (a global pattern over &, <, >, " and ') as HTML and XML entities. */
function escapeEntities(text: string, chars: RegExp): string {
  return text.replace(chars, (c) => ENTITIES[c]!);
}

/**
 * The spread-out secrets the text may hold: each found in the text without its gaps, a cheap test
 * that may find more than hideSpread does, never less (its folding is the same where it matters).
 */
function spreadIn(text: string): Array<(typeof spread)[number]> {
  if (spread.length === 0) return [];
  const compact = text.replace(GAPS, '');
  const lower = wholeLower(compact);
  // Without a backslash the text reads the same both ways, and a form with one cannot be in it.
  const literal = text.includes('\\') ? text.replace(LITERAL_GAPS, '') : null;
  const literalLower = literal === null ? null : wholeLower(literal);
  return spread.filter(
    (secret) =>
      (secret.compact !== '' && (secret.folded ? lower : compact).includes(secret.probe)) ||
      (secret.literal !== '' &&
        literal !== null &&
        (secret.folded ? literalLower! : literal).includes(secret.literalProbe)),
  );
}

/**
 * The text without its gaps, and where in the text each of its code units is; with escapes false, a
 * backslash before r, n or t is kept as the character it is.
 */
function withoutGaps(text: string, escapes = true): { compact: string; at: number[] } {
  // Most secrets and texts (base64, a password): no gap, no backslash, nothing to take out.
  if (PLAIN.test(text)) return { compact: text, at: Array.from({ length: text.length }, (_, i) => i) };
  const at: number[] = [];
  const kept: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (escapes && code === 0x5c && 'rnt'.includes(text[i + 1] ?? '.')) {
      i++;
      continue;
    }
    // A gap as JSON's \uXXXX writes it (\u000a, \u200b from an encoder that escapes them so).
    if (escapes && code === 0x5c && text[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
      if (GAP.test(String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)))) {
        i += 5;
        continue;
      }
    }
    // Whole characters: a gap may be outside the BMP (a tag character, say).
    const character = String.fromCodePoint(text.codePointAt(i)!);
    if ((code > 0x20 && code < 0x7f) || !GAP.test(character)) {
      for (let j = 0; j < character.length; j++) {
        at.push(i + j);
        kept.push(text[i + j]!);
      }
    }
    i += character.length - 1;
  }
  return { compact: kept.join(''), at };
}

/** A whole text lower-cased, a final ς as σ: cheaper than lowerEach, for a first test only. */
function wholeLower(text: string): string {
  return text.toLowerCase().replace(/ς/g, 'σ');
}

/**
 * Lower case one code unit at a time, so that each keeps its place (İ would become two), and a final
 * ς as σ, as a whole text lower-cased writes the one and a character alone the other.
 */
function lowerEach(text: string): string {
  // ASCII lower-cases one character to one.
  if (!NOT_ASCII.test(text)) return text.toLowerCase();
  return Array.from(text, (c) => (c.toLowerCase().length === c.length ? c.toLowerCase() : c))
    .join('')
    .replace(/ς/g, 'σ');
}

/** The text with each of these secrets, gaps and all, replaced by ***. */
function hideSpread(text: string, secrets: Array<(typeof spread)[number]>): string {
  const spans: Array<[number, number]> = [];
  // Once with JSON's escapes as gaps (a service's error body), once with a backslash as the
  // character it is (a path such as C:\nightfall, where \n is part of the secret).
  // Without a backslash in the text both read it alike: once is enough.
  for (const escapes of text.includes('\\') ? [true, false] : [true]) {
    const { compact, at } = withoutGaps(text, escapes);
    const lower = secrets.some((secret) => secret.folded) ? lowerEach(compact) : compact;
    for (const secret of secrets) {
      const wanted = escapes ? secret.compact : secret.literal;
      if (wanted === '') continue;
      const within = secret.folded ? lower : compact;
      for (let from = within.indexOf(wanted); from >= 0; from = within.indexOf(wanted, from + 1)) {
        spans.push([at[from]!, at[from + wanted.length - 1]! + 1]);
      }
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  let result = '';
  let end = 0;
  for (const [start, stop] of spans) {
    if (start >= end) result += `${text.slice(end, start)}***`;
    end = Math.max(end, stop);
  }
  return result + text.slice(end);
}

export function redact(text: string): string {
  let result = text;
  // Spread-out secrets first: a form of another secret taken out of the middle of one would hide it.
  const spreadOut = spreadIn(result);
  if (spreadOut.length > 0) result = hideSpread(result, spreadOut);
  for (const secret of longestFirst) if (result.includes(secret)) result = result.split(secret).join('***');
  if (result.includes(CUT_MARK)) result = hideCutSecret(result);
  return result;
}

/**
 * What the runner writes where it cut a long text (Limit-Text, LogText.ps1): it cuts at a space,
 * which a passphrase has, and once the user's script has started it no longer holds the secrets to
 * take out first. So the start of a secret may end the text it kept.
 */
const CUT_MARK = ' [cut: ';
const CUT = / \[cut: \d+ more characters\]/g;
/** A secret's first characters shorter than this, before a cut, are left: they are as likely a word. */
const MIN_CUT_PREFIX = 4;

/** The text with the start of a secret (gaps and all) that ends the text before a cut replaced by ***. */
function hideCutSecret(text: string): string {
  if (spread.length === 0) return text;
  let result = '';
  let from = 0;
  for (const match of text.matchAll(CUT)) {
    const kept = text.slice(from, match.index);
    const { compact, at } = withoutGaps(kept);
    const lower = lowerEach(compact);
    let longest = 0;
    for (const secret of spread) {
      const within = secret.folded ? lower : compact;
      const last = within.charCodeAt(within.length - 1);
      for (let k = Math.min(secret.compact.length - 1, within.length); k > Math.max(longest, MIN_CUT_PREFIX - 1); k--) {
        if (secret.compact.charCodeAt(k - 1) === last && within.endsWith(secret.compact.slice(0, k))) {
          longest = k;
          break;
        }
      }
    }
    result += longest > 0 ? `${kept.slice(0, at[compact.length - longest])}***` : kept;
    from = match.index;
  }
  return result + text.slice(from);
}

/**
 * JSON text with every secret taken out of its string values (and keys): each string is decoded,
 * redacted, and encoded again, so a secret is found whatever JSON escaping it wore, and the text
 * stays valid JSON. A number that holds a secret (a password of digits, returned as [long])
 * becomes a string with the secret taken out; other numbers, of any size, are left as they are.
 */
export function redactJson(json: string): string {
  return json.replace(/"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*/g, (literal) => {
    if (!literal.startsWith('"')) {
      const redacted = redact(literal);
      return redacted === literal ? literal : JSON.stringify(redacted);
    }
    let value: string;
    try {
      value = JSON.parse(literal) as string;
    } catch {
      return redact(literal);
    }
    const redacted = redact(value);
    return redacted === value ? literal : JSON.stringify(redacted);
  });
}

/**
 * A CSV record with every secret taken out: each quoted value is read as Export-Csv wrote it ("" for
 * "), redacted and quoted again, so that a secret is found whatever quotes or line breaks it holds;
 * then the record as text, for unquoted values.
 */
export function redactCsv(record: string): string {
  const values = record.replace(/"(?:[^"]|"")*"/g, (quoted) => {
    const value = quoted.slice(1, -1).split('""').join('"');
    const redacted = redact(value);
    return redacted === value ? quoted : `"${redacted.split('"').join('""')}"`;
  });
  let result = redact(values);
  for (const form of csvForms) result = result.split(form).join('***');
  return result;
}

/**
 * Whether the text holds a secret in one of its masked forms (JSON-escaped forms among them), or,
 * with doubled quotes, as a CSV field writes it. A plain search: far cheaper than redacting.
 */
export function holdsSecret(text: string): boolean {
  return (
    longestFirst.some((form) => text.includes(form)) ||
    csvForms.some((form) => text.includes(form)) ||
    spreadIn(text).length > 0
  );
}
