// The resource an `access-token` input was issued for (its `aud` claim), judged before PowerShell
// starts. The usual mistake is a token for another API: `az account get-access-token` without
// --resource returns one for Azure Resource Manager, and Graph tools hand out Graph tokens.
// Claims: https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference

import { CLOUDS, ENDPOINTS, exchangeResourceHosts, type Cloud } from './endpoints.js';
import type { Target } from './inputs.js';
import { GUID } from './auth.js';

/** Office 365 Exchange Online's application ID: a v2.0 token names its resource by it. */
export const EXCHANGE_ONLINE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';

/**
 * APIs whose tokens are clearly not Exchange's, by application ID and by host in each cloud.
 * Graph: https://learn.microsoft.com/graph/deployments; Resource Manager:
 * https://learn.microsoft.com/azure/azure-government/compare-azure-government-global-azure and
 * https://learn.microsoft.com/azure/china/resources-developer-guide.
 */
const OTHER_APIS: ReadonlyArray<{ name: string; appIds: string[]; hosts: string[] }> = [
  {
    name: 'Microsoft Graph',
    appIds: ['00000003-0000-0000-c000-000000000000'],
    hosts: ['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'],
  },
  { name: 'Azure AD Graph', appIds: ['00000002-0000-0000-c000-000000000000'], hosts: ['graph.windows.net'] },
  {
    name: 'Azure Resource Manager',
    appIds: ['797f4846-ba00-4fd7-ba43-dac1f8f63013'],
    hosts: [
      'management.azure.com',
      'management.core.windows.net',
      'management.usgovcloudapi.net',
      'management.core.usgovcloudapi.net',
      'management.chinacloudapi.cn',
      'management.core.chinacloudapi.cn',
    ],
  },
];

/** The names Azure CLI (`az cloud set --name`) and Az PowerShell (`-Environment`) give each cloud. */
const AZURE_CLOUD_NAME: Readonly<Record<Cloud, string>> = {
  O365Default: 'AzureCloud',
  O365USGovGCCHigh: 'AzureUSGovernment',
  O365USGovDoD: 'AzureUSGovernment',
  O365China: 'AzureChinaCloud',
};

export interface AudienceVerdict {
  /** refuse: clearly another API or cloud; warn: possibly wrong; accept: the expected resource. */
  action: 'accept' | 'warn' | 'refuse';
  /** What the token is for and what was expected; empty when accepted. */
  problem: string;
}

/** The resource a token for `target` in `cloud` must be for, as this action requests it. */
export function expectedResource(cloud: Cloud, target: Target): string {
  const row = ENDPOINTS[cloud];
  const scope =
    target === 'security-compliance' && row.complianceScope !== null ? row.complianceScope : row.exchangeScope;
  return scope.replace(/\/\.default$/, '');
}

function complianceHost(cloud: Cloud): string | null {
  const scope = ENDPOINTS[cloud].complianceScope;
  return scope === null ? null : new URL(scope).hostname;
}

/** The host of an `aud` in URL form (https://outlook.office365.com, with or without a path), or null. */
function audienceHost(aud: string): string | null {
  try {
    const url = new URL(aud);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.hostname.toLowerCase() : null;
  } catch {
    return null;
  }
}

export function judgeAudience(aud: string, cloud: Cloud, target: Target): AudienceVerdict {
  const accept: AudienceVerdict = { action: 'accept', problem: '' };
  const workload = target === 'security-compliance' ? 'Security & Compliance' : 'Exchange Online';
  const unknown: AudienceVerdict = {
    action: 'warn',
    problem: `the token is for a resource this action does not know (aud ${aud})`,
  };
  if (GUID.test(aud)) {
    if (aud.toLowerCase() === EXCHANGE_ONLINE_APP_ID)
      return target === 'security-compliance' ? exchangeForCompliance(aud, cloud) : accept;
    const api = OTHER_APIS.find((a) => a.appIds.includes(aud.toLowerCase()));
    return api !== undefined
      ? { action: 'refuse', problem: `the token is for ${api.name} (aud ${aud}), not for ${workload}` }
      : unknown;
  }
  const host = audienceHost(aud);
  if (host === null) return unknown;
  const api = OTHER_APIS.find((a) => a.hosts.includes(host));
  if (api !== undefined)
    return { action: 'refuse', problem: `the token is for ${api.name} (aud ${aud}), not for ${workload}` };
  const compliance = complianceHost(cloud);
  if (target === 'security-compliance') {
    if (host === compliance) return accept;
    // Connect-IPPSSession's -AccessToken documentation names no audience; the action requests the
    // S&C resource (tokenScope), so an Exchange Online token may work or not: warn only.
    if (exchangeResourceHosts(cloud).includes(host)) return exchangeForCompliance(aud, cloud);
  } else {
    if (exchangeResourceHosts(cloud).includes(host)) return accept;
    if (host === compliance)
      return {
        action: 'warn',
        problem: `the token is for Security & Compliance (aud ${aud}), not for Exchange Online`,
      };
  }
  const owner = CLOUDS.find(
    (c) => c !== cloud && (exchangeResourceHosts(c).includes(host) || complianceHost(c) === host),
  );
  if (owner !== undefined) {
    const problem = `the token is for ${owner}'s Exchange (aud ${aud}), but environment is ${cloud}`;
    // GCC High and DoD share an authority, and DoD's resource is not settled (endpoints.ts): warn.
    const sameAuthority = ENDPOINTS[owner].authorityHost === ENDPOINTS[cloud].authorityHost;
    return { action: sameAuthority ? 'warn' : 'refuse', problem };
  }
  return unknown;
}

/** An Exchange Online token given for Security & Compliance. */
function exchangeForCompliance(aud: string, cloud: Cloud): AudienceVerdict {
  return {
    action: 'warn',
    problem: `the token is for Exchange Online (aud ${aud}); for Security & Compliance this action requests tokens for ${expectedResource(cloud, 'security-compliance')}`,
  };
}

/** What is accepted, for the message after "Accepted: ". */
export function acceptedAudiences(cloud: Cloud, target: Target): string {
  // Security & Compliance's resource has no application ID of Exchange Online's: naming it would
  // contradict the warning about an Exchange Online token (exchangeForCompliance).
  const byId = target === 'security-compliance' ? '' : ` or ${EXCHANGE_ONLINE_APP_ID}`;
  return `a token for ${expectedResource(cloud, target)} (aud ${expectedResource(cloud, target)}${byId})`;
}

/** How to get a token for the right resource with Azure CLI and Az PowerShell, in this cloud. */
export function audienceHint(cloud: Cloud, target: Target): string {
  const resource = expectedResource(cloud, target);
  const azureCloud = AZURE_CLOUD_NAME[cloud];
  const inCloud = azureCloud === 'AzureCloud' ? '' : ` (after az cloud set --name ${azureCloud})`;
  const azEnvironment = azureCloud === 'AzureCloud' ? '' : ` (after Connect-AzAccount -Environment ${azureCloud})`;
  return [
    `Request the token for ${resource}:`,
    `  az account get-access-token --resource ${resource}${inCloud}`,
    `  Get-AzAccessToken -ResourceUrl ${resource}${azEnvironment}`,
    'Or let the action request it: auth oidc or client-secret with client-id.',
  ].join('\n');
}
