/**
 * Friendly names for the Jupyter Server models, generated from spec/jupyter-server.yaml.
 * Users import these instead of indexing the generated `components`.
 */
import type { INotebookContent } from '@jupyterlab/nbformat';
import type { components } from '../generated/jupyter-server.js';

type S = components['schemas'];

/** A file, notebook or directory model, discriminated on `type`. */
export type Contents = NotebookContents | FileContents | DirectoryContents;
/**
 * A notebook model. `content` is the nbformat notebook (`null` when read with `content: false`):
 * the spec can only say "a JSON object", `@jupyterlab/nbformat` says which one.
 */
export type NotebookContents = Omit<S['NotebookContents'], 'content'> & { content: INotebookContent | null };
export type FileContents = S['FileContents'];
/** A directory model; `content` lists its entries (models without content). */
export type DirectoryContents = Omit<S['DirectoryContents'], 'content'> & { content: Contents[] | null };
/** An entry of a directory listing (a model without content). */
export type ContentsEntry = NonNullable<DirectoryContents['content']>[number];
/** Body of `POST /api/contents/{path}`: an untitled entry to create, or `copy_from`. */
export type ContentsCreateBody = S['ContentsCreate'];
/**
 * Body of `PUT /api/contents/{path}`: a file's text or base64, or an nbformat notebook. A model
 * read from the server is accepted as it is.
 */
export type ContentsSave = Omit<S['ContentsSave'], 'format' | 'content'> & {
  /** `json` for notebooks, `text` or `base64` for files. */
  format?: S['ContentsSave']['format'] | null | undefined;
  /** File text or base64, or an nbformat 4 notebook. */
  content?: string | INotebookContent | S['ContentsSave']['content'] | null | undefined;
};
export type Checkpoint = S['Checkpoint'];
export type Kernel = S['Kernel'];
export type KernelStart = S['KernelStart'];
export type KernelSpec = S['KernelSpec'];
export type KernelSpecs = S['KernelSpecs'];
export type Session = S['Session'];
export type SessionCreate = S['SessionCreate'];
export type SessionPatch = S['SessionPatch'];
export type Terminal = S['Terminal'];
export type TerminalCreate = S['TerminalCreate'];
export type Status = S['Status'];
export type Version = S['Version'];
/** Reply of `GET /api/nbconvert`: exporters by name. */
export type NbconvertExporters = S['NbconvertExporters'];
export type Identity = S['Identity'];
/** Reply of `GET /api/me` (Jupyter Server 2.x): the caller's identity and granted permissions. */
export type Me = S['Me'];
export type ConfigSection = S['ConfigSection'];
/** The JSON error body of Jupyter Server. */
export type JupyterErrorBody = S['Error'];
