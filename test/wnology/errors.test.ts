import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { HttpResponse } from 'msw';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  WnologyClient,
  wnologyErrorDetails,
} from 'jupyter-sdk/wnology';
import { APP, BASE, EXEC, NB, TOKEN, errorJson, recordAll, type S } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const wn = new WnologyClient({ token: TOKEN, baseUrl: BASE, maxRetries: 0 });

// Every method; spec/wnology.yaml documents 400, 401, 403 and 404 for each of them.
const calls: [string, () => Promise<unknown>][] = [
  ['list', async () => await wn.notebooks.list(APP)],
  ['create', () => wn.notebooks.create(APP, { name: 'x' })],
  ['get', () => wn.notebooks.get(APP, NB)],
  ['update', () => wn.notebooks.update(APP, NB, { name: 'x' })],
  ['delete', () => wn.notebooks.delete(APP, NB)],
  ['execute', () => wn.notebooks.execute(APP, NB, {})],
  ['cancelExecution', () => wn.notebooks.cancelExecution(APP, NB, EXEC)],
  ['logs', () => wn.notebooks.logs(APP, NB, { limit: 5 })],
  ['minuteCounts', () => wn.notebooks.minuteCounts(APP, NB)],
  ['requestInputDataExport', () => wn.notebooks.requestInputDataExport(APP, NB, { email: 'a@b.test' })],
  ['upload', () => wn.notebooks.upload(APP, NB, '{"cells":[]}')],
];

const cases: [number, typeof APIError, S['Error']][] = [
  [400, BadRequestError, { type: 'Validation', message: 'Request body is not valid' }],
  [401, AuthenticationError, { type: 'Unauthorized', message: 'Invalid access token' }],
  [403, PermissionDeniedError, { type: 'Forbidden', message: 'Token lacks the required scope' }],
  [404, NotFoundError, { type: 'NotFound', message: 'Notebook was not found' }],
];

describe.each(calls)('wn.notebooks.%s errors', (_name, call) => {
  it.each(cases)('maps %i to its class with the WNology type and message', async (status, cls, body) => {
    server.use(recordAll([], () => errorJson(status, body)));
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    const e = err as APIError;
    expect(e.status).toBe(status);
    expect(e.message).toBe(`${status} ${body.message}`);
    expect(e.serverMessage).toBe(body.message);
    expect(e.reason).toBe(body.type);
    expect(wnologyErrorDetails(e)).toEqual(body);
  });

  it('maps an HTML 401 page to AuthenticationError with its heading as the message', async () => {
    server.use(recordAll([], () => HttpResponse.html('<html><body><h1>Unauthorized</h1></body></html>', { status: 401 })));
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as APIError).message).toBe('401 Unauthorized');
    expect(wnologyErrorDetails(err)).toEqual({});
  });
});
