import { describeRoute } from '../../src/token-network.js';

describe('how a token request went, as the failure message says it', () => {
  const saved = {
    https_proxy: process.env.https_proxy,
    HTTPS_PROXY: process.env.HTTPS_PROXY,
    no_proxy: process.env.no_proxy,
  };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test('through a proxy: its origin, never its user name and password', () => {
    process.env.https_proxy = 'http://svc:Pr0xy-Pa55@proxy.corp:8080';
    delete process.env.no_proxy;
    expect(describeRoute('https://login.microsoftonline.com/contoso/oauth2/v2.0/token')).toBe(
      'through the proxy http://proxy.corp:8080',
    );
  });

  test.each(['proxy.corp:8080', 'svc:Pr0xy-Pa55@proxy.corp:8080'])(
    'an https_proxy without a scheme (%s) is named as such, and its text is not repeated',
    (value) => {
      process.env.https_proxy = value;
      delete process.env.no_proxy;
      const route = describeRoute('https://login.microsoftonline.com/contoso/oauth2/v2.0/token');
      expect(route).toBe('through https_proxy, which is not an http:// URL: write it as http://host:port');
      expect(route).not.toContain('Pa55');
    },
  );
});
