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

test('the troubleshooting table is the hint catalogue', async () => {
  const { HINTS } = await import('../../src/hints.js');
  const table = rows('| the error says | what to do |').map((cells) => cells.map((c) => c.replace(/\\\|/g, '|')));
  expect(table).toEqual(HINTS.map((h) => [h.symptom, h.hint]));
});
