// Token flows through dist/, against a GitHub OIDC issuer and an Entra-like authority
// served over HTTPS on 127.0.0.1 with a CA this test makes.
import { createHash } from 'node:crypto';
import { ENDPOINTS, type Cloud } from '../../src/endpoints.js';
import { findLeaks, Job, runMain, type StepResult } from '../support/action.js';
import {
  GITHUB_ISSUER,
  startEntra,
  startGitHubIssuer,
  testTls,
  type Entra,
  type EntraOptions,
  type GitHubIssuer,
} from '../support/identity.js';

const CLIENT_ID = '0a1b2c3d-1111-4222-8333-444455556666';
const ORG = 'contoso.onmicrosoft.com';
const SUBJECT = 'repo:contoso/exchange-automation:ref:refs/heads/main';

let job: Job;
let github: GitHubIssuer;
let entra: Entra | null = null;
beforeEach(async () => {
  job = new Job();
  github = await startGitHubIssuer();
});
afterEach(async () => {
  await github.close();
  await entra?.close();
  entra = null;
  job.cleanup();
});

async function authority(options: Partial<EntraOptions> & { scope: string }): Promise<Entra> {
  entra = await startEntra({
    tenant: ORG,
    clientId: CLIENT_ID,
    federated: {
      issuer: GITHUB_ISSUER,
      subject: SUBJECT,
      audience: 'api://AzureADTokenExchange',
      key: github.publicKey,
    },
    ...options,
  });
  return entra;
}

