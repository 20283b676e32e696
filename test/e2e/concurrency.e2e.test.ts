// Eight instances of the built action at once on one machine, as a self-hosted runner with
// several runner processes would run them, sharing one RUNNER_TEMP (the worst case). No
// temporary file, state, output or connection may cross between them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHECKED_DISCONNECT, Job, ROOT, runMain, runPost } from '../support/action.js';
import { validInputs } from '../support/invalid-inputs.js';

const INSTANCES = 8;

test('8 concurrent runs keep their files, state, outputs and connections apart', async () => {
  const sharedTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-shared-temp-'));
  // Each run's sandbox tenant answers with its own organization name, so a crossed connection shows.
  const sandboxTenant = JSON.parse(fs.readFileSync(path.join(ROOT, 'sandbox', 'organization.json'), 'utf8')) as object;
  const jobs = Array.from({ length: INSTANCES }, () => new Job());
  try {
    const orgs = jobs.map((_, i) => `tenant${i}.onmicrosoft.com`);
    const mains = await Promise.all(
      jobs.map((job, i) => {
        const orgFile = path.join(job.root, 'organization.json');
        fs.writeFileSync(orgFile, JSON.stringify({ ...sandboxTenant, organization: orgs[i] }));
        return runMain(job, {
          inputs: {
            ...validInputs(),
            organization: orgs[i]!,
            script: `"run ${i}"; Start-Sleep -Milliseconds 500; (Get-ConnectionInformation).Organization`,
          },
          // A PowerShell cache folder per run: eight PowerShells writing one JIT start-up profile
          // at once can leave it damaged (https://github.com/PowerShell/PowerShell/issues/26528).
          env: { RUNNER_TEMP: sharedTemp, EXO_SANDBOX_ORG: orgFile, XDG_CACHE_HOME: path.join(job.root, 'cache') },
        });
      }),
    );

    const workspaces = jobs.map((job) => job.state.workspace!);
    expect(new Set(workspaces).size).toBe(INSTANCES);
    jobs.forEach((job, i) => {
      expect(path.dirname(job.state.workspace!)).toBe(sharedTemp);
      const [start, ...more] = job.pwshStarts();
      expect(more).toEqual([]);
      // Each PowerShell got its own private temp directory, inside its own run directory.
      expect(start!.env.TMPDIR).toBe(path.join(job.state.workspace!, 'tmp'));
      expect(mains[i]!.outputs.organization).toBe(orgs[i]);
      expect(mains[i]!.code).toBe(0);
      expect(JSON.parse(mains[i]!.outputs.result!)).toEqual([`run ${i}`, orgs[i]]);
      const connects = job.calls().filter((c) => c.command === 'Connect-ExchangeOnline');
      expect(connects.map((c) => c.parameters.Organization)).toEqual([orgs[i]]);
      expect(
        job
          .calls()
          .slice(-2)
          .map((c) => c.command),
      ).toEqual(CHECKED_DISCONNECT);
    });
    const posts = await Promise.all(
      jobs.map((job) =>
        runPost(job, { env: { RUNNER_TEMP: sharedTemp, XDG_CACHE_HOME: path.join(job.root, 'cache') } }),
      ),
    );
    posts.forEach((post) => expect(post.code).toBe(0));
    expect(fs.readdirSync(sharedTemp)).toEqual([]);
  } finally {
    jobs.forEach((job) => job.cleanup());
    fs.rmSync(sharedTemp, { recursive: true, force: true });
  }
}, 120_000);
