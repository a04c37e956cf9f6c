// The SDK in a real browser: Debian's Chromium (headless, under puppeteer-core) loads a page
// that bundles the package's browser build by its name (test/browser/harness.ts), against a real
// Jupyter Server, in the two ways a browser app reaches one:
//  - cross-origin with a token, the server started with --ServerApp.allow_origin=<page origin>;
//  - same-origin behind a small proxy, logged in through the server's login form, so the page
//    holds no token and authenticates with the login cookie and the `_xsrf` cookie/header pair.
// Terminals are tested same-origin only: Jupyter Server 1.23 answers the CORS preflight of
// GET/DELETE /api/terminals/{name} with 405.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'puppeteer-core';
import { startJupyterServer, type LocalJupyterServer } from 'jupyter-sdk/server';
import { bundlePage, ensureBuilt, launchChromium, logIn, openPage, serve, type Chromium, type PageLog, type Site } from '../browser/harness.js';
import type { PageApi } from '../browser/page.js';

const SETUP_TIMEOUT = 300_000;
let chromium: Chromium;
let jupyter: LocalJupyterServer;
let crossSite: Site;
let sameSite: Site;
let noCors: Site;
let closedPort: string;
let bundleInputs: string[];

beforeAll(async () => {
  await ensureBuilt();
  const { code, inputs } = await bundlePage('test/browser/page.ts');
  bundleInputs = inputs;
  const files = {
    '/': { type: 'text/html; charset=utf-8', body: '<!doctype html><meta charset="utf-8"><title>jupyter-sdk</title><script type="module" src="/page.js"></script>' },
    '/page.js': { type: 'text/javascript', body: code },
  };
  crossSite = await serve(files);
  jupyter = await startJupyterServer({ nodelay: true, extraArgs: [`--ServerApp.allow_origin=${crossSite.origin}`] });
  sameSite = await serve(files, jupyter.url);
  noCors = await serve({});
  const gone = await serve({});
  closedPort = gone.origin;
  await gone.close();
  chromium = await launchChromium();
}, SETUP_TIMEOUT);

afterAll(async () => {
  await chromium?.close();
  await Promise.all([crossSite?.close(), sameSite?.close(), noCors?.close()]);
  await jupyter?.stop();
});

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Calls `T[name](...args)` in the page. */
function caller(page: () => Page) {
  return <K extends keyof PageApi>(name: K, ...args: Parameters<PageApi[K]>): Promise<Awaited<ReturnType<PageApi[K]>>> =>
    page().evaluate((n, a) => (globalThis as any).T[n](...a), name, args as unknown[]) as never;
}

