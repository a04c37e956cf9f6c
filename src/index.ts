/**
 * `jupyter-sdk`: the Jupyter Server client, its kernel and terminal channels, the notebook runner,
 * the error classes and the model types.
 */
export { JupyterClient } from './jupyter/client.js';
// The bare-bones route: a client without resources, and the resources built from it one by one,
// so that a bundle holds only those an app uses.
export { JupyterCore, type JupyterClientOptions } from './jupyter/core.js';
export {
  ContentsResource,
  type ContentsGetParams,
  type ContentsCreateParams,
  type UploadOptions,
  type UploadData,
} from './jupyter/contents.js';
export { CheckpointsResource } from './jupyter/checkpoints.js';
export { KernelsResource } from './jupyter/kernels.js';
export { KernelSpecsResource } from './jupyter/kernelspecs.js';
export { SessionsResource } from './jupyter/sessions.js';
export { TerminalsResource } from './jupyter/terminals.js';
export { ConfigResource } from './jupyter/config.js';
export type { MeParams, Permissions } from './jupyter/identity.js';
export {
  CONTENTS_EVENT,
  KERNEL_ACTION_EVENT,
  GATEWAY_CLIENT_EVENT,
  isEvent,
  EventsResource,
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
export * from './core/public.js';
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
export type { Execution, IncompleteReason } from './kernel/execute.js';
export type { Comm, CommMessage } from './kernel/comm.js';
export { isMessageType } from './kernel/messages.js';
export type {
  Channel,
  MessageHeader,
  BinaryBuffer,
  Message,
  ErrorFields,
  ReplyStatus,
  ReplyBase,
  DisplayContent,
  ExecutionState,
  MessageContents,
  KnownMsgType,
  HistoryParams,
  KernelMessage,
  GenericKernelMessage,
  ContentOf,
} from './kernel/messages.js';
export { TerminalConnection, type TerminalConnectionOptions, type TerminalEvents } from './terminal/connection.js';
export type { WebSocketLike, WebSocketInstance } from './kernel/websocket.js';
// The runner's whole public surface: runNotebook, its options and progress types, its errors.
export * from './runner/index.js';
