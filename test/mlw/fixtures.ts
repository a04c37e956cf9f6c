// Typed MLW fixtures, a request recorder and MSW handlers typed by the operations of
// spec/mlw.yaml: a path renamed or a response reshaped there breaks these (and the tests using
// them) at compile time.
import { expect } from 'vitest';
import { http, HttpResponse, type HttpHandler, type JsonBodyType } from 'msw';
import type { components, paths } from '../../src/generated/mlw.js';
import type { Method, Operation, PathsWith, Success } from '../../src/core/operation.js';

export type S = components['schemas'];

/** The success body spec/mlw.yaml declares for `method path`. */
export type Reply<M extends Method, P extends PathsWith<paths, M>> = Success<Operation<paths, P, M>>;
/** The 2xx statuses spec/mlw.yaml declares for `method path`. */
export type SuccessCode<M extends Method, P extends PathsWith<paths, M>> =
  Operation<paths, P, M> extends { responses: infer R } ? Extract<keyof R, 200 | 201 | 202 | 204> : never;

// Path templates of spec/mlw.yaml (under the service path), for `route`.
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

/** The request a call must send; `headers` is every header, `query` and `body` default to none. */
export interface ExpectedRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers: Record<string, unknown>;
  body?: unknown;
}

/** Asserts one recorded request exactly: method, raw path, query, every header, body. */
export function expectRequest(seen: Seen | undefined, want: ExpectedRequest): void {
  expect(seen, `no ${want.method} ${want.path} was sent`).toBeDefined();
  const { method, path, query, headers, body } = seen!;
  expect({ method, path, query, headers, body }).toEqual({ query: {}, body: undefined, ...want });
}

/** The content type of a multipart body (its boundary varies). */
export const MULTIPART = expect.stringMatching(/^multipart\/form-data; boundary=\S+$/);

/** What one request looked like, for assertions. */
export interface Seen {
  method: string;
  /** Raw pathname, percent-encoding kept. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

export async function describeRequest(request: Request): Promise<Seen> {
  const url = new URL(request.url);
  // A clone, so that a handler can still read the body itself.
  const text = await request.clone().text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => (headers[k] = v));
  return { method: request.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body };
}

/** An MSW handler for every request under `origin` that records it and answers with `reply`. */
export function recordAll(seen: Seen[], reply: (seen: Seen) => Response | Promise<Response>, origin = ORIGIN) {
  return http.all(`${origin}/*`, async ({ request }) => {
    const s = await describeRequest(request);
    seen.push(s);
    return reply(s);
  });
}

type Answer<M extends Method, P extends PathsWith<paths, M>> = Reply<M, P> | Response;

/**
 * An MSW handler for one operation of spec/mlw.yaml, on that operation's route only (under
 * `base`, the service root): records each request in `seen` and answers with `reply` (a body, or
 * a function of the request returning one), typed by the operation's success response and sent
 * with `status` (one of its 2xx codes, 200 by default). The function may return a Response
 * instead, for an error answer.
 */
export function route<M extends Method, P extends PathsWith<paths, M>>(
  method: M,
  path: P,
  reply: Reply<M, P> | ((seen: Seen, request: Request) => Answer<M, P> | Promise<Answer<M, P>>),
  { seen = [], status, base = BASE }: { seen?: Seen[]; status?: SuccessCode<M, P>; base?: string } = {},
): HttpHandler {
  return http[method](base + path.replace(/\{(\w+)\}/g, ':$1'), async ({ request }) => {
    const s = await describeRequest(request);
    seen.push(s);
    const out = typeof reply === 'function' ? await (reply as (s: Seen, r: Request) => Answer<M, P> | Promise<Answer<M, P>>)(s, request) : reply;
    return out instanceof Response ? out : HttpResponse.json(out as JsonBodyType, { status: (status as number | undefined) ?? 200 });
  });
}

/** Every header of a request without a body, for Basic `tenant/user:password` auth. */
export const GET_HEADERS = { accept: 'application/json', authorization: BASIC };
/** Every header of a request with a JSON body, for Basic auth. */
export const JSON_HEADERS = { ...GET_HEADERS, 'content-type': 'application/json' };
