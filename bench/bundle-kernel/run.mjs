#!/usr/bin/env node
// Browser bundle size (esbuild, minified, gzip -9) of an app that starts a kernel over REST,
// connects to its channels and executes code: jupyter-sdk vs @jupyterlab/services.
// Targets: jupyter-sdk <= 4.4 KB min+gzip and <= 1/10 of @jupyterlab/services; no `ws` inside.
// Prints figures; asserts nothing. Needs `npm run build`.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
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

async function size(code) {
  const out = await build({
    stdin: { contents: code, resolveDir: root, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false,
    conditions: ['browser'], alias: { 'jupyter-sdk': join(root, browserEntry) },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const bytes = out.outputFiles[0].contents;
  const text = new TextDecoder().decode(bytes);
  // `ws` the package: its import, or its own protocol strings (handshake key, per-message deflate).
  const hasWs = /require\(["']ws["']\)|from ?["']ws["']|import\(["']ws["']\)|Sec-WebSocket-Key|permessage-deflate/.test(text);
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, hasWs };
}

console.log(`jupyter-sdk browser entry (exports["."].browser): ${browserEntry}`);
const rows = [];
for (const [name, code] of Object.entries(cases)) rows.push({ bundle: name, ...(await size(code)) });
console.table(rows.map((r) => ({ bundle: r.bundle, 'min (B)': r.min, 'min+gzip (B)': r.gzip, 'contains ws': r.hasWs })));
const [sdk, jlab] = rows;
console.log(`jupyter-sdk / @jupyterlab/services (gzip): ${(sdk.gzip / jlab.gzip).toFixed(3)} (target <= 0.1); jupyter-sdk ${sdk.gzip} B (target <= 4400 B)`);
