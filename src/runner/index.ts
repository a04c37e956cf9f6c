export { runNotebook, type RunNotebookOptions, type RunProgress, type CellProgressStatus } from './run-notebook.js';
export {
  runNotebooks,
  BatchAbortedError,
  type NotebookJob,
  type NotebookResult,
  type BatchProgress,
  type RunNotebooksOptions,
} from './run-notebooks.js';
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
export {
  ParameterError,
  PythonFloat,
  type ParameterErrorCode,
  type ParameterValue,
  type Parameters,
  type ParameterRenderer,
  type ParameterRenderContext,
} from './parameters.js';
export { validateNotebook, InvalidNotebookError } from './cells.js';
export type { CellTiming } from './cells.js';
