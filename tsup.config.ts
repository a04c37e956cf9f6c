import { defineConfig } from 'tsup';
import { readdirSync } from 'node:fs';
import { BROWSER_VARIANTS } from './scripts/browser-variants.mjs';

// Browser build of the main entry and of `jupyter-sdk/hub` (the `browser` conditions of
// package.json's exports): the same modules, one file each and not bundled, so an app's bundler
// tree-shakes and splits them module by module (a REST-only page keeps the socket code out of its
// first chunk), and a page using both entries shares one copy of the core. Where the platforms
// differ, a module is built from a browser source of its own (scripts/browser-variants.mjs): the
// default WebSocket is the global one instead of the Node default (lazy `ws`), so `ws` never
// enters a browser bundle, and there is no cookie jar, since the browser keeps cookies itself.
const variantSources = new Set(Object.values(BROWSER_VARIANTS));
const browserFiles = [
  'src/index.ts',
  ...['core', 'jupyter', 'kernel', 'terminal', 'runner', 'hub'].flatMap((d) =>
    readdirSync(`src/${d}`, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => `src/${d}/${f}`),
  ),
];
const browserEntries: Record<string, string> = Object.fromEntries(
  browserFiles.filter((file) => !variantSources.has(file)).map((file) => [file.replace(/^src\//, '').replace(/\.ts$/, ''), file]),
);
Object.assign(browserEntries, BROWSER_VARIANTS);

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
  entry: browserEntries,
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: false,
  platform: 'browser',
  target: 'es2022',
  bundle: false,
  outDir: 'dist/browser',
}]);
