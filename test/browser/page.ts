/**
 * The page of the Chromium tests: the SDK's browser build (imported by package name, bundled by
 * test/browser/harness.ts) driven by functions on `globalThis.T` that the tests call through
 * puppeteer. Each returns plain facts (no assertions here), which the test then checks; the
 * `instanceof` checks happen here, in the page, against the bundled error classes.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  ConflictError,
  JupyterClient,
  JupyterSDKError,
  KernelChannelError,
  NotFoundError,
  PermissionDeniedError,
  isMessageType,
  type KernelConnection,
} from 'jupyter-sdk';

interface Config {
  baseUrl: string;
  token?: string | undefined;
}

let jupyter: JupyterClient;
let config: Config;
let kernel: KernelConnection | undefined;

/** What the page reports about an error it caught. */
function describe(e: unknown) {
  const err = e as Error & { status?: number; code?: string; cause?: unknown };
  return {
    name: err?.constructor?.name,
    message: String(err?.message),
    status: err?.status,
    code: err?.code,
    sdk: e instanceof JupyterSDKError,
    api: e instanceof APIError,
    notFound: e instanceof NotFoundError,
    conflict: e instanceof ConflictError,
    permission: e instanceof PermissionDeniedError,
    connection: e instanceof APIConnectionError,
    timeout: e instanceof APIConnectionTimeoutError,
    abort: e instanceof APIUserAbortError,
    channel: e instanceof KernelChannelError,
    cause: err?.cause === undefined ? undefined : { name: (err.cause as Error)?.constructor?.name, typeError: err.cause instanceof TypeError, message: String((err.cause as Error)?.message) },
  };
}

async function caught(work: () => Promise<unknown>) {
  try {
    await work();
    return undefined;
  } catch (e) {
    return describe(e);
  }
}

