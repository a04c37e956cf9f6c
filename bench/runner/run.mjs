#!/usr/bin/env node
// Wall time to run the test notebooks, end to end, with our CLI and with nbclient / nbconvert
// (Debian's python3-nbclient, /usr/bin/python3) on the same machine, interleaved so machine noise
// hits all alike; the median of ROUNDS runs each. Also runNotebook in-process on a server that is
// already up (kernel start + cells only). Target: the CLI is not slower than nbclient.
// Prints figures; asserts nothing. Needs `npm run build`.
//   npm run build && npm run bench:runner            (ROUNDS=5 by default; ROUNDS=3 NOTEBOOKS=many-cells.ipynb for a quick look)
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { JupyterClient, runNotebook } from '../../dist/index.js';
import { startJupyterServer } from '../../dist/server.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(repo, 'test', 'fixtures', 'notebooks');
const NOTEBOOKS = (process.env.NOTEBOOKS ?? 'many-cells.ipynb,basic.ipynb,display.ipynb,errors.ipynb').split(',');
const PY = '/usr/bin/python3';
const exec = promisify(execFile);
const work = await mkdtemp(join(tmpdir(), 'bench-runner-'));
const env = { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1', JUPYTER_URL: '', JUPYTER_TOKEN: '' };

const NBCLIENT = `
import sys, nbformat, nbclient
nb = nbformat.read(sys.argv[1], as_version=4)
nbclient.NotebookClient(nb, kernel_name='python3', allow_errors=True).execute()
nbformat.write(nb, sys.argv[2])
`;
const hasNbconvert = (() => {
  try {
    execFileSync(PY, ['-c', 'import nbconvert'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const contenders = {
  'jupyter-sdk run (CLI, starts its own server)': (nb, out) =>
    exec(process.execPath, [join(repo, 'dist', 'cli.js'), 'run', nb, '--out', out, '--allow-errors', '--progress', 'none'], { env }),
  'nbclient (python3 -c NotebookClient.execute)': (nb, out) => exec(PY, ['-c', NBCLIENT, nb, out], { env, cwd: work }),
};
if (hasNbconvert) {
  contenders['jupyter nbconvert --to notebook --execute'] = (nb, out) =>
    exec(PY, ['-m', 'nbconvert', '--to', 'notebook', '--execute', '--allow-errors', '--output', out, nb], { env, cwd: work });
}

// In-process: one server for all rounds, so this measures kernel start + cells, not server start.
const server = await startJupyterServer({ nodelay: true });
const jupyter = new JupyterClient({ baseUrl: server.url, token: server.token });
contenders['runNotebook in-process (server already up)'] = async (nb) => {
  const notebook = JSON.parse(await readFile(nb, 'utf8'));
  await runNotebook(jupyter, notebook, { stopOnError: false });
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
try {
  for (const name of NOTEBOOKS) {
    const nb = join(fixtures, name);
    const cells = JSON.parse(await readFile(nb, 'utf8')).cells.filter((c) => c.cell_type === 'code').length;
    const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
    const entries = Object.entries(contenders);
    await entries[0][1](nb, join(work, 'warm.ipynb')); // warm the page cache once
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order each round so no contender always runs on a cold or warm machine.
      for (let j = 0; j < entries.length; j++) {
        const [label, fn] = entries[(round + j) % entries.length];
        const t0 = performance.now();
        await fn(nb, join(work, `out-${j}.ipynb`));
        times[label].push(performance.now() - t0);
      }
    }
    for (const [label, xs] of Object.entries(times)) {
      rows.push({ notebook: `${name} (${cells} code cells)`, runner: label, 'median (s)': (median(xs) / 1000).toFixed(2), 'min (s)': (Math.min(...xs) / 1000).toFixed(2), runs: xs.length });
    }
  }
} finally {
  await server.stop();
  await rm(work, { recursive: true, force: true });
}

console.log(`rounds: ${ROUNDS}, node ${process.version}, ${hasNbconvert ? 'nbconvert available' : 'nbconvert not installed'}`);
console.table(rows);
for (const name of NOTEBOOKS) {
  const of = (label) => Number(rows.find((r) => r.notebook.startsWith(name) && r.runner.startsWith(label))?.['median (s)']);
  const ratio = of('jupyter-sdk run') / of('nbclient');
  console.log(`${name}: CLI / nbclient = ${ratio.toFixed(2)}x ${ratio <= 1 ? '(target met: not slower)' : '(target missed: slower)'}`);
}
