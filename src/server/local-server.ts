/**
 * Starts a throwaway Jupyter Server on 127.0.0.1 for tests, benchmarks and the CLI.
 * Node-only (POSIX process groups); never imported by the browser entry points.
 */
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { redact } from '../core/redact.js';
import { waitAtMost } from '../core/deadline.js';

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
   * milliseconds instead of ~45 (see the TCP_NODELAY note in the 1.23 observations).
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
  /** Stops the server and its kernels and removes the temp dirs it created. Safe to call twice. */
  stop(): Promise<void>;
}

/** What one interpreter lacks, as found by {@link JupyterServerNotFoundError}. */
export interface PythonProbe {
  /** The interpreter tried. */
  python: string;
  /** `not-found`: it does not exist or does not run; otherwise the modules it lacks. */
  problem: 'not-found' | 'missing-modules';
  /** Modules it cannot import (`jupyter_server`, `ipykernel`); empty when `not-found`. */
  missing: string[];
}

/** The modules a local server needs to run notebooks: the server, and the Python kernel. */
export const REQUIRED_MODULES = ['jupyter_server', 'ipykernel'] as const;

/** Thrown when no Python interpreter on this machine has both `jupyter_server` and `ipykernel`. */
export class JupyterServerNotFoundError extends Error {
  /** Each interpreter tried and what it lacks. */
  readonly probes: readonly PythonProbe[];
  /** Interpreters tried, in order. */
  readonly tried: readonly string[];

  constructor(probes: readonly PythonProbe[]) {
    super(
      `No Python interpreter with jupyter_server and ipykernel was found (${describeProbes(probes)}). ` +
        'Install them with `sudo apt-get install python3-jupyter-server python3-ipykernel python3-terminado` ' +
        '(Debian/Ubuntu) or `python3 -m pip install jupyter_server ipykernel`, or pass the interpreter as `python`.',
    );
    this.name = 'JupyterServerNotFoundError';
    this.probes = probes;
    this.tried = probes.map((p) => p.python);
  }
}

/** `"/usr/bin/python3: no ipykernel; python3: not found"`. */
export function describeProbes(probes: readonly PythonProbe[]): string {
  return probes
    .map((p) => `${p.python}: ${p.problem === 'not-found' ? 'not found' : `no ${p.missing.join(', no ')}`}`)
    .join('; ');
}

/**
 * The server exited or did not answer before it was ready. `message` ends with the server's last
 * output (token redacted); `reason` is the one line of it that says why.
 */
export class JupyterServerStartError extends Error {
  /** The line of the server's output that says why it failed, log prefix removed, e.g. `ModuleNotFoundError: No module named 'jupyter_server.serverapp'`. */
  readonly reason: string;
  /** The last output of the server (up to 2 kB), token redacted. */
  readonly output: string;
  /** One line: what happened and why, e.g. `Jupyter Server exited (code 1) before it was ready: ModuleNotFoundError: ...`. */
  readonly summary: string;

  constructor(what: string, output: string) {
    const reason = startFailureReason(output);
    const summary = `${what}${reason ? `: ${reason}` : ''}`;
    super(`${summary}. Last server output:\n${output}`);
    this.name = 'JupyterServerStartError';
    this.reason = reason;
    this.output = output;
    this.summary = summary;
  }
}

/**
 * The line of a server's output that best says why it did not start: the last line of a Python
 * traceback (`ModuleNotFoundError: ...`), else the last critical or error log line (`[C ...]`,
 * `[E ...]`), else the last warning, else the last non-blank line. Empty when there is no output.
 */
