// A server forced to the legacy protocol (kernel_ws_protocol=''): it selects no
// subprotocol although v1 is offered, `ws` aborts that handshake, and the channel must retry
// without subprotocols and speak JSON, binary buffers included.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startJupyterServer, type LocalJupyterServer } from 'jupyter-sdk/server';
import { JupyterClient, type KernelConnection } from 'jupyter-sdk';

let server: LocalJupyterServer;
let jupyter: JupyterClient;
let kernel: KernelConnection;

beforeAll(async () => {
  const { python, major } = inject('jupyter');
  // 2.x moved the setting to the connection class (its ServerApp alias no longer takes effect).
  const legacy = major === 1 ? '--ServerApp.kernel_ws_protocol=' : '--ZMQChannelsWebsocketConnection.kernel_ws_protocol=';
  server = await startJupyterServer({ extraArgs: [legacy], python });
  jupyter = new JupyterClient({ baseUrl: server.url, token: server.token });
  const { id } = await jupyter.kernels.start({ name: 'python3' });
  kernel = await jupyter.kernels.connect(id);
});
afterAll(async () => {
  await kernel?.close();
  await server?.stop();
});

describe('a legacy-only server', () => {
  it('falls back to the JSON format after the v1 offer is refused, and executes', async () => {
    expect(kernel.protocol).toBe('json');
    const r = await kernel.run('print("legacy")\n1+2');
    expect(r.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'legacy\n' },
      { output_type: 'execute_result', execution_count: r.executionCount, data: { 'text/plain': '3' }, metadata: {} },
    ]);
  });

  it('remembers per client that the server has no v1: a later connect offers no subprotocol', async () => {
    const { WebSocket } = await import('ws');
    const offered: unknown[] = [];
    const Counting = class extends WebSocket {
      constructor(url: string, protocols?: string | string[], options?: object) {
        offered.push(protocols);
        super(url, protocols, options);
      }
    };
    const client = new JupyterClient({ baseUrl: server.url, token: server.token, WebSocket: Counting as never });
    for (let i = 0; i < 2; i++) {
      const k = await client.kernels.connect(kernel.id, { tokenInQuery: false });
      expect(k.protocol).toBe('json');
      await k.close();
    }
    expect(offered).toEqual([['v1.kernel.websocket.jupyter.org'], [], []]);
  });

  it('round-trips comm binary buffers with legacy binary frames', async () => {
    await kernel.run(
      [
        'def _t(comm, open_msg):',
        '    @comm.on_msg',
        '    def _r(msg):',
        "        comm.send({'n': len(msg['buffers'])}, buffers=[bytes(msg['buffers'][0])[::-1]])",
        "get_ipython().kernel.comm_manager.register_target('legacy_echo', _t)",
      ].join('\n'),
    );
    const comm = kernel.createComm('legacy_echo');
    comm.send({}, undefined, [new Uint8Array([1, 2, 3])]);
    const { value } = await comm[Symbol.asyncIterator]().next();
    expect(value!.content.data).toEqual({ n: 1 });
    expect(Array.from(value!.buffers[0] as Uint8Array)).toEqual([3, 2, 1]);
    comm.close();
  });
});
