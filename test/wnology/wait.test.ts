import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupServer } from 'msw/node';
import {
  APIUserAbortError,
  ExecutionWaitTimeoutError,
  JupyterSDKError,
  NotFoundError,
  WaitTimeoutError,
  WnologyClient,
  type NotebookExecutionLog,
} from 'jupyter-sdk/wnology';
import { APP, BASE, EXEC, GET_HEADERS, LOGS, NB, NB_PATH, TOKEN, errorJson, expectRequest, logRecord, recordAll, route, type S, type Seen } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

const client = () => new WnologyClient({ token: TOKEN, baseUrl: BASE, maxRetries: 0 });
const OTHER = '632e18632f59592e773a4154';

/** Answers the logs polls with one status after another (the last one repeats). */
function statuses(seen: Seen[], sequence: (S['NotebookExecutionLog'][] | S['NotebookExecutionLog'])[]) {
  let i = 0;
  return route(
    'get',
    LOGS,
    () => {
      const step = sequence[Math.min(i++, sequence.length - 1)]!;
      return Array.isArray(step) ? step : [step];
    },
    { seen },
  );
}

describe('wn.notebooks.waitForExecution', () => {
  it('polls the logs through queued and inProgress and resolves to the completed record', async () => {
    const seen: Seen[] = [];
    const completed = logRecord({ status: 'completed', runStartedAt: '2022-09-23T20:37:30.000Z', outputsCompletedAt: '2022-09-23T20:38:00.000Z' });
    server.use(statuses(seen, [logRecord({ status: 'queued' }), logRecord({ status: 'inProgress' }), completed]));
    const progress: string[] = [];
    const run: NotebookExecutionLog = await client().notebooks.waitForExecution(APP, NB, EXEC, {
      interval: 5,
      onStatus: (r) => progress.push(r.status!),
    });
    expect(run).toEqual(completed);
    expect(progress).toEqual(['queued', 'inProgress']);
    expect(seen).toHaveLength(3);
    expect(seen.every((s) => s.method === 'GET' && s.path === `${NB_PATH}/logs`)).toBe(true);
    // The ObjectId's creation time (0x632e1863 s) minus a minute of slack, so older runs are not fetched.
    expectRequest(seen[0], { method: 'GET', path: `${NB_PATH}/logs`, query: { since: String(0x632e1863 * 1000 - 60_000), limit: '25' }, headers: GET_HEADERS });
  });

  it('picks its own execution among newer and older runs, and waits while it is not listed yet', async () => {
    const seen: Seen[] = [];
    server.use(
      statuses(seen, [
        [logRecord({ id: OTHER, notebookExecutionId: OTHER, status: 'completed' })],
        [logRecord({ id: OTHER, notebookExecutionId: OTHER, status: 'completed' }), logRecord({ status: 'inProgress' })],
        [logRecord({ id: OTHER, notebookExecutionId: OTHER, status: 'queued' }), logRecord({ status: 'errored', executionErrors: [{ name: 'Error', message: 'boom' }] })],
      ]),
    );
    const run = await client().notebooks.waitForExecution(APP, NB, EXEC, { interval: 5 });
    expect(run.status).toBe('errored');
    expect(run.executionErrors?.[0]?.message).toBe('boom');
    expect(seen).toHaveLength(3);
  });

  /** `count` completed runs queued after EXEC, newest first, with ids that sort after it. */
  const newerRuns = (count: number) =>
    Array.from({ length: count }, (_, i) => {
      const id = `632e1864${(count - i).toString(16).padStart(16, '0')}`;
      return logRecord({ id, notebookExecutionId: id, status: 'completed' });
    });

  /** The logs endpoint: `newer` runs above EXEC (in the status `ours` gives), cut to `limit`, newest first. */
  function buried(seen: Seen[], newer: number, ours: (poll: number) => S['NotebookExecutionLog']['status'], maxLimit = Infinity) {
    const runs = newerRuns(newer);
    return route(
      'get',
      LOGS,
      (s) => {
        const limit = Number(s.query.limit ?? 1);
        if (limit > maxLimit) return errorJson(400, { type: 'Validation', message: `limit must be less than or equal to ${maxLimit}` });
        return [...runs, logRecord({ status: ours(seen.length) })].slice(0, limit);
      },
      { seen },
    );
  }

  it('finds its run under more than 25 newer ones by doubling the limit at once, and keeps the larger limit', async () => {
    const seen: Seen[] = [];
    server.use(buried(seen, 60, (poll) => (poll < 4 ? 'inProgress' : 'completed')));
    const progress: string[] = [];
    const run = await client().notebooks.waitForExecution(APP, NB, EXEC, { interval: 5, onStatus: (r) => progress.push(r.status!) });
    expect(run.id).toBe(EXEC);
    expect(run.status).toBe('completed');
    // 25 and 50 are full pages of newer runs; 100 holds it (in progress), and later polls stay at 100.
    expect(seen.map((s) => s.query.limit)).toEqual(['25', '50', '100', '100']);
    expect(progress).toEqual(['inProgress']);
    expect(seen.every((s) => s.query.since === String(0x632e1863 * 1000 - 60_000))).toBe(true);
  });

  it('grows the limit again when newer runs push its run off a page it was on', async () => {
    const seen: Seen[] = [];
    server.use(
      route(
        'get',
        LOGS,
        (s) => {
          // 20 newer runs at the first poll, 35 from the second on.
          const newer = seen.length === 1 ? 20 : 35;
          const runs = [...newerRuns(newer), logRecord({ status: newer > 30 ? 'completed' : 'queued' })];
          return runs.slice(0, Number(s.query.limit));
        },
        { seen },
      ),
    );
    const run = await client().notebooks.waitForExecution(APP, NB, EXEC, { interval: 5 });
    expect(run.status).toBe('completed');
    // 21 runs fit in 25; then 36 do not, so 50 is asked for at once.
    expect(seen.map((s) => s.query.limit)).toEqual(['25', '25', '50']);
  });

  it('settles for the largest limit the server accepts when it refuses a larger one with 400', async () => {
    const seen: Seen[] = [];
    server.use(buried(seen, 40, () => 'completed', 50));
    const run = await client().notebooks.waitForExecution(APP, NB, EXEC, { interval: 5 });
    expect(run.status).toBe('completed');
    expect(seen.map((s) => s.query.limit)).toEqual(['25', '50']);

    // On a fake clock: how many polls fit into the timeout must not depend on the machine's load.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const seen2: Seen[] = [];
    server.use(buried(seen2, 200, () => 'completed', 50));
    const result = client().notebooks.waitForExecution(APP, NB, EXEC, { interval: 5, timeout: 200 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(200);
    const err = await result;
    vi.useRealTimers();
    expect(err).toBeInstanceOf(ExecutionWaitTimeoutError);
    expect((err as ExecutionWaitTimeoutError).lastRecord).toBeUndefined();
    // 100 is refused, so it polls at 50 from then on and never asks for more.
    expect(seen2.slice(0, 4).map((s) => s.query.limit)).toEqual(['25', '50', '100', '50']);
    expect(new Set(seen2.slice(3).map((s) => s.query.limit))).toEqual(new Set(['50']));
  });

  it('asks for at most 1000 records', async () => {
    const seen: Seen[] = [];
    server.use(buried(seen, 1200, () => 'completed'));
    // Stopped after the ninth poll, however long each one takes on a busy machine.
    const ac = new AbortController();
    const stopAt9 = setInterval(() => seen.length >= 9 && ac.abort(), 1);
    const err = await client()
      .notebooks.waitForExecution(APP, NB, EXEC, { interval: 5, signal: ac.signal })
      .catch((e: unknown) => e)
      .finally(() => clearInterval(stopAt9));
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(seen.slice(0, 7).map((s) => s.query.limit)).toEqual(['25', '50', '100', '200', '400', '800', '1000']);
    expect(seen.length).toBeGreaterThan(7);
    expect(new Set(seen.slice(6).map((s) => s.query.limit))).toEqual(new Set(['1000']));
  });

  it('keeps waiting through canceling and resolves to canceled', async () => {
    server.use(statuses([], [logRecord({ status: 'inProgress' }), logRecord({ status: 'canceling' }), logRecord({ status: 'canceled' })]));
    expect((await client().notebooks.waitForExecution(APP, NB, EXEC, { interval: 5 })).status).toBe('canceled');
  });

  it('throws ExecutionWaitTimeoutError carrying the last record when the run outlives the timeout', async () => {
    // On a fake clock: the polls that fit into the timeout, and when it gives up, must not depend
    // on the machine's load.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const seen: Seen[] = [];
    server.use(statuses(seen, [logRecord({ status: 'queued' }), logRecord({ status: 'inProgress' })]));
    let settled = false;
    const result = client()
      .notebooks.waitForExecution(APP, NB, EXEC, { interval: 10, timeout: 300 })
      .catch((e: unknown) => e)
      .finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(299);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const err = await result;
    vi.useRealTimers();
    expect(err).toBeInstanceOf(ExecutionWaitTimeoutError);
    // The one meaning of a waitFor… timeout: the whole wait, and the same base class everywhere.
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err).toBeInstanceOf(JupyterSDKError);
    const e = err as ExecutionWaitTimeoutError;
    expect(e.executionId).toBe(EXEC);
    expect(e.timeout).toBe(300);
    // Every 10 ms from 0 to 290: the wait gave up at 300, not after a poll or a sleep more.
    expect(seen).toHaveLength(30);
    expect(e.lastRecord?.status).toBe('inProgress');
    expect(e.message).toBe(`Notebook execution ${EXEC} was still inProgress after 300 ms`);
  });

  it('times out while a poll is still in flight', async () => {
    server.use(recordAll([], () => new Promise<Response>(() => {})));
    const err = await client().notebooks.waitForExecution(APP, NB, EXEC, { interval: 10, timeout: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutionWaitTimeoutError);
    expect((err as ExecutionWaitTimeoutError).lastRecord).toBeUndefined();
  });

  it('throws APIUserAbortError when the signal aborts, and sends nothing when it already has', async () => {
    const seen: Seen[] = [];
    server.use(statuses(seen, [logRecord({ status: 'inProgress' })]));
    const ac = new AbortController();
    // Abort while waiting between two polls, after the first one was answered.
    const err = await client()
      .notebooks.waitForExecution(APP, NB, EXEC, { interval: 60_000, signal: ac.signal, onStatus: () => setTimeout(() => ac.abort(), 5) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(seen).toHaveLength(1);
    await expect(client().notebooks.waitForExecution(APP, NB, EXEC, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(seen).toHaveLength(1);
  });

  it('throws APIUserAbortError when the signal aborts during a poll', async () => {
    const ac = new AbortController();
    server.use(
      recordAll([], () => {
        ac.abort();
        return new Promise<Response>(() => {});
      }),
    );
    const err = await client().notebooks.waitForExecution(APP, NB, EXEC, { signal: ac.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
  });

  // 600 polls: through MSW they took 12 s of CPU on a loaded machine, past the test's time limit,
  // so this one answers from an injected fetch (MSW still checks the request elsewhere).
  it('polls every 3 s and gives up after 30 minutes by default (fake timers)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const seen: string[] = [];
      const body = JSON.stringify([logRecord({ status: 'inProgress' })]);
      const fetch = async (url: string | URL | Request) => {
        seen.push(String(url));
        return new Response(body, { headers: { 'content-type': 'application/json' } });
      };
      const wn = new WnologyClient({ token: TOKEN, baseUrl: BASE, maxRetries: 0, fetch: fetch as typeof globalThis.fetch });
      const result = wn.notebooks.waitForExecution(APP, NB, EXEC).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(0);
      expect(seen).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(2999);
      expect(seen).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(seen).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(30 * 60_000 - 3000 - 1);
      expect(seen).toHaveLength(600);
      await vi.advanceTimersByTimeAsync(1);
      const err = await result;
      expect(err).toBeInstanceOf(ExecutionWaitTimeoutError);
      expect((err as ExecutionWaitTimeoutError).timeout).toBe(30 * 60_000);
      expect(new URL(seen[0]!).pathname).toBe(`${NB_PATH}/logs`);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rethrows an API error from the logs (the notebook is gone)', async () => {
    server.use(recordAll([], () => errorJson(404, { type: 'NotFound', message: 'Notebook was not found' })));
    await expect(client().notebooks.waitForExecution(APP, NB, EXEC, { interval: 5 })).rejects.toBeInstanceOf(NotFoundError);
  });
});
