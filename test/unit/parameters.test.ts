// The `parameters` input: checked for shape, passed on as the very text the workflow wrote.
import { MAX_PARAMETER_DEPTH, readParameters } from '../../src/parameters.js';
import { SettingsError } from '../../src/errors.js';

const refusal = (value: string): string => {
  try {
    readParameters(value);
  } catch (error) {
    if (error instanceof SettingsError) return error.message;
    throw error;
  }
  throw new Error('expected a SettingsError');
};

test('the text travels unchanged: integers beyond 2^53 keep every digit, dates stay as written', () => {
  const text = '{ "Id": 12345678901234567890, "When": "2026-01-02T03:04:05Z", "Ratio": 0.1234567890123456789 }';
  expect(readParameters(text)).toEqual({ json: text, names: ['Id', 'When', 'Ratio'] });
  // What a parse and re-serialise would have sent instead.
  expect(JSON.stringify(JSON.parse(text))).toContain('12345678901234567000');
});

test("an integer of any size is accepted (the runner makes it a BigInteger); a fraction beyond a double's range is not", () => {
  const huge = `1${'0'.repeat(400)}`;
  expect(readParameters(`{"N": ${huge}, "M": -${huge}}`).names).toEqual(['N', 'M']);
  expect(refusal('{"N": 1e400}')).toMatch(/holds the number 1e400, beyond the range of a double/);
  expect(refusal(`{"N": ${huge}.5}`)).toMatch(/beyond the range of a double/);
});

test('a key of letters, digits and _ in any script is a name; punctuation, spaces and a leading digit are not', () => {
  expect(readParameters('{"Näme": 1, "Город": 2, "_x9": 3, "日付": 4}').names).toEqual([
    'Näme',
    'Город',
    '_x9',
    '日付',
  ]);
  for (const key of ['a-b', 'a b', '9lives', '$x', 'a.b', ''])
    expect(refusal(JSON.stringify({ [key]: 1 }))).toMatch(/is not a PowerShell parameter name|empty/);
});

test('an empty input is an empty object', () => {
  expect(readParameters('  ')).toEqual({ json: '{}', names: [] });
});

test(`nesting up to ${MAX_PARAMETER_DEPTH} levels is accepted, one more is refused`, () => {
  const nested = (levels: number): string => `{"Deep": ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
  expect(readParameters(nested(MAX_PARAMETER_DEPTH)).names).toEqual(['Deep']);
  expect(refusal(nested(MAX_PARAMETER_DEPTH + 1))).toMatch(/nests objects and arrays 101 levels deep/);
});

test('brackets, quotes and key-like text inside strings are only text', () => {
  const text = JSON.stringify({ Filter: '['.repeat(500), Note: '"Filter": 1, "filter": 2, {"a":1,"A":2}' });
  expect(readParameters(text).names).toEqual(['Filter', 'Note']);
});

test('keys are compared as PowerShell compares them, at every level, and named in the message', () => {
  expect(refusal('{"Identity": "a", "IDENTITY": "b"}')).toBe(
    "Input 'parameters': keys 'Identity' and 'IDENTITY' differ only in case, and PowerShell's names are case-insensitive. Accepted: each key once, in one spelling.",
  );
  expect(refusal('{"Options": {"Mode": 1, "mode": 2}}')).toMatch(
    /keys 'Mode' and 'mode' in Options differ only in case/,
  );
  expect(readParameters('{"Options": {"Mode": 1}, "Other": {"Mode": 2}}').names).toEqual(['Options', 'Other']);
});

test.each(['ErrorAction', 'erroraction', 'ea', 'WhatIf', 'Confirm', 'OutVariable', 'Verbose', 'PipelineVariable'])(
  'the common parameter %s is refused as a key',
  (key) => {
    expect(refusal(`{"${key}": 1}`)).toMatch(new RegExp(`key '${key}' is PowerShell's common parameter \\w+`));
  },
);
