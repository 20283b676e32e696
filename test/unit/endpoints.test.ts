import {
  CLOUDS,
  ENDPOINTS,
  isRetiredExchangeOnlineRemotePowerShell,
  likelyCloud,
  RETIRED_CLOUDS,
} from '../../src/endpoints.js';

describe('endpoint table', () => {
  test('has the four clouds in service; Office 365 Germany is recognised as retired, with the way forward', () => {
    expect(Object.keys(ENDPOINTS).sort()).toEqual([...CLOUDS].sort());
    expect(CLOUDS).toEqual(['O365Default', 'O365USGovGCCHigh', 'O365USGovDoD', 'O365China']);
    expect(RETIRED_CLOUDS.O365GermanyCloud).toMatchObject({ instead: 'O365Default' });
    expect(RETIRED_CLOUDS.O365GermanyCloud!.why).toMatch(/October 2021/);
  });

  test('likely names for a cloud', () => {
    expect(likelyCloud('GCC High')).toBe('O365USGovGCCHigh');
    expect(likelyCloud('AzureChinaCloud')).toBe('O365China');
    expect(likelyCloud('Mars')).toBeNull();
  });

  test.each([
    [
      'O365Default',
      'login.microsoftonline.com',
      'https://outlook.office365.com/.default',
      'https://outlook.office365.com/powershell-liveid/',
      'https://ps.compliance.protection.outlook.com/powershell-liveid/',
    ],
    [
      'O365USGovGCCHigh',
      'login.microsoftonline.us',
      'https://outlook.office365.us/.default',
      'https://outlook.office365.us/powershell-liveID',
      'https://ps.compliance.protection.office365.us/powershell-liveid/',
    ],
    [
      'O365USGovDoD',
      'login.microsoftonline.us',
      'https://outlook-dod.office365.us/.default',
      'https://webmail.apps.mil/powershell-liveID',
      'https://l5.ps.compliance.protection.office365.us/powershell-liveid/',
    ],
    [
      'O365China',
      'login.chinacloudapi.cn',
      'https://partner.outlook.cn/.default',
      'https://partner.outlook.cn/PowerShell',
      'https://ps.compliance.protection.partner.outlook.cn/powershell-liveid',
    ],
  ] as const)('%s has the documented endpoints', (cloud, authority, scope, exo, scc) => {
    expect(ENDPOINTS[cloud]).toMatchObject({
      authorityHost: authority,
      exchangeScope: scope,
      exchangeConnectionUri: exo,
      complianceConnectionUri: scc,
    });
  });

  test('every row cites its source, and the disputed DoD row says verify', () => {
    for (const row of Object.values(ENDPOINTS)) expect(row.source.length).toBeGreaterThan(10);
    expect(ENDPOINTS.O365USGovDoD.source).toMatch(/verify/);
  });

  test('every URL in the table is https and parses', () => {
    for (const row of Object.values(ENDPOINTS)) {
      for (const uri of [row.exchangeConnectionUri, row.complianceConnectionUri, row.exchangeScope]) {
        if (uri !== null) expect(new URL(uri).protocol).toBe('https:');
      }
    }
  });

  test("recognises every cloud's retired remote PowerShell endpoint, and not an on-premises server", () => {
    for (const row of Object.values(ENDPOINTS)) {
      expect(isRetiredExchangeOnlineRemotePowerShell(new URL(row.exchangeConnectionUri))).toBe(true);
    }
    expect(
      isRetiredExchangeOnlineRemotePowerShell(new URL('https://outlook.office365.com/PowerShell-LiveID?PSVersion=5.1')),
    ).toBe(true);
    expect(isRetiredExchangeOnlineRemotePowerShell(new URL('https://outlook.office.de/PowerShell-LiveID'))).toBe(true);
    // The first Office 365 URL and standalone EOP's, which are in no row of the table.
    for (const uri of [
      'https://ps.outlook.com/powershell/',
      'https://ps.protection.outlook.com/powershell-liveid/',
      'https://PS.Protection.Office365.us/powershell-liveid/',
    ]) {
      expect(isRetiredExchangeOnlineRemotePowerShell(new URL(uri))).toBe(true);
    }
    expect(isRetiredExchangeOnlineRemotePowerShell(new URL('http://mail01.contoso.com/PowerShell/'))).toBe(false);
    expect(
      isRetiredExchangeOnlineRemotePowerShell(new URL('https://mail.outlook.office365.com.contoso.com/PowerShell/')),
    ).toBe(false);
    // Any path of those hosts: New-PSSession would send the credential to Microsoft's host all the
    // same. A trailing dot names the same host, and PowerShell decodes an escaped path.
    for (const uri of [
      'https://outlook.office365.com/',
      'https://outlook.office365.com/owa/',
      'https://outlook.office365.com./powershell-liveid/',
      'https://OUTLOOK.office365.com../powershell-liveid/',
      'https://outlook.office365.com/%70owershell-liveid/',
    ]) {
      expect([uri, isRetiredExchangeOnlineRemotePowerShell(new URL(uri))]).toEqual([uri, true]);
    }
  });
});
