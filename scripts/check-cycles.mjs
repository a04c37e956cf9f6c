#!/usr/bin/env node
// Fails when src/ has an import cycle: among files (a module that, through its imports, imports
// itself) or among folders (src/jupyter -> src/kernel -> src/jupyter). Every import counts,
// `import type` and `import()` included: a cycle of types is still a cycle a reader must hold in
// mind, and dependency arrows that point one way keep folders separable.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// `node scripts/check-cycles.mjs [dir]`: src/ of this repository unless another folder is given.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = process.argv[2] ? resolve(process.argv[2]) : join(root, 'src');

// Cycles whose removal is under way elsewhere; each entry must still exist, so the list cannot go stale.
const KNOWN = new Set([]);

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.ts$/.test(name) ? [path] : [];
  });
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s*(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

const graph = new Map();
for (const file of files(src)) {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const deps = new Set();
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    deps.add(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  graph.set(file, deps);
}

/** Strongly connected components with more than one node (Tarjan). */
function cycles(g) {
  let index = 0;
  const stack = [], on = new Set(), idx = new Map(), low = new Map(), out = [];
  const visit = (v) => {
    idx.set(v, index); low.set(v, index++); stack.push(v); on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do { w = stack.pop(); on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

const folderOf = (file) => relative(src, dirname(file)) || '.';
const folders = new Map();
for (const [file, deps] of graph) {
  const from = folderOf(file);
  if (!folders.has(from)) folders.set(from, new Set());
  for (const dep of deps) if (folderOf(dep) !== from) folders.get(from).add(folderOf(dep));
}

const found = [
  ...cycles(graph).map((c) => `files: ${c.map((f) => join(relative(root, src), relative(src, f))).join(' -> ')}`),
  ...cycles(folders).map((c) => `folders: ${c.map((f) => join(relative(root, src), f)).join(' -> ')}`),
];
const unexpected = found.filter((c) => !KNOWN.has(c));
const stale = [...KNOWN].filter((c) => !found.includes(c));
for (const c of found) console.log(`${KNOWN.has(c) ? 'known cycle' : 'CYCLE'}  ${c}`);
for (const c of stale) console.log(`STALE  ${c} is gone: remove it from KNOWN in scripts/check-cycles.mjs`);
console.log(`${graph.size} files, ${folders.size} folders: ${found.length} cycle(s), ${unexpected.length} unexpected`);
process.exit(unexpected.length || stale.length ? 1 : 0);
