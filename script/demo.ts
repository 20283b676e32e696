// The demo behind script/demo: the action as a workflow step would run it, against the sandbox.
import { Job, realPwsh, runMain, runPost } from '../test/support/action.js';
import { makePfx } from '../test/support/pfx.js';

const pwsh = realPwsh();
if (pwsh.path === null) {
  console.error('The demo needs PowerShell 7, and this machine has none:\n' + pwsh.reason);
  process.exit(2);
}

const REPORT = `
$mailboxes = Get-EXOMailbox -ResultSize Unlimited -PropertySets Quota
Write-Host "Found $($mailboxes.Count) mailboxes in $((Get-ConnectionInformation).Organization)"
$mailboxes | Format-Table DisplayName, PrimarySmtpAddress, RecipientTypeDetails -AutoSize | Out-Host
$mailboxes | Select-Object DisplayName, PrimarySmtpAddress, RecipientTypeDetails, ProhibitSendQuota
`;

const section = (title: string): void => console.log(`\n===== ${title} =====`);
const job = new Job();
try {
  const certificate = makePfx('demo-password');
  section('workflow step');
  console.log(`- uses: ./   # exo-connect-action
  with:
    organization: contoso.onmicrosoft.com
    client-id: 6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f
    certificate: \${{ secrets.EXO_CERT_PFX_BASE64 }}
    certificate-password: \${{ secrets.EXO_CERT_PASSWORD }}
    module-version: installed   # the sandbox module on PSModulePath
    script: |${REPORT.replace(/\n/g, '\n      ')}`);

  const main = await runMain(job, {
    inputs: {
      organization: 'contoso.onmicrosoft.com',
      'client-id': '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
      certificate: certificate.base64,
      'certificate-password': certificate.password,
      'module-version': 'installed',
      script: REPORT,
    },
  });
  section(`main step log (masked as the runner shows it), exit ${main.code}`);
  console.log(main.log);
  section('outputs');
  for (const [name, value] of Object.entries(main.outputs)) console.log(`${name}: ${value}`);
  section('job summary (GITHUB_STEP_SUMMARY)');
  console.log(main.summary);
  const post = await runPost(job);
  section(`post step log, exit ${post.code}`);
  console.log(post.log);
  section('PowerShell starts');
  console.log(`${job.pwshStarts().length} (main and post together)`);
  process.exitCode = main.code === 0 && post.code === 0 ? 0 : 1;
} finally {
  job.cleanup();
}
