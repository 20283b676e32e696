// command-names: all against auto, on the sandbox's model of the real module's proxy cost.
import * as path from 'node:path';
import { Job, ROOT, runMain } from '../test/support/action.js';
import {
  certificateInputs,
  installedModule,
  label,
  list,
  median,
  ms,
  ownCache,
  realFirst,
  RUNS,
  say,
} from './support.js';

export async function cmdletSubsets(): Promise<void> {
  say(`## 8. Cmdlet subsets: \`command-names: all\` against \`auto\` for a script that uses three cmdlets (${label})`);
  say(
    "This is a model of the real module's cost, not a measurement of it: the sandbox generates and imports a proxy module of 900 functions (about 5 KB each, sized like implicit-remoting proxies) at connect, as ExchangeOnlineManagement does. Each mode has a PowerShell cache folder of its own.",
  );
  const results: Record<string, number[]> = { all: [], auto: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const mode of ['all', 'auto']) {
      const job = new Job();
      try {
        const started = Date.now();
        await runMain(job, {
          inputs: {
            ...certificateInputs,
            'script-file': 'three-cmdlets.ps1',
            'working-directory': path.join(ROOT, 'bench'),
            'command-names': mode,
            summary: 'false',
          },
          env: {
            EXO_SANDBOX_PROXY_FUNCTIONS: '900',
            ...realFirst(),
            ...installedModule(),
            ...ownCache(`command-names-${mode}`),
          },
        });
        results[mode]!.push(Date.now() - started);
      } finally {
        job.cleanup();
      }
    }
  }
  say(`- all: ${list(results.all!)} (median ${ms(median(results.all!))})`);
  say(`- auto: ${list(results.auto!)} (median ${ms(median(results.auto!))})`);
  say(`- **auto / all: ${(median(results.auto!) / median(results.all!)).toFixed(2)}**\n`);
}
