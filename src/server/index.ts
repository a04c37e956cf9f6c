/**
 * `jupyter-sdk/server`: start a local Jupyter Server for tests, benchmarks and scripts (Node only).
 */
export {
  startJupyterServer,
  findJupyterPython,
  probePython,
  describeProbes,
  startFailureReason,
  JupyterServerNotFoundError,
  JupyterServerStartError,
  REQUIRED_MODULES,
  type PythonProbe,
  type LocalJupyterServer,
  type LocalJupyterServerOptions,
} from './local-server.js';
