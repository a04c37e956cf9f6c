/**
 * Runs one notebook with several sets of parameters at once, each in its own kernel, as papermill
 * users do: the values go into a cell tagged `injected-parameters`, and each result comes back
 * in the order of the items, failures included.
 * Uses JUPYTER_URL and JUPYTER_TOKEN when set; otherwise starts a local Jupyter server for the run.
 *   npm run example examples/run-notebooks.ts
 */
import { readFile } from 'node:fs/promises';
import type { ICodeCell, INotebookContent } from '@jupyterlab/nbformat';
import { JupyterClient, ParameterError, runNotebook, runNotebooks } from 'jupyter-sdk';
import { startJupyterServer } from 'jupyter-sdk/server';

const report = JSON.parse(await readFile('examples/notebooks/report.ipynb', 'utf8')) as INotebookContent;

const local = process.env.JUPYTER_URL ? undefined : await startJupyterServer({ kernelHistory: 'memory' });
const jupyter = new JupyterClient({
  baseUrl: process.env.JUPYTER_URL ?? local!.url,
  token: process.env.JUPYTER_TOKEN ?? local!.token,
});

try {
  const items = [
    { notebook: report, parameters: { region: 'north', year: 2025 } },
    { notebook: report, parameters: { region: 'south', year: 2026, growth: 0.1 } },
    // A bad value fails this item alone; the others still run.
    { notebook: report, parameters: { region: 'east', year: 'next' } },
  ];
  const results = await runNotebooks(jupyter, items, {
    jobs: 2, // kernels at once; default: the number of CPUs
    onProgress: (e) => {
      if (e.type === 'finished') console.log(`finished item ${e.index}: ${e.result.ok ? 'ok' : 'failed'}`);
    },
  });
  for (const r of results) {
    const region = r.item.parameters.region;
    if (r.ok) {
      const out = (r.notebook.cells[3] as ICodeCell).outputs[0] as { text?: string | string[] };
      console.log(`${region}: ${[out.text ?? ''].flat().join('').trim()} in ${r.seconds.toFixed(1)} s`);
    } else {
      console.log(`${region}: ${r.error.name}: ${r.error.message.split('\n')[0]}`);
    }
  }

  // Names are checked before any kernel starts: this throws ParameterError at once.
  await runNotebook(jupyter, report, { parameters: { 'not a name': 1 } }).catch((error: unknown) => {
    if (error instanceof ParameterError) console.log(`refused: ${error.code}: ${error.message}`);
    else throw error;
  });
} finally {
  await local?.stop();
}
