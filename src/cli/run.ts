/** `jupyter-sdk run`: runs notebooks, local files or paths on a server, many at once, and writes the results. */
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { INotebookContent } from '@jupyterlab/nbformat';
import { APIUserAbortError, AuthenticationError, PermissionDeniedError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { JupyterClient } from '../jupyter/client.js';
import { validateNotebook, InvalidNotebookError } from '../runner/cells.js';
import { CellExecutionError, CellTimeoutError, KernelDiedError, KernelStartupError, RunAbortedError } from '../runner/errors.js';
import { ParameterError, renderPythonParameters, type Parameters } from '../runner/parameters.js';
import { BatchAbortedError, runNotebooks, type NotebookJob, type NotebookResult } from '../runner/run-notebooks.js';
import { JupyterServerNotFoundError } from '../server/errors.js';
import { startJupyterServer, type LocalJupyterServer } from '../server/local-server.js';
import type { Command } from './args.js';
import { UsageError } from './args.js';
import { describeError, noServerMessage } from './errors.js';
import { startHubServers, type HubServers } from './hub.js';
import { EXIT_CELL_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, type CliIO } from './io.js';
import { parseNotebook } from './nbjson.js';
import { resolveParameters } from './parameters.js';
import { barReporter, lineReporter, seconds, silentReporter, type ProgressReporter } from './progress.js';
import { ThrottledNotebookWriter, writeFileAtomic } from './writer.js';

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

/**
 * Where `--out-dir DIR` puts each notebook: `DIR/<name>`; when two inputs share a name, their
 * paths below the inputs' common folder are kept instead, so none overwrites another.
 */
export function outDirPaths(inputs: readonly string[], dir: string, posix = false): string[] {
  const names = inputs.map((f) => basename(f));
  const unique = new Set(names).size === names.length;
  if (unique) return names.map((n) => (posix ? joinPosix(dir, n) : join(dir, n)));
  if (posix) {
    const parts = inputs.map((f) => f.split('/').filter(Boolean));
    let n = 0;
    while (parts.every((p) => p.length - 1 > n && p[n] === parts[0]![n])) n++;
    return parts.map((p) => joinPosix(dir, p.slice(n).join('/')));
  }
  const root = commonDir(inputs.map((f) => dirname(resolve(f))));
  return inputs.map((f) => join(dir, relative(root, resolve(f))));
}

function joinPosix(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

/** The summary line of a notebook that ran to its end. */
export function summaryLine(name: string, elapsedMs: number, raised: readonly number[], destination: string): string {
  if (raised.length === 0) return `${name}: ok in ${seconds(elapsedMs)}, written to ${destination}`;
  const cells = raised.map((i) => `cells[${i}]`).join(', ');
  const count = raised.length === 1 ? '1 cell raised an exception' : `${raised.length} cells raised an exception`;
  return `${name}: finished in ${seconds(elapsedMs)}; ${count} (${cells}), recorded in the output; written to ${destination}`;
}

/** One row of the table that ends a run of several notebooks. */
export interface SummaryRow {
  notebook: string;
  /** `ok`, `failed`, `interrupted` or `not run`. */
  status: string;
  /** The hub server it ran on, with --hub. */
  server?: string | undefined;
  elapsedMs: number | undefined;
  output: string;
  /** Why it failed, or which cells raised with --allow-errors. */
  note: string;
}

/** The table that ends a run of several notebooks, and a totals line. */
export function summaryTable(rows: readonly SummaryRow[], wallMs: number): string {
  // A server column only when the notebooks ran on hub servers.
  const servers = rows.some((r) => r.server !== undefined);
  const header: SummaryRow = { notebook: 'notebook', status: 'status', server: 'server', elapsedMs: undefined, output: 'output', note: '' };
  const cells = (r: SummaryRow, head = false) => [
    r.notebook,
    r.status,
    ...(servers ? [r.server ?? '-'] : []),
    head ? 'time' : r.elapsedMs === undefined ? '-' : seconds(r.elapsedMs),
    r.output,
    r.note,
  ];
  const table = [cells(header, true), ...rows.map((r) => cells(r))];
  const time = servers ? 3 : 2;
  const last = table[0]!.length - 1;
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) =>
    row
      .map((cell, i) => (i === time ? cell.padStart(widths[i]!) : i < last ? cell.padEnd(widths[i]!) : cell))
      .join('  ')
      .trimEnd(),
  );
  const ok = rows.filter((r) => r.status === 'ok').length;
  const failed = rows.filter((r) => r.status === 'failed').length;
  const other = rows.length - ok - failed;
  const rate = wallMs > 0 ? ` (${((rows.length / wallMs) * 1000).toFixed(2)} notebooks/s)` : '';
  const totals = `${rows.length} notebooks: ${ok} ok, ${failed} failed${other ? `, ${other} interrupted or not run` : ''}, in ${seconds(wallMs)}${rate}`;
  return `${lines.join('\n')}\n${totals}\n`;
}

