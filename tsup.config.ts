import { defineConfig } from 'tsup';
import { fileURLToPath } from 'node:url';
import { copyFile, readFile, writeFile } from 'node:fs/promises';

// Browser build of the main entry (package.json `exports["."].browser`): the same modules, one
// file each and not bundled, so an app's bundler tree-shakes and splits them module by module (a
// REST-only page keeps the socket code out of its first chunk). The Node socket default (lazy `ws`)
// is then overwritten with the global-WebSocket one, so `ws` never enters a browser bundle.
const browserTree = ['src/index.ts', ...['core', 'jupyter', 'kernel', 'terminal', 'runner'].map((d) => `src/${d}/**/*.ts`)];
async function useBrowserSocket(): Promise<void> {
  const dir = fileURLToPath(new URL('./dist/browser/kernel/', import.meta.url));
  const code = await readFile(`${dir}socket-browser.js`, 'utf8');
  await writeFile(`${dir}socket-default.js`, code.replace('socket-browser.js.map', 'socket-default.js.map'));
  await copyFile(`${dir}socket-browser.js.map`, `${dir}socket-default.js.map`);
}

export default defineConfig([{
  entry: {
    index: 'src/index.ts',
    mlw: 'src/mlw/index.ts',
    wnology: 'src/wnology/index.ts',
    server: 'src/server/index.ts',
    raw: 'src/raw/index.ts',
    hub: 'src/hub/index.ts',
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
  entry: browserTree,
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: false,
  platform: 'browser',
  target: 'es2022',
  bundle: false,
  outDir: 'dist/browser',
  onSuccess: useBrowserSocket,
}]);
