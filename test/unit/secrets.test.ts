import { encodedForms, escapeHtml, holdsSecret, maskSecret, redact, redactCsv, redactJson } from '../../src/secrets.js';
import { spawnSync } from 'node:child_process';
import { realPwsh } from '../support/action.js';
import { captureStdout } from '../support/stdout.js';

test('a masked value, its whitespace-free form and its lines are redacted; short fragments are not', () => {
  const out = captureStdout(() => maskSecret('MIIKLQIBAzCCCe8\nGCSqGSIb3DQEH\nab'));
  expect(out).toContain('::add-mask::MIIKLQIBAzCCCe8GCSqGSIb3DQEHab');
  expect(redact('pfx=MIIKLQIBAzCCCe8GCSqGSIb3DQEHab')).toBe('pfx=***');
  expect(redact('line GCSqGSIb3DQEH here')).toBe('line *** here');
  expect(redact('ab stays')).toBe('ab stays');
});

test('a secret of letters only is masked as written, not case-folded: its folded forms are words of the log', () => {
  const out = captureStdout(() => maskSecret('Exchange'));
  expect(out).toContain('::add-mask::Exchange');
  expect(out).not.toContain('::add-mask::exchange');
  expect(out).not.toContain('::add-mask::EXCHANGE');
  expect(redact("Input 'target': exchange-online")).toBe("Input 'target': exchange-online");
});

test('a long secret of letters only (a passphrase) is masked case-folded too: a server may echo it so, and no word of the log is as long', () => {
  const out = captureStdout(() => maskSecret('CorrectHorseBatteryStaple'));
  expect(out).toContain('::add-mask::CorrectHorseBatteryStaple');
  expect(out).toContain('::add-mask::CORRECTHORSEBATTERYSTAPLE');
  expect(out).toContain('::add-mask::correcthorsebatterystaple');
  expect(redact('The server was given the password CORRECTHORSEBATTERYSTAPLE')).toBe(
    'The server was given the password ***',
  );
});

test("a PEM file's boundary lines are not masked: they are the same in every such file", () => {
  const pem =
    '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----\n';
  const out = captureStdout(() => maskSecret(pem));
  expect(out).toContain('::add-mask::MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa');
  expect(out).not.toMatch(/::add-mask::-----(BEGIN|END) CERTIFICATE-----\n/);
  expect(redact('between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines')).toBe(
    'between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines',
  );
});

test('the secret upper- and lower-cased is masked and redacted, as a server may quote it case-folded', () => {
  const out = captureStdout(() => maskSecret('Case-Folded p4ss'));
  expect(out).toContain('::add-mask::CASE-FOLDED P4SS');
  expect(out).toContain('::add-mask::case-folded p4ss');
  expect(out).toContain('::add-mask::CASE-FOLDEDP4SS');
  expect(redact("password 'CASE-FOLDED P4SS' is wrong")).toBe("password '***' is wrong");
});

test('the secret case-folded and then escaped (XML, JSON) is masked and redacted too, as a WinRM fault may quote it', () => {
  const out = captureStdout(() => maskSecret('Summer&2024!"Secure'));
  expect(out).toContain('::add-mask::SUMMER&amp;2024!&quot;SECURE');
  expect(out).toContain('::add-mask::summer&amp;2024!&quot;secure');
  expect(out).toContain('::add-mask::SUMMER&2024!\\"SECURE');
  expect(redact('<f:Message>The password SUMMER&amp;2024!&quot;SECURE was refused</f:Message>')).toBe(
    '<f:Message>The password *** was refused</f:Message>',
  );
});

test('case-folded one character at a time, as .NET does, too: ß stays ß, a final Σ becomes σ', () => {
  // The folded forms as PowerShell's ToUpperInvariant() and ToLowerInvariant() wrote them.
  captureStdout(() => maskSecret('Straße-p4ss'));
  expect(redact('STRAßE-P4SS')).toBe('***'); // .NET
  expect(redact('STRASSE-P4SS')).toBe('***'); // JavaScript's toUpperCase
  captureStdout(() => maskSecret('ΟΔΟΣ-p4ss'));
  expect(redact('οδοσ-p4ss')).toBe('***'); // .NET
  expect(redact('οδος-p4ss')).toBe('***'); // JavaScript's toLowerCase
});

