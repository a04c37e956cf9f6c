/**
 * JupyterHub: make a user, start their server with a progress bar, run code on it through the
 * hub's proxy, hand them a narrow token, stop the server.
 *   HUB_URL=http://127.0.0.1:8000 HUB_TOKEN=<admin token> npm run example examples/hub.ts
 * HUB_TOKEN is an admin's token, e.g. a service's `api_token` given a role with the scopes
 * admin:users, admin:servers, tokens and access:servers in the hub's `load_roles`.
 * Optional: HUB_USER (default: a new user, deleted afterwards).
 */
import { HubClient, PermissionDeniedError, SpawnFailedError } from 'jupyter-sdk/hub';

const { HUB_URL, HUB_TOKEN, HUB_USER } = process.env;
if (!HUB_URL || !HUB_TOKEN) {
  console.error('Set HUB_URL (the hub, e.g. http://127.0.0.1:8000) and HUB_TOKEN (an admin API token); HUB_USER is optional.');
  process.exit(1);
}

const hub = new HubClient({ baseUrl: HUB_URL, token: HUB_TOKEN });
const name = HUB_USER ?? `example-${Date.now().toString(36)}`;
console.log('hub', (await hub.version()).version, 'as', (await hub.me()).name);
if (!HUB_USER) await hub.users.create(name);

try {
  // Start the user's default server and draw its progress.
  await hub.servers.start(name);
  const bar = (p: number) => '#'.repeat(Math.round(p / 5)).padEnd(20, '.');
  const server = await hub.servers.waitReady(name, {
    timeout: 120_000,
    onProgress: (e) => console.log(`[${bar(e.progress)}] ${e.progress}% ${e.message ?? ''}`),
  });
  console.log('ready at', server.full_url);

  // Run code on it: a JupyterClient through the hub's proxy, here with the admin token.
  const jupyter = hub.jupyter(name);
  const { id } = await jupyter.kernels.start();
  const kernel = await jupyter.kernels.connect(id);
  const result = await kernel.run('import getpass; print(getpass.getuser() or "?"); 6 * 7');
  console.log('run:', result.status, JSON.stringify(result.outputs.map((o) => ('data' in o ? o.data : 'text' in o ? o.text : o))));
  await kernel.close();
  await jupyter.kernels.shutdown(id);

  // A token for the user, limited to their own server; its value is shown only now.
  const token = await hub.tokens.create(name, { note: 'example', expiresIn: 600, scopes: [`access:servers!user=${name}`] });
  const asUser = new HubClient({ baseUrl: HUB_URL, token: token.token });
  console.log('user token sees', (await asUser.jupyter(name).kernels.list()).length, 'kernels');
  try {
    await asUser.users.list();
  } catch (err) {
    if (err instanceof PermissionDeniedError) console.log('user token may not list users:', err.message);
    else throw err;
  }
  await hub.tokens.delete(name, token.id);

  await hub.servers.stop(name);
  console.log('stopped; servers:', JSON.stringify((await hub.servers.list(name)).map((s) => ({ name: s.name, stopped: s.stopped }))));
} catch (err) {
  if (err instanceof SpawnFailedError) console.error(`could not start ${err.user}'s server: ${err.reason}`);
  throw err;
} finally {
  if (!HUB_USER) await hub.users.delete(name);
}
