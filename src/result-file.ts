// The result-file input: where every returned object is written, in the format its extension
// names. Checked before PowerShell starts, so a path that cannot be written fails before the
// connect; the runner creates missing folders and replaces an existing file.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { SettingsError } from './errors.js';
import { holdsSecret, redactCsv, redactJson } from './secrets.js';

export const RESULT_FORMATS = { '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.json': 'json', '.csv': 'csv' } as const;
export type ResultFormat = (typeof RESULT_FORMATS)[keyof typeof RESULT_FORMATS];

export interface ResultFile {
  /** Absolute path. */
  path: string;
  format: ResultFormat;
}

const ACCEPTED = 'a file path ending in .jsonl or .ndjson (one JSON object a line), .json (one array) or .csv';

export function readResultFile(value: string, workingDirectory: string): ResultFile | null {
  if (value === '') return null;
  const resolved = path.resolve(workingDirectory, value);
  if (/[\\/]$/.test(value) || isDirectory(resolved)) {
    throw new SettingsError('result-file', `'${resolved}' is a directory`, ACCEPTED);
  }
  const extension = path.extname(resolved).toLowerCase();
  const format = (RESULT_FORMATS as Record<string, ResultFormat>)[extension];
  if (format === undefined) {
    const what = extension === '' ? 'has no extension' : `has the extension ${extension}`;
    throw new SettingsError('result-file', `'${value}' ${what}, which names no format`, ACCEPTED);
  }
  checkWritable(resolved);
  return { path: resolved, format };
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The file, or its nearest existing folder, must be writable, and no file may stand where a folder is needed. */
function checkWritable(file: string): void {
  const cannot = (why: string): never => {
    throw new SettingsError(
      'result-file',
      `'${file}' cannot be created: ${why}`,
      `${ACCEPTED}, in a folder this job can write`,
    );
  };
  if (fs.existsSync(file)) {
    if (!writable(file)) cannot('the file exists and is not writable');
    return;
  }
  let dir = path.dirname(file);
  while (!fs.existsSync(dir)) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (!isDirectory(dir)) cannot(`'${dir}' is a file, not a folder`);
  if (!writable(dir)) cannot(`the folder '${dir}' is not writable`);
}

function writable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Takes every secret out of the file the runner wrote, as `result` has them taken out: a server
 * may echo a credential into the objects the script returns, and the file is often uploaded as an
 * artifact. Read a line at a time (JSON escapes line breaks; a CSV value with one in it is the
 * exception), searched for the secrets' masked forms, and written again only when a line holds
 * one. Returns how many lines did.
 */
export async function redactResultFile(file: ResultFile): Promise<number> {
  if (!fs.statSync(file.path, { throwIfNoEntry: false })?.isFile()) return 0;
  const redactLine = file.format === 'csv' ? redactCsv : redactJson;
  let changed = 0;
  for await (const line of lines(file.path)) if (holdsSecret(line)) changed++;
  if (changed === 0) return 0;
  const temporary = `${file.path}.redacting`;
  const out = fs.createWriteStream(temporary);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined); // raced below; a write error must not go unhandled meanwhile
  const settled = (event: 'drain' | 'finish'): Promise<void> =>
    Promise.race([new Promise<void>((resolve) => out.once(event, () => resolve())), failed]);
  const ending = file.format === 'csv' ? '\r\n' : '\n';
  try {
    for await (const line of lines(file.path)) {
      const clean = holdsSecret(line) ? redactLine(line) : line;
      if (!out.write(clean + ending)) await settled('drain');
    }
    out.end();
    await settled('finish');
    fs.renameSync(temporary, file.path);
  } catch (error) {
    out.destroy();
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  return changed;
}

function lines(file: string): AsyncIterable<string> {
  return readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
}
