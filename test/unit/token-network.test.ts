import { describeRoute, unreachedBy } from '../../src/token-network.js';

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

describe('retries of a token request', () => {
  test('Retry-After is read as seconds or as an HTTP date; anything else is none', async () => {
    const { retryAfter } = await import('../../src/token-network.js');
    expect(retryAfter('7')).toBe(7000);
    expect(retryAfter(' 0 ')).toBe(0);
    expect(retryAfter(undefined)).toBeNull();
    expect(retryAfter('soon')).toBeNull();
    expect(retryAfter('1.5')).toBeNull();
    expect(retryAfter('-1')).toBeNull();
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(retryAfter(inTenSeconds)).toBeGreaterThan(8_000);
    expect(retryAfter('Thu, 01 Jan 1970 00:00:00 GMT')).toBe(0);
  });

  test('only throttling, server errors and Entra ID transient codes are transient', async () => {
    const { isTransientTokenFailure, retryDelayMs } = await import('../../src/tokens.js');
    expect(isTransientTokenFailure(429, 'x')).toBe(true);
    expect(isTransientTokenFailure(503, 'x')).toBe(true);
    expect(isTransientTokenFailure(400, 'AADSTS90033: A transient error has occurred.')).toBe(true);
    expect(isTransientTokenFailure(null, 'AADSTS90055: TenantThrottlingError')).toBe(true);
    expect(isTransientTokenFailure(401, 'AADSTS7000215: Invalid client secret provided.')).toBe(false);
    expect(isTransientTokenFailure(400, 'AADSTS900330')).toBe(false);
    expect(isTransientTokenFailure(null, 'Could not reach login.microsoftonline.com')).toBe(false);
    // Backoff doubles from 1 s with up to 0.5 s of jitter; a server's Retry-After wins, up to a minute.
    expect(retryDelayMs(0, null, () => 0)).toBe(1000);
    expect(retryDelayMs(2, null, () => 0.999)).toBe(4499);
    expect(retryDelayMs(0, 5000)).toBe(5000);
    expect(retryDelayMs(0, 3_600_000)).toBe(60_000);
  });
});

describe('an answer whose body stops coming', () => {
  const serve = async (
    answer: (res: import('node:http').ServerResponse) => void,
  ): Promise<{ url: string; close: () => Promise<void> }> => {
    const http = await import('node:http');
    const server = http.createServer((_req, res) => answer(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as import('node:net').AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/token`,
      close: () => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(() => resolve()));
      },
    };
  };
  const bodyOf = async (url: string, ms: number): Promise<string> => {
    const { HttpClient } = await import('@actions/http-client');
    const { readBodyWithin } = await import('../../src/token-network.js');
    const client = new HttpClient('test', [], { socketTimeout: ms });
    try {
      const response = await client.get(url);
      return await readBodyWithin(response.message, ms);
    } finally {
      client.dispose();
    }
  };

  test('is read whole when it comes', async () => {
    const server = await serve((res) => res.end('{"access_token":"x"}'));
    try {
      await expect(bodyOf(server.url, 500)).resolves.toBe('{"access_token":"x"}');
    } finally {
      await server.close();
    }
  });

  test('ends in an error when it is longer than any token answer, instead of filling memory', async () => {
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(64 * 1024);
      const more = (): void => {
        if (!res.destroyed) res.write(chunk, more);
      };
      more();
    });
    try {
      await expect(bodyOf(server.url, 5000)).rejects.toThrow('an answer longer than 1 million characters');
    } finally {
      await server.close();
    }
  });

  test('ends in an error when it comes a byte now and then, never quiet for long enough to time out', async () => {
    let timer: NodeJS.Timeout | undefined;
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      timer = setInterval(() => res.write(' '), 100);
    });
    try {
      await expect(bodyOf(server.url, 400)).rejects.toThrow('no whole answer within 0.8 s');
    } finally {
      clearInterval(timer);
      await server.close();
    }
  });

  test('ends in an error when it stalls after the headers, where the toolkit would wait for ever', async () => {
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"access_token":');
    });
    try {
      await expect(bodyOf(server.url, 300)).rejects.toThrow('no answer within 0.3 s');
      // The toolkit's own readBody, with the same socket timeout, is still waiting well after it.
      const { HttpClient } = await import('@actions/http-client');
      const client = new HttpClient('test', [], { socketTimeout: 300 });
      const response = await client.get(server.url);
      const read = response.readBody().then(() => 'read');
      const waited = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1_000));
      expect(await Promise.race([read, waited])).toBe('still waiting');
      client.dispose();
    } finally {
      await server.close();
    }
  });

  test('ends in an error when the connection breaks off mid-body', async () => {
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"access_token":', () => res.socket?.destroy());
    });
    try {
      await expect(bodyOf(server.url, 5_000)).rejects.toThrow(/aborted|ECONNRESET|socket hang up/);
    } finally {
      await server.close();
    }
  });
});

describe('which failures to reach the host are worth another try', () => {
  const failure = (message: string, code?: string): Error => Object.assign(new Error(message), code ? { code } : {});
  const url = 'https://login.microsoftonline.com/contoso/oauth2/v2.0/token';
  test.each([
    ['a request that went quiet', failure('Request timeout: /contoso/oauth2/v2.0/token'), true],
    ['an answer that stopped coming', failure('no answer within 30 s'), true],
    ['an answer that never ended', failure('no whole answer within 60 s'), true],
    ['a connection broken off', failure('socket hang up', 'ECONNRESET'), true],
    ['a connection reset', failure('read ECONNRESET', 'ECONNRESET'), true],
    [
      'a proxy that refuses the tunnel',
      failure('tunneling socket could not be established, statusCode=403', 'ECONNRESET'),
      false,
    ],
    ['a name that does not resolve', failure('getaddrinfo ENOTFOUND login.microsoftonline.com', 'ENOTFOUND'), false],
    ['a refused connection', failure('connect ECONNREFUSED 127.0.0.1:443', 'ECONNREFUSED'), false],
    [
      'a certificate the runner does not trust',
      failure('unable to get local issuer certificate', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'),
      false,
    ],
  ])('%s', (_what, error, transient) => {
    expect(unreachedBy(error, url, 30_000).transient).toBe(transient);
  });
});
