#!/usr/bin/env node
// Cost of importing a client, over bare node: each case runs in a fresh process N times,
// interleaved, and the median wall time is compared. Target: jupyter-sdk <= 25 ms over bare node.
// Prints figures; asserts nothing. Needs `npm run build` (and @jupyterlab/services for its row).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const N = Number(process.env.RUNS ?? 15);
const require = createRequire(import.meta.url);
const has = (name) => { try { require.resolve(name); return true; } catch { return false; } };

const cases = [
  ['bare node', ''],
  ['jupyter-sdk', "await import('jupyter-sdk')"],
  ['jupyter-sdk (require)', "require('jupyter-sdk')"],
  ['ws', "await import('ws')"],
];
if (has('@jupyterlab/services')) cases.push(['@jupyterlab/services', "await import('@jupyterlab/services')"]);

const times = Object.fromEntries(cases.map(([name]) => [name, []]));
for (let i = 0; i < N; i++) {
  for (const [name, code] of cases) {
    const isCjs = code.startsWith('require');
    const args = isCjs ? ['-e', code] : ['--input-type=module', '-e', code];
    const t0 = performance.now();
    execFileSync(process.execPath, args, { stdio: 'ignore' });
    times[name].push(performance.now() - t0);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bare = median(times['bare node']);
console.table(cases.map(([name]) => ({ import: name, 'median (ms)': median(times[name]).toFixed(1), 'over bare node (ms)': (median(times[name]) - bare).toFixed(1) })));
console.log(`runs per case: ${N}; target: jupyter-sdk <= 25 ms over bare node`);
