import { defineConfig } from 'tsup';
import { fileURLToPath } from 'node:url';

// Browser build of the main entry (package.json `exports["."].browser`): the same code with the
// Node socket default (lazy `ws`) swapped for the global WebSocket, so `ws` never enters a browser bundle.
const browserSocket = {
  name: 'browser-socket',
  setup(build: { onResolve(o: { filter: RegExp }, f: () => { path: string }): void }) {
    const path = fileURLToPath(new URL('./src/kernel/socket-browser.ts', import.meta.url));
    build.onResolve({ filter: /\/socket-default\.js$/ }, () => ({ path }));
  },
};

export default defineConfig([{
  entry: {
    index: 'src/index.ts',
    mlw: 'src/mlw/index.ts',
    wnology: 'src/wnology/index.ts',
    server: 'src/server/index.ts',
    raw: 'src/raw/index.ts',
    // `jupyter-sdk` command (package bin); src/cli/index.ts starts with the #!/usr/bin/env node line.
    cli: 'src/cli/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  // Both builds write under dist/ at once: `npm run build` empties it first instead.
  clean: false,
  target: 'node20',
  splitting: true,
  treeshake: true,
  external: ['ws'],
}, {
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: false,
  platform: 'browser',
  target: 'es2022',
  // The kernel and terminal channels stay chunks of their own, loaded by connect(): an app's
  // bundler then splits them off, and a REST-only page never downloads them.
  splitting: true,
  outDir: 'dist/browser',
  treeshake: true,
  esbuildPlugins: [browserSocket],
}]);
