// Text the action did not write reaches the log on one line, unable to issue a workflow command.
import { counted, hasControlCharacter, oneLine } from '../../src/log-text.js';

test('line breaks and other control characters become one space per run', () => {
  expect(oneLine('a\r\n\r\nb\tc\u0007\u001b[31md\u2028e\u0085f')).toBe('a b c [31md e f');
});

test('a line that would start a workflow command (:: after spaces) or hold the older ##[ syntax is neutralised', () => {
  expect(oneLine('::add-mask::x')).toBe(': :add-mask::x');
  expect(oneLine('\n  ::stop-commands::tok')).toBe(': :stop-commands::tok');
  expect(oneLine('server said ##[set-output name=x]y and ##[error]z')).toBe(
    'server said # #[set-output name=x]y and # #[error]z',
  );
  expect(oneLine('ordinary text: a::b')).toBe('ordinary text: a::b');
});

test('control characters are found anywhere, line breaks included', () => {
  expect(['a\nb', 'a\rb', '\u0000', '\u009b', '\u2029'].map(hasControlCharacter)).toEqual([
    true,
    true,
    true,
    true,
    true,
  ]);
  expect(['https://a/b', 'Müller – 日本', ' spaced '].map(hasControlCharacter)).toEqual([false, false, false]);
  expect(hasControlCharacter('x\n')).toBe(true); // twice in a row: the global regex keeps no state between calls
  expect(hasControlCharacter('x\n')).toBe(true);
});

test('a count takes the noun that agrees with it, in the English form of the number', () => {
  expect([0, 1, 2, 1200].map((n) => counted(n, 'line', 'lines'))).toEqual([
    '0 lines',
    '1 line',
    '2 lines',
    '1,200 lines',
  ]);
  expect(counted(1, 'process', 'processes')).toBe('1 process');
});
