// Token flows through dist/, against a GitHub OIDC issuer and an Entra-like authority
// served over HTTPS on 127.0.0.1 with a CA this test makes.
import { createHash } from 'node:crypto';
import { ENDPOINTS, type Cloud } from '../../src/endpoints.js';
import { findLeaks, Job, runMain, type StepOptions, type StepResult } from '../support/action.js';
import {
  aadError,
  type Answer,
  GITHUB_ISSUER,
  PROXIED_AUTHORITY,
  startEntra,
  startGitHubIssuer,
  testTls,
  type Entra,
  type EntraOptions,
  type GitHubIssuer,
} from '../support/identity.js';
import { isAlive, waitFor } from '../support/processes.js';
import { startProxy, type Proxy } from '../support/proxy.js';

const CLIENT_ID = '0a1b2c3d-1111-4222-8333-444455556666';
const ORG = 'contoso.onmicrosoft.com';
const SUBJECT = 'repo:contoso/exchange-automation:ref:refs/heads/main';

let job: Job;
let github: GitHubIssuer;
let entra: Entra | null = null;
let proxy: Proxy | null = null;
beforeEach(async () => {
  job = new Job();
  github = await startGitHubIssuer();
});
afterEach(async () => {
  await github.close();
  await entra?.close();
  entra = null;
  await proxy?.close();
  proxy = null;
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

function run(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  options: StepOptions = {},
): Promise<StepResult> {
  return runMain(job, {
    ...options,
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

/**
 * The run ended before its configuration reached PowerShell. The PowerShell started beside the
 * token requests (docs/decisions/0016), if it got as far as its start, connected nothing, ran
 * nothing and is gone, and so is the run directory.
 */
function expectEndedUnconfigured(): void {
  expect(job.pwshStarts().length).toBeLessThanOrEqual(1);
  for (const { pid } of job.pwshStarts()) expect(isAlive(pid)).toBe(false);
  expect(job.calls()).toEqual([]);
  expect(job.leftoverFiles()).toEqual([]);
}

/** Resolves once the job's PowerShell has started (up to 20 s); whether it had. */
const powerShellStarted = (): Promise<boolean> => waitFor(() => job.pwshStarts().length > 0, 20_000);

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

  test('PowerShell starts while the token exchange waits for its answer', async () => {
    let startedFirst = false;
    const e = await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      holdAnswer: async () => void (startedFirst = await powerShellStarted()),
    });
    const step = await run({ auth: 'oidc' });
    expect(startedFirst).toBe(true);
    expectTokenHandedOver(step, e.issued[0]!);
  });

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
      expectEndedUnconfigured();
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

  test('PowerShell starts while the token request waits for its answer, and gets the token as data then', async () => {
    let startedFirst = false;
    const e = await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      clientSecret: SECRET,
      holdAnswer: async () => void (startedFirst = await powerShellStarted()),
    });
    const step = await run({ 'client-secret': SECRET });
    expect(startedFirst).toBe(true);
    expectTokenHandedOver(step, e.issued[0]!);
  });

  test('a refusal that comes once PowerShell has started ends that PowerShell before anything reaches it', async () => {
    let startedFirst = false;
    await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      clientSecret: 'another secret',
      holdAnswer: async () => void (startedFirst = await powerShellStarted()),
    });
    const step = await run({ 'client-secret': SECRET });
    expect(startedFirst).toBe(true);
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(/AADSTS7000215/);
    expect(job.pwshStarts()).toHaveLength(1);
    expectEndedUnconfigured();
    expect(findLeaks(job, [step], [SECRET])).toEqual([]);
  });

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

  test("DoD: a connection-uri on the cloud's other Exchange Online host asks for a token for that host, where sources disagree on the resource", async () => {
    const e = await authority({ scope: 'https://webmail.apps.mil/.default', clientSecret: SECRET });
    const step = await run({
      'client-secret': SECRET,
      environment: 'O365USGovDoD',
      'connection-uri': 'https://webmail.apps.mil/powershell-liveID',
    });
    expect(step.log).toContain('https://webmail.apps.mil/.default');
    expectTokenHandedOver(step, e.issued[0]!);
  });

  test('security-compliance asks for the S&C scope', async () => {
    const e = await authority({ scope: ENDPOINTS.O365Default.complianceScope!, clientSecret: SECRET });
    const step = await run({ 'client-secret': SECRET, target: 'security-compliance' });
    expect(e.requests[0]!.scope).toContain(ENDPOINTS.O365Default.complianceScope!);
    expect(step.raw).toContain(`::add-mask::${e.issued[0]}`);
  });

  test("a partner's security-compliance token comes from the customer's tenant, delegated-organization", async () => {
    // Entra ID here knows the customer's tenant only: a request at the partner's is refused.
    const e = await authority({
      scope: ENDPOINTS.O365Default.complianceScope!,
      clientSecret: SECRET,
      tenant: 'fabrikam.onmicrosoft.com',
    });
    const step = await run({
      'client-secret': SECRET,
      target: 'security-compliance',
      'delegated-organization': 'fabrikam.onmicrosoft.com',
      script: '"ok"',
    });
    expect(e.requests[0]!.tenant).toBe('fabrikam.onmicrosoft.com');
    expect(step.log).toMatch(/^tenant-id: fabrikam\.onmicrosoft\.com$/m);
    expect([step.code, step.errors]).toEqual([0, []]);
    expect(step.raw).toContain(`::add-mask::${e.issued[0]}`);
    const connect = job.calls().find((c) => c.command === 'Connect-IPPSSession')!;
    expect(connect.parameters.AccessToken).toEqual({ sha256: createHash('sha256').update(e.issued[0]!).digest('hex') });
    expect(connect.parameters.DelegatedOrganization).toBe('fabrikam.onmicrosoft.com');
  });

  test('a wrong secret: AADSTS7000215 and its hint', async () => {
    await authority({ scope: ENDPOINTS.O365Default.exchangeScope, clientSecret: 'the-right-secret-value' });
    const step = await run({ 'client-secret': SECRET });
    expect(step.errors.join('\n')).toMatch(
      /AADSTS7000215: Invalid client secret provided.*\nHint: The client secret is wrong or expired/s,
    );
    // Secret IDs are GUIDs; this secret is not one, so it is not taken for one.
    expect(step.warnings.join('\n')).not.toMatch(/form of a GUID/);
    // The outputs and the job summary say so too, as for a failed connect.
    // The script never started: result-count is empty (not applicable), not 0.
    expect(step.outputs).toMatchObject({ 'exit-code': '1', result: '[]', 'result-count': '' });
    expect(step.summary).toContain(`<h3>Exchange PowerShell (${ORG}): failed</h3>`);
    expect(step.summary).toMatch(/<strong>Error:<\/strong> Entra ID refused the token request: AADSTS7000215/);
    expect(step.summary).toMatch(/<strong>Hint:<\/strong> The client secret is wrong or expired/);
    expect(findLeaks(job, [step], [SECRET])).toEqual([]);
    expectEndedUnconfigured();
    // A refusal is not retried, whatever connect-retries allows.
    expect(entra!.requests).toHaveLength(1);
  });

  const transient = () =>
    aadError(503, 'temporarily_unavailable', 'AADSTS90033', 'A transient error has occurred. Please try again.');

  test("Entra ID's transient errors and throttling are retried as connect-retries allows, after the Retry-After it asks for", async () => {
    const e = await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      clientSecret: SECRET,
      failFirst: [
        transient(),
        {
          status: 429,
          json: { error: 'temporarily_unavailable', error_description: 'Too many requests' },
          headers: { 'retry-after': '1' },
        },
      ],
    });
    const step = await run({ 'client-secret': SECRET, 'connect-retries': '2' });
    expect(e.requests).toHaveLength(3);
    expect(step.log).toMatch(
      /^The token request failed with a transient error \(HTTP 503\); retry 1 of 2 in \d+ ms: Entra ID refused the token request: AADSTS90033: A transient error has occurred\./m,
    );
    expect(step.log).toMatch(
      /^The token request failed with a transient error \(HTTP 429\); retry 2 of 2 in 1000 ms: /m,
    );
    expectTokenHandedOver(step, e.issued[0]!);
  });

  test('a transient error that outlasts connect-retries fails as one, with its hint, before anything connects', async () => {
    const e = await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      clientSecret: SECRET,
      failFirst: [transient(), transient()],
    });
    const step = await run({ 'client-secret': SECRET, 'connect-retries': '1' });
    expect(e.requests).toHaveLength(2);
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(
      /Entra ID answered the token request with a transient error \(HTTP 503\) \(1 retry made\): AADSTS90033: .*\nHint: Entra ID could not answer the token request for now, or is throttling the tenant's requests\. connect-retries retries the token request too/s,
    );
    expectEndedUnconfigured();
  });

  test('a token request whose connection is broken off (a reset) is tried again as connect-retries allows', async () => {
    const e = await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      clientSecret: SECRET,
      failFirst: [{ status: 0, json: null, reset: true }],
    });
    const step = await run({ 'client-secret': SECRET });
    expect(e.requests).toHaveLength(2);
    expect(step.log).toMatch(
      /^The token request failed with a transient error; retry 1 of 2 in \d+ ms: Could not reach 127\.0\.0\.1:\d+: socket hang up /m,
    );
    expectTokenHandedOver(step, e.issued[0]!);
  });

  test('a cancel during the wait before a retry ends the run at once', async () => {
    const e = await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      clientSecret: SECRET,
      failFirst: [{ status: 429, json: { error: 'temporarily_unavailable' }, headers: { 'retry-after': '60' } }],
    });
    const step = await run({ 'client-secret': SECRET }, {}, { cancelOnOutput: /retry 1 of 2 in 60000 ms/ });
    // Had the wait run its 60 s, a second request would have followed before the cancel was seen.
    expect(step.errors.join('\n')).toMatch(
      /was cancelled before its configuration reached PowerShell; nothing was connected/,
    );
    expect(e.requests).toHaveLength(1);
    expectEndedUnconfigured();
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

  test('a token without Exchange.ManageAsApp is refused before anything connects', async () => {
    await authority({ scope: ENDPOINTS.O365Default.exchangeScope, clientSecret: SECRET, roles: ['Mail.Read'] });
    const step = await run({ 'client-secret': SECRET });
    expect(step.errors.join('\n')).toMatch(
      /no Exchange\.ManageAsApp role \(roles: Mail\.Read\).*\nHint: .*Exchange\.ManageAsApp \(Application\), grant admin consent, and assign it the Entra role Exchange Administrator/s,
    );
    expectEndedUnconfigured();
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
  test("a token answer without expires_in: the token's own exp says when it expires, not the answer's missing field", async () => {
    await authority({ scope: ENDPOINTS.O365Default.exchangeScope, clientSecret: SECRET, omitExpiresIn: true });
    const step = await run({ 'client-secret': SECRET, 'script-timeout': '10m' });
    expect(step.log).toMatch(/^Access token expires at \S+ \(in 60 minutes\)\.$/m);
    expect(step.warnings).toEqual([expect.stringMatching(/^authority-host overrides/)]);
    expect(step.code).toBe(0);
  });
});

