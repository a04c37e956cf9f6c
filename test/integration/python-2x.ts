/**
 * A Jupyter Server 2.x installed the way its users install it: a virtual environment made with
 * `python3 -m venv` and `pip install jupyter_server ipykernel` (plus nbclient, which the parity
 * test runs as its reference). Kept in `.cache/jupyter-2x/` (git-ignored) and reused while it
 * still imports everything, so only the first run pays for the install (~20 s from a local
 * package store; pip's index settings decide where packages come from).
 *
 * Set JUPYTER_SDK_PYTHON_2X to an interpreter that already has them to skip the venv.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
export const VENV_DIR = join(repo, '.cache', 'jupyter-2x', 'venv');
const PACKAGES = ['jupyter_server', 'ipykernel', 'nbclient'];
const MODULES = ['jupyter_server', 'ipykernel', 'nbclient', 'terminado'];
// Written last: a venv without it is a half-done install, made again from scratch.
const MARKER = join(VENV_DIR, 'jupyter-sdk-installed.json');
const LOCK = `${VENV_DIR}.lock`;

/** The venv's interpreter, creating the venv and installing into it first when needed. */
export async function ensureJupyter2x(log: (line: string) => void = () => {}): Promise<string> {
  const given = process.env.JUPYTER_SDK_PYTHON_2X;
  if (given) return given;
  const python = join(VENV_DIR, 'bin', 'python');
  if (await usable(python)) return python;
  await lock();
  try {
    // Another run may have finished the install while this one waited for the lock.
    if (await usable(python)) return python;
    await rm(VENV_DIR, { recursive: true, force: true });
    log(`creating ${VENV_DIR} (python3 -m venv; pip install ${PACKAGES.join(' ')})`);
    const started = Date.now();
    await step('python3', ['-m', 'venv', VENV_DIR], 'python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)');
    await step(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', ...PACKAGES], `pip install ${PACKAGES.join(' ')} failed`, {
      // Without it pip retries an unreachable index 5 times per package (minutes, not seconds).
      PIP_RETRIES: process.env.PIP_RETRIES ?? '0',
    });
    const versions = await moduleVersions(python);
    await writeFile(MARKER, `${JSON.stringify({ packages: PACKAGES, versions }, null, 2)}\n`);
    log(`installed ${Object.entries(versions).map(([m, v]) => `${m} ${v}`).join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (!(await usable(python))) throw new Error(`${python} still lacks one of ${MODULES.join(', ')} after pip install`);
    return python;
  } finally {
    await rmdir(LOCK).catch(() => undefined);
  }
}

async function usable(python: string): Promise<boolean> {
  if (!existsSync(MARKER)) return false;
  try {
    const marker = JSON.parse(await readFile(MARKER, 'utf8')) as { packages?: string[] };
    if (JSON.stringify(marker.packages) !== JSON.stringify(PACKAGES)) return false;
    await moduleVersions(python);
    return true;
  } catch {
    return false;
  }
}

async function moduleVersions(python: string): Promise<Record<string, string>> {
  const code = `import json, importlib; print(json.dumps({m: getattr(importlib.import_module(m), '__version__', '?') for m in ${JSON.stringify(MODULES)}}))`;
  const { stdout } = await run(python, ['-c', code], { timeout: 60_000 });
  return JSON.parse(stdout) as Record<string, string>;
}

async function step(cmd: string, args: string[], what: string, env: Record<string, string> = {}): Promise<void> {
  try {
    await run(cmd, args, { env: { ...process.env, ...env }, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    const tail = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${what}:\n${tail || e.message}`);
  }
}

/** mkdir is atomic: the one that creates the directory holds the lock; a lock older than 15 min is stale. */
async function lock(): Promise<void> {
  await mkdir(join(repo, '.cache', 'jupyter-2x'), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      await mkdir(LOCK);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > deadline) {
        await rmdir(LOCK).catch(() => undefined);
        continue;
      }
      await new Promise((done) => setTimeout(done, 500));
    }
  }
}
