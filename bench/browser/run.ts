// Browser figures of jupyter-sdk, in Debian's Chromium (headless, under puppeteer-core):
//  - the gzip size (-9) of examples/browser: esbuild's one minified file (its default), esbuild
//    --splitting and Rollup (Vite's build), up front vs loaded on the first connect();
//  - 50 sequential run('1+1') from a page (cross-origin, token): median, p90 and min, against a
//    server with Nagle off on its kernel socket (nodelay_launch) and a stock one, beside a bare
//    browser WebSocket doing the same on the same kernel (the floor);
//  - the page's JS heap (after a forced GC) before and after 200 executes on one connection.
// Prints figures; asserts nothing. Builds dist/ first when it is stale.
//   npm run bench:browser
import { build, transform } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { startJupyterServer, type LocalJupyterServer } from 'jupyter-sdk/server';
import { bundlePage, ensureBuilt, launchChromium, openPage, repo, serve } from '../../test/browser/harness.js';
import type { BenchPage } from './page.js';

const ROUND_TRIPS = 50;
const EXECUTES = 200;
const gz = (bytes: Uint8Array | string) => gzipSync(bytes, { level: 9 }).length;
const kb = (n: number) => `${n} B (${(n / 1024).toFixed(1)} KiB)`;

await ensureBuilt();

// --- bundle size of the example ---------------------------------------------------------------
const single = await bundlePage('examples/browser/main.ts', { minify: true });
const split = await build({
  entryPoints: ['examples/browser/main.ts'],
  absWorkingDir: repo,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  write: false,
  outdir: 'out',
  metafile: true,
  tsconfigRaw: '{}',
  logLevel: 'silent',
});
const byPath = new Map(split.outputFiles.map((f) => [f.path.slice(f.path.indexOf('/out/') + 1), f.contents]));
const entry = Object.entries(split.metafile.outputs).find(([, o]) => o.entryPoint)!;
const upFront = new Set<string>();
const visit = (path: string) => {
  if (upFront.has(path)) return;
  upFront.add(path);
  for (const i of split.metafile.outputs[path]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
};
visit(entry[0]);
const sum = (paths: string[]) => paths.reduce((s, p) => s + gz(byPath.get(p) ?? ''), 0);
const all = [...byPath.keys()].filter((p) => p.endsWith('.js'));
// Rollup (Vite's production bundler) with its default code splitting, as bench:bundle weighs it.
const { bundleSize } = (await import('../bundle/size.mjs' as string)) as {
  bundleSize: (code: string, root: string, alias: Record<string, string>) => Promise<{ upFront: { gzip: number } | null; total: { gzip: number } | null }>;
};
const exampleJs = (await transform(await readFile(`${repo}examples/browser/main.ts`, 'utf8'), { loader: 'ts', format: 'esm' })).code;
const pkg = JSON.parse(await readFile(`${repo}package.json`, 'utf8'));
const rollup = await bundleSize(exampleJs, repo, { 'jupyter-sdk': `${repo}${pkg.exports['.'].browser.default}` });
console.log('examples/browser (REST listing + kernel run), minified, gzip -9:');
console.table({
  'esbuild, one file (its default)': { 'min+gzip': kb(gz(single.code)) },
  'esbuild --splitting: up front': { 'min+gzip': kb(sum([...upFront])) },
  'esbuild --splitting: loaded on connect()': { 'min+gzip': kb(sum(all.filter((p) => !upFront.has(p)))) },
  'Rollup (Vite build): up front': { 'min+gzip': rollup.upFront ? kb(rollup.upFront.gzip) : '-' },
  'Rollup (Vite build): all chunks': { 'min+gzip': rollup.total ? kb(rollup.total.gzip) : '-' },
});

// --- round trips and heap ---------------------------------------------------------------------
const page = await bundlePage('bench/browser/page.ts');
const site = await serve({
  '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>' },
  '/page.js': { type: 'text/javascript', body: page.code },
});
const chromium = await launchChromium();
const servers: LocalJupyterServer[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;
const rows: Record<string, Record<string, string>> = {};
try {
  for (const nodelay of [true, false]) {
    const server = await startJupyterServer({ nodelay, extraArgs: [`--ServerApp.allow_origin=${site.origin}`] });
    servers.push(server);
    const context = await chromium.browser.createBrowserContext();
    const { page: tab } = await openPage(context, `${site.origin}/`, [server.token]);
    const call = <K extends keyof BenchPage>(name: K, ...args: Parameters<BenchPage[K]>) =>
      tab.evaluate((n, a) => (globalThis as any).T[n](...a), name, args as unknown[]) as Promise<Awaited<ReturnType<BenchPage[K]>>>;
    const cdp = await tab.createCDPSession();
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    const protocol = await call('open', server.url, server.token, 10);
    // Blocks of 50 per client, one after the other: interleaving clients execute by execute
    // hides the stock server's Nagle stall from both.
    const times = await call('roundTrips', ROUND_TRIPS);
    const raw = await call('rawRoundTrips', server.url, server.token, ROUND_TRIPS);
    const before = await heap();
    await call('executes', EXECUTES);
    const after = await heap();
    await call('close');
    await context.close();
    rows[nodelay ? 'no-Nagle server' : 'stock server (Nagle on)'] = {
      wire: protocol,
      [`run('1+1') x${ROUND_TRIPS} median`]: `${median(times).toFixed(2)} ms`,
      p90: `${p90(times).toFixed(2)} ms`,
      min: `${Math.min(...times).toFixed(2)} ms`,
      'raw WebSocket floor median': `${median(raw).toFixed(2)} ms`,
      [`heap before ${EXECUTES} executes`]: kb(before),
      after: kb(after),
      growth: `${after - before} B`,
    };
  }
} finally {
  await chromium.close();
  await site.close();
  await Promise.all(servers.map((s) => s.stop()));
}
console.log(`Chromium page, cross-origin with a token; heap = used JS heap after a forced GC:`);
console.table(rows);
