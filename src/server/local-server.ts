/**
 * Starts a throwaway Jupyter Server on 127.0.0.1 for tests, benchmarks and the CLI.
 * Node-only (POSIX process groups); never imported by the browser entry points.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { redact } from '../core/redact.js';
import { waitAtMost } from '../core/deadline.js';
import { basePath, entryArgs, removeTokenFiles, serverArgs, serverEnvironment } from './config.js';
import { JupyterServerStartError, PortInUseError } from './errors.js';
import { captureOutput, describeExit, hasExited, register, terminate, unregister, type RunningServer } from './processes.js';
import { resolvePython } from './python.js';
import type { LocalJupyterServer, LocalJupyterServerOptions } from './options.js';

export { JupyterServerNotFoundError, JupyterServerStartError, PortInUseError, type PythonProbe } from './errors.js';
export type { LocalJupyterServer, LocalJupyterServerOptions } from './options.js';

const POLL_INTERVAL_MS = 100;
const ERROR_TAIL = 2048;
const PORT_ATTEMPTS = 3;

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
  const { env, tokenConfig } = await serverEnvironment(plan.stateDir, token, options.env, options.kernelHistory === 'memory');
  const args = [...entryArgs(options.nodelay ?? true), ...serverArgs(port, rootDir, options)];
  // detached: the server leads its own process group, and Ctrl-C in our terminal reaches us,
  // which then stops the server in order, rather than the server directly. stdin is a pipe we
  // never write to: when we die, however abruptly, it closes, and the launcher's watchdog stops
  // the server and its kernels.
  const child = spawn(python, args, { cwd: rootDir, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin?.on('error', () => {}); // EPIPE once the server is gone
  const output = captureOutput(child, options.log && ((line) => options.log?.(redact(line, [token]))));
  const pid = child.pid;
  if (pid === undefined) {
    const error = await new Promise<Error>((done) => child.once('error', done));
    throw new JupyterServerStartError(`Could not start ${python}: ${error.message}`, '');
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

async function removeDirs(dirs: readonly string[]): Promise<void> {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 3 })));
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= fn());
}
