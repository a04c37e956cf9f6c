/** What `startJupyterServer` takes and gives. */

/** Options of {@link startJupyterServer}. */
export interface LocalJupyterServerOptions {
  /** Directory the server serves. @default a fresh temp dir, removed by `stop()` */
  rootDir?: string;
  /** Port on 127.0.0.1. @default a free port picked at random */
  port?: number;
  /** Token clients must send. @default 48 random hex digits */
  token?: string;
  /**
   * Python interpreter with `jupyter_server` and `ipykernel` installed.
   * @default the first of /usr/bin/python3, python3, python that has both
   */
  python?: string;
  /**
   * Turn Nagle's algorithm off on the server's WebSockets, so a kernel round trip takes a few
   * milliseconds instead of ~45: Jupyter Server 1.23 leaves Nagle on for the kernel socket, and each
   * burst of kernel messages then waits for the client's delayed ACK.
   * @default true
   */
  nodelay?: boolean;
  /**
   * Keep the server's IOPub rate limit (1000 msg/s, 1 MB/s). `false` disables both limits.
   * @default true
   */
  iopubRateLimit?: boolean;
  /**
   * Further command-line arguments for the server, e.g. `--ServerApp.base_url=/x/`. A
   * `--Class.trait=value` here replaces our own setting of that trait.
   */
  extraArgs?: string[];
  /**
   * Let the server restart a kernel that died (jupyter_client's restarter: up to 5 restarts, one
   * every 3 s). `false` (`--KernelRestarter.restart_limit=0 --KernelRestarter.time_to_dead=1`): a
   * kernel that dies is reported dead (and removed, so `GET /api/kernels/{id}` answers 404) at the
   * restarter's next check, within ~1 s, instead of after ~18 s of restarts; what a notebook
   * runner wants.
   * @default true
   */
  kernelRestarts?: boolean;
  /**
   * Where IPython kernels keep their input history: `file` (IPython's SQLite file in the profile,
   * shared by every kernel), or `memory` (`--HistoryManager.hist_file=:memory:` for kernels named
   * python, python2 or python3, as nbclient starts them), so kernels running side by side do not
   * contend for one SQLite file and a run leaves no history behind.
   * @default 'file'
   */
  kernelHistory?: 'file' | 'memory';
  /** How long to wait for `GET /api/status` to answer, in ms. @default 30000 */
  startTimeout?: number;
  /**
   * Extra environment variables for the server and its kernels. `JUPYTER_TOKEN` and
   * `JUPYTER_TOKEN_FILE` are never passed on (the token goes through a config file instead).
   */
  env?: Record<string, string>;
  /** Receives every line the server writes to stdout or stderr. */
  log?: (line: string) => void;
}

/** A running server started by {@link startJupyterServer}. */
export interface LocalJupyterServer {
  /** Server root URL without a trailing slash, e.g. `http://127.0.0.1:41234`; includes a `base_url` given in `extraArgs`. */
  url: string;
  /** Same as `url`, under the name `JupyterClient`'s options use. */
  baseUrl: string;
  /** Token to send as `Authorization: token <token>`. */
  token: string;
  port: number;
  /** Absolute path of the directory the server serves. */
  rootDir: string;
  /** Process id of the server. It leads its own process group; kernels and terminals run in sessions of their own. */
  pid: number;
  /**
   * Stops the server and its kernels and removes the temp dirs it created. Safe to call twice.
   * Without it, Node's exit stops them, and so does the death of this process by any signal
   * (SIGKILL included): the server then notices that its stdin pipe from us closed.
   */
  stop(): Promise<void>;
}
