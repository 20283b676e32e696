// Invalid inputs across every input. Each must fail before PowerShell starts, with a
// message that names `input` and says what is accepted.
import { makePfx } from './pfx.js';

export interface InvalidCase {
  title: string;
  inputs: Record<string, string>;
  input: string;
  /** A fragment the message must contain. */
  says: RegExp;
  /** Only meaningful off Windows (a Windows-only feature refused elsewhere). */
  nonWindowsOnly?: boolean;
  /** Runner variables for the case, e.g. the OIDC request URL of a job with `id-token: write`. */
  env?: Record<string, string>;
  /** Parts of the value the message must not quote: a password or a token written into a URL. */
  hides?: string[];
}

const GUID = '11111111-2222-3333-4444-555555555555';

export function validInputs(): Record<string, string> {
  const pfx = makePfx();
  return {
    organization: 'contoso.onmicrosoft.com',
    'client-id': GUID,
    certificate: pfx.base64,
    'certificate-password': pfx.password,
    script: 'Get-EXOMailbox -ResultSize 3',
  };
}

const noCert = { certificate: '', 'certificate-password': '' };
const server = {
  ...noCert,
  'client-id': '',
  organization: '',
  target: 'exchange-server',
  auth: 'integrated',
  'connection-uri': 'http://mail01.contoso.com/PowerShell/',
};
/** A job with `permissions: id-token: write`: where an empty secret used to fall through to OIDC. */
const oidcJob = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://127.0.0.1:1/_apis/token',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request',
};
const emptySecretReasons = /fork.*Dependabot.*environment secret and the job has no `environment:`/s;
const jwt = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ exp: 4102444800, roles: ['Exchange.ManageAsApp'] })).toString('base64url')}.c2ln`;
/** Midnight UTC, n days from today: whole days, so a certificate made for them is made once a day. */
const daysFromToday = (n: number): Date => new Date((Math.floor(Date.now() / 86_400_000) + n) * 86_400_000);
/** certutil -encode's output: the file's base64 in 64-character lines between PEM-style lines. */
const certutilEncode = (base64: string): string =>
  `-----BEGIN CERTIFICATE-----\r\n${base64.match(/.{1,64}/g)!.join('\r\n')}\r\n-----END CERTIFICATE-----\r\n`;

export function invalidCases(): InvalidCase[] {
  const pfx = makePfx();
  return [
    {
      title: 'unknown target',
      inputs: { target: 'exchange' },
      input: 'target',
      says: /exchange-online, security-compliance, exchange-server/,
    },
    { title: 'unknown cloud', inputs: { environment: 'Mars' }, input: 'environment', says: /O365Default/ },
    {
      title: 'Azure cloud name',
      inputs: { environment: 'AzureCloud' },
      input: 'environment',
      says: /O365USGovGCCHigh/,
    },
    { title: 'missing organization', inputs: { organization: '' }, input: 'organization', says: /required/ },
    {
      title: 'organization with a space',
      inputs: { organization: 'contoso corp' },
      input: 'organization',
      says: /not a domain/,
    },
    {
      title: 'organization without a dot',
      inputs: { organization: 'contoso' },
      input: 'organization',
      says: /not a domain/,
    },
    { title: 'bad tenant-id', inputs: { 'tenant-id': 'xyz!' }, input: 'tenant-id', says: /GUID/ },
    {
      title: 'ftp connection-uri',
      inputs: { 'connection-uri': 'ftp://outlook.office365.com/' },
      input: 'connection-uri',
      says: /scheme/,
    },
    {
      title: 'relative connection-uri',
      inputs: { 'connection-uri': 'powershell-liveid' },
      input: 'connection-uri',
      says: /absolute/,
    },
    {
      title: 'connection-uri with backslashes',
      inputs: { 'connection-uri': 'https://outlook.office365.com\\powershell-liveid\\' },
      input: 'connection-uri',
      says: /has a \\ in it/,
    },
    {
      title: 'connection-uri without //',
      inputs: { 'connection-uri': 'https:outlook.office365.com/powershell-liveid/' },
      input: 'connection-uri',
      says: /not an absolute URL/,
    },
    {
      title: 'credentials in connection-uri',
      inputs: { 'connection-uri': 'https://admin:pw@outlook.office365.com/' },
      input: 'connection-uri',
      says: /user name or password/,
    },
    {
      title: 'authority-host over http',
      inputs: { 'authority-host': 'http://login.microsoftonline.com' },
      input: 'authority-host',
      says: /https host/,
    },
    {
      title: 'authority-host with a path',
      inputs: { 'authority-host': 'https://login.microsoftonline.com/contoso' },
      input: 'authority-host',
      says: /https host/,
    },
    {
      title: 'organization with a zero-width space copied along',
      inputs: { organization: 'contoso\u200b.onmicrosoft.com' },
      input: 'organization',
      says: /not a domain name \(it holds U\+200B ZERO WIDTH SPACE: invisible/,
    },
    {
      title: 'client-id with a no-break space and a right-to-left mark',
      inputs: { 'client-id': '11111111-2222-3333-4444-\u00a0555555555555\u200f' },
      input: 'client-id',
      says: /U\+00A0 NO-BREAK SPACE, U\+200F RIGHT-TO-LEFT MARK/,
    },
    {
      title: 'authority-host as an IPv6 address',
      inputs: { 'authority-host': 'https://[::1]:8443' },
      input: 'authority-host',
      says: /IPv6 address/,
    },
    {
      title: 'oidc without id-token permission',
      inputs: { ...noCert, auth: 'oidc' },
      input: 'auth',
      says: /id-token: write/,
    },
    {
      title: 'bad delegated-organization',
      inputs: { 'delegated-organization': 'fabrikam corp' },
      input: 'delegated-organization',
      says: /not a domain/,
    },
    { title: 'prefix starting with a digit', inputs: { prefix: '1Cloud' }, input: 'prefix', says: /noun prefix/ },
    { title: 'prefix with a hyphen', inputs: { prefix: 'Cloud-A' }, input: 'prefix', says: /noun prefix/ },
    { title: 'unknown auth', inputs: { auth: 'kerberos' }, input: 'auth', says: /certificate, oidc, client-secret/ },
    {
      title: 'two credentials under auto',
      inputs: { 'client-secret': 'xyz-secret-value' },
      input: 'auth',
      says: /several credentials/,
    },
    {
      title: 'no credential under auto',
      inputs: { ...noCert, 'client-id': '' },
      input: 'auth',
      says: /no credential.*auth: managed-identity/,
    },
    {
      title: 'managed-identity-client-id under auto',
      inputs: { ...noCert, 'client-id': '', 'managed-identity-client-id': GUID },
      input: 'auth',
      says: /auto never picks managed identity.*Accepted: auth: managed-identity/,
    },
    {
      title: 'integrated for Exchange Online',
      inputs: { ...noCert, 'client-id': '', auth: 'integrated' },
      input: 'auth',
      says: /'integrated' is for exchange-server; it signs in as the runner's own Windows account/,
    },
    { title: 'client-id without OIDC permission', inputs: { ...noCert }, input: 'auth', says: /id-token: write/ },
    { title: 'client-id that is not a GUID', inputs: { 'client-id': 'my-app' }, input: 'client-id', says: /GUID/ },
    {
      title: 'certificate without client-id',
      inputs: { 'client-id': '', auth: 'certificate' },
      input: 'client-id',
      says: /required/,
    },
    {
      title: 'certificate not base64',
      inputs: { certificate: 'not base64 at all!!' },
      input: 'certificate',
      says: /not base64/,
    },
    {
      title: 'certificate that is PEM text',
      inputs: {
        certificate: Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'.repeat(3)).toString(
          'base64',
        ),
      },
      input: 'certificate',
      says: /not a PFX/,
    },
    {
      title: 'certificate that expired',
      inputs: {
        certificate: makePfx(pfx.password, { notBefore: daysFromToday(-400), notAfter: daysFromToday(-3) }).base64,
      },
      input: 'certificate',
      says: /the certificate expired on \d{4}-\d\d-\d\dT00:00:00Z \(thumbprint [0-9A-F]{40}, CN=.*new certificate.*app registration/,
    },
    {
      title: 'certificate not valid yet',
      inputs: {
        certificate: makePfx(pfx.password, { notBefore: daysFromToday(10), notAfter: daysFromToday(400) }).base64,
      },
      input: 'certificate',
      says: /the certificate is not valid before \d{4}-\d\d-\d\dT00:00:00Z/,
    },
    {
      title: 'a .cer (the certificate without its private key) in certificate',
      inputs: { certificate: pfx.cerBase64 },
      input: 'certificate',
      says: /is a certificate without its private key \(a \.cer file\).*Export-PfxCertificate/,
    },
    {
      title: 'PEM certificate and key pasted into certificate',
      inputs: { certificate: pfx.pem },
      input: 'certificate',
      says: /is PEM text \(a certificate and a private key\), not a PFX.*openssl pkcs12 -export .*base64 -w0/,
    },
    {
      title: 'certutil -encode output in certificate',
      inputs: { certificate: certutilEncode(pfx.base64) },
      input: 'certificate',
      says: /certutil -encode.*the bare base64 of the PFX.*ToBase64String.*base64 -w0/,
    },
    {
      title: 'auth certificate while only client-secret is given',
      inputs: { ...noCert, auth: 'certificate', 'client-secret': 'cs~secret-value' },
      input: 'certificate',
      says: /auth is certificate while client-secret is given/,
    },
    {
      title: 'auth client-secret while only certificate is given',
      inputs: { auth: 'client-secret' },
      input: 'client-secret',
      says: /auth is client-secret while certificate is given/,
    },
    {
      title: 'wrong certificate-password',
      inputs: { 'certificate-password': 'wrong password' },
      input: 'certificate-password',
      says: /does not open/,
    },
    {
      title: 'certificate-password saved with a trailing newline',
      inputs: { 'certificate-password': `${pfx.password}\n` },
      input: 'certificate-password',
      says: /without the whitespace at its start or end/,
    },
    {
      title: 'certificate and thumbprint together',
      inputs: { 'certificate-thumbprint': 'A'.repeat(40), auth: 'certificate' },
      input: 'certificate-thumbprint',
      says: /not both/,
    },
    {
      title: 'thumbprint off Windows',
      inputs: { ...noCert, 'certificate-thumbprint': 'AB'.repeat(20) },
      input: 'certificate-thumbprint',
      says: /Windows/,
      nonWindowsOnly: true,
    },
    {
      title: 'thumbprint that is not hex',
      inputs: { ...noCert, 'certificate-thumbprint': 'xyz' },
      input: 'certificate-thumbprint',
      says: /40 hexadecimal/,
    },
    {
      title: 'auth access-token with the token empty',
      inputs: { ...noCert, auth: 'access-token', 'access-token': '' },
      input: 'access-token',
      says: /is required for auth access-token, and it is empty\. If it comes from an earlier step's output, that step did not set it; if from a secret: A secret arrives empty/,
    },
    {
      title: 'access-token that is not a JWT',
      inputs: { ...noCert, 'access-token': 'not-a-token' },
      input: 'access-token',
      says: /not a JWT/,
    },
    {
      // A payload of JSON null, or a list: JSON, but no claims (it crashed the check once).
      title: 'access-token whose payload is not an object',
      inputs: { ...noCert, 'access-token': `eyJhbGciOiJSUzI1NiJ9.${Buffer.from('null').toString('base64url')}.c2ln` },
      input: 'access-token',
      says: /payload that is not a JSON object of claims/,
    },
    {
      title: 'access-token that expired an hour ago',
      inputs: {
        ...noCert,
        'client-id': '',
        'access-token': `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) - 3600, roles: ['Exchange.ManageAsApp'] })).toString('base64url')}.c2ln`,
      },
      input: 'access-token',
      says: /the token expired at \d{4}-\d\d-\d\dT[\d:]{8}Z \(60 minutes ago\).*right before this one/,
    },
    {
      title: "access-token with the 'Bearer ' prefix",
      inputs: { ...noCert, 'client-id': '', 'access-token': `Bearer ${jwt}` },
      input: 'access-token',
      says: /remove the 'Bearer ' prefix/,
    },
    {
      title: 'access-token with whitespace',
      inputs: { ...noCert, 'access-token': 'eyJh.eyJ b.c' },
      input: 'access-token',
      says: /not a JWT/,
    },
    {
      title: 'auth access-token without a token',
      inputs: { ...noCert, auth: 'access-token' },
      input: 'access-token',
      says: /required/,
    },
    {
      title: 'managed identity id that is not a GUID',
      inputs: { ...noCert, auth: 'managed-identity', 'managed-identity-client-id': 'mi-01' },
      input: 'managed-identity-client-id',
      says: /GUID/,
    },
    {
      title: 'credential for Exchange Online',
      inputs: { ...noCert, auth: 'credential', username: 'admin@contoso.com', password: 'pw-value-123' },
      input: 'auth',
      says: /multifactor authentication and Conditional Access policies refuse; .*app-only sign-in/,
    },
    {
      title: 'unknown server authentication',
      inputs: { authentication: 'NTLM' },
      input: 'authentication',
      says: /Kerberos, Negotiate, Basic, Default/,
    },
    {
      title: 'allow-redirection yes',
      inputs: { 'allow-redirection': 'yes' },
      input: 'allow-redirection',
      says: /true or false/,
    },
    {
      title: 'unknown proxy-access-type',
      inputs: { 'proxy-access-type': 'Manual' },
      input: 'proxy-access-type',
      says: /IEConfig/,
    },
    {
      title: 'skip-check maybe',
      inputs: { 'insecure-skip-certificate-check': 'maybe' },
      input: 'insecure-skip-certificate-check',
      says: /true or false/,
    },
    { title: 'script and script-file', inputs: { 'script-file': 'report.ps1' }, input: 'script', says: /both set/ },
    { title: 'neither script nor script-file', inputs: { script: '' }, input: 'script', says: /neither/ },
    {
      title: 'missing script-file',
      inputs: { script: '', 'script-file': 'missing.ps1' },
      input: 'script-file',
      says: /does not exist\. Is the repository checked out\?.*actions\/checkout/,
    },
    {
      title: 'script-file that is not .ps1',
      inputs: { script: '', 'script-file': 'report.txt' },
      input: 'script-file',
      says: /\.ps1/,
    },
    {
      title: 'missing working-directory',
      inputs: { 'working-directory': 'no/such/dir' },
      input: 'working-directory',
      says: /not an existing directory/,
    },
    {
      title: 'parameters not JSON',
      inputs: { parameters: "{Identity: 'adele'}" },
      input: 'parameters',
      says: /not valid JSON/,
    },
    {
      title: 'parameters as an array',
      inputs: { parameters: '["adele"]' },
      input: 'parameters',
      says: /not an object/,
    },
    { title: 'parameters null', inputs: { parameters: 'null' }, input: 'parameters', says: /not an object/ },
    {
      title: 'parameter name with a space',
      inputs: { parameters: '{"Mailbox Name": "adele"}' },
      input: 'parameters',
      says: /parameter name/,
    },
    {
      title: 'parameter name that is code',
      inputs: { parameters: '{"x; Remove-Item /": 1}' },
      input: 'parameters',
      says: /parameter name/,
    },
    {
      title: 'parameter names that differ only in case',
      inputs: { parameters: '{"Days": 1, "days": 2}' },
      input: 'parameters',
      says: /keys 'Days' and 'days' differ only in case/,
    },
    {
      title: 'a parameter name twice',
      inputs: { parameters: '{"Days": 1, "Days": 2}' },
      input: 'parameters',
      says: /key 'Days' appears twice/,
    },
    {
      title: 'nested keys that differ only in case',
      inputs: { parameters: '{"Filter": [{"Name": "a", "NAME": "b"}]}' },
      input: 'parameters',
      says: /keys 'Name' and 'NAME' in Filter\[\] differ only in case/,
    },
    {
      title: 'a common parameter as a key',
      inputs: { parameters: '{"Days": 1, "ErrorAction": "SilentlyContinue"}' },
      input: 'parameters',
      says: /'ErrorAction' is PowerShell's common parameter ErrorAction.*error-action-preference/s,
    },
    {
      title: "a common parameter's alias as a key",
      inputs: { parameters: '{"ov": "state"}' },
      input: 'parameters',
      says: /'ov' is PowerShell's common parameter OutVariable/,
    },
    {
      title: 'parameters nested 1,100 levels deep',
      inputs: { parameters: `{"Deep": ${'['.repeat(1100)}${']'.repeat(1100)}}` },
      input: 'parameters',
      says: /nests objects and arrays 1101 levels deep.*at most 100 levels/s,
    },
    {
      title: 'a number beyond the range of a double',
      inputs: { parameters: '{"Big": 1e400}' },
      input: 'parameters',
      says: /holds the number 1e400/,
    },
    { title: 'unknown shell', inputs: { shell: 'bash' }, input: 'shell', says: /pwsh, powershell/ },
    {
      title: 'Windows PowerShell off Windows',
      inputs: { shell: 'powershell' },
      input: 'shell',
      says: /only on Windows/,
      nonWindowsOnly: true,
    },
    {
      title: 'error-action-preference Ignore',
      inputs: { 'error-action-preference': 'Ignore' },
      input: 'error-action-preference',
      says: /Stop, Continue, SilentlyContinue/,
    },
    { title: 'fail-on-error yes', inputs: { 'fail-on-error': 'yes' }, input: 'fail-on-error', says: /true or false/ },
    { title: 'what-if 1', inputs: { 'what-if': '1' }, input: 'what-if', says: /true or false/ },
    {
      title: 'script-timeout in upper case, with a space',
      inputs: { 'script-timeout': '1H 30M' },
      input: 'script-timeout',
      says: /'1H 30M' is not a duration; did you mean 1h30m\?/,
    },
    {
      title: 'script-timeout in words',
      inputs: { 'script-timeout': '10 minutes' },
      input: 'script-timeout',
      says: /not a duration/,
    },
    {
      title: 'negative script-timeout',
      inputs: { 'script-timeout': '-5s' },
      input: 'script-timeout',
      says: /not a duration/,
    },
    {
      title: 'script-timeout too long',
      inputs: { 'script-timeout': '6d' },
      input: 'script-timeout',
      says: /out of range/,
    },
    { title: 'module-version v3', inputs: { 'module-version': 'v3' }, input: 'module-version', says: /not a version/ },
    {
      title: 'module-version 2.0.5, before version 3',
      inputs: { 'module-version': '2.0.5' },
      input: 'module-version',
      says: /2\.0\.5 is ExchangeOnlineManagement 2, before the REST-based version 3.*Accepted: version 3\.0\.0 or later/,
    },
    // The gallery's prerelease labels hold letters, digits and hyphens only, on a three-part version.
    {
      title: 'module-version with a dotted prerelease label',
      inputs: { 'module-version': '3.10.0-preview.1' },
      input: 'module-version',
      says: /not a version.*letters, digits and hyphens/,
    },
    {
      title: 'module-version with a prerelease label on four parts',
      inputs: { 'module-version': '3.10.0.1-Preview1' },
      input: 'module-version',
      says: /not a version/,
    },
    {
      title: 'module-version with an empty label',
      inputs: { 'module-version': '3.10.0-' },
      input: 'module-version',
      says: /not a version/,
    },
    {
      title: 'module-repository with a query string (a token)',
      inputs: {
        'module-version': '3.8.0',
        'module-repository': 'https://feed.contoso.example/index.json?sig=SECRETSIG123',
      },
      input: 'module-repository',
      says: /has a query string \(not repeated here\)/,
    },
    {
      title: 'module-repository with a fragment (a token)',
      inputs: {
        'module-version': '3.8.0',
        'module-repository': 'https://feed.contoso.example/v3/index.json#sig=FRAGSECRET123',
      },
      input: 'module-repository',
      says: /has a fragment \(#\.\.\., not repeated here\)/,
    },
    {
      title: 'module-repository file URL of another machine',
      inputs: { 'module-version': '3.8.0', 'module-repository': 'file://server/share/feed' },
      input: 'module-repository',
      says: /is not a folder of this machine/,
      nonWindowsOnly: true,
    },
    {
      title: 'module-version with a part too large',
      inputs: { 'module-version': '3.2147483648.0' },
      input: 'module-version',
      says: /larger than a version part can be/,
    },
    {
      title: 'ftp module-repository',
      inputs: { 'module-repository': 'ftp://feed.contoso.com/' },
      input: 'module-repository',
      says: /feed URL/,
    },
    {
      title: 'module-repository as a relative folder',
      inputs: { 'module-repository': 'mirror/feed' },
      input: 'module-repository',
      says: /'mirror\/feed' is a relative path.*an absolute path, such as \$\{\{ github\.workspace \}\}\/feed;.*an absolute folder path/,
    },
    {
      title: 'module-repository as a ./ folder',
      inputs: { 'module-repository': './feed' },
      input: 'module-repository',
      says: /'\.\/feed' is a relative path.*such as \$\{\{ github\.workspace \}\}\/feed/,
    },
    {
      title: 'module-repository as a host name without https://',
      inputs: { 'module-repository': 'nexus.contoso.example/repository/psgallery/' },
      input: 'module-repository',
      says: /has no scheme; a feed URL starts with https:\/\//,
    },
    {
      title: 'module-repository over http://',
      inputs: { 'module-repository': 'http://nexus.contoso.example/repository/psgallery/' },
      input: 'module-repository',
      says: /'http:\/\/nexus\.contoso\.example\/repository\/psgallery\/': http:\/\/ is not accepted: a feed is reached over https.*Accepted: the feed's https:\/\/ URL/,
    },
    {
      title: 'module-repository with credentials',
      inputs: { 'module-repository': 'https://user:token@feed.contoso.com/' },
      input: 'module-repository',
      says: /^Input 'module-repository': holds a user name or password \(not repeated here\), and credentials in the URL are not accepted.*install ExchangeOnlineManagement from it in an earlier step .* and set module-version: installed\.$/s,
    },
    { title: 'cache sometimes', inputs: { cache: 'sometimes' }, input: 'cache', says: /true or false/ },
    {
      title: 'command-names with a semicolon',
      inputs: { 'command-names': 'Get-Mailbox;Remove-Mailbox' },
      input: 'command-names',
      says: /not a cmdlet name/,
    },
    {
      title: 'connect-retries negative',
      inputs: { 'connect-retries': '-1' },
      input: 'connect-retries',
      says: /0 to 10/,
    },
    {
      title: 'connect-retries too many',
      inputs: { 'connect-retries': '11' },
      input: 'connect-retries',
      says: /0 to 10/,
    },
    { title: 'summary no', inputs: { summary: 'no' }, input: 'summary', says: /true or false/ },
    {
      title: 'the retired Office 365 Germany cloud',
      inputs: { environment: 'O365GermanyCloud' },
      input: 'environment',
      says: /O365GermanyCloud is retired: Microsoft closed Office 365 Germany in October 2021.*Accepted: O365Default/s,
    },
    {
      title: 'the retired Office 365 Germany cloud, for S&C',
      inputs: { target: 'security-compliance', environment: 'o365germanycloud' },
      input: 'environment',
      says: /retired.*October 2021/,
    },
    ...(['AzureGermanCloud', 'Office365Germany', 'Germany'] as const).map((name) => ({
      title: `the retired Office 365 Germany cloud by its other name ${name}`,
      inputs: { environment: name },
      input: 'environment',
      says: /O365GermanyCloud is retired: Microsoft closed Office 365 Germany in October 2021.*Accepted: O365Default/s,
    })),
    ...(
      [
        ['GCC', /did you mean O365Default \(GCC uses the worldwide endpoints\)\? Accepted:/],
        ['O365USGovGCC', /did you mean O365Default \(GCC uses the worldwide endpoints\)\? Accepted:/],
        ['GCCHigh', /did you mean O365USGovGCCHigh\?/],
        ['DoD', /did you mean O365USGovDoD\?/],
        ['AzureUSGovernment', /did you mean O365USGovGCCHigh \(or O365USGovDoD for a DoD tenant\)\?/],
        ['China', /did you mean O365China\?/],
        ['O365 Default', /did you mean O365Default\?/],
        ['O365_USGovGCCHigh', /did you mean O365USGovGCCHigh\?/],
      ] as const
    ).map(([name, says]) => ({
      title: `cloud name ${name}`,
      inputs: { environment: name },
      input: 'environment',
      says,
    })),
    {
      title: 'a tenant GUID in organization',
      inputs: { organization: '6babcaad-604b-40ac-a9d7-9fd97c0b779f' },
      input: 'organization',
      says: /is a tenant ID \(a GUID\), not a domain.*belongs in tenant-id/,
    },
    {
      title: 'a tenant GUID in braces in organization',
      inputs: { organization: '{6babcaad-604b-40ac-a9d7-9fd97c0b779f}' },
      input: 'organization',
      says: /is a tenant ID \(a GUID\), not a domain.*belongs in tenant-id/,
    },
    {
      title: 'script-timeout without a unit',
      inputs: { 'script-timeout': '30' },
      input: 'script-timeout',
      says: /'30' has no unit; add a unit: 30s, 30m/,
    },
    {
      title: 'certificate-password while certificate arrived empty',
      inputs: { certificate: '' },
      input: 'certificate',
      says: emptySecretReasons,
    },
    {
      title: 'certificate empty in a job with id-token: write does not fall through to OIDC',
      inputs: { certificate: '' },
      env: oidcJob,
      input: 'certificate',
      says: /is empty while certificate-password is set/,
    },
    {
      title: 'auth certificate with an empty certificate',
      inputs: { certificate: '', 'certificate-password': '', auth: 'certificate' },
      input: 'certificate',
      says: emptySecretReasons,
    },
    {
      title: 'client-id with an empty client-secret under auth client-secret',
      inputs: { ...noCert, auth: 'client-secret' },
      env: oidcJob,
      input: 'client-secret',
      says: emptySecretReasons,
    },
    {
      title: 'auto does not choose OIDC beside a managed identity id',
      inputs: { ...noCert, 'managed-identity-client-id': '9a8b7c6d-1111-2222-3333-444455556666' },
      env: oidcJob,
      input: 'auth',
      says: /does not choose OIDC while managed-identity-client-id is set/,
    },
    {
      title: 'exchange-server combined with exchange-online',
      inputs: { target: 'exchange-online, exchange-server' },
      input: 'target',
      says: /exchange-server combines with nothing: it opens a remote session to an on-premises server/,
    },
    {
      title: 'a workload named twice',
      inputs: { target: 'exchange-online,exchange-online' },
      input: 'target',
      says: /names exchange-online twice/,
    },
    {
      title: 'an unknown workload in the list',
      inputs: { target: 'exchange-online, teams' },
      input: 'target',
      says: /'teams' is not one of the accepted values.*the list exchange-online, security-compliance/,
    },
    {
      title: 'connection-uri with two workloads',
      inputs: {
        target: 'exchange-online, security-compliance',
        'connection-uri': 'https://outlook.office365.com/powershell-liveid/',
      },
      input: 'connection-uri',
      says: /overrides one endpoint, and target names 2 workloads/,
    },
    {
      title: 'one access token for two workloads',
      inputs: { ...noCert, 'client-id': '', target: 'exchange-online, security-compliance', 'access-token': jwt },
      input: 'auth',
      says: /an access token is issued for one resource/,
    },
    {
      title: 'result-file with a name longer than file systems take',
      inputs: { 'result-file': `out/${'a'.repeat(300)}.jsonl` },
      input: 'result-file',
      says: /longer than 255 bytes/,
    },
    {
      title: 'result-file with an unknown extension',
      inputs: { 'result-file': 'mailboxes.txt' },
      input: 'result-file',
      says: /has the extension \.txt, which names no format.*\.jsonl or \.ndjson.*\.json \(one array\) or \.csv/,
    },
    {
      title: 'result-file without an extension',
      inputs: { 'result-file': 'out/mailboxes' },
      input: 'result-file',
      says: /has no extension/,
    },
    {
      title: 'result-file that is a directory',
      inputs: { 'result-file': '.' },
      input: 'result-file',
      says: /is a directory/,
    },
    {
      title: 'result-file ending in a slash',
      inputs: { 'result-file': 'reports.csv/' },
      input: 'result-file',
      says: /is a directory/,
    },
    {
      title: 'result-file that cannot be created',
      inputs: { 'result-file': '/dev/null/mailboxes.csv' },
      input: 'result-file',
      says: /cannot be created: '\/dev\/null' is a file, not a folder/,
      nonWindowsOnly: true,
    },
    { title: 'result-depth 21', inputs: { 'result-depth': '21' }, input: 'result-depth', says: /1 to 20/ },
    { title: 'result-depth deep', inputs: { 'result-depth': 'deep' }, input: 'result-depth', says: /1 to 20/ },
    {
      title: 'exchange-server without connection-uri',
      inputs: { ...noCert, target: 'exchange-server' },
      input: 'connection-uri',
      says: /required for target exchange-server/,
    },
    {
      title: 'Basic over http to an Exchange server',
      inputs: { ...server, authentication: 'Basic', 'connection-uri': 'http://mail01.contoso.com/PowerShell/' },
      input: 'authentication',
      says: /password across the network in clear/,
    },
    {
      title: 'the retired Exchange Online remote PowerShell with Basic',
      inputs: {
        ...server,
        authentication: 'Basic',
        'connection-uri': 'https://outlook.office365.com/powershell-liveid/',
      },
      input: 'connection-uri',
      says: /Microsoft retired with Basic.*target: exchange-online/,
    },
    {
      title: 'the retired GCC High remote PowerShell',
      inputs: { ...server, 'connection-uri': 'https://outlook.office365.us/powershell-liveID' },
      input: 'connection-uri',
      says: /Microsoft retired.*auth: certificate or oidc/,
    },
    ...[
      'https://outlook.office365.com./powershell-liveid/',
      'https://outlook.office365.com/%70owershell-liveid/',
      'https://outlook.office365.com/',
    ].map((uri) => ({
      title: `the retired Exchange Online remote PowerShell with Basic, written as ${uri}`,
      inputs: { ...server, authentication: 'Basic', 'connection-uri': uri },
      input: 'connection-uri',
      says: /outlook\.office365\.com\.? is Microsoft's host of Exchange Online's remote PowerShell \(WinRM\) connection, which Microsoft retired with Basic/,
    })),
    ...['EXO', 'exo'].map((prefix) => ({
      title: `prefix ${prefix}, which the module reserves`,
      inputs: { prefix },
      input: 'prefix',
      says: /'EXO' is reserved: the module's own Get-EXO\* cmdlets use it/,
    })),
    {
      title: 'a registered repository by its name',
      inputs: { 'module-repository': 'ContosoMirror' },
      input: 'module-repository',
      says: /'ContosoMirror' looks like the name of a repository registered on the runner.*Get-PSResourceRepository -Name ContosoMirror/s,
    },
    {
      title: 'the retired 21Vianet remote PowerShell',
      inputs: { ...server, authentication: 'Basic', 'connection-uri': 'https://partner.outlook.cn/PowerShell' },
      input: 'connection-uri',
      says: /Microsoft retired/,
    },
    {
      title: 'Exchange Online over plain http',
      inputs: { 'connection-uri': 'http://outlook.office365.com/powershell-liveid/' },
      input: 'connection-uri',
      says: /in clear/,
    },
    {
      // Never the runner's own account unasked: an empty password secret would fall back to it.
      title: 'exchange-server with auth auto and no credential',
      inputs: { ...server, auth: 'auto' },
      input: 'auth',
      says: /auto found no credential.*auth: integrated to sign in to the server as the account the runner runs as/s,
    },
    {
      title: 'exchange-server off Windows',
      inputs: { ...server },
      input: 'target',
      says: /WSMan.*Windows runner/,
      nonWindowsOnly: true,
    },
    {
      title: 'S&C token with a module older than 3.8',
      inputs: {
        ...noCert,
        'client-id': '',
        target: 'security-compliance',
        'access-token': jwt,
        'module-version': '3.7.2',
      },
      input: 'module-version',
      says: /3\.8\.0/,
    },
    {
      title: 'managed identity for S&C',
      inputs: { ...noCert, 'client-id': '', target: 'security-compliance', auth: 'managed-identity' },
      input: 'auth',
      says: /Connect-IPPSSession/,
    },
    {
      title: 'server credential without password',
      inputs: { ...server, auth: 'credential', username: 'CONTOSO\\svc-exo' },
      input: 'password',
      says: /is empty while username is set/,
    },
    {
      title: 'a PFX without its private key',
      inputs: { certificate: makePfx(pfx.password, { withKey: false }).base64 },
      input: 'certificate',
      says: /no usable private key/,
    },
    // A line break would be dropped by new URL() and then printed raw: a workflow command in the log.
    {
      title: 'a line break inside connection-uri',
      inputs: { 'connection-uri': 'https://outlook.office365.com/\n::warning title=x::injected' },
      input: 'connection-uri',
      says: /control character \(U\+000A, a line break\) at character 31/,
    },
    {
      title: 'a line break inside script-file',
      inputs: { script: '', 'script-file': 'scripts/a\r\n::error::x.ps1' },
      input: 'script-file',
      says: /U\+000D, a line break/,
    },
    {
      title: 'an escape character in working-directory',
      inputs: { 'working-directory': 'dir\u001b[31m' },
      input: 'working-directory',
      says: /U\+001B/,
    },
    {
      title: 'a line break inside result-file',
      inputs: { 'result-file': 'out/report\n::warning::x.jsonl' },
      input: 'result-file',
      says: /line break/,
    },
    {
      title: 'a line break inside username',
      inputs: { username: 'CONTOSO\\svc-exo\n::warning title=x::injected' },
      input: 'username',
      says: /U\+000A, a line break/,
    },
    {
      title: 'a line break inside module-repository',
      inputs: { 'module-repository': 'https://feed.contoso.com/\n##[add-mask]x' },
      input: 'module-repository',
      says: /line break/,
    },
    {
      title: 'a password in a connection-uri that also has a \\ (a domain account)',
      inputs: { 'connection-uri': 'https://CONTOSO\\admin:Winter2024!@outlook.office365.com/powershell-liveid/' },
      input: 'connection-uri',
      says: /'https:\/\/…@outlook\.office365\.com\/powershell-liveid\/' has a \\ in it/,
      hides: ['Winter2024!'],
    },
    {
      title: 'a password in a module-repository that also has a \\',
      inputs: { 'module-repository': 'https://feeduser:Feed-Pass-1@pkgs.contoso.example\\nuget' },
      input: 'module-repository',
      says: /has a \\ in it/,
      hides: ['Feed-Pass-1'],
    },
    {
      title: 'a token in the query of a module-repository without a scheme',
      inputs: { 'module-repository': 'pkgs.contoso.example/nuget/v3/index.json?sig=SasToken123' },
      input: 'module-repository',
      says: /'pkgs\.contoso\.example\/nuget\/v3\/index\.json\?…' has no scheme/,
      hides: ['SasToken123'],
    },
    {
      title: 'a token in the query of an http:// module-repository',
      inputs: { 'module-repository': 'http://pkgs.contoso.example/nuget?sig=SasToken456' },
      input: 'module-repository',
      says: /http:\/\/ is not accepted/,
      hides: ['SasToken456'],
    },
    {
      title: 'a token in the query of an http:// module-repository, with an address in the query too',
      inputs: { 'module-repository': 'http://pkgs.contoso.example/nuget?user=me@contoso.com&sig=SasToken789' },
      input: 'module-repository',
      says: /'http:\/\/…': http:\/\/ is not accepted/,
      hides: ['SasToken789', 'contoso.com&sig'],
    },
    {
      title: 'a token in the fragment of a module-repository without a scheme',
      inputs: { 'module-repository': 'pkgs.contoso.example/nuget#sig=FragToken1' },
      input: 'module-repository',
      says: /'pkgs\.contoso\.example\/nuget#…' has no scheme/,
      hides: ['FragToken1'],
    },
    {
      title: 'a token in the query of a connection-uri that has a \\, with an address in the query too',
      inputs: { 'connection-uri': 'https://outlook.office365.com\\powershell-liveid?user=a@b.com&token=Tok3nSecret' },
      input: 'connection-uri',
      says: /'https:\/\/…' has a \\ in it/,
      hides: ['Tok3nSecret'],
    },
    {
      title: 'a very long value is not quoted',
      inputs: { environment: 'O365Default'.repeat(1000) },
      input: 'environment',
      says: /^Input 'environment': the value \(11,000 characters, too long to quote\) is not a known Microsoft cloud/,
      hides: ['O365Default'.repeat(2)],
    },
    {
      title: 'a script-file with Windows separators',
      inputs: { script: '', 'script-file': '.\\scripts\\report.ps1' },
      input: 'script-file',
      says: /separates folders with \\, which only Windows does/,
      nonWindowsOnly: true,
    },
    {
      title: 'a working-directory that starts with ~',
      inputs: { 'working-directory': '~/scripts' },
      input: 'working-directory',
      says: /starts with ~, which only a shell reads as a home folder; an input reaches the action as written/,
    },
    {
      title: 'a result-file that starts with ~',
      inputs: { 'result-file': '~/out.json' },
      input: 'result-file',
      says: /starts with ~/,
    },
    {
      title: 'a result-file with a shell variable',
      inputs: { 'result-file': '$RUNNER_TEMP/out.csv' },
      input: 'result-file',
      says: /holds \$RUNNER_TEMP, which only a shell expands.*\$\{\{ runner\.temp \}\}/,
    },
    {
      title: 'a result-file with Windows separators',
      inputs: { 'result-file': 'out\\report.json' },
      input: 'result-file',
      says: /separates folders with \\/,
      nonWindowsOnly: true,
    },
    {
      title: 'a certificate stored with its quotes',
      inputs: { certificate: `"${pfx.base64}"` },
      input: 'certificate',
      says: /is in quotes, which are not part of it/,
    },
    {
      title: 'an access-token stored with its quotes',
      inputs: { ...noCert, 'access-token': `'${jwt}'` },
      input: 'access-token',
      says: /is in quotes, which are not part of it/,
    },
    {
      title: 'organization written as a URL',
      inputs: { organization: 'https://contoso.onmicrosoft.com/' },
      input: 'organization',
      says: /is a URL, not a domain name.*without https:\/\//,
    },
    {
      title: "authority-host with Entra ID's token endpoint path",
      inputs: { 'authority-host': 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token' },
      input: 'authority-host',
      says: /a tenant belongs in tenant-id/,
    },
    {
      title: 'command-names with an en dash',
      inputs: { 'command-names': 'Get\u2013Mailbox' },
      input: 'command-names',
      says: /U\+2013 EN DASH, which looks like -/,
    },
  ];
}
