#!/usr/bin/env node
// Browser bundle sizes (see size.mjs for how each app is bundled and weighed): openapi-fetch
// alone; an app that uses the REST client alone; and the app of the SDK's bundle target, which
// starts a kernel, runs `1+1`, lists a directory and lists sessions (target: esbuild one file,
// min+gzip <= 10,000 B, aiming at 8,000 B), twice: through `JupyterClient`, which builds every
// resource, and on the bare-bones route (`JupyterCore` and the three resources it uses).
// Prints figures; asserts nothing. Needs `npm run build`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { bundleSize, BARE_APP, TARGET_APP } from './size.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const browserEntry = join(root, pkg.exports['.'].browser.default);

const cases = {
  'openapi-fetch alone': `import createClient from 'openapi-fetch';
    const c = createClient({ baseUrl: location.origin });
    c.GET('/api/kernels').then(console.log);`,
  'jupyter-sdk REST client': `import { JupyterClient } from 'jupyter-sdk';
    const j = new JupyterClient({ baseUrl: location.origin, token: 't' });
    j.kernels.list().then(console.log); j.contents.get('a/b.ipynb').then(console.log);`,
  'kernel + 1+1 + ls + sessions: JupyterClient': TARGET_APP,
  'kernel + 1+1 + ls + sessions: JupyterCore + 3 resources': BARE_APP,
};

const rows = [];
for (const [name, code] of Object.entries(cases)) rows.push({ name, ...(await bundleSize(code, root, { 'jupyter-sdk': browserEntry })) });
console.table(rows.map((r) => ({
  bundle: r.name, 'esbuild min (B)': r.esbuild.min, 'esbuild min+gzip (B)': r.esbuild.gzip,
  'rollup up front min+gzip (B)': r.upFront.gzip, 'rollup all chunks min+gzip (B)': r.total.gzip, 'contains ws': r.hasWs,
})));
const [base, sdk, app, bare] = rows;
const x = (a, b) => (a / b).toFixed(2);
console.log(`jupyter-sdk REST / openapi-fetch (gzip): esbuild one file ${x(sdk.esbuild.gzip, base.esbuild.gzip)}x, rollup up front ${x(sdk.upFront.gzip, base.upFront.gzip)}x (target <= 2x)`);
console.log(`kernel + 1+1 + ls + sessions, esbuild one file min+gzip: ${app.esbuild.gzip} B with JupyterClient (every resource), ${bare.esbuild.gzip} B with JupyterCore + kernels, contents, sessions (target <= 10000 B, aim <= 8000 B)`);
