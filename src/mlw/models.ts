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
/** An MLW project. */
export type MlwProject = S['Project'];
/** A project with its resources grouped by category (`code` holds the notebooks). */
export type MlwProjectWithResources = S['ProjectWithResources'];
/** A file of an MLW project. */
export type MlwResource = S['Resource'];
/** A project's resources by category; notebooks are in `code`. */
export type MlwResourceGroups = S['ResourceGroups'];
/** Body of `POST .../resources/createnew`. */
export type MlwResourceCreate = S['ResourceCreate'];
/** The error bodies MLW answers with (gateway, MLW application, validation, Jupyter passthrough). */
export type MlwErrorBody = S['ErrorBody'];
/** The error body of the Cumulocity platform and its gateway; also MLW validation errors. */
export type MlwPlatformError = S['PlatformError'];
/** An error body of the MLW application itself. */
export type MlwApplicationError = S['MlwApplicationError'];
/** A Jupyter Server error body passed through by MLW. */
export type MlwJupyterError = S['JupyterError'];
/** One problem found by MLW's request validation (pydantic style). */
export type MlwValidationIssue = S['ValidationIssue'];
