// A fake Jupyter server on 127.0.0.1 for unit tests: the kernel channels WebSocket (both wire
// formats, from the `ws` package) plus the few REST routes the channel calls.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Message } from 'jupyter-sdk';
import { decodeV1, encodeV1, V1_PROTOCOL } from '../../src/kernel/wire-v1.js';
import { decodeJson, encodeJson } from '../../src/kernel/wire-json.js';

export interface FakeSocket {
  ws: WebSocket;
  req: IncomingMessage;
  protocol: string;
  /** Sends a message from the "kernel"; parent defaults to `{}`. */
  send(channel: Message['channel'], type: string, content: Record<string, unknown>, parent?: Message['header'], buffers?: Uint8Array[]): void;
}

export type Behaviour = (msg: Message, sock: FakeSocket) => void;

/** Answers like ipykernel: busy, execute_input, a stdout stream of the code, reply, idle. */
export const echoKernel: Behaviour = (msg, k) => {
  const p = msg.header;
  k.send('iopub', 'status', { execution_state: 'busy' }, p);
  if (p.msg_type === 'execute_request') {
    const code = (msg.content as { code: string }).code;
    k.send('iopub', 'execute_input', { code, execution_count: 1 }, p);
    k.send('iopub', 'stream', { name: 'stdout', text: code }, p);
    k.send('shell', 'execute_reply', { status: 'ok', execution_count: 1, user_expressions: {} }, p);
  } else if (p.msg_type.endsWith('_request')) {
    k.send(msg.channel, p.msg_type.replace('_request', '_reply'), { status: 'ok', echo: msg.content }, p);
  }
  k.send('iopub', 'status', { execution_state: 'idle' }, p);
};

let n = 0;
export function kernelMsg(channel: Message['channel'], type: string, content: Record<string, unknown>, parent?: Message['header'], buffers: Uint8Array[] = []): Message {
  return {
    channel,
    header: { msg_id: `k-${++n}`, msg_type: type, session: 'kernel-session', username: 'k', date: new Date().toISOString(), version: '5.3' },
    parent_header: parent ?? {},
    metadata: {},
    content,
    buffers,
  };
}

export interface FakeServer {
  url: string;
  token: string;
  sockets: FakeSocket[];
  received: Message[];
  rest: string[];
  /** How the "kernel" answers; replace per test. */
  behaviour: Behaviour;
  /** Let `behaviour` answer the connection's kernel_info probe too (default: the echo kernel does). */
  answerProbe?: boolean;
  /** Runs before `POST .../restart` is answered; the status it returns replaces 200. */
  onRestart?: () => Promise<number | void> | number | void;
  /** Runs before a WebSocket upgrade is accepted; the upgrade waits for it (forever, if it never settles). */
  onUpgrade?: (req: IncomingMessage) => Promise<void> | void;
  /** Resolves with the next connection. */
  nextSocket(): Promise<FakeSocket>;
  close(): Promise<void>;
}

export async function startFakeServer(options: { subprotocol?: boolean; interruptMode?: 'signal' | 'message' } = {}): Promise<FakeServer> {
  const token = 'secret-token-1234';
  let waiters: ((s: FakeSocket) => void)[] = [];
  const http = createServer(async (req, res) => {
    state.rest.push(`${req.method} ${req.url}`);
    const json = (status: number, body?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (req.url?.endsWith('/interrupt')) return json(204);
    if (req.url?.endsWith('/restart')) {
      const status = (await state.onRestart?.()) ?? 200;
      return status === 200 ? json(200, { id: 'k', name: 'python3', execution_state: 'idle' }) : json(status, { message: 'Restart failed', reason: null });
    }
    if (req.url?.startsWith('/api/kernelspecs/')) return json(200, { name: 'python3', spec: { interrupt_mode: options.interruptMode ?? 'signal' }, resources: {} });
    if (req.url?.startsWith('/api/kernels/')) return json(200, { id: 'k', name: 'python3', execution_state: 'idle' });
    json(404, { message: 'nope' });
  });
  const wss = new WebSocketServer({
    server: http,
    handleProtocols: (protocols) => (options.subprotocol !== false && protocols.has(V1_PROTOCOL) ? V1_PROTOCOL : false),
    verifyClient: async (info, cb) => {
      await state.onUpgrade?.(info.req);
      const auth = info.req.headers.authorization;
      const q = new URL(info.req.url!, 'http://x').searchParams.get('token');
      if (auth === `token ${token}` || q === token) cb(true);
      else cb(false, 403);
    },
  });
  const state: FakeServer = {
    url: '',
    token,
    sockets: [],
    received: [],
    rest: [],
    behaviour: echoKernel,
    nextSocket: () => new Promise((r) => waiters.push(r)),
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
  wss.on('connection', (ws, req) => {
    const v1 = ws.protocol === V1_PROTOCOL;
    const sock: FakeSocket = {
      ws,
      req,
      protocol: ws.protocol,
      send: (channel, type, content, parent, buffers) => {
        const m = kernelMsg(channel, type, content, parent, buffers);
        ws.send(v1 ? encodeV1(m) : encodeJson(m));
      },
    };
    let first = true;
    ws.on('message', (data: Buffer, binary: boolean) => {
      const msg = v1 ? decodeV1(data) : decodeJson(binary ? data : data.toString());
      // The connection's own kernel_info probe after each open is not recorded, so tests see only theirs.
      const probe = first && msg.header.msg_type === 'kernel_info_request';
      first = false;
      if (probe && state.behaviour !== echoKernel && !state.answerProbe) return echoKernel(msg, sock);
      if (!probe) state.received.push(msg);
      state.behaviour(msg, sock);
    });
    state.sockets.push(sock);
    const w = waiters;
    waiters = [];
    for (const f of w) f(sock);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return state;
}
