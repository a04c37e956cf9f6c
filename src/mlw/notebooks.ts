import type { Http, RequestOptions } from '../core/http.js';
import { requireId } from '../core/validate.js';
import type { components } from '../generated/mlw.js';
import type { MlwNotebook, MlwNotebookUpdate, MlwNotebookWithSession } from './models.js';
import type { paths } from '../generated/mlw.js';

const JNB_CONTENT = '/projects/{projectID}/resources/{resourceID}/jnb-content';

/**
 * The spec's contents model with `content` typed as the nbformat notebook it is: the spec can only
 * say "a JSON object", `@jupyterlab/nbformat` says which one.
 */
function asNotebook(model: components['schemas']['NotebookContents']): MlwNotebook {
  return model as MlwNotebook;
}

/** Notebook contents, read and saved through MLW's Jupyter integration. */
export class MlwNotebooksResource {
  constructor(private readonly http: Http<paths>) {}

  private ids(projectId: string, resourceId: string): { projectID: string; resourceID: string } {
    return { projectID: requireId(projectId, 'projectId'), resourceID: requireId(resourceId, 'resourceId') };
  }

  /**
   * The notebook's contents model and the Jupyter session MLW attaches to it (starting a kernel
   * when none runs). `GET /projects/{projectID}/resources/{resourceID}/jnb-content`
   * @throws NotFoundError when the project or resource does not exist.
   * @throws PermissionDeniedError when the user lacks the MLW role (some versions need ADMIN).
   */
  async get(projectId: string, resourceId: string, options?: RequestOptions): Promise<MlwNotebookWithSession> {
    const res = await this.http.call('get', JNB_CONTENT, { path: this.ids(projectId, resourceId) }, options);
    return { ...res, data: asNotebook(res.data) };
  }

  /**
   * Saves the notebook; resolves to its model without content. `export: true` also writes a `.py`.
   * `PUT /projects/{projectID}/resources/{resourceID}/jnb-content`
   * @throws BadRequestError when the server refuses the body (e.g. a `type` other than `notebook`).
   */
  async update(projectId: string, resourceId: string, params: MlwNotebookUpdate, options?: RequestOptions): Promise<MlwNotebook> {
    const path = this.ids(projectId, resourceId);
    const { content, format = 'json', type = 'notebook', ...rest } = params;
    return asNotebook(await this.http.call('put', JNB_CONTENT, { path, body: { content, format, type, ...rest } }, options));
  }
}
