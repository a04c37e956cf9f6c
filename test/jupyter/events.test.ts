// jupyter.events against a fake server on 127.0.0.1: the events socket (`ws`) and the REST routes.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  APIUserAbortError,
  BadRequestError,
  CONTENTS_EVENT,
  InvalidArgumentError,
  isEvent,
  JupyterClient,
  KERNEL_ACTION_EVENT,
  KernelChannelError,
  NotSupportedError,
  type ServerEvent,
} from 'jupyter-sdk';

const TOKEN = 'events-token-4321';

interface FakeEventsServer {
  url: string;
  sockets: WebSocket[];
  upgrades: IncomingMessage[];
  posts: unknown[];
  nextSocket(): Promise<WebSocket>;
  /** Stops accepting upgrades (they get 503) while true. */
  refuse: boolean;
  close(): Promise<void>;
}

const servers: FakeEventsServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function fakeServer(version = '2.21.1', emitAnswer?: (body: unknown) => [number, string]): Promise<FakeEventsServer> {
  const v2 = !version.startsWith('1.');
  let waiters: ((w: WebSocket) => void)[] = [];
  const http = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const send = (status: number, text: string, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type, 'set-cookie': 'username-fake=cookie-value-1; Path=/' });
        res.end(text);
      };
      if (req.url === '/api') return send(200, JSON.stringify({ version }));
      if (req.url === '/api/events' && req.method === 'POST' && v2) {
        if (req.headers.authorization !== `token ${TOKEN}`) return send(403, '{"message": "Forbidden", "reason": null}');
        state.posts.push(JSON.parse(body));
        const [status, text] = emitAnswer?.(JSON.parse(body)) ?? [204, ''];
        return send(status, text);
      }
      send(404, '<html><h1>404 : Not Found</h1></html>', 'text/html');
    });
  });
  const wss = new WebSocketServer({
    server: http,
    verifyClient: (info, cb) => {
      if (!v2 || !info.req.url?.startsWith('/api/events/subscribe')) return cb(false, 404);
      if (state.refuse) return cb(false, 503);
      if (info.req.headers.authorization !== `token ${TOKEN}`) return cb(false, 403);
      cb(true);
    },
  });
  const state: FakeEventsServer = {
    url: '',
    sockets: [],
    upgrades: [],
    posts: [],
    refuse: false,
    nextSocket: () => new Promise((r) => waiters.push(r)),
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
  wss.on('connection', (ws, req) => {
    state.sockets.push(ws);
    state.upgrades.push(req);
    const w = waiters;
    waiters = [];
    for (const f of w) f(ws);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  servers.push(state);
  return state;
}

const saved = (path: string) => JSON.stringify({ schema_id: CONTENTS_EVENT, action: 'save', path });
const started = JSON.stringify({ schema_id: KERNEL_ACTION_EVENT, kernel_name: 'python3', action: 'start', status: 'success', msg: 'Kernel k was started.', kernel_id: 'k' });

describe('events.subscribe', () => {
  it('yields the events as the server sends them, with the token and the client\'s cookie in the handshake', async () => {
    const s = await fakeServer();
    const jupyter = new JupyterClient({ baseUrl: s.url, token: TOKEN });
    await jupyter.version(); // the server sets its cookie
    const opened = s.nextSocket();
    const sub = await jupyter.events.subscribe();
    const ws = await opened;
    expect(s.upgrades[0]!.url).toBe('/api/events/subscribe');
    expect(s.upgrades[0]!.headers.authorization).toBe(`token ${TOKEN}`);
    expect(s.upgrades[0]!.headers.cookie).toBe('username-fake=cookie-value-1');
    ws.send(saved('a.txt'));
    ws.send(started);
    ws.send(JSON.stringify({ schema_id: 'https://example.org/mine/v1', step: 3 }));
    const got: ServerEvent[] = [];
    for await (const e of sub) {
      got.push(e);
      if (got.length === 3) break;
    }
    expect(got).toEqual([JSON.parse(saved('a.txt')), JSON.parse(started), { schema_id: 'https://example.org/mine/v1', step: 3 }]);
    expect(isEvent(got[0]!, CONTENTS_EVENT) && got[0].path).toBe('a.txt');
    expect(isEvent(got[1]!, CONTENTS_EVENT)).toBe(false);
    expect(sub.closed).toBe(true);
  });

  it('with schemas, yields only those (typed as such)', async () => {
    const s = await fakeServer();
    const jupyter = new JupyterClient({ baseUrl: s.url, token: TOKEN });
    const opened = s.nextSocket();
    const sub = await jupyter.events.subscribe({ schemas: [CONTENTS_EVENT] });
    const ws = await opened;
    ws.send(started);
    ws.send(saved('b.txt'));
    for await (const e of sub) {
      // `e` is a ContentsEvent: `action` and `path` need no narrowing.
      expect([e.action, e.path]).toEqual(['save', 'b.txt']);
      break;
    }
  });

  it('reports a malformed frame as an error event and goes on', async () => {
    const s = await fakeServer();
    const sub = await new JupyterClient({ baseUrl: s.url, token: TOKEN }).events.subscribe();
    const errors: KernelChannelError[] = [];
    sub.on('error', (e) => errors.push(e));
    const ws = s.sockets[0]!;
    ws.send('not json');
    ws.send('[1, 2]');
    ws.send(saved('c.txt'));
    const first = await sub[Symbol.asyncIterator]().next();
    expect(first.value).toEqual(JSON.parse(saved('c.txt')));
    expect(errors.map((e) => e.code)).toEqual(['malformed', 'malformed']);
    await sub.close();
  });

  it('reconnects after the socket drops, says so, and yields what comes after', async () => {
    const s = await fakeServer();
    const sub = await new JupyterClient({ baseUrl: s.url, token: TOKEN }).events.subscribe({ reconnectDelay: 10 });
    const reconnects: number[] = [];
    sub.on('reconnect', (n) => reconnects.push(n));
    const reopened = s.nextSocket();
    s.sockets[0]!.terminate();
    (await reopened).send(saved('after.txt'));
    const it = sub[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual(JSON.parse(saved('after.txt')));
    expect(reconnects).toEqual([1]);
    expect(s.upgrades).toHaveLength(2);
    await sub.close();
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('gives up after maxReconnects: the loop throws KernelChannelError reconnect-failed', async () => {
    const s = await fakeServer();
    const sub = await new JupyterClient({ baseUrl: s.url, token: TOKEN }).events.subscribe({ reconnectDelay: 5, maxReconnects: 2 });
    s.refuse = true;
    s.sockets[0]!.terminate();
    const err = await (async () => {
      for await (const _ of sub) void _;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KernelChannelError);
    expect((err as KernelChannelError).code).toBe('reconnect-failed');
    expect(sub.closed).toBe(true);
  });

  it('close() ends a waiting loop and closes the socket; a second loop is refused', async () => {
    const s = await fakeServer();
    const sub = await new JupyterClient({ baseUrl: s.url, token: TOKEN }).events.subscribe();
    const closedOnServer = new Promise((r) => s.sockets[0]!.once('close', r));
    const loop = (async () => {
      const seen: unknown[] = [];
      for await (const e of sub) seen.push(e);
      return seen;
    })();
    expect(() => sub[Symbol.asyncIterator]()).toThrow(InvalidArgumentError);
    await sub.close();
    expect(await loop).toEqual([]);
    expect(await closedOnServer).toBe(1000);
  });

  it('an abort before the socket opens rejects with APIUserAbortError; one after ends the loop', async () => {
    const s = await fakeServer();
    const jupyter = new JupyterClient({ baseUrl: s.url, token: TOKEN });
    await expect(jupyter.events.subscribe({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(APIUserAbortError);
    const controller = new AbortController();
    const sub = await jupyter.events.subscribe({ signal: controller.signal });
    const loop = (async () => {
      for await (const _ of sub) void _;
      return 'ended';
    })();
    controller.abort();
    expect(await loop).toBe('ended');
  });

  it('on Jupyter Server 1.x throws NotSupportedError with the server version', async () => {
    const s = await fakeServer('1.23.3');
    const err = (await new JupyterClient({ baseUrl: s.url, token: TOKEN }).events.subscribe().catch((e: unknown) => e)) as NotSupportedError;
    expect(err).toBeInstanceOf(NotSupportedError);
    expect(err).toMatchObject({ feature: 'events', serverVersion: '1.23.3' });
    expect(err.message).toBe('The events API needs Jupyter Server 2.0 or later; this server is 1.23.3');
    expect(err.cause).toBeInstanceOf(KernelChannelError);
  });

  it('a wrong token on 2.x is a KernelChannelError connect-failed that does not show the token', async () => {
    const s = await fakeServer();
    const wrong = 'wrong-token-98765';
    const err = (await new JupyterClient({ baseUrl: s.url, token: wrong }).events.subscribe().catch((e: unknown) => e)) as KernelChannelError;
    expect(err).toBeInstanceOf(KernelChannelError);
    expect(err.code).toBe('connect-failed');
    expect(err.message).toMatch(/403/);
    expect(JSON.stringify(err) + err.message + String(err.stack)).not.toContain(wrong);
  });
});

describe('events.emit', () => {
  it('POSTs { schema_id, version, data } to /api/events and resolves on 204', async () => {
    const s = await fakeServer();
    const event = { schema_id: 'https://example.org/mine/v1', version: 1, data: { step: 'done' } };
    await expect(new JupyterClient({ baseUrl: s.url, token: TOKEN }).events.emit(event)).resolves.toBeUndefined();
    expect(s.posts).toEqual([event]);
  });

  it("keeps the first paragraph of a schema validator's 400 and names the event", async () => {
    const validator = "'path' is a required property\n\nFailed validating 'required' in schema:\n    {'$id': ...}\n\nOn instance:\n    {'action': 'save'}";
    const s = await fakeServer('2.21.1', () => [400, JSON.stringify({ message: validator, reason: null })]);
    const err = (await new JupyterClient({ baseUrl: s.url, token: TOKEN })
      .events.emit({ schema_id: CONTENTS_EVENT, version: 1, data: { action: 'save' } })
      .catch((e: unknown) => e)) as BadRequestError;
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.message).toBe(`400 'path' is a required property (event '${CONTENTS_EVENT}' version 1)`);
    expect(err.serverMessage).toBe(validator);
  });

  it('leaves a 400 that names the schema as the server said it', async () => {
    const said = "Unregistered version: '2'≠'1' for `" + CONTENTS_EVENT + '`';
    const s = await fakeServer('2.21.1', () => [400, JSON.stringify({ message: said, reason: null })]);
    const err = await new JupyterClient({ baseUrl: s.url, token: TOKEN })
      .events.emit({ schema_id: CONTENTS_EVENT, version: 2, data: {} })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as Error).message).toBe(`400 ${said}`);
  });

  it('on Jupyter Server 1.x throws NotSupportedError', async () => {
    const s = await fakeServer('1.23.3');
    const err = await new JupyterClient({ baseUrl: s.url, token: TOKEN }).events.emit({ schema_id: CONTENTS_EVENT, version: 1, data: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotSupportedError);
    expect((err as NotSupportedError).serverVersion).toBe('1.23.3');
  });

  it('refuses an event without schema_id, version or object data before sending it', async () => {
    const s = await fakeServer();
    const events = new JupyterClient({ baseUrl: s.url, token: TOKEN }).events;
    for (const bad of [{ version: 1, data: {} }, { schema_id: 'x', data: {} }, { schema_id: 'x', version: 1, data: [] }, { schema_id: 'x', version: 1 }])
      await expect(events.emit(bad as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(s.posts).toEqual([]);
  });
});
