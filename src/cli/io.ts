/** What every command shares: where it reads and writes, and the exit statuses. */

/** Where the CLI reads and writes; injected in tests. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: Record<string, string | undefined>;
  /** Aborts the command (Ctrl-C). */
  signal?: AbortSignal;
}

export const EXIT_OK = 0;
export const EXIT_CELL_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;
