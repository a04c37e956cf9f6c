#!/usr/bin/env node
// Where the bytes of the bundle target's app (size.mjs TARGET_APP: esbuild one file, minified,
// resolved through the `browser` export condition) come from, module by module:
//  - "min (B)": the module's bytes in the minified bundle (esbuild metafile);
//  - "gzip saved without it (B)": how much smaller the gzipped bundle gets when the module's body
//    is replaced by empty stubs of its exports, which also drops whatever only it pulls in (so
//    the figures of a module and of what it imports overlap, and do not add up to the total).
// Prints figures; asserts nothing. Needs `npm run build`. `node bench/bundle/modules.mjs --bare`
// weighs the same app on the bare-bones route (size.mjs BARE_APP), `node bench/bundle/modules.mjs
// app.js` another app (a file importing 'jupyter-sdk').
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BARE_APP, TARGET_APP } from './size.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entry = join(root, pkg.exports['.'].browser.default);
const arg = process.argv[2];
const app = arg === '--bare' ? BARE_APP : arg ? readFileSync(arg, 'utf8') : TARGET_APP;

/** Bundles the app; with `stub`, that module (a path ending) exports placeholders instead of its code. */
async function bundle(stub) {
  const stubPlugin = {
    name: 'stub',
    setup(b) {
      b.onLoad({ filter: /\.m?js$/ }, (args) => {
        if (!args.path.endsWith(stub)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        const reexports = text.match(/^export \* from .*$/gm) ?? [];
        const list = /export \{([^}]*)\};?\s*(?:\/\/.*)?$/.exec(text.trim())?.[1] ?? '';
        const names = list.split(',').map((s) => s.trim().split(/\s+as\s+/).pop()).filter(Boolean);
        const stubs = names.map((n) => (n === 'default' ? 'export default globalThis.stub;' : `export const ${n} = globalThis.stub;`));
        return { contents: [...reexports, ...stubs].join('\n'), loader: 'js' };
      });
    },
  };
  const r = await build({
    stdin: { contents: app, resolveDir: root, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, metafile: true,
    conditions: ['browser'], alias: { 'jupyter-sdk': entry }, logLevel: 'silent', plugins: stub ? [stubPlugin] : [],
  });
  const text = r.outputFiles[0].text;
  return { min: text.length, gzip: gzipSync(text, { level: 9 }).length, inputs: Object.values(r.metafile.outputs)[0].inputs };
}

const whole = await bundle();
const rows = [];
for (const [input, { bytesInOutput }] of Object.entries(whole.inputs)) {
  if (input === '<stdin>' || bytesInOutput === 0) continue;
  const name = input.replace(/^.*?(dist\/browser\/|node_modules\/)/, '');
  const without = await bundle(name);
  rows.push({ module: name.replace(/^dist\/browser\//, ''), 'min (B)': bytesInOutput, 'gzip saved without it (B)': whole.gzip - without.gzip });
}
rows.sort((a, b) => b['min (B)'] - a['min (B)']);
console.table(rows);
console.log(`whole app: ${whole.min} B minified, ${whole.gzip} B min+gzip`);
