// The kernel channel against the real Jupyter Server (both wire formats).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JupyterClient, isMessageType, type KernelConnection } from 'jupyter-sdk';

const { url, token } = inject('jupyter');
const jupyter = new JupyterClient({ baseUrl: url, token });

describe.each(['v1', 'json'] as const)('kernel channel (%s wire format)', (protocol) => {
  let kernelId: string;
  let kernel: KernelConnection;

  beforeAll(async () => {
    kernelId = (await jupyter.kernels.start({ name: 'python3' })).id;
    kernel = await jupyter.kernels.connect(kernelId, { protocol });
  });
  afterAll(async () => {
    await kernel?.close();
    await jupyter.kernels.shutdown(kernelId);
  });

  it('negotiates the requested wire format', () => {
    expect(kernel.protocol).toBe(protocol);
  });

  it('runs print and an expression: stream and execute_result outputs, execution count', async () => {
    const r = await kernel.run('print("hello")\nprint("world")\n6*7');
    expect(r.status).toBe('ok');
    expect(r.executionCount).toBeGreaterThan(0);
    expect(r.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'hello\nworld\n' },
      { output_type: 'execute_result', execution_count: r.executionCount, data: { 'text/plain': '42' }, metadata: {} },
    ]);
    expect(kernel.status).toBe('idle');
  });

  it('iterates the iopub messages of one execute: busy, execute_input, stream, idle', async () => {
    const exec = kernel.execute('print(1)');
    const types: string[] = [];
    let text = '';
    for await (const m of exec) {
      types.push(m.header.msg_type);
      if (isMessageType(m, 'stream')) text += m.content.text;
    }
    expect(types[0]).toBe('status');
    expect(types).toContain('execute_input');
    expect(types.at(-1)).toBe('status');
    expect(text).toBe('1\n');
    expect((await exec.reply).status).toBe('ok');
  });

  it('collects display_data and applies update_display_data to an earlier run', async () => {
    const first = await kernel.run("from IPython.display import display, update_display\ndisplay({'text/plain': 'first'}, raw=True, display_id='d1');");
    expect(first.outputs).toEqual([{ output_type: 'display_data', data: { 'text/plain': 'first' }, metadata: {} }]);
    const second = await kernel.run("update_display({'text/plain': 'second'}, raw=True, display_id='d1');");
    expect(second.outputs).toEqual([]);
    expect(first.outputs[0]).toMatchObject({ data: { 'text/plain': 'second' } });
  });

  it('applies clear_output(wait=True) at the next output', async () => {
    const r = await kernel.run("from IPython.display import clear_output\nprint('a')\nclear_output(wait=True)\nprint('b')");
    expect(r.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'b\n' }]);
  });

  it('reports an exception as status error with the error output', async () => {
    const r = await kernel.run('1/0');
    expect(r.status).toBe('error');
    expect(r.error).toMatchObject({ ename: 'ZeroDivisionError', evalue: 'division by zero' });
    expect(r.outputs.at(-1)).toMatchObject({ output_type: 'error', ename: 'ZeroDivisionError' });
  });

  it('answers input() through onInput', async () => {
    const prompts: string[] = [];
    const r = await kernel.run("name = input('Name? ')\nprint('hi', name)", { onInput: (p) => (prompts.push(p), 'ana') });
    expect(prompts).toEqual(['Name? ']);
    expect(r.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'hi ana\n' }]);
  });

  it('answers kernelInfo, complete, inspect, isComplete and history', async () => {
    const info = await kernel.kernelInfo();
    expect(info.language_info.name).toBe('python');
    expect(info.protocol_version).toMatch(/^5\./);
    const c = await kernel.complete('import o', 8);
    expect(c.matches).toContain('os');
    const i = await kernel.inspect('len', 3);
    expect(i.found).toBe(true);
    expect(String(i.data['text/plain'])).toMatch(/len/);
    expect((await kernel.isComplete('for x in y:')).status).toBe('incomplete');
    expect((await kernel.isComplete('x = 1')).status).toBe('complete');
    await kernel.run('history_marker = 12345');
    const h = await kernel.history({ hist_access_type: 'tail', n: 5 });
    expect(h.history.map((e) => e[2])).toContain('history_marker = 12345');
  });

  it('hands a comm the kernel opens to the registered target, with binary buffers', async () => {
    const got = new Promise<{ open: unknown; msg: unknown; buffer: number[] }>((resolve) => {
      kernel.registerCommTarget('sdk_test_target', (comm, open) => {
        comm.onMsg((m) => resolve({ open: open.content.data, msg: m.content.data, buffer: Array.from(m.buffers[0] as Uint8Array) }));
      });
    });
    await kernel.run(
      "from ipykernel.comm import Comm\nc = Comm(target_name='sdk_test_target', data={'hello': 'kernel'})\nc.send(data={'n': 1}, buffers=[b'\\x01\\x02\\xff'])",
    );
    expect(await got).toEqual({ open: { hello: 'kernel' }, msg: { n: 1 }, buffer: [1, 2, 255] });
  });

  it('opens a comm from the client and round-trips a binary buffer', async () => {
    await kernel.run(
      [
        'def _sdk_target(comm, open_msg):',
        '    @comm.on_msg',
        '    def _recv(msg):',
        "        comm.send({'echo': msg['content']['data'], 'opened': open_msg['content']['data']}, buffers=[bytes(reversed(bytes(msg['buffers'][0])))])",
        "get_ipython().kernel.comm_manager.register_target('sdk_echo', _sdk_target)",
      ].join('\n'),
    );
    const comm = kernel.createComm('sdk_echo', { from: 'client' });
    const backing = new Uint8Array([9, 1, 2, 3, 250, 9]);
    comm.send({ x: 1 }, undefined, [backing.subarray(1, 5)]);
    const it = comm[Symbol.asyncIterator]();
    const { value } = await it.next();
    expect(value!.content.data).toEqual({ echo: { x: 1 }, opened: { from: 'client' } });
    expect(Array.from(value!.buffers[0] as Uint8Array)).toEqual([250, 3, 2, 1]);
    comm.close();
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });
});
