/**
 * Starts one real Jupyter Server for the whole integration project and hands its address to
 * the tests (`inject('jupyter')`). Set JUPYTER_SDK_PYTHON to pick the interpreter, and
 * JUPYTER_SDK_SERVER_LOG=1 to see the server's log.
 */
import { readdir } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { startJupyterServer } from 'jupyter-sdk/server';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startJupyterServer({
    // Kernel round trips take ~8 ms instead of ~45 ms, which keeps the suite fast.
    nodelay: true,
    python: process.env.JUPYTER_SDK_PYTHON || undefined,
    log: process.env.JUPYTER_SDK_SERVER_LOG ? (line) => console.error(`[jupyter] ${line}`) : undefined,
  });
  // Tests may count on a clean root; a leftover would make them depend on each other.
  const leftovers = await readdir(server.rootDir);
  if (leftovers.length > 0) {
    await server.stop();
    throw new Error(`The server root ${server.rootDir} is not empty: ${leftovers.join(', ')}`);
  }
  project.provide('jupyter', { url: server.url, token: server.token, rootDir: server.rootDir });
  return () => server.stop();
}
