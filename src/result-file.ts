// The result-file input: where every returned object is written, in the format its extension
// names. Checked before PowerShell starts, so a path that cannot be written fails before the
// connect; a file an earlier run left there is removed then too, and the runner creates missing
// folders and writes the file when the script starts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from './actions-core.js';
import { AS_WRITTEN, HintedError, quoted, SettingsError, shellNotation } from './errors.js';
import { oneLine } from './log-text.js';

export const RESULT_FORMATS = { '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.json': 'json', '.csv': 'csv' } as const;
export type ResultFormat = (typeof RESULT_FORMATS)[keyof typeof RESULT_FORMATS];

export interface ResultFile {
  /** Absolute path. */
  path: string;
  format: ResultFormat;
}

const ACCEPTED = 'a file path ending in .jsonl or .ndjson (one JSON object a line), .json (one array) or .csv';

/** The longest name of a file or folder that common file systems (ext4, APFS, NTFS) take. */
const MAX_NAME_BYTES = 255;

export function readResultFile(value: string, workingDirectory: string): ResultFile | null {
  if (value === '') return null;
  // A file the step would write somewhere else than the workflow meant.
  const notation = shellNotation(value);
  if (notation !== null)
    throw new SettingsError('result-file', `${quoted(value)}: ${notation}`, `${ACCEPTED}; ${AS_WRITTEN}`);
  const resolved = path.resolve(workingDirectory, value);
  if (/[\\/]$/.test(value) || isDirectory(resolved)) {
    throw new SettingsError('result-file', `${quoted(resolved)} is a directory`, ACCEPTED);
  }
  const extension = path.extname(resolved).toLowerCase();
  const format = (RESULT_FORMATS as Record<string, ResultFormat>)[extension];
  if (format === undefined) {
    const what = extension === '' ? 'has no extension' : `has the extension ${extension}`;
    throw new SettingsError('result-file', `${quoted(value)} ${what}, which names no format`, ACCEPTED);
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
      `${quoted(file)} cannot be created: ${why}`,
      `${ACCEPTED}, in a folder this job can write`,
    );
  };
  // Linux, macOS and Windows take at most 255 bytes (UTF-16 units on Windows) in one name of a path.
  const long = file.split(/[\\/]/).find((name) => Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES);
  if (long !== undefined) cannot(`the name '${long.slice(0, 40)}…' is longer than ${MAX_NAME_BYTES} bytes`);
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
  if (!isDirectory(dir)) cannot(`${quoted(dir)} is a file, not a folder`);
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

/** A file at the result-file path that could not be removed before the run. */
export class ResultFileError extends HintedError {}

/**
 * Removes what an earlier run left at the result-file path, before anything connects: a run that
 * fails before its script would otherwise leave another tenant's or another day's objects there,
 * for a later upload step to publish as this run's. Only a regular file or a symbolic link is
 * removed, the link itself and never what it points to; a folder or anything else is left alone
 * (unlink never removes a folder, should one appear there meanwhile). A file whose folder does not
 * let it go is emptied instead, as the runner would replace it.
 */
export function removeEarlierResultFile(file: ResultFile | null): void {
  if (file === null) return;
  const entry = entryAt(file.path);
  if (entry === null || !(entry.isFile() || entry.isSymbolicLink())) return;
  let done = 'removed';
  try {
    fs.unlinkSync(file.path);
  } catch (error) {
    if (!entry.isFile() || !emptied(file.path)) {
      throw new ResultFileError(
        `result-file '${file.path}' holds an earlier run's objects and could not be removed before the run: ${oneLine((error as Error).message)}`,
        'Close the program that has the file open (on Windows, Excel locks a .csv it shows) and make sure this job may write to its folder, or give this step a result-file path of its own.',
      );
    }
    done = 'emptied';
  }
  core.info(`result-file: ${done} ${file.path}, left by an earlier run; this run writes it when its script starts.`);
}

/** What is at a path, without following a link; null when nothing is, or it cannot be seen. */
function entryAt(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

/** Whether a regular file could be cut to nothing (its folder may refuse a removal that the file allows). */
function emptied(file: string): boolean {
  try {
    if (!fs.lstatSync(file).isFile()) return false;
    fs.truncateSync(file, 0);
    return true;
  } catch {
    return false;
  }
}
