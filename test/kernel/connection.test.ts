import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { APIUserAbortError, JupyterClient, KernelChannelError, isMessageType, type KernelConnection, type KernelMessage } from 'jupyter-sdk';
import { echoKernel, startFakeServer, type FakeServer, type FakeSocket } from './fake-kernel.js';
import { startSilentServer } from './silent-server.js';

const KID = '11111111-2222-3333-4444-555555555555';
let server: FakeServer;
let kernel: KernelConnection | undefined;

async function connect(opts: { subprotocol?: boolean; interruptMode?: 'signal' | 'message' } = {}, conn: Parameters<JupyterClient['kernels']['connect']>[1] = {}) {
  server = await startFakeServer(opts);
  const client = new JupyterClient({ baseUrl: server.url, token: server.token });
  kernel = await client.kernels.connect(KID, conn);
  return kernel;
}

const collect = async (it: AsyncIterable<KernelMessage>) => {
  const out: string[] = [];
  for await (const m of it) out.push(m.header.msg_type);
  return out;
};

afterEach(async () => {
  await kernel?.close();
  kernel = undefined;
  await server?.close();
  vi.useRealTimers();
});

describe('KernelConnection over the Node adapter (ws)', () => {
  it('offers the v1 subprotocol, sends the token as an Authorization header and a session_id', async () => {
    const k = await connect();
    const sock = server.sockets[0]!;
    expect(k.protocol).toBe('v1');
    expect(k.status).toBe('idle'); // the connect-time kernel_info round trip saw busy/idle
    expect(sock.protocol).toBe('v1.kernel.websocket.jupyter.org');
    expect(sock.req.headers.authorization).toBe(`token ${server.token}`);
    const url = new URL(sock.req.url!, 'http://x');
    expect(url.pathname).toBe(`/api/kernels/${KID}/channels`);
    expect(url.searchParams.get('session_id')).toBe(k.clientId);
    expect(url.searchParams.has('token')).toBe(false);
  });

  it('falls back to the JSON format when the server selects no subprotocol', async () => {
    const k = await connect({ subprotocol: false });
    expect(k.protocol).toBe('json');
    expect(server.sockets.at(-1)!.protocol).toBe('');
    const r = await k.run('print(1)');
    expect(r).toEqual({ status: 'ok', executionCount: 1, outputs: [{ output_type: 'stream', name: 'stdout', text: 'print(1)' }], error: undefined });
  });

  it('rejects connect with KernelChannelError connect-failed and no token in the message on 403', async () => {
    server = await startFakeServer();
    const client = new JupyterClient({ baseUrl: server.url, token: 'wrong-token-xyz' });
    const err = await client.kernels.connect(KID).catch((e) => e);
    expect(err).toBeInstanceOf(KernelChannelError);
    expect(err.code).toBe('connect-failed');
    expect(err.message).toMatch(/403/);
    expect(err.message).not.toContain('wrong-token-xyz');
  });

  it('iterates the iopub messages of an execute until reply and idle, and resolves reply', async () => {
    const k = await connect();
    const exec = k.execute('x = 1');
    expect(await collect(exec)).toEqual(['status', 'execute_input', 'stream', 'status']);
    expect(await exec.reply).toMatchObject({ status: 'ok', execution_count: 1 });
    const sent = server.received[0]!;
    expect(sent.header).toMatchObject({ msg_type: 'execute_request', version: '5.4', session: k.clientId });
    expect(sent.content).toMatchObject({ code: 'x = 1', silent: false, store_history: true, allow_stdin: false });
  });

  it('completes when the idle arrives before the reply', async () => {
    const k = await connect();
    server.behaviour = (msg, s) => {
      s.send('iopub', 'status', { execution_state: 'busy' }, msg.header);
      s.send('iopub', 'status', { execution_state: 'idle' }, msg.header);
      setTimeout(() => s.send('shell', 'execute_reply', { status: 'ok', execution_count: 2 }, msg.header), 20);
    };
    const exec = k.execute('1');
    expect(await collect(exec)).toEqual(['status', 'status']);
    expect((await exec.reply).execution_count).toBe(2);
  });

  it('completes a request whose idle is lost once a kernel_info probe shows the kernel moved on, flagged idle-lost', async () => {
    const k = await connect();
    server.behaviour = (msg, s) => {
      if (msg.header.msg_type === 'kernel_info_request') return echoKernel(msg, s);
      s.send('iopub', 'status', { execution_state: 'busy' }, msg.header);
      s.send('shell', 'execute_reply', { status: 'ok', execution_count: 3 }, msg.header);
      s.send('iopub', 'stream', { name: 'stdout', text: 'late' }, msg.header);
    };
    const exec = k.execute('1', { idleTimeout: 150 });
    expect(await collect(exec)).toEqual(['status', 'stream']);
    expect(exec.incomplete).toBe(true);
    expect(exec.incompleteReason).toBe('idle-lost');
    // The probe went out after the reply, as a kernel_info_request on shell.
    expect(server.received.map((m) => m.header.msg_type)).toEqual(['execute_request', 'kernel_info_request']);
  });

  it("completes a request whose idle is lost when a later request's busy arrives, without a probe", async () => {
    const k = await connect();
    let n = 0;
    server.behaviour = (msg, s) => {
      if (msg.header.msg_type === 'kernel_info_request') return echoKernel(msg, s);
      const first = n++ === 0;
      s.send('iopub', 'status', { execution_state: 'busy' }, msg.header);
      s.send('iopub', 'stream', { name: 'stdout', text: first ? 'a' : 'b' }, msg.header);
      s.send('shell', 'execute_reply', { status: 'ok', execution_count: n }, msg.header);
      // The first request's idle is lost; the second's arrives.
      if (!first) s.send('iopub', 'status', { execution_state: 'idle' }, msg.header);
    };
    const [a, b] = await Promise.all([k.run('a', { idleTimeout: 60_000 }), k.run('b', { idleTimeout: 60_000 })]);
    expect(a).toMatchObject({ outputs: [{ text: 'a' }], incomplete: true, incompleteReason: 'idle-lost' });
    expect(b.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'b' }]);
    expect(b.incomplete).toBeUndefined();
    expect(server.received.map((m) => m.header.msg_type)).toEqual(['execute_request', 'execute_request']);
  });

  it("flags a request whose output the server's iopub rate limit dropped as incomplete (rate-limited), keeping the notice", async () => {
    const k = await connect();
    const notice = 'IOPub message rate exceeded.\nThe Jupyter server will temporarily stop sending output\n';
    server.behaviour = (msg, s) => {
      s.send('iopub', 'status', { execution_state: 'busy' }, msg.header);
      s.send('iopub', 'stream', { name: 'stdout', text: '1\n' }, msg.header);
      s.send('iopub', 'stream', { name: 'stderr', text: notice }, msg.header);
      s.send('shell', 'execute_reply', { status: 'ok', execution_count: 1 }, msg.header);
      s.send('iopub', 'status', { execution_state: 'idle' }, msg.header);
    };
    const r = await k.run('flood');
    expect(r).toMatchObject({ status: 'ok', incomplete: true, incompleteReason: 'rate-limited' });
    expect(r.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: '1\n' },
      { output_type: 'stream', name: 'stderr', text: notice },
    ]);
  });

  it('does not complete a request on a timer while its iopub lags: it probes and waits for the idle', async () => {
    const k = await connect();
    let held: (() => void) | undefined;
    server.behaviour = (msg, s) => {
      // A kernel whose iopub lags its shell replies: the probe's busy is held back too, so only the
      // real idle (sent last) can complete the request.
      if (msg.header.msg_type === 'kernel_info_request') {
        s.send('shell', 'kernel_info_reply', { status: 'ok' }, msg.header);
        return;
      }
      s.send('iopub', 'status', { execution_state: 'busy' }, msg.header);
      s.send('shell', 'execute_reply', { status: 'ok', execution_count: 3 }, msg.header);
      held = () => {
        s.send('iopub', 'stream', { name: 'stdout', text: 'late' }, msg.header);
        s.send('iopub', 'status', { execution_state: 'idle' }, msg.header);
      };
    };
    const exec = k.execute('1', { idleTimeout: 20 });
    let done = false;
    void exec.done.then(() => (done = true));
    await exec.reply;
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toBe(false);
    held!();
    expect(await collect(exec)).toEqual(['status', 'stream', 'status']);
    expect(exec.incomplete).toBe(false);
  });

  it('run() builds nbformat outputs: merged streams, display updates across runs, clear_output wait, errors', async () => {
    const k = await connect();
    server.behaviour = (msg, s) => {
      const p = msg.header;
      const code = (msg.content as { code: string }).code;
      s.send('iopub', 'status', { execution_state: 'busy' }, p);
      if (code === 'first') {
        s.send('iopub', 'stream', { name: 'stdout', text: 'a' }, p);
        s.send('iopub', 'stream', { name: 'stdout', text: 'b' }, p);
        s.send('iopub', 'stream', { name: 'stderr', text: 'e' }, p);
        s.send('iopub', 'stream', { name: 'stdout', text: 'c' }, p);
        s.send('iopub', 'display_data', { data: { 'text/plain': 'v1' }, metadata: {}, transient: { display_id: 'd' } }, p);
        s.send('iopub', 'execute_result', { data: { 'text/plain': '42' }, metadata: {}, execution_count: 1 }, p);
        s.send('shell', 'execute_reply', { status: 'ok', execution_count: 1 }, p);
      } else {
        s.send('iopub', 'stream', { name: 'stdout', text: 'gone' }, p);
        s.send('iopub', 'clear_output', { wait: true }, p);
        s.send('iopub', 'update_display_data', { data: { 'text/plain': 'v2' }, metadata: {}, transient: { display_id: 'd' } }, p);
        s.send('iopub', 'stream', { name: 'stdout', text: 'kept' }, p);
        s.send('iopub', 'error', { ename: 'ValueError', evalue: 'bad', traceback: ['tb'] }, p);
        s.send('shell', 'execute_reply', { status: 'error', execution_count: 2, ename: 'ValueError', evalue: 'bad', traceback: ['tb'] }, p);
      }
      s.send('iopub', 'status', { execution_state: 'idle' }, p);
    };
    const first = await k.run('first');
    const second = await k.run('second');
    expect(first.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'ab' },
      { output_type: 'stream', name: 'stderr', text: 'e' },
      { output_type: 'stream', name: 'stdout', text: 'c' },
      { output_type: 'display_data', data: { 'text/plain': 'v2' }, metadata: {} },
      { output_type: 'execute_result', data: { 'text/plain': '42' }, metadata: {}, execution_count: 1 },
    ]);
    expect(second).toEqual({
      status: 'error',
      executionCount: 2,
      outputs: [
        { output_type: 'stream', name: 'stdout', text: 'kept' },
        { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['tb'] },
      ],
      error: { ename: 'ValueError', evalue: 'bad', traceback: ['tb'] },
    });
  });

  it('answers input_request through onInput with the request header as parent', async () => {
    const k = await connect();
    server.behaviour = (msg, s) => {
      if (msg.header.msg_type === 'input_reply') {
        const parent = server.received.find((m) => m.header.msg_type === 'execute_request')!.header;
        s.send('iopub', 'stream', { name: 'stdout', text: `got ${(msg.content as { value: string }).value} for ${(msg.parent_header as { msg_id: string }).msg_id}` }, parent);
        s.send('shell', 'execute_reply', { status: 'ok', execution_count: 1 }, parent);
        s.send('iopub', 'status', { execution_state: 'idle' }, parent);
        return;
      }
      s.send('stdin', 'input_request', { prompt: 'Name? ', password: true }, msg.header);
    };
    const onInput = vi.fn(async () => 'ana');
    const r = await k.run('input()', { onInput });
    expect(onInput).toHaveBeenCalledWith('Name? ', { password: true });
    expect(server.received[0]!.content).toMatchObject({ allow_stdin: true });
    expect(server.received[1]!.channel).toBe('stdin');
    expect(r.outputs[0]).toMatchObject({ text: expect.stringMatching(/^got ana for k-\d+$/) });
  });

  it('sends kernel_info, complete, inspect, is_complete and history requests and resolves their replies', async () => {
    const k = await connect();
    expect(await k.kernelInfo()).toMatchObject({ status: 'ok' });
    expect(await k.complete('pri', 3)).toMatchObject({ echo: { code: 'pri', cursor_pos: 3 } });
    expect(await k.inspect('print', 5, 1)).toMatchObject({ echo: { code: 'print', cursor_pos: 5, detail_level: 1 } });
    expect(await k.isComplete('for x in y:')).toMatchObject({ echo: { code: 'for x in y:' } });
    expect(await k.history({ hist_access_type: 'tail', n: 3 })).toMatchObject({ echo: { hist_access_type: 'tail', n: 3 } });
    expect(server.received.map((m) => m.header.msg_type)).toEqual([
      'kernel_info_request', 'complete_request', 'inspect_request', 'is_complete_request', 'history_request',
    ]);
  });

  it('emits a malformed frame as an error event and keeps working', async () => {
    const k = await connect();
    const errors: KernelChannelError[] = [];
    k.on('error', (e) => errors.push(e));
    server.sockets[0]!.ws.send(new Uint8Array([1, 2, 3]));
    server.sockets[0]!.ws.send('not json');
    expect((await k.run('ok')).status).toBe('ok');
    expect(errors.map((e) => e.code)).toEqual(['malformed', 'malformed']);
  });

  it('tracks status from iopub and emits status events; the unsubscribe works', async () => {
    const k = await connect();
    const seen: string[] = [];
    const off = k.on('status', (s) => seen.push(s));
    await k.run('1');
    off();
    await k.run('2');
    expect(seen).toEqual(['busy', 'idle']);
    expect(k.status).toBe('idle');
  });

  it('routes unsolicited traffic (other parents) to messages(), not to requests', async () => {
    const k = await connect();
    const it = k.messages();
    server.sockets[0]!.send('iopub', 'stream', { name: 'stdout', text: 'other' }, { msg_id: 'theirs', msg_type: 'execute_request', session: 'other', username: '', date: '', version: '5.3' });
    const first = await it.next();
    expect(first.value!.header.msg_type).toBe('stream');
    await k.run('mine');
    await it.return!();
  });

  it('opens a comm from the client with a binary buffer and receives comm_msg from the kernel', async () => {
    const k = await connect();
    server.behaviour = (msg, s) => {
      if (msg.header.msg_type === 'comm_msg') {
        const c = msg.content as { comm_id: string; data: unknown };
        s.send('iopub', 'comm_msg', { comm_id: c.comm_id, data: { echo: c.data } }, msg.header, [new Uint8Array(msg.buffers[0] as Uint8Array).reverse()]);
        s.send('iopub', 'comm_close', { comm_id: c.comm_id, data: {} }, msg.header);
      }
    };
    const comm = k.createComm('my_target', { hello: 1 });
    comm.send({ n: 2 }, undefined, [new Uint8Array([1, 2, 3])]);
    const got = [];
    for await (const m of comm) got.push(m);
    expect(got).toHaveLength(1);
    expect(got[0]!.content.data).toEqual({ echo: { n: 2 } });
    expect(Array.from(got[0]!.buffers[0] as Uint8Array)).toEqual([3, 2, 1]);
    expect(server.received[0]!.content).toMatchObject({ target_name: 'my_target', data: { hello: 1 } });
    expect(comm.isClosed).toBe(true);
    // Sending on it now is a typed error of the SDK's, like every other.
    expect(() => comm.send({ late: true })).toThrow(KernelChannelError);
    expect(() => comm.send({ late: true })).toThrow(expect.objectContaining({ code: 'closed' }));
  });

  it('hands a comm the kernel opens to the registered target', async () => {
    const k = await connect();
    const opened = new Promise<{ id: string; data: unknown }>((resolve) => {
      k.registerCommTarget('from_kernel', (comm, msg) => {
        comm.onMsg((m) => resolve({ id: comm.commId, data: m.content.data }));
        expect(msg.content.data).toEqual({ a: 1 });
        comm.send({ ready: true });
      });
    });
    server.behaviour = (msg, s) => {
      if (msg.header.msg_type === 'comm_msg') s.send('iopub', 'comm_msg', { comm_id: 'kc1', data: { pong: true } }, msg.header);
    };
    server.sockets[0]!.send('iopub', 'comm_open', { comm_id: 'kc1', target_name: 'from_kernel', data: { a: 1 } });
    expect(await opened).toEqual({ id: 'kc1', data: { pong: true } });
  });

  it('interrupts through REST, or with a control interrupt_request when interrupt_mode is message', async () => {
    let k = await connect();
    await k.interrupt();
    expect(server.rest.at(-1)).toBe(`POST /api/kernels/${KID}/interrupt`);
    await k.close();
    await server.close();
    k = await connect({ interruptMode: 'message' });
    await k.interrupt();
    expect(server.received.at(-1)!.channel).toBe('control');
    expect(server.received.at(-1)!.header.msg_type).toBe('interrupt_request');
    expect(server.rest.some((r) => r.endsWith('/interrupt'))).toBe(false);
  });

  it('an AbortSignal interrupts the kernel and rejects the execute with APIUserAbortError', async () => {
    const k = await connect();
    server.behaviour = () => {};
    const ac = new AbortController();
    const exec = k.execute('sleep', { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    await expect(exec.reply).rejects.toBeInstanceOf(APIUserAbortError);
    await expect(collect(exec)).rejects.toBeInstanceOf(APIUserAbortError);
    await vi.waitFor(() => expect(server.rest.some((r) => r.endsWith('/interrupt'))).toBe(true));
  });

  it('rejects pending requests with restarted when the iopub shutdown_reply of a REST restart arrives', async () => {
    const k = await connect();
    server.behaviour = () => {};
    const exec = k.execute('long');
    const info = k.kernelInfo();
    await vi.waitFor(() => expect(server.received).toHaveLength(2));
    const reopened = server.nextSocket();
    server.sockets[0]!.send('iopub', 'shutdown_reply', { status: 'ok', restart: true }, { msg_id: 's', msg_type: 'shutdown_request', session: 'server', username: '', date: '', version: '5.3' });
    await expect(exec.reply).rejects.toMatchObject({ code: 'restarted' });
    await expect(info).rejects.toBeInstanceOf(KernelChannelError);
    server.behaviour = echoKernel;
    const second = await reopened;
    expect(new URL(second.req.url!, 'http://x').searchParams.get('session_id')).toBe(k.clientId);
    expect((await k.run('after')).status).toBe('ok');
  });

  describe('restart()', () => {
    /** Holds `POST .../restart` until the returned function is called (with the status to answer). */
    function holdRestart(): { reached: Promise<void>; answer: (status?: number) => void } {
      let answer!: (status?: number) => void;
      let reached!: () => void;
      const answered = new Promise<number | void>((r) => (answer = r));
      const arrived = new Promise<void>((r) => (reached = r));
      server.onRestart = () => (reached(), answered);
      return { reached: arrived, answer };
    }
    const shutdownReply = (sock: FakeSocket) =>
      sock.send('iopub', 'shutdown_reply', { status: 'ok', restart: true }, { msg_id: 's', msg_type: 'shutdown_request', session: 'server', username: '', date: '', version: '5.3' });

    it('resolves once a socket reopened after the server answered completed its kernel_info: status is the kernel\'s, also without a shutdown_reply', async () => {
      const k = await connect();
      server.behaviour = () => {};
      const inFlight = k.execute('long');
      await vi.waitFor(() => expect(server.received).toHaveLength(1));
      const held = holdRestart();
      const restarted = k.restart();
      await held.reached;
      // Made while the restart is on: it waits for the new kernel instead of reaching the old one.
      const during = k.execute('during');
      server.behaviour = echoKernel;
      const statuses: string[] = [];
      k.on('status', (s) => statuses.push(s));
      const reopened = server.nextSocket();
      held.answer();
      await restarted;
      // The server never sent a shutdown_reply (it comes late, or not at all): restart() cut the request off itself.
      await expect(inFlight.reply).rejects.toMatchObject({ code: 'restarted' });
      expect(statuses.slice(0, 3)).toEqual(['restarting', 'connecting', 'unknown']);
      expect(statuses.at(-1)).toBe('idle');
      expect(k.status).toBe('idle');
      const second = await reopened;
      expect(server.sockets).toHaveLength(2);
      expect(new URL(second.req.url!, 'http://x').searchParams.get('session_id')).toBe(k.clientId);
      expect((await during.reply).status).toBe('ok');
      expect(server.received.map((m) => (m.content as { code?: string }).code)).toEqual(['long', 'during']);
    });

    it('a shutdown_reply while the server has not answered cuts off what was sent, and the socket is reopened only after the answer', async () => {
      const k = await connect();
      server.behaviour = () => {};
      const inFlight = k.execute('long');
      await vi.waitFor(() => expect(server.received).toHaveLength(1));
      const held = holdRestart();
      const restarted = k.restart();
      await held.reached;
      const during = k.execute('during');
      const restarting = new Promise<void>((r) => k.on('status', (s) => s === 'restarting' && r()));
      shutdownReply(server.sockets[0]!);
      await restarting;
      await expect(inFlight.reply).rejects.toMatchObject({ code: 'restarted' });
      // Not reopened yet: a socket opened now could still reach the kernel being shut down.
      expect(k.status).toBe('restarting');
      expect(server.sockets).toHaveLength(1);
      server.behaviour = echoKernel;
      held.answer();
      await restarted;
      expect(k.status).toBe('idle');
      expect(server.sockets).toHaveLength(2);
      expect((await during.reply).status).toBe('ok');
    });

    it('rejects with the server error and keeps the socket when the restart fails before the kernel went down', async () => {
      const k = await connect();
      const held = holdRestart();
      const restarted = k.restart().catch((e: unknown) => e);
      await held.reached;
      const during = k.execute('during');
      held.answer(500);
      expect(await restarted).toMatchObject({ name: 'InternalServerError', status: 500 });
      expect((await during.reply).status).toBe('ok');
      expect(server.sockets).toHaveLength(1);
    });

    it('rejects with KernelChannelError timeout when the new kernel does not answer on the reopened socket within the timeout, and stays open', async () => {
      const k = await connect({}, { timeout: 300 });
      // From the next socket on, nothing answers, the probe included.
      server.behaviour = () => {};
      server.answerProbe = true;
      const err = await k.restart().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KernelChannelError);
      expect(err).toMatchObject({ code: 'timeout', message: `Kernel ${KID} restarted, but did not answer on the reopened connection within 300 ms` });
      expect(server.sockets).toHaveLength(2);
      expect(k.isClosed).toBe(false);
    });

    it('rejects with the connection\'s error when the connection ends while it waits', async () => {
      const k = await connect();
      server.behaviour = () => {};
      server.answerProbe = true;
      const restarted = k.restart().catch((e: unknown) => e);
      await server.nextSocket();
      await k.close();
      expect(await restarted).toMatchObject({ code: 'closed' });
    });

    it('a reconnect loop that the reopened socket superseded does not end the connection when its last attempt fails', async () => {
      const k = await connect({}, { maxReconnects: 1, reconnectDelay: 1, timeout: 500 });
      const held = holdRestart();
      const restarted = k.restart();
      await held.reached;
      // The socket drops while the server has not answered: the reconnect attempt's upgrade is held
      // until it times out on the client, after restart() reopened the socket anyway.
      let stalled!: (req: import('node:http').IncomingMessage) => void;
      const stalledReq = new Promise<import('node:http').IncomingMessage>((r) => (stalled = r));
      server.onUpgrade = (req) => {
        server.onUpgrade = undefined;
        stalled(req);
        return new Promise<void>(() => {});
      };
      server.sockets[0]!.ws.terminate();
      const req = await stalledReq;
      // The client's FIN (the server's socket is half-open): read and drop what comes, or it never shows.
      const gaveUp = new Promise<void>((r) => req.socket.once('end', () => r()));
      req.socket.resume();
      held.answer();
      await restarted;
      await gaveUp;
      req.socket.destroy();
      expect((await k.run('after')).status).toBe('ok');
      expect(k.isClosed).toBe(false);
      expect(k.status).toBe('idle');
    });
  });

  it('a request with its reply in completes instead of rejecting on restart', async () => {
    const k = await connect();
    server.behaviour = (msg, s) => s.send('shell', 'execute_reply', { status: 'ok', execution_count: 9 }, msg.header);
    const exec = k.execute('x', { idleTimeout: 60_000 });
    await exec.reply;
    server.sockets[0]!.send('iopub', 'status', { execution_state: 'restarting' });
    await expect(exec.done).resolves.toMatchObject({ execution_count: 9 });
  });

  it('rejects with dead when the kernel dies (restarting status) and on a shutdown (shutdown_reply without restart) closes', async () => {
    const k = await connect();
    server.behaviour = () => {};
    const a = k.execute('a');
    const reopened = server.nextSocket();
    server.sockets[0]!.send('iopub', 'status', { execution_state: 'restarting' });
    await expect(a.reply).rejects.toMatchObject({ code: 'dead' });
    // As JupyterLab does, the socket is reopened after a restart (same session id).
    const second = await reopened;
    server.behaviour = echoKernel;
    expect((await k.run('after restart')).status).toBe('ok');
    server.behaviour = () => {};
    const b = k.execute('b');
    const closed = new Promise((r) => second.ws.on('close', r));
    second.send('iopub', 'shutdown_reply', { status: 'ok', restart: false });
    await expect(b.reply).rejects.toMatchObject({ code: 'dead' });
    await closed;
    expect(k.status).toBe('dead');
    await expect(k.kernelInfo()).rejects.toMatchObject({ code: 'dead' });
  });

  it('close() rejects pending requests with closed and ends messages()', async () => {
    const k = await connect();
    server.behaviour = () => {};
    const exec = k.execute('x');
    const it = k.messages();
    await k.close();
    await expect(exec.reply).rejects.toMatchObject({ code: 'closed' });
    expect(await it.next()).toEqual({ value: undefined, done: true });
    expect(k.status).toBe('disconnected');
  });

  it('reconnects with the same session id after a drop and replays queued sends', async () => {
    const k = await connect({}, { reconnectDelay: 10 });
    const first = server.sockets[0]!;
    const next = server.nextSocket();
    first.ws.terminate();
    const second = await next;
    const url = (s: typeof first) => new URL(s.req.url!, 'http://x').searchParams.get('session_id');
    expect(url(second)).toBe(url(first));
    expect((await k.run('again')).status).toBe('ok');
  });

  it('holds sends made while (re)connecting until the kernel_info probe after the open is done', async () => {
    const k = await connect({}, { reconnectDelay: 5 });
    let probeDone = false;
    server.answerProbe = true;
    server.behaviour = (msg, s) => {
      if (msg.header.msg_type === 'kernel_info_request') {
        // Answer the probe late; nothing queued may overtake it.
        setTimeout(() => ((probeDone = true), echoKernel(msg, s)), 50);
      } else {
        expect(probeDone).toBe(true);
        echoKernel(msg, s);
      }
    };
    const next = server.nextSocket();
    const dropped = new Promise<void>((r) => k.on('status', (st) => st === 'connecting' && r()));
    server.sockets[0]!.ws.terminate();
    await dropped;
    const run = k.run('queued');
    await next;
    expect((await run).status).toBe('ok');
    expect(probeDone).toBe(true);
  });

  it('gives up after maxReconnects with reconnect-failed and rejects pending requests', async () => {
    const k = await connect({}, { reconnectDelay: 5, maxReconnects: 2 });
    server.behaviour = () => {};
    const exec = k.execute('x');
    const errors: KernelChannelError[] = [];
    k.on('error', (e) => errors.push(e));
    await vi.waitFor(() => expect(server.received).toHaveLength(1));
    await server.close();
    await expect(exec.reply).rejects.toMatchObject({ code: 'reconnect-failed' });
    expect(errors.map((e) => e.code)).toContain('reconnect-failed');
    expect(k.status).toBe('disconnected');
  });

  it('does not reconnect after the server closes with 1000', async () => {
    const k = await connect({}, { reconnectDelay: 5 });
    server.sockets[0]!.ws.close(1000);
    await vi.waitFor(() => expect(k.status).toBe('disconnected'));
    await new Promise((r) => setTimeout(r, 50));
    expect(server.sockets).toHaveLength(1);
  });

  it('narrows messages with isMessageType', async () => {
    const k = await connect();
    let text = '';
    for await (const m of k.execute('abc')) if (isMessageType(m, 'stream')) text += m.content.text;
    expect(text).toBe('abc');
  });
});