export function startFailureReason(output: string): string {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim());
  const traceback = lines.map((l, i) => (/^Traceback \(most recent call last\):/.test(l) ? i : -1)).filter((i) => i >= 0).pop();
  if (traceback !== undefined) {
    const exception = lines.slice(traceback + 1).find((l) => /^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b/.test(l));
    if (exception) return exception.trim();
  }
  const last = (re: RegExp) => [...lines].reverse().find((l) => re.test(l));
  const line = last(/^\[[CE] /) ?? last(/^\[W /) ?? lines[lines.length - 1] ?? '';
  // `[C 2026-11-22 05:19:04.123 ServerApp] message`: the message is what says why.
  return line.replace(/^\[[A-Z] \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [\w.]+\]\s*/, '').trim();
}

const DEFAULT_PYTHONS = ['/usr/bin/python3', 'python3', 'python'];
const POLL_INTERVAL_MS = 100;
const STOP_GRACE_MS = 5000;
const OUTPUT_LIMIT = 64 * 1024;
const ERROR_TAIL = 2048;
const PORT_ATTEMPTS = 3;

/**
 * Our own launcher for `python -c`. tornado 6 turns Nagle back on when it finishes an HTTP
 * response, and jupyter_server 1.23 never turns it off for the WebSocket it upgrades to, so each
 * burst of kernel messages waits ~40 ms for the client's delayed ACK. `start_pinging` runs right
 * after the socket has been detached from the HTTP layer, so nothing turns Nagle on again.
 */
const NODELAY_LAUNCHER = `
import sys
from tornado.websocket import WebSocketProtocol13

_start_pinging = WebSocketProtocol13.start_pinging

def _start_pinging_without_nagle(self):
    self.stream.set_nodelay(True)
    _start_pinging(self)

WebSocketProtocol13.start_pinging = _start_pinging_without_nagle
sys.argv[0] = "jupyter-server"
from jupyter_server.serverapp import main
sys.exit(main())
`;

/**
 * Finds a Python interpreter with `jupyter_server` and `ipykernel`: `preferred` first, then
 * `/usr/bin/python3`, then `python3` and `python` on PATH.
 * @returns the interpreter, or `undefined` when none has both.
 */
export async function findJupyterPython(preferred?: string): Promise<string | undefined> {
  const candidates = [...new Set([preferred, ...DEFAULT_PYTHONS].filter((p): p is string => !!p))];
  for (const python of candidates) {
    if (!(await probePython(python))) return python;
  }
  return undefined;
}

// find_spec, not import: ~15 ms instead of ~150 ms on every CLI run. A broken install still
// shows, as a server that fails to start with its reason.
const PROBE = `import importlib.util as u; print(" ".join(m for m in ${JSON.stringify(REQUIRED_MODULES).replace(/"/g, "'")} if u.find_spec(m) is None))`;

/** What `python` lacks to run a local server for notebooks, or `undefined` when it has everything. */
export function probePython(python: string): Promise<PythonProbe | undefined> {
  return new Promise((done) => {
    execFile(python, ['-c', PROBE], { timeout: 20_000 }, (error, stdout) => {
      if (error) return done({ python, problem: 'not-found', missing: [] });
      const missing = stdout.trim().split(/\s+/).filter(Boolean);
      done(missing.length ? { python, problem: 'missing-modules', missing } : undefined);
    });
  });
}

/**
 * Starts Jupyter Server on 127.0.0.1 with a random port and token and waits until
 * `GET /api/status` answers.
 * @throws JupyterServerNotFoundError when no interpreter has jupyter_server and ipykernel
 * @throws JupyterServerStartError when the server exits early or does not answer within `startTimeout`
 * @example
 * const server = await startJupyterServer();
 * const jupyter = new JupyterClient({ baseUrl: server.url, token: server.token });
 * await server.stop();
 */
export async function startJupyterServer(options: LocalJupyterServerOptions = {}): Promise<LocalJupyterServer> {
  const python = await resolvePython(options.python);
  const token = options.token ?? randomBytes(24).toString('hex');
  const tempDirs: string[] = [];
  try {
    const stateDir = await mkdtemp(join(tmpdir(), 'jupyter-sdk-state-'));
    tempDirs.push(stateDir);
    let rootDir: string;
    if (options.rootDir === undefined) {
      rootDir = await mkdtemp(join(tmpdir(), 'jupyter-sdk-'));
      tempDirs.push(rootDir);
    } else {
      rootDir = resolve(options.rootDir);
    }
    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (await findFreePort());
      try {
        return await launch({ options, python, token, port, rootDir, stateDir, tempDirs });
      } catch (error) {
        // A port picked at random can be taken between our probe and the server's bind.
        const retry = options.port === undefined && attempt < PORT_ATTEMPTS && error instanceof PortInUseError;
        if (!retry) throw error;
      }
    }
  } catch (error) {
    await removeDirs(tempDirs);
    throw error;
  }
}

