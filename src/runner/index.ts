export { runNotebook, type RunNotebookOptions, type RunProgress, type CellProgressStatus } from './run-notebook.js';
export {
  CellExecutionError,
  CellTimeoutError,
  KernelDiedError,
  KernelStartupError,
  RunAbortedError,
  partialNotebook,
  type CellLocation,
  type PartialRunError,
} from './errors.js';
export { validateNotebook } from './cells.js';
export type { CellTiming } from './cells.js';
