/**
 * `jupyter-sdk` command line: parses argv, runs one command, maps every failure to a one-line
 * reason and an exit status (0 ok, 1 a cell failed, 2 usage or connection error). Kept thin: the
 * work is done by the library (runNotebook, JupyterClient, startJupyterServer).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  JupyterSDKError,
  PermissionDeniedError,
} from '../core/errors.js';
import { redact } from '../core/redact.js';
import { CellExecutionError, CellTimeoutError } from '../runner/errors.js';
import { describeProbes, JupyterServerNotFoundError, JupyterServerStartError } from '../server/errors.js';
import { parseCommandLine, UsageError, type Command } from './args.js';
import { getCommand, kernelsCommand, lsCommand, putCommand } from './contents.js';
import { runCommand } from './run.js';

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

/** Runs the command line and resolves to the exit status. Never throws. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const secrets: string[] = [];
  try {
    const command = parseCommandLine(argv, io.env);
    const token = 'server' in command ? command.server?.token : undefined;
    if (token) secrets.push(token);
    return await dispatch(command, io, secrets);
  } catch (error) {
    const { message, status } = describeError(error);
    io.stderr.write(`jupyter-sdk: ${redact(message, secrets)}\n`);
    return status;
  }
}

async function dispatch(command: Command, io: CliIO, secrets: string[]): Promise<number> {
  switch (command.command) {
    case 'help':
      io.stdout.write(`${command.text}\n`);
      return EXIT_OK;
    case 'usage':
      // No command at all: a usage error, so scripts notice; the usage goes where errors go.
      io.stderr.write(`${command.text}\n`);
      return EXIT_USAGE;
    case 'version':
      io.stdout.write(`${version()}\n`);
      return EXIT_OK;
    case 'run':
      return runCommand(command, io, secrets);
    case 'ls':
      await lsCommand(command, io);
      return EXIT_OK;
    case 'get':
      await getCommand(command, io);
      return EXIT_OK;
    case 'put':
      await putCommand(command, io);
      return EXIT_OK;
    case 'kernels':
      await kernelsCommand(command, io);
      return EXIT_OK;
  }
}

/** A one-line reason and the exit status for anything a command threw. */
export function describeError(error: unknown): { message: string; status: number } {
  if (error instanceof UsageError) return { message: error.message, status: EXIT_USAGE };
  if (error instanceof CellExecutionError || error instanceof CellTimeoutError) {
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
    return { message: `cannot reach the Jupyter server: ${base}`, status: EXIT_USAGE };
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

function version(): string {
  // dist/cli.js sits one folder below package.json; import.meta is not available in the CJS build.
  try {
    const script = process.argv[1];
    if (script) {
      const pkg = JSON.parse(readFileSync(join(dirname(script), '..', 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'jupyter-sdk' && pkg.version) return pkg.version;
    }
  } catch {
    // fall through
  }
  return 'unknown';
}
