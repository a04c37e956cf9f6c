#!/usr/bin/env node
// Checks the browser build (the `browser` conditions of package.json's exports: `jupyter-sdk` and
// `jupyter-sdk/hub`, dist/browser/) the way an app's bundler sees it: bundles a page per entry
// that uses the REST client and a kernel channel (through `hub.jupyter()` for the hub) with
// esbuild for the browser, resolving the package by its name through the exports map, and fails
// if `ws` (or any Node built-in) is reachable, if an entry or the kernel channel did not come from
// dist/browser/, if a module of scripts/browser-variants.mjs was not built from its browser source,
// or if the socket default is not the global-WebSocket one. Needs `npm run build`.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BROWSER_VARIANTS } from './browser-variants.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const fail = (why) => {
  console.error(`browser build: ${why}`);
  process.exit(1);
};

for (const [module, source] of Object.entries(BROWSER_VARIANTS)) {
  // The source map names what the file was compiled from.
  const { sources } = JSON.parse(readFileSync(`${root}dist/browser/${module}.js.map`, 'utf8'));
  if (!sources.some((s) => s.endsWith(source.replace(/^src\//, '/src/')))) fail(`dist/browser/${module}.js was built from ${sources.join(', ')}, not ${source}`);
}
const socketDefault = readFileSync(`${root}dist/browser/kernel/socket-default.js`, 'utf8');
if (/\bws\b['"]/.test(socketDefault) || !socketDefault.includes('globalThis.WebSocket')) fail('dist/browser/kernel/socket-default.js is not the global-WebSocket default');

const pages = {
  'jupyter-sdk': `import { JupyterClient } from 'jupyter-sdk';
    const j = new JupyterClient({ baseUrl: location.origin });
    const k = await j.kernels.connect((await j.kernels.start()).id);
    console.log(await k.run('1+1'));`,
  'jupyter-sdk/hub': `import { HubClient } from 'jupyter-sdk/hub';
    const hub = new HubClient({ baseUrl: location.origin, token: 't' });
    await hub.servers.start('ana');
    const j = hub.jupyter('ana');
    const k = await j.kernels.connect((await j.kernels.start()).id);
    console.log(await k.run('1+1'));`,
};

const report = [];
for (const [name, contents] of Object.entries(pages)) {
  const entry = pkg.exports[name.replace(/^jupyter-sdk/, '.')]?.browser?.default;
  if (!entry?.startsWith('./dist/browser/')) fail(`package.json has no browser condition into dist/browser/ for ${name}`);
  const seen = [];
  const result = await build({
    // `jupyter-sdk` resolves by its name, as a self-reference through the exports map.
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', metafile: true, logLevel: 'silent',
    conditions: ['browser'], tsconfigRaw: '{}',
    plugins: [{
      name: 'forbid-node',
      setup(b) {
        b.onResolve({ filter: /^(ws|node:.*|fs|path|child_process|net|http|https|stream|crypto|os|url|util|events|zlib|tls)$/ }, (args) => {
          seen.push(`${args.path} (from ${args.importer.replace(root, '')})`);
          return { path: args.path, external: true };
        });
      },
    }],
  });
  if (seen.length) fail(`${name}: Node-only imports reachable from the browser entry: ${seen.join(', ')}`);
  const inputs = Object.keys(result.metafile.inputs);
  if (!inputs.includes(entry.slice(2))) fail(`${name} did not resolve to ${entry}: ${inputs.join(', ')}`);
  if (inputs.some((i) => i.startsWith('dist/') && !i.startsWith('dist/browser/'))) fail(`${name}: modules of the Node build in a browser bundle: ${inputs.filter((i) => i.startsWith('dist/') && !i.startsWith('dist/browser/')).join(', ')}`);
  if (!inputs.includes('dist/browser/kernel/connection.js')) fail(`${name}: the kernel channel did not come from dist/browser`);
  report.push(`${name} ${inputs.length} modules`);
}
console.log(`browser build: OK (${report.join(', ')}; no ws or Node built-ins)`);