test('a secret a server wrapped, split across lines or spaced out is redacted whole, with the whitespace in it', () => {
  const pfx =
    'MIIJ/wIBAzCCCbUGCSqGSIb3DQEHAaCCCaYEggmiMIIJnjCCBBIGCSqGSIb3DQEHBqCCBAMwggP/AgEAMIID+AYJKoZIhvcNAQcBMFcG';
  captureStdout(() => maskSecret(pfx));
  captureStdout(() => maskSecret('alpha bravo charlie'));
  const wrapped = pfx.match(/.{1,76}/g)!.join('\r\n');
  expect(redact(`blob follows ${wrapped} end`)).toBe('blob follows *** end');
  // As the log's one line writes it, line breaks become spaces.
  expect(redact(`blob: ${pfx.match(/.{1,64}/g)!.join(' ')}.`)).toBe('blob: ***.');
  expect(redact('sent with password alpha br\navo  charlie (rejected)')).toBe('sent with password *** (rejected)');
  expect(redact('a l p h a b r a v o c h a r l i e')).toBe('***');
  // Text that only shares a part of it stays.
  expect(redact('alpha bravo delta')).toBe('alpha bravo delta');
  // Control and invisible characters are gaps too (the log's one line makes spaces of the first,
  // a reader's copy drops the second), and case does not hide it.
  for (const gap of ['\u0001', '\u001b', '\u0085', '\u200b', '\u00ad', '\ufeff']) {
    expect([gap, redact(`pw=${[...'alphabravocharlie'].join(gap)}.`)]).toEqual([gap, 'pw=***.']);
  }
  expect(redact('ALPHA BRA VO CHARLIE')).toBe('***');
  // result-file's cheap test finds a spread-out secret too, and redactJson takes it out of a value.
  expect(holdsSecret('{"Value":"a l p h a b r a v o c h a r l i e"}')).toBe(true);
  expect(redactJson('{"Value":"alpha\\nbravo charlie","Id":1}')).toBe('{"Value":"***","Id":1}');
  expect(holdsSecret('{"Value":"alpha bravo delta"}')).toBe(false);
  // A final sigma, which a whole text lower-cased writes as ς; a gap outside the BMP (a tag character).
  captureStdout(() => maskSecret('Secret-ΠΑΣ-2024x'));
  expect(redact('x Secret-ΠΑ\nΣ-2024x y')).toBe('x *** y');
  expect(redact('x alpha\u{E0020}bravocharlie y')).toBe('x *** y');
  // A wrapped value inside a JSON body, its line breaks escaped.
  expect(redact(`{"error":"${pfx.match(/.{1,76}/g)!.join('\\r\\n')}"}`)).toBe('{"error":"***"}');
  // A short secret of letters only is not folded, spread or not: its folded forms are words of the log.
  captureStdout(() => maskSecret('Mailboxes'));
  expect(redact('M a i l b o x e s, and the mailboxes')).toBe('***, and the mailboxes');
});

test('a spread-out secret whose characters follow a backslash (a path), or that ends in one, is redacted too', () => {
  captureStdout(() => maskSecret('nightfall-42'));
  captureStdout(() => maskSecret('Passw0rd\\'));
  // \n here is a path's backslash and the secret's own n, not a JSON escape.
  expect(redact('Access denied for C:\\nightfall\n-42')).toBe('Access denied for C:\\***');
  expect(redact('user Passw0rd\\\nretry')).toBe('user ***\nretry');
  // An escaped line break in a JSON body is still a gap.
  expect(redact('{"m":"night\\nfall-42"}')).toBe('{"m":"***"}');
  expect(holdsSecret('C:\\nightfall -42')).toBe(true);
});