describe('auth: client-secret given its Secret ID', () => {
  test('a GUID-shaped client-secret is questioned before the request, and AADSTS7000215 says to store the Value', async () => {
    const secretId = '7b5c1e0a-2f4d-4c3b-9a8e-0123456789ab';
    await authority({ scope: ENDPOINTS.O365Default.exchangeScope, clientSecret: 'Qx8~the.value-of_the-secret' });
    const step = await run({ 'client-secret': secretId });
    expect(step.warnings.join('\n')).toMatch(
      /Input 'client-secret' has the form of a GUID, which is what a client secret's Secret ID looks like\. Entra ID expects the Value/,
    );
    expect(step.log.indexOf('has the form of a GUID')).toBeLessThan(step.log.indexOf('Requesting a token'));
    expect(step.errors.join('\n')).toMatch(
      /AADSTS7000215: Invalid client secret provided.*\nHint: The client secret is wrong or expired\. Store the secret's Value, not its Secret ID/s,
    );
    expect(step.summary).toMatch(/<strong>Hint:<\/strong> .*Store the secret&#39;s Value, not its Secret ID/);
    expect(findLeaks(job, [step], [secretId])).toEqual([]);
    expectEndedUnconfigured();
  });
});

describe('token requests and the network', () => {
  const SECRET = 'Qx8~client.secret-value_0123456789';
  const PROXY_PASSWORD = 'proxy-Pa55word';
  const port = (e: Entra): number => Number(e.host.split(':')[1]);
  const withCredentials = (url: string): string => url.replace('http://', `http://runner:${PROXY_PASSWORD}@`);
  const proxyEnv = (url: string): Record<string, string> => ({ https_proxy: url, HTTPS_PROXY: url });

  /** A port on 127.0.0.1 that nothing listens on. */
  async function closedPort(): Promise<number> {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port: free } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    return free;
  }

  const UNREACHED_HINT =
    /\nHint: The runner could not reach the host a token is requested from.*DNS.*firewall.*https_proxy.*no_proxy/s;

  test("the token request follows https_proxy, with the proxy's credentials, to an authority only the proxy reaches", async () => {
    const e = await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      clientSecret: SECRET,
      publicHost: PROXIED_AUTHORITY,
    });
    proxy = await startProxy({ [`${PROXIED_AUTHORITY}:443`]: port(e) });
    const step = await run(
      { 'client-secret': SECRET, 'authority-host': PROXIED_AUTHORITY },
      proxyEnv(withCredentials(proxy.url)),
    );
    // The authority's metadata and the token, both through the tunnel.
    expect(proxy.seen.length).toBeGreaterThanOrEqual(1);
    expect(proxy.seen).toEqual(
      proxy.seen.map(() => ({
        target: `${PROXIED_AUTHORITY}:443`,
        authorization: `Basic ${Buffer.from(`runner:${PROXY_PASSWORD}`).toString('base64')}`,
      })),
    );
    expect(e.requests).toHaveLength(1);
    expect(e.requests[0]).toMatchObject({ tenant: ORG, grant_type: 'client_credentials', client_secret: SECRET });
    expect(findLeaks(job, [step], [SECRET])).toEqual([]);
    expectTokenHandedOver(step, e.issued[0]!);
  });

  test('no_proxy sends the request past the proxy, and a name that does not resolve is "could not reach"', async () => {
    const e = await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      clientSecret: SECRET,
      publicHost: PROXIED_AUTHORITY,
    });
    proxy = await startProxy({ [`${PROXIED_AUTHORITY}:443`]: port(e) });
    const step = await run(
      { 'client-secret': SECRET, 'authority-host': PROXIED_AUTHORITY },
      {
        ...proxyEnv(proxy.url),
        no_proxy: `example.org,${PROXIED_AUTHORITY}`,
        NO_PROXY: `example.org,${PROXIED_AUTHORITY}`,
      },
    );
    expect(proxy.seen).toEqual([]);
    expect(e.requests).toEqual([]);
    expect(step.code).toBe(1);
    const error = step.errors.join('\n');
    expect(error).toMatch(
      /^Could not reach login\.entra\.test: getaddrinfo (ENOTFOUND|EAI_AGAIN) login\.entra\.test \(sent directly: no_proxy lists this host/,
    );
    expect(error).toMatch(UNREACHED_HINT);
    expect(error).not.toMatch(/refused the token request/);
    expectEndedUnconfigured();
  });

  test('a proxy that refuses the tunnel is named, without its password', async () => {
    const e = await authority({ scope: ENDPOINTS.O365Default.exchangeScope, clientSecret: SECRET });
    proxy = await startProxy({ [`${PROXIED_AUTHORITY}:443`]: port(e) }, { refuseWith: 407 });
    const step = await run(
      { 'client-secret': SECRET, 'authority-host': PROXIED_AUTHORITY },
      proxyEnv(withCredentials(proxy.url)),
    );
    expect(proxy.seen.map((s) => s.target)).toEqual([`${PROXIED_AUTHORITY}:443`]);
    expect(step.code).toBe(1);
    const error = step.errors.join('\n');
    expect(error).toMatch(
      new RegExp(
        `^Could not reach login\\.entra\\.test: .*407.* \\(through the proxy ${proxy.url.replace(/[.]/g, '\\.')}\\)`,
      ),
    );
    expect(error).toMatch(UNREACHED_HINT);
    expect(step.raw).not.toContain(PROXY_PASSWORD);
    expect(e.requests).toEqual([]);
    expect(step.summary).toMatch(/<strong>Error:<\/strong> Could not reach login\.entra\.test/);
  });

  test('an authority that refuses the connection is "could not reach", not a refusal by Entra ID (O365China)', async () => {
    const closed = await closedPort();
    const step = await runMain(job, {
      inputs: {
        organization: ORG,
        'client-id': CLIENT_ID,
        'client-secret': SECRET,
        environment: 'O365China',
        'authority-host': `127.0.0.1:${closed}`,
        script: '1',
      },
    });
    expect(step.code).toBe(1);
    const error = step.errors.join('\n');
    expect(error).toMatch(
      new RegExp(
        `^Could not reach 127\\.0\\.0\\.1:${closed}: connect ECONNREFUSED 127\\.0\\.0\\.1:${closed} \\(sent directly`,
      ),
    );
    expect(error).toMatch(UNREACHED_HINT);
    expect(error).not.toMatch(/refused the token request|endpoints_resolution_error/);
    expect(step.outputs['exit-code']).toBe('1');
    expectEndedUnconfigured();
  });

  test('an OIDC request URL that cannot be reached says so, not that id-token: write is missing', async () => {
    const closed = await closedPort();
    await authority({ scope: ENDPOINTS.O365Default.exchangeScope });
    const step = await run(
      { auth: 'oidc' },
      { ACTIONS_ID_TOKEN_REQUEST_URL: `https://127.0.0.1:${closed}/_apis/token?api-version=2.0` },
    );
    expect(step.code).toBe(1);
    const error = step.errors.join('\n');
    expect(error).toMatch(
      new RegExp(
        `^Could not reach 127\\.0\\.0\\.1:${closed}: connect ECONNREFUSED 127\\.0\\.0\\.1:${closed} \\(sent directly`,
      ),
    );
    expect(error).toMatch(UNREACHED_HINT);
    expect(error).not.toMatch(/id-token: write/);
    expect(entra!.requests).toEqual([]);
    expect(findLeaks(job, [step], [github.requestToken])).toEqual([]);
  });

  test("an OIDC request GitHub answers with an error is reported as GitHub's, not as a missing permission", async () => {
    await authority({ scope: ENDPOINTS.O365Default.exchangeScope });
    const step = await run(
      { auth: 'oidc' },
      { ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'ghs_a-request-token-github-does-not-know' },
    );
    expect(step.code).toBe(1);
    const error = step.errors.join('\n');
    expect(error).toMatch(/^Requesting the GitHub OIDC token failed: HTTP 401: Bad credentials: Bearer \*\*\*\n/);
    expect(error).toMatch(
      /\nHint: GitHub's OIDC token service did not accept the request: its URL or request token is not the job's\./,
    );
    expect(error).not.toMatch(/id-token: write|githubstatus/);
    expect(entra!.requests).toEqual([]);
    // GitHub's answer quoted the request token: masked, as the job's other secrets are.
    expect(findLeaks(job, [step], ['ghs_a-request-token-github-does-not-know'])).toEqual([]);
  });

  test("GitHub's throttling and server errors of the OIDC request are tried again as connect-retries allows, after the Retry-After it asks for", async () => {
    const failures: Answer[] = [
      { status: 503, json: { message: 'Service Unavailable' } },
      { status: 429, json: { message: 'Too many requests' }, headers: { 'retry-after': '1' } },
    ];
    const issuer = await startGitHubIssuer({}, () => failures.shift());
    try {
      const e = await authority({
        scope: ENDPOINTS.O365Default.exchangeScope,
        federated: {
          issuer: GITHUB_ISSUER,
          subject: SUBJECT,
          audience: 'api://AzureADTokenExchange',
          key: issuer.publicKey,
        },
      });
      const step = await run(
        { auth: 'oidc', 'connect-retries': '2' },
        { ACTIONS_ID_TOKEN_REQUEST_URL: issuer.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.requestToken },
      );
      expect(issuer.authorizations).toHaveLength(3);
      expect(step.log).toMatch(
        /^The token request failed with a transient error \(HTTP 503\); retry 1 of 2 in \d+ ms: Requesting the GitHub OIDC token failed: HTTP 503: Service Unavailable$/m,
      );
      expect(step.log).toMatch(
        /^The token request failed with a transient error \(HTTP 429\); retry 2 of 2 in 1000 ms: Requesting the GitHub OIDC token failed: HTTP 429/m,
      );
      expect(e.requests).toHaveLength(1);
      expectTokenHandedOver(step, e.issued[0]!);
    } finally {
      await issuer.close();
    }
  });

  test('an OIDC request URL that redirects is not followed: the request token goes nowhere else', async () => {
    await authority({ scope: ENDPOINTS.O365Default.exchangeScope });
    const elsewhere = await startGitHubIssuer();
    const redirecting = await startGitHubIssuer({}, () => ({
      status: 302,
      json: {},
      headers: { location: elsewhere.requestUrl },
    }));
    try {
      const step = await run(
        { auth: 'oidc' },
        { ACTIONS_ID_TOKEN_REQUEST_URL: redirecting.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.requestToken },
      );
      expect(step.code).toBe(1);
      expect(step.errors.join('\n')).toMatch(
        /^Requesting the GitHub OIDC token failed: HTTP 302, a redirect, which is not followed\.\nHint: ACTIONS_ID_TOKEN_REQUEST_URL answered with a redirect/,
      );
      expect(redirecting.authorizations).toEqual([`Bearer ${github.requestToken}`]);
      // Not a single request reached the host the redirect named.
      expect(elsewhere.authorizations).toEqual([]);
    } finally {
      await elsewhere.close();
      await redirecting.close();
    }
  });

  test("the secret goes to authority-host only: the authority's OpenID configuration is not read, so a token endpoint it names elsewhere gets nothing", async () => {
    const elsewhere = await startEntra({
      tenant: ORG,
      clientId: CLIENT_ID,
      scope: ENDPOINTS.O365Default.exchangeScope,
      clientSecret: SECRET,
    });
    try {
      const e = await authority({
        scope: ENDPOINTS.O365Default.exchangeScope,
        clientSecret: SECRET,
        metadata: {
          status: 200,
          json: {
            token_endpoint: `https://${elsewhere.host}/${ORG}/oauth2/v2.0/token`,
            authorization_endpoint: `https://${elsewhere.host}/${ORG}/oauth2/v2.0/authorize`,
            issuer: `https://${elsewhere.host}/${ORG}/v2.0`,
            jwks_uri: `https://${elsewhere.host}/${ORG}/discovery/v2.0/keys`,
          },
        },
      });
      const step = await run({ 'client-secret': SECRET });
      expect(step.errors).toEqual([]);
      expect(e.requests).toHaveLength(1);
      expect(elsewhere.requests).toEqual([]);
      expectTokenHandedOver(step, e.issued[0]!);
    } finally {
      await elsewhere.close();
    }
  });

  test.each([
    [
      "a gateway's JSON error",
      { status: 401, json: { statusCode: 401, message: 'Access denied due to missing subscription key.' } },
      /^Entra ID (refused the token request|returned no access token): HTTP 401.*missing subscription key/,
    ],
    [
      "an error without Entra ID's codes",
      { status: 400, json: { error: 'invalid_client' } },
      /^Entra ID refused the token request: HTTP 400: \{"error":"invalid_client"\}/,
    ],
    [
      'a redirect',
      { status: 307, json: {}, headers: { location: 'https://elsewhere.example/token' } },
      /^\S+ answered, but not as Entra ID does: the answer is HTTP 307, a redirect to https:\/\/elsewhere\.example\/token, which is not followed/,
    ],
  ])(
    "an answer that is not Entra ID's (%s) is quoted with its status, and the hint names what answered",
    async (_kind, answer, message) => {
      await authority({
        scope: ENDPOINTS.O365Default.exchangeScope,
        clientSecret: SECRET,
        failFirst: [answer as Answer],
      });
      const step = await run({ 'client-secret': SECRET });
      expect(step.code).toBe(1);
      const error = step.errors.join('\n');
      expect(error).toMatch(message);
      expect(error).toMatch(
        /\nHint: The answer is not Entra ID's \(it has no AADSTS code\): a proxy, gateway or firewall/,
      );
      expect(error).not.toMatch(/Not Available|Could not reach/);
    },
  );

  test('an OIDC request URL without its request token says which is missing', async () => {
    await authority({ scope: ENDPOINTS.O365Default.exchangeScope });
    const step = await run({}, { ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' });
    expect(step.code).toBe(1);
    expect(step.errors.join('\n')).toMatch(
      /^GitHub gave this job the OIDC token's request URL but not its request token \(ACTIONS_ID_TOKEN_REQUEST_TOKEN is empty\)\.\nHint: The runner sets both when the job has id-token: write/,
    );
  });
});

