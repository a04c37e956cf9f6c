/** Finding a Python interpreter that can run a Jupyter Server with a Python kernel. */
import { execFile } from 'node:child_process';
import { JupyterServerNotFoundError, type PythonProbe } from './errors.js';

/** The modules a local server needs to run notebooks: the server, and the Python kernel. */
export const REQUIRED_MODULES = ['jupyter_server', 'ipykernel'] as const;

const DEFAULT_PYTHONS = ['/usr/bin/python3', 'python3', 'python'];

/**
 * Finds a Python interpreter with `jupyter_server` and `ipykernel`: `preferred` first, then
 * `/usr/bin/python3`, then `python3` and `python` on PATH.
 * @returns the interpreter, or `undefined` when none has both.
 */
export async function findJupyterPython(preferred?: string): Promise<string | undefined> {
  const candidates = [...new Set([preferred, ...DEFAULT_PYTHONS].filter((p): p is string => !!p))];
  for (const python of candidates) {
    if (!(await probePython(python))) return python;
  }
  return undefined;
}

// find_spec, not import: ~15 ms instead of ~150 ms on every CLI run. A broken install still
// shows, as a server that fails to start with its reason.
const PROBE = `import importlib.util as u; print(" ".join(m for m in ${JSON.stringify(REQUIRED_MODULES).replace(/"/g, "'")} if u.find_spec(m) is None))`;

/** What `python` lacks to run a local server for notebooks, or `undefined` when it has everything. */
export function probePython(python: string): Promise<PythonProbe | undefined> {
  return new Promise((done) => {
    execFile(python, ['-c', PROBE], { timeout: 20_000 }, (error, stdout) => {
      if (error) return done({ python, problem: 'not-found', missing: [] });
      const missing = stdout.trim().split(/\s+/).filter(Boolean);
      done(missing.length ? { python, problem: 'missing-modules', missing } : undefined);
    });
  });
}

/** The interpreter to run: `preferred` (used or refused, never swapped), else the first default that has everything. */
export async function resolvePython(preferred: string | undefined): Promise<string> {
  // An interpreter the caller named is used or refused, never silently swapped for another.
  const candidates = preferred !== undefined ? [preferred] : DEFAULT_PYTHONS;
  const probes: PythonProbe[] = [];
  for (const python of candidates) {
    const problem = await probePython(python);
    if (!problem) return python;
    probes.push(problem);
  }
  throw new JupyterServerNotFoundError(probes);
}
