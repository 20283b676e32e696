// The one catalogue that turns known errors into a hint a person can act on. An error's text alone
// does not say whose it is ("Access is denied" from a server's WinRM, or from a cmdlet the script
// ran), so each piece of advice names where it holds: the phase, the target and the auth method.
// Sources: Microsoft Learn's troubleshooting for Connect-ExchangeOnline and remote PowerShell to
// Exchange Server, Entra ID AADSTS codes (https://learn.microsoft.com/entra/identity-platform/reference-error-codes),
// and ExchangeOnlineManagement's documented app-only prerequisites.

import { TOKEN_FLOWS, type AuthMethod } from './auth.js';
import type { Target } from './inputs.js';

/**
 * Where in a run an error arose: the step's settings (the runner's config and parameters checks),
 * a token request (before PowerShell starts), the module's download, the connect, the user's
 * script, or the teardown (the main step's disconnect, or post removing a server session).
 */
export const HINT_PHASES = ['settings', 'token', 'module', 'connect', 'script', 'teardown'] as const;
export type HintPhase = (typeof HINT_PHASES)[number];

/** What is known about an error besides its text. */
export interface HintContext {
  /** null for the step's own words about how PowerShell ended, which belong to no phase. */
  phase: HintPhase | null;
  /** The workloads the error concerns: the one whose connect failed, or every one of the run. */
  targets: readonly Target[];
  auth: AuthMethod;
}

/** Where a piece of advice holds. A field left out does not narrow it. */
export interface Scope {
  phases?: readonly HintPhase[];
  /** Every target of the error's context must be one of these. */
  targets?: readonly Target[];
  auths?: readonly AuthMethod[];
}

export interface Advice {
  where?: Scope;
  hint: string;
}

export interface Hint {
  id: string;
  /** What a person sees in the error, for the README's troubleshooting table. */
  symptom: string;
  /** Tested against the error message. */
  pattern: RegExp;
  /**
   * Tried in order: the first whose scope holds the error's context is the hint. Where none holds,
   * this entry gives no hint, and a later entry whose pattern matches may: advice that cannot be
   * known to be right there (a script's own web request is not the connect) is better left out.
   */
  advice: readonly Advice[];
  /** Picked by its id only (hintById), on a fact the text does not carry: findHint passes it over. */
  byIdOnly?: true;
}

/** A hint picked for one error. */
export interface FoundHint {
  id: string;
  hint: string;
}

/** A host that cannot be reached, in .NET's words on Windows and on Linux: the module feed's or the server's. */
const UNREACHABLE = 'No such host is known|Name or service not known|connection (was )?refused';

/** Where the action (token flows) or the module (the connect) signs in to Entra ID. */
const SIGN_IN: readonly HintPhase[] = ['token', 'connect'];
/** The connect, and the teardown: post reconnects to a server to remove a session main left. */
const SESSION: readonly HintPhase[] = ['connect', 'teardown'];
const CLOUD: readonly Target[] = ['exchange-online', 'security-compliance'];
const SERVER: readonly Target[] = ['exchange-server'];
/** Methods that sign in as an app (a service principal), not as a user. */
const APP_ONLY: readonly AuthMethod[] = ['certificate', 'oidc', 'client-secret', 'access-token', 'managed-identity'];
/** Methods whose sign-in names an app registration by client-id. */
const APP_REGISTRATION: readonly AuthMethod[] = ['certificate', 'oidc', 'client-secret'];

