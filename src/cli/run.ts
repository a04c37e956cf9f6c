/** `jupyter-sdk run`: runs notebooks, local files or paths on a server, and writes the results. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, extname, relative, resolve, sep } from 'node:path';
import type { INotebookContent } from '@jupyterlab/nbformat';
import { APIUserAbortError, InvalidArgumentError } from '../core/errors.js';
import { JupyterClient } from '../jupyter/client.js';
import { validateNotebook } from '../runner/cells.js';
import { CellExecutionError, CellTimeoutError, KernelDiedError, KernelStartupError } from '../runner/errors.js';
import { runNotebook, type RunNotebookOptions } from '../runner/run-notebook.js';
import { JupyterServerNotFoundError, startJupyterServer, type LocalJupyterServer } from '../server/local-server.js';
import type { Command } from './args.js';
import { UsageError } from './args.js';
import { EXIT_CELL_FAILED, EXIT_INTERRUPTED, EXIT_OK, describeError, noServerMessage, type CliIO } from './main.js';
import { parseNotebook, serializeNotebook } from './nbjson.js';
import { barReporter, lineReporter, seconds, silentReporter, type ProgressReporter } from './progress.js';

type RunCommand = Extract<Command, { command: 'run' }>;

/** Default output name: `<name>.out.ipynb` beside the input. */
export function defaultOutputPath(input: string): string {
  const ext = extname(input);
  const stem = ext ? input.slice(0, -ext.length) : input;
  return `${stem}.out${ext || '.ipynb'}`;
}

