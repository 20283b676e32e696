import { maskSecret, redact } from '../../src/secrets.js';
import { captureStdout } from '../support/stdout.js';

test('a masked value, its whitespace-free form and its lines are redacted; short fragments are not', () => {
  const out = captureStdout(() => maskSecret('MIIKLQIBAzCCCe8\nGCSqGSIb3DQEH\nab'));
  expect(out).toContain('::add-mask::MIIKLQIBAzCCCe8GCSqGSIb3DQEHab');
  expect(redact('pfx=MIIKLQIBAzCCCe8GCSqGSIb3DQEHab')).toBe('pfx=***');
  expect(redact('line GCSqGSIb3DQEH here')).toBe('line *** here');
  expect(redact('ab stays')).toBe('ab stays');
});

test('a short secret is still masked as a whole', () => {
  expect(captureStdout(() => maskSecret('p4$'))).toContain('::add-mask::p4$');
  expect(redact('pw=p4$')).toBe('pw=***');
});