test('a spread-out secret with İ, which a whole text lower-cased writes as two code units, is redacted', () => {
  captureStdout(() => maskSecret('İstanbul#2024'));
  expect(redact('pw İstanbul #2024')).toBe('pw ***');
  expect(holdsSecret('pw İstanbul\n#2024')).toBe(true);
});

test('a spread-out secret whose gaps a JSON encoder wrote as \\uXXXX escapes is redacted; other escapes are no gaps', () => {
  captureStdout(() => maskSecret('Tr0ub4dor-3x'));
  expect(redact('{"m":"Tr0ub\\u200b4dor\\u000A-3x"}')).toBe('{"m":"***"}');
  expect(holdsSecret('{"m":"Tr0ub\\u00ad4dor-3x"}')).toBe(true);
  // An escaped letter is no gap: the text does not hold the secret.
  expect(redact('{"m":"Tr0ub\\u00414dor-3x"}')).toBe('{"m":"Tr0ub\\u00414dor-3x"}');
});

test('a secret base64-encoded inside a header the server wrapped is redacted whole, in each of its three byte offsets', () => {
  const password = 'Winter-2026!Exchange#Service$Account%Long&Password*Value';
  captureStdout(() => maskSecret(password));
  for (const user of ['CONTOSO\\svc:', 'CONTOSO\\svc1:', 'CONTOSO\\svc12:']) {
    const header = Buffer.from(user + password).toString('base64');
    const wrapped = `Authorization: Basic ${header}`.match(/.{1,76}/g)!.join('\r\n');
    const redacted = redact(`headers follow:\r\n${wrapped}\r\nend`);
    // What stays of the header are the few characters that mix the user name's bytes with the password's.
    expect(redacted).toMatch(
      /^headers follow:\r\nAuthorization: Basic [A-Za-z0-9+/]*\*\*\*[A-Za-z0-9+/=]{0,4}\r\nend$/,
    );
    const left = redacted.slice(redacted.indexOf('Basic ') + 6, redacted.indexOf('\r\nend')).replace('***', '');
    expect(Buffer.from(left, 'base64').toString('latin1')).not.toContain(password.slice(0, 4));
  }
});

test('a passphrase that a cut at a space split, before the cut marker, is taken out up to the marker', () => {
  const passphrase = 'violet ocean thunder marble canyon whisper lantern meadow';
  captureStdout(() => maskSecret(passphrase));
  const cut = `${'x'.repeat(40)} violet ocean thunder marble [cut: 83 more characters]`;
  expect(redact(cut)).toBe(`${'x'.repeat(40)} *** [cut: 83 more characters]`);
  // In a JSON string (the result output), and wrapped across lines.
  expect(redactJson(JSON.stringify([`y violet ocean\nthunder [cut: 120 more characters]`]))).toBe(
    '["y *** [cut: 120 more characters]"]',
  );
  // Without a cut marker, the start of a secret is left: it may be ordinary text.
  expect(redact('violet ocean thunder')).toBe('violet ocean thunder');
  // Text before a marker that is not the start of a secret stays.
  expect(redact('a plain ending [cut: 5 more characters]')).toBe('a plain ending [cut: 5 more characters]');
});

test('a password of six or seven characters a server spaced out or split is redacted whole; a shorter one only as it is', () => {
  captureStdout(() => maskSecret('Pw1!x#Q'));
  captureStdout(() => maskSecret('k9$Zq2'));
  expect(redact("given 'P w 1 ! x # Q'; split: Pw1\n!x#Q; zw: P\u200bw\u200b1\u200b!\u200bx\u200b#\u200bQ")).toBe(
    "given '***'; split: ***; zw: ***",
  );
  expect(redact('was k9$ Zq2.')).toBe('was ***.');
  captureStdout(() => maskSecret('n7#Yu'));
  expect(redact('n7#Yu and n 7 # Y u')).toBe('*** and n 7 # Y u');
});

test('a short secret is still masked as a whole', () => {
  expect(captureStdout(() => maskSecret('p4$'))).toContain('::add-mask::p4$');
  expect(redact('pw=p4$')).toBe('pw=***');
});

