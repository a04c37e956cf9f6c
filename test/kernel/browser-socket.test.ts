// The browser adapter (global WebSocket, token in ?token=) under msw's WebSocket interception.
// Node 20 has no global WebSocket, so `ws` stands in for the browser's before msw patches it.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ws } from 'msw';
import { setupServer } from 'msw/node';
import { WebSocket as NodeWebSocket } from 'ws';
import { JupyterClient, KernelChannelError, type Message } from 'jupyter-sdk';
import { decodeV1, encodeV1 } from '../../src/kernel/wire-v1.js';
import { kernelMsg } from './fake-kernel.js';

// What the browser build does: the default socket is the global WebSocket.
vi.mock('../../src/kernel/socket-default.js', () => import('../../src/kernel/socket-browser.js'));

const g = globalThis as { WebSocket?: unknown };
const hadGlobal = 'WebSocket' in g;
if (!hadGlobal) g.WebSocket = NodeWebSocket;

const BASE = 'http://127.0.0.1:9';
const channels = ws.link('ws://127.0.0.1:9/api/kernels/*');
const seen: { url: string; protocols: unknown; binaryType?: string }[] = [];
const server = setupServer(
  channels.addEventListener('connection', ({ client, info }) => {
    seen.push({ url: client.url.href, protocols: info.protocols });
    client.addEventListener('message', (event) => {
      const msg = decodeV1(new Uint8Array(event.data as ArrayBuffer));
      const send = (m: Message) => {
        const f = encodeV1(m);
        client.send(f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength));
      };
      const p = msg.header;
      send(kernelMsg('iopub', 'status', { execution_state: 'busy' }, p));
      send(kernelMsg('iopub', 'stream', { name: 'stdout', text: 'from msw' }, p, [new Uint8Array([4, 2])]));
      send(kernelMsg('shell', 'execute_reply', { status: 'ok', execution_count: 5 }, p));
      send(kernelMsg('iopub', 'status', { execution_state: 'idle' }, p));
    });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => {
  server.close();
  if (!hadGlobal) delete g.WebSocket;
});

describe('browser WebSocket adapter', () => {
  it('uses the global WebSocket, offers v1, puts the token in ?token= and decodes ArrayBuffer frames', async () => {
    const jupyter = new JupyterClient({ baseUrl: BASE, token: 'browser-token' });
    const kernel = await jupyter.kernels.connect('abc');
    expect(kernel.protocol).toBe('v1');
    const url = new URL(seen[0]!.url);
    expect(url.searchParams.get('token')).toBe('browser-token');
    expect(url.searchParams.get('session_id')).toBe(kernel.clientId);
    expect(seen[0]!.protocols).toEqual(['v1.kernel.websocket.jupyter.org']);
    const exec = kernel.execute('x');
    const types: string[] = [];
    let buffer: number[] = [];
    for await (const m of exec) {
      types.push(m.header.msg_type);
      if (m.buffers.length) buffer = Array.from(m.buffers[0] as Uint8Array);
    }
    expect(types).toEqual(['status', 'stream', 'status']);
    expect(buffer).toEqual([4, 2]);
    expect((await exec.reply).execution_count).toBe(5);
    await kernel.close();
  });

  it('fails with connect-failed when there is no global WebSocket', async () => {
    const saved = g.WebSocket;
    delete g.WebSocket;
    try {
      const jupyter = new JupyterClient({ baseUrl: BASE, token: 't' });
      const err = await jupyter.kernels.connect('abc').catch((e) => e);
      expect(err).toBeInstanceOf(KernelChannelError);
      expect(err.code).toBe('connect-failed');
    } finally {
      g.WebSocket = saved;
    }
  });
});
