#!/usr/bin/env node
// Checks the browser build (package.json `exports["."].browser`, dist/browser/) the way an app's
// bundler sees it: bundles a page that uses the REST client and a kernel channel with esbuild for
// the browser, and fails if `ws` (or any Node built-in) is reachable, if a module of
// scripts/browser-variants.mjs was not built from its browser source, or if the socket default is
// not the global-WebSocket one. Needs `npm run build`.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BROWSER_VARIANTS } from './browser-variants.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const entry = `${root}${pkg.exports['.'].browser.default}`;
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

const seen = [];
const result = await build({
  stdin: {
    contents: `import { JupyterClient } from 'jupyter-sdk';
      const j = new JupyterClient({ baseUrl: location.origin });
      const k = await j.kernels.connect((await j.kernels.start()).id);
      console.log(await k.run('1+1'));`,
    resolveDir: root,
    loader: 'js',
  },
  bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', metafile: true, logLevel: 'silent',
  conditions: ['browser'], alias: { 'jupyter-sdk': entry },
  plugins: [{
    name: 'forbid-node',
    setup(b) {
      b.onResolve({ filter: /^(ws|node:.*|fs|path|child_process|net|http|https|stream|crypto|os)$/ }, (args) => {
        seen.push(`${args.path} (from ${args.importer.replace(root, '')})`);
        return { path: args.path, external: true };
      });
    },
  }],
});
if (seen.length) fail(`Node-only imports reachable from the browser entry: ${seen.join(', ')}`);
const inputs = Object.keys(result.metafile.inputs);
if (!inputs.some((i) => i.includes('dist/browser/kernel/connection.js'))) fail('the kernel channel did not come from dist/browser');
console.log(`browser build: OK (${inputs.length} modules, no ws or Node built-ins)`);
