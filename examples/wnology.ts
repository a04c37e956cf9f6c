/**
 * WNology: upload a notebook, execute it, wait for it, print its logs.
 *   WNOLOGY_TOKEN=... WNOLOGY_APP_ID=<24 hex> npm run example examples/wnology.ts [notebook.ipynb]
 * Optional: WNOLOGY_URL (any Losant-compatible API root; default https://api.app.wnology.io),
 * WNOLOGY_NOTEBOOK_ID (a notebook to reuse; by default one is created, and deleted afterwards).
 */
import { readFile } from 'node:fs/promises';
import { ExecutionWaitTimeoutError, WnologyClient, wnologyErrorDetails, APIError } from 'jupyter-sdk/wnology';

const { WNOLOGY_TOKEN, WNOLOGY_APP_ID, WNOLOGY_URL, WNOLOGY_NOTEBOOK_ID } = process.env;
if (!WNOLOGY_TOKEN || !WNOLOGY_APP_ID) {
  console.error('Set WNOLOGY_TOKEN (an application API token) and WNOLOGY_APP_ID (the application id); WNOLOGY_URL is optional.');
  process.exit(1);
}

const wn = new WnologyClient({ token: WNOLOGY_TOKEN, baseUrl: WNOLOGY_URL });
const appId = WNOLOGY_APP_ID;
const file = process.argv[2]
  ? await readFile(process.argv[2], 'utf8')
  : {
      cells: [{ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: 'print("hello from jupyter-sdk")' }],
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      nbformat: 4,
      nbformat_minor: 5,
    };

const created = WNOLOGY_NOTEBOOK_ID
  ? undefined
  : await wn.notebooks.create(appId, {
      name: `jupyter-sdk example ${new Date().toISOString()}`,
      outputs: [{ outputType: 'executionResult', fileName: 'result.html', destinationDirectoryTemplate: '/jupyter-sdk/{{execution.runStartedAt}}' }],
    });
const notebookId = WNOLOGY_NOTEBOOK_ID ?? created!.id!;

try {
  const page = await wn.notebooks.list(appId, { perPage: 5, sortField: 'lastUpdated', sortDirection: 'desc' });
  console.log(`${page.totalCount} notebook(s); latest: ${page.items.map((n) => n.name).join(', ')}`);
  let mine = 0;
  for await (const n of wn.notebooks.list(appId, { filter: 'jupyter-sdk example*' })) if (n.id) mine++;
  console.log(`${mine} made by this example`);
  await wn.notebooks.update(appId, notebookId, { description: 'Run by examples/wnology.ts from jupyter-sdk' });

  const uploaded = await wn.notebooks.upload(appId, notebookId, file);
  console.log(`uploaded ${uploaded.jupyterFileName} to ${uploaded.name} (${notebookId})`);

  const { executionId } = await wn.notebooks.execute(appId, notebookId, {});
  console.log(`execution ${executionId} queued`);
  const run = await wn.notebooks.waitForExecution(appId, notebookId, executionId, {
    timeout: 15 * 60_000,
    interval: 5000,
    onStatus: (r) => console.log(`  ${r.status}`),
  });
  console.log(`execution ${executionId} ended: ${run.status}`);
  for (const e of run.executionErrors ?? []) console.log(`  error ${e.name}: ${e.message}`);
  for (const [name, info] of Object.entries(run.outputInfo ?? {})) console.log(`  output ${name}: ${info.url}`);

  console.log('latest runs:');
  for (const r of await wn.notebooks.logs(appId, notebookId, { limit: 5 })) {
    console.log(`  ${r.id} ${r.status} queued ${r.runQueuedAt} done ${r.outputsCompletedAt ?? '-'}`);
  }

  const usage = await wn.notebooks.minuteCounts(appId, notebookId, { start: Date.now() - 30 * 86_400_000, end: Date.now() });
  console.log(`minutes used in the last 30 days: ${usage.counts.reduce((sum, c) => sum + (c.minutes ?? 0), 0)}`);
} catch (err) {
  if (err instanceof ExecutionWaitTimeoutError) console.error(err.message);
  else if (err instanceof APIError) console.error(err.message, wnologyErrorDetails(err));
  else throw err;
  process.exitCode = 1;
} finally {
  if (created) await wn.notebooks.delete(appId, notebookId);
}
