/**
 * Command-line parsing for `jupyter-sdk` (node:util parseArgs). Pure: argv and env in, a command
 * description out, so it is unit-tested without spawning anything.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad command line: the CLI prints the message and exits with status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Where a command finds its server. */
export interface ServerTarget {
  url: string;
  token: string | undefined;
}

/** `--hub`: run on named servers of a JupyterHub user, started for the run and removed after. */
export interface HubTarget {
  /** The hub's public URL. */
  url: string;
  /** `--hub-token`, else JUPYTERHUB_API_TOKEN. */
  token: string;
  /** Named servers to start. @default 1 */
  servers: number;
  /** Whose servers: default the token's user, or `jupyter-sdk` for a service's token. */
  user: string | undefined;
  /** Milliseconds for the servers to be ready. */
  timeout: number | undefined;
  /** `user_options` for the spawner. */
  options: Record<string, unknown> | undefined;
}

/** One `-p`/`-r` pair or `--parameters-file`, in the order given. */
export type ParameterSource =
  | { kind: 'typed'; name: string; value: string }
  | { kind: 'raw'; name: string; value: string }
  | { kind: 'file'; file: string };

export type Command =
  | { command: 'help'; text: string }
  /** No command given: the usage goes to stderr, exit status 2. */
  | { command: 'usage'; text: string }
  | { command: 'version' }
  | {
      command: 'run';
      notebooks: string[];
      /** No `--url`: start a local server for the run (unless `hub`). */
      server: ServerTarget | undefined;
      /** `--hub`: run on a JupyterHub user's named servers. */
      hub: HubTarget | undefined;
      kernel: string | undefined;
      out: string | undefined;
      /** Write each executed notebook into this folder, under its own name. */
      outDir: string | undefined;
      inplace: boolean;
      /** Notebooks run at once; with `hub`, per server. @default the number of CPUs; with `hub`, 1 */
      jobs: number | undefined;
      /** `-p`, `-r` and `--parameters-file`, in the order given. */
      parameters: ParameterSource[];
      /** Per-cell limit in ms. */
      timeout: number | undefined;
      allowErrors: boolean;
      remote: boolean;
      skipTagged: boolean;
      /** Forces the progress style; default: a bar on a TTY, lines otherwise. */
      progress: 'bar' | 'lines' | 'none' | undefined;
    }
  | { command: 'ls'; server: ServerTarget; path: string }
  | { command: 'get'; server: ServerTarget; path: string; out: string | undefined }
  | { command: 'put'; server: ServerTarget; file: string; path: string | undefined }
  | { command: 'kernels'; server: ServerTarget };

const SERVER_HELP = `Server:
  --url URL        Jupyter Server root URL (or env JUPYTER_URL)
  --token TOKEN    its token (or env JUPYTER_TOKEN)`;