async function resolvePython(preferred: string | undefined): Promise<string> {
  // An interpreter the caller named is used or refused, never silently swapped for another.
  const candidates = preferred !== undefined ? [preferred] : DEFAULT_PYTHONS;
  const probes: PythonProbe[] = [];
  for (const python of candidates) {
    const problem = await probePython(python);
    if (!problem) return python;
    probes.push(problem);
  }
  throw new JupyterServerNotFoundError(probes);
}

class PortInUseError extends Error {
  constructor(port: number, output: string) {
    super(`Port ${port} on 127.0.0.1 is already in use. Last server output:\n${output}`);
    this.name = 'PortInUseError';
  }
}

interface LaunchPlan {
  options: LocalJupyterServerOptions;
  python: string;
  token: string;
  port: number;
  rootDir: string;
  stateDir: string;
  /** Removed when the server stops (never a rootDir the caller gave us). */
  tempDirs: string[];
}

async function launch(plan: LaunchPlan): Promise<LocalJupyterServer> {
  const { options, python, token, port, rootDir } = plan;
  const { env, tokenConfig } = await serverEnvironment(plan.stateDir, token, options.env);
  const args = [...entryArgs(options.nodelay ?? true), ...serverArgs(port, rootDir, options)];
  // detached: the server leads its own process group, and Ctrl-C in our terminal reaches us,
  // which then stops the server in order, rather than the server directly.
  const child = spawn(python, args, { cwd: rootDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = captureOutput(child, options.log && ((line) => options.log?.(redact(line, [token]))));
  const pid = child.pid;
  if (pid === undefined) {
    const error = await new Promise<Error>((done) => child.once('error', done));
    throw new Error(`Could not start ${python}: ${error.message}`);
  }
  child.on('error', () => {}); // spawned fine; later trouble shows up as an exit
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  // 'close' comes once stdout and stderr are drained, but only after every kernel holding
  // them has gone too, so it is only waited for briefly, to complete an error message.
  const drained = new Promise<void>((done) => child.once('close', () => done()));
  const running: RunningServer = { pid, tempDirs: plan.tempDirs };
  register(running);
  const url = `http://127.0.0.1:${port}${basePath(options.extraArgs)}`;

  try {
    await waitUntilReady(url, token, child, exited, options.startTimeout ?? 30_000);
  } catch (error) {
    await terminate(child, pid, exited);
    unregister(running);
    await waitAtMost(drained, 500);
    const tail = redact(output.tail(ERROR_TAIL), [token]);
    if (/port \d+ is (already in use|not available)/i.test(tail)) throw new PortInUseError(port, tail);
    throw new JupyterServerStartError((error as Error).message, tail);
  }
  // The server has read its config and written its info files, all holding the token; the
  // kernels it starts run as the same user and must not find it there.
  await removeTokenFiles(tokenConfig, join(plan.stateDir, 'runtime'), pid);

  const stop = once(async () => {
    await terminate(child, pid, exited);
    unregister(running);
    await removeDirs(plan.tempDirs);
  });
  return { url, baseUrl: url, token, port, rootDir, pid, stop };
}

/** The server's `base_url` from `extraArgs`, as a prefix without a trailing slash (`/x/` -> `/x`). */
function basePath(extraArgs: readonly string[] = []): string {
  let path = '';
  for (const arg of extraArgs) {
    const match = /^--(?:ServerApp|NotebookApp)\.base_url=(.*)$/.exec(arg);
    if (match) path = match[1] ?? '';
  }
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '';
}

function entryArgs(nodelay: boolean): string[] {
  return nodelay ? ['-c', NODELAY_LAUNCHER] : ['-m', 'jupyter_server'];
}

function serverArgs(port: number, rootDir: string, options: LocalJupyterServerOptions): string[] {
  const args = [
    '--ServerApp.ip=127.0.0.1',
    `--ServerApp.port=${port}`,
    // Fail on a taken port instead of quietly moving to one we would not know about.
    '--ServerApp.port_retries=0',
    '--ServerApp.password=',
    `--ServerApp.root_dir=${rootDir}`,
    '--ServerApp.open_browser=False',
    '--ServerApp.terminals_enabled=True',
    // Containers and CI often run as root; without this the server refuses to start.
    '--ServerApp.allow_root=True',
    // Deleted test files would otherwise pile up in ~/.local/share/Trash.
    '--FileContentsManager.delete_to_trash=False',
    // Without trash, 1.23 refuses to delete a non-empty folder unless told it may.
    '--FileContentsManager.always_delete_dir=True',
  ];
  if (options.kernelRestarts === false) {
    // No restarts, and a check every second instead of every 3 s (a poll of the kernel's pid).
    args.push('--KernelRestarter.restart_limit=0', '--KernelRestarter.time_to_dead=1');
  }
  if (options.iopubRateLimit === false) {
    args.push('--ServerApp.iopub_msg_rate_limit=0', '--ServerApp.iopub_data_rate_limit=0');
  }
  // traitlets refuses a trait given twice ("only accepts one value"), so a setting in
  // extraArgs replaces ours instead of being added to it.
  const extra = options.extraArgs ?? [];
  const overridden = new Set(extra.map(traitName));
  overridden.delete(undefined);
  return [...args.filter((arg) => !overridden.has(traitName(arg))), ...extra];
}

function traitName(arg: string): string | undefined {
  return /^--([\w.]+)=/.exec(arg)?.[1];
}

async function serverEnvironment(
  stateDir: string,
  token: string,
  extra: Record<string, string> | undefined,
): Promise<{ env: NodeJS.ProcessEnv; tokenConfig: string }> {
  const dirs = { config: join(stateDir, 'config'), data: join(stateDir, 'data'), runtime: join(stateDir, 'runtime') };
  await Promise.all(Object.values(dirs).map((dir) => mkdir(dir, { recursive: true, mode: 0o700 })));
  // The token goes in a config file, not argv (readable by every local user through `ps`) nor the
  // environment (every kernel inherits the server's environment, so `os.environ` in a notebook
  // would show it, and a cell printing it would save it in the notebook).
  const tokenConfig = join(dirs.config, 'jupyter_server_config.json');
  await writeFile(tokenConfig, `${JSON.stringify({ ServerApp: { token } })}\n`, { mode: 0o600 });
  const env: NodeJS.ProcessEnv = {
    // The server inherits our environment (PATH, HOME, locale) as any child process does;
    // nothing in it is read as configuration here.
    ...process.env,
    ...extra,
    // PATCH /api/config writes under the config dir; keep that and runtime files out of ~/.jupyter.
    JUPYTER_CONFIG_DIR: dirs.config,
    JUPYTER_DATA_DIR: dirs.data,
    JUPYTER_RUNTIME_DIR: dirs.runtime,
    // Silences the debugpy "frozen modules" warning every kernel prints on Python 3.11.
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
  };
  // A token of the caller's (for some other server) must not reach notebook code either, and the
  // server would prefer it over the config file's.
  delete env.JUPYTER_TOKEN;
  delete env.JUPYTER_TOKEN_FILE;
  return { env, tokenConfig };
}

/** Removes the files that hold the token once the server is up: its config and jpserver-<pid> info files. */
async function removeTokenFiles(tokenConfig: string, runtimeDir: string, pid: number): Promise<void> {
  const files = [tokenConfig, join(runtimeDir, `jpserver-${pid}.json`), join(runtimeDir, `jpserver-${pid}-open.html`)];
  // The server ignores these being gone when it stops (it unlinks them with ENOENT ignored).
  await Promise.all(files.map((file) => rm(file, { force: true })));
}

function findFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

async function waitUntilReady(
  url: string,
  token: string,
  child: ChildProcess,
  exited: Promise<void>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`Jupyter Server exited (${describeExit(child)}) before it was ready`);
    if (await answersStatus(url, token)) return;
    await waitAtMost(exited, POLL_INTERVAL_MS);
  }
  throw new Error(`Jupyter Server did not answer GET /api/status within ${timeoutMs} ms`);
}

