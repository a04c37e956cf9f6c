/**
 * `jupyter-sdk/server`: start a local Jupyter Server for tests, benchmarks and scripts (Node only).
 */
export {
  startJupyterServer,
  JupyterServerNotFoundError,
  JupyterServerStartError,
  PortInUseError,
  type PythonProbe,
  type LocalJupyterServer,
  type LocalJupyterServerOptions,
} from './local-server.js';