export const HELP: Record<'main' | 'run' | 'ls' | 'get' | 'put' | 'kernels', string> = {
  main: `Usage: jupyter-sdk <command> [options]

Commands:
  run NOTEBOOK...   run notebooks in a kernel and write the executed copies
  ls [PATH]         list a folder on a Jupyter server
  get PATH          download a file or notebook
  put FILE [PATH]   upload a file
  kernels           list the running kernels of a server

Options:
  -h, --help       show help (also: jupyter-sdk <command> --help)
  -v, --version    print the version

Exit status: 0 success, 1 a notebook cell failed, 2 usage or connection error.`,
  run: `Usage: jupyter-sdk run NOTEBOOK... [options]

Runs the code cells of each notebook in order in a new kernel, as nbclient does, and writes the
executed notebook. Without --url a local Jupyter server is started for the run (on 127.0.0.1,
random port and token, serving the notebooks' folder) and stopped afterwards.

Options:
  --url URL          run on this Jupyter server instead of a local one
  --token TOKEN      its token (or env JUPYTER_TOKEN)
  --kernel NAME      kernelspec to use (default: the notebook's, else the server's default)
  --out FILE         where to write the executed notebook (one notebook only)
  --out-dir DIR      write each executed notebook into DIR under its own name
  --inplace          overwrite the notebook itself
                     (default: NAME.out.ipynb beside the notebook)
  -j, --jobs N       run N notebooks at once, each in its own kernel (default: number of CPUs)
  -p, --parameter NAME VALUE
                     set a parameter (repeatable), typed as papermill types it: True, False,
                     None, an int, a float, else a string; injected as a cell tagged
                     injected-parameters after the cell tagged parameters
  -r, --raw-parameter NAME VALUE
                     set a parameter to the string VALUE as is (repeatable)
  -f, --parameters-file FILE
                     parameters from a JSON or YAML file (repeatable; -p and -r win)
  --timeout S        interrupt a cell after S seconds and fail
  --allow-errors     record cell errors and keep going (exit 0)
  --remote           NOTEBOOK is a path on the server (needs --url); --out is a server path too
  --hub URL          run on a JupyterHub instead: start named servers for the hub user, spread
                     the notebooks over them, stop and remove them at the end (also on failure
                     and Ctrl-C); outputs are written locally as without --hub
  --hub-token TOKEN  the hub API token (or env JUPYTERHUB_API_TOKEN)
  --hub-servers N    named servers to start (default 1); --jobs is then kernels per server
                     (default 1), so N x jobs notebooks run at once
  --hub-user NAME    whose servers (default: the token's user; for a service or admin token,
                     jupyter-sdk); a user that does not exist is created
  --hub-timeout S    seconds for the servers to be ready (default 300)
  --hub-options JSON user_options for the spawner, e.g. '{"profile": "small"}'
  --no-skip-tagged   also run cells tagged skip-execution
  --progress STYLE   bar, lines or none (default: bar on a terminal, lines otherwise)
  -h, --help         show this help

The output is written as the run goes (after each cell, at most once a second), so a run that
is killed leaves everything up to the running cell on disk; the final write is atomic. When a
cell fails, the notebook as far as it ran (with the traceback) is still written. With several
notebooks, one failing never stops the others; a summary table ends the run.

Environment: JUPYTER_TOKEN (with --url), JUPYTERHUB_API_TOKEN (with --hub), JUPYTER_SDK_PYTHON
(the Python that runs the local server).

Exit status: 0 success, 1 a notebook failed (a cell raised, timed out or took its kernel down),
2 usage or connection error (or a hub server that failed to start), 130 interrupted.`,
  ls: `Usage: jupyter-sdk ls [PATH] --url URL [--token TOKEN]

Lists a folder (default: the server root) or shows one file.

${SERVER_HELP}`,
  get: `Usage: jupyter-sdk get PATH [--out FILE] --url URL [--token TOKEN]

Downloads a file or notebook; to stdout unless --out is given.

Options:
  --out FILE       write to FILE
${SERVER_HELP}`,
  put: `Usage: jupyter-sdk put FILE [PATH] --url URL [--token TOKEN]

Uploads a local file to PATH on the server (default: its name, in the root folder;
a PATH ending in / is a folder).

${SERVER_HELP}`,
  kernels: `Usage: jupyter-sdk kernels --url URL [--token TOKEN]

Lists the running kernels and the installed kernelspecs of a server.

${SERVER_HELP}`,
};

const SERVER_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** Parses `argv` (without `node` and the script). `env` supplies JUPYTER_URL and JUPYTER_TOKEN. */
export function parseCommandLine(argv: readonly string[], env: Record<string, string | undefined> = {}): Command {
  const [first, ...rest] = argv;
  if (first === undefined) return { command: 'usage', text: HELP.main };
  if (first === '-h' || first === '--help' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic && isCommand(topic)) return { command: 'help', text: HELP[topic] };
    return { command: 'help', text: HELP.main };
  }
  if (first === '-v' || first === '--version') return { command: 'version' };
  if (!isCommand(first)) {
    throw new UsageError(`unknown command ${JSON.stringify(first)} (commands: run, ls, get, put, kernels; see --help)`);
  }
  switch (first) {
    case 'run':
      return parseRun(rest, env);
    case 'ls': {
      const { values, positionals } = parse(rest, SERVER_OPTIONS, 'ls');
      if (values.help) return { command: 'help', text: HELP.ls };
      atMost(positionals, 1, 'ls');
      return { command: 'ls', server: serverTarget(values, env, 'ls'), path: positionals[0] ?? '' };
    }
    case 'get': {
      const { values, positionals } = parse(rest, { ...SERVER_OPTIONS, out: { type: 'string', short: 'o' } }, 'get');
      if (values.help) return { command: 'help', text: HELP.get };
      const path = exactlyOne(positionals, 'get', 'PATH');
      return { command: 'get', server: serverTarget(values, env, 'get'), path, out: values.out };
    }
    case 'put': {
      const { values, positionals } = parse(rest, SERVER_OPTIONS, 'put');
      if (values.help) return { command: 'help', text: HELP.put };
      if (positionals.length < 1) throw new UsageError('put needs a FILE to upload (see jupyter-sdk put --help)');
      atMost(positionals, 2, 'put');
      return { command: 'put', server: serverTarget(values, env, 'put'), file: positionals[0]!, path: positionals[1] };
    }
    case 'kernels': {
      const { values, positionals } = parse(rest, SERVER_OPTIONS, 'kernels');
      if (values.help) return { command: 'help', text: HELP.kernels };
      atMost(positionals, 0, 'kernels');
      return { command: 'kernels', server: serverTarget(values, env, 'kernels') };
    }
  }
}

