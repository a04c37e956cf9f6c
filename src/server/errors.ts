/** Why a local Jupyter Server could not start, and how to read its output for the reason. */
import { JupyterSDKError } from '../core/errors.js';

/** What one interpreter lacks, as found by {@link JupyterServerNotFoundError}. */
export interface PythonProbe {
  /** The interpreter tried. */
  python: string;
  /** `not-found`: it does not exist or does not run; otherwise the modules it lacks. */
  problem: 'not-found' | 'missing-modules';
  /** Modules it cannot import (`jupyter_server`, `ipykernel`); empty when `not-found`. */
  missing: string[];
}

/** Thrown when no Python interpreter on this machine has both `jupyter_server` and `ipykernel`. */
export class JupyterServerNotFoundError extends JupyterSDKError {
  override name = 'JupyterServerNotFoundError';
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
export class JupyterServerStartError extends JupyterSDKError {
  override name = 'JupyterServerStartError';
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

/** The port picked for the server was taken before the server could bind it. */
export class PortInUseError extends JupyterSDKError {
  override name = 'PortInUseError';
  constructor(port: number, output: string) {
    super(`Port ${port} on 127.0.0.1 is already in use. Last server output:\n${output}`);
  }
}
