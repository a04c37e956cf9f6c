/**
 * Output notebooks written as the run goes: after each cell at most once a second (the latest
 * state reaches disk within a second), every write atomic (a temp file in the same folder, then a
 * rename), so a killed run leaves a whole notebook up to the running cell, never a torn file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { INotebookContent } from '@jupyterlab/nbformat';
import { serializeNotebook } from './nbjson.js';

/** Writes `text` to `file` atomically: readers see the old file or the new one, never a mix. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const target = resolve(file);
  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Writes snapshots of one notebook through `write`, at most once per `intervalMs`: an update
 * within the interval is written when it ends (only the latest), and `final` writes at once,
 * after any write in flight.
 */
export class ThrottledNotebookWriter {
  private latest: INotebookContent | undefined;
  private lastWrite = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private closed = false;
  /** The first error of an intermediate write (they do not stop the run; the final write reports its own). */
  error: unknown;

  constructor(
    private readonly write: (text: string) => Promise<void>,
    private readonly intervalMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The notebook moved on (a cell finished): write it now, or when the interval is over. */
  update(nb: INotebookContent): void {
    if (this.closed) return;
    this.latest = nb;
    if (this.timer) return;
    const wait = this.lastWrite + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    else {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, wait);
      // A pending intermediate write must not keep the process alive once the run is over.
      this.timer.unref?.();
    }
  }

  /** Writes `nb` as the final version, after any write in flight; no update is written after it. */
  async final(nb: INotebookContent): Promise<void> {
    this.stop();
    await this.inFlight;
    await this.write(serializeNotebook(nb));
  }

  /** Drops any pending update and waits for a write in flight. */
  async close(): Promise<void> {
    this.stop();
    await this.inFlight;
  }

  private stop(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(): void {
    const nb = this.latest;
    if (!nb || this.closed) return;
    this.latest = undefined;
    this.lastWrite = this.now();
    // Serialised now, while the runner waits on the kernel: a consistent snapshot of its working copy.
    const text = serializeNotebook(nb);
    this.inFlight = this.inFlight
      .then(() => this.write(text))
      .catch((error: unknown) => {
        this.error ??= error;
      });
  }
}