const PARAMETER_FLAGS: Record<string, 'typed' | 'raw' | 'file'> = {
  '-p': 'typed',
  '--parameter': 'typed',
  '--parameters': 'typed',
  '-r': 'raw',
  '--raw-parameter': 'raw',
  '--parameters-raw': 'raw',
  '-f': 'file',
  '--parameters-file': 'file',
};

/**
 * Takes `-p NAME VALUE`, `-r NAME VALUE` and `-f FILE` out of `args` (parseArgs has no options with
 * two values). The words after a flag are taken as they are, so `-p x -5` sets x to -5.
 */
export function extractParameters(args: readonly string[]): { rest: string[]; parameters: ParameterSource[] } {
  const rest: string[] = [];
  const parameters: ParameterSource[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const kind = PARAMETER_FLAGS[flag];
    if (!kind) {
      rest.push(arg);
      continue;
    }
    if (kind === 'file') {
      const file = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (file === undefined || file === '') throw new UsageError(`${flag} needs a FILE (see jupyter-sdk run --help)`);
      parameters.push({ kind, file });
      continue;
    }
    if (eq > 0) throw new UsageError(`${flag} takes two words, NAME VALUE (see jupyter-sdk run --help)`);
    const name = args[i + 1];
    const value = args[i + 2];
    if (name === undefined || value === undefined) throw new UsageError(`${flag} needs NAME VALUE (see jupyter-sdk run --help)`);
    if (name === '') throw new UsageError(`${flag} needs a parameter NAME`);
    parameters.push({ kind, name, value });
    i += 2;
  }
  return { rest, parameters };
}

function parseRun(argv: readonly string[], env: Record<string, string | undefined>): Command {
  const { rest: args, parameters } = extractParameters(argv);
  const { values, positionals } = parse(
    args,
    {
      ...SERVER_OPTIONS,
      kernel: { type: 'string', short: 'k' },
      out: { type: 'string', short: 'o' },
      'out-dir': { type: 'string' },
      inplace: { type: 'boolean' },
      jobs: { type: 'string', short: 'j' },
      timeout: { type: 'string', short: 't' },
      'allow-errors': { type: 'boolean' },
      remote: { type: 'boolean' },
      'no-skip-tagged': { type: 'boolean' },
      progress: { type: 'string' },
      hub: { type: 'string' },
      'hub-token': { type: 'string' },
      'hub-servers': { type: 'string' },
      'hub-user': { type: 'string' },
      'hub-timeout': { type: 'string' },
      'hub-options': { type: 'string' },
    },
    'run',
  );
  if (values.help) return { command: 'help', text: HELP.run };
  if (positionals.length === 0) throw new UsageError('run needs at least one NOTEBOOK (see jupyter-sdk run --help)');
  const outDir = values['out-dir'];
  const outputs = [values.out !== undefined && '--out', outDir !== undefined && '--out-dir', values.inplace && '--inplace'].filter(Boolean);
  if (outputs.length > 1) throw new UsageError(`${outputs.join(' and ')} cannot be used together`);
  if (values.out !== undefined && positionals.length > 1) {
    throw new UsageError('--out takes one notebook; with several, use --out-dir DIR (or each is written beside its input)');
  }
  if (values.out === '') throw new UsageError('--out needs a file name');
  if (outDir === '') throw new UsageError('--out-dir needs a folder');
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    jobs = Number(values.jobs);
    if (!/^\s*\d+\s*$/.test(values.jobs) || !Number.isSafeInteger(jobs) || jobs < 1) {
      throw new UsageError(`--jobs takes a whole number of at least 1, got ${JSON.stringify(values.jobs)}`);
    }
  }
  const timeout = secondsOption(values.timeout, '--timeout');
  const progress = values.progress;
  if (progress !== undefined && progress !== 'bar' && progress !== 'lines' && progress !== 'none') {
    throw new UsageError(`--progress takes bar, lines or none, got ${JSON.stringify(progress)}`);
  }
  if (values.hub !== undefined && values.url !== undefined) {
    throw new UsageError('--hub and --url cannot be used together: the notebooks run either on hub servers or on one server');
  }
  const hub = hubTarget(values, env);
  if (values.token !== undefined && values.url === undefined) throw new UsageError('--token needs --url');
  const server = values.url === undefined ? undefined : serverTarget(values, env, 'run');
  if (values.remote && !server) throw new UsageError('--remote needs --url: the notebooks are paths on that server');
  if (values.kernel === '') throw new UsageError('--kernel needs a kernelspec name');
  return {
    command: 'run',
    notebooks: positionals,
    server,
    hub,
    kernel: values.kernel,
    out: values.out,
    outDir,
    inplace: values.inplace ?? false,
    jobs,
    parameters,
    timeout,
    allowErrors: values['allow-errors'] ?? false,
    remote: values.remote ?? false,
    skipTagged: !values['no-skip-tagged'],
    progress,
  };
}