describe('escaped and encoded forms', () => {
  const secret = `Sup3r"Secret\\Pw&<'x>`;
  beforeAll(() => captureStdout(() => maskSecret(secret)));

  test('the JSON-escaped form is masked in the log, and redacted', () => {
    const json = JSON.stringify(secret).slice(1, -1);
    expect(captureStdout(() => maskSecret(secret))).toBe(''); // registered once only
    expect(redact(`{"pw":"${json}"}`)).toBe('{"pw":"***"}');
  });

  test('a JSON form with its slashes escaped (\\/) is masked and redacted', () => {
    const slashed = 'p4ss/w0rd/Value~x';
    const out = captureStdout(() => maskSecret(slashed));
    expect(out).toContain('::add-mask::p4ss\\/w0rd\\/Value~x');
    expect(redact('{"error":"bad secret p4ss\\/w0rd\\/Value~x"}')).toBe('{"error":"bad secret ***"}');
  });

  test("PowerShell's ConvertTo-Json form (\\u0026, \\u003c, \\u0027) too", () => {
    const ps = JSON.stringify(secret)
      .slice(1, -1)
      .replace(/[<>&']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(redact(`"${ps}"`)).toBe('"***"');
  });

  test('HTML-escaped, URL-encoded and base64 forms are redacted', () => {
    expect(redact(`<td>${escapeHtml(secret)}</td>`)).toBe('<td>***</td>');
    expect(redact(`?pw=${encodeURIComponent(secret)}&x=1`)).toBe('?pw=***&x=1');
    expect(redact(`Basic ${Buffer.from(secret).toString('base64')}`)).toBe('Basic ***');
  });

  test(".NET's WebUtility.HtmlEncode, which writes é as &#233;, is masked too", () => {
    // As [System.Net.WebUtility]::HtmlEncode wrote it in PowerShell 7.6.9.
    expect(encodedForms('Tr0ub4dor&3 x/y+z="q"<é>')).toContain('Tr0ub4dor&amp;3 x/y+z=&quot;q&quot;&lt;&#233;&gt;');
  });

  test(".NET's URL encodings (Uri.EscapeDataString, WebUtility and HttpUtility.UrlEncode) and hex are masked too", () => {
    const secret = "p@ss/w0rd+Key~!(x)'";
    const forms = encodedForms(secret);
    for (const form of [
      'p%40ss%2Fw0rd%2BKey~%21%28x%29%27', // Uri.EscapeDataString
      'p%40ss%2Fw0rd%2BKey%7E!(x)%27', // WebUtility.UrlEncode
      'p%40ss%2fw0rd%2bKey%7e!(x)%27', // HttpUtility.UrlEncode
      Buffer.from(secret).toString('hex'),
      Buffer.from(secret).toString('hex').toUpperCase(),
    ])
      expect(forms).toContain(form);
  });

  test(".NET's \\uXXXX JSON escapes, as real PowerShell writes them, are masked: System.Text.Json's default, ConvertTo-Json -EscapeHandling, UTF-16 hex", () => {
    // Every character these escapers change: quotes, HTML-sensitive ones, + and `, outside ASCII
    // (a surrogate pair too), a control character, and DEL (System.Text.Json escapes it, Newtonsoft not).
    const secret = `Sup3r"Secret\\Pw&<'x>+\`y-é€\u001b😀\u007f`;
    captureStdout(() => maskSecret(secret));
    const script = [
      '$s = [Console]::In.ReadToEnd()',
      '[System.Text.Json.JsonSerializer]::Serialize($s, [string])',
      '[System.Text.Json.JsonSerializer]::Serialize([string[]] @($s), [string[]])',
      "foreach ($handling in 'Default', 'EscapeHtml', 'EscapeNonAscii') { ConvertTo-Json -InputObject $s -EscapeHandling $handling }",
      "([System.BitConverter]::ToString([System.Text.Encoding]::Unicode.GetBytes($s)) -replace '-', '')",
      "([System.BitConverter]::ToString([System.Text.Encoding]::Unicode.GetBytes($s)) -replace '-', '').ToLowerInvariant()",
    ].join('\n');
    const run = spawnSync(realPwsh(), ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', script], {
      input: secret,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const lines = run.stdout.trim().split(/\r?\n/);
    expect(lines).toHaveLength(7);
    // Each escaper wrote it differently: the forms are not one form seven times.
    expect(new Set(lines).size).toBeGreaterThanOrEqual(5);
    expect(lines.map((line) => redact(line))).toEqual(['"***"', '["***"]', '"***"', '"***"', '"***"', '***', '***']);
  });

  test('quotes doubled as CSV and PowerShell strings write them, and XML-escaped forms, are masked too', () => {
    const forms = encodedForms(secret);
    expect(forms).toContain(secret.replace(/"/g, '""')); // ConvertTo-Csv, Export-Csv
    expect(forms).toContain(secret.replace(/'/g, "''")); // a single-quoted PowerShell string
    expect(forms).toContain('Sup3r&quot;Secret\\Pw&amp;&lt;&apos;x&gt;'); // SecurityElement.Escape
    expect(forms).toContain(`Sup3r"Secret\\Pw&amp;&lt;'x&gt;`); // XML element text (XmlWriter)
    expect(forms).toContain(`Sup3r&quot;Secret\\Pw&amp;&lt;'x&gt;`); // an XML attribute (XmlWriter)
    expect(encodedForms('p4ss')).toContain('70-34-73-73'); // [BitConverter]::ToString
  });

  test('base64 of the UTF-16 bytes (-EncodedCommand, [Text.Encoding]::Unicode) is masked, also inside a longer text', () => {
    expect(redact(Buffer.from(secret, 'utf16le').toString('base64'))).toBe('***');
    for (const before of ['', 'u', 'us', 'usr:']) {
      const encoded = Buffer.from(`${before}${secret}:tail`, 'utf16le').toString('base64');
      expect(redact(encoded)).toContain('***');
      expect(Buffer.from(redact(encoded).replace('***', ''), 'base64').toString('utf16le')).not.toContain('Secret');
    }
  });

  test('base64 of a larger text that holds the secret, at every byte offset', () => {
    for (const before of ['', 'u', 'us', 'usr:']) {
      const encoded = Buffer.from(`${before}${secret}:tail`).toString('base64');
      expect(redact(encoded)).toContain('***');
      // What is left around the mask cannot be decoded back into the secret.
      expect(Buffer.from(redact(encoded).replace('***', ''), 'base64').toString('latin1')).not.toContain('Secret');
    }
  });

  test('redactJson takes secrets out of string values before encoding them again, and keeps the JSON valid', () => {
    const json = JSON.stringify([{ Name: 'a', Note: `pw is ${secret}!`, Big: 1 }]).replace(
      '"Big":1',
      '"Big":12345678901234567890',
    );
    const redacted = redactJson(json);
    expect(redacted).toBe('[{"Name":"a","Note":"pw is ***!","Big":12345678901234567890}]');
    expect(() => JSON.parse(redacted) as unknown).not.toThrow();
  });

  test('redactJson takes a secret of digits out of a number, which becomes a string; other numbers stay', () => {
    captureStdout(() => maskSecret('839201746512'));
    expect(redactJson('[{"Pin":839201746512,"N":-8392017465120,"Big":12345678901234567890,"F":1.5e3}]')).toBe(
      '[{"Pin":"***","N":"-***0","Big":12345678901234567890,"F":1.5e3}]',
    );
  });

  test('redactCsv finds a secret in a quoted value whatever quotes or line breaks it holds', () => {
    captureStdout(() => maskSecret('Pa"ss\\word-77'));
    expect(redactCsv('1,"x Pa""ss\n\\word-77 y",Pa"ss\\word-77')).toBe('1,"x *** y",***');
  });

  test('redactJson never joins or splits values, even when a secret looks like JSON punctuation', () => {
    captureStdout(() => maskSecret('k1","k2'));
    const json = JSON.stringify(['k1', 'k2', 'k1","k2']);
    expect(JSON.parse(redactJson(json))).toEqual(['k1', 'k2', '***']);
  });
});
