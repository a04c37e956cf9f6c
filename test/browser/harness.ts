/**
 * What the Chromium tests stand on: the package's browser build, bundled for a page the way an
 * app's bundler sees it (by package name, through the `exports` map with the `browser`
 * condition, from dist/); Debian's Chromium under puppeteer-core; a small HTTP server that serves
 * the page and, for same-origin tests, proxies the rest (REST, login form, WebSockets) to Jupyter.
 */
import { build, type Plugin } from 'esbuild';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';

export const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Debian's Chromium (the `chromium` package); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

async function newest(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = 0;
  for (const entry of await readdir(path)) max = Math.max(max, await newest(join(path, entry)));
  return max;
}

async function oldest(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let min = Infinity;
  for (const entry of await readdir(path)) min = Math.min(min, await oldest(join(path, entry)));
  return min;
}

/**
 * Runs `npm run build` when dist/ is missing or older than what it is built from, so `npm test`
 * on a fresh clone tests the current sources; CI builds first and pays nothing here.
 */
export async function ensureBuilt(): Promise<void> {
  const dist = join(repo, 'dist');
  if (existsSync(dist)) {
    const inputs = Math.max(...(await Promise.all(['src', 'package.json', 'tsup.config.ts'].map((p) => newest(join(repo, p))))));
    if ((await oldest(dist)) > inputs) return;
  }
  await promisify(execFile)('npm', ['run', 'build'], { cwd: repo, maxBuffer: 64 << 20 });
}

const NODE_ONLY = /^(ws|node:.*|fs|path|child_process|net|http|https|stream|crypto|os|url|util|events|zlib|tls)$/;

/**
 * Bundles a page script for the browser with esbuild, resolving `jupyter-sdk` by its package name
 * (a self-reference through the `exports` map, `browser` condition) and ignoring tsconfig paths,
 * which point tests at src/. Throws when `ws` or a Node built-in is reachable, or when the SDK did
 * not come from dist/.
 */
export async function bundlePage(entry: string, options: { minify?: boolean } = {}): Promise<{ code: string; inputs: string[] }> {
  const nodeOnly: string[] = [];
  const forbid: Plugin = {
    name: 'forbid-node-only',
    setup(b) {
      b.onResolve({ filter: NODE_ONLY }, (args) => {
        nodeOnly.push(`${args.path} (from ${relative(repo, args.importer)})`);
        return { path: args.path, external: true };
      });
    },
  };
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: repo,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? false,
    metafile: true,
    tsconfigRaw: '{}',
    logLevel: 'silent',
    plugins: [forbid],
  });
  if (nodeOnly.length) throw new Error(`Node-only modules reachable from the browser bundle: ${nodeOnly.join(', ')}`);
  const inputs = Object.keys(result.metafile.inputs);
  if (!inputs.some((i) => i.startsWith('dist/'))) throw new Error(`jupyter-sdk did not resolve to dist/: ${inputs.join(', ')}`);
  return { code: result.outputFiles[0]!.text, inputs };
}

/** A launched Chromium and its throwaway profile. */
export interface Chromium {
  browser: Browser;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, as root (no sandbox), with a fresh profile and no background traffic. */
export async function launchChromium(): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), 'jupyter-sdk-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A served file. */
export interface Served {
  type: string;
  body: string | Uint8Array;
}

/** An HTTP server of the test: the page's files, then (optionally) a proxy to Jupyter. */
export interface Site {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Method and path of every request that reached this server (files and proxied). */
  requests: string[];
  /** Paths of the WebSocket upgrades proxied. */
  upgrades: string[];
  files: Map<string, Served>;
  close(): Promise<void>;
}

/**
 * Serves `files` by path on 127.0.0.1 (a random port); with `upstream`, every other request,
 * WebSocket upgrades included, goes to that server unchanged (Host and Origin stay the page's,
 * so Jupyter sees a same-origin client).
 */
export async function serve(files: Record<string, Served>, upstream?: string): Promise<Site> {
  const requests: string[] = [];
  const upgrades: string[] = [];
  const map = new Map(Object.entries(files));
  const target = upstream ? new URL(upstream) : undefined;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = map.get(path);
    if (file || !target) {
      if (!file) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return void res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
    }
    const out = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, client: net.Socket, head: Buffer) => {
    requests.push(`${req.method} ${req.url}`);
    upgrades.push(req.url ?? '');
    if (!target) return void client.destroy();
    const up = net.connect(Number(target.port), target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    sockets.add(up);
    up.on('close', () => sockets.delete(up));
    const end = () => (up.destroy(), client.destroy());
    up.on('error', end);
    client.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    upgrades,
    files: map,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** What a page logged and which WebSockets it opened. */
export interface PageLog {
  /** Console messages (the page's own and Chromium's, e.g. "Failed to load resource: ... 404"), with `type: text`. */
  console: string[];
  /** Uncaught errors in the page. */
  errors: string[];
  /** URLs of the WebSockets the page created (Chromium's DevTools protocol, so every handshake counts). */
  sockets: string[];
}

/**
 * Opens a page in `context` with its console, uncaught errors and WebSocket handshakes recorded.
 * `secrets` are masked in what is recorded, so a failing assertion never prints a token.
 */
export async function openPage(context: BrowserContext, url: string, secrets: string[] = []): Promise<{ page: Page; log: PageLog }> {
  const page = await context.newPage();
  const mask = (text: string) => secrets.reduce((t, s) => (s ? t.split(s).join('***') : t), text);
  const log: PageLog = { console: [], errors: [], sockets: [] };
  page.on('console', (m) => log.console.push(mask(`${m.type()}: ${m.text()}`)));
  page.on('pageerror', (e) => log.errors.push(mask(String((e as Error)?.message ?? e))));
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketCreated', (e: { url: string }) => log.sockets.push(mask(e.url)));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => (globalThis as { T?: unknown }).T !== undefined);
  return { page, log };
}

/**
 * Logs in through Jupyter Server's own login form (the token typed into its password field), so
 * the browser holds the login cookie and `_xsrf` and the page itself never sees the token.
 */
export async function logIn(context: BrowserContext, origin: string, token: string): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/login`, { waitUntil: 'load' });
    await page.type('input[name=password]', token);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('[type=submit]')]);
    const cookies = await context.cookies();
    if (!cookies.some((c) => c.name.startsWith('username-'))) throw new Error('logging in through the form set no login cookie');
  } finally {
    await page.close();
  }
}