export const HINTS: readonly Hint[] = [
  {
    id: 'aadsts700016',
    symptom: "AADSTS700016: Application with identifier '…' was not found",
    pattern: /AADSTS700016/,
    advice: [
      {
        where: { phases: SIGN_IN, auths: APP_REGISTRATION },
        hint: "Entra ID does not know this client-id in the tenant of the sign-in. Check client-id, the tenant inputs (organization and delegated-organization; tenant-id, when set, for the action's own token requests), and that environment names the cloud the app is registered in. A partner's app must be multitenant and consented to in the customer's tenant.",
      },
    ],
  },
  {
    id: 'aadsts7000215',
    symptom: 'AADSTS7000215 / AADSTS7000222: Invalid client secret provided / the client secret keys are expired',
    pattern: /AADSTS7000215|AADSTS7000222/,
    advice: [
      {
        where: { phases: SIGN_IN, auths: ['client-secret'] },
        hint: 'The client secret is wrong or expired. Store the secret\'s Value, not its Secret ID (a GUID): Entra ID shows the Value once, when the secret is created. If the Value is lost or expired, create a new secret under the app registration\'s "Certificates & secrets" and update the repository secret with its Value.',
      },
    ],
  },
  {
    id: 'token-host-silent',
    symptom: 'Could not reach login.microsoftonline.com: no answer within 30 s / socket hang up',
    // The host took the connection, and then did not answer, or broke it off (token-network.ts).
    pattern: /^Could not reach \S+: (no (whole )?answer within \d+ s|socket hang up|read ECONNRESET)/,
    advice: [
      {
        where: { phases: ['token'] },
        hint: "The host took the token request and did not answer it, or broke the connection off (connect-retries tries it again): a proxy or gateway on the way that holds requests (https_proxy, or the host in authority-host), or a service problem at Entra ID or GitHub's OIDC token service. Run the job again; if it persists, check the proxy and authority-host, and https://www.githubstatus.com for the OIDC token service.",
      },
    ],
  },
  {
    id: 'token-host-unreachable',
    symptom:
      'Could not reach login.microsoftonline.com: getaddrinfo ENOTFOUND / connect ECONNREFUSED / tunneling socket could not be established',
    // The token flows' own wording (tokens.ts), when a request got no answer from the host.
    pattern: /^Could not reach \S+: /,
    advice: [
      {
        where: { phases: ['token'] },
        hint: "The runner could not reach the host a token is requested from: the environment's Entra ID authority (or authority-host), or GitHub's OIDC token service. Check that the runner resolves its name (DNS) and may connect to it on port 443 (firewall). Behind a proxy, set https_proxy (and no_proxy for hosts reached directly) in the runner's environment: token requests follow them (https://docs.github.com/actions/hosting-your-own-runners/managing-self-hosted-runners/using-a-proxy-server-with-self-hosted-runners). A proxy that inspects TLS needs its CA certificate in NODE_EXTRA_CA_CERTS.",
      },
    ],
  },
  {
    id: 'aadsts700027',
    symptom: 'AADSTS700027: The certificate with identifier used to sign the client assertion is not registered',
    pattern: /AADSTS700027|AADSTS700024/,
    advice: [
      {
        where: { phases: SIGN_IN, auths: ['certificate'] },
        hint: "Entra ID rejected the certificate assertion: upload the certificate's public key (.cer) to the app registration, and check that the runner's clock is right.",
      },
    ],
  },
  {
    id: 'aadsts700024',
    symptom: 'AADSTS700024: Client assertion is not within its valid time range',
    pattern: /AADSTS700024/,
    advice: [
      {
        where: { phases: ['token'], auths: ['oidc'] },
        hint: 'Entra ID read the GitHub token outside the minutes it is valid for: the clock of a self-hosted runner is off (sync it, with NTP), or the token request came long after GitHub issued the token. Run the job again.',
      },
    ],
  },
  {
    id: 'aadsts90002',
    symptom: "AADSTS90002: Tenant '…' not found",
    pattern: /AADSTS90002|AADSTS900023/,
    advice: [
      {
        where: { phases: SIGN_IN, auths: ['oidc', 'client-secret'] },
        hint: "The tenant was not found. The token is requested from tenant-id, else delegated-organization, else organization: each must be the tenant's initial domain in the cloud selected by environment (*.onmicrosoft.com; *.onmicrosoft.us in O365USGovGCCHigh and O365USGovDoD, *.partner.onmschina.cn in O365China), or set tenant-id to the tenant's GUID.",
      },
      {
        // tenant-id is for the action's own token requests; the module signs in to organization.
        where: { phases: SIGN_IN },
        hint: "The tenant was not found. organization must be the tenant's initial domain in the cloud selected by environment (*.onmicrosoft.com; *.onmicrosoft.us in O365USGovGCCHigh and O365USGovDoD, *.partner.onmschina.cn in O365China).",
      },
    ],
  },
  {
    id: 'entra-transient',
    symptom:
      'AADSTS90033 / AADSTS90055: a transient error has occurred / too many requests (HTTP 429 or 5xx from Entra ID)',
    pattern: /AADSTS(90033|90055)\b|temporarily_unavailable|Entra ID answered the token request with a transient error/,
    advice: [
      {
        where: { phases: ['token'] },
        hint: "Entra ID could not answer the token request for now, or is throttling the tenant's requests. connect-retries retries the token request too (with backoff, or after the Retry-After Entra ID asks for): raise it, run fewer jobs at once (max-parallel), or run the job again later.",
      },
    ],
  },
  {
    id: 'aadsts500011',
    symptom: 'AADSTS500011: The resource principal named … was not found in the tenant',
    pattern: /AADSTS500011/,
    advice: [
      {
        // In a run of both workloads, the token of each is asked for apart: this one is the failing one's.
        where: { phases: SIGN_IN, targets: ['security-compliance'] },
        hint: "The tenant has no such resource: the token was asked for another cloud's Security & Compliance PowerShell, or the tenant has no Microsoft Purview compliance service. Check that environment names the tenant's cloud (GCC High, DoD and 21Vianet tenants have clouds of their own) and that the tenant has licences that include Purview.",
      },
      {
        where: { phases: SIGN_IN },
        hint: "The tenant has no such resource: the token was asked for another cloud's Exchange Online, or the tenant has no Exchange Online. Check that environment names the tenant's cloud (GCC High, DoD and 21Vianet tenants have clouds of their own) and that the tenant has Exchange Online licences.",
      },
    ],
  },
  {
    id: 'conditional-access',
    symptom: 'AADSTS53003: Access has been blocked by Conditional Access policies',
    pattern: /AADSTS53003|AADSTS53000|AADSTS530003/,
    advice: [
      {
        where: { phases: SIGN_IN },
        hint: "A Conditional Access policy blocked the sign-in (from this runner's location, or for this app). An administrator can see which policy in the Entra sign-in logs, and exclude the app's workload identity or the runner's network from it.",
      },
    ],
  },
  {
    id: 'app-disabled',
    symptom: 'AADSTS7000112: Application is disabled',
    pattern: /AADSTS7000112/,
    advice: [
      {
        where: { phases: SIGN_IN },
        hint: "The app's enterprise application (service principal) is disabled in this tenant. An administrator can enable it under Enterprise applications, Properties, Enabled for users to sign-in.",
      },
    ],
  },
  {
    id: 'federated-credential',
    symptom:
      'AADSTS70021 / AADSTS700211 / AADSTS700212 / AADSTS700213 / AADSTS7002138: No matching federated identity record found',
    pattern: /AADSTS70021\b|AADSTS70021[123]\b|AADSTS7002138/,
    advice: [
      {
        where: { phases: ['token'], auths: ['oidc'] },
        hint: "No federated credential on the app matches this workflow's token. Add one whose issuer is https://token.actions.githubusercontent.com, whose subject matches the branch, pull request or environment, and whose audience matches the audience input.",
      },
    ],
  },
  {
    id: 'role-not-supported',
    symptom: "The role assigned to application … isn't supported in this scenario",
    pattern: /role assigned to (the )?application .* isn'?t supported|isn't supported in this scenario/i,
    advice: [
      {
        // Exchange's own words: the connect or the first cmdlet, in either workload. A connect's
        // error concerns the workload whose connect failed, and its advice names that one only.
        where: { phases: ['connect', 'script'], targets: ['exchange-online'] },
        hint: 'The app has no Entra role for Exchange Online. In Entra ID > Roles and administrators, assign it "Exchange Administrator" (or a narrower Exchange role).',
      },
      {
        where: { phases: ['connect', 'script'], targets: ['security-compliance'] },
        hint: 'The app has no Entra role for Security & Compliance. In Entra ID > Roles and administrators, assign it "Compliance Administrator" (or another Security & Compliance role).',
      },
      {
        where: { phases: ['connect', 'script'], targets: CLOUD },
        hint: 'The app has no Entra role for this workload. In Entra ID > Roles and administrators, assign it "Exchange Administrator" (or a narrower Exchange role) for Exchange Online, "Compliance Administrator" (or another Security & Compliance role) for Security & Compliance.',
      },
    ],
  },
  {
    id: 'manage-as-app',
    symptom: 'UnAuthorized, (401), or no Exchange.ManageAsApp role in the token',
    pattern: /\bUnAuthorized\b|\(401\)|Exchange\.ManageAsApp/i,
    advice: [
      {
        // A managed identity has no API permissions page and no admin consent: its app role is assigned
        // with Graph (https://learn.microsoft.com/powershell/exchange/connect-exo-powershell-managed-identity).
        where: { phases: SIGN_IN, targets: ['exchange-online'], auths: ['managed-identity'] },
        hint: "The service refused the managed identity. A managed identity has no API permissions page and no admin consent: assign it Office 365 Exchange Online's app role Exchange.ManageAsApp with Microsoft Graph PowerShell (New-MgServicePrincipalAppRoleAssignment, as the README's managed identity section shows), and the Entra role Exchange Administrator (or a narrower Exchange role).",
      },
      {
        // Once the connect has worked, Exchange has accepted the app: a 401 in the script is another service's.
        where: { phases: SIGN_IN, targets: ['exchange-online'], auths: APP_ONLY },
        hint: 'The service refused the app. Give the app registration the Office 365 Exchange Online API permission Exchange.ManageAsApp (Application), grant admin consent, and assign it the Entra role Exchange Administrator (or a narrower Exchange role).',
      },
      {
        where: { phases: SIGN_IN, targets: ['security-compliance'], auths: APP_ONLY },
        hint: 'Security & Compliance refused the app. It needs the Office 365 Exchange Online API permission Exchange.ManageAsApp (Application) with admin consent, as Exchange Online does, and an Entra role for Security & Compliance: Compliance Administrator (or another Security & Compliance role). With target exchange-online, security-compliance, an Exchange Online connect that worked shows the permission is there: the role is what is missing.',
      },
      {
        where: { phases: SIGN_IN, targets: CLOUD, auths: APP_ONLY },
        hint: 'The service refused the app. Give the app registration the Office 365 Exchange Online API permission Exchange.ManageAsApp (Application), which Security & Compliance uses too, grant admin consent, and assign it an Entra role: Exchange Administrator for Exchange Online, Compliance Administrator for Security & Compliance.',
      },
    ],
  },
  {
    id: 'not-connected',
    symptom: 'You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets',
    pattern: /must call the Connect-ExchangeOnline cmdlet/i,
    advice: [
      {
        // Connect-IPPSSession connects Security & Compliance only; Exchange Online's cmdlets need their own connection.
        where: { phases: ['script'], targets: ['security-compliance'] },
        hint: "Only Security & Compliance PowerShell is connected (target: security-compliance), and Exchange Online's cmdlets (Get-EXOMailbox, Get-Mailbox and the like) need a connection to Exchange Online: set target to exchange-online, or to exchange-online, security-compliance for both in one session. Otherwise the script disconnected the session, or ran the cmdlet in a runspace of its own (Start-Job, Start-ThreadJob, ForEach-Object -Parallel), which does not share the script's connection.",
      },
      {
        // The script starts only once the connect has worked. Runspaces of their own share none of it:
        // https://techcommunity.microsoft.com/blog/exchange/more-efficient-bulk-operations-with-powershell-parallelism/4409693
        where: { phases: ['script'], targets: CLOUD },
        hint: "The connection the action made before the script started was not there for this cmdlet: the script disconnected it (Disconnect-ExchangeOnline), or ran the cmdlet in a runspace of its own (Start-Job, Start-ThreadJob, ForEach-Object -Parallel), which does not share the script's connection. Call Exchange cmdlets in the script itself, or connect inside each runspace.",
      },
      {
        where: { phases: ['connect'] },
        hint: 'The session was not connected when the cmdlet ran. Read the connect phase above for the first error.',
      },
    ],
  },
  {
    id: 'prompt',
    symptom: 'PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.',
    pattern: /NonInteractive mode\. Read and Prompt functionality is not available/i,
    advice: [
      {
        where: { phases: ['script'] },
        hint: 'The script asked for an answer that no one can give in a workflow: a confirmation (Remove-* and other high-impact cmdlets ask by default; add -Confirm:$false to the cmdlet), Read-Host or Get-Credential (give the script the value instead: a plain one through the parameters input, a secret through an environment variable set from the secret).',
      },
    ],
  },
  {
    id: 'command-not-found',
    symptom: "The term 'Get-Mailbox' is not recognized",
    pattern: /The term '([^']+)' is not recognized/i,
    advice: [
      {
        // A run of one workload has only that workload's cmdlets.
        where: { phases: ['script'], targets: ['exchange-online'] },
        hint: 'The cmdlet is not in this session. Check its spelling, that command-names includes it (a list), or that the script names it as a command (auto reads the names the script writes: one it builds, or runs from a string, is not loaded), that it carries the prefix when prefix is set, that the Exchange role of the app or account grants it, and that the script did not call Disconnect-ExchangeOnline before it. Only Exchange Online is connected: a Security & Compliance cmdlet (Get-Label, Get-ComplianceSearch, Get-DlpCompliancePolicy and the like) needs target security-compliance, or exchange-online, security-compliance for both.',
      },
      {
        where: { phases: ['script'], targets: ['security-compliance'] },
        hint: 'The cmdlet is not in this session. Check its spelling, that command-names includes it (a list), or that the script names it as a command (auto reads the names the script writes: one it builds, or runs from a string, is not loaded), that it carries the prefix when prefix is set, that the role of the app or account grants it, and that the script did not call Disconnect-ExchangeOnline before it. Only Security & Compliance is connected: an Exchange Online cmdlet (Get-Mailbox, Get-EXOMailbox and the like) needs target exchange-online, or exchange-online, security-compliance for both.',
      },
      {
        where: { phases: ['script'] },
        hint: 'The cmdlet is not in this session. Check its spelling, that command-names includes it (a list), or that the script names it as a command (auto reads the names the script writes: one it builds, or runs from a string, is not loaded), that it carries the prefix when prefix is set, that the Exchange role of the app or account grants it, and that the script did not call Disconnect-ExchangeOnline before it.',
      },
    ],
  },
  {
    // report.ts picks this one when the runner found the command in the script's session as it saw the error.
    id: 'command-in-another-runspace',
    symptom: "The term 'Get-Mailbox' is not recognized, for a command the script's session has",
    pattern: /The term '([^']+)' is not recognized/i,
    byIdOnly: true,
    advice: [
      {
        where: { phases: ['script'] },
        hint: "The script's session has this command (the connection's cmdlets among them), but the call ran elsewhere: ForEach-Object -Parallel, Start-ThreadJob and Start-Job run their blocks in runspaces (or processes) of their own, without the session's functions and connections. Call Exchange cmdlets in the script itself, or connect inside each block (Connect-ExchangeOnline is not shared between runspaces).",
      },
    ],
  },
  {
    id: 'token-expired',
    symptom: 'The access token is expired (AADSTS700082)',
    pattern: /token (is )?expired|AADSTS700082|Lifetime validation failed/i,
    // Certificate, managed identity and credential sign-ins are renewed by the module itself.
    advice: [
      {
        where: { phases: ['connect', 'script'], targets: CLOUD, auths: ['access-token'] },
        hint: 'The access token expired. The module cannot renew a token it was given: request it closer to this step, or use certificate authentication, which the module refreshes itself.',
      },
      {
        where: { phases: ['connect', 'script'], targets: CLOUD, auths: TOKEN_FLOWS },
        hint: 'The access token expired. The action requested it before the connect (the log\'s "Access token expires at" line says until when it lives), and the module cannot renew it: keep the script within that time, split the work across jobs, or use certificate authentication, which the module refreshes itself.',
      },
    ],
  },
  {
    id: 'certificate-private-key',
    symptom: 'Keyset does not exist / does not have a private key',
    pattern: /Keyset does not exist|does not have a private key|no private key/i,
    advice: [
      {
        where: { phases: ['connect'], auths: ['certificate'] },
        hint: 'The certificate has no usable private key. Export the PFX with its private key (Export-PfxCertificate, or openssl pkcs12 -export).',
      },
    ],
  },
  {
    id: 'certificate-not-in-store',
    symptom: 'Certificate with thumbprint … was not found',
    pattern: /certificate with thumbprint .* (was )?not found|Cannot find certificate/i,
    advice: [
      {
        where: { phases: ['connect'], auths: ['certificate'] },
        hint: "certificate-thumbprint names no certificate in the user certificate store (CurrentUser\\My) of the runner's account, where Connect-ExchangeOnline looks it up. Import it there for that account, or pass the PFX in certificate.",
      },
    ],
  },
  {
    id: 'execution-policy',
    symptom: 'Files cannot be loaded because running scripts is disabled on this system (or: is not digitally signed)',
    // https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_execution_policies
    pattern: /running scripts is disabled on this system|is not digitally signed/i,
    advice: [
      {
        hint: "An execution policy set by Group Policy blocked a script: the action starts PowerShell with -ExecutionPolicy Bypass, which a policy of the MachinePolicy or UserPolicy scope overrides. Restricted disables every script (running scripts is disabled); AllSigned refuses unsigned ones (is not digitally signed), the action's own included. Get-ExecutionPolicy -List on the runner shows the scope that sets it: have it set to RemoteSigned or Bypass for the runner's account. Signing your scripts does not help under Restricted.",
      },
    ],
  },
  {
    id: 'winrm-basic-disabled',
    symptom: 'Basic authentication is currently disabled in the client configuration',
    pattern: /Basic authentication is currently disabled in the client configuration/i,
    advice: [
      {
        where: { phases: SESSION, targets: SERVER },
        hint: 'The WinRM client does not allow Basic. On the runner, in an elevated Command Prompt: winrm set winrm/config/client/auth @{Basic="true"}',
      },
    ],
  },
  {
    id: 'session-limit',
    symptom: 'exceeded the maximum number of concurrent connections',
    pattern: /maximum number of concurrent|exceeded the maximum number|too many (open )?(sessions|connections)/i,
    advice: [
      {
        // Only where sessions are opened: a script's "exceeded the maximum number" may be of anything.
        where: { phases: SESSION },
        hint: "The account already holds as many remote PowerShell sessions as it may: three in Exchange Online; on an Exchange server, the PowerShellMaxConcurrency of the account's throttling policy (Get-ThrottlingPolicy). Abandoned sessions hold their slot until they expire; wait, or remove them. The post step of this action removes the sessions it opened.",
      },
    ],
  },
  {
    id: 'throttled',
    symptom: 'The remote server returned an error: (429) Too Many Requests',
    // Not a bare 429: the step's own messages name exit codes, and a script may exit with 429.
    pattern: /\(429\)|\b429 Too Many|throttl/i,
    advice: [
      {
        where: { phases: ['connect'] },
        hint: 'The service is throttling this tenant. Raise connect-retries, run fewer jobs at once (max-parallel), or retry later.',
      },
      {
        where: { phases: ['script'] },
        hint: 'A service the script called is throttling it. connect-retries retries only the connect, not the script: run the job again later, run fewer jobs at once (max-parallel), or have the script wait and retry the call.',
      },
    ],
  },
  {
    id: 'access-denied',
    symptom: 'Access is denied / not enabled for remote PowerShell',
    pattern: /Access is denied|not enabled for remote PowerShell|RemotePowerShellEnabled/i,
    advice: [
      {
        // WinRM says "Access is denied" for a wrong password under Basic and Negotiate too.
        where: { phases: SESSION, targets: SERVER, auths: ['credential'] },
        hint: 'The server refused the account: check the username (DOMAIN\\user or user@domain) and password secrets first, as WinRM reports a wrong password this way too. If they are right, the account is not allowed to use remote PowerShell: an administrator can enable it with Set-User <account> -RemotePowerShellEnabled $true.',
      },
      {
        where: { phases: SESSION, targets: SERVER },
        hint: 'The account is not allowed to use remote PowerShell. An administrator can enable it with Set-User <account> -RemotePowerShellEnabled $true. With auth: integrated the account is the one the runner runs as: a self-hosted runner service runs as NETWORK SERVICE unless configured otherwise, which signs in to the server as the computer account (DOMAIN\\RUNNER$). Run the service as an account with an Exchange role, or use auth: credential.',
      },
      {
        // App-only permissions: https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2
        where: { phases: ['script'], targets: CLOUD, auths: APP_ONLY },
        hint: "When an Exchange cmdlet says this, the app's roles do not grant that cmdlet, one of its parameters, or the object it names. An app's permissions come from the Entra role assigned to it (Exchange Administrator for Exchange Online, Compliance Administrator for Security & Compliance) or, in Exchange Online, from the role groups its service principal is a member of: https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2. Get-ManagementRole -Cmdlet <name> lists the roles that hold a cmdlet.",
      },
    ],
  },
  {
    id: 'logon-failure',
    symptom: 'The user name or password is incorrect',
    pattern: /logon failure|user name or password is incorrect|unknown user name or bad password/i,
    advice: [
      {
        where: { phases: SESSION, targets: SERVER, auths: ['credential'] },
        hint: 'The user name or password is wrong. Check the username and password secrets (DOMAIN\\user or user@domain, for example CONTOSO\\svc-exchange).',
      },
      {
        where: { phases: SESSION, targets: SERVER, auths: ['integrated'] },
        hint: "The server did not accept the runner's own account. With auth: integrated the step signs in as the account the runner runs as: a self-hosted runner service runs as NETWORK SERVICE unless configured otherwise, which signs in as the computer account (DOMAIN\\RUNNER$), and a runner outside the server's domain has no account the server knows. Run the runner service as a domain account with an Exchange role, or use auth: credential.",
      },
    ],
  },
  {
    // The runner's own message when the feed answered but lacks the version (ModuleProvisioning.ps1).
    id: 'module-version-missing',
    symptom: 'Loading ExchangeOnlineManagement failed: ExchangeOnlineManagement 3.8.1 is not in <feed> (it has: …)',
    pattern: /\bis not in .* \(it has[: ]/,
    advice: [
      {
        where: { phases: ['module'] },
        hint: 'module-repository answered, but does not hold that version. Set module-version to one it has, or publish that version to the feed (a mirror may need to fetch it from PSGallery first).',
      },
    ],
  },
  {
    // .NET's ZipArchive on a .nupkg (a zip file) that is cut short or is not a zip at all.
    id: 'package-damaged',
    symptom: 'Loading ExchangeOnlineManagement failed: … End of Central Directory record could not be found',
    pattern:
      /End of Central Directory record could not be found|Central Directory corrupt|Number of entries expected in End Of Central Directory/i,
    advice: [
      {
        where: { phases: ['module'] },
        hint: "The package the installer got from module-repository is damaged: a .nupkg is a zip file, and this one is cut short or is not a zip at all (a download that broke off, a proxy's error page saved in its place). Replace ExchangeOnlineManagement's .nupkg in the feed with a whole copy (Save-PSResource -AsNupkg from PSGallery), then run the job again; with cache: true a run after a fixed feed saves a good copy.",
      },
    ],
  },
  {
    // The runner's own message for PSResourceGet's store of the account's repositories (ModuleProvisioning.ps1).
    id: 'repository-store',
    symptom:
      "Loading ExchangeOnlineManagement failed: PSResourceGet cannot read the repository store of the runner's account, …/PSResourceRepository.xml: Root element is missing",
    pattern: /repository store/i,
    advice: [
      {
        // https://learn.microsoft.com/powershell/module/microsoft.powershell.psresourceget/reset-psresourcerepository
        where: { phases: ['module'] },
        hint: "PSResourceGet keeps the repositories registered for the runner's account in that one file, and the file is damaged: empty or cut short, as two programs that rewrite it at the same moment can leave it (earlier releases of this action could, with several runs at once on one machine). Reset-PSResourceRepository repairs it by writing a new file that registers PSGallery only: every other repository registered for the account is gone. So first copy the file aside and note the repositories it still names; then, as the runner's account, run Reset-PSResourceRepository and register the others again with Register-PSResourceRepository.",
      },
    ],
  },
  {
    id: 'repository-not-registered',
    symptom:
      "Loading ExchangeOnlineManagement failed: Unable to find repository 'PSGallery' / Cannot resolve -Repository name",
    pattern: /Unable to find repository|Cannot resolve -Repository name/i,
    advice: [
      {
        where: { phases: ['module'] },
        hint: "The installer did not find the repository among those registered for the runner's account. With module-repository PSGallery, PSGallery has been unregistered for that account: register it again, as the runner's account, with Register-PSResourceRepository -PSGallery (PowerShellGet 2: Register-PSRepository -Default). A feed is registered by the step for its save only; if another program changed the account's repositories meanwhile, run the job again.",
      },
    ],
  },
  {
    // PowerShellGet 2's refusal to register a feed a second time (FeedRegistration.ps1).
    // https://learn.microsoft.com/powershell/module/powershellget/register-psrepository
    id: 'feed-registered-twice',
    symptom:
      "Loading ExchangeOnlineManagement failed: The repository could not be registered because there exists a registered repository with Name 'contoso-mirror' and SourceLocation '…'",
    pattern: /could not be registered because there exists a registered repository/i,
    advice: [
      {
        where: { phases: ['module'] },
        hint: "PowerShellGet 2, the installer of Windows PowerShell 5.1 and of PowerShell before 7.4, registers a feed under one name only, and the runner's account has module-repository registered already, under the name the message gives; the step registers the feed for its save under a name of its own. Run the step on PowerShell 7.4 or later (shell: pwsh), whose PSResourceGet has no such limit; or install ExchangeOnlineManagement from that repository in an earlier step (Save-Module or Install-Module -Repository with that name) and set module-version: installed.",
      },
    ],
  },
  {
    // The runner's own message when another run held the account's module-save lock too long (ConcurrentSave.ps1).
    id: 'module-save-wait',
    symptom:
      'Loading ExchangeOnlineManagement failed: ExchangeOnlineManagement 3.9.0 was not saved: another run on this runner, as the same account, has held …/module-save.lock for 15 minutes',
    pattern: /was not saved: another run on this runner/,
    advice: [
      {
        where: { phases: ['module'] },
        hint: "The runs of one account on a runner save modules one at a time, and another run's save has not finished. Find the run on this runner whose Module phase is still going (a feed or proxy that does not answer) and cancel it; script-timeout ends such a run by itself. The lock ends with the process that holds it: there is no file to delete.",
      },
    ],
  },
  {
    // The step's own words when a stop came while the module was being saved (report.ts): the
    // installer does not end at a stop, so a feed that does not answer holds it until then.
    // The step's own messages name the tenant after their subject, when the run names one
    // (report.ts, inTenant): hence the optional " (…)" in the patterns below.
    id: 'module-download-stopped',
    symptom:
      "The run timed out … in its module phase; … ExchangeOnlineManagement's download from <feed> (module-repository) had not finished.",
    pattern:
      /^The run(?: \([^)]*\))? timed out .* ExchangeOnlineManagement's download from .* \(module-repository\) had not finished\.$/,
    advice: [
      {
        hint: "The run was stopped while the module was being downloaded, and a feed that does not answer holds the download until a cancel or script-timeout ends it. Check that module-repository is the feed's URL (PSGallery, a NuGet v3 feed's …/index.json, or a folder) and that the runner reaches it: DNS, a firewall on the way and, behind a proxy, https_proxy and no_proxy in the runner's environment, from which PowerShell 7 takes its proxy (https://learn.microsoft.com/dotnet/api/system.net.http.httpclient.defaultproxy); Windows PowerShell 5.1 takes the user's proxy settings. A feed that is only slow needs a longer script-timeout, which counts the download. With cache: true, later runs restore the module from the Actions cache once one run has saved it.",
      },
    ],
  },
  {
    // A cancel someone asked for: the download may have been only in progress, not stuck.
    id: 'module-download-cancelled',
    symptom:
      "The run was cancelled … ExchangeOnlineManagement's download from <feed> (module-repository) had not finished.",
    pattern:
      /^The run(?: \([^)]*\))? was cancelled.* ExchangeOnlineManagement's download from .* \(module-repository\) had not finished\.$/,
    advice: [
      {
        hint: "The run was cancelled while the module was being downloaded. The installer does not stop when asked, so PowerShell was ended: nothing was connected, and a later run does not take the unfinished download for the module (its next save removes what this one left and downloads it again). If the download was what held the run up, check that module-repository is the feed's URL and that the runner reaches it (DNS, a firewall on the way, https_proxy and no_proxy behind a proxy); with cache: true, later runs restore the module from the Actions cache once one run has saved it.",
      },
    ],
  },
  {
    // PowerShell's and .NET's words for a module whose files are not all there, or not whole.
    id: 'module-incomplete',
    symptom:
      'Loading ExchangeOnlineManagement failed: … no valid module was found in any module directory / Could not load file or assembly / Bad IL format',
    pattern:
      /no valid module was found in any module directory|Could not load file or assembly|Bad IL format|The format of the file .* is invalid/i,
    advice: [
      {
        where: { phases: ['module'] },
        hint: "A file the module needs is missing or damaged, so the copy is incomplete: a cache restore or a save cut short (a job cancelled while it ran, a full disk). Delete the copy's folder, the one in the message (a copy this action saved is under RUNNER_TOOL_CACHE/exo-connect-action), and run the job again: the module is then downloaded again.",
      },
    ],
  },
  {
    // .NET's words for a folder the account may not write: the tool cache, or the account's local
    // data folder (the save's lock, PSResourceGet's repository store), on a runner or container
    // whose home or tool cache is read-only.
    id: 'module-save-folder',
    symptom: "Loading ExchangeOnlineManagement failed: … Access to the path '…/exo-connect-action' is denied",
    pattern: /Access to the path .* is denied|Read-only file system/i,
    advice: [
      {
        where: { phases: ['module'] },
        hint: "Saving the module writes to two folders of the runner's account: the tool cache (RUNNER_TOOL_CACHE, where the copy goes) and its local data folder (XDG_DATA_HOME, else ~/.local/share; on Windows LOCALAPPDATA), where the save's lock and PSResourceGet's repository list live. The path in the message is the one the account may not write: give the account write access to it, point that variable at a folder it may write (in a container whose home is read-only, XDG_DATA_HOME: ${{ runner.temp }}), or install ExchangeOnlineManagement in the image and set module-version: installed.",
      },
    ],
  },
  {
    id: 'feed-certificate',
    symptom:
      'Loading ExchangeOnlineManagement failed: The SSL connection could not be established … PartialChain / UntrustedRoot / Could not establish trust relationship',
    // A name that does not match, or a certificate out of date, is the network hint's: no trust store helps.
    pattern: /PartialChain|UntrustedRoot|Could not establish trust relationship/i,
    advice: [
      {
        where: { phases: ['module'] },
        hint: "The feed's TLS certificate is not one the runner trusts: a private CA's, or that of a proxy that inspects TLS. Add the CA certificate to the runner's trust store, from which PowerShell checks it (Linux: the distribution's CA store, such as /usr/local/share/ca-certificates and update-ca-certificates; Windows: Trusted Root Certification Authorities of the machine or the runner's account); NODE_EXTRA_CA_CERTS reaches Node's requests only.",
      },
    ],
  },
  {
    id: 'module-source',
    symptom: 'Loading ExchangeOnlineManagement failed: No such host is known / Unable to resolve package source',
    // Network errors only: the host, the connection, the feed's HTTP answer. Not a repository
    // store or registration, a local path, or the installer's own file handling.
    pattern: new RegExp(
      // PSResourceGet says "is not a known repository type" of a v2 feed it could not reach or read.
      `${UNREACHABLE}|Unable to resolve package source|No match was found for the specified search criteria|could not be installed from repository|Response status code does not indicate success|Unable to load the service index|SSL connection could not be established|Unable to download|HttpClient\\.Timeout|operation has timed out|is not a known repository type`,
      'i',
    ),
    advice: [
      {
        where: { phases: ['module'] },
        hint: "The module could not be downloaded from module-repository. Check that the runner reaches it (PSGallery, or your feed's URL or folder), that the feed holds ExchangeOnlineManagement at module-version, and the proxy settings of the runner; or install the module on a self-hosted runner and use module-version: installed.",
      },
    ],
  },
  {
    id: 'network',
    symptom: 'WinRM cannot complete the operation / connection refused',
    pattern: new RegExp(`WinRM cannot complete the operation|cannot connect to the destination|${UNREACHABLE}`, 'i'),
    // Not in the script: once the connect has worked, an unreachable host is the script's own.
    advice: [
      {
        where: { phases: SESSION, targets: SERVER },
        hint: 'The server could not be reached. Check connection-uri, DNS, proxy-access-type and that TCP 80/443 is open from the runner to the server.',
      },
      {
        // https://learn.microsoft.com/dotnet/api/system.net.http.httpclient.defaultproxy
        where: { phases: ['connect'], targets: CLOUD },
        hint: "The runner could not reach the service. Check that it resolves (DNS) and may connect on port 443 (firewall) to the host of connection-uri in the Settings group and the other Exchange Online and Entra ID endpoints that Microsoft lists at https://learn.microsoft.com/microsoft-365/enterprise/urls-and-ip-address-ranges. Behind a proxy, set https_proxy (and no_proxy for hosts reached directly) in the runner's environment: PowerShell 7 takes its proxy from them, and on Windows, when they are unset, from the user's proxy settings (https://learn.microsoft.com/dotnet/api/system.net.http.httpclient.defaultproxy); Windows PowerShell 5.1 from the user's proxy settings only.",
      },
    ],
  },
  {
    id: 'kerberos',
    symptom: 'WinRM cannot process the request: Kerberos authentication error 0x80090311 / the domain is not available',
    pattern:
      /0x80090311|0x8009030e|Kerberos authentication error|domain (is not|isn't) available|no authority could be contacted/i,
    advice: [
      {
        where: { phases: SESSION, targets: SERVER },
        hint: "Kerberos could not be used: the runner is not in the server's domain, or connection-uri is not the server's fully qualified name. Use the FQDN in connection-uri on a domain-joined self-hosted runner, or authentication: Negotiate with auth: credential.",
      },
    ],
  },
  {
    id: 'trusted-hosts',
    symptom: 'The WinRM client cannot process the request … TrustedHosts configuration setting',
    pattern: /TrustedHosts/i,
    advice: [
      {
        where: { phases: SESSION, targets: SERVER },
        hint: "WinRM trusts only domain names it can check with Kerberos. Use the server's FQDN in connection-uri; for a server outside the domain, add it to the runner's WinRM TrustedHosts (Set-Item WSMan:\\localhost\\Client\\TrustedHosts) and use HTTPS with authentication: Negotiate or Basic.",
      },
    ],
  },
  {
    id: 'certificate-untrusted',
    symptom: 'The SSL certificate is signed by an unknown certificate authority / the CN does not match',
    pattern:
      /unknown certificate authority|certificate (is )?not trusted|SSL certificate (could not be checked|contains a common name)|CN .*does not match|revocation (server was offline|check)/i,
    advice: [
      {
        where: { phases: SESSION, targets: SERVER },
        hint: "The runner does not trust the server's HTTPS certificate: its authority is not in the runner's store, its name does not match connection-uri, or its revocation cannot be checked. Install the authority's certificate on the runner or use the name on the certificate; for a lab server only, insecure-skip-certificate-check: true.",
      },
    ],
  },
  {
    id: 'powershellget-version',
    symptom: 'saving ExchangeOnlineManagement needs PowerShellGet 2.0.0 or later',
    pattern: /needs PowerShellGet \d/,
    advice: [
      {
        where: { phases: ['module'] },
        hint: 'Windows PowerShell 5.1 ships with PowerShellGet 1.0.0.1. Install a newer one once on the runner, in Windows PowerShell as the account the runner runs as (PowerShell Gallery takes TLS 1.2 only, which Windows PowerShell may not offer by default): [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12; Install-PackageProvider -Name NuGet -Scope CurrentUser -Force; Install-Module -Name PowerShellGet -Scope CurrentUser -Force -AllowClobber. Or use shell: pwsh.',
      },
    ],
  },
  {
    // PackageManagement's words when Install-PackageProvider NuGet fails (WindowsPowerShell.ps1).
    id: 'nuget-provider',
    symptom: "NoMatchFoundForProvider / FailedProviderBootstrap: Unable to find package provider 'NuGet'",
    pattern: /NoMatchFoundForProvider|FailedProviderBootstrap|find package provider 'NuGet'/i,
    advice: [
      {
        where: { phases: ['module'] },
        hint: "Windows PowerShell could not install the NuGet package provider that PowerShellGet 2 saves with: it downloads it from Microsoft's provider service, which was unreachable or refused (its certificate has lapsed before, for every runner at once). Install the provider once on the runner, as the account the runner runs as (Install-PackageProvider -Name NuGet -MinimumVersion 2.8.5.201 -Scope CurrentUser -Force, or copy its folder from a machine that has it to %LOCALAPPDATA%\\PackageManagement\\ProviderAssemblies), or use shell: pwsh, whose PSResourceGet needs no provider.",
      },
    ],
  },
  {
    id: 'module-version',
    symptom: 'This module requires a minimum PowerShell version',
    pattern:
      /requires? (a )?minimum PowerShell version|PowerShell version .* (is )?required|not supported on PowerShell/i,
    advice: [
      {
        // In the script it would be a module the script imports, not ExchangeOnlineManagement.
        where: { phases: ['module'] },
        hint: 'This ExchangeOnlineManagement version does not run on this PowerShell. Pin module-version to a release that supports it (3.9.x runs on PowerShell 7.4 and later), or use a newer PowerShell.',
      },
    ],
  },
  {
    id: 'powershell-aborted',
    symptom:
      'PowerShell was ended by SIGABRT ("Stack overflow." in the log; on Windows, exit code 0xC00000FD or 0xC0000409)',
    // The step's own message for an abort; report.ts also picks this hint from the exit status.
    pattern: /^PowerShell(?: \([^)]*\))? (was ended by SIGABRT|exited with code (3221225725|3221226505)) /,
    advice: [
      {
        hint: "PowerShell aborted; .NET's own message just before this one says why. \"Couldn't find a valid ICU package\": the runner (a slim container, often) lacks the ICU library: install it (libicu) or set DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 (https://learn.microsoft.com/dotnet/core/runtime-config/globalization). A culture that is not supported: set LANG and LC_ALL to one the runner has, such as C.UTF-8. \"Startup hook assembly ... failed to load\": DOTNET_STARTUP_HOOKS, set by the job or the runner, names a library this .NET cannot load; correct it or remove it from the job's env (https://github.com/dotnet/runtime/blob/main/docs/design/features/host-startup-hook.md). With no such message, when every PowerShell of the runner's account now aborts like this, the JIT start-up profile in PowerShell's cache folder is damaged, which happens after several of them ran at once (https://github.com/PowerShell/PowerShell/issues/26528). Delete StartupProfileData-NonInteractive from PowerShell's cache folder on the runner ($XDG_CACHE_HOME/powershell or ~/.cache/powershell; on Windows %LOCALAPPDATA%\\Microsoft\\PowerShell, or %LOCALAPPDATA%\\Microsoft\\Windows\\PowerShell for Windows PowerShell) and run the job again.",
      },
    ],
  },
  {
    id: 'powershell-start-hung',
    symptom: 'PowerShell had not begun the run 120 s after it was given its configuration, and was killed',
    // The step's own message (report.ts), when PowerShell wrote no event within START_LIMIT_MS (session.ts).
    pattern: /^PowerShell(?: \([^)]*\))? had not begun the run /,
    advice: [
      {
        hint: "PowerShell hung as it started, before it read the script; nothing had connected. When every PowerShell of the runner's account now hangs or aborts as it starts, the JIT start-up profile in PowerShell's cache folder is damaged, which happens after several of them ran at once (https://github.com/PowerShell/PowerShell/issues/26528): delete StartupProfileData-NonInteractive from PowerShell's cache folder on the runner ($XDG_CACHE_HOME/powershell or ~/.cache/powershell; on Windows %LOCALAPPDATA%\\Microsoft\\PowerShell, or %LOCALAPPDATA%\\Microsoft\\Windows\\PowerShell for Windows PowerShell) and run the job again. Otherwise run the job again: a runner short of memory or CPU can stall a start this long too.",
      },
    ],
  },
  {
    // The step's own words for a stop during which the script ended PowerShell itself (report.ts, stopFate).
    id: 'stopped-script-ended-powershell',
    symptom:
      'The run was cancelled (or timed out after …); PowerShell ended itself (exit code N) before it disconnected …',
    pattern: /^The run(?: \([^)]*\))? (was cancelled|timed out after)[^;]*; PowerShell ended itself/,
    advice: [
      {
        hint: "The stop ran the script's finally blocks, and one of them (or something it called) ended PowerShell: [Environment]::Exit or Stop-Process -Id $PID end the process, and the teardown with it; exit N ends only the script. Leave the process to the runner, and the post step has nothing to remove.",
      },
    ],
  },
  {
    // The step's own words for a stop after which the session may be left (report.ts, stopFate).
    id: 'stopped-before-teardown',
    symptom:
      'The run was cancelled (or timed out after …); PowerShell ended before it disconnected / while it was connecting …',
    pattern:
      /^The run(?: \([^)]*\))? (was cancelled|timed out after)[^;]*; (PowerShell ended|it was stopped while connecting)/,
    advice: [
      {
        hint: "The session may outlive this step: the warning about the disconnect says what may be left and what the post step does about it, and the post step's log what it removed. When PowerShell did not stop when asked, it was in a call that does not end at a stop: in the script, a .NET method such as [System.Threading.Thread]::Sleep or a native command that ignores Ctrl+C (give such a call a time limit of its own, so that a stop leaves time for the teardown); during its teardown, a disconnect that waited on a service that did not answer.",
      },
    ],
  },
  {
    // A cancel that left nothing: it came from outside the step (report.ts; main.ts before PowerShell starts).
    // https://docs.github.com/actions/managing-workflow-runs-and-deployments/managing-workflow-runs/canceling-a-workflow
    id: 'cancelled',
    symptom: 'The run was cancelled; it was stopped and the session torn down / before anything was connected',
    pattern:
      /^The run(?: \([^)]*\))? was cancelled(; it was stopped (and the session torn down|before anything was connected)| before its configuration reached PowerShell)/,
    advice: [
      {
        hint: 'Nothing is left to clean up. A cancel comes from outside the step: someone cancelled the workflow run, a newer run of the same concurrency group replaced it (cancel-in-progress), or the job ran past its timeout-minutes. Run the job again if the cancel was not meant, or raise timeout-minutes if the job needs longer.',
      },
    ],
  },
  {
    // A script-timeout that left nothing (report.ts).
    id: 'timed-out',
    symptom:
      'The run timed out after 30m (script-timeout) in its script phase; it was stopped and the session torn down',
    pattern:
      /^The run(?: \([^)]*\))? timed out after [^;]*\(script-timeout\)[^;]*; it was stopped (and the session torn down|before anything was connected)/,
    advice: [
      {
        hint: "Nothing is left to clean up. script-timeout counts PowerShell's start, the token request, the module's download and the connect as well as the script, not the teardown: raise it if the work needs longer. The message names the phase the time ran out in.",
      },
    ],
  },
  {
    // Last: Entra ID has hundreds of codes, and the ones above have advice of their own.
    id: 'aadsts-other',
    symptom: 'AADSTS50013: Assertion failed signature validation (or any other AADSTS code)',
    pattern: /\bAADSTS\d{5,}/,
    advice: [
      {
        where: { phases: SIGN_IN },
        hint: "Entra ID refused the sign-in, and the AADSTS code in the message says why. Microsoft explains the codes at https://learn.microsoft.com/entra/identity-platform/reference-error-codes, and https://login.microsoftonline.com/error?code=<number> explains one (the digits after AADSTS). Check the inputs the code names: organization or tenant-id, client-id, environment, and the app registration's credentials and permissions.",
      },
    ],
  },
];

