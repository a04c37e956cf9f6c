// Contents and checkpoints against the real Jupyter Server (1.23 in `integration`, 2.x in `integration-2x`).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  APIUserAbortError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  JupyterClient,
  NotFoundError,
  type Contents,
} from 'jupyter-sdk';

const { url, token, rootDir, major } = inject('jupyter');

const jupyter = new JupyterClient({ baseUrl: url, token });
// A folder of our own: the server root is shared by every integration file.
const dir = `rest-contents-${randomUUID()}`;
let n = 0;
/** A fresh folder under `dir` for one test. */
async function freshDir(label: string): Promise<string> {
  const path = `${dir}/${label}-${++n}`;
  await jupyter.contents.save(path, { type: 'directory' });
  return path;
}
const text = (m: Contents) => (m.type === 'file' ? m.content : undefined);

beforeAll(async () => {
  await jupyter.contents.save(dir, { type: 'directory' });
});
afterAll(async () => {
  await rm(join(rootDir, dir), { recursive: true, force: true });
});

const ODD_NAMES = ['with space.txt', 'été ünïcødé.txt', '日本語.txt', 'hash#1.txt', 'what?.txt', '100%.txt', 'all #?% é.txt'];

describe('contents', () => {
  it.each(ODD_NAMES)('save and get round-trip a file named %j, which lands on disk under that name', async (name) => {
    const d = await freshDir('odd');
    const path = `${d}/${name}`;
    const saved = await jupyter.contents.save(path, { type: 'file', format: 'text', content: `content of ${name}` });
    expect(saved).toMatchObject({ name, path, type: 'file' });
    const model = await jupyter.contents.get(path);
    expect(model).toMatchObject({ name, path, type: 'file', format: 'text' });
    expect(text(model)).toBe(`content of ${name}`);
    expect(await readFile(join(rootDir, path), 'utf8')).toBe(`content of ${name}`);
  });

  it('list returns the entries of a folder with odd names, and of a folder with an odd name', async () => {
    const d = await freshDir('list #? é%');
    for (const name of ODD_NAMES) await jupyter.contents.save(`${d}/${name}`, { type: 'file', format: 'text', content: 'x' });
    const entries = await jupyter.contents.list(d);
    expect(entries.map((e) => e.name).sort()).toEqual([...ODD_NAMES].sort());
    expect(entries.every((e) => e.path === `${d}/${e.name}` && e.type === 'file')).toBe(true);
    const root = await jupyter.contents.list('');
    expect(root.map((e) => e.name)).toContain(dir);
  });

  it('get with content: false returns the model without content', async () => {
    const d = await freshDir('nocontent');
    await jupyter.contents.save(`${d}/a.txt`, { type: 'file', format: 'text', content: 'hello' });
    const model = await jupyter.contents.get(`${d}/a.txt`, { content: false });
    expect(model.content).toBeNull();
    expect(model.name).toBe('a.txt');
  });

  it('get with format: base64 returns the bytes as base64', async () => {
    const d = await freshDir('b64');
    await jupyter.contents.save(`${d}/a.txt`, { type: 'file', format: 'text', content: 'héllo' });
    const model = await jupyter.contents.get(`${d}/a.txt`, { format: 'base64', type: 'file' });
    expect(model.format).toBe('base64');
    expect(Buffer.from(String(model.content), 'base64').toString('utf8')).toBe('héllo');
  });

  it('get with type: notebook on a text file throws BadRequestError', async () => {
    const d = await freshDir('badtype');
    await jupyter.contents.save(`${d}/a.txt`, { type: 'file', format: 'text', content: 'not a notebook' });
    const err = await jupyter.contents.get(`${d}/a.txt`, { type: 'notebook' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).serverMessage).toMatch(/Unreadable Notebook/);
  });

  it('get throws NotFoundError with the server message, naming the path, for a missing file', async () => {
    const path = `${dir}/does-not-exist-${randomUUID()}.ipynb`;
    const err = (await jupyter.contents.get(path).catch((e: unknown) => e)) as NotFoundError;
    expect(err).toBeInstanceOf(NotFoundError);
    // 1.x sends a JSON error; 2.x bare text, labelled application/json all the same.
    const said = major === 1 ? `file or directory does not exist: '${path}'` : `file or directory '/${path}' does not exist`;
    expect(err.headers['content-type']).toBe('application/json');
    expect(err.body).toEqual(major === 1 ? { message: said, reason: null } : said);
    expect(err.serverMessage).toBe(said);
    expect(err.message).toBe(`404 ${said}`);
  });

  it('get with hash: 2.x adds the sha256 of the file as stored, 1.x ignores it', async () => {
    const d = await freshDir('hash');
    const bytes = randomBytes(3000);
    await jupyter.contents.save(`${d}/data.bin`, { type: 'file', format: 'base64', content: bytes.toString('base64') });
    await jupyter.contents.save(`${d}/n.ipynb`, { type: 'notebook', content: { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 } });
    for (const [name, params] of [['data.bin', { hash: true }], ['data.bin', { hash: true, content: false }], ['n.ipynb', { hash: true }]] as const) {
      const model = await jupyter.contents.get(`${d}/${name}`, params);
      if (major === 1) {
        expect(model).not.toHaveProperty('hash');
        continue;
      }
      const onDisk = await readFile(join(rootDir, d, name));
      expect(model.hash_algorithm).toBe('sha256');
      expect(model.hash).toBe(createHash('sha256').update(onDisk).digest('hex'));
    }
    // Not asked: 1.x sends no such keys, 2.x sends them as null.
    const plain = await jupyter.contents.get(`${d}/data.bin`, { content: false });
    if (major === 1) expect(plain).not.toHaveProperty('hash');
    else expect(plain).toMatchObject({ hash: null, hash_algorithm: null });
  });

  it('get with hash of a directory returns its model: the SDK does not walk into the 500 of 2.20/2.21', async () => {
    const d = await freshDir('hash-dir');
    await jupyter.contents.save(`${d}/a.txt`, { type: 'file', format: 'text', content: 'a' });
    for (const [path, params] of [[d, { hash: true }], [d, { hash: true, content: false }], ['', { hash: true }], [d, { hash: true, type: 'directory' }]] as const) {
      const model = await jupyter.contents.get(path, params);
      expect(model.type).toBe('directory');
      expect(model.hash ?? undefined).toBeUndefined();
    }
    expect(await jupyter.contents.list(d)).toEqual([expect.objectContaining({ name: 'a.txt' })]);
  });

  it('save and get round-trip a notebook', async () => {
    const d = await freshDir('nb');
    const nb = {
      cells: [{ cell_type: 'code', source: 'print(1)', metadata: {}, outputs: [], execution_count: null }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    const saved = await jupyter.contents.save(`${d}/n é.ipynb`, { type: 'notebook', format: 'json', content: nb });
    expect(saved.type).toBe('notebook');
    const model = await jupyter.contents.get(`${d}/n é.ipynb`);
    expect(model.type).toBe('notebook');
    if (model.type !== 'notebook') return;
    expect(model.content).toMatchObject({ nbformat: 4, cells: [{ cell_type: 'code', source: 'print(1)' }] });
  });

  it('create makes untitled notebooks, files and folders named by the server', async () => {
    const d = await freshDir('create');
    const nb = await jupyter.contents.create(d);
    expect(nb).toMatchObject({ type: 'notebook', name: 'Untitled.ipynb', path: `${d}/Untitled.ipynb` });
    const py = await jupyter.contents.create(d, { type: 'file', ext: '.py' });
    expect(py).toMatchObject({ type: 'file', name: 'untitled.py' });
    const folder = await jupyter.contents.create(d, { type: 'directory' });
    expect(folder).toMatchObject({ type: 'directory', name: 'Untitled Folder' });
    const nb2 = await jupyter.contents.create(d, { type: 'notebook' });
    expect(nb2.name).toBe('Untitled1.ipynb');
    expect((await jupyter.contents.list(d)).map((e) => e.name).sort()).toEqual(
      ['Untitled Folder', 'Untitled.ipynb', 'Untitled1.ipynb', 'untitled.py'].sort(),
    );
  });

  it('copy copies into another folder and names a copy in the same folder -Copy1', async () => {
    const d = await freshDir('copy');
    const other = await freshDir('copy target é #');
    await jupyter.contents.save(`${d}/a #?%.txt`, { type: 'file', format: 'text', content: 'copied' });
    const same = await jupyter.contents.copy(`${d}/a #?%.txt`, d);
    expect(same.name).toBe('a #?%-Copy1.txt');
    const there = await jupyter.contents.copy(`${d}/a #?%.txt`, other);
    expect(there.path).toBe(`${other}/a #?%.txt`);
    expect(text(await jupyter.contents.get(there.path))).toBe('copied');
    expect(text(await jupyter.contents.get(`${d}/a #?%.txt`))).toBe('copied');
  });

  it('rename moves a file: the old path is gone and the new one has the content', async () => {
    const d = await freshDir('rename');
    await jupyter.contents.save(`${d}/old name.txt`, { type: 'file', format: 'text', content: 'moved' });
    const moved = await jupyter.contents.rename(`${d}/old name.txt`, `${d}/new #?% é.txt`);
    expect(moved).toMatchObject({ name: 'new #?% é.txt', path: `${d}/new #?% é.txt` });
    expect(text(await jupyter.contents.get(`${d}/new #?% é.txt`))).toBe('moved');
    await expect(jupyter.contents.get(`${d}/old name.txt`)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rename onto an existing file throws ConflictError and loses nothing', async () => {
    const d = await freshDir('conflict');
    await jupyter.contents.save(`${d}/a.txt`, { type: 'file', format: 'text', content: 'content A' });
    await jupyter.contents.save(`${d}/b.txt`, { type: 'file', format: 'text', content: 'content B' });
    const err = await jupyter.contents.rename(`${d}/a.txt`, `${d}/b.txt`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).status).toBe(409);
    expect((err as ConflictError).serverMessage).toMatch(/File already exists/);
    expect(text(await jupyter.contents.get(`${d}/a.txt`))).toBe('content A');
    expect(text(await jupyter.contents.get(`${d}/b.txt`))).toBe('content B');
  });

  it('delete removes a file; deleting it again throws NotFoundError', async () => {
    const d = await freshDir('delete');
    await jupyter.contents.save(`${d}/x #?.txt`, { type: 'file', format: 'text', content: 'bye' });
    await expect(jupyter.contents.delete(`${d}/x #?.txt`)).resolves.toBeUndefined();
    await expect(jupyter.contents.get(`${d}/x #?.txt`)).rejects.toBeInstanceOf(NotFoundError);
    const err = await jupyter.contents.delete(`${d}/x #?.txt`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).serverMessage).toMatch(/does not exist/);
  });

  it('delete removes an empty folder', async () => {
    const d = await freshDir('rmdir');
    await jupyter.contents.delete(d);
    await expect(jupyter.contents.get(d)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('contents.upload', () => {
  it('uploads a small string in one request and reads it back', async () => {
    const d = await freshDir('up-small');
    const model = await jupyter.contents.upload(`${d}/s é#?.txt`, 'small héllo');
    expect(model).toMatchObject({ name: 's é#?.txt', type: 'file' });
    expect(await readFile(join(rootDir, d, 's é#?.txt'), 'utf8')).toBe('small héllo');
  });

  it('uploads a Blob in chunks and reads it back byte-identical', async () => {
    const d = await freshDir('up-blob');
    const bytes = randomBytes(10_000);
    const progress: number[] = [];
    await jupyter.contents.upload(`${d}/b.bin`, new Blob([bytes]), { chunkSize: 3000, onProgress: (p) => progress.push(p.loaded) });
    expect(progress).toEqual([3000, 6000, 9000, 10_000]);
    const back = await jupyter.contents.get(`${d}/b.bin`, { format: 'base64' });
    expect(Buffer.from(String(back.content), 'base64').equals(bytes)).toBe(true);
  });

  it('uploads 20 MB in 1 MiB chunks and reads it back byte-identical', async () => {
    const d = await freshDir('up-big');
    const bytes = new Uint8Array(randomBytes(20 * 1024 * 1024));
    const progress: Array<{ loaded: number; total: number }> = [];
    const model = await jupyter.contents.upload(`${d}/big file #1.bin`, bytes, { onProgress: (p) => progress.push(p) });
    expect(progress).toHaveLength(20);
    expect(progress.at(-1)).toEqual({ loaded: bytes.length, total: bytes.length });
    expect(model.name).toBe('big file #1.bin');
    const back = await jupyter.contents.get(`${d}/big file #1.bin`, { format: 'base64' });
    expect(back.size).toBe(bytes.length);
    const decoded = Buffer.from(String(back.content), 'base64');
    expect(decoded.length).toBe(bytes.length);
    expect(decoded.equals(bytes)).toBe(true);
  });

  it('replaces an existing file instead of appending to it', async () => {
    const d = await freshDir('up-replace');
    await jupyter.contents.upload(`${d}/r.bin`, randomBytes(5000), { chunkSize: 1000 });
    const second = randomBytes(2500);
    await jupyter.contents.upload(`${d}/r.bin`, second, { chunkSize: 1000 });
    expect((await readFile(join(rootDir, d, 'r.bin'))).equals(second)).toBe(true);
    expect((await jupyter.contents.list(d)).map((e) => e.name)).toEqual(['r.bin']);
  });

  it('keeps the existing file whole when a chunked upload over it is aborted, and leaves no partial file', async () => {
    const d = await freshDir('up-abort');
    const old = randomBytes(3000);
    await jupyter.contents.upload(`${d}/keep.bin`, old);
    const ac = new AbortController();
    const err = await jupyter.contents
      .upload(`${d}/keep.bin`, randomBytes(5000), { chunkSize: 1000, onProgress: ({ loaded }) => loaded === 2000 && ac.abort() }, { signal: ac.signal })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect((await readFile(join(rootDir, d, 'keep.bin'))).equals(old)).toBe(true);
    expect((await jupyter.contents.list(d)).map((e) => e.name)).toEqual(['keep.bin']);
  });

  it('removes a new file again when its chunked upload fails', async () => {
    const d = await freshDir('up-fail');
    const err = await jupyter.contents
      .upload(`${d}/new.bin`, randomBytes(5000), {
        chunkSize: 1000,
        onProgress: ({ loaded }) => {
          if (loaded === 3000) throw new Error('consumer gave up');
        },
      })
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe('consumer gave up');
    expect(await jupyter.contents.list(d)).toEqual([]);
  });
});

describe('checkpoints', () => {
  it('restore really restores: write, checkpoint, overwrite, restore, read back the original', async () => {
    const d = await freshDir('cp #? é');
    const path = `${d}/doc %.txt`;
    await jupyter.contents.save(path, { type: 'file', format: 'text', content: 'original' });
    const cp = await jupyter.checkpoints.create(path);
    expect(cp.id).toBe('checkpoint');
    expect(Number.isNaN(Date.parse(cp.last_modified))).toBe(false);
    await jupyter.contents.save(path, { type: 'file', format: 'text', content: 'overwritten' });
    expect(text(await jupyter.contents.get(path))).toBe('overwritten');
    await expect(jupyter.checkpoints.restore(path, cp.id)).resolves.toBeUndefined();
    expect(text(await jupyter.contents.get(path))).toBe('original');
  });

  it('list shows the checkpoint; delete removes it; deleting again throws NotFoundError', async () => {
    const d = await freshDir('cp-list');
    const path = `${d}/a.txt`;
    await jupyter.contents.save(path, { type: 'file', format: 'text', content: 'x' });
    expect(await jupyter.checkpoints.list(path)).toEqual([]);
    await jupyter.checkpoints.create(path);
    const list = await jupyter.checkpoints.list(path);
    expect(list.map((c) => c.id)).toEqual(['checkpoint']);
    await expect(jupyter.checkpoints.delete(path, 'checkpoint')).resolves.toBeUndefined();
    expect(await jupyter.checkpoints.list(path)).toEqual([]);
    const err = await jupyter.checkpoints.delete(path, 'checkpoint').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).serverMessage).toMatch(/Checkpoint does not exist/);
  });

  it('restoring a checkpoint that does not exist throws InternalServerError naming the checkpoint and the file', async () => {
    const d = await freshDir('cp-missing');
    await jupyter.contents.save(`${d}/a.txt`, { type: 'file', format: 'text', content: 'x' });
    const err = (await jupyter.checkpoints.restore(`${d}/a.txt`, 'nope').catch((e: unknown) => e)) as InternalServerError;
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.status).toBe(500);
    expect(err.serverMessage).toBe('Unhandled error');
    if (major === 1) {
      // 1.x sends the traceback; its last line names the checkpoint file that is missing.
      expect(err.body).toMatchObject({ traceback: expect.stringContaining('Traceback') });
      expect(err.message).toMatch(/^500 Unhandled error \(FileNotFoundError: .*a-nope\.txt'\)$/);
    } else {
      // 2.x sends an empty traceback: the SDK says what was asked.
      expect(err.body).toMatchObject({ traceback: '' });
      expect(err.message).toBe(`500 Unhandled error (no checkpoint 'nope' of '${d}/a.txt')`);
    }
    expect(text(await jupyter.contents.get(`${d}/a.txt`))).toBe('x');
  });

  it('creating a checkpoint of a missing file throws InternalServerError naming the file', async () => {
    const path = `${dir}/no-such-${randomUUID()}.txt`;
    const err = (await jupyter.checkpoints.create(path).catch((e: unknown) => e)) as InternalServerError;
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.serverMessage).toBe('Unhandled error');
    expect(err.message).toContain(path.split('/').pop());
  });
});
