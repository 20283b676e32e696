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
