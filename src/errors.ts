/** Bad input, found before PowerShell starts. The message names the input. */
export class SettingsError extends Error {
  constructor(
    readonly input: string,
    problem: string,
    accepted: string,
    /** Lines to copy into the workflow, after the sentence. */
    example?: string,
  ) {
    // A problem that ends in a question ("did you mean …?") keeps its own mark.
    const end = /[.?!]$/.test(problem) ? '' : '.';
    super(`Input '${input}': ${problem}${end} Accepted: ${accepted}.${example === undefined ? '' : `\n${example}`}`);
    this.name = 'SettingsError';
  }
}

/** What a job needs for a GitHub OIDC token, as workflow YAML. */
export const OIDC_PERMISSIONS = ['  permissions:', '    id-token: write', '    contents: read'].join('\n');

/** A known failure that comes with a hint a person can act on. */
export class HintedError extends Error {
  constructor(
    message: string,
    readonly hint: string | null,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
