// The result-file input: where every returned object is written, in the format its extension
// names. Checked before PowerShell starts, so a path that cannot be written fails before the
// connect; the runner creates missing folders and replaces an existing file.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { SettingsError } from './errors.js';

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
