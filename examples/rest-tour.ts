/**
 * Every REST area once: contents, checkpoints, kernelspecs, kernels, sessions, terminals, config.
 * Uses JUPYTER_URL and JUPYTER_TOKEN when set; otherwise starts a local Jupyter server for the run.
 *   npm run example examples/rest-tour.ts
 */
import { JupyterClient } from 'jupyter-sdk';
import { startJupyterServer } from 'jupyter-sdk/server';

const local = process.env.JUPYTER_URL ? undefined : await startJupyterServer();
const jupyter = new JupyterClient({
  baseUrl: process.env.JUPYTER_URL ?? local!.url,
  token: process.env.JUPYTER_TOKEN ?? local!.token,
});

try {
  console.log('status', await jupyter.status());

  // Contents: names with spaces and non-ASCII letters are encoded segment by segment.
  const dir = await jupyter.contents.create('', { type: 'directory' });
  await jupyter.contents.rename(dir.path, 'reports');
  await jupyter.contents.save('reports/Q3 résumé.md', { type: 'file', format: 'text', content: '# Q3\n' });
  const created = await jupyter.contents.create('reports', { type: 'notebook' });
  console.log('created', created.path);
  const bytes = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
  await jupyter.contents.upload('reports/data.bin', bytes, {
    chunkSize: 1 << 20,
    onProgress: ({ loaded, total }) => console.log(`uploaded ${loaded}/${total}`),
  });
  const copy = await jupyter.contents.copy('reports/Q3 résumé.md', 'reports');
  console.log('entries', (await jupyter.contents.list('reports')).map((e) => e.name), 'copy', copy.name);
  const stat = await jupyter.contents.get('reports/data.bin', { content: false });
  console.log('size', stat.size);

  // Checkpoints: write, checkpoint, overwrite, restore.
  const cp = await jupyter.checkpoints.create('reports/Q3 résumé.md');
  await jupyter.contents.save('reports/Q3 résumé.md', { type: 'file', format: 'text', content: 'oops' });
  await jupyter.checkpoints.restore('reports/Q3 résumé.md', cp.id);
  const restored = await jupyter.contents.get('reports/Q3 résumé.md');
  console.log('restored', restored.type === 'file' ? restored.content : '?');
  console.log('checkpoints', await jupyter.checkpoints.list('reports/Q3 résumé.md'));
  await jupyter.checkpoints.delete('reports/Q3 résumé.md', cp.id);

  // Kernelspecs and kernels.
  const specs = await jupyter.kernelspecs.list();
  console.log('default kernel', specs.default, Object.keys(specs.kernelspecs));
  const python = await jupyter.kernelspecs.get(specs.default);
  console.log('language', python.spec.language);
  const kernel = await jupyter.kernels.start({ name: specs.default });
  await jupyter.kernels.interrupt(kernel.id);
  await jupyter.kernels.restart(kernel.id);
  console.log('kernel', (await jupyter.kernels.get(kernel.id)).execution_state, (await jupyter.kernels.list()).length);
  await jupyter.kernels.shutdown(kernel.id);

  // Sessions: a kernel bound to a path.
  const session = await jupyter.sessions.create({ path: created.path, type: 'notebook', kernel: { name: specs.default } });
  await jupyter.sessions.update(session.id, { path: 'reports/renamed.ipynb' });
  console.log('sessions', (await jupyter.sessions.list()).map((s) => s.path));
  await jupyter.sessions.delete(session.id);

  // Terminals (REST) and config.
  const term = await jupyter.terminals.create();
  console.log('terminals', (await jupyter.terminals.list()).map((t) => t.name));
  await jupyter.terminals.delete(term.name);
  console.log('config', await jupyter.config.update('example', { theme: 'dark', nested: { a: 1 } }));
  console.log('config', await jupyter.config.update('example', { nested: null }));

  // Every call goes through the client's openapi-fetch client, `jupyter.api`: its middleware sees them all.
  const operations = new Set<string>();
  jupyter.api.use({ onRequest: ({ schemaPath, request }) => void operations.add(`${request.method} ${schemaPath}`) });
  await jupyter.contents.get('reports/Q3 résumé.md');
  await jupyter.kernelspecs.list();
  console.log('operations seen', [...operations].join(', '));
  // The same client is the escape hatch for anything the SDK does not wrap: typed by the spec,
  // authenticated like the SDK's calls, answering { data, error, response } instead of throwing.
  const { data: exporters } = await jupyter.api.GET('/api/nbconvert');
  console.log('raw nbconvert exporters', Object.keys(exporters ?? {}).length > 0);

  // A folder that still holds files: the local server starts with always_delete_dir, and a default
  // user server moves it to the trash; one without either answers 400 (BadRequestError).
  await jupyter.contents.delete('reports');
} finally {
  await local?.stop();
}
