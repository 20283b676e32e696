// Every secret value this step knows: masked in the log before any use, and redacted from
// what the runner does not mask for us (the job summary, and outputs built from script data).
import * as core from '@actions/core';

const known = new Set<string>();

export function maskSecret(value: string): void {
  const add = (form: string): void => {
    if (form === '' || known.has(form)) return;
    known.add(form);
    core.setSecret(form);
  };
  add(value);
  // Derived forms: without whitespace, and line by line. Very short fragments of a multi-line
  // value would mask ordinary words, so those need a few characters.
  for (const form of [value.replace(/\s+/g, ''), ...value.split(/\r?\n/).map((line) => line.trim())]) {
    if (form.length >= 4) add(form);
  }
}

export function redact(text: string): string {
  let result = text;
  for (const secret of [...known].sort((a, b) => b.length - a.length)) result = result.split(secret).join('***');
  return result;
}
