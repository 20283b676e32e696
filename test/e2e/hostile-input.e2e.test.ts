// Data, not code: generated hostile strings go through `parameters` and through every free-text
// input that reaches PowerShell (user name, password). They must arrive byte for byte and
// nothing in them may run (a canary file must never appear).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Job, runMain, EXCHANGE_SERVER_ENV } from '../support/action.js';
import { batches, hostileStrings } from '../support/hostile.js';
import { validInputs } from '../support/invalid-inputs.js';
import { hasControlCharacter } from '../../src/log-text.js';

const ROUND_TRIP =
  'param([string[]] $Values)\n$Values | ForEach-Object { [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($_)) }';

let job: Job;
beforeEach(() => (job = new Job()));
afterEach(() => job.cleanup());

describe('with real PowerShell', () => {
  test('5,000 hostile strings through parameters arrive byte for byte and never run', async () => {
    const canary = path.join(job.root, 'canary');
    const strings = hostileStrings(5000, canary);
    // What makes the run worth having: varied strings, long ones, ones that would run as code,
    // and batches that fit the runner's environment.
    expect(new Set(strings).size).toBeGreaterThan(4000);
    expect(strings.some((s) => s.length >= 20000)).toBe(true);
    expect(strings.some((s) => s.includes(`$(New-Item -ItemType File -Path '${canary}'`))).toBe(true);
    expect(strings.some((s) => s.includes('\u0000'))).toBe(false);
    for (const batch of batches(strings))
      expect(Buffer.byteLength(JSON.stringify({ Values: batch }))).toBeLessThan(128 * 1024);
    let arrived = 0;
    for (const batch of batches(strings)) {
      const step = await runMain(job, {
        inputs: { ...validInputs(), parameters: JSON.stringify({ Values: batch }), script: ROUND_TRIP },
      });
      expect(step.code).toBe(0);
      const received = (JSON.parse(step.outputs.result!) as string[]).map((b) =>
        Buffer.from(b, 'base64').toString('utf8'),
      );
      expect(received).toEqual(batch);
      arrived += received.length;
    }
    expect(arrived).toBe(5000);
    expect(fs.existsSync(canary)).toBe(false);
    console.log(
      `hostile strings: ${strings.length} tried through parameters, ${arrived} arrived byte for byte, canary never created`,
    );
  }, 600_000);

  test('hostile user names and passwords reach New-PSSession byte for byte', async () => {
    const canary = path.join(job.root, 'canary');
    const values = hostileStrings(12, canary, 7).map((s, i) => s.replace(/[\r\n]/g, '') + `#${i}`);
    const env = { ...EXCHANGE_SERVER_ENV };
    for (let i = 0; i < values.length; i += 2) {
      // A user name with a control character is refused before PowerShell starts (invalid-inputs
      // has that case); every other character of it, as every character of a password, goes through.
      const username = [...values[i]!].filter((c) => !hasControlCharacter(c)).join('');
      const password = values[i + 1]!;
      const step = await runMain(job, {
        env,
        inputs: {
          target: 'exchange-server',
          'connection-uri': 'https://mail01.contoso.com/PowerShell/',
          auth: 'credential',
          authentication: 'Negotiate',
          username,
          password,
          script: '"ok"',
        },
      });
      expect(step.code).toBe(0);
      const created = job
        .calls()
        .filter((c) => c.command === 'New-PSSession')
        .at(-1)!;
      expect(created.parameters.Credential).toEqual({
        userName: username,
        passwordSha256: createHash('sha256').update(password, 'utf8').digest('hex'),
      });
    }
    expect(fs.existsSync(canary)).toBe(false);
  }, 300_000);
});
