/**
 * Starts the one real Jupyter Server an integration project shares and hands its address, its
 * version and its interpreter to the tests (`inject('jupyter')`). JUPYTER_SDK_SERVER_LOG=1 shows
 * the server's log.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { startJupyterServer } from 'jupyter-sdk/server';

export async function startSharedServer(project: TestProject, python: string): Promise<() => Promise<void>> {
  const server = await startJupyterServer({
    // Kernel round trips take ~8 ms instead of ~45 ms, which keeps the suite fast.
    nodelay: true,
    python,
    log: process.env.JUPYTER_SDK_SERVER_LOG ? (line) => console.error(`[jupyter ${project.name}] ${line}`) : undefined,
  });
  try {
    // Tests may count on a clean root; a leftover would make them depend on each other.
    const leftovers = await readdir(server.rootDir);
    if (leftovers.length > 0) throw new Error(`The server root ${server.rootDir} is not empty: ${leftovers.join(', ')}`);
    // What the interpreter has installed, independently of what the server says over HTTP.
    const { stdout } = await promisify(execFile)(python, ['-c', 'import jupyter_server; print(jupyter_server.__version__)']);
    const version = stdout.trim();
    project.provide('jupyter', {
      url: server.url,
      token: server.token,
      rootDir: server.rootDir,
      python,
      version,
      major: Number(version.split('.')[0]),
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return () => server.stop();
}
