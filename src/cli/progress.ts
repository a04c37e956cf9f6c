/**
 * Progress of `jupyter-sdk run`: on a terminal one bar per running notebook, redrawn in place; one
 * line per code cell otherwise (CI logs); nothing with `--progress none`. Progress goes to stderr.
 */
import type { RunProgress } from '../runner/run-notebook.js';
import { cellTags, SKIP_TAG } from '../runner/cells.js';

export interface ProgressReporter {
  /** A cell event of the notebook `name`. */
  update(name: string, event: RunProgress): void;
  /** The notebook is done (or failed): its line goes. */
  finish(name: string): void;
  /** Prints `text` (whole lines) to `stream` without tearing the progress lines. */
  print(stream: Stream, text: string): void;
  /** Stops redrawing and clears the progress lines. */
  close(): void;
}

interface Stream {
  write(text: string): unknown;
  columns?: number;
  rows?: number;
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
    print(stream, text) {
      stream.write(text);
    },
    close() {},
  };
}

/**
 * On a terminal: one bar per running notebook, below everything else, redrawn on every event and
 * every 250 ms while a cell runs (only the clock moves then). Lines printed meanwhile go above the
 * bars. More notebooks than the terminal has rows for show as `… and N more running`.
 */
export function barReporter(out: Stream, now: () => number = Date.now): ProgressReporter {
  const running = new Map<string, { started: number; last: RunProgress | undefined }>();
  let drawn = 0;
  let ticker: ReturnType<typeof setInterval> | undefined;

  const erase = () => {
    // Back to the first bar line, then clear to the end of the screen.
    if (drawn > 0) out.write(`\x1b[${drawn}F\x1b[J`);
    drawn = 0;
  };
  const render = () => {
    const columns = out.columns || 80; // a pseudo-terminal can report 0 columns
    const room = Math.max(1, (out.rows || 24) - 1);
    const entries = [...running.entries()];
    const shown = entries.length > room ? entries.slice(0, room - 1) : entries;
    let text = '';
    for (const [name, { started, last }] of shown) {
      const done = !last ? 0 : last.status === 'running' ? last.index : last.index + 1;
      const cell = last?.status === 'running' ? last.index : undefined;
      text += `\x1b[2K${renderBar(name, done, last?.count ?? 0, cell, now() - started, columns)}\n`;
    }
    if (shown.length < entries.length) text += `\x1b[2K… and ${entries.length - shown.length} more running\n`;
    return { text, lines: shown.length + (shown.length < entries.length ? 1 : 0) };
  };
  const draw = () => {
    const { text, lines } = render();
    erase();
    out.write(text);
    drawn = lines;
  };
  const tick = () => {
    if (running.size === 0) {
      clearInterval(ticker);
      ticker = undefined;
      return;
    }
    draw();
  };
  return {
    update(name, e) {
      const entry = running.get(name) ?? { started: now(), last: undefined };
      entry.last = e;
      running.set(name, entry);
      draw();
      if (!ticker) {
        ticker = setInterval(tick, 250);
        ticker.unref?.();
      }
    },
    finish(name) {
      if (!running.delete(name)) return;
      draw();
    },
    print(stream, text) {
      erase();
      stream.write(text);
      draw();
    },
    close() {
      clearInterval(ticker);
      ticker = undefined;
      running.clear();
      erase();
    },
  };
}

/** No progress; printed lines still go out. */
export const silentReporter: ProgressReporter = {
  update() {},
  finish() {},
  print(stream, text) {
    stream.write(text);
  },
  close() {},
};

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

/** Progress of hub servers starting: a spawn's progress event, then ready (or not). */
export interface ServerReporter {
  /** A progress event of the spawn of `server`. */
  update(server: string, event: { progress: number; message?: string | undefined; ready?: boolean | undefined }): void;
  /** Stops redrawing; the last state stays on screen. */
  close(): void;
}

/**
 * On a terminal, one line per server, redrawn in place (`run-x-1 [##########..........]  50% Spawning server...`),
 * left on screen when they are all up; otherwise one plain line per progress event.
 */
export function serverReporter(out: Stream, style: 'bar' | 'lines' | 'none', servers: readonly string[], now: () => number = Date.now): ServerReporter {
  if (style === 'none') return { update() {}, close() {} };
  const started = now();
  const width = Math.max(...servers.map((s) => s.length));
  if (style === 'lines') {
    return {
      update(server, e) {
        const elapsed = e.ready ? ` (${seconds(now() - started)})` : '';
        out.write(`hub: ${server}: ${e.progress}%${e.message ? ` ${e.message}` : ''}${elapsed}\n`);
      },
      close() {},
    };
  }
  const lines = new Map(servers.map((s) => [s, { progress: 0, message: 'requested', at: undefined as number | undefined }]));
  let drawn = 0;
  let closed = false;
  const draw = () => {
    const columns = out.columns || 80;
    let text = drawn > 0 ? `\x1b[${drawn}F\x1b[J` : '';
    for (const [server, l] of lines) {
      const filled = Math.round((Math.min(100, Math.max(0, l.progress)) / 100) * 20);
      const time = l.at === undefined ? '' : ` (${seconds(l.at - started)})`;
      const line = `${server.padEnd(width)} [${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${String(l.progress).padStart(3)}% ${l.message}${time}`;
      text += `\x1b[2K${line.length > columns - 1 ? `${line.slice(0, Math.max(0, columns - 2))}…` : line}\n`;
    }
    out.write(text);
    drawn = lines.size;
  };
  draw();
  return {
    update(server, e) {
      if (closed) return;
      const line = lines.get(server);
      if (!line) return;
      line.progress = e.progress;
      line.message = e.message ?? '';
      if (e.ready) line.at = now();
      draw();
    },
    close() {
      closed = true;
    },
  };
}
