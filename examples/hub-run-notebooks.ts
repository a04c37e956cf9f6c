/**
 * Runs notebooks on JupyterHub: starts named servers for one hub user, spreads the notebooks over
 * them with runNotebooks (each goes to the least-busy server), then stops and removes the servers,
 * whatever happened. First by hand (HubClient calls), then with startNamedServers, which does the
 * same in one call.
 *   HUB_URL=http://127.0.0.1:8000 HUB_TOKEN=<token> npm run example examples/hub-run-notebooks.ts
 * HUB_TOKEN is a user's token (the servers are theirs) or an admin's (then HUB_USER, default
 * jupyter-sdk, created if missing). The hub needs `c.JupyterHub.allow_named_servers = True`.
 */
import { readFile } from 'node:fs/promises';
import type { ICodeCell, INotebookContent } from '@jupyterlab/nbformat';
import { runNotebooks, type NotebookResult } from 'jupyter-sdk';
import { ConflictError, HubClient, SpawnFailedError, startNamedServers } from 'jupyter-sdk/hub';

const { HUB_URL, HUB_TOKEN, HUB_USER } = process.env;
if (!HUB_URL || !HUB_TOKEN) {
  console.error('Set HUB_URL (the hub, e.g. http://127.0.0.1:8000) and HUB_TOKEN (a user or admin API token); HUB_USER is optional.');
  process.exit(1);
}

const hub = new HubClient({ baseUrl: HUB_URL, token: HUB_TOKEN });
// A user's token runs as that user; an admin's as HUB_USER, created when missing.
const me = await hub.me();
const user = HUB_USER ?? (me.kind === 'user' ? me.name : 'jupyter-sdk');
if (me.kind !== 'user') {
  await hub.users.create(user).catch((err: unknown) => {
    if (!(err instanceof ConflictError)) throw err;
  });
}

const report = JSON.parse(await readFile('examples/notebooks/report.ipynb', 'utf8')) as INotebookContent;
const items = ['north', 'south', 'east', 'west'].map((region) => ({ notebook: report, parameters: { region, year: 2026 } }));
const printed = (r: NotebookResult<(typeof items)[number]>) =>
  r.ok ? [((r.notebook.cells[3] as ICodeCell).outputs[0] as { text?: string | string[] }).text ?? ''].flat().join('').trim() : `failed: ${r.error.message}`;

// By hand: start N named servers at once, wait for them, run on hub.jupyter() clients, stop and remove.
const names = ['by-hand-1', 'by-hand-2'];
try {
  await Promise.all(names.map((name) => hub.servers.start(user, { name })));
  await Promise.all(names.map((name) => hub.servers.waitReady(user, { name, timeout: 120_000 })));
  const targets = names.map((server) => hub.jupyter(user, { server }));
  const results = await runNotebooks(targets, items);   // jobs: one per target by default
  for (const r of results) console.log(`by hand on ${names[r.target!]}: ${printed(r)}`);
} finally {
  // remove: true deletes the named servers too, not only their processes. (The hub refuses to
  // stop a server while it spawns; startNamedServers below waits for such a server first.)
  await Promise.allSettled(names.map((name) => hub.servers.stop(user, { name, remove: true })));
}

// The same with startNamedServers: it starts them, waits with progress, and cleans up if one fails.
try {
  const pool = await startNamedServers(hub, user, {
    count: 2,
    timeout: 120_000,
    onProgress: (server, e) => e.ready && console.log(`${server} ready (${e.message})`),
  });
  try {
    const results = await runNotebooks(pool.clients, items, { jobs: 2 * pool.clients.length });   // 2 kernels per server
    for (const r of results) console.log(`pool: ${printed(r)}`);
  } finally {
    await pool.stop();   // stops and removes every one of them
  }
} catch (err) {
  if (err instanceof SpawnFailedError) console.error(`could not start ${err.user}'s server ${err.server}: ${err.reason}`);
  throw err;
}
console.log('named servers left:', (await hub.servers.list(user)).filter((s) => s.name).length);
