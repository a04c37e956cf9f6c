#!/usr/bin/env node
// Proves the BUILT package through its exports map on the running Node: every entry resolves in
// ESM and CJS, and the ESM build drives a real local Jupyter server (REST and a kernel channel).
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const esm = await import('jupyter-sdk');
const cjs = require('jupyter-sdk');
for (const mod of [esm, cjs]) {
  for (const name of ['JupyterClient', 'JupyterCore', 'KernelsResource', 'ContentsResource', 'SessionsResource', 'KernelConnection', 'TerminalConnection', 'runNotebook', 'APIError', 'NotFoundError', 'KernelChannelError']) {
    assert.equal(typeof mod[name], 'function', `jupyter-sdk exports ${name}`);
  }
}
assert.equal(typeof (await import('jupyter-sdk/mlw')).MlwClient, 'function');
assert.equal(typeof require('jupyter-sdk/mlw').MlwClient, 'function');
assert.equal(typeof (await import('jupyter-sdk/wnology')).WnologyClient, 'function');
assert.equal(typeof require('jupyter-sdk/wnology').WnologyClient, 'function');
assert.equal(typeof (await import('jupyter-sdk/raw')).createRawClient, 'function');
for (const hub of [await import('jupyter-sdk/hub'), require('jupyter-sdk/hub')]) {
  assert.equal(typeof hub.HubClient, 'function');
  assert.equal(typeof hub.ServerNotRunningError, 'function');
}
const { startJupyterServer } = await import('jupyter-sdk/server');

const server = await startJupyterServer();
try {
  const jupyter = new esm.JupyterClient({ baseUrl: server.url, token: server.token });
  const { version } = await jupyter.version();
  const kernel = await jupyter.kernels.start();
  const conn = await jupyter.kernels.connect(kernel.id);
  const result = await conn.run('print("smoke"); 6 * 7');
  await conn.close();
  await jupyter.kernels.shutdown(kernel.id);
  assert.equal(result.status, 'ok');
  const text = JSON.stringify(result.outputs);
  assert.match(text, /smoke/);
  assert.match(text, /42/);
  await assert.rejects(jupyter.contents.get('no-such-file.txt'), esm.NotFoundError);
  // The bare-bones route, in both builds: a core and the resources built from it.
  for (const mod of [esm, cjs]) {
    const core = new mod.JupyterCore({ baseUrl: server.url, token: server.token });
    assert.ok(Array.isArray(await new mod.ContentsResource(core).list('')));
    assert.ok(Array.isArray(await new mod.SessionsResource(core).list()));
  }
  console.log(`node ${process.version}: dist OK (ESM + CJS entries, jupyter_server ${version}, kernel run, bare-bones route)`);
} finally {
  await server.stop();
}
