// PowerShell starts per run, and the post step's clean path against a bare Node start.
import * as path from 'node:path';
import { actionYml, Job, ROOT, runMain, runPost } from '../test/support/action.js';
import { certificateInputs, label, list, median, ms, RUNS, say, timed } from './support.js';

export async function starts(): Promise<void> {
  say(`## 3. PowerShell starts per run (${label})`);
  const job = new Job();
  try {
    await runMain(job, { inputs: { ...certificateInputs, script: '"hello"' } });
    const inMain = job.pwshStarts().length;
    await runPost(job);
    const inPost = job.pwshStarts().length - inMain;
    say(
      `- main: ${inMain} (goal 1); post after a ${job.state.clean === 'true' ? 'clean' : 'failed'} main: ${inPost} (goal 0)`,
    );
    say();
  } finally {
    job.cleanup();
  }
}

export async function postFastPath(): Promise<void> {
  say(`## 4. Post fast path against \`node -e 0\` (${label})`);
  const post: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS * 3; i++) {
    bare.push((await timed(process.execPath, ['-e', '0'], process.env)).ms);
    post.push(
      (await timed(process.execPath, [path.join(ROOT, actionYml.runs.post)], { ...process.env, STATE_clean: 'true' }))
        .ms,
    );
  }
  say(`- node -e 0: ${list(bare)} (median ${ms(median(bare))})`);
  say(`- post after a clean main: ${list(post)} (median ${ms(median(post))})`);
  say(`- **median ratio: ${(median(post) / median(bare)).toFixed(2)}** (goal ≤ 1.5)\n`);
}
