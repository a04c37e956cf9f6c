/**
 * Runs a notebook with the library: the notebook's outputs come back as an nbformat object.
 * Uses JUPYTER_URL and JUPYTER_TOKEN when set; otherwise starts a local Jupyter server for the run.
 *   npm run example examples/run-notebook.ts [examples/notebooks/hello.ipynb]
 * The executed notebook is written to the temp folder.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { INotebookContent } from '@jupyterlab/nbformat';
import { CellExecutionError, CellTimeoutError, JupyterClient, runNotebook } from 'jupyter-sdk';
import { startJupyterServer } from 'jupyter-sdk/server';

const input = process.argv[2] ?? 'examples/notebooks/hello.ipynb';
const notebook = JSON.parse(await readFile(input, 'utf8')) as INotebookContent;

const local = process.env.JUPYTER_URL ? undefined : await startJupyterServer();
const jupyter = new JupyterClient({
  baseUrl: process.env.JUPYTER_URL ?? local!.url,
  token: process.env.JUPYTER_TOKEN ?? local!.token,
});

try {
  const executed = await runNotebook(jupyter, notebook, {
    cellTimeout: 60_000, // ms per cell
    stopOnError: true, // throw CellExecutionError at the first failing cell
    onProgress: ({ index, count, status }) => {
      if (status !== 'running' && status !== 'skipped') console.log(`cells[${index}] ${status} (${index + 1}/${count})`);
    },
  });
  for (const cell of executed.cells) {
    if (cell.cell_type !== 'code') continue;
    for (const output of cell.outputs as Array<{ output_type: string; text?: string | string[] }>) {
      if (output.output_type === 'stream') process.stdout.write([output.text ?? ''].flat().join(''));
    }
  }
  const out = join(tmpdir(), basename(input, '.ipynb') + '.out.ipynb');
  await writeFile(out, JSON.stringify(executed, null, 1) + '\n');
  console.log('executed notebook written to', out);

  // A notebook that lives on the server runs by path, in its own folder; it is written back only
  // when asked (save: true), or to another path (outputPath):
  // await runNotebook(jupyter, 'reports/weekly.ipynb', { outputPath: 'reports/weekly.out.ipynb' });
} catch (error) {
  if (error instanceof CellExecutionError) console.error(`cells[${error.cellIndex}] failed: ${error.ename}: ${error.evalue}`);
  else if (error instanceof CellTimeoutError) console.error(`cells[${error.cellIndex}] took longer than ${error.timeout} ms`);
  else throw error;
  // Both carry the notebook as far as it ran, the failing cell's outputs so far included.
  if (error.notebook) {
    const out = join(tmpdir(), basename(input, '.ipynb') + '.partial.ipynb');
    await writeFile(out, JSON.stringify(error.notebook, null, 1) + '\n');
    console.error('partial notebook written to', out);
  }
  process.exitCode = 1;
} finally {
  await local?.stop();
}
