/**
 * Friendly names for the MLW models, generated from spec/mlw.yaml.
 * Users import these instead of indexing the generated `components`.
 */
import type { INotebookContent } from '@jupyterlab/nbformat';
import type { components } from '../generated/mlw.js';

type S = components['schemas'];

/** A notebook's Jupyter contents model; `content` is the nbformat 4 notebook, `null` in a save's answer. */
export type MlwNotebook = Omit<S['NotebookContents'], 'content'> & { content: INotebookContent | null };
/** A Jupyter session that MLW started for a notebook. */
export type MlwSession = S['Session'];
/** A Jupyter kernel of an {@link MlwSession}. */
export type MlwKernel = S['Kernel'];
/** Reply of `GET .../jnb-content`: the notebook and the session attached to it. */
export type MlwNotebookWithSession = { data: MlwNotebook; session: MlwSession };
/** A session in `GET /jnb-sessions`, with the project and file it belongs to. */
export type MlwSessionWithProject = S['SessionWithProject'];
/** Body of `PUT .../jnb-content`; `format` and `type` default to `json` and `notebook`. */
export type MlwNotebookUpdate = Omit<S['NotebookUpdate'], 'content' | 'format' | 'type'> & {
  /** The nbformat 4 notebook. */
  content: INotebookContent | S['NotebookUpdate']['content'];
  /** @default 'json' */
  format?: S['NotebookUpdate']['format'];
  /** @default 'notebook' */
  type?: S['NotebookUpdate']['type'];
};
export type MlwProject = S['Project'];
/** A project with its resources grouped by category (`code` holds the notebooks). */
export type MlwProjectWithResources = S['ProjectWithResources'];
export type MlwResource = S['Resource'];
export type MlwResourceGroups = S['ResourceGroups'];
/** Body of `POST .../resources/createnew`. */
export type MlwResourceCreate = S['ResourceCreate'];
/** The error bodies MLW answers with (gateway, MLW application, validation, Jupyter passthrough). */
export type MlwErrorBody = S['ErrorBody'];
export type MlwPlatformError = S['PlatformError'];
export type MlwApplicationError = S['MlwApplicationError'];
export type MlwJupyterError = S['JupyterError'];
export type MlwValidationIssue = S['ValidationIssue'];