it('bundles the SDK for the page from the browser build in dist/, without ws or Node built-ins', () => {
  expect(bundleInputs.some((i) => /^dist\/browser\/.*kernel\/connection\.js$/.test(i))).toBe(true);
  expect(bundleInputs.filter((i) => i.startsWith('src/'))).toEqual([]);
  expect(bundleInputs.some((i) => /node_modules\/ws\//.test(i))).toBe(false);
});

interface Mode {
  name: string;
  sameOrigin: boolean;
  dir: string;
}
const modes: Mode[] = [
  { name: 'cross-origin with a token (allow_origin)', sameOrigin: false, dir: 'browser cross' },
  { name: 'same-origin with the login cookie and XSRF (no token in the page)', sameOrigin: true, dir: 'browser same' },
];

describe.each(modes)('in Chromium, $name', (mode) => {
  let context: BrowserContext;
  let page: Page;
  let log: PageLog;
  const call = caller(() => page);
  const dir = mode.dir;
  const onDisk = (path: string) => join(jupyter.rootDir, path);

  beforeAll(async () => {
    // A context of its own: cookies of the other mode (same host, other port) must not help.
    context = await chromium.browser.createBrowserContext();
    const origin = mode.sameOrigin ? sameSite.origin : crossSite.origin;
    if (mode.sameOrigin) await logIn(context, origin, jupyter.token);
    ({ page, log } = await openPage(context, `${origin}/`, [jupyter.token]));
    const info = await call('init', mode.sameOrigin ? { baseUrl: origin } : { baseUrl: jupyter.url, token: jupyter.token });
    expect(info.origin).toBe(origin);
    expect(info.cookieHasXsrf).toBe(mode.sameOrigin);
    await mkdir(onDisk(dir), { recursive: true });
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await context?.close();
  });

  it('reads the server status', async () => {
    expect(await call('status')).toEqual({ started: true, version: expect.stringMatching(/^\d+\.\d+/) });
  });

  it('creates, reads, lists, copies, renames and deletes files whose names hold spaces, unicode and #?%', async () => {
    const name = 'a b  c ünï 日本 #?%.txt';
    const renamed = 'r é ? # % 100%.txt';
    const r = await call('contents', `${dir}/crud ü #?%`, name, renamed);
    expect(r.saved).toEqual({ name, path: `${dir}/crud ü #?%/${name}` });
    expect(r.read).toEqual({ name, path: `${dir}/crud ü #?%/${name}`, content: 'hello, wörld ✓' });
    expect(r.listed).toEqual([name]);
    expect(r.untitled).toBe(true);
    expect(r.copy).toBe('a b  c ünï 日本 #?%-Copy1.txt');
    expect(r.moved).toBe(`${dir}/crud ü #?%/${renamed}`);
    expect(r.goneAfterRename).toMatchObject({ notFound: true, api: true, sdk: true, status: 404 });
    expect(r.goneAfterDelete).toMatchObject({ notFound: true, status: 404 });
    expect(r.finally).toEqual(['a b  c ünï 日本 #?%-Copy1.txt', 'untitled.txt']);
    expect(await readFile(onDisk(`${dir}/crud ü #?%/a b  c ünï 日本 #?%-Copy1.txt`), 'utf8')).toBe('hello, wörld ✓');
  });

  it('reads a file and a directory again after they changed behind its back (no answer from the HTTP cache)', async () => {
    const stale = `${dir}/stale`;
    await mkdir(onDisk(stale), { recursive: true });
    await writeFile(onDisk(`${stale}/f.txt`), 'first');
    // Old Last-Modified dates make Chromium's heuristic freshness long (10% of the age): without
    // `cache: 'no-store'` the second reads would be answered from its cache without asking.
    const dayAgo = new Date(Date.now() - 86_400_000);
    await utimes(onDisk(`${stale}/f.txt`), dayAgo, dayAgo);
    await utimes(onDisk(stale), dayAgo, dayAgo);
    expect(await call('read', `${stale}/f.txt`, stale)).toEqual({ content: 'first', entries: ['f.txt'] });
    await writeFile(onDisk(`${stale}/f.txt`), 'second');
    await writeFile(onDisk(`${stale}/g.txt`), 'new');
    expect(await call('read', `${stale}/f.txt`, stale)).toEqual({ content: 'second', entries: ['f.txt', 'g.txt'] });
  });

  it('uploads a Uint8Array and a Blob in chunks, byte-identical on the server, with progress, and logs no 404', async () => {
    const up = `${dir}/upload`;
    const chunkSize = 256 * 1024;
    const seen = log.console.length;
    const r = await call('upload', up, chunkSize);
    expect(log.console.slice(seen)).toEqual([]);
    expect(r.models).toEqual([
      { path: `${up}/bytes é #1.bin`, size: Math.round(chunkSize * 2.5) },
      { path: `${up}/blob ? 100%.bin`, size: Math.round(chunkSize * 3.3) },
      { path: `${up}/bytes é #1.bin`, size: Math.round(chunkSize * 1.5) },
    ]);
    expect(r.progress).toEqual([1, 2, 2.5].map((n) => ({ loaded: Math.round(chunkSize * n), total: Math.round(chunkSize * 2.5) })));
    expect(r.blobProgress.map((p) => p.loaded)).toEqual([1, 2, 3, 3.3].map((n) => Math.round(chunkSize * n)));
    expect(sha(await readFile(onDisk(`${up}/blob ? 100%.bin`)))).toBe(r.hashes.blob);
    expect(sha(await readFile(onDisk(`${up}/bytes é #1.bin`)))).toBe(r.hashes.replacement);
    expect(r.hashes.bytes).not.toBe(r.hashes.replacement);
    expect(r.entries).toEqual(['blob ? 100%.bin', 'bytes é #1.bin']);
  });

  it('creates, lists, restores and deletes checkpoints', async () => {
    const r = await call('checkpoints', `${dir}/cp ü.txt`);
    expect(r).toEqual({ listed: [r.id], id: expect.any(String), before: 'version 2', after: 'version 1', left: 0 });
  });

  describe('kernels', () => {
    it('starts a kernel and connects to it', async () => {
      const r = await call('kernelStart');
      expect(r.protocol).toBe('v1');
      expect(['idle', 'busy', 'starting']).toContain(r.status);
    });

    it('streams the iopub messages of an execute, in order', async () => {
      const r = await call('kernelStream');
      expect(r.text).toBe('0\n1\n2\n');
      expect(r.kinds[0]).toBe('status');
      expect(r.kinds.at(-1)).toBe('status');
      expect(r.status).toBe('ok');
    });

    it("runs '1+1'", async () => {
      const r = await call('kernelRun', '1+1');
      expect(r.status).toBe('ok');
      expect(r.outputs).toEqual([{ output_type: 'execute_result', execution_count: r.executionCount, data: { 'text/plain': '2' }, metadata: {} }]);
    });

    it('answers input() over stdin', async () => {
      const r = await call('kernelStdin');
      expect(r.prompts).toEqual(['who? ']);
      expect(r.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'hello Ada\n' }]);
    });

    it('receives an image/png output that Chromium decodes', async () => {
      expect(await call('kernelImage')).toEqual({ status: 'ok', types: ['image/png', 'text/plain'], decoded: true, width: 8, height: 6 });
    });

    it('interrupts a running cell', async () => {
      const r = await call('kernelInterrupt');
      expect(r).toMatchObject({ status: 'error', ename: 'KeyboardInterrupt' });
      expect(r.after).toEqual([expect.objectContaining({ data: { 'text/plain': '2' } })]);
    });

    it('aborts an execute with APIUserAbortError and interrupts the kernel', async () => {
      const r = await call('kernelAbort');
      expect(r.error).toMatchObject({ abort: true, sdk: true });
      expect(r.next).toEqual([expect.objectContaining({ data: { 'text/plain': "'still here'" } })]);
    });

    it('notices the kernel shut down over REST', async () => {
      const r = await call('kernelShutdown');
      expect(r).toMatchObject({ code: 'dead', status: 'dead', listed: false });
      expect(r.late).toMatchObject({ channel: true, sdk: true });
    });

    it('fails to connect to a kernel that does not exist with one handshake and a KernelChannelError', async () => {
      const before = log.sockets.length;
      const r = await call('kernelConnectMissing', randomUUID());
      expect(r).toMatchObject({ channel: true, sdk: true, code: 'connect-failed' });
      expect(log.sockets.slice(before)).toHaveLength(1);
    });
  });

  it('creates, gets, renames and deletes a session', async () => {
    const r = await call('sessions', `${dir}/s ü #1.ipynb`, `${dir}/s renamed.ipynb`);
    expect(r).toMatchObject({ path: `${dir}/s ü #1.ipynb`, kernel: true, listed: true, updated: `${dir}/s renamed.ipynb`, kernelGone: true });
    expect(r.gone).toMatchObject({ notFound: true, status: 404 });
  });

  it('throws typed errors that instanceof recognises in the page', async () => {
    const r = await call('errors', `${dir}/errors`);
    expect(r.notFound).toMatchObject({ name: 'NotFoundError', notFound: true, api: true, sdk: true, status: 404 });
    expect(r.conflict).toMatchObject({ name: 'ConflictError', conflict: true, api: true, status: 409 });
    expect(r.forbidden).toMatchObject({ name: 'PermissionDeniedError', permission: true, api: true, status: 403 });
    expect(r.noSuchKernel).toMatchObject({ notFound: true, status: 404 });
  });

  it('rejects aborted calls with APIUserAbortError: before, during, and a kernel connect', async () => {
    const r = await call('aborts');
    for (const e of [r.before, r.during, r.connect]) expect(e).toMatchObject({ abort: true, sdk: true, connection: false });
  });

  it('keeps the cause of a connection error, and names CORS for a cross-origin request the browser blocked, without retrying it', async () => {
    noCors.requests.length = 0;
    const r = await call('unreachable', closedPort, noCors.origin);
    expect(r.closed).toMatchObject({ connection: true, sdk: true, cause: { typeError: true } });
    for (const e of [r.blockedGet, r.blockedDelete]) {
      expect(e).toMatchObject({ connection: true, timeout: false, cause: { typeError: true } });
      expect(e!.message).toMatch(/CORS/);
      expect(e!.message).toMatch(/allow_origin/);
    }
    // One preflight each: no retry of a request the browser refused to send.
    expect(noCors.requests).toEqual(['OPTIONS /api/kernels', 'OPTIONS /api/contents/x.txt']);
  });

  if (mode.sameOrigin) {
    it('types into a terminal and reads the echo (same-origin: 1.23 refuses the CORS preflight of /api/terminals/{name})', async () => {
      expect(await call('terminal')).toMatchObject({ echoed: true, left: false });
    });
  }

  it('threw no uncaught error in the page', () => {
    expect(log.errors).toEqual([]);
  });
});

