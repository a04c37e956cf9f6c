#!/usr/bin/env node
// Save and load a 5 MB notebook 20 times through jupyter-sdk and through plain fetch, against the
// same local Jupyter server in the same run, interleaved so machine noise hits both alike.
// Target: jupyter-sdk <= 1.1x plain fetch. Prints figures; asserts nothing. Needs `npm run build`.
import { JupyterClient } from '../../dist/index.js';
import { startJupyterServer } from '../../dist/server.js';

const ROUNDS = Number(process.env.ROUNDS ?? 20);
const server = await startJupyterServer();
const jupyter = new JupyterClient({ baseUrl: server.url, token: server.token });

// ~5 MB notebook: 500 code cells with 10 kB outputs each.
const line = 'x'.repeat(99) + '\n';
const cells = Array.from({ length: 500 }, (_, i) => ({
  cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: i + 1, source: `print(${i})`,
  outputs: [{ output_type: 'stream', name: 'stdout', text: line.repeat(100) }],
}));
const notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
const model = { type: 'notebook', format: 'json', content: notebook };
console.log(`notebook size: ${(JSON.stringify(notebook).length / 1e6).toFixed(2)} MB, rounds: ${ROUNDS}`);

const headers = { authorization: `token ${server.token}`, 'content-type': 'application/json' };
const url = `${server.url}/api/contents/bench-fetch.ipynb`;
const viaFetch = async () => {
  const put = await fetch(url, { method: 'PUT', headers, body: JSON.stringify(model) });
  if (!put.ok) throw new Error(`PUT ${put.status}`);
  await put.json();
  const get = await fetch(url, { headers });
  if (!get.ok) throw new Error(`GET ${get.status}`);
  return (await get.json()).content.cells.length;
};
const viaSdk = async () => {
  await jupyter.contents.save('bench-sdk.ipynb', model);
  return (await jupyter.contents.get('bench-sdk.ipynb')).content.cells.length;
};

const times = { fetch: [], sdk: [] };
const cpu = { fetch: 0, sdk: 0 };
await viaFetch();
await viaSdk(); // warm-up
for (let i = 0; i < ROUNDS; i++) {
  for (const [name, fn] of i % 2 ? [['sdk', viaSdk], ['fetch', viaFetch]] : [['fetch', viaFetch], ['sdk', viaSdk]]) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const n = await fn();
    times[name].push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu[name] += (c.user + c.system) / 1000;
    if (n !== 500) throw new Error(`${name} read back ${n} cells`);
  }
}
await server.stop();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const row = (name) => ({
  client: name,
  'median save+load (ms)': median(times[name]).toFixed(1),
  'total (ms)': sum(times[name]).toFixed(0),
  'client CPU per round (ms)': (cpu[name] / ROUNDS).toFixed(1),
});
console.table([row('fetch'), row('sdk')]);
console.log(`jupyter-sdk / plain fetch (total wall): ${(sum(times.sdk) / sum(times.fetch)).toFixed(3)}x (target <= 1.1x)`);
