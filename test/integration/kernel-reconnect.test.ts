// Sockets cut at many points of a streaming run, through a TCP proxy of the tests (test/support/tcp-proxy.ts), against the
// real server. Jupyter Server buffers a kernel's messages for a session once it notices the
// session's socket is gone and replays them on reconnect; what it wrote to the connection before
// it noticed is lost, and nothing on the wire tells. So after a cut: the lines that arrive are in
// order and never doubled, the request completes (no hang), and when lines are missing the result
// says so (`incomplete`), or the request rejects with KernelChannelError 'lost' when its reply
// went down with the connection. Never a silent `ok` with lines missing.
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JupyterClient, KernelChannelError, isMessageType, type KernelConnection } from 'jupyter-sdk';

const { url, token } = inject('jupyter');
const jupyter = new JupyterClient({ baseUrl: url, token });
const LINES = 50;
const LOOP = `import time\nfor i in range(${LINES}):\n    print(i, flush=True)\n    time.sleep(0.05)`;

let proxy: TcpProxy;
let kernelId: string;

beforeAll(async () => {
  proxy = await startTcpProxy(Number(new URL(url).port));
  kernelId = (await jupyter.kernels.start({ name: 'python3' })).id;
});

afterAll(async () => {
  await proxy.close();
  await jupyter.kernels.shutdown(kernelId).catch(() => {});
});

/**
 * Cuts every proxied connection. `serverNoticesAfter` = 0: both sides close at once (the server
 * starts buffering right away). Otherwise the client side closes now and the server's side stays
 * open, its writes discarded, that many ms: a network drop the server learns of late.
 */
function cut(serverNoticesAfter: number): void {
  for (const pair of proxy.links) {
    const [client, upstream] = pair;
    if (serverNoticesAfter === 0) {
      client.destroy();
      upstream.destroy();
      continue;
    }
    proxy.links.delete(pair);
    client.removeAllListeners('close').removeAllListeners('error').on('error', () => {});
    upstream.removeAllListeners('close').removeAllListeners('error').on('error', () => {});
    client.unpipe(upstream);
    upstream.unpipe(client);
    upstream.on('data', () => {});
    client.destroy();
    setTimeout(() => upstream.destroy(), serverNoticesAfter);
  }
}

interface Outcome {
  lines: number[];
  status?: string;
  incomplete: boolean;
  error?: unknown;
}

async function runWithCut(k: KernelConnection, at: number, serverNoticesAfter: number): Promise<Outcome> {
  const exec = k.execute(LOOP);
  const timer = setTimeout(() => cut(serverNoticesAfter), at);
  const lines: number[] = [];
  try {
    for await (const m of exec) {
      if (!isMessageType(m, 'stream')) continue;
      for (const l of m.content.text.split('\n')) if (l) lines.push(Number(l));
    }
    const reply = await exec.reply;
    return { lines, status: reply.status, incomplete: exec.incomplete };
  } catch (error) {
    return { lines, incomplete: true, error };
  } finally {
    clearTimeout(timer);
  }
}

function check(o: Outcome, label: string): void {
  // In order, never doubled by the replay.
  for (let i = 1; i < o.lines.length; i++) expect(o.lines[i], `${label}: ${o.lines.join(',')}`).toBeGreaterThan(o.lines[i - 1]!);
  if (o.error !== undefined) {
    expect(o.error, label).toBeInstanceOf(KernelChannelError);
    expect((o.error as KernelChannelError).code, label).toBe('lost');
    return;
  }
  expect(o.status, label).toBe('ok');
  // Lines missing only with the result saying so.
  if (o.lines.length < LINES) expect(o.incomplete, `${label}: ${o.lines.length} lines`).toBe(true);
}

describe('a socket cut at many points of a streaming run', () => {
  const viaProxy = () => new JupyterClient({ baseUrl: `http://127.0.0.1:${proxy.port}`, token });

  it('cut with both ends closing at once: every run completes, in order, and flags what it may have missed', async () => {
    const k = await viaProxy().kernels.connect(kernelId);
    try {
      let whole = 0;
      for (const at of [60, 500, 1100, 1700, 2300, 2600]) {
        const o = await runWithCut(k, at, 0);
        check(o, `cut at ${at} ms`);
        if (o.error === undefined && o.lines.length === LINES) whole++;
        // The connection itself came back.
        expect((await k.run('21*2')).outputs).toMatchObject([{ data: { 'text/plain': '42' } }]);
      }
      // The server replays what it buffered: most runs keep every line.
      expect(whole).toBeGreaterThan(0);
    } finally {
      await k.close();
    }
  });

  it('cut that the server notices only 400 ms later: its writes meanwhile are lost, and the runs say so (incomplete or a lost reply)', async () => {
    const k = await viaProxy().kernels.connect(kernelId);
    try {
      let lossy = 0;
      for (const at of [300, 1200, 2200, 2560]) {
        const o = await runWithCut(k, at, 400);
        check(o, `cut at ${at} ms`);
        if (o.error !== undefined || o.lines.length < LINES) lossy++;
        expect((await k.run('21*2')).outputs).toMatchObject([{ data: { 'text/plain': '42' } }]);
      }
      // The loss is real (it is not the SDK's flag alone): lines or replies went down with the connection.
      expect(lossy).toBeGreaterThan(0);
    } finally {
      await k.close();
    }
  });
});
