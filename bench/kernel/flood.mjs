#!/usr/bin/env node
// The iopub message path without kernel or server noise: a local WebSocket server answers each
// execute_request with busy, FLOOD stream messages shaped as ipykernel sends them (v1 frames, as
// many per TCP write as the socket takes), the reply and idle. Prints each client's CPU per
// execute (median of REPS after a warm-up), beside @jupyterlab/services and a raw `ws` loop.
// For profiling: CLIENT=jupyter-sdk node --cpu-prof bench/kernel/flood.mjs
//   npm run build && node --expose-gc bench/kernel/flood.mjs
import { createServer } from 'node:http';
import { fork } from 'node:child_process';
import { WebSocketServer } from 'ws';
import { sdk, jlab, raw } from './clients.mjs';

const FLOOD = Number(process.env.FLOOD ?? 2500);
const REPS = Number(process.env.REPS ?? 9);
const V1 = 'v1.kernel.websocket.jupyter.org';
const enc = new TextEncoder();
const dec = new TextDecoder();

function encodeV1(channel, header, parent, metadata, content) {
  const parts = [channel, JSON.stringify(header), JSON.stringify(parent), JSON.stringify(metadata), JSON.stringify(content)].map((s) => enc.encode(s));
  const n = parts.length + 1;
  let off = 8 * (n + 1);
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, off));
  const dv = new DataView(out.buffer);
  dv.setUint32(0, n, true);
  parts.forEach((p, i) => (dv.setUint32(8 * (i + 1), off, true), out.set(p, off), (off += p.length)));
  dv.setUint32(8 * n, off, true);
  return out;
}

function decodeV1(buf) {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const o = (i) => dv.getUint32(8 + 8 * i, true);
  const part = (i) => dec.decode(buf.subarray(o(i), o(i + 1)));
  return { channel: part(0), header: JSON.parse(part(1)) };
}

let counter = 0;
const kernelSession = 'c2a1f0d6-5b1f4f0e9a7c3d21e8b4a6f7';
const header = (msg_type) => ({ msg_id: `${kernelSession}_4242_${counter++}`, msg_type, username: 'root', session: kernelSession, date: new Date().toISOString(), version: '5.3' });

if (process.argv[2] === '--serve') {
  const http = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'k', name: 'python3', execution_state: 'idle' }));
  });
  const wss = new WebSocketServer({ server: http, handleProtocols: (p) => (p.has(V1) ? V1 : false) });
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const { channel, header: parent } = decodeV1(data);
      const send = (ch, type, content) => ws.send(encodeV1(ch, header(type), parent, {}, content));
      send('iopub', 'status', { execution_state: 'busy' });
      if (parent.msg_type === 'execute_request') {
        send('iopub', 'execute_input', { code: 'flood', execution_count: 1 });
        for (let i = 0; i < FLOOD; i++) send('iopub', 'stream', { name: 'stdout', text: `${i}\n` });
        send('shell', 'execute_reply', { status: 'ok', execution_count: 1, user_expressions: {}, payload: [] });
      } else send(channel, parent.msg_type.replace('_request', '_reply'), { status: 'ok', protocol_version: '5.3', implementation: 'flood', language_info: { name: 'python' } });
      send('iopub', 'status', { execution_state: 'idle' });
    });
  });
  await new Promise((r) => http.listen(0, '127.0.0.1', r));
  process.send(http.address().port);
} else {
  const child = fork(new URL(import.meta.url).pathname, ['--serve'], { stdio: 'inherit' });
  const port = await new Promise((r) => child.once('message', r));
  try {
    await measure({ url: `http://127.0.0.1:${port}`, token: 'flood-token' });
  } finally {
    child.kill();
  }
}

async function measure(server) {
  const cpuMs = (c) => (c.user + c.system) / 1000;
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const all = [raw, sdk, jlab];
  const clients = process.env.CLIENT ? all.filter((c) => c.name.startsWith(process.env.CLIENT)) : all;
  const conns = [];
  for (const c of clients) conns.push(await c.connect(server, `00000000-0000-0000-0000-00000000000${conns.length}`));
  const cpu = clients.map(() => []);
  for (let rep = 0; rep <= REPS; rep++) {
    for (const [j, conn] of conns.entries()) {
      globalThis.gc?.();
      const c0 = process.cpuUsage();
      const r = await conn.execute('flood');
      if (r.lines !== FLOOD) throw new Error(`${clients[j].name}: ${r.lines} of ${FLOOD} lines`);
      if (rep > 0) cpu[j].push(cpuMs(process.cpuUsage(c0)));
    }
  }
  for (const conn of conns) await conn.close();
  console.log(`\n${FLOOD} stream messages from a local fake kernel, CPU per execute (median of ${REPS} after 1 warm-up)`);
  console.table(clients.map((c, j) => ({ client: c.name, 'CPU ms': median(cpu[j]).toFixed(1), 'µs / message': ((median(cpu[j]) * 1000) / FLOOD).toFixed(2), all: cpu[j].map((x) => x.toFixed(0)).join(' ') })));
}
