// Notebook builders shared by the runner tests.
import type { ICodeCell, INotebookContent } from '@jupyterlab/nbformat';

/** A code cell with no outputs yet; `extra` sets id, metadata and the like. */
export const code = (source: string, extra: Partial<ICodeCell> = {}): ICodeCell => ({
  cell_type: 'code',
  source,
  metadata: {},
  outputs: [],
  execution_count: null,
  ...extra,
});

/** An nbformat 4.5 notebook for the python3 kernel. */
export const notebook = (...cells: INotebookContent['cells']): INotebookContent => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells,
});
