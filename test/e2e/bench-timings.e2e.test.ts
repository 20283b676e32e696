// The bench's timing marks through dist/: in order, with the runner's phase events between them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Job, realPwsh, runMain, runPost } from '../support/action.js';
import { validInputs } from '../support/invalid-inputs.js';

const pwsh = realPwsh();

let job: Job;
beforeEach(() => (job = new Job()));
afterEach(() => job.cleanup());

describe('EXO_CONNECT_ACTION_BENCH_TIMINGS', () => {
  test('main and post mark each step boundary in order, and main keeps the runner phase events', async () => {
    // In the runner temp directory, so the leak guard in cleanup() reads it too.
    const file = path.join(job.runnerTemp, 'timings.jsonl');
    const env = {
      PATH: `${path.dirname(pwsh)}${path.delimiter}${process.env.PATH ?? ''}`,
      EXO_CONNECT_ACTION_BENCH_TIMINGS: file,
    };
    const main = await runMain(job, { inputs: validInputs(), env });
    const post = await runPost(job, { env });
    expect([main.code, post.code]).toEqual([0, 0]);

    const lines = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l.replace(/^[0-9a-f]{64} /, '')) as {
            mark?: string;
            t?: number;
            event?: string;
            name?: string;
            status?: string;
          },
      );
    const marks = lines.filter((l) => l.mark !== undefined);
    expect(marks.map((l) => l.mark)).toEqual([
      'main-start',
      'main-loaded',
      'settings',
      'pwsh-spawn',
      'pwsh-exit',
      'main-end',
      'post-start',
      'post-end',
    ]);
    const times = marks.map((l) => l.t!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(main.startedAt!);
    // The runner's events (each line after its MAC) follow the pwsh-exit mark, before main removes them.
    const afterExit = lines.slice(
      lines.findIndex((l) => l.mark === 'pwsh-exit') + 1,
      lines.findIndex((l) => l.mark === 'main-end'),
    );
    const phases = afterExit.filter((l) => l.event === 'phase').map((l) => `${l.name} ${l.status}`);
    expect(phases).toEqual([
      'module start',
      'module end',
      'connect start',
      'connect end',
      'script start',
      'script end',
    ]);
    expect(afterExit.some((l) => l.event === 'disconnected')).toBe(true);
  });
});
