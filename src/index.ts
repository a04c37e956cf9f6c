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
export type { MeParams, Permissions } from './jupyter/identity.js';
export {
  CONTENTS_EVENT,
  KERNEL_ACTION_EVENT,
  GATEWAY_CLIENT_EVENT,
  isEvent,
  type EventsResource,
  type EventSubscription,
  type EventSubscribeOptions,
  type EventSubscriptionEvents,
  type EmitEvent,
  type ServerEvent,
  type EventOf,
  type JupyterServerEvents,
  type ContentsEvent,
  type KernelActionEvent,
  type GatewayClientEvent,
  type OtherServerEvent,
} from './jupyter/events.js';
export type * from './jupyter/models.js';
export type { RequestOptions } from './core/http.js';
export * from './core/errors.js';
export {
  KernelConnection,
  type KernelConnectionOptions,
  type KernelStatus,
  type ExecuteOptions,
  type ExecuteReply,
  type RunResult,
  type KernelEvents,
  type CommTargetHandler,
} from './kernel/connection.js';
export { Execution, IDLE_TIMEOUT_MS } from './kernel/execute.js';
export { Comm, type CommMessage } from './kernel/comm.js';
export { OutputCollector, type DisplayRegistry } from './kernel/outputs.js';
export { createMessage, isMessageType, uuid, PROTOCOL_VERSION } from './kernel/messages.js';
export type * from './kernel/messages.js';
export { encodeV1, decodeV1, V1_PROTOCOL } from './kernel/wire-v1.js';
export { encodeJson, decodeJson } from './kernel/wire-json.js';
export { TerminalConnection, type TerminalConnectionOptions, type TerminalEvents } from './terminal/connection.js';
export type { WebSocketLike, WebSocketInstance } from './kernel/socket.js';
// The runner's whole public surface: runNotebook, its options and progress types, its errors.
export * from './runner/index.js';
