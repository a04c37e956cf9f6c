// The page of the browser benchmark (bundled by bench/browser/run.ts through the package's
// browser build): kernel round trips and a long-lived connection for heap figures.
import { JupyterClient, type KernelConnection } from 'jupyter-sdk';

let jupyter: JupyterClient;
let kernel: KernelConnection | undefined;
let kernelId = '';

const B = {
  /** Starts a kernel and connects to it; `warmup` executes first. */
  async open(baseUrl: string, token: string, warmup: number) {
    jupyter = new JupyterClient({ baseUrl, token });
    kernelId = (await jupyter.kernels.start({ name: 'python3' })).id;
    kernel = await jupyter.kernels.connect(kernelId);
    for (let i = 0; i < warmup; i++) await kernel.run('1+1');
    return kernel.protocol;
  },
  /** Milliseconds of each of `n` sequential run('1+1'). */
  async roundTrips(n: number) {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const r = await kernel!.run('1+1');
      times.push(performance.now() - t);
      if (r.status !== 'ok') throw new Error(`run('1+1') ended ${r.status}`);
    }
    return times;
  },
  /** `n` sequential execute() iterated to the end (what an app streaming outputs does). */
  async executes(n: number) {
    for (let i = 0; i < n; i++) {
      const run = kernel!.execute('1+1');
      for await (const _ of run);
      await run.reply;
    }
  },
  /**
   * The floor: `n` sequential executes of '1+1' over a bare browser WebSocket of the same kernel
   * (JSON wire format, hand-built messages, done at execute_reply plus status idle).
   */
  async rawRoundTrips(baseUrl: string, token: string, n: number) {
    const session = crypto.randomUUID();
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/kernels/${kernelId}/channels?session_id=${session}&token=${encodeURIComponent(token)}`;
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
    let waiting: { id: string; reply: boolean; idle: boolean; done: () => void } | undefined;
    ws.onmessage = (ev) => {
      const msg = JSON.parse(ev.data as string);
      if (!waiting || msg.parent_header?.msg_id !== waiting.id) return;
      if (msg.header.msg_type === 'execute_reply') waiting.reply = true;
      if (msg.header.msg_type === 'status' && msg.content.execution_state === 'idle') waiting.idle = true;
      if (waiting.reply && waiting.idle) waiting.done();
    };
    const once = () =>
      new Promise<void>((done) => {
        const id = crypto.randomUUID();
        waiting = { id, reply: false, idle: false, done };
        const header = { msg_id: id, msg_type: 'execute_request', session, username: '', date: new Date().toISOString(), version: '5.3' };
        const content = { code: '1+1', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true };
        ws.send(JSON.stringify({ header, parent_header: {}, metadata: {}, content, channel: 'shell', buffers: [] }));
      });
    for (let i = 0; i < 5; i++) await once();
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await once();
      times.push(performance.now() - t);
    }
    ws.close();
    return times;
  },
  async close() {
    await kernel?.close();
    await jupyter.kernels.shutdown(kernelId);
  },
};
(globalThis as { T?: unknown }).T = B;
export type BenchPage = typeof B;
