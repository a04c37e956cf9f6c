import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { APIUserAbortError, JupyterClient, KernelChannelError } from 'jupyter-sdk';
import { startSilentServer } from '../kernel/silent-server.js';

let http: Server | undefined;
let wss: WebSocketServer | undefined;

async function fakeTerminalServer() {
  const received: unknown[] = [];
  const conns: { ws: WebSocket; req: IncomingMessage }[] = [];
  http = createServer((_req, res) => res.writeHead(404).end());
  wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws, req) => {
    conns.push({ ws, req });
    ws.send(JSON.stringify(['setup', {}]));
    ws.on('message', (d) => {
      const msg = JSON.parse(d.toString());
      received.push(msg);
      if (msg[0] === 'stdin') ws.send(JSON.stringify(['stdout', `echo:${msg[1]}`]));
      if (msg[1] === 'exit\r') ws.send(JSON.stringify(['disconnect', 1]));
    });
  });
  await new Promise<void>((r) => http!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, received, conns };
}

afterEach(async () => {
  for (const c of wss?.clients ?? []) c.terminate();
  await new Promise((r) => wss?.close(r));
  await new Promise((r) => http?.close(r));
});

describe('TerminalConnection', () => {
  it('connects to /terminals/websocket/{name} with the token header, sends stdin and set_size, and iterates stdout', async () => {
    const s = await fakeTerminalServer();
    const jupyter = new JupyterClient({ baseUrl: s.url, token: 'term-token' });
    const term = await jupyter.terminals.connect('my_term');
    expect(s.conns[0]!.req.url).toBe('/terminals/websocket/my_term');
    expect(s.conns[0]!.req.headers.authorization).toBe('token term-token');
    term.resize(24, 80);
    term.send('ls\r');
    const it = term[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe('echo:ls\r');
    expect(s.received).toEqual([['set_size', 24, 80], ['stdin', 'ls\r']]);
    await term.close();
    expect(await it.next()).toEqual({ value: undefined, done: true });
    expect(() => term.send('x')).toThrow(KernelChannelError);
  });

  it('ends iteration and emits close on ["disconnect", 1]', async () => {
    const s = await fakeTerminalServer();
    const term = await new JupyterClient({ baseUrl: s.url, token: 't0k3n' }).terminals.connect('1');
    const closed = new Promise((r) => term.on('close', r));
    term.send('exit\r');
    const out: string[] = [];
    for await (const text of term) out.push(text);
    expect(out).toEqual(['echo:exit\r']);
    expect(await closed).toEqual({ code: undefined, disconnected: true });
    expect(term.isClosed).toBe(true);
  });

  it('ends iteration when the server drops the socket', async () => {
    const s = await fakeTerminalServer();
    const term = await new JupyterClient({ baseUrl: s.url, token: 't0k3n' }).terminals.connect('1');
    const closed = new Promise<{ code?: number }>((r) => term.on('close', r));
    s.conns[0]!.ws.terminate();
    const out: string[] = [];
    for await (const text of term) out.push(text);
    expect(out).toEqual([]);
    expect((await closed).code).toBe(1006);
  });

  it('rejects with KernelChannelError connect-failed when the terminal does not exist', async () => {
    const s = await fakeTerminalServer();
    wss!.options.verifyClient = (_info: unknown, cb: (ok: boolean, code: number) => void) => cb(false, 404);
    const err = await new JupyterClient({ baseUrl: s.url, token: 't0k3n' }).terminals.connect('nope').catch((e) => e);
    expect(err).toBeInstanceOf(KernelChannelError);
    expect(err.code).toBe('connect-failed');
    expect(err.message).toMatch(/404/);
  });

  it('gives up a handshake the server never answers with KernelChannelError timeout, and honours an abort', async () => {
    const silent = await startSilentServer();
    try {
      const jupyter = new JupyterClient({ baseUrl: silent.url, token: 'term-token' });
      const err = await jupyter.terminals.connect('1', { timeout: 200 }).catch((e) => e);
      expect(err).toBeInstanceOf(KernelChannelError);
      expect(err.code).toBe('timeout');
      const ac = new AbortController();
      const pending = jupyter.terminals.connect('1', { signal: ac.signal });
      await vi.waitFor(() => expect(silent.accepted).toBe(2));
      ac.abort();
      await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    } finally {
      await silent.close();
    }
  });
});
