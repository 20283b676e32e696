/** Bad input, found before PowerShell starts. The message names the input. */
export class SettingsError extends Error {
  constructor(
    readonly input: string,
    problem: string,
    accepted: string,
  ) {
    super(`Input '${input}': ${problem}. Accepted: ${accepted}.`);
    this.name = 'SettingsError';
  }
}

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
