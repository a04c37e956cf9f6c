// MSW helpers shared by the unit tests of every client: a request recorder, an exact-request
// assertion, and handlers typed by the operations of a spec's generated `paths`, so that a path
// renamed, a response reshaped or a multipart field renamed in the spec breaks the tests using
// them at compile time.
import { expect } from 'vitest';
import { http, HttpResponse, type HttpHandler, type JsonBodyType } from 'msw';
import type { Method, Operation, PathsWith, Success } from '../../src/core/operation.js';

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
export function recordAll(seen: Seen[], reply: (seen: Seen) => Response | Promise<Response>, base: string): HttpHandler {
  return http.all(`${base}/*`, async ({ request }) => {
    const s = await describeRequest(request);
    seen.push(s);
    return reply(s);
  });
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

/** The success body a spec declares for `method path`. */
export type Reply<Paths, M extends Method, P extends PathsWith<Paths, M>> = Success<Operation<Paths, P, M>>;
/** The 2xx statuses a spec declares for `method path`. */
export type SuccessCode<Paths, M extends Method, P extends PathsWith<Paths, M>> =
  Operation<Paths, P, M> extends { responses: infer R } ? Extract<keyof R, 200 | 201 | 202 | 204> : never;
/** The multipart field names a spec declares for `POST path`. */
export type FormField<Paths, P extends PathsWith<Paths, 'post'>> =
  Operation<Paths, P, 'post'> extends { requestBody: { content: { 'multipart/form-data': infer F } } } ? keyof F & string : never;

type Answer<Paths, M extends Method, P extends PathsWith<Paths, M>> = Reply<Paths, M, P> | Response;

/**
 * `route` for the spec whose generated `paths` is `Paths`, served under `base`: an MSW handler
 * for one operation, on that operation's route only. It records each request in `seen` and
 * answers with `reply` (a body, or a function of the request returning one), typed by the
 * operation's success response and sent with `status` (one of its 2xx codes, 200 by default).
 * The function may return a Response instead, for an error answer.
 */
export function routesFor<Paths>(defaultBase: string) {
  return function route<M extends Method, P extends PathsWith<Paths, M>>(
    method: M,
    path: P,
    reply: Reply<Paths, M, P> | ((seen: Seen, request: Request) => Answer<Paths, M, P> | Promise<Answer<Paths, M, P>>),
    { seen = [], status, base = defaultBase }: { seen?: Seen[]; status?: SuccessCode<Paths, M, P>; base?: string } = {},
  ): HttpHandler {
    return http[method](base + path.replace(/\{(\w+)\}/g, ':$1'), async ({ request }) => {
      const s = await describeRequest(request);
      seen.push(s);
      const out = typeof reply === 'function' ? await (reply as (s: Seen, r: Request) => Answer<Paths, M, P> | Promise<Answer<Paths, M, P>>)(s, request) : reply;
      return out instanceof Response ? out : HttpResponse.json(out as JsonBodyType, { status: (status as number | undefined) ?? 200 });
    });
  };
}
