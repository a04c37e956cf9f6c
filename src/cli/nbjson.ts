/**
 * Notebook files as nbformat writes them (`nbformat.write`): multi-line strings split into lists
 * of lines, keys sorted, one-space indent, non-ASCII kept, a final newline. Files written by the
 * CLI then diff cleanly against ones written by Jupyter.
 */
import type { INotebookContent } from '@jupyterlab/nbformat';

/** Serialises a notebook like nbformat's JSON writer. */
export function serializeNotebook(nb: INotebookContent): string {
  return `${JSON.stringify(sortKeys(splitLines(structuredClone(nb))), null, 1)}\n`;
}

/** Parses a notebook file, joining the line lists back into strings (nbformat's `reads`). */
export function parseNotebook(text: string): INotebookContent {
  return JSON.parse(text) as INotebookContent;
}

// Which strings nbformat stores as line lists: sources, stream text, and text mime data.
function splitLines(nb: INotebookContent): INotebookContent {
  for (const cell of nb.cells ?? []) {
    if (typeof cell.source === 'string') cell.source = lines(cell.source);
    const attachments = (cell as { attachments?: Record<string, Record<string, unknown>> }).attachments;
    for (const bundle of Object.values(attachments ?? {})) splitBundle(bundle);
    if (cell.cell_type !== 'code' || !Array.isArray(cell.outputs)) continue;
    for (const output of cell.outputs as Array<Record<string, unknown>>) {
      if (output.output_type === 'stream' && typeof output.text === 'string') output.text = lines(output.text);
      if ((output.output_type === 'execute_result' || output.output_type === 'display_data') && output.data) {
        splitBundle(output.data as Record<string, unknown>);
      }
    }
  }
  return nb;
}

// nbformat's `_split_mimebundle`: text/* and these two; base64 images and JSON stay whole.
const SPLIT_NON_TEXT = new Set(['application/javascript', 'image/svg+xml']);

function splitBundle(bundle: Record<string, unknown>): void {
  for (const [mime, value] of Object.entries(bundle)) {
    if (typeof value === 'string' && (mime.startsWith('text/') || SPLIT_NON_TEXT.has(mime))) bundle[mime] = lines(value);
  }
}

/** Python's `str.splitlines(True)` for `\n` line ends: each line keeps its newline. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function sortKeys(value: unknown): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
