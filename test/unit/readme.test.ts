// The README's input and output tables say what action.yml says.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { actionYml, ROOT } from '../support/action.js';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const rows = (header: string): string[][] => {
  const start = readme.indexOf(header);
  expect(start).toBeGreaterThan(-1);
  const lines = readme.slice(start).split('\n').slice(2);
  const end = lines.findIndex((l) => !l.startsWith('|'));
  return lines.slice(0, end).map((l) =>
    l
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim()),
  );
};

test('every input, in order, with its default', () => {
  const table = rows('| input | default | description |');
  expect(table.map(([name]) => name!.replace(/`/g, ''))).toEqual(Object.keys(actionYml.inputs));
  for (const [name, def] of table) {
    expect([name, def!.replace(/`/g, '')]).toEqual([name, actionYml.inputs[name!.replace(/`/g, '')]!.default ?? '']);
  }
});

test('every output', () => {
  expect(rows('| output | description |').map(([name]) => name!.replace(/`/g, ''))).toEqual(
    Object.keys(actionYml.outputs),
  );
});

test('the troubleshooting table is the hint catalogue: each piece of advice, with where it holds', async () => {
  const { describeScope, HINTS } = await import('../../src/hints.js');
  const table = rows('| the error says | where | what to do |').map((cells) =>
    cells.map((c) => c.replace(/\\\|/g, '|')),
  );
  expect(table).toEqual(HINTS.flatMap((h) => h.advice.map((a) => [h.symptom, describeScope(a.where), a.hint])));
});

test("exit-code and native commands: README says the step takes $LASTEXITCODE as GitHub's shell: pwsh does, and how to avoid it", () => {
  const exitCode = rows('| output | description |').find(([name]) => name === '`exit-code`')![1]!;
  expect(exitCode).toMatch(
    /`exit N`, or else `\$LASTEXITCODE` of the last native command it ran, as under `shell: pwsh`/,
  );
  const native = readme.slice(
    readme.indexOf('- **Native commands.**'),
    readme.indexOf('- **`result` and `result-file`.**'),
  );
  // GitHub's wrapper line, as its docs give it, and the two ways out that the step's hint names.
  expect(native).toContain('`if ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }`');
  expect(native).toContain('`$global:LASTEXITCODE = 0` after the command, or end the script with `exit 0`');
  // A plain pwsh -File exits 0 after a script that did not call exit: the README must not claim the same here.
  expect(native).toMatch(/differs\s+from a plain `pwsh -File`/);
});

test('result-count says it is empty, not 0, and result that it stays a JSON array, when PowerShell ended before the script finished', () => {
  const outputs = Object.fromEntries(rows('| output | description |').map(([name, text]) => [name, text]));
  expect(outputs['`result-count`']).toMatch(
    /Empty \(unknown, not 0\) when PowerShell ended before the script finished/,
  );
  expect(outputs['`result`']).toMatch(
    /Always a JSON array, whatever the outcome: `\[\]` when the script never started .*and when PowerShell ended before the script finished and nothing was reported, `\[\]` with `result-count` empty/,
  );
});

test("result-count says it is empty, not 0, when the script never started, and result-file that an earlier run's file goes first", () => {
  const outputs = Object.fromEntries(rows('| output | description |').map(([name, text]) => [name, text]));
  expect(outputs['`result-count`']).toMatch(
    /Empty too when the script never started \(a refused input, a failed module load or connect, a cancel before the script\): 0 means the script ran and returned nothing/,
  );
  expect(outputs['`result-file`']).toMatch(
    /set once the script started \(empty before then, and without result-file\)\. A file an earlier run left at that path is removed/,
  );
  // action.yml, which the Marketplace shows, says the same.
  for (const name of ['result', 'result-count', 'result-file', 'organization'])
    expect([name, (actionYml.outputs[name] as { description: string }).description]).toEqual([
      name,
      outputs[`\`${name}\``],
    ]);
});

test("action.yml, which the Marketplace shows, describes every input and output as the README's tables do", () => {
  const cellText = (cell: string) => cell.replace(/\\\|/g, '|');
  for (const [name, , description] of rows('| input | default | description |')) {
    const input = name!.replace(/`/g, '');
    expect([input, (actionYml.inputs[input] as { description: string }).description]).toEqual([
      input,
      cellText(description!),
    ]);
  }
  for (const [name, description] of rows('| output | description |')) {
    const output = name!.replace(/`/g, '');
    expect([output, (actionYml.outputs[output] as { description: string }).description]).toEqual([
      output,
      cellText(description!),
    ]);
  }
});

test('every vars and secrets value the workflow examples use has a stand-in in script/demo', () => {
  const demo = fs.readFileSync(path.join(ROOT, 'script', 'demo.ts'), 'utf8');
  const context = /vars: \{([^}]*)\},\s*secrets: \{([^}]*)\}/.exec(demo);
  expect(context).not.toBeNull();
  const known = new Set([
    ...[...context![1]!.matchAll(/(\w+):/g)].map((m) => `vars.${m[1]}`),
    ...[...context![2]!.matchAll(/(\w+):/g)].map((m) => `secrets.${m[1]}`),
  ]);
  // The examples the demo runs, by their headings (script/demo.ts, EXAMPLES): each to the next heading.
  const examples = /const EXAMPLES[^;]*;/s.exec(demo)![0];
  const headings = [...examples.matchAll(/'(### \d+\.)'/g)].map((m) => m[1]!);
  expect(headings.length).toBeGreaterThan(5);
  const used = headings.flatMap((heading) => {
    const from = readme.indexOf(`\n${heading}`);
    expect(from).toBeGreaterThan(-1);
    const to = readme.indexOf('\n### ', from + 1);
    const text = readme.slice(from, to < 0 ? undefined : to);
    return [...text.matchAll(/\$\{\{\s*(vars|secrets)\.(\w+)\s*\}\}/g)].map((m) => `${heading} ${m[1]}.${m[2]}`);
  });
  expect(used).toContain('### 2. vars.EXO_PLAN_APP_ID');
  expect(used.filter((use) => !known.has(use.split(' ').pop()!))).toEqual([]);
});
