import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { HttpResponse } from 'msw';
import {
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  InvalidArgumentError,
  MlwClient,
  NotFoundError,
  PermissionDeniedError,
  mlwErrorDetails,
  type MlwNotebook,
  type MlwNotebookWithSession,
} from 'jupyter-sdk/mlw';
import {
  GET_HEADERS,
  JNB_CONTENT,
  JSON_HEADERS,
  NO_AUTH,
  ORIGIN,
  PASSWORD,
  PROJECT,
  RESOURCE,
  TENANT,
  USER,
  contentsModel,
  errorJson,
  expectRequest,
  notebookDoc,
  recordAll,
  route,
  sessionModel,
  type S,
  type Seen,
} from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = (over: { maxRetries?: number } = {}) =>
  new MlwClient({ baseUrl: ORIGIN, auth: { tenant: TENANT, username: USER, password: PASSWORD }, ...over });
const JNB = `/service/mlw/projects/${PROJECT}/resources/${RESOURCE}/jnb-content`;
const line = (s: Seen) => `${s.method} ${s.path}`;

const edited = {
  cells: [{ cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source: ['print(1)'] }],
  metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
  nbformat: 4,
  nbformat_minor: 4,
};

describe('mlw.notebooks.get', () => {
  it('sends GET .../jnb-content with Basic tenant/user:password and returns { data, session }', async () => {
    const seen: Seen[] = [];
    server.use(route('get', JNB_CONTENT, { data: contentsModel(), session: sessionModel() }, { seen }));
    const res: MlwNotebookWithSession = await client().notebooks.get(PROJECT, RESOURCE);
    expect(seen.map(line)).toEqual([`GET ${JNB}`]);
    expectRequest(seen[0], { method: 'GET', path: JNB, headers: GET_HEADERS });
    expect(res.data.content?.nbformat).toBe(4);
    expect(res.data.content?.cells).toEqual([]);
    expect(res.session.kernel.execution_state).toBe('starting');
    expect(res.session.notebook?.path).toBe(res.data.path);
  });

  it('encodes each id as one path segment', async () => {
    const seen: Seen[] = [];
    server.use(route('get', JNB_CONTENT, { data: contentsModel(), session: sessionModel() }, { seen }));
    await client().notebooks.get('1601355085_Project x', 'ré#1?');
    expect(seen[0]!.path).toBe('/service/mlw/projects/1601355085_Project%20x/resources/r%C3%A9%231%3F/jnb-content');
  });

  it('refuses empty ids, ids with "/" and dot segments before any request', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json({})));
    const c = client();
    await expect(c.notebooks.get('', RESOURCE)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(c.notebooks.get(PROJECT, '   ')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(c.notebooks.get(`${PROJECT}/resources/x`, RESOURCE)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(c.notebooks.get(PROJECT, '..')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(c.notebooks.update(PROJECT, 'a/b', { content: edited })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(seen).toEqual([]);
  });

  it('throws AuthenticationError carrying the gateway error, message and info on 401', async () => {
    server.use(recordAll([], () => errorJson(401, NO_AUTH)));
    const err = await client().notebooks.get(PROJECT, RESOURCE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    const e = err as AuthenticationError;
    expect(e.status).toBe(401);
    expect(e.message).toBe('401 No auth information found');
    expect(e.serverMessage).toBe('No auth information found');
    expect(e.reason).toBe('general/internalError');
    expect(e.method).toBe('GET');
    expect(e.url).toBe(`${ORIGIN}${JNB}`);
    expect(e.body).toEqual(NO_AUTH);
    expect(mlwErrorDetails(e)).toEqual(NO_AUTH);
  });

  it('throws PermissionDeniedError on 403 when the user lacks the MLW role', async () => {
    server.use(recordAll([], () => errorJson(403, { error: 'security/Forbidden', message: 'Access is denied', info: 'https://cumulocity.com/guides' })));
    const err = await client().notebooks.get(PROJECT, RESOURCE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect((err as PermissionDeniedError).message).toBe('403 Access is denied');
    expect(mlwErrorDetails(err).error).toBe('security/Forbidden');
  });

  it('throws NotFoundError with MLW message, errorCode and exception on 404', async () => {
    const body: S['MlwApplicationError'] = { message: `Project with id '${PROJECT}' not found.`, errorCode: 404, exception: 'Project not found' };
    server.use(recordAll([], () => errorJson(404, body)));
    const err = await client().notebooks.get(PROJECT, RESOURCE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    const e = err as NotFoundError;
    expect(e.message).toBe(`404 Project with id '${PROJECT}' not found.`);
    expect(e.reason).toBe('Project not found');
    expect(mlwErrorDetails(e)).toEqual(body);
  });

  it('maps a non-JSON error page to the right class with its text as the message', async () => {
    server.use(recordAll([], () => new HttpResponse('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', { status: 502, headers: { 'content-type': 'text/html' } })));
    const err = await client({ maxRetries: 0 }).notebooks.get(PROJECT, RESOURCE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect((err as InternalServerError).status).toBe(502);
    expect((err as InternalServerError).message).toMatch(/^502 (502 )?Bad Gateway$/);

    server.use(recordAll([], () => new HttpResponse('Resource not found', { status: 404, headers: { 'content-type': 'text/plain' } })));
    const err404 = await client().notebooks.get(PROJECT, RESOURCE).catch((e: unknown) => e);
    expect(err404).toBeInstanceOf(NotFoundError);
    expect((err404 as NotFoundError).serverMessage).toBe('Resource not found');
    expect((err404 as NotFoundError).body).toBe('Resource not found');
  });
});

describe('mlw.notebooks.update', () => {
  it('PUTs { content, format, type } as JSON and returns the model without content', async () => {
    const seen: Seen[] = [];
    server.use(route('put', JNB_CONTENT, contentsModel({ content: null, format: null, size: 571, last_modified: '2020-09-30T07:40:02.608464Z' }), { seen }));
    const saved: MlwNotebook = await client().notebooks.update(PROJECT, RESOURCE, { content: edited, format: 'json', type: 'notebook' });
    expect(seen.map(line)).toEqual([`PUT ${JNB}`]);
    expectRequest(seen[0], { method: 'PUT', path: JNB, headers: JSON_HEADERS, body: { content: edited, format: 'json', type: 'notebook' } });
    expect(saved.content).toBeNull();
    expect(saved.size).toBe(571);
  });

  it('defaults format and type, and sends export only when asked', async () => {
    const seen: Seen[] = [];
    server.use(route('put', JNB_CONTENT, contentsModel({ content: null, format: null }), { seen }));
    await client().notebooks.update(PROJECT, RESOURCE, { content: notebookDoc });
    await client().notebooks.update(PROJECT, RESOURCE, { content: notebookDoc, format: 'json', type: 'notebook', export: true });
    expectRequest(seen[0], { method: 'PUT', path: JNB, headers: JSON_HEADERS, body: { content: notebookDoc, format: 'json', type: 'notebook' } });
    expectRequest(seen[1], { method: 'PUT', path: JNB, headers: JSON_HEADERS, body: { content: notebookDoc, format: 'json', type: 'notebook', export: true } });
  });

  it('throws BadRequestError with the Jupyter message passed through on 400', async () => {
    server.use(recordAll([], () => errorJson(400, { message: 'Unhandled contents type: jnb', reason: null })));
    const err = await client().notebooks.update(PROJECT, RESOURCE, { content: notebookDoc }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    const e = err as BadRequestError;
    expect(e.message).toBe('400 Unhandled contents type: jnb');
    expect(e.serverMessage).toBe('Unhandled contents type: jnb');
    expect(e.method).toBe('PUT');
    expect(mlwErrorDetails(e)).toEqual({ message: 'Unhandled contents type: jnb', reason: null });
  });

  it('throws AuthenticationError on 401, PermissionDeniedError on 403 and NotFoundError on 404', async () => {
    const c = client();
    const update = () => c.notebooks.update(PROJECT, RESOURCE, { content: notebookDoc }).catch((e: unknown) => e);
    server.use(recordAll([], () => errorJson(401, NO_AUTH)));
    expect(await update()).toBeInstanceOf(AuthenticationError);
    server.use(recordAll([], () => errorJson(403, { error: 'security/Forbidden', message: 'Access is denied' })));
    expect(await update()).toBeInstanceOf(PermissionDeniedError);
    server.use(recordAll([], () => errorJson(404, { message: 'Resource not found', errorCode: 404, exception: 'Not Found' })));
    const nf = await update();
    expect(nf).toBeInstanceOf(NotFoundError);
    expect((nf as NotFoundError).message).toBe('404 Resource not found');
  });
});
