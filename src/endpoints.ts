// Every cloud-specific endpoint lives in this one table.
// Sources: Microsoft Learn, Connect-ExchangeOnline (-ExchangeEnvironmentName, -ConnectionUri)
// https://learn.microsoft.com/powershell/module/exchange/connect-exchangeonline, Connect-IPPSSession
// https://learn.microsoft.com/powershell/module/exchange/connect-ippssession, and the national cloud
// authorities https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud.

export const CLOUDS = ['O365Default', 'O365USGovGCCHigh', 'O365USGovDoD', 'O365China'] as const;
export type Cloud = (typeof CLOUDS)[number];

export interface CloudEndpoints {
  /** Entra ID authority host for token flows. */
  authorityHost: string;
  /** Other names of the same Entra ID, as its instance discovery lists them (MSAL's aliases). */
  authorityAliases: readonly string[];
  /** OAuth scope of an Exchange Online token. */
  exchangeScope: string;
  /** Exchange Online ConnectionUri. */
  exchangeConnectionUri: string;
  /** Security & Compliance ConnectionUri; null where the cloud has none. */
  complianceConnectionUri: string | null;
  /** OAuth scope of a Security & Compliance token (VERIFY: derived from the S&C host; no public table). */
  complianceScope: string | null;
  /** Where the row comes from, and whether public sources disagree. */
  source: string;
}

export const ENDPOINTS: Readonly<Record<Cloud, CloudEndpoints>> = {
  O365Default: {
    authorityHost: 'login.microsoftonline.com',
    authorityAliases: ['login.windows.net', 'login.microsoft.com'],
    exchangeScope: 'https://outlook.office365.com/.default',
    exchangeConnectionUri: 'https://outlook.office365.com/powershell-liveid/',
    complianceConnectionUri: 'https://ps.compliance.protection.outlook.com/powershell-liveid/',
    complianceScope: 'https://ps.compliance.protection.outlook.com/.default',
    source: 'Learn: Connect-ExchangeOnline, Connect-IPPSSession',
  },
  O365USGovGCCHigh: {
    authorityHost: 'login.microsoftonline.us',
    authorityAliases: ['login.usgovcloudapi.net'],
    exchangeScope: 'https://outlook.office365.us/.default',
    exchangeConnectionUri: 'https://outlook.office365.us/powershell-liveID',
    complianceConnectionUri: 'https://ps.compliance.protection.office365.us/powershell-liveid/',
    complianceScope: 'https://ps.compliance.protection.office365.us/.default',
    source: 'Learn: Connect-ExchangeOnline and Connect-IPPSSession examples for GCC High',
  },
  O365USGovDoD: {
    authorityHost: 'login.microsoftonline.us',
    authorityAliases: ['login.usgovcloudapi.net'],
    // VERIFY: public sources disagree (outlook-dod.office365.us vs webmail.apps.mil as the
    // resource); `connection-uri` overrides the ConnectionUri.
    exchangeScope: 'https://outlook-dod.office365.us/.default',
    exchangeConnectionUri: 'https://webmail.apps.mil/powershell-liveID',
    complianceConnectionUri: 'https://l5.ps.compliance.protection.office365.us/powershell-liveid/',
    complianceScope: 'https://l5.ps.compliance.protection.office365.us/.default',
    source: 'Learn: Connect-ExchangeOnline and Connect-IPPSSession examples for DoD; scope to verify',
  },
  O365China: {
    authorityHost: 'login.chinacloudapi.cn',
    authorityAliases: ['login.partner.microsoftonline.cn'],
    exchangeScope: 'https://partner.outlook.cn/.default',
    exchangeConnectionUri: 'https://partner.outlook.cn/PowerShell',
    complianceConnectionUri: 'https://ps.compliance.protection.partner.outlook.cn/powershell-liveid',
    complianceScope: 'https://ps.compliance.protection.partner.outlook.cn/.default',
    source: 'Learn: Connect-ExchangeOnline and Connect-IPPSSession examples for 21Vianet',
  },
};

