/**
 * Typed errors, timeouts, retries and aborts.
 *   npm run example examples/errors-and-aborts.ts
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  ConflictError,
  InvalidArgumentError,
  JupyterClient,
  NotFoundError,
  PermissionDeniedError,
} from 'jupyter-sdk';
import { startJupyterServer } from 'jupyter-sdk/server';

const local = process.env.JUPYTER_URL ? undefined : await startJupyterServer();
const baseUrl = process.env.JUPYTER_URL ?? local!.url;
const jupyter = new JupyterClient({ baseUrl, token: process.env.JUPYTER_TOKEN ?? local!.token, timeout: 10_000, maxRetries: 2 });

try {
  await jupyter.contents.save('a.txt', { type: 'file', format: 'text', content: 'a' });
  await jupyter.contents.save('b.txt', { type: 'file', format: 'text', content: 'b' });
  try {
    await jupyter.contents.rename('a.txt', 'b.txt');
  } catch (err) {
    if (err instanceof ConflictError) console.log('409, nothing overwritten:', err.serverMessage);
    else throw err;
  }

  try {
    await jupyter.contents.get('missing.ipynb');
  } catch (err) {
    if (err instanceof NotFoundError) console.log(err.status, err.method, err.url, '-', err.serverMessage);
    else throw err;
  }

  try {
    await new JupyterClient({ baseUrl, token: 'wrong-token-123' }).kernels.list();
  } catch (err) {
    // The wrong token never appears in the message or the URL.
    if (err instanceof PermissionDeniedError) console.log('403:', err.message);
    else throw err;
  }

  try {
    await jupyter.contents.get('../etc/passwd');
  } catch (err) {
    if (err instanceof InvalidArgumentError) console.log('refused before sending:', err.message);
    else throw err;
  }

  const ac = new AbortController();
  const pending = jupyter.kernels.list({ signal: ac.signal });
  ac.abort();
  await pending.catch((err) => console.log('aborted:', err instanceof APIUserAbortError));

  // An aborted start rejects at once; the kernel the server starts anyway is shut down in the background.
  const stop = new AbortController();
  const starting = jupyter.kernels.start({ name: 'python3' }, { signal: stop.signal });
  setTimeout(() => stop.abort(), 20);
  await starting.then(
    (kernel) => jupyter.kernels.shutdown(kernel.id),
    (err) => console.log('start aborted, nothing left running:', err instanceof APIUserAbortError),
  );

  // What fetch threw stays on a connection error as its `cause`.

  // Nothing listens on port 9 of loopback: a connection error, retried (GET is safe) then thrown.
  const offline = new JupyterClient({ baseUrl: 'http://127.0.0.1:9', maxRetries: 1 });
  await offline.status().catch((err) => console.log('connection error:', err instanceof APIConnectionError, 'cause:', String((err as Error).cause)));
  await offline
    .status({ timeout: 1, maxRetries: 0 })
    .catch((err) => console.log('timeout or connection error:', err instanceof APIConnectionTimeoutError || err instanceof APIConnectionError));

  await jupyter.contents.delete('a.txt');
  await jupyter.contents.delete('b.txt');
} finally {
  await local?.stop();
}
