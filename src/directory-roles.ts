// The Entra ID directory roles an app-only token carries (its `wids` claim), and whether any of
// them lets the app administer the workload. Exchange reads these roles to set the session's
// permissions, so a token without a fitting one is refused with "The role assigned to
// application … isn't supported in this scenario". Only a warning: an app may instead hold an
// Exchange role group through a service principal, which the token does not show.

import type { Target } from './inputs.js';

/**
 * Built-in role template IDs (Learn: "Microsoft Entra built-in roles"), the same in every tenant.
 * `workloads` are those Learn's "App-only authentication in Exchange Online PowerShell and
 * Security & Compliance PowerShell" lists the role as supported for.
 */
const ROLES: Readonly<Record<string, { name: string; workloads: readonly Target[] }>> = {
  '17315797-102d-40b4-93e0-432062caca18': {
    name: 'Compliance Administrator',
    workloads: ['exchange-online', 'security-compliance'],
  },
  '29232cdf-9323-42fd-ade2-1d097af3e4de': { name: 'Exchange Administrator', workloads: ['exchange-online'] },
  '31392ffb-586c-42d1-9346-e59415a2cc4e': { name: 'Exchange Recipient Administrator', workloads: ['exchange-online'] },
  '62e90394-69f5-4237-9190-012177145e10': {
    name: 'Global Administrator',
    workloads: ['exchange-online', 'security-compliance'],
  },
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451': {
    name: 'Global Reader',
    workloads: ['exchange-online', 'security-compliance'],
  },
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': { name: 'Helpdesk Administrator', workloads: ['exchange-online'] },
  '194ae4cb-b126-40b2-bd5b-6091b380977d': {
    name: 'Security Administrator',
    workloads: ['exchange-online', 'security-compliance'],
  },
  '5d6b6bb7-de71-4623-b4af-96380a352509': {
    name: 'Security Reader',
    workloads: ['exchange-online', 'security-compliance'],
  },
  // Roles apps are often given that do not open Exchange: named, so the warning reads well.
  '88d8e3e3-8f55-4a1e-953a-9b9898b8876b': { name: 'Directory Readers', workloads: [] },
  '9360feb5-f418-4baa-8175-e2a00bac4301': { name: 'Directory Writers', workloads: [] },
  'fe930be7-5e62-47db-91af-98c3a49a38b1': { name: 'User Administrator', workloads: [] },
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3': { name: 'Application Administrator', workloads: [] },
  '158c047a-c907-4556-b7ef-446551a6b5f7': { name: 'Cloud Application Administrator', workloads: [] },
  'f28a1f50-f6e7-4571-818b-6a12f2af6b6c': { name: 'SharePoint Administrator', workloads: [] },
  '69091246-20e8-4a56-aa4d-066075b2a7a8': { name: 'Teams Administrator', workloads: [] },
  'e6d1a23a-da11-4be4-9570-befc86d067a7': { name: 'Compliance Data Administrator', workloads: [] },
  '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f': { name: 'Security Operator', workloads: [] },
  '4a5d8f65-41da-4de4-8968-e035b65339cf': { name: 'Reports Reader', workloads: [] },
};

/** The role to assign for each workload: the narrowest that covers most scripts. */
const TO_ASSIGN: Readonly<Record<Target, string>> = {
  'exchange-online': 'Exchange Administrator (or Exchange Recipient Administrator for recipient tasks only)',
  'security-compliance': 'Compliance Administrator',
  'exchange-server': '',
};

/** The `wids` claim as role names (unknown IDs as they are): none without the claim; null without a readable token. */
export function directoryRoles(claims: Record<string, unknown> | null): string[] | null {
  if (claims === null) return null;
  const wids = claims.wids;
  if (!Array.isArray(wids)) return [];
  return wids.map((id) => ROLES[String(id).toLowerCase()]?.name ?? String(id));
}

/** A warning when the token carries directory roles and none of them opens `target`; otherwise null. */
export function directoryRoleWarning(claims: Record<string, unknown> | null, target: Target): string | null {
  const wids = claims?.wids;
  if (!Array.isArray(wids) || wids.length === 0 || target === 'exchange-server') return null;
  const fits = wids.some((id) => ROLES[String(id).toLowerCase()]?.workloads.includes(target));
  if (fits) return null;
  return (
    `The access token for ${target} carries the directory roles ${directoryRoles(claims)!.join(', ')}, and none of them lets an app administer ${target}; ` +
    `Exchange is likely to answer "The role assigned to application … isn't supported in this scenario". ` +
    `Assign the app ${TO_ASSIGN[target]} in Entra ID > Roles and administrators. ` +
    'If the app holds an Exchange role group through a service principal instead, this warning does not apply.'
  );
}
