// A TCP server that accepts connections and never answers: a handshake to it stalls until the
// client gives up. Stands in for a server whose upgrade handler hangs.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SilentServer {
  url: string;
  /** Connections accepted so far, open or closed. */
  accepted: number;
  /** Connections the client has closed. */
  closedByClient: number;
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const state = { accepted: 0, closedByClient: 0 };
  const server: Server = createServer((sock) => {
    state.accepted++;
    sockets.add(sock);
    sock.on('close', () => {
      state.closedByClient++;
      sockets.delete(sock);
    });
    sock.on('error', () => {});
    // Read (and drop) the request, or the socket never sees the client's FIN and never closes.
    sock.resume();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get accepted() {
      return state.accepted;
    },
    get closedByClient() {
      return state.closedByClient;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
