export { runNotebook, type RunNotebookOptions, type RunProgress, type CellProgressStatus } from './run-notebook.js';
export { CellExecutionError, CellTimeoutError, type CellLocation } from './errors.js';
export type { CellTiming } from './cells.js';
