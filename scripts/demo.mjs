#!/usr/bin/env node
/**
 * npm run demo: runs examples/notebooks/hello.ipynb with the jupyter-sdk command line.
 * Installs what is missing (Jupyter via apt when root on Debian, npm packages), builds dist/ when
 * it is older than the sources, runs the notebook, and prints where the result was written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setup } from './setup.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const notebook = join('examples', 'notebooks', 'hello.ipynb');
const out = join('.tmp', 'demo', 'hello.out.ipynb');

const step = (text) => console.log(`\n== ${text}`);
const run = (cmd, args, options = {}) => {
  const result = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
};

step('Jupyter Server and npm packages');
// Installs what is missing; the interpreter it finds is the one the CLI starts its server with.
const python = setup();

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