/** Longest common folder of absolute paths (`/` at worst). */
export function commonDir(dirs: readonly string[]): string {
  const split = dirs.map((d) => resolve(d).split(sep));
  const first = split[0] ?? [];
  let n = first.length;
  for (const parts of split) {
    let i = 0;
    while (i < n && parts[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join(sep) || sep;
}

/** The summary line of a notebook that ran to its end. */
export function summaryLine(name: string, elapsedMs: number, raised: readonly number[], destination: string): string {
  if (raised.length === 0) return `${name}: ok in ${seconds(elapsedMs)}, written to ${destination}`;
  const cells = raised.map((i) => `cells[${i}]`).join(', ');
  const count = raised.length === 1 ? '1 cell raised an exception' : `${raised.length} cells raised an exception`;
  return `${name}: finished in ${seconds(elapsedMs)}; ${count} (${cells}), recorded in the output; written to ${destination}`;
}

/** Lines of the local server's log, kept per notebook to explain a kernel that died at startup. */
const LOG_LINES = 200;

export async function runCommand(cmd: RunCommand, io: CliIO, secrets: string[]): Promise<number> {
  // Read and check local notebooks first: a typo in a file name, or a file that is not a
  // notebook, fails before any server starts.
  const local = cmd.remote
    ? []
    : await Promise.all(cmd.notebooks.map(async (file) => ({ file, nb: await readNotebookFile(file) })));

  let server: LocalJupyterServer | undefined;
  let jupyter: JupyterClient;
  let rootDir: string | undefined;
  let serverLog: string[] = [];
  if (cmd.server) {
    jupyter = new JupyterClient({ baseUrl: cmd.server.url, token: cmd.server.token });
    // One cheap authenticated request first (GET /api is public), so a wrong URL or token reads
    // as such and not as a notebook failure.
    await jupyter.status({ signal: io.signal, maxRetries: 1 });
  } else {
    // Serve the notebooks' folder, so a notebook that opens "data.csv" finds it beside itself.
    rootDir = commonDir(local.map(({ file }) => dirname(resolve(file))));
    const python = io.env.JUPYTER_SDK_PYTHON || undefined;
    server = await startJupyterServer({
      rootDir,
      // Our own server, so no ~40 ms Nagle stall per cell (see local-server.ts).
      nodelay: true,
      // A kernel that dies is reported dead within ~1 s instead of ~18 s of restarts; a restarted
      // kernel would have lost the notebook's state anyway.
      kernelRestarts: false,
      python,
      log: (line) => {
        serverLog.push(line);
        if (serverLog.length > LOG_LINES) serverLog = serverLog.slice(-LOG_LINES);
      },
    }).catch((error: unknown) => {
      if (error instanceof JupyterServerNotFoundError) throw new UsageError(noServerMessage(error, python !== undefined));
      throw error;
    });
    secrets.push(server.token);
    jupyter = new JupyterClient({ baseUrl: server.url, token: server.token });
  }

  const reporter = pickReporter(cmd, io);
  let status = EXIT_OK;
  let finished = false;
  try {
    await checkKernels(cmd, jupyter, local, io.signal);
    const jobs = cmd.remote ? cmd.notebooks.map((path) => ({ file: path, nb: undefined })) : local;
    for (const job of jobs) {
      if (io.signal?.aborted) throw new APIUserAbortError();
      // The path as given: two notebooks of the same name in different folders stay apart.
      const name = job.file;
      const raised: number[] = [];
      const options: RunNotebookOptions = {
        kernelName: cmd.kernel,
        cellTimeout: cmd.timeout,
        stopOnError: !cmd.allowErrors,
        skipTagged: cmd.skipTagged,
        signal: io.signal,
        save: false,
        onProgress: (e) => {
          if (e.status === 'error') raised.push(e.index);
          reporter.update(name, e);
        },
      };
      if (rootDir) options.path = relative(rootDir, resolve(job.file)).split(sep).join('/');
      const destination = outputFor(cmd, job.file);
      const started = Date.now();
      serverLog = [];
      let result: INotebookContent;
      try {
        result = await runNotebook(jupyter, job.nb ?? job.file, options);
      } catch (error) {
        reporter.finish(name);
        if (error instanceof KernelStartupError) {
          const last = server ? kernelOutput(serverLog) : undefined;
          throw new UsageError(`${name}: ${error.message}${last ? ` (its last output: ${last})` : ''}`);
        }
        if (error instanceof InvalidArgumentError && cmd.remote) throw new UsageError(`${name}: ${error.message}`);
        if (!(error instanceof CellExecutionError || error instanceof CellTimeoutError || error instanceof KernelDiedError)) throw error;
        // Like papermill, keep what ran: the failing cell's traceback is the useful part.
        let written = '';
        if (error.notebook) {
          await writeResult(cmd, jupyter, destination, error.notebook);
          written = `; partial output written to ${destination}`;
        }
        io.stderr.write(`${name}: ${describeError(error).message}${written}\n`);
        status = EXIT_CELL_FAILED;
        continue;
      }
      reporter.finish(name);
      await writeResult(cmd, jupyter, destination, result);
      io.stdout.write(`${summaryLine(name, Date.now() - started, raised, destination)}\n`);
    }
    finished = true;
  } catch (error) {
    if (error instanceof APIUserAbortError) {
      reporter.finish('');
      io.stderr.write('jupyter-sdk: interrupted\n');
      return EXIT_INTERRUPTED;
    }
    throw error;
  } finally {
    if (server && finished) {
      // Every run ended with its session deleted and its kernel shut down, so what is left is an
      // idle server whose exit is ~0.5 s of Python teardown. Ask it to stop and do not wait:
      // when this process exits, the starter's exit hook kills what is left of it and removes
      // its temp dirs. That keeps `run` as fast as nbclient.
      server.stop().catch(() => {});
    } else if (server) {
      // Interrupted or failed: a kernel may still be alive, so let the server shut it down properly.
      await server.stop();
    }
  }
  return status;
}

/**
 * Refuses, before anything runs, a kernel the server does not have (`--kernel`, or a local
 * notebook's `metadata.kernelspec.name`): the server would answer a bare 500.
 */
async function checkKernels(
  cmd: RunCommand,
  jupyter: JupyterClient,
  local: ReadonlyArray<{ file: string; nb: INotebookContent }>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const specs = await jupyter.kernelspecs.list({ signal });
  const available = Object.keys(specs.kernelspecs ?? {}).sort();
  const known = (name: string) => available.includes(name);
  const list = available.length ? available.join(', ') : 'none';
  if (cmd.kernel !== undefined) {
    if (!known(cmd.kernel)) throw new UsageError(`no kernel named ${cmd.kernel}; available: ${list}`);
    return;
  }
  for (const { file, nb } of local) {
    const wanted = nb.metadata?.kernelspec?.name;
    if (typeof wanted === 'string' && wanted && !known(wanted)) {
      throw new UsageError(`${file} asks for kernel ${wanted} (metadata.kernelspec.name), which the server does not have; available: ${list} (pick one with --kernel)`);
    }
  }
}

/** The last line a kernel wrote (to the server's stderr), skipping the server's own log lines. */
function kernelOutput(log: readonly string[]): string | undefined {
  const line = [...log].reverse().find((l) => l.trim() && !/^\[[DIWEC] \d{4}-/.test(l));
  return line?.trim();
}

function pickReporter(cmd: RunCommand, io: CliIO): ProgressReporter {
  const style = cmd.progress ?? (io.stderr.isTTY ? 'bar' : 'lines');
  if (style === 'none') return silentReporter;
  return style === 'bar' ? barReporter(io.stderr) : lineReporter(io.stderr);
}

function outputFor(cmd: RunCommand, input: string): string {
  if (cmd.inplace) return input;
  return cmd.out ?? defaultOutputPath(input);
}

async function readNotebookFile(file: string): Promise<INotebookContent> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`no such notebook: ${file}`);
    if (code === 'EISDIR') throw new UsageError(`${file} is a folder, not a notebook`);
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let nb: unknown;
  try {
    nb = parseNotebook(text);
  } catch {
    throw new UsageError(`${file} is not a notebook (invalid JSON)`);
  }
  const problem = validateNotebook(nb);
  if (problem) throw new UsageError(`${file} is not an nbformat 4 notebook: ${problem}`);
  return nb as INotebookContent;
}

async function writeResult(cmd: RunCommand, jupyter: JupyterClient, destination: string, nb: INotebookContent): Promise<void> {
  if (cmd.remote) {
    await jupyter.contents.save(destination, { type: 'notebook', format: 'json', content: nb });
    return;
  }
  await mkdir(dirname(resolve(destination)), { recursive: true });
  await writeFile(destination, serializeNotebook(nb));
}
