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

/** One line per code cell: `hello.ipynb: cells[2] ok 0.05 s (3/12)`, indexed as in error messages. */
export function lineReporter(out: Stream): ProgressReporter {
  return {
    update(name, e) {
      if (e.status === 'running') return;
      if (e.status === 'skipped') {
        if (e.cell.cell_type === 'code' && cellTags(e.cell).includes(SKIP_TAG)) {
          out.write(`${name}: cells[${e.index}] skipped, tagged ${SKIP_TAG} (${e.index + 1}/${e.count})\n`);
        }
        return;
      }
      const time = e.elapsed === undefined ? '' : ` ${seconds(e.elapsed)}`;
      out.write(`${name}: cells[${e.index}] ${e.status}${time} (${e.index + 1}/${e.count})\n`);
    },
    finish() {},
  };
}

/** A bar on one terminal line, redrawn on every event and every 250 ms while a cell runs. */
export function barReporter(out: Stream, now: () => number = Date.now): ProgressReporter {
  let started = now();
  let current: string | undefined;
  let last: RunProgress | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const draw = () => {
    if (!current || !last) return;
    const e = last;
    const done = e.status === 'running' ? e.index : e.index + 1;
    const running = e.status === 'running' ? e.index : undefined;
    // A pseudo-terminal can report 0 columns.
    out.write(`\r\x1b[2K${renderBar(current, done, e.count, running, now() - started, out.columns || 80)}`);
  };
  return {
    update(name, e) {
      if (current !== name) {
        current = name;
        started = now();
      }
      last = e;
      draw();
      if (!ticker) {
        // Only the clock moves between events: redraw it while a cell is running.
        ticker = setInterval(() => last?.status === 'running' && draw(), 250);
        ticker.unref?.();
      }
    },
    finish() {
      clearInterval(ticker);
      ticker = undefined;
      if (current !== undefined) out.write('\r\x1b[2K');
      current = undefined;
      last = undefined;
    },
  };
}

/** No output. */
export const silentReporter: ProgressReporter = { update() {}, finish() {} };

/** `hello.ipynb [#########-----------]  5/12 cells[5]  1.20 s`, fitted to `columns`. */
export function renderBar(
  name: string,
  done: number,
  count: number,
  /** Index of the running cell, if one is running. */
  runningCell: number | undefined,
  elapsedMs: number,
  columns = 80,
): string {
  const width = 20;
  const filled = count === 0 ? width : Math.round((done / count) * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const tail = `${String(done).padStart(String(count).length)}/${count}${runningCell === undefined ? '' : ` cells[${runningCell}]`}  ${seconds(elapsedMs)}`;
  const room = Math.max(8, columns - bar.length - tail.length - 3);
  const label = name.length > room ? `…${name.slice(name.length - room + 1)}` : name;
  return `${label} ${bar} ${tail}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
