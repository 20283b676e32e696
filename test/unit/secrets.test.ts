import { maskSecret, redact } from '../../src/secrets.js';

test('a masked value, its whitespace-free form and its lines are redacted; short fragments are not', () => {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    maskSecret('MIIKLQIBAzCCCe8\nGCSqGSIb3DQEH\nab');
  } finally {
    process.stdout.write = write;
  }
  expect(out.join('')).toContain('::add-mask::MIIKLQIBAzCCCe8GCSqGSIb3DQEHab');
  expect(redact('pfx=MIIKLQIBAzCCCe8GCSqGSIb3DQEHab')).toBe('pfx=***');
  expect(redact('line GCSqGSIb3DQEH here')).toBe('line *** here');
  expect(redact('ab stays')).toBe('ab stays');
});

test('a short secret is still masked as a whole', () => {
  const write = process.stdout.write.bind(process.stdout);
  const out: string[] = [];
  process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    maskSecret('p4$');
  } finally {
    process.stdout.write = write;
  }
  expect(out.join('')).toContain('::add-mask::p4$');
  expect(redact('pw=p4$')).toBe('pw=***');
});
