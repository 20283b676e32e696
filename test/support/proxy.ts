// A forward proxy on 127.0.0.1 as a corporate network has one: HTTPS goes through CONNECT
// tunnels. It records every CONNECT, and opens a tunnel only for the names it is given, each to a
// server on 127.0.0.1; every other request is answered as a proxy refuses one.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';

export interface ConnectSeen {
  /** host:port, as the CONNECT line named it. */
  target: string;
  /** The Proxy-Authorization header, when the client sent one. */
  authorization: string | undefined;
}

export interface Proxy {
  /** http://127.0.0.1:port */
  url: string;
  seen: ConnectSeen[];
  close(): Promise<void>;
}

/**
 * `tunnels` maps a CONNECT target (host:port) to the 127.0.0.1 port that serves it. `refuseWith`
 * answers every CONNECT with that status instead (407 for a proxy that wants credentials).
 */
export async function startProxy(
  tunnels: Record<string, number>,
  options: { refuseWith?: number } = {},
): Promise<Proxy> {
  const seen: ConnectSeen[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    seen.push({ target: `${req.method} ${req.url}`, authorization: req.headers['proxy-authorization'] });
    res.writeHead(502).end();
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const target = req.url ?? '';
    seen.push({ target, authorization: req.headers['proxy-authorization'] });
    const port = tunnels[target];
    if (options.refuseWith !== undefined || port === undefined) {
      const status = options.refuseWith ?? 502;
      client.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
