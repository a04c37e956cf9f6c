// A TCP proxy on 127.0.0.1 whose connections a test can cut, to drop a client's sockets
// (kernel channels included) mid-run while the server keeps running.
import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  /** The proxy's port; connect here instead of the target. */
  readonly port: number;
  /** Open connections, client side and server side. */
  readonly links: Set<[client: Socket, upstream: Socket]>;
  /** Cuts every open connection on both sides at once. */
  cutAll(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const links = new Set<[client: Socket, upstream: Socket]>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    links.add(pair);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      links.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const cutAll = () => {
    for (const [a, b] of links) a.destroy(), b.destroy();
  };
  return {
    port: (server.address() as AddressInfo).port,
    links,
    cutAll,
    close: () => {
      cutAll();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
