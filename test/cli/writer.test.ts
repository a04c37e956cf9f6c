import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { INotebookContent } from '@jupyterlab/nbformat';
import { ThrottledNotebookWriter, writeFileAtomic } from '../../src/cli/writer.js';

const nb = (n: number): INotebookContent => ({ nbformat: 4, nbformat_minor: 5, metadata: { n }, cells: [] });
const written = (texts: string[]) => texts.map((t) => (JSON.parse(t) as INotebookContent).metadata.n);

describe('ThrottledNotebookWriter', () => {
  it('writes the first update at once, then at most once per interval, only the latest, and final last', async () => {
    vi.useFakeTimers();
    try {
      let clock = 0;
      const texts: string[] = [];
      const w = new ThrottledNotebookWriter(async (t) => void texts.push(t), 1000, () => clock);
      w.update(nb(1));
      await vi.advanceTimersByTimeAsync(0);
      expect(written(texts)).toEqual([1]);
      clock = 100;
      w.update(nb(2));
      w.update(nb(3));
      await vi.advanceTimersByTimeAsync(0);
      expect(written(texts)).toEqual([1]);
      clock = 1000;
      await vi.advanceTimersByTimeAsync(900);
      expect(written(texts)).toEqual([1, 3]);
      clock = 1200;
      w.update(nb(4));
      await w.final(nb(5));
      await vi.advanceTimersByTimeAsync(5000);
      expect(written(texts)).toEqual([1, 3, 5]);
      w.update(nb(6));
      await vi.advanceTimersByTimeAsync(5000);
      expect(written(texts)).toEqual([1, 3, 5]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('waits for a write in flight before the final one, so the final one is the last on disk', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const w = new ThrottledNotebookWriter(async (t) => {
      const n = written([t])[0];
      if (n === 1) await gate;
      order.push(`wrote ${n}`);
    });
    w.update(nb(1));
    const final = w.final(nb(2));
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    release();
    await final;
    expect(order).toEqual(['wrote 1', 'wrote 2']);
  });

  it('keeps the first error of an intermediate write without throwing, and close drops what is pending', async () => {
    let calls = 0;
    const w = new ThrottledNotebookWriter(async () => {
      calls += 1;
      throw new Error('disk full');
    }, 60_000);
    w.update(nb(1));
    w.update(nb(2));
    await w.close();
    expect(calls).toBe(1);
    expect((w.error as Error).message).toBe('disk full');
  });
});

describe('writeFileAtomic', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atomic-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates folders, replaces the file whole and leaves no temp file behind', async () => {
    const file = join(dir, 'sub', 'out.ipynb');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    expect(await readFile(file, 'utf8')).toBe('two');
    expect(await readdir(join(dir, 'sub'))).toEqual(['out.ipynb']);
  });
});
