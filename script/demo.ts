// The demo behind script/demo: a README workflow example, run by name against the sandbox
// organization, as the Actions runner would run its step. The inputs come from the README
// itself, so an example that stops working there stops working here.
//
//   script/demo [mailbox-report|plan|tenants|exchange-server|security-compliance|both-workloads]
//   script/demo certificate      prints INPUT_CERTIFICATE and INPUT_CERTIFICATE-PASSWORD for .env
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { Job, realPwsh, ROOT, runMain, runPost, SANDBOX_MODULES } from '../test/support/action.js';
import { GITHUB_ISSUER, startEntra, startGitHubIssuer, testTls } from '../test/support/identity.js';
import { makePfx } from '../test/support/pfx.js';
import { ENDPOINTS, type Cloud } from '../src/endpoints.js';

/** Example names and the README headings they run. */
const EXAMPLES: Record<string, string> = {
  'mailbox-report': '### 1.',
  plan: '### 2.',
  tenants: '### 3.',
  'exchange-server': '### 4.',
  'security-compliance': '### 5.',
  'both-workloads': '### 6.',
};
const APP_ID = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

interface Example {
  title: string;
  /** The action's step and the job it is in. */
  step: { with: Record<string, unknown> };
  job: { strategy?: { matrix?: Record<string, unknown[]> } };
  /** Files the example shows (a PowerShell block that starts with "# path: ..."). */
  files: Record<string, string>;
}

