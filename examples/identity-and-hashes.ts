/**
 * What Jupyter Server 2.x adds to the REST API: who the server takes you for (and what you may
 * do), and content hashes. On 1.x, `me()` is a NotFoundError and hashes are simply absent.
 * Uses JUPYTER_URL and JUPYTER_TOKEN when set; otherwise starts a local Jupyter server for the run
 * (with the Python in JUPYTER_SDK_PYTHON when set).
 *   npm run example examples/identity-and-hashes.ts
 */
import { JupyterClient, NotFoundError } from 'jupyter-sdk';
import { startJupyterServer } from 'jupyter-sdk/server';

const local = process.env.JUPYTER_URL ? undefined : await startJupyterServer({ python: process.env.JUPYTER_SDK_PYTHON || undefined });
const jupyter = new JupyterClient({
  baseUrl: process.env.JUPYTER_URL ?? local!.url,
  token: process.env.JUPYTER_TOKEN ?? local!.token,
});

try {
  try {
    // One client is one identity: 2.x remembers it in a cookie, which the client keeps.
    const { identity, permissions } = await jupyter.me({ permissions: { contents: ['read', 'write'], kernels: ['execute'] } });
    const again = await jupyter.me();
    console.log('identity:', identity.display_name, again.identity.username === identity.username ? '(stable)' : '(changed!)');
    console.log('granted:', JSON.stringify({ contents: permissions.contents, kernels: permissions.kernels }));
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    console.log('identity: none (this server has no /api/me)');
  }

  await jupyter.contents.save('hashed.txt', { type: 'file', format: 'text', content: 'hello\n' });
  const model = await jupyter.contents.get('hashed.txt', { content: false, hash: true });
  console.log('hash:', model.hash ? `${model.hash_algorithm} ${model.hash}` : 'not offered by this server');
  // Directories have no hash; asking is harmless (the client does not pass it on).
  console.log('root:', (await jupyter.contents.get('', { hash: true })).type);
  await jupyter.contents.delete('hashed.txt');
} finally {
  await local?.stop();
}