/** Deterministic bytes (xorshift), so the test can recompute what was uploaded. */
function bytes(n: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function sha256(data: Uint8Array | Blob): Promise<string> {
  const buf = data instanceof Blob ? await data.arrayBuffer() : data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buf as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const PNG_CODE = [
  'import struct, zlib',
  'from IPython.display import Image, display',
  'def _chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)',
  'w, h = 8, 6',
  'raw = b"".join(b"\\x00" + b"\\xff\\x40\\x00" * w for _ in range(h))',
  'png = b"\\x89PNG\\r\\n\\x1a\\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b"")',
  'display(Image(data=png, format="png"))',
].join('\n');

const T = {
  /** A client for this test: a token cross-origin, none (cookie + XSRF) same-origin. */
  init(c: Config) {
    config = c;
    jupyter = new JupyterClient({ baseUrl: c.baseUrl, token: c.token });
    return { origin: location.origin, cookieHasXsrf: /(^|;\s*)_xsrf=/.test(document.cookie) };
  },

  async status() {
    const s = await jupyter.status();
    return { started: typeof s.started === 'string', version: (await jupyter.version()).version };
  },

  /** Create, read, list, rename, copy and delete, with names full of spaces, unicode and `#?%`. */
  async contents(dir: string, name: string, renamed: string) {
    await jupyter.contents.save(dir, { type: 'directory' });
    const file = `${dir}/${name}`;
    const saved = await jupyter.contents.save(file, { type: 'file', format: 'text', content: 'hello, wörld ✓' });
    const read = await jupyter.contents.get(file);
    const listed = (await jupyter.contents.list(dir)).map((e) => e.name);
    const untitled = await jupyter.contents.create(dir, { type: 'file', ext: '.txt' });
    const copy = await jupyter.contents.copy(file, dir);
    const moved = await jupyter.contents.rename(file, `${dir}/${renamed}`);
    const goneAfterRename = await caught(() => jupyter.contents.get(file));
    await jupyter.contents.delete(`${dir}/${renamed}`);
    const goneAfterDelete = await caught(() => jupyter.contents.get(`${dir}/${renamed}`));
    return {
      saved: { name: saved.name, path: saved.path },
      read: { name: read.name, path: read.path, content: read.content },
      listed,
      untitled: untitled.path.startsWith(`${dir}/untitled`),
      copy: copy.name,
      moved: moved.path,
      goneAfterRename,
      goneAfterDelete,
      finally: (await jupyter.contents.list(dir)).map((e) => e.name).sort(),
    };
  },

  /** Reads a file and a directory listing (for the stale-read test). */
  async read(file: string, dir: string) {
    const f = await jupyter.contents.get(file);
    const d = (await jupyter.contents.list(dir)).map((e) => e.name).sort();
    return { content: f.content as string, entries: d };
  },

  /** Chunked uploads of a Uint8Array and a Blob larger than the chunk size, new and over an existing file. */
  async upload(dir: string, chunkSize: number) {
    await jupyter.contents.save(dir, { type: 'directory' });
    const data = bytes(Math.round(chunkSize * 2.5), 7);
    const progress: { loaded: number; total: number }[] = [];
    const a = await jupyter.contents.upload(`${dir}/bytes é #1.bin`, data, { chunkSize, onProgress: (p) => progress.push(p) });
    const blob = new Blob([bytes(Math.round(chunkSize * 3.3), 11)], { type: 'application/octet-stream' });
    const blobProgress: { loaded: number; total: number }[] = [];
    const b = await jupyter.contents.upload(`${dir}/blob ? 100%.bin`, blob, { chunkSize, onProgress: (p) => blobProgress.push(p) });
    const replacement = bytes(Math.round(chunkSize * 1.5), 13);
    const c = await jupyter.contents.upload(`${dir}/bytes é #1.bin`, replacement, { chunkSize });
    return {
      models: [a, b, c].map((m) => ({ path: m.path, size: m.size })),
      hashes: { bytes: await sha256(data), blob: await sha256(blob), replacement: await sha256(replacement) },
      progress,
      blobProgress,
      entries: (await jupyter.contents.list(dir)).map((e) => e.name).sort(),
    };
  },

  async checkpoints(path: string) {
    await jupyter.contents.save(path, { type: 'file', format: 'text', content: 'version 1' });
    const cp = await jupyter.checkpoints.create(path);
    const listed = await jupyter.checkpoints.list(path);
    await jupyter.contents.save(path, { type: 'file', format: 'text', content: 'version 2' });
    const before = (await jupyter.contents.get(path)).content;
    await jupyter.checkpoints.restore(path, cp.id);
    const after = (await jupyter.contents.get(path)).content;
    await jupyter.checkpoints.delete(path, cp.id);
    return { listed: listed.map((c) => c.id), id: cp.id, before, after, left: (await jupyter.checkpoints.list(path)).length };
  },

  async kernelStart() {
    const k = await jupyter.kernels.start({ name: 'python3' });
    kernel = await jupyter.kernels.connect(k.id);
    return { id: k.id, protocol: kernel.protocol, status: kernel.status };
  },

  async kernelStream() {
    const kinds: string[] = [];
    const texts: string[] = [];
    const run = kernel!.execute('for i in range(3): print(i, flush=True)');
    for await (const msg of run) {
      kinds.push(msg.header.msg_type);
      if (isMessageType(msg, 'stream')) texts.push(msg.content.text);
    }
    const reply = await run.reply;
    return { kinds, text: texts.join(''), status: reply.status };
  },

  async kernelRun(code: string) {
    return kernel!.run(code);
  },

  async kernelStdin() {
    const prompts: string[] = [];
    const r = await kernel!.run('name = input("who? ")\nprint("hello", name)', {
      onInput: (prompt) => (prompts.push(prompt), 'Ada'),
    });
    return { prompts, outputs: r.outputs };
  },

  /** An image/png display: the output's data, and whether Chromium decodes it as an image. */
  async kernelImage() {
    const r = await kernel!.run(PNG_CODE);
    const out = r.outputs.find((o) => o.output_type === 'display_data') as { data?: Record<string, unknown> } | undefined;
    const b64 = String(out?.data?.['image/png'] ?? '');
    const img = document.createElement('img');
    img.src = `data:image/png;base64,${b64}`;
    document.body.append(img);
    const decoded = await img.decode().then(() => true, () => false);
    return { status: r.status, types: Object.keys(out?.data ?? {}).sort(), decoded, width: img.naturalWidth, height: img.naturalHeight };
  },

  async kernelInterrupt() {
    const pending = kernel!.run('import time\ntime.sleep(30)');
    await new Promise<void>((resolve) => {
      if (kernel!.status === 'busy') return resolve();
      const off = kernel!.on('status', (s) => s === 'busy' && (off(), resolve()));
    });
    await kernel!.interrupt();
    const r = await pending;
    return { status: r.status, ename: r.error?.ename, after: (await kernel!.run('1+1')).outputs };
  },

  /** Aborting an execute interrupts the kernel and rejects with APIUserAbortError. */
  async kernelAbort() {
    const controller = new AbortController();
    const pending = kernel!.run('import time\ntime.sleep(30)', { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    const error = await caught(() => pending);
    const next = await kernel!.run('"still here"');
    return { error, next: next.outputs };
  },

  async kernelShutdown() {
    const id = kernel!.id;
    const closed = new Promise<string | undefined>((resolve) => kernel!.on('close', (e) => resolve(e?.code)));
    await jupyter.kernels.shutdown(id);
    const code = await closed;
    const late = await caught(() => kernel!.run('1'));
    return { code, status: kernel!.status, listed: (await jupyter.kernels.list()).some((k) => k.id === id), late };
  },

  /** Connects to a kernel id that does not exist. */
  async kernelConnectMissing(id: string) {
    return caught(() => jupyter.kernels.connect(id));
  },

  /** Starts a kernel and connects to it `times` times in a row (one client), reporting each protocol. */
  async kernelConnectTimes(times: number) {
    const { id } = await jupyter.kernels.start({ name: 'python3' });
    const protocols: string[] = [];
    const results: unknown[] = [];
    for (let i = 0; i < times; i++) {
      const k = await jupyter.kernels.connect(id);
      protocols.push(k.protocol);
      results.push((await k.run('1+1')).outputs);
      await k.close();
    }
    await jupyter.kernels.shutdown(id);
    return { protocols, results };
  },

  async sessions(path: string, renamed: string) {
    const s = await jupyter.sessions.create({ path, type: 'notebook', name: 'browser', kernel: { name: 'python3' } });
    const listed = (await jupyter.sessions.list()).some((x) => x.id === s.id);
    const got = await jupyter.sessions.get(s.id);
    const updated = await jupyter.sessions.update(s.id, { path: renamed });
    await jupyter.sessions.delete(s.id);
    const gone = await caught(() => jupyter.sessions.get(s.id));
    const kernelGone = !(await jupyter.kernels.list()).some((k) => k.id === s.kernel?.id);
    return { path: got.path, kernel: !!s.kernel?.id, listed, updated: updated.path, gone, kernelGone };
  },

  /** Typed errors, checked with instanceof here in the page. */
  async errors(dir: string) {
    await jupyter.contents.save(dir, { type: 'directory' });
    await jupyter.contents.save(`${dir}/a.txt`, { type: 'file', format: 'text', content: 'a' });
    await jupyter.contents.save(`${dir}/b.txt`, { type: 'file', format: 'text', content: 'b' });
    const badToken = new JupyterClient({ baseUrl: config.baseUrl, token: 'not-the-token' });
    return {
      notFound: await caught(() => jupyter.contents.get(`${dir}/missing.ipynb`)),
      conflict: await caught(() => jupyter.contents.rename(`${dir}/a.txt`, `${dir}/b.txt`)),
      // Cross-origin: a wrong token. Same-origin the login cookie still vouches for a wrong token,
      // so a write whose XSRF header does not match the `_xsrf` cookie is the refusal to see.
      forbidden: await caught(() =>
        config.token
          ? badToken.kernels.list()
          : jupyter.contents.save(`${dir}/c.txt`, { type: 'file', format: 'text', content: 'c' }, { headers: { 'x-xsrftoken': 'forged' } }),
      ),
      noSuchKernel: await caught(() => jupyter.kernels.get('00000000-0000-0000-0000-000000000000')),
    };
  },

  /** A caller's abort: before the call, during it, and of a connect. */
  async aborts() {
    const before = new AbortController();
    before.abort();
    const during = new AbortController();
    const pending = caught(() => jupyter.kernels.list({ signal: during.signal }));
    during.abort();
    const started = await jupyter.kernels.start({ name: 'python3' });
    const connect = new AbortController();
    connect.abort();
    const result = {
      before: await caught(() => jupyter.contents.get('', {}, { signal: before.signal })),
      during: await pending,
      connect: await caught(() => jupyter.kernels.connect(started.id, { signal: connect.signal })),
    };
    await jupyter.kernels.shutdown(started.id);
    return result;
  },

  /** A request to a server that does not answer (a closed port), and one to a server that sends no CORS headers. */
  async unreachable(closedPort: string, noCors: string) {
    const closed = new JupyterClient({ baseUrl: closedPort, token: 't', maxRetries: 0 });
    const blocked = new JupyterClient({ baseUrl: noCors, token: 't' });
    return {
      closed: await caught(() => closed.kernels.list()),
      blockedGet: await caught(() => blocked.kernels.list()),
      blockedDelete: await caught(() => blocked.contents.delete('x.txt')),
    };
  },

  /** A terminal: type into it, read the echo, resize, delete. */
  async terminal() {
    const t = await jupyter.terminals.create();
    const term = await jupyter.terminals.connect(t.name);
    term.send('echo sum=$((40+2))\r');
    let seen = '';
    for await (const text of term) {
      seen += text;
      if (seen.includes('sum=42')) break;
    }
    term.resize(30, 100);
    await term.close();
    await jupyter.terminals.delete(t.name);
    return { name: t.name, echoed: seen.includes('sum=42'), left: (await jupyter.terminals.list()).some((x) => x.name === t.name) };
  },
};

(globalThis as { T?: typeof T }).T = T;
export type PageApi = typeof T;
