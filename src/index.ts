/**
 * `jupyter-sdk`: the Jupyter Server client, its kernel and terminal channels, the notebook runner,
 * the error classes and the model types.
 */
export { JupyterClient, type JupyterClientOptions } from './jupyter/client.js';
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
