export { JupyterClient, type JupyterClientOptions, type TokenSource } from './jupyter/client.js';
export type {
  ContentsGetParams,
  ContentsCreateParams,
  UploadOptions,
  UploadData,
  ContentsResource,
} from './jupyter/contents.js';
export type { CheckpointsResource } from './jupyter/checkpoints.js';
export type { KernelsResource } from './jupyter/kernels.js';
export type { KernelSpecsResource } from './jupyter/kernelspecs.js';
export type { SessionsResource } from './jupyter/sessions.js';
export type { TerminalsResource } from './jupyter/terminals.js';
export type { ConfigResource } from './jupyter/config.js';
export type * from './jupyter/models.js';
export type { RequestOptions } from './core/http.js';
export * from './core/errors.js';
export { KernelConnection, type KernelConnectionOptions } from './kernel/connection.js';
export { TerminalConnection, type TerminalConnectionOptions } from './terminal/connection.js';
export type { WebSocketLike } from './kernel/socket.js';
