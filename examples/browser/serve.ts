// Serves the browser example: bundles main.ts with esbuild (by package name, so the package's
// browser build in dist/ is used: run `npm run build` first), starts a Jupyter Server on
// 127.0.0.1 that allows this page's origin (--ServerApp.allow_origin), and prints the address to
// open. Ctrl-C stops both.
//   npm run example:browser
//   JUPYTER_URL=http://127.0.0.1:8888 JUPYTER_TOKEN=... PORT=8000 npm run example:browser
//     (your own server instead, started with --ServerApp.allow_origin=http://127.0.0.1:8000)
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startJupyterServer, type LocalJupyterServer } from 'jupyter-sdk/server';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../../', import.meta.url));
if (!existsSync(`${repo}dist/browser`)) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(1);
}

const bundle = await build({
  entryPoints: [`${here}main.ts`],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  // The example's tsconfig points `jupyter-sdk` at src/ for type-checking; a page gets the package.
  tsconfigRaw: '{}',
  logLevel: 'warning',
});
const files: Record<string, { type: string; body: string | Uint8Array }> = {
  '/': { type: 'text/html; charset=utf-8', body: await readFile(`${here}index.html`) },
  '/main.js': { type: 'text/javascript; charset=utf-8', body: bundle.outputFiles[0]!.contents },
};

const site = createServer((req, res) => {
  const file = files[new URL(req.url ?? '/', 'http://x').pathname];
  if (!file) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
});
await new Promise<void>((resolve) => site.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

let server: LocalJupyterServer | undefined;
let url = process.env.JUPYTER_URL;
let token = process.env.JUPYTER_TOKEN;
if (!url) {
  server = await startJupyterServer({ rootDir: fileURLToPath(new URL('..', import.meta.url)), extraArgs: [`--ServerApp.allow_origin=${origin}`] });
  ({ url, token } = server);
}

const fragment = new URLSearchParams({ url, ...(token ? { token } : {}) });
console.log(`Browser example (${Math.round(bundle.outputFiles[0]!.contents.length / 1024)} KB of JavaScript) at ${origin}
open ${origin}/#${fragment}
Ctrl-C stops it.`);

let stopping = false;
const stop = async () => {
  if (stopping) process.exit(130);
  stopping = true;
  site.close();
  await server?.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
