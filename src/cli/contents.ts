/** `jupyter-sdk ls | get | put | kernels`: a quick look at a server's files and kernels. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { INotebookContent } from '@jupyterlab/nbformat';
import { fromBase64 } from '../core/base64.js';
import { NotFoundError } from '../core/errors.js';
import { JupyterClient } from '../jupyter/client.js';
import type { Contents, ContentsEntry } from '../jupyter/models.js';
import type { Command, ServerTarget } from './args.js';
import { UsageError } from './args.js';
import type { CliIO } from './io.js';
import { serializeNotebook } from './nbjson.js';

type Cmd<K extends Command['command']> = Extract<Command, { command: K }>;

function client(server: ServerTarget): JupyterClient {
  return new JupyterClient({ baseUrl: server.url, token: server.token });
}

/** Lists a folder, or shows one entry: type, size, modified time, name (folders end in `/`). */
export async function lsCommand(cmd: Cmd<'ls'>, io: CliIO): Promise<void> {
  const jupyter = client(cmd.server);
  const model = await jupyter.contents.get(cmd.path, { content: true }, { signal: io.signal });
  const entries: ContentsEntry[] = model.type === 'directory' ? (model.content ?? []) : [model as ContentsEntry];
  io.stdout.write(formatListing(entries));
}

/** `ls` output: one aligned row per entry, folders first, then by name. */
export function formatListing(entries: readonly ContentsEntry[]): string {
  const sorted = [...entries].sort(
    (a, b) => Number(b.type === 'directory') - Number(a.type === 'directory') || a.name.localeCompare(b.name),
  );
  const rows = sorted.map((e) => [
    e.type,
    e.type === 'directory' ? '-' : String(e.size ?? '-'),
    (e.last_modified ?? '').replace(/\.\d+/, '').replace('T', ' ').replace(/Z$/, ''),
    e.type === 'directory' ? `${e.name}/` : e.name,
  ]);
  if (rows.length === 0) return '';
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padStart(widths[1]!)}  ${r[2]!.padEnd(widths[2]!)}  ${r[3]}\n`)
    .join('');
}

/** Downloads a file or notebook to `--out` or stdout. */
export async function getCommand(cmd: Cmd<'get'>, io: CliIO): Promise<void> {
  const jupyter = client(cmd.server);
  const model: Contents = await jupyter.contents.get(cmd.path, {}, { signal: io.signal });
  let data: string | Uint8Array;
  if (model.type === 'directory') throw new UsageError(`${cmd.path} is a folder; list it with jupyter-sdk ls`);
  if (model.type === 'notebook') data = serializeNotebook(model.content as unknown as INotebookContent);
  else if (model.format === 'base64') data = fromBase64(String(model.content ?? ''));
  else data = String(model.content ?? '');
  if (cmd.out) {
    // As `run --out`: a folder that does not exist yet is created.
    await mkdir(dirname(resolve(cmd.out)), { recursive: true });
    await writeFile(cmd.out, data);
    io.stderr.write(`${cmd.path} -> ${cmd.out} (${byteLength(data)} bytes)\n`);
  } else {
    io.stdout.write(data);
  }
}

/** Uploads a local file (in chunks when large). */
export async function putCommand(cmd: Cmd<'put'>, io: CliIO): Promise<void> {
  const jupyter = client(cmd.server);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(cmd.file);
  } catch (error) {
    throw new UsageError(`cannot read ${cmd.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const target = remotePathFor(cmd.file, cmd.path);
  // The server answers a bare 500 for a file in a folder that does not exist: create it, as
  // `mkdir -p` would, and say so.
  const created = await ensureServerFolder(jupyter, parentOf(target), io.signal);
  for (const dir of created) io.stderr.write(`created folder ${dir}/\n`);
  await jupyter.contents.upload(target, bytes, {}, { signal: io.signal });
  io.stdout.write(`${cmd.file} -> ${target} (${bytes.length} bytes)\n`);
}

/** The folder part of a server path (`a/b/c.txt` -> `a/b`, `c.txt` -> ``). */
export function parentOf(path: string): string {
  const trimmed = path.replace(/^\/+/, '');
  const i = trimmed.lastIndexOf('/');
  return i < 0 ? '' : trimmed.slice(0, i);
}

/**
 * Makes sure `dir` exists on the server, creating each missing folder from the top; returns the
 * ones it created. A file where a folder should be is a usage error.
 */
async function ensureServerFolder(jupyter: JupyterClient, dir: string, signal: AbortSignal | undefined): Promise<string[]> {
  const parts = dir.split('/').filter(Boolean);
  const created: string[] = [];
  for (let i = 1; i <= parts.length; i++) {
    const path = parts.slice(0, i).join('/');
    let exists = true;
    try {
      const model = await jupyter.contents.get(path, { content: false }, { signal });
      if (model.type !== 'directory') throw new UsageError(`cannot upload into ${dir}/: ${path} is a ${model.type}, not a folder`);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      exists = false;
    }
    if (!exists) {
      await jupyter.contents.save(path, { type: 'directory' }, { signal });
      created.push(path);
    }
  }
  return created;
}

/** Server path of an upload: PATH as given, or the file's name inside PATH when PATH ends in `/`. */
export function remotePathFor(file: string, path: string | undefined): string {
  if (!path) return basename(file);
  return path.endsWith('/') ? `${path}${basename(file)}` : path;
}

/** Running kernels and installed kernelspecs. */
export async function kernelsCommand(cmd: Cmd<'kernels'>, io: CliIO): Promise<void> {
  const jupyter = client(cmd.server);
  const [kernels, specs] = await Promise.all([
    jupyter.kernels.list({ signal: io.signal }),
    jupyter.kernelspecs.list({ signal: io.signal }),
  ]);
  const names = Object.keys(specs.kernelspecs ?? {}).map((n) => (n === specs.default ? `${n} (default)` : n));
  io.stdout.write(`kernelspecs: ${names.join(', ') || 'none'}\n`);
  if (kernels.length === 0) {
    io.stdout.write('no running kernels\n');
    return;
  }
  for (const k of kernels) {
    io.stdout.write(`${k.id}  ${k.name}  ${k.execution_state ?? '?'}  connections=${k.connections ?? 0}  last_activity=${k.last_activity ?? '?'}\n`);
  }
}

function byteLength(data: string | Uint8Array): number {
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}
