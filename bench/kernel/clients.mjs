// The three kernel clients the benchmark compares, behind one small interface:
//   connect(server, kernelId) -> { execute(code) -> Promise<{ lines, idleLost }>, close() }
// `lines` counts stdout lines received, `last` is when the last one came (performance.now()),
// `idleLost` says the request completed without its idle. All three complete the same way: reply
// and idle, or, once the reply is in, 1 s without any message of the request (the server can lose
// the idle in a flood with the rate limit off; jupyter-sdk does this itself, its default idleTimeout).
const QUIET_MS = 1000;
import { WebSocket } from 'ws';
import { randomUUID } from 'node:crypto';
import { JupyterClient } from '../../dist/index.js';

const countLines = (text) => {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

export const sdk = {
  name: 'jupyter-sdk',
  async connect(server, id) {
    const jupyter = new JupyterClient({ baseUrl: server.url, token: server.token });
    const kernel = await jupyter.kernels.connect(id);
    await kernel.kernelInfo();
    return {
      protocol: kernel.protocol,
      async execute(code) {
        const exec = kernel.execute(code);
        let lines = 0;
        let idle = false;
        let last = 0;
        for await (const m of exec) {
          if (m.header.msg_type === 'stream') (lines += countLines(m.content.text)), (last = performance.now());
          else if (m.header.msg_type === 'status' && m.content.execution_state === 'idle') idle = true;
        }
        return { lines, last, idleLost: !idle };
      },
      close: () => kernel.close(),
    };
  },
};

export const jlab = {
  name: '@jupyterlab/services 7.6.6',
  async connect(server, id) {
    const { KernelConnection, ServerConnection } = await import('@jupyterlab/services');
    const serverSettings = ServerConnection.makeSettings({
      baseUrl: server.url + '/',
      wsUrl: server.url.replace(/^http/, 'ws') + '/',
      token: server.token,
      appendToken: true,
      WebSocket,
      fetch,
      Request,
      Headers,
    });
    const kernel = new KernelConnection({ model: { id, name: 'python3' }, serverSettings, handleComms: false });
    await kernel.info;
    return {
      protocol: kernel.serverSettings ? 'v1 (negotiated)' : '?',
      execute(code) {
        const future = kernel.requestExecute({ code });
        let lines = 0;
        let idle = false;
        let last = 0;
        let timer;
        let replied = false;
        return new Promise((resolve) => {
          // future.done needs reply AND idle and has no timeout: add the quiet-period rule.
          const quiet = () => {
            clearTimeout(timer);
            timer = setTimeout(() => resolve({ lines, last, idleLost: true }), QUIET_MS);
          };
          future.onIOPub = (m) => {
            if (m.header.msg_type === 'stream') (lines += countLines(m.content.text)), (last = performance.now());
            else if (m.header.msg_type === 'status' && m.content.execution_state === 'idle') idle = true;
            if (replied && !idle) quiet();
          };
          future.onReply = () => ((replied = true), idle || quiet());
          future.done.then(() => (clearTimeout(timer), resolve({ lines, last, idleLost: !idle })), () => (clearTimeout(timer), resolve({ lines, last, idleLost: true })));
        });
      },
      close: async () => kernel.dispose(),
    };
  },
};

// The floor: `ws` and the v1 protocol by hand, parsing only what routing needs.
export const raw = {
  name: 'raw ws (floor)',
  async connect(server, id) {
    const session = randomUUID();
    const sock = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/kernels/${id}/channels?session_id=${session}`, ['v1.kernel.websocket.jupyter.org'], {
      headers: { Authorization: `token ${server.token}` },
    });
    await new Promise((res, rej) => ((sock.onopen = res), (sock.onerror = rej)));
    const pending = new Map();
    const dec = new TextDecoder();
    sock.on('message', (buf) => {
      const u = buf;
      const dv = new DataView(u.buffer, u.byteOffset, u.byteLength);
      const o = (i) => dv.getUint32(8 + 8 * i, true);
      const part = (i) => dec.decode(u.subarray(o(i), o(i + 1)));
      const parent = JSON.parse(part(2));
      const p = pending.get(parent.msg_id);
      if (!p) return;
      const header = JSON.parse(part(1));
      const t = header.msg_type;
      if (t === 'execute_reply') p.reply = true;
      else if (t === 'status') {
        if (JSON.parse(part(4)).execution_state === 'idle') p.idle = true;
      } else if (t === 'stream') (p.lines += countLines(JSON.parse(part(4)).text)), (p.last = performance.now());
      if (p.reply && p.idle) {
        clearTimeout(p.timer);
        pending.delete(parent.msg_id);
        p.resolve({ lines: p.lines, last: p.last, idleLost: false });
      } else if (p.reply) {
        clearTimeout(p.timer);
        p.timer = setTimeout(() => (pending.delete(parent.msg_id), p.resolve({ lines: p.lines, last: p.last, idleLost: true })), QUIET_MS);
      }
    });
    const enc = new TextEncoder();
    const encode = (parts) => {
      const bytes = parts.map((s) => enc.encode(s));
      const k = bytes.length + 1;
      let off = 8 * (k + 1);
      const total = bytes.reduce((n, b) => n + b.length, off);
      const out = new Uint8Array(total);
      const dv = new DataView(out.buffer);
      dv.setUint32(0, k, true);
      bytes.forEach((b, i) => (dv.setUint32(8 + 8 * i, off, true), out.set(b, off), (off += b.length)));
      dv.setUint32(8 * k, total, true);
      return out;
    };
    return {
      protocol: sock.protocol,
      execute(code) {
        const msg_id = randomUUID();
        const header = { msg_id, msg_type: 'execute_request', session, username: '', date: new Date().toISOString(), version: '5.4' };
        const content = { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false };
        return new Promise((resolve) => {
          pending.set(msg_id, { resolve, reply: false, idle: false, lines: 0, last: 0 });
          sock.send(encode(['shell', JSON.stringify(header), '{}', '{}', JSON.stringify(content)]));
        });
      },
      close: async () => sock.close(1000),
    };
  },
};
