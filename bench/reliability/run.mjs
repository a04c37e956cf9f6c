#!/usr/bin/env node
// Completion under load: KERNELS kernels x EXECUTES pipelined `print(tag)` executes each, all at
// once on one server (the machine's cores shared by every kernel). Prints how many executes
// resolved with exactly their own output, with none (lost), with something else (wrong), flagged
// incomplete, and the execute latency. Asserts nothing.
//   npm run build && node bench/reliability/run.mjs
// Env: KERNELS (default 20), EXECUTES (default 50), NODELAY=0 for the stock (Nagle) server,
//      BUSY=1 to keep the kernels busy after each print (sum(range(300_000))), so iopub trails the replies more.
import { startJupyterServer } from '../../dist/server.js';
import { JupyterClient } from '../../dist/index.js';

const KERNELS = Number(process.env.KERNELS ?? 20);
const BUSY = process.env.BUSY === '1';
const EXECUTES = Number(process.env.EXECUTES ?? 50);
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const server = await startJupyterServer({ nodelay: process.env.NODELAY !== '0' });
const jupyter = new JupyterClient({ baseUrl: server.url, token: server.token });
const ids = [];
try {
  const kernels = await Promise.all(
    Array.from({ length: KERNELS }, async () => {
      const { id } = await jupyter.kernels.start({ name: 'python3' });
      ids.push(id);
      return jupyter.kernels.connect(id);
    }),
  );
  const counts = { ok: 0, lost: 0, wrong: 0, incomplete: 0, rejected: 0 };
  const reasons = {};
  const latency = [];
  const samples = [];
  const t0 = performance.now();
  await Promise.all(
    kernels.map((k, ki) =>
      Promise.all(
        Array.from({ length: EXECUTES }, async (_, i) => {
          const tag = `out-${ki}-${i}`;
          const start = performance.now();
          try {
            const r = await k.run(BUSY ? `print('${tag}', flush=True)\n_ = sum(range(300_000))` : `print('${tag}')`);
            latency.push(performance.now() - start);
            if (r.incomplete) (counts.incomplete++, (reasons[r.incompleteReason] = (reasons[r.incompleteReason] ?? 0) + 1));
            // IPython may print a warning of its own under load (a locked history database), glued
            // to the front of our line: only our tags count.
            const lines = r.outputs.flatMap((o) => (o.output_type === 'stream' ? String(o.text).split('\n') : [])).filter((l) => l.includes('out-')).map((l) => l.slice(l.indexOf('out-')));
            if (lines.length === 0) (counts.lost++, samples.length < 5 && samples.push(`${tag}: ${JSON.stringify(r)}`));
            else if (lines.length !== 1 || lines[0] !== tag) (counts.wrong++, samples.length < 5 && samples.push(`${tag}: ${JSON.stringify(lines)}`));
            else counts.ok++;
          } catch (e) {
            counts.rejected++;
            if (samples.length < 5) samples.push(`${tag}: ${e}`);
          }
        }),
      ),
    ),
  );
  const wall = (performance.now() - t0) / 1000;
  latency.sort((a, b) => a - b);
  console.log(`\n${KERNELS} kernels x ${EXECUTES} pipelined print executes (${KERNELS * EXECUTES} in all${BUSY ? ', kernels kept busy' : ''}), ${process.env.NODELAY === '0' ? 'stock' : 'no-Nagle'} server, ${wall.toFixed(1)} s`);
  console.table([
    {
      'own output': counts.ok,
      lost: counts.lost,
      wrong: counts.wrong,
      rejected: counts.rejected,
      'flagged incomplete': counts.incomplete,
      'latency p50 ms': pct(latency, 50)?.toFixed(0),
      'p95 ms': pct(latency, 95)?.toFixed(0),
      'max ms': latency.at(-1)?.toFixed(0),
    },
  ]);
  if (counts.incomplete) console.log('incomplete reasons:', reasons);
  if (samples.length) console.log('samples:', samples);
  await Promise.all(kernels.map((k) => k.close()));
} finally {
  await Promise.all(ids.map((id) => jupyter.kernels.shutdown(id).catch(() => {})));
  await server.stop();
}
