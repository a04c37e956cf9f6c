#!/usr/bin/env node
// Browser bundle size (esbuild, minified, gzip -9) of the REST client alone, beside openapi-fetch alone.
// Target: jupyter-sdk REST <= 2x openapi-fetch. Prints figures; asserts nothing.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

const cases = {
  'openapi-fetch alone': `import createClient from 'openapi-fetch';
    const c = createClient({ baseUrl: location.origin });
    c.GET('/api/kernels').then(console.log);`,
  'jupyter-sdk REST client': `import { JupyterClient } from 'jupyter-sdk';
    const j = new JupyterClient({ baseUrl: location.origin, token: 't' });
    j.kernels.list().then(console.log); j.contents.get('a/b.ipynb').then(console.log);`,
};

async function size(code) {
  const out = await build({
    stdin: { contents: code, resolveDir: root, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false,
    conditions: ['browser'], alias: { 'jupyter-sdk': join(root, 'dist/index.js') },
    logLevel: 'silent',
  });
  const bytes = out.outputFiles[0].contents;
  const text = new TextDecoder().decode(bytes);
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, hasWs: /require\(["']ws["']\)|from ?["']ws["']/.test(text) };
}

const rows = [];
for (const [name, code] of Object.entries(cases)) rows.push({ bundle: name, ...(await size(code)) });
console.table(rows.map((r) => ({ bundle: r.bundle, 'min (B)': r.min, 'min+gzip (B)': r.gzip, 'contains ws': r.hasWs })));
const [base, sdk] = rows;
console.log(`jupyter-sdk REST / openapi-fetch (gzip): ${(sdk.gzip / base.gzip).toFixed(2)}x (target <= 2x)`);
