// Typed MLW fixtures, a request recorder and MSW handlers typed by the operations of
// spec/mlw.yaml: a path renamed or a response reshaped there breaks these (and the tests using
// them) at compile time.
import { HttpResponse } from 'msw';
import type { components, paths } from '../../src/generated/mlw.js';
import { recordAll as recordUnder, routesFor, type Seen } from '../support/msw.js';

export { describeRequest, expectRequest, MULTIPART, type ExpectedRequest, type Seen } from '../support/msw.js';

export type S = components['schemas'];

export const JNB_CONTENT = '/projects/{projectID}/resources/{resourceID}/jnb-content';
export const JNB_SESSIONS = '/jnb-sessions';
export const PROJECTS = '/projects';
export const RESOURCES = '/projects/{projectID}/resources';
export const RESOURCE_ONE = '/projects/{projectID}/resources/{resourceID}';
export const CREATE_NEW = '/projects/{projectID}/resources/createnew';

export const ORIGIN = 'https://acme.mlw.test';
export const BASE = `${ORIGIN}/service/mlw`;
export const PROJECT = '0f981b26132d412097ee5e54a257ce9f';
export const RESOURCE = '72c0673497344164a80e298f679b8139';
export const TENANT = 't4711';
export const USER = 'ana@example.com';
export const PASSWORD = 'pa55-w0rd-s3cret';
export const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJl';
/** `Basic base64("t4711/ana@example.com:pa55-w0rd-s3cret")`, computed by hand. */
export const BASIC = 'Basic ' + Buffer.from(`${TENANT}/${USER}:${PASSWORD}`).toString('base64');
export const WHEN = '2020-09-30T07:31:59.062747Z';
export const NB_PATH = `${PROJECT}/Code/untitled.ipynb`;

export const notebookDoc = { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 4 };

export function contentsModel(over: Partial<S['NotebookContents']> = {}): S['NotebookContents'] {
  return {
    name: 'untitled.ipynb',
    path: NB_PATH,
    last_modified: WHEN,
    created: WHEN,
    content: notebookDoc,
    format: 'json',
    mimetype: null,
    size: 78,
    writable: true,
    type: 'notebook',
    ...over,
  };
}

export function sessionModel(over: Partial<S['Session']> = {}): S['Session'] {
  return {
    id: 'e2ba72b2-2daf-4aa6-851d-1b3e491cc2f3',
    path: NB_PATH,
    name: 'untitled',
    type: 'notebook',
    kernel: {
      id: '7fd616bf-1044-4954-a0cd-591c973ee950',
      name: 'python3',
      last_activity: '2020-09-30T07:33:20.920222Z',
      execution_state: 'starting',
      connections: 0,
    },
    notebook: { path: NB_PATH, name: 'untitled' },
    ...over,
  };
}

export function resourceModel(over: Partial<S['Resource']> = {}): S['Resource'] {
  return {
    id: RESOURCE,
    name: 'untitled.ipynb',
    description: '',
    createdAt: WHEN,
    editedAt: WHEN,
    properties: [],
    type: 'IPYNB',
    url: `./MLW/${PROJECT}/Code/untitled.ipynb`,
    downloadUrl: `/download/${PROJECT}/Code/untitled.ipynb`,
    size: 78,
    mimeType: 'application/json',
    extension: '.ipynb',
    category: 'Code',
    ...over,
  };
}

export function projectModel(over: Partial<S['Project']> = {}): S['Project'] {
  return {
    id: PROJECT,
    name: 'Demo',
    description: 'demo project',
    createdAt: WHEN,
    properties: [],
    isModified: false,
    isFreeze: false,
    isFreezeProjectPull: false,
    selectedVersion: '',
    versions: [],
    resourcesCount: { data: 1, model: 0, code: 1, workflow: 0, pipeline: 0, 'nn-designer': 0, totalCount: 2 },
    ...over,
  };
}

export function projectWithResources(code: S['Resource'][], data: S['Resource'][] = []): S['ProjectWithResources'] {
  return { ...projectModel(), resources: { data, model: [], code, pipeline: [], workflow: [], 'nn-designer': [] } };
}

/** The gateway's 401 body, as in the vendor's example. */
export const NO_AUTH: S['PlatformError'] = {
  error: 'general/internalError',
  message: 'No auth information found',
  info: 'https://cumulocity.com/guides/reference/rest-implementation/#error_reporting',
};

export function errorJson(status: number, body: S['ErrorBody']) {
  return HttpResponse.json<S['ErrorBody']>(body, { status });
}

/** An MSW handler for every request under `origin` that records it and answers with `reply`. */
export const recordAll = (seen: Seen[], reply: (seen: Seen) => Response | Promise<Response>, origin = ORIGIN) => recordUnder(seen, reply, origin);

/** An MSW handler for one operation of spec/mlw.yaml, under `base` (the service root; see routesFor). */
export const route = routesFor<paths>(BASE);

/** Every header of a request without a body, for Basic `tenant/user:password` auth. */
export const GET_HEADERS = { accept: 'application/json', authorization: BASIC };
/** Every header of a request with a JSON body, for Basic auth. */
export const JSON_HEADERS = { ...GET_HEADERS, 'content-type': 'application/json' };
