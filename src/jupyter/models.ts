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
/** A file model; `content` is text or base64 (see `format`) when asked for. */
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
/** A checkpoint of a file: its id and when it was taken. */
export type Checkpoint = S['Checkpoint'];
/** A running kernel: id, kernelspec name, execution state, connections and last activity. */
export type Kernel = S['Kernel'];
/** Body of `POST /api/kernels`: the kernelspec name and the working directory. */
export type KernelStart = S['KernelStart'];
/** One kernelspec: its name, `kernel.json` spec and resource URLs. */
export type KernelSpec = S['KernelSpec'];
/** Reply of `GET /api/kernelspecs`: the default kernelspec name and every kernelspec by name. */
export type KernelSpecs = S['KernelSpecs'];
/** A session: a notebook (or console) path tied to a kernel. */
export type Session = S['Session'];
/** Body of `POST /api/sessions`: path, type, name and the kernel to start or reuse. */
export type SessionCreate = S['SessionCreate'];
/** Body of `PATCH /api/sessions/{session}`: a new path, name, type or kernel. */
export type SessionPatch = S['SessionPatch'];
/** A running terminal: its name and last activity. */
export type Terminal = S['Terminal'];
/** Body of `POST /api/terminals`: an optional name and working directory. */
export type TerminalCreate = S['TerminalCreate'];
/** Reply of `GET /api/status`: start time, last activity, kernel and connection counts. */
export type Status = S['Status'];
/** Reply of `GET /api`: the server version. */
export type Version = S['Version'];
/** Reply of `GET /api/nbconvert`: exporters by name. */
export type NbconvertExporters = S['NbconvertExporters'];
/** Who the caller is (Jupyter Server 2.x `GET /api/me`): username, name, initials, avatar, color. */
export type Identity = S['Identity'];
/** Reply of `GET /api/me` (Jupyter Server 2.x): the caller's identity and granted permissions. */
export type Me = S['Me'];
/** A frontend config section: any JSON object. */
export type ConfigSection = S['ConfigSection'];
/** The JSON error body of Jupyter Server. */
export type JupyterErrorBody = S['Error'];
