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
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One shared server and kernels on 2 cores: files run one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