/**
 * Clouds Microsoft closed. Their names are recognised, so that a workflow that still says one
 * is told what happened and where to go instead of "unknown cloud".
 */
export const RETIRED_CLOUDS: Readonly<
  Record<string, { why: string; instead: Cloud; hosts: string[]; aliases: string[] }>
> = {
  // Learn: "Office 365 Germany" end of service; tenants were migrated to the global service.
  O365GermanyCloud: {
    why: 'Microsoft closed Office 365 Germany in October 2021 and moved its tenants to the worldwide service',
    instead: 'O365Default',
    hosts: ['outlook.office.de'],
    // Azure's and Microsoft 365's names for the same closed cloud.
    aliases: ['germany', 'azuregermancloud', 'office365germany', 'microsoftcloudgermany'],
  },
};

const aliasKey = (name: string): string => name.toLowerCase().replace(/[\s_-]/g, '');

/** The retired cloud this name (or a usual other name of it) means, with its name in the table, or null. */
export function retiredCloud(name: string): [string, (typeof RETIRED_CLOUDS)[string]] | null {
  const key = aliasKey(name);
  return (
    Object.entries(RETIRED_CLOUDS).find(([retired, row]) => aliasKey(retired) === key || row.aliases.includes(key)) ??
    null
  );
}

/**
 * Names people write for a cloud, from Azure and from Microsoft 365 plan names, and the cloud
 * each one means here. GCC (moderate) uses the worldwide endpoints (Learn: "Connect to Exchange
 * Online PowerShell", -ExchangeEnvironmentName); only GCC High and DoD have their own.
 */
export const CLOUD_ALIASES: Readonly<Record<string, string>> = {
  gcc: 'O365Default (GCC uses the worldwide endpoints)',
  usgovgcc: 'O365Default (GCC uses the worldwide endpoints)',
  o365usgovgcc: 'O365Default (GCC uses the worldwide endpoints)',
  gcchigh: 'O365USGovGCCHigh',
  usgovgcchigh: 'O365USGovGCCHigh',
  dod: 'O365USGovDoD',
  usgovdod: 'O365USGovDoD',
  azureusgovernment: 'O365USGovGCCHigh (or O365USGovDoD for a DoD tenant)',
  usgov: 'O365USGovGCCHigh (or O365USGovDoD for a DoD tenant)',
  china: 'O365China',
  azurechinacloud: 'O365China',
  '21vianet': 'O365China',
  azurecloud: 'O365Default',
  worldwide: 'O365Default',
  commercial: 'O365Default',
  global: 'O365Default',
};

/** What a cloud name that is not in the table most likely means, or null. */
export function likelyCloud(name: string): string | null {
  const key = aliasKey(name);
  // A cloud's own name written with spaces, hyphens or underscores (O365 Default, O365_USGovGCCHigh).
  return CLOUDS.find((cloud) => aliasKey(cloud) === key) ?? CLOUD_ALIASES[key] ?? null;
}

/**
 * Microsoft's remote PowerShell hosts that are in no row of the table: the first Office 365 URL
 * (https://ps.outlook.com/powershell/) and standalone Exchange Online Protection's, worldwide and
 * in GCC High (Learn: "Connect to Exchange Online Protection PowerShell").
 */
const OTHER_MICROSOFT_REMOTE_POWERSHELL_HOSTS = [
  'ps.outlook.com',
  'ps.protection.outlook.com',
  'ps.protection.office365.us',
];

/** A host name as DNS compares it: without case, and without the root's trailing dot (outlook.office365.com.). */
export function hostKey(host: string): string {
  return host.toLowerCase().replace(/\.+$/, '');
}

/**
 * Whether a URI opens a remote PowerShell (WinRM) session on Microsoft's Exchange Online or
 * Security & Compliance hosts, which Microsoft retired: any path of those hosts (PowerShell
 * decodes an escaped /%70owershell-liveid/ before it sends it), in any cloud.
 */
