/**
 * Quick start: files, a kernel, and code run on it.
 * Uses JUPYTER_URL and JUPYTER_TOKEN when set; otherwise starts a local Jupyter server for the run.
 *   npm run example examples/quickstart.ts
 */
import { JupyterClient, NotFoundError } from 'jupyter-sdk';
import { startJupyterServer } from 'jupyter-sdk/server';

const local = process.env.JUPYTER_URL ? undefined : await startJupyterServer();
const jupyter = new JupyterClient({
  baseUrl: process.env.JUPYTER_URL ?? local!.url,
  token: process.env.JUPYTER_TOKEN ?? local!.token,
});

try {
  console.log('server', (await jupyter.version()).version);

  await jupyter.contents.save('hello.txt', { type: 'file', format: 'text', content: 'hello from jupyter-sdk\n' });
  const file = await jupyter.contents.get('hello.txt');
  console.log('read back:', file.type === 'file' ? file.content : file.type);

  try {
    await jupyter.contents.get('missing.ipynb');
  } catch (err) {
    if (err instanceof NotFoundError) console.log('as expected:', err.message);
    else throw err;
  }

  const { id } = await jupyter.kernels.start({ name: 'python3' });
  const kernel = await jupyter.kernels.connect(id);
  const result = await kernel.run('import sys; print(sys.version.split()[0]); 6 * 7');
  console.log(result.status, result.outputs);
  await kernel.close();
  await jupyter.kernels.shutdown(id);
} finally {
  await local?.stop();
}