describe('a token request that gets no answer', () => {
  test.each(['client-secret', 'oidc'] as const)(
    '%s: script-timeout ends it, before PowerShell starts, as the timeout it is',
    async (auth) => {
      const hanging = auth === 'oidc' ? await startGitHubIssuer({}, () => null) : null;
      try {
        const e = await authority({
          scope: ENDPOINTS.O365Default.exchangeScope,
          clientSecret: 'Qx8~client.secret-value',
          hang: true,
        });
        const step = await run(
          { ...(auth === 'oidc' ? { auth } : { 'client-secret': 'Qx8~client.secret-value' }), 'script-timeout': '3s' },
          hanging === null
            ? {}
            : { ACTIONS_ID_TOKEN_REQUEST_URL: hanging.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.requestToken },
        );
        expect(step.code).toBe(1);
        expect(step.errors.join('\n')).toMatch(
          /^The run \(contoso\.onmicrosoft\.com\) timed out after 3\.0 s \(script-timeout\) in its token request; it was stopped before anything was connected\.\nHint: Nothing is left to clean up\. script-timeout counts/,
        );
        expect(step.outputs['exit-code']).toBe('1');
        expect(step.summary).toMatch(/timed out after 3\.0 s \(script-timeout\) in its token request/);
        expectEndedUnconfigured();
        if (auth === 'client-secret') expect(e.requests).toHaveLength(1);
      } finally {
        await hanging?.close();
      }
    },
  );

  test('a cancel ends it at once, as a cancel before anything connected', async () => {
    await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      clientSecret: 'Qx8~client.secret-value',
      hang: true,
    });
    const step = await run(
      { 'client-secret': 'Qx8~client.secret-value' },
      {},
      { cancelOnOutput: /Requesting a token for/ },
    );
    // Ended by itself, not by the runner's kill after the cancel.
    expect(step.signal).toBeNull();
    expect(step.errors.join('\n')).toMatch(
      /was cancelled before its configuration reached PowerShell; nothing was connected/,
    );
    expectEndedUnconfigured();
  });

  test("Entra ID's answer for an unknown tenant is named with its hint", async () => {
    await authority({
      scope: ENDPOINTS.O365Default.exchangeScope,
      clientSecret: 'Qx8~client.secret-value',
      failFirst: [
        aadError(
          400,
          'invalid_tenant',
          'AADSTS90002',
          "Tenant 'contoso.onmicrosoft.com' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.",
        ),
      ],
    });
    const step = await run({ 'client-secret': 'Qx8~client.secret-value' });
    expect(step.errors.join('\n')).toMatch(
      /^Entra ID refused the token request: AADSTS90002: Tenant 'contoso\.onmicrosoft\.com' not found\..*\nHint: The tenant was not found\. .*or set tenant-id to the tenant's GUID\./s,
    );
  });
});

