#!/usr/bin/env node
// Throughput of batch runs: 40 small notebooks (a few cells of light work, one parameter each) run
// by `jupyter-sdk run --jobs 1` and `--jobs 4` (each starting its own embedded server) and by
// nbclient one after another in one Python process (Debian's python3-nbclient), in the same run,
// ROUNDS times in rotating order; the median wall time of each. Prints figures; asserts nothing.
// Targets: --jobs 4 at least 1.7x the throughput of --jobs 1 on a 2-core machine; --jobs 1 not
// slower than nbclient. Needs `npm run build`.
//   npm run build && npm run bench:runner:batch          (ROUNDS=3 NOTEBOOKS=40 by default)
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const COUNT = Number(process.env.NOTEBOOKS ?? 40);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(repo, 'dist', 'cli.js');
const PY = '/usr/bin/python3';
const exec = promisify(execFile);
const work = await mkdtemp(join(tmpdir(), 'bench-batch-'));
const env = { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1', JUPYTER_URL: '', JUPYTER_TOKEN: '' };

const cell = (source, tags) => ({ cell_type: 'code', id: Math.random().toString(16).slice(2, 10), source, metadata: tags ? { tags } : {}, outputs: [], execution_count: null });
const notebook = (i) => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    cell(`seed = ${i}`, ['parameters']),
    cell('import math, statistics'),
    cell('xs = [math.sin(seed + k / 10) for k in range(2000)]\nprint(round(statistics.mean(xs), 6))'),
    cell("words = ' '.join(str(k) for k in range(500)).split()\nlen(words)"),
    cell('{k: k * k for k in range(20)}'),
  ],
});

const inputs = join(work, 'in');
await mkdir(inputs);
const files = [];
for (let i = 0; i < COUNT; i++) {
  const file = join(inputs, `nb-${String(i).padStart(2, '0')}.ipynb`);
  await writeFile(file, JSON.stringify(notebook(i)));
  files.push(file);
}

const NBCLIENT = `
import sys, os, nbformat, nbclient
out = sys.argv[1]
for path in sys.argv[2:]:
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, kernel_name='python3').execute()
    nbformat.write(nb, os.path.join(out, os.path.basename(path)))
`;

const cliRun = (jobs) => async (out) => {
  await exec(process.execPath, [cli, 'run', ...files, '--jobs', String(jobs), '--out-dir', out, '--progress', 'none'], { env, cwd: work, maxBuffer: 16 << 20 });
};
const contenders = {
  'jupyter-sdk run --jobs 1': cliRun(1),
  'jupyter-sdk run --jobs 4': cliRun(4),
  'nbclient, one process, one after another': (out) => exec(PY, ['-c', NBCLIENT, out, ...files], { env, cwd: work }),
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
const entries = Object.entries(contenders);
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (let j = 0; j < entries.length; j++) {
      const [label, fn] = entries[(round + j) % entries.length];
      const out = join(work, `out-${round}-${j}`);
      await mkdir(out);
      const t0 = performance.now();
      await fn(out);
      times[label].push(performance.now() - t0);
      // Every contender must have produced every notebook, executed.
      const written = await readdir(out);
      if (written.length !== COUNT) throw new Error(`${label} wrote ${written.length} of ${COUNT} notebooks`);
      const sample = JSON.parse(await readFile(join(out, written[0]), 'utf8'));
      if (!sample.cells.some((c) => c.outputs?.length)) throw new Error(`${label} wrote a notebook without outputs`);
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

const rows = Object.entries(times).map(([runner, xs]) => ({
  runner,
  'median (s)': (median(xs) / 1000).toFixed(2),
  'notebooks/s': ((COUNT / median(xs)) * 1000).toFixed(2),
  'min (s)': (Math.min(...xs) / 1000).toFixed(2),
  runs: xs.length,
}));
console.log(`${COUNT} notebooks, ${ROUNDS} rounds, ${availableParallelism()} CPUs, node ${process.version}`);
console.table(rows);
const rate = (label) => COUNT / median(times[label]);
const speedup = rate('jupyter-sdk run --jobs 4') / rate('jupyter-sdk run --jobs 1');
const vsNbclient = rate('jupyter-sdk run --jobs 1') / rate('nbclient, one process, one after another');
console.log(`--jobs 4 / --jobs 1 throughput: ${speedup.toFixed(2)}x ${speedup >= 1.7 ? '(target >= 1.7x met)' : '(target >= 1.7x missed)'}`);
console.log(`--jobs 1 / nbclient throughput: ${vsNbclient.toFixed(2)}x ${vsNbclient >= 1 ? '(target: not slower, met)' : '(target: not slower, missed)'}`);
