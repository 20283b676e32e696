// For the e2e workflow: the parity step's `result` (in RESULT) must be the same JSON on every OS
// and shell. Compared as parsed JSON: Windows PowerShell 5.1 escapes some characters that
// PowerShell 7 writes as they are.
import { deepStrictEqual } from 'node:assert';

const expected = [{ Name: 'Müller – EMEA ✓', City: 'Zürich', When: '2026-01-02T03:04:05Z', Day: 'Friday' }];
deepStrictEqual(JSON.parse(process.env.RESULT), expected);
console.log('result is the same JSON as on every other shell');