describe("auth: access-token: the token's audience", () => {
  const now = (): number => Math.floor(Date.now() / 1000);
  const tokenFor = (aud: string, roles = ['Exchange.ManageAsApp']): string =>
    `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ aud, exp: now() + 3600, roles })).toString('base64url')}.c2lnbmF0dXJl`;
  const runWithToken = (token: string, inputs: Record<string, string> = {}): Promise<StepResult> =>
    runMain(job, {
      inputs: { organization: ORG, 'access-token': token, script: 'Get-EXOMailbox -ResultSize 2', ...inputs },
    });

  test.each([
    ['Microsoft Graph by its application ID', '00000003-0000-0000-c000-000000000000', 'O365Default', /Microsoft Graph/],
    ['Microsoft Graph by its host', 'https://graph.microsoft.com', 'O365Default', /Microsoft Graph/],
    [
      'Azure Resource Manager (az without --resource)',
      'https://management.core.windows.net/',
      'O365Default',
      /Azure Resource Manager/,
    ],
    [
      "GCC High's Exchange Online in the worldwide cloud",
      'https://outlook.office365.us',
      'O365Default',
      /O365USGovGCCHigh's Exchange.*environment is O365Default/,
    ],
    [
      "worldwide Exchange Online in 21Vianet's cloud",
      'https://outlook.office365.com',
      'O365China',
      /O365Default's Exchange.*environment is O365China/,
    ],
  ])(
    'a token for %s is refused before PowerShell starts, with the resource to request',
    async (_what, aud, cloud, named) => {
      const token = tokenFor(aud, ['Mail.Read']);
      const step = await runWithToken(token, { environment: cloud });
      expect(step.code).toBe(1);
      const error = step.errors.join('\n');
      const resource = ENDPOINTS[cloud as Cloud].exchangeScope.replace('/.default', '');
      const escaped = resource.replace(/[.]/g, '\\.');
      expect(error).toMatch(
        new RegExp(`^Input 'access-token': the token is for .*\\(aud ${aud.replace(/[.]/g, '\\.')}\\)`),
      );
      expect(error).toMatch(named);
      expect(error).toMatch(
        new RegExp(`Accepted: a token for ${escaped} \\(aud ${escaped} or 00000002-0000-0ff1-ce00-000000000000\\)`),
      );
      expect(error).toMatch(
        new RegExp(`\\nHint: Request the token for ${escaped}:\\n  az account get-access-token --resource ${escaped}`),
      );
      expect(error).toMatch(new RegExp(`\\n  Get-AzAccessToken -ResourceUrl ${escaped}`));
      if (cloud === 'O365China') expect(error).toMatch(/az cloud set --name AzureChinaCloud/);
      // The missing role is the audience's doing: the role hint would send the reader the wrong way.
      expect(error).not.toMatch(/ManageAsApp/);
      expect(findLeaks(job, [step], [token])).toEqual([]);
      expect(job.pwshStarts()).toHaveLength(0);
    },
  );

  test.each([
    ['the Exchange Online application ID', '00000002-0000-0ff1-ce00-000000000000'],
    ['the Exchange Online resource with a trailing slash', 'https://outlook.office365.com/'],
  ])('a token for %s is accepted without a word', async (_what, aud) => {
    const token = tokenFor(aud);
    const step = await runWithToken(token);
    expect(step.warnings.filter((w) => w.includes('access-token'))).toEqual([]);
    expectTokenHandedOver(step, token);
  });

  test.each([
    [
      'a resource it does not know',
      'api://contoso-exchange-proxy',
      {},
      /a resource this action does not know \(aud api:\/\/contoso-exchange-proxy\)/,
    ],
    [
      'Exchange Online, for security-compliance',
      'https://outlook.office365.com',
      { target: 'security-compliance', script: 'Get-Date | Out-Null' },
      /the token is for Exchange Online \(aud https:\/\/outlook\.office365\.com\); for Security & Compliance this action requests tokens for https:\/\/ps\.compliance\.protection\.outlook\.com/,
    ],
    [
      'Exchange Online by its application ID, for security-compliance: what is expected does not list that ID',
      '00000002-0000-0ff1-ce00-000000000000',
      { target: 'security-compliance', script: 'Get-Date | Out-Null' },
      /the token is for Exchange Online \(aud 00000002-0000-0ff1-ce00-000000000000\);.*Expected: a token for https:\/\/ps\.compliance\.protection\.outlook\.com \(aud https:\/\/ps\.compliance\.protection\.outlook\.com\)\. If/,
    ],
  ])('a token for %s is warned about before the connect, which is still tried', async (_what, aud, inputs, says) => {
    const token = tokenFor(aud);
    const step = await runWithToken(token, inputs);
    const warning = step.warnings.find((w) => w.startsWith("Input 'access-token'"));
    expect(warning).toMatch(says);
    expect(step.log.indexOf("Input 'access-token'")).toBeLessThan(step.log.indexOf('::group::Module'));
    expect(job.pwshStarts()).toHaveLength(1);
    expect(step.errors).toEqual([]);
    expect(step.code).toBe(0);
    expect(findLeaks(job, [step], [token])).toEqual([]);
  });
});
