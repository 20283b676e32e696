import { CLOUDS, ENDPOINTS, type Cloud } from '../../src/endpoints.js';
import { EXCHANGE_ONLINE_APP_ID, judgeAudience } from '../../src/token-audience.js';

const resource = (scope: string): string => scope.replace('/.default', '');

describe("an access token's audience, in every cloud", () => {
  test.each(CLOUDS)('%s: its Exchange resource, in URL forms and by application ID, is accepted', (cloud) => {
    const exchange = resource(ENDPOINTS[cloud].exchangeScope);
    for (const aud of [exchange, `${exchange}/`, exchange.toUpperCase(), EXCHANGE_ONLINE_APP_ID])
      expect([aud, judgeAudience(aud, cloud, 'exchange-online').action]).toEqual([aud, 'accept']);
  });

  test("worldwide, Exchange Online's older identifier URI is accepted too", () => {
    expect(judgeAudience('https://outlook.office.com', 'O365Default', 'exchange-online').action).toBe('accept');
    expect(judgeAudience('https://outlook.office.com/', 'O365Default', 'security-compliance').action).toBe('warn');
  });

  test.each(CLOUDS)(
    '%s: security-compliance accepts its S&C resource and only warns about Exchange Online',
    (cloud) => {
      const compliance = resource(ENDPOINTS[cloud].complianceScope!);
      expect(judgeAudience(compliance, cloud, 'security-compliance').action).toBe('accept');
      // Exchange Online's application ID names the same resource as its URL: warned about alike.
      expect(judgeAudience(EXCHANGE_ONLINE_APP_ID, cloud, 'security-compliance').action).toBe('warn');
      expect(judgeAudience(resource(ENDPOINTS[cloud].exchangeScope), cloud, 'security-compliance').action).toBe('warn');
    },
  );

  test.each(CLOUDS)("%s: another cloud's Exchange is refused across authorities, warned about within one", (cloud) => {
    for (const other of CLOUDS.filter((c) => c !== cloud)) {
      const verdict = judgeAudience(resource(ENDPOINTS[other].exchangeScope), cloud, 'exchange-online');
      const sameAuthority = ENDPOINTS[other].authorityHost === ENDPOINTS[cloud].authorityHost;
      expect([other, verdict.action]).toEqual([other, sameAuthority ? 'warn' : 'refuse']);
      expect(verdict.problem).toContain(`for ${other}'s Exchange`);
    }
  });

  test.each([
    ['00000003-0000-0000-c000-000000000000', 'Microsoft Graph'],
    ['https://graph.microsoft.com', 'Microsoft Graph'],
    ['https://graph.microsoft.us/', 'Microsoft Graph'],
    ['https://microsoftgraph.chinacloudapi.cn', 'Microsoft Graph'],
    ['https://management.core.windows.net/', 'Azure Resource Manager'],
    ['https://management.azure.com', 'Azure Resource Manager'],
    ['797f4846-ba00-4fd7-ba43-dac1f8f63013', 'Azure Resource Manager'],
    ['https://graph.windows.net', 'Azure AD Graph'],
  ])('%s is refused in every cloud and for both workloads, named %s', (aud, name) => {
    for (const cloud of CLOUDS as readonly Cloud[])
      for (const target of ['exchange-online', 'security-compliance'] as const) {
        const verdict = judgeAudience(aud, cloud, target);
        expect([cloud, target, verdict.action]).toEqual([cloud, target, 'refuse']);
        expect(verdict.problem).toContain(`the token is for ${name} (aud ${aud})`);
      }
  });

  test.each(['api://contoso-exchange-proxy', 'https://contoso.example', '11111111-2222-4333-8444-555555555555', 'x'])(
    'an audience it does not know (%s) is only warned about',
    (aud) => {
      expect(judgeAudience(aud, 'O365Default', 'exchange-online')).toEqual({
        action: 'warn',
        problem: `the token is for a resource this action does not know (aud ${aud})`,
      });
    },
  );
});