/** Lines of the local server's log, kept to explain a kernel that died at startup. */
const LOG_LINES = 200;

interface Target {
  /** Label: the path as given. */
  name: string;
  /** Local file, or server path with --remote. */
  input: string;
  /** Where the executed notebook goes (local file, or server path with --remote). */
  destination: string;
  nb: INotebookContent | undefined;
}

export async function runCommand(cmd: RunCommand, io: CliIO, secrets: string[]): Promise<number> {
  const began = performance.now();
  // Everything that can be checked without a server is checked first: a typo in a file name, a
  // file that is not a notebook, or a bad parameter fails before any server starts.
  const parameters = await resolveParameters(cmd.parameters);
  if (parameters) checkParameters(parameters);
  const local = cmd.remote ? [] : await Promise.all(cmd.notebooks.map(async (file) => ({ file, nb: await readNotebookFile(file) })));
  const targets = planOutputs(cmd, local);

  const style = progressStyle(cmd, io);
  let server: LocalJupyterServer | undefined;
  let hub: HubServers | undefined;
  let clients: readonly JupyterClient[];
  let rootDir: string | undefined;
  let serverLog: string[] = [];
  if (cmd.hub) {
    hub = await startHubServers(cmd.hub, io, style);
    clients = hub.clients;
  } else if (cmd.server) {
    const jupyter = new JupyterClient({ baseUrl: cmd.server.url, token: cmd.server.token });
    // One cheap authenticated request first (GET /api is public), so a wrong URL or token reads
    // as such and not as a notebook failure.
    await jupyter.status({ signal: io.signal, maxRetries: 1 });
    clients = [jupyter];
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
      // As nbclient: IPython history in memory, so parallel kernels do not all write one SQLite file.
      kernelHistory: 'memory',
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
    clients = [new JupyterClient({ baseUrl: server.url, token: server.token })];
  }

  const where = hub ? 'hub' : 'server';
  const reporter = pickReporter(style, io);
  const rows: SummaryRow[] = targets.map((t) => ({ notebook: t.name, status: 'not run', elapsedMs: undefined, output: '', note: '' }));
  let status = EXIT_OK;
  let finished = false;
  try {
    await checkKernels(cmd, clients[0]!, local, io.signal).catch((error: unknown) => {
      if (!hub || error instanceof UsageError || error instanceof APIUserAbortError) throw error;
      // A token the hub accepts may still not reach its users' servers (scope access:servers).
      if (error instanceof PermissionDeniedError || error instanceof AuthenticationError) {
        throw new UsageError(
          `${hub.user}'s server ${JSON.stringify(hub.names[0])} refused the token (${error.message}): running notebooks there needs the access:servers scope on ${hub.user}; check --hub-token or JUPYTERHUB_API_TOKEN`,
        );
      }
      throw new UsageError(describeError(error, 'hub').message);
    });
    const items: Array<NotebookJob & { target: Target }> = targets.map((target) => {
      const item: NotebookJob & { target: Target } = { notebook: target.nb ?? target.input, parameters, target };
      if (rootDir) item.path = relative(rootDir, resolve(target.input)).split(sep).join('/');
      // A notebook on the server is saved there by the runner (also as far as it ran on failure).
      if (cmd.remote) item.out = target.destination;
      return item;
    });
    const writers = items.map((item) => (cmd.remote ? undefined : new ThrottledNotebookWriter((text) => writeFileAtomic(item.target.destination, text))));
    const raised = items.map((): number[] => []);
    const finals: Array<Promise<void>> = [];

    const report = (result: NotebookResult<(typeof items)[number]>) => {
      const { target } = result.item;
      const writer = writers[result.index];
      const row = rows[result.index]!;
      row.elapsedMs = result.seconds * 1000;
      row.output = target.destination;
      if (hub && result.target !== undefined) row.server = hub.names[result.target];
      if (result.ok) {
        row.status = 'ok';
        const cells = raised[result.index]!;
        if (cells.length) row.note = `${cells.length} ${cells.length === 1 ? 'cell' : 'cells'} raised (${cells.map((i) => `cells[${i}]`).join(', ')})`;
        finals.push(
          (async () => {
            await writer?.final(result.notebook);
            reporter.print(io.stdout, `${summaryLine(target.name, row.elapsedMs!, cells, target.destination)}\n`);
          })(),
        );
        return;
      }
      const { error } = result;
      const aborted = error instanceof RunAbortedError;
      row.status = aborted ? (result.notebook ? 'interrupted' : 'not run') : 'failed';
      row.note = aborted ? '' : redact(describeError(error, where).message, secrets);
      finals.push(
        (async () => {
          // Like papermill, keep what ran: the failing cell's traceback is the useful part.
          let written = '';
          if (result.notebook && writer) {
            await writer.final(result.notebook);
            written = `; partial output written to ${target.destination}`;
          } else {
            await writer?.close();
            if (!result.notebook) row.output = '';
          }
          if (cmd.remote && result.notebook && !aborted) written = `; partial output saved to ${target.destination}`;
          if (aborted) return;
          if (error instanceof CellExecutionError || error instanceof CellTimeoutError || error instanceof KernelDiedError) {
            reporter.print(io.stderr, `${target.name}: ${describeError(error, where).message}${written}\n`);
            status = Math.max(status, EXIT_CELL_FAILED);
            return;
          }
          let message = describeError(error, where).message;
          if (error instanceof KernelStartupError) {
            const last = server ? kernelOutput(serverLog) : undefined;
            message = `${error.message}${last ? ` (its last output: ${last})` : ''}`;
          }
          reporter.print(io.stderr, `jupyter-sdk: ${target.name}: ${redact(message, secrets)}${written}\n`);
          status = Math.max(status, EXIT_USAGE);
        })(),
      );
    };

    try {
      await runNotebooks(clients, items, {
        // With --hub, --jobs counts kernels per server: the servers are alike, and a user's
        // server is sized for that user's work, not for the machine running this command.
        jobs: hub ? (cmd.jobs ?? 1) * clients.length : (cmd.jobs ?? availableParallelism()),
        kernelName: cmd.kernel,
        cellTimeout: cmd.timeout,
        stopOnError: !cmd.allowErrors,
        skipTagged: cmd.skipTagged,
        signal: io.signal,
        onProgress: (event) => {
          if (event.type === 'cell') {
            const e = event.progress;
            if (e.status === 'error') raised[event.index]!.push(e.index);
            reporter.update(event.item.target.name, e);
            if (e.status !== 'running') writers[event.index]?.update(e.notebook);
          } else if (event.type === 'finished') {
            reporter.finish(event.item.target.name);
            report(event.result);
          }
        },
      });
    } catch (error) {
      if (!(error instanceof BatchAbortedError)) throw error;
      // What was interrupted is on disk as far as it ran (written as the run went, and finally
      // by its result's partial notebook).
      await Promise.allSettled(finals);
      reporter.close();
      await hub?.stop();
      io.stderr.write('jupyter-sdk: interrupted\n');
      return EXIT_INTERRUPTED;
    }
    const settled = await Promise.allSettled(finals);
    reporter.close();
    const failedWrite = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failedWrite) throw failedWrite.reason;
    if (targets.length > 1) io.stdout.write(summaryTable(rows, performance.now() - began));
    finished = true;
  } catch (error) {
    reporter.close();
    if (error instanceof APIUserAbortError) {
      await hub?.stop();
      io.stderr.write('jupyter-sdk: interrupted\n');
      return EXIT_INTERRUPTED;
    }
    throw error;
  } finally {
    // Whatever happened, the servers started on the hub go (stop() runs once).
    await hub?.stop();
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

/** Bad parameter names or values fail before any server starts (only Python literals are built in). */
function checkParameters(parameters: Parameters): void {
  try {
    renderPythonParameters(parameters);
  } catch (error) {
    if (error instanceof ParameterError) throw new UsageError(error.message);
    throw error;
  }
}

/** Where each notebook's output goes, refusing to overwrite an input unless --inplace says so. */
function planOutputs(cmd: RunCommand, local: ReadonlyArray<{ file: string; nb: INotebookContent }>): Target[] {
  const inputs = cmd.remote ? cmd.notebooks : local.map((l) => l.file);
  const dirPaths = cmd.outDir === undefined ? undefined : outDirPaths(inputs, cmd.outDir, cmd.remote);
  const targets = inputs.map((input, i): Target => {
    const destination = cmd.inplace ? input : (cmd.out ?? dirPaths?.[i] ?? defaultOutputPath(input));
    return { name: input, input, destination, nb: local[i]?.nb };
  });
  const key = (p: string) => (cmd.remote ? p.replace(/^\/+/, '') : resolve(p));
  const seen = new Map<string, string>();
  for (const t of targets) {
    if (!cmd.inplace && key(t.destination) === key(t.input)) {
      throw new UsageError(`${t.name} would be overwritten by its own output (${t.destination}); pass --inplace to overwrite it`);
    }
    const other = seen.get(key(t.destination));
    if (other !== undefined) {
      throw new UsageError(
        other === t.name ? `${t.name} is given twice` : `${other} and ${t.name} would both be written to ${t.destination}`,
      );
    }
    seen.set(key(t.destination), t.name);
  }
  return targets;
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

function progressStyle(cmd: RunCommand, io: CliIO): 'bar' | 'lines' | 'none' {
  return cmd.progress ?? (io.stderr.isTTY ? 'bar' : 'lines');
}

function pickReporter(style: 'bar' | 'lines' | 'none', io: CliIO): ProgressReporter {
  if (style === 'none') return silentReporter;
  return style === 'bar' ? barReporter(io.stderr) : lineReporter(io.stderr);
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
  try {
    return validateNotebook(nb);
  } catch (error) {
    if (error instanceof InvalidNotebookError) throw new UsageError(`${file} is not an nbformat 4 notebook: ${error.problem}`);
    throw error;
  }
}
