// Generated hostile strings: quotes, subexpressions, backticks, separators, newlines, Unicode,
// control characters and very long values, in random combinations (from a fixed start, so reproducible).
// NUL is left out: an environment variable (how the runner passes inputs) cannot hold it.

export function hostileStrings(count: number, canaryPath: string, start = 20261122): string[] {
  let state = start;
  const random = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pieces = [
    "'",
    '"',
    '`',
    '$',
    '$(',
    ')',
    '${',
    '}',
    ';',
    '|',
    '&',
    '&&',
    '\n',
    '\r\n',
    '\r',
    '\t',
    '@(',
    '@{',
    '#',
    '<#',
    '#>',
    '--%',
    '-',
    '`n',
    '`0',
    '$env:PATH',
    '$PSHOME',
    '$null',
    '$true',
    '[char]39',
    "@'",
    "'@",
    '@"',
    '"@',
    '\\',
    "''",
    '""',
    ' ',
    '   ',
    '日本語',
    '🚀',
    'é',
    'Ω',
    '\u200b',
    '\u202e',
    '\ufeff',
    '\u0001',
    '\u0007',
    '\u001b[31m',
    '\u007f',
    '\u00a0',
    'Remove-Item -Recurse -Force ~',
    'exit 7',
    'throw "boom"',
    'Stop-Process -Id $PID',
    `New-Item -ItemType File -Path '${canaryPath}'`,
    `$(New-Item -ItemType File -Path '${canaryPath}')`,
    `"; New-Item -ItemType File -Path '${canaryPath}'; "`,
    `'; New-Item -ItemType File -Path '${canaryPath}'; '`,
  ];
  const strings: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 500 === 499) {
      strings.push(
        pieces[i % pieces.length]!.repeat(Math.ceil(20000 / pieces[i % pieces.length]!.length)).slice(0, 20000),
      );
      continue;
    }
    const parts = 1 + Math.floor(random() * 12);
    let s = '';
    for (let p = 0; p < parts; p++) s += pieces[Math.floor(random() * pieces.length)];
    strings.push(s);
  }
  return strings;
}

/** Splits values into batches whose JSON stays well under the 128 KiB limit of one environment variable. */
export function batches(values: string[], maxBytes = 90_000): string[][] {
  const out: string[][] = [[]];
  let size = 0;
  for (const v of values) {
    const bytes = Buffer.byteLength(JSON.stringify(v), 'utf8') + 1;
    if (size + bytes > maxBytes && out.at(-1)!.length > 0) {
      out.push([]);
      size = 0;
    }
    out.at(-1)!.push(v);
    size += bytes;
  }
  return out;
}
