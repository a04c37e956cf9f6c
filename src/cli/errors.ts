/** How the CLI explains a failure: one line and an exit status for anything a command threw. */
import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  JupyterSDKError,
  PermissionDeniedError,
} from '../core/errors.js';
import { ServerWaitTimeoutError, SpawnFailedError } from '../hub/errors.js';
import { CellExecutionError, CellTimeoutError, KernelDiedError } from '../runner/errors.js';
import { describeProbes, JupyterServerNotFoundError, JupyterServerStartError } from '../server/errors.js';
import { UsageError } from './args.js';
import { EXIT_CELL_FAILED, EXIT_INTERRUPTED, EXIT_USAGE } from './io.js';

/**
 * A one-line reason and the exit status for anything a command threw. `where` says what the
 * command was talking to: a Jupyter server (`--url`, or the local one) or a JupyterHub (`--hub`),
 * so a refused token points at the right option.
 */
export function describeError(error: unknown, where: 'server' | 'hub' = 'server'): { message: string; status: number } {
  if (error instanceof UsageError) return { message: error.message, status: EXIT_USAGE };
  if (error instanceof CellExecutionError || error instanceof CellTimeoutError || error instanceof KernelDiedError) {
    return { message: error.message, status: EXIT_CELL_FAILED };
  }
  if (error instanceof APIUserAbortError) return { message: 'interrupted', status: EXIT_INTERRUPTED };
  if (error instanceof JupyterServerNotFoundError) return { message: noServerMessage(error), status: EXIT_USAGE };
  if (error instanceof JupyterServerStartError) {
    return { message: `the local Jupyter server did not start: ${error.summary}`, status: EXIT_USAGE };
  }
  if (error instanceof APIConnectionError) {
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? rootCause(cause) : '';
    const base = error.message.includes(detail) ? error.message : `${error.message}${detail ? ` (${detail})` : ''}`;
    return { message: `cannot reach the ${where === 'hub' ? 'JupyterHub' : 'Jupyter server'}: ${base}`, status: EXIT_USAGE };
  }
  if (where === 'hub') {
    if (error instanceof SpawnFailedError) return { message: error.message, status: EXIT_USAGE };
    if (error instanceof ServerWaitTimeoutError) return { message: `${error.message}; --hub-timeout S waits longer`, status: EXIT_USAGE };
    if (error instanceof PermissionDeniedError || error instanceof AuthenticationError) {
      return { message: `the hub refused the token (${error.message}); check --hub-token or JUPYTERHUB_API_TOKEN`, status: EXIT_USAGE };
    }
    if (error instanceof APIError && /named servers are not enabled/i.test(error.message)) {
      return { message: `${error.message} (--hub runs on named servers: the hub needs c.JupyterHub.allow_named_servers = True)`, status: EXIT_USAGE };
    }
  }
  if (error instanceof PermissionDeniedError || error instanceof AuthenticationError) {
    return { message: `the server refused the token (${error.message}); check --token or JUPYTER_TOKEN`, status: EXIT_USAGE };
  }
  if (error instanceof APIError) return { message: `${error.method} ${error.url}: ${error.message}`, status: EXIT_USAGE };
  if (error instanceof JupyterSDKError) return { message: error.message, status: EXIT_USAGE };
  const e = error as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && typeof e.message === 'string') {
    if (e.code === 'ENOENT' && e.path) return { message: `no such file: ${e.path}`, status: EXIT_USAGE };
    return { message: firstLine(e.message), status: EXIT_USAGE };
  }
  return { message: String(error), status: EXIT_USAGE };
}

/** What to do when no local Jupyter server can run: install it, name the interpreter, or use a running server. */
export function noServerMessage(error: JupyterServerNotFoundError, fromEnv = false): string {
  // With JUPYTER_SDK_PYTHON set, that interpreter is the only one tried.
  const found = fromEnv ? `JUPYTER_SDK_PYTHON=${describeProbes(error.probes)}` : describeProbes(error.probes);
  return (
    `no Python with jupyter_server and ipykernel to start a local Jupyter server (${found}). ` +
    'Install them: `sudo apt-get install python3-jupyter-server python3-ipykernel python3-terminado` (Debian/Ubuntu) ' +
    'or `python3 -m pip install jupyter_server ipykernel`; or set JUPYTER_SDK_PYTHON to a Python that has them; ' +
    'or run on a server that is already up with --url URL --token TOKEN'
  );
}

function rootCause(error: Error): string {
  let e: unknown = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code}` : firstLine(err.message);
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim()) ?? text;
}
