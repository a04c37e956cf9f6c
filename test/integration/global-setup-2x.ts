/**
 * The `integration-2x` project's server: a current Jupyter Server 2.x from a venv made with
 * `python3 -m venv` and `pip install jupyter_server ipykernel` (see python-2x.ts).
 */
import type { TestProject } from 'vitest/node';
import { ensureJupyter2x } from './python-2x.js';
import { startSharedServer } from './shared-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const python = await ensureJupyter2x((line) => console.log(`[integration-2x] ${line}`));
  return startSharedServer(project, python);
}
