import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url));
// Tests import the package by its public names, resolved to the sources.
const alias = {
  'jupyter-sdk/mlw': src('mlw/index.ts'),
  'jupyter-sdk/wnology': src('wnology/index.ts'),
  'jupyter-sdk/server': src('server/index.ts'),
  'jupyter-sdk/raw': src('raw/index.ts'),
  'jupyter-sdk/hub': src('hub/index.ts'),
  'jupyter-sdk': src('index.ts'),
};

/** Every file of test/integration/ against the server its global setup starts. */
function integration(name: string, globalSetup: string, groupOrder: number, exclude: string[] = []) {
  return {
    resolve: { alias },
    test: {
      name,
      include: ['test/integration/**/*.test.ts'],
      exclude,
      globalSetup: [globalSetup],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      // One shared server and kernels on 2 cores: files run one after another.
      fileParallelism: false,
      sequence: { groupOrder },
    },
  };
}

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**'],
          environment: 'node',
        },
      },
      // Groups run one after another, lowest first: unit tests, then the integration files against
      // Debian's Jupyter Server 1.23, then the same files against a current 2.x (a pip-installed
      // venv). Two servers' kernels at once on 2 cores would slow both.
      integration('integration', 'test/integration/global-setup.ts', 1),
      // The Chromium tests start servers of their own (Debian's 1.23), and so do the JupyterHub
      // tests (a hub whose user servers are Debian's 1.23): they run once.
      integration('integration-2x', 'test/integration/global-setup-2x.ts', 2, ['test/integration/browser*.test.ts', 'test/integration/hub*.test.ts']),
    ],
  },
});