/** The example under `heading` in the README: its YAML step and the files it shows. */
function readExample(heading: string): Example {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(heading, readme.indexOf('## Workflow examples'));
  if (start < 0) throw new Error(`README has no example '${heading}'`);
  const next = readme.slice(start + heading.length).search(/\n##+ /);
  const section = readme.slice(start, next < 0 ? undefined : start + heading.length + next);
  const blocks = [...section.matchAll(/^(`{3,})(\w+)\n([\s\S]*?)^\1$/gm)].map((m) => ({ lang: m[2]!, text: m[3]! }));
  const yaml = blocks.find((b) => b.lang === 'yaml');
  if (yaml === undefined) throw new Error(`README example '${heading}' has no YAML`);
  const document: unknown = parse(dedent(yaml.text));
  const jobs: Array<Example['job'] & { steps: unknown[] }> = Array.isArray(document)
    ? [{ steps: document }]
    : Object.values((document as { jobs: Record<string, Example['job'] & { steps: unknown[] }> }).jobs);
  for (const job of jobs) {
    const step = job.steps.find((s) => String((s as { uses?: string }).uses).startsWith('org/exo-connect-action'));
    if (step !== undefined) {
      const files: Record<string, string> = {};
      for (const block of blocks.filter((b) => b.lang === 'powershell')) {
        const name = /^# ([\w./-]+\.ps1):/.exec(block.text)?.[1];
        if (name !== undefined) files[name] = block.text;
      }
      return { title: section.split('\n')[0]!.replace(/^#+ /, ''), step: step as Example['step'], job, files };
    }
  }
  throw new Error(`README example '${heading}' has no exo-connect-action step`);
}

function dedent(text: string): string {
  const indent = Math.min(
    ...text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => /^ */.exec(l)![0].length),
  );
  return text
    .split('\n')
    .map((l) => l.slice(indent))
    .join('\n');
}

/** `${{ … }}` in an input, resolved from the demo's stand-ins for vars, secrets and the matrix. */
function resolve(value: string, context: Record<string, unknown>): string {
  return value.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_all, expression: string) => {
    const found = expression.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[key], context);
    if (found === undefined) throw new Error(`The demo has no value for \${{ ${expression} }}`);
    return String(found);
  });
}

const section = (title: string): void => console.log(`\n===== ${title} =====`);

async function runExample(name: string): Promise<number> {
  const example = readExample(EXAMPLES[name]!);
  const certificate = makePfx('demo-password');
  const matrix = Object.fromEntries(
    Object.entries(example.job.strategy?.matrix ?? {}).map(([key, values]) => [key, values[0]]),
  );
  const context = {
    vars: { EXO_APP_ID: APP_ID, EXO_PLAN_APP_ID: APP_ID },
    secrets: { EXO_CERT_PFX_BASE64: certificate.base64, EXO_CERT_PASSWORD: certificate.password },
    matrix,
  };
  const inputs = Object.fromEntries(
    Object.entries(example.step.with).map(([key, value]) => [key, resolve(String(value), context)]),
  );
  const job = new Job();
  const closers: Array<() => Promise<void>> = [];
  try {
    for (const [file, text] of Object.entries(example.files)) {
      fs.mkdirSync(path.dirname(path.join(job.workspace, file)), { recursive: true });
      fs.writeFileSync(path.join(job.workspace, file), text);
    }
    // The sandbox answers for the example's organization.
    const organization = inputs.organization ?? 'contoso.onmicrosoft.com';
    const orgFile = path.join(job.root, 'organization.json');
    const data = JSON.parse(fs.readFileSync(path.join(ROOT, 'sandbox', 'organization.json'), 'utf8')) as object;
    fs.writeFileSync(orgFile, JSON.stringify({ ...data, organization }));
    const env: Record<string, string> = { EXO_SANDBOX_ORG: orgFile };
    if (process.env.EXO_SANDBOX_MAILBOXES) env.EXO_SANDBOX_MAILBOXES = process.env.EXO_SANDBOX_MAILBOXES;

    const tokenFlow = !inputs.certificate && !inputs['access-token'] && inputs.target !== 'exchange-server';
    if (tokenFlow) {
      // OIDC, as in a job with id-token: write: a GitHub-like issuer and an Entra-like authority on 127.0.0.1.
      const github = await startGitHubIssuer();
      const cloud = (inputs.environment ?? 'O365Default') as Cloud;
      const entra = await startEntra({
        tenant: inputs['tenant-id'] ?? organization,
        clientId: inputs['client-id'] ?? APP_ID,
        scope: ENDPOINTS[cloud].exchangeScope,
        federated: {
          issuer: GITHUB_ISSUER,
          subject: 'repo:contoso/exchange-automation:ref:refs/heads/main',
          audience: 'api://AzureADTokenExchange',
          key: github.publicKey,
        },
      });
      closers.push(github.close, entra.close);
      inputs['authority-host'] = entra.host;
      Object.assign(env, {
        NODE_EXTRA_CA_CERTS: testTls().caFile,
        ACTIONS_ID_TOKEN_REQUEST_URL: github.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.requestToken,
      });
    }
    if (inputs.target === 'exchange-server' && process.platform !== 'win32') {
      // The Windows-only path, with the sandbox's New-PSSession & co. standing in for WSMan.
      env.EXO_CONNECT_ACTION_TEST_PLATFORM = 'win32';
      env.EXO_CONNECT_ACTION_TEST_PRELOAD = path.join(
        SANDBOX_MODULES,
        'ExchangeOnlineManagement',
        'ExchangeOnlineManagement.psd1',
      );
    }

    section(`${name}: ${example.title}`);
    for (const [key, value] of Object.entries(example.step.with)) {
      console.log(
        `  ${key}: ${String(value).includes('\n') ? `|\n    ${String(value).trimEnd().replace(/\n/g, '\n    ')}` : String(value)}`,
      );
    }
    const main = await runMain(job, { inputs, env });
    section(`main step log (masked as the runner shows it), exit ${main.code}`);
    console.log(main.log);
    section('outputs');
    for (const [output, value] of Object.entries(main.outputs)) {
      console.log(`${output}: ${value.length > 600 ? `${value.slice(0, 600)}… (${value.length} characters)` : value}`);
    }
    const file = main.outputs['result-file'];
    if (file && fs.existsSync(file)) {
      section(`result-file ${file}: ${fs.statSync(file).size} bytes, first lines`);
      console.log(fs.readFileSync(file, 'utf8').split('\n').slice(0, 5).join('\n'));
    }
    section('job summary (GITHUB_STEP_SUMMARY)');
    console.log(main.summary);
    const post = await runPost(job);
    section(`post step log, exit ${post.code}`);
    console.log(post.log);
    section('PowerShell starts');
    console.log(`${job.pwshStarts().length} (main and post together)`);
    return main.code === 0 && post.code === 0 ? 0 : 1;
  } finally {
    for (const close of closers) await close();
    job.cleanup();
  }
}

const name = process.argv[2] ?? 'mailbox-report';
if (name === 'certificate') {
  // A PFX the sandbox accepts (any certificate with its private key), for .env and local-action.
  const certificate = makePfx('local-demo-password');
  console.log(`INPUT_CERTIFICATE=${certificate.base64}`);
  console.log(`INPUT_CERTIFICATE-PASSWORD=${certificate.password}`);
} else if (EXAMPLES[name] === undefined) {
  console.error(`Unknown example '${name}'. Examples: ${Object.keys(EXAMPLES).join(', ')}; or certificate.`);
  process.exitCode = 2;
} else {
  realPwsh(); // the PowerShell script/bootstrap installed; without it this stops with the bootstrap's reason
  process.exitCode = await runExample(name);
}