export function isRetiredExchangeOnlineRemotePowerShell(uri: URL): boolean {
  const host = hostKey(uri.hostname);
  return isRetiredRemotePowerShellHost(host) || cloudOfHost(host) !== null;
}

/** Microsoft's remote PowerShell hosts that no current Connect-* cmdlet opens: the first Office 365 one, EOP's, a closed cloud's. */
export function isRetiredRemotePowerShellHost(host: string): boolean {
  const wanted = hostKey(host);
  return (
    OTHER_MICROSOFT_REMOTE_POWERSHELL_HOSTS.includes(wanted) ||
    Object.values(RETIRED_CLOUDS).some((cloud) => cloud.hosts.includes(wanted))
  );
}

/** The workload whose endpoint, in any cloud, is on this host, or null. */
export function workloadOfHost(host: string): 'exchange-online' | 'security-compliance' | null {
  const wanted = hostKey(host);
  const rows = Object.values(ENDPOINTS);
  if (rows.some((row) => new URL(row.exchangeConnectionUri).hostname === wanted)) return 'exchange-online';
  if (
    rows.some((row) => row.complianceConnectionUri !== null && new URL(row.complianceConnectionUri).hostname === wanted)
  )
    return 'security-compliance';
  return null;
}

/** The cloud whose Exchange Online or Security & Compliance endpoint is on this host, or null. */
export function cloudOfHost(host: string): Cloud | null {
  const wanted = hostKey(host);
  const found = (Object.entries(ENDPOINTS) as Array<[Cloud, CloudEndpoints]>).find(([, row]) =>
    [row.exchangeConnectionUri, row.complianceConnectionUri].some(
      (uri) => uri !== null && new URL(uri).hostname === wanted,
    ),
  );
  return found?.[0] ?? null;
}

/**
 * Whether a host is in the domain of an Exchange Online or Security & Compliance endpoint of the
 * table (office365.com, outlook.com, office365.us, apps.mil, outlook.cn): the module sends its
 * access token to the ConnectionUri's host, so a connection-uri outside them is announced.
 */
export function isMicrosoftExchangeHost(host: string): boolean {
  const wanted = hostKey(host);
  return Object.values(ENDPOINTS).some((row) =>
    [row.exchangeConnectionUri, row.complianceConnectionUri].some((uri) => {
      if (uri === null) return false;
      const domain = new URL(uri).hostname.split('.').slice(-2).join('.');
      return wanted === domain || wanted.endsWith(`.${domain}`);
    }),
  );
}

/** Every Entra ID authority host in the table, and their aliases: an authority-host outside them is announced. */
export function isKnownAuthorityHost(host: string): boolean {
  return Object.values(ENDPOINTS).some((row) => isAuthorityOf(row, host));
}

/** Whether a host is this cloud's Entra ID, by its name in the table or one of its aliases. */
export function isAuthorityOf(row: CloudEndpoints, host: string): boolean {
  const wanted = hostKey(host);
  return row.authorityHost === wanted || row.authorityAliases.includes(wanted);
}

/** The host a connection URI names; null when it does not parse or names none. */
export function hostOf(uri: string): string | null {
  try {
    return new URL(uri).hostname || null;
  } catch {
    return null;
  }
}

/**
 * Hosts that name a cloud's Exchange Online resource: its scope's, and its ConnectionUri's where
 * that differs (DoD, where public sources disagree on the resource). Worldwide, Office 365 Exchange
 * Online also answers to its older identifier URI.
 */
export function exchangeResourceHosts(cloud: Cloud): string[] {
  const row = ENDPOINTS[cloud];
  const hosts = [row.exchangeScope, row.exchangeConnectionUri].map((uri) => new URL(uri).hostname);
  if (cloud === 'O365Default') hosts.push('outlook.office.com');
  return [...new Set(hosts)];
}
