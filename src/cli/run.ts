/** `jupyter-sdk run`: runs notebooks, local files or paths on a server, and writes the results. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, relative, resolve, sep } from 'node:path';
import type { INotebookContent } from '@jupyterlab/nbformat';
import { APIUserAbortError, KernelChannelError } from '../core/errors.js';
import { JupyterClient } from '../jupyter/client.js';
import { CellExecutionError, CellTimeoutError } from '../runner/errors.js';
import { runNotebook, type RunNotebookOptions } from '../runner/run-notebook.js';
import { startJupyterServer, type LocalJupyterServer } from '../server/local-server.js';
import type { Command } from './args.js';
import { UsageError } from './args.js';
import { EXIT_CELL_FAILED, EXIT_INTERRUPTED, EXIT_OK, describeError, type CliIO } from './main.js';
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

export async function runCommand(cmd: RunCommand, io: CliIO, secrets: string[]): Promise<number> {
  // Read local notebooks first: a typo in a file name fails before any server starts.
  const local = cmd.remote
    ? []
    : await Promise.all(
        cmd.notebooks.map(async (file) => ({ file, nb: await readNotebookFile(file) })),
      );

  let server: LocalJupyterServer | undefined;
  let jupyter: JupyterClient;
  let rootDir: string | undefined;
  if (cmd.server) {
    jupyter = new JupyterClient({ baseUrl: cmd.server.url, token: cmd.server.token });
    // One cheap authenticated request first (GET /api is public), so a wrong URL or token reads
    // as such and not as a notebook failure.
    await jupyter.status({ signal: io.signal, maxRetries: 1 });
  } else {
    // Serve the notebooks' folder, so a notebook that opens "data.csv" finds it beside itself.
    rootDir = commonDir(local.map(({ file }) => dirname(resolve(file))));
    server = await startJupyterServer({
      rootDir,
      // Our own server, so no ~40 ms Nagle stall per cell (see local-server.ts).
      nodelay: true,
      python: io.env.JUPYTER_SDK_PYTHON || undefined,
    });
    secrets.push(server.token);
    jupyter = new JupyterClient({ baseUrl: server.url, token: server.token });
  }

  const reporter = pickReporter(cmd, io);
  let status = EXIT_OK;
  let finished = false;
  try {
    const jobs = cmd.remote ? cmd.notebooks.map((path) => ({ file: path, nb: undefined })) : local;
    for (const job of jobs) {
      if (io.signal?.aborted) throw new APIUserAbortError();
      const name = cmd.remote ? job.file : basename(job.file);
      const options: RunNotebookOptions = {
        kernelName: cmd.kernel,
        cellTimeout: cmd.timeout,
        stopOnError: !cmd.allowErrors,
        skipTagged: cmd.skipTagged,
        signal: io.signal,
        save: false,
        onProgress: (e) => reporter.update(name, e),
      };
      if (rootDir) options.path = relative(rootDir, resolve(job.file)).split(sep).join('/');
      const destination = outputFor(cmd, job.file);
      const started = Date.now();
      let result: INotebookContent;
      try {
        result = await runNotebook(jupyter, job.nb ?? job.file, options);
      } catch (error) {
        reporter.finish(name);
        if (error instanceof KernelChannelError && (error.code === 'dead' || error.code === 'restarted')) {
          // The notebook's code took its kernel down (os._exit, out of memory): a failed notebook.
          io.stderr.write(`${name}: ${error.message}\n`);
          status = EXIT_CELL_FAILED;
          continue;
        }
        if (!(error instanceof CellExecutionError || error instanceof CellTimeoutError)) throw error;
        // Like papermill, keep what ran: the failing cell's traceback is the useful part.
        if (error.notebook) await writeResult(cmd, jupyter, destination, error.notebook);
        io.stderr.write(`${name}: ${describeError(error).message}; partial output written to ${destination}\n`);
        status = EXIT_CELL_FAILED;
        continue;
      }
      reporter.finish(name);
      await writeResult(cmd, jupyter, destination, result);
      io.stdout.write(`${name}: ok in ${seconds(Date.now() - started)}, written to ${destination}\n`);
    }
    finished = true;
  } catch (error) {
    if (error instanceof APIUserAbortError) {
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
    throw new UsageError(code === 'ENOENT' ? `no such notebook: ${file}` : `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return parseNotebook(text);
  } catch {
    throw new UsageError(`${file} is not a notebook (invalid JSON)`);
  }
}

async function writeResult(cmd: RunCommand, jupyter: JupyterClient, destination: string, nb: INotebookContent): Promise<void> {
  if (cmd.remote) {
    await jupyter.contents.save(destination, { type: 'notebook', format: 'json', content: nb } as never);
    return;
  }
  await mkdir(dirname(resolve(destination)), { recursive: true });
  await writeFile(destination, serializeNotebook(nb));
}

