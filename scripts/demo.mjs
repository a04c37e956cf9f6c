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

function hasJupyter() {
  for (const python of ['/usr/bin/python3', 'python3', 'python']) {
    try {
      execFileSync(python, ['-c', 'import jupyter_server, ipykernel'], { stdio: 'ignore' });
      return python;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

step('Jupyter Server');
let python = hasJupyter();
if (python) {
  console.log(`found: ${python} can import jupyter_server and ipykernel`);
} else {
  const isRoot = process.getuid?.() === 0;
  const isDebian = existsSync('/etc/debian_version');
  if (isRoot && isDebian) {
    console.log(`installing ${APT_PACKAGES.join(' ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (run('apt-get', ['update', '-q'], { env }) !== 0 || run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...APT_PACKAGES], { env }) !== 0) {
      console.error('apt-get failed; install the packages above by hand and run npm run demo again');
      process.exit(1);
    }
    python = hasJupyter();
  }
  if (!python) {
    console.error(
      [
        'Jupyter Server is not installed. Install it, then run npm run demo again:',
        `  Debian/Ubuntu: sudo apt-get install --no-install-recommends ${APT_PACKAGES.join(' ')}`,
        '  elsewhere:     python3 -m pip install jupyter_server ipykernel',
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

step(`node dist/cli.js run ${notebook} --out ${out}`);
mkdirSync(join(repo, dirname(out)), { recursive: true });
const status = run(process.execPath, [cli, 'run', notebook, '--out', out]);
if (status !== 0) process.exit(status);

// A short look at what came back.
const nb = JSON.parse(readFileSync(join(repo, out), 'utf8'));
step('outputs');
for (const [i, cell] of nb.cells.entries()) {
  if (cell.cell_type !== 'code') continue;
  const kinds = cell.outputs.map((o) =>
    o.output_type === 'stream' ? `${o.name}: ${[o.text].flat().join('').trim().split('\n')[0]}` : `${o.output_type} [${Object.keys(o.data ?? {}).join(', ') || o.ename}]`,
  );
  console.log(`  [${cell.execution_count}] cell ${i + 1}: ${kinds.join(' | ') || '(no output)'}`);
}
console.log(`\nThe executed notebook was written to ${join(repo, out)}`);
console.log(`(relative: ${relative(process.cwd(), join(repo, out)) || out}; open it in JupyterLab or VS Code)`);
