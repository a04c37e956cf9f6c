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

/**
 * `hello.ipynb [##########----------]  5/12 cells[5]  1.20 s`, fitted to `columns`: the line is at
 * most `columns - 1` wide (a line that fills the last column wraps on some terminals, and a wrapped
 * line is not erased by the next redraw, leaving stale copies). On narrow terminals the bar
 * shrinks, then the running cell, the bar and the clock are dropped, in that order; the name is
 * cut from the left (`…ong-name.ipynb`) down to 8 characters before any of that.
 */
export function renderBar(
  name: string,
  done: number,
  count: number,
  /** Index of the running cell, if one is running. */
  runningCell: number | undefined,
  elapsedMs: number,
  columns = 80,
): string {
  const max = Math.max(1, columns - 1);
  const counter = `${String(done).padStart(String(count).length)}/${count}`;
  const cell = runningCell === undefined ? '' : ` cells[${runningCell}]`;
  const time = `  ${seconds(elapsedMs)}`;
  const bar = (width: number) => {
    const filled = count === 0 ? width : Math.round((done / count) * width);
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] `;
  };
  // From the richest form to the barest; the first that fits with a readable name wins.
  const tails = [
    `${bar(20)}${counter}${cell}${time}`,
    `${bar(10)}${counter}${cell}${time}`,
    `${bar(10)}${counter}${time}`,
    `${counter}${cell}${time}`,
    `${counter}${time}`,
    counter.trimStart(),
  ];
  const minLabel = Math.min(name.length, 8);
  for (const tail of tails) {
    if (minLabel + 1 + tail.length <= max) return `${fitLabel(name, max - 1 - tail.length)} ${tail}`;
  }
  // Narrower than `12/12`: a cut-off counter would read as another number, so show nothing.
  const bare = counter.trimStart();
  return bare.length <= max ? bare : '';
}

/** The name, cut from the left with `…` when longer than `room`. */
function fitLabel(name: string, room: number): string {
  return name.length > room ? `…${name.slice(name.length - room + 1)}` : name;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
