#!/usr/bin/env node
/**
 * Installs what running jupyter-sdk's demo or tests needs and a fresh machine lacks: Debian's
 * Jupyter packages (with apt-get when root on Debian; otherwise it says how), Debian's JupyterHub
 * for the tests, and the npm packages.
 * Used by `npm run demo` and, as `pretest`, by `npm test`; a no-op once all is there.
 *   node scripts/setup.mjs [--tests]    (--tests: also terminado and nbclient, which tests use)
 * Exits 1 with instructions when something is missing and cannot be installed here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Python modules and the Debian packages that bring them. */
const RUNTIME = { jupyter_server: 'python3-jupyter-server', ipykernel: 'python3-ipykernel' };
const FOR_TESTS = { terminado: 'python3-terminado', nbclient: 'python3-nbclient' };

const run = (cmd, args, options = {}) => {
  const result = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit', ...options });
  return result.error ? 1 : (result.status ?? 1);
};

/** What `python` lacks of `modules` ('not found' when it does not run), or [] when it has them all. */
function lacks(python, modules) {
  const probe = `import importlib.util as u; print(" ".join(m for m in ${JSON.stringify(modules).replace(/"/g, "'")} if u.find_spec(m) is None))`;
  try {
    const out = execFileSync(python, ['-c', probe], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return out ? out.split(' ') : [];
  } catch {
    return ['(not found)'];
  }
}

/**
 * Finds a Python with `modules`, the same way the CLI does: JUPYTER_SDK_PYTHON alone when set,
 * else /usr/bin/python3, python3, python.
 * @returns the interpreter, or undefined, and what each one tried lacked
 */
export function findPython(modules = Object.keys(RUNTIME)) {
  const chosen = process.env.JUPYTER_SDK_PYTHON || undefined;
  const tried = [];
  for (const python of chosen ? [chosen] : ['/usr/bin/python3', 'python3', 'python']) {
    const missing = lacks(python, modules);
    if (missing.length === 0) return { python, tried, chosen };
    tried.push(missing[0] === '(not found)' ? `${python}: not found` : `${python}: no ${missing.join(', no ')}`);
  }
  return { python: undefined, tried, chosen };
}

/**
 * Makes sure Jupyter and the npm packages are there, installing them where it can.
 * @returns the Python interpreter to use
 */
export function setup({ forTests = false, quiet = false } = {}) {
  const say = (text) => quiet || console.log(text);
  const wanted = { ...RUNTIME, ...(forTests ? FOR_TESTS : {}) };
  let found = findPython(Object.keys(wanted));
  if (!found.python && !found.chosen && process.getuid?.() === 0 && existsSync('/etc/debian_version')) {
    const packages = [...new Set(Object.values(wanted))];
    say(`Jupyter: not found (${found.tried.join('; ')}); installing ${packages.join(' ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (run('apt-get', ['update', '-q'], { env }) === 0) run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { env });
    found = findPython(Object.keys(wanted));
  }
  if (!found.python) {
    const packages = [...new Set(Object.values(wanted))].join(' ');
    console.error(
      [
        `Jupyter is not installed (${found.tried.join('; ')}). Install it, then run this again:`,
        `  Debian/Ubuntu: sudo apt-get install --no-install-recommends ${packages}`,
        `  elsewhere:     python3 -m pip install ${Object.keys(wanted).join(' ').replace('jupyter_server', 'jupyter-server')}`,
        found.chosen ? `  or unset JUPYTER_SDK_PYTHON (now ${found.chosen}), or install them into it.` : '  or point JUPYTER_SDK_PYTHON at a Python that has them.',
      ].join('\n'),
    );
    process.exit(1);
  }
  say(`Jupyter: ${found.python} has ${Object.keys(wanted).join(', ')}`);
  if (forTests) {
    setupHub(say);
    setupChromium(say);
    venvSupport(say);
  }
  if (!existsSync(join(repo, 'node_modules', '.package-lock.json'))) {
    say('npm packages: installing (npm ci)');
    if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) process.exit(1);
  }
  return found.python;
}

/**
 * The hub tests run Debian's JupyterHub 3.0 (/usr/bin/jupyterhub, which brings
 * configurable-http-proxy): installed with apt-get when root on Debian, else the command is printed.
 */
function setupHub(say) {
  const HUB = ['/usr/bin/jupyterhub', '/usr/bin/configurable-http-proxy'];
  if (HUB.every((f) => existsSync(f))) return say('JupyterHub: /usr/bin/jupyterhub');
  if (process.getuid?.() === 0 && existsSync('/etc/debian_version')) {
    say('JupyterHub: not found; installing jupyterhub with apt-get');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (run('apt-get', ['update', '-q'], { env }) === 0) run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'jupyterhub'], { env });
    if (HUB.every((f) => existsSync(f))) return;
  }
  console.error('JupyterHub is not installed; the hub tests need Debian\'s: sudo apt-get install --no-install-recommends jupyterhub');
  process.exit(1);
}

/** Debian's Chromium, which the browser tests drive (CHROMIUM_PATH points elsewhere). */
function setupChromium(say) {
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(chromium) && !process.env.CHROMIUM_PATH && process.getuid?.() === 0 && existsSync('/etc/debian_version')) {
    say('Chromium: not found; installing chromium with apt-get');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (run('apt-get', ['update', '-q'], { env }) === 0) run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'], { env });
  }
  if (!existsSync(chromium)) {
    console.error(
      [
        `Chromium is not installed (${chromium}); the browser tests need it. Install it, then run this again:`,
        '  Debian/Ubuntu: sudo apt-get install --no-install-recommends chromium',
        '  or point CHROMIUM_PATH at a Chromium or Chrome binary.',
      ].join('\n'),
    );
    process.exit(1);
  }
  say(`Chromium: ${chromium}`);
}

/**
 * The Jupyter Server 2.x tests make a venv with `python3 -m venv`, which Debian splits off into
 * python3-venv: installed with apt-get when root on Debian, else named.
 */
function venvSupport(say) {
  const has = () => spawnSync('python3', ['-c', 'import ensurepip, venv'], { stdio: 'ignore' }).status === 0;
  if (has()) return;
  if (process.getuid?.() === 0 && existsSync('/etc/debian_version')) {
    say('python3 -m venv: not available; installing python3-venv with apt-get');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (run('apt-get', ['update', '-q'], { env }) === 0) run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'python3-venv'], { env });
    if (has()) return;
  }
  console.error('python3 -m venv is not available: the Jupyter Server 2.x tests will fail (Debian/Ubuntu: sudo apt-get install python3-venv)');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  setup({ forTests: process.argv.includes('--tests') });
}
