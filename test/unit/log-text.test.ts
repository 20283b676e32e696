// Text the action did not write reaches the log on one line, unable to issue a workflow command.
import { hasControlCharacter, oneLine } from '../../src/log-text.js';

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