/** Milliseconds from an option given in seconds (positive), or undefined when not given. */
function secondsOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!value.trim() || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`${flag} takes a positive number of seconds, got ${JSON.stringify(value)}`);
  }
  return Math.max(1, Math.round(seconds * 1000));
}

type HubValues = {
  hub?: string | undefined;
  'hub-token'?: string | undefined;
  'hub-servers'?: string | undefined;
  'hub-user'?: string | undefined;
  'hub-timeout'?: string | undefined;
  'hub-options'?: string | undefined;
  token?: string | undefined;
  remote?: boolean | undefined;
};

function hubTarget(values: HubValues, env: Record<string, string | undefined>): HubTarget | undefined {
  const url = values.hub;
  if (url === undefined) {
    const stray = (['hub-token', 'hub-servers', 'hub-user', 'hub-timeout', 'hub-options'] as const).find((k) => values[k] !== undefined);
    if (stray) throw new UsageError(`--${stray} needs --hub URL`);
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--hub is not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`--hub must be an http or https URL, got ${parsed.protocol.replace(/:$/, '')}`);
  }
  if (values.remote) throw new UsageError('--remote needs --url: with --hub the notebooks are local files');
  if (values.token !== undefined) throw new UsageError('--token is for --url; the hub takes --hub-token (or JUPYTERHUB_API_TOKEN)');
  const token = values['hub-token'] || env.JUPYTERHUB_API_TOKEN;
  if (!token) throw new UsageError('--hub needs an API token: pass --hub-token TOKEN or set JUPYTERHUB_API_TOKEN');
  let servers = 1;
  const count = values['hub-servers'];
  if (count !== undefined) {
    servers = Number(count);
    if (!/^\s*\d+\s*$/.test(count) || !Number.isSafeInteger(servers) || servers < 1) {
      throw new UsageError(`--hub-servers takes a whole number of at least 1, got ${JSON.stringify(count)}`);
    }
  }
  const user = values['hub-user'];
  if (user !== undefined && (!user.trim() || user.includes('/'))) throw new UsageError(`--hub-user needs a user name, got ${JSON.stringify(user)}`);
  let options: Record<string, unknown> | undefined;
  const json = values['hub-options'];
  if (json !== undefined) {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      throw new UsageError(`--hub-options takes a JSON object, got ${JSON.stringify(json)}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`--hub-options takes a JSON object, got ${JSON.stringify(json)}`);
    options = value as Record<string, unknown>;
  }
  return { url: url.replace(/\/+$/, ''), token, servers, user, timeout: secondsOption(values['hub-timeout'], '--hub-timeout'), options };
}

type CommandName = keyof typeof HELP & string;

function isCommand(name: string): name is Exclude<CommandName, 'main'> {
  return name !== 'main' && Object.hasOwn(HELP, name);
}

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], options: O, command: string) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs' messages are clear but long; keep the first sentence and point at the help.
    const message = (error as Error).message.split('. ')[0]!.replace(/\.$/, '');
    throw new UsageError(`${message} (see jupyter-sdk ${command} --help)`);
  }
}

function serverTarget(
  values: { url?: string | undefined; token?: string | undefined },
  env: Record<string, string | undefined>,
  command: string,
): ServerTarget {
  const url = values.url ?? env.JUPYTER_URL;
  if (!url) throw new UsageError(`${command} needs a server: pass --url URL or set JUPYTER_URL`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url is not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`--url must be an http or https URL, got ${parsed.protocol.replace(/:$/, '')}`);
  }
  const token = values.token ?? env.JUPYTER_TOKEN;
  return { url, token: token || undefined };
}

function atMost(positionals: string[], n: number, command: string): void {
  if (positionals.length > n) {
    throw new UsageError(`${command}: unexpected argument ${JSON.stringify(positionals[n])} (see jupyter-sdk ${command} --help)`);
  }
}

function exactlyOne(positionals: string[], command: string, what: string): string {
  if (positionals.length === 0) throw new UsageError(`${command} needs a ${what} (see jupyter-sdk ${command} --help)`);
  atMost(positionals, 1, command);
  return positionals[0]!;
}
