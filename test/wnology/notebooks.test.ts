import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { HttpResponse } from 'msw';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  WnologyClient,
  wnologyErrorDetails,
  type JobEnqueuedResult,
  type Notebook,
  type NotebookExecutionLog,
  type NotebookMinuteCounts,
  type SuccessWithExecutionId,
} from 'jupyter-sdk/wnology';
import {
  APP,
  BASE,
  CANCEL,
  EXEC,
  EXECUTE,
  EXPORT,
  LIST,
  LOGS,
  MINUTES,
  NB,
  NB_PATH,
  ONE,
  TOKEN,
  UPLOAD,
  UPLOAD_FIELD,
  GET_HEADERS,
  JSON_HEADERS,
  MULTIPART,
  errorJson,
  expectRequest,
  logRecord,
  notebookModel,
  recordAll,
  route,
  type S,
  type Seen,
} from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => new WnologyClient({ token: TOKEN, baseUrl: BASE, maxRetries: 0 });
const line = (s: Seen) => `${s.method} ${s.path}`;

describe('wn.notebooks.get', () => {
  it('sends GET /applications/{a}/notebooks/{n} with Bearer auth and returns the notebook, extra keys kept', async () => {
    const seen: Seen[] = [];
    const body = { ...notebookModel(), _type: 'notebook', _links: { self: { href: NB_PATH } } };
    server.use(route('get', ONE, body, { seen }));
    const nb: Notebook = await client().notebooks.get(APP, NB);
    expect(seen.map(line)).toEqual([`GET ${NB_PATH}`]);
    // No content type, no Accept-Version (unless asked for), nothing but the token and Accept.
    expectRequest(seen[0], { method: 'GET', path: NB_PATH, headers: GET_HEADERS });
    expect(nb.name).toBe('Daily report');
    expect(nb.stats?.runsThisPeriod).toBe(2);
    expect(nb.inputs?.[0]?.inputType).toBe('deviceData');
    expect(nb._links).toEqual({ self: { href: NB_PATH } });
  });

  it('throws NotFoundError with the WNology type and message on 404', async () => {
    server.use(recordAll([], () => errorJson(404, { type: 'NotFound', message: 'Notebook was not found' })));
    const err = await client().notebooks.get(APP, NB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    const e = err as NotFoundError;
    expect(e.message).toBe('404 Notebook was not found');
    expect(e.serverMessage).toBe('Notebook was not found');
    expect(e.reason).toBe('NotFound');
    expect(e.method).toBe('GET');
    expect(e.url).toBe(`${BASE}${NB_PATH}`);
    expect(wnologyErrorDetails(e)).toEqual({ type: 'NotFound', message: 'Notebook was not found' });
  });

  it('throws BadRequestError on 400, AuthenticationError on 401 and PermissionDeniedError on 403', async () => {
    const c = client();
    server.use(recordAll([], () => errorJson(400, { type: 'Validation', message: 'applicationId must match pattern' })));
    const bad = await c.notebooks.get(APP, NB).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect((bad as BadRequestError).reason).toBe('Validation');
    server.use(recordAll([], () => errorJson(401, { type: 'Unauthorized', message: 'Invalid access token' })));
    const unauth = await c.notebooks.get(APP, NB).catch((e: unknown) => e);
    expect(unauth).toBeInstanceOf(AuthenticationError);
    expect((unauth as AuthenticationError).message).toBe('401 Invalid access token');
    server.use(recordAll([], () => errorJson(403, { type: 'Forbidden', message: 'Token does not have the required scope' })));
    const forbidden = await c.notebooks.get(APP, NB).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(PermissionDeniedError);
    expect(wnologyErrorDetails(forbidden).type).toBe('Forbidden');
  });

  it('maps a non-JSON error body to the right class with its text as the message', async () => {
    server.use(recordAll([], () => new HttpResponse('Not Found', { status: 404, headers: { 'content-type': 'text/plain' } })));
    const err = await client().notebooks.get(APP, NB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).serverMessage).toBe('Not Found');
    expect(wnologyErrorDetails(err)).toEqual({});

    server.use(recordAll([], () => HttpResponse.html('<html><body><h1>413 Request Entity Too Large</h1></body></html>', { status: 413 })));
    const big = await client().notebooks.upload(APP, NB, '{}').catch((e: unknown) => e);
    expect(big).toBeInstanceOf(APIError);
    expect((big as APIError).status).toBe(413);
    expect((big as APIError).message).toMatch(/^413 (413 )?Request Entity Too Large$/);
  });

  it('refuses ids that are not 24 hex digits before any request', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json({})));
    const c = client();
    await expect(c.notebooks.get('', NB)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(c.notebooks.get(APP, 'not-an-id')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(c.notebooks.get(APP, `${NB}0`)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(c.notebooks.get(`${APP.slice(0, 12)}/${APP.slice(13)}`, NB)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(c.notebooks.delete(APP, '575ed78e7ae143cd83dc4aaZ')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(c.notebooks.cancelExecution(APP, NB, 'abc')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(c.notebooks.waitForExecution(APP, NB, '')).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(seen).toEqual([]);
  });
});

describe('wn.notebooks.create / update / delete', () => {
  it('create POSTs the NotebookPost as JSON and returns the 201 notebook', async () => {
    const seen: Seen[] = [];
    server.use(route('post', LIST, notebookModel({ name: 'New' }), { seen, status: 201 }));
    const post: S['NotebookPost'] = { name: 'New', imageVersion: 'v3', inputs: [{ inputType: 'externalUrl', fileName: 'a.csv', sourceUrl: 'https://x.test/a.csv' }] };
    const nb = await client().notebooks.create(APP, post);
    expect(seen.map(line)).toEqual([`POST /applications/${APP}/notebooks`]);
    expectRequest(seen[0], { method: 'POST', path: `/applications/${APP}/notebooks`, headers: JSON_HEADERS, body: post });
    expect(nb.name).toBe('New');
  });

  it('create throws NotFoundError when the application does not exist', async () => {
    server.use(recordAll([], () => errorJson(404, { type: 'NotFound', message: 'Application was not found' })));
    const err = await client().notebooks.create(APP, { name: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).message).toBe('404 Application was not found');
  });

  it('update PATCHes the NotebookPatch as JSON and returns the notebook', async () => {
    const seen: Seen[] = [];
    server.use(route('patch', ONE, notebookModel({ name: 'New Notebook Name' }), { seen }));
    const nb = await client().notebooks.update(APP, NB, { name: 'New Notebook Name' });
    expect(seen.map(line)).toEqual([`PATCH ${NB_PATH}`]);
    expectRequest(seen[0], { method: 'PATCH', path: NB_PATH, headers: JSON_HEADERS, body: { name: 'New Notebook Name' } });
    expect(nb.name).toBe('New Notebook Name');
  });

  it('update throws BadRequestError with the validation message', async () => {
    server.use(recordAll([], () => errorJson(400, { type: 'Validation', message: 'name is too long', validationErrors: [{ message: 'name: max 1024' }] })));
    const err = await client().notebooks.update(APP, NB, { name: 'x'.repeat(2000) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toBe('400 name is too long: name: max 1024');
    expect(wnologyErrorDetails(err).validationErrors).toEqual([{ message: 'name: max 1024' }]);
  });

  it('delete sends DELETE without a body and resolves to nothing, as every delete of the SDK does', async () => {
    const seen: Seen[] = [];
    server.use(route('delete', ONE, { success: true }, { seen }));
    expect(await client().notebooks.delete(APP, NB)).toBeUndefined();
    expect(seen.map(line)).toEqual([`DELETE ${NB_PATH}`]);
    expectRequest(seen[0], { method: 'DELETE', path: NB_PATH, headers: GET_HEADERS });
  });

  it('delete throws NotFoundError on 404', async () => {
    server.use(recordAll([], () => errorJson(404, { type: 'NotFound', message: 'Notebook was not found' })));
    await expect(client().notebooks.delete(APP, NB)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('wn.notebooks.execute / cancelExecution', () => {
  it('execute POSTs the execution options and returns the executionId', async () => {
    const seen: Seen[] = [];
    server.use(route('post', EXECUTE, { success: true, executionId: EXEC }, { seen }));
    const opts: S['NotebookExecutionOptions'] = { relativeTo: 1570549199451, templateContext: '{"site":"plant-1"}' };
    const res: SuccessWithExecutionId = await client().notebooks.execute(APP, NB, opts);
    expect(seen.map(line)).toEqual([`POST ${NB_PATH}/execute`]);
    expectRequest(seen[0], { method: 'POST', path: `${NB_PATH}/execute`, headers: JSON_HEADERS, body: opts });
    expect(res.executionId).toBe(EXEC);
  });

  it('execute sends {} when no options are given', async () => {
    const seen: Seen[] = [];
    server.use(route('post', EXECUTE, { success: true, executionId: EXEC }, { seen }));
    await client().notebooks.execute(APP, NB);
    expectRequest(seen[0], { method: 'POST', path: `${NB_PATH}/execute`, headers: JSON_HEADERS, body: {} });
  });

  it('execute throws BadRequestError when the notebook has no file', async () => {
    server.use(recordAll([], () => errorJson(400, { type: 'Validation', message: 'Notebook does not have a Jupyter file' })));
    const err = await client().notebooks.execute(APP, NB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).serverMessage).toBe('Notebook does not have a Jupyter file');
  });

  it('cancelExecution POSTs with ?executionId= and returns { success: true }', async () => {
    const seen: Seen[] = [];
    server.use(route('post', CANCEL, { success: true }, { seen }));
    expect(await client().notebooks.cancelExecution(APP, NB, EXEC)).toEqual({ success: true });
    expect(seen.map(line)).toEqual([`POST ${NB_PATH}/cancelExecution`]);
    expectRequest(seen[0], { method: 'POST', path: `${NB_PATH}/cancelExecution`, query: { executionId: EXEC }, headers: JSON_HEADERS, body: {} });
  });

  it('cancelExecution throws NotFoundError for an unknown execution', async () => {
    server.use(recordAll([], () => errorJson(404, { type: 'NotFound', message: 'Notebook execution was not found' })));
    const err = await client().notebooks.cancelExecution(APP, NB, EXEC).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).message).toBe('404 Notebook execution was not found');
  });
});

describe('wn.notebooks.logs / minuteCounts', () => {
  it('logs sends limit and since (ms) and returns the records', async () => {
    const seen: Seen[] = [];
    const records = [logRecord({ status: 'completed' }), logRecord({ id: '5c7d3f9cd32c87a49f04c260', status: 'errored' })];
    server.use(route('get', LOGS, records, { seen }));
    const logs: NotebookExecutionLog[] = await client().notebooks.logs(APP, NB, { limit: 10, since: new Date(1465790400000) });
    expect(seen.map(line)).toEqual([`GET ${NB_PATH}/logs`]);
    expectRequest(seen[0], { method: 'GET', path: `${NB_PATH}/logs`, query: { limit: '10', since: '1465790400000' }, headers: GET_HEADERS });
    expect(logs).toEqual(records);
    await client().notebooks.logs(APP, NB);
    expectRequest(seen[1], { method: 'GET', path: `${NB_PATH}/logs`, headers: GET_HEADERS });
  });

  it('logs throws NotFoundError on 404', async () => {
    server.use(recordAll([], () => errorJson(404, { type: 'NotFound', message: 'Notebook was not found' })));
    await expect(client().notebooks.logs(APP, NB)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('minuteCounts sends start and end (ms) and returns the counts', async () => {
    const seen: Seen[] = [];
    const counts: S['NotebookMinuteCounts'] = {
      start: '2024-05-01T00:00:00.000Z',
      end: '2024-05-31T23:59:59.999Z',
      counts: [{ date: '2024-05-02T00:00:00.000Z', minutes: 3, completed: 2, canceled: 0, errored: 1, timeout: 0 }],
    };
    server.use(route('get', MINUTES, counts, { seen }));
    const res: NotebookMinuteCounts = await client().notebooks.minuteCounts(APP, NB, { start: 0, end: new Date('2024-05-31T23:59:59.999Z') });
    expect(seen.map(line)).toEqual([`GET ${NB_PATH}/notebookMinuteCounts`]);
    const query = { start: '0', end: String(Date.parse('2024-05-31T23:59:59.999Z')) };
    expectRequest(seen[0], { method: 'GET', path: `${NB_PATH}/notebookMinuteCounts`, query, headers: GET_HEADERS });
    expect(res.counts[0]!.minutes).toBe(3);
  });

  it('minuteCounts throws BadRequestError on a bad range', async () => {
    server.use(recordAll([], () => errorJson(400, { type: 'Validation', message: 'end must be after start' })));
    await expect(client().notebooks.minuteCounts(APP, NB, { start: 2, end: 1 })).rejects.toBeInstanceOf(BadRequestError);
  });
});

describe('wn.notebooks.requestInputDataExport', () => {
  it('POSTs the export options and returns the queued job on 202', async () => {
    const seen: Seen[] = [];
    server.use(route('post', EXPORT, { jobQueued: true, jobId: 'clnHvJbyVkOWAZwYAwLP4', success: true }, { seen, status: 202 }));
    const job: JobEnqueuedResult = await client().notebooks.requestInputDataExport(APP, NB, { email: 'user@example.com' });
    expect(seen.map(line)).toEqual([`POST ${NB_PATH}/requestInputDataExport`]);
    expectRequest(seen[0], { method: 'POST', path: `${NB_PATH}/requestInputDataExport`, headers: JSON_HEADERS, body: { email: 'user@example.com' } });
    expect(job).toEqual({ jobQueued: true, jobId: 'clnHvJbyVkOWAZwYAwLP4', success: true });
  });

  it('throws NotFoundError on 404', async () => {
    server.use(recordAll([], () => errorJson(404, { type: 'NotFound', message: 'Notebook was not found' })));
    await expect(client().notebooks.requestInputDataExport(APP, NB, {})).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('wn.notebooks.upload', () => {
  interface Part {
    fields: string[];
    name: string;
    text: string;
  }
  function captureUpload(parts: Part[], seen: Seen[] = []) {
    return route('post', UPLOAD, async (_seen, request) => {
      const form = await request.formData();
      const file = form.get(UPLOAD_FIELD) as File;
      parts.push({
        fields: [...form.keys()],
        name: file.name,
        text: await file.text(),
      });
      return notebookModel({ jupyterFileName: file.name, jupyterFileUrl: 'https://files.test/nb.ipynb' });
    }, { seen });
  }
  const doc = { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 };
  const json = JSON.stringify(doc);

  it('sends a notebook object as the multipart field jupyterFile and returns the updated notebook', async () => {
    const parts: Part[] = [];
    const seen: Seen[] = [];
    server.use(captureUpload(parts, seen));
    const nb = await client().notebooks.upload(APP, NB, doc);
    expect(parts).toHaveLength(1);
    expectRequest(seen[0], { method: 'POST', path: `${NB_PATH}/upload`, headers: { ...GET_HEADERS, 'content-type': MULTIPART }, body: expect.any(String) });
    expect(parts[0]!.fields).toEqual([UPLOAD_FIELD]);
    expect(parts[0]!.name).toBe('notebook.ipynb');
    expect(JSON.parse(parts[0]!.text)).toEqual(doc);
    expect(nb.jupyterFileName).toBe('notebook.ipynb');
  });

  it('accepts notebook JSON text, bytes, a Blob, and a File whose name it keeps', async () => {
    const parts: Part[] = [];
    server.use(captureUpload(parts));
    const c = client();
    await c.notebooks.upload(APP, NB, json);
    await c.notebooks.upload(APP, NB, new TextEncoder().encode(json));
    await c.notebooks.upload(APP, NB, new Blob([json], { type: 'application/json' }));
    await c.notebooks.upload(APP, NB, new File([json], 'report.ipynb'));
    expect(parts.map((p) => p.text)).toEqual([json, json, json, json]);
    expect(parts.map((p) => p.name)).toEqual(['notebook.ipynb', 'notebook.ipynb', 'notebook.ipynb', 'report.ipynb']);
  });

  it('refuses a string that is not notebook JSON (a path, say) before any request', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json({})));
    await expect(client().notebooks.upload(APP, NB, './report.ipynb')).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(seen).toEqual([]);
  });

  it('throws BadRequestError when the server refuses the file', async () => {
    server.use(recordAll([], () => errorJson(400, { type: 'Validation', message: 'jupyterFile is required' })));
    const err = await client().notebooks.upload(APP, NB, doc).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toBe('400 jupyterFile is required');
  });
});
