/**
 * `jupyter-sdk/server`: start a local Jupyter Server for tests, benchmarks and scripts (Node only).
 */
export {
  startJupyterServer,
  findJupyterPython,
  JupyterServerNotFoundError,
  type LocalJupyterServer,
  type LocalJupyterServerOptions,
} from './local-server.js';
