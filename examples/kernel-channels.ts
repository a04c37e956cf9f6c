/**
 * The kernel channel: streamed outputs, nbformat outputs, stdin, introspection, comms, status,
 * interrupt and restart — every call of README's "Kernel channels" section.
 * Uses JUPYTER_URL and JUPYTER_TOKEN when set; otherwise starts a local Jupyter server for the run.
 *   npm run example examples/kernel-channels.ts
 */
import { JupyterClient, KernelChannelError, isMessageType } from 'jupyter-sdk';
import { startJupyterServer } from 'jupyter-sdk/server';

const local = process.env.JUPYTER_URL ? undefined : await startJupyterServer();
const jupyter = new JupyterClient({
  baseUrl: process.env.JUPYTER_URL ?? local!.url,
  token: process.env.JUPYTER_TOKEN ?? local!.token,
});

const { id } = await jupyter.kernels.start({ name: 'python3' });
try {
  const kernel = await jupyter.kernels.connect(id, { timeout: 30_000 });
  const statuses = new Set<string>();
  kernel.on('status', (s) => statuses.add(s));

  // Stream the messages of one request; the iterator ends after the reply and `status: idle`.
  const run = kernel.execute('for i in range(3): print(i)');
  for await (const msg of run) {
    if (isMessageType(msg, 'stream')) process.stdout.write(msg.content.text);
  }
  console.log('reply:', (await run.reply).status);

  // Or collect nbformat outputs.
  const { status, executionCount, outputs, error, incomplete } = await kernel.run('1 + 1');
  console.log('run:', status, executionCount, JSON.stringify(outputs), error);
  // Set only when outputs may be missing (see README, "When a request is complete").
  if (incomplete) console.log('some output of this run may have been lost');

  // stdin: the kernel's input() is answered by onInput.
  const asked = await kernel.run('name = input("name? "); print("hello", name)', { onInput: (prompt) => (console.log('asked', prompt), 'Ada') });
  console.log('stdin:', JSON.stringify(asked.outputs));

  // Introspection.
  console.log('complete:', (await kernel.complete('import o', 8)).matches.slice(0, 3));
  console.log('inspect:', (await kernel.inspect('print', 5)).found);
  console.log('isComplete:', (await kernel.isComplete('for i in x:')).status);
  console.log('history:', (await kernel.history({ hist_access_type: 'tail', n: 2 })).history.length, 'entries');

  // Comms both ways: one the kernel opens to our target, one we open to a target in the kernel.
  const fromKernel = new Promise<unknown>((resolve) =>
    kernel.registerCommTarget('from_kernel', (comm, openMsg) => {
      comm.onMsg((m) => resolve(m.content.data));
      console.log('kernel opened a comm with', JSON.stringify(openMsg.content.data));
    }),
  );
  await kernel.run(
    [
      'from ipykernel.comm import Comm',
      'c = Comm(target_name="from_kernel", data={"hello": "client"})',
      'c.send({"n": 1})',
      'def _echo(comm, msg):',
      '    comm.on_msg(lambda m: comm.send({"echo": m["content"]["data"]}))',
      'get_ipython().kernel.comm_manager.register_target("my_target", _echo)',
    ].join('\n'),
  );
  console.log('comm message from the kernel:', JSON.stringify(await fromKernel));
  const comm = kernel.createComm('my_target');
  const echoed = new Promise<unknown>((resolve) => comm.onMsg((m) => resolve(m.content.data)));
  comm.send({ ping: 42 });
  console.log('comm echo:', JSON.stringify(await echoed));
  comm.close();

  // Interrupt a long computation; the request ends with a KeyboardInterrupt error.
  const sleeping = kernel.run('import time; time.sleep(60)');
  setTimeout(() => void kernel.interrupt(), 500);
  console.log('interrupted:', (await sleeping).error?.ename);

  // Restart: state is gone, the connection keeps working.
  await kernel.run('x = 1');
  await kernel.restart();
  console.log('after restart, x defined:', JSON.stringify((await kernel.run("'x' in globals()")).outputs[0]));

  console.log('statuses seen:', [...statuses].join(', '));
  await kernel.close();
  await kernel.kernelInfo().catch((e: unknown) => console.log('after close:', e instanceof KernelChannelError ? e.code : e));
} finally {
  await jupyter.kernels.shutdown(id).catch(() => undefined);
  await local?.stop();
}
