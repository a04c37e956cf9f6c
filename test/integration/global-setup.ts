/**
 * The `integration` project's server: Debian's Jupyter Server 1.23 (`/usr/bin/python3`), or the
 * interpreter named by JUPYTER_SDK_PYTHON.
 */
import type { TestProject } from 'vitest/node';
import { startSharedServer } from './shared-server.js';

export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return startSharedServer(project, process.env.JUPYTER_SDK_PYTHON || '/usr/bin/python3');
}
