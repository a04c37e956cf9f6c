/**
 * Friendly names for the WNology notebook models, generated from spec/wnology.yaml.
 * Users import these instead of indexing the generated `components`.
 */
import type { components } from '../generated/wnology.js';

type S = components['schemas'];

/** A WNology notebook: its inputs, outputs, image version and statistics. */
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
/** A notebook's usage in the current billing period (runs, minutes). */
export type NotebookStats = S['NotebookStats'];
/** The execution image (Python environment) a notebook runs on: `v1` to `v4`. */
export type ImageVersion = S['ImageVersion'];
/** Fields a notebook listing can be sorted by. */
export type NotebookSortField = S['NotebookSortField'];
/** Body of `POST .../execute`; `{}` runs with the defaults. */
export type NotebookExecutionOptions = S['NotebookExecutionOptions'];
/** Body of `POST .../requestInputDataExport`. */
export type NotebookDataExportOptions = S['NotebookDataExportOptions'];
/** One execution record, as `GET .../logs` returns it. */
export type NotebookExecutionLog = S['NotebookExecutionLog'];
/** Where an execution stands; `completed`, `errored`, `timeout` and `canceled` are final. */
export type NotebookExecutionStatus = S['NotebookExecutionStatus'];
/** Per-minute execution counts of a notebook. */
export type NotebookMinuteCounts = S['NotebookMinuteCounts'];
/** The `{ success: true }` reply of WNology actions. */
export type WnologySuccess = S['Success'];
/** Reply of an execution request: success and the new execution id. */
export type SuccessWithExecutionId = S['SuccessWithExecutionId'];
/** Reply of a queued job (an input data export): its job id. */
export type JobEnqueuedResult = S['JobEnqueuedResult'];
/** The `{type, message}` error body of every WNology action. */
export type WnologyErrorBody = S['Error'];