/** Whether advice scoped so holds for an error in this context. */
export function holds(where: Scope | undefined, context: HintContext): boolean {
  if (where === undefined) return true;
  if (where.phases !== undefined && (context.phase === null || !where.phases.includes(context.phase))) return false;
  if (where.targets !== undefined && !context.targets.every((t) => where.targets!.includes(t))) return false;
  return where.auths === undefined || where.auths.includes(context.auth);
}

/** The first hint whose pattern the message matches and whose advice holds where the error arose. */
export function findHint(message: string, context: HintContext): FoundHint | undefined {
  for (const entry of HINTS) {
    if (entry.byIdOnly === true || !entry.pattern.test(message)) continue;
    const advice = entry.advice.find((a) => holds(a.where, context));
    if (advice !== undefined) return { id: entry.id, hint: advice.hint };
  }
  return undefined;
}

/** The one hint an entry gives everywhere (unscoped), for a caller that picks it by id, not by text. */
export function hintById(id: string): string {
  const entry = HINTS.find((h) => h.id === id);
  const advice = entry?.advice.find((a) => a.where === undefined || entry.byIdOnly === true);
  if (advice === undefined) throw new Error(`No unscoped hint '${id}'`);
  return advice.hint;
}

const PHASE_WORDS: Record<HintPhase, string> = {
  settings: 'settings',
  token: 'token request',
  module: 'module',
  connect: 'connect',
  script: 'script',
  teardown: 'teardown',
};

/** Where advice holds, in words, for the README's troubleshooting table. */
export function describeScope(where: Scope | undefined): string {
  const parts = [
    where?.phases?.map((p) => PHASE_WORDS[p]).join(' or '),
    where?.targets?.join(' or '),
    where?.auths === undefined ? undefined : `auth: ${where.auths.join(', ')}`,
  ].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? 'anywhere' : parts.join('; ');
}

/** A phase as the runner's events name it; its config and parameters checks are the settings. */
export function hintPhaseOf(runnerPhase: string | null | undefined): HintPhase | null {
  if (runnerPhase === 'config' || runnerPhase === 'parameters') return 'settings';
  return HINT_PHASES.find((p) => p === runnerPhase) ?? null;
}
