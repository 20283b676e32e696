// Evidence for docs/decisions/0001: node-powershell turns values into PowerShell
// source text, which the action never does: no input value is ever pasted into PowerShell source.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { PowerShell } = require('node-powershell') as {
  PowerShell: { command: (l: TemplateStringsArray, ...e: unknown[]) => string };
};

test('a value with $() becomes a double-quoted string, which PowerShell expands: code runs', () => {
  const value = '$(Remove-Item -Recurse ~)';
  expect(PowerShell.command`Write-Output ${value}`).toBe('Write-Output "$(Remove-Item -Recurse ~)"');
});

test('a value with a double quote is wrapped in single quotes without escaping: code runs', () => {
  const value = `"'; Remove-Item -Recurse ~; '`;
  expect(PowerShell.command`Write-Output ${value}`).toBe(`Write-Output '"'; Remove-Item -Recurse ~; ''`);
});

test('a secret becomes part of the command text that is written to stdin and to the debug log', () => {
  const token = 'eyJ0eXAiOiJKV1Qi.secret.token';
  expect(PowerShell.command`Connect-ExchangeOnline -AccessToken ${token}`).toContain(token);
});
