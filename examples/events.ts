/**
 * Server events (Jupyter Server 2.x): watch a directory's saves, and emit an event of your own.
 * Uses JUPYTER_URL and JUPYTER_TOKEN when set; otherwise starts a local Jupyter server for the run
 * (with the Python in JUPYTER_SDK_PYTHON when set: the events API needs jupyter_server 2).
 *   npm run example examples/events.ts
 */
import { BadRequestError, CONTENTS_EVENT, JupyterClient, NotSupportedError } from 'jupyter-sdk';
import { startJupyterServer } from 'jupyter-sdk/server';

const local = process.env.JUPYTER_URL ? undefined : await startJupyterServer({ python: process.env.JUPYTER_SDK_PYTHON || undefined });
const jupyter = new JupyterClient({
  baseUrl: process.env.JUPYTER_URL ?? local!.url,
  token: process.env.JUPYTER_TOKEN ?? local!.token,
});

try {
  // Only contents events, typed as such: `action` and `path` (and `source_path` for renames and copies).
  const events = await jupyter.events.subscribe({ schemas: [CONTENTS_EVENT] });
  const watching = (async () => {
    let saves = 0;
    for await (const event of events) {
      if (event.action !== 'save' || !event.path.startsWith('reports/')) continue;
      console.log('saved', event.path);
      if (++saves === 3) break; // leaving the loop closes the subscription
    }
  })();

  await jupyter.contents.save('reports', { type: 'directory' });
  await jupyter.contents.save('reports/q1.txt', { type: 'file', format: 'text', content: 'Q1\n' });
  await jupyter.contents.save('elsewhere.txt', { type: 'file', format: 'text', content: 'not watched\n' });
  await jupyter.contents.save('reports/q2.txt', { type: 'file', format: 'text', content: 'Q2\n' });
  // A file written without the REST API, announced to every subscriber (JupyterLab's too).
  await jupyter.events.emit({ schema_id: CONTENTS_EVENT, version: 1, data: { action: 'save', path: 'reports/from-disk.csv' } });
  await watching;
  console.log('subscription closed:', events.closed);

  try {
    await jupyter.events.emit({ schema_id: 'https://example.org/never-registered/v1', version: 1, data: {} });
  } catch (err) {
    if (err instanceof BadRequestError) console.log('refused:', err.message);
    else throw err;
  }
} catch (err) {
  if (!(err instanceof NotSupportedError)) throw err;
  console.log(`events: not supported by this server (${err.serverVersion})`);
} finally {
  await local?.stop();
}
