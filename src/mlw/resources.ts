import type { Http, RequestOptions } from '../core/http.js';
import { InvalidArgumentError, JupyterSDKError } from '../core/errors.js';
import { requireId } from '../core/validate.js';
import type { MlwProjectWithResources, MlwResource } from './models.js';
import type { paths } from '../generated/mlw.js';

/** Query of {@link MlwResourcesResource.list} and {@link MlwResourcesResource.project}. */
export interface MlwResourcesListParams {
  /** Rescan the project folder first, to pick up files written by code or notebooks. */
  refresh?: boolean;
}

/** Body of {@link MlwResourcesResource.createNotebook}. */
export interface MlwNotebookCreateParams {
  /** File name, with or without the `.ipynb` extension. */
  name: string;
}

/** Files of a project: data, models, code, notebooks, pipelines. */
export class MlwResourcesResource {
  constructor(private readonly http: Http<paths>) {}

  private projectPath(projectId: string): { projectID: string } {
    return { projectID: requireId(projectId, 'projectId') };
  }

  /**
   * The project with its resources grouped by category; notebooks are in `resources.code`. The
   * same request as {@link list}, unflattened, for callers that need the project's fields or the
   * categories. `GET /projects/{projectID}/resources`
   * @example
   * const { name, resources } = await mlw.resources.project(projectId, { refresh: true });
   * const notebooks = resources.code ?? [];
   */
  async project(projectId: string, params: MlwResourcesListParams = {}, options?: RequestOptions): Promise<MlwProjectWithResources> {
    const query = { refresh: params.refresh };
    return this.http.call('get', '/projects/{projectID}/resources', { path: this.projectPath(projectId), query }, options);
  }

  /**
   * Every resource of the project, all categories in one array (each carries its `category`).
   * `GET /projects/{projectID}/resources`
   * @example
   * const nb = (await mlw.resources.list(projectId)).find((r) => r.name === 'report.ipynb');
   */
  async list(projectId: string, params: MlwResourcesListParams = {}, options?: RequestOptions): Promise<MlwResource[]> {
    const project = await this.project(projectId, params, options);
    return Object.values(project?.resources ?? {}).flatMap((group) => (Array.isArray(group) ? group : []));
  }

  /** One resource's metadata. `GET /projects/{projectID}/resources/{resourceID}` */
  async get(projectId: string, resourceId: string, options?: RequestOptions): Promise<MlwResource> {
    const path = { ...this.projectPath(projectId), resourceID: requireId(resourceId, 'resourceId') };
    return this.http.call('get', '/projects/{projectID}/resources/{resourceID}', { path }, options);
  }

  /**
   * Creates an empty notebook `<name>.ipynb` and resolves to its resource (found by name in the
   * project MLW answers with). `POST /projects/{projectID}/resources/createnew`
   * Never retried: a repeated POST could create a second file.
   * @throws ConflictError or BadRequestError when MLW refuses the name.
   */
  async createNotebook(projectId: string, params: MlwNotebookCreateParams, options?: RequestOptions): Promise<MlwResource> {
    const path = this.projectPath(projectId);
    const name = typeof params?.name === 'string' ? params.name.replace(/\.ipynb$/i, '') : '';
    if (!name.trim() || name.includes('/')) throw new InvalidArgumentError(`notebook name must be a non-empty file name, got ${JSON.stringify(params?.name)}`);
    const project = await this.http.call('post', '/projects/{projectID}/resources/createnew', { path, body: { type: 'ipynb', name } }, options);
    const fileName = `${name}.ipynb`;
    const groups = project?.resources ?? {};
    const all = [...(groups.code ?? []), ...Object.values(groups).flatMap((g) => (Array.isArray(g) ? g : []))];
    const created = all.find((r) => r.name === fileName);
    if (!created) throw new JupyterSDKError(`MLW created ${fileName} but its answer does not list it; call resources.list(projectId)`);
    return created;
  }
}