function run(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<StepResult> {
  return runMain(job, {
    inputs: {
      organization: ORG,
      'client-id': CLIENT_ID,
      'authority-host': entra!.host,
      script: 'Get-EXOMailbox -ResultSize 2',
      ...inputs,
    },
    env: {
      NODE_EXTRA_CA_CERTS: testTls().caFile,
      ACTIONS_ID_TOKEN_REQUEST_URL: github.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.requestToken,
      ...env,
    },
  });
}

/** The token reached PowerShell only as data: masked first, never in argv, env, files or outputs. */
function expectTokenHandedOver(step: StepResult, token: string): void {
  expect(step.raw).toContain(`::add-mask::${token}`);
  expect(step.raw.indexOf(`::add-mask::${token}`)).toBeLessThanOrEqual(step.raw.indexOf(token));
  expect(findLeaks(job, [step], [token, ...github.issued, github.requestToken])).toEqual([]);
  expect(job.pwshStarts()).toHaveLength(1);
  expect(step.code).toBe(0);
  const connect = job.calls().find((c) => c.command === 'Connect-ExchangeOnline')!;
  expect(connect.parameters.AccessToken).toEqual({ sha256: createHash('sha256').update(token).digest('hex') });
  expect(connect.parameters.Organization).toBe(ORG);
  expect(connect.parameters.AppId).toBeUndefined();
}

const clouds = Object.keys(ENDPOINTS) as Cloud[];

describe('auth: oidc (workload identity federation)', () => {
  test.each(clouds)(
    "%s: the GitHub token is exchanged for the cloud's Exchange scope, and the token is handed over as data",
    async (cloud) => {
      const e = await authority({ scope: ENDPOINTS[cloud].exchangeScope });
      const step = await run({ auth: 'oidc', environment: cloud });
      expect(github.audiences).toEqual(['api://AzureADTokenExchange']);
      expect(e.requests).toHaveLength(1);
      expect(e.requests[0]).toMatchObject({
        tenant: ORG,
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: github.issued[0],
      });
      expect(e.issued).toHaveLength(1);
      expect(step.log).toMatch(/Access token expires at .* \(in 60 minutes\)/);
      expectTokenHandedOver(step, e.issued[0]!);
    },
  );

  test('auto chooses oidc from a client-id and the OIDC request URL; tenant-id picks the tenant path', async () => {
    const tenantId = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
    const e = await authority({ scope: ENDPOINTS.O365Default.exchangeScope, tenant: tenantId });
    const step = await run({ 'tenant-id': tenantId });
    expect(e.requests[0]!.tenant).toBe(tenantId);
    expect(e.requests[0]!.client_assertion).toBe(github.issued[0]);
    expectTokenHandedOver(step, e.issued[0]!);
  });

  test('a custom audience is requested from GitHub', async () => {
    const e = await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      federated: { issuer: GITHUB_ISSUER, subject: SUBJECT, audience: 'api://contoso-exchange', key: github.publicKey },
    });
    const step = await run({ auth: 'oidc', audience: 'api://contoso-exchange' });
    expect(github.audiences).toEqual(['api://contoso-exchange']);
    expectTokenHandedOver(step, e.issued[0]!);
  });

  test("an authority-host outside Microsoft's is announced in the log", async () => {
    await authority({ scope: ENDPOINTS.O365Default.exchangeScope });
    const step = await run({ auth: 'oidc' });
    expect(step.warnings.join('\n')).toMatch(
      new RegExp(`sent to ${entra!.host.replace(/\./g, '\\.')}, which is not a Microsoft authority`),
    );
  });

  test.each([
    ['issuer', 'AADSTS70021', { issuer: 'https://token.actions.githubusercontent.com/contoso' }],
    ['subject', 'AADSTS700213', { subject: 'repo:contoso/exchange-automation:environment:production' }],
    ['audience', 'AADSTS7002138', { audience: 'api://something-else' }],
  ])(
    'a federated credential with the wrong %s fails with %s and shows what GitHub presented',
    async (_what, code, mismatch) => {
      await authority({
        scope: ENDPOINTS.O365Default.exchangeScope,
        federated: {
          issuer: GITHUB_ISSUER,
          subject: SUBJECT,
          audience: 'api://AzureADTokenExchange',
          key: github.publicKey,
          ...mismatch,
        },
      });
      const step = await run({ auth: 'oidc' });
      expect(step.code).toBe(1);
      const error = step.errors.join('\n');
      expect(error).toMatch(new RegExp(`Entra ID refused the token request: ${code}:`));
      expect(error).toMatch(/Hint: No federated credential on the app matches/);
      expect(step.summary).toMatch(/<strong>Hint:<\/strong> No federated credential on the app matches/);
      expect(step.outputs['exit-code']).toBe('1');
      expect(error).toMatch(/issuer: {3}https:\/\/token\.actions\.githubusercontent\.com\n/);
      expect(error).toMatch(new RegExp(`subject: {2}${SUBJECT.replace(/[/.]/g, '\\$&')}\\n`));
      expect(error).toMatch(/audience: api:\/\/AzureADTokenExchange\n/);
      expect(job.pwshStarts()).toHaveLength(0);
      expect(findLeaks(job, [step], [...github.issued, github.requestToken])).toEqual([]);
    },
  );

  test('without id-token: write the step fails before anything, with the YAML to add', async () => {
    await authority({ scope: ENDPOINTS.O365Default.exchangeScope });
    const step = await run({ auth: 'oidc' }, { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' });
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(/permissions:\n {4}id-token: write\n/);
    expect(entra!.requests).toHaveLength(0);
    expect(job.pwshStarts()).toHaveLength(0);
  });
});

describe('auth: client-secret', () => {
  const SECRET = 'Qx8~client.secret-value_0123456789';

  test('a client-credentials token for the Exchange scope', async () => {
    const e = await authority({ scope: ENDPOINTS.O365USGovGCCHigh.exchangeScope, clientSecret: SECRET });
    const step = await run({ 'client-secret': SECRET, environment: 'O365USGovGCCHigh' });
    expect(e.requests[0]).toMatchObject({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: SECRET,
    });
    expect(findLeaks(job, [step], [SECRET])).toEqual([]);
    expectTokenHandedOver(step, e.issued[0]!);
  });

  test('security-compliance asks for the S&C scope', async () => {
    const e = await authority({ scope: ENDPOINTS.O365Default.complianceScope!, clientSecret: SECRET });
    const step = await run({ 'client-secret': SECRET, target: 'security-compliance' });
    expect(e.requests[0]!.scope).toContain(ENDPOINTS.O365Default.complianceScope!);
    expect(step.raw).toContain(`::add-mask::${e.issued[0]}`);
  });

  test('a wrong secret: AADSTS7000215 and its hint', async () => {
    await authority({ scope: ENDPOINTS.O365Default.exchangeScope, clientSecret: 'the-right-secret-value' });
    const step = await run({ 'client-secret': SECRET });
    expect(step.errors.join('\n')).toMatch(
      /AADSTS7000215: Invalid client secret provided.*\nHint: The client secret is wrong or expired/s,
    );
    // The outputs and the job summary say so too, as for a failed connect.
    expect(step.outputs).toMatchObject({ 'exit-code': '1', result: '[]', 'result-count': '0' });
    expect(step.summary).toContain('Exchange PowerShell: failed');
    expect(step.summary).toMatch(/<strong>Error:<\/strong> Entra ID refused the token request: AADSTS7000215/);
    expect(step.summary).toMatch(/<strong>Hint:<\/strong> The client secret is wrong or expired/);
    expect(findLeaks(job, [step], [SECRET])).toEqual([]);
    expect(job.pwshStarts()).toHaveLength(0);
  });

  test('an unknown app: AADSTS700016 and its hint', async () => {
    await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      clientSecret: SECRET,
      clientId: '99999999-9999-4999-8999-999999999999',
    });
    const step = await run({ 'client-secret': SECRET });
    expect(step.errors.join('\n')).toMatch(
      /AADSTS700016: Application with identifier.*\nHint: Entra ID does not know this client-id/s,
    );
  });

  test('a token without Exchange.ManageAsApp is refused before PowerShell starts', async () => {
    await authority({ scope: ENDPOINTS.O365Default.exchangeScope, clientSecret: SECRET, roles: ['Mail.Read'] });
    const step = await run({ 'client-secret': SECRET });
    expect(step.errors.join('\n')).toMatch(
      /no Exchange\.ManageAsApp role \(roles: Mail\.Read\).*\nHint: .*Exchange\.ManageAsApp \(Application\), which Security & Compliance uses too, grant admin consent/s,
    );
    expect(job.pwshStarts()).toHaveLength(0);
  });

  test("the token's directory roles: a warning before the connect naming them and the one to assign, never a failure", async () => {
    const DIRECTORY_READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
    const e = await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      clientSecret: SECRET,
      wids: [DIRECTORY_READERS],
    });
    const step = await run({ 'client-secret': SECRET });
    const warning = step.warnings.find((w) => w.includes('directory roles'));
    expect(warning).toMatch(
      /token for exchange-online carries the directory roles Directory Readers, and none of them.*Assign the app Exchange Administrator/,
    );
    // Before the connect: the warning comes before PowerShell's first group.
    expect(step.log.indexOf('directory roles Directory Readers')).toBeLessThan(step.log.indexOf('::group::Module'));
    expect(findLeaks(job, [step], [e.issued[0]!])).toEqual([]);
    expectTokenHandedOver(step, e.issued[0]!);
  });

  test('a token with an Exchange role is not warned about', async () => {
    await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      clientSecret: SECRET,
      wids: ['88d8e3e3-8f55-4a1e-953a-9b9898b8876b', '29232cdf-9323-42fd-ade2-1d097af3e4de'],
    });
    const step = await run({ 'client-secret': SECRET });
    expect(step.warnings.filter((w) => w.includes('directory roles'))).toEqual([]);
  });

  test('when Exchange refuses the role, the hint lists the roles the token carried', async () => {
    await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      clientSecret: SECRET,
      wids: ['fe930be7-5e62-47db-91af-98c3a49a38b1'],
    });
    const step = await run({ 'client-secret': SECRET }, { EXO_SANDBOX_FAULTS: 'role-missing' });
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(
      /isn't supported in this scenario.*\nHint: The app has no Entra role.*The access token carried these directory roles: User Administrator\./s,
    );
  });

  test('a script-timeout longer than the token lives is warned about', async () => {
    await authority({ scope: ENDPOINTS.O365Default.exchangeScope, clientSecret: SECRET, lifetimeSeconds: 1800 });
    const step = await run({ 'client-secret': SECRET, 'script-timeout': '2h' });
    expect(step.warnings.join('\n')).toMatch(
      /script-timeout allows the script to run longer than the access token lives \(30 minutes\).*certificate authentication/,
    );
  });
});