describe('KernelConnection handshake limits', () => {
  it('fails with KernelChannelError timeout when the server never answers the upgrade, and closes the attempt', async () => {
    const silent = await startSilentServer();
    try {
      const client = new JupyterClient({ baseUrl: silent.url, token: 'tok-handshake-1' });
      const err = await client.kernels.connect(KID, { timeout: 300 }).catch((e) => e);
      expect(err).toBeInstanceOf(KernelChannelError);
      expect(err.code).toBe('timeout');
      expect(err.message).toMatch(/timed out after 300 ms/);
      expect(err.message).not.toContain('tok-handshake-1');
      await vi.waitFor(() => expect(silent.closedByClient).toBe(silent.accepted));
    } finally {
      await silent.close();
    }
  });

  it("uses the client's timeout when the connection sets none", async () => {
    const silent = await startSilentServer();
    try {
      const client = new JupyterClient({ baseUrl: silent.url, token: 't', timeout: 200 });
      await expect(client.kernels.connect(KID)).rejects.toMatchObject({ name: 'KernelChannelError', code: 'timeout' });
    } finally {
      await silent.close();
    }
  });

  it('rejects with APIUserAbortError when the signal aborts during the handshake, or was aborted before', async () => {
    const silent = await startSilentServer();
    try {
      const client = new JupyterClient({ baseUrl: silent.url, token: 't' });
      const ac = new AbortController();
      const pending = client.kernels.connect(KID, { signal: ac.signal, timeout: 10_000 });
      await vi.waitFor(() => expect(silent.accepted).toBe(1));
      ac.abort();
      await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
      await expect(client.kernels.connect(KID, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(APIUserAbortError);
    } finally {
      await silent.close();
    }
  });

  it('an abort after the connection opened does not close it', async () => {
    const ac = new AbortController();
    const k = await connect({}, { signal: ac.signal });
    ac.abort();
    expect((await k.run('x')).status).toBe('ok');
    expect(k.isClosed).toBe(false);
  });
});

describe('KernelConnection with an injected WebSocket', () => {
  beforeEach(() => {});
  it('uses the per-connection constructor and puts the token in the query as well', async () => {
    const { WebSocket } = await import('ws');
    const spy = vi.fn(function (this: unknown, url: string, protocols: string[], opts: unknown) {
      return new WebSocket(url, protocols, opts as never);
    });
    const k = await connect({}, { WebSocket: spy as never });
    expect(spy).toHaveBeenCalledOnce();
    expect(new URL(spy.mock.calls[0]![0]).searchParams.get('token')).toBe(server.token);
    expect((await k.run('x')).status).toBe('ok');
  });
});
