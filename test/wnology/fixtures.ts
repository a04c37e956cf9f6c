// Typed WNology fixtures, a request recorder and MSW handlers typed by the operations of
// spec/wnology.yaml: a path renamed, a response reshaped or a multipart field renamed there breaks
// these (and the tests using them) at compile time.
import { expect } from 'vitest';
import { http, HttpResponse, type HttpHandler, type JsonBodyType } from 'msw';
import type { components, paths } from '../../src/generated/wnology.js';
import type { Method, Operation, PathsWith, Success } from '../../src/core/operation.js';

export type S = components['schemas'];

/** The success body spec/wnology.yaml declares for `method path`. */
export type Reply<M extends Method, P extends PathsWith<paths, M>> = Success<Operation<paths, P, M>>;
/** The 2xx statuses spec/wnology.yaml declares for `method path`. */
export type SuccessCode<M extends Method, P extends PathsWith<paths, M>> =
  Operation<paths, P, M> extends { responses: infer R } ? Extract<keyof R, 200 | 201 | 202 | 204> : never;
/** The multipart field names spec/wnology.yaml declares for `POST path`. */
export type FormField<P extends PathsWith<paths, 'post'>> =
  Operation<paths, P, 'post'> extends { requestBody: { content: { 'multipart/form-data': infer F } } } ? keyof F & string : never;

// Path templates of spec/wnology.yaml, for `route`.
export const LIST = '/applications/{applicationId}/notebooks';
export const ONE = '/applications/{applicationId}/notebooks/{notebookId}';
export const EXECUTE = '/applications/{applicationId}/notebooks/{notebookId}/execute';
export const CANCEL = '/applications/{applicationId}/notebooks/{notebookId}/cancelExecution';
export const LOGS = '/applications/{applicationId}/notebooks/{notebookId}/logs';
export const MINUTES = '/applications/{applicationId}/notebooks/{notebookId}/notebookMinuteCounts';
export const EXPORT = '/applications/{applicationId}/notebooks/{notebookId}/requestInputDataExport';
export const UPLOAD = '/applications/{applicationId}/notebooks/{notebookId}/upload';
/** The upload's file field, checked against the spec. */
export const UPLOAD_FIELD: FormField<typeof UPLOAD> = 'jupyterFile';

export const BASE = 'https://api.wnology.test';
export const TOKEN = 'wn-api-token-9f8e7d6c5b4a';
export const APP = '575ec8687ae143cd83dc4a97';
export const NB = '575ed78e7ae143cd83dc4aab';
export const EXEC = '632e18632f59592e773a4153';
export const NB_PATH = `/applications/${APP}/notebooks/${NB}`;

export function notebookModel(over: Partial<S['Notebook']> = {}): S['Notebook'] {
  return {
    id: NB,
    notebookId: NB,
    applicationId: APP,
    creationDate: '2024-05-01T10:00:00.000Z',
    lastUpdated: '2024-05-02T10:00:00.000Z',
    name: 'Daily report',
    description: 'Temperatures per site',
    imageVersion: 'v3',
    inputs: [
      {
        inputType: 'deviceData',
        fileName: 'temps.csv',
        deviceTags: [{ key: 'site', value: 'plant-1' }],
        attributes: ['temperature'],
        start: -86400000,
        end: 0,
      },
    ],
    outputs: [{ outputType: 'executionResult', fileName: 'result.html', destinationDirectoryTemplate: '/reports/{{execution.runStartedAt}}' }],
    stats: { minutesThisPeriod: 3, runsThisPeriod: 2, errorsThisPeriod: 0 },
    ...over,
  };
}

export function logRecord(over: Partial<S['NotebookExecutionLog']> = {}): S['NotebookExecutionLog'] {
  return {
    id: EXEC,
    notebookExecutionId: EXEC,
    notebookId: NB,
    applicationId: APP,
    status: 'queued',
    sourceType: 'apiToken',
    sourceId: '575ed70c7ae143cd83dc4aa9',
    runQueuedAt: '2022-09-23T20:37:23.000Z',
    maxAllowedRunMinutes: 5,
    inputInfo: {},
    outputInfo: {},
    executionErrors: [],
    ...over,
  };
}

export function errorJson(status: number, body: S['Error']) {
  return HttpResponse.json<S['Error']>(body, { status });
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
  // A clone, so that a handler can still read the body itself (as form data, say).
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

/** An MSW handler for every request under `base` that records it and answers with `reply`. */
export function recordAll(seen: Seen[], reply: (seen: Seen) => Response | Promise<Response>, base = BASE) {
  return http.all(`${base}/*`, async ({ request }) => {
    const s = await describeRequest(request);
    seen.push(s);
    return reply(s);
  });
}

type Answer<M extends Method, P extends PathsWith<paths, M>> = Reply<M, P> | Response;

/**
 * An MSW handler for one operation of spec/wnology.yaml, on that operation's route only: records
 * each request in `seen` and answers with `reply` (a body, or a function of the request returning
 * one), typed by the operation's success response and sent with `status` (one of its 2xx codes,
 * 200 by default). The function may return a Response instead, for an error answer.
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

/** Every header of a request without a body: the Bearer token and `Accept`, nothing else. */
export const GET_HEADERS = { accept: 'application/json', authorization: `Bearer ${TOKEN}` };
/** Every header of a request with a JSON body. */
export const JSON_HEADERS = { ...GET_HEADERS, 'content-type': 'application/json' };
