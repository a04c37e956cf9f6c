#!/usr/bin/env node
/**
 * npm run demo: runs examples/notebooks/hello.ipynb with the jupyter-sdk command line.
 * Installs what is missing (Jupyter via apt when root on Debian, npm packages), builds dist/ when
 * it is older than the sources, runs the notebook, and prints where the result was written.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const notebook = join('examples', 'notebooks', 'hello.ipynb');
const out = join('.tmp', 'demo', 'hello.out.ipynb');
const APT_PACKAGES = ['python3-jupyter-server', 'python3-ipykernel', 'python3-terminado'];

const step = (text) => console.log(`\n== ${text}`);
const run = (cmd, args, options = {}) => {
  const result = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
};

// The same check as the CLI's (src/server/local-server.ts): JUPYTER_SDK_PYTHON alone when it is
// set, else /usr/bin/python3, python3, python; each needs jupyter_server and ipykernel.
const MODULES = ['jupyter_server', 'ipykernel'];
const chosen = process.env.JUPYTER_SDK_PYTHON || undefined;
const PROBE = `import importlib.util as u; print(" ".join(m for m in ${JSON.stringify(MODULES).replace(/"/g, "'")} if u.find_spec(m) is None))`;

/** What `python` lacks ('not found', or the modules missing), or '' when it has everything. */
function lacks(python) {
  try {
    const missing = execFileSync(python, ['-c', PROBE], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return missing ? `no ${missing.split(' ').join(', no ')}` : '';
  } catch {
    return 'not found';
  }
}

function findJupyter() {
  const tried = [];
  for (const python of chosen ? [chosen] : ['/usr/bin/python3', 'python3', 'python']) {
    const problem = lacks(python);
    if (!problem) return { python, tried };
    tried.push(`${python}: ${problem}`);
  }
  return { python: undefined, tried };
}

step('Jupyter Server');
let { python, tried } = findJupyter();
if (python) {
  console.log(`found: ${python} has jupyter_server and ipykernel${chosen ? ' (JUPYTER_SDK_PYTHON)' : ''}`);
} else if (chosen) {
  // apt-get would install for /usr/bin/python3, not for the interpreter that was asked for.
  console.error(
    [
      `JUPYTER_SDK_PYTHON=${tried.join('; ')}.`,
      `Install the packages into it (${chosen} -m pip install jupyter_server ipykernel), or unset JUPYTER_SDK_PYTHON, then run npm run demo again.`,
    ].join('\n'),
  );
  process.exit(1);
} else {
  console.log(`not found (${tried.join('; ')})`);
  const isRoot = process.getuid?.() === 0;
  const isDebian = existsSync('/etc/debian_version');
  if (isRoot && isDebian) {
    console.log(`installing ${APT_PACKAGES.join(' ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (run('apt-get', ['update', '-q'], { env }) !== 0 || run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...APT_PACKAGES], { env }) !== 0) {
      console.error('apt-get failed; install the packages above by hand and run npm run demo again');
      process.exit(1);
    }
    ({ python, tried } = findJupyter());
  }
  if (!python) {
    console.error(
      [
        'Jupyter Server is not installed. Install it, then run npm run demo again:',
        `  Debian/Ubuntu: sudo apt-get install --no-install-recommends ${APT_PACKAGES.join(' ')}`,
        '  elsewhere:     python3 -m pip install jupyter_server ipykernel',
        'or point JUPYTER_SDK_PYTHON at a Python that has them.',
      ].join('\n'),
    );
    process.exit(1);
  }
}

step('npm packages');
if (!existsSync(join(repo, 'node_modules', 'tsup'))) {
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) process.exit(1);
} else {
  console.log('installed');
}

step('build');
const newest = (path) => {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
};
const cli = join(repo, 'dist', 'cli.js');
const sourcesChanged = Math.max(newest(join(repo, 'src')), newest(join(repo, 'tsup.config.ts')), newest(join(repo, 'package.json')));
if (!existsSync(cli) || statSync(cli).mtimeMs < sourcesChanged) {
  if (run('npm', ['run', 'build', '--silent']) !== 0) process.exit(1);
} else {
  console.log('dist/ is up to date');
}

step(`JUPYTER_SDK_PYTHON=${python} node dist/cli.js run ${notebook} --out ${out}`);
mkdirSync(join(repo, dirname(out)), { recursive: true });
// The interpreter found above is the one the CLI starts its local server with.
const status = run(process.execPath, [cli, 'run', notebook, '--out', out], { env: { ...process.env, JUPYTER_SDK_PYTHON: python } });
if (status !== 0) process.exit(status);

// A short look at what came back.
const nb = JSON.parse(readFileSync(join(repo, out), 'utf8'));
step('outputs');
for (const [i, cell] of nb.cells.entries()) {
  if (cell.cell_type !== 'code') continue;
  const kinds = cell.outputs.map((o) =>
    o.output_type === 'stream' ? `${o.name}: ${[o.text].flat().join('').trim().split('\n')[0]}` : `${o.output_type} [${Object.keys(o.data ?? {}).join(', ') || o.ename}]`,
  );
  console.log(`  cells[${i}] [${cell.execution_count}]: ${kinds.join(' | ') || '(no output)'}`);
}
console.log(`\nThe executed notebook was written to ${join(repo, out)}`);
console.log(`(relative: ${relative(process.cwd(), join(repo, out)) || out}; open it in JupyterLab or VS Code)`);
