// Malformed kernel messages with a pending request's parent id never become outputs, statuses or
// replies: each is dropped with a KernelChannelError 'malformed' event, and the request goes on.
import { afterEach, describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import { JupyterClient, KernelChannelError, type KernelConnection } from 'jupyter-sdk';
import { startFakeServer, type FakeServer, type FakeSocket } from './fake-kernel.js';
import type { Message } from '../../src/kernel/messages.js';
import schema from './fixtures/nbformat-output.schema.json' with { type: 'json' };

const KID = '11111111-2222-3333-4444-555555555555';
const validOutput = new Ajv({ strict: false, allErrors: true }).compile(schema);
let server: FakeServer;
let kernel: KernelConnection | undefined;

afterEach(async () => {
  await kernel?.close();
  kernel = undefined;
  await server?.close();
});

async function connect(): Promise<{ k: KernelConnection; errors: KernelChannelError[] }> {
  server = await startFakeServer();
  kernel = await new JupyterClient({ baseUrl: server.url, token: server.token }).kernels.connect(KID);
  const errors: KernelChannelError[] = [];
  kernel.on('error', (e) => errors.push(e));
  return { k: kernel, errors };
}

type Frame = [channel: Message['channel'], type: string, content: Record<string, unknown>];

/** A kernel that answers an execute with `frames` (parented to it) between busy and a genuine reply + idle. */
function answerWith(frames: (parent: Message['header']) => Frame[]) {
  return (msg: Message, s: FakeSocket) => {
    const p = msg.header;
    s.send('iopub', 'status', { execution_state: 'busy' }, p);
    for (const [channel, type, content] of frames(p)) s.send(channel, type, content, p);
    s.send('iopub', 'stream', { name: 'stdout', text: 'genuine\n' }, p);
    s.send('shell', 'execute_reply', { status: 'ok', execution_count: 7, user_expressions: {} }, p);
    s.send('iopub', 'status', { execution_state: 'idle' }, p);
  };
}

describe('malformed kernel messages', () => {
  it('drops each malformed message of a request with a malformed error event; outputs and reply come from the genuine ones', async () => {
    const { k, errors } = await connect();
    const bad: Frame[] = [
      ['iopub', 'display_data', { data: null, metadata: 5 }],
      ['iopub', 'stream', { name: 'stdout', text: null }],
      ['iopub', 'stream', { name: 5, text: 'x' }],
      ['iopub', 'stream', {}],
      ['iopub', 'execute_result', { data: { 'text/plain': '1' }, metadata: {}, execution_count: 'one' }],
      ['iopub', 'execute_result', { data: { 'text/plain': '1' }, metadata: {}, execution_count: -1 }],
      ['iopub', 'display_data', { data: { 'text/plain': 5 }, metadata: {} }],
      ['iopub', 'display_data', { data: { 'image/png': ['a', 1] }, metadata: {} }],
      ['iopub', 'display_data', { data: [], metadata: {} }],
      ['iopub', 'display_data', { data: { 'text/plain': 'x' }, metadata: {}, transient: { display_id: 3 } }],
      ['iopub', 'update_display_data', { data: 'x', metadata: {}, transient: { display_id: 'd' } }],
      ['iopub', 'error', { ename: 'E', evalue: 'v', traceback: 'not a list' }],
      ['iopub', 'error', { ename: null, evalue: 'v', traceback: [] }],
      ['iopub', 'clear_output', { wait: 'yes' }],
      ['iopub', 'status', { execution_state: 5 }],
      ['iopub', 'status', {}],
      ['shell', 'execute_reply', { status: 'bogus', execution_count: 1 }],
      ['shell', 'execute_reply', { status: 'ok', execution_count: 'x' }],
      ['shell', 'execute_reply', {}],
    ];
    server.behaviour = answerWith(() => bad);
    const iterated: string[] = [];
    const exec = k.execute('x');
    for await (const m of exec) iterated.push(m.header.msg_type);
    const r = await k.run('x');
    // The iteration saw only the genuine messages: busy, the stream, idle.
    expect(iterated).toEqual(['status', 'stream', 'status']);
    expect((await exec.reply).status).toBe('ok');
    expect(r).toEqual({ status: 'ok', executionCount: 7, outputs: [{ output_type: 'stream', name: 'stdout', text: 'genuine\n' }], error: undefined });
    expect(errors).toHaveLength(2 * bad.length);
    for (const e of errors) {
      expect(e).toBeInstanceOf(KernelChannelError);
      expect(e.code).toBe('malformed');
    }
    expect(errors[0]!.message).toMatch(/display_data/);
    // A dropped `status: 5` did not become the connection's status either.
    expect(k.status).toBe('idle');
  });

  it('drops frames that are not messages (content or parent_header not objects) and keeps working', async () => {
    const { k, errors } = await connect();
    const sock = server.sockets[0]!;
    server.behaviour = (msg, s) => {
      const p = msg.header;
      const frame = (m: Record<string, unknown>) => sock.ws.send(JSON.stringify(m));
      s.send('iopub', 'status', { execution_state: 'busy' }, p);
      // Whatever the wire format, a JSON text frame is decoded as a legacy message.
      frame({ channel: 'iopub', header: { ...p, msg_type: 'stream', msg_id: 'm1' }, parent_header: p, metadata: {}, content: [] });
      frame({ channel: 'iopub', header: { ...p, msg_type: 'stream', msg_id: 'm2' }, parent_header: 'p', metadata: {}, content: {} });
      frame({ channel: 'iopub', header: { ...p, msg_type: 'stream', msg_id: 'm3' }, parent_header: p, metadata: 7, content: {} });
      frame({ channel: 'iopub', header: null, parent_header: p, metadata: {}, content: {} });
      frame({ header: { ...p, msg_type: 'stream', msg_id: 'm4' }, parent_header: p, metadata: {}, content: { name: 'stdout', text: 'x' } });
      s.send('shell', 'execute_reply', { status: 'ok', execution_count: 1 }, p);
      s.send('iopub', 'status', { execution_state: 'idle' }, p);
    };
    const r = await k.run('x');
    expect(r.status).toBe('ok');
    expect(r.outputs).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['malformed', 'malformed', 'malformed', 'malformed', 'malformed']);
  });

  it('fuzz: 1,000 randomly garbled output messages; every output is valid nbformat and exactly the invalid ones are reported', async () => {
    const { k, errors } = await connect();
    // A small seeded generator, so a failure can be replayed.
    let seed = 0x2545f491;
    const rand = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const junk: unknown[] = [
      null, 5, -1, 1.5, 'x', true, [], ['a'], [1], {}, { 'text/plain': 'x' }, { 'text/plain': 5 }, { 'text/plain': ['a', 'b'] },
      { 'application/json': { a: [1] } }, { 'application/vnd.x+json': [1, null] }, { 'image/png': ['a', 'b'] }, { 'text/html': null },
      { 'image/svg+xml': { not: 'text' } }, undefined,
    ];
    const valid: Record<string, () => Record<string, unknown>> = {
      display_data: () => ({ data: { 'text/plain': 'd' }, metadata: {} }),
      execute_result: () => ({ data: { 'text/plain': 'r' }, metadata: {}, execution_count: 3 }),
      error: () => ({ ename: 'E', evalue: 'v', traceback: ['t'] }),
    };
    const types = Object.keys(valid);
    const frames: Frame[] = [];
    for (let i = 0; i < 1000; i++) {
      const type = types[rand(types.length)]!;
      const content = valid[type]!();
      const keys = Object.keys(content);
      for (let n = 1 + rand(2); n > 0; n--) content[keys[rand(keys.length)]!] = junk[rand(junk.length)];
      frames.push(['iopub', type, content]);
    }
    // The oracle: the output nbformat would store for each message, checked against nbformat's schema.
    const candidates = frames.map(([, type, c]) => {
      const { data, metadata, execution_count, ename, evalue, traceback } = c;
      if (type === 'error') return { output_type: type, ename, evalue, traceback };
      const out: Record<string, unknown> = { output_type: type, data, metadata: metadata ?? {} };
      if (type === 'execute_result') out.execution_count = execution_count;
      return out;
    });
    // Sent as JSON, so an `undefined` field arrives absent.
    const expected = candidates.filter((o) => validOutput(JSON.parse(JSON.stringify(o))));
    expect(expected.length).toBeGreaterThan(50);
    expect(expected.length).toBeLessThan(950);
    server.behaviour = answerWith(() => frames);
    const r = await k.run('fuzz');
    expect(r.status).toBe('ok');
    expect(r.executionCount).toBe(7);
    for (const o of r.outputs) expect(validOutput(o), JSON.stringify(o)).toBe(true);
    expect(r.outputs).toEqual([...expected, { output_type: 'stream', name: 'stdout', text: 'genuine\n' }]);
    expect(errors).toHaveLength(frames.length - expected.length);
    expect(errors.every((e) => e.code === 'malformed')).toBe(true);
  });
});
