#!/usr/bin/env node
// Browser bundle size (esbuild, minified, gzip -9) of an app that starts a kernel over REST,
// connects to its channels and executes code: jupyter-sdk vs @jupyterlab/services.
// Targets: jupyter-sdk <= 4.4 KB min+gzip and <= 1/10 of @jupyterlab/services; no `ws` inside.
// Prints figures; asserts nothing. Needs `npm run build`.
import { bundleSize } from '../bundle/size.mjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Resolve `jupyter-sdk` the way a browser bundler does: the `browser` condition of the exports map.
const browserEntry = pkg.exports['.'].browser?.default;

const cases = {
  'jupyter-sdk (REST + kernel channel)': `import { JupyterClient } from 'jupyter-sdk';
    const jupyter = new JupyterClient({ baseUrl: location.origin, token: 't' });
    const { id } = await jupyter.kernels.start({ name: 'python3' });
    const kernel = await jupyter.kernels.connect(id);
    for await (const msg of kernel.execute('print(1)')) console.log(msg);
    console.log(await kernel.run('1+1'));`,
  '@jupyterlab/services 7.6.6': `import { KernelManager, ServerConnection } from '@jupyterlab/services';
    const serverSettings = ServerConnection.makeSettings({ baseUrl: location.origin, token: 't' });
    const manager = new KernelManager({ serverSettings });
    const kernel = await manager.startNew({ name: 'python3' });
    const future = kernel.requestExecute({ code: 'print(1)' });
    future.onIOPub = (msg) => console.log(msg);
    console.log(await future.done);`,
};

console.log(`jupyter-sdk browser entry (exports["."].browser): ${browserEntry}`);
const rows = [];
for (const [name, code] of Object.entries(cases)) rows.push({ bundle: name, ...(await bundleSize(code, root, { 'jupyter-sdk': join(root, browserEntry) })) });
// Everything the app loads, lazy chunks included: it connects to a kernel, so it needs them all.
console.table(rows.map((r) => ({
  bundle: r.bundle, 'esbuild min (B)': r.esbuild.min, 'esbuild min+gzip (B)': r.esbuild.gzip,
  'rollup all chunks min+gzip (B)': r.total?.gzip ?? '-', 'rollup up front min+gzip (B)': r.upFront?.gzip ?? '-', 'contains ws': r.hasWs,
})));
const [sdk, jlab] = rows;
console.log(`jupyter-sdk / @jupyterlab/services (esbuild, gzip): ${(sdk.esbuild.gzip / jlab.esbuild.gzip).toFixed(3)} (target <= 0.1); jupyter-sdk ${sdk.esbuild.gzip} B (target <= 4400 B)`);
