import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
const root = process.cwd();
const code = `import { JupyterClient } from 'jupyter-sdk';
const jupyter = new JupyterClient({ baseUrl: location.origin, token: 't' });
const { id } = await jupyter.kernels.start({ name: 'python3' });
const kernel = await jupyter.kernels.connect(id);
console.log(await kernel.run('1+1'));
console.log(await jupyter.contents.list(''));
console.log(await jupyter.sessions.list());`;
const opts = (plugins = []) => ({ stdin: { contents: code, resolveDir: root, loader: 'js' }, bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, metafile: true,
  conditions: ['browser'], alias: { 'jupyter-sdk': root + '/dist/browser/index.js' }, logLevel: 'silent', plugins });
const base = await build(opts());
const gz = (r) => gzipSync(r.outputFiles[0].text, { level: 9 }).length;
const total = gz(base);
console.log('total gzip', total, 'min', base.outputFiles[0].text.length);
const out = Object.values(base.metafile.outputs)[0];
const rows = [];
for (const [file, info] of Object.entries(out.inputs)) {
  if (file === '<stdin>') continue;
  const exportsOf = base.metafile.inputs[file];
  // stub: re-read the real file's export names by a metafile-only build
  const m = await build({ entryPoints: [file], bundle: false, write: false, metafile: true, format: 'esm', logLevel: 'silent' });
  const names = Object.values(m.metafile.outputs)[0].exports;
  const stub = names.map((n) => n === 'default' ? 'export default {};' : `export const ${n} = {};`).join('\n');
  const abs = root + '/' + file;
  const r = await build(opts([{ name: 'stub', setup(b) { b.onLoad({ filter: /.*/ }, (a) => a.path === abs ? { contents: stub, loader: 'js' } : undefined); } }]));
  rows.push([total - gz(r), info.bytesInOutput, file]);
}
rows.sort((a, b) => b[0] - a[0]);
for (const [g, m, f] of rows) console.log(String(g).padStart(6), String(m).padStart(6), f);
