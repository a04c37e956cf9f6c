import type { Http, RequestOptions } from '../core/http.js';
import { InternalServerError, InvalidArgumentError, JupyterSDKError, NotFoundError } from '../core/errors.js';
import { normalizePath, requirePositiveInt } from '../core/validate.js';
import { toBase64 } from '../core/base64.js';
import type { Contents, ContentsCreateBody, ContentsSave, DirectoryContents, ContentsEntry } from './models.js';
import type { components, paths } from '../generated/jupyter-server.js';
import { jupyterParts, type JupyterCore } from './core.js';

type Spec = components['schemas'];

/** Query of {@link ContentsResource.get}. */
export interface ContentsGetParams {
  /** `false` returns the model without content (cheap stat). @default true */
  content?: boolean;
  /** Forces how the server reads the file. */
  type?: 'notebook' | 'file' | 'directory';
  /** For files: `text` or `base64`. */
  format?: 'text' | 'base64';
  /**
   * Ask for `hash` and `hash_algorithm` of a file or notebook (Jupyter Server 2.11+; ignored by
   * 1.x, and never asked for directories, which have none).
   */
  hash?: boolean;
}

/** Body of {@link ContentsResource.create}. */
export interface ContentsCreateParams {
  type?: 'notebook' | 'file' | 'directory';
  /** Extension for `file` (e.g. `.py`). */
  ext?: string;
}

/** Options of {@link ContentsResource.upload}: how to chunk and report, and the request options of every chunk. */
export interface UploadOptions extends RequestOptions {
  /** Bytes per request; data larger than this goes in chunks. @default 1048576 (1 MiB) */
  chunkSize?: number;
  /** Called after each chunk with the bytes sent so far and the total. */
  onProgress?: (progress: { loaded: number; total: number }) => void;
}

/** Data accepted by {@link ContentsResource.upload}. */
export type UploadData = string | Uint8Array | ArrayBuffer | Blob;

export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

/** Files, notebooks and directories. */
export class ContentsResource {
  readonly #http: Http<paths>;

  /** Built from a {@link JupyterCore} (or a `JupyterClient`), whose credentials and settings it shares. */
  constructor(jupyter: JupyterCore) {
    this.#http = jupyterParts(jupyter).http;
  }

  #file(path: string): { path: string } {
    return { path: this.#checked(path) };
  }

