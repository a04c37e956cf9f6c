/**
 * Friendly names for the WNology notebook models, generated from spec/wnology.yaml.
 * Users import these instead of indexing the generated `components`.
 */
import type { components } from '../generated/wnology.js';

type S = components['schemas'];

export type Notebook = S['Notebook'];
/** One page of `GET /applications/{applicationId}/notebooks`. */
export type Notebooks = S['Notebooks'];
/** Body of `POST /applications/{applicationId}/notebooks`. */
export type NotebookPost = S['NotebookPost'];
/** Body of `PATCH .../notebooks/{notebookId}`: any subset; `inputs`/`outputs` replace the arrays. */
export type NotebookPatch = S['NotebookPatch'];
/** An input of a notebook as the server returns it (in {@link Notebook}); unknown keys are tolerated. */
export type NotebookInput = S['NotebookInput'];
/** An output of a notebook as the server returns it (in {@link Notebook}); unknown keys are tolerated. */
export type NotebookOutput = S['NotebookOutput'];
/** An input as sent in {@link NotebookPost} and {@link NotebookPatch}: no keys beyond its variant's. */
export type NotebookInputBody = S['NotebookInputBody'];
/** An output as sent in {@link NotebookPost} and {@link NotebookPatch}: no keys beyond its variant's. */
export type NotebookOutputBody = S['NotebookOutputBody'];
export type NotebookStats = S['NotebookStats'];
export type ImageVersion = S['ImageVersion'];
export type NotebookSortField = S['NotebookSortField'];
/** Body of `POST .../execute`; `{}` runs with the defaults. */
export type NotebookExecutionOptions = S['NotebookExecutionOptions'];
/** Body of `POST .../requestInputDataExport`. */
export type NotebookDataExportOptions = S['NotebookDataExportOptions'];
/** One execution record, as `GET .../logs` returns it. */
export type NotebookExecutionLog = S['NotebookExecutionLog'];
export type NotebookExecutionStatus = S['NotebookExecutionStatus'];
export type NotebookMinuteCounts = S['NotebookMinuteCounts'];
export type WnologySuccess = S['Success'];
export type SuccessWithExecutionId = S['SuccessWithExecutionId'];
export type JobEnqueuedResult = S['JobEnqueuedResult'];
/** The `{type, message}` error body of every WNology action. */
export type WnologyErrorBody = S['Error'];