async function answersStatus(url: string, token: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/status`, {
      headers: { Authorization: `token ${token}` },
      signal: AbortSignal.timeout(2000),
    });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false; // not listening yet
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function describeExit(child: ChildProcess): string {
  return child.signalCode ? `signal ${child.signalCode}` : `code ${child.exitCode}`;
}

/**
 * SIGTERM to the server alone (it shuts its kernels and terminals down itself), then after a
 * grace period SIGKILL for the server and every process it started. Kernels and terminals run
 * in sessions of their own, so killing the server's process group would miss them: they are
 * found by walking the process tree before the server goes and takes the tree with it.
 */
async function terminate(child: ChildProcess, pid: number, exited: Promise<void>): Promise<void> {
  const tree = descendants(pid);
  if (!hasExited(child)) {
    signal(pid, 'SIGTERM');
    await waitAtMost(exited, STOP_GRACE_MS);
  }
  if (!hasExited(child)) tree.push(...descendants(pid));
  killTree(pid, tree);
  await exited;
}

// Servers still running; a test run that crashes or forgets stop() takes them down on exit.
interface RunningServer {
  pid: number;
  tempDirs: string[];
}
const running = new Set<RunningServer>();
let exitHookInstalled = false;

function register(server: RunningServer): void {
  running.add(server);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: no grace period, just SIGKILL and rmSync.
  process.on('exit', () => {
    for (const server of running) {
      killTree(server.pid, descendants(server.pid));
      for (const dir of server.tempDirs) rmSync(dir, { recursive: true, force: true });
    }
  });
}

function unregister(server: RunningServer): void {
  running.delete(server);
}

interface ProcessIdentity {
  pid: number;
  /** Start time from /proc, to avoid killing a recycled pid; unknown off Linux. */
  start?: string;
}

interface ProcessEntry extends ProcessIdentity {
  ppid: number;
}

/** Every live process below `root`, found synchronously so it can run in an 'exit' handler. */
function descendants(root: number): ProcessIdentity[] {
  const table = listProcesses();
  const found: ProcessIdentity[] = [];
  const parents = new Set([root]);
  // Parents are usually listed before their children, but not always: repeat until stable.
  for (let grew = true; grew; ) {
    grew = false;
    for (const entry of table) {
      if (parents.has(entry.ppid) && !parents.has(entry.pid)) {
        parents.add(entry.pid);
        found.push({ pid: entry.pid, start: entry.start });
        grew = true;
      }
    }
  }
  return found;
}

function listProcesses(): ProcessEntry[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .flatMap((name) => {
        const entry = readProcStat(Number(name));
        return entry ? [entry] : [];
      });
  } catch {
    return listProcessesWithPs();
  }
}

function readProcStat(pid: number): ProcessEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself hold spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), start: fields[19] };
  } catch {
    return undefined; // exited while we looked
  }
}

function listProcessesWithPs(): ProcessEntry[] {
  try {
    return execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number))
      .map(([pid = 0, ppid = 0]) => ({ pid, ppid }));
  } catch {
    return [];
  }
}

function killTree(root: number, tree: readonly ProcessIdentity[]): void {
  signal(-root, 'SIGKILL');
  for (const proc of tree) {
    if (proc.start !== undefined && readProcStat(proc.pid)?.start !== proc.start) continue;
    // A kernel leads its own group; its group holds whatever the kernel itself started.
    signal(-proc.pid, 'SIGKILL');
    signal(proc.pid, 'SIGKILL');
  }
}

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // ESRCH: already gone.
  }
}

interface CapturedOutput {
  tail(chars: number): string;
}

/** Keeps the last {@link OUTPUT_LIMIT} characters of stdout and stderr; forwards lines to `log`. */
function captureOutput(child: ChildProcess, log: ((line: string) => void) | undefined): CapturedOutput {
  let buffer = '';
  const forward = (stream: NodeJS.ReadableStream | null) => {
    if (!stream) return;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer = (buffer + chunk).slice(-OUTPUT_LIMIT);
      if (!log) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) log(line);
    });
    stream.on('end', () => {
      if (log && partial) log(partial);
    });
  };
  forward(child.stdout);
  forward(child.stderr);
  return { tail: (chars) => buffer.slice(-chars) };
}

async function removeDirs(dirs: readonly string[]): Promise<void> {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 3 })));
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= fn());
}
