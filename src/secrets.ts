// Every secret value this step knows: masked in the log before any use, and redacted from
// what the runner does not mask for us (the job summary, and outputs built from script data).
import * as core from '@actions/core';

const known = new Set<string>();

export function maskSecret(value: string): void {
  const forms = [value, value.replace(/\s+/g, ''), ...value.split(/\r?\n/).map((line) => line.trim())];
  for (const form of forms) {
    // Very short fragments of a multi-line value would mask ordinary words.
    if (form.length >= 4 && !known.has(form)) {
      known.add(form);
      core.setSecret(form);
    }
  }
}

export function redact(text: string): string {
  let result = text;
  for (const secret of [...known].sort((a, b) => b.length - a.length)) result = result.split(secret).join('***');
  return result;
}
