/**
 * Progress of `jupyter-sdk run`: a bar redrawn in place on a terminal, one line per code cell
 * otherwise (CI logs), nothing with `--progress none`. Everything goes to stderr.
 */
import type { RunProgress } from '../runner/run-notebook.js';
import { cellTags, SKIP_TAG } from '../runner/cells.js';

export interface ProgressReporter {
  /** A cell event of the notebook `name`. */
  update(name: string, event: RunProgress): void;
  /** The notebook is done (or failed); clears a bar. */
  finish(name: string): void;
}

interface Stream {
  write(text: string): unknown;
  columns?: number;
}

/** One line per code cell: `hello.ipynb: cell 3/12 ok 0.05 s`. */
export function lineReporter(out: Stream): ProgressReporter {
  return {
    update(name, e) {
      if (e.status === 'running') return;
      if (e.status === 'skipped') {
        if (e.cell.cell_type === 'code' && cellTags(e.cell).includes(SKIP_TAG)) {
          out.write(`${name}: cell ${e.index + 1}/${e.count} skipped (${SKIP_TAG})\n`);
        }
        return;
      }
      out.write(`${name}: cell ${e.index + 1}/${e.count} ${e.status}${e.elapsed === undefined ? '' : ` ${seconds(e.elapsed)}`}\n`);
    },
    finish() {},
  };
}

/** A bar on one terminal line, redrawn on every event. */
export function barReporter(out: Stream, now: () => number = Date.now): ProgressReporter {
  let started = now();
  let current: string | undefined;
  return {
    update(name, e) {
      if (current !== name) {
        current = name;
        started = now();
      }
      const done = e.status === 'running' ? e.index : e.index + 1;
      out.write(`\r\x1b[2K${renderBar(name, done, e.count, e.status === 'running' ? e.index + 1 : undefined, now() - started, out.columns)}`);
    },
    finish() {
      if (current !== undefined) out.write('\r\x1b[2K');
      current = undefined;
    },
  };
}

/** No output. */
export const silentReporter: ProgressReporter = { update() {}, finish() {} };

/** `hello.ipynb [#########-----------]  5/12 cell 6  1.2 s`, fitted to `columns`. */
export function renderBar(
  name: string,
  done: number,
  count: number,
  runningCell: number | undefined,
  elapsedMs: number,
  columns = 80,
): string {
  const width = 20;
  const filled = count === 0 ? width : Math.round((done / count) * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const tail = `${String(done).padStart(String(count).length)}/${count}${runningCell ? ` cell ${runningCell}` : ''}  ${seconds(elapsedMs)}`;
  const room = Math.max(8, columns - bar.length - tail.length - 3);
  const label = name.length > room ? `…${name.slice(name.length - room + 1)}` : name;
  return `${label} ${bar} ${tail}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
