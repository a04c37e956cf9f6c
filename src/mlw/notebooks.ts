import type { RequestOptions } from '../core/http.js';
import { requireId } from '../core/validate.js';
import type { MlwNotebook, MlwNotebookUpdate, MlwNotebookWithSession } from './models.js';
import type { MlwClient } from './client.js';

/** Notebook contents, read and saved through MLW's Jupyter integration. */
export class MlwNotebooksResource {
  constructor(private readonly client: MlwClient) {}

  private path(projectId: string, resourceId: string): string {
    const p = encodeURIComponent(requireId(projectId, 'projectId'));
    const r = encodeURIComponent(requireId(resourceId, 'resourceId'));
    return `/projects/${p}/resources/${r}/jnb-content`;
  }

  /**
   * The notebook's contents model and the Jupyter session MLW attaches to it (starting a kernel
   * when none runs). `GET /projects/{projectID}/resources/{resourceID}/jnb-content`
   * @throws NotFoundError when the project or resource does not exist.
   * @throws PermissionDeniedError when the user lacks the MLW role (some versions need ADMIN).
   */
  async get(projectId: string, resourceId: string, options?: RequestOptions): Promise<MlwNotebookWithSession> {
    return this.client.http.request({ method: 'GET', path: this.path(projectId, resourceId) }, options);
  }

  /**
   * Saves the notebook; resolves to its model without content. `export: true` also writes a `.py`.
   * `PUT /projects/{projectID}/resources/{resourceID}/jnb-content`
   * @throws BadRequestError when the server refuses the body (e.g. a `type` other than `notebook`).
   */
  async update(projectId: string, resourceId: string, params: MlwNotebookUpdate, options?: RequestOptions): Promise<MlwNotebook> {
    const { content, format = 'json', type = 'notebook', ...rest } = params;
    return this.client.http.request(
      { method: 'PUT', path: this.path(projectId, resourceId), body: { content, format, type, ...rest } },
      options,
    );
  }
}