describe('in Chromium, against a server without the v1 kernel protocol', () => {
  let legacy: LocalJupyterServer;
  let context: BrowserContext;
  let page: Page;
  let log: PageLog;
  const call = caller(() => page);

  beforeAll(async () => {
    legacy = await startJupyterServer({ nodelay: true, extraArgs: ['--ServerApp.kernel_ws_protocol=', `--ServerApp.allow_origin=${crossSite.origin}`] });
    context = await chromium.browser.createBrowserContext();
    ({ page, log } = await openPage(context, `${crossSite.origin}/`, [legacy.token]));
    await call('init', { baseUrl: legacy.url, token: legacy.token });
  }, SETUP_TIMEOUT);
  afterAll(async () => {
    await context?.close();
    await legacy?.stop();
  });

  it('falls back to JSON once, then remembers the answer: later connects of the client make one handshake', async () => {
    const before = log.sockets.length;
    const r = await call('kernelConnectTimes', 3);
    expect(r.protocols).toEqual(['json', 'json', 'json']);
    for (const outputs of r.results) expect(outputs).toEqual([expect.objectContaining({ data: { 'text/plain': '2' } })]);
    const handshakes = log.sockets.slice(before).filter((u) => u.includes('/channels'));
    expect(handshakes).toHaveLength(4);
  });
});
