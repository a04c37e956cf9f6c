// Interrupts, restarts, deaths, shutdowns and dropped sockets against the real server:
// every pending request settles with a typed error, nothing hangs, no output is lost.
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { APIUserAbortError, JupyterClient, KernelChannelError, isMessageType, type KernelConnection } from 'jupyter-sdk';

const { url, token } = inject('jupyter');
const jupyter = new JupyterClient({ baseUrl: url, token });
const started: string[] = [];

async function freshKernel(client = jupyter): Promise<KernelConnection> {
  const { id } = await jupyter.kernels.start({ name: 'python3' });
  started.push(id);
  const k = await client.kernels.connect(id);
  await k.kernelInfo();
  return k;
}

/** Waits until the kernel is executing (its execute_input came through). */
async function running(exec: AsyncIterable<unknown>): Promise<void> {
  for await (const m of exec as AsyncIterable<{ header: { msg_type: string } }>) if (m.header.msg_type === 'execute_input') return;
}

afterAll(async () => {
  for (const id of started) await jupyter.kernels.shutdown(id).catch(() => {});
});

describe('interrupt and abort', () => {
  it('interrupts time.sleep(60): the reply is a KeyboardInterrupt error, and the kernel answers again', async () => {
    const k = await freshKernel();
    const exec = k.execute('import time; time.sleep(60)');
    const types: string[] = [];
    const iterated = (async () => {
      for await (const m of exec) {
        types.push(m.header.msg_type);
        if (m.header.msg_type === 'execute_input') await k.interrupt();
      }
    })();
    await iterated;
    const reply = await exec.reply;
    expect(reply).toMatchObject({ status: 'error', ename: 'KeyboardInterrupt' });
    expect(types).toContain('error');
    expect((await k.run('1+1')).outputs[0]).toMatchObject({ data: { 'text/plain': '2' } });
    await k.close();
  });

  it('an AbortSignal rejects the execute with APIUserAbortError and interrupts the kernel', async () => {
    const k = await freshKernel();
    const ac = new AbortController();
    const exec = k.execute('import time\ntry:\n    time.sleep(60)\nexcept KeyboardInterrupt:\n    interrupted = True\n    raise', { signal: ac.signal });
    await running(exec);
    ac.abort();
    await expect(exec.reply).rejects.toBeInstanceOf(APIUserAbortError);
    // The kernel was interrupted (the sleep did not run out): it says so itself.
    const after = await k.run("globals().get('interrupted', False)");
    expect(after.outputs[0]).toMatchObject({ data: { 'text/plain': 'True' } });
    await k.close();
  });
});

describe('restart, death and shutdown', () => {
  it('restart() with a request in flight: the request rejects with restarted, and restart() resolves once the kernel reported its status on the reopened socket', async () => {
    const k = await freshKernel();
    await k.run('x = 1');
    // SIGINT ignored: the server interrupts a kernel before shutting it down for a restart, and an
    // interrupted request would complete (KeyboardInterrupt) instead of being cut off by the restart.
    const exec = k.execute('import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(30)');
    const info = k.kernelInfo(); // queued behind the sleep
    await running(exec);
    let settled: unknown;
    void exec.reply.catch((e: unknown) => (settled = e));
    const statuses: string[] = [];
    k.on('status', (s) => statuses.push(s));
    await k.restart();
    // Cut off by the time restart() resolved, whether the iopub shutdown_reply came before the
    // server's answer, after it, or not at all.
    expect(settled).toBeInstanceOf(KernelChannelError);
    expect((settled as KernelChannelError).code).toBe('restarted');
    await expect(info).rejects.toMatchObject({ code: 'restarted' });
    // The reopened socket's kernel_info round trip came back with the kernel's own status; what
    // it is now is the kernel's (idle, or busy with a request of another client, such as the
    // server's own kernel_info nudge).
    const reopened = statuses.lastIndexOf('unknown');
    expect(reopened).toBeGreaterThan(0);
    expect(statuses.slice(0, reopened)).toContain('restarting');
    expect(statuses.slice(reopened)).toContain('idle');
    expect(['idle', 'busy']).toContain(k.status);
    const r = await k.run("'x' in globals()");
    expect(r.outputs[0]).toMatchObject({ data: { 'text/plain': 'False' } });
    await k.close();
  });

  it('kernel death (os._exit) with a request in flight: it rejects with dead, and the auto-restarted kernel answers', async () => {
    const k = await freshKernel();
    const statuses: string[] = [];
    k.on('status', (s) => statuses.push(s));
    const dying = k.execute('import os, time; time.sleep(0.2); os._exit(1)');
    const queued = k.execute('print("never")');
    const err = await dying.reply.catch((e) => e);
    expect(err).toBeInstanceOf(KernelChannelError);
    expect(err.code).toBe('dead');
    await expect(queued.reply).rejects.toMatchObject({ code: 'dead' });
    expect(statuses).toContain('restarting');
    const r = await k.run('2+2');
    expect(r.outputs[0]).toMatchObject({ data: { 'text/plain': '4' } });
    await k.close();
  });

  it('DELETE /api/kernels/{id} with a request in flight: it rejects with dead and the connection closes itself', async () => {
    const { id } = await jupyter.kernels.start({ name: 'python3' });
    const k = await jupyter.kernels.connect(id);
    await k.kernelInfo();
    const closed = new Promise((r) => k.on('close', r));
    // SIGINT ignored: the server interrupts the kernel before shutting it down, which would let the
    // request complete (KeyboardInterrupt) before the shutdown_reply instead of being cut off.
    const exec = k.execute('import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(30)');
    await running(exec);
    await jupyter.kernels.shutdown(id);
    await expect(exec.reply).rejects.toMatchObject({ code: 'dead' });
    expect(await closed).toBeInstanceOf(KernelChannelError);
    expect(k.status).toBe('dead');
    expect(k.isClosed).toBe(true);
  });

  it('close() with a request in flight rejects it with closed', async () => {
    const k = await freshKernel();
    const exec = k.execute('import time; time.sleep(5)');
    await running(exec);
    await k.close();
    await expect(exec.reply).rejects.toMatchObject({ code: 'closed' });
  });
});

describe('a dropped socket', () => {
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await startTcpProxy(Number(new URL(url).port));
  });
  afterEach(() => proxy.cutAll());
  afterAll(() => proxy.close());

  it('in the middle of a streaming execute loses no line: every line, in order, exactly once', async () => {
    const port = proxy.port;
    const viaProxy = new JupyterClient({ baseUrl: `http://127.0.0.1:${port}`, token });
    const k = await freshKernel(viaProxy);
    const statuses: string[] = [];
    k.on('status', (s) => statuses.push(s));
    const exec = k.execute('import time\nfor i in range(60):\n    print(i, flush=True)\n    time.sleep(0.02)');
    let text = '';
    let cut = false;
    for await (const m of exec) {
      if (!isMessageType(m, 'stream')) continue;
      text += m.content.text;
      if (!cut && text.split('\n').length > 15) {
        cut = true;
        proxy.cutAll();
      }
    }
    expect(cut).toBe(true);
    expect(statuses).toContain('connecting');
    expect(text).toBe(Array.from({ length: 60 }, (_, i) => `${i}\n`).join(''));
    expect((await exec.reply).status).toBe('ok');
    await k.close();
  });
});
