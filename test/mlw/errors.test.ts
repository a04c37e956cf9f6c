import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { HttpResponse } from 'msw';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  MlwClient,
  NotFoundError,
  PermissionDeniedError,
  mlwErrorDetails,
} from 'jupyter-sdk/mlw';
import { NO_AUTH, ORIGIN, PROJECT, RESOURCE, TOKEN, errorJson, notebookDoc, recordAll, type S } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const mlw = new MlwClient({ baseUrl: ORIGIN, auth: { token: TOKEN }, maxRetries: 0 });

// Every method with the error statuses spec/mlw.yaml documents for it.
const calls: [string, () => Promise<unknown>, number[]][] = [
  ['notebooks.get', () => mlw.notebooks.get(PROJECT, RESOURCE), [400, 401, 403, 404]],
  ['notebooks.update', () => mlw.notebooks.update(PROJECT, RESOURCE, { content: notebookDoc }), [400, 401, 403, 404]],
  ['sessions.list', () => mlw.sessions.list(), [401, 403]],
  ['projects.list', () => mlw.projects.list(), [401, 403]],
  ['resources.list', () => mlw.resources.list(PROJECT), [401, 403, 404]],
  ['resources.get', () => mlw.resources.get(PROJECT, RESOURCE), [401, 403, 404]],
  ['resources.createNotebook', () => mlw.resources.createNotebook(PROJECT, { name: 'nb' }), [400, 401, 403, 404, 409]],
];

const bodies: Record<number, { cls: typeof APIError; body: S['ErrorBody']; message: string; reason: string }> = {
  400: { cls: BadRequestError, body: { message: 'Unhandled contents type: jnb', reason: null }, message: '400 Unhandled contents type: jnb', reason: 'Bad Request' },
  401: { cls: AuthenticationError, body: NO_AUTH, message: '401 No auth information found', reason: 'general/internalError' },
  403: { cls: PermissionDeniedError, body: { error: 'security/Forbidden', message: 'Access is denied' }, message: '403 Access is denied', reason: 'security/Forbidden' },
  404: { cls: NotFoundError, body: { message: 'Project not found', errorCode: 404, exception: 'Not Found' }, message: '404 Project not found', reason: 'Not Found' },
  409: { cls: ConflictError, body: { message: 'File already exist', errorCode: 409, exception: 'Contact Admin for Support' }, message: '409 File already exist', reason: 'Contact Admin for Support' },
};

describe.each(calls)('mlw %s errors', (_name, call, statuses) => {
  it.each(statuses)('maps %i to its class with the platform message, reason and body', async (status) => {
    const { cls, body, message, reason } = bodies[status]!;
    server.use(recordAll([], () => errorJson(status, body)));
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    const e = err as APIError;
    expect(e.status).toBe(status);
    expect(e.message).toBe(message);
    expect(e.reason).toBe(reason);
    expect(e.body).toEqual(body);
    expect(mlwErrorDetails(e)).toEqual(body);
    expect(e.url.startsWith(`${ORIGIN}/service/mlw/`)).toBe(true);
  });

  it('maps a plain-text 403 to PermissionDeniedError with the text as the message', async () => {
    server.use(recordAll([], () => new HttpResponse('Access denied by gateway', { status: 403, headers: { 'content-type': 'text/plain' } })));
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect((err as APIError).message).toBe('403 Access denied by gateway');
    expect(mlwErrorDetails(err)).toEqual({});
  });
});
