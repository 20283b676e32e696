// What an earlier run left at the result-file path is removed before the run; nothing else is.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { redactResultFile } from '../../src/result-file-redaction.js';
import { removeEarlierResultFile, ResultFileError, type ResultFile } from '../../src/result-file.js';
import { maskSecret } from '../../src/secrets.js';
import { captureStdout } from '../support/stdout.js';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-result-file-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const at = (name: string): ResultFile => ({ path: path.join(dir, name), format: 'jsonl' });

test("an earlier run's file is removed, and the log says so", () => {
  fs.writeFileSync(at('all.jsonl').path, '{"Tenant":"fabrikam"}\n');
  const log = captureStdout(() => removeEarlierResultFile(at('all.jsonl')));
  expect(fs.existsSync(at('all.jsonl').path)).toBe(false);
  expect(log).toBe(
    `result-file: removed ${at('all.jsonl').path}, left by an earlier run; this run writes it when its script starts.\n`,
  );
});

test('nothing there, or no result-file: nothing done, nothing said', () => {
  expect(captureStdout(() => removeEarlierResultFile(at('none.jsonl')))).toBe('');
  expect(captureStdout(() => removeEarlierResultFile(null))).toBe('');
});

test('a symbolic link is removed itself; what it points to, outside the folder, is left as it was', () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-outside-'));
  try {
    const target = path.join(outside, 'keep.jsonl');
    fs.writeFileSync(target, 'not ours\n');
    fs.symlinkSync(target, at('link.jsonl').path);
    captureStdout(() => removeEarlierResultFile(at('link.jsonl')));
    expect(fs.lstatSync(at('link.jsonl').path, { throwIfNoEntry: false })).toBeUndefined();
    expect(fs.readFileSync(target, 'utf8')).toBe('not ours\n');
    // A link to a folder: the link goes, the folder and its files stay.
    fs.symlinkSync(outside, at('folder-link.jsonl').path);
    captureStdout(() => removeEarlierResultFile(at('folder-link.jsonl')));
    expect(fs.readFileSync(target, 'utf8')).toBe('not ours\n');
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test('a folder at the path is never removed, nor anything in it', () => {
  fs.mkdirSync(at('folder.jsonl').path);
  fs.writeFileSync(path.join(at('folder.jsonl').path, 'inside.txt'), 'x');
  expect(captureStdout(() => removeEarlierResultFile(at('folder.jsonl')))).toBe('');
  expect(fs.readFileSync(path.join(at('folder.jsonl').path, 'inside.txt'), 'utf8')).toBe('x');
});

/**
 * Locks made with chattr (ext4 and the like, as root): root ignores file modes, so a folder that
 * refuses a removal needs the immutable attribute. Not every file system or account has it.
 */
function chattr(flags: string, file: string): boolean {
  try {
    execFileSync('chattr', [flags, file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const locks = process.platform === 'linux' && process.getuid?.() === 0 && probeChattr();
function probeChattr(): boolean {
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-chattr-'));
  try {
    return chattr('+i', probe) && chattr('-i', probe);
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}
/** A folder that refuses removals: immutable as root, read-only otherwise. */
function lockFolder(folder: string): () => void {
  if (locks) {
    chattr('+i', folder);
    return () => void chattr('-i', folder);
  }
  fs.chmodSync(folder, 0o555);
  return () => fs.chmodSync(folder, 0o755);
}
const posix = process.platform === 'win32' ? test.skip : test;

posix('a file whose folder refuses its removal is emptied instead, as the runner would replace it', () => {
  fs.writeFileSync(at('kept.jsonl').path, '{"Tenant":"fabrikam"}\n');
  const unlock = lockFolder(dir);
  try {
    const log = captureStdout(() => removeEarlierResultFile(at('kept.jsonl')));
    expect(fs.readFileSync(at('kept.jsonl').path, 'utf8')).toBe('');
    expect(log).toMatch(/^result-file: emptied /);
  } finally {
    unlock();
  }
});

(locks ? test : test.skip)(
  'a file that can be neither removed nor emptied fails with the path and a hint (chattr +a, as root)',
  () => {
    fs.writeFileSync(at('stuck.jsonl').path, '{"Tenant":"fabrikam"}\n');
    chattr('+a', at('stuck.jsonl').path);
    try {
      let thrown: unknown;
      try {
        captureStdout(() => removeEarlierResultFile(at('stuck.jsonl')));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ResultFileError);
      const { message, hint } = thrown as ResultFileError;
      expect(message).toBe(
        `result-file '${at('stuck.jsonl').path}' holds an earlier run's objects and could not be removed before the run: EPERM: operation not permitted, unlink '${at('stuck.jsonl').path}'`,
      );
      expect(hint).toMatch(/^Close the program that has the file open/);
      expect(fs.readFileSync(at('stuck.jsonl').path, 'utf8')).toBe('{"Tenant":"fabrikam"}\n');
    } finally {
      chattr('-a', at('stuck.jsonl').path);
    }
  },
);

describe('secrets taken out of the file', () => {
  const secret = 'Cut-Short-Secret-77';
  beforeAll(() => captureStdout(() => maskSecret(secret)));

  test('a last .jsonl line cut short, no JSON to read values from, is redacted as text', async () => {
    const file = at('cut.jsonl').path;
    fs.writeFileSync(file, `{"Value":"ok"}\n{"Value":"pw=${secret} and more te`);
    expect(await redactResultFile({ path: file, format: 'jsonl' })).toBe(1);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"Value":"ok"}\n{"Value":"pw=*** and more te');
  });

  test('after a .csv record longer than the limit, cut inside a quoted value, records are still told apart', async () => {
    const file = path.join(dir, 'long.csv');
    const split = `${secret.slice(0, 9)}\n${secret.slice(9)}`;
    const part = 'x'.repeat(400_000);
    fs.writeFileSync(file, `"Value"\r\n"${part}\n${part}\n${part}\nend"\r\n"pw=${split}"\r\n`);
    expect(await redactResultFile({ path: file, format: 'csv' })).toBe(1);
    expect(fs.readFileSync(file, 'utf8').endsWith('\r\n"pw=***"\r\n')).toBe(true);
  });
});
