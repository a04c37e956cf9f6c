// Retries, backoff, Retry-After, timeouts and aborts, with an injected fetch and fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { asRequest } from '../support/fetch.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  ConflictError,
  InternalServerError,
  JupyterClient,
  RateLimitError,
  type RequestOptions,
} from 'jupyter-sdk';
import type { components } from 'jupyter-sdk/raw';

type S = components['schemas'];
const BASE = 'http://jupyter.test';
const KID = '0b6d2b0a-3f6e-4c8e-9a57-1d2c3b4a5f60';
const KERNEL: S['Kernel'] = { id: KID, name: 'python3', last_activity: '2026-11-22T05:00:00Z', execution_state: 'idle', connections: 0 };

interface Call {
  at: number;
  method: string;
  url: string;
  auth: string | null;
}

/** A fetch answering from a script, one entry per attempt; records when each attempt happened. */
function scripted(script: Array<() => Response | Promise<Response>>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const request = asRequest(input, init);
    calls.push({
      at: Date.now(),
      method: request.method,
      url: request.url,
      auth: request.headers.get('authorization'),
    });
    const next = script[Math.min(calls.length - 1, script.length - 1)]!;
    return next();
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const status = (code: number, headers: Record<string, string> = {}) => () =>
  Response.json({ message: `status ${code}`, reason: null }, { status: code, headers });
const ok = (body: unknown = KERNEL, code = 200) => () => (code === 204 ? new Response(null, { status: 204 }) : Response.json(body, { status: code }));
const dropped = () => () => Promise.reject(new TypeError('fetch failed', { cause: new Error('socket hang up') }));

/** Advances fake time in small steps until the promise settles. */
async function settle<T>(p: Promise<T>, stepMs = 50, maxMs = 120_000): Promise<T | unknown> {
  let done = false;
  const out = p.then(
    (v) => v,
    (e: unknown) => e,
  );
  void out.finally(() => (done = true));
  for (let t = 0; !done && t < maxMs; t += stepMs) await vi.advanceTimersByTimeAsync(stepMs);
  return out;
}

const gaps = (calls: Call[]) => calls.slice(1).map((c, i) => c.at - calls[i]!.at);

beforeEach(() => {
  vi.useFakeTimers();
  // Jitter at its top: backoff steps are exactly 500, 1000, 2000, ... ms.
  vi.spyOn(Math, 'random').mockReturnValue(1);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

type Call_ = (c: JupyterClient, o?: RequestOptions) => Promise<unknown>;
const SAFE: Array<[string, Call_, number]> = [
  ['GET /api/kernels', (c, o) => c.kernels.list(o), 200],
  ['GET /api/contents/{path}', (c, o) => c.contents.get('a b.txt', {}, o), 200],
  ['PUT /api/contents/{path}', (c, o) => c.contents.save('a.txt', { type: 'file', format: 'text', content: 'x' }, o), 200],
  ['PUT /api/config/{section}', (c, o) => c.config.replace('notebook', {}, o), 204],
  ['DELETE /api/kernels/{id}', (c, o) => c.kernels.shutdown(KID, o), 204],
  ['DELETE /api/contents/{path}', (c, o) => c.contents.delete('a.txt', o), 204],
];

describe('retries of safe requests', () => {
  describe.each(SAFE)('%s', (_name, call, okStatus) => {
    it.each([429, 502, 503, 504])('retries on %i and returns the next answer', async (code) => {
      const { fetch, calls } = scripted([status(code), ok(KERNEL, okStatus)]);
      const result = await settle(call(new JupyterClient({ baseUrl: BASE, token: 'tok-aaaa', fetch })));
      expect(result).not.toBeInstanceOf(Error);
      expect(calls).toHaveLength(2);
      expect(calls[1]!.method).toBe(calls[0]!.method);
      expect(calls[1]!.url).toBe(calls[0]!.url);
    });

    it('retries on a dropped connection and returns the next answer', async () => {
      const { fetch, calls } = scripted([dropped(), ok(KERNEL, okStatus)]);
      const result = await settle(call(new JupyterClient({ baseUrl: BASE, fetch })));
      expect(result).not.toBeInstanceOf(Error);
      expect(calls).toHaveLength(2);
    });

    it('never retries 409', async () => {
      const { fetch, calls } = scripted([status(409), ok(KERNEL, okStatus)]);
      const err = await settle(call(new JupyterClient({ baseUrl: BASE, fetch })));
      expect(err).toBeInstanceOf(ConflictError);
      expect(calls).toHaveLength(1);
    });
  });

  it('gives up after maxRetries (default 2) with the last error, backing off 500 then 1000 ms', async () => {
    const { fetch, calls } = scripted([status(503)]);
    const err = await settle(new JupyterClient({ baseUrl: BASE, fetch }).kernels.list());
    expect(err).toBeInstanceOf(InternalServerError);
    expect((err as InternalServerError).status).toBe(503);
    expect(calls).toHaveLength(3);
    expect(gaps(calls)).toEqual([500, 1000]);
  });

  it('throws RateLimitError after retrying 429', async () => {
    const { fetch, calls } = scripted([status(429)]);
    const err = await settle(new JupyterClient({ baseUrl: BASE, fetch, maxRetries: 1 }).kernels.list());
    expect(err).toBeInstanceOf(RateLimitError);
    expect(calls).toHaveLength(2);
  });

  it('throws APIConnectionError after retrying dropped connections', async () => {
    const { fetch, calls } = scripted([dropped()]);
    const err = await settle(new JupyterClient({ baseUrl: BASE, fetch }).kernels.list());
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect(calls).toHaveLength(3);
  });

  it('caps the backoff at 8 s', async () => {
    const { fetch, calls } = scripted([status(502)]);
    await settle(new JupyterClient({ baseUrl: BASE, fetch, maxRetries: 6 }).kernels.list());
    expect(gaps(calls)).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  it('jitters the backoff between half and all of each step', async () => {
    vi.mocked(Math.random).mockReturnValue(0);
    const { fetch, calls } = scripted([status(503)]);
    await settle(new JupyterClient({ baseUrl: BASE, fetch }).kernels.list(), 10);
    expect(gaps(calls)).toEqual([250, 500]);
  });

  it('takes maxRetries from the client and lets a call override it', async () => {
    const a = scripted([status(503)]);
    await settle(new JupyterClient({ baseUrl: BASE, fetch: a.fetch, maxRetries: 4 }).kernels.list());
    expect(a.calls).toHaveLength(5);
    const b = scripted([status(503)]);
    await settle(new JupyterClient({ baseUrl: BASE, fetch: b.fetch, maxRetries: 4 }).kernels.list({ maxRetries: 0 }));
    expect(b.calls).toHaveLength(1);
  });

  it('honours Retry-After in seconds instead of the backoff', async () => {
    const { fetch, calls } = scripted([status(503, { 'retry-after': '3' }), ok()]);
    await settle(new JupyterClient({ baseUrl: BASE, fetch }).kernels.list());
    expect(gaps(calls)).toEqual([3000]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const { fetch, calls } = scripted([() => status(503, { 'retry-after': new Date(Date.now() + 4000).toUTCString() })(), ok()]);
    await settle(new JupyterClient({ baseUrl: BASE, fetch }).kernels.list());
    // HTTP dates have whole seconds: the wait is 3-4 s, not the 500 ms backoff.
    expect(gaps(calls)[0]).toBeGreaterThan(3000);
    expect(gaps(calls)[0]).toBeLessThanOrEqual(4000);
  });

  it('retries at once on Retry-After: 0', async () => {
    const { fetch, calls } = scripted([status(429, { 'retry-after': '0' }), ok()]);
    await settle(new JupyterClient({ baseUrl: BASE, fetch }).kernels.list(), 1);
    expect(gaps(calls)).toEqual([0]);
  });

  it('falls back to the backoff when Retry-After is over a minute', async () => {
    const { fetch, calls } = scripted([status(503, { 'retry-after': '3600' }), ok()]);
    await settle(new JupyterClient({ baseUrl: BASE, fetch }).kernels.list());
    expect(gaps(calls)).toEqual([500]);
  });

  it('asks the token function again before a retry', async () => {
    let n = 0;
    const { fetch, calls } = scripted([status(503), ok()]);
    await settle(new JupyterClient({ baseUrl: BASE, fetch, token: async () => `tok-${++n}xyz` }).kernels.list());
    expect(calls.map((c) => c.auth)).toEqual(['token tok-1xyz', 'token tok-2xyz']);
  });
});

describe('requests that are never retried', () => {
  it('does not retry POST /api/kernels on 503', async () => {
    const { fetch, calls } = scripted([status(503), ok(KERNEL, 201)]);
    const err = await settle(new JupyterClient({ baseUrl: BASE, fetch }).kernels.start({ name: 'python3' }));
    expect(err).toBeInstanceOf(InternalServerError);
    expect(calls).toHaveLength(1);
  });

  it('does not retry POST /api/kernels on a dropped connection, which may have started a kernel', async () => {
    const { fetch, calls } = scripted([dropped(), ok(KERNEL, 201)]);
    const err = await settle(new JupyterClient({ baseUrl: BASE, fetch }).kernels.start());
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(calls).toHaveLength(1);
  });

  it.each<[string, Call_]>([
    ['POST /api/sessions', (c) => c.sessions.create({ path: 'a.ipynb', type: 'notebook' })],
    ['POST /api/contents (create)', (c) => c.contents.create('')],
    ['POST /api/contents (copy)', (c) => c.contents.copy('a.txt', 'd')],
    ['POST /api/kernels/{id}/restart', (c) => c.kernels.restart(KID)],
    ['POST /api/kernels/{id}/interrupt', (c) => c.kernels.interrupt(KID)],
    ['POST /api/terminals', (c) => c.terminals.create()],
    ['POST checkpoints', (c) => c.checkpoints.create('a.txt')],
    ['PATCH /api/contents/{path} (rename)', (c) => c.contents.rename('a.txt', 'b.txt')],
    ['PATCH /api/sessions/{id}', (c) => c.sessions.update(KID, { name: 'x' })],
    ['PATCH /api/config/{section}', (c) => c.config.update('notebook', {})],
  ])('does not retry %s on 503', async (_name, call) => {
    const { fetch, calls } = scripted([status(503), ok()]);
    const err = await settle(call(new JupyterClient({ baseUrl: BASE, fetch, maxRetries: 5 })));
    expect(err).toBeInstanceOf(InternalServerError);
    expect(calls).toHaveLength(1);
  });

  it.each([400, 403, 404, 500, 501])('does not retry GET on %i', async (code) => {
    const { fetch, calls } = scripted([status(code), ok()]);
    await settle(new JupyterClient({ baseUrl: BASE, fetch }).kernels.list());
    expect(calls).toHaveLength(1);
  });
});

describe('timeouts and aborts', () => {
  /** A fetch that answers only when its signal aborts. */
  function stalled() {
    const calls: number[] = [];
    const fetch = ((input: string | URL | Request, init?: RequestInit) => {
      calls.push(Date.now());
      const { signal } = asRequest(input, init);
      return new Promise<Response>((_, reject) =>
        signal.addEventListener('abort', () => reject(new DOMException('This operation was aborted', 'AbortError')), { once: true }),
      );
    }) as typeof globalThis.fetch;
    return { fetch, calls };
  }

  it('throws APIConnectionTimeoutError after the client timeout', async () => {
    const { fetch, calls } = stalled();
    const err = await settle(new JupyterClient({ baseUrl: BASE, fetch, timeout: 1000, maxRetries: 0 }).kernels.list());
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(err).not.toBeInstanceOf(APIUserAbortError);
    expect((err as APIConnectionTimeoutError).message).toBe(`GET ${BASE}/api/kernels timed out after 1000 ms`);
    expect(calls).toHaveLength(1);
  });

  it('lets a call override the client timeout', async () => {
    const { fetch } = stalled();
    const started = Date.now();
    const err = await settle(new JupyterClient({ baseUrl: BASE, fetch, timeout: 60_000, maxRetries: 0 }).kernels.list({ timeout: 200 }), 10);
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('throws APIUserAbortError when the caller aborts during the request', async () => {
    const { fetch } = stalled();
    const ac = new AbortController();
    const p = new JupyterClient({ baseUrl: BASE, fetch, timeout: 1000 }).kernels.list({ signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    const err = await settle(p);
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(err).not.toBeInstanceOf(APIConnectionError);
  });

  it('throws APIUserAbortError when the caller aborts during the backoff, without another attempt', async () => {
    const { fetch, calls } = scripted([status(503), ok()]);
    const ac = new AbortController();
    const p = new JupyterClient({ baseUrl: BASE, fetch }).kernels.list({ signal: ac.signal });
    // The backoff is 500 ms; abort in the middle of it.
    setTimeout(() => ac.abort(), 200);
    const started = Date.now();
    const err = await settle(p, 10);
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(calls).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('times out even when an injected fetch ignores the abort signal', async () => {
    const fetch = (() => new Promise<Response>(() => undefined)) as typeof globalThis.fetch;
    const err = await settle(new JupyterClient({ baseUrl: BASE, fetch, timeout: 1000, maxRetries: 0 }).kernels.list());
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('aborts even when an injected fetch ignores the abort signal', async () => {
    const fetch = (() => new Promise<Response>(() => undefined)) as typeof globalThis.fetch;
    const ac = new AbortController();
    const p = new JupyterClient({ baseUrl: BASE, fetch, timeout: 60_000 }).kernels.list({ signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    expect(await settle(p)).toBeInstanceOf(APIUserAbortError);
  });

  it('times out while the token function has not answered, without calling fetch', async () => {
    const { fetch, calls } = scripted([ok()]);
    const token = () => new Promise<string>(() => undefined);
    const err = await settle(new JupyterClient({ baseUrl: BASE, fetch, token, timeout: 1000, maxRetries: 0 }).kernels.list());
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(calls).toHaveLength(0);
  });

  it('aborts while the token function has not answered', async () => {
    const { fetch, calls } = scripted([ok()]);
    const token = () => new Promise<string>(() => undefined);
    const ac = new AbortController();
    const p = new JupyterClient({ baseUrl: BASE, fetch, token }).kernels.list({ signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    expect(await settle(p)).toBeInstanceOf(APIUserAbortError);
    expect(calls).toHaveLength(0);
  });

  it('times out while a response body is still arriving', async () => {
    const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const { signal } = asRequest(input, init);
      return new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(new TextEncoder().encode('[{"id":'));
            signal.addEventListener('abort', () => c.error(signal.reason), { once: true });
          },
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    }) as typeof globalThis.fetch;
    const err = await settle(new JupyterClient({ baseUrl: BASE, fetch, timeout: 1000, maxRetries: 0 }).kernels.list());
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('passes through an error thrown by the token function', async () => {
    const { fetch, calls } = scripted([ok()]);
    const boom = new Error('vault unavailable');
    const err = await settle(new JupyterClient({ baseUrl: BASE, fetch, token: async () => Promise.reject(boom) }).kernels.list());
    expect(err).toBe(boom);
    expect(calls).toHaveLength(0);
  });

  it('gives each retry its own timeout', async () => {
    const { fetch: stalledFetch } = stalled();
    let n = 0;
    const fetch = ((input: string | URL | Request, init?: RequestInit) => (++n === 1 ? Promise.resolve(status(503)()) : stalledFetch(input, init))) as typeof globalThis.fetch;
    const err = await settle(new JupyterClient({ baseUrl: BASE, fetch, timeout: 1000, maxRetries: 1 }).kernels.list());
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(n).toBe(2);
  });
});
