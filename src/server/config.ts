/**
 * How a local Jupyter Server is launched: its command line, its environment and the config file
 * that carries the token, and what is removed once it is up.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalJupyterServerOptions } from './options.js';

/**
 * Our own launcher for `python -c`, in three parts. First a watchdog: stdin is a pipe from the
 * process that started the server, so EOF on it means that process is gone, even when it was
 * SIGKILLed and no exit hook of its ran. The server then stops as on SIGTERM (it shuts its
 * kernels down); should that hang, what is left of its process tree is killed. Kernels run in
 * sessions of their own (jupyter_client), so they are found by their parent, not their group.
 */
const WATCHDOG = `
import os, signal, sys, threading, time

def _descendants(root):
    parents, found, grew = {root}, [], True
    table = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/%s/stat" % name) as f:
                    stat = f.read()
                table.append((int(name), int(stat[stat.rindex(")") + 2:].split()[1])))
            except (OSError, ValueError, IndexError):
                pass
    while grew:
        grew = False
        for pid, ppid in table:
            if ppid in parents and pid not in parents:
                parents.add(pid)
                found.append(pid)
                grew = True
    return found

def _watch_parent():
    try:
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(15)
    for pid in _descendants(os.getpid()):
        for target in (-pid, pid):
            try:
                os.kill(target, signal.SIGKILL)
            except OSError:
                pass
    os._exit(1)

threading.Thread(target=_watch_parent, name="jupyter-sdk-parent-watchdog", daemon=True).start()
`;

/**
 * tornado 6 turns Nagle back on when it finishes an HTTP response, and jupyter_server 1.23 never
 * turns it off for the WebSocket it upgrades to, so each burst of kernel messages waits ~40 ms
 * for the client's delayed ACK. `start_pinging` runs right after the socket has been detached
 * from the HTTP layer, so nothing turns Nagle on again.
 */
const NODELAY = `
from tornado.websocket import WebSocketProtocol13

_start_pinging = WebSocketProtocol13.start_pinging

def _start_pinging_without_nagle(self):
    self.stream.set_nodelay(True)
    _start_pinging(self)

WebSocketProtocol13.start_pinging = _start_pinging_without_nagle
`;

const MAIN = `
sys.argv[0] = "jupyter-server"
from jupyter_server.serverapp import main
sys.exit(main())
`;

// Jupyter Server has no setting for extra kernel arguments (nbclient passes them to
// start_kernel, which the server calls without), so this config file, read from our private
// config dir, appends nbclient's argument where jupyter_client builds the kernel's command line
// (jupyter_client 7 and 8). `ipykernel` is jupyter_client's own test: kernel named python[2|3].
const HISTORY_IN_MEMORY_CONFIG = `from jupyter_client.manager import KernelManager

_format_kernel_cmd = KernelManager.format_kernel_cmd

def _with_history_in_memory(self, extra_arguments=None):
    cmd = _format_kernel_cmd(self, extra_arguments)
    if getattr(self, "ipykernel", False) and not any(a.startswith("--HistoryManager.hist_file") for a in cmd):
        cmd = [*cmd, "--HistoryManager.hist_file=:memory:"]
    return cmd

KernelManager.format_kernel_cmd = _with_history_in_memory
`;

/** The server's `base_url` from `extraArgs`, as a prefix without a trailing slash (`/x/` -> `/x`). */
export function basePath(extraArgs: readonly string[] = []): string {
  let path = '';
  for (const arg of extraArgs) {
    const match = /^--(?:ServerApp|NotebookApp)\.base_url=(.*)$/.exec(arg);
    if (match) path = match[1] ?? '';
  }
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '';
}

/** `python` arguments that start the server: the launcher, with the Nagle fix when `nodelay`. Its stdin must be a pipe from us. */
export function entryArgs(nodelay: boolean): string[] {
  return ['-c', WATCHDOG + (nodelay ? NODELAY : '') + MAIN];
}

export function serverArgs(port: number, rootDir: string, options: LocalJupyterServerOptions): string[] {
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
  if (process.platform !== 'win32') {
    // Kernels talk to the server over Unix sockets instead of five TCP ports each. jupyter_client
    // picks free TCP ports by binding and releasing them, and any other process on the machine
    // can take one before the kernel binds it: kernels started in parallel (runNotebooks, a
    // busy CI machine) then died at startup with "ZMQError: Address already in use".
    args.push('--KernelManager.transport=ipc');
  }
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

export async function serverEnvironment(
  stateDir: string,
  token: string,
  extra: Record<string, string> | undefined,
  historyInMemory = false,
): Promise<{ env: NodeJS.ProcessEnv; tokenConfig: string }> {
  const dirs = { config: join(stateDir, 'config'), data: join(stateDir, 'data'), runtime: join(stateDir, 'runtime') };
  await Promise.all(Object.values(dirs).map((dir) => mkdir(dir, { recursive: true, mode: 0o700 })));
  // The token goes in a config file, not argv (readable by every local user through `ps`) nor the
  // environment (every kernel inherits the server's environment, so `os.environ` in a notebook
  // would show it, and a cell printing it would save it in the notebook).
  const tokenConfig = join(dirs.config, 'jupyter_server_config.json');
  await writeFile(tokenConfig, `${JSON.stringify({ ServerApp: { token } })}\n`, { mode: 0o600 });
  if (historyInMemory) await writeFile(join(dirs.config, 'jupyter_server_config.py'), HISTORY_IN_MEMORY_CONFIG, { mode: 0o600 });
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
export async function removeTokenFiles(tokenConfig: string, runtimeDir: string, pid: number): Promise<void> {
  const files = [tokenConfig, join(runtimeDir, `jpserver-${pid}.json`), join(runtimeDir, `jpserver-${pid}-open.html`)];
  // The server ignores these being gone when it stops (it unlinks them with ENOENT ignored).
  await Promise.all(files.map((file) => rm(file, { force: true })));
}