  /**
   * A file, notebook or directory model; directories list their entries in `content`.
   * `GET /api/contents/{path}`
   *
   * With `hash: true`, files and notebooks come with `hash` and `hash_algorithm` (Jupyter Server
   * 2.11+; 1.x ignores the parameter). Directories have no hash: none is asked for the root or with
   * `type: 'directory'`, and a directory asked for with a hash is fetched again without one, as
   * 2.20 and 2.21 answer that with 500 `Keys unexpectedly None: ['hash', 'hash_algorithm']`.
   * @throws NotFoundError when nothing exists at `path`.
   */
  async get(path: string, params: ContentsGetParams = {}, options?: RequestOptions): Promise<Contents> {
    const p = normalizePath(path);
    const hash = params.hash === true && p !== '' && params.type !== 'directory';
    const query = {
      content: params.content === undefined ? undefined : params.content ? (1 as const) : (0 as const),
      type: params.type,
      format: params.format,
      hash: hash ? (1 as const) : undefined,
    };
    // The root folder is a path of its own in the spec: `/api/contents/` would be redirected.
    if (!p) return typed(this.#http.call('get', '/api/contents', { query }, options));
    const work = typed(this.#http.call('get', '/api/contents/{path}', { path: { path: p }, query }, options));
    if (!hash) return work;
    return work.catch((error: unknown) => {
      if (!(error instanceof InternalServerError && /unexpectedly None.*hash/i.test(error.serverMessage ?? ''))) throw error;
      return typed(this.#http.call('get', '/api/contents/{path}', { path: { path: p }, query: { ...query, hash: undefined } }, options));
    });
  }

  /** The entries of a directory (models without content). `GET /api/contents/{path}?type=directory` */
  async list(dirPath = '', options?: RequestOptions): Promise<ContentsEntry[]> {
    const dir = (await this.get(dirPath, { type: 'directory' }, options)) as DirectoryContents;
    return dir.content ?? [];
  }

  /** Creates an untitled notebook, file or directory in `dirPath`; the server picks the name. `POST /api/contents/{path}` */
  async create(dirPath = '', params: ContentsCreateParams = { type: 'notebook' }, options?: RequestOptions): Promise<Contents> {
    return this.#post(dirPath, params, options);
  }

  /** Saves a model at `path`, creating or replacing it. `PUT /api/contents/{path}` */
  async save(path: string, model: ContentsSave, options?: RequestOptions): Promise<Contents> {
    return typed(this.#http.call('put', '/api/contents/{path}', { path: this.#file(path), body: model as Spec['ContentsSave'] }, options));
  }

  /**
   * Uploads a file, in chunks when it is larger than `chunkSize` (the contents API's `chunk` field).
   * Strings are sent as UTF-8. `PUT /api/contents/{path}`
   *
   * A chunked upload that fails (an error, an abort, a throwing `onProgress`) leaves `path` as it
   * was: a new file is removed again, and an existing file is only replaced once every chunk is in,
   * as the chunks go to a sibling `<name>.upload-<random>.part` first. Replacing a file that way
   * drops its checkpoint, as a delete does. Whether `path` exists is read from its folder's
   * listing first (one `GET` of the folder, whose size grows with the number of entries), not
   * from a request for `path` itself, which would be a 404 in the browser console for every new file.
   * A fourth argument of request options, as earlier versions took, still works; they now go in `options`.
   * @example await jupyter.contents.upload('data/big.bin', bytes, { onProgress: (p) => console.log(p.loaded), signal })
   */
  async upload(path: string, data: UploadData, uploadOptions: UploadOptions = {}, requestOptions?: RequestOptions): Promise<Contents> {
    const { chunkSize: size = DEFAULT_CHUNK_SIZE, onProgress, ...request } = uploadOptions;
    const opts = { onProgress };
    const options: RequestOptions = { ...request, ...requestOptions };
    const target = this.#file(path);
    const chunkSize = requirePositiveInt(size, 'chunkSize');
    const source = toSource(data);
    const count = Math.max(1, Math.ceil(source.size / chunkSize));
    // One request: the server writes the file in one go, so there is nothing half-done to protect.
    if (count === 1) return this.#putChunks(target.path, source, chunkSize, 1, opts, options);
    const exists = await this.#exists(target.path, options);
    const dest = exists ? `${target.path}.upload-${Math.random().toString(16).slice(2, 10)}.part` : target.path;
    let model: Contents;
    try {
      model = await this.#putChunks(dest, source, chunkSize, count, opts, options);
    } catch (error) {
      // Without the caller's signal: after an abort, the clean-up must still go out.
      await this.delete(dest, { ...options, signal: undefined }).catch(() => undefined);
      throw error;
    }
    if (!exists) return model;
    await this.delete(target.path, options);
    try {
      return await this.rename(dest, target.path, options);
    } catch (error) {
      throw new JupyterSDKError(`Uploaded ${target.path} completely to ${dest}, but could not move it into place: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * Whether `path` exists, read from its folder's listing: asking for the path itself answers 404
   * for every new file, which a browser logs as a failed request in its console. The listing hides
   * dot-files (unless the server allows hidden files), so those are asked for directly.
   * @throws NotFoundError when the folder does not exist
   */
  async #exists(path: string, options: RequestOptions | undefined): Promise<boolean> {
    const slash = path.lastIndexOf('/');
    const name = path.slice(slash + 1);
    if (name.startsWith('.')) {
      return this.get(path, { content: false }, options).then(
        () => true,
        (e: unknown) => (e instanceof NotFoundError ? false : Promise.reject(e)),
      );
    }
    return (await this.list(slash < 0 ? '' : path.slice(0, slash), options)).some((entry) => entry.name === name);
  }

    async #putChunks(path: string, source: ByteSource, chunkSize: number, count: number, opts: Pick<UploadOptions, 'onProgress'>, options: RequestOptions | undefined): Promise<Contents> {
    const name = path.split('/').pop();
    const total = source.size;
    let model: Contents | undefined;
    for (let i = 0; i < count; i++) {
      const start = i * chunkSize;
      const bytes = await source.slice(start, Math.min(total, start + chunkSize));
      const body: Spec['ContentsSave'] = { type: 'file', format: 'base64', name, content: toBase64(bytes) };
      // chunk 1 creates the file, 2.. append, -1 appends and finishes.
      if (count > 1) body.chunk = i === count - 1 ? -1 : i + 1;
      // An appended chunk is not safe to repeat: a retry after a lost answer would write it twice.
      const chunkOptions = count > 1 && i > 0 ? { ...options, maxRetries: 0 } : options;
      model = await typed(this.#http.call('put', '/api/contents/{path}', { path: { path }, body }, chunkOptions));
      opts.onProgress?.({ loaded: start + bytes.length, total });
    }
    return model!;
  }

  /** Copies a file into `toDirPath`; the server names the copy (`name-Copy1.ext`). `POST /api/contents/{toDir}` */
  async copy(fromPath: string, toDirPath: string, options?: RequestOptions): Promise<Contents> {
    return this.#post(toDirPath, { copy_from: this.#checked(fromPath) }, options);
  }

  /**
   * Renames or moves a file or directory. `PATCH /api/contents/{path}`
   * @throws ConflictError when `newPath` exists; nothing is overwritten.
   */
  async rename(path: string, newPath: string, options?: RequestOptions): Promise<Contents> {
    const body = { path: this.#checked(newPath) };
    return typed(this.#http.call('patch', '/api/contents/{path}', { path: this.#file(path), body }, options));
  }

  /**
   * Deletes a file or a directory. `DELETE /api/contents/{path}`
   * @throws BadRequestError for a directory that holds files, unless the server moves deletions
   * to the trash (`delete_to_trash`, its default) or has `always_delete_dir` set
   */
  async delete(path: string, options?: RequestOptions): Promise<void> {
    await this.#http.call('delete', '/api/contents/{path}', { path: this.#file(path) }, options, 'none');
  }

  /** `POST` into a folder: create an untitled entry, or copy (`copy_from`). */
  #post(dirPath: string, body: ContentsCreateBody, options: RequestOptions | undefined): Promise<Contents> {
    const p = normalizePath(dirPath);
    return typed(p ? this.#http.call('post', '/api/contents/{path}', { path: { path: p }, body }, options) : this.#http.call('post', '/api/contents', { body }, options));
  }

  #checked(path: string): string {
    const p = normalizePath(path);
    if (!p) throw new InvalidArgumentError('path must name a file, not the root folder');
    return p;
  }
}

/** A model as the spec types it, with the notebook typed as the nbformat notebook it is. */
function typed(model: Promise<Spec['Contents']>): Promise<Contents> {
  return model as Promise<Contents>;
}

interface ByteSource {
  size: number;
  slice(start: number, end: number): Promise<Uint8Array>;
}

function toSource(data: UploadData): ByteSource {
  if (typeof data === 'string') data = new TextEncoder().encode(data);
  if (data instanceof ArrayBuffer) data = new Uint8Array(data);
  if (data instanceof Uint8Array) {
    const bytes = data;
    return { size: bytes.length, slice: async (a, b) => bytes.subarray(a, b) };
  }
  if (typeof Blob !== 'undefined' && data instanceof Blob) {
    const blob = data;
    // Read one chunk at a time so a large Blob is never held in memory whole.
    return { size: blob.size, slice: async (a, b) => new Uint8Array(await blob.slice(a, b).arrayBuffer()) };
  }
  throw new InvalidArgumentError('upload data must be a string, Uint8Array, ArrayBuffer or Blob');
}
