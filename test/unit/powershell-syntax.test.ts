// Every PowerShell file in src/ps (Pester tests included) and the sandbox parses with the
// tree-sitter PowerShell grammar. The unit-test jobs on Windows and macOS have no pinned PowerShell,
// so this catches syntax errors there too; script/check-ps51 reads the shipped ones with
// PowerShell's own parser.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { ROOT } from '../support/action.js';

/** Every .ps1/.psm1/.psd1 under src/ps (the Pester tests included) and sandbox. */
const FILES = ['src/ps', 'sandbox']
  .flatMap((dir) =>
    fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)),
  )
  .filter((f) => /\.ps[dm]?1$/.test(f))
  .sort();

test('the file list holds the runner and the sandbox module', () => {
  expect(FILES).toEqual(
    expect.arrayContaining([
      path.join('sandbox', 'modules', 'ExchangeOnlineManagement', 'ExchangeOnlineManagement.psm1'),
      path.join('sandbox', 'modules', 'ExchangeOnlineManagement', 'ExchangeOnlineManagement.psd1'),
    ]),
  );
  expect(FILES.filter((f) => f.startsWith(path.join('src', 'ps')))).not.toEqual([]);
});

let parser: Parser;
beforeAll(async () => {
  await Parser.init();
  parser = new Parser();
  parser.setLanguage(
    await Language.load(path.join(ROOT, 'node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm')),
  );
});

function syntaxErrors(text: string): string[] {
  const tree = parser.parse(text)!;
  const found: string[] = [];
  const walk = (node: Node): void => {
    if (node.type === 'ERROR' || node.isMissing)
      found.push(`line ${node.startPosition.row + 1}: ${node.text.slice(0, 60)}`);
    node.children.forEach((c) => c && walk(c));
  };
  walk(tree.rootNode);
  return found;
}

test('the list holds the entry script and every file of the module', () => {
  expect(FILES).toContain('src/ps/runner.ps1');
  expect(FILES).toContain('src/ps/ExoConnectRunner/ExoConnectRunner.psm1');
  expect(FILES).toContain('src/ps/ExoConnectRunner/ExoConnectRunner.psd1');
  expect(FILES).toContain('src/ps/ExoConnectRunner/Private/Teardown.ps1');
});

test.each(FILES)('%s parses without errors', (file) => {
  expect(syntaxErrors(fs.readFileSync(path.join(ROOT, file), 'utf8'))).toEqual([]);
});

test('the checker does find a syntax error', () => {
  expect(syntaxErrors('function Broken { param($a) if ($a) { "x" ').length).toBeGreaterThan(0);
});
