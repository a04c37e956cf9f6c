// Shared by the bundle benchmarks: bundles a small app for the browser two ways and weighs it
// minified and gzipped (-9):
//  - esbuild, one file (what a plain `esbuild --bundle --minify` gives);
//  - Rollup (Vite's production bundler) with code splitting, minified by esbuild: "up front" is
//    what the page loads first, "total" adds the chunks behind import() (jupyter-sdk's kernel and
//    terminal channels load when connect() is first called).
// Both resolve packages with the `browser` export condition and honour `sideEffects: false`.
import { build, transform } from 'esbuild';
import { rollup } from 'rollup';
import { gzipSync } from 'node:zlib';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const gz = (text) => gzipSync(text, { level: 9 }).length;

/** The app of the SDK's bundle target: starts a kernel, runs `1+1`, lists a directory and lists sessions. */
export const TARGET_APP = `import { JupyterClient } from 'jupyter-sdk';
    const jupyter = new JupyterClient({ baseUrl: location.origin, token: 't' });
    const { id } = await jupyter.kernels.start({ name: 'python3' });
    const kernel = await jupyter.kernels.connect(id);
    console.log(await kernel.run('1+1'));
    console.log(await jupyter.contents.list(''));
    console.log(await jupyter.sessions.list());`;
/**
 * The same app on the bare-bones route: a `JupyterCore` and only the three resources it uses, so
 * the others (checkpoints, kernelspecs, terminals, config, events, identity) stay out.
 */
export const BARE_APP = `import { JupyterCore, KernelsResource, ContentsResource, SessionsResource } from 'jupyter-sdk';
    const core = new JupyterCore({ baseUrl: location.origin, token: 't' });
    const kernels = new KernelsResource(core);
    const { id } = await kernels.start({ name: 'python3' });
    const kernel = await kernels.connect(id);
    console.log(await kernel.run('1+1'));
    console.log(await new ContentsResource(core).list(''));
    console.log(await new SessionsResource(core).list());`;
const WS = /require\(["']ws["']\)|from ?["']ws["']|import\(["']ws["']\)|Sec-WebSocket-Key|permessage-deflate/;

/**
 * Sizes of `code`, resolved from `root` with `alias` (package name -> file). The Rollup figures
 * are left out (null) for code whose packages Rollup cannot take without its CommonJS and
 * node-resolve plugins (@jupyterlab/services, whose imports have no file extensions).
 */
export async function bundleSize(code, root, alias = {}) {
  const one = await build({
    stdin: { contents: code, resolveDir: root, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false,
    conditions: ['browser'], alias, define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'silent',
  });
  const single = one.outputFiles[0].text;

  // Rollup resolves bare names through this esbuild pass, so both see the same files.
  const dir = await mkdtemp(join(tmpdir(), 'bundle-'));
  try {
    const entry = join(dir, 'entry.js');
    await writeFile(entry, code);
    const resolver = {
      name: 'resolve-like-esbuild',
      async resolveId(source, importer) {
        if (source === entry) return source;
        if (source.startsWith('.') || source.startsWith('/')) return null;
        if (alias[source]) return alias[source];
        const r = await build({ stdin: { contents: `import ${JSON.stringify(source)}`, resolveDir: root }, bundle: true, write: false, metafile: true, platform: 'browser', conditions: ['browser'], logLevel: 'silent', external: [] , plugins: [{ name: 'stop', setup: (b) => b.onLoad({ filter: /.*/ }, () => ({ contents: '' })) }] });
        const inputs = Object.keys(r.metafile.inputs).filter((k) => k !== '<stdin>');
        return inputs.length ? { id: join(root, inputs[0]), moduleSideEffects: false } : null;
      },
    };
    let bundle;
    try {
      bundle = await rollup({ input: entry, plugins: [resolver], treeshake: { moduleSideEffects: false }, onwarn: () => {} });
    } catch {
      return { esbuild: { min: single.length, gzip: gz(single) }, upFront: null, total: null, chunks: null, hasWs: WS.test(single) };
    }
    const { output } = await bundle.generate({ format: 'es' });
    const chunks = await Promise.all(
      output.filter((o) => o.type === 'chunk').map(async (o) => ({ o, min: (await transform(o.code, { minify: true, format: 'esm', target: 'es2022' })).code })),
    );
    const upFrontNames = new Set();
    const visit = (name) => {
      if (upFrontNames.has(name)) return;
      upFrontNames.add(name);
      for (const i of chunks.find((c) => c.o.fileName === name)?.o.imports ?? []) visit(i);
    };
    visit(chunks.find((c) => c.o.isEntry).o.fileName);
    const weigh = (list) => ({ min: list.reduce((s, c) => s + c.min.length, 0), gzip: list.reduce((s, c) => s + gz(c.min), 0) });
    return {
      esbuild: { min: single.length, gzip: gz(single) },
      upFront: weigh(chunks.filter((c) => upFrontNames.has(c.o.fileName))),
      total: weigh(chunks),
      chunks: chunks.length,
      hasWs: WS.test(single) || chunks.some((c) => WS.test(c.min)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
